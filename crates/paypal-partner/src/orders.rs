//! Orders v2 (`/v2/checkout/orders`) on behalf of a seller: the seller as payee, your platform fee, and
//! `INSTANT` or `DELAYED` disbursement.
//!
//! Before capture an order can be changed ([`Orders::update`] with an [`OrderPatch`]); an `AUTHORIZE`
//! order is authorized with [`Orders::authorize`] and captured later through
//! [`authorizations`](crate::authorizations); shipments are tracked with [`Orders::track`]
//! ([`trackers`](crate::trackers)).
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! use paypal_partner::Money;
//! use paypal_partner::orders::{DisbursementMode, OrderRequest, PurchaseUnitRequest};
//!
//! let order = OrderRequest::capture(
//!     PurchaseUnitRequest::new(Money::parse("USD", "100.00")?)
//!         .payee_merchant_id("SELLERMERCHANTID")
//!         .platform_fee(Money::parse("USD", "5.00")?)
//!         .disbursement_mode(DisbursementMode::Delayed),
//! );
//! let created = client.orders().create(&order).on_behalf_of("SELLERMERCHANTID").send().await?;
//! // ... the buyer approves at created.approve_url() ...
//! let captured = client.orders().capture(&created.id).send().await?;
//! # let _ = captured; Ok(()) }
//! ```

use partner_core::http::Method;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{CaptureId, MerchantId, OrderId};
use crate::links::{self, Link};
use crate::money::{Money, decimal_string};
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// What happens when the buyer approves.
    pub enum Intent {
        /// Capture immediately after approval.
        Capture = "CAPTURE",
        /// Authorise now, capture later.
        Authorize = "AUTHORIZE",
    }
}

partner_core::string_enum! {
    /// The status of an order.
    pub enum OrderStatus {
        /// Created.
        Created = "CREATED",
        /// Saved.
        Saved = "SAVED",
        /// Approved by the buyer.
        Approved = "APPROVED",
        /// Voided.
        Voided = "VOIDED",
        /// Completed (captured or authorised).
        Completed = "COMPLETED",
        /// The buyer must act (approve) first.
        PayerActionRequired = "PAYER_ACTION_REQUIRED",
    }
}

partner_core::string_enum! {
    /// When the seller gets the funds.
    pub enum DisbursementMode {
        /// At capture (the default).
        Instant = "INSTANT",
        /// Held until the partner releases them (referenced payouts).
        Delayed = "DELAYED",
    }
}

partner_core::string_enum! {
    /// The status of a capture.
    pub enum CaptureStatus {
        /// Completed.
        Completed = "COMPLETED",
        /// Declined.
        Declined = "DECLINED",
        /// Partially refunded.
        PartiallyRefunded = "PARTIALLY_REFUNDED",
        /// Pending (see `status_details.reason`).
        Pending = "PENDING",
        /// Refunded.
        Refunded = "REFUNDED",
        /// Failed.
        Failed = "FAILED",
    }
}

/// Who receives the money: the seller, by merchant id (preferred) or email.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Payee {
    /// The seller's PayPal merchant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<MerchantId>,
    /// The seller's PayPal email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
}

impl Payee {
    /// The seller with this merchant id.
    pub fn merchant_id(id: impl Into<MerchantId>) -> Self {
        Self {
            merchant_id: Some(id.into()),
            ..Default::default()
        }
    }
}

/// A platform fee: your cut of the payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlatformFee {
    /// The fee.
    pub amount: Money,
    /// Who receives it (omitted: the partner calling the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
}

impl PlatformFee {
    /// A fee of `amount` for the calling partner.
    pub fn new(amount: Money) -> Self {
        Self {
            amount,
            payee: None,
        }
    }
}

/// Checks the platform fees taken from `base` (a purchase unit's, a capture's or a refund's
/// amount, when there is one): every PayPal spec allows one fee (`maxItems: 1`), in `base`'s
/// currency and not above it. `field` names the list in errors, `base_name` what the fee is taken
/// from.
pub(crate) fn check_platform_fees(
    fees: &[PlatformFee],
    field: &str,
    base: Option<&Money>,
    base_name: &str,
) -> Result<(), Error> {
    if fees.len() > 1 {
        return Err(Error::invalid_input(
            field.to_owned(),
            "takes at most one fee",
        ));
    }
    for (i, fee) in fees.iter().enumerate() {
        let field = format!("{field}[{i}].amount");
        fee.amount.validate(&field)?;
        let Some(base) = base else { continue };
        if fee.amount.currency_code != base.currency_code {
            return Err(Error::invalid_input(
                field,
                format!("must be in the currency of the {base_name}"),
            ));
        }
        if fee.amount.value > base.value {
            return Err(Error::invalid_input(
                field,
                format!("exceeds the {base_name}"),
            ));
        }
    }
    Ok(())
}

/// `payment_instruction`: platform fees and disbursement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentInstruction {
    /// Platform fees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_fees: Vec<PlatformFee>,
    /// `INSTANT` (default) or `DELAYED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursement_mode: Option<DisbursementMode>,
    /// The pricing tier of the payee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_pricing_tier_id: Option<String>,
    /// The FX rate id for the payee's receivable currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_receivable_fx_rate_id: Option<String>,
}

/// An amount with an optional breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Amount {
    /// ISO 4217 code.
    pub currency_code: String,
    /// The total.
    #[serde(with = "decimal_string")]
    pub value: Decimal,
    /// `item_total`, `shipping`, `tax_total`... as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<serde_json::Value>,
}

