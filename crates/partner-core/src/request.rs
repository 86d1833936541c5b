//! A request as provider crates describe it, before the client authenticates, sends and retries it.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;
use url::Url;

use crate::error::{Error, InvalidInput};
use crate::retry::{IdempotencyKey, RetryPolicy};

/// Per-request overrides of the client's settings.
///
/// ```
/// use partner_core::request::RequestOptions;
/// use std::time::Duration;
/// let options = RequestOptions::new().no_retries().timeout(Duration::from_secs(5));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Replaces the client's retry policy for this request.
    pub retry: Option<RetryPolicy>,
    /// Replaces the client's per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Replaces the client's whole-operation timeout.
    pub operation_timeout: Option<Duration>,
    /// The idempotency key to send (and reuse on every attempt) instead of a generated one.
    pub idempotency_key: Option<IdempotencyKey>,
    /// Replaces the client's cap on the response body
    /// ([`ApiClientBuilder::max_response_bytes`](crate::client::ApiClientBuilder::max_response_bytes))
    /// for this request: lower it for a call whose answer should be small, raise it for one large
    /// download without raising it for every call.
    pub max_response_bytes: Option<usize>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Never retries this request.
    pub fn no_retries(mut self) -> Self {
        self.retry = Some(RetryPolicy::disabled());
        self
    }

    /// Uses `policy` for this request.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the whole-operation timeout (all attempts and waits).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Sends `key` as the idempotency key.
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// Reads at most `max` bytes of this request's response body (instead of the client's cap).
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Lays `other`'s settings over these (the ones `other` sets win).
    pub fn merged_with(mut self, other: &RequestOptions) -> Self {
        if other.retry.is_some() {
            self.retry.clone_from(&other.retry);
        }
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        if other.operation_timeout.is_some() {
            self.operation_timeout = other.operation_timeout;
        }
        if other.idempotency_key.is_some() {
            self.idempotency_key.clone_from(&other.idempotency_key);
        }
        if other.max_response_bytes.is_some() {
            self.max_response_bytes = other.max_response_bytes;
        }
        self
    }
}

/// Whether and how a request is made safe to repeat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Idempotency {
    /// Per the HTTP method: GET, PUT, DELETE... are retried; POST and PATCH are not, once they may
    /// have reached the server.
    #[default]
    ByMethod,
    /// Send the client's idempotency header with a key (the one in [`RequestOptions`], or a fresh one)
    /// on every attempt, and retry as if idempotent.
    Keyed,
    /// Safe to repeat whatever the method, with no key: sending it twice has no further effect (a
    /// token request, for one). Retried like a GET.
    Idempotent,
}

/// A request to a provider API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Headers beyond the ones the client adds.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Whether the client's authenticator runs (off for public endpoints).
    pub authenticate: bool,
    /// Idempotency handling.
    pub idempotency: Idempotency,
    /// Per-request overrides.
    pub options: RequestOptions,
}

