//! The Pax8 simulator: OAuth token, the partner API under `/v1` and the webhooks API under `/api/v2`,
//! stateful, paginated, rate limited, with Pax8's error shape and wire quirks.

mod auth;
mod companies;
mod invoices;
mod orders;
mod products;
mod rate_limit;
mod seed_data;
mod subscriptions;
mod usage;
mod webhooks;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use url::Url;

use crate::seed::Ids;

pub use self::webhooks::Pax8WebhookDelivery;

/// The sandbox's Pax8 client id.
pub const CLIENT_ID: &str = "sandbox-pax8-client-id";
/// The sandbox's Pax8 client secret (a public sandbox value).
pub const CLIENT_SECRET: &str = "sandbox-pax8-client-secret";
/// The audience to request (`https://api.pax8.com`; the legacy `api://p8p.client` is accepted too).
pub const AUDIENCE: &str = "https://api.pax8.com";

pub(crate) struct State {
    base: Url,
    pub(crate) limiter: rate_limit::Limiter,
    pub(crate) http: reqwest::Client,
    pub(crate) account_id: String,
    pub(crate) products: Vec<seed_data::Product>,
    inner: Mutex<Inner>,
}

pub(crate) struct Inner {
    pub(crate) ids: Ids,
    pub(crate) tokens: HashMap<String, i64>,
    pub(crate) companies: Vec<Value>,
    pub(crate) contacts: HashMap<String, Vec<Value>>,
    pub(crate) orders: Vec<Value>,
    pub(crate) subscriptions: Vec<Value>,
    pub(crate) vendor_sku_ids: HashMap<String, String>,
    pub(crate) history: HashMap<String, Vec<Value>>,
    pub(crate) usage_summaries: Vec<Value>,
    pub(crate) usage_lines: HashMap<String, Vec<Value>>,
    pub(crate) invoices: Vec<Value>,
    pub(crate) invoice_items: HashMap<String, Vec<Value>>,
    pub(crate) draft_items: Vec<(u8, Value)>,
    pub(crate) webhooks: Vec<Value>,
    pub(crate) webhook_logs: Vec<Value>,
    pub(crate) deliveries: Vec<Pax8WebhookDelivery>,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn product(&self, id: &str) -> Option<&seed_data::Product> {
        self.products.iter().find(|p| p.id() == id)
    }
}

pub(crate) fn state(base: Url, seed: u64, per_minute: u32) -> Arc<State> {
    let products = seed_data::catalog();
    let mut ids = Ids::new(seed, 0x5041_5838);
    let seeded = seed_data::seed(&mut ids, &products);
    let vendor_sku_ids = seeded
        .subscriptions
        .iter()
        .filter(|s| !s["vendorSubscriptionId"].is_null())
        .filter_map(|s| Some((s["id"].as_str()?.to_owned(), ids.uuid().to_uppercase())))
        .collect();
    let account_id = ids.uuid();
    Arc::new(State {
        base,
        limiter: rate_limit::Limiter::new(per_minute),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default(),
        account_id,
        products,
        inner: Mutex::new(Inner {
            ids,
            tokens: HashMap::new(),
            companies: seeded.companies,
            contacts: seeded.contacts,
            orders: seeded.orders,
            subscriptions: seeded.subscriptions,
            vendor_sku_ids,
            history: seeded.history,
            usage_summaries: seeded.usage_summaries,
            usage_lines: seeded.usage_lines,
            invoices: seeded.invoices,
            invoice_items: seeded.invoice_items,
            draft_items: seeded.draft_items,
            webhooks: Vec::new(),
            webhook_logs: Vec::new(),
            deliveries: Vec::new(),
        }),
    })
}

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(companies::routes())
        .merge(products::routes())
        .merge(orders::routes())
        .merge(subscriptions::routes())
        .merge(usage::routes())
        .merge(invoices::routes())
        .merge(webhooks::routes())
        .fallback(|| async { ApiError::not_found("No such endpoint") })
        .layer(middleware::from_fn(fill_instance))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::enforce,
        ))
        .with_state(state)
}

/// A Pax8 error: `{"type","message","instance","status","details"}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    details: Vec<Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// 422 with one detail per problem.
    pub(crate) fn unprocessable(problems: Vec<String>) -> Self {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_ENTITY",
            "Validation failed",
        );
        e.details = problems
            .into_iter()
            .map(|m| json!({ "type": "INVALID_PARAM", "status": 422, "message": m }))
            .collect();
        e
    }
}

/// The error body before the middleware knows the request path.
#[derive(Clone)]
struct PendingError(Value);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "type": self.kind,
            "message": self.message,
            "instance": "",
            "status": self.status.as_u16(),
            "details": self.details,
        });
        let mut response = self.status.into_response();
        response.extensions_mut().insert(PendingError(body));
        response
    }
}

/// Writes error bodies with `instance` set to the request path, as Pax8 does (`/public/v1/...`).
async fn fill_instance(request: Request, next: Next) -> Response {
    let instance = format!("/public{}", request.uri().path());
    let response = next.run(request).await;
    let Some(PendingError(mut body)) = response.extensions().get::<PendingError>().cloned() else {
        return response;
    };
    body["instance"] = json!(instance);
    let (mut parts, _) = response.into_parts();
    parts.extensions.remove::<PendingError>();
    parts.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(body.to_string()))
}