impl From<Money> for Amount {
    fn from(money: Money) -> Self {
        Self {
            currency_code: money.currency_code,
            value: money.value,
            breakdown: None,
        }
    }
}

impl Amount {
    /// The amount as [`Money`].
    pub fn money(&self) -> Money {
        Money::new(self.currency_code.clone(), self.value)
    }
}

/// A purchase unit of a new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurchaseUnitRequest {
    /// Your id for the unit (required with several units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// The amount.
    pub amount: Amount,
    /// The seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
    /// Platform fees and disbursement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instruction: Option<PaymentInstruction>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your reference, echoed in captures and webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Your invoice id (unique per seller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The statement descriptor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_descriptor: Option<String>,
    /// `items`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<serde_json::Value>,
    /// `shipping`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<serde_json::Value>,
    /// `supplementary_data`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplementary_data: Option<serde_json::Value>,
}

impl PurchaseUnitRequest {
    /// A unit of `amount`.
    pub fn new(amount: Money) -> Self {
        Self {
            reference_id: None,
            amount: amount.into(),
            payee: None,
            payment_instruction: None,
            description: None,
            custom_id: None,
            invoice_id: None,
            soft_descriptor: None,
            items: None,
            shipping: None,
            supplementary_data: None,
        }
    }

    /// Pays the seller with this merchant id.
    pub fn payee_merchant_id(mut self, merchant_id: impl Into<MerchantId>) -> Self {
        self.payee = Some(Payee::merchant_id(merchant_id));
        self
    }

    /// Adds a platform fee for you.
    pub fn platform_fee(mut self, fee: Money) -> Self {
        self.instruction().platform_fees.push(PlatformFee::new(fee));
        self
    }

    /// Sets the disbursement mode.
    pub fn disbursement_mode(mut self, mode: DisbursementMode) -> Self {
        self.instruction().disbursement_mode = Some(mode);
        self
    }

    /// Sets your reference id.
    pub fn reference_id(mut self, id: impl Into<String>) -> Self {
        self.reference_id = Some(id.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets your custom id.
    pub fn custom_id(mut self, id: impl Into<String>) -> Self {
        self.custom_id = Some(id.into());
        self
    }

    /// Sets your invoice id.
    pub fn invoice_id(mut self, id: impl Into<String>) -> Self {
        self.invoice_id = Some(id.into());
        self
    }

    fn instruction(&mut self) -> &mut PaymentInstruction {
        self.payment_instruction
            .get_or_insert_with(Default::default)
    }

    fn validate(&self, at: usize) -> Result<(), Error> {
        let field = format!("purchase_units[{at}].amount");
        self.amount.money().validate(&field)?;
        if let Some(instruction) = &self.payment_instruction {
            check_platform_fees(
                &instruction.platform_fees,
                &format!("purchase_units[{at}].payment_instruction.platform_fees"),
                Some(&self.amount.money()),
                "purchase unit",
            )?;
        }
        Ok(())
    }
}

/// A new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderRequest {
    /// `CAPTURE` or `AUTHORIZE`.
    pub intent: Intent,
    /// 1–10 purchase units.
    pub purchase_units: Vec<PurchaseUnitRequest>,
    /// `payment_source` (the wallet or card, with its `experience_context`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_source: Option<serde_json::Value>,
    /// `payer` (deprecated by PayPal in favour of `payment_source`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<serde_json::Value>,
    /// `application_context` (deprecated by PayPal in favour of `payment_source`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_context: Option<serde_json::Value>,
}

impl OrderRequest {
    /// A `CAPTURE` order of one unit.
    pub fn capture(unit: PurchaseUnitRequest) -> Self {
        Self {
            intent: Intent::Capture,
            purchase_units: vec![unit],
            payment_source: None,
            payer: None,
            application_context: None,
        }
    }

    /// An `AUTHORIZE` order of one unit.
    pub fn authorize(unit: PurchaseUnitRequest) -> Self {
        Self {
            intent: Intent::Authorize,
            purchase_units: vec![unit],
            payment_source: None,
            payer: None,
            application_context: None,
        }
    }

    /// Adds a purchase unit.
    pub fn purchase_unit(mut self, unit: PurchaseUnitRequest) -> Self {
        self.purchase_units.push(unit);
        self
    }

    /// Sets `payment_source` (e.g. `{"paypal": {"experience_context": {"return_url": ..}}}`).
    pub fn payment_source(mut self, source: serde_json::Value) -> Self {
        self.payment_source = Some(source);
        self
    }

    /// Checks the order ([`validate`](Self::validate)) and returns it, ready for
    /// [`Orders::create`]: `OrderRequest::capture(unit).build()?`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong (an amount with too many decimal
    /// places for its currency, a platform fee above the amount or in another currency, 0 or more
    /// than 10 units, several units without `reference_id`), before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks amounts, fees and unit count (what [`build`](Self::build) checks, for an order read
    /// from elsewhere).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if self.purchase_units.is_empty() || self.purchase_units.len() > 10 {
            return Err(Error::invalid_input(
                "purchase_units",
                "must hold 1 to 10 units",
            ));
        }
        if self.purchase_units.len() > 1
            && self.purchase_units.iter().any(|u| u.reference_id.is_none())
        {
            return Err(Error::invalid_input(
                "purchase_units.reference_id",
                "is required on every unit when there are several",
            ));
        }
        for (i, unit) in self.purchase_units.iter().enumerate() {
            unit.validate(i)?;
        }
        Ok(())
    }
}

