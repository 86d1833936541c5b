//! Postback verification: `POST /v1/notifications/verify-webhook-signature`.

use partner_core::http::Method;
use partner_core::path::Segment;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::WebhookHeaders;
use super::confirm::ConfirmEvent;
use super::events::Event;
use crate::Client;
use crate::Error;
use crate::headers::PayPalHeaders;
use crate::ids::WebhookId;
use partner_core::RequestOptions;

partner_core::string_enum! {
    /// PayPal's verdict.
    pub enum VerificationStatus {
        /// The signature is PayPal's.
        Success = "SUCCESS",
        /// It is not.
        Failure = "FAILURE",
    }
}

impl VerificationStatus {
    /// Whether PayPal said `SUCCESS`.
    pub fn is_success(&self) -> bool {
        matches!(self, VerificationStatus::Success)
    }
}

/// The request: the event is embedded as the raw JSON received, never re-serialised (re-serialised
/// JSON changes the CRC32 and fails verification).
#[derive(Serialize)]
struct VerifyRequest<'a> {
    auth_algo: &'a str,
    cert_url: &'a str,
    transmission_id: &'a str,
    transmission_sig: &'a str,
    transmission_time: &'a str,
    webhook_id: &'a str,
    webhook_event: &'a RawValue,
}

#[derive(Deserialize)]
struct VerifyResponse {
    verification_status: VerificationStatus,
}

/// The webhooks resource: `client.webhooks()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Webhooks {
    pub(super) client: Client,
}

impl Webhooks {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Fetches the capture, refund or order that `event` names ([`Event::subject`]), to act on the
    /// API's figures rather than the event's: a verified body is only as trustworthy as its CRC32
    /// (see [`WebhookVerifier`](super::WebhookVerifier)).
    ///
    /// ```no_run
    /// # async fn handle(client: paypal_partner::Client, event: paypal_partner::webhooks::Event) -> Result<(), paypal_partner::Error> {
    /// use paypal_partner::orders::CaptureStatus;
    /// use paypal_partner::webhooks::{Confirmed, Event};
    /// if let Event::CaptureCompleted(_) = &event {
    ///     // A forged capture id is a 404 here; a forged amount is corrected by the API's answer.
    ///     let Confirmed::Capture(capture) = client.webhooks().confirm(&event).send().await? else {
    ///         unreachable!("a capture event names a capture")
    ///     };
    ///     if capture.status == Some(CaptureStatus::Completed) {
    ///         println!("ship the order paid with {:?}", capture.amount);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn confirm(&self, event: &Event) -> ConfirmEvent {
        ConfirmEvent::new(self.client.clone(), event)
    }

    /// Asks PayPal whether `body` (the raw bytes as received) was signed for `webhook_id`
    /// (`POST /v1/notifications/verify-webhook-signature`). Prefer the local
    /// [`WebhookVerifier`](super::WebhookVerifier): no round trip, and replays refused.
    pub fn verify_postback(
        &self,
        webhook_id: impl Into<WebhookId>,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> VerifyPostback {
        VerifyPostback {
            client: self.client.clone(),
            webhook_id: webhook_id.into(),
            headers: headers.clone(),
            body: body.to_vec(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending postback verification: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct VerifyPostback {
    client: Client,
    webhook_id: WebhookId,
    headers: WebhookHeaders,
    body: Vec<u8>,
    options: RequestOptions,
}

impl VerifyPostback {
    partner_core::call_options!(options);
    idempotency_key_setter!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the body is not JSON or the webhook id is empty; API, transport
    /// and decode errors.
    pub async fn send(self) -> Result<VerificationStatus, Error> {
        let webhook_id = self.webhook_id.as_str();
        if webhook_id.is_empty() {
            return Err(Error::invalid_input("webhook_id", "must not be empty"));
        }
        let headers = &self.headers;
        let event: &RawValue = serde_json::from_slice(&self.body)
            .map_err(|e| Error::invalid_input("body", format!("is not JSON: {e}")))?;
        let payload = VerifyRequest {
            auth_algo: &headers.auth_algo,
            cert_url: &headers.cert_url,
            transmission_id: &headers.transmission_id,
            transmission_sig: &headers.transmission_sig,
            transmission_time: &headers.transmission_time,
            webhook_id,
            webhook_event: event,
        };
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v1"),
                    Segment::literal("notifications"),
                    Segment::literal("verify-webhook-signature"),
                ],
            )?
            .json(&payload)?;
        let request = PayPalHeaders::default().apply(request, &self.options)?;
        let response: VerifyResponse = self.client.send_json(request).await?;
        Ok(response.verification_status)
    }
}
