//! Receiving Pax8 webhook deliveries: [`WebhookVerifier::verify`] checks one and gives a typed
//! [`Event`].
//!
//! Pax8 POSTs a JSON document whose `Authorization` header is exactly the `authorization` string
//! configured on the webhook. No signature is documented, so that header is the only proof of origin:
//! the verifier compares it with the expected value in constant time, then parses the payload.
//! Deliveries only notify; fetch the resource for its current state. Answer within 10 s (Pax8 counts a
//! slower answer as a failure and retries up to 3 times).
//!
//! ```
//! use pax8::http::{HeaderMap, HeaderValue, header::AUTHORIZATION};
//! use pax8::{Event, WebhookVerifier};
//!
//! # async fn run() -> Result<(), pax8::WebhookError> {
//! let verifier = WebhookVerifier::new("my-shared-secret");
//! let mut headers = HeaderMap::new();
//! headers.insert(AUTHORIZATION, HeaderValue::from_static("my-shared-secret"));
//! let body = br#"{"accountId":"a","webhookId":"w","sentAt":"2025-07-15T10:00:00Z",
//!   "webhookTopic":{"id":"t","topic":"INVOICE","filters":[]},"payloadData":{"action":"CREATED"}}"#;
//! match verifier.verify(&headers, body).await? {
//!     Event::Invoice(delivery) => assert_eq!(delivery.action(), Some("CREATED")),
//!     other => println!("not handled: {}", other.topic()),
//! }
//! # Ok(()) }
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(run()).unwrap();
//! ```

use std::fmt;

use partner_core::http::{HeaderMap, header::AUTHORIZATION};
use partner_core::secret::constant_time_eq;
use partner_core::wire_enum::ignore_case;
use partner_core::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dates::Timestamp;
use crate::ids::{AccountId, WebhookId};
use crate::webhooks::WebhookTopic;

partner_core::string_enum! {
    /// The topic of a delivery. New topics arrive as `Unknown` (list them with
    /// `Webhooks::topic_definitions`).
    pub enum EventTopic match_with ignore_case {
        /// Invoices (action `CREATED`).
        Invoice = "INVOICE",
        /// Billing subscriptions (completed line items).
        Subscription = "SUBSCRIPTION",
        /// Catalogue products.
        Product = "PRODUCT",
        /// Provisioning.
        Provisioning = "PROVISIONING",
    }
}

partner_core::string_enum! {
    /// The `type` of a subscription event's completed line item.
    pub enum LineItemEventType match_with ignore_case {
        /// A new subscription.
        New = "New",
        /// A mid-term change (quantity, price).
        Change = "Change",
        /// A partial product swap.
        ChangePartial = "ChangePartial",
        /// A full product swap.
        ChangeProduct = "ChangeProduct",
        /// A rate plan change.
        UpdateRatePlan = "UpdateRatePlan",
        /// A promotion or spiff adjustment.
        SpiffPriceAdjustment = "SpiffPriceAdjustment",
        /// A commitment renewal.
        Renewal = "Renewal",
        /// A cancellation.
        Cancel = "Cancel",
        /// A reactivation.
        Resurrect = "Resurrect",
        /// A migration between partners or companies.
        Migration = "Migration",
        /// A new parent subscription.
        ParentReassignment = "ParentReassignment",
        /// A trial started.
        TrialCreate = "TrialCreate",
        /// A trial converted.
        TrialConvert = "TrialConvert",
        /// A trial cancelled.
        TrialCancel = "TrialCancel",
        /// A manual arrears line.
        ArrearsUpload = "ArrearsUpload",
        /// A pending change reverted.
        RevertToCurrent = "RevertToCurrent",
    }
}

/// A verified delivery, by topic.
///
/// A topic this crate does not know yet arrives as [`Event::Unknown`] with the whole delivery as
/// JSON, so nothing Pax8 sends is lost.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `INVOICE` (action `CREATED`).
    Invoice(Delivery),
    /// `SUBSCRIPTION`: billing subscription changes (see [`Delivery::line_item_type`]).
    Subscription(Delivery),
    /// `PRODUCT`: catalogue products.
    Product(Delivery),
    /// `PROVISIONING`.
    Provisioning(Delivery),
    /// Any other topic (list them with `Webhooks::topic_definitions`).
    Unknown {
        /// The topic as sent (empty when the delivery names none).
        topic: String,
        /// The whole delivery.
        raw: Value,
    },
}

/// An event serialises as Pax8 sent it: the delivery (as this crate models it), or the whole raw
/// JSON of a delivery on a topic this crate does not know.
impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Event::Invoice(d)
            | Event::Subscription(d)
            | Event::Product(d)
            | Event::Provisioning(d) => d.serialize(serializer),
            Event::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}

impl Event {
    /// Parses a delivery body (without checking its origin: use [`WebhookVerifier::verify`]).
    ///
    /// # Errors
    ///
    /// [`WebhookError::MalformedPayload`] when the body is not a JSON delivery.
    pub fn from_json(body: &[u8]) -> Result<Self, WebhookError> {
        let raw: Value = serde_json::from_slice(body).map_err(malformed)?;
        Self::from_value(raw)
    }

