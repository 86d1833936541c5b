//! Webhooks management, lookups and event notifications through the client against
//! `partner-sandbox`'s PayPal simulator: register a listener, read and change it, see a capture's
//! event in the stored notifications (a page and the stream), resend and simulate events.
//!
//! `sandbox_coverage.rs` maps every operationId of the specs to the test here that calls it.

mod sim;

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use paypal_partner::Client;
use paypal_partner::orders::{OrderRequest, PurchaseUnitRequest};
use paypal_partner::webhooks::{AnchorType, Event, NewWebhook, SimulateEvent, WebhookPatch};
use sim::{onboard, refusal, start, usd};

/// An https URL nothing listens on: the simulator's delivery is refused at once, and it stores the
/// event either way.
const LISTENER: &str = "https://127.0.0.1:9/paypal/webhooks";

/// A captured order for `seller`; the capture id.
async fn captured(sandbox: &partner_sandbox::Sandbox, client: &Client, seller: &str) -> String {
    let order =
        OrderRequest::capture(PurchaseUnitRequest::new(usd("25.00")).payee_merchant_id(seller));
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    sandbox.paypal().approve_order(created.id.as_str()).unwrap();
    let order = client
        .orders()
        .capture(&created.id)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    order.captures().next().unwrap().id.to_string()
}

#[tokio::test]
async fn register_read_update_and_delete_a_webhook() {
    let (_sandbox, client) = start().await;

    // webhooks-event-types.list: the catalogue names what the flows emit.
    let available: BTreeSet<String> = client
        .webhooks()
        .available_event_types()
        .send()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    for name in [
        Event::CAPTURE_COMPLETED,
        Event::ONBOARDING_COMPLETED,
        "PAYMENT.AUTHORIZATION.VOIDED",
    ] {
        assert!(available.contains(name), "{name} not in {available:?}");
    }

    // webhooks.post, then the same URL again is refused.
    let new = NewWebhook::builder()
        .url(LISTENER)
        .event_types([Event::CAPTURE_COMPLETED, Event::ONBOARDING_COMPLETED])
        .build()
        .unwrap();
    let created = client.webhooks().create(&new).send().await.unwrap();
    let id = created.id.clone().expect("PayPal gives the id");
    assert_eq!(created.url, LISTENER);
    let twice = client.webhooks().create(&new).send().await;
    assert_eq!(refusal(twice).0, 400);

    // webhooks.list and webhooks.get
    let listed = client.webhooks().list().send().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created));
    assert_eq!(
        client.webhooks().get(id.clone()).send().await.unwrap(),
        created
    );

    // webhooks.update: a new URL and one event type; event-types.list shows the subscription.
    let moved = "https://127.0.0.1:9/paypal/webhooks-v2";
    let patch = WebhookPatch::builder()
        .url(moved)
        .event_types([Event::CAPTURE_COMPLETED])
        .build()
        .unwrap();
    let updated = client
        .webhooks()
        .update(id.clone(), &patch)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.url, moved);
    let subscribed: Vec<String> = client
        .webhooks()
        .subscriptions(id.clone())
        .send()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(subscribed, [Event::CAPTURE_COMPLETED]);

    // Every event type, as `*`.
    let all = WebhookPatch::builder().all_events().build().unwrap();
    let updated = client
        .webhooks()
        .update(id.clone(), &all)
        .send()
        .await
        .unwrap();
    assert!(
        updated.event_types.iter().all(|t| t.is_all()),
        "{updated:?}"
    );
    let subscribed = client
        .webhooks()
        .subscriptions(id.clone())
        .send()
        .await
        .unwrap();
    assert!(
        !subscribed.is_empty() && subscribed.iter().all(|t| t.is_all()),
        "{subscribed:?}"
    );

    // webhooks.delete: gone from the list, and a read is 404.
    client.webhooks().delete(id.clone()).send().await.unwrap();
    assert!(client.webhooks().list().send().await.unwrap().is_empty());
    assert_eq!(refusal(client.webhooks().get(id).send().await).0, 404);
}

#[tokio::test]
async fn lookups_are_created_listed_read_and_deleted() {
    let (sandbox, client) = start().await;
    let created = client.webhook_lookups().create().send().await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(
        created.client_id.as_deref(),
        Some(sandbox.paypal().credentials().client_id.as_str())
    );
    assert_eq!(
        client.webhook_lookups().list().send().await.unwrap(),
        std::slice::from_ref(&created)
    );
    assert_eq!(
        client
            .webhook_lookups()
            .get(id.clone())
            .send()
            .await
            .unwrap(),
        created
    );
    client
        .webhook_lookups()
        .delete(id.clone())
        .send()
        .await
        .unwrap();
    assert!(
        client
            .webhook_lookups()
            .list()
            .send()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        refusal(client.webhook_lookups().get(id).send().await).0,
        404
    );
}

