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
pub(crate) use reqwest_transport::{Direct, send_direct};
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use reqwest_transport::{ReqwestTransport, ReqwestTransportBuilder};

/// Without reqwest there is no default transport to call directly.
#[cfg(not(feature = "reqwest"))]
#[derive(Debug, Clone)]
pub(crate) enum Direct {}

#[cfg(not(feature = "reqwest"))]
pub(crate) fn send_direct(
    direct: &Direct,
    _method: http::Method,
    _url: url::Url,
    _headers: http::HeaderMap,
    _body: Bytes,
    _max_response_bytes: usize,
) -> std::future::Ready<Result<HttpResponse, TransportError>> {
    match *direct {}
}

/// A request as handed to a transport.
pub type HttpRequest = http::Request<Bytes>;
/// A response as a transport returns it, body complete.
pub type HttpResponse = http::Response<Bytes>;

/// The request's URL as the client already parsed it, carried in the request's extensions so that a
/// transport built on [`url::Url`] (reqwest) does not turn the URI back into text and parse it again:
/// on loopback that round trip was about 4 % of a whole call.
///
/// It holds the URI it was made with, and a transport uses the URL only while the request's URI is
/// still that very one (an authenticator may have replaced it).
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "reqwest"), allow(dead_code))] // only a URL-based transport reads it
pub(crate) struct RequestUrl {
    url: url::Url,
    uri: http::Uri,
}

#[cfg_attr(not(feature = "reqwest"), allow(dead_code))]
impl RequestUrl {
    /// `url`, which `uri` was parsed from.
    pub(crate) fn new(url: url::Url, uri: http::Uri) -> Self {
        Self { url, uri }
    }

    /// The URL, if `uri` is still the URI this was made with.
    ///
    /// A clone of a URI shares its bytes, so comparing where each part's text lives (and its
    /// length) tells an untouched URI in a few instructions; any rebuilt URI, even an equal one,
    /// fails the test and is simply parsed.
    pub(crate) fn into_url_for(self, uri: &http::Uri) -> Option<url::Url> {
        fn same<T: AsRef<str>>(a: Option<T>, b: Option<T>) -> bool {
            match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    let (a, b) = (a.as_ref(), b.as_ref());
                    std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()
                }
                _ => false,
            }
        }
        let untouched = uri.scheme() == self.uri.scheme()
            && same(
                uri.authority().map(|a| a.as_str()),
                self.uri.authority().map(|a| a.as_str()),
            )
            && same(
                uri.path_and_query().map(|p| p.as_str()),
                self.uri.path_and_query().map(|p| p.as_str()),
            );
        untouched.then_some(self.url)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn carried(url: &str) -> (RequestUrl, http::Uri) {
        let url: url::Url = url.parse().unwrap();
        let uri: http::Uri = url.as_str().parse().unwrap();
        (RequestUrl::new(url, uri.clone()), uri)
    }

    #[test]
    fn the_url_is_handed_over_only_for_the_very_uri_it_was_made_with() {
        let (request_url, uri) = carried("https://api.test/v1/things?a=1");
        assert_eq!(
            request_url
                .clone()
                .into_url_for(&uri.clone())
                .unwrap()
                .as_str(),
            "https://api.test/v1/things?a=1"
        );
        // Equal text parsed anew: not provably the same, so the transport parses it (still right).
        let reparsed: http::Uri = "https://api.test/v1/things?a=1".parse().unwrap();
        assert!(request_url.clone().into_url_for(&reparsed).is_none());
        // The same path on another host, rebuilt from the original parts.
        let mut parts = uri.clone().into_parts();
        parts.authority = Some("evil.test".parse().unwrap());
        let moved = http::Uri::from_parts(parts).unwrap();
        assert!(request_url.clone().into_url_for(&moved).is_none());
        // Another scheme, the same authority and path bytes.
        let mut parts = uri.clone().into_parts();
        parts.scheme = Some(http::uri::Scheme::HTTP);
        let downgraded = http::Uri::from_parts(parts).unwrap();
        assert!(request_url.into_url_for(&downgraded).is_none());
    }
}