/// The seller's side of a capture: gross, PayPal fee, platform fees, net.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SellerReceivableBreakdown {
    /// Gross amount.
    #[serde(default)]
    pub gross_amount: Option<Money>,
    /// PayPal's fee.
    #[serde(default)]
    pub paypal_fee: Option<Money>,
    /// Net to the seller.
    #[serde(default)]
    pub net_amount: Option<Money>,
    /// Platform fees taken.
    #[serde(default)]
    pub platform_fees: Vec<PlatformFee>,
}

/// A capture (in an order, a capture call, or a `PAYMENT.CAPTURE.*` webhook).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Capture {
    /// The capture id (the `reference_id` of a referenced payout). Required when decoding, as
    /// [`Order::id`].
    pub id: CaptureId,
    /// The status.
    #[serde(default)]
    pub status: Option<CaptureStatus>,
    /// Why it is pending or declined (`{"reason": ...}`).
    #[serde(default)]
    pub status_details: Option<serde_json::Value>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Whether it is the final capture.
    #[serde(default)]
    pub final_capture: Option<bool>,
    /// `INSTANT` or `DELAYED`.
    #[serde(default)]
    pub disbursement_mode: Option<DisbursementMode>,
    /// The seller's breakdown.
    #[serde(default)]
    pub seller_receivable_breakdown: Option<SellerReceivableBreakdown>,
    /// Your custom id.
    #[serde(default)]
    pub custom_id: Option<String>,
    /// Your invoice id.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default)]
    pub update_time: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// Captures, refunds and authorisations of a purchase unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentCollection {
    /// Captures.
    #[serde(default)]
    pub captures: Vec<Capture>,
    /// Refunds.
    #[serde(default)]
    pub refunds: Vec<crate::captures::Refund>,
    /// Authorisations (of an `AUTHORIZE` order, once authorized).
    #[serde(default)]
    pub authorizations: Vec<crate::authorizations::Authorization>,
}

/// The shipping of a purchase unit, with the shipment trackers added to it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shipping {
    /// The recipient's name (`{"full_name": ..}`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<serde_json::Value>,
    /// The address, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<serde_json::Value>,
    /// The trackers added with [`Orders::track`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trackers: Vec<crate::trackers::Tracker>,
}

/// A purchase unit of an existing order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurchaseUnit {
    /// Your reference id.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// The amount.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// The seller.
    #[serde(default)]
    pub payee: Option<Payee>,
    /// Platform fees and disbursement.
    #[serde(default)]
    pub payment_instruction: Option<PaymentInstruction>,
    /// Your custom id.
    #[serde(default)]
    pub custom_id: Option<String>,
    /// Your invoice id.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Captures, refunds, authorisations.
    #[serde(default)]
    pub payments: Option<PaymentCollection>,
    /// Shipping, with its trackers.
    #[serde(default)]
    pub shipping: Option<Shipping>,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The order id. PayPal always sends it: a body without it (`{}`, an error body with status
    /// 200) is an `Error::Decode` naming `id`, never an empty order.
    pub id: OrderId,
    /// The status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// The intent.
    #[serde(default)]
    pub intent: Option<Intent>,
    /// Purchase units (with `return=representation`).
    #[serde(default)]
    pub purchase_units: Vec<PurchaseUnit>,
    /// Links (`approve`/`payer-action` for the buyer, `capture`...).
    #[serde(default)]
    pub links: Vec<Link>,
    /// The payment source used, as JSON.
    #[serde(default)]
    pub payment_source: Option<serde_json::Value>,
    /// The payer, as JSON.
    #[serde(default)]
    pub payer: Option<serde_json::Value>,
    /// Creation time.
    #[serde(default)]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default)]
    pub update_time: Option<String>,
}

impl Order {
    /// Where the buyer approves the order (`payer-action` or `approve`).
    pub fn approve_url(&self) -> Option<&str> {
        links::find(&self.links, "payer-action").or_else(|| links::find(&self.links, "approve"))
    }

    /// Every capture of every purchase unit.
    pub fn captures(&self) -> impl Iterator<Item = &Capture> {
        self.purchase_units
            .iter()
            .filter_map(|u| u.payments.as_ref())
            .flat_map(|p| p.captures.iter())
    }

    /// Every authorization of every purchase unit (after [`Orders::authorize`]).
    pub fn authorizations(&self) -> impl Iterator<Item = &crate::authorizations::Authorization> {
        self.purchase_units
            .iter()
            .filter_map(|u| u.payments.as_ref())
            .flat_map(|p| p.authorizations.iter())
    }

    /// Every shipment tracker of every purchase unit (after [`Orders::track`]).
    pub fn trackers(&self) -> impl Iterator<Item = &crate::trackers::Tracker> {
        self.purchase_units
            .iter()
            .filter_map(|u| u.shipping.as_ref())
            .flat_map(|s| s.trackers.iter())
    }
}

/// The orders resource: `client.orders()`. Owns a clone of the client: move it into a task freely.
#[derive(Debug, Clone)]
pub struct Orders {
    client: Client,
}

