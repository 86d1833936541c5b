//! partner-core's webhook extractor with a provider-like verifier: the event reaches the handler, a
//! refusal is answered with the verifier's status and a fixed text that repeats nothing received.
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::FromRequest;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::IntoResponse;
use partner_core::axum_extract::VerifiedEvent;
use partner_core::webhook::{VerifyWebhook, WebhookEvent};

/// Accepts a body `ok:<text>` with header `x-token: good`; `busy` stands for a check that could not run.
struct TokenVerifier;

#[derive(Debug, PartialEq)]
struct Delivery(String);

#[derive(Debug, thiserror::Error, PartialEq)]
enum Refused {
    #[error("bad token")]
    BadToken,
    #[error("could not check")]
    Busy,
    #[error("not a delivery")]
    Malformed,
}

impl VerifyWebhook for TokenVerifier {
    type Event = Delivery;
    type Error = Refused;

    async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, Refused> {
        match headers.get("x-token").map(|v| v.as_bytes()) {
            Some(b"good") => {}
            Some(b"busy") => return Err(Refused::Busy),
            _ => return Err(Refused::BadToken),
        }
        let text = std::str::from_utf8(body).map_err(|_| Refused::Malformed)?;
        text.strip_prefix("ok:")
            .map(|rest| Delivery(rest.to_owned()))
            .ok_or(Refused::Malformed)
    }

    fn refusal_status(error: &Refused) -> u16 {
        match error {
            Refused::BadToken => 401,
            Refused::Busy => 503,
            Refused::Malformed => 400,
        }
    }
}

impl WebhookEvent for Delivery {
    type Verifier = TokenVerifier;
}

fn request(token: &str, body: &'static str) -> Request<Body> {
    Request::post("/hook")
        .header("x-token", token)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_verified_delivery_reaches_the_handler() {
    let state = Arc::new(TokenVerifier);
    let VerifiedEvent(event) =
        VerifiedEvent::<Delivery>::from_request(request("good", "ok:42"), &state)
            .await
            .unwrap();
    assert_eq!(event, Delivery("42".into()));
}

#[tokio::test]
async fn refusals_carry_the_verifiers_status_and_repeat_nothing() {
    let state = Arc::new(TokenVerifier);
    for (token, body, status, reason) in [
        (
            "evil-token",
            "ok:1",
            StatusCode::UNAUTHORIZED,
            Refused::BadToken,
        ),
        (
            "busy",
            "ok:1",
            StatusCode::SERVICE_UNAVAILABLE,
            Refused::Busy,
        ),
        (
            "good",
            "secret-payload",
            StatusCode::BAD_REQUEST,
            Refused::Malformed,
        ),
    ] {
        let rejection = VerifiedEvent::<Delivery>::from_request(request(token, body), &state)
            .await
            .unwrap_err();
        assert_eq!(rejection.status(), status, "{token}");
        assert_eq!(rejection.error(), Some(&reason));
        let response = rejection.into_response();
        assert_eq!(response.status(), status);
        let text = to_bytes(response.into_body(), 1 << 12).await.unwrap();
        let text = String::from_utf8(text.to_vec()).unwrap();
        assert!(text.starts_with("webhook delivery"), "{text}");
        assert!(!text.contains(token) && !text.contains(body), "{text}");
    }
}
