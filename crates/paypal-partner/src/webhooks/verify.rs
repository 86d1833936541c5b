//! Local verification of webhook signatures, PayPal's preferred way.
//!
//! The signed message is `transmission_id|transmission_time|webhook_id|crc32`, where `crc32` is the
//! unsigned decimal CRC32 of the raw body; the signature is RSA PKCS#1 v1.5 with SHA-256 by the key of
//! the certificate at `PAYPAL-CERT-URL`. That URL comes from the request, so anyone can put their own
//! certificate there: it is fetched only from `https` hosts under `paypal.com`, which is what makes the
//! check meaningful.
//!
//! The signature covers the body only through its CRC32, which anyone can steer (append a few
//! whitespace bytes): a captured delivery's headers sign any body with the same CRC32. So each
//! transmission id is accepted once (the replay guard), and events that move money are confirmed with
//! the API before acting (see [`Webhooks::confirm`](super::Webhooks::confirm)).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use futures_util::FutureExt as _;
use futures_util::future::{BoxFuture, Shared};
use partner_core::bytes::Bytes;
use partner_core::http::{self, HeaderMap, StatusCode};
use partner_core::replay::{MemoryReplayStore, ReplayStore};
use partner_core::url::Url;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use x509_cert::Certificate;
use x509_cert::der::{Decode as _, DecodePem as _};

use super::WebhookHeaders;
use super::events::Event;
use crate::Client;
use crate::ids::WebhookId;

/// The default tolerance: a transmission time further than this from now is refused.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
/// Added to twice the tolerance to make the replay window, for the clocks of a fleet's processes (and
/// of Redis) that disagree a little.
const REPLAY_WINDOW_MARGIN: Duration = Duration::from_secs(60);
/// The default cap on a certificate download.
pub const DEFAULT_MAX_CERT_BYTES: usize = 64 * 1024;
const CERT_FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_CACHED_CERTS: usize = 32;
const RSA_ENCRYPTION_OID: &str = "1.2.840.113549.1.1.1";

/// Why a webhook was not accepted.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A signature header is missing.
    #[error("the webhook has no `{0}` header")]
    MissingHeader(&'static str),
    /// `PAYPAL-AUTH-ALGO` is not `SHA256withRSA`.
    #[error("unsupported webhook signature algorithm `{0}`")]
    UnsupportedAlgorithm(String),
    /// `PAYPAL-CERT-URL` is not an https URL under paypal.com: refused without fetching it.
    #[error("refusing the certificate URL `{0}`: not an https URL under paypal.com")]
    UntrustedCertUrl(String),
    /// `PAYPAL-TRANSMISSION-TIME` is not an RFC 3339 time.
    #[error("the transmission time `{0}` is not an RFC 3339 time")]
    InvalidTransmissionTime(String),
    /// The transmission time is further from now than the tolerance.
    #[error(
        "the transmission time is {skew:?} away from now, beyond the tolerance of {tolerance:?}"
    )]
    OutsideTolerance {
        /// How far it is from now.
        skew: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// `PAYPAL-TRANSMISSION-SIG` is not Base64.
    #[error("the transmission signature is not Base64")]
    MalformedSignature,
    /// The certificate could not be fetched.
    #[error("the PayPal certificate could not be fetched: {0}")]
    CertificateFetch(String),
    /// The certificate could not be used (not X.509, not RSA, expired...).
    #[error("the PayPal certificate is not usable: {0}")]
    InvalidCertificate(String),
    /// The signature does not match: the body, a header or the webhook id differ from what PayPal
    /// signed.
    #[error("the webhook signature does not match")]
    SignatureMismatch,
    /// The signature matched but the body is not a webhook event.
    #[error("the webhook body is not an event: {0}")]
    InvalidEvent(String),
    /// The signature matched, but this transmission id was already accepted within the replay window:
    /// a replay (perhaps with a rewritten body of the same CRC32). Do not act on it; any answer will
    /// do, PayPal itself never sends one transmission twice.
    #[error("the webhook transmission `{transmission_id}` was already accepted")]
    Replayed {
        /// The `PAYPAL-TRANSMISSION-ID`.
        transmission_id: String,
    },
    /// The signature matched, but the replay store could not tell whether the transmission was
    /// already accepted (Redis is down, the in-memory store is full). Not accepted: answer 503, and
    /// PayPal delivers the event again later.
    #[error("the webhook replay check is unavailable: {0}")]
    ReplayCheckUnavailable(String),
}

