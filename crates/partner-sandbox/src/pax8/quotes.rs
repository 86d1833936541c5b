//! Quotes, the quoting API under `/v2/quotes` (Quoting endpoints 2.0.0): the list (paging with
//! `page`/`limit`, filters, `sort=field,direction`, `statusCounts` over the stored quotes), create,
//! get, update, delete and take ownership (line items, sections and the access list are in
//! `quote_items.rs`). Errors keep the quoting spec's shape: `details` carry one of its error codes
//! (`QUOTE_NOT_FOUND`, `PAYLOAD_VALIDATION`, ...).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::auth::Authed;
use super::listing::{self, Params};
use super::{ApiError, State, json_body};
use crate::clock;
use crate::seed::{Ids, money};

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v2/quotes", get(list).post(create))
        .route(
            "/v2/quotes/{quote_id}",
            get(read).put(update).delete(remove),
        )
        .route("/v2/quotes/{quote_id}/take-ownership", post(take_ownership))
        .route(
            "/v2/quote-preferences",
            get(read_preferences).put(update_preferences),
        )
}

/// Every quote status the spec knows.
pub(crate) const STATUSES: [&str; 9] = [
    "draft",
    "assigned",
    "sent",
    "closed",
    "declined",
    "accepted",
    "changes_requested",
    "expired",
    "pending",
];

/// The statuses `statusCounts` reports (the spec's `ListStatusCounts`).
const COUNTED: [&str; 7] = [
    "accepted", "closed", "declined", "draft", "expired", "pending", "sent",
];

const INTENT_TYPES: [&str; 3] = [
    "PARTNER_TO_CLIENT",
    "PAX8_TO_PARTNER",
    "PAX8_TO_PARTNER_CLIENT",
];

/// The sort fields the list takes, with their place in a list entry.
const SORTS: [(&str, &str); 8] = [
    ("id", "/id"),
    ("status", "/status"),
    ("client.name", "/client/name"),
    ("createdBy", "/createdBy"),
    ("createdOn", "/createdOn"),
    ("updatedOn", "/updatedOn"),
    ("totals.initialTotal", "/totals/initialTotal/amount"),
    ("totals.recurringTotal", "/totals/recurringTotal/amount"),
];

/// The list's page size when none is asked for.
const DEFAULT_LIMIT: usize = 10;
/// The largest page the simulator serves (the spec states none).
pub(crate) const MAX_LIMIT: usize = 200;
/// Days from creation to a new quote's `expiresOn`, until the preferences say otherwise.
const EXPIRES_AFTER_DAYS: i64 = 30;
/// The most `daysToExpire` the preferences take.
pub(crate) const MAX_DAYS_TO_EXPIRE: i64 = 365;
/// The currency of every amount (the sandbox partner bills in USD).
const CURRENCY: &str = "USD";

/// The quoting state of one sandbox: who calls, for which partner, and the quotes.
pub(crate) struct Quoting {
    /// The user the API token acts as (`UserModel`).
    pub(crate) user: Value,
    /// The partner (`PartnerDetails`).
    partner: Value,
    pub(crate) quotes: Vec<Quote>,
    /// The partner's quote preferences (`QuotePreferencesResult`), which new quotes start from.
    pub(crate) preferences: Value,
    /// The partner's attachment library.
    pub(crate) library: Vec<super::quote_files::Stored>,
    /// The preferences' attachments, which new quotes start with copies of.
    pub(crate) preference_files: Vec<super::quote_files::Stored>,
}

/// One stored quote.
pub(crate) struct Quote {
    /// The `QuoteResponse` fields but `lineItems` and `totals`, which follow the line items.
    fields: Value,
    updated_on: String,
    pub(super) line_items: Vec<Value>,
    /// `Section`s.
    pub(super) sections: Vec<Value>,
    /// `AccessListEntry`s.
    pub(super) access: Vec<Value>,
    /// The attachments, in their order.
    pub(super) files: Vec<super::quote_files::Stored>,
}

pub(super) fn amount(d: Decimal) -> Value {
    json!({ "amount": money(d), "currency": CURRENCY })
}

