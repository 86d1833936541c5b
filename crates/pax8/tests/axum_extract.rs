//! The `axum` extractor: verified events reach the handler; refused deliveries get 401 or 400 and
//! an answer without the secret.
#![cfg(feature = "axum")]

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::FromRequest;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use pax8::axum_extract::VerifiedEvent;
use pax8::{Event, WebhookError, WebhookVerifier};

const SECRET: &str = "my_super_secret";
const INVOICE: &str = r#"{"webhookTopic":{"id":"t","topic":"INVOICE","filters":[]},"payloadData":{"action":"CREATED"}}"#;

fn request(authorization: Option<&str>, body: &'static str) -> Request<Body> {
    let mut request = Request::post("/pax8").header("content-type", "application/json");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.body(Body::from(body)).unwrap()
}

async fn extract(
    request: Request<Body>,
) -> Result<VerifiedEvent<pax8::Event>, (StatusCode, String)> {
    let state = Arc::new(WebhookVerifier::new(SECRET));
    match VerifiedEvent::<pax8::Event>::from_request(request, &state).await {
        Ok(event) => Ok(event),
        Err(rejection) => {
            let response = rejection.into_response();
            let status = response.status();
            let body = to_bytes(response.into_body(), 1 << 16).await.unwrap();
            Err((status, String::from_utf8(body.to_vec()).unwrap()))
        }
    }
}

#[tokio::test]
async fn a_verified_delivery_reaches_the_handler() {
    let VerifiedEvent(event) = extract(request(Some(SECRET), INVOICE)).await.unwrap();
    let Event::Invoice(delivery) = event else {
        panic!("expected an invoice event, got {event:?}");
    };
    assert_eq!(delivery.action(), Some("CREATED"));
}

#[tokio::test]
async fn refused_deliveries_are_401_or_400_without_the_secret() {
    for (authorization, body, status) in [
        (None, INVOICE, StatusCode::UNAUTHORIZED),
        (Some("my_super_secreT"), INVOICE, StatusCode::UNAUTHORIZED),
        (Some(SECRET), "not json", StatusCode::BAD_REQUEST),
    ] {
        let (got, text) = extract(request(authorization, body)).await.unwrap_err();
        assert_eq!(got, status, "{authorization:?} {body}");
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("secreT"), "{text}");
    }
}

#[tokio::test]
async fn the_rejection_says_why() {
    let state = Arc::new(WebhookVerifier::new(SECRET));
    let rejection = VerifiedEvent::<pax8::Event>::from_request(request(None, INVOICE), &state)
        .await
        .unwrap_err();
    assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(rejection.error(), Some(&WebhookError::MissingAuthorization));
}
