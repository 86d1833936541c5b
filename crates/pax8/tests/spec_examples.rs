//! Every 2xx response of the official OpenAPI files decodes into this crate's models.
//!
//! The test walks `testdata/specs/pax8/*.json`: each (path, method) must be mapped to a model below
//! (an unmapped operation fails the test, so a new endpoint cannot be skipped silently). Every
//! example of a 2xx JSON response decodes into the mapped model; when an operation has no example,
//! one is synthesised from its schema with every property filled in. For models that serialise, the
//! test also checks that no field of the example is dropped, which catches misspelt wire names.

use std::path::PathBuf;

use pax8::orders::Order;
use pax8::products::{Dependencies, Pricing, ProductDetail, ProvisioningDetail};
use pax8::webhooks::{TopicDefinition, Webhook, WebhookLog, WebhookTest};
use pax8::{
    Company, Contact, Invoice, InvoiceItem, Product, Subscription, UsageLine, UsageSummary,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// How a 2xx answer of an operation is read.
enum Answer {
    /// Decoded by the function.
    Json(fn(&Value) -> Result<(), String>),
    /// No body (204, 202).
    Empty,
}

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/specs/pax8")
}

fn load(name: &str) -> Value {
    let path = spec_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Field names that differ on purpose between the spec and this crate's serialisation.
const RENAMED: &[(&str, &str)] = &[("commitmentTerm", "commitment")];

/// Every key of `original` is in `reserialized` (recursively): no field was dropped.
fn missing_keys(original: &Value, reserialized: &Value, path: &str, out: &mut Vec<String>) {
    match (original, reserialized) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let renamed = RENAMED
                    .iter()
                    .find(|(from, _)| from == key)
                    .map(|(_, to)| *to);
                match b.get(key).or_else(|| renamed.and_then(|to| b.get(to))) {
                    Some(other) => missing_keys(value, other, &format!("{path}.{key}"), out),
                    None if value.is_null() => {}
                    None => out.push(format!("{path}.{key}")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                missing_keys(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let text = value.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))
}

/// Decodes, and checks that serialising back keeps every field.
fn full<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let decoded: T = decode(value)?;
    let back = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    missing_keys(value, &back, "$", &mut missing);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("fields dropped: {missing:?}"))
    }
}

/// Decodes only (models holding secrets do not serialise).
fn read<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    decode::<T>(value).map(|_| ())
}

/// The items of a page envelope. How the envelope's metadata becomes a `pax8::Page` (both the
/// nested and the webhooks API's flat form) is tested in `page.rs`.
#[derive(serde::Deserialize, Serialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct Listing<T> {
    content: Vec<T>,
}

/// A page: decodes, keeps every item, and keeps every field of the items.
fn page<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let decoded: Listing<T> = decode(value)?;
    let expected = value["content"].as_array().map_or(0, Vec::len);
    if decoded.content.len() != expected {
        return Err(format!(
            "{} items decoded of {expected}",
            decoded.content.len()
        ));
    }
    let back = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    missing_keys(
        &value["content"],
        &back["content"],
        "$.content",
        &mut missing,
    );
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("fields dropped: {missing:?}"))
    }
}

/// A page of a model that does not serialise.
fn read_page<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    let decoded: Listing<T> = decode(value)?;
    let expected = value["content"].as_array().map_or(0, Vec::len);
    if decoded.content.len() != expected {
        return Err(format!(
            "{} items decoded of {expected}",
            decoded.content.len()
        ));
    }
    Ok(())
}

/// `{"content": [...]}` without page metadata.
fn content<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let items = value["content"].as_array().ok_or("no content")?;
    for (i, item) in items.iter().enumerate() {
        full::<T>(item).map_err(|e| format!("content[{i}]: {e}"))?;
    }
    Ok(())
}