pub(super) fn decimal(v: &Value) -> Decimal {
    v.as_f64()
        .and_then(|f| Decimal::try_from(f).ok())
        .unwrap_or_default()
        .round_dp(2)
}

/// The six sums of an `InvoiceTotals`, in the spec's order.
const TOTAL_KEYS: [&str; 6] = [
    "initialCost",
    "initialProfit",
    "initialTotal",
    "recurringCost",
    "recurringProfit",
    "recurringTotal",
];

impl Quote {
    fn id(&self) -> &str {
        self.fields["id"].as_str().unwrap_or_default()
    }

    /// The quote's totals: the sums of its line items' totals.
    fn totals(&self) -> Value {
        let mut totals = serde_json::Map::new();
        for key in TOTAL_KEYS {
            let sum: Decimal = self
                .line_items
                .iter()
                .map(|item| decimal(&item["totals"][key]["amount"]))
                .sum();
            totals.insert(key.to_owned(), amount(sum));
        }
        Value::Object(totals)
    }

    /// The quote as `GET /v2/quotes/{quoteId}` answers (`QuoteResponse`).
    pub(crate) fn response(&self) -> Value {
        let mut v = self.fields.clone();
        v["lineItems"] = json!(self.line_items);
        v["attachments"] = json!(
            self.files
                .iter()
                .map(|f| f.meta.clone())
                .collect::<Vec<_>>()
        );
        v["totals"] = self.totals();
        v
    }

    /// The quote as a list entry (`ListContent`).
    fn view(&self) -> Value {
        let f = &self.fields;
        let totals = self.totals();
        let owner = &f["ownedBy"];
        let custom = self
            .line_items
            .iter()
            .filter(|i| i["product"]["type"] == "Custom")
            .count();
        let msp = self
            .line_items
            .iter()
            .filter(|i| i["product"]["isMspOnly"] == true)
            .count();
        let mut v = json!({
            "id": f["id"],
            "client": f["client"],
            "createdBy": f["createdBy"],
            "createdOn": f["createdOn"],
            "intentType": f["intentType"],
            "lineItemCounts": { "custom": custom, "msp": msp, "total": self.line_items.len() },
            "ownedBy": {
                "id": owner["id"], "email": owner["email"],
                "fullName": owner["fullName"], "role": owner["userRole"],
            },
            "partner": { "id": f["partner"]["id"], "name": f["partner"]["name"] },
            "published": f["published"],
            "referenceCode": f["referenceCode"],
            "status": f["status"],
            "totals": { "initialTotal": totals["initialTotal"], "recurringTotal": totals["recurringTotal"] },
            "updatedOn": self.updated_on,
        });
        if let Some(published) = f.get("publishedOn") {
            v["publishedOn"] = published.clone();
        }
        v
    }

    pub(super) fn touch(&mut self) {
        self.updated_on = clock::rfc3339(clock::now());
    }
}

fn user(id: String, name: &str, email: &str, role: &str) -> Value {
    json!({ "id": id, "displayName": name, "fullName": name, "email": email, "userRole": role })
}

fn client_of(company: &Value) -> Value {
    json!({ "id": company["id"], "name": company["name"], "isShadowCompany": false })
}

fn new_quote(
    ids: &mut Ids,
    partner: &Value,
    client: Value,
    owner: &Value,
    created: OffsetDateTime,
) -> Quote {
    let created_on = clock::rfc3339(created);
    Quote {
        fields: json!({
            "id": ids.uuid(),
            "referenceCode": format!("Q-{}", ids.digits(6)),
            "status": "draft",
            "published": false,
            "intentType": "PARTNER_TO_CLIENT",
            "client": client,
            "partner": partner,
            "createdBy": owner["fullName"],
            "createdByEmail": owner["email"],
            "createdOn": created_on,
            "expiresOn": clock::rfc3339(created + time::Duration::days(EXPIRES_AFTER_DAYS)),
            "ownedBy": owner,
            "introMessage": "",
            "termsAndDisclaimers": "",
        }),
        updated_on: created_on,
        line_items: Vec::new(),
        sections: Vec::new(),
        access: Vec::new(),
        files: Vec::new(),
    }
}

