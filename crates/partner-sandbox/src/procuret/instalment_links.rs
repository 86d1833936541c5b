//! Instalment links: create, list, retrieve, open.

use std::str::FromStr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::paging::{Params, Window, parse_bool, parse_num};
use super::{ACCOUNTS, ApiError, Authed, MaybeAuthed, State};
use crate::clock;
use crate::seed::Ids;

/// A stored instalment link.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    public_id: String,
    created: OffsetDateTime,
    supplier_id: u64,
    invoice_amount: String,
    denomination_id: i64,
    invitee_email: Option<String>,
    invitee_phone_digits: Option<String>,
    invoice_identifier: Option<String>,
    opens: Vec<Value>,
    sale_name: i64,
    communicate: bool,
}

impl Link {
    fn json(&self) -> Value {
        let supplier_name = ACCOUNTS
            .iter()
            .find(|a| a.supplier_id == self.supplier_id)
            .map(|a| a.supplier_name)
            .unwrap_or("Supplier");
        json!({
            "public_id": self.public_id,
            "created": clock::procuret_time(self.created),
            "supplier": { "entity_id": self.supplier_id, "legal_entity_name": supplier_name },
            "invoice_amount": self.invoice_amount,
            "denomination_id": self.denomination_id,
            "invitee_email": self.invitee_email,
            "invitee_phone_digits": self.invitee_phone_digits,
            "invitee_human_id": null,
            "invoice_identifier": self.invoice_identifier,
            "opens": self.opens,
            "sale_name": self.sale_name,
            "allow_edit": false,
            "mode": 1,
            "communicate": self.communicate,
        })
    }
}

/// Seeded links: a few per supplier, some already opened.
pub(super) fn seed(ids: &mut Ids) -> Vec<Link> {
    let amounts = [
        "422.42", "1500.00", "980.50", "12500.00", "640.00", "2300.75", "5100.00",
    ];
    let mut links = Vec::new();
    for (i, amount) in amounts.iter().enumerate() {
        let account = if i < 5 { &ACCOUNTS[0] } else { &ACCOUNTS[1] };
        let created = clock::at(clock::SEED_EPOCH + (i as i64) * 86_400 + 3_600);
        let opened = i % 2 == 0;
        links.push(Link {
            public_id: ids.alnum(10),
            created,
            supplier_id: account.supplier_id,
            invoice_amount: (*amount).to_owned(),
            denomination_id: if i < 5 { 1 } else { 2 },
            invitee_email: Some(format!("accounts+{i}@customer-{i}.example.com")),
            invitee_phone_digits: None,
            invoice_identifier: Some(format!("INV-{:04}", 1001 + i)),
            opens: if opened {
                vec![json!({ "sequence": 1, "created": clock::procuret_time(created + time::Duration::hours(5)) })]
            } else {
                Vec::new()
            },
            sale_name: 1,
            communicate: true,
        });
    }
    links
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/instalment-link", post(create).get(retrieve))
        .route("/instalment-link/list", get(list))
        .route("/instalment-link/open", post(open))
}

/// A positive amount in plain decimal notation, as a JSON string (`"422.42"`): no sign, no exponent,
/// no more than 2 significant decimal places.
fn parse_amount(value: Option<&Value>) -> Result<String, ApiError> {
    let text = value
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("invoice_amount must be a decimal string"))?;
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.matches('.').count() <= 1
        && !text.starts_with('.')
        && !text.ends_with('.');
    if !plain {
        return Err(ApiError::bad_request(format!(
            "invoice_amount '{text}' is not a plain decimal number"
        )));
    }
    let amount = Decimal::from_str(text)
        .map_err(|_| ApiError::bad_request("invoice_amount is not a number"))?;
    if amount <= Decimal::ZERO {
        return Err(ApiError::bad_request("invoice_amount must be positive"));
    }
    if amount.normalize().scale() > 2 {
        return Err(ApiError::bad_request(
            "invoice_amount has more than 2 decimal places",
        ));
    }
    Ok(text.to_owned())
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    Authed(session): Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("The request body is not valid JSON"))?;
    let supplier_id = body
        .get("supplier_id")
        .and_then(Value::as_u64)
        .ok_or_else(|| ApiError::bad_request("supplier_id must be an integer"))?;
    if supplier_id != session.supplier_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Not authorised to act for this supplier",
        ));
    }
    let invoice_amount = parse_amount(body.get("invoice_amount"))?;
    let invitee_email = body
        .get("invitee_email")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if invitee_email.as_deref().is_some_and(|e| !e.contains('@')) {
        return Err(ApiError::bad_request(
            "invitee_email is not an email address",
        ));
    }
    let communicate = match body.get("communicate") {
        Some(Value::Bool(b)) => *b,
        // .NET sends the strings "true"/"false".
        Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
        _ => return Err(ApiError::bad_request("communicate must be a boolean")),
    };
    let denomination_id = body
        .get("denomination")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    if !(1..=2).contains(&denomination_id) {
        return Err(ApiError::bad_request("Unknown denomination"));
    }
    let mut inner = state.lock();
    let link = Link {
        public_id: inner.ids.alnum(10),
        created: clock::now(),
        supplier_id,
        invoice_amount,
        denomination_id,
        invitee_email,
        invitee_phone_digits: body
            .get("invitee_phone")
            .and_then(Value::as_str)
            .map(str::to_owned),
        invoice_identifier: body
            .get("invoice_identifier")
            .and_then(Value::as_str)
            .map(str::to_owned),
        opens: Vec::new(),
        sale_name: body
            .get("nomenclature")
            .and_then(Value::as_i64)
            .unwrap_or(1),
        communicate,
    };
    let json = link.json();
    inner.links.push(link);
    Ok((StatusCode::OK, axum::Json(json)).into_response())
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    Authed(session): Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let window = Window::from_query(&q)?;
    let supplier_id: u64 = parse_num(&q, "supplier_id", session.supplier_id)?;
    if supplier_id != session.supplier_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Not authorised to read this supplier's links",
        ));
    }
    let opened = parse_bool(&q, "opened")?;
    let inner = state.lock();
    let matching = inner
        .links
        .iter()
        .filter(|l| l.supplier_id == supplier_id)
        .filter(|l| opened.is_none_or(|o| o != l.opens.is_empty()))
        .filter(|l| q.get("public_id").is_none_or(|p| *p == l.public_id))
        .map(|l| (l.created, l.json()))
        .collect();
    Ok(axum::Json(window.page(matching)).into_response())
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "No such instalment link")
}

async fn retrieve(
    AxState(state): AxState<Arc<State>>,
    Authed(session): Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let public_id = q
        .get("public_id")
        .ok_or_else(|| ApiError::bad_request("public_id is required"))?;
    let inner = state.lock();
    let link = inner
        .links
        .iter()
        .find(|l| &l.public_id == public_id && l.supplier_id == session.supplier_id)
        .ok_or_else(not_found)?;
    Ok(axum::Json(link.json()).into_response())
}

/// Records that the customer opened the link (no session needed: the customer is not the supplier).
async fn open(
    AxState(state): AxState<Arc<State>>,
    _auth: MaybeAuthed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("The request body is not valid JSON"))?;
    let link_id = body
        .get("link_id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("link_id is required"))?;
    let mut inner = state.lock();
    let link = inner
        .links
        .iter_mut()
        .find(|l| l.public_id == link_id)
        .ok_or_else(not_found)?;
    let sequence = link.opens.len() + 1;
    link.opens
        .push(json!({ "sequence": sequence, "created": clock::procuret_time(clock::now()) }));
    Ok(axum::Json(link.json()).into_response())
}
