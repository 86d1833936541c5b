//! The `axum` extractor: [`VerifiedEvent`] verifies and parses a delivery before a handler runs.
//!
//! A refused delivery is answered before the handler runs: 503 when it could not be checked for a
//! reason of ours (the certificate could not be fetched, the replay store did not answer: PayPal
//! delivers it again), 400 otherwise (a bad signature, a replay, a body that is not an event). The
//! answer never contains a header or the body. The extractor is partner-core's, shared with the other
//! providers that send webhooks; the event type names its verifier.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use paypal_partner::axum_extract::VerifiedEvent;
//! use paypal_partner::webhooks::{Event, WebhookVerifier};
//!
//! async fn receive(VerifiedEvent(event): VerifiedEvent<Event>) -> StatusCode {
//!     if let Event::OnboardingCompleted(done) = event {
//!         println!("seller {:?} onboarded", done.resource.merchant_id);
//!     }
//!     StatusCode::OK
//! }
//!
//! # fn app(client: paypal_partner::Client) {
//! let verifier = WebhookVerifier::builder(&client, "8PT597110X687430LKGECATA").build();
//! let app: axum::Router = axum::Router::new()
//!     .route("/paypal", post(receive))
//!     .with_state(Arc::new(verifier));
//! # let _ = app; }
//! ```

pub use partner_core::axum_extract::VerifiedEvent;

/// Why [`VerifiedEvent`] refused a delivery: the status answered and the verifier's reason.
pub type WebhookRejection =
    partner_core::axum_extract::WebhookRejection<crate::webhooks::WebhookError>;
