//! Webhook events: what the simulator's own flows emit, delivered signed to every matching webhook;
//! the event notifications (list, show, resend); simulated events; the catalogue of event types.
//!
//! Every delivered event is stored, with the webhooks it went to, so that the notifications list
//! shows it and a resend sends the same bytes again (with a new transmission id and signature). The
//! list is newest first; `page_size` (1 to 300, default 10), `start_time`, `end_time` (RFC 3339,
//! inclusive), `event_type` and `transaction_id` (the resource's id) filter it, and a `next` link,
//! carrying the filters and an opaque `after_id` cursor, leads to the following page. Event times run
//! on the sandbox clock; transmission times on the wall clock, so that a receiver's freshness check
//! holds whatever the sandbox clock says.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::webhooks::{CERT_PATH, signed_message};
use super::{ApiError, Authed, State, WebhookDelivery, json_body};
use crate::clock;

/// The event types the sandbox knows, with PayPal's descriptions: the ones its flows emit first.
pub(super) const EVENT_TYPES: &[(&str, &str)] = &[
    ("MERCHANT.ONBOARDING.COMPLETED", "Merchant completes setup."),
    (
        "MERCHANT.PARTNER-CONSENT.REVOKED",
        "The consents for a merchant account setup are revoked or an account is disconnected.",
    ),
    (
        "CHECKOUT.ORDER.APPROVED",
        "A buyer approved a checkout order.",
    ),
    ("CHECKOUT.ORDER.COMPLETED", "A checkout order is processed."),
    (
        "PAYMENT.AUTHORIZATION.CREATED",
        "A payment authorization is created, approved, executed, or a future payment authorization is created.",
    ),
    (
        "PAYMENT.AUTHORIZATION.VOIDED",
        "A payment authorization is voided.",
    ),
    ("PAYMENT.CAPTURE.COMPLETED", "A payment capture completes."),
    (
        "PAYMENT.CAPTURE.PENDING",
        "The state of a payment capture changes to pending.",
    ),
    ("PAYMENT.CAPTURE.DENIED", "A payment capture is denied."),
    (
        "PAYMENT.CAPTURE.REFUNDED",
        "A merchant refunds a payment capture.",
    ),
    (
        "PAYMENT.CAPTURE.REVERSED",
        "PayPal reverses a payment capture.",
    ),
    (
        "PAYMENT.PAYOUTSBATCH.PROCESSING",
        "A batch payout payment is processing.",
    ),
    (
        "PAYMENT.PAYOUTSBATCH.SUCCESS",
        "A batch payout payment completes successfully.",
    ),
    (
        "PAYMENT.PAYOUTS-ITEM.SUCCEEDED",
        "A payouts item succeeded.",
    ),
    (
        "PAYMENT.PAYOUTS-ITEM.UNCLAIMED",
        "A payouts item is unclaimed.",
    ),
    (
        "PAYMENT.PAYOUTS-ITEM.CANCELED",
        "A payouts item was canceled.",
    ),
    (
        "PAYMENT.REFERENCED-PAYOUT-ITEM.COMPLETED",
        "Funds are disbursed to the seller and partner.",
    ),
];

/// The description of a known event type; `*` is every type.
pub(super) fn description(name: &str) -> Option<&'static str> {
    if name == "*" {
        return Some("ALL");
    }
    EVENT_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
}

/// The webhook id PayPal signs simulated events for a bare URL with.
pub(super) const SIMULATOR_WEBHOOK_ID: &str = "WEBHOOK_ID";

/// A delivered event.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    created: OffsetDateTime,
    event: Value,
    /// The exact bytes delivered: a resend sends them again, so the CRC in the signature still holds.
    body: Bytes,
    /// `(webhook id, url)` it was delivered to.
    targets: Vec<(String, String)>,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/notifications/webhooks-event-types", get(event_types))
        .route("/v1/notifications/webhooks-events", get(list))
        .route("/v1/notifications/webhooks-events/{id}", get(read))
        .route(
            "/v1/notifications/webhooks-events/{id}/resend",
            post(resend),
        )
        .route("/v1/notifications/simulate-event", post(simulate))
}

