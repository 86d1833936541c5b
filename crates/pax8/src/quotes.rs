//! Quotes: the quoting API under `/v2/quotes` (list with status counts, create, get, update, delete,
//! take ownership).
//!
//! The quoting API lives at `https://api.pax8.com/v2/` ([`Client::quotes_base_url`]), beside the
//! partner API's `/v1`, and uses the same token. Its lists page with `page` and **`limit`** (this
//! crate's `.size(..)` is sent as `limit`), and the quotes list answers
//! `{content, page, statusCounts}`: [`ListQuotes::send`] returns a [`QuotePage`] holding both.

use futures_core::Stream;
use partner_core::client::Response;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{
    self, AttachmentId, CommitmentTermId, CompanyId, LineItemId, ProductId, QuoteId,
    SubscriptionId, UserId,
};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use partner_core::wire_enum::exact;

mod attachments;
mod line_items;
mod sections;

pub use crate::multipart::Upload;
pub use attachments::{AttachmentUpdate, PreferencesUpdate, QuotePreferences};

pub use line_items::{
    MAX_NOTE_CHARS, MAX_PRODUCT_NAME_CHARS, MAX_PRODUCT_SKU_CHARS, NewQuoteLineItem,
    QuoteLineItemType, QuoteLineItemUpdate,
};
pub use sections::{AccessListEntry, AccountType, NewAccessListEntry, Section, SectionLineItem};

partner_core::string_enum! {
    /// A quote's status (`status`, also a list filter).
    pub enum QuoteStatus match_with exact {
        /// `draft`.
        Draft = "draft",
        /// `assigned`.
        Assigned = "assigned",
        /// `sent`.
        Sent = "sent",
        /// `closed`.
        Closed = "closed",
        /// `declined`.
        Declined = "declined",
        /// `accepted`.
        Accepted = "accepted",
        /// `changes_requested`.
        ChangesRequested = "changes_requested",
        /// `expired`.
        Expired = "expired",
        /// `pending`.
        Pending = "pending",
    }
}

partner_core::string_enum! {
    /// Who a quote is from and to (`intentType`).
    pub enum IntentType match_with exact {
        /// A partner's quote to its client.
        PartnerToClient = "PARTNER_TO_CLIENT",
        /// Pax8's quote to the partner.
        Pax8ToPartner = "PAX8_TO_PARTNER",
        /// Pax8's quote to a partner's client.
        Pax8ToPartnerClient = "PAX8_TO_PARTNER_CLIENT",
    }
}

partner_core::string_enum! {
    /// Whose quotes the list shows (`account`, Pax8's default `user`).
    pub enum QuoteAccount match_with exact {
        /// The calling user's quotes.
        User = "user",
        /// Every quote of the partner.
        Partner = "partner",
    }
}

partner_core::string_enum! {
    /// The billing term of a quote line item. The quoting API spells the terms `1 Year`, `2 Year`,
    /// `3 Year`, unlike the partner API's [`BillingTerm`](crate::BillingTerm) (`2-Year`).
    pub enum QuoteBillingTerm match_with exact {
        /// `Monthly`.
        Monthly = "Monthly",
        /// `Annual`.
        Annual = "Annual",
        /// `1 Year`.
        OneYear = "1 Year",
        /// `2 Year`.
        TwoYear = "2 Year",
        /// `3 Year`.
        ThreeYear = "3 Year",
        /// `Trial`.
        Trial = "Trial",
        /// `Activation`.
        Activation = "Activation",
        /// `One-Time`.
        OneTime = "One-Time",
    }
}

partner_core::string_enum! {
    /// The kind of product a quote line item carries.
    pub enum QuoteProductType match_with exact {
        /// `Standalone`.
        Standalone = "Standalone",
        /// `Solution`.
        Solution = "Solution",
        /// `Custom`: a product of the partner's own, not from the catalogue.
        Custom = "Custom",
    }
}

partner_core::string_enum! {
    /// How a usage-based line item is priced (`usageBased.type`).
    pub enum UsageBasedType match_with exact {
        /// `PRICE_FLAT`.
        PriceFlat = "PRICE_FLAT",
        /// `PRICE_VARIES`.
        PriceVaries = "PRICE_VARIES",
        /// `QTY_VARIES`.
        QtyVaries = "QTY_VARIES",
    }
}

