//! Authorized payments (`/v2/payments/authorizations`): what an `AUTHORIZE` order holds after
//! [`Orders::authorize`](crate::orders::Orders::authorize). Capture it (all, or in parts, with your
//! platform fee), reauthorize it after the three-day honour period, or void it.
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! use paypal_partner::Money;
//! use paypal_partner::authorizations::CaptureRequest;
//!
//! let order = client.orders().authorize("5O190127TN364715T").on_behalf_of("SELLER1").send().await?;
//! let Some(authorization) = order.authorizations().next() else { return Ok(()) };
//! // Ship part of the order: capture 60.00 of it now, with your 3.00 fee, and keep the rest open.
//! let capture = CaptureRequest::amount(Money::parse("USD", "60.00")?)
//!     .platform_fee(Money::parse("USD", "3.00")?)
//!     .final_capture(false)
//!     .build()?;
//! let captured = client
//!     .authorizations()
//!     .capture(&authorization.id, &capture)
//!     .on_behalf_of("SELLER1")
//!     .send()
//!     .await?;
//! println!("captured {:?}: {:?}", captured.id, captured.status);
//! # Ok(()) }
//! ```

use partner_core::RequestOptions;
use partner_core::http::Method;
use partner_core::path::Segment;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{AuthorizationId, CaptureId, OrderId};
use crate::links::Link;
use crate::money::Money;
use crate::orders::{
    Capture, DisbursementMode, Payee, PlatformFee, check_platform_fees, on_behalf_of_setters,
};

partner_core::string_enum! {
    /// The status of an authorization.
    pub enum AuthorizationStatus {
        /// Authorized, not captured yet.
        Created = "CREATED",
        /// Captured in full.
        Captured = "CAPTURED",
        /// Denied.
        Denied = "DENIED",
        /// Captured in part; more can be captured.
        PartiallyCaptured = "PARTIALLY_CAPTURED",
        /// Voided.
        Voided = "VOIDED",
        /// Pending (see `status_details.reason`).
        Pending = "PENDING",
    }
}

partner_core::string_enum! {
    /// Why an authorization is pending.
    pub enum AuthorizationStatusReason {
        /// Under review.
        PendingReview = "PENDING_REVIEW",
        /// Declined by the seller's risk and fraud filters.
        DeclinedByRiskFraudFilters = "DECLINED_BY_RISK_FRAUD_FILTERS",
    }
}

partner_core::string_enum! {
    /// Whether the payment is covered by PayPal Seller Protection.
    pub enum SellerProtectionStatus {
        /// Covered.
        Eligible = "ELIGIBLE",
        /// Covered for some dispute categories.
        PartiallyEligible = "PARTIALLY_ELIGIBLE",
        /// Not covered.
        NotEligible = "NOT_ELIGIBLE",
    }
}

/// `status_details` of an authorization.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthorizationStatusDetails {
    /// The reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<AuthorizationStatusReason>,
}

/// Seller Protection of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SellerProtection {
    /// Whether it is covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SellerProtectionStatus>,
    /// The dispute categories covered (`ITEM_NOT_RECEIVED`, `UNAUTHORIZED_TRANSACTION`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispute_categories: Vec<String>,
}

/// The ids related to a payment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelatedIds {
    /// The order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    /// The authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_id: Option<AuthorizationId>,
    /// The capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_id: Option<CaptureId>,
}

/// `supplementary_data` of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SupplementaryData {
    /// The related ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_ids: Option<RelatedIds>,
}

/// An authorized payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Authorization {
    /// The authorization id. Required when decoding, as
    /// [`Order::id`](crate::orders::Order::id).
    pub id: AuthorizationId,
    /// The status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AuthorizationStatus>,
    /// Why it is pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_details: Option<AuthorizationStatusDetails>,
    /// The amount authorized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Your invoice id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// Your custom id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Seller Protection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_protection: Option<SellerProtection>,
    /// When the authorization expires (29 days after it was made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// The related order and captures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplementary_data: Option<SupplementaryData>,
    /// The seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Links (`capture`, `void`, `reauthorize`, `up` to the order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// `payment_instruction` of a capture: your platform fees and the disbursement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CapturePaymentInstruction {
    /// Platform fees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_fees: Vec<PlatformFee>,
    /// `INSTANT` or `DELAYED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursement_mode: Option<DisbursementMode>,
    /// The FX rate id for the payee's receivable currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_receivable_fx_rate_id: Option<String>,
}