impl WebhookError {
    /// The HTTP status to answer PayPal with: 503 when the delivery could not be checked for a
    /// reason of ours (the certificate could not be fetched, the replay store did not answer), so
    /// that PayPal delivers it again later; 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::CertificateFetch(_) | WebhookError::ReplayCheckUnavailable(_) => 503,
            _ => 400,
        }
    }
}

/// Whether `url` is an https URL on `paypal.com` or a subdomain (no port, no credentials).
///
/// ```
/// use paypal_partner::webhooks::is_paypal_cert_url;
/// assert!(is_paypal_cert_url("https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"));
/// assert!(!is_paypal_cert_url("http://api.paypal.com/cert"));
/// assert!(!is_paypal_cert_url("https://paypal.com.evil.example/cert"));
/// assert!(!is_paypal_cert_url("https://evilpaypal.com/cert"));
/// ```
pub fn is_paypal_cert_url(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && url
            .host_str()
            .is_some_and(|h| h == "paypal.com" || h.ends_with(".paypal.com"))
}

#[derive(Clone)]
struct CachedKey {
    public_key: Arc<Vec<u8>>,
    not_after: SystemTime,
}

/// A certificate URL's key: known, or being fetched for everyone who waits for it.
enum CertSlot {
    Ready(CachedKey),
    Fetching(KeyFetch),
}

type KeyFetch = Shared<BoxFuture<'static, Result<CachedKey, WebhookError>>>;

struct Inner {
    client: Client,
    webhook_id: WebhookId,
    tolerance: Duration,
    test_hosts: Vec<String>,
    max_cert_bytes: usize,
    replays: Arc<dyn ReplayStore>,
    certs: Mutex<HashMap<String, CertSlot>>,
}

/// Verifies webhook signatures locally, and accepts each delivery once. Cheap to clone; clones share
/// the certificate cache and the replay store.
///
/// Each `PAYPAL-TRANSMISSION-ID` whose signature verified is recorded in a [`ReplayStore`] for the
/// [`replay_window`](Self::replay_window); a second delivery with it is refused with
/// [`WebhookError::Replayed`]. The store is in memory by default (one process); give a fleet a shared
/// one with [`replay_store`](WebhookVerifierBuilder::replay_store) (`RedisReplayStore` under the
/// `redis` feature). What it cannot prove: that the first delivery of a transmission carried PayPal's
/// body, since a rewrite of the same CRC32 that arrives first is accepted. Confirm events that move
/// money with the API ([`Webhooks::confirm`](super::Webhooks::confirm)).
///
/// The certificate is fetched once per URL however many deliveries wait for it; a failed fetch is
/// not remembered (the next delivery tries again).
///
/// ```no_run
/// # async fn handle(client: paypal_partner::Client, headers: paypal_partner::partner_core::http::HeaderMap, body: paypal_partner::partner_core::bytes::Bytes) -> Result<(), Box<dyn std::error::Error>> {
/// use paypal_partner::webhooks::{Event, WebhookVerifier};
/// let verifier = WebhookVerifier::builder(&client, "8PT597110X687430LKGECATA").build();
/// let event = verifier.verify(&headers, &body).await?;
/// if let Event::OnboardingCompleted(done) = event {
///     println!("seller {:?} finished onboarding", done.resource.merchant_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    inner: Arc<Inner>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("webhook_id", &self.inner.webhook_id)
            .field("tolerance", &self.inner.tolerance)
            .field("test_hosts", &self.inner.test_hosts)
            .field("max_cert_bytes", &self.inner.max_cert_bytes)
            .field("replays", &self.inner.replays)
            .finish_non_exhaustive()
    }
}

