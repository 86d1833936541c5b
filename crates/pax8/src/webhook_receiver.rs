//! Receiving Pax8 webhook deliveries, in any web framework.
//!
//! Pax8 POSTs a JSON document whose `Authorization` header is exactly the `authorization` string
//! configured on the webhook. No signature is documented, so that header is the only proof of origin:
//! [`WebhookReceiver`] compares it with the expected value in constant time, then parses the payload.
//! Deliveries only notify; fetch the resource for its current state. Answer within 10 s (Pax8 counts a
//! slower answer as a failure and retries up to 3 times).
//!
//! ```
//! use pax8::webhook_receiver::{EventTopic, WebhookReceiver};
//! use pax8::http::{HeaderMap, HeaderValue, header::AUTHORIZATION};
//!
//! let receiver = WebhookReceiver::new("my-shared-secret");
//! let mut headers = HeaderMap::new();
//! headers.insert(AUTHORIZATION, HeaderValue::from_static("my-shared-secret"));
//! let body = br#"{"accountId":"a","webhookId":"w","sentAt":"2025-07-15T10:00:00Z",
//!   "webhookTopic":{"id":"t","topic":"INVOICE","filters":[]},"payloadData":{"action":"CREATED"}}"#;
//! let event = receiver.verify_and_parse(&headers, body)?;
//! assert_eq!(event.topic(), Some(EventTopic::Invoice));
//! # Ok::<(), pax8::webhook_receiver::WebhookError>(())
//! ```

use std::fmt;

use partner_core::http::{HeaderMap, header::AUTHORIZATION};
use partner_core::secret::constant_time_eq;
use partner_core::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::dates::Timestamp;
use crate::ids::{AccountId, WebhookId};
use crate::webhooks::WebhookTopic;
use partner_core::wire_enum::ignore_case;

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

/// A delivery: `{accountId, url, webhookId, sentAt, webhookTopic, payloadData}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEvent {
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
    pub payload_data: Option<serde_json::Value>,
}

impl WebhookEvent {
    /// The topic, typed.
    pub fn topic(&self) -> Option<EventTopic> {
        self.webhook_topic
            .as_ref()
            .map(|t| EventTopic::from_wire(&t.topic))
    }

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
        let data = self.payload_data.clone().unwrap_or(serde_json::Value::Null);
        serde_json::from_value(data).map_err(|e| WebhookError::MalformedPayload {
            message: e.to_string(),
        })
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

/// Checks and parses deliveries for one webhook.
#[derive(Clone)]
pub struct WebhookReceiver {
    secret: SecretString,
}

impl fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("secret", &partner_core::secret::Redacted)
            .finish()
    }
}

impl WebhookReceiver {
    /// A receiver expecting `secret`, the webhook's configured `authorization` value.
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// Checks the `Authorization` header value (raw bytes, for frameworks without `http` types).
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingAuthorization`] or [`WebhookError::InvalidAuthorization`]. A receiver
    /// with an empty secret refuses everything.
    pub fn verify_authorization(&self, value: Option<&[u8]>) -> Result<(), WebhookError> {
        let value = value.ok_or(WebhookError::MissingAuthorization)?;
        let expected = self.secret.expose_secret().as_bytes();
        if expected.is_empty() || !constant_time_eq(value, expected) {
            return Err(WebhookError::InvalidAuthorization);
        }
        Ok(())
    }

    /// Checks the `Authorization` header of a delivery.
    ///
    /// # Errors
    ///
    /// As [`verify_authorization`](Self::verify_authorization); two `Authorization` headers are
    /// refused too.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let first = values.next();
        if values.next().is_some() {
            return Err(WebhookError::InvalidAuthorization);
        }
        self.verify_authorization(first.map(|v| v.as_bytes()))
    }

    /// Parses a delivery body (without checking anything).
    ///
    /// # Errors
    ///
    /// [`WebhookError::MalformedPayload`] when the body is not a JSON delivery.
    pub fn parse(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        serde_json::from_slice(body).map_err(|e| WebhookError::MalformedPayload {
            message: e.to_string(),
        })
    }

    /// Checks the `Authorization` header, then parses the body.
    ///
    /// # Errors
    ///
    /// See [`verify`](Self::verify) and [`parse`](Self::parse).
    pub fn verify_and_parse(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify(headers)?;
        Self::parse(body)
    }
}