/// The capture of an authorization (`capture_request`). Without an amount PayPal captures what is
/// left; `final_capture` (default `false`) closes the authorization after this capture.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CaptureRequest {
    /// The amount to capture (omitted: everything left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Your invoice id (1–127 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// Whether this is the last capture of the authorization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_capture: Option<bool>,
    /// Platform fees and disbursement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instruction: Option<CapturePaymentInstruction>,
    /// A note to the buyer (1–255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_to_payer: Option<String>,
    /// The text on the buyer's statement (1–22 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_descriptor: Option<String>,
}

impl CaptureRequest {
    /// Captures everything left, as the final capture.
    pub fn full() -> Self {
        Self {
            final_capture: Some(true),
            ..Default::default()
        }
    }

    /// Captures `amount` (set [`final_capture`](Self::final_capture) to close the authorization).
    pub fn amount(amount: Money) -> Self {
        Self {
            amount: Some(amount),
            ..Default::default()
        }
    }

    /// Sets whether this is the last capture.
    pub fn final_capture(mut self, final_capture: bool) -> Self {
        self.final_capture = Some(final_capture);
        self
    }

    /// Takes `fee` as your platform fee.
    pub fn platform_fee(mut self, fee: Money) -> Self {
        self.payment_instruction
            .get_or_insert_with(Default::default)
            .platform_fees
            .push(PlatformFee::new(fee));
        self
    }

    /// Sets the disbursement mode (`DELAYED`: held until a referenced payout).
    pub fn disbursement_mode(mut self, mode: DisbursementMode) -> Self {
        self.payment_instruction
            .get_or_insert_with(Default::default)
            .disbursement_mode = Some(mode);
        self
    }

    /// Sets your invoice id.
    pub fn invoice_id(mut self, id: impl Into<String>) -> Self {
        self.invoice_id = Some(id.into());
        self
    }

    /// Sets the note to the buyer.
    pub fn note_to_payer(mut self, note: impl Into<String>) -> Self {
        self.note_to_payer = Some(note.into());
        self
    }

    /// Sets the statement text.
    pub fn soft_descriptor(mut self, text: impl Into<String>) -> Self {
        self.soft_descriptor = Some(text.into());
        self
    }

    /// Checks the capture ([`validate`](Self::validate)) and returns it, ready for
    /// [`Authorizations::capture`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks amounts, fees (in the capture's currency, not above it) and text lengths.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(amount) = &self.amount {
            amount.validate("amount")?;
        }
        check_text("invoice_id", self.invoice_id.as_deref(), 127)?;
        check_text("note_to_payer", self.note_to_payer.as_deref(), 255)?;
        check_text("soft_descriptor", self.soft_descriptor.as_deref(), 22)?;
        if let Some(instruction) = &self.payment_instruction {
            check_platform_fees(
                &instruction.platform_fees,
                "payment_instruction.platform_fees",
                self.amount.as_ref(),
                "capture",
            )?;
            check_text(
                "payment_instruction.payee_receivable_fx_rate_id",
                instruction.payee_receivable_fx_rate_id.as_deref(),
                4000,
            )?;
        }
        Ok(())
    }
}

fn check_text(field: &str, value: Option<&str>, max: usize) -> Result<(), Error> {
    match value {
        Some(text) if text.is_empty() || text.chars().count() > max => Err(Error::invalid_input(
            field.to_owned(),
            format!("must be 1 to {max} characters long"),
        )),
        _ => Ok(()),
    }
}

/// A reauthorization (`reauthorize_request`): without an amount, the amount first authorized.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReauthorizeRequest {
    /// The amount to reauthorize.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

impl ReauthorizeRequest {
    /// Reauthorizes the amount first authorized.
    pub fn full() -> Self {
        Self::default()
    }

    /// Reauthorizes `amount`.
    pub fn amount(amount: Money) -> Self {
        Self {
            amount: Some(amount),
        }
    }

    /// Checks the request ([`validate`](Self::validate)) and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks the amount.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(amount) = &self.amount {
            amount.validate("amount")?;
        }
        Ok(())
    }
}

/// The authorizations resource: `client.authorizations()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Authorizations {
    client: Client,
}

