//! Error mapping, retries (reads only), timeouts and the 401 re-sign.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::prelude::*;
use partner_core::clock::{Clock, ManualClock};
use procuret::{Client, CommunicationOption, Decimal, Error, Lifecycle, StatusMeaning, Timeouts};
use serde_json::json;

#[tokio::test]
async fn procuret_error_bodies_become_api_errors() {
    let server = MockServer::start_async().await;
    for (status, meaning) in [
        (400, StatusMeaning::BadRequest),
        (402, StatusMeaning::SubscriptionProblem),
        (403, StatusMeaning::NotAuthorised),
        (413, StatusMeaning::TooLarge),
        (422, StatusMeaning::Unprocessable),
    ] {
        let mock = server
            .mock_async(|when, then| {
                when.path("/api/entity");
                then.status(status).json_body(json!({
                    "error-information": format!("problem {status}"), "response-code": status
                }));
            })
            .await;
        let err = common::signed(&server)
            .entities()
            .get(1)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(StatusMeaning::of(&err), Some(meaning));
        let api = err.api_error().unwrap();
        assert_eq!(
            api.message.as_deref(),
            Some(format!("problem {status}").as_str())
        );
        assert_eq!(api.code.as_deref(), Some(status.to_string().as_str()));
        assert!(!err.is_not_found());
        // Client errors are final: one call.
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn reads_are_retried_on_disruption() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/entity");
            then.status(503)
                .json_body(json!({"error-information": "maintenance", "response-code": 503}));
        })
        .await;
    let err = common::signed(&server)
        .entities()
        .get(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(StatusMeaning::of(&err), Some(StatusMeaning::Disruption));
    assert!(err.is_retryable());
    mock.assert_calls_async(4).await;
}

#[tokio::test]
async fn throttled_reads_are_retried_then_reported() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/human");
            then.status(429)
                .header("retry-after", "0")
                .json_body(json!({"error-information": "slow down", "response-code": 429}));
        })
        .await;
    let err = common::signed(&server)
        .humans()
        .get(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    mock.assert_calls_async(4).await;
}

fn short_timeouts(server: &MockServer) -> Client {
    Client::builder()
        .environment(common::environment(server))
        .session(common::session(Lifecycle::LongLived))
        .clock(Arc::new(ManualClock::at_unix(common::NOW)))
        .retry_policy(common::fast_retries())
        .timeouts(Timeouts::default().attempt(Duration::from_millis(100)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_repeated() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/instalment-link");
            then.status(200)
                .delay(Duration::from_millis(600))
                .json_body(json!({}));
        })
        .await;
    let err = short_timeouts(&server)
        .instalment_links()
        .create(
            &procuret::NewInstalmentLink::builder()
                .supplier_id(1)
                .invoice_amount(Decimal::ONE)
                .invitee_email("a@b.co")
                .invoice_identifier("I")
                .communication(CommunicationOption::EmailCustomer)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_get_that_timed_out_is_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/entity");
            then.status(200)
                .delay(Duration::from_millis(600))
                .json_body(json!({"public_id": 1}));
        })
        .await;
    let err = short_timeouts(&server)
        .entities()
        .get(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    mock.assert_calls_async(4).await;
}

#[tokio::test]
async fn a_refused_signature_is_replayed_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/api/entity");
            then.status(401)
                .json_body(json!({"error-information": "Session expired", "response-code": 401}));
        })
        .await;
    let err = common::signed(&server)
        .entities()
        .get(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(
        err.api_error().unwrap().message.as_deref(),
        Some("Session expired")
    );
    assert!(!format!("{err} {err:?}").contains(common::API_KEY));
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_refused_raw_key_is_not_replayed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/api/entity");
            then.status(401).body("");
        })
        .await;
    let client = common::with_session(
        &server,
        common::session(Lifecycle::ShortLived),
        ManualClock::at_unix(common::NOW),
    );
    assert!(client.entities().get(1).send().await.is_err());
    mock.assert_calls_async(1).await;
}

/// A clock that reads one second before a window edge the first time, and after it from then on.
#[derive(Debug, Default)]
struct EdgeClock {
    reads: AtomicUsize,
}

impl Clock for EdgeClock {
    fn now(&self) -> SystemTime {
        let secs = if self.reads.fetch_add(1, Ordering::SeqCst) == 0 {
            1_699_999_199
        } else {
            1_699_999_200
        };
        UNIX_EPOCH + Duration::from_secs(secs)
    }
}

#[tokio::test]
async fn the_replay_is_signed_for_the_new_window() {
    let server = MockServer::start_async().await;
    let old = server
        .mock_async(|when, then| {
            when.path("/api/entity").header(
                "x-procuret-signature",
                procuret::signing::signature(common::API_KEY, 1_699_999_199, "/entity"),
            );
            then.status(401).body("");
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.path("/api/entity").header(
                "x-procuret-signature",
                procuret::signing::signature(common::API_KEY, 1_699_999_200, "/entity"),
            );
            then.status(200).json_body(json!({"public_id": 1}));
        })
        .await;
    let client = Client::builder()
        .environment(common::environment(&server))
        .session(common::session(Lifecycle::LongLived))
        .clock(Arc::new(EdgeClock::default()))
        .build()
        .unwrap();
    client.entities().get(1).send().await.unwrap();
    old.assert_calls_async(1).await;
    new.assert_calls_async(1).await;
}

#[tokio::test]
async fn client_debug_shows_no_key() {
    let server = MockServer::start_async().await;
    let client = common::signed(&server);
    let debug = format!("{client:?}");
    assert!(!debug.contains(common::API_KEY), "{debug}");
}

#[test]
fn a_plain_http_base_off_loopback_is_refused_before_anything_is_sent() {
    // The signed session headers would cross the network in clear text.
    let remote: procuret::Environment =
        procuret::Environment::Custom("http://api.example.com/api".parse().unwrap());
    let built = Client::builder()
        .environment(remote)
        .session(common::session(Lifecycle::LongLived))
        .build();
    match built {
        Err(Error::InvalidInput(input)) => {
            assert_eq!(input.field, "base_url");
            assert!(input.reason.contains("https"), "{input}");
        }
        other => panic!("expected an invalid base_url, got {other:?}"),
    }
    assert!(procuret::Environment::custom("http://api.example.com/api").is_err());
}
