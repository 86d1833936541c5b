//! Authorized payments: `GET /v2/payments/authorizations/{id}`, and its `capture`, `reauthorize` and
//! `void` POSTs, on the wire (method, path, headers, body) and in their answers.
mod common;

use std::sync::{Arc, Mutex};

use common::*;
use httpmock::prelude::*;
use paypal_partner::authorizations::{
    AuthorizationStatus, AuthorizationStatusReason, CaptureRequest, ReauthorizeRequest,
    SellerProtectionStatus,
};
use paypal_partner::headers::Prefer;
use paypal_partner::orders::{CaptureStatus, DisbursementMode};
use paypal_partner::{Error, ErrorDetails, IdempotencyKey, Money};
use serde_json::json;

const SELLER: &str = "SELLERMERCHANT9";
const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

fn authorization_json(id: &str, status: &str) -> serde_json::Value {
    json!({
        "id": id,
        "status": status,
        "amount": {"currency_code": "USD", "value": "100.00"},
        "invoice_id": "INV-77",
        "seller_protection": {"status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"]},
        "supplementary_data": {"related_ids": {"order_id": "5O190127TN364715T"}},
        "payee": {"merchant_id": SELLER, "email_address": "seller@example.com"},
        "expiration_time": "2026-12-31T00:00:00Z",
        "create_time": "2026-12-02T00:00:00Z",
        "update_time": "2026-12-02T00:00:00Z",
        "links": [
            {"href": "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046", "rel": "self", "method": "GET"},
            {"href": "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046/capture", "rel": "capture", "method": "POST"}
        ]
    })
}

#[tokio::test]
async fn get_an_authorization_for_a_seller() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/payments/authorizations/0VF52814937998046")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .is_true(|req| header(req, "paypal-request-id").is_none());
            then.status(200)
                .json_body(authorization_json("0VF52814937998046", "CREATED"));
        })
        .await;
    let authorization = client(&server)
        .authorizations()
        .get("0VF52814937998046")
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(authorization.id, "0VF52814937998046");
    assert_eq!(authorization.status, Some(AuthorizationStatus::Created));
    assert_eq!(
        authorization.amount,
        Some(Money::parse("USD", "100.00").unwrap())
    );
    assert_eq!(
        authorization.seller_protection.unwrap().status,
        Some(SellerProtectionStatus::Eligible)
    );
    let related = authorization
        .supplementary_data
        .unwrap()
        .related_ids
        .unwrap();
    assert_eq!(related.order_id.unwrap(), "5O190127TN364715T");
    assert_eq!(authorization.payee.unwrap().merchant_id.unwrap(), SELLER);
}

#[tokio::test]
async fn partial_capture_with_a_platform_fee_carries_every_header() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let capture = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/0VF52814937998046/capture")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "capture-auth-1")
                .header("prefer", "return=representation")
                .header("content-type", "application/json")
                .json_body(json!({
                    "amount": {"currency_code": "USD", "value": "60.00"},
                    "invoice_id": "INV-77-1",
                    "final_capture": false,
                    "payment_instruction": {
                        "platform_fees": [{"amount": {"currency_code": "USD", "value": "3.00"}}],
                        "disbursement_mode": "DELAYED"
                    },
                    "note_to_payer": "First parcel",
                    "soft_descriptor": "PLATFORM*SELLER"
                }));
            then.status(201).json_body(json!({
                "id": "2GG279541U471931P",
                "status": "COMPLETED",
                "amount": {"currency_code": "USD", "value": "60.00"},
                "final_capture": false,
                "disbursement_mode": "DELAYED",
                "seller_receivable_breakdown": {
                    "gross_amount": {"currency_code": "USD", "value": "60.00"},
                    "paypal_fee": {"currency_code": "USD", "value": "2.04"},
                    "platform_fees": [{"amount": {"currency_code": "USD", "value": "3.00"}, "payee": {"merchant_id": PARTNER_ID}}],
                    "net_amount": {"currency_code": "USD", "value": "54.96"}
                },
                "supplementary_data": {"related_ids": {"order_id": "5O190127TN364715T", "authorization_id": "0VF52814937998046"}},
                "links": [{"href": "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046", "rel": "up", "method": "GET"}]
            }));
        })
        .await;
    let request = CaptureRequest::amount(Money::parse("USD", "60.00").unwrap())
        .final_capture(false)
        .platform_fee(Money::parse("USD", "3.00").unwrap())
        .disbursement_mode(DisbursementMode::Delayed)
        .invoice_id("INV-77-1")
        .note_to_payer("First parcel")
        .soft_descriptor("PLATFORM*SELLER")
        .build()
        .unwrap();
    let captured = client(&server)
        .authorizations()
        .capture("0VF52814937998046", &request)
        .on_behalf_of(SELLER)
        .idempotency_key(IdempotencyKey::new("capture-auth-1").unwrap())
        .prefer(Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap();
    capture.assert_async().await;
    assert_eq!(captured.id, "2GG279541U471931P");
    assert_eq!(captured.status, Some(CaptureStatus::Completed));
    assert_eq!(captured.final_capture, Some(false));
    let breakdown = captured.seller_receivable_breakdown.unwrap();
    assert_eq!(
        breakdown.platform_fees[0].amount,
        Money::parse("USD", "3.00").unwrap()
    );
}

