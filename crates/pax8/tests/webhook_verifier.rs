//! The webhook verifier: constant-time `Authorization` check and typed events.

use pax8::http::header::{AUTHORIZATION, CONTENT_TYPE};
use pax8::http::{HeaderMap, HeaderValue};
use pax8::{Event, EventTopic, LineItemEventType, WebhookError, WebhookVerifier};
use serde_json::{Value, json};

const SECRET: &str = "my_super_secret";

fn delivery(topic: &str) -> Value {
    json!({
        "accountId": "0f7c8b2e-4a51-4a7e-9c1b-2f0d8f1a6b3c",
        "url": "https://partner.example.com/pax8",
        "webhookId": "8f6f2b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
        "sentAt": "2025-07-15T10:00:00.123Z",
        "webhookTopic": {
            "id": "3b1f7e0a-2d4c-4b6a-9e8f-7a6b5c4d3e2f",
            "topic": topic,
            "filters": [{"action": "CREATED", "conditions": []}]
        },
        "payloadData": {
            "action": "CREATED",
            "type": "Renewal",
            "subscriptionId": "s-1",
            "newField": {"nested": true}
        },
        "somethingNew": 1
    })
}

fn body(topic: &str) -> Vec<u8> {
    serde_json::to_vec(&delivery(topic)).unwrap()
}

fn headers(authorization: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(value) = authorization {
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
    }
    headers
}

#[tokio::test]
async fn accepts_the_right_secret_and_parses_the_event() {
    let verifier = WebhookVerifier::new(SECRET);
    let event = verifier
        .verify(&headers(Some(SECRET)), &body("SUBSCRIPTION"))
        .await
        .unwrap();
    assert_eq!(event.topic(), EventTopic::Subscription);
    let Event::Subscription(delivery) = event else {
        panic!("expected a subscription event, got {event:?}");
    };
    assert_eq!(delivery.action(), Some("CREATED"));
    assert_eq!(delivery.line_item_type(), Some(LineItemEventType::Renewal));
    assert_eq!(
        delivery.webhook_id.as_ref().unwrap().as_str(),
        "8f6f2b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(
        delivery
            .sent_at
            .as_ref()
            .unwrap()
            .date_time()
            .unwrap()
            .unix_timestamp(),
        1_752_573_600
    );
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Data {
        subscription_id: String,
    }
    assert_eq!(delivery.payload::<Data>().unwrap().subscription_id, "s-1");
}

#[tokio::test]
async fn topics_are_typed_and_an_unknown_topic_keeps_the_raw_json() {
    let verifier = WebhookVerifier::new(SECRET);
    let h = headers(Some(SECRET));
    let invoice = verifier.verify(&h, &body("INVOICE")).await.unwrap();
    assert!(matches!(invoice, Event::Invoice(_)), "{invoice:?}");
    let product = verifier.verify(&h, &body("product")).await.unwrap();
    assert!(matches!(product, Event::Product(_)), "{product:?}");
    let provisioning = verifier.verify(&h, &body("PROVISIONING")).await.unwrap();
    assert_eq!(provisioning.topic(), EventTopic::Provisioning);
    assert!(provisioning.delivery().is_some());

    let new = verifier.verify(&h, &body("QUOTE")).await.unwrap();
    assert_eq!(new.topic(), EventTopic::Unknown("QUOTE".into()));
    assert!(new.delivery().is_none());
    match new {
        Event::Unknown { topic, raw } => {
            assert_eq!(topic, "QUOTE");
            assert_eq!(
                raw,
                delivery("QUOTE"),
                "the whole delivery, unknown fields too"
            );
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn events_serialise_as_sent() {
    let verifier = WebhookVerifier::new(SECRET);
    let h = headers(Some(SECRET));
    let invoice = verifier.verify(&h, &body("INVOICE")).await.unwrap();
    let json = serde_json::to_value(&invoice).unwrap();
    assert_eq!(json["webhookTopic"], delivery("INVOICE")["webhookTopic"]);
    assert_eq!(json["payloadData"], delivery("INVOICE")["payloadData"]);
    // An unknown topic serialises as the whole delivery it kept.
    let new = verifier.verify(&h, &body("QUOTE")).await.unwrap();
    assert_eq!(serde_json::to_value(&new).unwrap(), delivery("QUOTE"));
}

#[tokio::test]
async fn rejects_a_wrong_or_missing_secret() {
    let verifier = WebhookVerifier::new(SECRET);
    let payload = body("INVOICE");
    let err = verifier.verify(&headers(None), &payload).await.unwrap_err();
    assert_eq!(err, WebhookError::MissingAuthorization);
    assert_eq!(err.status(), 401);
    for wrong in [
        "my_super_secreT",
        "my_super_secret ",
        "Bearer my_super_secret",
        "",
        "x",
    ] {
        let err = verifier
            .verify(&headers(Some(wrong)), &payload)
            .await
            .unwrap_err();
        assert_eq!(err, WebhookError::InvalidAuthorization, "{wrong:?}");
        assert_eq!(err.status(), 401);
    }
    let mut twice = headers(Some(SECRET));
    twice.append(AUTHORIZATION, HeaderValue::from_static("other"));
    assert_eq!(
        verifier.verify(&twice, &payload).await.unwrap_err(),
        WebhookError::InvalidAuthorization
    );
}

#[tokio::test]
async fn an_empty_secret_accepts_nothing() {
    let verifier = WebhookVerifier::new("");
    let err = verifier
        .verify(&headers(Some("")), &body("INVOICE"))
        .await
        .unwrap_err();
    assert_eq!(err, WebhookError::InvalidAuthorization);
}

#[tokio::test]
async fn malformed_bodies_are_400_and_never_echo_the_secret() {
    let verifier = WebhookVerifier::new(SECRET);
    for bad in [&b"not json"[..], b"[1,2]", b"\"text\""] {
        let err = verifier
            .verify(&headers(Some(SECRET)), bad)
            .await
            .unwrap_err();
        assert!(
            matches!(err, WebhookError::MalformedPayload { .. }),
            "{err:?}"
        );
        assert_eq!(err.status(), 400);
        assert!(!err.to_string().contains(SECRET));
    }
    // A known topic whose fields have the wrong types is malformed, not silently empty.
    let mut odd = delivery("INVOICE");
    odd["sentAt"] = json!({"not": "a date"});
    let err = verifier
        .verify(&headers(Some(SECRET)), &serde_json::to_vec(&odd).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::MalformedPayload { .. }),
        "{err:?}"
    );
    assert!(!format!("{verifier:?}").contains(SECRET));
}

#[tokio::test]
async fn the_check_runs_before_parsing() {
    // A bad secret with a bad body is an authorization failure: nothing is parsed for strangers.
    let verifier = WebhookVerifier::new(SECRET);
    let err = verifier
        .verify(&headers(Some("nope")), b"not json")
        .await
        .unwrap_err();
    assert_eq!(err, WebhookError::InvalidAuthorization);
}
