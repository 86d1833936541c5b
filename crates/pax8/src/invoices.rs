//! Invoices: `/invoices` (list, get, items) and `/invoices/draftItems`.

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
use crate::ids::{self, CompanyId, InvoiceId, InvoiceItemId, ProductId, SubscriptionId};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use partner_core::wire_enum::{exact, ignore_case, loose};

partner_core::string_enum! {
    /// An invoice's status (on the wire, though not in the spec's schema).
    pub enum InvoiceStatus match_with exact {
        /// Not paid yet.
        Unpaid = "Unpaid",
        /// Paid.
        Paid = "Paid",
        /// Voided.
        Void = "Void",
        /// Carried to the next invoice.
        Carried = "Carried",
        /// Nothing to pay.
        NothingDue = "Nothing Due",
        /// Credited.
        Credited = "Credited",
    }
}

partner_core::string_enum! {
    /// What an invoice item is. The spec writes `one-time`, other clients `one_time`: both are read
    /// (case-insensitively), and the spec's spelling is sent.
    pub enum InvoiceItemType match_with loose {
        /// `rebate`.
        Rebate = "rebate",
        /// `prorate`.
        Prorate = "prorate",
        /// `subscription`.
        Subscription = "subscription",
        /// `payment-credit`.
        PaymentCredit = "payment-credit",
        /// `one-time`.
        OneTime = "one-time",
        /// `service-charge`.
        ServiceCharge = "service-charge",
        /// `service-credit`.
        ServiceCredit = "service-credit",
        /// `invoice-credit`.
        InvoiceCredit = "invoice-credit",
    }
}

partner_core::string_enum! {
    /// The billing term of an invoice item (its own vocabulary: `3 Year`, `One-time`…).
    pub enum InvoiceTerm match_with loose {
        /// `Monthly`.
        Monthly = "Monthly",
        /// `Annual`.
        Annual = "Annual",
        /// `2 Year`.
        TwoYear = "2 Year",
        /// `3 Year`.
        ThreeYear = "3 Year",
        /// `Activation`.
        Activation = "Activation",
        /// `One-Time` (also `One-time`).
        OneTime = "One-Time",
        /// `Arrears`.
        Arrears = "Arrears",
        /// `Trial`.
        Trial = "Trial",
        /// `Rebate`.
        Rebate = "Rebate",
    }
}

partner_core::string_enum! {
    /// How an invoice item is rated. The spec's enum is corrupted (it holds descriptions); the real
    /// values arrive in either case (`flat`, `Flat`), so they are read case-insensitively.
    pub enum RateType match_with ignore_case {
        /// A percentage mark-up over cost.
        Markup = "markup",
        /// One price for any quantity (same as flat).
        Single = "single",
        /// One price for any quantity (same as single).
        Flat = "flat",
        /// The price scales with quantity.
        Volume = "volume",
        /// The price depends on quantity bands.
        Tiered = "tiered",
    }
}

partner_core::string_enum! {
    /// How an invoice item's price applies.
    pub enum ItemChargeType match_with ignore_case {
        /// Flat.
        Flat = "flat",
        /// Per unit.
        Per = "per",
    }
}

/// An invoice to you.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Invoice {
    /// The id.
    pub id: InvoiceId,
    /// The invoice date.
    #[serde(default)]
    pub invoice_date: Option<Timestamp>,
    /// When payment is due.
    #[serde(default)]
    pub due_date: Option<Timestamp>,
    /// The balance.
    #[serde(default, with = "crate::money::option")]
    pub balance: Option<Decimal>,
    /// The balance carried until the invoice date.
    #[serde(default, with = "crate::money::option")]
    pub carried_balance: Option<Decimal>,
    /// The total due.
    #[serde(default, with = "crate::money::option")]
    pub total: Option<Decimal>,
    /// The ISO 4217 currency.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// The partner invoiced.
    #[serde(default)]
    pub partner_name: Option<String>,
    /// The company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// The company's external id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<InvoiceStatus>,
}