#[tokio::test]
async fn a_final_capture_of_everything_left_and_its_retry_reuse_the_key() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let keys = Arc::new(Mutex::new(Vec::new()));
    let seen = keys.clone();
    let failing = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/AUTH1/capture")
                .json_body(json!({"final_capture": true}))
                .is_true(move |req| {
                    seen.lock()
                        .unwrap()
                        .push(header(req, "paypal-request-id").map(str::to_owned));
                    true
                });
            then.status(503)
                .json_body(json!({"name": "SERVICE_UNAVAILABLE"}));
        })
        .await;
    let err = client(&server)
        .authorizations()
        .capture("AUTH1", &CaptureRequest::full())
        .send()
        .await
        .unwrap_err();
    assert!(failing.calls_async().await >= 2, "a keyed POST is retried");
    let keys = keys.lock().unwrap().clone();
    let first = keys[0].clone().expect("a PayPal-Request-Id is generated");
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "{keys:?}"
    );
    assert_eq!(
        err.idempotency_key().map(|k| k.as_str().to_owned()),
        Some(first)
    );
}

#[tokio::test]
async fn a_capture_paypal_refuses_is_an_api_error_with_its_issue() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/AUTH1/capture");
            then.status(422).json_body(json!({
                "name": "UNPROCESSABLE_ENTITY",
                "message": "The requested action could not be performed, semantically incorrect, or failed business validation.",
                "debug_id": "90957fca61718",
                "details": [{"issue": "AUTHORIZATION_ALREADY_CAPTURED",
                    "description": "Authorization has been previously captured and hence cannot be captured again."}],
                "links": [{"href": "https://developer.paypal.com/docs/api/payments/v2/#error-AUTHORIZATION_ALREADY_CAPTURED",
                    "rel": "information_link", "method": "GET"}]
            }));
        })
        .await;
    let err = client(&server)
        .authorizations()
        .capture("AUTH1", &CaptureRequest::full())
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(err.request_id(), Some("90957fca61718"));
    let details = err.provider_details::<ErrorDetails>().unwrap();
    assert_eq!(details.name.as_deref(), Some("UNPROCESSABLE_ENTITY"));
    assert_eq!(
        details.first_issue(),
        Some("AUTHORIZATION_ALREADY_CAPTURED")
    );
    // A refusal is final: a 422 is not retried, and PayPal did not apply it.
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn void_without_a_body_answers_none_and_with_representation_the_authorization() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let minimal = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/AUTH1/void")
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "void-1")
                .body("");
            then.status(204);
        })
        .await;
    let voided = client(&server)
        .authorizations()
        .void("AUTH1")
        .on_behalf_of(SELLER)
        .idempotency_key(IdempotencyKey::new("void-1").unwrap())
        .send()
        .await
        .unwrap();
    minimal.assert_async().await;
    assert_eq!(voided, None);

    let full = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/AUTH2/void")
                .header("prefer", "return=representation")
                .header_exists("paypal-request-id");
            then.status(200)
                .json_body(authorization_json("AUTH2", "VOIDED"));
        })
        .await;
    let voided = client(&server)
        .authorizations()
        .void("AUTH2")
        .prefer(Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap()
        .expect("the voided authorization");
    full.assert_async().await;
    assert_eq!(voided.status, Some(AuthorizationStatus::Voided));
}

