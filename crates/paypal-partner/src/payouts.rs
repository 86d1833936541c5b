//! Batch payouts (`/v1/payments/payouts`, `/v1/payments/payouts-item`): `client.payouts()`.
//!
//! Send money to many recipients in one batch, read the batch and its items, and cancel an item the
//! recipient has not claimed (its money comes back).
//!
//! **Idempotency.** A batch carries your `sender_batch_id`: PayPal refuses a second batch with the
//! same id for 30 days, so a repeated create can never pay twice, and the id is the key to look the
//! batch up again after a crash. Every create also carries a `PayPal-Request-Id` (generated, or yours
//! with `.idempotency_key(..)`), reused on every retry, so a retried create answers the first batch
//! instead of an error.
//!
//! Amounts are [`Money`] (`Decimal`), written as PayPal's decimal strings; on the wire of this API
//! they read `{"currency": "USD", "value": "9.87"}`.
//!
//! ```no_run
//! use paypal_partner::Money;
//! use paypal_partner::payouts::{PayoutItemRequest, PayoutRequest, RecipientType};
//!
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! let batch = PayoutRequest::builder("payouts-2026-12-05")
//!     .email_subject("You have a payout!")
//!     .item(
//!         PayoutItemRequest::new(RecipientType::Email, "seller@example.com", Money::parse("USD", "9.87")?)
//!             .sender_item_id("seller-42-december"),
//!     )
//!     .build()?;
//! let created = client.payouts().create(&batch).send().await?;
//! let id = created.batch_header.payout_batch_id;
//! let status = client.payouts().get(id).send().await?.batch_header.batch_status;
//! # let _ = status; Ok(()) }
//! ```

use futures_util::future::Either;
use futures_util::{Stream, StreamExt, stream};
use partner_core::RequestOptions;
use partner_core::http::Method;
use partner_core::pagination::{self, PaginationOptions};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::call::{Call, Part, call_builder};
use crate::client::Client;
use crate::headers::PayPalHeaders;
use crate::ids::{PayoutBatchId, PayoutItemId};
use crate::links::Link;
use crate::money::Money;
use crate::pages::Page;

/// The most items of one batch.
pub const MAX_BATCH_ITEMS: usize = 15_000;
/// The largest page of batch items PayPal serves.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The highest page number PayPal serves.
pub const MAX_PAGE: u32 = 1000;

partner_core::string_enum! {
    /// How `receiver` identifies the recipient.
    pub enum RecipientType {
        /// An email address.
        Email = "EMAIL",
        /// A phone number.
        Phone = "PHONE",
        /// An encrypted PayPal account number (payer id).
        PaypalId = "PAYPAL_ID",
    }
}

partner_core::string_enum! {
    /// Which wallet receives the payout.
    pub enum RecipientWallet {
        /// PayPal (the default).
        Paypal = "PAYPAL",
        /// Venmo.
        Venmo = "VENMO",
    }
}

partner_core::string_enum! {
    /// What the payout is for.
    pub enum Purpose {
        /// Awards.
        Awards = "AWARDS",
        /// Prizes.
        Prizes = "PRIZES",
        /// Donations.
        Donations = "DONATIONS",
        /// Goods sold.
        Goods = "GOODS",
        /// Services provided.
        Services = "SERVICES",
        /// Rebates.
        Rebates = "REBATES",
        /// Cashback.
        Cashback = "CASHBACK",
        /// Discounts.
        Discounts = "DISCOUNTS",
        /// Anything else.
        NonGoodsOrServices = "NON_GOODS_OR_SERVICES",
    }
}

partner_core::string_enum! {
    /// A batch's status.
    pub enum BatchStatus {
        /// Denied: not processed (see the items' errors).
        Denied = "DENIED",
        /// Received, to be processed.
        Pending = "PENDING",
        /// Being processed.
        Processing = "PROCESSING",
        /// Processed (check each item).
        Success = "SUCCESS",
        /// Canceled.
        Canceled = "CANCELED",
    }
}

