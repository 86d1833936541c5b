//! The PayPal simulator's webhooks management v1: webhooks and their subscriptions, lookups, the event
//! type catalogue, event notifications (list with filters and `next` paging, show, resend), simulated
//! events, and the flows' own events delivered, signed, to webhooks registered through the API.

mod common;

use common::paypal::{Api, issue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect()
}

/// Verifies one delivery through the postback endpoint, with the webhook id it should be signed for.
async fn verifies(api: &Api, delivery: &common::Received, webhook_id: &str) -> bool {
    let header = |name: &str| delivery.headers[name].to_str().unwrap().to_owned();
    let body = format!(
        r#"{{"auth_algo":{},"cert_url":{},"transmission_id":{},"transmission_sig":{},"transmission_time":{},"webhook_id":{},"webhook_event":{}}}"#,
        json!(header("paypal-auth-algo")),
        json!(header("paypal-cert-url")),
        json!(header("paypal-transmission-id")),
        json!(header("paypal-transmission-sig")),
        json!(header("paypal-transmission-time")),
        json!(webhook_id),
        std::str::from_utf8(&delivery.body).unwrap()
    );
    let response = api
        .client
        .post(
            api.sandbox
                .paypal()
                .base_url()
                .join("v1/notifications/verify-webhook-signature")
                .unwrap(),
        )
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    answer["verification_status"] == "SUCCESS"
}

