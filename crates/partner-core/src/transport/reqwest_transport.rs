use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::{HttpRequest, HttpResponse, Transport};
use crate::error::{TransportError, TransportErrorKind};

/// The default [`Transport`]: reqwest with rustls, one connection pool per instance.
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
    /// A [`TransportError`] when the TLS backend cannot be initialised.
    pub fn build(self) -> Result<ReqwestTransport, TransportError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ua) = self.user_agent {
            builder = builder.user_agent(ua);
        }
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
    } else if err.is_builder() || err.is_request() && err.url().is_none() {
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

async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Bytes, TransportError> {
    match response.content_length() {
        Some(len) if len > limit as u64 => return Err(TransportError::body_too_large(limit)),
        // hyper delivers exactly Content-Length bytes, so the cap holds without counting chunks.
        Some(_) => return response.bytes().await.map_err(classify),
        None => {}
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > limit {
            return Err(TransportError::body_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        async move {
            let request = reqwest::Request::try_from(request).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Request,
                    "the request could not be built",
                )
                .with_source(e)
            })?;
            let mut response = self.client.execute(request).await.map_err(classify)?;
            let status = response.status();
            let version = response.version();
            // Taken, not cloned: the body reader does not need them.
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(response, max_response_bytes).await?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        }
        .boxed()
    }
}
