//! Local verification of webhook signatures, PayPal's preferred way.
//!
//! The signed message is `transmission_id|transmission_time|webhook_id|crc32`, where `crc32` is the
//! unsigned decimal CRC32 of the raw body; the signature is RSA PKCS#1 v1.5 with SHA-256 by the key of
//! the certificate at `PAYPAL-CERT-URL`. That URL comes from the request, so anyone can put their own
//! certificate there: it is fetched only from `https` hosts under `paypal.com`, which is what makes the
//! check meaningful.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use partner_core::bytes::Bytes;
use partner_core::http::{self, StatusCode};
use partner_core::url::Url;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use x509_cert::Certificate;
use x509_cert::der::{Decode as _, DecodePem as _};

use super::WebhookHeaders;
use super::events::Event;
use crate::Client;

/// The default replay window: a transmission time further than this from now is refused.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
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
    /// The transmission time is outside the replay window.
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

struct Inner {
    client: Client,
    webhook_id: String,
    tolerance: Duration,
    test_hosts: Vec<String>,
    max_cert_bytes: usize,
    cache: Mutex<HashMap<String, CachedKey>>,
}

/// Verifies webhook signatures locally. Cheap to clone; clones share the certificate cache.
///
/// ```no_run
/// # async fn handle(client: paypal_partner::Client, headers: paypal_partner::partner_core::http::HeaderMap, body: paypal_partner::partner_core::bytes::Bytes) -> Result<(), Box<dyn std::error::Error>> {
/// use paypal_partner::webhooks::{Event, WebhookHeaders, WebhookVerifier};
/// let verifier = WebhookVerifier::builder(&client, "8PT597110X687430LKGECATA").build();
/// let event = verifier.verify_event(&WebhookHeaders::from_header_map(&headers)?, &body).await?;
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
            .finish_non_exhaustive()
    }
}

/// Builds a [`WebhookVerifier`].
#[derive(Debug)]
pub struct WebhookVerifierBuilder {
    client: Client,
    webhook_id: String,
    tolerance: Duration,
    test_hosts: Vec<String>,
    max_cert_bytes: usize,
}

impl WebhookVerifierBuilder {
    /// The replay window (default 5 minutes) around the verifier client's clock.
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

    /// Builds the verifier.
    pub fn build(self) -> WebhookVerifier {
        WebhookVerifier {
            inner: Arc::new(Inner {
                client: self.client,
                webhook_id: self.webhook_id,
                tolerance: self.tolerance,
                test_hosts: self.test_hosts,
                max_cert_bytes: self.max_cert_bytes,
                cache: Mutex::new(HashMap::new()),
            }),
        }
    }
}

impl WebhookVerifier {
    /// A verifier for the webhook `webhook_id` (from your app's webhook settings), fetching
    /// certificates through `client`'s transport and reading time from its clock.
    pub fn builder(client: &Client, webhook_id: impl Into<String>) -> WebhookVerifierBuilder {
        WebhookVerifierBuilder {
            client: client.clone(),
            webhook_id: webhook_id.into(),
            tolerance: DEFAULT_TOLERANCE,
            test_hosts: Vec::new(),
            max_cert_bytes: DEFAULT_MAX_CERT_BYTES,
        }
    }

    /// Verifies that `body` (the raw bytes as received) was signed by PayPal for this webhook.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying which check failed; refuse the delivery (answer 400).
    pub async fn verify(&self, headers: &WebhookHeaders, body: &[u8]) -> Result<(), WebhookError> {
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
    /// As [`verify`](Self::verify), and [`WebhookError::InvalidEvent`] when the body is not an event.
    pub async fn verify_event(
        &self,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify(headers, body).await?;
        Event::from_slice(body).map_err(|e| WebhookError::InvalidEvent(e.to_string()))
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

    async fn public_key(&self, cert_url: &str) -> Result<Arc<Vec<u8>>, WebhookError> {
        let now = self.inner.client.clock().now();
        if let Some(hit) = self.lock().get(cert_url).cloned()
            && hit.not_after > now
        {
            return Ok(hit.public_key);
        }
        tracing::debug!(cert_url, "fetching the webhook signing certificate");
        let pem = self.fetch(cert_url).await?;
        let cached = parse_certificate(&pem, now)?;
        let mut cache = self.lock();
        if cache.len() >= MAX_CACHED_CERTS {
            cache.retain(|_, v| v.not_after > now);
            if cache.len() >= MAX_CACHED_CERTS {
                cache.clear();
            }
        }
        cache.insert(cert_url.to_owned(), cached.clone());
        Ok(cached.public_key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedKey>> {
        self.inner.cache.lock().unwrap_or_else(|e| e.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;

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
