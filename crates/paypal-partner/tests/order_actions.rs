//! Orders v2 beyond create/get/capture: `PATCH /v2/checkout/orders/{id}`, `.../authorize` and
//! `.../confirm-payment-source`, on the wire and in their answers.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::authorizations::AuthorizationStatus;
use paypal_partner::headers::Prefer;
use paypal_partner::orders::{
    ConfirmPaymentSourceRequest, DisbursementMode, Intent, OrderPatch, OrderStatus, Patch,
    ProcessingInstruction,
};
use paypal_partner::{Error, IdempotencyKey, Money};
use serde_json::json;

const SELLER: &str = "SELLERMERCHANT9";
const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

fn unit(attribute: &str) -> String {
    format!("/purchase_units/@reference_id=='cart-1'/{attribute}")
}

#[tokio::test]
async fn update_sends_the_json_patch_and_takes_204() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/checkout/orders/5O190127TN364715T")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("content-type", "application/json")
                .is_true(|req| header(req, "paypal-request-id").is_none())
                .json_body(json!([
                    {"op": "replace", "path": unit("amount"), "value": {"currency_code": "USD", "value": "120.00"}},
                    {"op": "add", "path": unit("payment_instruction/platform_fees"),
                        "value": [{"amount": {"currency_code": "USD", "value": "6.00"}}]},
                    {"op": "add", "path": unit("description"), "value": "Three books"},
                    {"op": "add", "path": unit("custom_id"), "value": "order-78"},
                    {"op": "remove", "path": unit("invoice_id")},
                    {"op": "replace", "path": unit("payment_instruction/disbursement_mode"), "value": "INSTANT"},
                    {"op": "replace", "path": "/intent", "value": "AUTHORIZE"}
                ]));
            then.status(204);
        })
        .await;
    let update = OrderPatch::new()
        .replace_amount("cart-1", Money::parse("USD", "120.00").unwrap())
        .set_platform_fees("cart-1", [Money::parse("USD", "6.00").unwrap()])
        .set_description("cart-1", "Three books")
        .set_custom_id("cart-1", "order-78")
        .remove_invoice_id("cart-1")
        .replace_disbursement_mode("cart-1", DisbursementMode::Instant)
        .operation(Patch::replace("/intent", json!("AUTHORIZE")))
        .build()
        .unwrap();
    client(&server)
        .orders()
        .update("5O190127TN364715T", &update)
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    patch.assert_async().await;
}

/// PayPal refuses `add` of an attribute the unit has ("use replace"): the `replace_*` setters send
/// `replace` for the fees and ids an order already carries.
#[tokio::test]
async fn replace_setters_send_replace_for_attributes_the_unit_has() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/checkout/orders/5O190127TN364715T")
                .json_body(json!([
                    {"op": "replace", "path": unit("payment_instruction/platform_fees"),
                        "value": [{"amount": {"currency_code": "USD", "value": "7.00"}}]},
                    {"op": "replace", "path": unit("description"), "value": "Four books"},
                    {"op": "replace", "path": unit("custom_id"), "value": "order-79"},
                    {"op": "replace", "path": unit("invoice_id"), "value": "INV-79"}
                ]));
            then.status(204);
        })
        .await;
    let update = OrderPatch::new()
        .replace_platform_fees("cart-1", [Money::parse("USD", "7.00").unwrap()])
        .replace_description("cart-1", "Four books")
        .replace_custom_id("cart-1", "order-79")
        .replace_invoice_id("cart-1", "INV-79")
        .build()
        .unwrap();
    client(&server)
        .orders()
        .update("5O190127TN364715T", &update)
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    patch.assert_async().await;
    // The same checks as the `set_*` setters: a second fee and an over-long description are refused.
    for bad in [
        OrderPatch::new().replace_platform_fees(
            "cart-1",
            [
                Money::parse("USD", "1.00").unwrap(),
                Money::parse("USD", "2.00").unwrap(),
            ],
        ),
        OrderPatch::new().replace_description("cart-1", "d".repeat(128)),
    ] {
        assert!(matches!(bad.build(), Err(Error::InvalidInput(_))));
    }
}

