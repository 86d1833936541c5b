//! The shape every provider crate shares (issue 16): raw requests, typed error details, per-call
//! options, `Page` lists and their streams with prefetch.

mod common;

use std::time::Duration;

use futures_util::TryStreamExt;
use httpmock::prelude::*;
use partner_core::IdempotencyKey;
use procuret::{Error, ErrorDetails, Method, StatusMeaning};
use serde_json::json;

fn link(public_id: &str, count: u64) -> serde_json::Value {
    json!({
        "public_id": public_id,
        "invoice_amount": "10.00",
        "opens": [],
        "disposition": {"sequence": 0, "count": count, "limit": 2, "offset": 0},
    })
}

#[tokio::test]
async fn a_raw_request_is_signed_like_any_call() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/term-rate/group/list")
                .query_param("limit", "10")
                .header("x-procuret-session-id", common::SESSION_ID.to_string())
                .header(
                    "x-procuret-signature",
                    common::signature("/term-rate/group/list"),
                );
            then.status(200).json_body(json!([{"public_id": "g1"}]));
        })
        .await;
    let groups: serde_json::Value = common::signed(&server)
        .raw_request(Method::GET, "term-rate/group/list")
        .query(&[("limit", 10)])
        .send_json()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(groups[0]["public_id"], "g1");
}

#[tokio::test]
async fn a_raw_request_cannot_leave_the_api_root_or_carry_a_key() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = common::signed(&server);
    for path in ["../admin", "entity/../../x", "entity//x", ""] {
        match client.raw_request(Method::GET, path).send().await {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, "path", "{path:?}"),
            other => panic!("{path:?}: {other:?}"),
        }
    }
    // Procuret has no idempotency keys: a key would promise a safety the server does not give.
    let err = client
        .raw_request(Method::POST, "instalment-link")
        .json(&json!({}))
        .idempotency_key(IdempotencyKey::new("k-1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(input) if input.field == "idempotency_key"),
        "{err:?}"
    );
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_raw_post_is_never_repeated() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/instalment-link/open");
            then.status(503)
                .json_body(json!({"error-information": "down"}));
        })
        .await;
    let err = common::signed(&server)
        .raw_request(Method::POST, "instalment-link/open")
        .json(&json!({"link_id": "abc"}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn api_errors_carry_procuret_details() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/entity");
            then.status(402).json_body(
                json!({"error-information": "Subscription lapsed", "response-code": 402}),
            );
        })
        .await;
    let err = common::signed(&server)
        .entities()
        .get(5)
        .send()
        .await
        .unwrap_err();
    let details = err.provider_details::<ErrorDetails>().unwrap();
    assert_eq!(details.information.as_deref(), Some("Subscription lapsed"));
    assert_eq!(details.response_code.as_deref(), Some("402"));
    assert_eq!(details.meaning, StatusMeaning::SubscriptionProblem);
}

#[tokio::test]
async fn a_not_found_reads_as_not_found_with_details() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/instalment-link");
            then.status(404).body("");
        })
        .await;
    let err = common::signed(&server)
        .instalment_links()
        .get("nope")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let details = err.provider_details::<ErrorDetails>().unwrap();
    assert_eq!(details.meaning, StatusMeaning::NotFound);
    assert!(details.information.is_none());
}

#[tokio::test]
async fn per_call_options_override_the_client() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.path("/api/human");
            then.status(200)
                .delay(Duration::from_secs(5))
                .json_body(json!({"public_id": 1}));
        })
        .await;
    let err = common::signed(&server)
        .humans()
        .get(1)
        .timeout(Duration::from_millis(100))
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The client's policy would have retried a timed-out read; this call asked for none.
    slow.assert_calls_async(1).await;

    let failing = server
        .mock_async(|when, then| {
            when.path("/api/entity");
            then.status(503);
        })
        .await;
    let err = common::signed(&server)
        .entities()
        .get(1)
        .retry_policy(common::fast_retries().with_max_attempts(2))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    failing.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_list_page_reports_the_stated_count() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/instalment-link/list");
            then.status(200)
                .json_body(json!([link("a", 5), link("b", 5)]));
        })
        .await;
    let page = common::signed(&server)
        .instalment_links()
        .list()
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.number, 0);
    assert_eq!(page.size, 2);
    assert_eq!(page.total_items, Some(5));
    assert!(page.has_next());
}

#[tokio::test]
async fn stream_with_prefetch_fetches_every_page_once_in_order() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["c", "d"]), ("4", &["e"])] {
        let body: Vec<_> = ids.iter().map(|id| link(id, 5)).collect();
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.path("/api/instalment-link/list")
                        .query_param("limit", "2")
                        .query_param("offset", offset);
                    then.status(200).json_body(json!(body));
                })
                .await,
        );
    }
    let links: Vec<_> = common::signed(&server)
        .instalment_links()
        .list()
        .limit(2)
        .prefetch(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = links.iter().map(|l| l.public_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn with_prefetch_the_stated_count_ends_the_walk_without_it_a_short_page_does() {
    let server = MockServer::start_async().await;
    let series = |id: &str| json!({"public_id": id, "disposition": {"count": 4}});
    let mut pages = Vec::new();
    for (offset, ids) in [("0", ["s1", "s2"]), ("2", ["s3", "s4"])] {
        let body: Vec<_> = ids.iter().map(|id| series(id)).collect();
        pages.push(
            server
                .mock_async(|when, then| {
                    when.path("/api/payment/series/list")
                        .query_param("offset", offset);
                    then.status(200).json_body(json!(body));
                })
                .await,
        );
    }
    let beyond = server
        .mock_async(|when, then| {
            when.path("/api/payment/series/list")
                .query_param("offset", "4");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = common::signed(&server);
    let ahead: Vec<_> = client
        .payment_series()
        .list()
        .limit(2)
        .prefetch(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ahead.len(), 4);
    beyond.assert_calls_async(0).await;

    // One after the other, a full page always asks for the next, whatever the count said.
    let sequential: Vec<_> = client
        .payment_series()
        .list()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sequential.len(), 4);
    beyond.assert_calls_async(1).await;
    for page in pages {
        page.assert_calls_async(2).await;
    }
}

#[tokio::test]
async fn the_user_agent_suffix_follows_the_crate_agent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/api/entity").header(
                "user-agent",
                concat!("procuret/", env!("CARGO_PKG_VERSION"), " billing-sync/2.1"),
            );
            then.status(200).json_body(json!({"public_id": 5}));
        })
        .await;
    let client = procuret::Client::builder()
        .environment(common::environment(&server))
        .session(common::session(procuret::Lifecycle::LongLived))
        .user_agent("billing-sync/2.1")
        .build()
        .unwrap();
    client.entities().get(5).send().await.unwrap();
    mock.assert_async().await;
}