/// An amount with its currency (`{amount, currency}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Amount {
    /// The amount.
    #[serde(default, with = "crate::money::option")]
    pub amount: Option<Decimal>,
    /// The currency (`USD`).
    #[serde(default)]
    pub currency: Option<String>,
}

/// The client (company) a quote is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteClient {
    /// The company id.
    #[serde(default)]
    pub id: Option<CompanyId>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it is a shadow company (one the partner quotes before it exists in Pax8).
    #[serde(default)]
    pub is_shadow_company: Option<bool>,
}

/// A partner's parent partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParentPartner {
    /// The parent's id.
    #[serde(default)]
    pub parent_partner_id: Option<String>,
    /// The parent's name.
    #[serde(default)]
    pub parent_partner_name: Option<String>,
}

/// The partner that owns a quote (the list holds `id`, `name` and `parentPartner` only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuotePartner {
    /// The partner's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The parent partner.
    #[serde(default)]
    pub parent_partner: Option<ParentPartner>,
    /// The street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// A second street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street2: Option<String>,
    /// The city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The state or province code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_or_province_code: Option<String>,
    /// The postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// The country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A Pax8 user as the quoting API shows it (a quote's owner, an attachment's creator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteUser {
    /// The user id.
    #[serde(default)]
    pub id: Option<UserId>,
    /// The full name.
    #[serde(default)]
    pub full_name: Option<String>,
    /// The email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The role (`role` in lists and attachments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The role (`userRole` on a quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_role: Option<String>,
    /// The IP address the user acted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// The name given when accepting a quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_accepted_by_name: Option<String>,
}

/// Who accepted or declined a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RespondedBy {
    /// The email.
    #[serde(default)]
    pub email: Option<String>,
    /// The full name.
    #[serde(default)]
    pub full_name: Option<String>,
    /// The IP address.
    #[serde(default)]
    pub ip_address: Option<String>,
}

/// A quote's (or line item's) totals. The list holds the two totals only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteTotals {
    /// The one-off total.
    #[serde(default)]
    pub initial_total: Option<Amount>,
    /// The recurring total.
    #[serde(default)]
    pub recurring_total: Option<Amount>,
    /// The one-off cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_cost: Option<Amount>,
    /// The one-off profit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_profit: Option<Amount>,
    /// The recurring cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_cost: Option<Amount>,
    /// The recurring profit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_profit: Option<Amount>,
}

/// How many line items a listed quote has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LineItemCounts {
    /// Custom line items.
    #[serde(default)]
    pub custom: Option<i64>,
    /// Catalogue (MSP) line items.
    #[serde(default)]
    pub msp: Option<i64>,
    /// All line items.
    #[serde(default)]
    pub total: Option<i64>,
}

/// The product of a quote line item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteProduct {
    /// The product id.
    #[serde(default)]
    pub id: Option<ProductId>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The SKU.
    #[serde(default)]
    pub sku: Option<String>,
    /// Whether only the MSP (not the client) sees it.
    #[serde(default)]
    pub is_msp_only: Option<bool>,
    /// The kind of product.
    #[serde(default, rename = "type")]
    pub kind: Option<QuoteProductType>,
}

/// A commitment term of a quote line item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteCommitmentTerm {
    /// The commitment term id.
    #[serde(default)]
    pub id: Option<CommitmentTermId>,
    /// The term, as text.
    #[serde(default)]
    pub term: Option<String>,
}

/// How a usage-based line item is priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageBased {
    /// Whether the note is shown to the client.
    #[serde(default)]
    pub display_note: Option<bool>,
    /// The pricing kind.
    #[serde(default, rename = "type")]
    pub kind: Option<UsageBasedType>,
}

impl UsageBased {
    /// A usage-based pricing of `kind`.
    pub fn new(kind: UsageBasedType, display_note: bool) -> Self {
        Self {
            display_note: Some(display_note),
            kind: Some(kind),
        }
    }
}

/// What a line item depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LineItemRelationship {
    /// A line item of the same quote.
    #[serde(default)]
    pub required_line_item_id: Option<LineItemId>,
    /// An existing subscription.
    #[serde(default)]
    pub required_subscription_id: Option<SubscriptionId>,
}

