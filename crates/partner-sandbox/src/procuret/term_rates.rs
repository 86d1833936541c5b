//! `GET /term-rate/group?public_id=`: the term rates a supplier's customers may choose from.
//!
//! Each seeded supplier has one active group offering every term the sandbox prices
//! (those of the prospective payments, monthly); the first supplier also has an
//! older, inactive group. A group is visible only to its supplier's sessions: any other id is a 404.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::paging::Params;
use super::prospective_payments::PERIODS;
use super::{ACCOUNTS, ApiError, Authed, State};
use crate::clock;
use crate::seed::Ids;

/// A seeded term-rate group.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) public_id: String,
    pub(crate) supplier_id: u64,
    created: OffsetDateTime,
    active: bool,
    periods: Vec<u32>,
}

impl Group {
    fn json(&self) -> Value {
        let rates: Vec<Value> = self
            .periods
            .iter()
            .map(|periods| {
                json!({
                    "supplier_entity_id": self.supplier_id,
                    "periods": periods,
                    "periods_in_year": "12",
                })
            })
            .collect();
        json!({
            "public_id": self.public_id,
            "rates": rates,
            "created": clock::procuret_time(self.created),
            "active": self.active,
            "disposition": null,
        })
    }
}

/// One active group per supplier, and an inactive one with fewer terms for the first.
pub(super) fn seed(ids: &mut Ids) -> Vec<Group> {
    let mut groups: Vec<Group> = ACCOUNTS
        .iter()
        .enumerate()
        .map(|(i, account)| Group {
            public_id: ids.alnum(10),
            supplier_id: account.supplier_id,
            created: clock::at(clock::SEED_EPOCH - 86_400 * (10 + i as i64)),
            active: true,
            periods: PERIODS.to_vec(),
        })
        .collect();
    groups.push(Group {
        public_id: ids.alnum(10),
        supplier_id: ACCOUNTS[0].supplier_id,
        created: clock::at(clock::SEED_EPOCH - 86_400 * 400),
        active: false,
        periods: vec![6, 12],
    });
    groups
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new().route("/term-rate/group", get(retrieve))
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
    let group = inner
        .term_rate_groups
        .iter()
        .find(|g| &g.public_id == public_id && g.supplier_id == session.supplier_id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "No such term rate group"))?;
    Ok(axum::Json(group.json()).into_response())
}
