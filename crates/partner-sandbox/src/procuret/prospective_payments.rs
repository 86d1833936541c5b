//! `GET /credit/prospective-payment` and `GET /credit/prospective-payment/list`: instalment previews.
//!
//! The sandbox prices every supplier at 14.9 % a year, compounded monthly, over 3 to 36 months; cycle 1
//! (ADVANCE) pays each instalment a month earlier than cycle 2 (ARREARS), so it is discounted by one period.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{ACCOUNTS, ApiError, MaybeAuthed, State};
use crate::seed::money_string;

/// Terms the sandbox offers, in months.
pub(super) const PERIODS: [u32; 6] = [3, 6, 12, 18, 24, 36];
/// The minimum principal (stated by the JS client).
const MINIMUM_PRINCIPAL: u32 = 500;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/credit/prospective-payment", get(single))
        .route("/credit/prospective-payment/list", get(list))
}

fn currency(denomination: i64) -> Value {
    match denomination {
        2 => {
            json!({ "indexid": 2, "name": "New Zealand Dollar", "iso_4217": "NZD", "exponent": 2, "symbol": "$" })
        }
        _ => {
            json!({ "indexid": 1, "name": "Australian Dollar", "iso_4217": "AUD", "exponent": 2, "symbol": "$" })
        }
    }
}

/// The monthly payment for `principal` over `periods` months.
pub(super) fn payment(principal: Decimal, periods: u32, cycle: i64) -> Decimal {
    let rate = Decimal::new(149, 3) / Decimal::from(12);
    let mut growth = Decimal::ONE;
    for _ in 0..periods {
        growth *= Decimal::ONE + rate;
    }
    let arrears = principal * rate * growth / (growth - Decimal::ONE);
    let due = if cycle == 1 {
        arrears / (Decimal::ONE + rate)
    } else {
        arrears
    };
    due.round_dp(2)
}

struct Params {
    cycle: i64,
    supplier_id: u64,
    principal: Decimal,
    denomination: i64,
}

fn params(q: &HashMap<String, String>, principal_names: &[&str]) -> Result<Params, ApiError> {
    let cycle = match q.get("cycle").map(String::as_str) {
        Some("1") => 1,
        Some("2") => 2,
        _ => {
            return Err(ApiError::bad_request(
                "cycle must be 1 (ADVANCE) or 2 (ARREARS)",
            ));
        }
    };
    let supplier_id: u64 = q
        .get("supplier_id")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_request("supplier_id must be an integer"))?;
    if !ACCOUNTS.iter().any(|a| a.supplier_id == supplier_id) {
        return Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "Unknown supplier",
        ));
    }
    let raw = principal_names
        .iter()
        .find_map(|n| q.get(*n))
        .ok_or_else(|| ApiError::bad_request(format!("{} is required", principal_names[0])))?;
    let principal = Decimal::from_str(raw)
        .ok()
        .filter(|_| raw.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| ApiError::bad_request("principle must be a plain decimal number"))?;
    if principal < Decimal::from(MINIMUM_PRINCIPAL) {
        return Err(ApiError::bad_request(format!(
            "principle must be at least {MINIMUM_PRINCIPAL}"
        )));
    }
    let denomination = match q.get("denomination").map(String::as_str) {
        None | Some("1") => 1,
        Some("2") => 2,
        Some(_) => return Err(ApiError::bad_request("Unknown denomination")),
    };
    Ok(Params {
        cycle,
        supplier_id,
        principal,
        denomination,
    })
}

fn quote(p: &Params, periods: u32) -> Value {
    json!({
        "payment": money_string(payment(p.principal, periods, p.cycle)),
        "cycle": p.cycle,
        "supplier_id": p.supplier_id,
        "periods": periods,
        "currency": currency(p.denomination),
    })
}

async fn single(
    _auth: MaybeAuthed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let p = params(&q, &["principle"])?;
    let periods: u32 = q
        .get("periods")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_request("periods must be an integer"))?;
    if !PERIODS.contains(&periods) {
        return Err(ApiError::bad_request(format!(
            "periods must be one of {PERIODS:?}"
        )));
    }
    Ok(axum::Json(quote(&p, periods)).into_response())
}

/// Accepts `principle` (.NET) and `principal_magnitude` (JS): which one the real server honours is unknown.
async fn list(
    AxState(_state): AxState<Arc<State>>,
    _auth: MaybeAuthed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let p = params(&q, &["principle", "principal_magnitude"])?;
    let quotes: Vec<Value> = PERIODS.iter().map(|n| quote(&p, *n)).collect();
    Ok(axum::Json(Value::Array(quotes)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annuity_payment() {
        // 10 000 over 12 months at 14.9 %/year: 902.11 in arrears (standard annuity formula).
        assert_eq!(payment(Decimal::from(10_000), 12, 2).to_string(), "902.11");
        assert!(payment(Decimal::from(10_000), 12, 1) < payment(Decimal::from(10_000), 12, 2));
    }
}
