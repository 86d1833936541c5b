//! The PayPal partner simulator: OAuth, partner referrals with a seller sign-up page, merchant
//! integrations, orders, authorizations, captures, refunds, shipment trackers, referenced payouts and
//! signed webhooks.

mod authorizations;
mod json_patch;
mod merchant_integrations;
mod oauth;
mod orders;
mod payout_batches;
mod payouts;
mod referrals;
mod signup_page;
mod trackers;
mod webhook_events;
mod webhook_lookups;
mod webhooks;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use url::Url;

use crate::seed::Ids;

pub use self::signup_page::{CardVetting, SellerChoices};
pub use self::webhooks::WebhookDelivery;

/// The sandbox partner's REST app credentials and identifiers.
#[derive(Clone)]
pub struct PaypalCredentials {
    /// The REST app's client id (Basic auth user name on `/v1/oauth2/token`).
    pub client_id: String,
    /// The REST app's secret (Basic auth password). Not a real secret, but redacted in `Debug` anyway.
    pub client_secret: String,
    /// The partner's PayPal merchant id: the `{partner_id}` of the merchant-integrations paths.
    pub partner_id: String,
    /// The partner's BN code, for `PayPal-Partner-Attribution-Id`.
    pub bn_code: String,
    /// The id of the webhook configured with [`crate::SandboxConfig::paypal_webhook_url`]; it is the
    /// `webhook_id` of the signed message for deliveries to that URL.
    pub webhook_id: String,
}

impl fmt::Debug for PaypalCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaypalCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("partner_id", &self.partner_id)
            .field("bn_code", &self.bn_code)
            .field("webhook_id", &self.webhook_id)
            .finish()
    }
}

impl Default for PaypalCredentials {
    fn default() -> Self {
        PaypalCredentials {
            client_id: "sandbox-paypal-client-id".to_owned(),
            client_secret: "sandbox-paypal-client-secret".to_owned(),
            partner_id: "SANDBOXPRTNR1".to_owned(),
            bn_code: "SANDBOX_SP_PPCP".to_owned(),
            webhook_id: "WH-SANDBOX-CONFIGURED".to_owned(),
        }
    }
}

/// PayPal settings of [`crate::SandboxConfig`].
#[derive(Clone, Debug)]
pub(crate) struct PaypalConfig {
    pub(crate) credentials: PaypalCredentials,
    pub(crate) webhook_url: Option<Url>,
    pub(crate) payout_processing: Duration,
}

impl Default for PaypalConfig {
    fn default() -> Self {
        PaypalConfig {
            credentials: PaypalCredentials::default(),
            webhook_url: None,
            payout_processing: Duration::from_millis(500),
        }
    }
}

pub(crate) struct State {
    pub(crate) base: Url,
    pub(crate) config: PaypalConfig,
    pub(crate) signer: webhooks::Signer,
    pub(crate) http: reqwest::Client,
    /// Seconds the sandbox clock runs ahead of the wall clock ([`PaypalSandbox::advance_clock`]).
    clock_offset: AtomicI64,
    inner: Mutex<Inner>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) ids: Option<Ids>,
    pub(crate) tokens: HashMap<String, i64>,
    pub(crate) referrals: HashMap<String, referrals::Referral>,
    pub(crate) merchants: HashMap<String, merchant_integrations::Merchant>,
    pub(crate) merchant_by_tracking: HashMap<String, String>,
    pub(crate) orders: HashMap<String, orders::Order>,
    pub(crate) order_keys: HashMap<String, String>,
    pub(crate) capture_keys: HashMap<String, Value>,
    pub(crate) captures: HashMap<String, orders::Capture>,
    pub(crate) refund_keys: HashMap<String, Value>,
    pub(crate) refunds: HashMap<String, Value>,
    pub(crate) authorizations: HashMap<String, authorizations::Authorization>,
    pub(crate) trackers: HashMap<String, trackers::Tracker>,
    /// Answers to POSTs repeated with a `PayPal-Request-Id`, by operation and key.
    pub(crate) replies: HashMap<(&'static str, String), Reply>,
    pub(crate) payout_items: HashMap<String, payouts::PayoutItem>,
    pub(crate) payout_keys: HashMap<String, String>,
    pub(crate) referenced_batches: HashMap<String, payouts::ReferencedBatch>,
    pub(crate) referenced_batch_keys: HashMap<String, String>,
    pub(crate) payout_batches: HashMap<String, payout_batches::Batch>,
    pub(crate) payout_batch_items: HashMap<String, payout_batches::Item>,
    pub(crate) payout_batch_keys: HashMap<String, String>,
    pub(crate) webhooks: Vec<webhooks::Webhook>,
    pub(crate) deliveries: Vec<WebhookDelivery>,
    pub(crate) events: Vec<webhook_events::StoredEvent>,
    pub(crate) webhook_lookups: Vec<webhook_lookups::Lookup>,
}

