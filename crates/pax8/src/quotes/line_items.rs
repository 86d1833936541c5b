//! A quote's line items: add, update, bulk delete, delete one.
//!
//! The spec gives three kinds of line item, told apart by `type` (`Standard`, `Custom`,
//! `UsageBased`), each with its own required and allowed properties; [`NewQuoteLineItem`] and
//! [`QuoteLineItemUpdate`] are built per kind, and checked against the kind's property list before
//! sending, so a field one kind does not take (a `productId` on a custom item) is refused by name.

use partner_core::path::Segment;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::{QuoteBillingTerm, QuoteLineItem, Quotes, UsageBased};
use crate::call::Call;
use crate::dates::Timestamp;
use crate::ids::{self, CommitmentTermId, LineItemId, ProductId, QuoteId, SubscriptionId};
use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// The kind of a quote line item (`type`).
    pub enum QuoteLineItemType match_with exact {
        /// A catalogue product.
        Standard = "Standard",
        /// A product of the partner's own.
        Custom = "Custom",
        /// A catalogue product billed on usage.
        UsageBased = "UsageBased",
    }
}

/// The longest note Pax8 takes.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The longest custom product name.
pub const MAX_PRODUCT_NAME_CHARS: usize = 255;
/// The longest custom product SKU.
pub const MAX_PRODUCT_SKU_CHARS: usize = 100;

/// A line item to add to a quote (`POST /v2/quotes/{quoteId}/line-items`). Make one with
/// [`standard`](Self::standard), [`custom`](Self::custom) or [`usage_based`](Self::usage_based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewQuoteLineItem {
    /// The kind.
    #[serde(rename = "type")]
    pub kind: QuoteLineItemType,
    /// When it takes effect.
    pub effective_date: Timestamp,
    /// The price per unit.
    #[serde(serialize_with = "crate::money::serialize")]
    pub price: Decimal,
    /// The quantity (at most `i32::MAX`, the spec's int32).
    pub quantity: u32,
    /// The billing term.
    pub billing_term: QuoteBillingTerm,
    /// A note, at most [`MAX_NOTE_CHARS`] characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The catalogue product (standard and usage-based items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<ProductId>,
    /// The product name (custom items): letters, digits and spaces, at most
    /// [`MAX_PRODUCT_NAME_CHARS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The product SKU (custom items): letters, digits and dashes, at most
    /// [`MAX_PRODUCT_SKU_CHARS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_sku: Option<String>,
    /// The cost per unit (custom and usage-based items).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::money::option::serialize"
    )]
    pub cost: Option<Decimal>,
    /// The one-off total (custom items).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::money::option::serialize"
    )]
    pub initial_total: Option<Decimal>,
    /// The commitment term (standard and usage-based items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment_term_id: Option<CommitmentTermId>,
    /// The subscription the item changes (standard and usage-based items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<SubscriptionId>,
    /// A line item of the quote this one depends on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_line_item_id: Option<LineItemId>,
    /// A line item of the same request this one depends on (its 0-based index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_line_item_index: Option<u32>,
    /// An existing subscription this one depends on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_subscription_id: Option<SubscriptionId>,
    /// Usage-based pricing (usage-based items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_based: Option<UsageBased>,
}

impl NewQuoteLineItem {
    fn bare(
        kind: QuoteLineItemType,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        effective_date: Timestamp,
    ) -> Self {
        Self {
            kind,
            effective_date,
            price,
            quantity,
            billing_term,
            note: None,
            product_id: None,
            product_name: None,
            product_sku: None,
            cost: None,
            initial_total: None,
            commitment_term_id: None,
            subscription_id: None,
            required_line_item_id: None,
            required_line_item_index: None,
            required_subscription_id: None,
            usage_based: None,
        }
    }

    /// A catalogue product.
    pub fn standard(
        product_id: impl Into<ProductId>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        let mut item = Self::bare(
            QuoteLineItemType::Standard,
            billing_term,
            quantity,
            price,
            effective_date.into(),
        );
        item.product_id = Some(product_id.into());
        item
    }

    /// A product of the partner's own. Its billing term is `Monthly`, `Annual`, `Trial` or
    /// `One-Time`.
    pub fn custom(
        product_name: impl Into<String>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        cost: Decimal,
        initial_total: Decimal,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        let mut item = Self::bare(
            QuoteLineItemType::Custom,
            billing_term,
            quantity,
            price,
            effective_date.into(),
        );
        item.product_name = Some(product_name.into());
        item.cost = Some(cost);
        item.initial_total = Some(initial_total);
        item
    }

