//! The Redis replay store: one first sighting per key and window across connections, the key's TTL,
//! namespaces, and an outage refusing rather than admitting.
#![cfg(feature = "redis")]

mod redis_common;

use std::time::Duration;

use futures_util::future::join_all;
use partner_core::redis::{RedisConnection, RedisOptions, RedisReplayStore};
use partner_core::replay::ReplayStore;
use redis::AsyncCommands;
use redis_common::{raw, redis_url, unique};

const WINDOW: Duration = Duration::from_secs(660);

#[tokio::test]
async fn each_key_is_first_once_across_processes() {
    let Some(url) = redis_url() else { return };
    let ns = unique("replay");
    // Two "processes": two connections, one namespace.
    let a = RedisReplayStore::connect(&url)
        .await
        .unwrap()
        .namespace(&ns);
    let b = RedisReplayStore::connect(&url)
        .await
        .unwrap()
        .namespace(&ns);
    let attempts = (0..20).map(|i| {
        let store = if i % 2 == 0 { &a } else { &b };
        store.insert("tx-1", WINDOW)
    });
    let results: Vec<bool> = join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.iter().filter(|first| **first).count(), 1);

    let key = a.key_for("tx-1");
    assert_eq!(key, format!("{ns}:replay:tx-1"));
    let ttl: i64 = raw(&url).await.pttl(&key).await.unwrap();
    assert!(
        ttl > 0 && ttl <= WINDOW.as_millis() as i64,
        "PTTL {ttl} outside (0, {WINDOW:?}]"
    );

    // Another key, or another namespace, is a first sighting.
    assert!(b.insert("tx-2", WINDOW).await.unwrap());
    let other = RedisReplayStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("other-app"));
    assert!(other.insert("tx-1", WINDOW).await.unwrap());
}

#[tokio::test]
async fn a_key_is_first_again_once_its_window_has_passed() {
    let Some(url) = redis_url() else { return };
    let store = RedisReplayStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("expiry"));
    assert!(store.insert("tx", Duration::from_millis(1)).await.unwrap());
    // Redis expires the key on its own clock; wait until it has (no timing assumption: poll).
    let mut conn = raw(&url).await;
    while conn.exists::<_, bool>(store.key_for("tx")).await.unwrap() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(store.insert("tx", WINDOW).await.unwrap());
    assert!(!store.insert("tx", WINDOW).await.unwrap());
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_not_a_first_sighting() {
    // Nothing listens on a port we bound and released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = RedisOptions::default()
        .connect_timeout(Duration::from_millis(200))
        .command_timeout(Duration::from_millis(200));
    let connection = RedisConnection::connect_with(&format!("redis://127.0.0.1:{port}"), options)
        .await
        .unwrap();
    let store = RedisReplayStore::new(connection);
    for _ in 0..2 {
        assert!(store.insert("tx", WINDOW).await.is_err());
    }
}
