//! Payouts v1: batch payouts (create, show with paged items), their items (show, cancel).
//!
//! The sandbox's rules, on the sandbox clock ([`super::PaypalSandbox::advance_clock`]) with the
//! configured processing time `p` ([`crate::SandboxConfig::paypal_payout_processing`], 500 ms by
//! default), computed on each read:
//! - a batch is `PENDING` for `p` after its creation, then `PROCESSING` for another `p`, then
//!   `SUCCESS`; its items are `PENDING` until the batch succeeds;
//! - an item then is `SUCCESS` when its receiver is a seller the partner onboarded (`EMAIL` of the
//!   seller, or `PAYPAL_ID` = the seller's merchant id), else `UNCLAIMED` (with PayPal's
//!   `RECEIVER_UNREGISTERED` error), and an unclaimed item is `RETURNED` 30 days later;
//! - only an `UNCLAIMED` item can be cancelled (→ `RETURNED`), else 400 `ITEM_INCORRECT_STATUS`;
//! - `sender_batch_id` is unique: a second batch with it is refused with PayPal's 400
//!   `USER_BUSINESS_ERROR`; repeating a `PayPal-Request-Id` answers the first batch again;
//! - the batch fee is the items' fees, 2% of each amount, at most 20.00.
//!
//! Amounts are Payouts v1's `{currency, value}`, not the `{currency_code, value}` of v2.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{ApiError, Authed, Inner, State, json_body, request_id};
use crate::clock;
use crate::seed::money_string;

/// How long an unclaimed item waits before it is returned.
const UNCLAIMED_FOR: time::Duration = time::Duration::days(30);
/// Most items one page of a batch shows.
const MAX_PAGE_SIZE: usize = 1000;

/// A stored batch.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    id: String,
    sender_batch_header: Value,
    created: OffsetDateTime,
    currency: String,
    item_ids: Vec<String>,
}

/// A stored item of a batch.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    id: String,
    batch_id: String,
    sender_batch_id: String,
    /// The item as requested (`recipient_type`, `amount`, `receiver`, `note`, `sender_item_id`...).
    detail: Value,
    amount: Decimal,
    currency: String,
    /// The receiver is an onboarded seller.
    claimed: bool,
    cancelled: Option<OffsetDateTime>,
    transaction_id: String,
    activity_id: String,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/payments/payouts", post(create))
        .route("/v1/payments/payouts/{id}", get(read))
        .route("/v1/payments/payouts-item/{id}", get(read_item))
        .route("/v1/payments/payouts-item/{id}/cancel", post(cancel))
}

fn processing(state: &State) -> time::Duration {
    time::Duration::try_from(state.config.payout_processing).unwrap_or(time::Duration::ZERO)
}

impl Batch {
    fn status(&self, state: &State) -> &'static str {
        let age = state.now() - self.created;
        let p = processing(state);
        if age < p {
            "PENDING"
        } else if age < p * 2 {
            "PROCESSING"
        } else {
            "SUCCESS"
        }
    }

    fn completed(&self, state: &State) -> OffsetDateTime {
        self.created + processing(state) * 2
    }

    fn header(&self, state: &State, inner: &Inner) -> Value {
        let items: Vec<&Item> = self
            .item_ids
            .iter()
            .filter_map(|i| inner.payout_batch_items.get(i))
            .collect();
        let amount: Decimal = items.iter().map(|i| i.amount).sum();
        let fees: Decimal = items.iter().map(|i| i.fee()).sum();
        let status = self.status(state);
        let mut header = json!({
            "payout_batch_id": self.id,
            "batch_status": status,
            "time_created": clock::rfc3339(self.created),
            "sender_batch_header": self.sender_batch_header,
            "funding_source": "BALANCE",
            "amount": { "currency": self.currency, "value": money_string(amount) },
            "fees": { "currency": self.currency, "value": money_string(fees) },
        });
        if status == "SUCCESS" {
            header["time_completed"] = json!(clock::rfc3339(self.completed(state)));
        }
        header
    }

    fn self_link(&self, state: &State) -> Value {
        json!({ "href": state.url(&format!("/v1/payments/payouts/{}", self.id)), "rel": "self", "method": "GET" })
    }
}

impl Item {
    fn fee(&self) -> Decimal {
        (self.amount * Decimal::new(2, 2))
            .round_dp(2)
            .min(Decimal::new(20, 0))
    }

