//! Products: list (search, vendor filter, sort), detail, provision details, dependencies, pricing.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::auth::Authed;
use super::listing::{self, Params, filter_eq, paged, sort};
use super::seed_data::Product;
use super::{ApiError, State};

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/products", get(list))
        .route("/v1/products/{id}", get(read))
        .route(
            "/v1/products/{id}/provision-details",
            get(provision_details),
        )
        .route("/v1/products/{id}/dependencies", get(dependencies))
        .route("/v1/products/{id}/pricing", get(pricing))
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let mut items: Vec<Value> = state.products.iter().map(|p| p.summary.clone()).collect();
    if let Some(search) = q.get("search").map(|s| s.to_lowercase()) {
        items.retain(|p| {
            ["/name", "/vendorName", "/sku", "/id"].iter().any(|f| {
                p.pointer(f)
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.to_lowercase().contains(&search))
            })
        });
    }
    filter_eq(&mut items, &q, &[("vendorName", "/vendorName")]);
    sort(
        &mut items,
        &q,
        &[("name", "/name"), ("vendor", "/vendorName")],
    )?;
    paged(items, &q)
}

fn find<'a>(state: &'a State, id: &str) -> Result<&'a Product, ApiError> {
    state
        .product(id)
        .ok_or_else(|| listing::not_found("Product", id))
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let product = find(&state, &id)?;
    let mut detail = product.summary.clone();
    detail["description"] = json!(product.description);
    Ok(axum::Json(detail).into_response())
}

async fn provision_details(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let product = find(&state, &id)?;
    Ok(axum::Json(json!({ "content": product.provision })).into_response())
}

async fn dependencies(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(axum::Json(find(&state, &id)?.dependencies.clone()).into_response())
}

async fn pricing(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let product = find(&state, &id)?;
    if let Some(company) = q.get("companyId")
        && !state
            .lock()
            .companies
            .iter()
            .any(|c| c["id"] == company.as_str())
    {
        return Err(listing::not_found("Company", company));
    }
    Ok(axum::Json(json!({ "content": product.pricing })).into_response())
}
