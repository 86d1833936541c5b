//! Retries against a real loopback server and, for exact timing, a scripted transport under paused time.

mod support;

use std::time::Duration;

use partner_core::error::TransportErrorKind;
use partner_core::{ApiClient, Error, IdempotencyKey, Request, RequestOptions, RetryPolicy};
use support::{ScriptServer, ScriptedTransport, Step, reply};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client_for(_server: &ScriptServer) -> ApiClient {
    ApiClient::builder("core-tests/1.0")
        .idempotency_header("idempotency-key".parse().unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_503_then_success_is_retried_over_the_wire() {
    let server = ScriptServer::start(vec![reply(503, "busy"), reply(200, r#"{"ok":true}"#)]).await;
    let client = client_for(&server);
    let body: serde_json::Value = client
        .send_json(Request::get(server.url("/things")))
        .await
        .unwrap();
    assert_eq!(body["ok"], true);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].headers["user-agent"], "core-tests/1.0");
}

/// The attempt timeout over loopback, through the default transport: a slow answer is abandoned and
/// the GET retried.
#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_over_the_wire() {
    let server = ScriptServer::start(vec![
        Step::Slow(Duration::from_secs(5), 200, r#"{"late":true}"#.into()),
        reply(200, r#"{"ok":true}"#),
    ])
    .await;
    let client = ApiClient::builder("core-tests/1.0")
        .retry_policy(fast_retries())
        .timeouts(partner_core::Timeouts::default().attempt(Duration::from_millis(200)))
        .build()
        .unwrap();
    let body: serde_json::Value = client
        .send_json(Request::get(server.url("/slow")))
        .await
        .unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn retries_stop_after_max_attempts_with_the_last_error() {
    let server = ScriptServer::start(vec![
        reply(503, "1"),
        reply(502, "2"),
        reply(504, "3"),
        reply(500, "4"),
    ])
    .await;
    let err = client_for(&server)
        .execute(Request::get(server.url("/x")))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn a_post_without_key_is_not_retried_after_it_was_sent() {
    let server = ScriptServer::start(vec![reply(503, "busy"), reply(201, "{}")]).await;
    let err = client_for(&server)
        .execute(
            Request::post(server.url("/orders"))
                .json(&serde_json::json!({"a":1}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.seen().len(),
        1,
        "a POST that may have been applied must not be repeated"
    );
}

#[tokio::test]
async fn a_keyed_post_is_retried_with_the_same_key() {
    let server = ScriptServer::start(vec![
        reply(503, "busy"),
        reply(500, "oops"),
        reply(201, "{}"),
    ])
    .await;
    let key = IdempotencyKey::new("order-0001").unwrap();
    let request = Request::post(server.url("/orders"))
        .json(&serde_json::json!({"a":1}))
        .unwrap()
        .keyed()
        .options(&RequestOptions::new().idempotency_key(key));
    client_for(&server).execute(request).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.headers["idempotency-key"], "order-0001");
        assert_eq!(s.body, seen[0].body);
    }
}

#[tokio::test]
async fn a_generated_key_is_reused_byte_for_byte() {
    let server = ScriptServer::start(vec![reply(502, ""), reply(200, "{}")]).await;
    client_for(&server)
        .execute(Request::post(server.url("/p")).keyed())
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let first = seen[0].headers["idempotency-key"].as_bytes();
    assert_eq!(first.len(), 36);
    assert_eq!(first, seen[1].headers["idempotency-key"].as_bytes());
}

#[tokio::test]
async fn a_429_post_without_key_is_retried_because_it_was_refused() {
    let server = ScriptServer::start(vec![reply(429, ""), reply(200, "{}")]).await;
    client_for(&server)
        .execute(Request::post(server.url("/p")))
        .await
        .unwrap();
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn retries_can_be_turned_off_per_request() {
    let server = ScriptServer::start(vec![reply(503, ""), reply(200, "{}")]).await;
    let err = client_for(&server)
        .execute(Request::get(server.url("/x")).options(&RequestOptions::new().no_retries()))
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_real_retry_after_delays_the_retry() {
    let server = ScriptServer::start(vec![
        Step::Reply(429, vec![("retry-after", "1".into())], String::new()),
        reply(200, "{}"),
    ])
    .await;
    let started = std::time::Instant::now();
    client_for(&server)
        .execute(Request::get(server.url("/x")))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
}

fn scripted(transport: &ScriptedTransport) -> ApiClient {
    ApiClient::builder("core-tests/1.0")
        .transport(transport.arc())
        .idempotency_header("idempotency-key".parse().unwrap())
        .build()
        .unwrap()
}

fn url(path: &str) -> partner_core::url::Url {
    format!("https://api.test{path}").parse().unwrap()
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured_exactly() {
    let t = ScriptedTransport::new(vec![
        Step::Reply(429, vec![("retry-after", "7".into())], String::new()),
        reply(200, "{}"),
    ]);
    scripted(&t).execute(Request::get(url("/x"))).await.unwrap();
    let seen = t.seen();
    assert_eq!(seen[1].at - seen[0].at, Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let clock = partner_core::clock::ManualClock::at_unix(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
    let t = ScriptedTransport::new(vec![
        Step::Reply(
            503,
            vec![("retry-after", "Wed, 21 Oct 2015 07:28:12 GMT".into())],
            String::new(),
        ),
        reply(200, "{}"),
    ]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .clock(std::sync::Arc::new(clock))
        .build()
        .unwrap();
    client.execute(Request::get(url("/x"))).await.unwrap();
    let seen = t.seen();
    assert_eq!(seen[1].at - seen[0].at, Duration::from_secs(12));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_ends_with_rate_limited() {
    let t = ScriptedTransport::new(vec![Step::Reply(
        429,
        vec![("retry-after", "3600".into())],
        "{}".into(),
    )]);
    let err = scripted(&t)
        .execute(Request::get(url("/x")))
        .await
        .unwrap_err();
    match err {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(3600)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(t.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_between_attempts() {
    let t = ScriptedTransport::new(vec![
        reply(503, ""),
        reply(503, ""),
        reply(503, ""),
        reply(200, "{}"),
    ]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .retry_policy(
            RetryPolicy::default().with_backoff(Duration::from_secs(1), Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    client.execute(Request::get(url("/x"))).await.unwrap();
    let seen = t.seen();
    // Full jitter: each wait is within [0, 1 s * 2^(n-1)].
    for (n, pair) in seen.windows(2).enumerate() {
        assert!(
            pair[1].at - pair[0].at <= Duration::from_secs(1 << n),
            "wait {n} too long"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_connect_failure_before_sending_is_retried_even_for_post() {
    let t = ScriptedTransport::new(vec![
        Step::Fail(TransportErrorKind::Connect),
        reply(201, "{}"),
    ]);
    scripted(&t)
        .execute(Request::post(url("/x")))
        .await
        .unwrap();
    assert_eq!(t.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_post_that_timed_out_is_not_retried_without_key() {
    let t = ScriptedTransport::new(vec![Step::Slow(Duration::from_secs(60), 200, "{}".into())]);
    let err = scripted(&t)
        .execute(
            Request::post(url("/x"))
                .options(&RequestOptions::new().timeout(Duration::from_secs(2))),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(t.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_get_that_timed_out_is_retried() {
    let t = ScriptedTransport::new(vec![
        Step::Slow(Duration::from_secs(60), 200, "{}".into()),
        reply(200, "{}"),
    ]);
    scripted(&t)
        .execute(
            Request::get(url("/x")).options(&RequestOptions::new().timeout(Duration::from_secs(2))),
        )
        .await
        .unwrap();
    assert_eq!(t.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_bounds_all_attempts() {
    let t = ScriptedTransport::default().with_fallback(Step::Slow(
        Duration::from_secs(20),
        503,
        String::new(),
    ));
    let err = scripted(&t)
        .execute(
            Request::get(url("/x")).options(
                &RequestOptions::new()
                    .timeout(Duration::from_secs(30))
                    .operation_timeout(Duration::from_secs(45)),
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Operation,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn waiting_for_the_rate_limiter_counts_against_the_operation_timeout() {
    use partner_core::rate_limit::{GcraRateLimiter, Quota};
    let t = ScriptedTransport::default().with_fallback(reply(200, "{}"));
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .rate_limiter(std::sync::Arc::new(GcraRateLimiter::new(
            Quota::per_minute(1).with_burst(1),
        )))
        .build()
        .unwrap();
    client.execute(Request::get(url("/first"))).await.unwrap();
    // The next slot is a minute away; the operation may take ten seconds.
    let err = client
        .execute(
            Request::get(url("/second"))
                .options(&RequestOptions::new().operation_timeout(Duration::from_secs(10))),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(t.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_that_cannot_finish_in_time_fails_at_once() {
    let t = ScriptedTransport::new(vec![Step::Reply(
        503,
        vec![("retry-after", "30".into())],
        String::new(),
    )]);
    let started = tokio::time::Instant::now();
    let err = scripted(&t)
        .execute(
            Request::get(url("/x"))
                .options(&RequestOptions::new().operation_timeout(Duration::from_secs(20))),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "no point waiting 20 s to say so"
    );
}

#[tokio::test]
async fn duration_max_means_no_timeout_rather_than_a_panic() {
    let t = ScriptedTransport::new(vec![reply(200, "{}")]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .timeouts(
            partner_core::Timeouts::default()
                .attempt(Duration::MAX)
                .operation(Duration::MAX),
        )
        .build()
        .unwrap();
    client.execute(Request::get(url("/x"))).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn each_call_gets_its_own_attempt_deadline() {
    // Calls one after another, with attempt timeouts shorter and longer than the one before: each
    // attempt times out at its own deadline, and only there.
    let t = ScriptedTransport::new(vec![
        Step::Slow(Duration::from_secs(1), 200, "{}".into()),
        Step::Slow(Duration::from_secs(60), 200, "{}".into()),
        Step::Slow(Duration::from_secs(1), 200, "{}".into()),
        Step::Slow(Duration::from_secs(40), 200, "{}".into()),
    ]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let call = |timeout: Duration| {
        let request = Request::post(url("/x")).options(&RequestOptions::new().timeout(timeout));
        let client = client.clone();
        async move {
            let started = tokio::time::Instant::now();
            let result = client.execute(request).await;
            (result, started.elapsed())
        }
    };

    // Finishes after 1 s of its 30 s.
    let (first, _) = call(Duration::from_secs(30)).await;
    assert!(first.is_ok(), "{first:?}");
    // Earlier than the previous call's deadline would have been.
    let (second, waited) = call(Duration::from_secs(2)).await;
    assert!(
        matches!(
            second,
            Err(Error::Timeout {
                phase: partner_core::TimeoutPhase::Attempt,
                ..
            })
        ),
        "{second:?}"
    );
    assert_eq!(waited, Duration::from_secs(2));
    let (third, _) = call(Duration::from_secs(30)).await;
    assert!(third.is_ok(), "{third:?}");
    // Later: the third call's deadline (29 s from its end) must not end the attempt that answers
    // at 40 s.
    let (fourth, waited) = call(Duration::from_secs(50)).await;
    assert!(fourth.is_ok(), "{fourth:?}");
    assert_eq!(waited, Duration::from_secs(40));
}
