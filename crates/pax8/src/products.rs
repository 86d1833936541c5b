//! The catalogue: `/products` (list, get, provision details, dependencies, pricing).

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::client::Client;
use crate::ids::{self, CommitmentTermId, CompanyId, ProductId};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use crate::terms::BillingTerm;
use partner_core::wire_enum::{exact, ignore_case};

/// A product of the catalogue (list form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Product {
    /// The id.
    pub id: ProductId,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The vendor.
    #[serde(default)]
    pub vendor_name: Option<String>,
    /// A short description.
    #[serde(default)]
    pub short_description: Option<String>,
    /// Pax8's SKU.
    #[serde(default)]
    pub sku: Option<String>,
    /// The vendor's SKU. For Microsoft it may be a JSON document or `productId:skuId`; see
    /// [`Product::microsoft_sku`].
    #[serde(default)]
    pub vendor_sku: Option<String>,
    /// Deprecated by Pax8: use `vendor_sku`.
    #[serde(default)]
    pub alt_vendor_sku: Option<String>,
    /// Whether an order needs a commitment term id.
    #[serde(default)]
    pub requires_commitment: Option<bool>,
}

/// A product with its long description (`GET /products/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductDetail {
    /// The id.
    pub id: ProductId,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The vendor.
    #[serde(default)]
    pub vendor_name: Option<String>,
    /// A short description.
    #[serde(default)]
    pub short_description: Option<String>,
    /// The long description.
    #[serde(default)]
    pub description: Option<String>,
    /// Pax8's SKU.
    #[serde(default)]
    pub sku: Option<String>,
    /// The vendor's SKU.
    #[serde(default)]
    pub vendor_sku: Option<String>,
    /// Deprecated by Pax8: use `vendor_sku`.
    #[serde(default)]
    pub alt_vendor_sku: Option<String>,
    /// Whether an order needs a commitment term id.
    #[serde(default)]
    pub requires_commitment: Option<bool>,
}

/// Microsoft's identifiers packed in a `vendorSku`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MicrosoftSku {
    /// The Microsoft product id.
    pub product_id: String,
    /// The Microsoft SKU id.
    pub sku_id: String,
    /// The segment (`commercial`…), when given.
    pub segment: Option<String>,
}

impl MicrosoftSku {
    /// Reads `{"productId","skuId","segment"|"segmentName"}` or `productId:skuId`.
    pub fn parse(vendor_sku: &str) -> Option<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Doc {
            product_id: String,
            sku_id: String,
            #[serde(default, alias = "segmentName")]
            segment: Option<String>,
        }
        let text = vendor_sku.trim();
        if text.starts_with('{') {
            let doc: Doc = serde_json::from_str(text).ok()?;
            return Some(Self {
                product_id: doc.product_id,
                sku_id: doc.sku_id,
                segment: doc.segment,
            });
        }
        let (product, sku) = text.split_once(':')?;
        (!product.is_empty() && !sku.is_empty()).then(|| Self {
            product_id: product.to_owned(),
            sku_id: sku.to_owned(),
            segment: None,
        })
    }
}

impl Product {
    /// The Microsoft product and SKU ids, when `vendorSku` carries them.
    pub fn microsoft_sku(&self) -> Option<MicrosoftSku> {
        self.vendor_sku.as_deref().and_then(MicrosoftSku::parse)
    }
}

impl ProductDetail {
    /// The Microsoft product and SKU ids, when `vendorSku` carries them.
    pub fn microsoft_sku(&self) -> Option<MicrosoftSku> {
        self.vendor_sku.as_deref().and_then(MicrosoftSku::parse)
    }
}

partner_core::string_enum! {
    /// How a provisioning value is entered.
    pub enum ValueType match_with exact {
        /// Free text.
        Input = "Input",
        /// One of `possible_values`.
        SingleValue = "Single-Value",
        /// Several of `possible_values`.
        MultiValue = "Multi-Value",
    }
}

/// A value a product needs when ordered (`GET /products/{id}/provision-details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProvisioningDetail {
    /// The label to show.
    #[serde(default)]
    pub label: Option<String>,
    /// The key to send back.
    pub key: String,
    /// Help text.
    #[serde(default)]
    pub description: Option<String>,
    /// How the value is entered.
    #[serde(default)]
    pub value_type: Option<ValueType>,
    /// The choices (`None` for `Input`).
    #[serde(default)]
    pub possible_values: Option<Vec<String>>,
    /// Values, where Pax8 echoes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Observed on some products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_shell_template_id: Option<String>,
}

/// A provisioning value sent with an order or a subscription update: only `{key, values}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProvisioningValue {
    /// The key, from [`ProvisioningDetail::key`].
    pub key: String,
    /// The values.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub values: Vec<String>,
}

