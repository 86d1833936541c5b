//! Procuret's list metadata.

use serde::{Deserialize, Serialize};

/// Where an object sits in the list it came from (`{sequence, count, limit, offset}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Disposition {
    /// The object's position in the full list.
    #[serde(default)]
    pub sequence: Option<u64>,
    /// How many objects the full list holds.
    #[serde(default)]
    pub count: Option<u64>,
    /// The page size that was asked for.
    #[serde(default)]
    pub limit: Option<u64>,
    /// The offset that was asked for.
    #[serde(default)]
    pub offset: Option<u64>,
}
