//! `GET /payment/series/list`: the instalment plans customers took up, with the filters of
//! Procuret's Python (`any_fragment`, `business_id`, `method_id`, `public_id`) and Swift
//! (`completed`, `payment_mechanism`, `has_overdue_instalment`, `min/max_overdue_days`) libraries.
//!
//! Series are seeded: six for the first supplier (AUD), two for the second (NZD). Their instalments
//! are priced like the prospective payments (14.9 % a year, in arrears), so `total_payable` is the
//! instalment times the term and `sum_payments` the instalment times the instalments paid.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::paging::{Params, Window, parse_bool, parse_opt};
use super::prospective_payments::payment;
use super::{ACCOUNTS, ApiError, Authed, ProcuretAccount, State};
use crate::clock;
use crate::seed::{Ids, money_string};

/// A paying business: entity id and legal name.
type Customer = (u64, &'static str);

const CUSTOMERS: [Customer; 4] = [
    (700_100_200_001, "Harbour Cafe Pty Ltd"),
    (700_100_200_002, "Bright Dental Pty Ltd"),
    (700_100_200_003, "Outback Freight Pty Ltd"),
    (700_100_200_004, "Wellington Print Ltd"),
];

/// One seeded series: account, customer, principal in cents, term, instalments paid, mechanism,
/// days overdue.
struct Plan {
    account: usize,
    customer: usize,
    cents: i64,
    periods: u32,
    paid: u32,
    mechanism: i64,
    overdue_days: u32,
}

const fn plan(row: [i64; 7]) -> Plan {
    Plan {
        account: row[0] as usize,
        customer: row[1] as usize,
        cents: row[2],
        periods: row[3] as u32,
        paid: row[4] as u32,
        mechanism: row[5],
        overdue_days: row[6] as u32,
    }
}

const PLANS: [Plan; 8] = [
    plan([0, 0, 150_000, 6, 6, 1, 0]),
    plan([0, 1, 1_250_000, 12, 4, 1, 0]),
    plan([0, 0, 98_050, 3, 1, 3, 12]),
    plan([0, 2, 510_000, 24, 10, 2, 0]),
    plan([0, 1, 230_075, 12, 2, 1, 45]),
    plan([0, 2, 64_000, 3, 3, 3, 0]),
    plan([1, 3, 420_000, 18, 5, 1, 0]),
    plan([1, 3, 80_000, 6, 0, 1, 3]),
];

/// A stored payment series.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) public_id: String,
    created: OffsetDateTime,
    account: &'static ProcuretAccount,
    customer: Customer,
    method_id: String,
    exchange_id: String,
    principal: Decimal,
    periods: u32,
    paid: u32,
    identifier: String,
    mechanism: i64,
    overdue_days: u32,
}

impl Series {
    pub(crate) fn supplier_id(&self) -> u64 {
        self.account.supplier_id
    }

    fn denomination(&self) -> i64 {
        if self.account.supplier_id == ACCOUNTS[0].supplier_id {
            1
        } else {
            2
        }
    }

    fn amount(&self, magnitude: Decimal) -> Value {
        json!({ "magnitude": money_string(magnitude), "denomination": self.denomination() })
    }

    fn completed(&self) -> bool {
        self.paid >= self.periods
    }

    fn json(&self) -> Value {
        let instalment = payment(self.principal, self.periods, 2);
        json!({
            "public_id": self.public_id,
            "created": clock::procuret_time(self.created),
            "creating_agent": self.account.agent_id,
            "payment_method": { "public_id": self.method_id },
            "customer": { "entity_id": self.customer.0, "legal_entity_name": self.customer.1 },
            "supplier": {
                "entity_id": self.account.supplier_id,
                "legal_entity_name": self.account.supplier_name,
            },
            "exchange_id": self.exchange_id,
            "amount": self.amount(self.principal),
            "sum_payments": self.amount(instalment * Decimal::from(self.paid)),
            "total_payable": self.amount(instalment * Decimal::from(self.periods)),
            "identifier": self.identifier,
            "mechanism": self.mechanism,
        })
    }
}

