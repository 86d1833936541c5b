//! The webhooks API under `/api/v2/webhooks` and the deliveries it causes.
//!
//! A delivery is a JSON POST to the webhook's `url` whose `Authorization` header is exactly the
//! configured `authorization` string, with the payload
//! `{accountId, url, webhookId, sentAt, webhookTopic{id, topic, filters}, payloadData{..}}`. Up to
//! `min(3, errorThreshold)` attempts, 200 ms apart; each delivery leaves a log.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

use super::auth::Authed;
use super::listing::{self, Params, filter_eq, find, find_mut, paged, paged_flat, sort};
use super::{ApiError, Inner, State, json_body};
use crate::clock;

/// One Pax8 webhook delivery the sandbox attempted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pax8WebhookDelivery {
    /// The webhook id.
    pub webhook_id: String,
    /// Where it was sent.
    pub url: String,
    /// The topic, e.g. `SUBSCRIPTION`.
    pub topic: String,
    /// The event's action, e.g. `New`, `Change`, `Cancel`.
    pub action: String,
    /// The receiver's status on the last attempt, or `None` if the request failed.
    pub status: Option<u16>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// Topics the simulator knows, with the actions their filters can name.
const TOPICS: [(&str, &str, &str, &[&str]); 4] = [
    (
        "SUBSCRIPTION",
        "Subscription",
        "A subscription was created, changed or cancelled.",
        &["New", "Change", "Cancel"],
    ),
    (
        "INVOICE",
        "Invoice",
        "An invoice was created.",
        &["CREATED"],
    ),
    (
        "PRODUCT",
        "Product",
        "A catalog product changed.",
        &["UPDATED"],
    ),
    (
        "PROVISIONING",
        "Provisioning",
        "A provisioning request completed or failed.",
        &["COMPLETED", "FAILED"],
    ),
];

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/api/v2/webhooks", get(list).post(create))
        .route("/api/v2/webhooks/topic-definitions", get(topic_definitions))
        .route("/api/v2/webhooks/{id}", get(read).delete(remove))
        .route("/api/v2/webhooks/{id}/configuration", post(configure))
        .route("/api/v2/webhooks/{id}/status", post(set_status))
        .route(
            "/api/v2/webhooks/{id}/topics",
            post(add_topic).put(replace_topics),
        )
        .route("/api/v2/webhooks/{id}/topics/{topic}", delete(remove_topic))
        .route(
            "/api/v2/webhooks/{id}/topics/{topic}/configuration",
            post(configure_topic),
        )
        .route(
            "/api/v2/webhooks/{id}/topics/{topic}/test",
            post(test_topic),
        )
        .route("/api/v2/webhooks/{id}/logs", get(logs))
        .route("/api/v2/webhooks/{id}/logs/{log_id}", get(log))
        .route("/api/v2/webhooks/{id}/logs/{log_id}/retry", post(retry))
}

fn not_found(id: &str) -> ApiError {
    listing::not_found("Webhook", id)
}

fn find_webhook(state: &State, id: &str) -> Result<Value, ApiError> {
    find(&state.lock().webhooks, "Webhook", id).cloned()
}

fn find_log(inner: &Inner, id: &str, log_id: &str) -> Result<Value, ApiError> {
    inner
        .webhook_logs
        .iter()
        .find(|l| l["webhookId"] == id && l["id"] == log_id)
        .cloned()
        .ok_or_else(|| listing::not_found("Log", log_id))
}

/// The webhook's topic subscriptions, to change them.
fn topics_mut(hook: &mut Value) -> Result<&mut Vec<Value>, ApiError> {
    hook["webhookTopics"]
        .as_array_mut()
        .ok_or_else(|| invalid("corrupt webhook"))
}

/// A 400 as the webhooks API documents it: `type` `BAD_REQUEST`, the problem as an `INVALID_PARAM`
/// detail.
fn invalid(message: impl Into<String>) -> ApiError {
    let message = message.into();
    let mut error = ApiError::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message.clone());
    error.details = vec![json!({ "type": "INVALID_PARAM", "message": message, "status": 400 })];
    error
}

/// Drops the members that are `null`: the webhooks API leaves out what a webhook or a call does not
/// have (its spec types them as strings and integers, never null).
fn without_nulls(mut value: Value) -> Value {
    if let Some(members) = value.as_object_mut() {
        members.retain(|_, v| !v.is_null());
    }
    value
}

