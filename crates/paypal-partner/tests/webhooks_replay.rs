//! Each delivery is accepted once (issue 15): exact replays and CRC32-preserving rewrites are
//! refused, a failed signature burns no transmission id, the certificate is fetched once however many
//! deliveries wait for it, and events that move money are confirmed with the API.
mod common;
mod signed_delivery;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{BoxFuture, join_all};
use httpmock::prelude::*;
use paypal_partner::partner_core::auth::StoreError;
use paypal_partner::partner_core::replay::{MemoryReplayStore, ReplayStore};
use paypal_partner::webhooks::{
    Confirmed, Event, EventSubject, WebhookError, WebhookHeaders, WebhookVerifier,
};
use serde_json::json;
use signed_delivery::*;

const CAPTURE_ID: &str = "2GG279541U471931P";
const CAPTURE_BODY: &str = r#"{"id":"WH-58D329510W468432D-8HN650336L201105X","event_version":"1.0","create_time":"2030-01-01T00:00:00.000Z","resource_type":"capture","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Payment completed for $ 100.0 USD","resource":{"id":"2GG279541U471931P","status":"COMPLETED","amount":{"currency_code":"USD","value":"100.00"},"final_capture":true},"links":[]}"#;

fn is_replay(result: &Result<(), WebhookError>) -> bool {
    matches!(result, Err(WebhookError::Replayed { transmission_id }) if transmission_id == TRANSMISSION_ID)
}

/// What the issue's attacker sent: the captured body rewritten (amount 99999.00, capture `CAP-666`),
/// then 64 bytes of spaces and tabs chosen so that the CRC32 is the original's again.
fn crc32_preserving_rewrite(original: &str) -> Vec<u8> {
    let rewritten = original
        .replace(CAPTURE_ID, "CAP-666")
        .replace("\"100.00\"", "\"99999.00\"");
    assert_ne!(rewritten, original);
    pad_to_crc32(rewritten.as_bytes(), crc32fast::hash(original.as_bytes()))
}

/// `body` followed by 64 spaces or tabs, whose CRC32 is `target`. CRC32 is affine over GF(2): turning
/// padding byte `i` from a space into a tab XORs a fixed `effects[i]` into the CRC whatever the other
/// bytes, so a set of flips whose effects XOR to `crc ^ target` is found by Gaussian elimination.
fn pad_to_crc32(body: &[u8], target: u32) -> Vec<u8> {
    const PAD: usize = 64;
    let mut padded = body.to_vec();
    padded.extend([b' '; PAD]);
    let crc = crc32fast::hash(&padded);
    let effects = (0..PAD).map(|i| {
        let mut flipped = padded.clone();
        flipped[body.len() + i] = b'\t';
        crc32fast::hash(&flipped) ^ crc
    });
    // An XOR basis, by decreasing leading bit, each vector with the set of flips that makes it.
    let mut basis: Vec<(u32, u64)> = Vec::new();
    for (i, effect) in effects.enumerate() {
        let (vector, flips) = reduce(&basis, effect, 1 << i);
        if vector != 0 {
            basis.push((vector, flips));
            basis.sort_by_key(|&(vector, _)| std::cmp::Reverse(vector));
        }
    }
    let (rest, flips) = reduce(&basis, crc ^ target, 0);
    assert_eq!(rest, 0, "no padding reaches the CRC32");
    for i in (0..PAD).filter(|i| flips >> i & 1 == 1) {
        padded[body.len() + i] = b'\t';
    }
    padded
}

fn reduce(basis: &[(u32, u64)], mut vector: u32, mut flips: u64) -> (u32, u64) {
    for &(b, b_flips) in basis {
        if vector ^ b < vector {
            vector ^= b;
            flips ^= b_flips;
        }
    }
    (vector, flips)
}

#[tokio::test]
async fn an_exact_replay_is_refused_by_the_verifier_and_its_clones() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let v = verifier(&f.client);
    v.verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
    assert!(is_replay(
        &v.verify_delivery(&h, CAPTURE_BODY.as_bytes()).await
    ));
    let clone = v.clone();
    assert!(matches!(
        clone.verify_event(&h, CAPTURE_BODY.as_bytes()).await,
        Err(WebhookError::Replayed { .. })
    ));
    // Another transmission (PayPal's retry of the event) is accepted.
    let retry = signed_headers(
        "retry-2",
        SENT_AT,
        &f.server.url(CERT_PATH),
        CAPTURE_BODY.as_bytes(),
    );
    v.verify_delivery(&retry, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
}

#[tokio::test]
async fn concurrent_copies_of_a_delivery_are_accepted_once() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let v = verifier(&f.client);
    let results = join_all((0..20).map(|_| v.verify_delivery(&h, CAPTURE_BODY.as_bytes()))).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert_eq!(results.iter().filter(|r| is_replay(r)).count(), 19);
}

