//! Orders: `/orders` (list, get, create, validate with `isMock`), and the order builder that numbers
//! line items and checks commitments before anything is sent.

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{
    self, CommitmentTermId, CompanyId, LineItemId, OrderId, ProductId, SubscriptionId, UserId,
};
use crate::page::{self, Page, Paging, paging_methods};
use crate::products::{Product, ProductDetail, ProvisioningDetail, ProvisioningValue};
use crate::terms::BillingTerm;
use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// Who placed an order.
    ///
    /// The spec says `Pax8 Partner`, the wire says `Pax8Partner`: both decode to
    /// [`OrderedBy::Pax8Partner`], which is sent as `Pax8 Partner`.
    pub enum OrderedBy match_with exact {
        /// The partner (you).
        Pax8Partner = "Pax8 Partner" | "Pax8Partner",
        /// The customer, through self-service.
        Customer = "Customer",
        /// Pax8 staff.
        Pax8 = "Pax8",
    }
}

/// A line item of an order, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LineItem {
    /// The id.
    #[serde(default)]
    pub id: Option<LineItemId>,
    /// The product.
    #[serde(default)]
    pub product_id: Option<ProductId>,
    /// The subscription the line item created or changed.
    #[serde(default)]
    pub subscription_id: Option<SubscriptionId>,
    /// The commitment term (also read as `commitmentTermID`, the spelling of the spec's example).
    #[serde(default, alias = "commitmentTermID")]
    pub commitment_term_id: Option<CommitmentTermId>,
    /// When provisioning starts.
    #[serde(default)]
    pub provision_start_date: Option<Timestamp>,
    /// The line item's number in its order.
    #[serde(default)]
    pub line_item_number: Option<u32>,
    /// The billing term.
    #[serde(default)]
    pub billing_term: Option<BillingTerm>,
    /// The subscription this one depends on.
    #[serde(default)]
    pub parent_subscription_id: Option<SubscriptionId>,
    /// The line item of the same order this one depends on.
    #[serde(default)]
    pub parent_line_item_number: Option<u32>,
    /// The quantity.
    #[serde(default, with = "crate::money::option")]
    pub quantity: Option<Decimal>,
    /// The provisioning values (`key` and `values`; Pax8 may add the detail's label and type).
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub provisioning_details: Vec<ProvisioningDetail>,
}

/// An order, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Order {
    /// The id.
    pub id: OrderId,
    /// The company that ordered.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// When it was created (a date).
    #[serde(default)]
    pub created_date: Option<Timestamp>,
    /// Who placed it.
    #[serde(default)]
    pub ordered_by: Option<OrderedBy>,
    /// The user who placed it.
    #[serde(default)]
    pub ordered_by_user_id: Option<UserId>,
    /// That user's email.
    #[serde(default)]
    pub ordered_by_user_email: Option<String>,
    /// Whether it is future-dated.
    #[serde(default)]
    pub is_scheduled: Option<bool>,
    /// The line items.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub line_items: Vec<LineItem>,
}

/// A line item to order. Its number is assigned by [`NewOrderBuilder::build`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewLineItem {
    /// The product.
    pub product_id: ProductId,
    /// The line item's number, 1 to n in order (set by the builder).
    pub line_item_number: u32,
    /// The quantity: a whole number above zero.
    pub quantity: u32,
    /// The billing term.
    pub billing_term: BillingTerm,
    /// The commitment term, required when the product requires a commitment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_term_id: Option<CommitmentTermId>,
    /// When provisioning should start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provision_start_date: Option<Timestamp>,
    /// An existing subscription this item depends on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_subscription_id: Option<SubscriptionId>,
    /// A line item of this order this item depends on (its 1-based number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_line_item_number: Option<u32>,
    /// The provisioning values (see `Products::provision_details`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisioning_details: Vec<ProvisioningValue>,
    /// Whether the product requires a commitment (from `Product::requires_commitment`); not sent.
    #[serde(skip)]
    pub requires_commitment: bool,
}

impl NewLineItem {
    /// A line item for `product_id`. If the product requires a commitment, say so with
    /// [`requires_commitment`](Self::requires_commitment) or build it with
    /// [`for_product`](Self::for_product), so the builder can check the commitment term.
    pub fn new(product_id: impl Into<ProductId>, billing_term: BillingTerm, quantity: u32) -> Self {
        Self {
            product_id: product_id.into(),
            line_item_number: 0,
            quantity,
            billing_term,
            commitment_term_id: None,
            provision_start_date: None,
            parent_subscription_id: None,
            parent_line_item_number: None,
            provisioning_details: Vec::new(),
            requires_commitment: false,
        }
    }

    /// A line item for a catalogue product, carrying its `requiresCommitment`.
    pub fn for_product(product: &Product, billing_term: BillingTerm, quantity: u32) -> Self {
        Self::new(product.id.clone(), billing_term, quantity)
            .requires_commitment(product.requires_commitment.unwrap_or(false))
    }