/// A line item of a quote, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteLineItem {
    /// The id.
    #[serde(default)]
    pub id: Option<LineItemId>,
    /// The product.
    #[serde(default)]
    pub product: Option<QuoteProduct>,
    /// The billing term.
    #[serde(default)]
    pub billing_term: Option<QuoteBillingTerm>,
    /// The commitment term.
    #[serde(default)]
    pub commitment_term: Option<QuoteCommitmentTerm>,
    /// The quantity.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// The price per unit.
    #[serde(default)]
    pub price: Option<Amount>,
    /// The cost per unit.
    #[serde(default)]
    pub cost: Option<Amount>,
    /// The totals.
    #[serde(default)]
    pub totals: Option<QuoteTotals>,
    /// When it takes effect.
    #[serde(default)]
    pub effective_date: Option<Timestamp>,
    /// The note.
    #[serde(default)]
    pub note: Option<String>,
    /// What it depends on.
    #[serde(default)]
    pub relationship: Option<LineItemRelationship>,
    /// The subscription it changes.
    #[serde(default)]
    pub subscription_id: Option<SubscriptionId>,
    /// Usage-based pricing.
    #[serde(default)]
    pub usage_based: Option<UsageBased>,
}

/// An attachment's metadata (of a quote, the library or the preferences).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attachment {
    /// The id.
    #[serde(default)]
    pub id: Option<AttachmentId>,
    /// The file name.
    #[serde(default)]
    pub name: Option<String>,
    /// The media type.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Its position.
    #[serde(default)]
    pub order: Option<i32>,
    /// Where to download it.
    #[serde(default)]
    pub url: Option<String>,
    /// Who uploaded it.
    #[serde(default)]
    pub created_by: Option<QuoteUser>,
    /// When.
    #[serde(default)]
    pub created_on: Option<Timestamp>,
    /// When its file was last replaced.
    #[serde(default)]
    pub replaced_on: Option<Timestamp>,
}

/// A quote, as `GET /quotes/{quoteId}` returns it.
///
/// The spec types `lineItems` as one line item object, not an array; Pax8's CLI reads an array.
/// Both are accepted here (one object reads as a list of one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Quote {
    /// The id.
    pub id: QuoteId,
    /// The status.
    #[serde(default)]
    pub status: Option<QuoteStatus>,
    /// The reference code shown to the client.
    #[serde(default)]
    pub reference_code: Option<String>,
    /// The client.
    #[serde(default)]
    pub client: Option<QuoteClient>,
    /// The partner.
    #[serde(default)]
    pub partner: Option<QuotePartner>,
    /// Who and for whom.
    #[serde(default)]
    pub intent_type: Option<IntentType>,
    /// The request this quote answers.
    #[serde(default)]
    pub quote_request_id: Option<String>,
    /// The creator's name.
    #[serde(default)]
    pub created_by: Option<String>,
    /// The creator's email.
    #[serde(default)]
    pub created_by_email: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_on: Option<Timestamp>,
    /// When it expires.
    #[serde(default)]
    pub expires_on: Option<Timestamp>,
    /// The owner.
    #[serde(default)]
    pub owned_by: Option<QuoteUser>,
    /// The introduction shown to the client.
    #[serde(default)]
    pub intro_message: Option<String>,
    /// The terms and disclaimers.
    #[serde(default)]
    pub terms_and_disclaimers: Option<String>,
    /// Whether it is published.
    #[serde(default)]
    pub published: Option<bool>,
    /// When it was published.
    #[serde(default)]
    pub published_on: Option<Timestamp>,
    /// When the client responded.
    #[serde(default)]
    pub responded_on: Option<Timestamp>,
    /// When it was revoked.
    #[serde(default)]
    pub revoked_on: Option<Timestamp>,
    /// Who accepted it.
    #[serde(default)]
    pub accepted_by: Option<RespondedBy>,
    /// Who declined it.
    #[serde(default)]
    pub declined_by: Option<RespondedBy>,
    /// The sales margin, in percent.
    #[serde(default, with = "crate::money::option")]
    pub sales_margin_percentage: Option<Decimal>,
    /// The line items.
    #[serde(default, deserialize_with = "one_or_many")]
    pub line_items: Vec<QuoteLineItem>,
    /// The attachments.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub attachments: Vec<Attachment>,
    /// The totals.
    #[serde(default)]
    pub totals: Option<QuoteTotals>,
}

/// An array, a single object (read as a list of one), or `null`.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match Option::<OneOrMany<T>>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::Many(items)) => items,
        Some(OneOrMany::One(item)) => vec![item],
    })
}

