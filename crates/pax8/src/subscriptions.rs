//! Subscriptions: `/subscriptions` (list, get, PUT update, cancel, history, usage summaries).

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
use crate::ids::{self, CommitmentTermId, CompanyId, ProductId, SubscriptionId};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use crate::products::{ProvisioningDetail, ProvisioningValue};
use crate::terms::BillingTerm;
use crate::usage::ListUsageSummaries;
use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// A subscription's status.
    pub enum SubscriptionStatus match_with exact {
        /// Provisioned.
        Active = "Active",
        /// Deprovisioned.
        Cancelled = "Cancelled",
        /// A manual provisioning task is pending.
        PendingManual = "PendingManual",
        /// An automated provisioning task is pending.
        PendingAutomated = "PendingAutomated",
        /// Deprovisioning is pending.
        PendingCancel = "PendingCancel",
        /// Provisioning details are missing.
        WaitingForDetails = "WaitingForDetails",
        /// A trial.
        Trial = "Trial",
        /// Converted from a trial.
        Converted = "Converted",
        /// Needs activation.
        PendingActivation = "PendingActivation",
        /// Activated.
        Activated = "Activated",
    }
}

/// The commitment a subscription is under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubscriptionCommitment {
    /// The commitment term id.
    #[serde(default)]
    pub id: Option<CommitmentTermId>,
    /// The length (`Annual`, `3-Year`…).
    #[serde(default)]
    pub term: Option<BillingTerm>,
    /// When it ends.
    #[serde(default)]
    pub end_date: Option<Timestamp>,
}

/// A subscription.
// `remote = "Self"` turns the derives into inherent functions, wrapped below so that a payload carrying
// both `commitment` and `commitmentTerm` decodes instead of failing as a duplicate field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Subscription {
    /// The id.
    pub id: SubscriptionId,
    /// The subscription this one depends on.
    #[serde(default)]
    pub parent_subscription_id: Option<SubscriptionId>,
    /// The company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The product name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// The vendor's id of the subscription (for Microsoft, the commerce subscription id in Graph).
    #[serde(default)]
    pub vendor_subscription_id: Option<String>,
    /// The vendor's SKU id (for Microsoft, Graph's `subscribedSkus.skuId`). Only `get` returns it.
    #[serde(default)]
    pub vendor_sku_id: Option<String>,
    /// The quantity.
    #[serde(default, with = "crate::money::option")]
    pub quantity: Option<Decimal>,
    /// When it starts.
    #[serde(default)]
    pub start_date: Option<Timestamp>,
    /// When it ends.
    #[serde(default)]
    pub end_date: Option<Timestamp>,
    /// When it was created.
    #[serde(default)]
    pub created_date: Option<Timestamp>,
    /// When it last changed.
    #[serde(default)]
    pub updated_date: Option<Timestamp>,
    /// When billing starts (a date).
    #[serde(default)]
    pub billing_start: Option<Timestamp>,
    /// The status.
    #[serde(default)]
    pub status: Option<SubscriptionStatus>,
    /// The customer price.
    #[serde(default, with = "crate::money::option")]
    pub price: Option<Decimal>,
    /// Your cost.
    #[serde(default, with = "crate::money::option")]
    pub partner_cost: Option<Decimal>,
    /// The ISO 4217 currency.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// The billing term.
    #[serde(default)]
    pub billing_term: Option<BillingTerm>,
    /// The provisioning values (`key` and `values`; Pax8 may add the detail's label and type).
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub provisioning_details: Vec<ProvisioningDetail>,
    /// The commitment; `None` for monthly subscriptions. The wire calls it `commitment`, the spec
    /// `commitmentTerm`: both are read (and when both come, a non-null `commitment` wins).
    #[serde(default)]
    pub commitment: Option<SubscriptionCommitment>,
}

impl<'de> Deserialize<'de> for Subscription {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        if let Some(spec_name) = map.remove("commitmentTerm") {
            let wire_has_it = map.get("commitment").is_some_and(|v| !v.is_null());
            if !wire_has_it {
                map.insert("commitment".into(), spec_name);
            }
        }
        Subscription::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)
    }
}

impl Serialize for Subscription {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Subscription::serialize(self, serializer)
    }
}

/// A change to a subscription (`PUT /subscriptions/{id}`): only the fields set are sent, and one of
/// price, billing term, quantity or start date must be.
///
/// Pax8 does not support changing future-dated subscriptions, and replaces `provisioningDetails`
/// whole when it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubscriptionUpdate {
    /// The new quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// The new customer price (sent as a JSON number).
    #[serde(skip_serializing_if = "Option::is_none", with = "crate::money::option")]
    pub price: Option<Decimal>,
    /// The new billing term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_term: Option<BillingTerm>,
    /// The new start date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Timestamp>,
    /// The new end date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Timestamp>,
    /// The currency of `price`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Replaces all provisioning values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_details: Option<Vec<ProvisioningValue>>,
}