    fn status(&self, state: &State, batch: &Batch) -> &'static str {
        if self.cancelled.is_some() {
            return "RETURNED";
        }
        if batch.status(state) != "SUCCESS" {
            return "PENDING";
        }
        if self.claimed {
            "SUCCESS"
        } else if state.now() >= batch.completed(state) + UNCLAIMED_FOR {
            "RETURNED"
        } else {
            "UNCLAIMED"
        }
    }

    fn json(&self, state: &State, batch: &Batch) -> Value {
        let status = self.status(state, batch);
        let mut v = json!({
            "payout_item_id": self.id,
            "transaction_status": status,
            "payout_item_fee": { "currency": self.currency, "value": money_string(self.fee()) },
            "payout_batch_id": self.batch_id,
            "sender_batch_id": self.sender_batch_id,
            "payout_item": self.detail,
            "links": [
                { "href": state.url(&format!("/v1/payments/payouts-item/{}", self.id)), "rel": "item", "method": "GET" },
                { "href": state.url(&format!("/v1/payments/payouts/{}", self.batch_id)), "rel": "batch", "method": "GET" }
            ]
        });
        if status != "PENDING" {
            v["transaction_id"] = json!(self.transaction_id);
            v["activity_id"] = json!(self.activity_id);
            let processed = self.cancelled.unwrap_or_else(|| batch.completed(state));
            v["time_processed"] = json!(clock::rfc3339(processed));
        }
        if status == "UNCLAIMED" {
            v["errors"] = json!({
                "name": "RECEIVER_UNREGISTERED",
                "message": "Receiver is unregistered",
                "debug_id": super::debug_id(),
                "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
            });
            if let Some(links) = v["links"].as_array_mut() {
                links.push(json!({
                    "href": state.url(&format!("/v1/payments/payouts-item/{}/cancel", self.id)),
                    "rel": "cancel",
                    "method": "POST"
                }));
            }
        }
        v
    }
}

/// Payouts v1's validation error: `VALIDATION_ERROR` with the field and issue.
fn validation(field: &str, issue: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
        "Invalid request - see details",
    )
    .detail(Some(field), "body", issue, issue)
}

/// The response to a create: the batch header and its self link.
fn created_json(state: &State, inner: &Inner, batch: &Batch) -> Value {
    let mut header = batch.header(state, inner);
    if let Some(map) = header.as_object_mut() {
        // The create answer carries the header's identity and status only.
        for field in ["amount", "fees", "funding_source", "time_completed"] {
            map.remove(field);
        }
    }
    json!({ "batch_header": header, "links": [batch.self_link(state)] })
}

/// `payouts.post`.
async fn create(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(batch) = key
        .as_ref()
        .and_then(|k| inner.payout_batch_keys.get(k))
        .and_then(|id| inner.payout_batches.get(id))
    {
        let body = created_json(&state, &inner, batch);
        return Ok((StatusCode::CREATED, axum::Json(body)).into_response());
    }
    let Some(header) = data.get("sender_batch_header").and_then(Value::as_object) else {
        return Err(validation("sender_batch_header", "Required field missing"));
    };
    let sender_batch_id = header
        .get("sender_batch_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !sender_batch_id.is_empty()
        && inner
            .payout_batches
            .values()
            .any(|b| b.sender_batch_header["sender_batch_id"] == sender_batch_id.as_str())
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "USER_BUSINESS_ERROR",
            "User business error.",
        )
        .detail(
            Some("SENDER_BATCH_ID"),
            "body",
            "Batch with given sender_batch_id already exists",
            "Batch with given sender_batch_id already exists",
        ));
    }
    let requested = data
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if requested.is_empty() || requested.len() > 15_000 {
        return Err(validation("items", "Must hold 1 to 15000 items"));
    }
    let default_type = header
        .get("recipient_type")
        .and_then(Value::as_str)
        .unwrap_or("EMAIL")
        .to_owned();
    let mut currency = String::new();
    let mut parsed = Vec::new();
    for (i, item) in requested.iter().enumerate() {
        let receiver = item
            .get("receiver")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| validation(&format!("items[{i}].receiver"), "Required field missing"))?;
        let item_currency = item
            .pointer("/amount/currency")
            .and_then(Value::as_str)
            .filter(|c| c.len() == 3)
            .ok_or_else(|| {
                validation(
                    &format!("items[{i}].amount.currency"),
                    "Required field missing",
                )
            })?;
        if currency.is_empty() {
            currency = item_currency.to_owned();
        } else if currency != item_currency {
            return Err(validation(
                &format!("items[{i}].amount.currency"),
                "All items of a batch must be in one currency",
            ));
        }
        let amount = item
            .pointer("/amount/value")
            .and_then(Value::as_str)
            .and_then(|v| Decimal::from_str(v).ok())
            .filter(|v| *v > Decimal::ZERO && v.scale() <= 2)
            .ok_or_else(|| {
                validation(
                    &format!("items[{i}].amount.value"),
                    "Must be a positive amount with at most two decimals",
                )
            })?;
        let recipient_type = item
            .get("recipient_type")
            .and_then(Value::as_str)
            .unwrap_or(&default_type)
            .to_owned();
        let claimed = match recipient_type.as_str() {
            "EMAIL" => inner.merchants.values().any(|m| m.email == receiver),
            "PAYPAL_ID" => inner.merchants.contains_key(receiver),
            _ => false,
        };
        let mut detail = item.clone();
        detail["recipient_type"] = json!(recipient_type);
        detail["amount"] = json!({ "currency": item_currency, "value": money_string(amount) });
        if let Some(map) = detail.as_object_mut() {
            // Request-only fields: not part of the item detail PayPal shows.
            for field in [
                "alternate_notification_method",
                "notification_language",
                "application_context",
            ] {
                map.remove(field);
            }
        }
        parsed.push((detail, amount, claimed));
    }
    let batch_id = inner.ids().upper(13);
    let mut item_ids = Vec::new();
    for (detail, amount, claimed) in parsed {
        let item = Item {
            id: inner.ids().upper(13),
            batch_id: batch_id.clone(),
            sender_batch_id: sender_batch_id.clone(),
            detail,
            amount,
            currency: currency.clone(),
            claimed,
            cancelled: None,
            transaction_id: inner.ids().upper(17),
            activity_id: inner.ids().upper(17),
        };
        item_ids.push(item.id.clone());
        inner.payout_batch_items.insert(item.id.clone(), item);
    }
    let mut sender_header = Value::Object(header.clone());
    sender_header["recipient_type"] = json!(default_type);
    if let Some(map) = sender_header.as_object_mut() {
        map.remove("note");
    }
    let batch = Batch {
        id: batch_id.clone(),
        sender_batch_header: sender_header,
        created: state.now(),
        currency,
        item_ids,
    };
    let body = created_json(&state, &inner, &batch);
    inner.payout_batches.insert(batch_id.clone(), batch);
    if let Some(key) = key {
        inner.payout_batch_keys.insert(key, batch_id);
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

fn not_found() -> ApiError {
    ApiError::not_found(
        "INVALID_RESOURCE_ID",
        "Specified resource ID does not exist.",
    )
}

fn query_number(
    query: &HashMap<String, String>,
    name: &str,
    default: usize,
) -> Result<usize, ApiError> {
    match query.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION_ERROR",
                    "Invalid request - see details",
                )
                .detail(
                    Some(name),
                    "query",
                    "Must be from 1 to 1000",
                    "Must be from 1 to 1000",
                )
            }),
    }
}

