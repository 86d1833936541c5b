//! The PayPal simulator's payments after the order: authorize, then capture (partial, final, with
//! platform fees), void or reauthorize on the sandbox clock; order updates by JSON patch; confirming a
//! payment source; shipment trackers. Driven with plain reqwest.

mod common;

use std::time::Duration;

use common::paypal::{Api, issue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn authorize_then_capture_partially_then_finally_with_a_platform_fee() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("AUTHORIZE", "100.00", &seller).await;

    // A CAPTURE on an AUTHORIZE order is the wrong action; authorizing twice is refused.
    let (status, body) = api
        .post(
            &format!("/v2/checkout/orders/{order_id}/capture"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "ACTION_DOES_NOT_MATCH_INTENT");
    let auth_id = api.authorize(&order_id).await;
    let (status, body) = api
        .post(
            &format!("/v2/checkout/orders/{order_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "ORDER_ALREADY_AUTHORIZED");

    let auth_path = format!("/v2/payments/authorizations/{auth_id}");
    let (status, auth) = api.get(&auth_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(auth["status"], "CREATED");
    assert_eq!(auth["amount"]["value"], "100.00");
    assert_eq!(auth["invoice_id"], "INV-AUTHORIZE-100.00");
    assert_eq!(
        auth["supplementary_data"]["related_ids"]["order_id"],
        order_id
    );

    // A partial capture with its own platform fee, idempotent on PayPal-Request-Id.
    let capture_path = format!("{auth_path}/capture");
    let partial = json!({
        "amount": { "currency_code": "USD", "value": "30.00" },
        "payment_instruction": { "platform_fees": [{ "amount": { "currency_code": "USD", "value": "2.00" } }] }
    });
    let key = [("PayPal-Request-Id", "capture-part-1")];
    let (status, first) = api
        .send(Method::POST, &capture_path, &key, Some(partial.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "COMPLETED");
    assert_eq!(first["final_capture"], false);
    let breakdown = &first["seller_receivable_breakdown"];
    assert_eq!(breakdown["platform_fees"][0]["amount"]["value"], "2.00");
    // 30.00 - (30 * 3.49% + 0.49 = 1.54) - 2.00
    assert_eq!(breakdown["net_amount"]["value"], "26.46");
    assert_eq!(
        first["supplementary_data"]["related_ids"]["authorization_id"],
        auth_id
    );
    let (status, again) = api
        .send(Method::POST, &capture_path, &key, Some(partial))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], first["id"]);
    let (_, auth) = api.get(&auth_path).await;
    assert_eq!(auth["status"], "PARTIALLY_CAPTURED");

    // More than what is left is refused; the final capture takes the rest with the order's fee.
    let (status, body) = api
        .post(
            &capture_path,
            json!({ "amount": { "currency_code": "USD", "value": "70.01" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "MAX_CAPTURE_AMOUNT_EXCEEDED");
    let (status, body) = api
        .post(
            &capture_path,
            json!({ "amount": { "currency_code": "EUR", "value": "1.00" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTH_CAPTURE_CURRENCY_MISMATCH");
    let (status, last) = api
        .post(&capture_path, json!({ "final_capture": true }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{last}");
    assert_eq!(last["amount"]["value"], "70.00");
    assert_eq!(
        last["seller_receivable_breakdown"]["platform_fees"][0]["amount"]["value"],
        "5.00"
    );
    let (_, auth) = api.get(&auth_path).await;
    assert_eq!(auth["status"], "CAPTURED");

    // A captured authorization refuses a second capture and a void.
    let (status, body) = api.post(&capture_path, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["name"], "UNPROCESSABLE_ENTITY");
    assert_eq!(issue(&body), "AUTHORIZATION_ALREADY_CAPTURED");
    let (status, body) = api.post(&format!("{auth_path}/void"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "PREVIOUSLY_CAPTURED");

    // The order shows the authorization and both captures; a capture can be refunded.
    let (_, order) = api.get(&format!("/v2/checkout/orders/{order_id}")).await;
    let payments = &order["purchase_units"][0]["payments"];
    assert_eq!(payments["authorizations"][0]["status"], "CAPTURED");
    assert_eq!(payments["captures"].as_array().unwrap().len(), 2);
    let last_id = last["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &format!("/v2/payments/captures/{last_id}/refund"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api.get("/v2/payments/authorizations/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_voided_authorization_cannot_be_captured_or_voided_again() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("AUTHORIZE", "40.00", &seller).await;
    let auth_id = api.authorize(&order_id).await;
    let auth_path = format!("/v2/payments/authorizations/{auth_id}");

    let (status, body) = api
        .send(
            Method::POST,
            &format!("{auth_path}/void"),
            &[("Prefer", "return=representation")],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "VOIDED");
    let (status, body) = api.post(&format!("{auth_path}/void"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "PREVIOUSLY_VOIDED");
    let (status, body) = api.post(&format!("{auth_path}/capture"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTHORIZATION_VOIDED");
    let (status, body) = api
        .post(&format!("{auth_path}/reauthorize"), json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTHORIZATION_VOIDED");

    // Minimal void is a 204.
    let order_id = api.approved_order("AUTHORIZE", "41.00", &seller).await;
    let auth_id = api.authorize(&order_id).await;
    let (status, body) = api
        .post(
            &format!("/v2/payments/authorizations/{auth_id}/void"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
}

#[tokio::test]
async fn reauthorize_follows_the_honour_period_on_the_sandbox_clock() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("AUTHORIZE", "100.00", &seller).await;
    let auth_id = api.authorize(&order_id).await;
    let reauth = format!("/v2/payments/authorizations/{auth_id}/reauthorize");

    let (status, body) = api.post(&reauth, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "REAUTHORIZATION_TOO_SOON");

    api.sandbox
        .paypal()
        .advance_clock(Duration::from_secs(4 * 86_400));
    // 115% of 100.00 is the ceiling.
    let (status, body) = api
        .post(
            &reauth,
            json!({ "amount": { "currency_code": "USD", "value": "115.01" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTHORIZATION_AMOUNT_EXCEEDED");
    let (status, fresh) = api
        .post(
            &reauth,
            json!({ "amount": { "currency_code": "USD", "value": "110.00" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{fresh}");
    assert_eq!(fresh["status"], "CREATED");
    assert_eq!(fresh["amount"]["value"], "110.00");
    assert_ne!(fresh["id"], auth_id.as_str());

    // The original is replaced; the new one has its own honour period and cannot be reauthorized.
    let (_, original) = api
        .get(&format!("/v2/payments/authorizations/{auth_id}"))
        .await;
    assert_eq!(original["status"], "VOIDED");
    let fresh_id = fresh["id"].as_str().unwrap();
    api.sandbox
        .paypal()
        .advance_clock(Duration::from_secs(4 * 86_400));
    let (status, body) = api
        .post(
            &format!("/v2/payments/authorizations/{fresh_id}/reauthorize"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "REAUTHORIZATION_NOT_SUPPORTED");

    // After 29 days an authorization can no longer be captured.
    api.sandbox
        .paypal()
        .advance_clock(Duration::from_secs(26 * 86_400));
    let (status, body) = api
        .post(
            &format!("/v2/payments/authorizations/{fresh_id}/capture"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTHORIZATION_EXPIRED");
}

#[tokio::test]
async fn reauthorizing_a_large_amount_adds_at_most_75() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("AUTHORIZE", "1000.00", &seller).await;
    let auth_id = api.authorize(&order_id).await;
    let reauth = format!("/v2/payments/authorizations/{auth_id}/reauthorize");
    api.sandbox
        .paypal()
        .advance_clock(Duration::from_secs(3 * 86_400));
    // 115% would be 1150.00; the +75.00 cap is lower.
    let (status, body) = api
        .post(
            &reauth,
            json!({ "amount": { "currency_code": "USD", "value": "1075.01" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTHORIZATION_AMOUNT_EXCEEDED");
    let (status, body) = api
        .post(
            &reauth,
            json!({ "amount": { "currency_code": "EUR", "value": "10.00" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "AUTH_CURRENCY_MISMATCH");
    let key = [("PayPal-Request-Id", "reauth-1")];
    let amount = json!({ "amount": { "currency_code": "USD", "value": "1075.00" } });
    let (status, fresh) = api
        .send(Method::POST, &reauth, &key, Some(amount.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{fresh}");
    let (status, again) = api.send(Method::POST, &reauth, &key, Some(amount)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], fresh["id"]);
}

#[tokio::test]
async fn order_patch_applies_before_completion_and_is_refused_after() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("CAPTURE", "50.00", &seller).await;
    let path = format!("/v2/checkout/orders/{order_id}");
    let unit = "/purchase_units/@reference_id=='default'";
    let ops = json!([
        { "op": "replace", "path": format!("{unit}/amount"), "value": { "currency_code": "USD", "value": "60.00" } },
        { "op": "add", "path": format!("{unit}/description"), "value": "Two mugs" },
        { "op": "add", "path": format!("{unit}/custom_id"), "value": "cart-77" },
        { "op": "replace", "path": format!("{unit}/invoice_id"), "value": "INV-2" },
        { "op": "replace", "path": format!("{unit}/payment_instruction/platform_fees"),
          "value": [{ "amount": { "currency_code": "USD", "value": "6.00" } }] }
    ]);
    let (status, body) = api.patch(&path, ops).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, order) = api.get(&path).await;
    let unit0 = &order["purchase_units"][0];
    assert_eq!(unit0["amount"]["value"], "60.00");
    assert_eq!(unit0["description"], "Two mugs");
    assert_eq!(unit0["custom_id"], "cart-77");
    assert_eq!(unit0["invoice_id"], "INV-2");

    // All or nothing: a bad op leaves the order as it was.
    let (status, body) = api
        .patch(
            &path,
            json!([
                { "op": "replace", "path": format!("{unit}/description"), "value": "changed" },
                { "op": "replace", "path": format!("{unit}/reference_id"), "value": "x" }
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "NOT_PATCHABLE");
    let (status, body) = api
        .patch(
            &path,
            json!([{ "op": "add", "path": format!("{unit}/description"), "value": "again" }]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "INVALID_PATCH_OPERATION");
    let (status, body) = api
        .patch(
            &path,
            json!({ "op": "replace", "path": "/intent", "value": "AUTHORIZE" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "MALFORMED_REQUEST_JSON");
    let (status, body) = api
        .patch(
            &path,
            json!([{ "op": "replace", "path": format!("{unit}/payment_instruction/platform_fees"),
                     "value": [{ "amount": { "currency_code": "USD", "value": "61.00" } }] }]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "INVALID_PLATFORM_FEES_AMOUNT");
    let (status, body) = api
        .patch(
            &path,
            json!([{ "op": "replace", "path": "/purchase_units/@reference_id=='nope'/description", "value": "x" }]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "REFERENCE_ID_NOT_FOUND");
    let (_, order) = api.get(&path).await;
    assert_eq!(order["purchase_units"][0]["description"], "Two mugs");

    // The capture takes the patched amount and fee; afterwards the order cannot change.
    let (status, captured) = api.post(&format!("{path}/capture"), json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    let capture = &captured["purchase_units"][0]["payments"]["captures"][0];
    assert_eq!(capture["amount"]["value"], "60.00");
    assert_eq!(
        capture["seller_receivable_breakdown"]["platform_fees"][0]["amount"]["value"],
        "6.00"
    );
    let (status, body) = api
        .patch(
            &path,
            json!([{ "op": "replace", "path": format!("{unit}/description"), "value": "late" }]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "ORDER_ALREADY_COMPLETED");
}

#[tokio::test]
async fn confirm_payment_source_moves_the_order_toward_approval() {
    let api = Api::start().await;
    let order = json!({ "intent": "CAPTURE", "purchase_units": [{ "amount": { "currency_code": "USD", "value": "10.00" } }] });
    let (_, created) = api.post("/v2/checkout/orders", order.clone()).await;
    let id = created["id"].as_str().unwrap();
    let confirm = format!("/v2/checkout/orders/{id}/confirm-payment-source");

    let (status, body) = api.post(&confirm, json!({ "payment_source": {} })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "NO_PAYMENT_SOURCE_PROVIDED");
    let (status, body) = api
        .post(
            &confirm,
            json!({ "payment_source": { "paypal": { "email_address": "buyer@example.com",
                "experience_context": { "return_url": "https://shop.example.com/back" } } } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "PAYER_ACTION_REQUIRED");
    assert_eq!(
        body["payment_source"]["paypal"]["email_address"],
        "buyer@example.com"
    );
    assert!(
        body["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "payer-action")
    );
    api.sandbox.paypal().approve_order(id).unwrap();
    let (status, body) = api
        .post(&confirm, json!({ "payment_source": { "paypal": {} } }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "PAYMENT_ALREADY_APPROVED");

    // A card approves at once and is kept without its number.
    let (_, created) = api.post("/v2/checkout/orders", order).await;
    let id = created["id"].as_str().unwrap();
    let (status, body) = api
        .post(
            &format!("/v2/checkout/orders/{id}/confirm-payment-source"),
            json!({ "payment_source": { "card": { "number": "4111111111111111", "expiry": "2030-02", "security_code": "123" } } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "APPROVED");
    assert_eq!(body["payment_source"]["card"]["last_digits"], "1111");
    assert_eq!(body["payment_source"]["card"]["brand"], "VISA");
    assert!(!body.to_string().contains("4111111111111111"));
    assert!(!body.to_string().contains("security_code"));
}

#[tokio::test]
async fn trackers_are_added_to_captures_and_updated_or_cancelled() {
    let api = Api::start().await;
    let seller = api.seller().await;
    let order_id = api.approved_order("CAPTURE", "20.00", &seller).await;
    let track = format!("/v2/checkout/orders/{order_id}/track");
    let body = json!({ "capture_id": "NOPE", "tracking_number": "1Z999", "carrier": "UPS" });
    let (status, refused) = api.post(&track, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&refused), "CAPTURE_ID_NOT_FOUND");

    let (_, captured) = api
        .post(
            &format!("/v2/checkout/orders/{order_id}/capture"),
            json!({}),
        )
        .await;
    let capture_id = captured["purchase_units"][0]["payments"]["captures"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = api
        .post(
            &track,
            json!({ "capture_id": capture_id, "tracking_number": "1Z 999", "carrier": "UPS" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "INVALID_TRACKING_NUMBER");
    let (status, body) = api
        .post(
            &track,
            json!({ "capture_id": capture_id, "tracking_number": "1Z999" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "MISSING_REQUIRED_PARAMETER");

    let tracking = json!({ "capture_id": capture_id, "tracking_number": "1Z999", "carrier": "UPS", "notify_payer": true });
    let (status, order) = api.post(&track, tracking.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let tracker = &order["purchase_units"][0]["shipping"]["trackers"][0];
    let tracker_id = format!("{capture_id}-1Z999");
    assert_eq!(tracker["id"], tracker_id.as_str());
    assert_eq!(tracker["status"], "SHIPPED");
    let (status, _) = api.post(&track, tracking).await;
    assert_eq!(status, StatusCode::OK, "a duplicate tracker");

    let tracker_path = format!("/v2/checkout/orders/{order_id}/trackers/{tracker_id}");
    let (status, body) = api
        .patch(
            &tracker_path,
            json!([{ "op": "replace", "path": "/status", "value": "CANCELLED" }]),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, order) = api.get(&format!("/v2/checkout/orders/{order_id}")).await;
    assert_eq!(
        order["purchase_units"][0]["shipping"]["trackers"][0]["status"],
        "CANCELLED"
    );
    let (status, body) = api
        .patch(
            &tracker_path,
            json!([{ "op": "replace", "path": "/status", "value": "LOST" }]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "INVALID_PARAMETER_VALUE");
    let (status, body) = api
        .patch(
            &tracker_path,
            json!([{ "op": "replace", "path": "/capture_id", "value": "X" }]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(issue(&body), "NOT_PATCHABLE");
    let (status, body) = api
        .patch(
            &format!("/v2/checkout/orders/{order_id}/trackers/NOPE-1"),
            json!([{ "op": "replace", "path": "/status", "value": "SHIPPED" }]),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(issue(&body), "TRACKER_ID_NOT_FOUND");

    // A tracker created without `notify_payer` has the spec's default (false), which a patch replaces.
    let quiet = json!({ "capture_id": capture_id, "tracking_number": "1Z998", "carrier": "UPS" });
    let (status, order) = api.post(&track, quiet).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (status, body) = api
        .patch(
            &format!("/v2/checkout/orders/{order_id}/trackers/{capture_id}-1Z998"),
            json!([{ "op": "replace", "path": "/notify_payer", "value": true }]),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}
