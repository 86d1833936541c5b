//! What a provider's webhook verifier has in common, so that one receiver shape serves them all: the
//! [`axum` extractor](crate::axum_extract) (feature `axum`) works with any [`VerifyWebhook`].

use std::future::Future;

use http::HeaderMap;

/// Checks a webhook delivery (its headers and raw body, as received) and parses its event.
///
/// Implemented by each provider crate's `WebhookVerifier` (pax8's shared secret, PayPal's signature);
/// the provider's own `verify` method is the same call.
pub trait VerifyWebhook: Send + Sync + 'static {
    /// The provider's typed event.
    type Event: WebhookEvent<Verifier = Self>;
    /// Why a delivery was refused.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Verifies the delivery and parses its event.
    fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> impl Future<Output = Result<Self::Event, Self::Error>> + Send;

    /// The HTTP status a receiver answers a refused delivery with: 401 for missing credentials,
    /// 503 when the delivery could not be checked for a reason of the receiver's own (the provider
    /// delivers it again), 400 otherwise.
    fn refusal_status(error: &Self::Error) -> u16;
}

/// A provider's event type, tied to the verifier that produces it, so that a receiver names only the
/// event it wants (`VerifiedEvent<pax8::Event>`).
pub trait WebhookEvent: Sized + Send + 'static {
    /// The verifier that checks deliveries of this event.
    type Verifier: VerifyWebhook<Event = Self>;
}
