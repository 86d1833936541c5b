//! A quote's line items (add, update, bulk delete, delete one), sections (list, create, update)
//! and access list (list, add entries, delete an entry). Line items carry their totals, by billing
//! term, and the quote's totals follow them.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::auth::Authed;
use super::quotes::{Quote, amount, decimal, error, find_mut, invalid, is_uuid};
use super::{ApiError, State, json_body};
use crate::seed::Ids;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route(
            "/v2/quotes/{quote_id}/line-items",
            post(add_items).put(update_items),
        )
        .route(
            "/v2/quotes/{quote_id}/line-items/bulk-delete",
            post(bulk_delete),
        )
        .route(
            "/v2/quotes/{quote_id}/line-items/{line_item_id}",
            delete(delete_item),
        )
        .route(
            "/v2/quotes/{quote_id}/sections",
            get(list_sections).post(create_section).put(update_sections),
        )
        .route(
            "/v2/quotes/{quote_id}/access-list",
            get(list_access).post(add_access),
        )
        .route(
            "/v2/quotes/{quote_id}/access-list/{entry_id}",
            delete(delete_access),
        )
}

/// The most line items a quote holds in the simulator.
pub(crate) const MAX_LINE_ITEMS: usize = 100;
/// The most entries a quote's access list holds in the simulator.
pub(crate) const MAX_ACCESS_ENTRIES: usize = 25;

const ALL_TERMS: [&str; 8] = [
    "Monthly",
    "Annual",
    "1 Year",
    "2 Year",
    "3 Year",
    "Trial",
    "Activation",
    "One-Time",
];
const CUSTOM_TERMS: [&str; 4] = ["Monthly", "Annual", "Trial", "One-Time"];
const RECURRING_TERMS: [&str; 5] = ["Monthly", "Annual", "1 Year", "2 Year", "3 Year"];
const ONE_OFF_TERMS: [&str; 2] = ["One-Time", "Activation"];
const USAGE_TYPES: [&str; 3] = ["PRICE_FLAT", "PRICE_VARIES", "QTY_VARIES"];
const ACCOUNT_TYPES: [&str; 3] = ["user", "contact", "guest"];

/// A line item's kind, the payloads' `type`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Standard,
    Custom,
    UsageBased,
}

impl Kind {
    fn parse(v: &Value) -> Option<Kind> {
        match v.as_str()? {
            "Standard" => Some(Kind::Standard),
            "Custom" => Some(Kind::Custom),
            "UsageBased" => Some(Kind::UsageBased),
            _ => None,
        }
    }

    fn of(item: &Value) -> Kind {
        if item["product"]["type"] == "Custom" {
            Kind::Custom
        } else if item.get("usageBased").is_some() {
            Kind::UsageBased
        } else {
            Kind::Standard
        }
    }
}

/// A line item's totals: price × quantity (and cost × quantity) count as recurring for the
/// recurring billing terms, as initial for One-Time and Activation, and not at all for a Trial.
fn line_totals(term: &str, price: Decimal, cost: Decimal, quantity: Decimal) -> Value {
    let total = price * quantity;
    let spent = cost * quantity;
    let zero = Decimal::ZERO;
    let (initial, recurring) = if RECURRING_TERMS.contains(&term) {
        ((zero, zero), (total, spent))
    } else if ONE_OFF_TERMS.contains(&term) {
        ((total, spent), (zero, zero))
    } else {
        ((zero, zero), (zero, zero))
    };
    json!({
        "initialCost": amount(initial.1),
        "initialProfit": amount(initial.0 - initial.1),
        "initialTotal": amount(initial.0),
        "recurringCost": amount(recurring.1),
        "recurringProfit": amount(recurring.0 - recurring.1),
        "recurringTotal": amount(recurring.0),
    })
}

fn not_found(code: &'static str, what: &str, id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        code,
        format!("{what} {id} not found"),
    )
}

