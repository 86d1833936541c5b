//! Release of DELAYED funds: `POST /v1/payments/referenced-payouts-items`, 409 as "in progress".
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::referenced_payouts::{ItemStatus, ReleaseOutcome};
use paypal_partner::{Error, Money};
use serde_json::json;

fn item(status: &str) -> serde_json::Value {
    json!({
        "item_id": "JH5ZW6N6XFA3Q", "processing_state": {"status": status},
        "reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID",
        "payout_amount": {"currency_code": "USD", "value": "91.02"},
        "links": [{"href": "https://api-m.paypal.com/v1/payments/referenced-payouts-items/JH5ZW6N6XFA3Q", "rel": "self", "method": "GET"}]
    })
}

#[tokio::test]
async fn release_processed() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "release-1")
                .header_missing("prefer")
                .json_body(json!({"reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID"}));
            then.status(201).json_body(item("SUCCESS"));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .idempotency_key(paypal_partner::IdempotencyKey::new("release-1").unwrap())
        .send()
        .await
        .unwrap();
    release.assert_async().await;
    let ReleaseOutcome::Processed(item) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        item.processing_state.unwrap().status,
        Some(ItemStatus::Success)
    );
    assert_eq!(
        item.payout_amount,
        Some(Money::parse("USD", "91.02").unwrap())
    );
}

#[tokio::test]
async fn release_async_is_queued() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items")
                .header("prefer", "respond-async")
                .header_exists("paypal-request-id");
            then.status(202).json_body(item("PENDING"));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .respond_async()
        .send()
        .await
        .unwrap();
    release.assert_async().await;
    assert!(matches!(outcome, ReleaseOutcome::Queued(_)), "{outcome:?}");
}

#[tokio::test]
async fn a_409_is_in_progress_not_a_failure() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/payments/referenced-payouts-items");
            then.status(409).header("paypal-debug-id", "d409").json_body(json!({
                "name": "RESOURCE_CONFLICT", "message": "A previous call for the given resource is ongoing", "debug_id": "d409"
            }));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .send()
        .await
        .unwrap();
    // Not retried: a conflict is an answer.
    release.assert_calls_async(1).await;
    let ReleaseOutcome::InProgress(api) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(api.request_id.as_deref(), Some("d409"));
    assert_eq!(api.code.as_deref(), Some("RESOURCE_CONFLICT"));
}

#[tokio::test]
async fn other_errors_stay_errors_and_bad_ids_are_refused() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let err = client
        .referenced_payouts()
        .release("not/valid")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items");
            then.status(422)
                .json_body(json!({"name": "UNPROCESSABLE_ENTITY", "debug_id": "d"}));
        })
        .await;
    let err = client
        .referenced_payouts()
        .release("CAP1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn get_item() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/referenced-payouts-items/JH5ZW6N6XFA3Q")
                .header("authorization", bearer());
            then.status(200).json_body(item("PROCESSING"));
        })
        .await;
    let item = client(&server)
        .referenced_payouts()
        .get_item("JH5ZW6N6XFA3Q")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(
        item.processing_state.unwrap().status,
        Some(ItemStatus::Processing)
    );
}