fn partner(method: &str, path: &str) -> Option<Answer> {
    use Answer::*;
    Some(match (method, path) {
        ("get", "/companies") => Json(page::<Company>),
        ("post", "/companies")
        | ("get", "/companies/{companyId}")
        | ("patch", "/companies/{companyId}") => Json(full::<Company>),
        ("get", "/companies/{companyId}/contacts") => Json(page::<Contact>),
        ("post", "/companies/{companyId}/contacts")
        | ("get", "/companies/{companyId}/contacts/{contactId}")
        | ("put", "/companies/{companyId}/contacts/{contactId}") => Json(full::<Contact>),
        ("delete", "/companies/{companyId}/contacts/{contactId}") => Empty,
        ("get", "/products") => Json(page::<Product>),
        ("get", "/products/{productId}") => Json(full::<ProductDetail>),
        ("get", "/products/{productId}/provision-details") => Json(content::<ProvisioningDetail>),
        ("get", "/products/{productId}/dependencies") => Json(full::<Dependencies>),
        ("get", "/products/{productId}/pricing") => Json(content::<Pricing>),
        ("get", "/orders") => Json(page::<Order>),
        ("post", "/orders") | ("get", "/orders/{orderId}") => Json(full::<Order>),
        ("get", "/subscriptions") => Json(page::<Subscription>),
        ("get", "/subscriptions/{subscriptionId}") | ("put", "/subscriptions/{subscriptionId}") => {
            Json(full::<Subscription>)
        }
        ("delete", "/subscriptions/{subscriptionId}") => Empty,
        ("get", "/subscriptions/{subscriptionId}/history") => Json(content::<Subscription>),
        ("get", "/subscriptions/{subscriptionId}/usage-summaries") => Json(page::<UsageSummary>),
        ("get", "/usage-summaries/{usageSummaryId}") => Json(full::<UsageSummary>),
        ("get", "/usage-summaries/{usageSummaryId}/usage-lines") => Json(page::<UsageLine>),
        ("get", "/invoices") => Json(page::<Invoice>),
        ("get", "/invoices/{invoiceId}") => Json(full::<Invoice>),
        ("get", "/invoices/{invoiceId}/items") | ("get", "/invoices/draftItems") => {
            Json(page::<InvoiceItem>)
        }
        _ => return None,
    })
}

fn webhooks(method: &str, path: &str) -> Option<Answer> {
    use Answer::*;
    Some(match (method, path) {
        ("get", "/webhooks") => Json(read_page::<Webhook>),
        ("post", "/webhooks")
        | ("get", "/webhooks/{id}")
        | ("post", "/webhooks/{id}/configuration")
        | ("post", "/webhooks/{id}/status")
        | ("post", "/webhooks/{id}/topics")
        | ("put", "/webhooks/{id}/topics")
        | ("post", "/webhooks/{id}/topics/{topicId}/configuration") => Json(read::<Webhook>),
        ("delete", "/webhooks/{id}") | ("delete", "/webhooks/{id}/topics/{topicId}") => Empty,
        ("post", "/webhooks/{id}/topics/{topic}/test") => Json(read::<WebhookTest>),
        ("get", "/webhooks/topic-definitions") => Json(|v| {
            read_page::<TopicDefinition>(v)?;
            page::<TopicDefinition>(v)
        }),
        ("get", "/webhooks/{webhookId}/logs") => Json(page::<WebhookLog>),
        ("get", "/webhooks/{webhookId}/logs/{id}") => Json(full::<WebhookLog>),
        ("post", "/webhooks/{webhookId}/logs/{logId}/retry") => Empty,
        _ => return None,
    })
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(
                spec,
                spec.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling {reference}")),
            )
        }
        None => value,
    }
}