partner_core::string_enum! {
    /// An item's status.
    pub enum TransactionStatus {
        /// Credited to the recipient.
        Success = "SUCCESS",
        /// Failed; nothing was deducted.
        Failed = "FAILED",
        /// Being processed.
        Pending = "PENDING",
        /// The recipient has no account yet; cancellable until claimed (30 days).
        Unclaimed = "UNCLAIMED",
        /// Not claimed in 30 days: the money came back.
        Returned = "RETURNED",
        /// Held for review.
        Onhold = "ONHOLD",
        /// Blocked.
        Blocked = "BLOCKED",
        /// Refunded.
        Refunded = "REFUNDED",
        /// Reversed.
        Reversed = "REVERSED",
    }
}

/// This API's money object, `{"currency", "value"}`, read into and from [`Money`].
mod currency {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::money::Money;

    #[derive(Serialize, Deserialize)]
    struct Wire {
        currency: String,
        #[serde(with = "crate::money::decimal_string")]
        value: rust_decimal::Decimal,
    }

    pub(super) fn serialize<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            currency: money.currency_code.clone(),
            value: money.value,
        }
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let wire = Wire::deserialize(d)?;
        Ok(Money::new(wire.currency, wire.value))
    }

    pub(super) mod option {
        use super::*;

        pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Money>, D::Error> {
            Option::<Wire>::deserialize(d).map(|w| w.map(|w| Money::new(w.currency, w.value)))
        }

        pub(in super::super) fn serialize<S: Serializer>(
            money: &Option<Money>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            money
                .as_ref()
                .map(|m| Wire {
                    currency: m.currency_code.clone(),
                    value: m.value,
                })
                .serialize(s)
        }
    }
}

/// The sender's header of a batch (`sender_batch_header`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SenderBatchHeader {
    /// Your id for the batch: PayPal refuses a second batch with it for 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_batch_id: Option<String>,
    /// The recipient type of items that give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_type: Option<RecipientType>,
    /// The subject of the email to recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// The body of the email to recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// A note for the records (request only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One item of a batch to create (`payout_item_request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PayoutItemRequest {
    /// How `receiver` identifies the recipient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_type: Option<RecipientType>,
    /// How much.
    #[serde(with = "currency")]
    pub amount: Money,
    /// A note to the recipient (up to 4000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The recipient: an email, a phone number or a PayPal id (up to 127 characters).
    pub receiver: String,
    /// Your id for the item (up to 63 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_item_id: Option<String>,
    /// The wallet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_wallet: Option<RecipientWallet>,
    /// What the payout is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
}

impl PayoutItemRequest {
    /// `amount` to `receiver`, identified as `recipient_type`.
    pub fn new(recipient_type: RecipientType, receiver: impl Into<String>, amount: Money) -> Self {
        Self {
            recipient_type: Some(recipient_type),
            amount,
            note: None,
            receiver: receiver.into(),
            sender_item_id: None,
            recipient_wallet: None,
            purpose: None,
        }
    }

    /// A note to the recipient.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Your id for the item.
    pub fn sender_item_id(mut self, id: impl Into<String>) -> Self {
        self.sender_item_id = Some(id.into());
        self
    }

    /// The wallet (PayPal or Venmo).
    pub fn recipient_wallet(mut self, wallet: RecipientWallet) -> Self {
        self.recipient_wallet = Some(wallet);
        self
    }

    /// What the payout is for.
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = Some(purpose);
        self
    }

    fn validate(&self, index: usize) -> Result<(), Error> {
        let field = |name: &str| format!("items[{index}].{name}");
        self.amount.validate(&field("amount"))?;
        max_len(field("receiver"), Some(&self.receiver), 1, 127)?;
        max_len(field("note"), self.note.as_ref(), 0, 4000)?;
        max_len(field("sender_item_id"), self.sender_item_id.as_ref(), 0, 63)
    }
}

fn max_len(field: String, value: Option<&String>, min: usize, max: usize) -> Result<(), Error> {
    match value {
        Some(v) if v.chars().count() < min || v.chars().count() > max => Err(Error::invalid_input(
            field,
            format!("must be {min} to {max} characters long"),
        )),
        _ => Ok(()),
    }
}