/// A line of an invoice (or of the next, draft invoice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InvoiceItem {
    /// The id.
    #[serde(default)]
    pub id: Option<InvoiceItemId>,
    /// The purchase order number.
    #[serde(default)]
    pub purchase_order_number: Option<String>,
    /// What the item is.
    #[serde(rename = "type", default)]
    pub item_type: Option<InvoiceItemType>,
    /// The company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// The company's external id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The company's name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Start of the period billed.
    #[serde(default)]
    pub start_period: Option<Timestamp>,
    /// End of the period billed.
    #[serde(default)]
    pub end_period: Option<Timestamp>,
    /// The quantity.
    #[serde(default, with = "crate::money::option")]
    pub quantity: Option<Decimal>,
    /// The unit.
    #[serde(default)]
    pub unit_of_measure: Option<String>,
    /// The term.
    #[serde(default)]
    pub term: Option<InvoiceTerm>,
    /// The SKU.
    #[serde(default)]
    pub sku: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Details.
    #[serde(default)]
    pub details: Option<String>,
    /// The rate type.
    #[serde(default)]
    pub rate_type: Option<RateType>,
    /// The charge type.
    #[serde(default)]
    pub charge_type: Option<ItemChargeType>,
    /// The customer unit price.
    #[serde(default, with = "crate::money::option")]
    pub price: Option<Decimal>,
    /// The customer subtotal (services plus billing fees).
    #[serde(default, with = "crate::money::option")]
    pub sub_total: Option<Decimal>,
    /// Your unit cost.
    #[serde(default, with = "crate::money::option")]
    pub cost: Option<Decimal>,
    /// Your total cost.
    #[serde(default, with = "crate::money::option")]
    pub cost_total: Option<Decimal>,
    /// Who offers the product.
    #[serde(default)]
    pub offered_by: Option<String>,
    /// Whether Pax8 bills it directly.
    #[serde(default)]
    pub billed_by_pax8: Option<bool>,
    /// The customer total.
    #[serde(default, with = "crate::money::option")]
    pub total: Option<Decimal>,
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The product name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// Pax8's fee for billing on your behalf.
    #[serde(default, with = "crate::money::option")]
    pub billing_fee: Option<Decimal>,
    /// That fee's rate.
    #[serde(default, with = "crate::money::option")]
    pub billing_fee_rate: Option<Decimal>,
    /// What is due for the item.
    #[serde(default, with = "crate::money::option")]
    pub amount_due: Option<Decimal>,
    /// The ISO 4217 currency.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// Sales tax.
    #[serde(default, with = "crate::money::option")]
    pub sales_tax: Option<Decimal>,
    /// The subscription (`None` for products without one).
    #[serde(default)]
    pub subscription_id: Option<SubscriptionId>,
    /// The vendor.
    #[serde(default)]
    pub vendor_name: Option<String>,
}

/// Fields `GET /invoices` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvoiceSort {
    /// `invoiceDate`.
    InvoiceDate,
    /// `dueDate`.
    DueDate,
    /// `status`.
    Status,
    /// `partnerName`.
    PartnerName,
    /// `total`.
    Total,
    /// `balance`.
    Balance,
    /// `carriedBalance`.
    CarriedBalance,
}

impl InvoiceSort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceSort::InvoiceDate => "invoiceDate",
            InvoiceSort::DueDate => "dueDate",
            InvoiceSort::Status => "status",
            InvoiceSort::PartnerName => "partnerName",
            InvoiceSort::Total => "total",
            InvoiceSort::Balance => "balance",
            InvoiceSort::CarriedBalance => "carriedBalance",
        }
    }
}

/// Which draft invoice `draftItems` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonthOffset {
    /// The current month (`monthOffset=0`).
    Current,
    /// The next month (`monthOffset=1`, Pax8's default).
    Next,
}

/// The invoices API.
#[derive(Debug, Clone)]
pub struct Invoices {
    client: Client,
}

