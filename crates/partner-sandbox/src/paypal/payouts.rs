//! Referenced payouts: releasing the funds of a `DELAYED` capture, one item at a time or in a batch.
//!
//! The sandbox's rule: the first release of a capture answers `PROCESSING` (202 with
//! `Prefer: respond-async`, else 200) and stays processing for the configured time (500 ms by default,
//! [`crate::SandboxConfig::paypal_payout_processing`]); another release of the same capture meanwhile is
//! a 409, and after it a 422 (already released). Repeating a `PayPal-Request-Id` returns the same item.
//!
//! A referenced batch (`POST /v1/payments/referenced-payouts`) releases each of its references the
//! same way; a reference that cannot be released does not fail the batch: its item is `FAILED` with
//! PayPal's reason (`TRANSACTION_NOT_VALID` for an unknown or instant capture,
//! `ONGOING_ACTIVITY_ON_REFERENCE` while another release runs, `PAYOUT_ALREADY_COMPLETED_FOR_REFERENCE`
//! after one). The batch and its items are read back with `GET /v1/payments/referenced-payouts/{id}`.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{ApiError, Authed, Inner, State, json_body};

/// A release of a capture's funds.
#[derive(Debug, Clone)]
pub(crate) struct PayoutItem {
    item_id: String,
    reference_id: String,
    started: Instant,
    /// Why a release in a batch failed (PayPal's reason code); `None` for a release that runs.
    failure: Option<&'static str>,
    amount: Value,
    destination: Option<String>,
    transaction_id: String,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/payments/referenced-payouts-items", post(create))
        .route("/v1/payments/referenced-payouts-items/{id}", get(read))
        .route("/v1/payments/referenced-payouts", post(create_batch))
        .route("/v1/payments/referenced-payouts/{id}", get(read_batch))
}

/// Why a reference cannot be released.
enum Refusal {
    UnknownTransaction,
    NotDelayed,
    InProgress,
    AlreadyReleased,
}

impl Refusal {
    fn error(&self) -> ApiError {
        match self {
            Refusal::UnknownTransaction => ApiError::not_found(
                "INVALID_RESOURCE_ID",
                "No transaction exists with this reference_id.",
            ),
            Refusal::NotDelayed => ApiError::unprocessable(
                "TRANSACTION_NOT_ELIGIBLE",
                "Only captures made with disbursement_mode DELAYED can be released with a referenced payout.",
            ),
            Refusal::AlreadyReleased => ApiError::unprocessable(
                "PAYOUT_ALREADY_RELEASED",
                "The funds of this transaction were already released.",
            ),
            Refusal::InProgress => ApiError::new(
                StatusCode::CONFLICT,
                "RESOURCE_CONFLICT",
                "The server has detected a conflict while processing this request.",
            )
            .detail(
                Some("reference_id"),
                "body",
                "PREVIOUS_REQUEST_IN_PROGRESS",
                "A payout on this reference is still being processed. Retry later.",
            ),
        }
    }

    /// The reason code of a failed item in a batch.
    fn reason(&self) -> &'static str {
        match self {
            Refusal::UnknownTransaction | Refusal::NotDelayed => "TRANSACTION_NOT_VALID",
            Refusal::InProgress => "ONGOING_ACTIVITY_ON_REFERENCE",
            Refusal::AlreadyReleased => "PAYOUT_ALREADY_COMPLETED_FOR_REFERENCE",
        }
    }
}

/// Starts the release of a capture's funds.
fn release(state: &State, inner: &mut Inner, reference_id: &str) -> Result<PayoutItem, Refusal> {
    let capture = inner
        .captures
        .get(reference_id)
        .cloned()
        .ok_or(Refusal::UnknownTransaction)?;
    if !capture.delayed {
        return Err(Refusal::NotDelayed);
    }
    if let Some(existing) = inner
        .payout_items
        .values()
        .find(|p| p.reference_id == reference_id && p.failure.is_none())
    {
        return Err(if existing.done(state) {
            Refusal::AlreadyReleased
        } else {
            Refusal::InProgress
        });
    }
    let amount = capture
        .value
        .pointer("/seller_receivable_breakdown/net_amount")
        .cloned()
        .unwrap_or_else(
            || json!({ "currency_code": capture.currency, "value": capture.amount.to_string() }),
        );
    Ok(PayoutItem {
        item_id: inner.ids().upper(13),
        reference_id: reference_id.to_owned(),
        started: Instant::now(),
        failure: None,
        amount,
        destination: capture.payee_merchant_id.clone(),
        transaction_id: inner.ids().upper(17),
    })
}

impl PayoutItem {
    fn done(&self, state: &State) -> bool {
        self.started.elapsed() >= state.config.payout_processing
    }

