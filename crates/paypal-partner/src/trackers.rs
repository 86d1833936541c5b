//! Shipment tracking of an order (`/v2/checkout/orders/{id}/track`, `.../trackers/{tracker_id}`):
//! tell PayPal what was shipped for a capture, which counts for Seller Protection and the release of
//! held funds, and cancel a tracker entered by mistake.
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! use paypal_partner::trackers::{Carrier, TrackerRequest, TrackerUpdate};
//!
//! let tracker = TrackerRequest::new("8MC585209K746392H")
//!     .tracking_number("443844607820")
//!     .carrier(Carrier::Fedex)
//!     .notify_payer(true)
//!     .build()?;
//! let order = client.orders().track("5O190127TN364715T", &tracker).on_behalf_of("SELLER1").send().await?;
//! let Some(added) = order.trackers().next() else { return Ok(()) };
//! // A wrong tracking number: cancel the tracker.
//! client
//!     .orders()
//!     .update_tracker("5O190127TN364715T", &added.id, &TrackerUpdate::cancel())
//!     .on_behalf_of("SELLER1")
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```

use partner_core::RequestOptions;
use partner_core::http::Method;
use partner_core::path::Segment;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{CaptureId, OrderId, TrackerId};
use crate::links::Link;
use crate::orders::{Order, Patch, PatchOp, on_behalf_of_setters, order_path};

partner_core::string_enum! {
    /// The status of a tracker.
    pub enum TrackerStatus {
        /// Shipped.
        Shipped = "SHIPPED",
        /// Cancelled.
        Cancelled = "CANCELLED",
    }
}

partner_core::string_enum! {
    /// The carrier of a shipment. PayPal lists over a thousand (global ones and local subsidiaries,
    /// `DHL_API`, `DE_DHL`...): the common global ones are named here, any other goes through
    /// [`Carrier::from_wire`] and is sent as given; `OTHER` needs
    /// [`carrier_name_other`](TrackerRequest::carrier_name_other).
    pub enum Carrier {
        /// UPS.
        Ups = "UPS",
        /// USPS.
        Usps = "USPS",
        /// FedEx.
        Fedex = "FEDEX",
        /// DHL Express.
        Dhl = "DHL",
        /// DHL eCommerce (API).
        DhlApi = "DHL_API",
        /// Royal Mail.
        RoyalMail = "ROYAL_MAIL",
        /// Canada Post.
        CanadaPost = "CA_CANADA_POST",
        /// DHL Germany.
        DeDhl = "DE_DHL",
        /// DPD.
        Dpd = "DPD",
        /// A carrier PayPal does not list: name it in `carrier_name_other`. (The spec's carrier
        /// enum omits `OTHER`, though its `carrier_name_other` asks for it; PayPal's tracking
        /// guide documents it.)
        Other = "OTHER",
    }
}

/// An item of a shipment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackerItem {
    /// The item name (1–127 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The quantity, a whole number from 1 (PayPal's wire form is a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// The SKU (1–127 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The URL of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The URL of its image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The Universal Product Code (`{"type": "UPC-A", "code": ..}`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upc: Option<serde_json::Value>,
}

impl TrackerItem {
    /// `quantity` of `name`.
    pub fn new(name: impl Into<String>, quantity: u32) -> Self {
        Self {
            name: Some(name.into()),
            quantity: Some(quantity.to_string()),
            ..Default::default()
        }
    }

    /// Sets the SKU.
    pub fn sku(mut self, sku: impl Into<String>) -> Self {
        self.sku = Some(sku.into());
        self
    }

    fn validate(&self, field: &str) -> Result<(), Error> {
        check_len(&format!("{field}.name"), self.name.as_deref(), 127)?;
        check_len(&format!("{field}.sku"), self.sku.as_deref(), 127)?;
        check_len(&format!("{field}.url"), self.url.as_deref(), 2048)?;
        check_len(
            &format!("{field}.image_url"),
            self.image_url.as_deref(),
            2048,
        )?;
        if let Some(quantity) = &self.quantity {
            let whole = quantity.len() <= 10
                && quantity.bytes().all(|b| b.is_ascii_digit())
                && !quantity.starts_with('0')
                && !quantity.is_empty();
            if !whole {
                return Err(Error::invalid_input(
                    format!("{field}.quantity"),
                    "must be a whole number from 1, at most 10 digits",
                ));
            }
        }
        Ok(())
    }
}

fn check_len(field: &str, value: Option<&str>, max: usize) -> Result<(), Error> {
    match value {
        Some(text) if text.is_empty() || text.chars().count() > max => Err(Error::invalid_input(
            field.to_owned(),
            format!("must be 1 to {max} characters long"),
        )),
        _ => Ok(()),
    }
}

/// A new tracker (`order_tracker_request`): the capture shipped, the carrier and tracking number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackerRequest {
    /// The capture the shipment is for.
    pub capture_id: CaptureId,
    /// The tracking number (1–64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
    /// The carrier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
    /// The carrier's name when `carrier` is `OTHER` (1–64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier_name_other: Option<String>,
    /// Whether PayPal emails the buyer the tracking details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_payer: Option<bool>,
    /// What was shipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<TrackerItem>,
}

impl TrackerRequest {
    /// A tracker for the shipment of `capture_id`.
    pub fn new(capture_id: impl Into<CaptureId>) -> Self {
        Self {
            capture_id: capture_id.into(),
            tracking_number: None,
            carrier: None,
            carrier_name_other: None,
            notify_payer: None,
            items: Vec::new(),
        }
    }

    /// Sets the tracking number.
    pub fn tracking_number(mut self, number: impl Into<String>) -> Self {
        self.tracking_number = Some(number.into());
        self
    }

    /// Sets the carrier.
    pub fn carrier(mut self, carrier: Carrier) -> Self {
        self.carrier = Some(carrier);
        self
    }

    /// A carrier PayPal does not list: `carrier` becomes `OTHER` with this name.
    pub fn carrier_name_other(mut self, name: impl Into<String>) -> Self {
        self.carrier = Some(Carrier::Other);
        self.carrier_name_other = Some(name.into());
        self
    }

    /// Sets whether PayPal emails the buyer.
    pub fn notify_payer(mut self, notify: bool) -> Self {
        self.notify_payer = Some(notify);
        self
    }

    /// Adds an item shipped.
    pub fn item(mut self, item: TrackerItem) -> Self {
        self.items.push(item);
        self
    }

    /// Checks the tracker ([`validate`](Self::validate)) and returns it, ready for
    /// [`Orders::track`](crate::orders::Orders::track).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks the spec's limits: a capture id of 1–50 letters and digits, a tracking number and
    /// carrier of 1–64 characters (the carrier in capitals, digits and `_`), a carrier name exactly
    /// when the carrier is `OTHER`, and the items.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        let capture = self.capture_id.as_str();
        if capture.is_empty()
            || capture.len() > 50
            || !capture.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(Error::invalid_input(
                "capture_id",
                "must be 1 to 50 letters and digits",
            ));
        }
        check_len("tracking_number", self.tracking_number.as_deref(), 64)?;
        if let Some(carrier) = &self.carrier {
            let code = carrier.as_str();
            if code.is_empty()
                || code.len() > 64
                || !code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(Error::invalid_input(
                    "carrier",
                    "must be 1 to 64 capitals, digits or `_` (PayPal's carrier code)",
                ));
            }
        }
        check_len("carrier_name_other", self.carrier_name_other.as_deref(), 64)?;
        match (&self.carrier, &self.carrier_name_other) {
            (Some(Carrier::Other), None) => {
                return Err(Error::invalid_input(
                    "carrier_name_other",
                    "is required when the carrier is OTHER",
                ));
            }
            (carrier, Some(_)) if carrier != &Some(Carrier::Other) => {
                return Err(Error::invalid_input(
                    "carrier_name_other",
                    "is only for the carrier OTHER",
                ));
            }
            _ => {}
        }
        for (i, item) in self.items.iter().enumerate() {
            item.validate(&format!("items[{i}]"))?;
        }
        Ok(())
    }
}

/// A shipment tracker, as PayPal returns it in `purchase_units[].shipping.trackers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tracker {
    /// The tracker id (PayPal makes it of the capture id and the tracking number). Required when
    /// decoding, as [`Order::id`].
    pub id: TrackerId,
    /// The status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TrackerStatus>,
    /// What was shipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<TrackerItem>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// Update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
}

