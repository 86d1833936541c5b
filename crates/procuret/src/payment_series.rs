//! Payment series: the instalment plans behind taken-up links.

use futures_core::Stream;
use partner_core::Error;
use partner_core::pagination;
use partner_core::request::RequestOptions;
use serde::{Deserialize, Serialize};

use crate::Page;
use crate::amount::Amount;
use crate::client::Client;
use crate::disposition::Disposition;
use crate::entities::EntityHeadline;
use crate::enums::{Order, OrderBy, PaymentMechanism};
use crate::ids::{AgentId, EntityId, ExchangeId, PaymentMethodId, PaymentSeriesId};
use crate::paging::{Listed, Window};
use crate::timestamp::Timestamp;
use crate::validate;

/// A payment series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentSeries {
    /// The series id (what instalment schedules are looked up by).
    pub public_id: PaymentSeriesId,
    /// When it was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// The agent that created it.
    #[serde(default)]
    pub creating_agent: Option<AgentId>,
    /// The payment method, as Procuret sent it.
    #[serde(default)]
    pub payment_method: Option<serde_json::Value>,
    /// The paying business.
    #[serde(default)]
    pub customer: Option<EntityHeadline>,
    /// The supplier.
    #[serde(default)]
    pub supplier: Option<EntityHeadline>,
    /// The exchange (setup) id, which finds the [`Commitment`](crate::entities::Commitment).
    #[serde(default)]
    pub exchange_id: Option<ExchangeId>,
    /// The financed amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// What has been paid so far.
    #[serde(default)]
    pub sum_payments: Option<Amount>,
    /// What is payable in total.
    #[serde(default)]
    pub total_payable: Option<Amount>,
    /// The supplier's identifier (invoice number…).
    #[serde(default)]
    pub identifier: Option<String>,
    /// How it is collected.
    #[serde(default)]
    pub mechanism: Option<PaymentMechanism>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

impl Listed for PaymentSeries {
    fn disposition(&self) -> Option<&Disposition> {
        self.disposition.as_ref()
    }
}

/// Payment-series operations, from [`Client::payment_series`]. ("Series" is its own plural, so
/// the handle is named for the collection.)
#[derive(Debug, Clone)]
pub struct PaymentSeriesCollection {
    client: Client,
}

