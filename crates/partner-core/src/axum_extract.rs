//! The `axum` extractor: [`VerifiedEvent`] verifies and parses a webhook delivery before a handler
//! runs, for every provider that sends webhooks.
//!
//! The application state gives the provider's verifier as an `Arc` ([`FromRef`]); the handler names
//! the event type it wants, `VerifiedEvent<pax8::Event>` for instance, and the event type picks its
//! verifier ([`WebhookEvent`]).
//!
//! Each provider crate re-exports these types under its own `axum` feature, with a compiled example
//! (`pax8::axum_extract`, `paypal_partner::axum_extract`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::webhook::{VerifyWebhook, WebhookEvent};

/// A delivery that passed the provider's verifier, taken from the raw request body.
///
/// A refused delivery is answered before the handler runs with the verifier's
/// [`refusal_status`](VerifyWebhook::refusal_status) and a short fixed text: 401 for missing or wrong
/// credentials, 503 when it could not be checked for a reason of ours (the provider delivers it
/// again), 400 otherwise (including a body that cannot be read). The answer never contains a header,
/// a secret or the body.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent<E>(pub E);

/// Why [`VerifiedEvent`] refused a request: its answer is the status and a short fixed text.
#[derive(Debug)]
pub struct WebhookRejection<E> {
    status: StatusCode,
    error: Option<E>,
}

impl<E> WebhookRejection<E> {
    /// The status answered (400, 401 or 503).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The verifier's reason, when the body could be read.
    pub fn error(&self) -> Option<&E> {
        self.error.as_ref()
    }
}

impl<E> IntoResponse for WebhookRejection<E> {
    fn into_response(self) -> Response {
        let text = match self.status {
            StatusCode::UNAUTHORIZED => "webhook delivery refused: bad or missing credentials",
            StatusCode::SERVICE_UNAVAILABLE => "webhook delivery not checked: try again later",
            _ => "webhook delivery refused",
        };
        (self.status, text).into_response()
    }
}

impl<S, E> FromRequest<S> for VerifiedEvent<E>
where
    E: WebhookEvent,
    Arc<E::Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection<<E::Verifier as VerifyWebhook>::Error>;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<E::Verifier>::from_ref(state);
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
                status: StatusCode::from_u16(E::Verifier::refusal_status(&error))
                    .unwrap_or(StatusCode::BAD_REQUEST),
                error: Some(error),
            }),
        }
    }
}
