//! The Pax8 simulator: OAuth token, the partner API under `/v1`, the webhooks API under `/api/v2`
//! and the quoting API under `/v2`, stateful, paginated, rate limited, with Pax8's error shape and
//! wire quirks.

mod auth;
mod companies;
mod invoices;
mod listing;
mod orders;
mod products;
mod quote_files;
mod quote_items;
mod quotes;
mod rate_limit;
mod seed_data;
mod subscriptions;
mod usage;
mod webhooks;

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
    pub(crate) quoting: quotes::Quoting,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn product(&self, id: &str) -> Option<&seed_data::Product> {
        self.products.iter().find(|p| p.id() == id)
    }
}

pub(crate) fn state(base: Url, http: reqwest::Client, seed: u64, per_minute: u32) -> Arc<State> {
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
    let quoting = quotes::seed(&mut ids, &account_id, &seeded.companies);
    Arc::new(State {
        base,
        limiter: rate_limit::Limiter::new(per_minute),
        http,
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
            quoting,
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
        .merge(quotes::routes())
        .merge(quote_items::routes())
        .merge(quote_files::routes())
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

    /// The quoting API base, `.../v2` (quotes are under `.../v2/quotes`).
    pub fn quoting_base_url(&self) -> Url {
        self.at("/v2")
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

    /// Every order (seeded and placed), as the API returns it, in creation order.
    pub fn orders(&self) -> Vec<Value> {
        self.state.lock().orders.clone()
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

    /// Every quote (seeded and created), as `GET /v2/quotes/{quoteId}` returns it, oldest first.
    pub fn quotes(&self) -> Vec<Value> {
        self.state
            .lock()
            .quoting
            .quotes
            .iter()
            .map(quotes::Quote::response)
            .collect()
    }

    /// Every webhook delivery attempted so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<Pax8WebhookDelivery> {
        self.state.lock().deliveries.clone()
    }
}