/// The response for an injected fault.
pub(crate) fn fault_response(status: u16, retry_after: Option<Duration>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let (kind, message) = if status == StatusCode::TOO_MANY_REQUESTS {
        ("TOO_MANY_REQUESTS", "Rate limit exceeded")
    } else {
        ("INTERNAL_SERVER_ERROR", "An unexpected error occurred")
    };
    let body = json!({ "type": kind, "message": message, "instance": "", "status": status.as_u16(), "details": [] });
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(v) = retry_after.and_then(|d| HeaderValue::from_str(&d.as_secs().to_string()).ok())
    {
        response.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    response
}

/// Query parameters, as sent.
pub(crate) type Params = HashMap<String, String>;

/// `page` (0-based, default 0) and `size` (default 10, at most 200).
pub(crate) fn page_params(q: &Params) -> Result<(usize, usize), ApiError> {
    let page = match q.get("page") {
        None => 0,
        Some(p) => p
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request("page must be a non-negative integer"))?,
    };
    let size = match q.get("size") {
        None => 10,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request("size must be a positive integer"))?,
    };
    if size == 0 || size > 200 {
        return Err(ApiError::bad_request("size must be between 1 and 200"));
    }
    Ok((page, size))
}

/// The page envelope `{"content": [...], "page": {size, totalElements, totalPages, number}}`.
pub(crate) fn paged(items: Vec<Value>, q: &Params) -> Result<Value, ApiError> {
    let (page, size) = page_params(q)?;
    let total = items.len();
    let content: Vec<Value> = items
        .into_iter()
        .skip(page.saturating_mul(size))
        .take(size)
        .collect();
    Ok(json!({
        "content": content,
        "page": { "size": size, "totalElements": total, "totalPages": total.div_ceil(size), "number": page }
    }))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Keeps the items whose field (a JSON pointer) equals the query parameter, case-insensitively.
pub(crate) fn filter_eq(items: &mut Vec<Value>, q: &Params, fields: &[(&str, &str)]) {
    for (param, pointer) in fields {
        if let Some(wanted) = q.get(*param) {
            items.retain(|item| {
                item.pointer(pointer)
                    .and_then(text)
                    .is_some_and(|have| have.eq_ignore_ascii_case(wanted))
            });
        }
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Null) | None, Some(Value::Null) | None) => Ordering::Equal,
        // Nulls last.
        (Some(Value::Null) | None, _) => Ordering::Greater,
        (_, Some(Value::Null) | None) => Ordering::Less,
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// Applies `sort=field[,asc|desc]` (Spring style); unknown fields are a 400.
pub(crate) fn sort(
    items: &mut [Value],
    q: &Params,
    fields: &[(&str, &str)],
) -> Result<(), ApiError> {
    let Some(spec) = q.get("sort") else {
        return Ok(());
    };
    let (field, direction) = spec.split_once(',').unwrap_or((spec.as_str(), "asc"));
    let pointer = fields
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, p)| *p)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid sort field '{field}'")))?;
    let descending = match direction.to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(ApiError::bad_request(format!(
                "Invalid sort direction '{direction}'"
            )));
        }
    };
    items.sort_by(|a, b| {
        let o = compare(a.pointer(pointer), b.pointer(pointer));
        if descending { o.reverse() } else { o }
    });
    Ok(())
}

/// Parses a JSON body, answering 400 otherwise.
pub(crate) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))
}

/// A handle on the Pax8 simulator.
#[derive(Clone)]
pub struct Pax8Sandbox {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for Pax8Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pax8Sandbox")
            .field("base_url", &self.state.base.as_str())
            .finish()
    }
}

impl Pax8Sandbox {
    fn at(&self, path: &str) -> Url {
        let mut url = self.state.base.clone();
        url.set_path(path);
        url
    }

    /// The server origin, e.g. `http://127.0.0.1:41235/` (the simulator of `https://api.pax8.com`).
    pub fn origin(&self) -> Url {
        self.state.base.clone()
    }

    /// The partner API base, `.../v1`.
    pub fn base_url(&self) -> Url {
        self.at("/v1")
    }

    /// The token URL, `.../v1/token`.
    pub fn token_url(&self) -> Url {
        self.at("/v1/token")
    }

    /// The webhooks API base, `.../api/v2`.
    pub fn webhooks_base_url(&self) -> Url {
        self.at("/api/v2")
    }

    /// `(client_id, client_secret)` the simulator accepts.
    pub fn credentials(&self) -> (&'static str, &'static str) {
        (CLIENT_ID, CLIENT_SECRET)
    }

    /// The audience to request.
    pub fn audience(&self) -> &'static str {
        AUDIENCE
    }

    /// Every company, as the API returns it (seeded and created), in creation order.
    pub fn companies(&self) -> Vec<Value> {
        self.state.lock().companies.clone()
    }

    /// The catalog products (fixed for every seed), as `GET /v1/products` returns them.
    pub fn products(&self) -> Vec<Value> {
        self.state
            .products
            .iter()
            .map(|p| p.summary.clone())
            .collect()
    }

    /// The id of the catalog product named `name` (ids are the same for every seed).
    pub fn product_id(&self, name: &str) -> Option<String> {
        self.state
            .products
            .iter()
            .find(|p| p.name() == name)
            .map(|p| p.id().to_owned())
    }

    /// The id of the company named `name` (ids follow the seed; names do not).
    pub fn company_id(&self, name: &str) -> Option<String> {
        let inner = self.state.lock();
        inner
            .companies
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["id"].as_str())
            .map(str::to_owned)
    }

    /// Every subscription, as `GET /v1/subscriptions` returns them.
    pub fn subscriptions(&self) -> Vec<Value> {
        self.state.lock().subscriptions.clone()
    }

    /// Every webhook delivery attempted so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<Pax8WebhookDelivery> {
        self.state.lock().deliveries.clone()
    }
}
