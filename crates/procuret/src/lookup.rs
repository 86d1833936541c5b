//! [`Lookup`]: the builder of every call that fetches one object by its id.

use std::fmt;
use std::marker::PhantomData;

use partner_core::request::RequestOptions;
use partner_core::{Error, Request};
use serde::de::DeserializeOwned;

use crate::client::Client;

/// A GET of one object (`client.entities().get(id)` and the like): set per-call options, then
/// `.send().await`.
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct Lookup<T> {
    client: Client,
    path: &'static str,
    /// The query, or why the id was refused (reported by `send`, before anything is sent).
    query: Result<Vec<(&'static str, String)>, Error>,
    options: RequestOptions,
    _answer: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Lookup<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lookup")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T> Lookup<T> {
    /// `GET <path>?<param>=<id>`, where `id` is the checked id's text.
    pub(crate) fn new(
        client: Client,
        path: &'static str,
        param: &'static str,
        id: Result<String, Error>,
    ) -> Self {
        Self {
            client,
            path,
            query: id.map(|id| vec![(param, id)]),
            options: RequestOptions::default(),
            _answer: PhantomData,
        }
    }

    partner_core::call_options!(options);

    fn request(self) -> Result<(Client, Request), Error> {
        let query = self.query?;
        let request = self
            .client
            .signed_get(self.path)?
            .query(&query)?
            .options(&self.options);
        Ok((self.client, request))
    }
}

impl<T: DeserializeOwned> Lookup<T> {
    /// Fetches the object.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending for a malformed id or a client without a session; a
    /// not-found error ([`Error::is_not_found`]) when there is no such object; the API's other
    /// errors.
    pub async fn send(self) -> Result<T, Error> {
        let (client, request) = self.request()?;
        client.send_json(request).await
    }
}
