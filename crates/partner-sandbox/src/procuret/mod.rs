//! The Procuret simulator, served under `/api`: second-factor codes, sessions, signed requests,
//! instalment links, prospective payments, payment series and term-rate groups.

mod instalment_links;
mod paging;
mod payment_series;
mod prospective_payments;
mod sessions;
mod signature;
mod term_rates;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{FromRequestParts, Query, State as AxState};
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use subtle::ConstantTimeEq;
use url::Url;

use crate::seed::Ids;

/// A seeded Procuret account.
#[derive(Clone)]
pub struct ProcuretAccount {
    /// The login email.
    pub email: &'static str,
    /// The login secret (`plaintext_secret` / `secret`). A public sandbox value.
    pub secret: &'static str,
    /// The agent id.
    pub agent_id: u64,
    /// The account's perspective (1 = SUPPLIER, 2 = BUSINESS).
    pub perspective: u8,
    /// The supplier entity this agent acts for (`supplier_id`).
    pub supplier_id: u64,
    /// That supplier's legal name.
    pub supplier_name: &'static str,
}

impl fmt::Debug for ProcuretAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcuretAccount")
            .field("email", &self.email)
            .field("secret", &"[REDACTED]")
            .field("agent_id", &self.agent_id)
            .field("perspective", &self.perspective)
            .field("supplier_id", &self.supplier_id)
            .finish()
    }
}

/// The seeded supplier account (perspective SUPPLIER).
pub const SUPPLIER: ProcuretAccount = ProcuretAccount {
    email: "supplier@sandbox.procuret.test",
    secret: "sandbox-procuret-secret",
    agent_id: 500_100_200_300,
    perspective: 1,
    supplier_id: 589_121_125_121,
    supplier_name: "Sandbox Supplies Pty Ltd",
};

/// A second supplier account, so tests can check that one supplier cannot use another's links.
pub const OTHER_SUPPLIER: ProcuretAccount = ProcuretAccount {
    email: "other-supplier@sandbox.procuret.test",
    secret: "sandbox-procuret-other-secret",
    agent_id: 500_100_200_301,
    perspective: 1,
    supplier_id: 589_121_125_122,
    supplier_name: "Kiwi Office Supplies Ltd",
};

pub(crate) const ACCOUNTS: [ProcuretAccount; 2] = [SUPPLIER, OTHER_SUPPLIER];

/// A session created by `POST /session`.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) api_key: String,
    pub(crate) lifecycle: i64,
    pub(crate) supplier_id: u64,
}

pub(crate) struct State {
    base: Url,
    inner: Mutex<Inner>,
}

pub(crate) struct Inner {
    pub(crate) ids: Ids,
    /// Per email: the last code, when it was sent, and whether it was used.
    pub(crate) codes: HashMap<String, (String, Instant, bool)>,
    pub(crate) sessions: HashMap<u64, Session>,
    pub(crate) links: Vec<instalment_links::Link>,
    pub(crate) payment_series: Vec<payment_series::Series>,
    pub(crate) term_rate_groups: Vec<term_rates::Group>,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn state(base: Url, seed: u64) -> Arc<State> {
    let mut ids = Ids::new(seed, 0x5052_4F43);
    let links = instalment_links::seed(&mut ids);
    // Their own generator, so the links', sessions' and keys' ids stay what they were.
    let mut seeded = Ids::new(seed, 0x5052_5345);
    let payment_series = payment_series::seed(&mut seeded);
    let term_rate_groups = term_rates::seed(&mut seeded);
    Arc::new(State {
        base,
        inner: Mutex::new(Inner {
            ids,
            codes: HashMap::new(),
            sessions: HashMap::new(),
            links,
            payment_series,
            term_rate_groups,
        }),
    })
}

pub(crate) fn router(state: Arc<State>) -> Router {
    let api = Router::new()
        .merge(sessions::routes())
        .merge(instalment_links::routes())
        .merge(prospective_payments::routes())
        .merge(payment_series::routes())
        .merge(term_rates::routes());
    Router::new()
        .nest("/api", api)
        .route("/__sandbox/second-factor-codes", get(second_factor_code))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "Not found") })
        .with_state(state)
}