    fn json(&self, state: &State) -> Value {
        let done = self.done(state);
        let processing_state = match self.failure {
            Some(reason) => json!({ "status": "FAILED", "reason": reason }),
            None => json!({ "status": if done { "SUCCESS" } else { "PROCESSING" } }),
        };
        let mut v = json!({
            "item_id": self.item_id,
            "processing_state": processing_state,
            "reference_id": self.reference_id,
            "reference_type": "TRANSACTION_ID",
            "links": [{
                "href": state.url(&format!("/v1/payments/referenced-payouts-items/{}", self.item_id)),
                "rel": "self",
                "method": "GET"
            }]
        });
        if !self.amount.is_null() {
            v["payout_amount"] = self.amount.clone();
        }
        if let Some(d) = &self.destination {
            v["payout_destination"] = json!(d);
        }
        if done && self.failure.is_none() {
            v["payout_transaction_id"] = json!(self.transaction_id);
            v["disbursement_transaction_id"] = json!(self.transaction_id);
        }
        v
    }
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let asynchronous = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("respond-async"));
    let ok_status = if asynchronous {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    let key = headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let data = json_body(&body)?;
    let mut inner = state.lock();
    if let Some(item) = key
        .as_ref()
        .and_then(|k| inner.payout_keys.get(k))
        .and_then(|id| inner.payout_items.get(id))
    {
        return Ok((ok_status, axum::Json(item.json(&state))).into_response());
    }
    let reference_id = data
        .get("reference_id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if reference_id.is_empty() {
        return Err(ApiError::invalid_request(
            "/reference_id",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    if data.get("reference_type").and_then(Value::as_str) != Some("TRANSACTION_ID") {
        return Err(ApiError::invalid_request(
            "/reference_type",
            "INVALID_PARAMETER_VALUE",
            "reference_type must be TRANSACTION_ID.",
        ));
    }
    let item = release(&state, &mut inner, &reference_id).map_err(|r| r.error())?;
    let body = item.json(&state);
    if let Some(key) = key {
        inner.payout_keys.insert(key, item.item_id.clone());
    }
    inner.payout_items.insert(item.item_id.clone(), item);
    Ok((ok_status, axum::Json(body)).into_response())
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let item = inner.payout_items.get(&id).ok_or_else(|| {
        ApiError::not_found(
            "INVALID_RESOURCE_ID",
            "Specified resource ID does not exist.",
        )
    })?;
    Ok(axum::Json(item.json(&state)).into_response())
}

/// A referenced batch: its items, in request order.
#[derive(Debug, Clone)]
pub(crate) struct ReferencedBatch {
    item_ids: Vec<String>,
}

fn batch_json(state: &State, inner: &Inner, id: &str, batch: &ReferencedBatch) -> Value {
    let items: Vec<Value> = batch
        .item_ids
        .iter()
        .filter_map(|i| inner.payout_items.get(i))
        .map(|i| i.json(state))
        .collect();
    json!({
        "referenced_payouts": items,
        "links": [{
            "href": state.url(&format!("/v1/payments/referenced-payouts/{id}")),
            "rel": "self",
            "method": "GET"
        }]
    })
}

/// `referenced-payouts.create_batch`: 202 with `Prefer: respond-async`, else 200.
async fn create_batch(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let asynchronous = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("respond-async"));
    let ok_status = if asynchronous {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    let key = super::request_id(&headers);
    let data = json_body(&body)?;
    let mut inner = state.lock();
    if let Some(id) = key
        .as_ref()
        .and_then(|k| inner.referenced_batch_keys.get(k))
        && let Some(batch) = inner.referenced_batches.get(id)
    {
        let body = batch_json(&state, &inner, id, batch);
        return Ok((ok_status, axum::Json(body)).into_response());
    }
    let references = data
        .get("referenced_payouts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if references.is_empty() || references.len() > 1000 {
        return Err(ApiError::invalid_request(
            "/referenced_payouts",
            "MISSING_REQUIRED_PARAMETER",
            "referenced_payouts must hold 1 to 1000 references.",
        ));
    }
    let mut wanted = Vec::new();
    for (i, reference) in references.iter().enumerate() {
        let id = reference
            .get("reference_id")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                ApiError::invalid_request(
                    &format!("/referenced_payouts/{i}/reference_id"),
                    "MISSING_REQUIRED_PARAMETER",
                    "A required field / parameter is missing.",
                )
            })?;
        if reference.get("reference_type").and_then(Value::as_str) != Some("TRANSACTION_ID") {
            return Err(ApiError::invalid_request(
                &format!("/referenced_payouts/{i}/reference_type"),
                "INVALID_PARAMETER_VALUE",
                "reference_type must be TRANSACTION_ID.",
            ));
        }
        wanted.push(id.to_owned());
    }
    let mut item_ids = Vec::new();
    for reference_id in wanted {
        let item = match release(&state, &mut inner, &reference_id) {
            Ok(item) => item,
            Err(refusal) => PayoutItem {
                item_id: inner.ids().upper(13),
                reference_id: reference_id.clone(),
                started: Instant::now(),
                failure: Some(refusal.reason()),
                amount: Value::Null,
                destination: None,
                transaction_id: String::new(),
            },
        };
        item_ids.push(item.item_id.clone());
        inner.payout_items.insert(item.item_id.clone(), item);
    }
    let id = inner.ids().upper(13);
    let batch = ReferencedBatch { item_ids };
    let body = batch_json(&state, &inner, &id, &batch);
    inner.referenced_batches.insert(id.clone(), batch);
    if let Some(key) = key {
        inner.referenced_batch_keys.insert(key, id);
    }
    Ok((ok_status, axum::Json(body)).into_response())
}

/// `referenced-payouts.get_batch_details`.
async fn read_batch(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let batch = inner.referenced_batches.get(&id).ok_or_else(|| {
        ApiError::not_found(
            "INVALID_RESOURCE_ID",
            "Specified resource ID does not exist.",
        )
    })?;
    Ok(axum::Json(batch_json(&state, &inner, &id, batch)).into_response())
}