#[tokio::test]
async fn an_update_after_capture_is_refused_with_paypals_issue() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH).path("/v2/checkout/orders/ORDER1");
            then.status(422).json_body(json!({
                "name": "UNPROCESSABLE_ENTITY", "debug_id": "d1",
                "details": [{"issue": "NOT_PATCHABLE", "description": "Cannot patch an order once it is completed."}]
            }));
        })
        .await;
    let update = OrderPatch::new()
        .set_invoice_id("cart-1", "INV-1")
        .build()
        .unwrap();
    let err = client(&server)
        .orders()
        .update("ORDER1", &update)
        .send()
        .await
        .unwrap_err();
    // A refused PATCH is not retried.
    patch.assert_calls_async(1).await;
    let details = err
        .provider_details::<paypal_partner::ErrorDetails>()
        .unwrap();
    assert_eq!(details.first_issue(), Some("NOT_PATCHABLE"));
}

#[tokio::test]
async fn bad_updates_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let cases: Vec<(OrderPatch, &str)> = vec![
        (OrderPatch::new(), "operations"),
        (
            OrderPatch::new().replace_amount("cart-1", Money::parse("USD", "1.005").unwrap()),
            "operations[0].value.value",
        ),
        (
            OrderPatch::new().set_platform_fees("cart-1", [Money::parse("usd", "1").unwrap()]),
            "operations[0].value[0].amount.currency_code",
        ),
        (
            OrderPatch::new().set_description("cart-1", "d".repeat(128)),
            "operations[0].value",
        ),
        (
            OrderPatch::new().set_invoice_id("cart-1", ""),
            "operations[0].value",
        ),
        (
            OrderPatch::new().set_custom_id("it's", "x"),
            "operations[0].path",
        ),
        (
            OrderPatch::new().operation(Patch::remove(unit("amount"))),
            "operations[0].op",
        ),
        (
            OrderPatch::new().operation(Patch::replace(unit("status"), json!("VOIDED"))),
            "operations[0].path",
        ),
        (
            OrderPatch::new().operation(Patch::replace("/id", json!("X"))),
            "operations[0].path",
        ),
        (
            OrderPatch::new().operation(Patch::replace("/intent", json!("SALE"))),
            "operations[0].value",
        ),
        (
            OrderPatch::new().operation(Patch::replace(unit("custom_id"), json!(null))),
            "operations[0].value",
        ),
        (
            OrderPatch::new().set_invoice_id("cart-1", "INV").operation(
                serde_json::from_value(json!({"op": "move", "path": unit("custom_id")})).unwrap(),
            ),
            "operations[1].op",
        ),
    ];
    for (patch, field) in cases {
        let built = patch.clone().build();
        assert!(
            matches!(&built, Err(Error::InvalidInput(input)) if input.field == field),
            "{field}: {built:?}"
        );
        let err = client
            .orders()
            .update("ORDER1", &patch)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    let fine = OrderPatch::new()
        .set_invoice_id("cart-1", "INV")
        .build()
        .unwrap();
    let err = client.orders().update("", &fine).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "order_id"));
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn authorize_is_keyed_and_reads_the_authorization() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let authorize = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/5O190127TN364715T/authorize")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "authorize-1")
                .header("prefer", "return=representation")
                .header("paypal-client-metadata-id", "risk-1")
                .json_body(json!({}));
            then.status(201).json_body(json!({
                "id": "5O190127TN364715T",
                "status": "COMPLETED",
                "intent": "AUTHORIZE",
                "purchase_units": [{
                    "reference_id": "cart-1",
                    "payments": {"authorizations": [{
                        "id": "0VF52814937998046", "status": "CREATED",
                        "amount": {"currency_code": "USD", "value": "100.00"},
                        "expiration_time": "2026-12-31T00:00:00Z",
                        "links": [{"href": "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046/capture", "rel": "capture", "method": "POST"}]
                    }]}
                }],
                "links": [{"href": "https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T", "rel": "self", "method": "GET"}]
            }));
        })
        .await;
    let order = client(&server)
        .orders()
        .authorize("5O190127TN364715T")
        .on_behalf_of(SELLER)
        .idempotency_key(IdempotencyKey::new("authorize-1").unwrap())
        .prefer(Prefer::ReturnRepresentation)
        .client_metadata_id("risk-1")
        .send()
        .await
        .unwrap();
    authorize.assert_async().await;
    assert_eq!(order.status, Some(OrderStatus::Completed));
    assert_eq!(order.intent, Some(Intent::Authorize));
    let authorization = order.authorizations().next().unwrap();
    assert_eq!(authorization.id, "0VF52814937998046");
    assert_eq!(authorization.status, Some(AuthorizationStatus::Created));
}

