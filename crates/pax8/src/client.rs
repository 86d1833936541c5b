//! [`Client`] and [`ClientBuilder`]: credentials, environment, token cache, rate limit, retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use partner_core::auth::ClientCredentials;
use partner_core::config::ClientConfig;
use partner_core::http::Method;
use partner_core::path::{Segment, join_path};
use partner_core::rate_limit::Quota;
use partner_core::raw::RawRequest;
use partner_core::url::Url;
use partner_core::{ApiClient, Error, SecretString, Timeouts};

use crate::environment::{AUDIENCE, Environment, LEGACY_AUDIENCE};
use crate::error::Pax8ErrorParser;

/// Pax8's documented budget: 1000 requests per minute.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 1000;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

struct Inner {
    api: ApiClient,
    base: Url,
    webhooks_base: Url,
    quotes_base: Url,
    #[cfg_attr(not(feature = "experimental-portal"), allow(dead_code))]
    portal_base: Url,
}

/// A Pax8 Partner API client.
///
/// Cheap to clone: clones share the connection pool, the token cache and the rate limiter.
///
/// ```no_run
/// # async fn run() -> Result<(), pax8::Error> {
/// let client = pax8::Client::builder()
///     .client_id("my-client-id")
///     .client_secret("my-client-secret")
///     .build()?;
/// let page = client.companies().list().size(50).send().await?;
/// # let _ = page; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("webhooks_base_url", &self.inner.webhooks_base.as_str())
            .field("quotes_base_url", &self.inner.quotes_base.as_str())
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// A builder for [`Environment::Production`] (Pax8 has no test environment).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured by the environment variables of [`ClientBuilder::from_env`].
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]: [`Error::InvalidInput`] naming the missing credential or
    /// `PAX8_ENVIRONMENT` when it is neither `production` nor a usable URL.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// The partner REST base URL (ends in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The webhooks API base URL (ends in `/`).
    pub fn webhooks_base_url(&self) -> &Url {
        &self.inner.webhooks_base
    }

    /// The quoting API base URL (ends in `/`): `https://api.pax8.com/v2/`, `{root}/v2/` for a custom
    /// environment.
    pub fn quotes_base_url(&self) -> &Url {
        &self.inner.quotes_base
    }

    /// A request to any path under the partner REST base ([`base_url`](Self::base_url)), for an
    /// endpoint this crate does not cover yet: sent with the client's token, rate limit, retries and
    /// error reading. Each `/`-separated segment of `path` is checked and encoded like an id, so the
    /// call cannot leave the base (`..` is refused before anything is sent). Pax8 has no
    /// idempotency keys: `idempotency_key` is refused too.
    ///
    /// ```no_run
    /// # async fn run(client: pax8::Client) -> Result<(), pax8::Error> {
    /// use pax8::http::Method;
    ///
    /// let quote: serde_json::Value = client
    ///     .raw_request(Method::GET, "quotes/q-1")
    ///     .send_json()
    ///     .await?;
    /// # let _ = quote; Ok(()) }
    /// ```
    pub fn raw_request(&self, method: Method, path: &str) -> RawRequest {
        RawRequest::new(
            self.inner.api.clone(),
            self.inner.base.clone(),
            method,
            path,
        )
    }

    pub(crate) fn api(&self) -> &ApiClient {
        &self.inner.api
    }

    /// The partner REST base + `segments` (ids checked and percent-encoded by [`join_path`]).
    pub(crate) fn rest_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.base, segments)?)
    }

    /// The webhooks API base + `segments`, as [`rest_url`](Self::rest_url).
    pub(crate) fn webhooks_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.webhooks_base, segments)?)
    }

    /// The quoting API base + `segments`, as [`rest_url`](Self::rest_url).
    pub(crate) fn quotes_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.quotes_base, segments)?)
    }

    /// The portal base + `segments`, as [`rest_url`](Self::rest_url).
    #[cfg(feature = "experimental-portal")]
    pub(crate) fn portal_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.portal_base, segments)?)
    }
}

/// Pax8's budget, 1000 requests per minute, as a quota: at most 1000 in any 60-second window.
pub fn default_quota() -> Quota {
    Quota::per_minute(DEFAULT_REQUESTS_PER_MINUTE)
}

