//! `POST /second-factor-code` and `POST /session`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use super::{ACCOUNTS, ApiError, ProcuretAccount, Session, State};

/// How long a second-factor code stays valid.
const CODE_TTL: Duration = Duration::from_secs(600);

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/second-factor-code", post(second_factor_code))
        .route("/session", post(create_session))
}

fn body_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|_| ApiError::bad_request("The request body is not valid JSON"))
}

fn secret_matches(account: &ProcuretAccount, secret: &str) -> bool {
    bool::from(account.secret.as_bytes().ct_eq(secret.as_bytes()))
}

fn find_account(body: &Value) -> Option<&'static ProcuretAccount> {
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .map(str::to_lowercase);
    // Swift sends agent_id as a string, Python as an integer: accept both.
    let agent_id = body
        .get("agent_id")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
    ACCOUNTS.iter().find(|a| match (&email, agent_id) {
        (Some(e), _) => a.email == e,
        (None, Some(id)) => a.agent_id == id,
        (None, None) => false,
    })
}

fn invalid_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "Invalid credentials")
}

async fn second_factor_code(
    AxState(state): AxState<Arc<State>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = body_json(&body)?;
    let secret = body
        .get("plaintext_secret")
        .and_then(Value::as_str)
        .unwrap_or("");
    let account = find_account(&body)
        .filter(|a| secret_matches(a, secret))
        .ok_or_else(invalid_credentials)?;
    let mut inner = state.lock();
    let code = inner.ids.digits(6);
    inner
        .codes
        .insert(account.email.to_owned(), (code, Instant::now(), false));
    Ok((StatusCode::OK, axum::Json(json!({}))).into_response())
}

async fn create_session(
    AxState(state): AxState<Arc<State>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = body_json(&body)?;
    let secret = body.get("secret").and_then(Value::as_str).unwrap_or("");
    let account = find_account(&body)
        .filter(|a| secret_matches(a, secret))
        .ok_or_else(invalid_credentials)?;
    let code = body.get("code").and_then(Value::as_str).unwrap_or("");
    let lifecycle = match body.get("lifecycle") {
        None | Some(Value::Null) => 2,
        Some(v) => match v.as_i64() {
            Some(l @ (1 | 2)) => l,
            _ => {
                return Err(ApiError::bad_request(
                    "lifecycle must be 1 (SHORT_LIVED) or 2 (LONG_LIVED)",
                ));
            }
        },
    };
    let perspective = match body.get("perspective").and_then(Value::as_i64) {
        Some(p @ 1..=7) => p,
        _ => {
            return Err(ApiError::bad_request(
                "perspective must be an integer between 1 and 7",
            ));
        }
    };
    if perspective != i64::from(account.perspective) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "This account cannot take that perspective",
        ));
    }
    let mut inner = state.lock();
    let valid = inner.codes.get(account.email).is_some_and(|(c, at, used)| {
        !used && at.elapsed() < CODE_TTL && bool::from(c.as_bytes().ct_eq(code.as_bytes()))
    });
    if !valid {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid or expired second factor code",
        ));
    }
    // Codes are single-use.
    if let Some(entry) = inner.codes.get_mut(account.email) {
        entry.2 = true;
    }
    let session_id = inner.ids.u63();
    let api_key = inner.ids.url_safe(32);
    let session_key = inner.ids.url_safe(43);
    inner.sessions.insert(
        session_id,
        Session {
            api_key: api_key.clone(),
            lifecycle,
            supplier_id: account.supplier_id,
        },
    );
    Ok(axum::Json(json!({
        "session_id": session_id,
        "session_key": session_key,
        "api_key": api_key,
        "lifecycle": lifecycle,
        "perspective": perspective,
        "agent": {
            "agent_id": account.agent_id,
            "email": account.email,
        }
    }))
    .into_response())
}
