//! Orders v2 on behalf of a seller: payee, platform fees, disbursement, headers, retries.
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use httpmock::prelude::*;
use paypal_partner::headers::Prefer;
use paypal_partner::orders::{
    CaptureStatus, DisbursementMode, OrderRequest, OrderStatus, PurchaseUnitRequest,
};
use paypal_partner::{Error, Money};
use serde_json::json;

const SELLER: &str = "SELLERMERCHANT9";
const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

fn order() -> OrderRequest {
    OrderRequest::capture(
        PurchaseUnitRequest::new(Money::parse("USD", "100.00").unwrap())
            .reference_id("cart-1")
            .payee_merchant_id(SELLER)
            .platform_fee(Money::parse("USD", "5.00").unwrap())
            .disbursement_mode(DisbursementMode::Delayed)
            .custom_id("order-77"),
    )
}

fn order_json() -> serde_json::Value {
    json!({
        "intent": "CAPTURE",
        "purchase_units": [{
            "reference_id": "cart-1",
            "amount": {"currency_code": "USD", "value": "100.00"},
            "payee": {"merchant_id": SELLER},
            "payment_instruction": {
                "platform_fees": [{"amount": {"currency_code": "USD", "value": "5.00"}}],
                "disbursement_mode": "DELAYED"
            },
            "custom_id": "order-77"
        }]
    })
}

#[test]
fn assertion_constant_is_what_the_client_builds() {
    let client = paypal_partner::Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .build()
        .unwrap();
    assert_eq!(client.auth_assertion_for(SELLER), ASSERTION);
}

#[tokio::test]
async fn create_on_behalf_of_a_seller_with_every_header() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "order-77-create")
                .header("prefer", "return=representation")
                .header("paypal-client-metadata-id", "risk-session-1")
                .header("paypal-mock-response", r#"{"mock_application_codes":"NONE"}"#)
                .json_body(order_json());
            then.status(201).header("paypal-debug-id", "dbg1").json_body(json!({
                "id": "5O190127TN364715T",
                "status": "PAYER_ACTION_REQUIRED",
                "intent": "CAPTURE",
                "purchase_units": [{"reference_id": "cart-1", "amount": {"currency_code": "USD", "value": "100.00"},
                    "payee": {"merchant_id": SELLER, "email_address": "seller@example.com"},
                    "payment_instruction": {"platform_fees": [{"amount": {"currency_code": "USD", "value": "5.00"}, "payee": {"merchant_id": PARTNER_ID}}], "disbursement_mode": "DELAYED"}}],
                "links": [
                    {"href": "https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T", "rel": "self", "method": "GET"},
                    {"href": "https://www.paypal.com/checkoutnow?token=5O190127TN364715T", "rel": "payer-action", "method": "GET"}
                ]
            }));
        })
        .await;
    let order = order();
    let created = client(&server)
        .orders()
        .create(&order)
        .on_behalf_of(SELLER)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-77-create").unwrap())
        .prefer(Prefer::ReturnRepresentation)
        .client_metadata_id("risk-session-1")
        .mock_response(r#"{"mock_application_codes":"NONE"}"#)
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    assert_eq!(created.id, "5O190127TN364715T");
    assert_eq!(created.status, Some(OrderStatus::PayerActionRequired));
    assert_eq!(
        created.approve_url(),
        Some("https://www.paypal.com/checkoutnow?token=5O190127TN364715T")
    );
    let fee = &created.purchase_units[0]
        .payment_instruction
        .as_ref()
        .unwrap()
        .platform_fees[0];
    assert_eq!(fee.amount, Money::parse("USD", "5.00").unwrap());
}

