//! Orders v2 (create with `PayPal-Request-Id` idempotency, get, buyer approval page, capture), captures
//! and refunds.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{ApiError, Authed, HelperError, State, auth_assertion, json_body};
use crate::clock;
use crate::seed::money_string;

/// A stored order.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    id: String,
    status: &'static str,
    intent: String,
    purchase_units: Vec<Value>,
    payment_source: Option<Value>,
    payer: Option<Value>,
    return_url: Option<String>,
    create_time: String,
    update_time: Option<String>,
}

/// A stored capture.
#[derive(Debug, Clone)]
pub(crate) struct Capture {
    pub(crate) amount: Decimal,
    pub(crate) currency: String,
    pub(crate) refunded: Decimal,
    pub(crate) delayed: bool,
    pub(crate) payee_merchant_id: Option<String>,
    pub(crate) value: Value,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v2/checkout/orders", post(create))
        .route("/v2/checkout/orders/{id}", get(read))
        .route("/v2/checkout/orders/{id}/capture", post(capture))
        .route("/checkoutnow", get(approve_page).post(approve_submit))
        .route("/v2/payments/captures/{id}", get(read_capture))
        .route("/v2/payments/captures/{id}/refund", post(refund))
        .route("/v2/payments/refunds/{id}", get(read_refund))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn wants_representation(headers: &HeaderMap) -> bool {
    headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("return=representation"))
}

impl Order {
    fn links(&self, state: &State) -> Value {
        let mut links = vec![json!({
            "href": state.url(&format!("/v2/checkout/orders/{}", self.id)), "rel": "self", "method": "GET"
        })];
        if self.status == "CREATED" {
            links.push(json!({
                "href": state.url(&format!("/checkoutnow?token={}", self.id)), "rel": "approve", "method": "GET"
            }));
        }
        if self.status != "COMPLETED" {
            links.push(json!({
                "href": state.url(&format!("/v2/checkout/orders/{}", self.id)), "rel": "update", "method": "PATCH"
            }));
            links.push(json!({
                "href": state.url(&format!("/v2/checkout/orders/{}/capture", self.id)),
                "rel": "capture",
                "method": "POST"
            }));
        }
        Value::Array(links)
    }

    fn full(&self, state: &State) -> Value {
        let mut v = json!({
            "id": self.id,
            "intent": self.intent,
            "status": self.status,
            "purchase_units": self.purchase_units,
            "create_time": self.create_time,
            "links": self.links(state),
        });
        if let Some(ps) = &self.payment_source {
            v["payment_source"] = ps.clone();
        }
        if let Some(payer) = &self.payer {
            v["payer"] = payer.clone();
        }
        if let Some(t) = &self.update_time {
            v["update_time"] = json!(t);
        }
        v
    }

    fn minimal(&self, state: &State) -> Value {
        json!({ "id": self.id, "status": self.status, "links": self.links(state) })
    }
}

