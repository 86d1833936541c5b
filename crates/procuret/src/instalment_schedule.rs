//! The instalment schedule of a payment series, as data or as Procuret's PDF.

use partner_core::bytes::Bytes;
use partner_core::http::{HeaderValue, header};
use partner_core::{Error, RequestOptions};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::ids::PaymentSeriesId;
use crate::lookup::Lookup;
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
    pub series_id: Option<PaymentSeriesId>,
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

/// Instalment-schedule lookups, from [`Client::instalment_schedules`].
#[derive(Debug, Clone)]
pub struct InstalmentSchedules {
    client: Client,
}

impl InstalmentSchedules {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The schedule of series `series_id` (`GET /instalment-schedule?series_id=…`; Python's
    /// library sends `entity_id` here, which is a bug). A missing one is a not-found error.
    pub fn get(&self, series_id: impl Into<PaymentSeriesId>) -> Lookup<InstalmentSchedule> {
        let checked = checked(series_id.into());
        Lookup::new(
            self.client.clone(),
            "instalment-schedule",
            "series_id",
            checked,
        )
    }

    /// The schedule as a PDF document (`GET /instalment-schedule/pdf?series_id=…`).
    pub fn pdf(&self, series_id: impl Into<PaymentSeriesId>) -> InstalmentSchedulePdf {
        InstalmentSchedulePdf {
            client: self.client.clone(),
            series_id: checked(series_id.into()),
            options: RequestOptions::default(),
        }
    }
}

fn checked(series_id: PaymentSeriesId) -> Result<String, Error> {
    validate::identifier("series_id", series_id.as_str())?;
    Ok(series_id.into_string())
}

/// Fetches a schedule as a PDF document, from [`InstalmentSchedules::pdf`].
#[derive(Debug)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct InstalmentSchedulePdf {
    client: Client,
    series_id: Result<String, Error>,
    options: RequestOptions,
}

impl InstalmentSchedulePdf {
    partner_core::call_options!(options);

    /// Fetches the document.
    ///
    /// # Errors
    ///
    /// As [`Lookup::send`].
    pub async fn send(self) -> Result<Bytes, Error> {
        let series_id = self.series_id?;
        let request = self
            .client
            .signed_get("instalment-schedule/pdf")?
            .query(&[("series_id", series_id)])?
            .header(header::ACCEPT, HeaderValue::from_static("application/pdf"))
            .options(&self.options);
        Ok(self.client.execute(request).await?.body)
    }
}