/// A quote as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteSummary {
    /// The id.
    pub id: QuoteId,
    /// The status.
    #[serde(default)]
    pub status: Option<QuoteStatus>,
    /// The reference code.
    #[serde(default)]
    pub reference_code: Option<String>,
    /// The client.
    #[serde(default)]
    pub client: Option<QuoteClient>,
    /// The partner.
    #[serde(default)]
    pub partner: Option<QuotePartner>,
    /// Who and for whom.
    #[serde(default)]
    pub intent_type: Option<IntentType>,
    /// The creator's name.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_on: Option<Timestamp>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_on: Option<Timestamp>,
    /// The owner.
    #[serde(default)]
    pub owned_by: Option<QuoteUser>,
    /// Whether it is published.
    #[serde(default)]
    pub published: Option<bool>,
    /// When it was published.
    #[serde(default)]
    pub published_on: Option<Timestamp>,
    /// How many line items it has.
    #[serde(default)]
    pub line_item_counts: Option<LineItemCounts>,
    /// The totals.
    #[serde(default)]
    pub totals: Option<QuoteTotals>,
}

/// How many of the listed quotes are in each status (`statusCounts`); a count Pax8 leaves out is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct StatusCounts {
    /// `draft`.
    pub draft: i64,
    /// `sent`.
    pub sent: i64,
    /// `accepted`.
    pub accepted: i64,
    /// `declined`.
    pub declined: i64,
    /// `closed`.
    pub closed: i64,
    /// `expired`.
    pub expired: i64,
    /// `pending`.
    pub pending: i64,
}

/// One page of quotes, with the status counts Pax8 sends beside it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QuotePage {
    /// The quotes and the page metadata.
    pub page: Page<QuoteSummary>,
    /// How many quotes are in each status.
    pub status_counts: StatusCounts,
}

/// A quote to create: for a client (company), optionally answering a quote request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewQuote {
    /// The client (company) the quote is for.
    pub client_id: CompanyId,
    /// The quote request it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_request_id: Option<String>,
}

impl NewQuote {
    /// A quote for the company `client_id`.
    pub fn new(client_id: impl Into<CompanyId>) -> Self {
        Self {
            client_id: client_id.into(),
            quote_request_id: None,
        }
    }

    /// Answers the quote request `id`.
    pub fn quote_request_id(mut self, id: impl Into<String>) -> Self {
        self.quote_request_id = Some(id.into());
        self
    }

    fn check(&self) -> Result<(), Error> {
        ids::require("client_id", self.client_id.as_str())?;
        if let Some(id) = &self.quote_request_id {
            ids::require("quote_request_id", id)?;
        }
        Ok(())
    }
}

/// The whole editable part of a quote, for `PUT /quotes/{quoteId}`: every field is required by
/// Pax8, so start from the quote with [`QuoteUpdate::from_quote`] and change what you need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteUpdate {
    /// When it expires.
    pub expires_on: Timestamp,
    /// The introduction.
    pub intro_message: String,
    /// Whether it is published.
    pub published: bool,
    /// The status.
    pub status: QuoteStatus,
    /// The terms and disclaimers.
    pub terms_and_disclaimers: String,
}

impl QuoteUpdate {
    /// An update with every field given.
    pub fn new(
        expires_on: impl Into<Timestamp>,
        intro_message: impl Into<String>,
        published: bool,
        status: QuoteStatus,
        terms_and_disclaimers: impl Into<String>,
    ) -> Self {
        Self {
            expires_on: expires_on.into(),
            intro_message: intro_message.into(),
            published,
            status,
            terms_and_disclaimers: terms_and_disclaimers.into(),
        }
    }

    /// The quote's current values.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field when the quote lacks `expiresOn` or `status`.
    pub fn from_quote(quote: &Quote) -> Result<Self, Error> {
        Ok(Self {
            expires_on: quote
                .expires_on
                .clone()
                .ok_or_else(|| Error::invalid_input("expires_on", "the quote has none"))?,
            intro_message: quote.intro_message.clone().unwrap_or_default(),
            published: quote.published.unwrap_or(false),
            status: quote
                .status
                .clone()
                .ok_or_else(|| Error::invalid_input("status", "the quote has none"))?,
            terms_and_disclaimers: quote.terms_and_disclaimers.clone().unwrap_or_default(),
        })
    }

