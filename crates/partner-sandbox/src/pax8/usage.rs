//! Usage summaries (per subscription, by id) and usage lines (`usageDate` required).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

use super::auth::Authed;
use super::{ApiError, Params, State, filter_eq, paged, sort};

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
        return Err(ApiError::not_found(format!("Subscription {id} not found")));
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
    Ok(axum::Json(paged(items, &q)?).into_response())
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Usage summary {id} not found"))
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let summary = inner
        .usage_summaries
        .iter()
        .find(|u| u["id"] == id.as_str())
        .ok_or_else(|| not_found(&id))?;
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
    let valid = date.len() == 10
        && time::Date::parse(
            date,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .is_ok();
    if !valid {
        return Err(ApiError::bad_request("usageDate must be yyyy-MM-dd"));
    }
    let mut items = state
        .lock()
        .usage_lines
        .get(&id)
        .cloned()
        .ok_or_else(|| not_found(&id))?;
    filter_eq(
        &mut items,
        &q,
        &[("usageDate", "/usageDate"), ("productId", "/productId")],
    );
    Ok(axum::Json(paged(items, &q)?).into_response())
}
