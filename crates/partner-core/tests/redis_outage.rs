//! Redis stopped mid-run: calls keep succeeding on local fallbacks, one warning per connection;
//! Redis back: sharing resumes.
#![cfg(feature = "redis")]

mod redis_common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use partner_core::ApiClient;
use partner_core::rate_limit::Quota;
use partner_core::redis::{RedisConnection, RedisRateLimiter, RedisTokenStore};
use redis::AsyncCommands;
use redis_common::{OwnRedis, Provider, TOKEN, raw, unique};

/// Collects log lines.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn count(&self, needle: &str) -> usize {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .matches(needle)
            .count()
    }
}

/// One process of the fleet: its own connection, shared by its token store and its limiter.
struct Process {
    connection: RedisConnection,
    limiter: RedisRateLimiter,
    client: ApiClient,
}

async fn process(provider: &Provider, url: &str, ns: &str) -> Process {
    let connection = RedisConnection::connect(url).await.unwrap();
    let store = RedisTokenStore::new(connection.clone()).namespace(ns);
    let limiter = RedisRateLimiter::new(
        connection.clone(),
        "provider:partner",
        Quota::per_second(1000),
    )
    .namespace(ns);
    let client = provider.client(Some(Arc::new(store)), Some(Arc::new(limiter.clone())));
    Process {
        connection,
        limiter,
        client,
    }
}

const UNAVAILABLE: &str = "falling back to the local token cache and rate limiter";
const BACK: &str = "Redis is reachable again";

// One thread, so that the log collector set for this thread sees every task.
#[tokio::test(flavor = "current_thread")]
async fn outage_falls_back_locally_and_sharing_resumes() {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let provider = Provider::start().await;
    let token_mock = provider.token_mock(TOKEN, Duration::ZERO).await;
    let api_mock = provider.api_mock(TOKEN).await;
    let url = redis.url();
    let ns = unique("outage");

    // Two processes share one token.
    let p1 = process(&provider, &url, &ns).await;
    let p2 = process(&provider, &url, &ns).await;
    for _ in 0..5 {
        provider.call(&p1.client).await.unwrap();
        provider.call(&p2.client).await.unwrap();
    }
    token_mock.assert_calls_async(1).await;
    assert_eq!(logs.count(UNAVAILABLE), 0);

    // Redis dies: every call still succeeds, quickly, and each connection warns once.
    redis.stop();
    let started = Instant::now();
    for _ in 0..50 {
        provider.call(&p1.client).await.unwrap();
        provider.call(&p2.client).await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(!p1.connection.is_available() && !p2.connection.is_available());
    // A process started during the outage works too, with a token of its own.
    let p3 = process(&provider, &url, &ns).await;
    for _ in 0..20 {
        provider.call(&p3.client).await.unwrap();
    }
    token_mock.assert_calls_async(2).await;
    assert_eq!(
        logs.count(UNAVAILABLE),
        3,
        "one warning per connection, not per request"
    );

    // Redis returns (empty: it kept nothing): the probes notice within the retry interval.
    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut probes = 0;
    while !(p1.connection.is_available() && p3.connection.is_available()) {
        assert!(Instant::now() < deadline, "Redis was not used again");
        provider.call(&p1.client).await.unwrap();
        provider.call(&p3.client).await.unwrap();
        probes += 2;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(logs.count(BACK) >= 2);
    let mut conn = raw(&url).await;
    let limiter_state: bool = conn.exists(p1.limiter.redis_key()).await.unwrap();
    assert!(limiter_state, "the shared limiter is in use again");

    // Token sharing resumed: a new process fetches and shares, the next one reads it.
    let p4 = process(&provider, &url, &ns).await;
    provider.call(&p4.client).await.unwrap();
    token_mock.assert_calls_async(3).await;
    let p5 = process(&provider, &url, &ns).await;
    provider.call(&p5.client).await.unwrap();
    token_mock.assert_calls_async(3).await;
    assert_eq!(
        logs.count(UNAVAILABLE),
        3,
        "no new warning once Redis is back"
    );
    // Every call reached the provider: none failed or was dropped because of Redis.
    api_mock
        .assert_calls_async(10 + 100 + 20 + probes + 2)
        .await;
    drop(p2);
}