    /// A line item for a product detail, carrying its `requiresCommitment`.
    pub fn for_product_detail(
        product: &ProductDetail,
        billing_term: BillingTerm,
        quantity: u32,
    ) -> Self {
        Self::new(product.id.clone(), billing_term, quantity)
            .requires_commitment(product.requires_commitment.unwrap_or(false))
    }

    /// Declares whether the product requires a commitment term.
    pub fn requires_commitment(mut self, requires: bool) -> Self {
        self.requires_commitment = requires;
        self
    }

    /// Sets the commitment term (see `Dependencies::commitment_for`).
    pub fn commitment_term(mut self, id: impl Into<CommitmentTermId>) -> Self {
        self.commitment_term_id = Some(id.into());
        self
    }

    /// Sets the provisioning start date.
    pub fn provision_start_date(mut self, date: impl Into<Timestamp>) -> Self {
        self.provision_start_date = Some(date.into());
        self
    }

    /// Makes this item depend on an existing subscription.
    pub fn parent_subscription(mut self, id: impl Into<SubscriptionId>) -> Self {
        self.parent_subscription_id = Some(id.into());
        self
    }

    /// Makes this item depend on line item `number` (1-based) of the same order.
    pub fn parent_line_item(mut self, number: u32) -> Self {
        self.parent_line_item_number = Some(number);
        self
    }

    /// Adds a provisioning value.
    pub fn provisioning_detail(mut self, value: ProvisioningValue) -> Self {
        self.provisioning_details.push(value);
        self
    }
}

/// An order to place: built and checked by [`NewOrder::builder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrder {
    company_id: CompanyId,
    #[serde(skip_serializing_if = "Option::is_none")]
    ordered_by: Option<OrderedBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ordered_by_user_email: Option<String>,
    line_items: Vec<NewLineItem>,
}

impl NewOrder {
    /// Starts an order for `company_id`.
    pub fn builder(company_id: impl Into<CompanyId>) -> NewOrderBuilder {
        NewOrderBuilder {
            order: NewOrder {
                company_id: company_id.into(),
                ordered_by: None,
                ordered_by_user_email: None,
                line_items: Vec::new(),
            },
        }
    }

    /// The company.
    pub fn company_id(&self) -> &CompanyId {
        &self.company_id
    }

    /// The line items, numbered 1 to n.
    pub fn line_items(&self) -> &[NewLineItem] {
        &self.line_items
    }
}

/// Builds a [`NewOrder`].
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to check the order"]
pub struct NewOrderBuilder {
    order: NewOrder,
}

impl NewOrderBuilder {
    /// Adds a line item; it gets the next number (1, 2, …).
    pub fn line_item(mut self, item: NewLineItem) -> Self {
        self.order.line_items.push(item);
        self
    }

    /// Says who orders (normally [`OrderedBy::Pax8Partner`], sent as `Pax8 Partner`).
    pub fn ordered_by(mut self, by: OrderedBy) -> Self {
        self.order.ordered_by = Some(by);
        self
    }

    /// The email of the user ordering.
    pub fn ordered_by_user_email(mut self, email: impl Into<String>) -> Self {
        self.order.ordered_by_user_email = Some(email.into());
        self
    }

    /// Numbers the line items and checks the order.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the line item for: no line items, an empty company or product
    /// id, a zero quantity, a product that requires a commitment without a `commitmentTermId`, or a
    /// parent line item number that is not another item of this order.
    pub fn build(self) -> Result<NewOrder, Error> {
        let mut order = self.order;
        ids::require("company_id", order.company_id.as_str())?;
        if order.line_items.is_empty() {
            return Err(Error::invalid_input(
                "line_items",
                "an order needs at least one line item",
            ));
        }
        let count = u32::try_from(order.line_items.len())
            .map_err(|_| Error::invalid_input("line_items", "too many line items"))?;
        for (number, item) in (1..=count).zip(order.line_items.iter_mut()) {
            item.line_item_number = number;
            let field = |name: &str| format!("line_items[{number}].{name}");
            if item.product_id.as_str().trim().is_empty() {
                return Err(Error::invalid_input(
                    field("product_id"),
                    "must not be empty",
                ));
            }
            if item.quantity == 0 {
                return Err(Error::invalid_input(
                    field("quantity"),
                    "must be a whole number above zero",
                ));
            }
            match &item.commitment_term_id {
                Some(id) if id.as_str().trim().is_empty() => {
                    return Err(Error::invalid_input(
                        field("commitment_term_id"),
                        "must not be empty",
                    ));
                }
                None if item.requires_commitment => {
                    return Err(Error::invalid_input(
                        field("commitment_term_id"),
                        format!(
                            "product {} requires a commitment: pick one from its dependencies \
                             (Dependencies::commitment_for)",
                            item.product_id
                        ),
                    ));
                }
                _ => {}
            }
            if let Some(parent) = item.parent_line_item_number
                && (parent == 0 || parent > count || parent == number)
            {
                return Err(Error::invalid_input(
                    field("parent_line_item_number"),
                    format!("must name another line item of this order (1 to {count})"),
                ));
            }
            if let Some(parent) = &item.parent_subscription_id {
                ids::require("parent_subscription_id", parent.as_str())?;
            }
        }
        Ok(order)
    }
}

