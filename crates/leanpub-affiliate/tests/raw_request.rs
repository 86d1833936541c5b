//! `client.raw_request(..)`: any path under the base URL, sent with the API key and read with the
//! crate's error details; a path that would leave the base is refused before sending.

mod common;

use common::{API_KEY, PATH, client, reply};
use httpmock::prelude::*;
use leanpub_affiliate::{Error, ErrorDetails, Method, ServiceCode};
use serde_json::json;

#[tokio::test]
async fn a_raw_call_is_sent_with_the_key_under_the_base() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(PATH)
                .header("x-api-key", API_KEY)
                .json_body(json!({"partnerId": common::PARTNER_ID, "productId": "the-book"}));
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    let answer: serde_json::Value = client
        .raw_request(Method::POST, "PartnerDiscountRequest")
        .json(&json!({"partnerId": client.partner_id(), "productId": "the-book"}))
        .send_json()
        .await
        .unwrap();

    assert_eq!(answer["code"], json!(0));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_raw_refusal_carries_the_error_details() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(405).json_body(reply(405, "no such book"));
        })
        .await;

    let err = client(&server)
        .raw_request(Method::POST, "PartnerDiscountRequest")
        .json(&json!({}))
        .send()
        .await
        .unwrap_err();

    let details = err.provider_details::<ErrorDetails>().unwrap();
    assert_eq!(details.result_code(), Some(ServiceCode::InvalidProductId));
    assert_eq!(err.request_id(), Some("req-405"));
    assert!(!err.may_have_been_applied());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_path_that_leaves_the_base_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    for path in ["../secret", "PartnerDiscountRequest/../../x", "a//b", ""] {
        let err = client
            .raw_request(Method::GET, path)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(input) if input.field == "path"),
            "{path:?}: {err:?}"
        );
    }
    // No idempotency keys at this service: asking for one is refused, not silently dropped.
    let err = client
        .raw_request(Method::POST, "PartnerDiscountRequest")
        .idempotency_key(partner_core::IdempotencyKey::new("k-1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "idempotency_key"));
    anything.assert_calls_async(0).await;
}
