//! `POST /v1/oauth2/token`: client credentials with HTTP Basic auth and a form body.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::State;
use crate::clock;

/// Tokens live 9 hours, like PayPal's (`expires_in` around 32400).
const TOKEN_TTL: i64 = 32_400;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new().route("/v1/oauth2/token", post(token))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

async fn token(AxState(state): AxState<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let creds = &state.config.credentials;
    let Some((id, secret)) = basic_credentials(&headers) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client Authentication failed",
        );
    };
    let id_ok = id.as_bytes().ct_eq(creds.client_id.as_bytes());
    let secret_ok = secret.as_bytes().ct_eq(creds.client_secret.as_bytes());
    if !bool::from(id_ok & secret_ok) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client Authentication failed",
        );
    }
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    match form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str())
    {
        Some("client_credentials") => {}
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Grant Type is NULL",
            );
        }
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Grant Type is not supported",
            );
        }
    }
    let now = clock::now();
    let (access_token, nonce) = {
        let mut inner = state.lock();
        let access_token = format!("A21AA{}", inner.ids().url_safe(92));
        let nonce = format!("{}{}", clock::rfc3339(now), inner.ids().url_safe(43));
        inner
            .tokens
            .insert(access_token.clone(), now.unix_timestamp() + TOKEN_TTL);
        (access_token, nonce)
    };
    let scope = [
        "https://uri.paypal.com/services/invoicing",
        "https://uri.paypal.com/services/payments/referenced-payouts-items/readwrite",
        "https://uri.paypal.com/services/customer/partner-referrals/readwrite",
        "https://uri.paypal.com/services/customer/partner",
        "https://uri.paypal.com/services/payments/payment/authcapture",
        "https://uri.paypal.com/services/payments/refund",
        "https://uri.paypal.com/services/applications/webhooks",
        "https://uri.paypal.com/services/payments/realtimepayment",
        "openid",
    ]
    .join(" ");
    axum::Json(json!({
        "scope": scope,
        "access_token": access_token,
        "token_type": "Bearer",
        "app_id": "APP-80W284485P519543T",
        "expires_in": TOKEN_TTL,
        "nonce": nonce,
    }))
    .into_response()
}
