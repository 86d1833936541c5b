//! The `axum` extractor: [`VerifiedEvent`] verifies and parses a delivery before a handler runs.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use paypal_partner::axum_extract::VerifiedEvent;
//! use paypal_partner::webhooks::{Event, WebhookVerifier};
//!
//! async fn receive(VerifiedEvent(event): VerifiedEvent) -> StatusCode {
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

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::webhooks::{Event, WebhookError, WebhookVerifier};

/// A delivery that passed [`WebhookVerifier::verify`], taken from the raw request body.
///
/// The state must give an `Arc<WebhookVerifier>` ([`FromRef`]). A refused delivery is answered
/// before the handler runs: 503 when it could not be checked for a reason of ours (the certificate
/// could not be fetched, the replay store did not answer: PayPal delivers it again), 400 otherwise
/// (a bad signature, a replay, a body that cannot be read or is not an event).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent(pub Event);

/// Why [`VerifiedEvent`] refused a request: its answer is the status and a short fixed text.
#[derive(Debug)]
pub struct WebhookRejection {
    status: StatusCode,
    error: Option<WebhookError>,
}

impl WebhookRejection {
    /// The status answered (400 or 503).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The verifier's reason, when the body could be read.
    pub fn error(&self) -> Option<&WebhookError> {
        self.error.as_ref()
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let text = match self.status {
            StatusCode::SERVICE_UNAVAILABLE => "webhook delivery not checked: try again later",
            _ => "webhook delivery refused",
        };
        (self.status, text).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedEvent
where
    Arc<WebhookVerifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<WebhookVerifier>::from_ref(state);
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebhookRejection {
                status: StatusCode::BAD_REQUEST,
                error: None,
            })?;
        match verifier.verify(&headers, &body).await {
            Ok(event) => Ok(VerifiedEvent(event)),
            Err(error) => Err(WebhookRejection {
                status: StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST),
                error: Some(error),
            }),
        }
    }
}