/// The first answer to an idempotent POST: a repeat answers 200 with the body, or 204 without one.
#[derive(Debug, Clone)]
pub(crate) struct Reply(pub(crate) Option<Value>);

impl Reply {
    pub(crate) fn response(&self) -> Response {
        match &self.0 {
            Some(body) => (StatusCode::OK, axum::Json(body.clone())).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        }
    }
}

impl Inner {
    pub(crate) fn ids(&mut self) -> &mut Ids {
        self.ids.get_or_insert_with(|| Ids::new(0, 0))
    }
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Now on the sandbox clock: the wall clock plus what [`PaypalSandbox::advance_clock`] added. The
    /// payment rules (honour period, expiry) and payout batch progress run on it; tokens do not.
    pub(crate) fn now(&self) -> time::OffsetDateTime {
        crate::clock::now() + time::Duration::seconds(self.clock_offset.load(Ordering::Relaxed))
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str().trim_end_matches('/'), path)
    }
}

pub(crate) fn state(
    base: Url,
    config: PaypalConfig,
    seed: u64,
    http: reqwest::Client,
) -> Arc<State> {
    let inner = Inner {
        ids: Some(Ids::new(seed, 0x5041_5950)),
        ..Inner::default()
    };
    Arc::new(State {
        base,
        config,
        signer: webhooks::Signer::load(),
        http,
        clock_offset: AtomicI64::new(0),
        inner: Mutex::new(inner),
    })
}

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .merge(oauth::routes())
        .merge(referrals::routes())
        .merge(signup_page::routes())
        .merge(merchant_integrations::routes())
        .merge(orders::routes())
        .merge(authorizations::routes())
        .merge(trackers::routes())
        .merge(payouts::routes())
        .merge(payout_batches::routes())
        .merge(webhooks::routes())
        .merge(webhook_events::routes())
        .merge(webhook_lookups::routes())
        .with_state(state)
}

/// A PayPal error: `{name, message, debug_id, details?, links}` with the `Paypal-Debug-Id` header.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    name: &'static str,
    message: String,
    details: Vec<Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, name: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            name,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// One entry of `details`.
    pub(crate) fn detail(
        mut self,
        field: Option<&str>,
        location: &str,
        issue: &str,
        description: &str,
    ) -> Self {
        let mut d = json!({ "issue": issue, "description": description, "location": location });
        if let Some(field) = field {
            d["field"] = json!(field);
        }
        self.details.push(d);
        self
    }

    pub(crate) fn invalid_request(field: &str, issue: &str, description: &str) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "Request is not well-formed, syntactically incorrect, or violates schema.",
        )
        .detail(Some(field), "body", issue, description)
    }

    pub(crate) fn unprocessable(issue: &str, description: &str) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_ENTITY",
            "The requested action could not be performed, semantically incorrect, or failed business validation.",
        )
        .detail(None, "body", issue, description)
    }

    pub(crate) fn not_found(issue: &str, description: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "The specified resource does not exist.",
        )
        .detail(None, "path", issue, description)
    }

    /// An unknown order, authorization, capture or tracker id, in the wording the orders v2 and
    /// payments v2 specs pin.
    pub(crate) fn invalid_resource_id() -> Self {
        Self::not_found(
            "INVALID_RESOURCE_ID",
            "Specified resource ID does not exist. Please check the resource ID and try again.",
        )
    }
}

pub(crate) fn debug_id() -> String {
    format!("{:013x}", fastrand::u64(..) >> 12)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let debug_id = debug_id();
        let mut body = json!({
            "name": self.name,
            "message": self.message,
            "debug_id": debug_id,
            "links": [{
                "href": format!("https://developer.paypal.com/api/rest/reference/orders/v2/errors/#{}", self.name),
                "rel": "information_link",
            }],
        });
        if !self.details.is_empty() {
            body["details"] = Value::Array(self.details);
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&debug_id) {
            response.headers_mut().insert("paypal-debug-id", v);
        }
        response
    }
}