impl Orders {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v2/checkout/orders` with `order` (checked again at `send()`, before sending).
    pub fn create(&self, order: &OrderRequest) -> CreateOrder {
        CreateOrder {
            client: self.client.clone(),
            order: order.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v2/checkout/orders/{id}`.
    pub fn get(&self, order_id: impl Into<OrderId>) -> GetOrder {
        GetOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/checkout/orders/{id}/capture`.
    pub fn capture(&self, order_id: impl Into<OrderId>) -> CaptureOrder {
        CaptureOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `PATCH /v2/checkout/orders/{id}` with `patch` (checked again at `send()`): change an order
    /// that is `CREATED` or `APPROVED`, before it is captured or authorized.
    pub fn update(&self, order_id: impl Into<OrderId>, patch: &OrderPatch) -> UpdateOrder {
        UpdateOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            patch: patch.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/checkout/orders/{id}/authorize`: authorize an approved `AUTHORIZE` order; capture
    /// the authorization later with [`Authorizations::capture`](crate::authorizations::Authorizations::capture).
    pub fn authorize(&self, order_id: impl Into<OrderId>) -> AuthorizeOrder {
        AuthorizeOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            payment_source: None,
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/checkout/orders/{id}/confirm-payment-source` with `request` (checked at `send()`).
    pub fn confirm_payment_source(
        &self,
        order_id: impl Into<OrderId>,
        request: &ConfirmPaymentSourceRequest,
    ) -> ConfirmOrder {
        ConfirmOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            request: request.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/checkout/orders/{id}/track`: adds a shipment tracker (checked at `send()`).
    pub fn track(
        &self,
        order_id: impl Into<OrderId>,
        tracker: &crate::trackers::TrackerRequest,
    ) -> crate::trackers::AddTracker {
        crate::trackers::AddTracker::new(self.client.clone(), order_id.into(), tracker.clone())
    }

    /// `PATCH /v2/checkout/orders/{id}/trackers/{tracker_id}`: updates or cancels a tracker.
    pub fn update_tracker(
        &self,
        order_id: impl Into<OrderId>,
        tracker_id: impl Into<crate::ids::TrackerId>,
        update: &crate::trackers::TrackerUpdate,
    ) -> crate::trackers::UpdateTracker {
        crate::trackers::UpdateTracker::new(
            self.client.clone(),
            order_id.into(),
            tracker_id.into(),
            update.clone(),
        )
    }
}

macro_rules! on_behalf_of_setters {
    () => {
        /// Acts for the seller with this merchant id (`PayPal-Auth-Assertion`).
        pub fn on_behalf_of(mut self, seller: impl Into<$crate::ids::MerchantId>) -> Self {
            let seller: $crate::ids::MerchantId = seller.into();
            self.seller = Some(AssertionSubject::MerchantId(seller.into_string()));
            self
        }

        /// Acts for the seller with this PayPal email (`PayPal-Auth-Assertion`).
        pub fn on_behalf_of_email(mut self, seller_email: impl Into<String>) -> Self {
            self.seller = Some(AssertionSubject::Email(seller_email.into()));
            self
        }
    };
}
pub(crate) use on_behalf_of_setters;

/// A pending order creation: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CreateOrder {
    client: Client,
    order: OrderRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CreateOrder {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API, transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        self.order.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("checkout"),
                    Segment::literal("orders"),
                ],
            )?
            .json(&self.order)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending order read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetOrder {
    client: Client,
    order_id: OrderId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetOrder {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API errors (a 404 `RESOURCE_NOT_FOUND` for an unknown
    /// order: [`Error::is_not_found`]), transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v2"),
                Segment::literal("checkout"),
                Segment::literal("orders"),
                Segment::id("order_id", self.order_id.as_str()),
            ],
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending order capture: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CaptureOrder {
    client: Client,
    order_id: OrderId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CaptureOrder {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API (422 `ORDER_NOT_APPROVED`...), transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("checkout"),
                    Segment::literal("orders"),
                    Segment::id("order_id", self.order_id.as_str()),
                    Segment::literal("capture"),
                ],
            )?
            .body("application/json", "{}");
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

partner_core::string_enum! {
    /// A JSON Patch (RFC 6902) operation. PayPal's patchable order and tracker attributes take only
    /// these three; `move`, `copy` and `test` are read as `Unknown` and refused at `build()`.
    pub enum PatchOp {
        /// Adds the value, or replaces it when the member exists.
        Add = "add",
        /// Removes the value.
        Remove = "remove",
        /// Replaces an existing value.
        Replace = "replace",
    }
}

/// One JSON Patch operation: `{"op": .., "path": .., "value": ..}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Patch {
    /// The operation.
    pub op: PatchOp,
    /// The JSON Pointer of the target; PayPal selects a purchase unit with
    /// `/purchase_units/@reference_id=='..'/`.
    pub path: String,
    /// The value (`add`, `replace`); none for `remove`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl Patch {
    /// `add` of `value` at `path`.
    pub fn add(path: impl Into<String>, value: serde_json::Value) -> Self {
        Self {
            op: PatchOp::Add,
            path: path.into(),
            value: Some(value),
        }
    }

    /// `replace` of the value at `path` by `value`.
    pub fn replace(path: impl Into<String>, value: serde_json::Value) -> Self {
        Self {
            op: PatchOp::Replace,
            path: path.into(),
            value: Some(value),
        }
    }

    /// `remove` of the value at `path`.
    pub fn remove(path: impl Into<String>) -> Self {
        Self {
            op: PatchOp::Remove,
            path: path.into(),
            value: None,
        }
    }

    /// Checks that the operation carries a value exactly when it needs one, and that the operation
    /// is one of `allowed`; `field` names the operation in the error.
    pub(crate) fn check_shape(&self, field: &str, allowed: &[PatchOp]) -> Result<(), Error> {
        if !allowed.contains(&self.op) {
            let names: Vec<&str> = allowed.iter().map(PatchOp::as_str).collect();
            return Err(Error::invalid_input(
                format!("{field}.op"),
                format!(
                    "`{}` is not accepted on `{}` (PayPal takes: {})",
                    self.op,
                    self.path,
                    names.join(", ")
                ),
            ));
        }
        let has_value = self.value.as_ref().is_some_and(|v| !v.is_null());
        match (&self.op, has_value) {
            (PatchOp::Remove, true) => Err(Error::invalid_input(
                format!("{field}.value"),
                "must be absent for `remove`",
            )),
            (PatchOp::Add | PatchOp::Replace, false) => Err(Error::invalid_input(
                format!("{field}.value"),
                "is required for `add` and `replace`",
            )),
            _ => Ok(()),
        }
    }
}

/// The attributes of a purchase unit PayPal lets an order update change, with the operations each
/// takes (the table of `orders.patch` in the Orders v2 spec).
const UNIT_ATTRIBUTES: &[(&str, &[PatchOp])] = {
    use PatchOp::{Add, Remove, Replace};
    &[
        ("custom_id", &[Replace, Add, Remove]),
        ("description", &[Replace, Add, Remove]),
        // The spec's table says `payee.email`; the payee's field is `email_address`. Both pass.
        ("payee/email", &[Replace]),
        ("payee/email_address", &[Replace]),
        ("shipping/name", &[Replace, Add]),
        ("shipping/email_address", &[Replace, Add]),
        ("shipping/phone_number", &[Replace, Add]),
        ("shipping/options", &[Replace, Add]),
        ("shipping/address", &[Replace, Add]),
        ("shipping/type", &[Replace, Add]),
        ("soft_descriptor", &[Replace, Remove]),
        ("amount", &[Replace]),
        ("items", &[Replace, Add, Remove]),
        ("invoice_id", &[Replace, Add, Remove]),
        ("payment_instruction", &[Replace]),
        ("payment_instruction/disbursement_mode", &[Replace]),
        (
            "payment_instruction/payee_receivable_fx_rate_id",
            &[Replace, Add, Remove],
        ),
        ("payment_instruction/platform_fees", &[Replace, Add, Remove]),
        ("supplementary_data/airline", &[Replace, Add, Remove]),
        ("supplementary_data/card", &[Replace, Add, Remove]),
    ]
};

/// The order-level attributes an order update can change.
const ORDER_ATTRIBUTES: &[(&str, &[PatchOp])] = {
    use PatchOp::{Add, Replace};
    &[
        ("/intent", &[Replace]),
        ("/payer", &[Replace, Add]),
        ("/purchase_units", &[Replace, Add]),
        ("/application_context/client_configuration", &[Replace, Add]),
    ]
};

const UNIT_PREFIX: &str = "/purchase_units/@reference_id=='";

/// The path of `attribute` of the purchase unit `reference_id`.
fn unit_path(reference_id: &str, attribute: &str) -> String {
    format!("{UNIT_PREFIX}{reference_id}'/{attribute}")
}

/// An order update (`PATCH /v2/checkout/orders/{id}`): a list of JSON Patch operations on the
/// attributes PayPal lets you change before the order is captured or authorized. Purchase units are
/// selected by `reference_id` (`"default"` for a one-unit order created without one).
///
/// ```
/// use paypal_partner::Money;
/// use paypal_partner::orders::OrderPatch;
///
/// let patch = OrderPatch::new()
///     .replace_amount("default", Money::parse("USD", "120.00")?)
///     .set_platform_fees("default", [Money::parse("USD", "6.00")?])
///     .set_invoice_id("default", "INV-78")
///     .build()?;
/// assert_eq!(
///     serde_json::to_value(&patch)?[0]["path"],
///     "/purchase_units/@reference_id=='default'/amount"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct OrderPatch {
    /// The operations, applied in order.
    pub operations: Vec<Patch>,
}

impl OrderPatch {
    /// An empty update; add operations, then [`build`](Self::build).
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the amount of the unit (PayPal takes `replace` only). With a breakdown, pass an
    /// [`Amount`].
    pub fn replace_amount(self, reference_id: &str, amount: impl Into<Amount>) -> Self {
        let value = to_json(&amount.into());
        self.operation(Patch::replace(unit_path(reference_id, "amount"), value))
    }