    pub(crate) fn from_value(raw: Value) -> Result<Self, WebhookError> {
        if !raw.is_object() {
            return Err(WebhookError::MalformedPayload {
                message: "expected a JSON object".into(),
            });
        }
        let topic = raw
            .pointer("/webhookTopic/topic")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let wrap: fn(Delivery) -> Event = match EventTopic::from_wire(topic) {
            EventTopic::Invoice => Event::Invoice,
            EventTopic::Subscription => Event::Subscription,
            EventTopic::Product => Event::Product,
            EventTopic::Provisioning => Event::Provisioning,
            _ => {
                return Ok(Event::Unknown {
                    topic: topic.to_owned(),
                    raw,
                });
            }
        };
        Ok(wrap(Delivery::deserialize(raw).map_err(malformed)?))
    }

    /// The topic, typed (`EventTopic::Unknown` keeps the text).
    pub fn topic(&self) -> EventTopic {
        match self {
            Event::Invoice(_) => EventTopic::Invoice,
            Event::Subscription(_) => EventTopic::Subscription,
            Event::Product(_) => EventTopic::Product,
            Event::Provisioning(_) => EventTopic::Provisioning,
            Event::Unknown { topic, .. } => EventTopic::Unknown(topic.clone()),
        }
    }

    /// The delivery of a known topic.
    pub fn delivery(&self) -> Option<&Delivery> {
        match self {
            Event::Invoice(d)
            | Event::Subscription(d)
            | Event::Product(d)
            | Event::Provisioning(d) => Some(d),
            Event::Unknown { .. } => None,
        }
    }
}

fn malformed(err: serde_json::Error) -> WebhookError {
    WebhookError::MalformedPayload {
        message: err.to_string(),
    }
}

/// A delivery: `{accountId, url, webhookId, sentAt, webhookTopic, payloadData}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Delivery {
    /// The account the event belongs to.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// The URL it was sent to.
    #[serde(default)]
    pub url: Option<String>,
    /// The webhook that sent it.
    #[serde(default)]
    pub webhook_id: Option<WebhookId>,
    /// When it was sent.
    #[serde(default)]
    pub sent_at: Option<Timestamp>,
    /// The topic subscription that matched.
    #[serde(default)]
    pub webhook_topic: Option<WebhookTopic>,
    /// The event data (its shape depends on the topic).
    #[serde(default)]
    pub payload_data: Option<Value>,
}

impl Delivery {
    /// The `action` of the event data (`CREATED`…), when it has one.
    pub fn action(&self) -> Option<&str> {
        self.payload_data.as_ref()?.get("action")?.as_str()
    }

    /// The line item `type` of a subscription event, when it has one.
    pub fn line_item_type(&self) -> Option<LineItemEventType> {
        let data = self.payload_data.as_ref()?;
        data.get("type")
            .or_else(|| data.get("lineItem").and_then(|l| l.get("type")))
            .and_then(|t| t.as_str())
            .map(LineItemEventType::from_wire)
    }

    /// Decodes the event data into your own type.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MalformedPayload`] when it does not fit `T`.
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        let data = self.payload_data.clone().unwrap_or(Value::Null);
        serde_json::from_value(data).map_err(malformed)
    }
}

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `Authorization` header (answer 401).
    #[error("the delivery has no Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header is not the configured value, or appears twice (answer 401).
    #[error("the delivery's Authorization header does not match")]
    InvalidAuthorization,
    /// The body is not a Pax8 delivery (answer 400).
    #[error("the delivery's body is not a valid payload: {message}")]
    MalformedPayload {
        /// What the parser said (never the header).
        message: String,
    },
}

impl WebhookError {
    /// The HTTP status to answer with: 401 for authorization failures, 400 for a bad body.
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::MissingAuthorization | WebhookError::InvalidAuthorization => 401,
            WebhookError::MalformedPayload { .. } => 400,
        }
    }
}

/// Checks and parses the deliveries of one webhook.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &partner_core::secret::Redacted)
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier expecting `secret`, the webhook's configured `authorization` value. A verifier
    /// with an empty secret refuses everything.
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// Checks the `Authorization` header (in constant time), then parses the body. Nothing is parsed
    /// for a delivery that fails the check.
    ///
    /// `async` like PayPal's verifier, which fetches certificates; this one never waits.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingAuthorization`]; [`WebhookError::InvalidAuthorization`] for a wrong
    /// value or two `Authorization` headers; [`WebhookError::MalformedPayload`] for a body that is
    /// not a JSON delivery.
    pub async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
        self.check_authorization(headers)?;
        Event::from_json(body)
    }

    fn check_authorization(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let value = values.next().ok_or(WebhookError::MissingAuthorization)?;
        if values.next().is_some() {
            return Err(WebhookError::InvalidAuthorization);
        }
        let expected = self.secret.expose_secret().as_bytes();
        if expected.is_empty() || !constant_time_eq(value.as_bytes(), expected) {
            return Err(WebhookError::InvalidAuthorization);
        }
        Ok(())
    }
}

/// The verifier behind the family's receivers (partner-core's `axum` extractor among them).
impl partner_core::webhook::VerifyWebhook for WebhookVerifier {
    type Event = Event;
    type Error = WebhookError;

    fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> impl std::future::Future<Output = Result<Event, WebhookError>> + Send {
        WebhookVerifier::verify(self, headers, body)
    }

    fn refusal_status(error: &WebhookError) -> u16 {
        error.status()
    }
}

impl partner_core::webhook::WebhookEvent for Event {
    type Verifier = WebhookVerifier;
}
