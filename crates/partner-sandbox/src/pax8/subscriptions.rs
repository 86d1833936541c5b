//! Subscriptions: list (filters, sort), get (the only one with `vendorSkuId`), PUT partial update,
//! DELETE (cancel) and history.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::auth::Authed;
use super::listing::{self, Params, filter_eq, find, is_iso_date, paged, sort};
use super::{ApiError, State, json_body};
use crate::clock;
use crate::seed::money;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/subscriptions", get(list))
        .route(
            "/v1/subscriptions/{id}",
            get(read).put(update).delete(cancel),
        )
        .route("/v1/subscriptions/{id}/history", get(history))
}

const FILTERS: [(&str, &str); 4] = [
    ("status", "/status"),
    ("billingTerm", "/billingTerm"),
    ("companyId", "/companyId"),
    ("productId", "/productId"),
];

const SORTS: [(&str, &str); 6] = [
    ("quantity", "/quantity"),
    ("startDate", "/startDate"),
    ("endDate", "/endDate"),
    ("createdDate", "/createdDate"),
    ("billingStart", "/billingStart"),
    ("price", "/price"),
];

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let mut items = state.lock().subscriptions.clone();
    filter_eq(&mut items, &q, &FILTERS);
    sort(&mut items, &q, &SORTS)?;
    paged(items, &q)
}

fn find_subscription(state: &State, id: &str) -> Result<Value, ApiError> {
    find(&state.lock().subscriptions, "Subscription", id).cloned()
}

/// Makes `updated` the subscription's current version and the newest entry of its history.
fn save_version(state: &State, id: &str, updated: &Value) {
    let mut inner = state.lock();
    if let Some(slot) = inner.subscriptions.iter_mut().find(|s| s["id"] == id) {
        *slot = updated.clone();
    }
    inner
        .history
        .entry(id.to_owned())
        .or_default()
        .insert(0, updated.clone());
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let mut sub = find(&inner.subscriptions, "Subscription", &id)?.clone();
    if let Some(sku) = inner.vendor_sku_ids.get(&id) {
        sub["vendorSkuId"] = json!(sku);
    }
    Ok(axum::Json(sub).into_response())
}

/// Some subscription rejections come back as `{"errors": [...]}` rather than the usual error shape.
fn rejected(messages: Vec<String>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({ "errors": messages })),
    )
        .into_response()
}

fn commitment_terms(state: &State, sub: &Value) -> Option<Value> {
    let commitment_id = sub.pointer("/commitment/id")?;
    let product = state.product(sub["productId"].as_str()?)?;
    product
        .commitments()
        .iter()
        .find(|c| &c["id"] == commitment_id)
        .cloned()
}

async fn update(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    if !["price", "billingTerm", "quantity", "startDate"]
        .iter()
        .any(|k| body.get(*k).is_some_and(|v| !v.is_null()))
    {
        return Err(ApiError::bad_request(
            "At least one of price, billingTerm, quantity or startDate is required",
        ));
    }
    let current = find_subscription(&state, &id)?;
    if current["status"] == "Cancelled" {
        return Ok(rejected(vec![
            "A cancelled subscription cannot be updated".to_owned(),
        ]));
    }
    let mut updated = current.clone();
    let mut errors = Vec::new();
    let terms = commitment_terms(&state, &current);
    if let Some(q) = body.get("quantity").filter(|v| !v.is_null()) {
        match q.as_u64() {
            Some(q) if q >= 1 => {
                let decrease = q < current["quantity"].as_u64().unwrap_or(0);
                if decrease
                    && terms
                        .as_ref()
                        .is_some_and(|t| t["allowForQuantityDecrease"] == false)
                {
                    errors
                        .push("Quantity cannot be decreased during the commitment term".to_owned());
                }
                updated["quantity"] = json!(q);
            }
            _ => {
                return Err(ApiError::bad_request(
                    "quantity must be a whole number of at least 1",
                ));
            }
        }
    }
    if let Some(term) = body.get("billingTerm").and_then(Value::as_str) {
        let product = state.product(current["productId"].as_str().unwrap_or_default());
        if !product.is_some_and(|p| p.billing_terms().contains(&term)) {
            return Err(ApiError::bad_request(format!(
                "billingTerm '{term}' is not offered for this product"
            )));
        }
        if term != current["billingTerm"] && terms.is_some() {
            errors.push("The billing term cannot change during the commitment term".to_owned());
        }
        updated["billingTerm"] = json!(term);
    }
    if let Some(price) = body.get("price").filter(|v| !v.is_null()) {
        let value = price
            .as_f64()
            .and_then(|f| Decimal::try_from(f).ok())
            .filter(|d| *d >= Decimal::ZERO);
        let value =
            value.ok_or_else(|| ApiError::bad_request("price must be a non-negative number"))?;
        updated["price"] = money(value);
    }
    if let Some(start) = body.get("startDate").and_then(Value::as_str) {
        updated["startDate"] = json!(start);
    }
    if let Some(details) = body.get("provisioningDetails").filter(|v| v.is_array()) {
        // Replaced whole, as documented.
        updated["provisioningDetails"] = details.clone();
    }
    if !errors.is_empty() {
        return Ok(rejected(errors));
    }
    updated["updatedDate"] = json!(clock::pax8_datetime(clock::now()));
    save_version(&state, &id, &updated);
    super::webhooks::emit(&state, "SUBSCRIPTION", "Change", updated.clone());
    Ok(axum::Json(updated).into_response())
}

/// Cancels now (`Cancelled`), or at the end of a commitment that forbids early cancellation
/// (`PendingCancel`, `endDate` = the commitment's end).
async fn cancel(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let cancel_date = match q.get("cancelDate") {
        None => clock::pax8_datetime(clock::now()),
        // Only the date part is checked; `get` rather than slicing, as the 10th byte of user
        // input need not be a char boundary.
        Some(d) if d.get(..10).is_some_and(is_iso_date) => d.clone(),
        Some(_) => {
            return Err(ApiError::bad_request(
                "cancelDate must be a date-time like 2025-07-01T00:00:00Z",
            ));
        }
    };
    let current = find_subscription(&state, &id)?;
    if current["status"] == "Cancelled" {
        return Ok(rejected(vec![
            "The subscription is already cancelled".to_owned(),
        ]));
    }
    let mut updated = current.clone();
    let locked =
        commitment_terms(&state, &current).is_some_and(|t| t["allowForEarlyCancellation"] == false);
    if locked {
        updated["status"] = json!("PendingCancel");
        updated["endDate"] = current
            .pointer("/commitment/endDate")
            .cloned()
            .unwrap_or(json!(cancel_date));
    } else {
        updated["status"] = json!("Cancelled");
        updated["endDate"] = json!(cancel_date);
    }
    updated["updatedDate"] = json!(clock::pax8_datetime(clock::now()));
    save_version(&state, &id, &updated);
    super::webhooks::emit(&state, "SUBSCRIPTION", "Cancel", updated);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn history(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let versions = inner
        .history
        .get(&id)
        .cloned()
        .ok_or_else(|| listing::not_found("Subscription", &id))?;
    Ok(axum::Json(json!({ "content": versions })).into_response())
}
