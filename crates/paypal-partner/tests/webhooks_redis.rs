//! A fleet sharing Redis accepts each webhook delivery once between its processes.
//!
//! Needs `REDIS_URL` (skipped with a printed reason outside CI, a failure under `CI=true`), like
//! partner-core's Redis tests: `redis-server --port 6390 --save '' --appendonly no --daemonize yes`.
#![cfg(feature = "redis")]

mod common;
mod signed_delivery;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::future::join_all;
use paypal_partner::Client;
use paypal_partner::partner_core::redis::{RedisConnection, RedisOptions, RedisReplayStore};
use paypal_partner::webhooks::{WebhookError, WebhookVerifier};
use signed_delivery::*;

const BODY: &str = r#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource_type":"capture","resource":{"id":"2GG279541U471931P","status":"COMPLETED","amount":{"currency_code":"USD","value":"100.00"}}}"#;

fn redis_url() -> Option<String> {
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if in_ci => panic!("CI=true but REDIS_URL is not set: the Redis tests must run in CI"),
        _ => {
            eprintln!(
                "skipping: REDIS_URL is not set (run `redis-server --port 6390 --save '' --appendonly no \
                 --daemonize yes` and set REDIS_URL=redis://127.0.0.1:6390)"
            );
            None
        }
    }
}

/// A namespace no other run uses, so runs can share one server.
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test-{prefix}-{}-{nanos}", std::process::id())
}

/// One process of the fleet: its own connection to the shared Redis.
async fn process(client: &Client, url: &str, namespace: &str) -> WebhookVerifier {
    let store = RedisReplayStore::connect(url)
        .await
        .unwrap()
        .namespace(namespace);
    WebhookVerifier::builder(client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .replay_store(Arc::new(store))
        .build()
}

#[tokio::test]
async fn two_verifiers_sharing_redis_accept_a_delivery_once_between_them() {
    let Some(url) = redis_url() else { return };
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let ns = unique("paypal-webhooks");
    let (a, b) = (
        process(&f.client, &url, &ns).await,
        process(&f.client, &url, &ns).await,
    );
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());

    // The same delivery reaches both at once, several times.
    let results = join_all((0..10).map(|i| {
        let v = if i % 2 == 0 { &a } else { &b };
        v.verify_delivery(&h, BODY.as_bytes())
    }))
    .await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(WebhookError::Replayed { .. }))),
        "{results:?}"
    );

    // A later replay to either is refused; another transmission is accepted by either.
    assert!(matches!(
        b.verify_delivery(&h, BODY.as_bytes()).await,
        Err(WebhookError::Replayed { .. })
    ));
    let retry = signed_headers("retry-1", SENT_AT, &h.cert_url, BODY.as_bytes());
    b.verify_delivery(&retry, BODY.as_bytes()).await.unwrap();
    assert!(matches!(
        a.verify_delivery(&retry, BODY.as_bytes()).await,
        Err(WebhookError::Replayed { .. })
    ));
}

#[tokio::test]
async fn a_redis_outage_refuses_deliveries_rather_than_risk_a_replay() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    // Nothing listens on a port we bound and released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = RedisOptions::default()
        .connect_timeout(Duration::from_millis(200))
        .command_timeout(Duration::from_millis(200));
    let redis = RedisConnection::connect_with(&format!("redis://127.0.0.1:{port}"), options)
        .await
        .unwrap();
    let v = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .replay_store(Arc::new(RedisReplayStore::new(redis)))
        .build();
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let err = v.verify_delivery(&h, BODY.as_bytes()).await.unwrap_err();
    assert!(
        matches!(err, WebhookError::ReplayCheckUnavailable(_)),
        "{err:?}"
    );
}
