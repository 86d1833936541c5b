//! A client for the [Procuret](https://procuret.com) API: business-to-business instalment payments.
//! A supplier sends its customer an instalment link; the customer pays over time; the supplier is
//! paid up front.
//!
//! Unlike Procuret's own libraries, this crate has timeouts, retries (for reads only), typed errors,
//! pagination streams and secret redaction, and it signs requests byte for byte as Procuret does.
//! It starts in Procuret's **demo** environment: nothing reaches real customers or money unless
//! [`Environment::Production`] is named.
//!
//! # Second-factor code → session → instalment link
//!
//! ```no_run
//! use procuret::{
//!     Client, CommunicationOption, Decimal, Lifecycle, NewInstalmentLink, NewSession, Perspective,
//! };
//!
//! # async fn run() -> Result<(), procuret::Error> {
//! // PROCURET_ENVIRONMENT: `production`, `demo` (the default) or an API root URL.
//! let client = Client::from_env()?;
//!
//! // 1. Procuret sends a code to the account's email or phone.
//! client.second_factor_code()
//!     .email("me@example.org")
//!     .passphrase("excellent passphrase")
//!     .perspective(Perspective::Supplier)
//!     .send().await?;
//!
//! // 2. Trade the code for a session (long-lived by default). Store it like a password.
//! let new_session = NewSession::builder()
//!     .email("me@example.org")
//!     .passphrase("excellent passphrase")
//!     .perspective(Perspective::Supplier)
//!     .code("123456")
//!     .lifecycle(Lifecycle::LongLived)
//!     .build()?; // checked here: a bad field is an `Error::InvalidInput` naming it
//! let session = client.sessions().create(&new_session).send().await?;
//! let client = client.with_session(session)?;
//!
//! // 3. Create an instalment link and send the customer to it.
//! let new_link = NewInstalmentLink::builder()
//!     .supplier_id(589121125121)
//!     .invoice_amount(Decimal::new(42242, 2)) // 422.42, sent as "422.42"
//!     .invitee_email("customer@example.org")
//!     .invoice_identifier("INV-42")
//!     .communication(CommunicationOption::EmailCustomer)
//!     .build()?;
//! let link = client.instalment_links().create(&new_link).send().await?;
//! println!("{}", link.customer_url(client.environment())?);
//! # Ok(()) }
//! ```
//!
//! Later runs restore the stored session instead of asking for a code, from the environment
//! (`PROCURET_SESSION_ID`, `PROCURET_SESSION_SECRET`) or from its stored JSON:
//!
//! ```no_run
//! # fn run(stored_json: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let session: procuret::Session = serde_json::from_str(stored_json)?;
//! let client = procuret::Client::builder().session(session).build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! # Calls
//!
//! `client.<plural noun>()` returns a handle; every operation is a builder that ends in
//! `.send().await`, with per-call `.timeout(..)`, `.retry_policy(..)` and `.no_retries()`. Ids are
//! typed ([`EntityId`], [`InstalmentLinkId`], …). Lists return one [`Page`] from `.send()`, or every
//! item from `.stream()`:
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
//! let unopened: Vec<_> = client.instalment_links().list().opened(false).stream().try_collect().await?;
//! # let _ = unopened; Ok(()) }
//! ```
//!
//! An endpoint this crate does not cover yet is one [`Client::raw_request`] away, signed like the
//! rest.
//!
//! # Errors, retries and validation
//!
//! Every call returns [`Error`] (re-exported from `partner-core`): Procuret's `error-information`
//! is the API error's message, and [`ErrorDetails`] (`err.provider_details::<ErrorDetails>()`) adds
//! what the status means ([`StatusMeaning`]). A 404 is an error ([`Error::is_not_found`]), never an
//! empty success. Input is checked before anything is sent (amounts positive with at most two
//! decimals in AUD/NZD, emails plausible, ids positive or non-empty). GETs are retried on timeouts,
//! 429 and 5xx; POSTs are never repeated once they may have reached Procuret, which has no
//! idempotency keys.
//!
//! # Features
//!
//! - `interactive`: `interactive::create_session_interactively`, the terminal prompt behind
//!   `examples/interactive_session.rs`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod amount;
pub mod client;
pub mod disposition;
pub mod entities;
pub mod enums;
pub mod environment;
pub mod error;
pub mod ids;
pub mod instalment_links;
pub mod instalment_schedule;
pub mod lookup;
mod paging;
pub mod payment_series;
pub mod prospective_payments;
pub mod session;
pub mod signing;
pub mod term_rates;
pub mod timestamp;
mod validate;

#[cfg(feature = "interactive")]
#[cfg_attr(docsrs, doc(cfg(feature = "interactive")))]
pub mod interactive;

pub use amount::{Amount, Currency, Denomination};
pub use client::{Client, ClientBuilder};
pub use disposition::Disposition;
pub use entities::{Commitment, Entity, EntityHeadline, EntityIdentifier, Human};
pub use enums::{
    CommunicationOption, Cycle, EntityIdType, IdentityDocumentType, InstalmentLinkMode, Lifecycle,
    Order, OrderBy, PaymentMechanism, Perspective, SaleNomenclature, VerificationState,
};
pub use environment::Environment;
pub use error::{ErrorDetails, ProcuretErrorParser, StatusMeaning};
pub use ids::{
    AgentId, CommitmentId, EntityId, ExchangeId, HumanId, InstalmentLinkId, PaymentMethodId,
    PaymentSeriesId, TermRateGroupId,
};
pub use instalment_links::{InstalmentLink, LinkOpen, NewInstalmentLink};
pub use instalment_schedule::InstalmentSchedule;
pub use lookup::Lookup;
pub use payment_series::PaymentSeries;
pub use prospective_payments::ProspectivePayment;
pub use session::{NewSession, Session};
pub use term_rates::{TermRate, TermRateGroup};
pub use timestamp::Timestamp;

pub use partner_core::http::Method;
pub use partner_core::{
    ApiError, Error, ExposeSecret, Page, Result, RetryPolicy, SecretString, Timeouts,
};
pub use rust_decimal::Decimal;
