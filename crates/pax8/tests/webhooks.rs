//! The webhooks API (`/api/v2/webhooks`) against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::webhooks::{
    DeliveryStatus, FilterCondition, FilterOperator, WebhookConfiguration, WebhookFilter,
};
use pax8::{Direction, ExposeSecret, NewWebhook, TopicSubscription};
use serde_json::{Value, json};

fn webhook_json() -> Value {
    json!({
        "id": "w-1",
        "accountId": "a-1",
        "displayName": "Invoices",
        "url": "https://example.com/hook",
        "authorization": "hook-secret",
        "active": true,
        "contactEmail": "ops@example.com",
        "errorThreshold": 3,
        "webhookTopics": [{
            "id": "t-1", "topic": "INVOICE",
            "filters": [{"action": "CREATED", "conditions": [
                {"field": "companyId", "operator": "IN", "value": ["c-1", "c-2"]}
            ]}]
        }],
        "lastDeliveryStatus": "SUCCESS",
        "createdAt": "2025-07-15T10:00:00Z",
        "updatedAt": "2025-07-16T10:00:00.123Z"
    })
}

fn invoice_topic() -> TopicSubscription {
    TopicSubscription::new("INVOICE").filter(WebhookFilter::action("CREATED").condition(
        FilterCondition::new("companyId", FilterOperator::In, ["c-1", "c-2"]),
    ))
}

fn invoice_topic_json() -> Value {
    json!({"topic": "INVOICE", "filters": [{"action": "CREATED", "conditions": [
        {"field": "companyId", "operator": "IN", "value": ["c-1", "c-2"]}
    ]}]})
}

#[tokio::test]
async fn create_posts_to_api_v2() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({
                    "displayName": "Invoices",
                    "url": "https://example.com/hook",
                    "authorization": "hook-secret",
                    "active": true,
                    "contactEmail": "ops@example.com",
                    "errorThreshold": 3,
                    "webhookTopics": [invoice_topic_json()]
                }));
            then.status(200).json_body(webhook_json());
        })
        .await;
    let hook = client
        .webhooks()
        .create(
            &NewWebhook::builder("Invoices", "https://example.com/hook")
                .authorization("hook-secret")
                .active(true)
                .contact_email("ops@example.com")
                .error_threshold(3)
                .topic(invoice_topic())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(hook.id.as_str(), "w-1");
    assert_eq!(hook.last_delivery_status, Some(DeliveryStatus::Success));
    assert_eq!(
        hook.webhook_topics[0].filters[0].conditions[0].operator,
        FilterOperator::In
    );
    assert_eq!(
        hook.authorization.as_ref().unwrap().expose_secret(),
        "hook-secret"
    );
    // The shared secret never shows in Debug output.
    assert!(!format!("{hook:?}").contains("hook-secret"));
}