/// The seeded series; each customer pays every series by one payment method.
pub(super) fn seed(ids: &mut Ids) -> Vec<Series> {
    let methods: Vec<String> = CUSTOMERS
        .iter()
        .map(|_| format!("pm_{}", ids.alnum(12)))
        .collect();
    PLANS
        .iter()
        .enumerate()
        .map(|(i, p)| Series {
            public_id: ids.alnum(12),
            created: clock::at(clock::SEED_EPOCH + (i as i64) * 3 * 86_400 + 7_200),
            account: &ACCOUNTS[p.account],
            customer: CUSTOMERS[p.customer],
            method_id: methods[p.customer].clone(),
            exchange_id: ids.alnum(16),
            principal: Decimal::new(p.cents, 2),
            periods: p.periods,
            paid: p.paid,
            identifier: format!("INV-{}", 2001 + i),
            mechanism: p.mechanism,
            overdue_days: p.overdue_days,
        })
        .collect()
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new().route("/payment/series/list", get(list))
}

/// The list's filters, each `None` when the request leaves it out.
struct Filters {
    fragment: Option<String>,
    business_id: Option<u64>,
    method_id: Option<String>,
    public_id: Option<String>,
    completed: Option<bool>,
    mechanism: Option<i64>,
    overdue: Option<bool>,
    min_overdue_days: Option<u32>,
    max_overdue_days: Option<u32>,
}

impl Filters {
    fn from_query(q: &Params) -> Result<Self, ApiError> {
        let text = |name: &str| q.get(name).cloned();
        let filters = Filters {
            // Procuret's Swift library calls the text filter `fragment`.
            fragment: text("any_fragment")
                .or_else(|| text("fragment"))
                .map(|f| f.to_lowercase()),
            business_id: parse_opt(q, "business_id")?,
            method_id: text("method_id"),
            public_id: text("public_id"),
            completed: parse_bool(q, "completed")?,
            mechanism: parse_opt(q, "payment_mechanism")?,
            overdue: parse_bool(q, "has_overdue_instalment")?,
            min_overdue_days: parse_opt(q, "min_overdue_days")?,
            max_overdue_days: parse_opt(q, "max_overdue_days")?,
        };
        if let (Some(min), Some(max)) = (filters.min_overdue_days, filters.max_overdue_days)
            && min > max
        {
            return Err(ApiError::bad_request(
                "min_overdue_days must not exceed max_overdue_days",
            ));
        }
        Ok(filters)
    }

    fn text_matches(&self, s: &Series) -> bool {
        self.fragment.as_deref().is_none_or(|f| {
            [&s.public_id, &s.identifier, &s.exchange_id, s.customer.1]
                .iter()
                .any(|field| field.to_lowercase().contains(f))
        })
    }

    fn ids_match(&self, s: &Series) -> bool {
        self.business_id.is_none_or(|id| id == s.customer.0)
            && self.method_id.as_ref().is_none_or(|id| *id == s.method_id)
            && self.public_id.as_ref().is_none_or(|id| *id == s.public_id)
    }

    fn state_matches(&self, s: &Series) -> bool {
        self.completed.is_none_or(|c| c == s.completed())
            && self.mechanism.is_none_or(|m| m == s.mechanism)
            && self.overdue.is_none_or(|o| o == (s.overdue_days > 0))
            && self.min_overdue_days.is_none_or(|d| s.overdue_days >= d)
            && self.max_overdue_days.is_none_or(|d| s.overdue_days <= d)
    }

    fn matches(&self, s: &Series) -> bool {
        self.text_matches(s) && self.ids_match(s) && self.state_matches(s)
    }
}

/// The session's supplier's series that pass every filter, one page of them.
async fn list(
    AxState(state): AxState<Arc<State>>,
    Authed(session): Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let window = Window::from_query(&q)?;
    let filters = Filters::from_query(&q)?;
    let inner = state.lock();
    let matching = inner
        .payment_series
        .iter()
        .filter(|s| s.supplier_id() == session.supplier_id && filters.matches(s))
        .map(|s| (s.created, s.json()))
        .collect();
    Ok(axum::Json(window.page(matching)).into_response())
}