#[tokio::test]
async fn a_replay_is_refused_across_the_whole_tolerance_both_ways() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let tolerance = Duration::from_secs(300);
    let v = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .tolerance(tolerance)
        .build();
    assert_eq!(v.replay_window(), Duration::from_secs(660));
    // A tolerance no clock can reach saturates instead of overflowing.
    let forever = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .tolerance(Duration::MAX)
        .build();
    assert_eq!(forever.replay_window(), Duration::MAX);
    // First seen by a clock running `tolerance` behind the sender...
    f.clock
        .set(std::time::UNIX_EPOCH + Duration::from_secs(NOW) - tolerance);
    v.verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
    // ...and replayed at the last moment the transmission time allows.
    f.clock
        .set(std::time::UNIX_EPOCH + Duration::from_secs(NOW) + tolerance);
    assert!(is_replay(
        &v.verify_delivery(&h, CAPTURE_BODY.as_bytes()).await
    ));
}

#[tokio::test]
async fn a_crc32_preserving_rewrite_of_a_delivered_event_is_refused() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let forged = crc32_preserving_rewrite(CAPTURE_BODY);
    assert_eq!(
        crc32fast::hash(&forged),
        crc32fast::hash(CAPTURE_BODY.as_bytes())
    );
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let v = verifier(&f.client);
    v.verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
    let result = v.verify_event(&h, &forged).await;
    assert!(
        matches!(&result, Err(WebhookError::Replayed { transmission_id }) if transmission_id == TRANSMISSION_ID),
        "{result:?}"
    );

    // What the guard cannot prove: a verifier that has not seen the genuine delivery accepts the
    // rewrite, with its forged figures. Hence confirming with the API.
    let event = verifier(&f.client).verify_event(&h, &forged).await.unwrap();
    let Event::CaptureCompleted(capture) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(capture.resource.id, "CAP-666");
    assert_eq!(
        event.subject(),
        Some(EventSubject::Capture("CAP-666".into()))
    );
}

#[tokio::test]
async fn confirming_with_the_api_exposes_a_rewrite_that_came_first() {
    let f = fixture().await;
    common::token_mock(&f.server).await;
    serve(&f.server, CERT).await;
    let missing = f
        .server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/payments/captures/CAP-666");
            then.status(404)
                .json_body(json!({"name": "RESOURCE_NOT_FOUND",
                "message": "The specified resource does not exist.", "debug_id": "d1"}));
        })
        .await;
    let genuine = f
        .server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/payments/captures/{CAPTURE_ID}"))
                .header("authorization", common::bearer());
            then.status(200)
                .json_body(json!({"id": CAPTURE_ID, "status": "COMPLETED",
                "amount": {"currency_code": "USD", "value": "100.00"}}));
        })
        .await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let forged = crc32_preserving_rewrite(CAPTURE_BODY);
    let event = verifier(&f.client).verify_event(&h, &forged).await.unwrap();
    let err = f
        .client
        .webhooks()
        .confirm(&event)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
    missing.assert_calls_async(1).await;

    let event = Event::from_slice(CAPTURE_BODY.as_bytes()).unwrap();
    let Confirmed::Capture(capture) = f.client.webhooks().confirm(&event).send().await.unwrap()
    else {
        panic!("not a capture")
    };
    assert_eq!(capture.amount.unwrap().value.to_string(), "100.00");
    genuine.assert_calls_async(1).await;
}

#[tokio::test]
async fn confirm_fetches_refunds_and_orders_and_refuses_events_naming_nothing() {
    let f = fixture().await;
    common::token_mock(&f.server).await;
    let refund = f
        .server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/payments/refunds/R-1");
            then.status(200)
                .json_body(json!({"id": "R-1", "status": "COMPLETED"}));
        })
        .await;
    let order = f
        .server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/checkout/orders/O-1")
                .header_exists("paypal-auth-assertion");
            then.status(200)
                .json_body(json!({"id": "O-1", "status": "APPROVED"}));
        })
        .await;
    let event = |body: serde_json::Value| Event::from_slice(body.to_string().as_bytes()).unwrap();
    let refunded =
        event(json!({"event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {"id": "R-1"}}));
    let confirmed = f.client.webhooks().confirm(&refunded).send().await.unwrap();
    assert!(matches!(confirmed, Confirmed::Refund(r) if r.id == "R-1"));
    let approved = event(json!({"event_type": "CHECKOUT.ORDER.APPROVED",
        "resource_type": "checkout-order", "resource": {"id": "O-1"}}));
    let confirmed = f
        .client
        .webhooks()
        .confirm(&approved)
        .on_behalf_of("SELLER1")
        .send()
        .await
        .unwrap();
    assert!(matches!(confirmed, Confirmed::Order(o) if o.id == "O-1"));
    refund.assert_calls_async(1).await;
    order.assert_calls_async(1).await;

    // Nothing to fetch, or an id that would change the path: refused before sending.
    let onboarding = event(json!({"event_type": "MERCHANT.ONBOARDING.COMPLETED", "resource": {}}));
    let bad_id =
        event(json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {"id": "a b"}}));
    for e in [onboarding, bad_id] {
        let err = f.client.webhooks().confirm(&e).send().await.unwrap_err();
        assert!(
            matches!(err, paypal_partner::Error::InvalidInput(_)),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_bad_signature_does_not_burn_the_transmission_id() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let v = verifier(&f.client);
    let mut garbage = h.clone();
    garbage.transmission_sig =
        signed_headers(TRANSMISSION_ID, SENT_AT, "x", b"other").transmission_sig;
    assert!(matches!(
        v.verify_delivery(&garbage, CAPTURE_BODY.as_bytes()).await,
        Err(WebhookError::SignatureMismatch)
    ));
    v.verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
}

/// A shared store that is down.
#[derive(Debug)]
struct Down;

impl ReplayStore for Down {
    fn insert<'a>(
        &'a self,
        _key: &'a str,
        _window: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async { Err(StoreError::new("Redis did not answer in time")) })
    }
}