/// `payouts.get`: the header, one page of items (`page` from 1, `page_size` up to 1000, default
/// 1000), `total_items`/`total_pages` with `total_required=true`, and `fields=batch_header` for the
/// header alone. Paging links: `first`, `next`, `previous`, `last` besides `self`.
async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = query_number(&query, "page", 1)?;
    let page_size = query_number(&query, "page_size", MAX_PAGE_SIZE)?;
    let inner = state.lock();
    let batch = inner.payout_batches.get(&id).ok_or_else(not_found)?;
    let total = batch.item_ids.len();
    let pages = total.div_ceil(page_size).max(1);
    let mut body = json!({ "batch_header": batch.header(&state, &inner) });
    if query.get("fields").is_none_or(|f| f != "batch_header") {
        let items: Vec<Value> = batch
            .item_ids
            .iter()
            .skip((page - 1) * page_size)
            .take(page_size)
            .filter_map(|i| inner.payout_batch_items.get(i))
            .map(|i| i.json(&state, batch))
            .collect();
        body["items"] = Value::Array(items);
    }
    if query.get("total_required").is_some_and(|t| t == "true") {
        body["total_items"] = json!(total);
        body["total_pages"] = json!(pages);
    }
    let at = |p: usize, rel: &str| {
        json!({
            "href": state.url(&format!("/v1/payments/payouts/{id}?page={p}&page_size={page_size}&total_required=true")),
            "rel": rel,
            "method": "GET"
        })
    };
    let mut links = vec![batch.self_link(&state), at(1, "first")];
    if page > 1 {
        links.push(at(page - 1, "previous"));
    }
    if page < pages {
        links.push(at(page + 1, "next"));
    }
    links.push(at(pages, "last"));
    body["links"] = Value::Array(links);
    Ok(axum::Json(body).into_response())
}

/// `payouts-item.get`.
async fn read_item(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let item = inner.payout_batch_items.get(&id).ok_or_else(not_found)?;
    let batch = inner
        .payout_batches
        .get(&item.batch_id)
        .ok_or_else(not_found)?;
    Ok(axum::Json(item.json(&state, batch)).into_response())
}

/// `payouts-item.cancel`: an unclaimed item is returned to the sender.
async fn cancel(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let now = state.now();
    let mut inner = state.lock();
    let item = inner.payout_batch_items.get(&id).ok_or_else(not_found)?;
    let batch = inner
        .payout_batches
        .get(&item.batch_id)
        .cloned()
        .ok_or_else(not_found)?;
    if item.status(&state, &batch) != "UNCLAIMED" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "ITEM_INCORRECT_STATUS",
            "Item cannot be cancelled. Only an UNCLAIMED item can be cancelled.",
        ));
    }
    let body = inner.payout_batch_items.get_mut(&id).map(|item| {
        item.cancelled = Some(now);
        item.json(&state, &batch)
    });
    drop(inner);
    let body = body.unwrap_or_default();
    super::webhook_events::emit(
        &state,
        "PAYMENT.PAYOUTS-ITEM.CANCELED",
        "payouts_item",
        "A payout item was cancelled",
        body.clone(),
    );
    Ok(axum::Json(body).into_response())
}
