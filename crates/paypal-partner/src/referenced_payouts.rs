//! Referenced payouts (`/v1/payments/referenced-payouts-items`, `/v1/payments/referenced-payouts`):
//! release funds held by a `DELAYED` disbursement to the seller, one capture at a time
//! ([`ReferencedPayouts::release`]) or many in a batch ([`ReferencedPayouts::create_batch`], whose items
//! [`ReferencedPayouts::batch_items`] lists).
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
use crate::ids::{CaptureId, PayoutBatchId, PayoutItemId};
use crate::links::Link;
use crate::money::Money;
use crate::pages::{LinkedPage, Page};
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

/// The most captures one referenced batch releases.
pub const MAX_BATCH_ITEMS: usize = 1000;

partner_core::string_enum! {
    /// What `destination` of a [`PayoutDirective`] is.
    pub enum PayoutDirectiveType {
        /// A PayPal financial instrument id.
        FinancialInstrumentId = "FINANCIAL_INSTRUMENT_ID",
        /// A PayPal email address.
        Email = "EMAIL",
        /// A PayPal payer id.
        AccountId = "ACCOUNT_ID",
    }
}

/// Where a referenced batch pays out (`payout_directive`), when not to the sellers' balances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoutDirective {
    /// The destination (letters, digits and hyphens, up to 255).
    pub destination: String,
    /// What the destination is.
    #[serde(rename = "type")]
    pub kind: PayoutDirectiveType,
}

impl PayoutDirective {
    /// Pays out to `destination` of type `kind`.
    pub fn new(kind: PayoutDirectiveType, destination: impl Into<String>) -> Self {
        Self {
            destination: destination.into(),
            kind,
        }
    }
}

/// The body of a referenced batch (`referenced_payouts`): build it with
/// [`ReferencedPayoutBatchRequest::builder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReferencedPayoutBatchRequest {
    /// The captures whose `DELAYED` funds to release (1 to 1000).
    pub referenced_payouts: Vec<ReferencedPayoutItemRequest>,
    /// Where to pay out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout_directive: Option<PayoutDirective>,
}

impl ReferencedPayoutBatchRequest {
    /// A builder; at least one capture is required.
    pub fn builder() -> ReferencedPayoutBatchBuilder {
        ReferencedPayoutBatchBuilder::default()
    }
}

/// Builds a [`ReferencedPayoutBatchRequest`], checked at [`build`](Self::build).
#[derive(Debug, Clone, Default)]
pub struct ReferencedPayoutBatchBuilder {
    captures: Vec<CaptureId>,
    directive: Option<PayoutDirective>,
}

/// PayPal's pattern for the ids of this API: letters, digits and hyphens, 1 to 255.
fn check_reference(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty()
        || value.len() > 255
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::invalid_input(
            field.to_owned(),
            "must be 1 to 255 letters, digits and hyphens",
        ));
    }
    Ok(())
}

impl ReferencedPayoutBatchBuilder {
    /// Adds a capture whose funds to release.
    pub fn capture(mut self, capture_id: impl Into<CaptureId>) -> Self {
        self.captures.push(capture_id.into());
        self
    }

    /// Adds captures.
    pub fn captures<I: IntoIterator<Item = C>, C: Into<CaptureId>>(mut self, ids: I) -> Self {
        self.captures.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Pays out to this destination.
    pub fn payout_directive(mut self, directive: PayoutDirective) -> Self {
        self.directive = Some(directive);
        self
    }

    /// Checks and builds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for no capture or over 1000, a capture id or destination that is not
    /// letters, digits and hyphens.
    pub fn build(self) -> Result<ReferencedPayoutBatchRequest, Error> {
        if self.captures.is_empty() || self.captures.len() > MAX_BATCH_ITEMS {
            return Err(Error::invalid_input(
                "referenced_payouts",
                format!("must hold 1 to {MAX_BATCH_ITEMS} captures"),
            ));
        }
        for (i, id) in self.captures.iter().enumerate() {
            check_reference(
                &format!("referenced_payouts[{i}].reference_id"),
                id.as_str(),
            )?;
        }
        if let Some(directive) = &self.directive {
            check_reference("payout_directive.destination", &directive.destination)?;
        }
        Ok(ReferencedPayoutBatchRequest {
            referenced_payouts: self
                .captures
                .into_iter()
                .map(|id| ReferencedPayoutItemRequest {
                    reference_id: id.into_string(),
                    reference_type: ReferenceType::TransactionId,
                })
                .collect(),
            payout_directive: self.directive,
        })
    }
}

/// A referenced batch (`referenced_payouts`): its items and links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferencedPayoutBatch {
    /// The items.
    #[serde(default)]
    pub referenced_payouts: Vec<ReferencedPayoutItem>,
    /// Where it pays out.
    #[serde(default)]
    pub payout_directive: Option<PayoutDirective>,
    /// Links (`self` names the batch).
    #[serde(default)]
    pub links: Vec<Link>,
}