#[tokio::test]
async fn a_capture_event_is_listed_streamed_resent_and_simulated() {
    let (sandbox, client) = start().await;
    let new = NewWebhook::builder()
        .url(LISTENER)
        .event_types([Event::CAPTURE_COMPLETED])
        .build()
        .unwrap();
    let webhook_id = client
        .webhooks()
        .create(&new)
        .send()
        .await
        .unwrap()
        .id
        .unwrap();
    let seller = onboard(&sandbox, &client, "hooks-events").await;
    let first = captured(&sandbox, &client, &seller).await;
    let second = captured(&sandbox, &client, &seller).await;

    // webhooks-events.list: the capture's event, found by its transaction id.
    let page = client
        .webhook_events()
        .list()
        .transaction_id(first.clone())
        .event_type(Event::CAPTURE_COMPLETED)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "{:?}", page.items);
    let event = page.items[0].clone();
    let Event::CaptureCompleted(envelope) = &event else {
        panic!("expected a typed capture event, got {event:?}")
    };
    assert_eq!(envelope.resource.id.as_str(), first);
    let event_id = event.id().unwrap().to_owned();

    // The stream follows the `next` links one event a page: both captures, newest first.
    let streamed: Vec<Event> = client
        .webhook_events()
        .list()
        .event_type(Event::CAPTURE_COMPLETED)
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let captures: Vec<String> = streamed
        .iter()
        .map(|e| match e {
            Event::CaptureCompleted(envelope) => envelope.resource.id.to_string(),
            other => panic!("filtered to captures, got {other:?}"),
        })
        .collect();
    assert_eq!(captures, [second.clone(), first.clone()]);
    let capped: Vec<Event> = client
        .webhook_events()
        .list()
        .event_type(Event::CAPTURE_COMPLETED)
        .page_size(1)
        .max_pages(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(capped, streamed[..1], "max_pages stops the stream");

    // webhooks-events.get
    assert_eq!(
        client
            .webhook_events()
            .get(event_id.clone())
            .send()
            .await
            .unwrap(),
        event
    );

    // webhooks-events.resend: the same event to the named webhook, as another delivery.
    let delivered = |sandbox: &partner_sandbox::Sandbox| {
        sandbox
            .paypal()
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.event_id == event_id)
            .count()
    };
    let before = wait_for(&sandbox, 1, delivered).await;
    let resent = client
        .webhook_events()
        .resend(event_id.clone())
        .webhook_ids([webhook_id.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(resent.id(), Some(event_id.as_str()));
    wait_for(&sandbox, before + 1, delivered).await;
    let unknown = client
        .webhook_events()
        .resend(event_id.clone())
        .webhook_ids(["UNKNOWNWEBHOOK1"])
        .send()
        .await;
    assert_eq!(refusal(unknown).0, 400);

    // simulate-event.post: a sample event to the webhook, stored and listed with the others.
    let simulate = SimulateEvent::to_webhook(webhook_id, "PAYMENT.AUTHORIZATION.VOIDED").unwrap();
    let simulated = client
        .webhook_events()
        .simulate(&simulate)
        .send()
        .await
        .unwrap();
    assert_eq!(simulated.event_type(), "PAYMENT.AUTHORIZATION.VOIDED");
    let simulated_id = simulated.id().unwrap().to_owned();
    let newest = client
        .webhook_events()
        .list()
        .page_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(newest.items[0].id(), Some(simulated_id.as_str()));
    assert_eq!(
        client
            .webhook_events()
            .get(simulated_id)
            .send()
            .await
            .unwrap(),
        simulated
    );
}

/// Waits (deliveries run in the background) until `count` reaches at least `at_least`; the count.
async fn wait_for(
    sandbox: &partner_sandbox::Sandbox,
    at_least: usize,
    count: impl Fn(&partner_sandbox::Sandbox) -> usize,
) -> usize {
    for _ in 0..200 {
        let n = count(sandbox);
        if n >= at_least {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("fewer than {at_least} deliveries after 2 s")
}

/// The list options and the other targets the client offers, as the simulator honours them.
#[tokio::test]
async fn list_filters_and_the_other_event_targets() {
    let (sandbox, client) = start().await;
    let new = NewWebhook::builder()
        .url(LISTENER)
        .all_events()
        .build()
        .unwrap();
    let webhook = client.webhooks().create(&new).send().await.unwrap();
    assert!(
        webhook.event_types.iter().any(|t| t.is_all()),
        "{webhook:?}"
    );

    // anchor_type: the app's webhooks; the account's are none here.
    let app = client
        .webhooks()
        .list()
        .anchor_type(AnchorType::Application)
        .send()
        .await
        .unwrap();
    assert_eq!(app, std::slice::from_ref(&webhook));
    let account = client
        .webhooks()
        .list()
        .anchor_type(AnchorType::Account)
        .send()
        .await
        .unwrap();
    assert!(account.is_empty(), "{account:?}");

    // simulate-event.post to a URL (signed for the app's configured webhook id), then the time window.
    let to_url =
        SimulateEvent::to_url("https://127.0.0.1:9/elsewhere", Event::CAPTURE_COMPLETED).unwrap();
    let simulated = client
        .webhook_events()
        .simulate(&to_url)
        .send()
        .await
        .unwrap();
    let id = simulated.id().unwrap().to_owned();
    let windows = [
        ("2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", true),
        ("2999-01-01T00:00:00Z", "2999-12-31T00:00:00Z", false),
        ("2000-01-01T00:00:00Z", "2000-12-31T00:00:00Z", false),
    ];
    for (start_time, end_time, listed) in windows {
        let page = client
            .webhook_events()
            .list()
            .start_time(start_time)
            .end_time(end_time)
            .send()
            .await
            .unwrap();
        let ids: Vec<_> = page.items.iter().filter_map(|e| e.id()).collect();
        assert_eq!(
            ids.contains(&id.as_str()),
            listed,
            "{start_time}..{end_time}: {ids:?}"
        );
    }

    // webhooks-events.resend without webhook ids: to the event's own targets again.
    let count = |sandbox: &partner_sandbox::Sandbox| {
        sandbox
            .paypal()
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.event_id == id)
            .count()
    };
    let before = wait_for(&sandbox, 1, count).await;
    client
        .webhook_events()
        .resend(id.clone())
        .send()
        .await
        .unwrap();
    wait_for(&sandbox, before + 1, count).await;

    // A malformed id is refused before anything is sent.
    let bad = SimulateEvent::to_webhook("WH-NOT-ALNUM", Event::CAPTURE_COMPLETED);
    assert!(
        matches!(bad, Err(paypal_partner::Error::InvalidInput(_))),
        "{bad:?}"
    );
}
