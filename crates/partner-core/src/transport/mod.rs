//! The HTTP abstraction provider crates program against.
//!
//! A [`Transport`] sends one [`http::Request`] and returns one [`http::Response`], both with
//! [`Bytes`] bodies: no reqwest type is part of the public API, so the transport can change without a
//! major version, and tests can plug in their own.

use std::fmt;

use bytes::Bytes;
use futures_util::future::BoxFuture;

use crate::error::TransportError;

#[cfg(feature = "reqwest")]
mod reqwest_transport;
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use reqwest_transport::{ReqwestTransport, ReqwestTransportBuilder};

/// A request as handed to a transport.
pub type HttpRequest = http::Request<Bytes>;
/// A response as a transport returns it, body complete.
pub type HttpResponse = http::Response<Bytes>;

/// The default cap on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Sends HTTP requests.
///
/// Implementations must read at most `max_response_bytes` of a body and fail with
/// [`TransportError::body_too_large`] beyond that, and must report connection failures that happened
/// before the request was written as [`TransportErrorKind::Connect`](crate::error::TransportErrorKind::Connect),
/// because the retry policy relies on the difference, and should use
/// [`TransportErrorKind::Request`](crate::error::TransportErrorKind::Request) only for a request that
/// can never be sent: the client does not retry it.
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}
