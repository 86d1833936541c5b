//! Referenced payouts: releasing the funds of a `DELAYED` capture.
//!
//! The sandbox's rule: the first release of a capture answers `PROCESSING` (202 with
//! `Prefer: respond-async`, else 200) and stays processing for the configured time (500 ms by default,
//! [`crate::SandboxConfig::paypal_payout_processing`]); another release of the same capture meanwhile is
//! a 409, and after it a 422 (already released). Repeating a `PayPal-Request-Id` returns the same item.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{ApiError, Authed, State, json_body};

/// A release of a capture's funds.
#[derive(Debug, Clone)]
pub(crate) struct PayoutItem {
    item_id: String,
    reference_id: String,
    started: Instant,
    amount: Value,
    destination: Option<String>,
    transaction_id: String,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/payments/referenced-payouts-items", post(create))
        .route("/v1/payments/referenced-payouts-items/{id}", get(read))
}

impl PayoutItem {
    fn done(&self, state: &State) -> bool {
        self.started.elapsed() >= state.config.payout_processing
    }

    fn json(&self, state: &State) -> Value {
        let done = self.done(state);
        let mut v = json!({
            "item_id": self.item_id,
            "processing_state": { "status": if done { "SUCCESS" } else { "PROCESSING" } },
            "reference_id": self.reference_id,
            "reference_type": "TRANSACTION_ID",
            "payout_amount": self.amount,
            "links": [{
                "href": state.url(&format!("/v1/payments/referenced-payouts-items/{}", self.item_id)),
                "rel": "self",
                "method": "GET"
            }]
        });
        if let Some(d) = &self.destination {
            v["payout_destination"] = json!(d);
        }
        if done {
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
    let capture = inner.captures.get(&reference_id).cloned().ok_or_else(|| {
        ApiError::not_found(
            "INVALID_RESOURCE_ID",
            "No transaction exists with this reference_id.",
        )
    })?;
    if !capture.delayed {
        return Err(ApiError::unprocessable(
            "TRANSACTION_NOT_ELIGIBLE",
            "Only captures made with disbursement_mode DELAYED can be released with a referenced payout.",
        ));
    }
    if let Some(existing) = inner
        .payout_items
        .values()
        .find(|p| p.reference_id == reference_id)
    {
        if existing.done(&state) {
            return Err(ApiError::unprocessable(
                "PAYOUT_ALREADY_RELEASED",
                "The funds of this transaction were already released.",
            ));
        }
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "RESOURCE_CONFLICT",
            "The server has detected a conflict while processing this request.",
        )
        .detail(
            Some("reference_id"),
            "body",
            "PREVIOUS_REQUEST_IN_PROGRESS",
            "A payout on this reference is still being processed. Retry later.",
        ));
    }
    let amount = capture
        .value
        .pointer("/seller_receivable_breakdown/net_amount")
        .cloned()
        .unwrap_or_else(
            || json!({ "currency_code": capture.currency, "value": capture.amount.to_string() }),
        );
    let item = PayoutItem {
        item_id: inner.ids().upper(13),
        reference_id,
        started: Instant::now(),
        amount,
        destination: capture.payee_merchant_id.clone(),
        transaction_id: inner.ids().upper(17),
    };
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