impl Request {
    /// A request with no body.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            authenticate: true,
            idempotency: Idempotency::ByMethod,
            options: RequestOptions::default(),
        }
    }

    /// A GET.
    pub fn get(url: Url) -> Self {
        Self::new(Method::GET, url)
    }

    /// A POST.
    pub fn post(url: Url) -> Self {
        Self::new(Method::POST, url)
    }

    /// A PUT.
    pub fn put(url: Url) -> Self {
        Self::new(Method::PUT, url)
    }

    /// A PATCH.
    pub fn patch(url: Url) -> Self {
        Self::new(Method::PATCH, url)
    }

    /// A DELETE.
    pub fn delete(url: Url) -> Self {
        Self::new(Method::DELETE, url)
    }

    /// Appends the fields of `query` (a struct or a list of pairs; `None` fields are skipped) to the URL.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when `query` does not serialise to flat key-value pairs.
    pub fn query<Q: Serialize + ?Sized>(mut self, query: &Q) -> Result<Self, InvalidInput> {
        let encoded = serde_urlencoded::to_string(query)
            .map_err(|e| InvalidInput::new("query", e.to_string()))?;
        if !encoded.is_empty() {
            let joined = match self.url.query() {
                Some(existing) if !existing.is_empty() => format!("{existing}&{encoded}"),
                _ => encoded,
            };
            self.url.set_query(Some(&joined));
        }
        Ok(self)
    }

    /// Appends one query parameter.
    pub fn query_pair(mut self, name: &str, value: &str) -> Self {
        self.url.query_pairs_mut().append_pair(name, value);
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when `body` cannot be serialised.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, InvalidInput> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| InvalidInput::new("body", e.to_string()))?;
        self.body = Bytes::from(bytes);
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Ok(self)
    }

    /// Sets a raw body with its content type.
    pub fn body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
        self
    }

    /// Sets a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets a header from text.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming the header when the value is not a valid header value.
    pub fn header_str(mut self, name: &'static str, value: &str) -> Result<Self, Error> {
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_input(name, "is not a valid HTTP header value"))?;
        self.headers.insert(HeaderName::from_static(name), value);
        Ok(self)
    }

    /// Sends no credentials.
    pub fn without_auth(mut self) -> Self {
        self.authenticate = false;
        self
    }

    /// Sends an idempotency key on every attempt and retries as an idempotent request.
    pub fn keyed(mut self) -> Self {
        self.idempotency = Idempotency::Keyed;
        self
    }

    /// Marks the request safe to repeat without a key (see [`Idempotency::Idempotent`]).
    pub fn idempotent(mut self) -> Self {
        self.idempotency = Idempotency::Idempotent;
        self
    }

    /// Applies per-request overrides (laid over any already set).
    pub fn options(mut self, options: &RequestOptions) -> Self {
        self.options = self.options.merged_with(options);
        self
    }
}

/// The per-call options as one-line setters of a provider's operation builder, which holds a
/// [`RequestOptions`] in the field named here: the same `timeout`, `retry_policy`, `no_retries` and
/// `max_response_bytes` on every operation of every provider crate.
///
/// ```
/// use partner_core::request::RequestOptions;
/// use std::time::Duration;
///
/// /// An operation.
/// #[derive(Debug, Default)]
/// pub struct GetThing {
///     options: RequestOptions,
/// }
///
/// impl GetThing {
///     partner_core::call_options!(options);
/// }
///
/// let call = GetThing::default()
///     .timeout(Duration::from_secs(5))
///     .no_retries()
///     .max_response_bytes(1024);
/// assert_eq!(call.options.timeout, Some(Duration::from_secs(5)));
/// assert_eq!(call.options.max_response_bytes, Some(1024));
/// ```
#[macro_export]
macro_rules! call_options {
    ($options:ident) => {
        /// Gives each attempt of this call at most `timeout` (instead of the client's).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$options = self.$options.timeout(timeout);
            self
        }

        /// Retries this call by `policy` instead of the client's policy.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.$options = self.$options.retry(policy);
            self
        }

        /// Sends this call once, without retries.
        pub fn no_retries(mut self) -> Self {
            self.$options = self.$options.no_retries();
            self
        }

        /// Reads at most `max` bytes of this call's response body, instead of the client's cap
        /// (`max_response_bytes` on the client builder, 16 MiB by default). A larger body fails
        /// the call with a transport error of kind `BodyTooLarge` that names the cap; it is not
        /// retried.
        pub fn max_response_bytes(mut self, max: usize) -> Self {
            self.$options = self.$options.max_response_bytes(max);
            self
        }
    };
}

/// The `idempotency_key` setter of an operation the provider makes idempotent with a key, for a
/// builder that holds a [`RequestOptions`] in the field named here.
#[macro_export]
macro_rules! idempotency_key_setter {
    ($options:ident) => {
        /// Sends `key` as this call's idempotency key, on every attempt. Reuse the key when you
        /// repeat a call whose error says it may have been applied
        /// (`Error::may_have_been_applied`): the provider then applies it at most once. Without
        /// one, a fresh key is generated per call and reported by `Error::idempotency_key`.
        pub fn idempotency_key(mut self, key: $crate::IdempotencyKey) -> Self {
            self.$options = self.$options.idempotency_key(key);
            self
        }
    };
}
