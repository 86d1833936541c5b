//! Payments v2 authorizations: show, capture (partial or final, with platform fees), void and
//! reauthorize the authorizations that `orders.authorize` creates.
//!
//! The sandbox's rules, on the sandbox clock ([`super::PaypalSandbox::advance_clock`]):
//! - an authorization expires 29 days after it was created: a capture then is refused with
//!   `AUTHORIZATION_EXPIRED`;
//! - captures may be partial; together they may not exceed the authorized amount
//!   (`MAX_CAPTURE_AMOUNT_EXCEEDED`); `final_capture: true`, or reaching the amount, makes the
//!   authorization `CAPTURED`, otherwise it is `PARTIALLY_CAPTURED`;
//! - a `CAPTURED` authorization refuses another capture (`AUTHORIZATION_ALREADY_CAPTURED`) and a void
//!   (`PREVIOUSLY_CAPTURED`); a `VOIDED` one refuses a capture (`AUTHORIZATION_VOIDED`) and a void
//!   (`PREVIOUSLY_VOIDED`); a partially captured one can be voided (its remainder is released);
//! - reauthorize is allowed once, on a `CREATED` authorization, after its three-day honour period and
//!   before its 29-day expiry (`REAUTHORIZATION_TOO_SOON` before day 3), for up to 115% of the original
//!   amount and no more than 75.00 above it (`AUTHORIZATION_AMOUNT_EXCEEDED`). It creates a new
//!   authorization (with its own honour period) that replaces the original: the original becomes
//!   `VOIDED`, and the new one cannot be reauthorized again (`REAUTHORIZATION_NOT_SUPPORTED`).
//!
//! Every POST honours `PayPal-Request-Id`: a repeat answers 200 with the first answer.

use std::str::FromStr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::orders::{
    NewCapture, disbursement_of, emit_capture_completed, payee_of, platform_fees_of,
    platform_total, record_capture, references_of,
};
use super::{
    ApiError, Authed, Inner, State, auth_assertion, json_body, remember, replay, request_id,
    wants_representation,
};
use crate::clock;
use crate::seed::money_string;

/// The honour period: funds are held for three days; reauthorizing earlier is too soon.
const HONOUR_PERIOD: time::Duration = time::Duration::days(3);
/// An authorization can be captured or reauthorized for 29 days.
const VALIDITY: time::Duration = time::Duration::days(29);

/// A stored authorization.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    id: String,
    order_id: String,
    unit_index: usize,
    status: &'static str,
    amount: Decimal,
    currency: String,
    captured: Decimal,
    created: time::OffsetDateTime,
    updated: time::OffsetDateTime,
    reauthorized_from: Option<String>,
    payee: Option<String>,
    references: Vec<(&'static str, Value)>,
    /// The order unit's platform fees and disbursement mode, the default of each capture.
    unit: Value,
}

/// What [`create`] makes an authorization of.
pub(super) struct NewAuthorization<'a> {
    pub(super) order_id: &'a str,
    pub(super) unit_index: usize,
    pub(super) amount: Decimal,
    pub(super) currency: &'a str,
    pub(super) unit: &'a Value,
    pub(super) reauthorized_from: Option<String>,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v2/payments/authorizations/{id}", get(read))
        .route("/v2/payments/authorizations/{id}/capture", post(capture))
        .route("/v2/payments/authorizations/{id}/void", post(void))
        .route(
            "/v2/payments/authorizations/{id}/reauthorize",
            post(reauthorize),
        )
}

impl Authorization {
    fn expires(&self) -> time::OffsetDateTime {
        self.created + VALIDITY
    }