/// The JSON of a catalogue entry.
pub(super) fn event_type_json(name: &str) -> Value {
    json!({
        "name": name,
        "description": description(name).unwrap_or_default(),
        "status": "ENABLED",
        "resource_versions": [if name.contains("PAYOUT") { "1.0" } else { "2.0" }],
    })
}

async fn event_types(_auth: Authed) -> Response {
    let types: Vec<Value> = EVENT_TYPES
        .iter()
        .map(|(n, _)| event_type_json(n))
        .collect();
    axum::Json(json!({ "event_types": types })).into_response()
}

/// Sends `event_type` to the configured URL and every registered webhook that wants it, stores the
/// event, in the background.
pub(crate) fn emit(
    state: &Arc<State>,
    event_type: &str,
    resource_type: &str,
    summary: &str,
    resource: Value,
) {
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(url) = &state.config.webhook_url {
        targets.push((state.config.credentials.webhook_id.clone(), url.to_string()));
    }
    targets.extend(super::webhooks::subscribed(state, event_type));
    if targets.is_empty() {
        return;
    }
    publish(state, event_type, resource_type, summary, resource, targets);
}

/// Builds, stores and delivers an event; returns its JSON.
fn publish(
    state: &Arc<State>,
    event_type: &str,
    resource_type: &str,
    summary: &str,
    resource: Value,
    targets: Vec<(String, String)>,
) -> Value {
    let created = state.now();
    let mut inner = state.lock();
    let event_id = format!("WH-{}-{}", inner.ids().upper(17), inner.ids().upper(17));
    let version = if resource_type.contains("payout") {
        "1.0"
    } else {
        "2.0"
    };
    let event = json!({
        "id": event_id,
        "event_version": "1.0",
        "create_time": clock::rfc3339(created),
        "resource_type": resource_type,
        "resource_version": version,
        "event_type": event_type,
        "summary": summary,
        "resource": resource,
        "links": [
            { "href": state.url(&format!("/v1/notifications/webhooks-events/{event_id}")), "rel": "self", "method": "GET" },
            { "href": state.url(&format!("/v1/notifications/webhooks-events/{event_id}/resend")), "rel": "resend", "method": "POST" }
        ]
    });
    let body = Bytes::from(serde_json::to_vec(&event).unwrap_or_default());
    inner.events.push(StoredEvent {
        created,
        event: event.clone(),
        body: body.clone(),
        targets: targets.clone(),
    });
    drop(inner);
    deliver(state, &body, event_type, &event_id, targets);
    event
}

/// Signs and posts `body` to each target, recording each delivery.
fn deliver(
    state: &Arc<State>,
    body: &Bytes,
    event_type: &str,
    event_id: &str,
    targets: Vec<(String, String)>,
) {
    let transmission_ids: Vec<String> = {
        let mut inner = state.lock();
        targets.iter().map(|_| inner.ids().uuid()).collect()
    };
    let now = clock::rfc3339(clock::now());
    for ((webhook_id, url), transmission_id) in targets.into_iter().zip(transmission_ids) {
        let message = signed_message(&transmission_id, &now, &webhook_id, body);
        let Some(sig) = state.signer.sign(message.as_bytes()) else {
            continue;
        };
        let request = state
            .http
            .post(&url)
            .header(header::CONTENT_TYPE, "application/json")
            .header("PAYPAL-TRANSMISSION-ID", &transmission_id)
            .header("PAYPAL-TRANSMISSION-TIME", &now)
            .header("PAYPAL-TRANSMISSION-SIG", sig)
            .header("PAYPAL-CERT-URL", state.url(CERT_PATH))
            .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
            .body(body.clone());
        let state = Arc::clone(state);
        let event_type = event_type.to_owned();
        let event_id = event_id.to_owned();
        tokio::spawn(async move {
            let status = request.send().await.ok().map(|r| r.status().as_u16());
            state.lock().deliveries.push(WebhookDelivery {
                webhook_id,
                url,
                event_type,
                event_id,
                status,
            });
        });
    }
}