/// The body of a batch creation (`create_payout_request`): build it with
/// [`PayoutRequest::builder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// The header.
    pub sender_batch_header: SenderBatchHeader,
    /// The items (1 to 15000).
    pub items: Vec<PayoutItemRequest>,
}

impl PayoutRequest {
    /// A builder for a batch with your `sender_batch_id` (1 to 256 characters; see the
    /// [module docs](self) on idempotency).
    pub fn builder(sender_batch_id: impl Into<String>) -> PayoutRequestBuilder {
        PayoutRequestBuilder {
            header: SenderBatchHeader {
                sender_batch_id: Some(sender_batch_id.into()),
                recipient_type: None,
                email_subject: None,
                email_message: None,
                note: None,
            },
            items: Vec::new(),
        }
    }
}

/// Builds a [`PayoutRequest`], checked at [`build`](Self::build).
#[derive(Debug, Clone)]
pub struct PayoutRequestBuilder {
    header: SenderBatchHeader,
    items: Vec<PayoutItemRequest>,
}

impl PayoutRequestBuilder {
    /// The email subject (up to 255 characters).
    pub fn email_subject(mut self, subject: impl Into<String>) -> Self {
        self.header.email_subject = Some(subject.into());
        self
    }

    /// The email message (up to 1000 characters).
    pub fn email_message(mut self, message: impl Into<String>) -> Self {
        self.header.email_message = Some(message.into());
        self
    }

    /// A note for the records (up to 1000 characters).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.header.note = Some(note.into());
        self
    }

    /// The recipient type of items that give none.
    pub fn recipient_type(mut self, recipient_type: RecipientType) -> Self {
        self.header.recipient_type = Some(recipient_type);
        self
    }

    /// Adds an item.
    pub fn item(mut self, item: PayoutItemRequest) -> Self {
        self.items.push(item);
        self
    }

    /// Checks and builds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field: an empty or long `sender_batch_id`, no item or over
    /// 15000, an amount PayPal refuses, an empty receiver, a text over PayPal's length.
    pub fn build(self) -> Result<PayoutRequest, Error> {
        let h = &self.header;
        max_len(
            "sender_batch_header.sender_batch_id".into(),
            h.sender_batch_id.as_ref(),
            1,
            256,
        )?;
        max_len(
            "sender_batch_header.email_subject".into(),
            h.email_subject.as_ref(),
            0,
            255,
        )?;
        max_len(
            "sender_batch_header.email_message".into(),
            h.email_message.as_ref(),
            0,
            1000,
        )?;
        max_len("sender_batch_header.note".into(), h.note.as_ref(), 0, 1000)?;
        if self.items.is_empty() || self.items.len() > MAX_BATCH_ITEMS {
            return Err(Error::invalid_input(
                "items",
                format!("must hold 1 to {MAX_BATCH_ITEMS} items"),
            ));
        }
        for (index, item) in self.items.iter().enumerate() {
            item.validate(index)?;
        }
        Ok(PayoutRequest {
            sender_batch_header: self.header,
            items: self.items,
        })
    }
}

/// A batch's header (`payout_header`, `payout_batch_header`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutBatchHeader {
    /// PayPal's id for the batch. Required when decoding.
    pub payout_batch_id: PayoutBatchId,
    /// Where it stands.
    #[serde(default)]
    pub batch_status: Option<BatchStatus>,
    /// When it was created.
    #[serde(default)]
    pub time_created: Option<String>,
    /// When it completed.
    #[serde(default)]
    pub time_completed: Option<String>,
    /// When it closed.
    #[serde(default)]
    pub time_closed: Option<String>,
    /// Your header, as sent.
    #[serde(default)]
    pub sender_batch_header: Option<SenderBatchHeader>,
    /// `BALANCE`.
    #[serde(default)]
    pub funding_source: Option<String>,
    /// The total.
    #[serde(default, with = "currency::option")]
    pub amount: Option<Money>,
    /// The fees.
    #[serde(default, with = "currency::option")]
    pub fees: Option<Money>,
}

