//! The PayPal simulator's Payouts v1 (batches through PENDING, PROCESSING, SUCCESS on the sandbox
//! clock; unclaimed items cancelled) and referenced payout batches.

mod common;

use std::time::Duration;

use common::paypal::Api;
use partner_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn batch(sender_batch_id: &str, seller: &str) -> Value {
    json!({
        "sender_batch_header": { "sender_batch_id": sender_batch_id, "email_subject": "You have a payout!" },
        "items": [
            { "recipient_type": "PAYPAL_ID", "receiver": seller, "amount": { "currency": "USD", "value": "10.00" }, "sender_item_id": "a" },
            { "recipient_type": "EMAIL", "receiver": "stranger@example.com", "amount": { "currency": "USD", "value": "2000.00" }, "sender_item_id": "b" },
            { "recipient_type": "EMAIL", "receiver": "other@example.com", "amount": { "currency": "USD", "value": "1.50" }, "sender_item_id": "c" }
        ]
    })
}

#[tokio::test]
async fn batches_progress_on_the_sandbox_clock_and_unclaimed_items_can_be_cancelled() {
    let events = common::Receiver::start().await;
    let api = Api::with(
        SandboxConfig::new()
            .seed(7)
            .paypal_webhook_url(events.url.parse().unwrap())
            .paypal_payout_processing(Duration::from_secs(60)),
    )
    .await;
    let seller = api.seller().await;
    let key = [("PayPal-Request-Id", "payout-batch-1")];
    let (status, created) = api
        .send(
            Method::POST,
            "/v1/payments/payouts",
            &key,
            Some(batch("B-1", &seller)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["batch_header"]["batch_status"], "PENDING");
    assert_eq!(
        created["batch_header"]["sender_batch_header"]["sender_batch_id"],
        "B-1"
    );
    let batch_id = created["batch_header"]["payout_batch_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, again) = api
        .send(
            Method::POST,
            "/v1/payments/payouts",
            &key,
            Some(batch("B-1", &seller)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["batch_header"]["payout_batch_id"], batch_id.as_str());
    let (status, duplicate) = api
        .post("/v1/payments/payouts", batch("B-1", &seller))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(duplicate["name"], "USER_BUSINESS_ERROR");
    let (status, invalid) = api
        .post(
            "/v1/payments/payouts",
            json!({ "sender_batch_header": { "sender_batch_id": "B-2" }, "items": [{ "amount": { "currency": "USD", "value": "1.00" } }] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid["name"], "VALIDATION_ERROR");
    assert_eq!(invalid["details"][0]["field"], "items[0].receiver");

    let path = format!("/v1/payments/payouts/{batch_id}");
    let (_, shown) = api.get(&path).await;
    assert_eq!(shown["batch_header"]["batch_status"], "PENDING");
    assert_eq!(shown["batch_header"]["amount"]["value"], "2011.50");
    // Fees: 0.20 + 20.00 (capped) + 0.03.
    assert_eq!(shown["batch_header"]["fees"]["value"], "20.23");
    assert!(
        shown["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["transaction_status"] == "PENDING")
    );

    api.sandbox.paypal().advance_clock(Duration::from_secs(61));
    let (_, shown) = api.get(&path).await;
    assert_eq!(shown["batch_header"]["batch_status"], "PROCESSING");
    api.sandbox.paypal().advance_clock(Duration::from_secs(60));
    let (_, shown) = api
        .get(&format!("{path}?page=1&page_size=2&total_required=true"))
        .await;
    assert_eq!(shown["batch_header"]["batch_status"], "SUCCESS");
    assert!(shown["batch_header"]["time_completed"].is_string());
    assert_eq!(shown["total_items"], 3);
    assert_eq!(shown["total_pages"], 2);
    let statuses: Vec<&str> = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["transaction_status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["SUCCESS", "UNCLAIMED"]);
    let next = shown["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = api.sandbox.paypal().base_url().to_string();
    let (_, second) = api.get(next.trim_start_matches(&base)).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["payout_item"]["sender_item_id"], "c");
    let (_, header_only) = api.get(&format!("{path}?fields=batch_header")).await;
    assert!(header_only.get("items").is_none());
    let (status, _) = api.get(&format!("{path}?page_size=0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The unclaimed item can be cancelled, once; a paid one cannot.
    let paid = shown["items"][0]["payout_item_id"].as_str().unwrap();
    let unclaimed = shown["items"][1]["payout_item_id"].as_str().unwrap();
    let (_, item) = api
        .get(&format!("/v1/payments/payouts-item/{unclaimed}"))
        .await;
    assert_eq!(item["transaction_status"], "UNCLAIMED");
    assert_eq!(item["errors"]["name"], "RECEIVER_UNREGISTERED");
    let (status, cancelled) = api
        .send(
            Method::POST,
            &format!("/v1/payments/payouts-item/{unclaimed}/cancel"),
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["transaction_status"], "RETURNED");
    // Onboarding, then the cancellation.
    let delivered = events.wait_for(2).await;
    let event: Value = serde_json::from_slice(&delivered[1].body).unwrap();
    assert_eq!(event["event_type"], "PAYMENT.PAYOUTS-ITEM.CANCELED");
    assert_eq!(event["resource"]["payout_item_id"], unclaimed);
    for id in [unclaimed, paid] {
        let (status, refused) = api
            .send(
                Method::POST,
                &format!("/v1/payments/payouts-item/{id}/cancel"),
                &[],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(refused["name"], "ITEM_INCORRECT_STATUS");
    }
    let (status, _) = api.get("/v1/payments/payouts-item/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An unclaimed item not cancelled returns by itself after 30 days.
    let last = second["items"][0]["payout_item_id"].as_str().unwrap();
    api.sandbox
        .paypal()
        .advance_clock(Duration::from_secs(31 * 86_400));
    let (_, item) = api.get(&format!("/v1/payments/payouts-item/{last}")).await;
    assert_eq!(item["transaction_status"], "RETURNED");
}

#[tokio::test]
async fn a_referenced_batch_releases_each_delayed_capture() {
    let api = Api::with(
        SandboxConfig::new()
            .seed(7)
            .paypal_payout_processing(Duration::from_millis(50)),
    )
    .await;
    let seller = api.seller().await;
    let order = json!({
        "intent": "CAPTURE",
        "purchase_units": [{
            "amount": { "currency_code": "USD", "value": "30.00" },
            "payee": { "merchant_id": seller },
            "payment_instruction": { "disbursement_mode": "DELAYED" }
        }]
    });
    let (_, created) = api.post("/v2/checkout/orders", order).await;
    let order_id = created["id"].as_str().unwrap();
    api.sandbox.paypal().approve_order(order_id).unwrap();
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

    let request = json!({ "referenced_payouts": [
        { "reference_id": capture_id, "reference_type": "TRANSACTION_ID" },
        { "reference_id": "NOSUCHCAPTURE", "reference_type": "TRANSACTION_ID" }
    ] });
    let (status, batch) = api
        .send(
            Method::POST,
            "/v1/payments/referenced-payouts",
            &[("Prefer", "respond-async")],
            Some(request),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{batch}");
    let items = batch["referenced_payouts"].as_array().unwrap();
    assert_eq!(items[0]["processing_state"]["status"], "PROCESSING");
    assert_eq!(items[1]["processing_state"]["status"], "FAILED");
    assert_eq!(
        items[1]["processing_state"]["reason"],
        "TRANSACTION_NOT_VALID"
    );
    let self_link = batch["links"][0]["href"].as_str().unwrap().to_owned();
    let base = api.sandbox.paypal().base_url().to_string();
    tokio::time::sleep(Duration::from_millis(120)).await;
    let (status, shown) = api.get(self_link.trim_start_matches(&base)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        shown["referenced_payouts"][0]["processing_state"]["status"],
        "SUCCESS"
    );
    assert!(shown["referenced_payouts"][0]["payout_transaction_id"].is_string());

    // Releasing it again in another batch fails that item only.
    let (status, again) = api
        .post(
            "/v1/payments/referenced-payouts",
            json!({ "referenced_payouts": [{ "reference_id": capture_id, "reference_type": "TRANSACTION_ID" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        again["referenced_payouts"][0]["processing_state"]["reason"],
        "PAYOUT_ALREADY_COMPLETED_FOR_REFERENCE"
    );
    let (status, _) = api
        .post(
            "/v1/payments/referenced-payouts",
            json!({ "referenced_payouts": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get("/v1/payments/referenced-payouts/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
