//! Webhook lookups: which app's webhooks receive a merchant's events (create, list, show, delete).
//!
//! The sandbox has one app, the partner's: a lookup is created for its client id, and each POST
//! creates a new one (the spec defines no conflict). Lookups are listed oldest first.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{ApiError, Authed, State};

/// A stored lookup.
#[derive(Debug, Clone)]
pub(crate) struct Lookup {
    id: String,
    client_id: String,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/notifications/webhooks-lookup", post(create).get(list))
        .route(
            "/v1/notifications/webhooks-lookup/{id}",
            get(read).delete(remove),
        )
}

impl Lookup {
    fn json(&self, state: &State) -> Value {
        let href = state.url(&format!("/v1/notifications/webhooks-lookup/{}", self.id));
        json!({
            "id": self.id,
            "client_id": self.client_id,
            "links": [
                { "href": href, "rel": "self", "method": "GET" },
                { "href": href, "rel": "delete", "method": "DELETE" }
            ]
        })
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("INVALID_RESOURCE_ID", "Webhook lookup not found.")
}

async fn create(AxState(state): AxState<Arc<State>>, _auth: Authed) -> Response {
    let mut inner = state.lock();
    let lookup = Lookup {
        id: format!("WL-{}", inner.ids().upper(17)),
        client_id: state.config.credentials.client_id.clone(),
    };
    let body = lookup.json(&state);
    inner.webhook_lookups.push(lookup);
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

async fn list(AxState(state): AxState<Arc<State>>, _auth: Authed) -> Response {
    let inner = state.lock();
    let lookups: Vec<Value> = inner
        .webhook_lookups
        .iter()
        .map(|l| l.json(&state))
        .collect();
    axum::Json(json!({ "webhooks_lookups": lookups })).into_response()
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let lookup = inner
        .webhook_lookups
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(not_found)?;
    Ok(axum::Json(lookup.json(&state)).into_response())
}

async fn remove(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let before = inner.webhook_lookups.len();
    inner.webhook_lookups.retain(|l| l.id != id);
    if inner.webhook_lookups.len() == before {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