#[tokio::test]
async fn a_503_is_retried_with_the_same_request_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = |seen: Arc<Mutex<Vec<String>>>| {
        move |req: &httpmock::HttpMockRequest| {
            if req.uri().path() == "/v2/checkout/orders"
                && let Some(id) = header(req, "paypal-request-id")
            {
                seen.lock().unwrap().push(id.to_owned());
            }
            true
        }
    };
    let unavailable = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders")
                .header_exists("paypal-request-id")
                .is_true(record(seen.clone()));
            then.status(503)
                .header("retry-after", "1")
                .json_body(json!({"name": "SERVICE_UNAVAILABLE", "debug_id": "d503"}));
        })
        .await;
    let client = client(&server);
    let task = tokio::spawn(async move {
        let order = order();
        client
            .orders()
            .create(&order)
            .on_behalf_of(SELLER)
            .send()
            .await
    });
    for _ in 0..200 {
        if unavailable.calls_async().await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    unavailable.assert_calls_async(1).await;
    unavailable.delete_async().await;
    let created = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders")
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .is_true(record(seen.clone()))
                .json_body(order_json());
            then.status(201)
                .json_body(json!({"id": "ORDER1", "status": "CREATED", "links": []}));
        })
        .await;
    let order = task.await.unwrap().unwrap();
    created.assert_async().await;
    assert_eq!(order.id, "ORDER1");
    let mut ids = seen.lock().unwrap().clone();
    ids.dedup();
    assert_eq!(
        ids.len(),
        1,
        "one PayPal-Request-Id across attempts: {ids:?}"
    );
    assert_eq!(ids[0].len(), 36, "a generated UUID: {ids:?}");
}

#[tokio::test]
async fn capture_posts_are_keyed_and_retried_with_the_same_id() {
    // Every POST is keyed, so a 500 on capture is retried too (and the same id sent again).
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/ORDER1/capture")
                .header("paypal-request-id", "cap-1");
            then.status(500)
                .json_body(json!({"name": "INTERNAL_SERVER_ERROR", "debug_id": "d500"}));
        })
        .await;
    let err = client(&server)
        .orders()
        .capture("ORDER1")
        .idempotency_key(paypal_partner::IdempotencyKey::new("cap-1").unwrap())
        .send()
        .await
        .unwrap_err();
    failing.assert_calls_async(4).await;
    assert_eq!(err.request_id(), Some("d500"));
}

#[tokio::test]
async fn get_and_capture() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/checkout/orders/ORDER1")
                .header("paypal-auth-assertion", ASSERTION)
                .header_missing("paypal-request-id");
            then.status(200).json_body(json!({"id": "ORDER1", "status": "APPROVED", "intent": "CAPTURE", "links": [
                {"href": "https://www.paypal.com/checkoutnow?token=ORDER1", "rel": "approve", "method": "GET"}]}));
        })
        .await;
    let capture = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/ORDER1/capture")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header_exists("paypal-request-id")
                .header("content-type", "application/json")
                .body("{}");
            then.status(201).header("paypal-debug-id", "dbg").json_body(json!({
                "id": "ORDER1", "status": "COMPLETED",
                "purchase_units": [{"reference_id": "cart-1", "payments": {"captures": [{
                    "id": "3C679366HH908993F", "status": "COMPLETED",
                    "amount": {"currency_code": "USD", "value": "100.00"},
                    "final_capture": true, "disbursement_mode": "DELAYED",
                    "seller_receivable_breakdown": {
                        "gross_amount": {"currency_code": "USD", "value": "100.00"},
                        "paypal_fee": {"currency_code": "USD", "value": "3.98"},
                        "platform_fees": [{"amount": {"currency_code": "USD", "value": "5.00"}, "payee": {"merchant_id": PARTNER_ID}}],
                        "net_amount": {"currency_code": "USD", "value": "91.02"}
                    },
                    "create_time": "2024-01-01T00:00:00Z"
                }]}}],
                "links": []
            }));
        })
        .await;
    let client = client(&server);
    let order = client
        .orders()
        .get("ORDER1")
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(
        order.approve_url(),
        Some("https://www.paypal.com/checkoutnow?token=ORDER1")
    );
    let captured = client
        .orders()
        .capture("ORDER1")
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    capture.assert_async().await;
    let cap = captured.captures().next().unwrap();
    assert_eq!(cap.status, Some(CaptureStatus::Completed));
    assert_eq!(cap.disbursement_mode, Some(DisbursementMode::Delayed));
    let breakdown = cap.seller_receivable_breakdown.as_ref().unwrap();
    assert_eq!(
        breakdown.net_amount,
        Some(Money::parse("USD", "91.02").unwrap())
    );
}

