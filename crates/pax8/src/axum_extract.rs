//! The `axum` extractor: [`VerifiedEvent`] verifies and parses a delivery before a handler runs.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use pax8::axum_extract::VerifiedEvent;
//! use pax8::{Event, WebhookVerifier};
//!
//! async fn receive(VerifiedEvent(event): VerifiedEvent) -> StatusCode {
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

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::webhook_verifier::{Event, WebhookError, WebhookVerifier};

/// A delivery that passed [`WebhookVerifier::verify`], taken from the request body.
///
/// The state must give an `Arc<WebhookVerifier>` ([`FromRef`]). A refused delivery is answered
/// before the handler runs: 401 for a missing or wrong `Authorization` header, 400 for a body that
/// is not a delivery (or cannot be read). The answer never contains the header or the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent(pub Event);

/// Why [`VerifiedEvent`] refused a request: its answer is the status and a short fixed text.
#[derive(Debug)]
pub struct WebhookRejection {
    status: StatusCode,
    error: Option<WebhookError>,
}

impl WebhookRejection {
    /// The status answered (400 or 401).
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
            StatusCode::UNAUTHORIZED => "webhook delivery refused: bad or missing Authorization",
            _ => "webhook delivery refused: malformed body",
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
