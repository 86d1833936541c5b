//! The Leanpub affiliate simulator: `POST /api/v2/PartnerDiscountRequest` behind an API-Gateway-like
//! front (`x-amzn-RequestId` on every reply, `403 Missing Authentication Token` for other paths).
//!
//! HTTP status of service replies: the research could not tell whether the service mirrors its JSON
//! `code` in the HTTP status. The sandbox answers 200 for code 0 and the code itself as the status
//! otherwise (401..407, 501) by default; [`StatusMode::Always200`] answers 200 for every service reply.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use url::Url;

use crate::seed::Ids;

/// The sandbox's API key.
pub const API_KEY: &str = "sandbox-leanpub-api-key";
/// A partner id that may only use sandbox mode (`sandboxMode: false` answers 407).
pub const SANDBOX_PARTNER_ID: &str = "sandbox-partner";
/// A production-ready partner id (`sandboxMode: false` is accepted).
pub const PRODUCTION_PARTNER_ID: &str = "production-partner";
/// Valid origins of [`SANDBOX_PARTNER_ID`].
pub const SANDBOX_PARTNER_ORIGINS: [&str; 2] = ["shop.example.com", "books.example.org"];
/// The valid origin of [`PRODUCTION_PARTNER_ID`].
pub const PRODUCTION_PARTNER_ORIGIN: &str = "store.example.net";
/// Product ids (book slugs) the simulator knows.
pub const PRODUCT_IDS: [&str; 3] = [
    "the-partner-sdk-handbook",
    "async-rust-field-guide",
    "leanpub-sandbox-book",
];

/// Which HTTP status carries a service reply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusMode {
    /// 200 for code 0, the code itself (401..407, 501) otherwise.
    #[default]
    MirrorCode,
    /// 200 for every service reply; only the JSON `code` tells the outcome.
    Always200,
}

/// The recipient of an accepted discount request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// `recipient.firstName`.
    pub first_name: String,
    /// `recipient.lastName`.
    pub last_name: String,
    /// `recipient.email`.
    pub email: String,
}

/// A discount request the simulator accepted (code 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedRequest {
    /// The reply's `requestId` (also in `x-amzn-RequestId`).
    pub request_id: String,
    /// `partnerId`.
    pub partner_id: String,
    /// `productId`.
    pub product_id: String,
    /// `origin`.
    pub origin: String,
    /// `transactionId`, if sent.
    pub transaction_id: Option<String>,
    /// Whether it ran in sandbox mode (the default unless `sandboxMode: false`).
    pub sandbox: bool,
    /// The recipient.
    pub recipient: Recipient,
}

struct Partner {
    id: &'static str,
    origins: &'static [&'static str],
    production_ready: bool,
}

const PARTNERS: [Partner; 2] = [
    Partner {
        id: SANDBOX_PARTNER_ID,
        origins: &SANDBOX_PARTNER_ORIGINS,
        production_ready: false,
    },
    Partner {
        id: PRODUCTION_PARTNER_ID,
        origins: &[PRODUCTION_PARTNER_ORIGIN],
        production_ready: true,
    },
];

pub(crate) struct State {
    base: Url,
    mode: StatusMode,
    inner: Mutex<Inner>,
}

struct Inner {
    ids: Ids,
    accepted: Vec<AcceptedRequest>,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn state(base: Url, seed: u64, mode: StatusMode) -> Arc<State> {
    Arc::new(State {
        base,
        mode,
        inner: Mutex::new(Inner {
            ids: Ids::new(seed, 0x4C45_414E),
            accepted: Vec::new(),
        }),
    })
}

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(
            "/api/v2/PartnerDiscountRequest",
            post(discount_request).fallback(missing_token),
        )
        .route(
            "/__sandbox/accepted-requests",
            axum::routing::get(accepted_requests),
        )
        .fallback(missing_token)
        .with_state(state)
}

fn gateway_error(status: StatusCode, message: &str, error_type: &str) -> Response {
    let mut response = (status, axum::Json(json!({ "message": message }))).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::from_u128(fastrand::u128(..)).to_string()) {
        headers.insert("x-amzn-requestid", v);
    }
    if let Ok(v) = HeaderValue::from_str(error_type) {
        headers.insert("x-amzn-errortype", v);
    }
    response
}

/// `GET /__sandbox/accepted-requests`: what `accepted_requests()` returns, for tests in other languages.
async fn accepted_requests(AxState(state): AxState<Arc<State>>) -> Response {
    let items: Vec<Value> = state
        .lock()
        .accepted
        .iter()
        .map(|a| {
            json!({
                "requestId": a.request_id,
                "partnerId": a.partner_id,
                "productId": a.product_id,
                "origin": a.origin,
                "transactionId": a.transaction_id,
                "sandboxMode": a.sandbox,
                "recipient": { "firstName": a.recipient.first_name, "lastName": a.recipient.last_name, "email": a.recipient.email },
            })
        })
        .collect();
    axum::Json(Value::Array(items)).into_response()
}

/// What API Gateway answers for an unknown method or path.
async fn missing_token() -> Response {
    gateway_error(
        StatusCode::FORBIDDEN,
        "Missing Authentication Token",
        "MissingAuthenticationTokenException",
    )
}

