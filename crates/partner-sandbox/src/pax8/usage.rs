//! Usage summaries (per subscription, by id) and usage lines (`usageDate` required).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

use super::auth::Authed;
use super::listing::{self, Params, filter_eq, find, is_iso_date, paged, sort};
use super::{ApiError, State};

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route(
            "/v1/subscriptions/{id}/usage-summaries",
            get(by_subscription),
        )
        .route("/v1/usage-summaries/{id}", get(read))
        .route("/v1/usage-summaries/{id}/usage-lines", get(lines))
}

async fn by_subscription(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    if !inner.subscriptions.iter().any(|s| s["id"] == id.as_str()) {
        return Err(listing::not_found("Subscription", &id));
    }
    let mut items: Vec<Value> = inner
        .usage_summaries
        .iter()
        .filter(|u| u["subscriptionId"] == id.as_str())
        .cloned()
        .collect();
    drop(inner);
    filter_eq(
        &mut items,
        &q,
        &[
            ("resourceGroup", "/resourceGroup"),
            ("companyId", "/companyId"),
        ],
    );
    sort(
        &mut items,
        &q,
        &[
            ("resourceGroup", "/resourceGroup"),
            ("currentCharges", "/currentCharges"),
            ("partnerTotal", "/partnerTotal"),
        ],
    )?;
    // Observed quirk: summaries fetched through a subscription come without companyId.
    for item in &mut items {
        if let Some(o) = item.as_object_mut() {
            o.remove("companyId");
        }
    }
    paged(items, &q)
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let summary = find(&inner.usage_summaries, "Usage summary", &id)?;
    Ok(axum::Json(summary.clone()).into_response())
}

async fn lines(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let date = q
        .get("usageDate")
        .ok_or_else(|| ApiError::bad_request("usageDate is required (yyyy-MM-dd)"))?;
    if !is_iso_date(date) {
        return Err(ApiError::bad_request("usageDate must be yyyy-MM-dd"));
    }
    let mut items = state
        .lock()
        .usage_lines
        .get(&id)
        .cloned()
        .ok_or_else(|| listing::not_found("Usage summary", &id))?;
    filter_eq(
        &mut items,
        &q,
        &[("usageDate", "/usageDate"), ("productId", "/productId")],
    );
    paged(items, &q)
}