/// The partner, its API user, a colleague, and four quotes in several statuses for the first
/// companies (two owned by the colleague, so taking ownership has something to take).
pub(crate) fn seed(ids: &mut Ids, account_id: &str, companies: &[Value]) -> Quoting {
    let me = user(
        ids.uuid(),
        "Partner Admin",
        "partner.admin@sandbox-msp.example.com",
        "Admin",
    );
    let colleague = user(
        ids.uuid(),
        "Jordan Reyes",
        "jordan.reyes@sandbox-msp.example.com",
        "Sales",
    );
    let partner = json!({
        "id": account_id, "name": "Sandbox MSP, LLC", "street": "100 Market St",
        "city": "Denver", "stateOrProvinceCode": "CO", "postcode": "80202", "country": "US",
    });
    let plan = [
        ("draft", &me),
        ("sent", &colleague),
        ("accepted", &me),
        ("expired", &colleague),
    ];
    let mut quotes = Vec::new();
    for (i, ((status, owner), company)) in plan.iter().zip(companies).enumerate() {
        let days = 40 - 7 * i64::try_from(i).unwrap_or_default();
        let created = clock::at(clock::SEED_EPOCH) - time::Duration::days(days);
        let mut quote = new_quote(ids, &partner, client_of(company), owner, created);
        quote.fields["status"] = json!(status);
        if *status != "draft" {
            quote.fields["published"] = json!(true);
            quote.fields["publishedOn"] = json!(clock::rfc3339(created + time::Duration::hours(2)));
        }
        quotes.push(quote);
    }
    Quoting {
        user: me,
        partner,
        quotes,
        preferences: json!({
            "daysToExpire": EXPIRES_AFTER_DAYS, "introMessage": "", "termsAndDisclaimers": "",
            "salesMarginPercentage": 0,
        }),
        library: Vec::new(),
        preference_files: Vec::new(),
    }
}

/// A quoting-API error: the status, Pax8's `type`, and one detail with the spec's error code.
pub(super) fn error(
    status: StatusCode,
    kind: &'static str,
    code: &'static str,
    message: impl Into<String>,
) -> ApiError {
    let message = message.into();
    let mut e = ApiError::new(status, kind, message.clone());
    e.details = vec![json!({ "type": code, "message": message })];
    e
}

fn quote_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "QUOTE_NOT_FOUND",
        format!("Quote {id} not found"),
    )
}

/// 400 with one `PAYLOAD_VALIDATION` detail per problem.
pub(super) fn invalid(problems: Vec<String>) -> ApiError {
    let mut e = ApiError::bad_request("Validation failed");
    e.details = problems
        .into_iter()
        .map(|m| json!({ "type": "PAYLOAD_VALIDATION", "message": m }))
        .collect();
    e
}

fn bad_parameter(message: impl Into<String>) -> ApiError {
    error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "INVALID_REQUEST_PARAMETER",
        message,
    )
}

pub(super) fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

fn find<'a>(quotes: &'a [Quote], id: &str) -> Result<&'a Quote, ApiError> {
    quotes
        .iter()
        .find(|q| q.id() == id)
        .ok_or_else(|| quote_not_found(id))
}

pub(super) fn find_mut<'a>(quotes: &'a mut [Quote], id: &str) -> Result<&'a mut Quote, ApiError> {
    quotes
        .iter_mut()
        .find(|q| q.id() == id)
        .ok_or_else(|| quote_not_found(id))
}

fn count_param(q: &Params, name: &str, default: usize) -> Result<usize, ApiError> {
    match q.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| bad_parameter(format!("{name} must be a non-negative integer"))),
    }
}

