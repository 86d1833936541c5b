//! The instalment schedule of a payment series, as data or as Procuret's PDF.

use partner_core::Error;
use partner_core::bytes::Bytes;
use partner_core::http::{HeaderValue, header};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::validate;

/// The schedule of a payment series.
///
/// The shape of a line is fixed by no reference library, so lines and the total row are kept as
/// Procuret sent them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstalmentSchedule {
    /// The series.
    #[serde(default)]
    pub series_id: Option<String>,
    /// Whether the plan carries interest.
    #[serde(default)]
    pub has_interest: Option<bool>,
    /// One line per instalment.
    #[serde(default)]
    pub lines: Vec<serde_json::Value>,
    /// The totals.
    #[serde(default)]
    pub total_row: Option<serde_json::Value>,
}

/// Instalment-schedule lookups.
#[derive(Debug, Clone)]
pub struct InstalmentSchedules {
    client: Client,
}

impl InstalmentSchedules {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The schedule of series `series_id` (`GET /instalment-schedule?series_id=…`; Python's
    /// library sends `entity_id` here, which is a bug).
    ///
    /// # Errors
    ///
    /// A not-found error when there is none; [`Error::InvalidInput`] for an empty id.
    pub async fn get(&self, series_id: &str) -> Result<InstalmentSchedule, Error> {
        validate::identifier("series_id", series_id)?;
        let request = self
            .client
            .signed_get("instalment-schedule")?
            .query(&[("series_id", series_id)])?;
        self.client.send_json(request).await
    }

    /// The schedule as a PDF document (`GET /instalment-schedule/pdf?series_id=…`).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn pdf(&self, series_id: &str) -> Result<Bytes, Error> {
        validate::identifier("series_id", series_id)?;
        let request = self
            .client
            .signed_get("instalment-schedule/pdf")?
            .query(&[("series_id", series_id)])?
            .header(header::ACCEPT, HeaderValue::from_static("application/pdf"));
        Ok(self.client.execute(request).await?.body)
    }
}
