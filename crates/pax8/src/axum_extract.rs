//! The `axum` extractor: [`VerifiedEvent`] verifies and parses a delivery before a handler runs.
//!
//! A refused delivery is answered before the handler runs: 401 for a missing or wrong
//! `Authorization` header, 400 for a body that is not a delivery (or cannot be read). The answer never
//! contains the header, the secret or the body. The extractor is partner-core's, shared with the other
//! providers that send webhooks; the event type names its verifier.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use pax8::axum_extract::VerifiedEvent;
//! use pax8::{Event, WebhookVerifier};
//!
//! async fn receive(VerifiedEvent(event): VerifiedEvent<Event>) -> StatusCode {
//!     if let Event::Invoice(delivery) = event {
//!         println!("invoice {:?}", delivery.action());
//!     }
//!     StatusCode::OK
//! }
//!
//! let app: axum::Router = axum::Router::new()
//!     .route("/pax8", post(receive))
//!     .with_state(Arc::new(WebhookVerifier::new("my-shared-secret")));
//! # let _ = app;
//! ```

pub use partner_core::axum_extract::VerifiedEvent;

/// Why [`VerifiedEvent`] refused a delivery: the status answered and the verifier's reason.
pub type WebhookRejection =
    partner_core::axum_extract::WebhookRejection<crate::webhook_verifier::WebhookError>;
