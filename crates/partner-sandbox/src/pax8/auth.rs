//! `POST /v1/token` (JSON client credentials) and the bearer check of every resource.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State as AxState};
use axum::http::{HeaderValue, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use super::{AUDIENCE, ApiError, CLIENT_ID, CLIENT_SECRET, State};
use crate::clock;

/// "A time to live of one day".
const TOKEN_TTL: i64 = 86_400;
const LEGACY_AUDIENCE: &str = "api://p8p.client";

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new().route("/v1/token", post(token))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

async fn token(AxState(state): AxState<Arc<State>>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request body must be JSON",
        );
    };
    let field = |n: &str| body.get(n).and_then(Value::as_str).unwrap_or("");
    if field("grant_type") != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Unsupported grant type",
        );
    }
    let id_ok = field("client_id").as_bytes().ct_eq(CLIENT_ID.as_bytes());
    let secret_ok = field("client_secret")
        .as_bytes()
        .ct_eq(CLIENT_SECRET.as_bytes());
    if !bool::from(id_ok & secret_ok) {
        return oauth_error(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized");
    }
    let audience = field("audience");
    if audience != AUDIENCE && audience != LEGACY_AUDIENCE {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            &format!("Service not enabled within domain: {audience}"),
        );
    }
    let now = clock::now();
    let expires = now.unix_timestamp() + TOKEN_TTL;
    let token = {
        let mut inner = state.lock();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","kid":"sandbox"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            json!({ "iss": "https://login.pax8.com/", "sub": format!("{CLIENT_ID}@clients"), "aud": audience,
                    "iat": now.unix_timestamp(), "exp": expires, "jti": inner.ids.uuid() })
            .to_string(),
        );
        let token = format!("{header}.{claims}.{}", inner.ids.url_safe(86));
        inner.tokens.insert(token.clone(), expires);
        token
    };
    axum::Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": TOKEN_TTL,
        "scope": "",
        "expires_at": clock::rfc3339(clock::at(expires)),
    }))
    .into_response()
}

/// A caller with a valid bearer token.
pub(crate) struct Authed;

/// 401 in Pax8's error shape, with `WWW-Authenticate`.
pub(crate) struct Unauthorized;

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        let mut response = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Full authentication is required to access this resource",
        )
        .into_response();
        response.headers_mut().insert(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer"),
        );
        response
    }
}

impl FromRequestParts<Arc<State>> for Authed {
    type Rejection = Unauthorized;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<State>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Unauthorized)?;
        let now = clock::now().unix_timestamp();
        if state.lock().tokens.get(token).is_some_and(|exp| *exp > now) {
            Ok(Authed)
        } else {
            Err(Unauthorized)
        }
    }
}