#[tokio::test]
async fn webhooks_are_managed_and_patched() {
    let api = Api::start().await;
    let hooks = "/v1/notifications/webhooks";
    let (status, created) = api
        .post(
            hooks,
            json!({ "url": "https://partner.example.com/hooks", "event_types": [{ "name": "PAYMENT.CAPTURE.COMPLETED" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_owned();
    let one = format!("{hooks}/{id}");

    let (status, body) = api
        .post(
            hooks,
            json!({ "url": "https://partner.example.com/hooks", "event_types": [{ "name": "*" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["name"], "WEBHOOK_URL_ALREADY_EXISTS");

    let (status, patched) = api
        .patch(
            &one,
            json!([
                { "op": "replace", "path": "/url", "value": "https://partner.example.com/v2/hooks" },
                { "op": "replace", "path": "/event_types", "value": [
                    { "name": "PAYMENT.CAPTURE.COMPLETED" }, { "name": "PAYMENT.CAPTURE.REFUNDED" }
                ] }
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["url"], "https://partner.example.com/v2/hooks");
    assert_eq!(
        names(&patched["event_types"]),
        ["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"]
    );
    let (_, shown) = api.get(&one).await;
    assert_eq!(shown, patched);
    let (status, body) = api
        .patch(
            &one,
            json!([{ "op": "replace", "path": "/id", "value": "X" }]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "INVALID_PARAMETER_VALUE");
    let (status, _) = api
        .patch(
            &one,
            json!([{ "op": "replace", "path": "/url", "value": "not a url" }]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, subscriptions) = api.get(&format!("{one}/event-types")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        names(&subscriptions["event_types"]),
        ["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"]
    );
    assert_eq!(subscriptions["event_types"][0]["status"], "ENABLED");

    let (_, listed) = api.get(hooks).await;
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
    let (_, account) = api.get(&format!("{hooks}?anchor_type=ACCOUNT")).await;
    assert_eq!(account["webhooks"], json!([]));

    let (status, _) = api.send(Method::DELETE, &one, &[], None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.get(&format!("{one}/event-types")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.patch(&one, json!([])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lookups_and_the_event_type_catalogue() {
    let api = Api::start().await;
    let (status, created) = api
        .send(Method::POST, "/v1/notifications/webhooks-lookup", &[], None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created["client_id"],
        api.sandbox.paypal().credentials().client_id.as_str()
    );
    let one = format!(
        "/v1/notifications/webhooks-lookup/{}",
        created["id"].as_str().unwrap()
    );
    let (status, shown) = api.get(&one).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown, created);
    let (_, listed) = api.get("/v1/notifications/webhooks-lookup").await;
    assert_eq!(listed["webhooks_lookups"], json!([created]));
    let (status, _) = api.send(Method::DELETE, &one, &[], None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.get(&one).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, catalogue) = api.get("/v1/notifications/webhooks-event-types").await;
    assert_eq!(status, StatusCode::OK);
    let types = names(&catalogue["event_types"]);
    for emitted in [
        "MERCHANT.ONBOARDING.COMPLETED",
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.REFUNDED",
        "PAYMENT.AUTHORIZATION.CREATED",
        "PAYMENT.AUTHORIZATION.VOIDED",
    ] {
        assert!(types.contains(&emitted), "{emitted} missing from {types:?}");
    }
}

#[tokio::test]
async fn registered_webhooks_get_the_flows_events_which_the_notifications_list() {
    let receiver = common::Receiver::start().await;
    let api = Api::start().await;
    let (_, hook) = api
        .post(
            "/v1/notifications/webhooks",
            json!({ "url": receiver.url, "event_types": [
                { "name": "MERCHANT.ONBOARDING.COMPLETED" }, { "name": "PAYMENT.CAPTURE.COMPLETED" }
            ] }),
        )
        .await;
    let hook_id = hook["id"].as_str().unwrap().to_owned();

    // A seller onboards and an order is captured: two events, signed for the registered webhook.
    let seller = api.seller().await;
    let order_id = api.approved_order("CAPTURE", "12.00", &seller).await;
    let (status, _) = api
        .post(
            &format!("/v2/checkout/orders/{order_id}/capture"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let delivered = receiver.wait_for(2).await;
    let events: Vec<Value> = delivered
        .iter()
        .map(|d| serde_json::from_slice(&d.body).unwrap())
        .collect();
    assert_eq!(events[0]["event_type"], "MERCHANT.ONBOARDING.COMPLETED");
    assert_eq!(events[1]["event_type"], "PAYMENT.CAPTURE.COMPLETED");
    for delivery in &delivered {
        assert!(verifies(&api, delivery, &hook_id).await);
        assert!(!verifies(&api, delivery, "WHOTHER").await);
    }

    // The notifications list: newest first, filtered, paged by its `next` link.
    let (status, all) = api.get("/v1/notifications/webhooks-events").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["count"], 2);
    assert_eq!(all["events"][0]["id"], events[1]["id"]);
    assert_eq!(all["events"][1]["id"], events[0]["id"]);
    let (_, filtered) = api
        .get("/v1/notifications/webhooks-events?event_type=MERCHANT.ONBOARDING.COMPLETED")
        .await;
    assert_eq!(filtered["count"], 1);
    assert_eq!(filtered["events"][0]["id"], events[0]["id"]);
    let (_, later) = api
        .get("/v1/notifications/webhooks-events?start_time=2999-01-01T00:00:00Z")
        .await;
    assert_eq!(later["events"], json!([]));
    let (_, first) = api
        .get("/v1/notifications/webhooks-events?page_size=1")
        .await;
    assert_eq!(first["count"], 1);
    assert_eq!(first["events"][0]["id"], events[1]["id"]);
    let next = first["links"]
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
    assert_eq!(second["events"][0]["id"], events[0]["id"]);
    assert_eq!(second["links"], json!([]), "the last page has no next");
    let (status, _) = api
        .get("/v1/notifications/webhooks-events?page_size=0")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Show and resend: the same event again, newly signed.
    let event_id = events[1]["id"].as_str().unwrap();
    let (status, shown) = api
        .get(&format!("/v1/notifications/webhooks-events/{event_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown, events[1]);
    let (status, resent) = api
        .post(
            &format!("/v1/notifications/webhooks-events/{event_id}/resend"),
            json!({ "webhook_ids": [hook_id] }),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(resent["id"], event_id);
    let delivered = receiver.wait_for(3).await;
    assert_eq!(delivered[2].body, delivered[1].body);
    assert_ne!(
        delivered[2].headers["paypal-transmission-id"],
        delivered[1].headers["paypal-transmission-id"]
    );
    assert!(verifies(&api, &delivered[2], &hook_id).await);
    let (status, _) = api
        .post(
            &format!("/v1/notifications/webhooks-events/{event_id}/resend"),
            json!({ "webhook_ids": ["NOSUCHHOOK"] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get("/v1/notifications/webhooks-events/WH-NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Simulated events: to the webhook (listed too), and to a bare URL signed for WEBHOOK_ID.
    let (status, simulated) = api
        .post(
            "/v1/notifications/simulate-event",
            json!({ "webhook_id": hook_id, "event_type": "PAYMENT.CAPTURE.REFUNDED" }),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{simulated}");
    assert_eq!(simulated["resource_type"], "capture");
    let delivered = receiver.wait_for(4).await;
    let got: Value = serde_json::from_slice(&delivered[3].body).unwrap();
    assert_eq!(got["id"], simulated["id"]);
    assert!(verifies(&api, &delivered[3], &hook_id).await);
    let other = common::Receiver::start().await;
    let (status, _) = api
        .post(
            "/v1/notifications/simulate-event",
            json!({ "url": other.url, "event_type": "CHECKOUT.ORDER.APPROVED" }),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let to_url = other.wait_for(1).await;
    assert!(verifies(&api, &to_url[0], "WEBHOOK_ID").await);
    let (_, all) = api.get("/v1/notifications/webhooks-events").await;
    assert_eq!(all["count"], 4);
    let (status, body) = api
        .post(
            "/v1/notifications/simulate-event",
            json!({ "webhook_id": hook_id, "event_type": "NO.SUCH.EVENT" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(issue(&body), "INVALID_PARAMETER_VALUE");
    let (status, _) = api
        .post(
            "/v1/notifications/simulate-event",
            json!({ "event_type": "PAYMENT.CAPTURE.COMPLETED" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