/// Builds a [`WebhookVerifier`].
#[derive(Debug)]
pub struct WebhookVerifierBuilder {
    client: Client,
    webhook_id: WebhookId,
    tolerance: Duration,
    test_hosts: Vec<String>,
    max_cert_bytes: usize,
    replays: Option<Arc<dyn ReplayStore>>,
}

impl WebhookVerifierBuilder {
    /// How far the transmission time may be from the verifier client's clock, either way (default
    /// 5 minutes). Transmission ids are remembered for twice this plus a minute.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Caps the certificate download (default 64 KiB).
    pub fn max_cert_bytes(mut self, max: usize) -> Self {
        self.max_cert_bytes = max;
        self
    }

    /// **For tests only**: also trusts certificates from `host` (any port, http or https), so that a
    /// local sandbox or mock server can serve a test certificate. Never use it in production: whoever
    /// serves the certificate decides which signatures are valid.
    pub fn allow_cert_host_for_testing(mut self, host: impl Into<String>) -> Self {
        self.test_hosts.push(host.into().to_ascii_lowercase());
        self
    }

    /// Where accepted transmission ids are recorded. The default, a [`MemoryReplayStore`] on the
    /// client's clock, protects one process; verifiers sharing a store (a `RedisReplayStore` for a
    /// fleet) accept each delivery once between them.
    ///
    /// ```no_run
    /// # #[cfg(feature = "redis")]
    /// # async fn fleet(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
    /// use std::sync::Arc;
    /// use paypal_partner::partner_core::redis::RedisReplayStore;
    /// use paypal_partner::webhooks::WebhookVerifier;
    /// let replays = RedisReplayStore::connect("redis://redis.internal:6379").await?.namespace("shop");
    /// let verifier = WebhookVerifier::builder(&client, "8PT597110X687430LKGECATA")
    ///     .replay_store(Arc::new(replays))
    ///     .build();
    /// # let _ = verifier; Ok(()) }
    /// ```
    pub fn replay_store(mut self, store: Arc<dyn ReplayStore>) -> Self {
        self.replays = Some(store);
        self
    }

    /// Builds the verifier.
    pub fn build(self) -> WebhookVerifier {
        let replays = self.replays.unwrap_or_else(|| {
            Arc::new(MemoryReplayStore::default().clock(self.client.clock().clone()))
        });
        WebhookVerifier {
            inner: Arc::new(Inner {
                client: self.client,
                webhook_id: self.webhook_id,
                tolerance: self.tolerance,
                test_hosts: self.test_hosts,
                max_cert_bytes: self.max_cert_bytes,
                replays,
                certs: Mutex::new(HashMap::new()),
            }),
        }
    }
}

impl WebhookVerifier {
    /// A verifier for the webhook `webhook_id` (from your app's webhook settings), fetching
    /// certificates through `client`'s transport and reading time from its clock.
    pub fn builder(client: &Client, webhook_id: impl Into<WebhookId>) -> WebhookVerifierBuilder {
        WebhookVerifierBuilder {
            client: client.clone(),
            webhook_id: webhook_id.into(),
            tolerance: DEFAULT_TOLERANCE,
            test_hosts: Vec::new(),
            max_cert_bytes: DEFAULT_MAX_CERT_BYTES,
            replays: None,
        }
    }

    /// How long accepted transmission ids are remembered: twice the tolerance (a delivery is
    /// accepted from `tolerance` before its transmission time to `tolerance` after it), plus a
    /// minute for clocks that disagree.
    pub fn replay_window(&self) -> Duration {
        // Saturating: a caller's huge tolerance must not panic here.
        self.inner
            .tolerance
            .saturating_mul(2)
            .saturating_add(REPLAY_WINDOW_MARGIN)
    }

