//! The distributed rate limiter: clients sharing a key stay within the budget together.
#![cfg(feature = "redis")]

mod redis_common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use partner_core::rate_limit::{Quota, RateLimiter};
use partner_core::redis::{RedisConnection, RedisRateLimiter};
use partner_core::{ApiClient, Request, RetryPolicy};
use redis::AsyncCommands;
use redis_common::{raw, redis_url, unique};

/// Scheduling and loopback latency shift each arrival by a little; a window this much shorter than
/// the quota's absorbs that noise without hiding a limiter that lets requests through early (a
/// limiter that is not shared would send four times the budget).
const JITTER: Duration = Duration::from_millis(40);

/// A provider that allows `max` requests in any window of `per` and answers 429 beyond.
#[derive(Clone)]
struct Budget {
    max: usize,
    window: Duration,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    refused: Arc<Mutex<usize>>,
}

async fn handler(State(budget): State<Budget>) -> StatusCode {
    let now = Instant::now();
    let mut arrivals = budget.arrivals.lock().unwrap();
    arrivals.push(now);
    let in_window = arrivals
        .iter()
        .filter(|&&t| now.duration_since(t) < budget.window)
        .count();
    if in_window > budget.max {
        *budget.refused.lock().unwrap() += 1;
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::OK
    }
}

/// The most arrivals in any window of `window` (half open, starting at an arrival).
fn max_in_window(arrivals: &[Instant], window: Duration) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| {
            sorted[i..]
                .iter()
                .take_while(|&&t| t.duration_since(sorted[i]) < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_sharing_a_key_stay_within_the_budget_together() {
    let Some(url) = redis_url() else { return };
    let quota = Quota::per_second(20).with_burst(1);
    let budget = Budget {
        max: quota.max() as usize,
        window: quota.per() - JITTER,
        arrivals: Arc::default(),
        refused: Arc::default(),
    };
    let app = axum::Router::new()
        .route("/things", axum::routing::get(handler))
        .with_state(budget.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let key = unique("pax8:partner-123");
    let started = Instant::now();
    let mut clients = vec![];
    for _ in 0..4 {
        let limiter = RedisRateLimiter::connect(&url, &key, quota).await.unwrap();
        let client = ApiClient::builder("redis-tests/1.0")
            .rate_limiter(Arc::new(limiter))
            .retry_policy(RetryPolicy::default().with_max_attempts(1))
            .build()
            .unwrap();
        let url: partner_core::url::Url = format!("{base}/things").parse().unwrap();
        clients.push(tokio::spawn(async move {
            let calls = (0..15).map(|_| client.execute_raw(Request::get(url.clone())));
            futures_util::future::join_all(calls).await
        }));
    }
    let mut statuses = vec![];
    for client in clients {
        for response in client.await.unwrap() {
            statuses.push(response.unwrap().status.as_u16());
        }
    }
    let elapsed = started.elapsed();

    assert_eq!(statuses.len(), 60);
    assert_eq!(*budget.refused.lock().unwrap(), 0, "statuses: {statuses:?}");
    assert!(statuses.iter().all(|&s| s == 200));
    let arrivals = budget.arrivals.lock().unwrap().clone();
    let busiest = max_in_window(&arrivals, quota.per() - JITTER);
    assert!(busiest <= 20, "{busiest} requests within one window");
    // 60 requests at 20/s with a burst of 1: the last may start 59 intervals after the first.
    let floor = quota.emission_interval() * 59;
    assert!(
        elapsed >= floor - JITTER,
        "done in {elapsed:?}: the budget was not shared"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

/// Two limiters on one key share the burst, then the spacing; the state lives in Redis.
#[tokio::test]
async fn two_limiters_on_one_key_share_burst_and_spacing() {
    let Some(url) = redis_url() else { return };
    let quota = Quota::per_second(10).with_burst(2); // 2 back to back, then one per 1 s / 9
    let connection = RedisConnection::connect(&url).await.unwrap();
    let key = unique("shared");
    let a = RedisRateLimiter::new(connection.clone(), &key, quota);
    let b = RedisRateLimiter::connect(&url, &key, quota).await.unwrap();
    let other = RedisRateLimiter::new(connection, unique("other"), quota);

    let started = Instant::now();
    a.acquire().await;
    b.acquire().await;
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "the burst is immediate"
    );
    other.acquire().await;
    other.acquire().await;
    assert!(
        started.elapsed() < Duration::from_millis(80),
        "another key has its own budget"
    );
    a.acquire().await;
    let third = started.elapsed();
    b.acquire().await;
    let fourth = started.elapsed();
    let interval = quota.emission_interval();
    assert!(
        third >= interval - Duration::from_millis(5),
        "third after {third:?}"
    );
    assert!(
        fourth >= interval * 2 - Duration::from_millis(5),
        "fourth after {fourth:?}"
    );
    assert!(
        fourth < interval * 2 + Duration::from_millis(100),
        "fourth after {fourth:?}"
    );

    let mut conn = raw(&url).await;
    let ttl: i64 = conn.pttl(a.redis_key()).await.unwrap();
    assert!(
        ttl > 0 && ttl <= 2_000,
        "the state expires once idle (pttl {ttl})"
    );
    assert_eq!(a.redis_key(), format!("partner:rate:{key}"));
    assert_eq!(
        a.clone().namespace("app").redis_key(),
        format!("app:rate:{key}")
    );
}
