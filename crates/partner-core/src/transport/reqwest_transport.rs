use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::{HttpRequest, HttpResponse, Transport};
use crate::error::{TransportError, TransportErrorKind};

/// The default [`Transport`]: reqwest with rustls, one connection pool per instance.
///
/// TLS is rustls on the *ring* crypto provider, or on the process-wide default provider when the
/// application installed one (aws-lc-rs, for FIPS or post-quantum key exchange). Servers are verified
/// against the operating system's trust store, so a root installed there (a corporate TLS proxy's) is
/// trusted, as it is by the system's other programs.
///
/// ```no_run
/// # fn run() -> Result<(), partner_core::TransportError> {
/// // Optional, once at start-up, before any client is built (needs rustls's `aws-lc-rs` feature):
/// // rustls::crypto::aws_lc_rs::default_provider().install_default().ok();
/// let transport = partner_core::transport::ReqwestTransport::new()?;
/// # let _ = transport; Ok(()) }
/// ```
///
/// Redirects are not followed (an SDK call that is redirected is a misconfiguration, and following it
/// could carry credentials to another host).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

/// Configures a [`ReqwestTransport`].
#[derive(Debug, Clone)]
pub struct ReqwestTransportBuilder {
    connect_timeout: Duration,
    pool_idle_timeout: Duration,
    user_agent: Option<String>,
}

impl Default for ReqwestTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            pool_idle_timeout: Duration::from_secs(90),
            user_agent: None,
        }
    }
}

impl ReqwestTransportBuilder {
    /// How long to wait for a TCP and TLS connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an idle pooled connection is kept (default 90 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The default `User-Agent` (requests that carry their own keep it).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when the TLS backend cannot be initialised: on Linux, when the system has
    /// no CA certificate and the `bundled-roots` feature is off.
    pub fn build(self) -> Result<ReqwestTransport, TransportError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ua) = self.user_agent {
            builder = builder.user_agent(ua);
        }
        builder = builder.tls_backend_preconfigured(tls_config()?);
        let client = builder.build().map_err(|e| {
            TransportError::new(
                TransportErrorKind::Request,
                "could not build the HTTP client",
            )
            .with_source(e)
        })?;
        Ok(ReqwestTransport { client })
    }
}

/// reqwest 0.13's own rustls setup (the platform verifier, h2 and HTTP/1.1 by ALPN), with ring in
/// place of its aws-lc-rs when the application installed no default provider (see
/// docs/architecture.md). Given to each transport rather than installed as the process-wide default,
/// which is the application's to choose.
fn tls_config() -> Result<rustls::ClientConfig, TransportError> {
    let tls_error = |e: rustls::Error| {
        TransportError::new(
            TransportErrorKind::Request,
            "could not set up TLS (no CA certificate store? see the `bundled-roots` feature)",
        )
        .with_source(e)
    };
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let verifier = platform_verifier(provider.clone()).map_err(tls_error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers with its own rustls setup and the `http2` feature.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The operating system's verifier, which on Linux fails when no CA certificate is installed.
#[cfg(not(feature = "bundled-roots"))]
fn platform_verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new(provider)
}

/// The operating system's verifier, also trusting Mozilla's roots (so it works with no CA store).
#[cfg(feature = "bundled-roots")]
fn platform_verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(
        webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned(),
        provider,
    )
}

impl ReqwestTransport {
    /// A builder with the defaults.
    pub fn builder() -> ReqwestTransportBuilder {
        ReqwestTransportBuilder::default()
    }

    /// A transport with the defaults.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when the TLS backend cannot be initialised.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }
}

fn classify(err: reqwest::Error) -> TransportError {
    let (kind, message) = if err.is_connect() {
        (TransportErrorKind::Connect, "could not connect")
    } else if err.is_timeout() {
        (TransportErrorKind::Timeout, "the transport timed out")
    } else if err.is_builder() {
        // Only reqwest's own refusals (a scheme or URI it will not send): `Request` is final.
        (
            TransportErrorKind::Request,
            "the request could not be built",
        )
    } else {
        (TransportErrorKind::Other, "the connection failed")
    };
    // The URL is dropped: its query may carry personal data (emails, ids) that has no place in logs.
    let err = err.without_url();
    TransportError::new(kind, format!("{message}: {err}")).with_source(err)
}

/// Reads a body of unknown length chunk by chunk, counting against the cap.
async fn read_chunked(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, TransportError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > limit {
            return Err(TransportError::body_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Converts the request; reqwest parses its URI into a URL once more.
fn into_reqwest(request: HttpRequest) -> Result<reqwest::Request, TransportError> {
    reqwest::Request::try_from(request).map_err(|e| {
        TransportError::new(
            TransportErrorKind::Request,
            "the request could not be built",
        )
        .with_source(e)
    })
}

/// The whole response, its body read within `max_response_bytes`.
async fn read_response(
    mut response: reqwest::Response,
    max_response_bytes: usize,
) -> Result<HttpResponse, TransportError> {
    let status = response.status();
    let version = response.version();
    // Taken, not cloned: the body reader does not need them.
    let headers = std::mem::take(response.headers_mut());
    let body = match response.content_length() {
        Some(len) if len > max_response_bytes as u64 => {
            return Err(TransportError::body_too_large(max_response_bytes));
        }
        // hyper delivers exactly Content-Length bytes, so the cap holds without counting chunks.
        Some(_) => response.bytes().await.map_err(classify)?,
        None => read_chunked(response, max_response_bytes).await?,
    };
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.version_mut() = version;
    *out.headers_mut() = headers;
    Ok(out)
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        async move {
            let request = into_reqwest(request)?;
            let response = self.client.execute(request).await.map_err(classify)?;
            read_response(response, max_response_bytes).await
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_converts_with_its_method_uri_headers_and_body() {
        let request = http::Request::post("https://api.test/v1/things?a=1&b=%20")
            .header("x-test", "1")
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        let converted = into_reqwest(request).unwrap();
        assert_eq!(
            converted.url().as_str(),
            "https://api.test/v1/things?a=1&b=%20"
        );
        assert_eq!(converted.method(), http::Method::POST);
        assert_eq!(converted.headers()["x-test"], "1");
        let body = converted.body().and_then(|b| b.as_bytes()).unwrap();
        assert_eq!(body, b"{}");
    }
}
