//! The client-side rate limiter under paused time.

mod support;

use std::sync::Arc;
use std::time::Duration;

use partner_core::rate_limit::{GcraRateLimiter, Quota, RateLimiter};
use partner_core::{ApiClient, Request};
use support::{ScriptedTransport, reply};
use tokio::time::Instant;

/// The most events in any window of `window` (times sorted).
fn max_in_window(times: &[Instant], window: Duration) -> usize {
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

#[tokio::test(start_paused = true)]
async fn a_thousand_per_minute_holds_in_every_window() {
    let limiter = GcraRateLimiter::new(Quota::per_minute(1000));
    let start = Instant::now();
    let mut times = Vec::with_capacity(2500);
    for _ in 0..2500 {
        limiter.acquire().await;
        times.push(Instant::now());
    }
    assert!(max_in_window(&times, Duration::from_secs(60)) <= 1000);
    // And it does not throttle harder than needed: 2500 requests take about 2.5 minutes.
    let took = Instant::now() - start;
    assert!(took < Duration::from_secs(155), "{took:?}");
    assert!(took > Duration::from_secs(140), "{took:?}");
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_one_budget() {
    let limiter = Arc::new(GcraRateLimiter::new(Quota::per_second(10).with_burst(1)));
    let times = Arc::new(std::sync::Mutex::new(vec![]));
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (limiter, times) = (limiter.clone(), times.clone());
            tokio::spawn(async move {
                for _ in 0..10 {
                    limiter.acquire().await;
                    times.lock().unwrap().push(Instant::now());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let mut times = times.lock().unwrap().clone();
    times.sort();
    assert_eq!(times.len(), 50);
    assert!(max_in_window(&times, Duration::from_secs(1)) <= 10);
}

#[tokio::test(start_paused = true)]
async fn every_clone_of_a_client_waits_for_the_same_limiter() {
    let t = ScriptedTransport::default().with_fallback(reply(200, "{}"));
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .rate_limiter(Arc::new(GcraRateLimiter::new(
            Quota::per_second(5).with_burst(1),
        )))
        .build()
        .unwrap();
    let clones: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..5 {
                    client
                        .execute(Request::get("https://api.test/x".parse().unwrap()))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for c in clones {
        c.await.unwrap();
    }
    let times: Vec<Instant> = t.seen().iter().map(|s| s.at).collect();
    assert_eq!(times.len(), 20);
    assert!(max_in_window(&times, Duration::from_secs(1)) <= 5);
}