    /// Sets the expiry.
    pub fn expires_on(mut self, when: impl Into<Timestamp>) -> Self {
        self.expires_on = when.into();
        self
    }

    /// Sets the introduction.
    pub fn intro_message(mut self, text: impl Into<String>) -> Self {
        self.intro_message = text.into();
        self
    }

    /// Publishes or unpublishes.
    pub fn published(mut self, published: bool) -> Self {
        self.published = published;
        self
    }

    /// Sets the status.
    pub fn status(mut self, status: QuoteStatus) -> Self {
        self.status = status;
        self
    }

    /// Sets the terms and disclaimers.
    pub fn terms_and_disclaimers(mut self, text: impl Into<String>) -> Self {
        self.terms_and_disclaimers = text.into();
        self
    }

    fn check(&self) -> Result<(), Error> {
        if self.expires_on.as_str().trim().is_empty() {
            return Err(Error::invalid_input("expires_on", "must not be empty"));
        }
        if let QuoteStatus::Unknown(value) = &self.status
            && value.trim().is_empty()
        {
            return Err(Error::invalid_input("status", "must not be empty"));
        }
        Ok(())
    }
}

/// Fields `GET /quotes` sorts by (sent as `sort=field,direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QuoteSort {
    /// `id`.
    Id,
    /// `status`.
    Status,
    /// `client.name`.
    ClientName,
    /// `createdBy`.
    CreatedBy,
    /// `createdOn`.
    CreatedOn,
    /// `updatedOn`.
    UpdatedOn,
    /// `totals.initialTotal`.
    InitialTotal,
    /// `totals.recurringTotal`.
    RecurringTotal,
}

impl QuoteSort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteSort::Id => "id",
            QuoteSort::Status => "status",
            QuoteSort::ClientName => "client.name",
            QuoteSort::CreatedBy => "createdBy",
            QuoteSort::CreatedOn => "createdOn",
            QuoteSort::UpdatedOn => "updatedOn",
            QuoteSort::InitialTotal => "totals.initialTotal",
            QuoteSort::RecurringTotal => "totals.recurringTotal",
        }
    }
}

/// The quoting API's quotes.
#[derive(Debug, Clone)]
pub struct Quotes {
    client: Client,
}