    /// A catalogue product billed on usage.
    pub fn usage_based(
        product_id: impl Into<ProductId>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        cost: Decimal,
        usage_based: UsageBased,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        let mut item = Self::bare(
            QuoteLineItemType::UsageBased,
            billing_term,
            quantity,
            price,
            effective_date.into(),
        );
        item.product_id = Some(product_id.into());
        item.cost = Some(cost);
        item.usage_based = Some(usage_based);
        item
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The SKU of a custom product.
    pub fn product_sku(mut self, sku: impl Into<String>) -> Self {
        self.product_sku = Some(sku.into());
        self
    }

    /// The commitment term.
    pub fn commitment_term(mut self, id: impl Into<CommitmentTermId>) -> Self {
        self.commitment_term_id = Some(id.into());
        self
    }

    /// The subscription this item changes.
    pub fn subscription(mut self, id: impl Into<SubscriptionId>) -> Self {
        self.subscription_id = Some(id.into());
        self
    }

    /// Depends on a line item already on the quote.
    pub fn requires_line_item(mut self, id: impl Into<LineItemId>) -> Self {
        self.required_line_item_id = Some(id.into());
        self
    }

    /// Depends on the item at `index` (0-based) of the same request.
    pub fn requires_line_item_index(mut self, index: u32) -> Self {
        self.required_line_item_index = Some(index);
        self
    }

    /// Depends on an existing subscription.
    pub fn requires_subscription(mut self, id: impl Into<SubscriptionId>) -> Self {
        self.required_subscription_id = Some(id.into());
        self
    }
}

/// A change to a line item of a quote (`PUT /v2/quotes/{quoteId}/line-items`): the item's id and
/// its whole editable part, per kind. Pax8 takes fewer properties here than on add (no product or
/// subscription), see [`QuoteLineItemUpdate::standard`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuoteLineItemUpdate {
    /// The line item.
    pub id: LineItemId,
    /// Its new values.
    #[serde(flatten)]
    pub item: NewQuoteLineItem,
}

impl QuoteLineItemUpdate {
    /// A catalogue product's line item: billing term, quantity, price, date (and optionally note and
    /// commitment term).
    pub fn standard(
        id: impl Into<LineItemId>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        Self {
            id: id.into(),
            item: NewQuoteLineItem::bare(
                QuoteLineItemType::Standard,
                billing_term,
                quantity,
                price,
                effective_date.into(),
            ),
        }
    }

    /// A custom line item.
    #[allow(clippy::too_many_arguments)]
    pub fn custom(
        id: impl Into<LineItemId>,
        product_name: impl Into<String>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        cost: Decimal,
        initial_total: Decimal,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        let mut item = NewQuoteLineItem::bare(
            QuoteLineItemType::Custom,
            billing_term,
            quantity,
            price,
            effective_date.into(),
        );
        item.product_name = Some(product_name.into());
        item.cost = Some(cost);
        item.initial_total = Some(initial_total);
        Self {
            id: id.into(),
            item,
        }
    }

    /// A usage-based line item.
    pub fn usage_based(
        id: impl Into<LineItemId>,
        billing_term: QuoteBillingTerm,
        quantity: u32,
        price: Decimal,
        cost: Decimal,
        usage_based: UsageBased,
        effective_date: impl Into<Timestamp>,
    ) -> Self {
        let mut item = NewQuoteLineItem::bare(
            QuoteLineItemType::UsageBased,
            billing_term,
            quantity,
            price,
            effective_date.into(),
        );
        item.cost = Some(cost);
        item.usage_based = Some(usage_based);
        Self {
            id: id.into(),
            item,
        }
    }

    /// Sets the note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.item.note = Some(note.into());
        self
    }

    /// Sets the commitment term (standard and usage-based items).
    pub fn commitment_term(mut self, id: impl Into<CommitmentTermId>) -> Self {
        self.item.commitment_term_id = Some(id.into());
        self
    }

    /// Sets the SKU (custom items).
    pub fn product_sku(mut self, sku: impl Into<String>) -> Self {
        self.item.product_sku = Some(sku.into());
        self
    }
}

