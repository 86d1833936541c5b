//! Orders v2 (`/v2/checkout/orders`) on behalf of a seller: the seller as payee, your platform fee, and
//! `INSTANT` or `DELAYED` disbursement.
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! use paypal_partner::Money;
//! use paypal_partner::orders::{DisbursementMode, OrderRequest, PurchaseUnitRequest};
//!
//! let order = OrderRequest::capture(
//!     PurchaseUnitRequest::new(Money::parse("USD", "100.00")?)
//!         .payee_merchant_id("SELLERMERCHANTID")
//!         .platform_fee(Money::parse("USD", "5.00")?)
//!         .disbursement_mode(DisbursementMode::Delayed),
//! );
//! let created = client.orders().create(&order).on_behalf_of("SELLERMERCHANTID").send().await?;
//! // ... the buyer approves at created.approve_url() ...
//! let captured = client.orders().capture(&created.id).send().await?;
//! # let _ = captured; Ok(()) }
//! ```

use partner_core::http::Method;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{CaptureId, MerchantId, OrderId};
use crate::links::{self, Link};
use crate::money::{Money, decimal_string};
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// What happens when the buyer approves.
    pub enum Intent {
        /// Capture immediately after approval.
        Capture = "CAPTURE",
        /// Authorise now, capture later.
        Authorize = "AUTHORIZE",
    }
}

partner_core::string_enum! {
    /// The status of an order.
    pub enum OrderStatus {
        /// Created.
        Created = "CREATED",
        /// Saved.
        Saved = "SAVED",
        /// Approved by the buyer.
        Approved = "APPROVED",
        /// Voided.
        Voided = "VOIDED",
        /// Completed (captured or authorised).
        Completed = "COMPLETED",
        /// The buyer must act (approve) first.
        PayerActionRequired = "PAYER_ACTION_REQUIRED",
    }
}

partner_core::string_enum! {
    /// When the seller gets the funds.
    pub enum DisbursementMode {
        /// At capture (the default).
        Instant = "INSTANT",
        /// Held until the partner releases them (referenced payouts).
        Delayed = "DELAYED",
    }
}

partner_core::string_enum! {
    /// The status of a capture.
    pub enum CaptureStatus {
        /// Completed.
        Completed = "COMPLETED",
        /// Declined.
        Declined = "DECLINED",
        /// Partially refunded.
        PartiallyRefunded = "PARTIALLY_REFUNDED",
        /// Pending (see `status_details.reason`).
        Pending = "PENDING",
        /// Refunded.
        Refunded = "REFUNDED",
        /// Failed.
        Failed = "FAILED",
    }
}

/// Who receives the money: the seller, by merchant id (preferred) or email.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Payee {
    /// The seller's PayPal merchant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<MerchantId>,
    /// The seller's PayPal email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
}

impl Payee {
    /// The seller with this merchant id.
    pub fn merchant_id(id: impl Into<MerchantId>) -> Self {
        Self {
            merchant_id: Some(id.into()),
            ..Default::default()
        }
    }
}

/// A platform fee: your cut of the payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlatformFee {
    /// The fee.
    pub amount: Money,
    /// Who receives it (omitted: the partner calling the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
}

impl PlatformFee {
    /// A fee of `amount` for the calling partner.
    pub fn new(amount: Money) -> Self {
        Self {
            amount,
            payee: None,
        }
    }
}

/// `payment_instruction`: platform fees and disbursement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentInstruction {
    /// Platform fees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_fees: Vec<PlatformFee>,
    /// `INSTANT` (default) or `DELAYED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursement_mode: Option<DisbursementMode>,
    /// The pricing tier of the payee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_pricing_tier_id: Option<String>,
    /// The FX rate id for the payee's receivable currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_receivable_fx_rate_id: Option<String>,
}

/// An amount with an optional breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Amount {
    /// ISO 4217 code.
    pub currency_code: String,
    /// The total.
    #[serde(with = "decimal_string")]
    pub value: Decimal,
    /// `item_total`, `shipping`, `tax_total`... as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<serde_json::Value>,
}