#[tokio::test]
async fn authorize_with_a_payment_source_sends_it() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let authorize = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/ORDER1/authorize")
                .header_exists("paypal-request-id")
                .json_body(json!({"payment_source": {"token": {"id": "VAULT1", "type": "BILLING_AGREEMENT"}}}));
            then.status(201).json_body(json!({"id": "ORDER1", "status": "COMPLETED"}));
        })
        .await;
    client(&server)
        .orders()
        .authorize("ORDER1")
        .payment_source(json!({"token": {"id": "VAULT1", "type": "BILLING_AGREEMENT"}}))
        .send()
        .await
        .unwrap();
    authorize.assert_async().await;
    let err = client(&server)
        .orders()
        .authorize("ORDER1")
        .payment_source(json!("card"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "payment_source"));
}

#[tokio::test]
async fn confirm_payment_source_is_sent_without_a_request_id_and_not_retried() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let source = json!({"paypal": {"experience_context": {
        "return_url": "https://example.com/returnUrl", "cancel_url": "https://example.com/cancelUrl"}}});
    let expected =
        json!({"payment_source": source.clone(), "processing_instruction": "NO_INSTRUCTION"});
    let confirm = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/ORDER1/confirm-payment-source")
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("prefer", "return=representation")
                .header("paypal-client-metadata-id", "risk-1")
                .is_true(|req| header(req, "paypal-request-id").is_none())
                .json_body(expected);
            then.status(200).json_body(json!({
                "id": "ORDER1", "status": "PAYER_ACTION_REQUIRED",
                "payment_source": {"paypal": {}},
                "links": [{"href": "https://www.paypal.com/checkoutnow?token=ORDER1", "rel": "payer-action", "method": "GET"}]
            }));
        })
        .await;
    let request = ConfirmPaymentSourceRequest::new(source)
        .processing_instruction(ProcessingInstruction::NoInstruction)
        .build()
        .unwrap();
    let order = client(&server)
        .orders()
        .confirm_payment_source("ORDER1", &request)
        .on_behalf_of(SELLER)
        .prefer(Prefer::ReturnRepresentation)
        .client_metadata_id("risk-1")
        .send()
        .await
        .unwrap();
    confirm.assert_async().await;
    assert_eq!(order.status, Some(OrderStatus::PayerActionRequired));
    assert_eq!(
        order.approve_url(),
        Some("https://www.paypal.com/checkoutnow?token=ORDER1")
    );

    // Without a key, a 503 after sending is not retried: the confirmation may have been applied.
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/ORDER2/confirm-payment-source");
            then.status(503)
                .json_body(json!({"name": "SERVICE_UNAVAILABLE"}));
        })
        .await;
    let err = client(&server)
        .orders()
        .confirm_payment_source("ORDER2", &request)
        .send()
        .await
        .unwrap_err();
    failing.assert_calls_async(1).await;
    assert!(err.may_have_been_applied(), "{err:?}");
}

#[test]
fn a_confirmation_names_one_payment_source() {
    for bad in [
        json!({}),
        json!("paypal"),
        json!({"paypal": {}, "card": {}}),
    ] {
        let err = ConfirmPaymentSourceRequest::new(bad).build().unwrap_err();
        assert!(matches!(&err, Error::InvalidInput(input) if input.field == "payment_source"));
    }
    assert!(
        ConfirmPaymentSourceRequest::new(json!({"card": {}}))
            .build()
            .is_ok()
    );
}
