//! Captures (`/v2/payments/captures`): read a capture, refund it with your platform fee returned.

use partner_core::http::Method;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{CaptureId, RefundId};
use crate::links::Link;
use crate::money::Money;
use crate::orders::{Capture, PlatformFee, check_platform_fees, on_behalf_of_setters};
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// The status of a refund.
    pub enum RefundStatus {
        /// Cancelled.
        Cancelled = "CANCELLED",
        /// Failed.
        Failed = "FAILED",
        /// Pending (see `status_details.reason`, e.g. `ECHECK`).
        Pending = "PENDING",
        /// Completed.
        Completed = "COMPLETED",
    }
}

/// `payment_instruction` of a refund: the platform fees to give back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RefundPaymentInstruction {
    /// Platform fees refunded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_fees: Vec<PlatformFee>,
}

/// A refund request. Without an amount, PayPal refunds the whole capture.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RefundRequest {
    /// The amount to refund (omitted: everything left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Your custom id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Your invoice id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// A note to the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_to_payer: Option<String>,
    /// Platform fees to give back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instruction: Option<RefundPaymentInstruction>,
}

impl RefundRequest {
    /// A full refund.
    pub fn full() -> Self {
        Self::default()
    }

    /// A refund of `amount`.
    pub fn amount(amount: Money) -> Self {
        Self {
            amount: Some(amount),
            ..Default::default()
        }
    }

    /// Gives back `fee` of your platform fee.
    pub fn platform_fee(mut self, fee: Money) -> Self {
        self.payment_instruction
            .get_or_insert_with(Default::default)
            .platform_fees
            .push(PlatformFee::new(fee));
        self
    }

    /// Sets the note to the buyer.
    pub fn note_to_payer(mut self, note: impl Into<String>) -> Self {
        self.note_to_payer = Some(note.into());
        self
    }

    /// Sets your invoice id.
    pub fn invoice_id(mut self, id: impl Into<String>) -> Self {
        self.invoice_id = Some(id.into());
        self
    }

    /// Sets your custom id.
    pub fn custom_id(mut self, id: impl Into<String>) -> Self {
        self.custom_id = Some(id.into());
        self
    }

    /// Checks the refund ([`validate`](Self::validate)) and returns it, ready for
    /// [`Captures::refund`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks amounts and fees (what [`build`](Self::build) checks).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(amount) = &self.amount {
            amount.validate("amount")?;
        }
        if let Some(instruction) = &self.payment_instruction {
            check_platform_fees(
                &instruction.platform_fees,
                "payment_instruction.platform_fees",
                self.amount.as_ref(),
                "refund",
            )?;
        }
        Ok(())
    }
}

/// A refund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Refund {
    /// The refund id. Required when decoding, as [`Order::id`](crate::orders::Order::id).
    pub id: RefundId,
    /// The status.
    #[serde(default)]
    pub status: Option<RefundStatus>,
    /// Why it is pending.
    #[serde(default)]
    pub status_details: Option<serde_json::Value>,
    /// The amount refunded.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Your invoice id.
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Your custom id.
    #[serde(default)]
    pub custom_id: Option<String>,
    /// The note to the buyer.
    #[serde(default)]
    pub note_to_payer: Option<String>,
    /// The seller's side (gross, PayPal fee, platform fees, net), as JSON.
    #[serde(default)]
    pub seller_payable_breakdown: Option<serde_json::Value>,
    /// Creation time.
    #[serde(default)]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default)]
    pub update_time: Option<String>,
    /// Links (`up` is the capture).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The captures resource: `client.captures()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Captures {
    client: Client,
}

impl Captures {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v2/payments/captures/{capture_id}/refund` with `refund` (checked at `send()`).
    pub fn refund(
        &self,
        capture_id: impl Into<CaptureId>,
        refund: &RefundRequest,
    ) -> RefundCapture {
        RefundCapture {
            client: self.client.clone(),
            capture_id: capture_id.into(),
            refund: refund.clone(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v2/payments/captures/{capture_id}`.
    pub fn get(&self, capture_id: impl Into<CaptureId>) -> GetCapture {
        GetCapture {
            client: self.client.clone(),
            capture_id: capture_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending refund: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct RefundCapture {
    client: Client,
    capture_id: CaptureId,
    refund: RefundRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl RefundCapture {
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
    pub async fn send(self) -> Result<Refund, Error> {
        check_id("capture_id", self.capture_id.as_str())?;
        self.refund.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("payments"),
                    Segment::literal("captures"),
                    Segment::id("capture_id", self.capture_id.as_str()),
                    Segment::literal("refund"),
                ],
            )?
            .json(&self.refund)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending capture read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetCapture {
    client: Client,
    capture_id: CaptureId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetCapture {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API, transport and decode errors.
    pub async fn send(self) -> Result<Capture, Error> {
        check_id("capture_id", self.capture_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v2"),
                Segment::literal("payments"),
                Segment::literal("captures"),
                Segment::id("capture_id", self.capture_id.as_str()),
            ],
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}