impl From<Money> for Amount {
    fn from(money: Money) -> Self {
        Self {
            currency_code: money.currency_code,
            value: money.value,
            breakdown: None,
        }
    }
}

impl Amount {
    /// The amount as [`Money`].
    pub fn money(&self) -> Money {
        Money::new(self.currency_code.clone(), self.value)
    }
}

/// A purchase unit of a new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurchaseUnitRequest {
    /// Your id for the unit (required with several units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// The amount.
    pub amount: Amount,
    /// The seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
    /// Platform fees and disbursement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instruction: Option<PaymentInstruction>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your reference, echoed in captures and webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Your invoice id (unique per seller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The statement descriptor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_descriptor: Option<String>,
    /// `items`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<serde_json::Value>,
    /// `shipping`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<serde_json::Value>,
    /// `supplementary_data`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplementary_data: Option<serde_json::Value>,
}

impl PurchaseUnitRequest {
    /// A unit of `amount`.
    pub fn new(amount: Money) -> Self {
        Self {
            reference_id: None,
            amount: amount.into(),
            payee: None,
            payment_instruction: None,
            description: None,
            custom_id: None,
            invoice_id: None,
            soft_descriptor: None,
            items: None,
            shipping: None,
            supplementary_data: None,
        }
    }

    /// Pays the seller with this merchant id.
    pub fn payee_merchant_id(mut self, merchant_id: impl Into<MerchantId>) -> Self {
        self.payee = Some(Payee::merchant_id(merchant_id));
        self
    }

    /// Adds a platform fee for you.
    pub fn platform_fee(mut self, fee: Money) -> Self {
        self.instruction().platform_fees.push(PlatformFee::new(fee));
        self
    }

    /// Sets the disbursement mode.
    pub fn disbursement_mode(mut self, mode: DisbursementMode) -> Self {
        self.instruction().disbursement_mode = Some(mode);
        self
    }

    /// Sets your reference id.
    pub fn reference_id(mut self, id: impl Into<String>) -> Self {
        self.reference_id = Some(id.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets your custom id.
    pub fn custom_id(mut self, id: impl Into<String>) -> Self {
        self.custom_id = Some(id.into());
        self
    }

    /// Sets your invoice id.
    pub fn invoice_id(mut self, id: impl Into<String>) -> Self {
        self.invoice_id = Some(id.into());
        self
    }

    fn instruction(&mut self) -> &mut PaymentInstruction {
        self.payment_instruction
            .get_or_insert_with(Default::default)
    }

    fn validate(&self, at: usize) -> Result<(), Error> {
        let field = format!("purchase_units[{at}].amount");
        self.amount.money().validate(&field)?;
        if let Some(instruction) = &self.payment_instruction {
            for (i, fee) in instruction.platform_fees.iter().enumerate() {
                let field =
                    format!("purchase_units[{at}].payment_instruction.platform_fees[{i}].amount");
                fee.amount.validate(&field)?;
                if fee.amount.currency_code != self.amount.currency_code {
                    return Err(Error::invalid_input(
                        field,
                        "must be in the currency of the purchase unit",
                    ));
                }
                if fee.amount.value > self.amount.value {
                    return Err(Error::invalid_input(field, "exceeds the amount"));
                }
            }
        }
        Ok(())
    }
}

/// A new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderRequest {
    /// `CAPTURE` or `AUTHORIZE`.
    pub intent: Intent,
    /// 1–10 purchase units.
    pub purchase_units: Vec<PurchaseUnitRequest>,
    /// `payment_source` (the wallet or card, with its `experience_context`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_source: Option<serde_json::Value>,
    /// `payer` (deprecated by PayPal in favour of `payment_source`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<serde_json::Value>,
    /// `application_context` (deprecated by PayPal in favour of `payment_source`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_context: Option<serde_json::Value>,
}

impl OrderRequest {
    /// A `CAPTURE` order of one unit.
    pub fn capture(unit: PurchaseUnitRequest) -> Self {
        Self {
            intent: Intent::Capture,
            purchase_units: vec![unit],
            payment_source: None,
            payer: None,
            application_context: None,
        }
    }