/// Procuret's error body: `{"error-information": "...", "response-code": N}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            json!({ "error-information": self.message, "response-code": self.status.as_u16() });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The response for an injected fault.
pub(crate) fn fault_response(status: u16, retry_after: Option<Duration>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let message = if status == StatusCode::TOO_MANY_REQUESTS {
        "Rate limited"
    } else {
        "Service disruption"
    };
    let mut response = ApiError::new(status, message).into_response();
    if let Some(v) = retry_after.and_then(|d| HeaderValue::from_str(&d.as_secs().to_string()).ok())
    {
        response.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    response
}

/// An authenticated session: a valid signature (current or previous 900 s window), or the raw api key
/// of a SHORT_LIVED session.
pub(crate) struct Authed(pub(crate) Session);

/// Authentication that may be absent (prospective payments) but must be valid when present.
pub(crate) struct MaybeAuthed;

fn unauthenticated(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, message)
}

fn signed_path(parts: &Parts) -> String {
    // The signature covers what the client appends to its base URL: no `/api`, no query.
    let path = parts.uri.path();
    path.strip_prefix("/api")
        .filter(|p| p.starts_with('/'))
        .unwrap_or(path)
        .to_owned()
}

fn authenticate(parts: &Parts, state: &State) -> Result<Option<Session>, ApiError> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let Some(session_id) = header("x-procuret-session-id") else {
        return Ok(None);
    };
    let session = session_id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|id| state.lock().sessions.get(&id).cloned())
        .ok_or_else(|| unauthenticated("Unknown or expired session"))?;
    if let Some(sig) = header("x-procuret-signature") {
        let now = crate::clock::now().unix_timestamp();
        if signature::verify(&session.api_key, &signed_path(parts), sig.trim(), now) {
            return Ok(Some(session));
        }
        return Err(unauthenticated("Invalid signature"));
    }
    if let Some(key) = header("x-procuret-api-key") {
        if session.lifecycle != 1 {
            return Err(unauthenticated(
                "Long-lived sessions must sign their requests",
            ));
        }
        if bool::from(key.as_bytes().ct_eq(session.api_key.as_bytes())) {
            return Ok(Some(session));
        }
        return Err(unauthenticated("Invalid api key"));
    }
    Err(unauthenticated(
        "Missing x-procuret-signature or x-procuret-api-key",
    ))
}

impl FromRequestParts<Arc<State>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<State>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state)?
            .map(Authed)
            .ok_or_else(|| unauthenticated("Not authenticated"))
    }
}

impl FromRequestParts<Arc<State>> for MaybeAuthed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<State>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).map(|_| MaybeAuthed)
    }
}

/// `GET /__sandbox/second-factor-codes?email=`: the last code sent to an account (test helper).
async fn second_factor_code(
    AxState(state): AxState<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let email = q.get("email").map(|e| e.to_lowercase()).unwrap_or_default();
    let code = state.lock().codes.get(&email).map(|(c, _, _)| c.clone());
    let code =
        code.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "No code was sent to this email"))?;
    Ok(axum::Json(json!({ "email": email, "code": code })).into_response())
}

/// A handle on the Procuret simulator.
#[derive(Clone)]
pub struct ProcuretSandbox {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for ProcuretSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcuretSandbox")
            .field("base_url", &self.state.base.as_str())
            .finish()
    }
}

impl ProcuretSandbox {
    /// The API base URL including `/api`, e.g. `http://127.0.0.1:41236/api`.
    pub fn base_url(&self) -> Url {
        self.state.base.clone()
    }

    /// The seeded supplier account ([`SUPPLIER`]).
    pub fn credentials(&self) -> &'static ProcuretAccount {
        &SUPPLIER
    }

    /// Every seeded account.
    pub fn accounts(&self) -> &'static [ProcuretAccount] {
        &ACCOUNTS
    }

    /// The last second-factor code "sent" to `email` (what the real service would email).
    pub fn last_second_factor_code(&self, email: &str) -> Option<String> {
        self.state
            .lock()
            .codes
            .get(&email.to_lowercase())
            .map(|(c, _, _)| c.clone())
    }

    /// The number of instalment links stored (seeded and created).
    pub fn instalment_link_count(&self) -> usize {
        self.state.lock().links.len()
    }

    /// The ids of the payment series seeded for `supplier_id`, oldest first.
    pub fn payment_series_ids(&self, supplier_id: u64) -> Vec<String> {
        let inner = self.state.lock();
        let series = inner.payment_series.iter();
        series
            .filter(|s| s.supplier_id() == supplier_id)
            .map(|s| s.public_id.clone())
            .collect()
    }

    /// The ids of `supplier_id`'s term-rate groups, the active one first.
    pub fn term_rate_group_ids(&self, supplier_id: u64) -> Vec<String> {
        let inner = self.state.lock();
        let groups = inner.term_rate_groups.iter();
        groups
            .filter(|g| g.supplier_id == supplier_id)
            .map(|g| g.public_id.clone())
            .collect()
    }
}