fn parse_amount(unit: &Value, index: usize) -> Result<(Decimal, String), ApiError> {
    let field = format!("/purchase_units/{index}/amount");
    let currency = unit
        .pointer("/amount/currency_code")
        .and_then(Value::as_str)
        .unwrap_or("");
    if currency.len() != 3 {
        return Err(ApiError::invalid_request(
            &format!("{field}/currency_code"),
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    let value = unit
        .pointer("/amount/value")
        .and_then(Value::as_str)
        .unwrap_or("");
    let amount = Decimal::from_str(value)
        .ok()
        .filter(|d| *d > Decimal::ZERO && d.scale() <= 2)
        .ok_or_else(|| {
            ApiError::invalid_request(
                &format!("{field}/value"),
                "INVALID_PARAMETER_SYNTAX",
                "The value of a field does not conform to the expected format.",
            )
        })?;
    Ok((amount, currency.to_owned()))
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let key = request_id(&headers);
    if let Some(repeated) = repeated_create(&state, &state.lock(), key.as_deref()) {
        return Ok(repeated);
    }
    let seller = auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let intent = data.get("intent").and_then(Value::as_str).unwrap_or("");
    if intent != "CAPTURE" && intent != "AUTHORIZE" {
        return Err(ApiError::invalid_request(
            "/intent",
            "INVALID_PARAMETER_VALUE",
            "The value of a field is invalid.",
        ));
    }
    let mut units = data
        .get("purchase_units")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if units.is_empty() {
        return Err(ApiError::invalid_request(
            "/purchase_units",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
        ));
    }
    {
        let inner = state.lock();
        for (i, unit) in units.iter_mut().enumerate() {
            parse_amount(unit, i)?;
            if unit.get("reference_id").is_none() {
                unit["reference_id"] = json!("default");
            }
            // Acting for a seller: the seller is the payee unless the unit names one.
            if let Some(seller) = &seller
                && unit.get("payee").is_none()
            {
                unit["payee"] = json!({ "merchant_id": seller });
            }
            if let Some(payee) = unit.pointer("/payee/merchant_id").and_then(Value::as_str) {
                match inner.merchants.get(payee) {
                    None => {
                        return Err(ApiError::unprocessable(
                            "PAYEE_ACCOUNT_INVALID",
                            "Payee account specified is invalid. Please check the payee.merchant_id specified.",
                        ));
                    }
                    Some(m) if !m.choices.payments_receivable => {
                        return Err(ApiError::unprocessable(
                            "PAYEE_ACCOUNT_RESTRICTED",
                            "Payee account is restricted and cannot receive payments.",
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    let return_url = data
        .pointer("/payment_source/paypal/experience_context/return_url")
        .or_else(|| data.pointer("/application_context/return_url"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut inner = state.lock();
    // Checked again under the lock that inserts: two concurrent creates with one key make one order.
    if let Some(repeated) = repeated_create(&state, &inner, key.as_deref()) {
        return Ok(repeated);
    }
    let id = inner.ids().upper(17);
    let order = Order {
        id: id.clone(),
        status: "CREATED",
        intent: intent.to_owned(),
        purchase_units: units,
        payment_source: data.get("payment_source").cloned(),
        payer: None,
        return_url,
        create_time: clock::rfc3339(clock::now()),
        update_time: None,
    };
    let body = if wants_representation(&headers) {
        order.full(&state)
    } else {
        order.minimal(&state)
    };
    inner.orders.insert(id.clone(), order);
    if let Some(key) = key {
        inner.order_keys.insert(key, id);
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// The answer to a create that repeats a `PayPal-Request-Id`: the latest state of the first order.
fn repeated_create(state: &State, inner: &super::Inner, key: Option<&str>) -> Option<Response> {
    let order = inner.orders.get(inner.order_keys.get(key?)?)?;
    Some((StatusCode::OK, axum::Json(order.full(state))).into_response())
}

fn order_not_found() -> ApiError {
    ApiError::not_found(
        "INVALID_RESOURCE_ID",
        "Specified resource ID does not exist. Please check the resource ID and try again.",
    )
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let order = inner.orders.get(&id).ok_or_else(order_not_found)?;
    Ok(axum::Json(order.full(&state)).into_response())
}

/// Marks an order approved by a simulated buyer.
pub(super) fn approve(state: &State, id: &str) -> Result<(), HelperError> {
    let mut inner = state.lock();
    let payer_id = inner.ids().paypal_account_id();
    let order = inner.orders.get_mut(id).ok_or(HelperError::UnknownOrder)?;
    if order.status != "CREATED" {
        return Err(HelperError::NotApprovable(order.status.to_owned()));
    }
    order.status = "APPROVED";
    order.update_time = Some(clock::rfc3339(clock::now()));
    order.payer = Some(json!({
        "name": { "given_name": "Sandbox", "surname": "Buyer" },
        "email_address": "sandbox-buyer@example.com",
        "payer_id": payer_id,
        "address": { "country_code": "US" }
    }));
    Ok(())
}

async fn approve_page(Query(q): Query<HashMap<String, String>>) -> Response {
    let token = q.get("token").cloned().unwrap_or_default();
    let token = token.replace(|c: char| !c.is_ascii_alphanumeric(), "");
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pay with PayPal (sandbox)</title></head>\n\
         <body><h1>Pay with PayPal (sandbox)</h1><p>Order <code>{token}</code></p>\n\
         <form method=\"post\" action=\"/checkoutnow\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\n\
         <button type=\"submit\" id=\"approve\">Pay now</button></form></body></html>\n"
    ))
    .into_response()
}

async fn approve_submit(
    AxState(state): AxState<Arc<State>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let token = form.get("token").cloned().unwrap_or_default();
    if let Err(e) = approve(&state, &token) {
        return (
            StatusCode::CONFLICT,
            Html(format!("<p>Cannot approve: {}</p>", e)),
        )
            .into_response();
    }
    let inner = state.lock();
    let order = inner.orders.get(&token);
    let payer_id = order
        .and_then(|o| o.payer.as_ref())
        .and_then(|p| p["payer_id"].as_str())
        .unwrap_or_default();
    match order
        .and_then(|o| o.return_url.clone())
        .and_then(|u| url::Url::parse(&u).ok())
    {
        Some(mut url) => {
            url.query_pairs_mut()
                .append_pair("token", &token)
                .append_pair("PayerID", payer_id);
            (StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response()
        }
        None => {
            Html("<p>Payment approved. You can close this window.</p>".to_owned()).into_response()
        }
    }
}

fn amount_json(value: Decimal, currency: &str) -> Value {
    json!({ "currency_code": currency, "value": money_string(value) })
}

async fn capture(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = key.as_ref().and_then(|k| inner.capture_keys.get(k)) {
        return Ok((StatusCode::OK, axum::Json(previous.clone())).into_response());
    }
    let order = inner.orders.get(&id).cloned().ok_or_else(order_not_found)?;
    if order.intent != "CAPTURE" {
        return Err(ApiError::unprocessable(
            "ACTION_DOES_NOT_MATCH_INTENT",
            "Order was created with an intent to 'AUTHORIZE'. Please use authorize.",
        ));
    }
    match order.status {
        "APPROVED" => {}
        "COMPLETED" => {
            return Err(ApiError::unprocessable(
                "ORDER_ALREADY_CAPTURED",
                "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.",
            ));
        }
        _ => {
            return Err(ApiError::unprocessable(
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            ));
        }
    }
    let now = clock::rfc3339(clock::now());
    let mut units = order.purchase_units.clone();
    let mut captures = Vec::new();
    for (i, unit) in units.iter_mut().enumerate() {
        let (gross, currency) = parse_amount(unit, i)?;
        let capture_id = inner.ids().upper(17);
        let fee = (gross * Decimal::new(349, 4) + Decimal::new(49, 2)).round_dp(2);
        let platform_fees: Vec<Value> = unit
            .pointer("/payment_instruction/platform_fees")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let platform_total: Decimal = platform_fees
            .iter()
            .filter_map(|f| f.pointer("/amount/value").and_then(Value::as_str))
            .filter_map(|v| Decimal::from_str(v).ok())
            .sum();
        let delayed = unit
            .pointer("/payment_instruction/disbursement_mode")
            .and_then(Value::as_str)
            == Some("DELAYED");
        let mut breakdown = json!({
            "gross_amount": amount_json(gross, &currency),
            "paypal_fee": amount_json(fee, &currency),
            "net_amount": amount_json(gross - fee - platform_total, &currency),
        });
        if !platform_fees.is_empty() {
            breakdown["platform_fees"] = Value::Array(platform_fees);
        }
        let capture = json!({
            "id": capture_id,
            "status": "COMPLETED",
            "amount": amount_json(gross, &currency),
            "final_capture": true,
            "disbursement_mode": if delayed { "DELAYED" } else { "INSTANT" },
            "seller_protection": { "status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
            "seller_receivable_breakdown": breakdown,
            "create_time": now,
            "update_time": now,
            "supplementary_data": { "related_ids": { "order_id": order.id } },
            "links": [
                { "href": state.url(&format!("/v2/payments/captures/{capture_id}")), "rel": "self", "method": "GET" },
                { "href": state.url(&format!("/v2/payments/captures/{capture_id}/refund")), "rel": "refund", "method": "POST" },
                { "href": state.url(&format!("/v2/checkout/orders/{}", order.id)), "rel": "up", "method": "GET" }
            ]
        });
        unit["payments"] = json!({ "captures": [capture.clone()] });
        inner.captures.insert(
            capture_id,
            Capture {
                amount: gross,
                currency,
                refunded: Decimal::ZERO,
                delayed,
                payee_merchant_id: unit
                    .pointer("/payee/merchant_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                value: capture.clone(),
            },
        );
        captures.push(capture);
    }
    let stored = inner.orders.get_mut(&id).ok_or_else(order_not_found)?;
    stored.status = "COMPLETED";
    stored.purchase_units = units;
    stored.update_time = Some(now);
    let body = stored.full(&state);
    if let Some(key) = key {
        inner.capture_keys.insert(key, body.clone());
    }
    drop(inner);
    for capture in captures {
        let summary = format!(
            "Payment completed for {} {}",
            capture
                .pointer("/amount/value")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            capture
                .pointer("/amount/currency_code")
                .and_then(Value::as_str)
                .unwrap_or_default()
        );
        super::webhooks::emit(
            &state,
            "PAYMENT.CAPTURE.COMPLETED",
            "capture",
            &summary,
            capture,
        );
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

fn capture_not_found() -> ApiError {
    ApiError::not_found(
        "INVALID_RESOURCE_ID",
        "Specified resource ID does not exist. Please check the resource ID and try again.",
    )
}

async fn read_capture(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let capture = inner.captures.get(&id).ok_or_else(capture_not_found)?;
    Ok(axum::Json(capture.value.clone()).into_response())
}

async fn refund(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let key = request_id(&headers);
    let data = json_body(&body)?;
    let mut inner = state.lock();
    if let Some(previous) = key.as_ref().and_then(|k| inner.refund_keys.get(k)) {
        return Ok((StatusCode::OK, axum::Json(previous.clone())).into_response());
    }
    let capture = inner
        .captures
        .get(&id)
        .cloned()
        .ok_or_else(capture_not_found)?;
    let remaining = capture.amount - capture.refunded;
    if remaining <= Decimal::ZERO {
        return Err(ApiError::unprocessable(
            "CAPTURE_FULLY_REFUNDED",
            "The capture has already been fully refunded.",
        ));
    }
    let amount = match data.get("amount") {
        None => remaining,
        Some(a) => {
            if a.get("currency_code").and_then(Value::as_str) != Some(capture.currency.as_str()) {
                return Err(ApiError::unprocessable(
                    "REFUND_CURRENCY_MISMATCH",
                    "Refund must be in the same currency as the capture.",
                ));
            }
            let value = a
                .get("value")
                .and_then(Value::as_str)
                .and_then(|v| Decimal::from_str(v).ok());
            match value {
                Some(v) if v > Decimal::ZERO && v.scale() <= 2 => v,
                _ => {
                    return Err(ApiError::invalid_request(
                        "/amount/value",
                        "INVALID_PARAMETER_SYNTAX",
                        "The value of a field does not conform to the expected format.",
                    ));
                }
            }
        }
    };
    if amount > remaining {
        return Err(ApiError::unprocessable(
            "REFUND_AMOUNT_EXCEEDED",
            "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
        ));
    }
    let refund_id = inner.ids().upper(17);
    let now = clock::rfc3339(clock::now());
    let mut refund = json!({
        "id": refund_id,
        "status": "COMPLETED",
        "amount": amount_json(amount, &capture.currency),
        "create_time": now,
        "update_time": now,
        "links": [
            { "href": state.url(&format!("/v2/payments/refunds/{refund_id}")), "rel": "self", "method": "GET" },
            { "href": state.url(&format!("/v2/payments/captures/{id}")), "rel": "up", "method": "GET" }
        ]
    });
    for field in ["invoice_id", "note_to_payer", "custom_id"] {
        if let Some(v) = data.get(field) {
            refund[field] = v.clone();
        }
    }
    if let Some(fees) = data.pointer("/payment_instruction/platform_fees") {
        refund["seller_payable_breakdown"] = json!({ "platform_fees": fees });
    }
    if let Some(stored) = inner.captures.get_mut(&id) {
        stored.refunded += amount;
        let status = if stored.refunded >= stored.amount {
            "REFUNDED"
        } else {
            "PARTIALLY_REFUNDED"
        };
        stored.value["status"] = json!(status);
        stored.value["update_time"] = json!(now);
    }
    inner.refunds.insert(refund_id, refund.clone());
    if let Some(key) = key {
        inner.refund_keys.insert(key, refund.clone());
    }
    drop(inner);
    super::webhooks::emit(
        &state,
        "PAYMENT.CAPTURE.REFUNDED",
        "refund",
        "A capture was refunded",
        refund.clone(),
    );
    Ok((StatusCode::CREATED, axum::Json(refund)).into_response())
}

async fn read_refund(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let refund = inner.refunds.get(&id).ok_or_else(capture_not_found)?;
    Ok(axum::Json(refund.clone()).into_response())
}
