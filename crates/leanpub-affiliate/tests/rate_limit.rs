//! A shared rate limiter spaces requests across every client that holds it.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use httpmock::prelude::*;
use partner_core::rate_limit::{GcraRateLimiter, Quota};

#[tokio::test]
async fn requests_wait_for_a_shared_limiter() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(common::PATH);
            then.status(200).json_body(common::reply(0, "OK"));
        })
        .await;
    // Two requests a second, no burst: the third request cannot start before one second has passed.
    let limiter = Arc::new(GcraRateLimiter::new(Quota::per_second(2).with_burst(1)));
    let a = common::builder(&server)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let b = common::builder(&server)
        .rate_limiter(limiter)
        .build()
        .unwrap();
    let started = Instant::now();
    for client in [&a, &b, &a] {
        common::send(client, &common::request().build().unwrap())
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    mock.assert_calls_async(3).await;
}