impl Quotes {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    fn quote_url(&self, id: &QuoteId, rest: &[Segment<'_>]) -> Result<Url, Error> {
        let mut segments = vec![
            Segment::literal("quotes"),
            Segment::id("quote_id", id.as_str()),
        ];
        segments.extend_from_slice(rest);
        self.client.quotes_url(&segments)
    }

    /// `GET /v2/quotes`: one page ([`QuotePage`], with the status counts) or every quote.
    pub fn list(&self) -> ListQuotes {
        ListQuotes {
            client: self.client.clone(),
            query: QuoteQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `POST /v2/quotes`: creates a draft quote for a client.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, list the quotes before
    /// creating it again.
    pub fn create(&self, quote: &NewQuote) -> Call<Quote> {
        let request = quote.check().and_then(|()| {
            let url = self.client.quotes_url(&[Segment::literal("quotes")])?;
            Ok(Request::post(url).json(quote)?)
        });
        Call::json(&self.client, request)
    }

    /// `GET /v2/quotes/{quoteId}`.
    pub fn get(&self, id: impl Into<QuoteId>) -> Call<Quote> {
        let url = self.quote_url(&id.into(), &[]);
        Call::json(&self.client, url.map(Request::get))
    }

    /// `PUT /v2/quotes/{quoteId}`: replaces the quote's editable fields (see [`QuoteUpdate`]).
    pub fn update(&self, id: impl Into<QuoteId>, update: &QuoteUpdate) -> Call<Quote> {
        let id = id.into();
        let request = update.check().and_then(|()| {
            let url = self.quote_url(&id, &[])?;
            Ok(Request::put(url).json(update)?)
        });
        Call::json(&self.client, request)
    }

    /// `DELETE /v2/quotes/{quoteId}` (answered 204).
    pub fn delete(&self, id: impl Into<QuoteId>) -> Call<()> {
        let url = self.quote_url(&id.into(), &[]);
        Call::empty(&self.client, url.map(Request::delete))
    }

    /// `POST /v2/quotes/{quoteId}/take-ownership`: makes the calling user the quote's owner.
    ///
    /// A POST, so not retried once it may have reached Pax8; taking ownership twice is harmless.
    pub fn take_ownership(&self, id: impl Into<QuoteId>) -> Call<Quote> {
        let url = self.quote_url(&id.into(), &[Segment::literal("take-ownership")]);
        Call::json(&self.client, url.map(Request::post))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct QuoteQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<QuoteAccount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intent_type: Option<IntentType>,
}

/// `GET /v2/quotes` with filters, sort and paging (`.size(n)` is sent as `limit`).
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListQuotes {
    client: Client,
    query: QuoteQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListQuotes {
    paging_methods!();

    /// Sorts by `field` (sent as one parameter, `sort=status,desc`).
    pub fn sort(mut self, field: QuoteSort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Searches client name, reference code, creator name and totals.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.query.search = Some(text.into());
        self
    }

    /// Only quotes in `status`; call again to add statuses (sent comma-separated).
    pub fn status(mut self, status: QuoteStatus) -> Self {
        let status = status.as_str().to_owned();
        self.query.status = Some(match self.query.status.take() {
            Some(previous) => format!("{previous},{status}"),
            None => status,
        });
        self
    }

    /// The user's quotes or the partner's (Pax8's default: the user's).
    pub fn account(mut self, account: QuoteAccount) -> Self {
        self.query.account = Some(account);
        self
    }

    /// Only quotes of a partner.
    pub fn partner_id(mut self, id: impl Into<String>) -> Self {
        self.query.partner_id = Some(id.into());
        self
    }

    /// Only quotes of one intent.
    pub fn intent_type(mut self, intent: IntentType) -> Self {
        self.query.intent_type = Some(intent);
        self
    }

    fn url(&self) -> Result<Url, Error> {
        ids::require_if_set("partner_id", self.query.partner_id.as_ref())?;
        if let Some(search) = &self.query.search
            && search.trim().is_empty()
        {
            return Err(Error::invalid_input("search", "must not be empty"));
        }
        self.client.quotes_url(&[Segment::literal("quotes")])
    }

    /// Fetches one page, with the status counts.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty partner id or search, or a page size over 200; the API's
    /// errors.
    pub async fn send(self) -> Result<QuotePage, Error> {
        let url = self.url();
        let (page, status_counts) = page::send_with::<QuoteSummary, _, StatusCounts>(
            &self.client,
            url,
            &self.query,
            "limit",
            self.paging,
            self.options,
            status_counts,
        )
        .await?;
        Ok(QuotePage {
            page,
            status_counts,
        })
    }

    /// Every quote of every page (the status counts are not kept).
    pub fn stream(self) -> impl Stream<Item = Result<QuoteSummary, Error>> + Send + 'static {
        let url = self.url();
        page::stream_with::<QuoteSummary, _>(
            self.client,
            url,
            self.query,
            "limit",
            self.paging,
            self.options,
        )
    }
}

fn status_counts(response: &Response) -> Result<StatusCounts, Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Wire {
        #[serde(default)]
        status_counts: Option<StatusCounts>,
    }
    Ok(response.json::<Wire>()?.status_counts.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_unknown_values() {
        let status: QuoteStatus = serde_json::from_str("\"changes_requested\"").unwrap();
        assert_eq!(status, QuoteStatus::ChangesRequested);
        let odd: QuoteStatus = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(odd, QuoteStatus::Unknown("archived".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"archived\"");
    }

    #[test]
    fn line_items_read_as_one_object_or_an_array() {
        let one: Quote =
            serde_json::from_str(r#"{"id":"q","lineItems":{"id":"l1","quantity":2}}"#).unwrap();
        assert_eq!(one.line_items.len(), 1);
        let many: Quote =
            serde_json::from_str(r#"{"id":"q","lineItems":[{"id":"l1"},{"id":"l2"}]}"#).unwrap();
        assert_eq!(many.line_items.len(), 2);
        let none: Quote = serde_json::from_str(r#"{"id":"q","lineItems":null}"#).unwrap();
        assert!(none.line_items.is_empty());
    }

    #[test]
    fn statuses_accumulate() {
        let client = Client::builder()
            .client_id("i")
            .client_secret("s")
            .build()
            .unwrap();
        let list = client
            .quotes()
            .list()
            .status(QuoteStatus::Draft)
            .status(QuoteStatus::Sent);
        assert_eq!(list.query.status.as_deref(), Some("draft,sent"));
    }
}