impl ProvisioningValue {
    /// A key with values.
    pub fn new<I, S>(key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            key: key.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

/// A commitment term a product offers (`commitmentDependencies`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Commitment {
    /// The id to send as a line item's `commitmentTermId`.
    pub id: CommitmentTermId,
    /// The length (`Annual`, `3-Year`…).
    #[serde(default)]
    pub term: Option<BillingTerm>,
    /// Whether it renews by itself.
    #[serde(default)]
    pub auto_renew: Option<bool>,
    /// Days before the end when the renewal window opens.
    #[serde(default, with = "crate::money::option")]
    pub renewal_window_days_before_term_end: Option<Decimal>,
    /// Days after the end when the renewal window closes.
    #[serde(default, with = "crate::money::option")]
    pub renewal_window_days_after_term_end: Option<Decimal>,
    /// Whether the quantity may go up during the term.
    #[serde(default)]
    pub allow_for_quantity_increase: Option<bool>,
    /// Whether the quantity may go down during the term.
    #[serde(default)]
    pub allow_for_quantity_decrease: Option<bool>,
    /// Whether it may be cancelled early.
    #[serde(default)]
    pub allow_for_early_cancellation: Option<bool>,
    /// Whether cancelling costs a fee.
    #[serde(default)]
    pub cancellation_fee_applied: Option<bool>,
    /// Whether it can move to another company.
    #[serde(default)]
    pub is_transferable: Option<bool>,
}

/// Products another product requires or allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductDependency {
    /// The constraint (`Requires`…).
    #[serde(default)]
    pub name: Option<String>,
    /// Products that satisfy it.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub products: Vec<Product>,
}

/// `GET /products/{id}/dependencies`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Dependencies {
    /// The commitment terms on offer.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub commitment_dependencies: Vec<Commitment>,
    /// Product constraints.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub product_dependencies: Vec<ProductDependency>,
}

impl Dependencies {
    /// The shortest commitment at least as long as `billing_term`, as Pax8 advises when choosing a
    /// line item's `commitmentTermId` (an Annual billing term takes an Annual, else 2-Year, else 3-Year
    /// commitment).
    pub fn commitment_for(&self, billing_term: &BillingTerm) -> Option<&Commitment> {
        let wanted = billing_term.months()?;
        self.commitment_dependencies
            .iter()
            .filter_map(|c| Some((c.term.as_ref()?.months()?, c)))
            .filter(|(months, _)| *months >= wanted)
            .min_by_key(|(months, _)| *months)
            .map(|(_, c)| c)
    }
}

partner_core::string_enum! {
    /// How a price is computed.
    pub enum PricingType match_with ignore_case {
        /// One price.
        Flat = "Flat",
        /// By quantity band, the whole quantity at one band's rate.
        Volume = "Volume",
        /// By quantity band, each band at its rate.
        Tiered = "Tiered",
        /// A mark-up over cost.
        MarkUp = "Mark-Up",
    }
}

partner_core::string_enum! {
    /// How a rate applies to the quantity.
    pub enum RateChargeType match_with ignore_case {
        /// Multiplied by the quantity.
        PerUnit = "Per Unit",
        /// Flat for the band.
        FlatRate = "Flat Rate",
    }
}

/// One band of a price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Rate {
    /// Your cost.
    #[serde(default, with = "crate::money::option")]
    pub partner_buy_rate: Option<Decimal>,
    /// The suggested customer price.
    #[serde(default, with = "crate::money::option")]
    pub suggested_retail_price: Option<Decimal>,
    /// Start of the quantity band (0 when unset).
    #[serde(default, with = "crate::money::option")]
    pub start_quantity_range: Option<Decimal>,
    /// End of the band; `None` is unbounded.
    #[serde(default, with = "crate::money::option")]
    pub end_quantity_range: Option<Decimal>,
    /// How the rate applies.
    #[serde(default)]
    pub charge_type: Option<RateChargeType>,
}

/// A price of a product (`GET /products/{id}/pricing`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Pricing {
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The product name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// The billing term priced.
    #[serde(default)]
    pub billing_term: Option<BillingTerm>,
    /// The commitment term (`3-Year`…), for committed prices.
    #[serde(default)]
    pub commitment_term: Option<String>,
    /// The commitment in months.
    #[serde(default, with = "crate::money::option")]
    pub commitment_term_in_months: Option<Decimal>,
    /// How the price is computed.
    #[serde(rename = "type", default)]
    pub pricing_type: Option<PricingType>,
    /// The unit (`Each`, `User`…).
    #[serde(default)]
    pub unit_of_measurement: Option<String>,
    /// The bands.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub rates: Vec<Rate>,
}