    /// An `AUTHORIZE` order of one unit.
    pub fn authorize(unit: PurchaseUnitRequest) -> Self {
        Self {
            intent: Intent::Authorize,
            purchase_units: vec![unit],
            payment_source: None,
            payer: None,
            application_context: None,
        }
    }

    /// Adds a purchase unit.
    pub fn purchase_unit(mut self, unit: PurchaseUnitRequest) -> Self {
        self.purchase_units.push(unit);
        self
    }

    /// Sets `payment_source` (e.g. `{"paypal": {"experience_context": {"return_url": ..}}}`).
    pub fn payment_source(mut self, source: serde_json::Value) -> Self {
        self.payment_source = Some(source);
        self
    }

    /// Checks the order ([`validate`](Self::validate)) and returns it, ready for
    /// [`Orders::create`]: `OrderRequest::capture(unit).build()?`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong (an amount with too many decimal
    /// places for its currency, a platform fee above the amount or in another currency, 0 or more
    /// than 10 units, several units without `reference_id`), before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks amounts, fees and unit count (what [`build`](Self::build) checks, for an order read
    /// from elsewhere).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if self.purchase_units.is_empty() || self.purchase_units.len() > 10 {
            return Err(Error::invalid_input(
                "purchase_units",
                "must hold 1 to 10 units",
            ));
        }
        if self.purchase_units.len() > 1
            && self.purchase_units.iter().any(|u| u.reference_id.is_none())
        {
            return Err(Error::invalid_input(
                "purchase_units.reference_id",
                "is required on every unit when there are several",
            ));
        }
        for (i, unit) in self.purchase_units.iter().enumerate() {
            unit.validate(i)?;
        }
        Ok(())
    }
}

/// The seller's side of a capture: gross, PayPal fee, platform fees, net.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SellerReceivableBreakdown {
    /// Gross amount.
    #[serde(default)]
    pub gross_amount: Option<Money>,
    /// PayPal's fee.
    #[serde(default)]
    pub paypal_fee: Option<Money>,
    /// Net to the seller.
    #[serde(default)]
    pub net_amount: Option<Money>,
    /// Platform fees taken.
    #[serde(default)]
    pub platform_fees: Vec<PlatformFee>,
}

/// A capture (in an order, a capture call, or a `PAYMENT.CAPTURE.*` webhook).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Capture {
    /// The capture id (the `reference_id` of a referenced payout). Required when decoding, as
    /// [`Order::id`].
    pub id: CaptureId,
    /// The status.
    #[serde(default)]
    pub status: Option<CaptureStatus>,
    /// Why it is pending or declined (`{"reason": ...}`).
    #[serde(default)]
    pub status_details: Option<serde_json::Value>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Whether it is the final capture.
    #[serde(default)]
    pub final_capture: Option<bool>,
    /// `INSTANT` or `DELAYED`.
    #[serde(default)]
    pub disbursement_mode: Option<DisbursementMode>,
    /// The seller's breakdown.
    #[serde(default)]
    pub seller_receivable_breakdown: Option<SellerReceivableBreakdown>,
    /// Your custom id.
    #[serde(default)]
    pub custom_id: Option<String>,
    /// Your invoice id.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default)]
    pub update_time: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// Captures, refunds and authorisations of a purchase unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentCollection {
    /// Captures.
    #[serde(default)]
    pub captures: Vec<Capture>,
    /// Refunds.
    #[serde(default)]
    pub refunds: Vec<crate::captures::Refund>,
    /// Authorisations, as JSON.
    #[serde(default)]
    pub authorizations: Vec<serde_json::Value>,
}