/// The answer to a batch creation (`payout`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutBatchCreated {
    /// The header: the batch id and its status.
    pub batch_header: PayoutBatchHeader,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// A batch with one page of its items (`payout_batch`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutBatch {
    /// How many items the batch has (with `total_required`).
    #[serde(default)]
    pub total_items: Option<u64>,
    /// How many pages (with `total_required`).
    #[serde(default)]
    pub total_pages: Option<u64>,
    /// The header.
    pub batch_header: PayoutBatchHeader,
    /// This page's items.
    #[serde(default)]
    pub items: Vec<PayoutItem>,
    /// Links (`next`, `previous`, `first`, `last`).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The item as sent (`payout_item_detail`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutItemDetail {
    /// How `receiver` identifies the recipient.
    #[serde(default)]
    pub recipient_type: Option<RecipientType>,
    /// How much.
    #[serde(with = "currency")]
    pub amount: Money,
    /// The note.
    #[serde(default)]
    pub note: Option<String>,
    /// The recipient.
    #[serde(default)]
    pub receiver: String,
    /// Your id for the item.
    #[serde(default)]
    pub sender_item_id: Option<String>,
    /// The wallet.
    #[serde(default)]
    pub recipient_wallet: Option<RecipientWallet>,
    /// What it is for.
    #[serde(default)]
    pub purpose: Option<Purpose>,
}