/// Fields `GET /products` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProductSort {
    /// `name`.
    Name,
    /// `vendor`.
    Vendor,
}

impl ProductSort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductSort::Name => "name",
            ProductSort::Vendor => "vendor",
        }
    }
}

/// The products API.
#[derive(Debug, Clone)]
pub struct Products {
    client: Client,
}

impl Products {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    fn url(&self, id: &ProductId, tail: Option<&'static str>) -> Result<Url, Error> {
        let id = Segment::id("product_id", id.as_str());
        match tail {
            None => self.client.rest_url(&[Segment::literal("products"), id]),
            Some(tail) => {
                self.client
                    .rest_url(&[Segment::literal("products"), id, Segment::literal(tail)])
            }
        }
    }

    /// `GET /products`: a list builder.
    pub fn list(&self) -> ListProducts {
        ListProducts {
            client: self.client.clone(),
            query: ProductQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /products/{productId}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<ProductId>) -> Call<ProductDetail> {
        Call::json(&self.client, self.url(&id.into(), None).map(Request::get))
    }

    /// `GET /products/{productId}/provision-details`: what an order must supply.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn provision_details(&self, id: impl Into<ProductId>) -> Call<Vec<ProvisioningDetail>> {
        let url = self.url(&id.into(), Some("provision-details"));
        Call::content(&self.client, url.map(Request::get))
    }

    /// `GET /products/{productId}/dependencies`: commitment terms and required products.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn dependencies(&self, id: impl Into<ProductId>) -> Call<Dependencies> {
        let url = self.url(&id.into(), Some("dependencies"));
        Call::json(&self.client, url.map(Request::get))
    }

    /// `GET /products/{productId}/pricing`, optionally for one company (`companyId`).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty product or company id,
    /// and with the API's errors.
    pub fn pricing(
        &self,
        id: impl Into<ProductId>,
        company_id: Option<&CompanyId>,
    ) -> Call<Vec<Pricing>> {
        let request = self.url(&id.into(), Some("pricing")).and_then(|url| {
            let request = Request::get(url);
            let Some(company) = company_id else {
                return Ok(request);
            };
            ids::require("company_id", company.as_str())?;
            Ok(request.query_pair("companyId", company.as_str()))
        });
        Call::content(&self.client, request)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_name: Option<String>,
}

/// `GET /products` with search, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListProducts {
    client: Client,
    query: ProductQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListProducts {
    paging_methods!();

    /// Sorts by `field` (`sort=name,asc`).
    pub fn sort(mut self, field: ProductSort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Searches names, vendors, SKUs and ids.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.query.search = Some(text.into());
        self
    }

    /// Only products of a vendor.
    pub fn vendor_name(mut self, vendor: impl Into<String>) -> Self {
        self.query.vendor_name = Some(vendor.into());
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Product>, Error> {
        let url = self.client.rest_url(&[Segment::literal("products")]);
        page::send::<Product, _>(&self.client, url, &self.query, self.paging, self.options).await
    }

    /// Every product of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Product, Error>> + Send + 'static {
        let url = self.client.rest_url(&[Segment::literal("products")]);
        page::stream::<Product, _>(self.client, url, self.query, self.paging, self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_vendor_sku_forms() {
        let json = MicrosoftSku::parse(
            r#"{"productId":"CFQ7TTC0LH18","skuId":"0001","segmentName":"commercial"}"#,
        )
        .unwrap();
        assert_eq!(json.product_id, "CFQ7TTC0LH18");
        assert_eq!(json.segment.as_deref(), Some("commercial"));
        let pair = MicrosoftSku::parse("CFQ7TTC0LH18:0001").unwrap();
        assert_eq!(pair.sku_id, "0001");
        assert!(MicrosoftSku::parse("796B6B5F-613C-4E24-A17C-EBA730D49C02").is_none());
    }

    #[test]
    fn commitment_for_picks_the_shortest_long_enough_term() {
        let deps: Dependencies = serde_json::from_str(
            r#"{"commitmentDependencies":[{"id":"c3","term":"3-Year"},{"id":"c1","term":"Annual"},{"id":"cm","term":"Monthly"}]}"#,
        )
        .unwrap();
        assert_eq!(
            deps.commitment_for(&BillingTerm::Annual)
                .unwrap()
                .id
                .as_str(),
            "c1"
        );
        assert_eq!(
            deps.commitment_for(&BillingTerm::TwoYear)
                .unwrap()
                .id
                .as_str(),
            "c3"
        );
        assert_eq!(
            deps.commitment_for(&BillingTerm::Monthly)
                .unwrap()
                .id
                .as_str(),
            "cm"
        );
        assert!(deps.commitment_for(&BillingTerm::OneTime).is_none());
    }
}