/// A purchase unit of an existing order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurchaseUnit {
    /// Your reference id.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// The seller.
    #[serde(default)]
    pub payee: Option<Payee>,
    /// Platform fees and disbursement.
    #[serde(default)]
    pub payment_instruction: Option<PaymentInstruction>,
    /// Your custom id.
    #[serde(default)]
    pub custom_id: Option<String>,
    /// Your invoice id.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Captures, refunds, authorisations.
    #[serde(default)]
    pub payments: Option<PaymentCollection>,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The order id. PayPal always sends it: a body without it (`{}`, an error body with status
    /// 200) is an `Error::Decode` naming `id`, never an empty order.
    pub id: OrderId,
    /// The status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// The intent.
    #[serde(default)]
    pub intent: Option<Intent>,
    /// Purchase units (with `return=representation`).
    #[serde(default)]
    pub purchase_units: Vec<PurchaseUnit>,
    /// Links (`approve`/`payer-action` for the buyer, `capture`...).
    #[serde(default)]
    pub links: Vec<Link>,
    /// The payment source used, as JSON.
    #[serde(default)]
    pub payment_source: Option<serde_json::Value>,
    /// The payer, as JSON.
    #[serde(default)]
    pub payer: Option<serde_json::Value>,
    /// Creation time.
    #[serde(default)]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default)]
    pub update_time: Option<String>,
}

impl Order {
    /// Where the buyer approves the order (`payer-action` or `approve`).
    pub fn approve_url(&self) -> Option<&str> {
        links::find(&self.links, "payer-action").or_else(|| links::find(&self.links, "approve"))
    }

    /// Every capture of every purchase unit.
    pub fn captures(&self) -> impl Iterator<Item = &Capture> {
        self.purchase_units
            .iter()
            .filter_map(|u| u.payments.as_ref())
            .flat_map(|p| p.captures.iter())
    }
}

/// The orders resource: `client.orders()`. Owns a clone of the client: move it into a task freely.
#[derive(Debug, Clone)]
pub struct Orders {
    client: Client,
}

impl Orders {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v2/checkout/orders` with `order` (checked again at `send()`, before sending).
    pub fn create(&self, order: &OrderRequest) -> CreateOrder {
        CreateOrder {
            client: self.client.clone(),
            order: order.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v2/checkout/orders/{id}`.
    pub fn get(&self, order_id: impl Into<OrderId>) -> GetOrder {
        GetOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/checkout/orders/{id}/capture`.
    pub fn capture(&self, order_id: impl Into<OrderId>) -> CaptureOrder {
        CaptureOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

macro_rules! on_behalf_of_setters {
    () => {
        /// Acts for the seller with this merchant id (`PayPal-Auth-Assertion`).
        pub fn on_behalf_of(mut self, seller: impl Into<$crate::ids::MerchantId>) -> Self {
            let seller: $crate::ids::MerchantId = seller.into();
            self.seller = Some(AssertionSubject::MerchantId(seller.into_string()));
            self
        }

        /// Acts for the seller with this PayPal email (`PayPal-Auth-Assertion`).
        pub fn on_behalf_of_email(mut self, seller_email: impl Into<String>) -> Self {
            self.seller = Some(AssertionSubject::Email(seller_email.into()));
            self
        }
    };
}
pub(crate) use on_behalf_of_setters;

/// A pending order creation: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CreateOrder {
    client: Client,
    order: OrderRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CreateOrder {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API, transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        self.order.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("checkout"),
                    Segment::literal("orders"),
                ],
            )?
            .json(&self.order)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending order read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetOrder {
    client: Client,
    order_id: OrderId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetOrder {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API errors (a 404 `RESOURCE_NOT_FOUND` for an unknown
    /// order: [`Error::is_not_found`]), transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v2"),
                Segment::literal("checkout"),
                Segment::literal("orders"),
                Segment::id("order_id", self.order_id.as_str()),
            ],
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending order capture: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CaptureOrder {
    client: Client,
    order_id: OrderId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CaptureOrder {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API (422 `ORDER_NOT_APPROVED`...), transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("checkout"),
                    Segment::literal("orders"),
                    Segment::id("order_id", self.order_id.as_str()),
                    Segment::literal("capture"),
                ],
            )?
            .body("application/json", "{}");
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}