#[tokio::test]
async fn a_replay_store_that_cannot_tell_refuses_the_delivery() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), CAPTURE_BODY.as_bytes());
    let down = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .replay_store(Arc::new(Down))
        .build();
    let err = down
        .verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::ReplayCheckUnavailable(m) if m.contains("did not answer")),
        "{err:?}"
    );

    // A full in-memory store refuses new deliveries rather than forgetting accepted ones.
    let full = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .replay_store(Arc::new(
            MemoryReplayStore::with_capacity(1).clock(f.client.clock().clone()),
        ))
        .build();
    full.verify_delivery(&h, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
    let other = signed_headers("other", SENT_AT, &h.cert_url, CAPTURE_BODY.as_bytes());
    assert!(matches!(
        full.verify_delivery(&other, CAPTURE_BODY.as_bytes()).await,
        Err(WebhookError::ReplayCheckUnavailable(_))
    ));
    assert!(is_replay(
        &full.verify_delivery(&h, CAPTURE_BODY.as_bytes()).await
    ));
    // Once the window has passed, there is room again.
    f.clock.advance(full.replay_window());
    let later = signed_headers(
        "later",
        "2030-01-01T00:11:00Z",
        &h.cert_url,
        CAPTURE_BODY.as_bytes(),
    );
    full.verify_delivery(&later, CAPTURE_BODY.as_bytes())
        .await
        .unwrap();
}

fn deliveries(cert_url: &str, count: usize) -> Vec<WebhookHeaders> {
    (0..count)
        .map(|i| {
            signed_headers(
                &format!("delivery-{i}"),
                SENT_AT,
                cert_url,
                CAPTURE_BODY.as_bytes(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_hundred_concurrent_deliveries_fetch_a_new_certificate_once() {
    let f = fixture().await;
    let cert = serve(&f.server, CERT).await;
    let v = verifier(&f.client);
    let all = deliveries(&f.server.url(CERT_PATH), 100);
    let results = join_all(
        all.iter()
            .map(|h| v.verify_delivery(h, CAPTURE_BODY.as_bytes())),
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    cert.assert_calls_async(1).await;

    // The same across tasks of a multi-threaded runtime.
    let f = fixture().await;
    let cert = serve(&f.server, CERT).await;
    let v = verifier(&f.client);
    let tasks: Vec<_> = deliveries(&f.server.url(CERT_PATH), 100)
        .into_iter()
        .map(|h| {
            let v = v.clone();
            tokio::spawn(async move { v.verify_delivery(&h, CAPTURE_BODY.as_bytes()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    cert.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_failed_certificate_fetch_is_shared_then_retried() {
    let f = fixture().await;
    let broken = f
        .server
        .mock_async(|when, then| {
            when.method(GET).path(CERT_PATH);
            then.status(503);
        })
        .await;
    let v = verifier(&f.client);
    let all = deliveries(&f.server.url(CERT_PATH), 10);
    let results = join_all(
        all.iter()
            .map(|h| v.verify_delivery(h, CAPTURE_BODY.as_bytes())),
    )
    .await;
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(WebhookError::CertificateFetch(_)))),
        "{results:?}"
    );
    broken.assert_calls_async(1).await;
    broken.delete_async().await;

    // The failure was not cached, and the refused deliveries burnt no transmission id.
    let cert = serve(&f.server, CERT).await;
    for h in &all {
        v.verify_delivery(h, CAPTURE_BODY.as_bytes()).await.unwrap();
    }
    cert.assert_calls_async(1).await;
}
