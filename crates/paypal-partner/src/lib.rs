//! PayPal partner SDK (PPCP "Connected Path"): onboard your sellers, check they can take payments,
//! take payments on their behalf with your platform fee, and trust the webhooks PayPal sends you.
//!
//! # The main flow
//!
//! ```no_run
//! use paypal_partner::{Client, MerchantLookup, Money};
//! use paypal_partner::orders::{DisbursementMode, OrderRequest, PurchaseUnitRequest};
//! use paypal_partner::referrals::{Feature, Product, ReferralRequest};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_PARTNER_MERCHANT_ID (your PayPal merchant id,
//! // not the client id), PAYPAL_BN_CODE; PAYPAL_ENVIRONMENT defaults to `sandbox`.
//! let client = Client::from_env()?;
//!
//! // 1. A sign-up link tied to your own id for the seller. `build()` checks PayPal's limits.
//! let referral = ReferralRequest::builder()
//!     .tracking_id("seller-42")
//!     .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
//!     .product(Product::Ppcp)
//!     .share_data_consent(true)
//!     .return_url("https://platform.example/paypal/return")
//!     .build()?;
//! let sign_up_url = client.referrals().create(&referral).send().await?.action_url()?;
//! println!("send the seller to {sign_up_url}");
//!
//! // 2. Later: their PayPal merchant id, once they finished, and whether they can take payments.
//! let MerchantLookup::Found(seller) =
//!     client.merchant_integrations().find_by_tracking_id("seller-42").send().await?
//! else {
//!     return Ok(()); // not finished yet: look again later, or wait for the webhook
//! };
//! let status = client.merchant_integrations().status(&seller.merchant_id).send().await?;
//! if !status.readiness().can_take_payments() {
//!     return Ok(());
//! }
//!
//! // 3. An order on their behalf, with your platform fee.
//! let order = OrderRequest::capture(
//!     PurchaseUnitRequest::new(Money::parse("USD", "100.00")?)
//!         .payee_merchant_id(&seller.merchant_id)
//!         .platform_fee(Money::parse("USD", "5.00")?)
//!         .disbursement_mode(DisbursementMode::Instant),
//! )
//! .build()?;
//! let created = client.orders().create(&order).on_behalf_of(&seller.merchant_id).send().await?;
//! println!("the buyer approves at {:?}", created.approve_url());
//! # Ok(()) }
//! ```
//!
//! # The shape
//!
//! The same as every crate of the workspace (`docs/api-shape.md`): `client.<resources>()` gives a
//! handle owning a clone of the client; every operation is a builder ending in `.send().await`, with
//! `.timeout(..)`, `.retry_policy(..)`, `.no_retries()` and, on POSTs, `.idempotency_key(..)` (sent as
//! `PayPal-Request-Id`); ids are typed ([`OrderId`], [`MerchantId`]...); errors are
//! [`partner_core::Error`], with PayPal's error document as [`ErrorDetails`]
//! (`err.provider_details::<ErrorDetails>()`) and its debug id as `err.request_id()`; models ignore
//! JSON fields they do not know; [`Client::raw_request`] reaches any endpoint not covered yet.
//!
//! # What else is here
//!
//! - [`orders`]: orders on behalf of a seller (payee, platform fees, `INSTANT`/`DELAYED` disbursement),
//!   [`captures`]: refunds with platform fees, [`referenced_payouts`]: release of delayed funds.
//! - [`authorizations`]: capture an authorized order later (in parts, with your fee), reauthorize or
//!   void it; [`trackers`]: shipment tracking of an order; [`refunds`]: refund lookup.
//! - [`webhooks`]: local signature verification (CRC32 + RSA-SHA256 against PayPal's certificate)
//!   into typed events, postback verification, and confirmation against the API.
//! - Webhook management: registrations (`client.webhooks().create(..)`, `list()`, `update(..)`...),
//!   event notifications (`client.webhook_events()`), lookups (`client.webhook_lookups()`).
//! - [`payouts`]: batch payouts; [`pages`]: the [`Page`] of every list and how streams follow
//!   PayPal's `next` links.
//! - [`headers`]: `PayPal-Request-Id` (generated for every POST and reused on retries), `Prefer`,
//!   `PayPal-Client-Metadata-Id`, `PayPal-Mock-Response`; [`auth_assertion`]: `PayPal-Auth-Assertion`.
//! - [`error`]: PayPal's error bodies read into [`Error`], with [`ErrorDetails`] to recognise
//!   partner errors such as `PRODUCT_PPCP_UNAUTHORIZED`.
//!
//! Requests are retried by the rules of `partner-core`: a POST only with its `PayPal-Request-Id` reused.
//! Tokens are cached, refreshed before expiry, fetched once however many tasks ask.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The per-call options of an operation builder holding `options: RequestOptions` and
/// `headers: PayPalHeaders`: the core's `.timeout(..)`, `.retry_policy(..)`, `.no_retries()`, and
/// PayPal's optional headers.
macro_rules! paypal_call_options {
    () => {
        partner_core::call_options!(options);

        /// Sets `Prefer` (`return=minimal`, `return=representation`, `respond-async`).
        pub fn prefer(mut self, prefer: $crate::headers::Prefer) -> Self {
            self.headers.prefer = Some(prefer);
            self
        }

        /// Sets `PayPal-Client-Metadata-Id` (1–36 characters), the buyer's risk/device id; without it a
        /// payment gets no Seller Protection.
        pub fn client_metadata_id(mut self, id: impl Into<String>) -> Self {
            self.headers.client_metadata_id = Some(id.into());
            self
        }

        /// Sets `PayPal-Mock-Response` (sandbox negative testing), e.g. `{"mock_application_codes":"INTERNAL_SERVER_ERROR"}`.
        pub fn mock_response(mut self, value: impl Into<String>) -> Self {
            self.headers.mock_response = Some(value.into());
            self
        }
    };
}

