//! The shared shape's core pieces on the wire: a `ClientConfig` applied to the core builder, and the
//! raw-request escape hatch (authenticated, under the base, refused before sending when wrong).

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;
use partner_core::auth::ApiKeyAuth;
use partner_core::config::{ClientConfig, RateLimit};
use partner_core::http::Method;
use partner_core::rate_limit::Quota;
use partner_core::{ApiClient, Error, IdempotencyKey, RawRequest, RetryPolicy, Timeouts};
use url::Url;

fn client(server: &MockServer, config: &ClientConfig) -> ApiClient {
    let base: Url = server.url("/v1/").parse().unwrap();
    config
        .api_client_builder("shape-test/1.0")
        .auth_origin(base)
        .authenticator(Arc::new(ApiKeyAuth::new(
            "x-api-key".parse().unwrap(),
            "key-123".into(),
        )))
        .idempotency_header("idempotency-key".parse().unwrap())
        .build()
        .unwrap()
}

fn base(server: &MockServer) -> Url {
    server.url("/v1/").parse().unwrap()
}

#[tokio::test]
async fn a_raw_request_is_sent_under_the_base_with_the_clients_auth_and_agent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/42")
                .query_param("include", "contacts")
                .header("x-api-key", "key-123")
                .header("user-agent", "shape-test/1.0 billing-sync/2.1");
            then.status(200).json_body(serde_json::json!({"id": "42"}));
        })
        .await;
    let config = ClientConfig::default().user_agent("billing-sync/2.1");
    let company: serde_json::Value = RawRequest::new(
        client(&server, &config),
        base(&server),
        Method::GET,
        "companies/42",
    )
    .query(&[("include", "contacts")])
    .send_json()
    .await
    .unwrap();
    assert_eq!(company["id"], "42");
    mock.assert_async().await;
}

#[tokio::test]
async fn a_raw_path_that_would_leave_the_base_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let api = client(&server, &ClientConfig::default());
    for path in [
        "../token",
        "companies/..",
        "//evil.example/x",
        "companies//42",
    ] {
        let err = RawRequest::new(api.clone(), base(&server), Method::DELETE, path)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(input) if input.field == "path"),
            "{path}: {err:?}"
        );
        assert!(!err.may_have_been_applied());
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_raw_post_carries_the_idempotency_key_on_every_attempt() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/orders")
                .header("idempotency-key", "order-7")
                .json_body(serde_json::json!({"qty": 1}));
            then.status(503);
        })
        .await;
    let config = ClientConfig::default().retry_policy(
        RetryPolicy::default()
            .with_max_attempts(2)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
    );
    let err = RawRequest::new(
        client(&server, &config),
        base(&server),
        Method::POST,
        "orders",
    )
    .json(&serde_json::json!({"qty": 1}))
    .idempotency_key(IdempotencyKey::new("order-7").unwrap())
    .send()
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.idempotency_key().unwrap().as_str(), "order-7");
    assert_eq!(mock.calls_async().await, 2, "keyed, so retried");
}

#[tokio::test]
async fn an_idempotency_key_is_refused_by_a_provider_without_keys() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let base_url = base(&server);
    let api = ClientConfig::default()
        .api_client_builder("shape-test/1.0")
        .auth_origin(base_url.clone())
        .build()
        .unwrap();
    let err = RawRequest::new(api, base_url, Method::POST, "orders")
        .idempotency_key(IdempotencyKey::new("order-7").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "idempotency_key"));
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn per_call_options_replace_the_clients_for_one_raw_call() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/slow");
            then.status(503);
        })
        .await;
    let api = client(&server, &ClientConfig::default());
    let err = RawRequest::new(api, base(&server), Method::GET, "slow")
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(mock.calls_async().await, 1, "no_retries sends once");
}

#[test]
fn the_config_keeps_what_was_set_last() {
    let config = ClientConfig::default()
        .rate_limit(Quota::per_minute(1000))
        .timeouts(Timeouts::default().attempt(Duration::from_secs(60)));
    assert!(matches!(config.rate_limit_setting(), RateLimit::Quota(_)));
    assert!(config.make_rate_limiter().is_some());
    let config = config.without_rate_limit();
    assert!(matches!(config.rate_limit_setting(), RateLimit::Off));
    assert!(config.make_rate_limiter().is_none());
    assert_eq!(config.user_agent_for("pax8/0.1.0"), "pax8/0.1.0");
    let config = config.user_agent("app/1");
    assert_eq!(config.user_agent_for("pax8/0.1.0"), "pax8/0.1.0 app/1");
    let tokens = config
        .token_refresh_buffer(Duration::from_secs(5))
        .token_cache_config();
    assert_eq!(tokens.refresh_buffer, Duration::from_secs(5));
}
