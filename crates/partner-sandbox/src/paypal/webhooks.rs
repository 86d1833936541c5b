//! Webhooks: registration, signed deliveries, the signing certificate and postback verification.
//!
//! Deliveries are signed like PayPal's: RSA PKCS#1 v1.5 SHA-256 over
//! `transmission_id|transmission_time|webhook_id|crc32(raw body)`, base64 in `PAYPAL-TRANSMISSION-SIG`,
//! with the certificate served at `PAYPAL-CERT-URL`. The key is the public test key in `keys/`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::{ApiError, Authed, State, json_body};
use crate::clock;

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

    fn sign(&self, message: &[u8]) -> Option<String> {
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
            "event_types": self.event_types.iter().map(|n| json!({ "name": n })).collect::<Vec<_>>(),
            "links": [
                { "href": state.url(&format!("/v1/notifications/webhooks/{}", self.id)), "rel": "self", "method": "GET" },
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
            delete(unregister).get(read),
        )
        .route(CERT_PATH, get(cert))
        .route("/v1/notifications/verify-webhook-signature", post(verify))
}

async fn register(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    let url = data.get("url").and_then(Value::as_str).unwrap_or("");
    if url::Url::parse(url).is_err() {
        return Err(ApiError::invalid_request(
            "/url",
            "INVALID_PARAMETER_SYNTAX",
            "The webhook url is not a valid URL.",
        ));
    }
    let event_types: Vec<String> = data
        .get("event_types")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| e.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if event_types.is_empty() {
        return Err(ApiError::invalid_request(
            "/event_types",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    let mut inner = state.lock();
    if inner.webhooks.iter().any(|w| w.url == url) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "WEBHOOK_URL_ALREADY_EXISTS",
            "Webhook URL already exists.",
        ));
    }
    let webhook = Webhook {
        id: inner.ids().upper(17),
        url: url.to_owned(),
        event_types,
    };
    let body = webhook.json(&state);
    inner.webhooks.push(webhook);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

async fn list(AxState(state): AxState<Arc<State>>, _auth: Authed) -> Response {
    let inner = state.lock();
    let hooks: Vec<Value> = inner.webhooks.iter().map(|w| w.json(&state)).collect();
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

/// Sends `event_type` to every matching registered webhook and to the configured URL, in the background.
pub(crate) fn emit(
    state: &Arc<State>,
    event_type: &str,
    resource_type: &str,
    summary: &str,
    resource: Value,
) {
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(url) = &state.config.webhook_url {
        targets.push((state.config.credentials.webhook_id.clone(), url.to_string()));
    }
    let (event_id, transmission_ids) = {
        let mut inner = state.lock();
        targets.extend(
            inner
                .webhooks
                .iter()
                .filter(|w| w.wants(event_type))
                .map(|w| (w.id.clone(), w.url.clone())),
        );
        if targets.is_empty() {
            return;
        }
        let event_id = format!("WH-{}-{}", inner.ids().upper(17), inner.ids().upper(17));
        let tids: Vec<String> = targets.iter().map(|_| inner.ids().uuid()).collect();
        (event_id, tids)
    };
    let now = clock::rfc3339(clock::now());
    let event = json!({
        "id": event_id,
        "event_version": "1.0",
        "create_time": now,
        "resource_type": resource_type,
        "resource_version": "2.0",
        "event_type": event_type,
        "summary": summary,
        "resource": resource,
        "links": [
            { "href": state.url(&format!("/v1/notifications/webhooks-events/{event_id}")), "rel": "self", "method": "GET" },
            { "href": state.url(&format!("/v1/notifications/webhooks-events/{event_id}/resend")), "rel": "resend", "method": "POST" }
        ]
    });
    let body = Bytes::from(serde_json::to_vec(&event).unwrap_or_default());
    for ((webhook_id, url), transmission_id) in targets.into_iter().zip(transmission_ids) {
        let message = signed_message(&transmission_id, &now, &webhook_id, &body);
        let Some(sig) = state.signer.sign(message.as_bytes()) else {
            continue;
        };
        let request = state
            .http
            .post(&url)
            .header(header::CONTENT_TYPE, "application/json")
            .header("PAYPAL-TRANSMISSION-ID", &transmission_id)
            .header("PAYPAL-TRANSMISSION-TIME", &now)
            .header("PAYPAL-TRANSMISSION-SIG", sig)
            .header("PAYPAL-CERT-URL", state.url(CERT_PATH))
            .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
            .body(body.clone());
        let state = Arc::clone(state);
        let event_type = event_type.to_owned();
        let event_id = event_id.clone();
        tokio::spawn(async move {
            let status = request.send().await.ok().map(|r| r.status().as_u16());
            state.lock().deliveries.push(WebhookDelivery {
                webhook_id,
                url,
                event_type,
                event_id,
                status,
            });
        });
    }
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