/// Builds a [`Client`].
///
/// Only the credentials are required. Defaults: [`Environment::Production`] (Pax8 has no test
/// environment: try orders with `orders().validate()` first), the current token endpoint (audience
/// [`AUDIENCE`]), tokens cached in memory only, a client-side rate limit of 1000 requests per
/// minute, the core's retry policy (429 and 5xx retried, GETs and DELETEs only after the request may
/// have been applied), 60 s per attempt (large tenants' `/orders` can take more than 30 s) and 180 s
/// per call.
pub struct ClientBuilder {
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    environment: Result<Environment, Error>,
    legacy_auth: bool,
    /// Built by `from_env`: a missing credential is reported by its variable's name.
    from_env: bool,
    config: ClientConfig,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            client_id: None,
            client_secret: None,
            environment: Ok(Environment::Production),
            legacy_auth: false,
            from_env: false,
            config: ClientConfig::default()
                .rate_limit(default_quota())
                .timeouts(
                    Timeouts::default()
                        .attempt(Duration::from_secs(60))
                        .operation(Duration::from_secs(180)),
                ),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self
                    .client_secret
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .field("environment", &self.environment)
            .field("legacy_auth", &self.legacy_auth)
            .field("config", &self.config)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder configured by environment variables; what is missing or wrong is reported by
    /// [`build`](Self::build):
    ///
    /// | variable | meaning | default |
    /// | --- | --- | --- |
    /// | `PAX8_CLIENT_ID` | the OAuth client id | required |
    /// | `PAX8_CLIENT_SECRET` | the OAuth client secret | required |
    /// | `PAX8_ENVIRONMENT` | `production`, or the URL of one server serving everything | `production` |
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with each variable read by `var` instead of the process
    /// environment (a blank value counts as unset), for programs that keep the same settings
    /// elsewhere: a configuration file, a secret manager. `partner-cli`'s profiles use it.
    ///
    /// ```
    /// let settings = std::collections::HashMap::from([("NAME_OF_A_VARIABLE", "value")]);
    /// let builder = pax8::ClientBuilder::from_vars(|name| settings.get(name).map(|v| v.to_string()));
    /// # let _ = builder;
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self {
            from_env: true,
            ..Self::default()
        };
        if let Some(id) = var("PAX8_CLIENT_ID") {
            builder = builder.client_id(id);
        }
        if let Some(secret) = var("PAX8_CLIENT_SECRET") {
            builder = builder.client_secret(secret);
        }
        if let Some(environment) = var("PAX8_ENVIRONMENT") {
            builder.environment = environment.parse().map_err(|_| {
                Error::invalid_input(
                    "PAX8_ENVIRONMENT",
                    "must be `production` or a URL (https, or http to a loopback host)",
                )
            });
        }
        builder
    }

    /// The OAuth client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The OAuth client secret.
    pub fn client_secret(mut self, client_secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// Which Pax8 to talk to (default [`Environment::Production`], the only real one).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Ok(environment);
        self
    }

    /// Uses the legacy token endpoint ([`LEGACY_TOKEN_URL`](crate::environment::LEGACY_TOKEN_URL),
    /// or `{root}/oauth/token` on a custom environment) with audience [`LEGACY_AUDIENCE`].
    pub fn legacy_auth(mut self) -> Self {
        self.legacy_auth = true;
        self
    }

    partner_core::client_settings!(config);
    partner_core::token_store_settings!(config);

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field when the credentials are missing or the environment
    /// is unusable: a custom URL that is not `https` (plain `http` is allowed only to a loopback
    /// host), or has a user name, password, query or fragment.
    pub fn build(self) -> Result<Client, Error> {
        // From the environment, a missing credential is named by its variable.
        let from_env = self.from_env;
        let missing = |setting, variable| {
            Error::invalid_input(if from_env { variable } else { setting }, "is required")
        };
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| missing("client_id", "PAX8_CLIENT_ID"))?;
        let client_secret = self
            .client_secret
            .filter(|s| {
                !partner_core::ExposeSecret::expose_secret(s)
                    .trim()
                    .is_empty()
            })
            .ok_or_else(|| missing("client_secret", "PAX8_CLIENT_SECRET"))?;
        let endpoints = self.environment?.endpoints(self.legacy_auth)?;
        let audience = if self.legacy_auth {
            LEGACY_AUDIENCE
        } else {
            AUDIENCE
        };

        let source = ClientCredentials::json_body(endpoints.token_url, client_id, client_secret)
            .with_param("audience", audience);
        let tokens = self.config.token_cache_config();
        let mut api = self
            .config
            .api_client_builder(USER_AGENT)
            .auth_origin(endpoints.base.clone())
            .auth_origin(endpoints.webhooks_base.clone())
            .auth_origin(endpoints.quotes_base.clone())
            .oauth2(Arc::new(source), tokens)
            .error_parser(Arc::new(Pax8ErrorParser));
        if cfg!(feature = "experimental-portal") {
            api = api.auth_origin(endpoints.portal_base.clone());
        }
        Ok(Client {
            inner: Arc::new(Inner {
                api: api.build()?,
                base: endpoints.base,
                webhooks_base: endpoints.webhooks_base,
                quotes_base: endpoints.quotes_base,
                portal_base: endpoints.portal_base,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_paths_are_encoded_as_one_segment() {
        let client = Client::builder()
            .client_id("id")
            .client_secret("s")
            .environment(Environment::custom("http://127.0.0.1:9").unwrap())
            .build()
            .unwrap();
        let url = client
            .rest_url(&[
                Segment::literal("companies"),
                Segment::id("company_id", "a/b c"),
                Segment::literal("contacts"),
            ])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/v1/companies/a%2Fb%20c/contacts"
        );
    }

    #[test]
    fn missing_credentials_are_named() {
        let err = Client::builder().client_secret("s").build().unwrap_err();
        assert!(err.to_string().contains("client_id"), "{err}");
        let err = Client::builder().client_id("id").build().unwrap_err();
        assert!(err.to_string().contains("client_secret"), "{err}");
    }

    use partner_testkit::env_vars as vars;

    #[test]
    fn from_env_reads_credentials_and_environment() {
        let client = ClientBuilder::from_vars(vars(&[
            ("PAX8_CLIENT_ID", "id"),
            ("PAX8_CLIENT_SECRET", "secret"),
            ("PAX8_ENVIRONMENT", "http://127.0.0.1:9/pax8"),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/pax8/v1/");
        assert_eq!(
            client.webhooks_base_url().as_str(),
            "http://127.0.0.1:9/pax8/api/v2/"
        );

        let production = ClientBuilder::from_vars(vars(&[
            ("PAX8_CLIENT_ID", "id"),
            ("PAX8_CLIENT_SECRET", "secret"),
        ]))
        .build()
        .unwrap();
        assert_eq!(production.base_url().as_str(), "https://api.pax8.com/v1/");
        let named = ClientBuilder::from_vars(vars(&[
            ("PAX8_CLIENT_ID", "id"),
            ("PAX8_CLIENT_SECRET", "secret"),
            ("PAX8_ENVIRONMENT", "Production"),
        ]))
        .build()
        .unwrap();
        assert_eq!(named.base_url().as_str(), "https://api.pax8.com/v1/");
    }

    #[test]
    fn from_env_reports_what_is_missing_or_wrong_at_build() {
        let missing = ClientBuilder::from_vars(vars(&[("PAX8_CLIENT_SECRET", "secret")]));
        assert!(matches!(
            missing.build(),
            Err(Error::InvalidInput(input)) if input.field == "PAX8_CLIENT_ID"
        ));
        let blank = ClientBuilder::from_vars(vars(&[
            ("PAX8_CLIENT_ID", "id"),
            ("PAX8_CLIENT_SECRET", "  "),
        ]));
        assert!(matches!(
            blank.build(),
            Err(Error::InvalidInput(input)) if input.field == "PAX8_CLIENT_SECRET"
        ));
        for bad in [
            "sandbox",
            "http://pax8.example.com",
            "https://u:pw@proxy.example/",
        ] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([
                ("PAX8_CLIENT_ID", "id"),
                ("PAX8_CLIENT_SECRET", "secret"),
                ("PAX8_ENVIRONMENT", bad),
            ]));
            match ClientBuilder::from_vars(vars(pairs)).build() {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, "PAX8_ENVIRONMENT", "{bad}");
                    assert!(!input.to_string().contains("pw"), "{input}");
                }
                other => panic!("{bad}: expected InvalidInput, got {other:?}"),
            }
        }
    }
}
