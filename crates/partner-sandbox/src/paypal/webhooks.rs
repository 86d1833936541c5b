//! Webhooks: registration (create, list, show, update by JSON patch, delete, a webhook's event
//! subscriptions), the signing certificate and postback verification. Events and their signed
//! deliveries are in `webhook_events.rs`.
//!
//! Deliveries are signed like PayPal's: RSA PKCS#1 v1.5 SHA-256 over
//! `transmission_id|transmission_time|webhook_id|crc32(raw body)`, base64 in `PAYPAL-TRANSMISSION-SIG`,
//! with the certificate served at `PAYPAL-CERT-URL`. The key is the public test key in `keys/`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::json_patch::{self, Op};
use super::webhook_events::event_type_json;
use super::{ApiError, Authed, State, json_body};

const SIGNING_KEY: &[u8] = include_bytes!("../../keys/webhook-signing-key.pk8.der");
/// The certificate matching the signing key.
pub(super) const CERT_PEM: &str = include_str!("../../keys/webhook-cert.pem");
/// Where the certificate is served.
pub(super) const CERT_PATH: &str = "/v1/notifications/certs/CERT-SANDBOX";

/// Signs webhook transmissions.
pub(crate) struct Signer {
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl Signer {
    pub(crate) fn load() -> Self {
        // The key is a compile-time constant checked by the tests; failing here is a build defect.
        let key = RsaKeyPair::from_pkcs8(SIGNING_KEY)
            .expect("the bundled webhook signing key is valid PKCS#8");
        Signer {
            key,
            rng: SystemRandom::new(),
        }
    }

    pub(super) fn sign(&self, message: &[u8]) -> Option<String> {
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&signature::RSA_PKCS1_SHA256, &self.rng, message, &mut sig)
            .ok()?;
        Some(STANDARD.encode(sig))
    }

    fn verify(&self, message: &[u8], sig_b64: &str) -> bool {
        let Ok(sig) = STANDARD.decode(sig_b64) else {
            return false;
        };
        let public = UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            self.key.public().as_ref(),
        );
        public.verify(message, &sig).is_ok()
    }
}

/// The message PayPal signs.
pub(crate) fn signed_message(
    transmission_id: &str,
    time: &str,
    webhook_id: &str,
    body: &[u8],
) -> String {
    format!(
        "{transmission_id}|{time}|{webhook_id}|{}",
        crc32fast::hash(body)
    )
}

/// A registered webhook.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    id: String,
    url: String,
    event_types: Vec<String>,
}

impl Webhook {
    fn json(&self, state: &State) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "event_types": self.event_types.iter().map(|n| json!({ "name": n, "description": super::webhook_events::description(n).unwrap_or_default() })).collect::<Vec<_>>(),
            "links": [
                { "href": state.url(&format!("/v1/notifications/webhooks/{}", self.id)), "rel": "self", "method": "GET" },
                { "href": state.url(&format!("/v1/notifications/webhooks/{}", self.id)), "rel": "update", "method": "PATCH" },
                { "href": state.url(&format!("/v1/notifications/webhooks/{}", self.id)), "rel": "delete", "method": "DELETE" }
            ]
        })
    }

    fn wants(&self, event_type: &str) -> bool {
        self.event_types.iter().any(|t| t == "*" || t == event_type)
    }
}

/// One webhook delivery the sandbox attempted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// The webhook id used in the signature.
    pub webhook_id: String,
    /// Where it was sent.
    pub url: String,
    /// The event type, e.g. `MERCHANT.ONBOARDING.COMPLETED`.
    pub event_type: String,
    /// The event id (`WH-...`).
    pub event_id: String,
    /// The receiver's HTTP status, or `None` when the request failed.
    pub status: Option<u16>,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/notifications/webhooks", post(register).get(list))
        .route(
            "/v1/notifications/webhooks/{id}",
            get(read).patch(update).delete(unregister),
        )
        .route(
            "/v1/notifications/webhooks/{id}/event-types",
            get(event_types),
        )
        .route(CERT_PATH, get(cert))
        .route("/v1/notifications/verify-webhook-signature", post(verify))
}

/// How many webhooks an app may register (PayPal's limit).
const MAX_WEBHOOKS: usize = 10;

fn bad(field: &str, issue: &str, description: &str) -> ApiError {
    ApiError::invalid_request(field, issue, description)
}

/// A webhook's URL, checked.
fn checked_url(value: Option<&Value>) -> Result<String, ApiError> {
    let url = value.and_then(Value::as_str).unwrap_or("");
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "https" || u.scheme() == "http" => Ok(url.to_owned()),
        _ => Err(bad(
            "/url",
            "INVALID_PARAMETER_SYNTAX",
            "The webhook url is not a valid URL.",
        )),
    }
}

/// A webhook's event types, `[{name}]`, checked: at least one, no repeats.
fn checked_event_types(value: Option<&Value>) -> Result<Vec<String>, ApiError> {
    let names: Vec<String> = value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| e.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        return Err(bad(
            "/event_types",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if !names.iter().all(|n| seen.insert(n)) {
        return Err(bad(
            "/event_types",
            "INVALID_PARAMETER_VALUE",
            "An event type is listed twice.",
        ));
    }
    Ok(names)
}

fn url_taken() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "WEBHOOK_URL_ALREADY_EXISTS",
        "Webhook URL already exists.",
    )
}

async fn register(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let url = checked_url(data.get("url"))?;
    let event_types = checked_event_types(data.get("event_types"))?;
    let mut inner = state.lock();
    if inner.webhooks.iter().any(|w| w.url == url) {
        return Err(url_taken());
    }
    if inner.webhooks.len() >= MAX_WEBHOOKS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "WEBHOOK_NUMBER_LIMIT_EXCEEDED",
            "Maximum number of webhooks (10) allowed for an app has been reached.",
        ));
    }
    let webhook = Webhook {
        id: inner.ids().upper(17),
        url,
        event_types,
    };
    let body = webhook.json(&state);
    inner.webhooks.push(webhook);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `webhooks.update`: `replace` of `/url` or `/event_types`.