/// A value of `schema` with every property present.
fn synthesize(spec: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if depth > 12 {
        return Value::Null;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        if let Value::Object(own) = synthesize(spec, &strip(schema, "allOf"), depth + 1) {
            merged.extend(own);
        }
        for part in all {
            match synthesize(spec, part, depth + 1) {
                Value::Object(map) => merged.extend(map),
                other if merged.is_empty() => return other,
                _ => {}
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return synthesize(spec, first, depth + 1);
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    let kind = schema.get("type").and_then(Value::as_str);
    if kind == Some("object") || schema.get("properties").is_some() {
        let mut map = Map::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                map.insert(name.clone(), synthesize(spec, prop, depth + 1));
            }
        } else if schema.get("additionalProperties").is_some() {
            map.insert("key".into(), json!("value"));
        }
        return Value::Object(map);
    }
    if kind == Some("array") || schema.get("items").is_some() {
        return json!([synthesize(spec, &schema["items"], depth + 1)]);
    }
    match (kind, schema.get("format").and_then(Value::as_str)) {
        (Some("string"), Some("date-time")) => json!("2025-07-15T10:00:00Z"),
        (Some("string"), Some("date" | "yyyy-MM-dd")) => json!("2025-07-15"),
        (Some("string"), Some("uuid")) => json!("5f0c7c3e-6a3f-4a7e-9b1d-2a4c6e8f0a1b"),
        (Some("string"), Some("email")) => json!("someone@example.com"),
        (Some("string"), _) => json!("text"),
        (Some("integer"), _) => json!(3),
        (Some("number"), _) => json!(12.5),
        (Some("boolean"), _) => json!(true),
        _ => json!(7),
    }
}

fn strip(schema: &Value, key: &str) -> Value {
    let mut copy = schema.clone();
    if let Value::Object(map) = &mut copy {
        map.remove(key);
    }
    copy
}

struct Outcome {
    examples: usize,
    synthesized: usize,
    failures: Vec<String>,
    unmapped: Vec<String>,
}

fn walk(file: &str, mapping: fn(&str, &str) -> Option<Answer>) -> Outcome {
    let spec = load(file);
    let mut outcome = Outcome {
        examples: 0,
        synthesized: 0,
        failures: vec![],
        unmapped: vec![],
    };
    let paths = spec["paths"].as_object().expect("paths");
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let Some(answer) = mapping(method, path) else {
                outcome
                    .unmapped
                    .push(format!("{file}: {} {path}", method.to_uppercase()));
                continue;
            };
            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                let response = resolve(&spec, response);
                let Some(media) = response.pointer("/content/application~1json") else {
                    continue;
                };
                let Answer::Json(check) = &answer else {
                    outcome.failures.push(format!(
                        "{method} {path} {status}: has a body but is mapped as empty"
                    ));
                    continue;
                };
                let mut values = Vec::new();
                if let Some(example) = media.get("example") {
                    values.push(("example".to_string(), example.clone()));
                }
                if let Some(examples) = media.get("examples").and_then(Value::as_object) {
                    for (name, example) in examples {
                        let example = resolve(&spec, example);
                        values.push((name.clone(), example["value"].clone()));
                    }
                }
                if values.is_empty() {
                    values.push(("synthesized".into(), synthesize(&spec, &media["schema"], 0)));
                    outcome.synthesized += 1;
                } else {
                    outcome.examples += values.len();
                }
                for (name, value) in values {
                    if let Err(err) = check(&value) {
                        outcome
                            .failures
                            .push(format!("{method} {path} {status} ({name}): {err}"));
                    }
                }
            }
        }
    }
    outcome
}

fn report(outcome: &Outcome) {
    assert!(
        outcome.unmapped.is_empty(),
        "operations with no model mapped (add them to this test): {:#?}",
        outcome.unmapped
    );
    assert!(outcome.failures.is_empty(), "{:#?}", outcome.failures);
}

#[test]
fn partner_endpoints_examples_decode() {
    let outcome = walk("pax8-partner-endpoints-openapi.json", partner);
    report(&outcome);
    // The file holds 18 response examples today; fewer means the walk lost some.
    assert!(
        outcome.examples >= 18,
        "only {} examples found",
        outcome.examples
    );
    assert!(outcome.synthesized > 0);
}

#[test]
fn webhooks_api_responses_decode() {
    let outcome = walk("pax8-webhooks-api-openapi.json", webhooks);
    report(&outcome);
    // The webhooks file has schemas but no examples: every 2xx body is synthesised from its schema.
    assert!(
        outcome.synthesized >= 12,
        "only {} bodies synthesised",
        outcome.synthesized
    );
}

#[test]
fn unmapped_operations_fail_loudly() {
    let outcome = walk("pax8-partner-endpoints-openapi.json", |_, _| None);
    assert!(!outcome.unmapped.is_empty());
    assert_eq!(outcome.examples, 0);
}

#[test]
fn dropped_fields_are_detected() {
    // A model that loses a field fails `full`: this guards the checker itself.
    #[derive(serde::Deserialize, Serialize)]
    struct Partial {
        id: String,
    }
    assert!(full::<Partial>(&json!({"id": "x", "name": "y"})).is_err());
    assert!(full::<Partial>(&json!({"id": "x"})).is_ok());
}
