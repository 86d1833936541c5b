//! Term-rate groups: the rates a supplier's customers pay per term length.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount;
use crate::client::Client;
use crate::disposition::Disposition;
use crate::ids::{EntityId, TermRateGroupId};
use crate::lookup::Lookup;
use crate::timestamp::Timestamp;
use crate::validate;

/// A group of term rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TermRateGroup {
    /// The group's id.
    pub public_id: TermRateGroupId,
    /// Its rates.
    #[serde(default)]
    pub rates: Vec<TermRate>,
    /// When it was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// Whether it is in use.
    #[serde(default)]
    pub active: Option<bool>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

/// One rate: a term length for a supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TermRate {
    /// The supplier.
    #[serde(default)]
    pub supplier_entity_id: Option<EntityId>,
    /// The term, in periods (months).
    pub periods: u32,
    /// Periods per year.
    #[serde(
        default,
        deserialize_with = "amount::deserialize_option",
        serialize_with = "serialize_option_decimal"
    )]
    pub periods_in_year: Option<Decimal>,
}

fn serialize_option_decimal<S: serde::Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => amount::serialize(d, serializer),
        None => serializer.serialize_none(),
    }
}

/// Term-rate group lookups, from [`Client::term_rate_groups`].
#[derive(Debug, Clone)]
pub struct TermRateGroups {
    client: Client,
}

impl TermRateGroups {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The group (`GET /term-rate/group?public_id=…`); a missing one is a not-found error.
    pub fn get(&self, public_id: impl Into<TermRateGroupId>) -> Lookup<TermRateGroup> {
        let id = public_id.into();
        let checked = validate::identifier("public_id", id.as_str()).map(|()| id.to_string());
        Lookup::new(self.client.clone(), "term-rate/group", "public_id", checked)
    }
}
