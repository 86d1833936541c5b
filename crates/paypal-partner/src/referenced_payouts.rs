//! Referenced payouts (`/v1/payments/referenced-payouts-items`): release funds held by a `DELAYED`
//! disbursement to the seller.
//!
//! A 409 means an operation on that capture is still running: it is not a failure, and comes back as
//! [`ReleaseOutcome::InProgress`]. Ask again later (PayPal keeps referenced-payout request ids forever,
//! so the same `PayPal-Request-Id` is always safe to repeat).

use partner_core::ApiError;
use partner_core::http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{Client, check_id};
use crate::headers::{PayPalHeaders, Prefer};
use crate::ids::{CaptureId, PayoutItemId};
use crate::links::Link;
use crate::money::Money;
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// What `reference_id` is.
    pub enum ReferenceType {
        /// A transaction (capture) id.
        TransactionId = "TRANSACTION_ID",
        /// Something else.
        Others = "OTHERS",
    }
}

partner_core::string_enum! {
    /// The processing status of a payout item.
    pub enum ItemStatus {
        /// Pending.
        Pending = "PENDING",
        /// Processing.
        Processing = "PROCESSING",
        /// Paid out.
        Success = "SUCCESS",
        /// Failed (see `reason`).
        Failed = "FAILED",
        /// The payout failed.
        PayoutFailed = "PAYOUT_FAILED",
    }
}

/// `processing_state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessingState {
    /// The status.
    #[serde(default)]
    pub status: Option<ItemStatus>,
    /// Why it failed (`NOT_ENOUGH_BALANCE`, `MERCHANT_PARTNER_PERMISSIONS_ISSUE`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The request body: which capture's funds to release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferencedPayoutItemRequest {
    /// The capture id.
    pub reference_id: String,
    /// `TRANSACTION_ID`.
    pub reference_type: ReferenceType,
}

/// A referenced payout item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferencedPayoutItem {
    /// The item id. Required when decoding, as [`Order::id`](crate::orders::Order::id).
    pub item_id: PayoutItemId,
    /// Where it stands.
    #[serde(default)]
    pub processing_state: Option<ProcessingState>,
    /// The capture id.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// The reference type.
    #[serde(default)]
    pub reference_type: Option<ReferenceType>,
    /// The payout transaction id, on success.
    #[serde(default)]
    pub payout_transaction_id: Option<String>,
    /// The disbursement transaction id.
    #[serde(default)]
    pub disbursement_transaction_id: Option<String>,
    /// The amount paid to the seller.
    #[serde(default)]
    pub payout_amount: Option<Money>,
    /// Where it went.
    #[serde(default)]
    pub payout_destination: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The outcome of a release.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ReleaseOutcome {
    /// 200 or 201: processed (or processed before); see `processing_state`.
    Processed(ReferencedPayoutItem),
    /// 202 (`Prefer: respond-async`): queued.
    Queued(ReferencedPayoutItem),
    /// 409: a previous operation on this capture is still running. Try again later.
    InProgress(Box<ApiError>),
}

/// The referenced-payouts resource: `client.referenced_payouts()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct ReferencedPayouts {
    client: Client,
}

impl ReferencedPayouts {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v1/payments/referenced-payouts-items` for the capture `capture_id`.
    pub fn release(&self, capture_id: impl Into<CaptureId>) -> ReleaseFunds {
        ReleaseFunds {
            client: self.client.clone(),
            body: ReferencedPayoutItemRequest {
                reference_id: capture_id.into().into_string(),
                reference_type: ReferenceType::TransactionId,
            },
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v1/payments/referenced-payouts-items/{payouts_item_id}`.
    pub fn get_item(&self, item_id: impl Into<PayoutItemId>) -> GetPayoutItem {
        GetPayoutItem {
            client: self.client.clone(),
            item_id: item_id.into(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending payout item read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetPayoutItem {
    client: Client,
    item_id: PayoutItemId,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetPayoutItem {
    paypal_call_options!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API, transport and decode errors.
    pub async fn send(self) -> Result<ReferencedPayoutItem, Error> {
        check_id("payouts_item_id", self.item_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v1"),
                Segment::literal("payments"),
                Segment::literal("referenced-payouts-items"),
                Segment::id("payouts_item_id", self.item_id.as_str()),
            ],
        )?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending release: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ReleaseFunds {
    client: Client,
    body: ReferencedPayoutItemRequest,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ReleaseFunds {
    paypal_call_options!();
    idempotency_key_setter!();

    /// Asks PayPal to queue the release and answer 202 (`Prefer: respond-async`).
    pub fn respond_async(self) -> Self {
        self.prefer(Prefer::RespondAsync)
    }

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad capture id; API errors other than 409, transport and decode
    /// errors.
    pub async fn send(self) -> Result<ReleaseOutcome, Error> {
        check_id("reference_id", &self.body.reference_id)?;
        if !self
            .body
            .reference_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(Error::invalid_input(
                "reference_id",
                "must hold only letters, digits and hyphens",
            ));
        }
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v1"),
                    Segment::literal("payments"),
                    Segment::literal("referenced-payouts-items"),
                ],
            )?
            .json(&self.body)?;
        let request = self.headers.apply(request, &self.options)?;
        let response = self.client.execute_raw(request).await?;
        match response.status {
            StatusCode::ACCEPTED => Ok(ReleaseOutcome::Queued(response.json()?)),
            s if s.is_success() => Ok(ReleaseOutcome::Processed(response.json()?)),
            StatusCode::CONFLICT => match self.client.error_for(&response) {
                Error::Api(api) => Ok(ReleaseOutcome::InProgress(api)),
                other => Err(other),
            },
            _ => Err(self.client.error_for(&response)),
        }
    }
}
