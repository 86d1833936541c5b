//! Webhooks management v1 on the wire: registrations, subscriptions, event types, lookups, event
//! notifications (with the `next`-link walk and its guards), resend and simulate.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use paypal_partner::Error;
use paypal_partner::webhooks::{AnchorType, Event, NewWebhook, SimulateEvent, WebhookPatch};
use serde_json::json;

fn webhook_json(server: &MockServer) -> serde_json::Value {
    json!({
        "id": "0EH40505U7160970P",
        "url": "https://platform.example/paypal/webhooks",
        "event_types": [
            {"name": "PAYMENT.CAPTURE.COMPLETED", "description": "A payment capture completes."},
            {"name": "MERCHANT.ONBOARDING.COMPLETED", "status": "ENABLED", "resource_versions": ["1.0"]}
        ],
        "links": [{"href": server.url("/v1/notifications/webhooks/0EH40505U7160970P"), "rel": "self", "method": "GET"}]
    })
}

fn capture_event(id: &str) -> serde_json::Value {
    json!({
        "id": id, "create_time": "2026-12-01T10:00:00Z", "resource_type": "capture",
        "event_type": "PAYMENT.CAPTURE.COMPLETED", "event_version": "1.0", "resource_version": "2.0",
        "summary": "Payment completed for $ 10.0 USD",
        "resource": {"id": "2GG279541U471931P", "status": "COMPLETED",
                     "amount": {"currency_code": "USD", "value": "10.00"}},
        "links": []
    })
}

#[tokio::test]
async fn create_sends_the_registration_and_decodes_the_webhook() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/webhooks")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .header("paypal-partner-attribution-id", BN_CODE)
                .json_body(json!({
                    "url": "https://platform.example/paypal/webhooks",
                    "event_types": [{"name": "PAYMENT.CAPTURE.COMPLETED"}, {"name": "MERCHANT.ONBOARDING.COMPLETED"}]
                }));
            then.status(201).json_body(webhook_json(&server));
        })
        .await;
    let new = NewWebhook::builder()
        .url("https://platform.example/paypal/webhooks")
        .event_type(Event::CAPTURE_COMPLETED)
        .event_type(Event::ONBOARDING_COMPLETED)
        .build()
        .unwrap();
    let webhook = client(&server)
        .webhooks()
        .create(&new)
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    assert_eq!(webhook.id.unwrap().as_str(), "0EH40505U7160970P");
    assert_eq!(webhook.event_types.len(), 2);
    assert_eq!(webhook.event_types[1].resource_versions, ["1.0"]);
}

#[tokio::test]
async fn list_get_update_delete_and_subscriptions() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let body = webhook_json(&server);
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks")
                .query_param("anchor_type", "ACCOUNT")
                .header("authorization", bearer());
            then.status(200)
                .json_body(json!({"webhooks": [body.clone()]}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks/0EH40505U7160970P");
            then.status(200).json_body(webhook_json(&server));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v1/notifications/webhooks/0EH40505U7160970P")
                .header("content-type", "application/json")
                .json_body(json!([
                    {"op": "replace", "path": "/url", "value": "https://platform.example/v2/hooks"},
                    {"op": "replace", "path": "/event_types", "value": [{"name": "*"}]}
                ]));
            then.status(200).json_body(webhook_json(&server));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/notifications/webhooks/0EH40505U7160970P")
                .header("authorization", bearer());
            then.status(204);
        })
        .await;
    let subscriptions = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks/0EH40505U7160970P/event-types");
            then.status(200).json_body(json!({"event_types": [
                {"name": "PAYMENT.CAPTURE.COMPLETED", "description": "A payment capture completes.", "status": "ENABLED"}
            ]}));
        })
        .await;
    let available = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-event-types");
            then.status(200).json_body(json!({"event_types": [
                {"name": "PAYMENT.CAPTURE.COMPLETED", "resource_versions": ["1.0", "2.0"]},
                {"name": "CHECKOUT.ORDER.APPROVED"}
            ]}));
        })
        .await;

    let hooks = client(&server).webhooks();
    let all = hooks
        .list()
        .anchor_type(AnchorType::Account)
        .send()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let one = hooks.get("0EH40505U7160970P").send().await.unwrap();
    assert_eq!(one.url, "https://platform.example/paypal/webhooks");
    let patch = WebhookPatch::builder()
        .url("https://platform.example/v2/hooks")
        .all_events()
        .build()
        .unwrap();
    hooks
        .update("0EH40505U7160970P", &patch)
        .send()
        .await
        .unwrap();
    let subscribed = hooks
        .subscriptions("0EH40505U7160970P")
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed[0].status.as_deref(), Some("ENABLED"));
    let types = hooks.available_event_types().send().await.unwrap();
    assert_eq!(types[0].resource_versions, ["1.0", "2.0"]);
    assert_eq!(types[1].name, "CHECKOUT.ORDER.APPROVED");
    hooks.delete("0EH40505U7160970P").send().await.unwrap();
    for mock in [&list, &get, &update, &delete, &subscriptions, &available] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn a_hostile_webhook_id_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    for id in ["", "a b", "x\ny"] {
        let err = client(&server).webhooks().get(id).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{id:?}: {err:?}");
    }
    // `..` and `/` are encoded as one segment, never a walk up the path.
    let encoded = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/notifications/webhooks/..%2Fwebhooks-lookup");
            then.status(204);
        })
        .await;
    client(&server)
        .webhooks()
        .delete("../webhooks-lookup")
        .send()
        .await
        .unwrap();
    encoded.assert_async().await;
    assert!(token.calls_async().await <= 1);
}

