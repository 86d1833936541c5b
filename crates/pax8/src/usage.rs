//! Usage: `/usage-summaries/{id}`, its usage lines, and `/subscriptions/{id}/usage-summaries`.

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::call::Call;
use crate::client::Client;
use crate::dates::{Timestamp, format_date};
use crate::ids::{CompanyId, ProductId, SubscriptionId, UsageSummaryId};
use crate::page::{self, Direction, Page, Paging, paging_methods};

/// A month of metered usage of a subscription, per resource group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageSummary {
    /// The id.
    pub id: UsageSummaryId,
    /// The company (observed missing when listed through a subscription).
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// The subscription.
    #[serde(default)]
    pub subscription_id: Option<SubscriptionId>,
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The resource group.
    #[serde(default)]
    pub resource_group: Option<String>,
    /// The vendor.
    #[serde(default)]
    pub vendor_name: Option<String>,
    /// Charges this month.
    #[serde(default, with = "crate::money::option")]
    pub current_charges: Option<Decimal>,
    /// The ISO 4217 currency.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// Your total this month.
    #[serde(default, with = "crate::money::option")]
    pub partner_total: Option<Decimal>,
    /// Whether it is a trial.
    #[serde(default)]
    pub is_trial: Option<bool>,
}

/// One day's usage of one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageLine {
    /// The usage summary.
    #[serde(default)]
    pub usage_summary_id: Option<UsageSummaryId>,
    /// The day.
    #[serde(default)]
    pub usage_date: Option<Timestamp>,
    /// The product name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The unit.
    #[serde(default)]
    pub unit_of_measure: Option<String>,
    /// The quantity used.
    #[serde(default, with = "crate::money::option")]
    pub quantity: Option<Decimal>,
    /// The charges.
    #[serde(default, with = "crate::money::option")]
    pub current_charges: Option<Decimal>,
    /// Your profit.
    #[serde(default, with = "crate::money::option")]
    pub current_profit: Option<Decimal>,
    /// Your total.
    #[serde(default, with = "crate::money::option")]
    pub partner_total: Option<Decimal>,
    /// The unit price.
    #[serde(default, with = "crate::money::option")]
    pub unit_price: Option<Decimal>,
    /// The ISO 4217 currency.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// Whether it is a trial.
    #[serde(default)]
    pub is_trial: Option<bool>,
}

/// Fields usage summaries sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UsageSummarySort {
    /// `resourceGroup`.
    ResourceGroup,
    /// `currentCharges`.
    CurrentCharges,
    /// `partnerTotal`.
    PartnerTotal,
}

impl UsageSummarySort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSummarySort::ResourceGroup => "resourceGroup",
            UsageSummarySort::CurrentCharges => "currentCharges",
            UsageSummarySort::PartnerTotal => "partnerTotal",
        }
    }
}

/// The usage summaries API.
#[derive(Debug, Clone)]
pub struct UsageSummaries {
    client: Client,
}

impl UsageSummaries {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    fn url(&self, id: &UsageSummaryId, lines: bool) -> Result<Url, Error> {
        let id = Segment::id("usage_summary_id", id.as_str());
        if lines {
            self.client.rest_url(&[
                Segment::literal("usage-summaries"),
                id,
                Segment::literal("usage-lines"),
            ])
        } else {
            self.client
                .rest_url(&[Segment::literal("usage-summaries"), id])
        }
    }

    /// `GET /usage-summaries/{usageSummaryId}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<UsageSummaryId>) -> Call<UsageSummary> {
        Call::json(&self.client, self.url(&id.into(), false).map(Request::get))
    }

    /// `GET /usage-summaries/{usageSummaryId}/usage-lines?usageDate=YYYY-MM-DD` (the date is
    /// required). Paging works though the spec does not list it.
    pub fn usage_lines(&self, id: impl Into<UsageSummaryId>, usage_date: Date) -> ListUsageLines {
        ListUsageLines {
            client: self.client.clone(),
            url: self.url(&id.into(), true),
            query: UsageLineQuery {
                usage_date: format_date(usage_date),
                product_id: None,
            },
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// The usage summaries of a subscription (same as `Subscriptions::usage_summaries`).
    pub fn for_subscription(&self, id: impl Into<SubscriptionId>) -> ListUsageSummaries {
        let id = id.into();
        let url = self.client.rest_url(&[
            Segment::literal("subscriptions"),
            Segment::id("subscription_id", id.as_str()),
            Segment::literal("usage-summaries"),
        ]);
        ListUsageSummaries::new(self.client.clone(), url)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct UsageSummaryQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<CompanyId>,
}

/// `GET /subscriptions/{subscriptionId}/usage-summaries` with filters, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListUsageSummaries {
    client: Client,
    url: Result<Url, Error>,
    query: UsageSummaryQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListUsageSummaries {
    pub(crate) fn new(client: Client, url: Result<Url, Error>) -> Self {
        Self {
            client,
            url,
            query: UsageSummaryQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    paging_methods!();

    /// Sorts by `field` (`sort=partnerTotal,desc`).
    pub fn sort(mut self, field: UsageSummarySort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Only one resource group.
    pub fn resource_group(mut self, group: impl Into<String>) -> Self {
        self.query.resource_group = Some(group.into());
        self
    }

    /// Only one company.
    pub fn company_id(mut self, id: impl Into<CompanyId>) -> Self {
        self.query.company_id = Some(id.into());
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<UsageSummary>, Error> {
        page::send::<UsageSummary, _>(
            &self.client,
            self.url,
            &self.query,
            self.paging,
            self.options,
        )
        .await
    }

    /// Every usage summary of every page.
    pub fn stream(self) -> impl Stream<Item = Result<UsageSummary, Error>> + Send + 'static {
        page::stream::<UsageSummary, _>(
            self.client,
            self.url,
            self.query,
            self.paging,
            self.options,
        )
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct UsageLineQuery {
    usage_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<ProductId>,
}

/// `GET /usage-summaries/{id}/usage-lines` for one day, with paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListUsageLines {
    client: Client,
    url: Result<Url, Error>,
    query: UsageLineQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListUsageLines {
    paging_methods!();

    /// Only one product.
    pub fn product_id(mut self, id: impl Into<ProductId>) -> Self {
        self.query.product_id = Some(id.into());
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<UsageLine>, Error> {
        page::send::<UsageLine, _>(
            &self.client,
            self.url,
            &self.query,
            self.paging,
            self.options,
        )
        .await
    }

    /// Every usage line of every page.
    pub fn stream(self) -> impl Stream<Item = Result<UsageLine, Error>> + Send + 'static {
        page::stream::<UsageLine, _>(self.client, self.url, self.query, self.paging, self.options)
    }
}