#[tokio::test]
async fn list_get_delete() {
    let (server, client) = setup().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/webhooks")
                .header("authorization", BEARER)
                .query_param("query", "inv")
                .query_param("active", "true")
                .query_param("topic", "INVOICE")
                .query_param("sort", "displayName:asc")
                .query_param("status", "FAILED")
                .query_param("accountId", "a-1")
                .query_param("page", "0")
                .query_param("size", "5");
            then.status(200)
                .json_body(page(json!([webhook_json()]), 0, 5, 1, 1));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/webhooks/w-1")
                .header("authorization", BEARER);
            then.status(200).json_body(webhook_json());
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/api/v2/webhooks/w-1")
                .header("authorization", BEARER);
            then.status(204);
        })
        .await;
    let hooks: Vec<_> = client
        .webhooks()
        .list()
        .query("inv")
        .active(true)
        .topic("INVOICE")
        .sort("displayName", Direction::Asc)
        .last_delivery_status(DeliveryStatus::Failed)
        .account_id("a-1")
        .size(5)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hooks.len(), 1);
    assert_eq!(
        client
            .webhooks()
            .get("w-1")
            .send()
            .await
            .unwrap()
            .display_name,
        "Invoices"
    );
    client.webhooks().delete("w-1").send().await.unwrap();
    list.assert_async().await;
    get.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn configuration_status_and_topics() {
    let (server, client) = setup().await;
    let config = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks/w-1/configuration")
                .header("authorization", BEARER)
                .json_body(json!({"displayName": "Renamed", "authorization": "new-secret", "errorThreshold": 5}));
            then.status(200).json_body(webhook_json());
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks/w-1/status")
                .header("authorization", BEARER)
                .json_body(json!({"active": false}));
            then.status(200).json_body(webhook_json());
        })
        .await;
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks/w-1/topics")
                .header("authorization", BEARER)
                .json_body(invoice_topic_json());
            then.status(200).json_body(webhook_json());
        })
        .await;
    let replace = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v2/webhooks/w-1/topics")
                .header("authorization", BEARER)
                .json_body(json!({"webhookTopics": [invoice_topic_json(), {"topic": "PRODUCT", "filters": []}]}));
            then.status(200).json_body(webhook_json());
        })
        .await;
    let remove = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/api/v2/webhooks/w-1/topics/t-1")
                .header("authorization", BEARER);
            then.status(204);
        })
        .await;
    let configure = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks/w-1/topics/t-1/configuration")
                .header("authorization", BEARER)
                .json_body(json!({"filters": [{"action": "CREATED", "conditions": []}]}));
            then.status(200).json_body(webhook_json());
        })
        .await;
    let test = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v2/webhooks/w-1/topics/INVOICE/test").header("authorization", BEARER);
            then.status(200).json_body(json!({
                "url": "https://example.com/hook",
                "webhook": webhook_json(),
                "samplePayload": {"accountId": "a-1", "webhookTopic": {"id": "t-1", "topic": "INVOICE", "filters": []}}
            }));
        })
        .await;

    let hooks = client.webhooks();
    hooks
        .update_configuration(
            "w-1",
            &WebhookConfiguration::new()
                .display_name("Renamed")
                .authorization("new-secret")
                .error_threshold(5),
        )
        .send()
        .await
        .unwrap();
    hooks.set_active("w-1", false).send().await.unwrap();
    hooks
        .add_topic("w-1", &invoice_topic())
        .send()
        .await
        .unwrap();
    hooks
        .replace_topics("w-1", &[invoice_topic(), TopicSubscription::new("PRODUCT")])
        .send()
        .await
        .unwrap();
    hooks.remove_topic("w-1", "t-1").send().await.unwrap();
    hooks
        .configure_topic("w-1", "t-1", &[WebhookFilter::action("CREATED")])
        .send()
        .await
        .unwrap();
    let tested = hooks.test_topic("w-1", "INVOICE").send().await.unwrap();
    assert_eq!(tested.webhook.id.as_str(), "w-1");
    assert!(tested.sample_payload.is_some());

    for mock in [config, status, add, replace, remove, configure, test] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn topic_definitions_have_a_flat_page() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/webhooks/topic-definitions")
                .header("authorization", BEARER)
                .query_param("search", "invoice")
                .query_param("topic", "INVOICE")
                .query_param("sort", "topic:desc");
            then.status(200).json_body(json!({
                "content": [{
                    "topic": "INVOICE", "name": "Invoice", "description": "Invoice events",
                    "availableFilters": [{"action": "CREATED", "actionDisplayName": "Created",
                        "description": "An invoice was created",
                        "conditions": [{"field": "companyId", "operator": ["EQUALS", "IN"],
                                        "dataType": "uuid", "description": "The company", "value": "c-1"}]}],
                    "samplePayload": {"accountId": "a-1", "url": "https://x", "webhookId": "w-1",
                        "sentAt": "2025-07-15T10:00:00Z",
                        "webhookTopic": {"id": "t-1", "topic": "INVOICE", "filters": []},
                        "payloadData": {"action": "CREATED", "invoiceId": "i-1"}}
                }],
                "number": 0, "size": 10, "totalElements": 1, "totalPages": 1
            }));
        })
        .await;
    let page = client
        .webhooks()
        .topic_definitions()
        .search("invoice")
        .topic("INVOICE")
        .sort("topic", Direction::Desc)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.total_items, Some(1));
    let def = &page.items[0];
    assert_eq!(
        def.available_filters[0].conditions[0].operator,
        [FilterOperator::Equals, FilterOperator::In]
    );
    let sample = def.sample_event().unwrap();
    assert_eq!(sample.delivery().unwrap().action(), Some("CREATED"));
}