impl SubscriptionUpdate {
    /// A builder of an update (at least one of quantity, price, billing term or start date).
    pub fn builder() -> SubscriptionUpdateBuilder {
        SubscriptionUpdateBuilder(Self::default())
    }

    fn check(&self) -> Result<(), Error> {
        if self.quantity.is_none()
            && self.price.is_none()
            && self.billing_term.is_none()
            && self.start_date.is_none()
        {
            return Err(Error::invalid_input(
                "update",
                "set at least one of quantity, price, billing_term or start_date",
            ));
        }
        if self.quantity == Some(0) {
            return Err(Error::invalid_input(
                "quantity",
                "must be a whole number above zero (cancel the subscription instead)",
            ));
        }
        if self.price.is_some_and(|p| p.is_sign_negative()) {
            return Err(Error::invalid_input("price", "must not be negative"));
        }
        Ok(())
    }
}

/// Builds a [`SubscriptionUpdate`]; [`build`](SubscriptionUpdateBuilder::build) checks it.
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the checked value"]
pub struct SubscriptionUpdateBuilder(SubscriptionUpdate);

impl SubscriptionUpdateBuilder {
    /// Sets the quantity (a whole number above zero).
    pub fn quantity(mut self, quantity: u32) -> Self {
        self.0.quantity = Some(quantity);
        self
    }

    /// Sets the customer price.
    pub fn price(mut self, price: Decimal) -> Self {
        self.0.price = Some(price);
        self
    }

    /// Sets the billing term.
    pub fn billing_term(mut self, term: BillingTerm) -> Self {
        self.0.billing_term = Some(term);
        self
    }

    /// Sets the start date.
    pub fn start_date(mut self, date: impl Into<Timestamp>) -> Self {
        self.0.start_date = Some(date.into());
        self
    }

    /// Sets the end date.
    pub fn end_date(mut self, date: impl Into<Timestamp>) -> Self {
        self.0.end_date = Some(date.into());
        self
    }

    /// Sets the currency of the price.
    pub fn currency_code(mut self, code: impl Into<String>) -> Self {
        self.0.currency_code = Some(code.into());
        self
    }

    /// Replaces the provisioning values.
    pub fn provisioning_details(mut self, values: Vec<ProvisioningValue>) -> Self {
        self.0.provisioning_details = Some(values);
        self
    }

    /// Checks the value and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong.
    pub fn build(self) -> Result<SubscriptionUpdate, Error> {
        self.0.check()?;
        Ok(self.0)
    }
}

/// Fields `GET /subscriptions` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubscriptionSort {
    /// `quantity`.
    Quantity,
    /// `startDate`.
    StartDate,
    /// `endDate`.
    EndDate,
    /// `createdDate`.
    CreatedDate,
    /// `billingStart`.
    BillingStart,
    /// `price`.
    Price,
}

impl SubscriptionSort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionSort::Quantity => "quantity",
            SubscriptionSort::StartDate => "startDate",
            SubscriptionSort::EndDate => "endDate",
            SubscriptionSort::CreatedDate => "createdDate",
            SubscriptionSort::BillingStart => "billingStart",
            SubscriptionSort::Price => "price",
        }
    }
}

/// The subscriptions API.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    client: Client,
}

impl Subscriptions {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    fn url(&self, id: &SubscriptionId, tail: Option<&'static str>) -> Result<Url, Error> {
        let id = Segment::id("subscription_id", id.as_str());
        match tail {
            None => self
                .client
                .rest_url(&[Segment::literal("subscriptions"), id]),
            Some(tail) => self.client.rest_url(&[
                Segment::literal("subscriptions"),
                id,
                Segment::literal(tail),
            ]),
        }
    }

