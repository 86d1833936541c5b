//! Authentication: OAuth2 client-credentials tokens with a single-flight cache and persistent stores,
//! API keys, and the [`Authenticator`] trait through which a provider adds any other scheme (Procuret's
//! request signatures, for one).

mod client_credentials;
#[cfg(any(feature = "file-store", feature = "redis"))]
mod envelope;
mod expiring_cache;
#[cfg(feature = "file-store")]
mod file_store;
mod shared_store;
mod source;
mod store;
mod token;
mod token_cache;

use std::fmt;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

pub use client_credentials::{ClientAuthMethod, ClientCredentials};
#[cfg(any(feature = "file-store", feature = "redis"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "file-store", feature = "redis"))))]
pub use envelope::{EncryptionKey, TokenCipher};
#[cfg(feature = "redis")]
pub(crate) use envelope::{decode_envelope, encode_envelope};
#[cfg(feature = "file-store")]
#[cfg_attr(docsrs, doc(cfg(feature = "file-store")))]
pub use file_store::{EncryptedFileTokenStore, FileTokenStore};
pub use source::{TokenSource, oauth_api_error};
pub use store::{MemoryTokenStore, RefreshLock, StoreError, TokenStore};
pub use token::{AccessToken, StoredToken, TokenKey};
pub use token_cache::{TokenCache, TokenCacheConfig};

use crate::error::Error;
use crate::scrub::Scrubber;
use crate::secret::Redacted;
use crate::transport::HttpRequest;

/// What an [`Authenticator`] used on a request, handed back to it if the API answers 401, so that it
/// drops exactly the credential that was refused (and not a newer one another caller just fetched).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthTicket(pub u64);

/// Adds credentials to requests.
///
/// The client calls [`authenticate`](Authenticator::authenticate) before every attempt (so signatures
/// and tokens are always current), and [`on_unauthorized`](Authenticator::on_unauthorized) once when
/// the API answers 401: when it returns `true`, the request is authenticated again and replayed once.
pub trait Authenticator: Send + Sync + fmt::Debug + 'static {
    /// Adds credentials to `request`. Headers set here should be marked sensitive.
    fn authenticate<'a>(
        &'a self,
        request: &'a mut HttpRequest,
    ) -> BoxFuture<'a, Result<AuthTicket, Error>>;

    /// The API refused the credentials of `ticket`. Returns whether a replay may succeed.
    fn on_unauthorized(&self, ticket: AuthTicket) -> BoxFuture<'_, bool> {
        let _ = ticket;
        futures_util::future::ready(false).boxed()
    }

    /// Tells `scrubber` the secrets this authenticator sends, so that a server echoing them never
    /// puts them in an error or a log. The client calls it once, when it is built. The default
    /// registers nothing.
    fn register_secrets(&self, scrubber: &Scrubber) {
        let _ = scrubber;
    }
}

/// `Authorization: Bearer <token>` from a [`TokenCache`]; a 401 invalidates the token and replays once.
#[derive(Debug, Clone)]
pub struct BearerAuth {
    cache: TokenCache,
}

impl BearerAuth {
    /// Bearer tokens from `cache`.
    pub fn new(cache: TokenCache) -> Self {
        Self { cache }
    }

    /// The cache behind it.
    pub fn cache(&self) -> &TokenCache {
        &self.cache
    }

    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthTicket, Error> {
        let (bearer, generation) = self.cache.bearer().await?;
        let value = bearer.ok_or_else(|| Error::Authentication {
            message: "the access token is not a valid header value".into(),
            api: None,
            source: None,
        })?;
        headers.insert(http::header::AUTHORIZATION, value);
        Ok(AuthTicket(generation))
    }

    /// Drops the token of `ticket`, which the API refused.
    async fn refused(&self, ticket: AuthTicket) -> bool {
        self.cache.invalidate_generation(ticket.0).await;
        true
    }
}

impl Authenticator for BearerAuth {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut HttpRequest,
    ) -> BoxFuture<'a, Result<AuthTicket, Error>> {
        self.authorize(request.headers_mut()).boxed()
    }

    fn on_unauthorized(&self, ticket: AuthTicket) -> BoxFuture<'_, bool> {
        self.refused(ticket).boxed()
    }
}

/// A fixed secret in a header (`x-api-key: <key>`).
#[derive(Clone)]
pub struct ApiKeyAuth {
    header: HeaderName,
    key: SecretString,
}

impl ApiKeyAuth {
    /// Sends `key` in `header`.
    pub fn new(header: HeaderName, key: SecretString) -> Self {
        Self { header, key }
    }
}

impl fmt::Debug for ApiKeyAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKeyAuth")
            .field("header", &self.header)
            .field("key", &Redacted)
            .finish()
    }
}

impl Authenticator for ApiKeyAuth {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut HttpRequest,
    ) -> BoxFuture<'a, Result<AuthTicket, Error>> {
        let result = HeaderValue::from_str(self.key.expose_secret())
            .map_err(|_| Error::invalid_input("api_key", "is not a valid header value"))
            .map(|mut value| {
                value.set_sensitive(true);
                request.headers_mut().insert(self.header.clone(), value);
                AuthTicket::default()
            });
        futures_util::future::ready(result).boxed()
    }

    fn register_secrets(&self, scrubber: &Scrubber) {
        scrubber.add(self.key.expose_secret());
    }
}
