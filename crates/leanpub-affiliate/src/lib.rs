//! A client for the Leanpub partner discount service (`leanpub.schams.net`, a third-party service by
//! Michael Schams, not Leanpub's own API): a partner (a shop, a course platform) asks for a Leanpub
//! discount for a customer with one `POST .../api/v2/PartnerDiscountRequest`; the service answers
//! with a code, schedules the coupon asynchronously and emails the recipient.
//!
//! # The flow
//!
//! ```no_run
//! use leanpub_affiliate::{Client, DiscountRequest, Error, ErrorDetails, Recipient, ServiceCode};
//!
//! # async fn run() -> Result<(), Error> {
//! // LEANPUB_PARTNER_ID, LEANPUB_API_KEY; LEANPUB_ENVIRONMENT defaults to `sandbox`.
//! let client = Client::from_env()?;
//!
//! let body = DiscountRequest::builder()
//!     .product_id("the-book")
//!     .origin("shop.example.com")
//!     .transaction_id("order-1234")
//!     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
//!     .build()?; // every field checked here, before anything is sent
//!
//! match client.discounts().request(body).send().await {
//!     Ok(ack) => println!("scheduled, not yet delivered (request id {:?})", ack.request_id),
//!     Err(err) if err.may_have_been_applied() => {
//!         eprintln!("outcome unknown, do not blindly resend: {err}")
//!     }
//!     Err(err) => match err.provider_details::<ErrorDetails>().and_then(ErrorDetails::result_code) {
//!         Some(ServiceCode::InvalidOrigin) => eprintln!("origin not registered: {err}"),
//!         _ => eprintln!("refused: {err}"),
//!     },
//! }
//! # Ok(()) }
//! ```
//!
//! # What "OK" means
//!
//! Code 0 is an [`Acknowledgement`]: the service accepted the request and scheduled a job. **No coupon
//! and no email is confirmed**, and the service offers no way to ask later.
//!
//! # Sandbox and production
//!
//! The [`Environment`] decides. Every request is a sandbox rehearsal (`"sandboxMode": true`: no
//! coupon, the email goes to the service's predefined address) unless the client was built with
//! [`Environment::Production`] (or `LEANPUB_ENVIRONMENT=production`). Production also needs a
//! partner account the service has cleared for it.
//!
//! # Never sent twice
//!
//! The service has no idempotency key, and a duplicate coupon is worse than an error. So the client
//! retries only what certainly did not reach the service: connections that failed before sending and
//! HTTP 429 (throttling). After a timeout, a dropped connection, or a 502/504 from the gateway it
//! returns an error for which [`Error::may_have_been_applied`] is true, and leaves the decision to
//! you.
//!
//! # Errors
//!
//! The crate's error is the family's [`Error`]. What the service or its gateway said is
//! [`ErrorDetails`], read with `err.provider_details::<ErrorDetails>()`; the result code is also
//! the [`ApiError::code`](partner_core::ApiError::code) (`"404"`). See the [`ErrorDetails`] docs for
//! which answer becomes which variant.
//!
//! # Validation
//!
//! [`DiscountRequestBuilder::build`] and [`ClientBuilder::build`] refuse, with an
//! [`Error::InvalidInput`] naming the field: missing or blank fields; non-printable-ASCII characters in
//! `productId`, `origin`, `transactionId`; characters beyond Latin-1 (U+00FF) or control characters in
//! `partnerId` and the recipient's names and email; an implausible email address.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod discounts;
mod environment;
mod error;
mod request;
mod response;
mod validate;

pub use client::{Client, ClientBuilder};
pub use discounts::{Discounts, RequestDiscount};
pub use environment::Environment;
pub use error::ErrorDetails;
pub use request::{DiscountRequest, DiscountRequestBuilder, Recipient};
pub use response::{Acknowledgement, GatewayError, ServiceCode, ServiceReply};

/// The crate's error: the one error of the SDK family. See [`ErrorDetails`] for what Leanpub adds.
pub use partner_core::{Error, Result};

// The runtime types that appear in this crate's API.
pub use partner_core::http::{Method, StatusCode};
pub use partner_core::raw::RawRequest;
pub use partner_core::url::Url;
pub use partner_core::{InvalidInput, RetryPolicy, SecretString, Timeouts};

// The README's example is compiled with the doctests, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