/// The response for an injected fault, shaped like API Gateway's own errors.
pub(crate) fn fault_response(status: u16, retry_after: Option<Duration>) -> Response {
    if status == 429 {
        let mut response = gateway_error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "ThrottlingException",
        );
        if let Some(v) =
            retry_after.and_then(|d| HeaderValue::from_str(&d.as_secs().to_string()).ok())
        {
            response.headers_mut().insert(http::header::RETRY_AFTER, v);
        }
        return response;
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    gateway_error(
        status,
        "Internal server error",
        "InternalServerErrorException",
    )
}

fn reply(state: &State, code: u16, message: &str, request_id: &str) -> Response {
    let status = match (state.mode, code) {
        (StatusMode::Always200, _) | (_, 0) => StatusCode::OK,
        (StatusMode::MirrorCode, c) => StatusCode::from_u16(c).unwrap_or(StatusCode::BAD_REQUEST),
    };
    let mut response = (
        status,
        axum::Json(json!({ "code": code, "message": message, "requestId": request_id })),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", v);
    }
    response
}

fn is_ascii_field(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| (' '..='~').contains(&c))
}

/// "Extended ASCII": Latin-1, printable.
fn is_extended_field(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().all(|c| (c as u32) <= 0xFF && !c.is_control())
}

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

fn recipient(body: &Value) -> Option<Recipient> {
    let r = body.get("recipient")?;
    let field = |n: &str| {
        r.get(n)
            .and_then(Value::as_str)
            .filter(|s| is_extended_field(s))
            .map(str::to_owned)
    };
    let email = field("email")?;
    let (local, domain) = email.split_once('@')?;
    if local.is_empty() || !domain.contains('.') {
        return None;
    }
    Some(Recipient {
        first_name: field("firstName")?,
        last_name: field("lastName")?,
        email,
    })
}

async fn discount_request(
    AxState(state): AxState<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = state.lock().ids.uuid();
    let key = headers
        .get("x-api-key")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(key.ct_eq(API_KEY.as_bytes())) {
        return reply(&state, 403, "Invalid API key", &request_id);
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(partner_id) = str_field(&body, "partnerId").filter(|s| !s.is_empty()) else {
        return reply(&state, 402, "Missing partner ID", &request_id);
    };
    let Some(partner) = PARTNERS
        .iter()
        .find(|p| p.id == partner_id && is_extended_field(partner_id))
    else {
        return reply(&state, 401, "Invalid partner ID", &request_id);
    };
    let origin = str_field(&body, "origin").unwrap_or("");
    if !is_ascii_field(origin) || !partner.origins.contains(&origin) {
        return reply(&state, 404, "Invalid origin", &request_id);
    }
    let product_id = str_field(&body, "productId").unwrap_or("");
    if !is_ascii_field(product_id) || !PRODUCT_IDS.contains(&product_id) {
        return reply(&state, 405, "Invalid product ID", &request_id);
    }
    let Some(recipient) = recipient(&body) else {
        return reply(&state, 406, "Invalid recipient(s)", &request_id);
    };
    let transaction_id = str_field(&body, "transactionId").map(str::to_owned);
    if transaction_id
        .as_deref()
        .is_some_and(|t| !t.is_empty() && !is_ascii_field(t))
    {
        return reply(&state, 406, "Invalid recipient(s)", &request_id);
    }
    let sandbox = body
        .get("sandboxMode")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if !sandbox && !partner.production_ready {
        return reply(&state, 407, "Permission denied", &request_id);
    }
    state.lock().accepted.push(AcceptedRequest {
        request_id: request_id.clone(),
        partner_id: partner.id.to_owned(),
        product_id: product_id.to_owned(),
        origin: origin.to_owned(),
        transaction_id,
        sandbox,
        recipient,
    });
    reply(&state, 0, "OK", &request_id)
}

/// A handle on the Leanpub affiliate simulator.
#[derive(Clone)]
pub struct LeanpubSandbox {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for LeanpubSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeanpubSandbox")
            .field("base_url", &self.state.base.as_str())
            .finish()
    }
}

impl LeanpubSandbox {
    /// The base URL, e.g. `http://127.0.0.1:41237/` (the simulator of `https://leanpub.schams.net`).
    pub fn base_url(&self) -> Url {
        self.state.base.clone()
    }

    /// The full endpoint URL, `.../api/v2/PartnerDiscountRequest`.
    pub fn endpoint_url(&self) -> Url {
        let mut url = self.state.base.clone();
        url.set_path("/api/v2/PartnerDiscountRequest");
        url
    }

    /// The API key the simulator accepts ([`API_KEY`]).
    pub fn api_key(&self) -> &'static str {
        API_KEY
    }

    /// Every accepted request (code 0), oldest first.
    pub fn accepted_requests(&self) -> Vec<AcceptedRequest> {
        self.state.lock().accepted.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_rules() {
        assert!(is_ascii_field("shop.example.com"));
        assert!(!is_ascii_field("shöp.example.com"));
        assert!(is_extended_field("Zoë"));
        assert!(!is_extended_field("Zoë 😀"));
        assert!(!is_extended_field("  "));
    }
}