    /// Verifies a delivery and reads its event: the signature headers from `headers` (as axum, hyper
    /// and reqwest give them), the signature of `body` (the raw bytes as received) by PayPal for this
    /// webhook, a transmission not accepted before; then the body as a typed [`Event`] (an
    /// [`Event::Unknown`] with the whole JSON for a type this crate does not know).
    ///
    /// ```no_run
    /// # async fn run(verifier: paypal_partner::webhooks::WebhookVerifier, headers: paypal_partner::http::HeaderMap, body: Vec<u8>) -> Result<(), paypal_partner::webhooks::WebhookError> {
    /// use paypal_partner::webhooks::Event;
    ///
    /// match verifier.verify(&headers, &body).await? {
    ///     Event::OnboardingCompleted(event) => println!("seller {:?} onboarded", event.resource.merchant_id),
    ///     Event::Unknown { event_type, raw } => println!("{event_type}: {raw}"),
    ///     other => println!("{}", other.event_type()),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying which check failed: refuse the delivery (answer 400, or 503 for
    /// [`WebhookError::ReplayCheckUnavailable`] so that PayPal delivers it again);
    /// [`WebhookError::InvalidEvent`] when the verified body is not an event.
    pub async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
        let headers = WebhookHeaders::from_header_map(headers)?;
        self.verify_event(&headers, body).await
    }

    /// Verifies that `body` (the raw bytes as received) was signed by PayPal for this webhook, and
    /// that its transmission was not accepted before, without reading the event.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying which check failed; refuse the delivery (answer 400, or 503 for
    /// [`WebhookError::ReplayCheckUnavailable`] so that PayPal delivers it again).
    pub async fn verify_delivery(
        &self,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_signature(headers, body).await?;
        // Only now: recording ids before the signature verified would let anyone burn them.
        self.accept_once(&headers.transmission_id).await
    }

    async fn verify_signature(
        &self,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        if !headers.auth_algo.eq_ignore_ascii_case("SHA256withRSA") {
            return Err(WebhookError::UnsupportedAlgorithm(
                headers.auth_algo.clone(),
            ));
        }
        if !self.is_trusted(&headers.cert_url) {
            return Err(WebhookError::UntrustedCertUrl(headers.cert_url.clone()));
        }
        self.check_time(&headers.transmission_time)?;
        let signature = base64::engine::general_purpose::STANDARD
            .decode(headers.transmission_sig.trim())
            .map_err(|_| WebhookError::MalformedSignature)?;
        let message = format!(
            "{}|{}|{}|{}",
            headers.transmission_id,
            headers.transmission_time,
            self.inner.webhook_id,
            crc32fast::hash(body)
        );
        let key = self.public_key(&headers.cert_url).await?;
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.as_slice())
            .verify(message.as_bytes(), &signature)
            .map_err(|_| {
                tracing::debug!(
                    transmission_id = %headers.transmission_id,
                    "webhook signature mismatch"
                );
                WebhookError::SignatureMismatch
            })
    }

    /// Verifies, then reads the event.
    ///
    /// # Errors
    ///
    /// As [`verify_delivery`](Self::verify_delivery), and [`WebhookError::InvalidEvent`] when the
    /// body is not an event.
    pub async fn verify_event(
        &self,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify_delivery(headers, body).await?;
        Event::from_slice(body).map_err(|e| WebhookError::InvalidEvent(e.to_string()))
    }

    async fn accept_once(&self, transmission_id: &str) -> Result<(), WebhookError> {
        let key = format!("paypal-webhook:{}:{transmission_id}", self.inner.webhook_id);
        let first = self
            .inner
            .replays
            .insert(&key, self.replay_window())
            .await
            .map_err(|e| {
                tracing::warn!(transmission_id, error = %e, "webhook replay check unavailable");
                WebhookError::ReplayCheckUnavailable(e.to_string())
            })?;
        if first {
            Ok(())
        } else {
            tracing::warn!(transmission_id, "webhook transmission replayed");
            Err(WebhookError::Replayed {
                transmission_id: transmission_id.to_owned(),
            })
        }
    }

    fn is_trusted(&self, cert_url: &str) -> bool {
        if is_paypal_cert_url(cert_url) {
            return true;
        }
        let Ok(url) = Url::parse(cert_url) else {
            return false;
        };
        matches!(url.scheme(), "http" | "https")
            && url.username().is_empty()
            && url.password().is_none()
            && url
                .host_str()
                .is_some_and(|h| self.inner.test_hosts.iter().any(|t| t == h))
    }

    fn check_time(&self, transmission_time: &str) -> Result<(), WebhookError> {
        let sent = time::OffsetDateTime::parse(
            transmission_time,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|_| WebhookError::InvalidTransmissionTime(transmission_time.to_owned()))?;
        let sent = SystemTime::from(sent);
        let now = self.inner.client.clock().now();
        let skew = match now.duration_since(sent) {
            Ok(ago) => ago,
            Err(ahead) => ahead.duration(),
        };
        if skew > self.inner.tolerance {
            return Err(WebhookError::OutsideTolerance {
                skew,
                tolerance: self.inner.tolerance,
            });
        }
        Ok(())
    }

    /// The certificate's key: cached, or fetched by one caller while the others wait for it.
    async fn public_key(&self, cert_url: &str) -> Result<Arc<Vec<u8>>, WebhookError> {
        let fetch = {
            let now = self.inner.client.clock().now();
            let mut certs = self.inner.lock_certs();
            match certs.get(cert_url) {
                Some(CertSlot::Ready(key)) if key.not_after > now => {
                    return Ok(key.public_key.clone());
                }
                Some(CertSlot::Fetching(fetch)) => fetch.clone(),
                _ => {
                    make_room(&mut certs, now);
                    let fetch = self.clone().load_key(cert_url.to_owned()).boxed().shared();
                    certs.insert(cert_url.to_owned(), CertSlot::Fetching(fetch.clone()));
                    fetch
                }
            }
        };
        fetch.await.map(|key| key.public_key)
    }

    /// Fetches and parses the certificate, then leaves it in the cache, or on failure leaves nothing
    /// (so that the next delivery tries again).
    async fn load_key(self, cert_url: String) -> Result<CachedKey, WebhookError> {
        tracing::debug!(cert_url, "fetching the webhook signing certificate");
        let result = match self.fetch(&cert_url).await {
            Ok(pem) => parse_certificate(&pem, self.inner.client.clock().now()),
            Err(err) => Err(err),
        };
        let mut certs = self.inner.lock_certs();
        match &result {
            Ok(key) => certs.insert(cert_url, CertSlot::Ready(key.clone())),
            Err(_) => certs.remove(&cert_url),
        };
        result
    }

    async fn fetch(&self, cert_url: &str) -> Result<Bytes, WebhookError> {
        let request = http::Request::get(cert_url)
            .header(http::header::ACCEPT, "application/x-pem-file, */*")
            .body(Bytes::new())
            .map_err(|e| WebhookError::CertificateFetch(e.to_string()))?;
        let sent = tokio::time::timeout(
            CERT_FETCH_TIMEOUT,
            self.inner
                .client
                .transport()
                .send(request, self.inner.max_cert_bytes),
        )
        .await
        .map_err(|_| WebhookError::CertificateFetch("timed out".into()))?
        .map_err(|e| WebhookError::CertificateFetch(e.to_string()))?;
        if sent.status() != StatusCode::OK {
            return Err(WebhookError::CertificateFetch(format!(
                "HTTP {}",
                sent.status().as_u16()
            )));
        }
        Ok(sent.into_body())
    }
}