fn topic_entry(state: &State, topic: &Value) -> Result<Value, ApiError> {
    let name = topic["topic"].as_str().unwrap_or_default();
    if !TOPICS.iter().any(|t| t.0 == name) {
        return Err(invalid(format!("Unknown topic '{name}'")));
    }
    let filters = topic
        .get("filters")
        .cloned()
        .filter(Value::is_array)
        .unwrap_or_else(|| json!([]));
    Ok(json!({ "id": state.lock().ids.uuid(), "topic": name, "filters": filters }))
}

fn topics_from(state: &State, topics: Option<&Value>) -> Result<Vec<Value>, ApiError> {
    let entries: Vec<Value> = topics
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| topic_entry(state, t))
                .collect::<Result<_, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    let mut seen: Vec<&str> = entries.iter().filter_map(|t| t["topic"].as_str()).collect();
    seen.sort_unstable();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(invalid("A topic may appear only once per webhook"));
    }
    Ok(entries)
}

fn check_url(body: &Value) -> Result<(), ApiError> {
    match body.get("url").and_then(Value::as_str) {
        Some(u) if url::Url::parse(u).is_err() => Err(invalid("url is not a valid URL")),
        _ => Ok(()),
    }
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    if body["displayName"].as_str().is_none_or(str::is_empty) {
        return Err(invalid("displayName is required"));
    }
    check_url(&body)?;
    let topics = topics_from(&state, body.get("webhookTopics"))?;
    let now = clock::rfc3339(clock::now());
    let mut inner = state.lock();
    let webhook = json!({
        "id": inner.ids.uuid(),
        "accountId": state.account_id,
        "displayName": body["displayName"],
        "url": body.get("url").cloned().unwrap_or(Value::Null),
        "authorization": body.get("authorization").cloned().unwrap_or(Value::Null),
        "active": body.get("active").and_then(Value::as_bool).unwrap_or(true),
        "contactEmail": body.get("contactEmail").cloned().unwrap_or(Value::Null),
        "errorThreshold": body.get("errorThreshold").and_then(Value::as_i64).unwrap_or(3),
        "integrationId": body.get("integrationId").cloned().unwrap_or(Value::Null),
        "webhookTopics": topics,
        "createdAt": now,
        "updatedAt": now,
    });
    // No `lastDeliveryStatus` before the first delivery.
    let webhook = without_nulls(webhook);
    inner.webhooks.push(webhook.clone());
    Ok(axum::Json(webhook).into_response())
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let mut items = state.lock().webhooks.clone();
    if let Some(search) = q.get("query").map(|s| s.to_lowercase()) {
        items.retain(|w| {
            w["displayName"]
                .as_str()
                .is_some_and(|n| n.to_lowercase().contains(&search))
        });
    }
    if let Some(topic) = q.get("topic") {
        items.retain(|w| {
            w["webhookTopics"]
                .as_array()
                .is_some_and(|ts| ts.iter().any(|t| t["topic"] == topic.as_str()))
        });
    }
    filter_eq(
        &mut items,
        &q,
        &[
            ("active", "/active"),
            ("status", "/lastDeliveryStatus"),
            ("accountId", "/accountId"),
        ],
    );
    sort(
        &mut items,
        &q,
        &[
            ("displayName", "/displayName"),
            ("createdAt", "/createdAt"),
            ("updatedAt", "/updatedAt"),
        ],
    )?;
    paged(items, &q)
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(axum::Json(find_webhook(&state, &id)?).into_response())
}