/// A caller that presented a valid bearer token.
pub(crate) struct Authed;

impl FromRequestParts<Arc<State>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<State>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let now = crate::clock::now().unix_timestamp();
        let valid = token.is_some_and(|t| state.lock().tokens.get(t).is_some_and(|exp| *exp > now));
        if valid {
            Ok(Authed)
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILURE",
                "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
            ))
        }
    }
}

/// The seller named by a `PayPal-Auth-Assertion` header, checked like PayPal: an unsigned JWT
/// (`{"alg":"none"}`, trailing dot) whose `iss` is the partner's client id and whose `payer_id` (or
/// `email`) is a seller who completed onboarding. `Ok(None)` when the header is absent.
pub(crate) fn auth_assertion(
    state: &State,
    headers: &http::HeaderMap,
) -> Result<Option<String>, ApiError> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};

    let Some(value) = headers.get("paypal-auth-assertion") else {
        return Ok(None);
    };
    let refuse = |why: &str| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "No permission for the requested operation.",
        )
        .detail(None, "header", "INVALID_AUTH_ASSERTION", why)
    };
    let decode = |part: &str| -> Option<Value> {
        let bytes = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
            .iter()
            .find_map(|e| e.decode(part).ok())?;
        serde_json::from_slice(&bytes).ok()
    };
    let text = value
        .to_str()
        .map_err(|_| refuse("PayPal-Auth-Assertion is not ASCII."))?;
    let parts: Vec<&str> = text.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(refuse(
            "PayPal-Auth-Assertion must be header.payload. (with the trailing dot).",
        ));
    };
    if !signature.is_empty() || decode(header).is_none_or(|h| h["alg"] != "none") {
        return Err(refuse(
            "PayPal-Auth-Assertion must be an unsigned JWT with alg none.",
        ));
    }
    let claims =
        decode(payload).ok_or_else(|| refuse("The PayPal-Auth-Assertion payload is not JSON."))?;
    if claims["iss"] != state.config.credentials.client_id.as_str() {
        return Err(refuse("iss must be the partner's client id."));
    }
    let inner = state.lock();
    let seller = match (claims["payer_id"].as_str(), claims["email"].as_str()) {
        (Some(payer_id), _) => inner.merchants.get(payer_id).map(|m| m.merchant_id.clone()),
        (None, Some(email)) => inner
            .merchants
            .values()
            .find(|m| m.email == email)
            .map(|m| m.merchant_id.clone()),
        (None, None) => None,
    };
    seller
        .map(Some)
        .ok_or_else(|| refuse("payer_id does not name a seller onboarded by this partner."))
}

/// The `PayPal-Request-Id` of a request.
pub(crate) fn request_id(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Whether the request asks for `Prefer: return=representation`.
pub(crate) fn wants_representation(headers: &http::HeaderMap) -> bool {
    headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("return=representation"))
}

/// The stored answer to `operation` first sent with `key`, as a repeat gets it.
pub(crate) fn replay(
    inner: &Inner,
    operation: &'static str,
    key: Option<&str>,
) -> Option<Response> {
    let key = key?.to_owned();
    inner.replies.get(&(operation, key)).map(Reply::response)
}

/// Stores the answer to `operation` for its `PayPal-Request-Id`, if it had one.
pub(crate) fn remember(
    inner: &mut Inner,
    operation: &'static str,
    key: Option<String>,
    body: Option<Value>,
) {
    if let Some(key) = key {
        inner.replies.insert((operation, key), Reply(body));
    }
}

/// Parses a JSON request body, answering PayPal's `MALFORMED_REQUEST_JSON` otherwise.
pub(crate) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "Request is not well-formed, syntactically incorrect, or violates schema.",
        )
        .detail(
            None,
            "body",
            "MALFORMED_REQUEST_JSON",
            &format!("The request JSON is not well formed: {e}"),
        )
    })
}