/// A tracker update (`PATCH .../trackers/{tracker_id}`): the spec lets you replace the items, set
/// `notify_payer`, and set the status to `CANCELLED` (no other status).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct TrackerUpdate {
    /// The operations, applied in order.
    pub operations: Vec<Patch>,
}

impl TrackerUpdate {
    /// An empty update; add operations, then [`build`](Self::build).
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the tracker (`replace` of `/status` by `CANCELLED`).
    pub fn cancel() -> Self {
        Self::new().operation(Patch::replace(
            "/status",
            serde_json::Value::String(TrackerStatus::Cancelled.as_str().to_owned()),
        ))
    }

    /// Sets whether PayPal emails the buyer.
    pub fn notify_payer(self, notify: bool) -> Self {
        self.operation(Patch::replace(
            "/notify_payer",
            serde_json::Value::Bool(notify),
        ))
    }

    /// Replaces the items.
    pub fn replace_items(self, items: impl IntoIterator<Item = TrackerItem>) -> Self {
        let items: Vec<TrackerItem> = items.into_iter().collect();
        // TrackerItem serializes to JSON without fail; a `Null` would be refused at `build()`.
        let value = serde_json::to_value(items).unwrap_or(serde_json::Value::Null);
        self.operation(Patch::replace("/items", value))
    }