/// Builds the line item a payload describes; `existing` is the item an update changes.
fn build_item(
    state: &State,
    ids: &mut Ids,
    body: &Value,
    existing: Option<&Value>,
    at: &str,
    problems: &mut Vec<String>,
) -> Option<Value> {
    let before = problems.len();
    let mut problem = |m: String| problems.push(format!("{at}{m}"));
    let Some(kind) = Kind::parse(&body["type"]) else {
        problem("type must be Standard, Custom or UsageBased".to_owned());
        return None;
    };
    if let Some(old) = existing
        && Kind::of(old) != kind
    {
        problem("type cannot change".to_owned());
    }
    let terms: &[&str] = if kind == Kind::Custom {
        &CUSTOM_TERMS
    } else {
        &ALL_TERMS
    };
    let term = body["billingTerm"].as_str().unwrap_or_default();
    if !terms.contains(&term) {
        problem(format!("billingTerm must be one of {}", terms.join(", ")));
    }
    let effective = body["effectiveDate"].as_str().unwrap_or_default();
    if OffsetDateTime::parse(effective, &Rfc3339).is_err() {
        problem("effectiveDate is required, as a date-time".to_owned());
    }
    let quantity = body["quantity"]
        .as_i64()
        .filter(|q| (1..=i64::from(i32::MAX)).contains(q));
    if quantity.is_none() {
        problem("quantity is required, as a positive integer".to_owned());
    }
    let price = body["price"].as_f64().filter(|p| *p >= 0.0);
    if price.is_none() {
        problem("price is required, as a non-negative number".to_owned());
    }
    let note = match &body["note"] {
        Value::Null => existing.map_or(json!(""), |old| old["note"].clone()),
        Value::String(s) if s.chars().count() <= 2000 => json!(s),
        _ => {
            problem("note must be a string of at most 2000 characters".to_owned());
            Value::Null
        }
    };
    let given_cost = body["cost"].as_f64().filter(|c| *c >= 0.0);
    if kind != Kind::Standard && given_cost.is_none() {
        problem("cost is required, as a non-negative number".to_owned());
    }
    let usage = &body["usageBased"];
    if kind == Kind::UsageBased
        && !(usage["displayNote"].is_boolean()
            && usage["type"]
                .as_str()
                .is_some_and(|t| USAGE_TYPES.contains(&t)))
    {
        problem(
            "usageBased needs displayNote and a type of PRICE_FLAT, PRICE_VARIES, QTY_VARIES"
                .to_owned(),
        );
    }
    // The product: the catalog's, or the partner's own for a custom item.
    let mut cost = given_cost.map(|c| decimal(&json!(c)));
    let product = match (kind, existing) {
        (Kind::Custom, old) => {
            let name = body["productName"].as_str().unwrap_or_default();
            if name.is_empty() || name.chars().count() > 255 {
                problem("productName is required, at most 255 characters".to_owned());
            }
            let id = old.map_or_else(|| json!(ids.uuid()), |o| o["product"]["id"].clone());
            json!({ "id": id, "name": name, "sku": body["productSku"].as_str().unwrap_or_default(), "isMspOnly": false, "type": "Custom" })
        }
        (_, Some(old)) => old["product"].clone(),
        (_, None) => {
            let product_id = body["productId"].as_str().unwrap_or_default();
            match state.product(product_id) {
                None => {
                    problem(format!("productId {product_id:?} is no catalog product"));
                    Value::Null
                }
                Some(p) => {
                    if cost.is_none() {
                        cost = Some(p.rates(term).0);
                    }
                    json!({ "id": p.id(), "name": p.name(), "sku": p.summary["sku"], "isMspOnly": false, "type": "Standalone" })
                }
            }
        }
    };
    if cost.is_none()
        && let Some(old) = existing
    {
        cost = Some(decimal(&old["cost"]["amount"]));
    }
    let commitment = match body["commitmentTermId"].as_str() {
        None => existing.and_then(|o| o.get("commitmentTerm").cloned()),
        Some(term_id) => {
            let found = state
                .product(product["id"].as_str().unwrap_or_default())
                .and_then(|p| p.commitments().iter().find(|c| c["id"] == term_id))
                .map(|c| json!({ "id": c["id"], "term": c["term"] }));
            if found.is_none() {
                problem(format!(
                    "commitmentTermId {term_id} is not a commitment of the product"
                ));
            }
            found
        }
    };
    if problems.len() > before {
        return None;
    }
    let (price, cost) = (decimal(&json!(price?)), cost.unwrap_or_default());
    let quantity = quantity?;
    let id = existing.map_or_else(|| json!(ids.uuid()), |o| o["id"].clone());
    let mut item = json!({
        "id": id,
        "billingTerm": term,
        "effectiveDate": effective,
        "note": note,
        "quantity": quantity,
        "price": amount(price),
        "cost": amount(cost),
        "product": product,
        "totals": line_totals(term, price, cost, Decimal::from(quantity)),
    });
    if let Some(c) = commitment {
        item["commitmentTerm"] = c;
    }
    if kind == Kind::UsageBased {
        item["usageBased"] = json!({ "displayNote": usage["displayNote"], "type": usage["type"] });
    }
    for key in ["subscriptionId"] {
        if let Some(v) = body[key].as_str().filter(|v| is_uuid(v)) {
            item[key] = json!(v);
        } else if let Some(old) = existing.and_then(|o| o.get(key)) {
            item[key] = old.clone();
        }
    }
    let mut relationship = serde_json::Map::new();
    for key in ["requiredLineItemId", "requiredSubscriptionId"] {
        if let Some(v) = body[key].as_str().filter(|v| is_uuid(v)) {
            relationship.insert(key.to_owned(), json!(v));
        }
    }
    if !relationship.is_empty() {
        item["relationship"] = Value::Object(relationship);
    } else if let Some(old) = existing.and_then(|o| o.get("relationship")) {
        item["relationship"] = old.clone();
    }
    Some(item)
}