impl ReferencedPayoutBatch {
    /// The batch id, the last segment of the `self` link: the spec's batch has no id field, only
    /// this link (`/v1/payments/referenced-payouts/{payouts_batch_id}`).
    pub fn batch_id(&self) -> Option<PayoutBatchId> {
        let href = crate::links::find(&self.links, "self")?;
        let url = partner_core::url::Url::parse(href).ok()?;
        let mut segments = url.path_segments()?;
        let id = segments.next_back()?;
        (segments.next_back() == Some("referenced-payouts") && !id.is_empty())
            .then(|| PayoutBatchId::from(id))
    }
}

/// The outcome of a referenced batch.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BatchOutcome {
    /// 200 or 201: processed (or processed before); see each item's `processing_state`.
    Processed(ReferencedPayoutBatch),
    /// 202 (`Prefer: respond-async`): queued; read it later with
    /// [`batch_items`](ReferencedPayouts::batch_items).
    Queued(ReferencedPayoutBatch),
}

impl ReferencedPayouts {
    /// `POST /v1/payments/referenced-payouts` (`referenced-payouts.create_batch`): releases the
    /// `DELAYED` funds of many captures at once.
    pub fn create_batch(&self, batch: &ReferencedPayoutBatchRequest) -> CreateReferencedBatch {
        CreateReferencedBatch {
            client: self.client.clone(),
            body: batch.clone(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v1/payments/referenced-payouts/{payouts_batch_id}`
    /// (`referenced-payouts.get_batch_details`): the batch's items, as a list.
    pub fn batch_items(&self, batch_id: impl Into<PayoutBatchId>) -> ListBatchItems {
        ListBatchItems {
            client: self.client.clone(),
            batch_id: batch_id.into(),
            max_pages: crate::pages::MAX_LINK_PAGES,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending referenced batch: `client.referenced_payouts().create_batch(&batch)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CreateReferencedBatch {
    client: Client,
    body: ReferencedPayoutBatchRequest,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CreateReferencedBatch {
    paypal_call_options!();
    idempotency_key_setter!();

    /// Asks PayPal to queue the batch and answer 202 (`Prefer: respond-async`).
    pub fn respond_async(self) -> Self {
        self.prefer(Prefer::RespondAsync)
    }

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key.
    ///
    /// # Errors
    ///
    /// API, transport and decode errors.
    pub async fn send(self) -> Result<BatchOutcome, Error> {
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v1"),
                    Segment::literal("payments"),
                    Segment::literal("referenced-payouts"),
                ],
            )?
            .json(&self.body)?;
        let request = self.headers.apply(request, &self.options)?;
        let response = self.client.execute(request).await?;
        let batch = response.json()?;
        Ok(if response.status == StatusCode::ACCEPTED {
            BatchOutcome::Queued(batch)
        } else {
            BatchOutcome::Processed(batch)
        })
    }
}

/// A pending list of a referenced batch's items: `client.referenced_payouts().batch_items(id)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()` or `.stream()`"]
pub struct ListBatchItems {
    client: Client,
    batch_id: PayoutBatchId,
    max_pages: u64,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ListBatchItems {
    paypal_call_options!();

    /// Stops `stream()` after this many pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    fn url(&self) -> Result<partner_core::url::Url, Error> {
        // Not the spec's `^[a-zA-Z0-9-]*$`: PayPal's own batch ids end in Base64 padding (`=`).
        check_id("payouts_batch_id", self.batch_id.as_str())?;
        self.client.url(&[
            Segment::literal("v1"),
            Segment::literal("payments"),
            Segment::literal("referenced-payouts"),
            Segment::id("payouts_batch_id", self.batch_id.as_str()),
        ])
    }

    /// Fetches the batch: its items as one page (PayPal states no totals; [`stream`](Self::stream)
    /// follows a `next` link when PayPal gives one).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API, transport and decode errors.
    pub async fn send(self) -> Result<Page<ReferencedPayoutItem>, Error> {
        let url = self.url()?;
        let request = self
            .headers
            .apply(self.client.request_to(Method::GET, url), &self.options)?;
        let batch: ReferencedPayoutBatch = self.client.send_json(request).await?;
        let len = batch.referenced_payouts.len() as u64;
        let more = crate::links::find(&batch.links, "next").is_some();
        // Without totals, a page says "more" by being full: report it full exactly when PayPal
        // links a next page.
        let size = if more { len } else { len + 1 };
        Ok(Page::new(batch.referenced_payouts, 0, size, None, None))
    }

    /// Every item, following PayPal's `next` links (checked: see [`pages`](crate::pages)).
    pub fn stream(
        self,
    ) -> impl futures_util::Stream<Item = Result<ReferencedPayoutItem, Error>> + Send + 'static
    {
        use futures_util::future::Either;
        let first = match self.url() {
            Ok(url) => url,
            Err(err) => return Either::Left(futures_util::stream::iter([Err(err)])),
        };
        let client = self.client.clone();
        let (headers, options) = (self.headers, self.options);
        let fetch = move |url| {
            let client = client.clone();
            let headers = headers.clone();
            let options = options.clone();
            async move {
                let request = headers.apply(client.request_to(Method::GET, url), &options)?;
                let batch: ReferencedPayoutBatch = client.send_json(request).await?;
                Ok(LinkedPage {
                    items: batch.referenced_payouts,
                    links: batch.links,
                })
            }
        };
        Either::Right(crate::pages::link_stream(
            self.client.base_url().clone(),
            first,
            self.max_pages,
            fetch,
        ))
    }
}