fn bad_query(field: &str, why: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
        "Request is not well-formed, syntactically incorrect, or violates schema.",
    )
    .detail(Some(field), "query", "INVALID_PARAMETER_SYNTAX", why)
}

fn time_param(
    query: &HashMap<String, String>,
    name: &str,
) -> Result<Option<OffsetDateTime>, ApiError> {
    query
        .get(name)
        .map(|v| {
            OffsetDateTime::parse(v, &Rfc3339)
                .map_err(|_| bad_query(name, "Must be an RFC 3339 date-time."))
        })
        .transpose()
}

/// `webhooks-events.list`.
async fn list(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page_size = match query.get("page_size") {
        None => 10,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=300).contains(n))
            .ok_or_else(|| bad_query("page_size", "page_size must be from 1 to 300."))?,
    };
    let start = time_param(&query, "start_time")?;
    let end = time_param(&query, "end_time")?;
    let event_type = query.get("event_type");
    let transaction = query.get("transaction_id");
    let inner = state.lock();
    let mut matching = inner.events.iter().rev().filter(|e| {
        start.is_none_or(|s| e.created >= s)
            && end.is_none_or(|t| e.created <= t)
            && event_type.is_none_or(|t| e.event["event_type"] == t.as_str())
            && transaction.is_none_or(|t| e.event.pointer("/resource/id") == Some(&json!(t)))
    });
    if let Some(after) = query.get("after_id") {
        // Skip through the cursor; an unknown cursor leaves nothing after it.
        for e in matching.by_ref() {
            if e.event["id"] == after.as_str() {
                break;
            }
        }
    }
    let mut page: Vec<&StoredEvent> = matching.by_ref().take(page_size).collect();
    let more = matching.next().is_some();
    let events: Vec<Value> = page.iter().map(|e| e.event.clone()).collect();
    let mut links = Vec::new();
    if more && let Some(last) = page.pop() {
        let mut next = url::Url::parse(&state.url("/v1/notifications/webhooks-events"))
            .map_err(|_| bad_query("page_size", "Cannot build the next link."))?;
        {
            let mut pairs = next.query_pairs_mut();
            pairs.append_pair("page_size", &page_size.to_string());
            for name in ["start_time", "end_time", "event_type", "transaction_id"] {
                if let Some(v) = query.get(name) {
                    pairs.append_pair(name, v);
                }
            }
            pairs.append_pair("after_id", last.event["id"].as_str().unwrap_or_default());
        }
        links.push(json!({ "href": next.as_str(), "rel": "next", "method": "GET" }));
    }
    Ok(
        axum::Json(json!({ "events": events, "count": events.len(), "links": links }))
            .into_response(),
    )
}

fn event_not_found() -> ApiError {
    ApiError::not_found("INVALID_RESOURCE_ID", "Webhook event not found.")
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let event = inner
        .events
        .iter()
        .find(|e| e.event["id"] == id.as_str())
        .ok_or_else(event_not_found)?;
    Ok(axum::Json(event.event.clone()).into_response())
}

/// `webhooks-events.resend`: to the webhooks named in `webhook_ids` (registered ones), or to every
/// webhook the event first went to.
async fn resend(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let stored = {
        let inner = state.lock();
        inner
            .events
            .iter()
            .find(|e| e.event["id"] == id.as_str())
            .cloned()
            .ok_or_else(event_not_found)?
    };
    let wanted: Vec<String> = data
        .get("webhook_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let targets = if wanted.is_empty() {
        stored.targets.clone()
    } else {
        let mut targets = Vec::new();
        for webhook_id in &wanted {
            let url = super::webhooks::url_of(&state, webhook_id).ok_or_else(|| {
                ApiError::invalid_request(
                    "/webhook_ids",
                    "INVALID_RESOURCE_ID",
                    "A webhook id is not a webhook of this app.",
                )
            })?;
            targets.push((webhook_id.clone(), url));
        }
        targets
    };
    let event_type = stored.event["event_type"].as_str().unwrap_or_default();
    deliver(&state, &stored.body, event_type, &id, targets);
    Ok((StatusCode::ACCEPTED, axum::Json(stored.event)).into_response())
}