/// The response for an injected fault.
pub(crate) fn fault_response(status: u16, retry_after: Option<Duration>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let error = if status == StatusCode::TOO_MANY_REQUESTS {
        ApiError::new(
            status,
            "RATE_LIMIT_REACHED",
            "Too many requests. Blocked due to rate limiting.",
        )
    } else {
        ApiError::new(
            status,
            "INTERNAL_SERVER_ERROR",
            "An internal server error has occurred.",
        )
    };
    let mut response = error.into_response();
    if let Some(after) = retry_after
        && let Ok(v) = HeaderValue::from_str(&after.as_secs().to_string())
    {
        response.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    response
}

/// Why a test helper of [`PaypalSandbox`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelperError {
    /// No referral has this id.
    UnknownReferral,
    /// The referral's sign-up was already completed (links are single-use).
    AlreadyCompleted,
    /// No order has this id.
    UnknownOrder,
    /// The order is not `CREATED` or `PAYER_ACTION_REQUIRED`; its current status.
    NotApprovable(String),
}

impl fmt::Display for HelperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelperError::UnknownReferral => f.write_str("unknown referral"),
            HelperError::AlreadyCompleted => f.write_str("this sign-up link was already used"),
            HelperError::UnknownOrder => f.write_str("unknown order"),
            HelperError::NotApprovable(status) => {
                write!(f, "the order is {status}, not awaiting the buyer")
            }
        }
    }
}

impl std::error::Error for HelperError {}

/// A referral id from an id, a `self` link or an `action_url`.
fn referral_id(reference: &str) -> &str {
    if let Some((_, rest)) = reference.split_once("referralToken=") {
        return rest.split('&').next().unwrap_or(rest);
    }
    reference.rsplit('/').next().unwrap_or(reference)
}

/// A handle on the PayPal simulator: its address, credentials and state.
#[derive(Clone)]
pub struct PaypalSandbox {
    pub(crate) state: Arc<State>,
}

impl fmt::Debug for PaypalSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaypalSandbox")
            .field("base_url", &self.state.base.as_str())
            .finish()
    }
}

impl PaypalSandbox {
    /// The API base URL, e.g. `http://127.0.0.1:41234/` (the simulator of `https://api-m.sandbox.paypal.com`).
    pub fn base_url(&self) -> Url {
        self.state.base.clone()
    }

    /// The partner credentials the simulator accepts.
    pub fn credentials(&self) -> &PaypalCredentials {
        &self.state.config.credentials
    }

    /// The URL of the webhook signing certificate (what `PAYPAL-CERT-URL` carries).
    pub fn cert_url(&self) -> Url {
        let mut url = self.state.base.clone();
        url.set_path(webhooks::CERT_PATH);
        url
    }

    /// The webhook signing certificate, PEM.
    pub fn cert_pem(&self) -> &'static str {
        webhooks::CERT_PEM
    }

    /// Completes the seller sign-up of a referral without the HTML page, as if the seller had submitted
    /// the form with `choices`; returns the seller's PayPal merchant id.
    ///
    /// `referral` is the partner referral id, its `self` link or its `action_url`.
    ///
    /// # Errors
    /// [`HelperError::UnknownReferral`], or [`HelperError::AlreadyCompleted`].
    pub fn complete_onboarding(
        &self,
        referral: &str,
        choices: SellerChoices,
    ) -> Result<String, HelperError> {
        signup_page::complete(&self.state, referral_id(referral), choices)
            .map(|done| done.merchant_id)
    }

    /// The PayPal merchant id of the seller who completed onboarding with `tracking_id`.
    pub fn merchant_id_for(&self, tracking_id: &str) -> Option<String> {
        self.state
            .lock()
            .merchant_by_tracking
            .get(tracking_id)
            .cloned()
    }

    /// Approves an order as if the buyer had clicked the approve (or `payer-action`) link (status
    /// `APPROVED`).
    ///
    /// # Errors
    /// [`HelperError::UnknownOrder`], or [`HelperError::NotApprovable`] for an order that is neither
    /// `CREATED` nor `PAYER_ACTION_REQUIRED`.
    pub fn approve_order(&self, order_id: &str) -> Result<(), HelperError> {
        orders::approve(&self.state, order_id)
    }

    /// Moves the sandbox clock forward by `by`: authorizations age (the three-day honour period, the
    /// 29-day expiry) and payout batches progress as if that time had passed. OAuth tokens keep
    /// following the wall clock, so a test's token stays valid.
    pub fn advance_clock(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.state
            .clock_offset
            .fetch_add(seconds, Ordering::Relaxed);
    }

    /// How many orders were created (a create repeated with the same `PayPal-Request-Id` counts once).
    pub fn order_count(&self) -> usize {
        self.state.lock().orders.len()
    }

    /// Every webhook delivery attempted so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.state.lock().deliveries.clone()
    }
}