    /// Sets the description of a unit that has none (1–127 characters). PayPal refuses `add` of an
    /// attribute already there (400 `INVALID_PATCH_OPERATION`, "use replace"): change one with
    /// [`replace_description`](Self::replace_description).
    pub fn set_description(self, reference_id: &str, description: impl Into<String>) -> Self {
        let value = serde_json::Value::String(description.into());
        self.operation(Patch::add(unit_path(reference_id, "description"), value))
    }

    /// Replaces the description the unit has (PayPal refuses `replace` of an absent attribute: use
    /// [`set_description`](Self::set_description) then).
    pub fn replace_description(self, reference_id: &str, description: impl Into<String>) -> Self {
        let value = serde_json::Value::String(description.into());
        self.operation(Patch::replace(
            unit_path(reference_id, "description"),
            value,
        ))
    }

    /// Removes the description of the unit.
    pub fn remove_description(self, reference_id: &str) -> Self {
        self.operation(Patch::remove(unit_path(reference_id, "description")))
    }

    /// Sets your custom id of the unit where it has none (1–255 characters); `add`: see
    /// [`set_description`](Self::set_description)).
    pub fn set_custom_id(self, reference_id: &str, custom_id: impl Into<String>) -> Self {
        let value = serde_json::Value::String(custom_id.into());
        self.operation(Patch::add(unit_path(reference_id, "custom_id"), value))
    }

