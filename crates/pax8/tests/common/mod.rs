//! Shared test set-up: an httpmock server that serves the token endpoint and the API on one port.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use httpmock::Mock;
use httpmock::prelude::*;
use pax8::{Client, ClientBuilder, RetryPolicy};
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret";
pub const TOKEN: &str = "test-token";
pub const BEARER: &str = "Bearer test-token";

/// Retries fast enough for tests.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .with_max_attempts(3)
}

/// The token endpoint, checking the JSON body Pax8 expects.
pub async fn token_mock(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/token")
                .header("content-type", "application/json")
                .json_body(json!({
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "grant_type": "client_credentials",
                    "audience": "https://api.pax8.com",
                }));
            then.status(200).json_body(json!({
                "access_token": TOKEN,
                "token_type": "Bearer",
                "expires_in": 86400,
                "scope": "partner",
            }));
        })
        .await
}

/// A builder pointed at `server`, without the rate limiter and with fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .environment(pax8::Environment::custom(&server.base_url()).unwrap())
        .retry_policy(fast_retry())
        .without_rate_limit()
}

/// A server with the token endpoint mocked, and a client for it.
pub async fn setup() -> (MockServer, Client) {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let client = builder(&server).build().expect("client");
    (server, client)
}

/// A Pax8 page envelope.
pub fn page(
    content: Value,
    number: u64,
    size: u64,
    total_elements: u64,
    total_pages: u64,
) -> Value {
    json!({
        "content": content,
        "page": {"size": size, "totalElements": total_elements, "totalPages": total_pages, "number": number}
    })
}

/// The spec's example value named `name` (under `components.examples`) of the partner spec.
pub fn spec_example(name: &str) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/specs/pax8/pax8-partner-endpoints-openapi.json"
    );
    let text = std::fs::read_to_string(path).expect("spec file");
    let spec: Value = serde_json::from_str(&text).expect("spec json");
    spec["components"]["examples"][name]["value"].clone()
}

/// Asserts that `result` is an input error naming `field`.
pub fn assert_invalid<T: std::fmt::Debug>(result: Result<T, pax8::Error>, field: &str) {
    match result {
        Err(pax8::Error::InvalidInput(input)) => {
            assert!(
                input.field.contains(field),
                "expected `{field}`, got {input:?}"
            )
        }
        other => panic!("expected InvalidInput for `{field}`, got {other:?}"),
    }
}