/// A sample resource for a simulated event: its type and JSON.
fn sample_resource(event_type: &str, id: &str) -> (&'static str, Value) {
    let amount = json!({ "currency_code": "USD", "value": "10.00" });
    let (family, state) = event_type.rsplit_once('.').unwrap_or_default();
    match family {
        "PAYMENT.CAPTURE" => (
            "capture",
            json!({ "id": id, "status": state, "amount": amount, "final_capture": true }),
        ),
        "PAYMENT.AUTHORIZATION" => (
            "authorization",
            json!({ "id": id, "status": state, "amount": amount }),
        ),
        "CHECKOUT.ORDER" => (
            "checkout-order",
            json!({ "id": id, "status": state, "intent": "CAPTURE" }),
        ),
        "PAYMENT.PAYOUTSBATCH" => (
            "payouts",
            json!({ "batch_header": { "payout_batch_id": id, "batch_status": state } }),
        ),
        "PAYMENT.PAYOUTS-ITEM" | "PAYMENT.REFERENCED-PAYOUT-ITEM" => (
            "payouts_item",
            json!({ "payout_item_id": id, "transaction_status": state }),
        ),
        _ => (
            "merchant-onboarding",
            json!({ "merchant_id": id, "tracking_id": "simulated" }),
        ),
    }
}

/// `simulate-event`: a sample event of a known type, to a registered webhook (`webhook_id`) or any
/// `url` (signed with PayPal's `WEBHOOK_ID` then, as PayPal does for simulated events).
async fn simulate(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let event_type = data
        .get("event_type")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::invalid_request(
                "/event_type",
                "MISSING_REQUIRED_PARAMETER",
                "A required field / parameter is missing.",
            )
        })?;
    if description(event_type).is_none() || event_type == "*" {
        return Err(ApiError::invalid_request(
            "/event_type",
            "INVALID_PARAMETER_VALUE",
            "The event type is not supported; see GET /v1/notifications/webhooks-event-types.",
        ));
    }
    let target = match (
        data.get("webhook_id").and_then(Value::as_str),
        data.get("url").and_then(Value::as_str),
    ) {
        (Some(webhook_id), _) => {
            let url = super::webhooks::url_of(&state, webhook_id)
                .ok_or_else(|| ApiError::not_found("INVALID_RESOURCE_ID", "Webhook not found."))?;
            (webhook_id.to_owned(), url)
        }
        (None, Some(url)) => {
            if url::Url::parse(url).is_err() {
                return Err(ApiError::invalid_request(
                    "/url",
                    "INVALID_PARAMETER_SYNTAX",
                    "The url is not a valid URL.",
                ));
            }
            (SIMULATOR_WEBHOOK_ID.to_owned(), url.to_owned())
        }
        (None, None) => {
            return Err(ApiError::invalid_request(
                "/webhook_id",
                "MISSING_REQUIRED_PARAMETER",
                "Either webhook_id or url is required.",
            ));
        }
    };
    let id = state.lock().ids().upper(17);
    let (resource_type, resource) = sample_resource(event_type, &id);
    let summary = format!(
        "Simulated {}",
        description(event_type).unwrap_or(event_type)
    );
    let event = publish(
        &state,
        event_type,
        resource_type,
        &summary,
        resource,
        vec![target],
    );
    Ok((StatusCode::ACCEPTED, axum::Json(event)).into_response())
}
