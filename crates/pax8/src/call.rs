//! [`Call`]: one operation, built and checked, waiting for `.send()`.

use std::fmt;

use partner_core::client::Response;
use partner_core::{Error, Request, RequestOptions};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::page::Content;

/// One API call (a get, create, update, delete…): set per-call options, then `.send().await`.
///
/// Input problems found while building the call (an empty id, an invalid body) are kept and
/// returned by [`send`](Self::send) as [`Error::InvalidInput`], before anything is sent.
///
/// ```no_run
/// # async fn run(client: pax8::Client) -> Result<(), pax8::Error> {
/// use std::time::Duration;
///
/// let company = client
///     .companies()
///     .get("c-1")
///     .timeout(Duration::from_secs(5))
///     .send()
///     .await?;
/// # let _ = company; Ok(()) }
/// ```
#[must_use = "a call does nothing until `.send()`"]
pub struct Call<T> {
    client: Client,
    request: Result<Request, Error>,
    options: RequestOptions,
    decode: fn(&Response) -> Result<T, Error>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Call");
        match &self.request {
            Ok(request) => out
                .field("method", &request.method)
                .field("path", &request.url.path()),
            Err(err) => out.field("error", err),
        };
        out.field("options", &self.options).finish()
    }
}

impl<T> Call<T> {
    /// A call whose 2xx answer `decode` reads.
    pub(crate) fn new(
        client: &Client,
        request: Result<Request, Error>,
        decode: fn(&Response) -> Result<T, Error>,
    ) -> Self {
        Self {
            client: client.clone(),
            request,
            options: RequestOptions::default(),
            decode,
        }
    }

    partner_core::call_options!(options);

    /// Lays `options` over this call's (for a call made on behalf of another builder).
    pub(crate) fn options(mut self, options: &RequestOptions) -> Self {
        self.options = self.options.merged_with(options);
        self
    }

    /// Sends the call.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; the API's errors (404 for an unknown id: see
    /// [`Error::is_not_found`]), and for a write that failed midway, an error that says
    /// [`may_have_been_applied`](Error::may_have_been_applied).
    pub async fn send(self) -> Result<T, Error> {
        let request = self.request?.options(&self.options);
        let response = self.client.api().execute(request).await?;
        (self.decode)(&response)
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// A call answered with a JSON `T`.
    pub(crate) fn json(client: &Client, request: Result<Request, Error>) -> Self {
        Self::new(client, request, Response::json)
    }
}

impl Call<()> {
    /// A call whose answer has no body worth reading (a delete, a retry request).
    pub(crate) fn empty(client: &Client, request: Result<Request, Error>) -> Self {
        Self::new(client, request, |_| Ok(()))
    }
}

impl<T: DeserializeOwned> Call<Vec<T>> {
    /// A call answered with `{"content":[…]}` and no page metadata.
    pub(crate) fn content(client: &Client, request: Result<Request, Error>) -> Self {
        Self::new(client, request, |response| {
            Ok(response.json::<Content<T>>()?.content)
        })
    }
}