    /// Replaces your custom id of the unit where it has one.
    pub fn replace_custom_id(self, reference_id: &str, custom_id: impl Into<String>) -> Self {
        let value = serde_json::Value::String(custom_id.into());
        self.operation(Patch::replace(unit_path(reference_id, "custom_id"), value))
    }

    /// Removes your custom id of the unit.
    pub fn remove_custom_id(self, reference_id: &str) -> Self {
        self.operation(Patch::remove(unit_path(reference_id, "custom_id")))
    }

    /// Sets your invoice id of the unit where it has none (1–127 characters); `add`: see
    /// [`set_description`](Self::set_description)).
    pub fn set_invoice_id(self, reference_id: &str, invoice_id: impl Into<String>) -> Self {
        let value = serde_json::Value::String(invoice_id.into());
        self.operation(Patch::add(unit_path(reference_id, "invoice_id"), value))
    }

    /// Replaces your invoice id of the unit where it has one.
    pub fn replace_invoice_id(self, reference_id: &str, invoice_id: impl Into<String>) -> Self {
        let value = serde_json::Value::String(invoice_id.into());
        self.operation(Patch::replace(unit_path(reference_id, "invoice_id"), value))
    }

    /// Removes your invoice id of the unit.
    pub fn remove_invoice_id(self, reference_id: &str) -> Self {
        self.operation(Patch::remove(unit_path(reference_id, "invoice_id")))
    }

    /// Sets the platform fees (yours, to the calling partner) of a unit that has none. PayPal refuses
    /// `add` where the unit has fees (400 `INVALID_PATCH_OPERATION`, "use replace"): change them with
    /// [`replace_platform_fees`](Self::replace_platform_fees).
    pub fn set_platform_fees(
        self,
        reference_id: &str,
        fees: impl IntoIterator<Item = Money>,
    ) -> Self {
        let fees: Vec<PlatformFee> = fees.into_iter().map(PlatformFee::new).collect();
        let value = to_json(&fees);
        self.operation(Patch::add(
            unit_path(reference_id, "payment_instruction/platform_fees"),
            value,
        ))
    }

    /// Replaces the platform fees the unit has (those of the order request, or set before).
    pub fn replace_platform_fees(
        self,
        reference_id: &str,
        fees: impl IntoIterator<Item = Money>,
    ) -> Self {
        let fees: Vec<PlatformFee> = fees.into_iter().map(PlatformFee::new).collect();
        let value = to_json(&fees);
        self.operation(Patch::replace(
            unit_path(reference_id, "payment_instruction/platform_fees"),
            value,
        ))
    }

    /// Removes the platform fees of the unit.
    pub fn remove_platform_fees(self, reference_id: &str) -> Self {
        self.operation(Patch::remove(unit_path(
            reference_id,
            "payment_instruction/platform_fees",
        )))
    }

    /// Replaces the disbursement mode of the unit.
    pub fn replace_disbursement_mode(self, reference_id: &str, mode: DisbursementMode) -> Self {
        self.operation(Patch::replace(
            unit_path(reference_id, "payment_instruction/disbursement_mode"),
            serde_json::Value::String(mode.as_str().to_owned()),
        ))
    }

    /// Adds any operation, e.g. on `shipping/address`; [`build`](Self::build) checks that the path
    /// is one PayPal lets you change and the operation one it takes there.
    pub fn operation(mut self, patch: Patch) -> Self {
        self.operations.push(patch);
        self
    }

    /// Checks the update ([`validate`](Self::validate)) and returns it, ready for
    /// [`Orders::update`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first operation that is wrong, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks what [`build`](Self::build) checks: at least one operation; each on a path PayPal
    /// lets you change (a unit selected by a `reference_id` of 1–256 characters without `'`), with
    /// an operation PayPal takes there, a value exactly when the operation needs one, and a value of
    /// the right shape for the attributes this crate types (amounts, fees, ids, description).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the operation (`operations[2].path`...).
    pub fn validate(&self) -> Result<(), Error> {
        if self.operations.is_empty() {
            return Err(Error::invalid_input(
                "operations",
                "must hold at least one operation",
            ));
        }
        for (i, patch) in self.operations.iter().enumerate() {
            let field = format!("operations[{i}]");
            let (attribute, allowed) = order_attribute(&field, &patch.path)?;
            patch.check_shape(&field, allowed)?;
            if let Some(value) = patch.value.as_ref().filter(|v| !v.is_null()) {
                check_order_value(&format!("{field}.value"), attribute, value)?;
            }
        }
        Ok(())
    }
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    // The models here serialize to JSON without fail (string keys, no maps of non-strings); a
    // `Null` would still be refused at `build()` as a missing value.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The attribute `path` names (`amount`, or `/intent` for an order-level one) and the operations
/// PayPal takes on it.
fn order_attribute<'p>(field: &str, path: &'p str) -> Result<(&'p str, &'static [PatchOp]), Error> {
    let not_patchable = || {
        Error::invalid_input(
            format!("{field}.path"),
            format!("`{path}` is not an attribute PayPal lets an order update change"),
        )
    };
    if let Some(rest) = path.strip_prefix(UNIT_PREFIX) {
        let (reference_id, attribute) = rest.split_once("'/").ok_or_else(not_patchable)?;
        if reference_id.is_empty() || reference_id.len() > 256 || reference_id.contains('\'') {
            return Err(Error::invalid_input(
                format!("{field}.path"),
                "the reference_id must be 1 to 256 characters long, without `'`",
            ));
        }
        let (_, allowed) = UNIT_ATTRIBUTES
            .iter()
            .find(|(name, _)| *name == attribute)
            .ok_or_else(not_patchable)?;
        return Ok((attribute, allowed));
    }
    ORDER_ATTRIBUTES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, allowed)| (path, *allowed))
        .ok_or_else(not_patchable)
}