async fn update(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let ops = json_patch::parse(&data).map_err(|_| {
        bad(
            "/",
            "INVALID_PARAMETER_VALUE",
            "A patch is an array of {op, path, value} with op add, replace or remove.",
        )
    })?;
    let mut inner = state.lock();
    let mut hook = inner
        .webhooks
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .ok_or_else(webhook_not_found)?;
    for op in &ops {
        let field = op.path.join("/");
        if op.op != Op::Replace {
            return Err(bad(
                &format!("/{field}"),
                "INVALID_PARAMETER_VALUE",
                "Only replace is supported on a webhook.",
            ));
        }
        match field.as_str() {
            "url" => hook.url = checked_url(op.value.as_ref())?,
            "event_types" => hook.event_types = checked_event_types(op.value.as_ref())?,
            _ => {
                return Err(bad(
                    &format!("/{field}"),
                    "INVALID_PARAMETER_VALUE",
                    "Only url and event_types can be replaced.",
                ));
            }
        }
    }
    if inner
        .webhooks
        .iter()
        .any(|w| w.id != id && w.url == hook.url)
    {
        return Err(url_taken());
    }
    let body = hook.json(&state);
    if let Some(slot) = inner.webhooks.iter_mut().find(|w| w.id == id) {
        *slot = hook;
    }
    Ok(axum::Json(body).into_response())
}

/// `event-types.list`: a webhook's subscriptions.
async fn event_types(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let hook = inner
        .webhooks
        .iter()
        .find(|w| w.id == id)
        .ok_or_else(webhook_not_found)?;
    let types: Vec<Value> = hook
        .event_types
        .iter()
        .map(|n| event_type_json(n))
        .collect();
    Ok(axum::Json(json!({ "event_types": types })).into_response())
}

/// `(webhook id, url)` of every registered webhook that wants `event_type`.
pub(super) fn subscribed(state: &State, event_type: &str) -> Vec<(String, String)> {
    state
        .lock()
        .webhooks
        .iter()
        .filter(|w| w.wants(event_type))
        .map(|w| (w.id.clone(), w.url.clone()))
        .collect()
}

/// The URL of a registered webhook.
pub(super) fn url_of(state: &State, id: &str) -> Option<String> {
    state
        .lock()
        .webhooks
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.url.clone())
}

/// `webhooks.list`: the app's webhooks (`anchor_type=APPLICATION`, the default); the sandbox has no
/// account-anchored ones.
async fn list(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let account = query.get("anchor_type").is_some_and(|a| a == "ACCOUNT");
    let hooks: Vec<Value> = inner
        .webhooks
        .iter()
        .filter(|_| !account)
        .map(|w| w.json(&state))
        .collect();
    axum::Json(json!({ "webhooks": hooks })).into_response()
}

fn webhook_not_found() -> ApiError {
    ApiError::not_found("INVALID_RESOURCE_ID", "Webhook not found.")
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let hook = inner
        .webhooks
        .iter()
        .find(|w| w.id == id)
        .ok_or_else(webhook_not_found)?;
    Ok(axum::Json(hook.json(&state)).into_response())
}

async fn unregister(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let before = inner.webhooks.len();
    inner.webhooks.retain(|w| w.id != id);
    if inner.webhooks.len() == before {
        return Err(webhook_not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn cert() -> Response {
    ([(header::CONTENT_TYPE, "application/x-pem-file")], CERT_PEM).into_response()
}

#[derive(Deserialize)]
struct VerifyRequest<'a> {
    auth_algo: String,
    cert_url: String,
    transmission_id: String,
    transmission_sig: String,
    transmission_time: String,
    webhook_id: String,
    #[serde(borrow)]
    webhook_event: &'a RawValue,
}

/// Postback verification. Like PayPal, the event must be passed unmodified: the CRC32 covers the exact
/// bytes of `webhook_event` as they appear in this request.
async fn verify(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: VerifyRequest<'_> = serde_json::from_slice(&body).map_err(|e| {
        ApiError::invalid_request(
            "/",
            "MISSING_REQUIRED_PARAMETER",
            &format!("Invalid verification request: {e}"),
        )
    })?;
    let own_cert = state.url(CERT_PATH);
    let message = signed_message(
        &request.transmission_id,
        &request.transmission_time,
        &request.webhook_id,
        request.webhook_event.get().as_bytes(),
    );
    let ok = request.auth_algo == "SHA256withRSA"
        && request.cert_url == own_cert
        && state
            .signer
            .verify(message.as_bytes(), &request.transmission_sig);
    Ok(
        axum::Json(json!({ "verification_status": if ok { "SUCCESS" } else { "FAILURE" } }))
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_the_paypal_message() {
        let signer = Signer::load();
        let message = signed_message("tid", "2024-01-01T00:00:00Z", "WH-1", b"{\"a\":1}");
        assert!(message.starts_with("tid|2024-01-01T00:00:00Z|WH-1|"));
        let sig = signer.sign(message.as_bytes()).unwrap();
        assert!(signer.verify(message.as_bytes(), &sig));
        assert!(!signer.verify(b"tampered", &sig));
    }

    #[test]
    fn crc32_is_unsigned_decimal() {
        // crc32("123456789") = 0xCBF43926, whose decimal form exceeds i32::MAX.
        assert_eq!(
            signed_message("t", "x", "w", b"123456789"),
            "t|x|w|3421780262"
        );
    }
}