/// The properties of each kind of line item in the spec: (allowed, required), besides `type`.
fn properties(
    kind: &QuoteLineItemType,
    update: bool,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match (kind, update) {
        (QuoteLineItemType::Standard, false) => (
            &[
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "commitmentTermId",
                "productId",
                "requiredLineItemId",
                "requiredLineItemIndex",
                "requiredSubscriptionId",
                "subscriptionId",
            ],
            &[
                "billingTerm",
                "effectiveDate",
                "price",
                "productId",
                "quantity",
            ],
        ),
        (QuoteLineItemType::Custom, false) => (
            &[
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "cost",
                "initialTotal",
                "productName",
                "productSku",
            ],
            &[
                "billingTerm",
                "cost",
                "effectiveDate",
                "initialTotal",
                "price",
                "productName",
                "quantity",
            ],
        ),
        (QuoteLineItemType::UsageBased, false) => (
            &[
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "commitmentTermId",
                "cost",
                "productId",
                "requiredLineItemId",
                "requiredLineItemIndex",
                "requiredSubscriptionId",
                "subscriptionId",
                "usageBased",
            ],
            &[
                "billingTerm",
                "cost",
                "effectiveDate",
                "price",
                "productId",
                "quantity",
                "usageBased",
            ],
        ),
        (QuoteLineItemType::Standard, true) => (
            &[
                "id",
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "commitmentTermId",
            ],
            &["billingTerm", "effectiveDate", "id", "price", "quantity"],
        ),
        (QuoteLineItemType::Custom, true) => (
            &[
                "id",
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "cost",
                "initialTotal",
                "productName",
                "productSku",
            ],
            &[
                "billingTerm",
                "cost",
                "effectiveDate",
                "id",
                "initialTotal",
                "price",
                "productName",
                "quantity",
            ],
        ),
        (QuoteLineItemType::UsageBased, true) => (
            &[
                "id",
                "effectiveDate",
                "note",
                "price",
                "quantity",
                "billingTerm",
                "commitmentTermId",
                "cost",
                "usageBased",
            ],
            &[
                "billingTerm",
                "cost",
                "effectiveDate",
                "id",
                "price",
                "quantity",
                "usageBased",
            ],
        ),
        _ => return None,
    })
}

