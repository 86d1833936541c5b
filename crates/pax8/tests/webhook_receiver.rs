//! The webhook receiver: constant-time `Authorization` check and payload parsing.

use pax8::http::header::{AUTHORIZATION, CONTENT_TYPE};
use pax8::http::{HeaderMap, HeaderValue};
use pax8::webhook_receiver::{EventTopic, LineItemEventType};
use pax8::{WebhookError, WebhookReceiver};
use serde_json::json;

const SECRET: &str = "my_super_secret";

fn body(topic: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
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
    }))
    .unwrap()
}

fn headers(authorization: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(value) = authorization {
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
    }
    headers
}

#[test]
fn accepts_the_right_secret_and_parses_the_event() {
    let receiver = WebhookReceiver::new(SECRET);
    let event = receiver
        .verify_and_parse(&headers(Some(SECRET)), &body("SUBSCRIPTION"))
        .unwrap();
    assert_eq!(event.topic(), Some(EventTopic::Subscription));
    assert_eq!(event.action(), Some("CREATED"));
    assert_eq!(event.line_item_type(), Some(LineItemEventType::Renewal));
    assert_eq!(
        event.webhook_id.as_ref().unwrap().as_str(),
        "8f6f2b2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(
        event
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
    assert_eq!(event.payload::<Data>().unwrap().subscription_id, "s-1");
}

#[test]
fn topics_are_typed_with_an_unknown_fallback() {
    let receiver = WebhookReceiver::new(SECRET);
    let h = headers(Some(SECRET));
    let invoice = receiver.verify_and_parse(&h, &body("INVOICE")).unwrap();
    assert_eq!(invoice.topic(), Some(EventTopic::Invoice));
    let product = receiver.verify_and_parse(&h, &body("product")).unwrap();
    assert_eq!(product.topic(), Some(EventTopic::Product));
    let new = receiver.verify_and_parse(&h, &body("QUOTE")).unwrap();
    assert_eq!(new.topic(), Some(EventTopic::Unknown("QUOTE".into())));
}

#[test]
fn rejects_a_wrong_or_missing_secret() {
    let receiver = WebhookReceiver::new(SECRET);
    let payload = body("INVOICE");
    assert_eq!(
        receiver
            .verify_and_parse(&headers(None), &payload)
            .unwrap_err(),
        WebhookError::MissingAuthorization
    );
    for wrong in [
        "my_super_secreT",
        "my_super_secret ",
        "Bearer my_super_secret",
        "",
        "x",
    ] {
        let err = receiver
            .verify_and_parse(&headers(Some(wrong)), &payload)
            .unwrap_err();
        assert_eq!(err, WebhookError::InvalidAuthorization, "{wrong:?}");
        assert_eq!(err.status(), 401);
    }
    let mut twice = headers(Some(SECRET));
    twice.append(AUTHORIZATION, HeaderValue::from_static("other"));
    assert_eq!(
        receiver.verify(&twice).unwrap_err(),
        WebhookError::InvalidAuthorization
    );
}

#[test]
fn an_empty_secret_accepts_nothing() {
    let receiver = WebhookReceiver::new("");
    assert!(receiver.verify(&headers(Some(""))).is_err());
    assert!(receiver.verify_authorization(Some(b"")).is_err());
}

#[test]
fn raw_header_bytes_for_other_frameworks() {
    let receiver = WebhookReceiver::new(SECRET);
    assert!(
        receiver
            .verify_authorization(Some(SECRET.as_bytes()))
            .is_ok()
    );
    assert_eq!(
        receiver.verify_authorization(None).unwrap_err(),
        WebhookError::MissingAuthorization
    );
}

#[test]
fn malformed_bodies_are_400_and_never_echo_the_secret() {
    let receiver = WebhookReceiver::new(SECRET);
    let err = receiver
        .verify_and_parse(&headers(Some(SECRET)), b"not json")
        .unwrap_err();
    assert!(matches!(err, WebhookError::MalformedPayload { .. }));
    assert_eq!(err.status(), 400);
    assert!(!err.to_string().contains(SECRET));
    assert!(!format!("{receiver:?}").contains(SECRET));
}

#[test]
fn the_check_runs_before_parsing() {
    // A bad secret with a bad body is an authorization failure: nothing is parsed for strangers.
    let receiver = WebhookReceiver::new(SECRET);
    let err = receiver
        .verify_and_parse(&headers(Some("nope")), b"not json")
        .unwrap_err();
    assert_eq!(err, WebhookError::InvalidAuthorization);
}