/// Whether the list entry `view` matches `search` (client name, reference code, creator, totals).
fn matches_search(view: &Value, search: &str) -> bool {
    let needle = search.to_lowercase();
    let texts = [
        view["client"]["name"].as_str().map(str::to_owned),
        view["referenceCode"].as_str().map(str::to_owned),
        view["createdBy"].as_str().map(str::to_owned),
        Some(view["totals"]["initialTotal"]["amount"].to_string()),
        Some(view["totals"]["recurringTotal"]["amount"].to_string()),
    ];
    texts
        .into_iter()
        .flatten()
        .any(|t| t.to_lowercase().contains(&needle))
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let limit = count_param(&q, "limit", DEFAULT_LIMIT)?;
    if limit == 0 || limit > MAX_LIMIT {
        return Err(bad_parameter(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let page = count_param(&q, "page", 0)?;
    let statuses: Option<Vec<String>> = match q.get("status") {
        None => None,
        Some(s) => {
            let wanted: Vec<String> = s.split(',').map(|s| s.trim().to_lowercase()).collect();
            if let Some(bad) = wanted.iter().find(|s| !STATUSES.contains(&s.as_str())) {
                return Err(bad_parameter(format!("Unknown status '{bad}'")));
            }
            Some(wanted)
        }
    };
    let account = q.get("account").map_or("user", String::as_str);
    if account != "user" && account != "partner" {
        return Err(bad_parameter("account must be user or partner"));
    }
    if let Some(intent) = q.get("intentType")
        && !INTENT_TYPES.contains(&intent.as_str())
    {
        return Err(bad_parameter(format!("Unknown intentType '{intent}'")));
    }
    let inner = state.lock();
    let quoting = &inner.quoting;
    let me = &quoting.user["id"];
    // Newest first unless sorted.
    let mut views: Vec<Value> = quoting
        .quotes
        .iter()
        .rev()
        .filter(|quote| account == "partner" || quote.fields["ownedBy"]["id"] == *me)
        .map(Quote::view)
        .filter(|v| q.get("partnerId").is_none_or(|p| v["partner"]["id"] == *p))
        .filter(|v| q.get("intentType").is_none_or(|t| v["intentType"] == *t))
        .filter(|v| q.get("search").is_none_or(|s| matches_search(v, s)))
        .collect();
    drop(inner);
    // The counts cover every quote the other filters keep, whatever the status filter.
    let mut counts = serde_json::Map::new();
    for status in COUNTED {
        let n = views.iter().filter(|v| v["status"] == status).count();
        counts.insert(status.to_owned(), json!(n));
    }
    if let Some(statuses) = &statuses {
        views.retain(|v| statuses.iter().any(|s| v["status"] == s.as_str()));
    }
    listing::sort(&mut views, &q, &SORTS)?;
    let total = views.len();
    let content: Vec<Value> = views
        .into_iter()
        .skip(page.saturating_mul(limit))
        .take(limit)
        .collect();
    Ok(axum::Json(json!({
        "content": content,
        "page": {
            "number": page,
            "size": limit,
            "totalElements": total,
            "totalPages": total.div_ceil(limit),
        },
        "statusCounts": counts,
    }))
    .into_response())
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let client_id = match body.get("clientId") {
        None | Some(Value::Null) => return Err(invalid(vec!["clientId is required".to_owned()])),
        Some(Value::String(s)) if is_uuid(s) => s.clone(),
        Some(_) => return Err(invalid(vec!["clientId must be a uuid".to_owned()])),
    };
    let request = match body.get("quoteRequestId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if is_uuid(s) => Some(s.clone()),
        Some(_) => return Err(invalid(vec!["quoteRequestId must be a uuid".to_owned()])),
    };
    let mut inner = state.lock();
    let company = inner
        .companies
        .iter()
        .find(|c| c["id"] == client_id.as_str())
        .cloned()
        .ok_or_else(|| {
            error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "RESOURCE_NOT_FOUND",
                format!("Company {client_id} not found"),
            )
        })?;
    let inner = &mut *inner;
    let me = inner.quoting.user.clone();
    let mut quote = new_quote(
        &mut inner.ids,
        &inner.quoting.partner,
        client_of(&company),
        &me,
        clock::now(),
    );
    if let Some(request) = request {
        quote.fields["quoteRequestId"] = json!(request);
    }
    // A new quote starts from the preferences.
    let preferences = &inner.quoting.preferences;
    let days = preferences["daysToExpire"]
        .as_i64()
        .unwrap_or(EXPIRES_AFTER_DAYS);
    quote.fields["expiresOn"] = json!(clock::rfc3339(clock::now() + time::Duration::days(days)));
    for key in [
        "introMessage",
        "termsAndDisclaimers",
        "salesMarginPercentage",
    ] {
        quote.fields[key] = preferences[key].clone();
    }
    // And with copies of the preferences' attachments.
    let base = super::quote_files::quote_base(&state, quote.id());
    let defaults = inner.quoting.preference_files.clone();
    for (i, file) in defaults.iter().enumerate() {
        let copy = file.copy(inner, &base, i);
        quote.files.push(copy);
    }
    let answer = quote.response();
    inner.quoting.quotes.push(quote);
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let quote = find(&inner.quoting.quotes, &id)?;
    Ok(axum::Json(quote.response()).into_response())
}

/// PUT takes the whole editable part of a quote: all five fields.
async fn update(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let mut problems = Vec::new();
    let expires = body["expiresOn"]
        .as_str()
        .map(|s| OffsetDateTime::parse(s, &Rfc3339));
    if !matches!(expires, Some(Ok(_))) {
        problems.push("expiresOn is required, as a date-time".to_owned());
    }
    for key in ["introMessage", "termsAndDisclaimers"] {
        if !body[key].is_string() {
            problems.push(format!("{key} is required, as a string"));
        }
    }
    if !body["published"].is_boolean() {
        problems.push("published is required, as a boolean".to_owned());
    }
    if !body["status"]
        .as_str()
        .is_some_and(|s| STATUSES.contains(&s))
    {
        problems.push(format!("status must be one of {}", STATUSES.join(", ")));
    }
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &id)?;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let now = clock::rfc3339(clock::now());
    for key in ["expiresOn", "introMessage", "termsAndDisclaimers", "status"] {
        quote.fields[key] = body[key].clone();
    }
    let published = body["published"] == true;
    if published && quote.fields["published"] != true {
        quote.fields["publishedOn"] = json!(now);
    }
    quote.fields["published"] = json!(published);
    quote.touch();
    Ok(axum::Json(quote.response()).into_response())
}

async fn remove(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quotes = &mut inner.quoting.quotes;
    let at = quotes
        .iter()
        .position(|q| q.id() == id)
        .ok_or_else(|| quote_not_found(&id))?;
    quotes.remove(at);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The API user becomes the quote's owner; a quote it already owns is a 400.
async fn take_ownership(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let me = inner.quoting.user.clone();
    let quote = find_mut(&mut inner.quoting.quotes, &id)?;
    if quote.fields["ownedBy"]["id"] == me["id"] {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "QUOTE_ALREADY_OWNED",
            format!("Quote {id} is already owned by {}", me["fullName"]),
        ));
    }
    quote.fields["ownedBy"] = me;
    quote.touch();
    Ok(axum::Json(quote.response()).into_response())
}