impl Inner {
    fn lock_certs(&self) -> std::sync::MutexGuard<'_, HashMap<String, CertSlot>> {
        self.certs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keeps the cache under [`MAX_CACHED_CERTS`] URLs before adding one: expired keys go first, then
/// everything. Forgetting a fetch under way does not disturb its waiters (they hold the shared
/// future); it only bounds fetches nobody waits for any more (their handlers were cancelled).
fn make_room(certs: &mut HashMap<String, CertSlot>, now: SystemTime) {
    if certs.len() < MAX_CACHED_CERTS {
        return;
    }
    certs.retain(|_, slot| match slot {
        CertSlot::Ready(key) => key.not_after > now,
        CertSlot::Fetching(_) => true,
    });
    if certs.len() >= MAX_CACHED_CERTS {
        certs.clear();
    }
}

/// The RSA public key of the first certificate of a PEM chain (or of a DER certificate).
fn parse_certificate(bytes: &[u8], now: SystemTime) -> Result<CachedKey, WebhookError> {
    let invalid = |m: String| WebhookError::InvalidCertificate(m);
    let cert = if bytes.trim_ascii_start().starts_with(b"-----") {
        let chain = Certificate::load_pem_chain(bytes).map_err(|e| invalid(e.to_string()))?;
        chain
            .into_iter()
            .next()
            .ok_or_else(|| invalid("no certificate in the PEM".into()))?
    } else {
        Certificate::from_der(bytes)
            .or_else(|_| Certificate::from_pem(bytes))
            .map_err(|e| invalid(e.to_string()))?
    };
    let tbs = cert.tbs_certificate();
    let not_before = tbs.validity().not_before.to_system_time();
    let not_after = tbs.validity().not_after.to_system_time();
    if now < not_before || now > not_after {
        return Err(invalid("the certificate is not valid at this time".into()));
    }
    let spki = tbs.subject_public_key_info();
    if spki.algorithm.oid.to_string() != RSA_ENCRYPTION_OID {
        return Err(invalid("the certificate key is not RSA".into()));
    }
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("the public key bit string is not byte-aligned".into()))?;
    Ok(CachedKey {
        public_key: Arc::new(key.to_vec()),
        not_after,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_cache_stays_bounded() {
        let now = SystemTime::now();
        let key = |not_after| {
            CertSlot::Ready(CachedKey {
                public_key: Arc::new(vec![1]),
                not_after,
            })
        };
        let mut certs = HashMap::new();
        for i in 0..MAX_CACHED_CERTS - 1 {
            certs.insert(format!("live-{i}"), key(now + Duration::from_secs(60)));
        }
        certs.insert("expired".into(), key(now - Duration::from_secs(1)));
        make_room(&mut certs, now);
        assert_eq!(certs.len(), MAX_CACHED_CERTS - 1);
        assert!(!certs.contains_key("expired"));
        // Abandoned fetches (never completed) count too.
        let abandoned = futures_util::future::pending().boxed().shared();
        certs.insert("abandoned".into(), CertSlot::Fetching(abandoned));
        make_room(&mut certs, now);
        assert!(certs.is_empty());
    }

    #[test]
    fn cert_url_rule() {
        for ok in [
            "https://api.paypal.com/v1/notifications/certs/CERT-1",
            "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1",
            "https://paypal.com/cert",
        ] {
            assert!(is_paypal_cert_url(ok), "{ok}");
        }
        for bad in [
            "http://api.paypal.com/cert",
            "https://paypal.com.evil.example/cert",
            "https://evil.example/paypal.com",
            "https://evilpaypal.com/cert",
            "https://api.paypal.com:8443/cert",
            "https://user@api.paypal.com/cert",
            "https://api.paypal.com@evil.example/cert",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(!is_paypal_cert_url(bad), "{bad}");
        }
    }
}
