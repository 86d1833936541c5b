//! Postback verification: `POST /v1/notifications/verify-webhook-signature` with the raw event.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::Error;
use paypal_partner::webhooks::{VerificationStatus, WebhookHeaders};
use serde_json::json;

// Spacing and key order PayPal chose: they must reach PayPal untouched.
const BODY: &str = "{\"id\":\"WH-1\",  \"event_type\":\"PAYMENT.CAPTURE.COMPLETED\",\"resource\":{\"amount\":{\"value\":\"10.00\",\"currency_code\":\"USD\"},\"id\":\"CAP1\"}}";

fn headers() -> WebhookHeaders {
    WebhookHeaders::from_fn(|name| {
        Some(
            match name {
                "paypal-transmission-id" => "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
                "paypal-transmission-time" => "2016-02-18T20:01:35Z",
                "paypal-transmission-sig" => "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy/UFzUlnGJn0wDugt7FlSvdKeIJenLRemUxYCPVoEZzg9VFNqOa48gMkvF+XTpxBeUx/kWy6B5cp7GkT2+pOowfRK7OaynuxUoKW3JcMWw272VKjLTtTAShncla7tGF+55rxyt2KNZIIqxNMJ48RDZheGU5w1npu9dZHnPgTXB9iomeVRoD8O/jhRpnKsGrDschyNdkeh81BJJMH4Ctc6lnCCquoP/GzCzz33MMsNdid7vL/NIWaCsekQpW26FpWPi/tfj8nLA==",
                "paypal-cert-url" => "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
                "paypal-auth-algo" => "SHA256withRSA",
                _ => return None,
            }
            .to_owned(),
        )
    })
    .unwrap()
}

#[tokio::test]
async fn the_raw_event_is_embedded_unmodified() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let h = headers();
    let expected = format!(
        "{{\"auth_algo\":\"SHA256withRSA\",\"cert_url\":\"{}\",\"transmission_id\":\"{}\",\"transmission_sig\":\"{}\",\"transmission_time\":\"{}\",\"webhook_id\":\"1JE4291016473214C\",\"webhook_event\":{BODY}}}",
        h.cert_url, h.transmission_id, h.transmission_sig, h.transmission_time
    );
    let verify = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/verify-webhook-signature")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .header_exists("paypal-request-id")
                .body(expected);
            then.status(200)
                .json_body(json!({"verification_status": "SUCCESS"}));
        })
        .await;
    let status = client(&server)
        .webhooks()
        .verify_postback("1JE4291016473214C", &h, BODY.as_bytes())
        .send()
        .await
        .unwrap();
    verify.assert_async().await;
    assert!(status.is_success());
}

#[tokio::test]
async fn failure_is_reported_and_bad_bodies_refused() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let err = client
        .webhooks()
        .verify_postback("WH", &headers(), b"not json")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .webhooks()
        .verify_postback("", &headers(), BODY.as_bytes())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/verify-webhook-signature");
            then.status(200)
                .json_body(json!({"verification_status": "FAILURE"}));
        })
        .await;
    let status = client
        .webhooks()
        .verify_postback("WH", &headers(), BODY.as_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(status, VerificationStatus::Failure);
}
