//! Cross-process single-flight: a fleet sharing a Redis token store fetches one token.
#![cfg(feature = "redis")]

mod redis_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use partner_core::auth::TokenStore;
use partner_core::redis::RedisTokenStore;
use redis::AsyncCommands;
use redis_common::{Provider, TOKEN, raw, redis_url, unique};

/// Four "processes" (each its own `ApiClient`, `TokenCache` and Redis connection) start together
/// and make 250 calls each: the token endpoint is called once in total.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_processes_fetch_exactly_one_token() {
    let Some(url) = redis_url() else { return };
    let provider = Arc::new(Provider::start().await);
    // Slow, so that the other processes find the lock taken and have to wait for the token.
    let token_mock = provider.token_mock(TOKEN, Duration::from_millis(300)).await;
    let api_mock = provider.api_mock(TOKEN).await;
    let ns = unique("fleet");
    let start = Arc::new(tokio::sync::Barrier::new(4));

    let mut processes = vec![];
    for _ in 0..4 {
        let (url, ns, provider, start) = (url.clone(), ns.clone(), provider.clone(), start.clone());
        processes.push(tokio::spawn(async move {
            let store = RedisTokenStore::connect(&url).await.unwrap().namespace(ns);
            let client = provider.client(Some(Arc::new(store)), None);
            start.wait().await;
            let results: Vec<_> = futures_util::stream::iter(0..250)
                .map(|_| provider.call(&client))
                .buffer_unordered(16)
                .collect()
                .await;
            results.into_iter().filter(Result::is_ok).count()
        }));
    }
    let mut ok = 0;
    for process in processes {
        ok += process.await.unwrap();
    }
    assert_eq!(ok, 1000);
    token_mock.assert_calls_async(1).await;
    api_mock.assert_calls_async(1000).await;
}

/// A process crashed while holding the refresh lock: the next one waits for the lock to expire,
/// then takes over and fetches (once), without waiting much longer than the lock's TTL.
#[tokio::test]
async fn a_dead_lock_holder_is_replaced_when_its_lock_expires() {
    let Some(url) = redis_url() else { return };
    let provider = Provider::start().await;
    let token_mock = provider.token_mock(TOKEN, Duration::ZERO).await;
    let api_mock = provider.api_mock(TOKEN).await;
    let store = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("dead"));
    let lock_key = store.lock_key_for(&provider.token_key());

    let lock_ttl = Duration::from_secs(1);
    let mut conn = raw(&url).await;
    let started = Instant::now();
    let taken: Option<String> = redis::cmd("SET")
        .arg(&lock_key)
        .arg("crashed-process")
        .arg("NX")
        .arg("PX")
        .arg(lock_ttl.as_millis() as u64)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(taken.is_some());

    let client = provider.client(Some(Arc::new(store.clone())), None);
    provider.call(&client).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= lock_ttl,
        "fetched after {waited:?}, before the lock expired"
    );
    assert!(
        waited < lock_ttl + Duration::from_millis(700),
        "waited {waited:?}"
    );
    token_mock.assert_calls_async(1).await;
    api_mock.assert_calls_async(1).await;

    // The new holder wrote the token for the others and released its lock.
    assert!(store.load(&provider.token_key()).await.unwrap().is_some());
    let lock_left: bool = conn.exists(&lock_key).await.unwrap();
    assert!(!lock_left);
}

/// A process that finds the token already in Redis does not fetch at all.
#[tokio::test]
async fn a_token_in_redis_is_used_by_a_new_process() {
    let Some(url) = redis_url() else { return };
    let provider = Provider::start().await;
    let token_mock = provider.token_mock(TOKEN, Duration::ZERO).await;
    let api_mock = provider.api_mock(TOKEN).await;
    let ns = unique("warm");
    let first = RedisTokenStore::connect(&url).await.unwrap().namespace(&ns);
    provider
        .call(&provider.client(Some(Arc::new(first)), None))
        .await
        .unwrap();
    let second = RedisTokenStore::connect(&url).await.unwrap().namespace(&ns);
    provider
        .call(&provider.client(Some(Arc::new(second)), None))
        .await
        .unwrap();
    token_mock.assert_calls_async(1).await;
    api_mock.assert_calls_async(2).await;

    // Another namespace is another fleet: it fetches its own.
    let other = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("warm"));
    provider
        .call(&provider.client(Some(Arc::new(other)), None))
        .await
        .unwrap();
    token_mock.assert_calls_async(2).await;
}

/// The provider revokes the shared token: the first process to see the 401 fetches a new one and
/// shares it; the others, on their own 401, keep that new token (they only drop the refused one) and
/// use it, so the fleet fetches once, not once per process.
#[tokio::test]
async fn a_revoked_token_is_replaced_once_for_the_fleet() {
    let Some(url) = redis_url() else { return };
    let provider = Provider::start().await;
    let first_token = provider.token_mock(TOKEN, Duration::ZERO).await;
    let first_api = provider.api_mock(TOKEN).await;
    let ns = unique("revoked");
    let mut clients = vec![];
    for _ in 0..3 {
        let store = RedisTokenStore::connect(&url).await.unwrap().namespace(&ns);
        let client = provider.client(Some(Arc::new(store)), None);
        provider.call(&client).await.unwrap();
        clients.push(client);
    }
    first_token.assert_calls_async(1).await;
    first_api.assert_calls_async(3).await;

    // Revoked: the old token now gets 401, the endpoint issues a new one.
    first_api.delete_async().await;
    first_token.delete_async().await;
    let refused = provider
        .server
        .mock_async(|when, then| {
            when.path("/things")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(401)
                .json_body(serde_json::json!({"error": "invalid_token"}));
        })
        .await;
    let new_token = provider.token_mock("token-2", Duration::ZERO).await;
    let new_api = provider.api_mock("token-2").await;
    for client in &clients {
        provider.call(client).await.unwrap();
    }
    refused.assert_calls_async(3).await;
    new_token.assert_calls_async(1).await;
    new_api.assert_calls_async(3).await;
}