impl Invoices {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /invoices`: a list builder.
    pub fn list(&self) -> ListInvoices {
        ListInvoices {
            client: self.client.clone(),
            query: InvoiceQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /invoices/{invoiceId}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<InvoiceId>) -> Call<Invoice> {
        let id = id.into();
        let url = self.client.rest_url(&[
            Segment::literal("invoices"),
            Segment::id("invoice_id", id.as_str()),
        ]);
        Call::json(&self.client, url.map(Request::get))
    }

    /// `GET /invoices/{invoiceId}/items`: a list builder.
    pub fn items(&self, id: impl Into<InvoiceId>) -> ListInvoiceItems {
        let id = id.into();
        let url = self.client.rest_url(&[
            Segment::literal("invoices"),
            Segment::id("invoice_id", id.as_str()),
            Segment::literal("items"),
        ]);
        ListInvoiceItems {
            client: self.client.clone(),
            url,
            query: DraftQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /invoices/draftItems`: items of the invoice being prepared (see
    /// [`ListInvoiceItems::month_offset`], [`ListInvoiceItems::company_id`]).
    pub fn draft_items(&self) -> ListInvoiceItems {
        ListInvoiceItems {
            client: self.client.clone(),
            url: self
                .client
                .rest_url(&[Segment::literal("invoices"), Segment::literal("draftItems")]),
            query: DraftQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<InvoiceStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_date_range_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_date_range_end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    balance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    carried_balance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<CompanyId>,
}

/// `GET /invoices` with filters, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListInvoices {
    client: Client,
    query: InvoiceQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListInvoices {
    paging_methods!();

    /// Sorts by `field` (`sort=invoiceDate,desc`).
    pub fn sort(mut self, field: InvoiceSort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Only invoices with `status`.
    pub fn status(mut self, status: InvoiceStatus) -> Self {
        self.query.status = Some(status);
        self
    }

    /// Only invoices of that date.
    pub fn invoice_date(mut self, date: Date) -> Self {
        self.query.invoice_date = Some(format_date(date));
        self
    }

    /// Only invoices dated from `start` to `end` (inclusive).
    pub fn invoice_date_range(mut self, start: Date, end: Date) -> Self {
        self.query.invoice_date_range_start = Some(format_date(start));
        self.query.invoice_date_range_end = Some(format_date(end));
        self
    }

    /// Only invoices due on that date.
    pub fn due_date(mut self, date: Date) -> Self {
        self.query.due_date = Some(format_date(date));
        self
    }

    /// Only invoices with that total.
    pub fn total(mut self, amount: Decimal) -> Self {
        self.query.total = Some(amount.to_string());
        self
    }

    /// Only invoices with that balance.
    pub fn balance(mut self, amount: Decimal) -> Self {
        self.query.balance = Some(amount.to_string());
        self
    }

    /// Only invoices with that carried balance.
    pub fn carried_balance(mut self, amount: Decimal) -> Self {
        self.query.carried_balance = Some(amount.to_string());
        self
    }

    /// Only invoices of a company.
    pub fn company_id(mut self, id: impl Into<CompanyId>) -> Self {
        self.query.company_id = Some(id.into());
        self
    }

    fn url(&self) -> Result<Url, Error> {
        ids::require_if_set("company_id", self.query.company_id.as_ref())?;
        if let (Some(start), Some(end)) = (
            &self.query.invoice_date_range_start,
            &self.query.invoice_date_range_end,
        ) && start > end
        {
            return Err(Error::invalid_input(
                "invoice_date_range",
                "the start is after the end",
            ));
        }
        self.client.rest_url(&[Segment::literal("invoices")])
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty company id, a page size over 200 or an inverted date range; the API's errors.
    pub async fn send(self) -> Result<Page<Invoice>, Error> {
        let url = self.url();
        page::send::<Invoice, _>(&self.client, url, &self.query, self.paging, self.options).await
    }

    /// Every invoice of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Invoice, Error>> + Send + 'static {
        let url = self.url();
        page::stream::<Invoice, _>(self.client, url, self.query, self.paging, self.options)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct DraftQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    month_offset: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<CompanyId>,
}

/// The items of an invoice, or the draft items, with paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListInvoiceItems {
    client: Client,
    url: Result<Url, Error>,
    query: DraftQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListInvoiceItems {
    paging_methods!();

    /// Draft items only: which month's draft (`monthOffset`, default next month).
    pub fn month_offset(mut self, offset: MonthOffset) -> Self {
        self.query.month_offset = Some(match offset {
            MonthOffset::Current => 0,
            MonthOffset::Next => 1,
        });
        self
    }

    /// Draft items only: one company's items.
    pub fn company_id(mut self, id: impl Into<CompanyId>) -> Self {
        self.query.company_id = Some(id.into());
        self
    }

    fn url(&self) -> Result<Url, Error> {
        ids::require_if_set("company_id", self.query.company_id.as_ref())?;
        self.url.clone()
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<InvoiceItem>, Error> {
        let url = self.url();
        page::send::<InvoiceItem, _>(&self.client, url, &self.query, self.paging, self.options)
            .await
    }

    /// Every item of every page.
    pub fn stream(self) -> impl Stream<Item = Result<InvoiceItem, Error>> + Send + 'static {
        let url = self.url();
        page::stream::<InvoiceItem, _>(self.client, url, self.query, self.paging, self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_type_with_hyphens_or_underscores() {
        for text in ["one-time", "one_time", "ONE_TIME"] {
            let t: InvoiceItemType = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(t, InvoiceItemType::OneTime, "{text}");
        }
        assert_eq!(
            InvoiceItemType::from_wire("payment_credit"),
            InvoiceItemType::PaymentCredit
        );
        assert_eq!(
            serde_json::to_string(&InvoiceItemType::ServiceCharge).unwrap(),
            "\"service-charge\""
        );
        assert!(InvoiceItemType::from_wire("refund").is_unknown());
    }

    #[test]
    fn rate_type_is_case_insensitive() {
        assert_eq!(RateType::from_wire("Flat"), RateType::Flat);
        assert_eq!(RateType::from_wire("MARKUP"), RateType::Markup);
        assert_eq!(
            RateType::from_wire("banded"),
            RateType::Unknown("banded".into())
        );
        assert_eq!(InvoiceTerm::from_wire("One-time"), InvoiceTerm::OneTime);
        assert_eq!(
            InvoiceStatus::from_wire("Nothing Due"),
            InvoiceStatus::NothingDue
        );
    }
}
