//! Pax8 sends `null` for empty lists in places; these read `null` as empty.

use serde::{Deserialize, Deserializer};

/// `#[serde(default, deserialize_with = "crate::nullable::vec")]`: `null` or missing -> empty.
pub(crate) fn vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}