/// `.idempotency_key(..)` of a POST builder holding `options: RequestOptions`: sent as
/// `PayPal-Request-Id` (1–108 visible ASCII characters; longer is refused at `send()`).
macro_rules! idempotency_key_setter {
    () => {
        /// Sends `key` as this call's `PayPal-Request-Id` (1–108 visible ASCII characters), on every
        /// attempt, instead of a generated one: reuse it when you repeat a call whose error says it
        /// [may have been applied](partner_core::Error::may_have_been_applied), even from another
        /// process after a crash, and PayPal applies it once (orders keep keys 6 h, payments 45 days).
        pub fn idempotency_key(mut self, key: partner_core::IdempotencyKey) -> Self {
            self.options = self.options.idempotency_key(key);
            self
        }
    };
}

pub mod auth_assertion;
pub mod authorizations;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum_extract;
mod call;
pub mod captures;
pub mod client;
pub mod environment;
pub mod error;
pub mod headers;
pub mod ids;
pub mod links;
pub mod merchant_integrations;
pub mod money;
pub mod orders;
pub mod pages;
pub mod payouts;
pub mod readiness;
pub mod referenced_payouts;
pub mod referrals;
pub mod refunds;
pub mod return_params;
pub mod trackers;
pub mod webhooks;

pub use client::{Client, ClientBuilder, TokenInfo};
pub use environment::Environment;
pub use error::{ErrorDetails, KnownPayPalError};
pub use ids::{AuthorizationId, TrackerId};
pub use ids::{
    CaptureId, EventId, MerchantId, OrderId, PartnerReferralId, PayoutItemId, RefundId, TrackingId,
    WebhookId,
};
pub use ids::{PayoutBatchId, WebhookLookupId};
pub use merchant_integrations::{MerchantIntegration, MerchantLookup, MerchantRef};
pub use money::Money;
pub use pages::Page;
pub use readiness::Readiness;
pub use return_params::ReturnParams;

#[cfg(any(feature = "file-store", feature = "redis"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "file-store", feature = "redis"))))]
pub use partner_core::auth::EncryptionKey;
pub use partner_core::auth::TokenStore;
pub use partner_core::rate_limit::Quota;
pub use partner_core::{
    self, ApiError, Error, ExposeSecret, IdempotencyKey, Result, RetryPolicy, SecretString,
    Timeouts, http,
};

// The README's example is compiled as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