/// Checks the value of an attribute this crate types; other attributes are PayPal's to judge.
fn check_order_value(field: &str, attribute: &str, value: &serde_json::Value) -> Result<(), Error> {
    let text_limit = match attribute {
        "description" | "invoice_id" => Some(127),
        "custom_id" => Some(255),
        "soft_descriptor" => Some(22),
        _ => None,
    };
    if let Some(max) = text_limit {
        return match value.as_str() {
            Some(text) if !text.is_empty() && text.chars().count() <= max => Ok(()),
            _ => Err(Error::invalid_input(
                field.to_owned(),
                format!("must be a string of 1 to {max} characters"),
            )),
        };
    }
    match attribute {
        "amount" => {
            let amount: Amount = serde_json::from_value(value.clone())
                .map_err(|_| Error::invalid_input(field.to_owned(), "must be an amount"))?;
            amount.money().validate(field)
        }
        "payment_instruction/platform_fees" => {
            let fees: Vec<PlatformFee> = serde_json::from_value(value.clone()).map_err(|_| {
                Error::invalid_input(field.to_owned(), "must be a list of platform fees")
            })?;
            if fees.len() > 1 {
                return Err(Error::invalid_input(
                    field.to_owned(),
                    "takes at most one fee (the spec's `maxItems: 1`)",
                ));
            }
            for (i, fee) in fees.iter().enumerate() {
                fee.amount.validate(&format!("{field}[{i}].amount"))?;
            }
            Ok(())
        }
        "payment_instruction/disbursement_mode" => {
            match value.as_str().map(DisbursementMode::from_wire) {
                Some(mode) if !mode.is_unknown() => Ok(()),
                _ => Err(Error::invalid_input(
                    field.to_owned(),
                    "must be INSTANT or DELAYED",
                )),
            }
        }
        "/intent" => match value.as_str().map(Intent::from_wire) {
            Some(intent) if !intent.is_unknown() => Ok(()),
            _ => Err(Error::invalid_input(
                field.to_owned(),
                "must be CAPTURE or AUTHORIZE",
            )),
        },
        _ => Ok(()),
    }
}