    /// Adds any operation; [`build`](Self::build) checks it is one the spec allows.
    pub fn operation(mut self, patch: Patch) -> Self {
        self.operations.push(patch);
        self
    }

    /// Checks the update ([`validate`](Self::validate)) and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first operation that is wrong, before anything is sent.
    pub fn build(self) -> Result<Self, Error> {
        self.validate()?;
        Ok(self)
    }

    /// Checks that there is at least one operation, each on `/items` (`replace`, a list of
    /// items), `/notify_payer` (`replace` or `add`, a boolean) or `/status` (`replace` by
    /// `CANCELLED`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the operation.
    pub fn validate(&self) -> Result<(), Error> {
        if self.operations.is_empty() {
            return Err(Error::invalid_input(
                "operations",
                "must hold at least one operation",
            ));
        }
        for (i, patch) in self.operations.iter().enumerate() {
            let field = format!("operations[{i}]");
            let value_field = format!("{field}.value");
            let value = patch.value.as_ref();
            match patch.path.as_str() {
                "/items" => {
                    patch.check_shape(&field, &[PatchOp::Replace])?;
                    let items: Vec<TrackerItem> = value
                        .and_then(|v| serde_json::from_value(v.clone()).ok())
                        .ok_or_else(|| {
                            Error::invalid_input(value_field.clone(), "must be a list of items")
                        })?;
                    for (j, item) in items.iter().enumerate() {
                        item.validate(&format!("{value_field}[{j}]"))?;
                    }
                }
                "/notify_payer" => {
                    patch.check_shape(&field, &[PatchOp::Replace, PatchOp::Add])?;
                    if !value.is_some_and(serde_json::Value::is_boolean) {
                        return Err(Error::invalid_input(value_field, "must be true or false"));
                    }
                }
                "/status" => {
                    patch.check_shape(&field, &[PatchOp::Replace])?;
                    if value.and_then(|v| v.as_str()) != Some(TrackerStatus::Cancelled.as_str()) {
                        return Err(Error::invalid_input(
                            value_field,
                            "must be CANCELLED (the only status PayPal lets you set)",
                        ));
                    }
                }
                other => {
                    return Err(Error::invalid_input(
                        format!("{field}.path"),
                        format!("`{other}` is not /items, /notify_payer or /status"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A pending tracker creation: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct AddTracker {
    client: Client,
    order_id: OrderId,
    tracker: TrackerRequest,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl AddTracker {
    pub(crate) fn new(client: Client, order_id: OrderId, tracker: TrackerRequest) -> Self {
        Self {
            client,
            order_id,
            tracker,
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    partner_core::call_options!(options);
    on_behalf_of_setters!();

    /// Sends it. PayPal answers with the order; the new tracker is in
    /// [`Order::trackers`].
    ///
    /// The spec gives this call no `PayPal-Request-Id`, so none is sent and the call is not retried
    /// once it may have reached PayPal: on such an error, read the order before adding the tracker
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API, transport and decode errors.
    pub async fn send(self) -> Result<Order, Error> {
        check_id("order_id", self.order_id.as_str())?;
        self.tracker.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &order_path(&self.order_id, &[Segment::literal("track")]),
            )?
            .json(&self.tracker)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let mut request = self.headers.apply(request, &self.options)?;
        request.idempotency = partner_core::request::Idempotency::ByMethod;
        self.client.send_json(request).await
    }
}

/// A pending tracker update: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct UpdateTracker {
    client: Client,
    order_id: OrderId,
    tracker_id: TrackerId,
    update: TrackerUpdate,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl UpdateTracker {
    pub(crate) fn new(
        client: Client,
        order_id: OrderId,
        tracker_id: TrackerId,
        update: TrackerUpdate,
    ) -> Self {
        Self {
            client,
            order_id,
            tracker_id,
            update,
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    partner_core::call_options!(options);
    on_behalf_of_setters!();

    /// Sends it. PayPal answers `204 No Content`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API and transport errors.
    pub async fn send(self) -> Result<(), Error> {
        check_id("order_id", self.order_id.as_str())?;
        check_id("tracker_id", self.tracker_id.as_str())?;
        self.update.validate()?;
        let request = self
            .client
            .request(
                Method::PATCH,
                &order_path(
                    &self.order_id,
                    &[
                        Segment::literal("trackers"),
                        Segment::id("tracker_id", self.tracker_id.as_str()),
                    ],
                ),
            )?
            .json(&self.update)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.execute(request).await?;
        Ok(())
    }
}