#[tokio::test]
async fn a_void_of_a_captured_authorization_is_refused_with_its_issue() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/payments/authorizations/AUTH1/void");
            then.status(422).json_body(json!({
                "name": "UNPROCESSABLE_ENTITY",
                "debug_id": "b1c2d3",
                "details": [{"issue": "PREVIOUSLY_CAPTURED",
                    "description": "Authorization has been previously captured and hence cannot be voided."}]
            }));
        })
        .await;
    let err = client(&server)
        .authorizations()
        .void("AUTH1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let details = err.provider_details::<ErrorDetails>().unwrap();
    assert_eq!(details.first_issue(), Some("PREVIOUSLY_CAPTURED"));
}

#[tokio::test]
async fn reauthorize_sends_the_amount_and_reads_the_new_authorization() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let reauthorize = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/authorizations/AUTH1/reauthorize")
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-request-id", "reauth-1")
                .header("prefer", "return=minimal")
                .json_body(json!({"amount": {"currency_code": "USD", "value": "10.99"}}));
            then.status(201).json_body(json!({
                "id": "8AA831015G517922L", "status": "PENDING",
                "status_details": {"reason": "PENDING_REVIEW"},
                "links": [{"href": "https://api-m.paypal.com/v2/payments/authorizations/8AA831015G517922L", "rel": "self", "method": "GET"}]
            }));
        })
        .await;
    let request = ReauthorizeRequest::amount(Money::parse("USD", "10.99").unwrap())
        .build()
        .unwrap();
    let renewed = client(&server)
        .authorizations()
        .reauthorize("AUTH1", &request)
        .on_behalf_of(SELLER)
        .idempotency_key(IdempotencyKey::new("reauth-1").unwrap())
        .prefer(Prefer::ReturnMinimal)
        .send()
        .await
        .unwrap();
    reauthorize.assert_async().await;
    assert_eq!(renewed.id, "8AA831015G517922L");
    assert_eq!(renewed.status, Some(AuthorizationStatus::Pending));
    assert_eq!(
        renewed.status_details.unwrap().reason,
        Some(AuthorizationStatusReason::PendingReview)
    );
}

#[tokio::test]
async fn bad_captures_and_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let fee_too_big = CaptureRequest::amount(Money::parse("USD", "1.00").unwrap())
        .platform_fee(Money::parse("USD", "2.00").unwrap());
    let fee_other_currency = CaptureRequest::amount(Money::parse("USD", "10.00").unwrap())
        .platform_fee(Money::parse("EUR", "1.00").unwrap());
    let too_precise = CaptureRequest::amount(Money::parse("JPY", "10.5").unwrap());
    let long_descriptor = CaptureRequest::full().soft_descriptor("x".repeat(23));
    let empty_invoice = CaptureRequest::full().invoice_id("");
    for (request, field) in [
        (&fee_too_big, "payment_instruction.platform_fees[0].amount"),
        (
            &fee_other_currency,
            "payment_instruction.platform_fees[0].amount",
        ),
        (&too_precise, "amount.value"),
        (&long_descriptor, "soft_descriptor"),
        (&empty_invoice, "invoice_id"),
    ] {
        let err = client
            .authorizations()
            .capture("AUTH1", request)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(input) if input.field == field),
            "{field}: {err:?}"
        );
        assert!(request.clone().build().is_err());
    }
    let negative = ReauthorizeRequest::amount(Money::parse("USD", "-1.00").unwrap());
    assert!(negative.clone().build().is_err());
    let err = client
        .authorizations()
        .reauthorize("AUTH1", &negative)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    for bad_id in ["", "AUTH 1", "a\nb"] {
        let err = client
            .authorizations()
            .void(bad_id)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(input) if input.field == "authorization_id"),
            "{err:?}"
        );
        let err = client
            .authorizations()
            .get(bad_id)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn ids_are_one_encoded_segment() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/payments/authorizations/a%2F..%2Fb");
            then.status(200).json_body(json!({"id": "x"}));
        })
        .await;
    client(&server)
        .authorizations()
        .get("a/../b")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
}

#[test]
fn unknown_statuses_are_kept() {
    let authorization: paypal_partner::authorizations::Authorization =
        serde_json::from_value(json!({"id": "A", "status": "ON_HOLD", "new_field": 1})).unwrap();
    assert_eq!(
        authorization.status,
        Some(AuthorizationStatus::Unknown("ON_HOLD".into()))
    );
}