/// The orders API.
#[derive(Debug, Clone)]
pub struct Orders {
    client: Client,
}

impl Orders {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /orders` (oldest first; Pax8 offers no sort). Large tenants' order lists are slow: keep
    /// pages small.
    pub fn list(&self) -> ListOrders {
        ListOrders {
            client: self.client.clone(),
            query: OrderQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /orders/{orderId}` (scheduled orders are not supported by Pax8).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<OrderId>) -> Call<Order> {
        let id = id.into();
        let url = self.client.rest_url(&[
            Segment::literal("orders"),
            Segment::id("order_id", id.as_str()),
        ]);
        Call::json(&self.client, url.map(Request::get))
    }

    /// `POST /orders`: places the order.
    ///
    /// The request is not retried once it may have reached Pax8 (Pax8 has no idempotency key), so a
    /// timeout leaves the outcome unknown: list the company's orders before placing it again.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with the API's errors (422 when Pax8 refuses the order).
    pub fn create(&self, order: &NewOrder) -> Call<Order> {
        self.post(order, false)
    }

    /// `POST /orders?isMock=true`: Pax8 validates the order without placing it.
    ///
    /// A POST without key, but one that places nothing: even an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true may be sent again.
    ///
    /// [`send`](Call::send) fails with the API's errors: a 422 lists what is wrong with the order.
    pub fn validate(&self, order: &NewOrder) -> Call<Order> {
        self.post(order, true)
    }

    fn post(&self, order: &NewOrder, mock: bool) -> Call<Order> {
        let request = self
            .client
            .rest_url(&[Segment::literal("orders")])
            .and_then(|url| {
                let request = Request::post(url).json(order)?;
                Ok(if mock {
                    request.query_pair("isMock", "true")
                } else {
                    request
                })
            });
        Call::json(&self.client, request)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<CompanyId>,
}

/// `GET /orders` with paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListOrders {
    client: Client,
    query: OrderQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListOrders {
    paging_methods!();

    /// Only orders of a company.
    pub fn company_id(mut self, id: impl Into<CompanyId>) -> Self {
        self.query.company_id = Some(id.into());
        self
    }

    fn url(&self) -> Result<Url, Error> {
        ids::require_if_set("company_id", self.query.company_id.as_ref())?;
        self.client.rest_url(&[Segment::literal("orders")])
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty company id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Order>, Error> {
        let url = self.url();
        page::send::<Order, _>(&self.client, url, &self.query, self.paging, self.options).await
    }

    /// Every order of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Order, Error>> + Send + 'static {
        let url = self.url();
        page::stream::<Order, _>(self.client, url, self.query, self.paging, self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_by_quirk() {
        let by: OrderedBy = serde_json::from_str("\"Pax8Partner\"").unwrap();
        assert_eq!(by, OrderedBy::Pax8Partner);
        assert_eq!(serde_json::to_string(&by).unwrap(), "\"Pax8 Partner\"");
        let by: OrderedBy = serde_json::from_str("\"Pax8 Partner\"").unwrap();
        assert_eq!(by, OrderedBy::Pax8Partner);
    }

    #[test]
    fn builder_numbers_and_checks() {
        let order = NewOrder::builder("c1")
            .line_item(NewLineItem::new("p1", BillingTerm::Monthly, 2))
            .line_item(NewLineItem::new("p2", BillingTerm::Annual, 1).parent_line_item(1))
            .build()
            .unwrap();
        let numbers: Vec<u32> = order
            .line_items()
            .iter()
            .map(|i| i.line_item_number)
            .collect();
        assert_eq!(numbers, [1, 2]);

        let err = NewOrder::builder("c1")
            .line_item(NewLineItem::new("p1", BillingTerm::Annual, 1).requires_commitment(true))
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("line_items[1].commitment_term_id"),
            "{err}"
        );
        let err = NewOrder::builder("c1")
            .line_item(NewLineItem::new("p1", BillingTerm::Monthly, 0))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("quantity"), "{err}");
        assert!(NewOrder::builder("c1").build().is_err());
        assert!(
            NewOrder::builder("")
                .line_item(NewLineItem::new("p", BillingTerm::Monthly, 1))
                .build()
                .is_err()
        );
        let err = NewOrder::builder("c1")
            .line_item(NewLineItem::new("p1", BillingTerm::Monthly, 1).parent_line_item(1))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("parent_line_item_number"), "{err}");
    }
}
