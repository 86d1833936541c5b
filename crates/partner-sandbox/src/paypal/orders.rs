//! Orders v2 (create with `PayPal-Request-Id` idempotency, get, update by JSON patch before completion,
//! confirm the payment source, buyer approval page, authorize, capture), captures and refunds.

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

use super::json_patch::{self, orders_error as patch_error};
use super::{
    ApiError, Authed, HelperError, Inner, State, auth_assertion, json_body, remember, replay,
    request_id, wants_representation,
};
use crate::clock;
use crate::seed::money_string;

/// A stored order.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(super) id: String,
    pub(super) status: &'static str,
    pub(super) intent: String,
    pub(super) purchase_units: Vec<Value>,
    payment_source: Option<Value>,
    payer: Option<Value>,
    return_url: Option<String>,
    create_time: String,
    pub(super) update_time: Option<String>,
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
        .route("/v2/checkout/orders/{id}", get(read).patch(update))
        .route(
            "/v2/checkout/orders/{id}/confirm-payment-source",
            post(confirm_payment_source),
        )
        .route("/v2/checkout/orders/{id}/authorize", post(authorize))
        .route("/v2/checkout/orders/{id}/capture", post(capture))
        .route("/checkoutnow", get(approve_page).post(approve_submit))
        .route("/v2/payments/captures/{id}", get(read_capture))
        .route("/v2/payments/captures/{id}/refund", post(refund))
        .route("/v2/payments/refunds/{id}", get(read_refund))
}

impl Order {
    fn links(&self, state: &State) -> Value {
        let mut links = vec![json!({
            "href": state.url(&format!("/v2/checkout/orders/{}", self.id)), "rel": "self", "method": "GET"
        })];
        let buyer_rel = match self.status {
            "CREATED" => Some("approve"),
            "PAYER_ACTION_REQUIRED" => Some("payer-action"),
            _ => None,
        };
        if let Some(rel) = buyer_rel {
            links.push(json!({
                "href": state.url(&format!("/checkoutnow?token={}", self.id)), "rel": rel, "method": "GET"
            }));
        }
        if self.status != "COMPLETED" {
            links.push(json!({
                "href": state.url(&format!("/v2/checkout/orders/{}", self.id)), "rel": "update", "method": "PATCH"
            }));
            // The action that completes the order follows its intent.
            let action = if self.intent == "AUTHORIZE" {
                "authorize"
            } else {
                "capture"
            };
            links.push(json!({
                "href": state.url(&format!("/v2/checkout/orders/{}/{action}", self.id)),
                "rel": action,
                "method": "POST"
            }));
        }
        Value::Array(links)
    }