fn array_body(body: &[u8]) -> Result<Vec<Value>, ApiError> {
    match json_body(body)? {
        Value::Array(items) if !items.is_empty() => Ok(items),
        _ => Err(invalid(vec![
            "the body must be a non-empty array".to_owned(),
        ])),
    }
}

async fn add_items(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let payloads = array_body(&body)?;
    let mut inner = state.lock();
    let inner = &mut *inner;
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    if quote.line_items.len() + payloads.len() > MAX_LINE_ITEMS {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "LINE_ITEM_LIMIT_EXCEEDED",
            format!("A quote holds at most {MAX_LINE_ITEMS} line items"),
        ));
    }
    let mut problems = Vec::new();
    let built: Vec<Value> = payloads
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            build_item(
                &state,
                &mut inner.ids,
                p,
                None,
                &format!("[{i}]."),
                &mut problems,
            )
        })
        .collect();
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    quote.line_items.extend(built.iter().cloned());
    quote.touch();
    Ok((StatusCode::CREATED, axum::Json(built)).into_response())
}

async fn update_items(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let payloads = array_body(&body)?;
    let mut inner = state.lock();
    let inner = &mut *inner;
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let mut problems = Vec::new();
    let mut updated = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        let id = payload["id"].as_str().unwrap_or_default();
        let Some(old) = quote.line_items.iter().find(|item| item["id"] == id) else {
            return Err(not_found("QUOTE_LINE_ITEM_NOT_FOUND", "Line item", id));
        };
        if let Some(item) = build_item(
            &state,
            &mut inner.ids,
            payload,
            Some(old),
            &format!("[{i}]."),
            &mut problems,
        ) {
            updated.push(item);
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    for item in &updated {
        if let Some(slot) = quote
            .line_items
            .iter_mut()
            .find(|old| old["id"] == item["id"])
        {
            *slot = item.clone();
        }
    }
    quote.touch();
    Ok(axum::Json(updated).into_response())
}

/// Removes the line items from the quote and from its sections.
fn remove_items(quote: &mut Quote, ids: &HashSet<String>) {
    quote
        .line_items
        .retain(|item| !item["id"].as_str().is_some_and(|id| ids.contains(id)));
    for section in &mut quote.sections {
        if let Some(items) = section["lineItems"].as_array_mut() {
            items.retain(|i| !i["lineItemId"].as_str().is_some_and(|id| ids.contains(id)));
        }
    }
    quote.touch();
}

fn check_items_exist(quote: &Quote, ids: &[String]) -> Result<(), ApiError> {
    match ids.iter().find(|id| {
        !quote
            .line_items
            .iter()
            .any(|item| item["id"] == id.as_str())
    }) {
        Some(missing) => Err(not_found("QUOTE_LINE_ITEM_NOT_FOUND", "Line item", missing)),
        None => Ok(()),
    }
}

async fn bulk_delete(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let ids: Option<Vec<String>> = body["lineItemIds"].as_array().and_then(|ids| {
        ids.iter()
            .map(|id| id.as_str().map(str::to_owned))
            .collect()
    });
    let ids = ids.ok_or_else(|| {
        invalid(vec![
            "lineItemIds is required, as an array of ids".to_owned(),
        ])
    })?;
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    check_items_exist(quote, &ids)?;
    remove_items(quote, &ids.into_iter().collect());
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete_item(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((quote_id, item_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    check_items_exist(quote, std::slice::from_ref(&item_id))?;
    remove_items(quote, &HashSet::from([item_id]));
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn sections_answer(quote: &Quote) -> Value {
    let mut sections = quote.sections.clone();
    sections.sort_by_key(|s| s["order"].as_i64().unwrap_or_default());
    json!({ "sections": sections })
}

async fn list_sections(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    Ok(axum::Json(sections_answer(quote)).into_response())
}

async fn create_section(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let name = body["name"]
        .as_str()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if name.is_empty() {
        return Err(invalid(vec!["name is required".to_owned()]));
    }
    let mut inner = state.lock();
    let inner = &mut *inner;
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let order = quote
        .sections
        .iter()
        .filter_map(|s| s["order"].as_i64())
        .max()
        .map_or(0, |o| o + 1);
    quote
        .sections
        .push(json!({ "id": inner.ids.uuid(), "name": name, "order": order, "lineItems": [] }));
    quote.touch();
    Ok((StatusCode::CREATED, axum::Json(sections_answer(quote))).into_response())
}

/// PUT replaces the sections whole: each names an existing section, a line item of the quote
/// sits in one section at most, and sections left out are removed.
async fn update_sections(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let Some(payload) = body["sections"].as_array() else {
        return Err(invalid(vec![
            "sections is required, as an array".to_owned(),
        ]));
    };
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let mut problems = Vec::new();
    let mut placed = HashSet::new();
    let mut sections = Vec::new();
    for (i, s) in payload.iter().enumerate() {
        let id = s["id"].as_str().unwrap_or_default();
        if !quote.sections.iter().any(|old| old["id"] == id) {
            problems.push(format!(
                "sections[{i}].id {id:?} is no section of the quote"
            ));
        }
        let name = s["name"].as_str().unwrap_or_default();
        if name.trim().is_empty() {
            problems.push(format!("sections[{i}].name is required"));
        }
        let Some(order) = s["order"].as_i64() else {
            problems.push(format!("sections[{i}].order is required, as an integer"));
            continue;
        };
        let mut items = Vec::new();
        for (j, li) in s["lineItems"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let item_id = li["lineItemId"].as_str().unwrap_or_default();
            if !quote.line_items.iter().any(|item| item["id"] == item_id) {
                problems.push(format!(
                    "sections[{i}].lineItems[{j}]: {item_id:?} is no line item of the quote"
                ));
            } else if !placed.insert(item_id.to_owned()) {
                problems.push(format!(
                    "sections[{i}].lineItems[{j}]: {item_id} is in two sections"
                ));
            }
            let Some(item_order) = li["order"].as_i64() else {
                problems.push(format!(
                    "sections[{i}].lineItems[{j}].order is required, as an integer"
                ));
                continue;
            };
            items.push(json!({ "lineItemId": item_id, "order": item_order }));
        }
        if !s["lineItems"].is_array() {
            problems.push(format!("sections[{i}].lineItems is required, as an array"));
        }
        sections.push(json!({ "id": id, "name": name, "order": order, "lineItems": items }));
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    quote.sections = sections;
    quote.touch();
    Ok(axum::Json(sections_answer(quote)).into_response())
}

async fn list_access(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    Ok(axum::Json(json!({ "accessList": quote.access })).into_response())
}

async fn add_access(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let payloads = array_body(&body)?;
    let mut inner = state.lock();
    let inner = &mut *inner;
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    if quote.access.len() + payloads.len() > MAX_ACCESS_ENTRIES {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "ACCESS_LIST_LIMIT_EXCEEDED",
            format!("An access list holds at most {MAX_ACCESS_ENTRIES} entries"),
        ));
    }
    let mut problems = Vec::new();
    let mut emails: HashSet<String> = quote
        .access
        .iter()
        .filter_map(|e| e["email"].as_str().map(str::to_lowercase))
        .collect();
    let mut duplicate = None;
    for (i, p) in payloads.iter().enumerate() {
        let email = p["email"].as_str().unwrap_or_default();
        let (local, domain) = email.split_once('@').unwrap_or_default();
        if local.is_empty() || !domain.contains('.') {
            problems.push(format!("[{i}].email is required, as an email address"));
        } else if !emails.insert(email.to_lowercase()) {
            duplicate = Some(email.to_owned());
        }
        if !(p["accountType"].is_null()
            || p["accountType"]
                .as_str()
                .is_some_and(|t| ACCOUNT_TYPES.contains(&t)))
        {
            problems.push(format!("[{i}].accountType must be user, contact or guest"));
        }
        if !(p["userId"].is_null() || p["userId"].as_str().is_some_and(is_uuid)) {
            problems.push(format!("[{i}].userId must be a uuid"));
        }
        for key in ["accountName", "accountRole"] {
            if !(p[key].is_null() || p[key].is_string()) {
                problems.push(format!("[{i}].{key} must be a string"));
            }
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    if let Some(email) = duplicate {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "QUOTE_ACCESS_EMAIL_EXISTS",
            format!("{email} is already on the access list"),
        ));
    }
    let mut added = Vec::new();
    for p in &payloads {
        let id = inner.ids.uuid();
        let mut entry = json!({
            "id": id,
            "email": p["email"],
            "accountType": p["accountType"].as_str().unwrap_or("guest"),
            "link": format!("{}quote-view/{quote_id}?access={id}", state.base),
        });
        for key in ["accountName", "accountRole", "userId"] {
            if let Some(v) = p[key].as_str() {
                entry[key] = json!(v);
            }
        }
        added.push(entry);
    }
    quote.access.extend(added.iter().cloned());
    quote.touch();
    Ok((StatusCode::CREATED, axum::Json(added)).into_response())
}

async fn delete_access(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((quote_id, entry_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let before = quote.access.len();
    quote.access.retain(|e| e["id"] != entry_id.as_str());
    if quote.access.len() == before {
        return Err(not_found(
            "QUOTE_ACCESS_ENTRY_NOT_FOUND",
            "Access list entry",
            &entry_id,
        ));
    }
    quote.touch();
    Ok(StatusCode::NO_CONTENT.into_response())
}