/// A payout item (`payout_item`, `payout_batch_items`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutItem {
    /// PayPal's id for the item. Required when decoding.
    pub payout_item_id: PayoutItemId,
    /// The PayPal transaction id, once paid.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// The activity id.
    #[serde(default)]
    pub activity_id: Option<String>,
    /// Where it stands.
    #[serde(default)]
    pub transaction_status: Option<TransactionStatus>,
    /// The fee.
    #[serde(default, with = "currency::option")]
    pub payout_item_fee: Option<Money>,
    /// The batch.
    #[serde(default)]
    pub payout_batch_id: Option<PayoutBatchId>,
    /// Your batch id (item reads only).
    #[serde(default)]
    pub sender_batch_id: Option<String>,
    /// The item as sent.
    #[serde(default)]
    pub payout_item: Option<PayoutItemDetail>,
    /// When it was processed.
    #[serde(default)]
    pub time_processed: Option<String>,
    /// Why it failed, as PayPal's error object (`name`, `message`...).
    #[serde(default)]
    pub errors: Option<serde_json::Value>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The batch payouts resource: `client.payouts()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Payouts {
    client: Client,
}

fn batch_path(id: PayoutBatchId) -> Vec<Part> {
    vec![
        Part::Lit("v1"),
        Part::Lit("payments"),
        Part::Lit("payouts"),
        Part::Id("payout_batch_id", id.into_string()),
    ]
}

fn item_path(id: PayoutItemId) -> Vec<Part> {
    vec![
        Part::Lit("v1"),
        Part::Lit("payments"),
        Part::Lit("payouts-item"),
        Part::Id("payout_item_id", id.into_string()),
    ]
}

impl Payouts {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v1/payments/payouts` (`payouts.post`): creates a batch; PayPal answers 201 with its
    /// header (status `PENDING`) and processes it asynchronously.
    pub fn create(&self, batch: &PayoutRequest) -> CreatePayout {
        CreatePayout::from_call(
            Call::new(
                self.client.clone(),
                Method::POST,
                vec![Part::Lit("v1"), Part::Lit("payments"), Part::Lit("payouts")],
            )
            .body(batch),
        )
    }

    /// `GET /v1/payments/payouts/{payout_batch_id}` (`payouts.get`): the batch and one page of its
    /// items; [`items`](Self::items) walks them all.
    pub fn get(&self, id: impl Into<PayoutBatchId>) -> GetPayoutBatch {
        GetPayoutBatch {
            call: Call::new(self.client.clone(), Method::GET, batch_path(id.into())),
            paging: Paging::default(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// The items of a batch, as a list: `GET /v1/payments/payouts/{payout_batch_id}` (`payouts.get`)
    /// with `page`, `page_size` and `total_required=true`.
    pub fn items(&self, id: impl Into<PayoutBatchId>) -> ListPayoutItems {
        ListPayoutItems {
            client: self.client.clone(),
            batch: id.into(),
            paging: Paging::default(),
            prefetch: 1,
            max_pages: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v1/payments/payouts-item/{payout_item_id}` (`payouts-item.get`).
    pub fn get_item(&self, id: impl Into<PayoutItemId>) -> GetPayoutItem {
        GetPayoutItem::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            item_path(id.into()),
        ))
    }

    /// `POST /v1/payments/payouts-item/{payout_item_id}/cancel` (`payouts-item.cancel`): cancels an
    /// `UNCLAIMED` item; its money returns to you. PayPal refuses other states.
    pub fn cancel_item(&self, id: impl Into<PayoutItemId>) -> CancelPayoutItem {
        let mut path = item_path(id.into());
        path.push(Part::Lit("cancel"));
        CancelPayoutItem::from_call(Call::new(self.client.clone(), Method::POST, path))
    }
}

call_builder!(
    /// A pending batch creation: `client.payouts().create(&batch)`.
    ///
    /// Idempotent twice over: PayPal refuses a second batch with the same `sender_batch_id`, and every
    /// attempt carries the same `PayPal-Request-Id` (`.idempotency_key(..)`, or generated).
    CreatePayout -> PayoutBatchCreated,
    "API errors (a reused `sender_batch_id`, `INSUFFICIENT_FUNDS`...), transport and decode errors."
);

impl CreatePayout {
    idempotency_key_setter!();
}

call_builder!(
    /// A pending item read: `client.payouts().get_item(id)`.
    GetPayoutItem -> PayoutItem,
    "[`Error::InvalidInput`] for a bad id; API (404 for an unknown id), transport and decode errors."
);

call_builder!(
    /// A pending item cancellation: `client.payouts().cancel_item(id)`.
    CancelPayoutItem -> PayoutItem,
    "[`Error::InvalidInput`] for a bad id; API errors (`ITEM_ALREADY_CLAIMED`... for an item not \
     `UNCLAIMED`), transport and decode errors."
);

impl CancelPayoutItem {
    idempotency_key_setter!();
}

/// `page` and `page_size` of a batch read.
#[derive(Debug, Clone, Copy, Default)]
struct Paging {
    page: Option<u32>,
    page_size: Option<u32>,
    total_required: Option<bool>,
}

impl Paging {
    fn check(&self) -> Result<(), Error> {
        if let Some(page) = self.page
            && !(1..=MAX_PAGE).contains(&page)
        {
            return Err(Error::invalid_input(
                "page",
                format!("must be 1 to {MAX_PAGE} (PayPal counts pages from 1)"),
            ));
        }
        if let Some(size) = self.page_size
            && !(1..=MAX_PAGE_SIZE).contains(&size)
        {
            return Err(Error::invalid_input(
                "page_size",
                format!("must be 1 to {MAX_PAGE_SIZE}"),
            ));
        }
        Ok(())
    }

    fn apply(&self, call: &mut Call) {
        if let Some(page) = self.page {
            call.set_query("page", page.to_string());
        }
        if let Some(size) = self.page_size {
            call.set_query("page_size", size.to_string());
        }
        if let Some(total) = self.total_required {
            call.set_query("total_required", total.to_string());
        }
    }
}

/// A pending batch read: `client.payouts().get(id)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetPayoutBatch {
    call: Call,
    paging: Paging,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetPayoutBatch {
    paypal_call_options!();

    /// Which page of items to include (PayPal counts from 1; 1 to 1000).
    pub fn page(mut self, page: u32) -> Self {
        self.paging.page = Some(page);
        self
    }

    /// How many items a page holds (1 to 1000).
    pub fn page_size(mut self, size: u32) -> Self {
        self.paging.page_size = Some(size);
        self
    }

    /// Asks for `total_items` and `total_pages`.
    pub fn total_required(mut self, required: bool) -> Self {
        self.paging.total_required = Some(required);
        self
    }

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id, page or page size; API (404 for an unknown id),
    /// transport and decode errors.
    pub async fn send(mut self) -> Result<PayoutBatch, Error> {
        self.paging.check()?;
        self.paging.apply(&mut self.call);
        self.call.send_json(&self.headers, &self.options).await
    }
}

/// A pending list of a batch's items: `client.payouts().items(id)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()` or `.stream()`"]
pub struct ListPayoutItems {
    client: Client,
    batch: PayoutBatchId,
    paging: Paging,
    prefetch: usize,
    max_pages: Option<u64>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ListPayoutItems {
    paypal_call_options!();

    /// The page `send()` fetches, or the first of `stream()` (PayPal counts from 1; 1 to 1000).
    /// The answer's [`Page::number`] counts from 0, as every list of the family: page 1 is number 0.
    pub fn page(mut self, page: u32) -> Self {
        self.paging.page = Some(page);
        self
    }

    /// How many items a page holds (1 to 1000).
    pub fn page_size(mut self, size: u32) -> Self {
        self.paging.page_size = Some(size);
        self
    }

    /// How many pages `stream()` fetches at once once the total is known (default 1).
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages.max(1);
        self
    }

    /// Stops `stream()` after this many pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages.max(1));
        self
    }

    /// Fetches one page, with `total_required=true` so that the page knows the totals.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id, page or page size; API, transport and decode errors.
    pub async fn send(self) -> Result<Page<PayoutItem>, Error> {
        self.paging.check()?;
        fetch_items(
            self.client,
            self.batch,
            self.paging.page.unwrap_or(1),
            self.paging.page_size,
            self.headers,
            self.options,
        )
        .await
    }

    /// Every item of every page, lazily, by page number until `total_pages`; a bad input is the
    /// stream's only item, an error.
    pub fn stream(self) -> impl Stream<Item = Result<PayoutItem, Error>> + Send + 'static {
        if let Err(err) = self.paging.check() {
            return Either::Left(stream::iter([Err(err)]));
        }
        let first = u64::from(self.paging.page.unwrap_or(1)) - 1;
        // PayPal serves no page past 1000.
        let left = u64::from(MAX_PAGE) - first;
        let options = PaginationOptions::default()
            .first_page(first)
            .prefetch(self.prefetch)
            .max_pages(self.max_pages.unwrap_or(left).min(left));
        let (client, batch, size) = (self.client, self.batch, self.paging.page_size);
        let (headers, call_options) = (self.headers, self.options);
        let fetch = move |number: u64| {
            let page = u32::try_from(number + 1).unwrap_or(MAX_PAGE);
            fetch_items(
                client.clone(),
                batch.clone(),
                page,
                size,
                headers.clone(),
                call_options.clone(),
            )
        };
        let pages = pagination::page_number_stream(fetch, options);
        Either::Right(pagination::items(pages.boxed()))
    }
}

/// Fetches page `page` (PayPal's 1-based number) of a batch's items into the family's page.
async fn fetch_items(
    client: Client,
    batch: PayoutBatchId,
    page: u32,
    size: Option<u32>,
    headers: PayPalHeaders,
    options: RequestOptions,
) -> Result<Page<PayoutItem>, Error> {
    let mut call = Call::new(client, Method::GET, batch_path(batch));
    Paging {
        page: Some(page),
        page_size: size,
        total_required: Some(true),
    }
    .apply(&mut call);
    let batch: PayoutBatch = call.send_json(&headers, &options).await?;
    let len = batch.items.len() as u64;
    // PayPal's default page size is 1000 items; a short page then ends the walk.
    let size = size.map_or(u64::from(MAX_PAGE_SIZE).max(len), u64::from);
    Ok(Page::new(
        batch.items,
        u64::from(page) - 1,
        size,
        batch.total_pages,
        batch.total_items,
    ))
}
