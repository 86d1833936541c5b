//! The request half every simple operation builder shares: a method, a path of literals and checked
//! ids, a query and an optional JSON body. The builders of the webhook management and payouts modules
//! hold one, with their own `headers` and `options`, and send it with [`Call::send_json`] or
//! [`Call::send_empty`].

use partner_core::http::Method;
use partner_core::path::Segment;
use partner_core::{RequestOptions, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::client::{Client, check_id};
use crate::headers::PayPalHeaders;

/// One segment of a path: a literal, or an id checked and encoded as one segment.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Lit(&'static str),
    Id(&'static str, String),
}

/// A request waiting for its options.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) client: Client,
    method: Method,
    path: Vec<Part>,
    query: Vec<(&'static str, String)>,
    body: Option<Result<serde_json::Value, Error>>,
}

impl Call {
    pub(crate) fn new(client: Client, method: Method, path: Vec<Part>) -> Self {
        Self {
            client,
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    /// Sets the JSON body. A body that does not serialise is an error at `send()`.
    pub(crate) fn body(mut self, body: &impl Serialize) -> Self {
        self.body = Some(
            serde_json::to_value(body).map_err(|e| Error::invalid_input("body", e.to_string())),
        );
        self
    }

    /// Sets (or replaces) a query parameter.
    pub(crate) fn set_query(&mut self, name: &'static str, value: impl Into<String>) {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value.into()));
    }

    /// The URL, ids checked, with the query.
    pub(crate) fn url(&self) -> Result<partner_core::url::Url, Error> {
        let mut segments = Vec::with_capacity(self.path.len());
        for part in &self.path {
            segments.push(match part {
                Part::Lit(text) => Segment::literal(text),
                Part::Id(field, id) => {
                    check_id(field, id)?;
                    Segment::id(field, id)
                }
            });
        }
        let mut url = self.client.url(&segments)?;
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    async fn execute(
        self,
        headers: &PayPalHeaders,
        options: &RequestOptions,
    ) -> Result<Response, Error> {
        let url = self.url()?;
        let mut request = self.client.request_to(self.method, url);
        if let Some(body) = self.body {
            request = request.json(&body?)?;
        }
        let request = headers.apply(request, options)?;
        self.client.execute(request).await
    }

    /// Sends it and decodes the answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        self,
        headers: &PayPalHeaders,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        self.execute(headers, options).await?.json()
    }

    /// Sends it and ignores the answer's body (a 204).
    pub(crate) async fn send_empty(
        self,
        headers: &PayPalHeaders,
        options: &RequestOptions,
    ) -> Result<(), Error> {
        self.execute(headers, options).await.map(drop)
    }
}

/// Declares a public operation builder around a [`Call`]: its per-call options and PayPal's optional
/// headers, and `send()` answering `$out` (decoded JSON, or `()` for an empty answer with `empty`).
macro_rules! call_builder {
    ($(#[$meta:meta])* $name:ident -> empty, $what:literal) => {
        call_builder!(@struct $(#[$meta])* $name);
        impl $name {
            paypal_call_options!();

            /// Sends it.
            ///
            /// # Errors
            ///
            #[doc = $what]
            pub async fn send(self) -> Result<(), $crate::Error> {
                self.call.send_empty(&self.headers, &self.options).await
            }
        }
    };
    ($(#[$meta:meta])* $name:ident -> $out:ty, $what:literal) => {
        call_builder!(@struct $(#[$meta])* $name);
        impl $name {
            paypal_call_options!();

            /// Sends it.
            ///
            /// # Errors
            ///
            #[doc = $what]
            pub async fn send(self) -> Result<$out, $crate::Error> {
                self.call.send_json(&self.headers, &self.options).await
            }
        }
    };
    (@struct $(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug)]
        #[must_use = "a call does nothing until `.send()`"]
        pub struct $name {
            call: $crate::call::Call,
            headers: $crate::headers::PayPalHeaders,
            options: partner_core::RequestOptions,
        }

        impl $name {
            pub(crate) fn from_call(call: $crate::call::Call) -> Self {
                Self {
                    call,
                    headers: $crate::headers::PayPalHeaders::default(),
                    options: partner_core::RequestOptions::default(),
                }
            }
        }
    };
}
pub(crate) use call_builder;