impl PaymentSeriesCollection {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Lists series (`GET /payment/series/list`), one page with `.send()`, all with `.stream()`.
    pub fn list(&self) -> ListPaymentSeries {
        ListPaymentSeries {
            client: self.client.clone(),
            query: ListQuery {
                limit: 0,
                offset: 0,
                order: Order::default(),
                order_by: OrderBy::default(),
                any_fragment: None,
                business_id: None,
                method_id: None,
                public_id: None,
                completed: None,
                payment_mechanism: None,
                has_overdue_instalment: None,
                min_overdue_days: None,
                max_overdue_days: None,
            },
            window: Window::new(),
            options: RequestOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct ListQuery {
    limit: u64,
    offset: u64,
    order: Order,
    order_by: OrderBy,
    #[serde(skip_serializing_if = "Option::is_none")]
    any_fragment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    business_id: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method_id: Option<PaymentMethodId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_id: Option<PaymentSeriesId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_mechanism: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_overdue_instalment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_overdue_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_overdue_days: Option<u32>,
}

/// Builds `GET /payment/series/list`.
///
/// The first four filters are those of Procuret's Python library; `completed`, `payment_mechanism`
/// and the overdue filters come from its Swift app library.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` or `.stream()` is used"]
pub struct ListPaymentSeries {
    client: Client,
    query: ListQuery,
    window: Window,
    options: RequestOptions,
}

impl ListPaymentSeries {
    partner_core::call_options!(options);

    /// Only series matching this text anywhere (`any_fragment`).
    pub fn text(mut self, fragment: impl Into<String>) -> Self {
        self.query.any_fragment = Some(fragment.into());
        self
    }

    /// Only series of this business.
    pub fn business_id(mut self, business_id: impl Into<EntityId>) -> Self {
        self.query.business_id = Some(business_id.into());
        self
    }

    /// Only series paid by this payment method.
    pub fn method_id(mut self, method_id: impl Into<PaymentMethodId>) -> Self {
        self.query.method_id = Some(method_id.into());
        self
    }

    /// Only the series with this id.
    pub fn public_id(mut self, public_id: impl Into<PaymentSeriesId>) -> Self {
        self.query.public_id = Some(public_id.into());
        self
    }

    /// Only completed (`true`) or running (`false`) series.
    pub fn completed(mut self, completed: bool) -> Self {
        self.query.completed = Some(completed);
        self
    }

    /// Only series collected this way.
    pub fn payment_mechanism(mut self, mechanism: PaymentMechanism) -> Self {
        self.query.payment_mechanism = Some(mechanism.as_i64());
        self
    }

    /// Only series with (`true`) or without (`false`) an overdue instalment.
    pub fn has_overdue_instalment(mut self, overdue: bool) -> Self {
        self.query.has_overdue_instalment = Some(overdue);
        self
    }

    /// Only series overdue by at least `days`.
    pub fn min_overdue_days(mut self, days: u32) -> Self {
        self.query.min_overdue_days = Some(days);
        self
    }

    /// Only series overdue by at most `days`.
    pub fn max_overdue_days(mut self, days: u32) -> Self {
        self.query.max_overdue_days = Some(days);
        self
    }

    /// The sort (default oldest first by creation).
    pub fn sort(mut self, order_by: OrderBy, order: Order) -> Self {
        self.query.order_by = order_by;
        self.query.order = order;
        self
    }

    /// The page size (default 20).
    pub fn limit(mut self, limit: u64) -> Self {
        self.window.limit = limit;
        self
    }

    /// Where to start (default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.window.offset = offset;
        self
    }

    /// How many pages [`stream`](Self::stream) may fetch at once (default 1, one after the other).
    /// Above 1, the count Procuret states with the first page fixes how many pages there are.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.window.prefetch = pages.max(1);
        self
    }

    fn check(&self) -> Result<(), Error> {
        self.window.check()?;
        for (field, value) in [
            ("any_fragment", self.query.any_fragment.as_deref()),
            (
                "method_id",
                self.query.method_id.as_ref().map(|id| id.as_str()),
            ),
            (
                "public_id",
                self.query.public_id.as_ref().map(|id| id.as_str()),
            ),
        ] {
            if let Some(value) = value {
                validate::identifier(field, value)?;
            }
        }
        if let Some(id) = self.query.business_id {
            validate::id("business_id", id.get())?;
        }
        if let (Some(min), Some(max)) = (self.query.min_overdue_days, self.query.max_overdue_days)
            && min > max
        {
            return Err(Error::invalid_input(
                "min_overdue_days",
                "must not exceed max_overdue_days",
            ));
        }
        self.client.require_session()
    }

    async fn fetch(
        client: Client,
        mut query: ListQuery,
        options: RequestOptions,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<PaymentSeries>, Error> {
        query.limit = limit;
        query.offset = offset;
        let request = client
            .signed_get("payment/series/list")?
            .query(&query)?
            .options(&options);
        client.send_json(request).await
    }

    /// One page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a zero limit, an empty filter, min > max or a client without a
    /// session; the API's errors.
    pub async fn send(self) -> Result<Page<PaymentSeries>, Error> {
        self.check()?;
        let window = self.window;
        let items = Self::fetch(
            self.client,
            self.query,
            self.options,
            window.limit,
            window.offset,
        )
        .await?;
        Ok(window.page(items, 0))
    }

    /// Every series of every page from the offset on, fetched as the stream is read.
    pub fn stream(self) -> impl Stream<Item = Result<PaymentSeries, Error>> + Send {
        let checked = self.check();
        let Self {
            client,
            query,
            window,
            options,
        } = self;
        let pages = window.pages(move |offset| {
            let (client, query, options) = (client.clone(), query.clone(), options.clone());
            let checked = checked.clone();
            async move {
                checked?;
                Self::fetch(client, query, options, window.limit, offset).await
            }
        });
        pagination::items(pages)
    }
}
