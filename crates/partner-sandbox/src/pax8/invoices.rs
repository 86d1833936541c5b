//! Invoices: list (filters, date range, sort), get, items, draft items.

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
        .route("/v1/invoices", get(list))
        .route("/v1/invoices/draftItems", get(draft_items))
        .route("/v1/invoices/{id}", get(read))
        .route("/v1/invoices/{id}/items", get(items))
}

const FILTERS: [(&str, &str); 7] = [
    ("status", "/status"),
    ("invoiceDate", "/invoiceDate"),
    ("dueDate", "/dueDate"),
    ("total", "/total"),
    ("balance", "/balance"),
    ("carriedBalance", "/carriedBalance"),
    ("companyId", "/companyId"),
];

const SORTS: [(&str, &str); 7] = [
    ("invoiceDate", "/invoiceDate"),
    ("dueDate", "/dueDate"),
    ("status", "/status"),
    ("partnerName", "/partnerName"),
    ("total", "/total"),
    ("balance", "/balance"),
    ("carriedBalance", "/carriedBalance"),
];

fn date_param<'a>(q: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    match q.get(name) {
        None => Ok(None),
        Some(d) if is_iso_date(d) => Ok(Some(d.as_str())),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be yyyy-MM-dd"))),
    }
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    date_param(&q, "invoiceDate")?;
    date_param(&q, "dueDate")?;
    let start = date_param(&q, "invoiceDateRangeStart")?;
    let end = date_param(&q, "invoiceDateRangeEnd")?;
    let mut invoices = state.lock().invoices.clone();
    filter_eq(&mut invoices, &q, &FILTERS);
    // yyyy-MM-dd dates compare correctly as strings.
    invoices.retain(|i| {
        let d = i["invoiceDate"].as_str().unwrap_or_default();
        start.is_none_or(|s| d >= s) && end.is_none_or(|e| d <= e)
    });
    sort(&mut invoices, &q, &SORTS)?;
    paged(invoices, &q)
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let invoice = find(&inner.invoices, "Invoice", &id)?;
    Ok(axum::Json(invoice.clone()).into_response())
}

async fn items(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let items = state
        .lock()
        .invoice_items
        .get(&id)
        .cloned()
        .ok_or_else(|| listing::not_found("Invoice", &id))?;
    paged(items, &q)
}

async fn draft_items(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let offset: u8 = match q.get("monthOffset").map(String::as_str) {
        None | Some("1") => 1,
        Some("0") => 0,
        Some(_) => return Err(ApiError::bad_request("monthOffset must be 0 or 1")),
    };
    let mut items: Vec<Value> = state
        .lock()
        .draft_items
        .iter()
        .filter(|(o, _)| *o == offset)
        .map(|(_, v)| v.clone())
        .collect();
    filter_eq(&mut items, &q, &[("companyId", "/companyId")]);
    paged(items, &q)
}