#[tokio::test]
async fn lookups() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let lookup = json!({"id": "WL-2LS66426AH8398435", "client_id": CLIENT_ID,
        "links": [{"href": server.url("/v1/notifications/webhooks-lookup/WL-2LS66426AH8398435"), "rel": "self", "method": "GET"}]});
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/webhooks-lookup")
                .header("authorization", bearer())
                .header_exists("paypal-request-id")
                .body("");
            then.status(201).json_body(lookup.clone());
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/notifications/webhooks-lookup");
            then.status(200)
                .json_body(json!({"webhooks_lookups": [lookup.clone()]}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-lookup/WL-2LS66426AH8398435");
            then.status(200).json_body(lookup.clone());
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/notifications/webhooks-lookup/WL-2LS66426AH8398435");
            then.status(204);
        })
        .await;
    let lookups = client(&server).webhook_lookups();
    let created = lookups.create().send().await.unwrap();
    let id = created.id.unwrap();
    assert_eq!(created.client_id.as_deref(), Some(CLIENT_ID));
    assert_eq!(lookups.list().send().await.unwrap().len(), 1);
    assert_eq!(
        lookups.get(id.clone()).send().await.unwrap().id,
        Some(id.clone())
    );
    lookups.delete(id).send().await.unwrap();
    for mock in [&create, &list, &get, &delete] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn event_list_sends_filters_and_types_events() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-events")
                .query_param("page_size", "2")
                .query_param("start_time", "2026-12-01T00:00:00Z")
                .query_param("end_time", "2026-12-02T00:00:00Z")
                .query_param("transaction_id", "2GG279541U471931P")
                .query_param("event_type", "PAYMENT.CAPTURE.COMPLETED")
                .header("authorization", bearer());
            then.status(200).json_body(json!({
                "events": [capture_event("WH-1"), {"id": "WH-2", "event_type": "VAULT.CREDIT-CARD.CREATED", "resource": {"id": "CARD-1"}}],
                "count": 2,
                "links": []
            }));
        })
        .await;
    let page = client(&server)
        .webhook_events()
        .list()
        .page_size(2)
        .start_time("2026-12-01T00:00:00Z")
        .end_time("2026-12-02T00:00:00Z")
        .transaction_id("2GG279541U471931P")
        .event_type(Event::CAPTURE_COMPLETED)
        .send()
        .await
        .unwrap();
    list.assert_async().await;
    assert_eq!(page.items().len(), 2);
    assert!(matches!(page.items()[0], Event::CaptureCompleted(_)));
    assert!(
        matches!(&page.items()[1], Event::Unknown { event_type, .. } if event_type == "VAULT.CREDIT-CARD.CREATED")
    );
}