async fn read_preferences(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let mut answer = inner.quoting.preferences.clone();
    answer["attachments"] = json!(
        inner
            .quoting
            .preference_files
            .iter()
            .map(|f| f.meta.clone())
            .collect::<Vec<_>>()
    );
    Ok(axum::Json(answer).into_response())
}

/// PUT takes `daysToExpire`, `introMessage` and `termsAndDisclaimers`, and `salesMarginPercentage`
/// optionally (kept when left out).
async fn update_preferences(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let mut problems = Vec::new();
    if !body["daysToExpire"]
        .as_i64()
        .is_some_and(|d| (1..=MAX_DAYS_TO_EXPIRE).contains(&d))
    {
        problems.push(format!(
            "daysToExpire is required, as an integer from 1 to {MAX_DAYS_TO_EXPIRE}"
        ));
    }
    for key in ["introMessage", "termsAndDisclaimers"] {
        if !body[key].is_string() {
            problems.push(format!("{key} is required, as a string"));
        }
    }
    let margin = &body["salesMarginPercentage"];
    if !(margin.is_null() || margin.as_f64().is_some_and(|m| (0.0..100.0).contains(&m))) {
        problems.push("salesMarginPercentage must be a number from 0 to under 100".to_owned());
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let mut inner = state.lock();
    let preferences = &mut inner.quoting.preferences;
    for key in ["daysToExpire", "introMessage", "termsAndDisclaimers"] {
        preferences[key] = body[key].clone();
    }
    if !margin.is_null() {
        preferences["salesMarginPercentage"] = margin.clone();
    }
    Ok(axum::Json(preferences.clone()).into_response())
}
