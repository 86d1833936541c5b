//! [`RawRequest`]: the escape hatch for an endpoint a provider crate does not cover yet, sent with the
//! client's authentication, rate limit, retries, timeouts and error reading.
//!
//! Every provider client offers it as `client.raw_request(method, path)`. The path is relative to the
//! client's API base URL; each `/`-separated segment is checked and encoded as
//! [`join_path`] does, so a raw call cannot leave that base, whatever the path
//! holds (`..`, a full URL, `?`).
//!
//! ```no_run
//! # async fn run(api: partner_core::ApiClient) -> Result<(), partner_core::Error> {
//! use partner_core::http::Method;
//! use partner_core::raw::RawRequest;
//!
//! let base = "https://api.example.com/v1/".parse().unwrap();
//! let company: serde_json::Value = RawRequest::new(api, base, Method::GET, "companies/42")
//!     .query(&[("include", "contacts")])
//!     .send_json()
//!     .await?;
//! # let _ = company; Ok(()) }
//! ```

use http::{HeaderName, HeaderValue, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::{ApiClient, Response};
use crate::error::{Error, InvalidInput};
use crate::path::{Segment, join_path};
use crate::request::{Request, RequestOptions};

/// One request to any path under a client's base URL. Built by a provider client's
/// `raw_request(method, path)`; see the [module docs](self).
///
/// A problem with the input (a path segment that is `..` or empty, a query or body that does not
/// serialise, a header value that is not valid) is reported by [`send`](Self::send) as
/// [`Error::InvalidInput`], before anything is sent.
#[derive(Debug)]
#[must_use = "a raw request does nothing until it is sent"]
pub struct RawRequest {
    api: ApiClient,
    request: Result<Request, InvalidInput>,
    options: RequestOptions,
}

impl RawRequest {
    /// A `method` request to `path` under `base` (which ends in `/`), sent by `api`.
    pub fn new(api: ApiClient, base: Url, method: Method, path: &str) -> Self {
        let request = relative_url(&base, path).map(|url| Request::new(method, url));
        Self {
            api,
            request,
            options: RequestOptions::default(),
        }
    }

    /// Adds query parameters (a struct, a map or pairs, as `serde_urlencoded` writes them).
    pub fn query<Q: Serialize + ?Sized>(self, query: &Q) -> Self {
        self.map(|request| request.query(query))
    }

    /// Sends `body` as JSON.
    pub fn json<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|request| request.json(body))
    }

    /// Adds a header (the client's own headers, authentication included, are added after).
    pub fn header(self, name: &'static str, value: &str) -> Self {
        self.map(|request| {
            let name = HeaderName::from_static(name);
            let value = HeaderValue::from_str(value).map_err(|_| {
                InvalidInput::new(name.as_str().to_owned(), "is not a valid header value")
            })?;
            Ok(request.header(name, value))
        })
    }

    crate::call_options!(options);

    /// Sends `key` as the idempotency key (on every attempt), so that retries and your own repeats are
    /// applied at most once. Refused at [`send`](Self::send) by a client whose provider has no
    /// idempotency keys.
    pub fn idempotency_key(mut self, key: crate::IdempotencyKey) -> Self {
        self.options = self.options.idempotency_key(key);
        self
    }

    /// Sends the request; any 2xx answer is returned as it came.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending for a bad path, query, body or header; otherwise the
    /// client's errors, as any call of the provider crate returns them.
    pub async fn send(self) -> Result<Response, Error> {
        let mut request = self.request?;
        if self.options.idempotency_key.is_some() {
            if self.api.idempotency_header().is_none() {
                return Err(Error::invalid_input(
                    "idempotency_key",
                    "this provider has no idempotency keys",
                ));
            }
            request = request.keyed();
        }
        self.api.execute(request.options(&self.options)).await
    }

    /// Sends the request and decodes the 2xx JSON answer into `T` (`serde_json::Value` for any).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), plus [`Error::Decode`] when the body is not a `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send().await?.json()
    }

    fn map(mut self, f: impl FnOnce(Request) -> Result<Request, InvalidInput>) -> Self {
        self.request = self.request.and_then(f);
        self
    }
}

/// `base` + `path`, every segment checked and encoded as one segment.
fn relative_url(base: &Url, path: &str) -> Result<Url, InvalidInput> {
    let segments: Vec<Segment<'_>> = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(|segment| Segment::id("path", segment))
        .collect();
    join_path(base, &segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        "https://api.example.com/v1/".parse().unwrap()
    }

    #[test]
    fn segments_are_encoded_and_stay_under_the_base() {
        let url = relative_url(&base(), "companies/a b/contacts").unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/companies/a%20b/contacts"
        );
        let url = relative_url(&base(), "/companies").unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/v1/companies");
        let url = relative_url(&base(), "companies?all=true").unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/companies%3Fall%3Dtrue"
        );
    }

    #[test]
    fn dot_segments_empty_segments_and_full_urls_are_refused() {
        for path in [
            "..",
            "companies/../token",
            "companies//x",
            "companies/./x",
            "",
            "a/\n",
        ] {
            let err = relative_url(&base(), path).unwrap_err();
            assert_eq!(err.field, "path", "{path:?}");
        }
    }
}
