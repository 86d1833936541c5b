//! `POST /v2/customer/partner-referrals` and `GET /v2/customer/partner-referrals/{id}`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{ApiError, Authed, State, json_body};

/// A stored referral.
#[derive(Debug, Clone)]
pub(crate) struct Referral {
    pub(crate) id: String,
    pub(crate) data: Value,
    pub(crate) tracking_id: Option<String>,
    pub(crate) return_url: Option<String>,
    pub(crate) merchant_id: Option<String>,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v2/customer/partner-referrals", post(create))
        .route("/v2/customer/partner-referrals/{id}", get(read))
}

pub(super) fn action_url(state: &State, id: &str) -> String {
    state.url(&format!("/bizsignup/partner/entry?referralToken={id}"))
}

fn links(state: &State, id: &str) -> Value {
    json!([
        {
            "href": state.url(&format!("/v2/customer/partner-referrals/{id}")),
            "rel": "self",
            "method": "GET",
            "description": "Read Referral Data shared by the Caller."
        },
        {
            "href": action_url(state, id),
            "rel": "action_url",
            "method": "GET",
            "description": "Target WEB REDIRECT URL for the next action. Customer needs to be redirected to this URL in the browser."
        }
    ])
}

fn validate(data: &Value) -> Result<(), ApiError> {
    let non_empty_array = |field: &str| {
        data.get(field)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    if !non_empty_array("operations") {
        return Err(ApiError::invalid_request(
            "/operations",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    if !non_empty_array("legal_consents") {
        return Err(ApiError::invalid_request(
            "/legal_consents",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    if let Some(t) = data.get("tracking_id").and_then(Value::as_str)
        && (t.is_empty() || t.len() > 127)
    {
        return Err(ApiError::invalid_request(
            "/tracking_id",
            "INVALID_STRING_LENGTH",
            "The value of a field is either too short or too long.",
        ));
    }
    if let Some(url) = data
        .pointer("/partner_config_override/return_url")
        .and_then(Value::as_str)
        && url::Url::parse(url).is_err()
    {
        return Err(ApiError::invalid_request(
            "/partner_config_override/return_url",
            "INVALID_PARAMETER_SYNTAX",
            "The value of a field does not conform to the expected format.",
        ));
    }
    Ok(())
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let data = json_body(&body)?;
    validate(&data)?;
    let mut inner = state.lock();
    let id = inner.ids().alnum(64);
    let referral = Referral {
        id: id.clone(),
        tracking_id: data
            .get("tracking_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        return_url: data
            .pointer("/partner_config_override/return_url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        data,
        merchant_id: None,
    };
    inner.referrals.insert(id.clone(), referral);
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "links": links(&state, &id) })),
    )
        .into_response())
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let referral = inner.referrals.get(&id).ok_or_else(|| {
        ApiError::not_found(
            "INVALID_RESOURCE_ID",
            "Specified resource ID does not exist.",
        )
    })?;
    let creds = &state.config.credentials;
    Ok(axum::Json(json!({
        "partner_referral_id": referral.id,
        "submitter_payer_id": creds.partner_id,
        "submitter_client_id": creds.client_id,
        "referral_data": referral.data,
        "links": links(&state, &referral.id),
    }))
    .into_response())
}