/// `camelCase` to `snake_case`, for naming a field in an error.
fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks one line item (`item`, the part every kind shares, and its serialised form) as the spec's
/// schema for its kind says.
fn check_item(
    index: usize,
    item: &NewQuoteLineItem,
    wire: &Value,
    update: bool,
) -> Result<(), Error> {
    let field = |name: &str| format!("line_items[{index}].{name}");
    if let QuoteLineItemType::Unknown(kind) = &item.kind
        && kind.trim().is_empty()
    {
        return Err(Error::invalid_input(field("type"), "must not be empty"));
    }
    if let Some((allowed, required)) = properties(&item.kind, update) {
        let sent = wire.as_object().map(|map| map.keys()).into_iter().flatten();
        for key in sent {
            if key != "type" && !allowed.contains(&key.as_str()) {
                return Err(Error::invalid_input(
                    field(&snake(key)),
                    format!("not taken for a {} line item", item.kind.as_str()),
                ));
            }
        }
        for key in required {
            if wire.get(key).is_none() {
                return Err(Error::invalid_input(field(&snake(key)), "is required"));
            }
        }
    }
    if item.effective_date.as_str().trim().is_empty() {
        return Err(Error::invalid_input(
            field("effective_date"),
            "must not be empty",
        ));
    }
    if i32::try_from(item.quantity).is_err() {
        return Err(Error::invalid_input(
            field("quantity"),
            "at most 2147483647",
        ));
    }
    if let Some(note) = &item.note
        && note.chars().count() > MAX_NOTE_CHARS
    {
        return Err(Error::invalid_input(
            field("note"),
            format!("at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    if let Some(name) = &item.product_name
        && (name.trim().is_empty()
            || name.chars().count() > MAX_PRODUCT_NAME_CHARS
            || !name.chars().all(|c| c.is_alphanumeric() || c == ' '))
    {
        return Err(Error::invalid_input(
            field("product_name"),
            format!("1 to {MAX_PRODUCT_NAME_CHARS} letters, digits and spaces"),
        ));
    }
    if let Some(sku) = &item.product_sku
        && (sku.is_empty()
            || sku.chars().count() > MAX_PRODUCT_SKU_CHARS
            || !sku.chars().all(|c| c.is_alphanumeric() || c == '-'))
    {
        return Err(Error::invalid_input(
            field("product_sku"),
            format!("1 to {MAX_PRODUCT_SKU_CHARS} letters, digits and dashes"),
        ));
    }
    if item.kind == QuoteLineItemType::Custom
        && matches!(
            item.billing_term,
            QuoteBillingTerm::OneYear
                | QuoteBillingTerm::TwoYear
                | QuoteBillingTerm::ThreeYear
                | QuoteBillingTerm::Activation
        )
    {
        return Err(Error::invalid_input(
            field("billing_term"),
            "a custom line item is Monthly, Annual, Trial or One-Time",
        ));
    }
    let ids: [(&str, Option<&str>); 5] = [
        ("product_id", item.product_id.as_ref().map(|id| id.as_str())),
        (
            "commitment_term_id",
            item.commitment_term_id.as_ref().map(|id| id.as_str()),
        ),
        (
            "subscription_id",
            item.subscription_id.as_ref().map(|id| id.as_str()),
        ),
        (
            "required_line_item_id",
            item.required_line_item_id.as_ref().map(|id| id.as_str()),
        ),
        (
            "required_subscription_id",
            item.required_subscription_id.as_ref().map(|id| id.as_str()),
        ),
    ];
    for (name, id) in ids {
        if let Some(id) = id
            && id.trim().is_empty()
        {
            return Err(Error::invalid_input(field(name), "must not be empty"));
        }
    }
    Ok(())
}

/// Checks a list of line items and serialises it.
fn check_items<T: Serialize>(
    items: &[T],
    item: impl Fn(&T) -> &NewQuoteLineItem,
    update: bool,
) -> Result<Value, Error> {
    if items.is_empty() {
        return Err(Error::invalid_input("line_items", "at least one line item"));
    }
    let wire = serde_json::to_value(items)
        .map_err(|err| Error::invalid_input("line_items", err.to_string()))?;
    for (index, (one, sent)) in items
        .iter()
        .zip(wire.as_array().into_iter().flatten())
        .enumerate()
    {
        check_item(index, item(one), sent, update)?;
        if let Some(index_ref) = item(one).required_line_item_index
            && index_ref as usize >= items.len()
        {
            return Err(Error::invalid_input(
                format!("line_items[{index}].required_line_item_index"),
                "not an item of this request",
            ));
        }
    }
    Ok(wire)
}

impl Quotes {
    /// `POST /v2/quotes/{quoteId}/line-items` (`addLineItems`): adds line items; answers the added
    /// items.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, get the quote before adding
    /// them again.
    pub fn add_line_items(
        &self,
        quote_id: impl Into<QuoteId>,
        items: &[NewQuoteLineItem],
    ) -> Call<Vec<QuoteLineItem>> {
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("line-items")])?;
            let body = check_items(items, |item| item, false)?;
            Ok(Request::post(url).json(&body)?)
        })();
        Call::json(&self.client, request)
    }

    /// `PUT /v2/quotes/{quoteId}/line-items` (`updateLineItems`): replaces line items; answers them.
    pub fn update_line_items(
        &self,
        quote_id: impl Into<QuoteId>,
        items: &[QuoteLineItemUpdate],
    ) -> Call<Vec<QuoteLineItem>> {
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("line-items")])?;
            for (index, item) in items.iter().enumerate() {
                if item.id.as_str().trim().is_empty() {
                    return Err(Error::invalid_input(
                        format!("line_items[{index}].id"),
                        "must not be empty",
                    ));
                }
            }
            let body = check_items(items, |update| &update.item, true)?;
            Ok(Request::put(url).json(&body)?)
        })();
        Call::json(&self.client, request)
    }

    /// `POST /v2/quotes/{quoteId}/line-items/bulk-delete` (`bulkDeleteLineItems`, answered 204).
    pub fn delete_line_items(
        &self,
        quote_id: impl Into<QuoteId>,
        line_item_ids: &[LineItemId],
    ) -> Call<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            line_item_ids: &'a [LineItemId],
        }
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(
                &quote_id,
                &[
                    Segment::literal("line-items"),
                    Segment::literal("bulk-delete"),
                ],
            )?;
            if line_item_ids.is_empty() {
                return Err(Error::invalid_input("line_item_ids", "at least one id"));
            }
            for id in line_item_ids {
                ids::require("line_item_ids", id.as_str())?;
            }
            Ok(Request::post(url).json(&Body { line_item_ids })?)
        })();
        Call::empty(&self.client, request)
    }

    /// `DELETE /v2/quotes/{quoteId}/line-items/{lineItemId}` (`deleteLineItemById`, answered 204).
    pub fn delete_line_item(
        &self,
        quote_id: impl Into<QuoteId>,
        line_item_id: impl Into<LineItemId>,
    ) -> Call<()> {
        let line_item_id = line_item_id.into();
        let url = self.quote_url(
            &quote_id.into(),
            &[
                Segment::literal("line-items"),
                Segment::id("line_item_id", line_item_id.as_str()),
            ],
        );
        Call::empty(&self.client, url.map(Request::delete))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("requiredLineItemId"), "required_line_item_id");
        assert_eq!(snake("note"), "note");
    }

    #[test]
    fn a_custom_item_refuses_a_product_id() {
        let mut item = NewQuoteLineItem::custom(
            "Setup",
            QuoteBillingTerm::OneTime,
            1,
            Decimal::ONE,
            Decimal::ONE,
            Decimal::ONE,
            Timestamp::parse("2026-01-01T00:00:00Z"),
        );
        item.product_id = Some("p".into());
        let err = check_items(&[item], |i| i, false).unwrap_err();
        assert!(
            err.to_string().contains("line_items[0].product_id"),
            "{err}"
        );
    }
}