#[tokio::test]
async fn bad_orders_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let cases = [
        OrderRequest::capture(PurchaseUnitRequest::new(
            Money::parse("USD", "10.001").unwrap(),
        )),
        OrderRequest::capture(
            PurchaseUnitRequest::new(Money::parse("USD", "10.00").unwrap())
                .platform_fee(Money::parse("EUR", "1.00").unwrap()),
        ),
        OrderRequest::capture(
            PurchaseUnitRequest::new(Money::parse("USD", "10.00").unwrap())
                .platform_fee(Money::parse("USD", "11.00").unwrap()),
        ),
        OrderRequest::capture(PurchaseUnitRequest::new(Money::parse("USD", "1").unwrap()))
            .purchase_unit(PurchaseUnitRequest::new(Money::parse("USD", "1").unwrap())),
    ];
    for order in &cases {
        let err = client.orders().create(order).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    let err = client
        .orders()
        .create(&order())
        .on_behalf_of("")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client.orders().get("a b").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client
        .orders()
        .create(&order())
        .client_metadata_id("x".repeat(37))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_not_found_order_carries_paypal_error_details() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/checkout/orders/NOPE");
            then.status(404).json_body(json!({
                "name": "RESOURCE_NOT_FOUND",
                "message": "The specified resource does not exist.",
                "debug_id": "f1b2c3d4e5",
                "details": [{"field": "order_id", "value": "NOPE", "location": "path",
                    "issue": "INVALID_RESOURCE_ID", "description": "Specified resource ID does not exist."}],
                "links": [{"href": "https://developer.paypal.com/docs/api/orders/v2/#error-INVALID_RESOURCE_ID",
                    "rel": "information_link", "method": "GET"}],
                "a_field_paypal_adds_later": true
            }));
        })
        .await;
    let err = client(&server)
        .orders()
        .get("NOPE")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    // The debug id is the request id, and only that.
    assert_eq!(err.request_id(), Some("f1b2c3d4e5"));
    let details = err
        .provider_details::<paypal_partner::ErrorDetails>()
        .expect("PayPal's error document");
    assert_eq!(details.name.as_deref(), Some("RESOURCE_NOT_FOUND"));
    assert_eq!(
        details.known_error(),
        Some(paypal_partner::KnownPayPalError::ResourceNotFound)
    );
    assert_eq!(details.debug_id.as_deref(), Some("f1b2c3d4e5"));
    assert_eq!(details.first_issue(), Some("INVALID_RESOURCE_ID"));
    assert_eq!(details.details[0].field.as_deref(), Some("order_id"));
    assert_eq!(details.links[0].rel.as_deref(), Some("information_link"));
}

#[tokio::test]
async fn a_per_call_timeout_applies_to_that_call_only() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/checkout/orders/SLOW");
            then.status(200)
                .delay(Duration::from_millis(600))
                .json_body(json!({"id": "SLOW", "status": "CREATED"}));
        })
        .await;
    let client = client(&server);
    let err = client
        .orders()
        .get("SLOW")
        .timeout(Duration::from_millis(100))
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let order = client.orders().get("SLOW").send().await.unwrap();
    assert_eq!(order.id, "SLOW");
}

#[tokio::test]
async fn a_raw_request_cannot_leave_the_base() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server);
    let err = client
        .raw_request(paypal_partner::http::Method::GET, "v1/../../admin")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_raw_request_is_authorised_and_attributed() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let disputes = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/customer/disputes")
                .query_param("page_size", "10")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE);
            then.status(200).json_body(json!({"items": []}));
        })
        .await;
    let page: serde_json::Value = client(&server)
        .raw_request(paypal_partner::http::Method::GET, "v1/customer/disputes")
        .query(&[("page_size", "10")])
        .send_json()
        .await
        .unwrap();
    assert_eq!(page["items"], json!([]));
    disputes.assert_async().await;
}

#[test]
fn unknown_fields_are_ignored_and_unknown_values_kept() {
    let order: paypal_partner::orders::Order = serde_json::from_value(json!({
        "id": "O1",
        "status": "A_STATUS_PAYPAL_ADDS_LATER",
        "a_field_paypal_adds_later": {"nested": true},
        "purchase_units": [{"reference_id": "r", "another_new_field": 1,
            "payments": {"captures": [{"id": "C1", "new_capture_field": "x"}]}}]
    }))
    .unwrap();
    assert_eq!(order.id, "O1");
    assert_eq!(
        order.status,
        Some(OrderStatus::Unknown("A_STATUS_PAYPAL_ADDS_LATER".into()))
    );
    assert_eq!(order.captures().next().unwrap().id, "C1");
    // Ignored fields are not carried: what goes back out is only what the crate models.
    let out = serde_json::to_value(&order).unwrap();
    assert!(out.get("a_field_paypal_adds_later").is_none(), "{out}");
    assert_eq!(out["status"], "A_STATUS_PAYPAL_ADDS_LATER");
}
