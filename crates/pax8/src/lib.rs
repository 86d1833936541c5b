//! A client for the [Pax8 Partner API](https://devx.pax8.com): companies and their contacts, the
//! product catalogue, orders, subscriptions, usage, invoices, quotes (the quoting API), and the
//! webhooks API, with a receiver for webhook deliveries.
//!
//! # The main flow
//!
//! Pax8 has **no test environment**: the default [`Environment::Production`] is your live account.
//! Check an order with `orders().validate(..)` (Pax8's `isMock=true` dry run) before placing it, and
//! point tests at a local server with `PAX8_ENVIRONMENT=http://127.0.0.1:PORT`.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use pax8::{BillingTerm, Client, CompanySort, Direction, NewLineItem, NewOrder};
//!
//! # async fn run() -> Result<(), pax8::Error> {
//! // PAX8_CLIENT_ID, PAX8_CLIENT_SECRET and optionally PAX8_ENVIRONMENT.
//! let client = Client::from_env()?;
//!
//! // One page of companies in Denver, sorted by name (`sort=name,asc`).
//! let page = client
//!     .companies()
//!     .list()
//!     .city("Denver")
//!     .sort(CompanySort::Name, Direction::Asc)
//!     .size(50)
//!     .send()
//!     .await?;
//! println!("{} companies", page.total_items.unwrap_or_default());
//!
//! // Every subscription of every page, four pages in flight at a time.
//! let subscriptions: Vec<_> = client
//!     .subscriptions()
//!     .list()
//!     .size(200)
//!     .prefetch(4)
//!     .stream()
//!     .try_collect()
//!     .await?;
//! println!("{} subscriptions", subscriptions.len());
//!
//! // Place an order: the builder numbers line items and checks commitments before sending.
//! let company = &page.items[0];
//! let product = client.products().get("e91bba5e-a9a3-483f-b036-f80165d410e3").send().await?;
//! let mut item = NewLineItem::for_product_detail(&product, BillingTerm::Annual, 5);
//! let dependencies = client.products().dependencies(&product.id).send().await?;
//! if let Some(commitment) = dependencies.commitment_for(&BillingTerm::Annual) {
//!     item = item.commitment_term(&commitment.id);
//! }
//! let order = NewOrder::builder(&company.id).line_item(item).build()?;
//! client.orders().validate(&order).send().await?; // `isMock=true`: checked by Pax8, not placed
//! let placed = client.orders().create(&order).send().await?;
//! println!("order {}", placed.id);
//! # Ok(()) }
//! ```
//!
//! Every call is a builder ending in `.send()` ([`Call`] for single calls), with the per-call options
//! `.timeout(..)`, `.retry_policy(..)` and `.no_retries()`; lists add `.stream()`. Pax8's error
//! documents are [`ErrorDetails`] (`err.provider_details::<ErrorDetails>()`), endpoints not covered
//! yet are one [`Client::raw_request`] away, and webhook deliveries are checked by
//! [`WebhookVerifier`] (with an `axum` extractor under the `axum` feature).
//!
//! Quotes (the quoting API at `https://api.pax8.com/v2/`) are [`Client::quotes`], module [`quotes`]:
//! quotes and their list with status counts, line items, sections, the access list, attachments
//! (multipart uploads, downloads as bytes under the body cap) and the quote preferences.
//!
//! # What the client does for you
//!
//! - **Tokens**: OAuth2 client credentials against `https://api.pax8.com/v1/token` (audience
//!   `https://api.pax8.com`; the legacy `login.pax8.com` endpoint via
//!   [`ClientBuilder::legacy_auth`]). Tokens live 24 h; they are cached, refreshed before expiry, and
//!   fetched once however many calls wait. Optionally persisted to a file, encrypted or not
//!   ([`ClientBuilder::token_cache_file`], [`ClientBuilder::encrypted_token_cache_file`]).
//! - **Rate limit**: at most 1000 requests per minute by default, shared by all clones of the client.
//! - **Retries**: 429 (honouring `Retry-After`), 408 and 5xx are retried for GET, PUT and DELETE;
//!   POST and PATCH only when Pax8 refused them unprocessed (429).
//! - **Input checks**: empty ids, page sizes over 200, zero quantities, missing commitment terms and
//!   empty updates are refused with [`Error::InvalidInput`] before anything is sent.
//! - **Wire quirks**: lenient dates ([`Timestamp`]), `commitment`/`commitmentTerm`,
//!   `Pax8Partner`/`Pax8 Partner`, contact phone extras, case-insensitive `rateType`, invoice item
//!   types with hyphens or underscores, enums with an `Unknown` variant, both error body shapes
//!   ([`ErrorDetails`]). See `docs/pax8.md`.
//!
//! # Crate features
//!
//! - `file-store` (default): token caches on disk (`ClientBuilder::token_cache_file`).
//! - `axum`: `axum_extract::VerifiedEvent`, an extractor that verifies and parses a delivery.
//! - `experimental-portal`: the Microsoft tenant id from Pax8's undocumented portal API
//!   (`Client::portal`). Unstable.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum_extract;
pub mod call;
pub mod client;
pub mod companies;
pub mod contacts;
pub mod dates;
pub mod environment;
pub mod error;
pub mod ids;
pub mod invoices;
mod money;
mod multipart;
mod nullable;
pub mod orders;
pub mod page;
#[cfg(feature = "experimental-portal")]
#[cfg_attr(docsrs, doc(cfg(feature = "experimental-portal")))]
pub mod portal;
pub mod products;
pub mod quotes;
pub mod subscriptions;
pub mod terms;
pub mod usage;
pub mod webhook_verifier;
pub mod webhooks;

pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use companies::{
    Address, Companies, Company, CompanySort, CompanyStatus, CompanyUpdate, NewCompany,
};
pub use contacts::{Contact, ContactKind, ContactType, Contacts, NewContact};
pub use dates::Timestamp;
pub use environment::Environment;
pub use error::{ErrorDetails, ErrorItem};
pub use ids::*;
pub use invoices::{Invoice, InvoiceItem, InvoiceSort, InvoiceStatus, Invoices, MonthOffset};
pub use orders::{LineItem, NewLineItem, NewOrder, Order, OrderedBy, Orders};
pub use page::{Direction, MAX_PAGE_SIZE, Page};
pub use products::{
    Commitment, Dependencies, Pricing, Product, ProductDetail, ProductSort, Products,
    ProvisioningDetail, ProvisioningValue,
};
pub use quotes::{
    AccessListEntry, Attachment, NewAccessListEntry, NewQuote, NewQuoteLineItem, Quote,
    QuoteLineItem, QuoteLineItemUpdate, QuotePage, QuoteSort, QuoteStatus, QuoteUpdate, Quotes,
    Section, Upload,
};
pub use subscriptions::{
    Subscription, SubscriptionSort, SubscriptionStatus, SubscriptionUpdate, Subscriptions,
};
pub use terms::BillingTerm;
pub use usage::{UsageLine, UsageSummaries, UsageSummary, UsageSummarySort};
pub use webhook_verifier::{
    Delivery, Event, EventTopic, LineItemEventType, WebhookError, WebhookVerifier,
};
pub use webhooks::{
    DeliveryStatus, FilterCondition, FilterOperator, NewWebhook, TopicSubscription, Webhook,
    WebhookConfiguration, WebhookFilter, Webhooks,
};

#[cfg(any(feature = "file-store", feature = "redis"))]
pub use partner_core::auth::EncryptionKey;
pub use partner_core::auth::TokenStore;
pub use partner_core::rate_limit::Quota;
pub use partner_core::{ApiError, Error, ExposeSecret, RetryPolicy, SecretString, Timeouts, http};
pub use rust_decimal::Decimal;

impl Client {
    /// Companies.
    pub fn companies(&self) -> Companies {
        Companies::new(self.clone())
    }

    /// The contacts of a company.
    pub fn contacts(&self, company_id: impl Into<CompanyId>) -> Contacts {
        Contacts::new(self.clone(), company_id.into())
    }

    /// The product catalogue.
    pub fn products(&self) -> Products {
        Products::new(self.clone())
    }

    /// Orders.
    pub fn orders(&self) -> Orders {
        Orders::new(self.clone())
    }

    /// Subscriptions.
    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions::new(self.clone())
    }

    /// Usage summaries and lines.
    pub fn usage_summaries(&self) -> UsageSummaries {
        UsageSummaries::new(self.clone())
    }

    /// Invoices.
    pub fn invoices(&self) -> Invoices {
        Invoices::new(self.clone())
    }

    /// The webhooks API (`/api/v2`).
    pub fn webhooks(&self) -> Webhooks {
        Webhooks::new(self.clone())
    }

    /// The quoting API (`/v2/quotes`): quotes, their line items, sections and access list.
    pub fn quotes(&self) -> Quotes {
        Quotes::new(self.clone())
    }

    /// **Unstable**: the undocumented portal API.
    #[cfg(feature = "experimental-portal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "experimental-portal")))]
    pub fn portal(&self) -> portal::Portal {
        portal::Portal::new(self.clone())
    }
}

// Compiles the README's example with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