impl Authorizations {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/payments/authorizations/{authorization_id}`.
    pub fn get(&self, authorization_id: impl Into<AuthorizationId>) -> GetAuthorization {
        GetAuthorization {
            client: self.client.clone(),
            authorization_id: authorization_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/payments/authorizations/{authorization_id}/capture` with `capture` (checked at
    /// `send()`).
    pub fn capture(
        &self,
        authorization_id: impl Into<AuthorizationId>,
        capture: &CaptureRequest,
    ) -> CaptureAuthorization {
        CaptureAuthorization {
            client: self.client.clone(),
            authorization_id: authorization_id.into(),
            capture: capture.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/payments/authorizations/{authorization_id}/reauthorize` with `request`.
    pub fn reauthorize(
        &self,
        authorization_id: impl Into<AuthorizationId>,
        request: &ReauthorizeRequest,
    ) -> ReauthorizeAuthorization {
        ReauthorizeAuthorization {
            client: self.client.clone(),
            authorization_id: authorization_id.into(),
            request: request.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v2/payments/authorizations/{authorization_id}/void`.
    pub fn void(&self, authorization_id: impl Into<AuthorizationId>) -> VoidAuthorization {
        VoidAuthorization {
            client: self.client.clone(),
            authorization_id: authorization_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// `v2/payments/authorizations/{id}`, with `action` after it.
fn authorization_path<'a>(
    authorization_id: &'a AuthorizationId,
    action: Option<&'static str>,
) -> Vec<Segment<'a>> {
    let mut segments = vec![
        Segment::literal("v2"),
        Segment::literal("payments"),
        Segment::literal("authorizations"),
        Segment::id("authorization_id", authorization_id.as_str()),
    ];
    segments.extend(action.map(Segment::literal));
    segments
}

/// A pending authorization read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetAuthorization {
    client: Client,
    authorization_id: AuthorizationId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetAuthorization {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API errors (a 404 for an unknown authorization:
    /// [`Error::is_not_found`]), transport and decode errors.
    pub async fn send(self) -> Result<Authorization, Error> {
        check_id("authorization_id", self.authorization_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &authorization_path(&self.authorization_id, None),
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending capture of an authorization: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CaptureAuthorization {
    client: Client,
    authorization_id: AuthorizationId,
    capture: CaptureRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CaptureAuthorization {
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
    /// [`Error::InvalidInput`] before sending; API errors (422 with the issue
    /// `AUTHORIZATION_ALREADY_CAPTURED`, `AUTHORIZATION_EXPIRED`, `MAX_CAPTURE_AMOUNT_EXCEEDED`...:
    /// [`ErrorDetails::first_issue`](crate::ErrorDetails::first_issue)), transport and decode
    /// errors.
    pub async fn send(self) -> Result<Capture, Error> {
        check_id("authorization_id", self.authorization_id.as_str())?;
        self.capture.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &authorization_path(&self.authorization_id, Some("capture")),
            )?
            .json(&self.capture)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending reauthorization: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ReauthorizeAuthorization {
    client: Client,
    authorization_id: AuthorizationId,
    request: ReauthorizeRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ReauthorizeAuthorization {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it. The answer is the new authorization, with its own id and a new three-day honour
    /// period.
    ///
    /// Idempotent with key, as [`CaptureAuthorization::send`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API errors (422 `REAUTHORIZATION_TOO_SOON` inside the
    /// honour period...), transport and decode errors.
    pub async fn send(self) -> Result<Authorization, Error> {
        check_id("authorization_id", self.authorization_id.as_str())?;
        self.request.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &authorization_path(&self.authorization_id, Some("reauthorize")),
            )?
            .json(&self.request)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending void: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct VoidAuthorization {
    client: Client,
    authorization_id: AuthorizationId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl VoidAuthorization {
    paypal_call_options!();
    idempotency_key_setter!();
    on_behalf_of_setters!();

    /// Sends it (no body: the spec defines none). PayPal answers `204 No Content` by default
    /// (`None`), or the voided authorization with `Prefer: return=representation` (`Some`).
    ///
    /// Idempotent with key, as [`CaptureAuthorization::send`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API errors (422 with the issue `PREVIOUSLY_CAPTURED`,
    /// `PREVIOUSLY_VOIDED` or `CANNOT_BE_VOIDED`), transport and decode errors.
    pub async fn send(self) -> Result<Option<Authorization>, Error> {
        check_id("authorization_id", self.authorization_id.as_str())?;
        let request = self.client.request(
            Method::POST,
            &authorization_path(&self.authorization_id, Some("void")),
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        let response = self.client.execute(request).await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        Ok(Some(response.json()?))
    }
}