/// The path of an order (`v2/checkout/orders/{id}`), with `tail` after it.
pub(crate) fn order_path<'a>(order_id: &'a OrderId, tail: &[Segment<'a>]) -> Vec<Segment<'a>> {
    let mut segments = vec![
        Segment::literal("v2"),
        Segment::literal("checkout"),
        Segment::literal("orders"),
        Segment::id("order_id", order_id.as_str()),
    ];
    segments.extend_from_slice(tail);
    segments
}

/// A pending order update: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct UpdateOrder {
    client: Client,
    order_id: OrderId,
    patch: OrderPatch,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl UpdateOrder {
    partner_core::call_options!(options);
    on_behalf_of_setters!();

    /// Sends it. PayPal answers `204 No Content`; read the order again with [`Orders::get`].
    ///
    /// A PATCH is not retried once it may have reached PayPal (it has no idempotency key): on an
    /// error that [may have been applied](Error::may_have_been_applied), read the order before
    /// sending it again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API errors (422 with the issue `NOT_PATCHABLE`,
    /// `REFERENCE_ID_NOT_FOUND`, `INVALID_PLATFORM_FEES_AMOUNT`...), transport errors.
    pub async fn send(self) -> Result<(), Error> {
        check_id("order_id", self.order_id.as_str())?;
        self.patch.validate()?;
        let request = self
            .client
            .request(Method::PATCH, &order_path(&self.order_id, &[]))?
            .json(&self.patch)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.execute(request).await?;
        Ok(())
    }
}

/// A pending order authorization: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct AuthorizeOrder {
    client: Client,
    order_id: OrderId,
    payment_source: Option<serde_json::Value>,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl AuthorizeOrder {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sets `payment_source` (a vaulted `token`, a `card`...), as JSON; without it PayPal
    /// authorizes what the buyer approved.
    pub fn payment_source(mut self, source: serde_json::Value) -> Self {
        self.payment_source = Some(source);
        self
    }

    /// Sends it. The authorization is in `purchase_units[].payments.authorizations`
    /// ([`Order::authorizations`]; with `Prefer: return=representation` for the whole order).
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or a `payment_source` that is not a JSON object; API
    /// (422 `ORDER_NOT_APPROVED`, `ORDER_ALREADY_AUTHORIZED`...), transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        let mut body = serde_json::Map::new();
        if let Some(source) = self.payment_source {
            if !source.is_object() {
                return Err(Error::invalid_input(
                    "payment_source",
                    "must be a JSON object",
                ));
            }
            body.insert("payment_source".into(), source);
        }
        let request = self
            .client
            .request(
                Method::POST,
                &order_path(&self.order_id, &[Segment::literal("authorize")]),
            )?
            .json(&body)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

partner_core::string_enum! {
    /// What PayPal does once the buyer approves a confirmed order.
    pub enum ProcessingInstruction {
        /// Complete (capture or authorize) the order on approval, without a further call.
        OrderCompleteOnPaymentApproval = "ORDER_COMPLETE_ON_PAYMENT_APPROVAL",
        /// Nothing: you capture or authorize (the default).
        NoInstruction = "NO_INSTRUCTION",
    }
}

/// The body of `confirm-payment-source`: the payment source the buyer chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfirmPaymentSourceRequest {
    /// One payment source, keyed by its kind (`{"paypal": {..}}`, `{"card": {..}}`...).
    pub payment_source: serde_json::Value,
    /// What happens on approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_instruction: Option<ProcessingInstruction>,
    /// `application_context` (brand name, locale, URLs), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_context: Option<serde_json::Value>,
}

impl ConfirmPaymentSourceRequest {
    /// Confirms `payment_source`, e.g. `json!({"paypal": {"experience_context": {..}}})`.
    pub fn new(payment_source: serde_json::Value) -> Self {
        Self {
            payment_source,
            processing_instruction: None,
            application_context: None,
        }
    }

    /// Sets what happens on approval.
    pub fn processing_instruction(mut self, instruction: ProcessingInstruction) -> Self {
        self.processing_instruction = Some(instruction);
        self
    }

    /// Checks the request ([`validate`](Self::validate)) and returns it, ready for
    /// [`Orders::confirm_payment_source`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks that `payment_source` is an object naming exactly one source, and that
    /// `application_context` is an object.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        match self.payment_source.as_object() {
            Some(sources) if sources.len() == 1 => {}
            _ => {
                return Err(Error::invalid_input(
                    "payment_source",
                    "must be an object naming exactly one source (`paypal`, `card`...)",
                ));
            }
        }
        if self
            .application_context
            .as_ref()
            .is_some_and(|c| !c.is_object())
        {
            return Err(Error::invalid_input(
                "application_context",
                "must be a JSON object",
            ));
        }
        Ok(())
    }
}

/// A pending confirmation of the payment source: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ConfirmOrder {
    client: Client,
    order_id: OrderId,
    request: ConfirmPaymentSourceRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ConfirmOrder {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// The spec gives this call no `PayPal-Request-Id`, so none is sent and the call is not retried
    /// once it may have reached PayPal: on such an error, read the order before confirming again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API, transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        self.request.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &order_path(
                    &self.order_id,
                    &[Segment::literal("confirm-payment-source")],
                ),
            )?
            .json(&self.request)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let mut request = self.headers.apply(request, &self.options)?;
        request.idempotency = partner_core::request::Idempotency::ByMethod;
        self.client.send_json(request).await
    }
}

#[cfg(test)]
mod platform_fee_tests {
    use super::*;

    fn usd(value: &str) -> Money {
        Money::parse("USD", value).unwrap()
    }

    /// The field and reason of the refusal, or `None` when the fees pass.
    fn refusal(fees: &[Money], base: Option<&Money>) -> Option<(String, String)> {
        let fees: Vec<PlatformFee> = fees.iter().cloned().map(PlatformFee::new).collect();
        match check_platform_fees(&fees, "payment_instruction.platform_fees", base, "capture") {
            Ok(()) => None,
            Err(Error::InvalidInput(e)) => Some((e.field.into_owned(), e.reason)),
            Err(other) => panic!("not an input error: {other:?}"),
        }
    }

    #[test]
    fn one_fee_in_the_base_currency_up_to_the_base_passes() {
        assert_eq!(refusal(&[usd("10.00")], Some(&usd("10.00"))), None);
        assert_eq!(refusal(&[], Some(&usd("10.00"))), None);
        // Without a base (a full capture) only the fee itself is checked.
        assert_eq!(refusal(&[usd("99.00")], None), None);
    }

    #[test]
    fn each_broken_rule_names_the_field_and_the_base() {
        let field = "payment_instruction.platform_fees[0].amount".to_owned();
        assert_eq!(
            refusal(&[usd("1.00"), usd("1.00")], Some(&usd("10.00"))),
            Some((
                "payment_instruction.platform_fees".to_owned(),
                "takes at most one fee".to_owned()
            ))
        );
        assert_eq!(
            refusal(&[usd("10.01")], Some(&usd("10.00"))),
            Some((field.clone(), "exceeds the capture".to_owned()))
        );
        let euros = Money::parse("EUR", "1.00").unwrap();
        assert_eq!(
            refusal(&[euros], Some(&usd("10.00"))),
            Some((
                field.clone(),
                "must be in the currency of the capture".to_owned()
            ))
        );
        // The fee's own checks (Money::validate) run with or without a base.
        let (negative, _) = refusal(&[usd("-1.00")], None).expect("a negative fee is refused");
        assert!(negative.starts_with(&field), "{negative}");
    }
}