    /// `GET /subscriptions`: a list builder.
    pub fn list(&self) -> ListSubscriptions {
        ListSubscriptions {
            client: self.client.clone(),
            query: SubscriptionQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /subscriptions/{subscriptionId}` (the only call that returns `vendorSkuId`).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<SubscriptionId>) -> Call<Subscription> {
        Call::json(&self.client, self.url(&id.into(), None).map(Request::get))
    }

    /// `PUT /subscriptions/{subscriptionId}` with only the fields set in `update`.
    ///
    /// Idempotent (a PUT): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, an empty update or a
    /// zero quantity, and with the API's errors (Pax8 refuses, for example, a quantity decrease
    /// during a commitment).
    pub fn update(
        &self,
        id: impl Into<SubscriptionId>,
        update: &SubscriptionUpdate,
    ) -> Call<Subscription> {
        let request = self.url(&id.into(), None).and_then(|url| {
            update.check()?;
            Ok(Request::put(url).json(update)?)
        });
        Call::json(&self.client, request)
    }

    /// `DELETE /subscriptions/{subscriptionId}`: cancels, on `cancel_date` when given (sent as
    /// `YYYY-MM-DDT00:00:00Z`), else as soon as Pax8 allows.
    ///
    /// Idempotent (a DELETE): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn cancel(&self, id: impl Into<SubscriptionId>, cancel_date: Option<Date>) -> Call<()> {
        let request = self.url(&id.into(), None).map(|url| {
            let request = Request::delete(url);
            match cancel_date {
                Some(date) => {
                    request.query_pair("cancelDate", &format!("{}T00:00:00Z", format_date(date)))
                }
                None => request,
            }
        });
        Call::empty(&self.client, request)
    }

    /// `GET /subscriptions/{subscriptionId}/history`: every version of the subscription.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn history(&self, id: impl Into<SubscriptionId>) -> Call<Vec<Subscription>> {
        let url = self.url(&id.into(), Some("history"));
        Call::content(&self.client, url.map(Request::get))
    }

    /// `GET /subscriptions/{subscriptionId}/usage-summaries`: a list builder.
    pub fn usage_summaries(&self, id: impl Into<SubscriptionId>) -> ListUsageSummaries {
        let url = self.url(&id.into(), Some("usage-summaries"));
        ListUsageSummaries::new(self.client.clone(), url)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<SubscriptionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_term: Option<BillingTerm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<CompanyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<ProductId>,
}

/// `GET /subscriptions` with filters, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListSubscriptions {
    client: Client,
    query: SubscriptionQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListSubscriptions {
    paging_methods!();

    /// Sorts by `field` (`sort=startDate,desc`).
    pub fn sort(mut self, field: SubscriptionSort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Only subscriptions with `status`.
    pub fn status(mut self, status: SubscriptionStatus) -> Self {
        self.query.status = Some(status);
        self
    }

    /// Only subscriptions billed per `term`.
    pub fn billing_term(mut self, term: BillingTerm) -> Self {
        self.query.billing_term = Some(term);
        self
    }

    /// Only subscriptions of a company.
    pub fn company_id(mut self, id: impl Into<CompanyId>) -> Self {
        self.query.company_id = Some(id.into());
        self
    }

    /// Only subscriptions of a product.
    pub fn product_id(mut self, id: impl Into<ProductId>) -> Self {
        self.query.product_id = Some(id.into());
        self
    }

    fn url(&self) -> Result<Url, Error> {
        ids::require_if_set("company_id", self.query.company_id.as_ref())?;
        ids::require_if_set("product_id", self.query.product_id.as_ref())?;
        self.client.rest_url(&[Segment::literal("subscriptions")])
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty company or product id or a page size over 200; the API's
    /// errors.
    pub async fn send(self) -> Result<Page<Subscription>, Error> {
        let url = self.url();
        page::send::<Subscription, _>(&self.client, url, &self.query, self.paging, self.options)
            .await
    }

    /// Every subscription of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Subscription, Error>> + Send + 'static {
        let url = self.url();
        page::stream::<Subscription, _>(self.client, url, self.query, self.paging, self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_under_either_name() {
        let wire: Subscription = serde_json::from_str(
            r#"{"id":"s","commitment":{"id":"c","term":"Annual","endDate":"2025-01-01"}}"#,
        )
        .unwrap();
        let spec: Subscription = serde_json::from_str(
            r#"{"id":"s","commitmentTerm":{"id":"c","term":"Annual","endDate":"2025-01-01"}}"#,
        )
        .unwrap();
        assert_eq!(wire.commitment, spec.commitment);
        assert_eq!(wire.commitment.unwrap().term, Some(BillingTerm::Annual));
        let monthly: Subscription =
            serde_json::from_str(r#"{"id":"s","commitment":null}"#).unwrap();
        assert!(monthly.commitment.is_none());
    }

    #[test]
    fn update_needs_a_change() {
        assert!(SubscriptionUpdate::builder().build().is_err());
        assert!(SubscriptionUpdate::builder().quantity(0).build().is_err());
        assert!(SubscriptionUpdate::builder().quantity(3).build().is_ok());
        let update = SubscriptionUpdate::builder()
            .quantity(11)
            .price(Decimal::new(1539, 2))
            .build()
            .unwrap();
        let json = serde_json::to_value(update).unwrap();
        assert_eq!(json, serde_json::json!({"quantity": 11, "price": 15.39}));
    }
}
