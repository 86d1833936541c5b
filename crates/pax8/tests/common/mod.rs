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

/// The quoting spec (`pax8-quoting-endpoints-openapi.json`), which has schemas but no examples.
pub fn quoting_spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/specs/pax8/pax8-quoting-endpoints-openapi.json"
    );
    let text = std::fs::read_to_string(path).expect("quoting spec file");
    serde_json::from_str(&text).expect("quoting spec json")
}

/// A value of the quoting spec's schema `name` (under `components.schemas`), every property filled
/// in (first enum value, first `oneOf` branch), as `spec_examples.rs` synthesises bodies.
pub fn quoting_example(name: &str) -> Value {
    let spec = quoting_spec();
    let schema = json!({"$ref": format!("#/components/schemas/{name}")});
    synthesize(&spec, &schema, 0)
}

/// The synthesised body of the quoting operation `operation_id`: its request body (`request`) or its
/// first 2xx JSON response.
pub fn quoting_operation_example(operation_id: &str, request: bool) -> Value {
    let spec = quoting_spec();
    for operations in spec["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            if operation["operationId"] != operation_id {
                continue;
            }
            let media = if request {
                operation.pointer("/requestBody/content")
            } else {
                operation["responses"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(status, _)| status.starts_with('2'))
                    .find_map(|(_, response)| response.get("content"))
            }
            .unwrap_or_else(|| panic!("{operation_id}: no body"));
            let schema = media
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()
                .get("schema")
                .unwrap()
                .clone();
            return synthesize(&spec, &schema, 0);
        }
    }
    panic!("no operation {operation_id} in the quoting spec")
}

fn synthesize(spec: &Value, schema: &Value, depth: usize) -> Value {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {reference}")),
        None => schema,
    };
    assert!(depth < 16, "schema too deep");
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = serde_json::Map::new();
        for part in all {
            if let Value::Object(map) = synthesize(spec, part, depth + 1) {
                merged.extend(map);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return synthesize(spec, first, depth + 1);
    }
    if let Some(first) = schema.get("enum").and_then(|v| v.get(0)) {
        return first.clone();
    }
    let kind = schema.get("type").and_then(Value::as_str);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let map = props
            .iter()
            .map(|(name, prop)| (name.clone(), synthesize(spec, prop, depth + 1)))
            .collect();
        return Value::Object(map);
    }
    if kind == Some("array") {
        return json!([synthesize(spec, &schema["items"], depth + 1)]);
    }
    match (kind, schema.get("format").and_then(Value::as_str)) {
        (Some("string"), Some("date-time")) => json!("2025-07-15T10:00:00Z"),
        (Some("string"), Some("uuid")) => json!("5f0c7c3e-6a3f-4a7e-9b1d-2a4c6e8f0a1b"),
        (Some("string"), _) => json!("text"),
        (Some("integer"), _) => json!(3),
        (Some("number"), _) => json!(12.5),
        (Some("boolean"), _) => json!(true),
        (Some("object"), _) => json!({}),
        _ => json!("text"),
    }
}

/// Asserts that `body` fits the quoting spec's object schema `name` (its `allOf` parts merged):
/// every property it sends is one the schema defines, and every property the schema requires is sent.
pub fn assert_fits_quoting_schema(body: &Value, name: &str) {
    let spec = quoting_spec();
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    collect_schema(
        &spec,
        &spec["components"]["schemas"][name],
        &mut properties,
        &mut required,
    );
    assert!(!properties.is_empty(), "{name}: no properties");
    let sent = body
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object"));
    for key in sent.keys() {
        assert!(
            properties.contains_key(key),
            "{name}: `{key}` is not in the schema"
        );
    }
    for required in required {
        assert!(
            sent.contains_key(&required),
            "{name}: `{required}` is required"
        );
    }
}

fn collect_schema(
    spec: &Value,
    schema: &Value,
    properties: &mut serde_json::Map<String, Value>,
    required: &mut Vec<String>,
) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec.pointer(reference.trim_start_matches('#')).unwrap(),
        None => schema,
    };
    for part in schema["allOf"].as_array().into_iter().flatten() {
        collect_schema(spec, part, properties, required);
    }
    if let Some(own) = schema["properties"].as_object() {
        properties.extend(own.clone());
    }
    for name in schema["required"].as_array().into_iter().flatten() {
        required.push(name.as_str().unwrap().to_owned());
    }
}