#[tokio::test]
async fn logs_and_retry() {
    let (server, client) = setup().await;
    let log = json!({
        "id": "l-1", "webhookId": "w-1", "webhookName": "Invoices", "finalStatus": "FAILED",
        "callHistory": [{"id": "call-1", "timestamp": "2025-07-15T10:00:00Z", "status": "FAILED",
                         "errorMessage": "timeout", "httpStatusCode": 504, "payload": {"a": 1}}],
        "createdAt": "2025-07-15T10:00:00Z"
    });
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/webhooks/w-1/logs")
                .header("authorization", BEARER)
                .query_param("topicName", "INVOICE")
                .query_param("status", "FAILED")
                .query_param("startDate", "2025-07-01")
                .query_param("endDate", "2025-07-31")
                .query_param("sort", "createdAt:desc")
                .query_param("query", "timeout");
            then.status(200).json_body(page(json!([log]), 0, 10, 1, 1));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/webhooks/w-1/logs/l-1")
                .header("authorization", BEARER);
            then.status(200).json_body(log.clone());
        })
        .await;
    let retry = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/webhooks/w-1/logs/l-1/retry")
                .header("authorization", BEARER);
            then.status(202);
        })
        .await;
    let page = client
        .webhooks()
        .logs("w-1")
        .topic_name("INVOICE")
        .status(DeliveryStatus::Failed)
        .start_date(time::macros::date!(2025 - 07 - 01))
        .end_date(time::macros::date!(2025 - 07 - 31))
        .sort("createdAt", Direction::Desc)
        .query("timeout")
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].call_history[0].http_status_code, Some(504));
    let entry = client.webhooks().log("w-1", "l-1").send().await.unwrap();
    assert_eq!(entry.final_status, Some(DeliveryStatus::Failed));
    client
        .webhooks()
        .retry_delivery("w-1", "l-1")
        .send()
        .await
        .unwrap();
    list.assert_async().await;
    get.assert_async().await;
    retry.assert_async().await;
}

#[tokio::test]
async fn v2_error_shape() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/webhooks/missing");
            then.status(404).json_body(json!({
                "type": "NOT_FOUND", "message": "Webhook not found", "status": 404,
                "instance": "/api/v2/webhooks/missing",
                "details": [{"type": "INVALID_PARAM", "message": "id", "status": 404}]
            }));
        })
        .await;
    let err = client.webhooks().get("missing").send().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.api_error().unwrap().code.as_deref(), Some("NOT_FOUND"));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let hooks = client.webhooks();
    assert_invalid(hooks.get("").send().await, "webhook_id");
    assert_invalid(NewWebhook::builder("", "https://x").build(), "display_name");
    assert_invalid(
        NewWebhook::builder("n", "https://x")
            .error_threshold(25)
            .build(),
        "error_threshold",
    );
    assert_invalid(
        hooks
            .replace_topics(
                "w",
                &[
                    TopicSubscription::new("INVOICE"),
                    TopicSubscription::new("INVOICE"),
                ],
            )
            .send()
            .await,
        "webhook_topics",
    );
    assert_invalid(
        hooks
            .add_topic("w", &TopicSubscription::new(" "))
            .send()
            .await,
        "topic",
    );
    assert_invalid(hooks.remove_topic("w", "").send().await, "topic_id");
    assert_invalid(hooks.test_topic("w", "").send().await, "topic");
    assert_invalid(hooks.retry_delivery("w", "").send().await, "log_id");
    assert_invalid(hooks.logs("").send().await, "webhook_id");
    any.assert_calls_async(0).await;
}
