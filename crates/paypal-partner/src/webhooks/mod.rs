//! Webhooks: check that a notification comes from PayPal, then read it as a typed [`Event`].
//!
//! Two ways to verify, both needing the **raw body bytes** exactly as received (re-serialised JSON
//! fails verification):
//! - [`WebhookVerifier`] (PayPal's preferred way, no API call): CRC32 of the body and RSA-SHA256
//!   against PayPal's certificate, fetched only from `https://*.paypal.com` and cached, a tolerance
//!   on the transmission time, and a replay guard accepting each transmission id once (per process,
//!   or per fleet with a shared [`ReplayStore`](partner_core::replay::ReplayStore));
//! - [`Webhooks::verify_postback`]: asks PayPal (`POST /v1/notifications/verify-webhook-signature`);
//!   it has no replay guard.
//!
//! Neither proves the body is PayPal's: the signature covers it only through its CRC32, which a
//! rewrite can keep (pad it with whitespace). Before acting on an event that moves money, fetch what
//! it names with [`Webhooks::confirm`] and act on the API's answer.
//!
//! Events from the dashboard simulator cannot be verified by postback, and their webhook id is the
//! literal `WEBHOOK_ID`. Answer 2xx quickly: PayPal retries other answers up to 25 times over 3 days.

mod confirm;
mod events;
mod lookups;
mod management;
mod notifications;
mod postback;
mod verify;

use partner_core::http::HeaderMap;

pub use confirm::{ConfirmEvent, Confirmed};
pub use events::{Event, EventEnvelope, EventSubject, MerchantEventResource};
pub use lookups::{
    CreateWebhookLookup, DeleteWebhookLookup, GetWebhookLookup, ListWebhookLookups, WebhookLookup,
    WebhookLookups,
};
pub use management::{
    ALL_EVENTS, AnchorType, CreateWebhook, DeleteWebhook, EventType, GetWebhook,
    ListAvailableEventTypes, ListSubscriptions, ListWebhooks, MAX_EVENT_TYPES, MAX_WEBHOOK_URL_LEN,
    NewWebhook, NewWebhookBuilder, PatchOp, PatchOperation, UpdateWebhook, Webhook, WebhookPatch,
    WebhookPatchBuilder,
};
pub use notifications::{
    DEFAULT_EVENTS_PAGE_SIZE, EventResend, GetEvent, ListEvents, MAX_EVENTS_PAGE_SIZE, ResendEvent,
    SimulateEvent, SimulateEventCall, WebhookEvents,
};
pub use postback::{VerificationStatus, Webhooks};
pub use verify::{
    DEFAULT_MAX_CERT_BYTES, DEFAULT_TOLERANCE, WebhookError, WebhookVerifier,
    WebhookVerifierBuilder, is_paypal_cert_url,
};

/// `PAYPAL-TRANSMISSION-ID`.
pub const TRANSMISSION_ID: &str = "paypal-transmission-id";
/// `PAYPAL-TRANSMISSION-TIME`.
pub const TRANSMISSION_TIME: &str = "paypal-transmission-time";
/// `PAYPAL-TRANSMISSION-SIG`.
pub const TRANSMISSION_SIG: &str = "paypal-transmission-sig";
/// `PAYPAL-CERT-URL`.
pub const CERT_URL: &str = "paypal-cert-url";
/// `PAYPAL-AUTH-ALGO`.
pub const AUTH_ALGO: &str = "paypal-auth-algo";

/// The signature headers of a webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookHeaders {
    /// `PAYPAL-TRANSMISSION-ID`.
    pub transmission_id: String,
    /// `PAYPAL-TRANSMISSION-TIME` (RFC 3339), as sent: it is part of the signed message.
    pub transmission_time: String,
    /// `PAYPAL-TRANSMISSION-SIG` (Base64).
    pub transmission_sig: String,
    /// `PAYPAL-CERT-URL`.
    pub cert_url: String,
    /// `PAYPAL-AUTH-ALGO` (`SHA256withRSA`).
    pub auth_algo: String,
}

impl WebhookHeaders {
    /// Reads the headers (names are case-insensitive) from an `http` header map, as axum, hyper and
    /// most frameworks hand them over.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingHeader`] naming the first header missing or not text.
    pub fn from_header_map(headers: &HeaderMap) -> Result<Self, WebhookError> {
        Self::from_fn(|name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
    }

    /// Reads the headers through `get`, called with lower-case names.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingHeader`] naming the first header missing or empty.
    pub fn from_fn(mut get: impl FnMut(&str) -> Option<String>) -> Result<Self, WebhookError> {
        let mut read = |name: &'static str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or(WebhookError::MissingHeader(name))
        };
        Ok(Self {
            transmission_id: read(TRANSMISSION_ID)?,
            transmission_time: read(TRANSMISSION_TIME)?,
            transmission_sig: read(TRANSMISSION_SIG)?,
            cert_url: read(CERT_URL)?,
            auth_algo: read(AUTH_ALGO)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_core::http::HeaderValue;

    #[test]
    fn reads_headers_case_insensitively() {
        let mut map = HeaderMap::new();
        map.insert("PAYPAL-TRANSMISSION-ID", HeaderValue::from_static("id"));
        map.insert(
            "PAYPAL-TRANSMISSION-TIME",
            HeaderValue::from_static("2024-01-01T00:00:00Z"),
        );
        map.insert("PAYPAL-TRANSMISSION-SIG", HeaderValue::from_static("c2ln"));
        map.insert(
            "PAYPAL-CERT-URL",
            HeaderValue::from_static("https://api.paypal.com/cert"),
        );
        map.insert(
            "PAYPAL-AUTH-ALGO",
            HeaderValue::from_static("SHA256withRSA"),
        );
        let h = WebhookHeaders::from_header_map(&map).unwrap();
        assert_eq!(h.transmission_id, "id");
        map.remove("PAYPAL-CERT-URL");
        assert!(matches!(
            WebhookHeaders::from_header_map(&map),
            Err(WebhookError::MissingHeader(CERT_URL))
        ));
    }
}
