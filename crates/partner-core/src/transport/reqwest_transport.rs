use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::{HttpRequest, HttpResponse, RequestUrl, Transport};
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

/// Converts the request, reusing the client's parsed URL when the URI still matches it.
fn into_reqwest(request: HttpRequest) -> Result<reqwest::Request, TransportError> {
    let (mut parts, body) = request.into_parts();
    let carried = parts
        .extensions
        .remove::<RequestUrl>()
        .and_then(|carried| carried.into_url_for(&parts.uri));
    match carried {
        Some(url) => {
            let mut out = direct_request(parts.method, url, parts.headers, body);
            *out.version_mut() = parts.version;
            Ok(out)
        }
        None => reqwest::Request::try_from(http::Request::from_parts(parts, body)).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Request,
                "the request could not be built",
            )
            .with_source(e)
        }),
    }
}

/// A reqwest request straight from its parts.
fn direct_request(
    method: http::Method,
    url: url::Url,
    headers: http::HeaderMap,
    body: Bytes,
) -> reqwest::Request {
    let mut out = reqwest::Request::new(method, url);
    *out.headers_mut() = headers;
    *out.body_mut() = Some(body.into());
    out
}

/// The default transport, which the client calls directly rather than through [`Transport`].
pub(crate) type Direct = ReqwestTransport;

/// Sends a request given as parts through the default transport: no `http::Request`, no URI
/// printed or parsed on our side (reqwest checks the URL when it sends) and no boxed future.
pub(crate) fn send_direct(
    direct: &Direct,
    method: http::Method,
    url: url::Url,
    headers: http::HeaderMap,
    body: Bytes,
    max_response_bytes: usize,
) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + 'static {
    direct.execute(
        direct_request(method, url, headers, body),
        max_response_bytes,
    )
}

impl ReqwestTransport {
    /// Sends a converted request and reads the whole response, within `max_response_bytes`.
    ///
    /// Not boxed: the client awaits it in place for its default transport, and [`Transport::send`]
    /// boxes it for everyone else. The request is handed to reqwest before the future is made, so
    /// the future holds reqwest's small `Pending` rather than the request (704 bytes instead of
    /// 1256 when boxed). reqwest sends nothing until the future is polled.
    pub(crate) fn execute(
        &self,
        request: reqwest::Request,
        max_response_bytes: usize,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + 'static {
        let pending = self.client.execute(request);
        async move {
            let mut response = pending.await.map_err(classify)?;
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
                // Boxed, so that the future of a response with a length (the case the
                // benchmark measures) does not carry this one's size; one allocation per
                // response without a length.
                None => Box::pin(read_chunked(response, max_response_bytes)).await?,
            };
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        match into_reqwest(request) {
            Ok(request) => self.execute(request, max_response_bytes).boxed(),
            Err(err) => futures_util::future::ready(Err(err)).boxed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri_text: &str, carried: Option<&str>) -> HttpRequest {
        let mut request = http::Request::post(uri_text)
            .header("x-test", "1")
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        if let Some(url) = carried {
            let url: url::Url = url.parse().unwrap();
            let uri: http::Uri = url.as_str().parse().unwrap();
            // The client attaches the URL with the URI it parsed from it; the request then carries
            // a clone of that URI unless something replaced it.
            if uri == *uri_text {
                *request.uri_mut() = uri.clone();
            }
            request.extensions_mut().insert(RequestUrl::new(url, uri));
        }
        request
    }

    #[test]
    fn the_carried_url_is_used_only_while_the_uri_matches_it() {
        for (uri, carried) in [
            ("https://api.test/v1/things?a=1&b=%20", None),
            (
                "https://api.test/v1/things?a=1&b=%20",
                Some("https://api.test/v1/things?a=1&b=%20"),
            ),
            // An authenticator rewrote the URI after the client attached the URL: the URI wins.
            (
                "https://api.test/v1/things?a=1&signature=x",
                Some("https://api.test/v1/things?a=1"),
            ),
            (
                "http://127.0.0.1:8080/",
                Some("http://127.0.0.1:8080/other"),
            ),
        ] {
            let converted = into_reqwest(request(uri, carried)).unwrap();
            assert_eq!(converted.url().as_str(), uri);
            assert_eq!(converted.method(), http::Method::POST);
            assert_eq!(converted.headers()["x-test"], "1");
            let body = converted.body().and_then(|b| b.as_bytes()).unwrap();
            assert_eq!(body, b"{}");
        }
    }
}