    pub(super) fn full(&self, state: &State) -> Value {
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
        create_time: clock::rfc3339(state.now()),
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

async fn read(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let order = inner
        .orders
        .get(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    Ok(axum::Json(order.full(&state)).into_response())
}

/// Marks an order approved by a simulated buyer.
pub(super) fn approve(state: &State, id: &str) -> Result<(), HelperError> {
    let mut inner = state.lock();
    let payer_id = inner.ids().paypal_account_id();
    let now = clock::rfc3339(state.now());
    let order = inner.orders.get_mut(id).ok_or(HelperError::UnknownOrder)?;
    if order.status != "CREATED" && order.status != "PAYER_ACTION_REQUIRED" {
        return Err(HelperError::NotApprovable(order.status.to_owned()));
    }
    order.status = "APPROVED";
    order.update_time = Some(now);
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
    let order = inner
        .orders
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
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
    let now = clock::rfc3339(state.now());
    let mut units = order.purchase_units.clone();
    let mut captures = Vec::new();
    for (i, unit) in units.iter_mut().enumerate() {
        let (gross, currency) = parse_amount(unit, i)?;
        let capture = record_capture(
            &state,
            &mut inner,
            NewCapture {
                order_id: &order.id,
                authorization_id: None,
                gross,
                currency: &currency,
                platform_fees: platform_fees_of(unit),
                delayed: disbursement_of(unit, None),
                final_capture: true,
                payee: payee_of(unit),
                references: references_of(unit),
            },
        );
        unit["payments"] = json!({ "captures": [capture.clone()] });
        captures.push(capture);
    }
    let stored = inner
        .orders
        .get_mut(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    stored.status = "COMPLETED";
    stored.purchase_units = units;
    stored.update_time = Some(now);
    let body = stored.full(&state);
    if let Some(key) = key {
        inner.capture_keys.insert(key, body.clone());
    }
    drop(inner);
    for capture in captures {
        emit_capture_completed(&state, capture);
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// Sends `PAYMENT.CAPTURE.COMPLETED` for a new capture.
pub(super) fn emit_capture_completed(state: &Arc<State>, capture: Value) {
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
    super::webhook_events::emit(
        state,
        "PAYMENT.CAPTURE.COMPLETED",
        "capture",
        &summary,
        capture,
    );
}

/// The platform fees of a purchase unit's payment instruction.
pub(super) fn platform_fees_of(unit: &Value) -> Vec<Value> {
    unit.pointer("/payment_instruction/platform_fees")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Whether funds are held (`DELAYED`): `requested` (a capture's own instruction) wins over the unit's.
pub(super) fn disbursement_of(unit: &Value, requested: Option<&Value>) -> bool {
    requested
        .and_then(|r| r.pointer("/payment_instruction/disbursement_mode"))
        .or_else(|| unit.pointer("/payment_instruction/disbursement_mode"))
        .and_then(Value::as_str)
        == Some("DELAYED")
}

/// The payee merchant id of a purchase unit.
pub(super) fn payee_of(unit: &Value) -> Option<String> {
    unit.pointer("/payee/merchant_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The caller's references a purchase unit hands on to its payments.
pub(super) fn references_of(unit: &Value) -> Vec<(&'static str, Value)> {
    ["invoice_id", "custom_id"]
        .into_iter()
        .filter_map(|field| unit.get(field).map(|v| (field, v.clone())))
        .collect()
}

/// The sum of platform fee amounts, `None` when one is not a decimal.
pub(super) fn platform_total(fees: &[Value]) -> Option<Decimal> {
    fees.iter()
        .map(|f| {
            f.pointer("/amount/value")
                .and_then(Value::as_str)
                .and_then(|v| Decimal::from_str(v).ok())
        })
        .sum()
}

/// What a new capture is made of.
pub(super) struct NewCapture<'a> {
    pub(super) order_id: &'a str,
    /// The authorization captured, for a capture of an `AUTHORIZE` order.
    pub(super) authorization_id: Option<&'a str>,
    pub(super) gross: Decimal,
    pub(super) currency: &'a str,
    pub(super) platform_fees: Vec<Value>,
    pub(super) delayed: bool,
    pub(super) final_capture: bool,
    pub(super) payee: Option<String>,
    /// `invoice_id`, `custom_id`, `note_to_payer`, as given.
    pub(super) references: Vec<(&'static str, Value)>,
}

/// Records a completed capture (for refunds and referenced payouts) and returns its JSON. The fee is
/// the sandbox's 3.49% + 0.49; the net is what is left after it and the platform fees.
pub(super) fn record_capture(state: &State, inner: &mut Inner, new: NewCapture<'_>) -> Value {
    let now = clock::rfc3339(state.now());
    let capture_id = inner.ids().upper(17);
    let currency = new.currency;
    let fee = (new.gross * Decimal::new(349, 4) + Decimal::new(49, 2)).round_dp(2);
    let platform = platform_total(&new.platform_fees).unwrap_or_default();
    let mut breakdown = json!({
        "gross_amount": amount_json(new.gross, currency),
        "paypal_fee": amount_json(fee, currency),
        "net_amount": amount_json(new.gross - fee - platform, currency),
    });
    if !new.platform_fees.is_empty() {
        breakdown["platform_fees"] = Value::Array(new.platform_fees);
    }
    let mut related = json!({ "order_id": new.order_id });
    let mut links = vec![
        json!({ "href": state.url(&format!("/v2/payments/captures/{capture_id}")), "rel": "self", "method": "GET" }),
        json!({ "href": state.url(&format!("/v2/payments/captures/{capture_id}/refund")), "rel": "refund", "method": "POST" }),
    ];
    match new.authorization_id {
        Some(auth) => {
            related["authorization_id"] = json!(auth);
            links.push(json!({ "href": state.url(&format!("/v2/payments/authorizations/{auth}")), "rel": "up", "method": "GET" }));
        }
        None => links.push(json!({ "href": state.url(&format!("/v2/checkout/orders/{}", new.order_id)), "rel": "up", "method": "GET" })),
    }
    let mut capture = json!({
        "id": capture_id,
        "status": "COMPLETED",
        "amount": amount_json(new.gross, currency),
        "final_capture": new.final_capture,
        "disbursement_mode": if new.delayed { "DELAYED" } else { "INSTANT" },
        "seller_protection": { "status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
        "seller_receivable_breakdown": breakdown,
        "create_time": now,
        "update_time": now,
        "supplementary_data": { "related_ids": related },
        "links": links,
    });
    for (field, value) in new.references {
        capture[field] = value;
    }
    if let Some(payee) = &new.payee {
        capture["payee"] = json!({ "merchant_id": payee });
    }
    inner.captures.insert(
        capture_id,
        Capture {
            amount: new.gross,
            currency: currency.to_owned(),
            refunded: Decimal::ZERO,
            delayed: new.delayed,
            payee_merchant_id: new.payee,
            value: capture.clone(),
        },
    );
    capture
}

async fn read_capture(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let capture = inner
        .captures
        .get(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
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
        .ok_or_else(ApiError::invalid_resource_id)?;
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
    let now = clock::rfc3339(state.now());
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
    super::webhook_events::emit(
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
    let refund = inner
        .refunds
        .get(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    Ok(axum::Json(refund.clone()).into_response())
}

/// Refuses an action on an order that is already completed, with the issue its intent names.
fn completed_issue(order: &Order) -> ApiError {
    if order.intent == "AUTHORIZE" {
        ApiError::unprocessable(
            "ORDER_ALREADY_AUTHORIZED",
            "Order already authorized. If 'intent=AUTHORIZE' only one authorization per order is allowed.",
        )
    } else {
        ApiError::unprocessable(
            "ORDER_ALREADY_CAPTURED",
            "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.",
        )
    }
}

/// `orders.authorize`: an approved `AUTHORIZE` order gets one authorization per purchase unit and
/// becomes `COMPLETED`; the authorizations are then captured, voided or reauthorized through
/// Payments v2 (see `authorizations.rs`).
async fn authorize(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    json_body(&body)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = replay(&inner, "orders.authorize", key.as_deref()) {
        return Ok(previous);
    }
    let order = inner
        .orders
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    if order.intent != "AUTHORIZE" {
        return Err(ApiError::unprocessable(
            "ACTION_DOES_NOT_MATCH_INTENT",
            "Order was created with an intent to 'CAPTURE'. Please use capture.",
        ));
    }
    match order.status {
        "APPROVED" => {}
        "COMPLETED" => return Err(completed_issue(&order)),
        _ => {
            return Err(ApiError::unprocessable(
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            ));
        }
    }
    let mut units = order.purchase_units.clone();
    let mut created = Vec::new();
    for (i, unit) in units.iter_mut().enumerate() {
        let (amount, currency) = parse_amount(unit, i)?;
        let authorization = super::authorizations::create(
            &state,
            &mut inner,
            super::authorizations::NewAuthorization {
                order_id: &order.id,
                unit_index: i,
                amount,
                currency: &currency,
                unit,
                reauthorized_from: None,
            },
        );
        unit["payments"] = json!({ "authorizations": [authorization.clone()] });
        created.push(authorization);
    }
    let stored = inner
        .orders
        .get_mut(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    stored.status = "COMPLETED";
    stored.purchase_units = units;
    stored.update_time = Some(clock::rfc3339(state.now()));
    let body = stored.full(&state);
    remember(&mut inner, "orders.authorize", key, Some(body.clone()));
    drop(inner);
    for authorization in created {
        super::webhook_events::emit(
            &state,
            "PAYMENT.AUTHORIZATION.CREATED",
            "authorization",
            "A payment authorization was created",
            authorization,
        );
    }
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// The purchase unit a patch path names, `@reference_id=='X'` as PayPal writes it, or an index.
fn unit_index(units: &[Value], selector: &str) -> Option<usize> {
    if let Some(reference) = selector
        .strip_prefix("@reference_id==")
        .map(|r| r.trim_matches(|c| c == '\'' || c == '"'))
    {
        return units.iter().position(|u| u["reference_id"] == reference);
    }
    selector.parse().ok().filter(|i| *i < units.len())
}

/// What a purchase unit lets a patch change (PayPal's list, less the shipping-callback fields and
/// the payee, whose change the sandbox would have to check against the onboarded sellers).
const PATCHABLE_UNIT_FIELDS: &[&str] = &[
    "amount",
    "description",
    "custom_id",
    "invoice_id",
    "soft_descriptor",
    "payment_instruction",
    "shipping",
    "items",
];

fn not_patchable() -> ApiError {
    ApiError::unprocessable("NOT_PATCHABLE", "Cannot be patched.")
}

/// `orders.patch`: applies the operations to a `CREATED`, `PAYER_ACTION_REQUIRED` or `APPROVED` order,
/// all or none: the result must still be a valid order (amounts, platform fees no larger than the
/// amount). A completed order is refused with `ORDER_ALREADY_COMPLETED`.
async fn update(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let ops = json_patch::parse(&data).map_err(patch_error)?;
    let mut inner = state.lock();
    let order = inner
        .orders
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    if order.status == "COMPLETED" {
        return Err(ApiError::unprocessable(
            "ORDER_ALREADY_COMPLETED",
            "The order cannot be patched after it is completed.",
        ));
    }
    let mut units = order.purchase_units.clone();
    let mut intent = order.intent.clone();
    for op in &ops {
        match op.path.as_slice() {
            [field] if field == "intent" => match op.value.as_ref().and_then(Value::as_str) {
                Some(v @ ("CAPTURE" | "AUTHORIZE")) if op.op == json_patch::Op::Replace => {
                    intent = v.to_owned();
                }
                _ => {
                    return Err(ApiError::unprocessable(
                        "UNSUPPORTED_PATCH_PARAMETER_VALUE",
                        "The value specified for this field is not currently supported.",
                    ));
                }
            },
            [root, selector, field, ..] if root == "purchase_units" => {
                if !PATCHABLE_UNIT_FIELDS.contains(&field.as_str()) {
                    return Err(not_patchable());
                }
                let at = unit_index(&units, selector).ok_or_else(|| {
                    ApiError::unprocessable(
                        "REFERENCE_ID_NOT_FOUND",
                        "Filter expression value is incorrect. Please check the value of the reference_id in 'path'.",
                    )
                })?;
                json_patch::apply(&mut units[at], &op.path[2..], op).map_err(patch_error)?;
            }
            _ => return Err(not_patchable()),
        }
    }
    for (i, unit) in units.iter().enumerate() {
        let (amount, currency) = parse_amount(unit, i)?;
        let fees = platform_fees_of(unit);
        let total = platform_total(&fees);
        let foreign = fees
            .iter()
            .any(|f| f.pointer("/amount/currency_code").and_then(Value::as_str) != Some(&currency));
        if total.is_none_or(|t| t > amount) || foreign {
            return Err(ApiError::unprocessable(
                "INVALID_PLATFORM_FEES_AMOUNT",
                "The platform_fees amount cannot be greater than the order amount and must be in its currency.",
            ));
        }
    }
    let stored = inner
        .orders
        .get_mut(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    stored.purchase_units = units;
    stored.intent = intent;
    stored.update_time = Some(clock::rfc3339(state.now()));
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A card's brand from its number's first digit, as far as the sandbox tells them apart.
fn card_brand(number: &str) -> &'static str {
    match number.chars().next() {
        Some('4') => "VISA",
        Some('5' | '2') => "MASTERCARD",
        Some('3') => "AMEX",
        Some('6') => "DISCOVER",
        _ => "UNKNOWN",
    }
}

/// `orders.confirm`: the buyer's payment source, given by the partner. A `paypal` source sends the
/// order to `PAYER_ACTION_REQUIRED` (the buyer logs in through the `payer-action` link); a `card`
/// source approves it at once and is kept as brand, last digits and expiry only. Other sources are
/// not enabled in the sandbox.
async fn confirm_payment_source(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let mut inner = state.lock();
    let order = inner
        .orders
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    match order.status {
        "CREATED" | "PAYER_ACTION_REQUIRED" => {}
        "COMPLETED" => return Err(completed_issue(&order)),
        _ => {
            return Err(ApiError::unprocessable(
                "PAYMENT_ALREADY_APPROVED",
                "Payment has already been approved. Please capture or authorize the order.",
            ));
        }
    }
    let sources = data
        .get("payment_source")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut sources = sources.into_iter();
    let (kind, source) = match (sources.next(), sources.next()) {
        (None, _) => {
            return Err(ApiError::unprocessable(
                "NO_PAYMENT_SOURCE_PROVIDED",
                "At least one payment source must be provided.",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::unprocessable(
                "ONLY_ONE_PAYMENT_SOURCE_ALLOWED",
                "More than one payment source is not supported.",
            ));
        }
        (Some(one), None) => one,
    };
    let (status, shown) = match kind.as_str() {
        "paypal" => {
            let mut shown = source.clone();
            if let Some(map) = shown.as_object_mut() {
                map.remove("experience_context");
            }
            ("PAYER_ACTION_REQUIRED", shown)
        }
        "card" => {
            let number = source.get("number").and_then(Value::as_str).unwrap_or("");
            if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ApiError::unprocessable(
                    "CARD_NUMBER_REQUIRED",
                    "The card number is required when attempting to process payment with card.",
                ));
            }
            let Some(expiry) = source.get("expiry").and_then(Value::as_str) else {
                return Err(ApiError::unprocessable(
                    "CARD_EXPIRY_REQUIRED",
                    "The card expiry is required when attempting to process payment with card.",
                ));
            };
            let mut shown = json!({
                "last_digits": &number[number.len() - 4..],
                "brand": card_brand(number),
                "type": "CREDIT",
                "expiry": expiry,
            });
            if let Some(name) = source.get("name") {
                shown["name"] = name.clone();
            }
            ("APPROVED", shown)
        }
        _ => {
            return Err(ApiError::unprocessable(
                "NOT_ENABLED_FOR_PAYMENT_SOURCE",
                "The sandbox confirms paypal and card payment sources only.",
            ));
        }
    };
    let return_url = source
        .pointer("/experience_context/return_url")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let stored = inner
        .orders
        .get_mut(&id)
        .ok_or_else(ApiError::invalid_resource_id)?;
    stored.status = status;
    stored.payment_source = Some(json!({ kind: shown }));
    if return_url.is_some() {
        stored.return_url = return_url;
    }
    stored.update_time = Some(clock::rfc3339(state.now()));
    Ok(axum::Json(stored.full(&state)).into_response())
}
