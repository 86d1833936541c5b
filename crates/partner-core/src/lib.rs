//! The shared runtime of the partner SDKs (`paypal-partner`, `pax8`, `procuret`, `leanpub-affiliate`).
//!
//! Provider crates describe requests; [`ApiClient`] sends them correctly: authenticated (OAuth2 tokens
//! cached single-flight, API keys, or a provider's own signing), rate limited, retried by rules that
//! never repeat a non-idempotent request that may have been applied, with timeouts, a body cap and a
//! tracing span, and with every failure reported as one typed [`Error`].
//!
//! Most users never touch this crate directly: its types appear through the provider crates, which
//! re-export what they need. It is for building a provider crate, or for tests.
//!
//! # The main flow
//!
//! ```no_run
//! use std::sync::Arc;
//! use partner_core::auth::{ClientCredentials, TokenCacheConfig};
//! use partner_core::rate_limit::{GcraRateLimiter, Quota};
//! use partner_core::{ApiClient, Request};
//!
//! # async fn run() -> Result<(), partner_core::Error> {
//! let base: url::Url = "https://api.example.com/v1/".parse().unwrap();
//! let tokens = ClientCredentials::json_body(base.join("token").unwrap(), "client-id", "secret".into());
//! let client = ApiClient::builder("my-sdk/1.0")
//!     .auth_origin(base.clone())
//!     .oauth2(Arc::new(tokens), TokenCacheConfig::default())
//!     .rate_limiter(Arc::new(GcraRateLimiter::new(Quota::per_minute(1000))))
//!     .build()?;
//!
//! #[derive(serde::Deserialize)]
//! struct Company { id: String }
//! let company: Company = client.send_json(Request::get(base.join("companies/42").unwrap())).await?;
//! # let _ = company.id; Ok(()) }
//! ```
//!
//! # Crate features
//!
//! - `reqwest` (default): the [`transport::ReqwestTransport`]: rustls on *ring* (or on the process-wide
//!   default rustls provider, when the application installed one), verifying servers against the
//!   operating system's trust store. Without it, supply your own [`transport::Transport`].
//! - `bundled-roots`: the default transport also trusts Mozilla's root certificates, compiled in, for
//!   containers that have no CA store.
//! - `file-store`: the token stores on disk, `FileTokenStore` and `EncryptedFileTokenStore` (with
//!   `EncryptionKey`), in [`auth`]. The OAuth providers enable it by default.
//! - `redis`: fleet scale, in the `redis` module: a Redis token store whose refresh lock makes one
//!   process of a fleet fetch the token for all, and a rate limiter whose budget all processes
//!   share. When Redis is down, clients fall back to their local cache and limiter. Also a replay
//!   store with which a fleet accepts each webhook delivery once. See `docs/scaling.md`.
//! - `axum`: `axum_extract::VerifiedEvent`, the extractor that verifies and parses a webhook delivery
//!   with any provider's verifier ([`webhook::VerifyWebhook`]).
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum_extract;
pub mod base_url;
pub mod client;
pub mod clock;
pub mod config;
pub mod error;
pub mod id;
mod json_path;
mod origin;
pub mod pagination;
pub mod path;
pub mod rate_limit;
pub mod raw;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis;
pub mod replay;
pub mod request;
pub mod retry;
pub mod scrub;
pub mod secret;
pub mod transport;
pub mod validate;
pub mod webhook;
pub mod wire_enum;

pub use client::{ApiClient, ApiClientBuilder, ErrorParser, JsonErrorParser, Response, Timeouts};
pub use config::ClientConfig;
pub use error::{
    ApiError, DecodeError, Delivery, Error, InvalidInput, ProviderDetails, Result, TimeoutPhase,
    TransportError, TransportErrorKind,
};
pub use pagination::Page;
pub use raw::RawRequest;
pub use request::{Request, RequestOptions};
pub use retry::{IdempotencyKey, RetryPolicy};
pub use secret::{ExposeSecret, SecretString};

#[doc(hidden)]
pub mod __private {
    //! What the exported macros need, so that callers need not depend on it themselves.
    pub use serde;
}

// Re-exported so provider crates and their users name the same versions.
pub use bytes;
pub use http;
pub use url;