#[tokio::test]
async fn event_list_input_is_checked_before_sending() {
    let server = MockServer::start_async().await;
    let events = client(&server).webhook_events();
    for (list, field) in [
        (events.list().page_size(0), "page_size"),
        (events.list().page_size(301), "page_size"),
        (events.list().start_time("yesterday"), "start_time"),
        (events.list().end_time("2026-12-01"), "end_time"),
        (events.list().transaction_id("a b"), "transaction_id"),
    ] {
        match list.send().await {
            Err(Error::InvalidInput(e)) => assert_eq!(e.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let mut stream = Box::pin(events.list().page_size(0).stream());
    assert!(matches!(
        stream.try_next().await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn event_stream_follows_next_links() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let next = server.url("/v1/notifications/webhooks-events?page_size=1&start_time=2026-12-01T00%3A00%3A00Z&end_time=2026-12-01T10%3A00%3A00Z");
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-events")
                .query_param("page_size", "1")
                .query_param_missing("end_time");
            then.status(200).json_body(json!({
                "events": [capture_event("WH-1")], "count": 1,
                "links": [{"href": next, "rel": "next", "method": "GET"}]
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-events")
                .query_param("page_size", "1")
                .query_param("end_time", "2026-12-01T10:00:00Z")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE);
            then.status(200).json_body(json!({
                "events": [capture_event("WH-2")], "count": 1, "links": []
            }));
        })
        .await;
    let events: Vec<Event> = client(&server)
        .webhook_events()
        .list()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        events.iter().map(|e| e.id().unwrap()).collect::<Vec<_>>(),
        ["WH-1", "WH-2"]
    );
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn event_stream_stops_on_a_looping_or_foreign_next_link() {
    for (href, what) in [
        ("{self}", "loop"),
        (
            "https://evil.example/v1/notifications/webhooks-events?page_size=1&x=2",
            "foreign host",
        ),
        ("{server}/v1/oauth2/token?page_size=1", "another endpoint"),
    ] {
        let server = MockServer::start_async().await;
        token_mock(&server).await;
        let href = href
            .replace(
                "{self}",
                &server.url("/v1/notifications/webhooks-events?page_size=1"),
            )
            .replace("{server}", &server.base_url());
        let page = server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/notifications/webhooks-events");
                then.status(200).json_body(json!({
                    "events": [capture_event("WH-1")],
                    "links": [{"href": href, "rel": "next", "method": "GET"}]
                }));
            })
            .await;
        let results: Vec<Result<Event, Error>> = futures_util::StreamExt::collect(
            client(&server)
                .webhook_events()
                .list()
                .page_size(1)
                .stream(),
        )
        .await;
        assert_eq!(results.len(), 2, "{what}");
        assert!(results[0].is_ok(), "{what}");
        assert!(
            matches!(&results[1], Err(Error::Transport(t)) if t.kind() == paypal_partner::partner_core::error::TransportErrorKind::Request),
            "{what}: {:?}",
            results[1]
        );
        // The first page only: nothing was sent to the link.
        assert_eq!(page.calls_async().await, 1, "{what}");
    }
}

#[tokio::test]
async fn get_resend_and_simulate() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/notifications/webhooks-events/WH-1");
            then.status(200).json_body(capture_event("WH-1"));
        })
        .await;
    let resend = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/webhooks-events/WH-1/resend")
                .header("paypal-request-id", "resend-1")
                .json_body(json!({"webhook_ids": ["0EH40505U7160970P"]}));
            then.status(202).json_body(capture_event("WH-1"));
        })
        .await;
    let simulate = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/notifications/simulate-event")
                .json_body(json!({"webhook_id": "0EH40505U7160970P", "event_type": "PAYMENT.CAPTURE.COMPLETED", "resource_version": "2.0"}));
            then.status(202).json_body(capture_event("WH-SIM"));
        })
        .await;
    let events = client(&server).webhook_events();
    let event = events.get("WH-1").send().await.unwrap();
    assert!(matches!(event, Event::CaptureCompleted(_)));
    events
        .resend("WH-1")
        .webhook_ids(["0EH40505U7160970P"])
        .idempotency_key(paypal_partner::IdempotencyKey::new("resend-1").unwrap())
        .send()
        .await
        .unwrap();
    let sample = SimulateEvent::to_webhook("0EH40505U7160970P", Event::CAPTURE_COMPLETED)
        .unwrap()
        .resource_version("2.0");
    let simulated = events.simulate(&sample).send().await.unwrap();
    assert_eq!(simulated.id(), Some("WH-SIM"));
    for mock in [&get, &resend, &simulate] {
        mock.assert_async().await;
    }
}

#[test]
fn simulate_input_is_checked() {
    assert!(SimulateEvent::to_webhook("not-alnum", "PAYMENT.CAPTURE.COMPLETED").is_err());
    assert!(SimulateEvent::to_webhook("ABC", "PAYMENT CAPTURE").is_err());
    assert!(
        SimulateEvent::to_url("http://insecure.example/h", "PAYMENT.CAPTURE.COMPLETED").is_err()
    );
    let ok =
        SimulateEvent::to_url("https://platform.example/h", "PAYMENT.CAPTURE.COMPLETED").unwrap();
    assert_eq!(
        serde_json::to_value(ok).unwrap(),
        json!({"url": "https://platform.example/h", "event_type": "PAYMENT.CAPTURE.COMPLETED"})
    );
}

#[tokio::test]
async fn api_errors_keep_paypal_details() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/notifications/webhooks");
            then.status(400).json_body(json!({
                "name": "WEBHOOK_URL_ALREADY_EXISTS",
                "message": "Webhook URL already exists",
                "debug_id": "dbg-123"
            }));
        })
        .await;
    let new = NewWebhook::builder()
        .url("https://platform.example/paypal/webhooks")
        .all_events()
        .build()
        .unwrap();
    let err = client(&server)
        .webhooks()
        .create(&new)
        .no_retries()
        .send()
        .await
        .unwrap_err();
    let details = err
        .provider_details::<paypal_partner::ErrorDetails>()
        .expect("PayPal's error document");
    assert_eq!(details.name.as_deref(), Some("WEBHOOK_URL_ALREADY_EXISTS"));
}

#[tokio::test]
async fn event_stream_stops_at_max_pages() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    // A server that always links a fresh next page: max_pages bounds the walk.
    let next = server.url("/v1/notifications/webhooks-events?page_size=1&cursor=next");
    let pages = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/notifications/webhooks-events");
            then.status(200).json_body(json!({
                "events": [capture_event("WH-1")],
                "links": [{"href": next, "rel": "next", "method": "GET"}]
            }));
        })
        .await;
    let events: Vec<Event> = client(&server)
        .webhook_events()
        .list()
        .page_size(1)
        .max_pages(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    pages.assert_calls_async(2).await;
}