    fn json(&self, state: &State) -> Value {
        let id = &self.id;
        let mut links = vec![
            json!({ "href": state.url(&format!("/v2/payments/authorizations/{id}")), "rel": "self", "method": "GET" }),
        ];
        if matches!(self.status, "CREATED" | "PARTIALLY_CAPTURED") {
            links.push(json!({ "href": state.url(&format!("/v2/payments/authorizations/{id}/capture")), "rel": "capture", "method": "POST" }));
            links.push(json!({ "href": state.url(&format!("/v2/payments/authorizations/{id}/void")), "rel": "void", "method": "POST" }));
        }
        if self.status == "CREATED" && self.reauthorized_from.is_none() {
            links.push(json!({ "href": state.url(&format!("/v2/payments/authorizations/{id}/reauthorize")), "rel": "reauthorize", "method": "POST" }));
        }
        links.push(json!({ "href": state.url(&format!("/v2/checkout/orders/{}", self.order_id)), "rel": "up", "method": "GET" }));
        let mut v = json!({
            "id": id,
            "status": self.status,
            "amount": { "currency_code": self.currency, "value": money_string(self.amount) },
            "seller_protection": { "status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
            "expiration_time": clock::rfc3339(self.expires()),
            "create_time": clock::rfc3339(self.created),
            "update_time": clock::rfc3339(self.updated),
            "supplementary_data": { "related_ids": { "order_id": self.order_id } },
            "links": links,
        });
        for (field, value) in &self.references {
            v[*field] = value.clone();
        }
        if let Some(payee) = &self.payee {
            v["payee"] = json!({ "merchant_id": payee });
        }
        v
    }
}

/// Creates and stores an authorization; returns its JSON.
pub(super) fn create(state: &State, inner: &mut Inner, new: NewAuthorization<'_>) -> Value {
    let now = state.now();
    let authorization = Authorization {
        id: inner.ids().upper(17),
        order_id: new.order_id.to_owned(),
        unit_index: new.unit_index,
        status: "CREATED",
        amount: new.amount,
        currency: new.currency.to_owned(),
        captured: Decimal::ZERO,
        created: now,
        updated: now,
        reauthorized_from: new.reauthorized_from,
        payee: payee_of(new.unit),
        references: references_of(new.unit),
        unit: new.unit.clone(),
    };
    let body = authorization.json(state);
    inner
        .authorizations
        .insert(authorization.id.clone(), authorization);
    body
}

/// Writes the authorization's current state (and a new capture) into its order's purchase unit, so
/// that the order shows what the payments did.
fn sync_order(state: &State, inner: &mut Inner, id: &str, capture: Option<&Value>) {
    let Some(auth) = inner.authorizations.get(id).cloned() else {
        return;
    };
    let Some(order) = inner.orders.get_mut(&auth.order_id) else {
        return;
    };
    let Some(unit) = order.purchase_units.get_mut(auth.unit_index) else {
        return;
    };
    let payments = &mut unit["payments"];
    if !payments["authorizations"].is_array() {
        payments["authorizations"] = json!([]);
    }
    if let Some(list) = payments["authorizations"].as_array_mut() {
        let shown = auth.json(state);
        match list.iter_mut().find(|a| a["id"] == id) {
            Some(slot) => *slot = shown,
            None => list.push(shown),
        }
    }
    if let Some(capture) = capture {
        if !payments["captures"].is_array() {
            payments["captures"] = json!([]);
        }
        if let Some(list) = payments["captures"].as_array_mut() {
            list.push(capture.clone());
        }
    }
    order.update_time = Some(clock::rfc3339(state.now()));
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let inner = state.lock();
    let auth = inner
        .authorizations
        .get(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    Ok(axum::Json(auth.json(&state)).into_response())
}

/// An amount of a request body: `None` when absent; refused when not a positive decimal of the
/// authorization's currency with at most two places.
fn requested_amount(
    data: &Value,
    currency: &str,
    mismatch: &str,
) -> Result<Option<Decimal>, ApiError> {
    let Some(amount) = data.get("amount") else {
        return Ok(None);
    };
    if amount.get("currency_code").and_then(Value::as_str) != Some(currency) {
        return Err(ApiError::unprocessable(
            mismatch,
            "The currency of the amount must match the currency of the authorization.",
        ));
    }
    let value = amount
        .get("value")
        .and_then(Value::as_str)
        .and_then(|v| Decimal::from_str(v).ok())
        .ok_or_else(|| {
            ApiError::invalid_request(
                "/amount/value",
                "INVALID_PARAMETER_SYNTAX",
                "The value of a field does not conform to the expected format.",
            )
        })?;
    if value <= Decimal::ZERO {
        return Err(ApiError::unprocessable(
            "CANNOT_BE_ZERO_OR_NEGATIVE",
            "Must be greater than zero.",
        ));
    }
    if value.scale() > 2 {
        return Err(ApiError::unprocessable(
            "DECIMAL_PRECISION",
            "If the currency supports decimals, only two decimal place precision is supported.",
        ));
    }
    Ok(Some(value))
}

/// `authorizations.capture`.
async fn capture(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = replay(&inner, "authorizations.capture", key.as_deref()) {
        return Ok(previous);
    }
    let auth = inner
        .authorizations
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    match auth.status {
        "CAPTURED" => {
            return Err(ApiError::unprocessable(
                "AUTHORIZATION_ALREADY_CAPTURED",
                "Authorization has been previously captured and hence cannot be captured again.",
            ));
        }
        "VOIDED" => {
            return Err(ApiError::unprocessable(
                "AUTHORIZATION_VOIDED",
                "A voided authorization cannot be captured or reauthorized.",
            ));
        }
        _ => {}
    }
    if state.now() >= auth.expires() {
        return Err(ApiError::unprocessable(
            "AUTHORIZATION_EXPIRED",
            "An expired authorization cannot be captured.",
        ));
    }
    let remaining = auth.amount - auth.captured;
    let amount = requested_amount(&data, &auth.currency, "AUTH_CAPTURE_CURRENCY_MISMATCH")?
        .unwrap_or(remaining);
    if amount > remaining {
        return Err(ApiError::unprocessable(
            "MAX_CAPTURE_AMOUNT_EXCEEDED",
            "Capture amount exceeds the allowable limit.",
        ));
    }
    let requested_fees = data
        .pointer("/payment_instruction/platform_fees")
        .and_then(Value::as_array)
        .cloned();
    let fees = requested_fees.unwrap_or_else(|| platform_fees_of(&auth.unit));
    if platform_total(&fees).is_none_or(|t| t > amount) {
        return Err(ApiError::invalid_request(
            "/payment_instruction/platform_fees",
            "INVALID_PARAMETER_VALUE",
            "The platform fees cannot exceed the captured amount.",
        ));
    }
    let final_capture = data
        .get("final_capture")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut references = auth.references.clone();
    for field in ["invoice_id", "note_to_payer", "soft_descriptor"] {
        if let Some(v) = data.get(field) {
            references.retain(|(f, _)| *f != field);
            references.push((field, v.clone()));
        }
    }
    let capture = record_capture(
        &state,
        &mut inner,
        NewCapture {
            order_id: &auth.order_id,
            authorization_id: Some(&auth.id),
            gross: amount,
            currency: &auth.currency,
            platform_fees: fees,
            delayed: disbursement_of(&auth.unit, Some(&data)),
            final_capture,
            payee: auth.payee.clone(),
            references,
        },
    );
    if let Some(stored) = inner.authorizations.get_mut(&id) {
        stored.captured += amount;
        stored.status = if final_capture || stored.captured >= stored.amount {
            "CAPTURED"
        } else {
            "PARTIALLY_CAPTURED"
        };
        stored.updated = state.now();
    }
    sync_order(&state, &mut inner, &id, Some(&capture));
    remember(
        &mut inner,
        "authorizations.capture",
        key,
        Some(capture.clone()),
    );
    drop(inner);
    emit_capture_completed(&state, capture.clone());
    Ok((StatusCode::CREATED, axum::Json(capture)).into_response())
}

/// `authorizations.void`: 204, or 200 with the authorization for `Prefer: return=representation`.
async fn void(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = replay(&inner, "authorizations.void", key.as_deref()) {
        return Ok(previous);
    }
    let auth = inner
        .authorizations
        .get(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    match auth.status {
        "CAPTURED" => {
            return Err(ApiError::unprocessable(
                "PREVIOUSLY_CAPTURED",
                "Authorization has been previously captured and hence cannot be voided.",
            ));
        }
        "VOIDED" => {
            return Err(ApiError::unprocessable(
                "PREVIOUSLY_VOIDED",
                "Authorization has been previously voided and hence cannot be voided again.",
            ));
        }
        _ => {}
    }
    let now = state.now();
    let shown = inner.authorizations.get_mut(&id).map(|stored| {
        stored.status = "VOIDED";
        stored.updated = now;
        stored.json(&state)
    });
    sync_order(&state, &mut inner, &id, None);
    let body = shown.clone().filter(|_| wants_representation(&headers));
    remember(&mut inner, "authorizations.void", key, body.clone());
    drop(inner);
    if let Some(voided) = shown {
        super::webhook_events::emit(
            &state,
            "PAYMENT.AUTHORIZATION.VOIDED",
            "authorization",
            "A payment authorization was voided",
            voided,
        );
    }
    Ok(match body {
        Some(body) => (StatusCode::OK, axum::Json(body)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// `authorizations.reauthorize`: see the module's rules.
async fn reauthorize(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = replay(&inner, "authorizations.reauthorize", key.as_deref()) {
        return Ok(previous);
    }
    let auth = inner
        .authorizations
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    match auth.status {
        "CAPTURED" | "PARTIALLY_CAPTURED" => {
            return Err(ApiError::unprocessable(
                "AUTHORIZATION_ALREADY_CAPTURED",
                "Authorization has been previously captured and hence cannot be reauthorized.",
            ));
        }
        "VOIDED" => {
            return Err(ApiError::unprocessable(
                "AUTHORIZATION_VOIDED",
                "A voided authorization cannot be captured or reauthorized.",
            ));
        }
        _ => {}
    }
    if auth.reauthorized_from.is_some() {
        return Err(ApiError::unprocessable(
            "REAUTHORIZATION_NOT_SUPPORTED",
            "An authorization can be reauthorized once; this one is a reauthorization.",
        ));
    }
    let age = state.now() - auth.created;
    if age < HONOUR_PERIOD {
        return Err(ApiError::unprocessable(
            "REAUTHORIZATION_TOO_SOON",
            "A reauthorization cannot be attempted within the honor period of the authorization (three days).",
        ));
    }
    if age >= VALIDITY {
        return Err(ApiError::unprocessable(
            "REAUTHORIZATION_NOT_SUPPORTED",
            "The authorization is older than 29 days: create a new order instead.",
        ));
    }
    let amount =
        requested_amount(&data, &auth.currency, "AUTH_CURRENCY_MISMATCH")?.unwrap_or(auth.amount);
    let ceiling = (auth.amount * Decimal::new(115, 2)).min(auth.amount + Decimal::new(75, 0));
    if amount > ceiling {
        return Err(ApiError::unprocessable(
            "AUTHORIZATION_AMOUNT_EXCEEDED",
            "Reauthorization is allowed for up to 115% of the original amount, and no more than 75.00 above it.",
        ));
    }
    let mut unit = auth.unit.clone();
    unit["amount"] = json!({ "currency_code": auth.currency, "value": money_string(amount) });
    let created = create(
        &state,
        &mut inner,
        NewAuthorization {
            order_id: &auth.order_id,
            unit_index: auth.unit_index,
            amount,
            currency: &auth.currency,
            unit: &unit,
            reauthorized_from: Some(auth.id.clone()),
        },
    );
    let new_id = created["id"].as_str().unwrap_or_default().to_owned();
    if let Some(original) = inner.authorizations.get_mut(&id) {
        original.status = "VOIDED";
        original.updated = state.now();
    }
    sync_order(&state, &mut inner, &id, None);
    sync_order(&state, &mut inner, &new_id, None);
    remember(
        &mut inner,
        "authorizations.reauthorize",
        key,
        Some(created.clone()),
    );
    Ok((StatusCode::CREATED, axum::Json(created)).into_response())
}