async fn remove(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let before = inner.webhooks.len();
    inner.webhooks.retain(|w| w["id"] != id.as_str());
    if inner.webhooks.len() == before {
        return Err(not_found(&id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Applies `change` to a webhook and answers it.
fn modify(
    state: &State,
    id: &str,
    change: impl FnOnce(&mut Value) -> Result<(), ApiError>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let hook = find_mut(&mut inner.webhooks, "Webhook", id)?;
    change(hook)?;
    hook["updatedAt"] = json!(clock::rfc3339(clock::now()));
    Ok(axum::Json(hook.clone()).into_response())
}

/// Replaces the whole configuration (absent fields are cleared).
async fn configure(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    if body["displayName"].as_str().is_none_or(str::is_empty) {
        return Err(invalid("displayName is required"));
    }
    check_url(&body)?;
    modify(&state, &id, |hook| {
        for key in ["displayName", "url", "authorization", "contactEmail"] {
            match body.get(key).filter(|v| !v.is_null()) {
                Some(value) => hook[key] = value.clone(),
                None => {
                    if let Some(members) = hook.as_object_mut() {
                        members.remove(key);
                    }
                }
            }
        }
        hook["errorThreshold"] = json!(
            body.get("errorThreshold")
                .and_then(Value::as_i64)
                .unwrap_or(3)
        );
        Ok(())
    })
}

async fn set_status(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let active = body["active"]
        .as_bool()
        .ok_or_else(|| invalid("active must be a boolean"))?;
    modify(&state, &id, |hook| {
        hook["active"] = json!(active);
        Ok(())
    })
}

async fn add_topic(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let entry = topic_entry(&state, &json_body(&body)?)?;
    modify(&state, &id, |hook| {
        let topics = topics_mut(hook)?;
        if topics.iter().any(|t| t["topic"] == entry["topic"]) {
            return Err(invalid("The topic already exists on this webhook"));
        }
        topics.push(entry);
        Ok(())
    })
}

async fn replace_topics(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let topics = topics_from(&state, body.get("webhookTopics"))?;
    modify(&state, &id, |hook| {
        hook["webhookTopics"] = json!(topics);
        Ok(())
    })
}

async fn remove_topic(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, topic_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    modify(&state, &id, |hook| {
        let topics = topics_mut(hook)?;
        let before = topics.len();
        topics.retain(|t| t["id"] != topic_id.as_str());
        if topics.len() == before {
            return Err(listing::not_found("Topic", &topic_id));
        }
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn configure_topic(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, topic_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let filters = body
        .get("filters")
        .cloned()
        .filter(Value::is_array)
        .ok_or_else(|| invalid("filters must be an array"))?;
    modify(&state, &id, |hook| {
        let topic = find_mut(topics_mut(hook)?, "Topic", &topic_id)?;
        topic["filters"] = filters;
        Ok(())
    })
}

fn sample_data(topic: &str) -> Value {
    match topic {
        "SUBSCRIPTION" => {
            json!({ "type": "New", "subscriptionId": "00000000-0000-4000-8000-000000000000", "status": "Active", "quantity": 1 })
        }
        "INVOICE" => {
            json!({ "type": "CREATED", "invoiceId": "00000000-0000-4000-8000-000000000001" })
        }
        "PRODUCT" => {
            json!({ "type": "UPDATED", "productId": "00000000-0000-4000-8000-000000000002" })
        }
        _ => {
            json!({ "type": "COMPLETED", "provisioningId": "00000000-0000-4000-8000-000000000003" })
        }
    }
}

fn payload(state: &State, hook: &Value, topic: &Value, data: Value) -> Value {
    json!({
        "accountId": state.account_id,
        "url": hook["url"],
        "webhookId": hook["id"],
        "sentAt": clock::rfc3339(clock::now()),
        "webhookTopic": topic,
        "payloadData": data,
    })
}

async fn test_topic(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, topic_name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let hook = find_webhook(&state, &id)?;
    if !TOPICS.iter().any(|t| t.0 == topic_name) {
        return Err(invalid(format!("Unknown topic '{topic_name}'")));
    }
    let topic = hook["webhookTopics"]
        .as_array()
        .and_then(|ts| {
            ts.iter()
                .find(|t| t["topic"] == topic_name.as_str())
                .cloned()
        })
        .unwrap_or_else(|| json!({ "id": null, "topic": topic_name, "filters": [] }));
    let sample = payload(&state, &hook, &topic, sample_data(&topic_name));
    spawn_delivery(
        &state,
        hook.clone(),
        topic_name,
        "TEST".to_owned(),
        sample.clone(),
        None,
    );
    Ok(
        axum::Json(json!({ "url": hook["url"], "webhook": hook, "samplePayload": sample }))
            .into_response(),
    )
}

async fn topic_definitions(_a: Authed, Query(q): Query<Params>) -> Result<Response, ApiError> {
    let mut items: Vec<Value> = TOPICS
        .iter()
        .map(|(topic, name, description, actions)| {
            json!({
                "topic": topic,
                "name": name,
                "description": description,
                "availableFilters": actions.iter().map(|a| json!({
                    "action": a,
                    "actionDisplayName": a,
                    "description": format!("{name} {a}"),
                    "conditions": [
                        { "field": "companyId", "operator": ["EQUALS", "NOT_EQUALS", "IN", "NOT_IN"], "dataType": "UUID", "description": "The company", "value": "00000000-0000-4000-8000-00000000000d" }
                    ]
                })).collect::<Vec<_>>(),
                "samplePayload": {
                    "accountId": "00000000-0000-4000-8000-00000000000a",
                    "url": "https://example.com/pax8-webhooks",
                    "webhookId": "00000000-0000-4000-8000-00000000000b",
                    "sentAt": "2025-06-01T00:00:00Z",
                    "webhookTopic": { "id": "00000000-0000-4000-8000-00000000000c", "topic": topic, "filters": [] },
                    "payloadData": sample_data(topic)
                }
            })
        })
        .collect();
    if let Some(search) = q.get("search").map(|s| s.to_lowercase()) {
        items.retain(|t| t.to_string().to_lowercase().contains(&search));
    }
    filter_eq(&mut items, &q, &[("topic", "/topic")]);
    sort(&mut items, &q, &[("topic", "/topic"), ("name", "/name")])?;
    // Unlike the other lists, this endpoint puts the page fields at the top level.
    paged_flat(items, &q)
}

async fn logs(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    if !inner.webhooks.iter().any(|w| w["id"] == id.as_str()) {
        return Err(not_found(&id));
    }
    let mut items: Vec<Value> = inner
        .webhook_logs
        .iter()
        .filter(|l| l["webhookId"] == id.as_str())
        .cloned()
        .collect();
    drop(inner);
    filter_eq(
        &mut items,
        &q,
        &[("topicName", "/topicName"), ("status", "/finalStatus")],
    );
    let start = q.get("startDate").cloned();
    let end = q.get("endDate").cloned();
    items.retain(|l| {
        let t = l["createdAt"].as_str().unwrap_or_default();
        start.as_deref().is_none_or(|s| t >= s) && end.as_deref().is_none_or(|e| t <= e)
    });
    items.reverse();
    paged(items, &q)
}

async fn log(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, log_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(axum::Json(find_log(&state.lock(), &id, &log_id)?).into_response())
}

async fn retry(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, log_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (hook, entry) = {
        let inner = state.lock();
        let hook = find(&inner.webhooks, "Webhook", &id)?.clone();
        (hook, find_log(&inner, &id, &log_id)?)
    };
    let payload = entry["callHistory"]
        .get(0)
        .map(|c| c["payload"].clone())
        .unwrap_or(Value::Null);
    let topic = entry["topicName"].as_str().unwrap_or_default().to_owned();
    spawn_delivery(
        &state,
        hook,
        topic,
        "RETRY".to_owned(),
        payload,
        Some(log_id),
    );
    Ok(StatusCode::ACCEPTED.into_response())
}

fn condition_holds(condition: &Value, data: &Value) -> bool {
    let field = condition["field"].as_str().unwrap_or_default();
    let have = match data.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
        _ => String::new(),
    };
    let values: Vec<String> = match &condition["value"] {
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        Value::Null => Vec::new(),
        v => vec![v.as_str().map_or_else(|| v.to_string(), str::to_owned)],
    };
    let first = values.first().cloned().unwrap_or_default();
    let number = |s: &str| s.parse::<f64>().ok();
    match condition["operator"].as_str().unwrap_or_default() {
        "EQUALS" => have == first,
        "NOT_EQUALS" => have != first,
        "IN" => values.contains(&have),
        "NOT_IN" => !values.contains(&have),
        "CONTAINS" => have.contains(&first),
        "GREATER_THAN" => number(&have)
            .zip(number(&first))
            .is_some_and(|(a, b)| a > b),
        "LESS_THAN" => number(&have)
            .zip(number(&first))
            .is_some_and(|(a, b)| a < b),
        _ => false,
    }
}

fn filters_match(filters: &Value, action: &str, data: &Value) -> bool {
    let Some(filters) = filters.as_array().filter(|f| !f.is_empty()) else {
        return true;
    };
    filters.iter().any(|f| {
        let wanted = f["action"].as_str().unwrap_or_default();
        (wanted.is_empty() || wanted.eq_ignore_ascii_case(action))
            && f["conditions"]
                .as_array()
                .is_none_or(|cs| cs.iter().all(|c| condition_holds(c, data)))
    })
}

/// Notifies every active webhook subscribed to `topic` whose filters accept the event.
pub(crate) fn emit(state: &Arc<State>, topic: &str, action: &str, resource: Value) {
    let mut data = json!({
        "type": action,
        "companyId": resource["companyId"],
        "productId": resource["productId"],
        "status": resource["status"],
        "quantity": resource["quantity"],
        "billingTerm": resource["billingTerm"],
    });
    if topic == "SUBSCRIPTION" {
        data["subscriptionId"] = resource["id"].clone();
        data["subscription"] = resource;
    }
    let hooks = state.lock().webhooks.clone();
    for hook in hooks
        .into_iter()
        .filter(|h| h["active"] == true && h["url"].is_string())
    {
        let Some(entry) = hook["webhookTopics"]
            .as_array()
            .and_then(|ts| ts.iter().find(|t| t["topic"] == topic))
            .cloned()
        else {
            continue;
        };
        if !filters_match(&entry["filters"], action, &data) {
            continue;
        }
        let body = payload(state, &hook, &entry, data.clone());
        spawn_delivery(state, hook, topic.to_owned(), action.to_owned(), body, None);
    }
}

/// Delivers in the background and records the attempts in a log (a new one, or `retry_of`'s).
fn spawn_delivery(
    state: &Arc<State>,
    hook: Value,
    topic: String,
    action: String,
    body: Value,
    retry_of: Option<String>,
) {
    let Some(url) = hook["url"].as_str().map(str::to_owned) else {
        return;
    };
    let attempts = hook["errorThreshold"].as_u64().unwrap_or(3).clamp(1, 3) as u32;
    let log_id = match retry_of {
        Some(id) => id,
        None => {
            let mut inner = state.lock();
            let id = inner.ids.uuid();
            inner.webhook_logs.push(json!({
                "id": id,
                "webhookId": hook["id"],
                "webhookName": hook["displayName"],
                "topicName": topic,
                "finalStatus": "PENDING",
                "callHistory": [],
                "createdAt": clock::rfc3339(clock::now()),
            }));
            id
        }
    };
    let state = Arc::clone(state);
    tokio::spawn(async move {
        let mut status = None;
        let mut made = 0;
        for attempt in 0..attempts {
            made = attempt + 1;
            let mut request = state.http.post(&url).json(&body);
            if let Some(auth) = hook["authorization"].as_str() {
                request = request.header(http::header::AUTHORIZATION, auth);
            }
            let result = request.send().await;
            status = result.as_ref().ok().map(|r| r.status().as_u16());
            let ok = status.is_some_and(|s| (200..300).contains(&s));
            let error = match (&result, status) {
                (Err(e), _) => Some(e.to_string()),
                (Ok(_), Some(code)) if !ok => Some(format!("the endpoint answered {code}")),
                _ => None,
            };
            // `errorMessage` only on a failed call, `httpStatusCode` only when there was an answer.
            let call = without_nulls(json!({
                "id": state.lock().ids.uuid(),
                "timestamp": clock::rfc3339(clock::now()),
                "status": if ok { "SUCCESS" } else { "FAILED" },
                "errorMessage": error,
                "httpStatusCode": status,
                "payload": body,
            }));
            let final_status = if ok {
                "SUCCESS"
            } else if made < attempts {
                "RETRYING"
            } else {
                "FAILED"
            };
            record(&state, &log_id, &hook, call, final_status);
            if ok {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        state.lock().deliveries.push(Pax8WebhookDelivery {
            webhook_id: hook["id"].as_str().unwrap_or_default().to_owned(),
            url,
            topic,
            action,
            status,
            attempts: made,
        });
    });
}

fn record(state: &State, log_id: &str, hook: &Value, call: Value, final_status: &str) {
    let mut inner = state.lock();
    if let Some(log) = inner.webhook_logs.iter_mut().find(|l| l["id"] == log_id) {
        if let Some(history) = log["callHistory"].as_array_mut() {
            history.push(call);
        }
        log["finalStatus"] = json!(final_status);
    }
    if let Some(h) = inner.webhooks.iter_mut().find(|w| w["id"] == hook["id"]) {
        h["lastDeliveryStatus"] = json!(final_status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_select_actions_and_conditions() {
        let data = json!({ "companyId": "c1", "quantity": 5 });
        assert!(filters_match(&json!([]), "New", &data));
        let only_cancel = json!([{ "action": "Cancel", "conditions": [] }]);
        assert!(!filters_match(&only_cancel, "New", &data));
        assert!(filters_match(&only_cancel, "cancel", &data));
        let company = json!([{ "action": "New", "conditions": [{ "field": "companyId", "operator": "IN", "value": ["c1", "c2"] }] }]);
        assert!(filters_match(&company, "New", &data));
        let big = json!([{ "action": "New", "conditions": [{ "field": "quantity", "operator": "GREATER_THAN", "value": ["10"] }] }]);
        assert!(!filters_match(&big, "New", &data));
    }
}
