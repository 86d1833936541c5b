//! [`Client`]: the partner's credentials, the environment, and the settings every client of the
//! family shares.

use std::fmt;
use std::sync::Arc;

use partner_core::auth::ApiKeyAuth;
use partner_core::config::ClientConfig;
use partner_core::http::{HeaderName, Method};
use partner_core::raw::RawRequest;
use partner_core::secret::Redacted;
use partner_core::url::Url;
use partner_core::{ApiClient, ExposeSecret, InvalidInput, SecretString};

use crate::discounts::Discounts;
use crate::environment::Environment;
use crate::error::LeanpubErrorParser;
use crate::response::AWS_REQUEST_ID;
use crate::validate::{self, field};
use crate::{Error, Result};

/// The one endpoint, relative to the base URL. (Older revisions of the service's documentation used
/// `partner-discount-request` and `special-offer`: they are gone.)
const ENDPOINT: &str = "PartnerDiscountRequest";

const API_KEY_HEADER: &str = "x-api-key";

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The variables [`ClientBuilder::from_env`] reads.
mod var {
    pub(super) const ENVIRONMENT: &str = "LEANPUB_ENVIRONMENT";
    pub(super) const PARTNER_ID: &str = "LEANPUB_PARTNER_ID";
    pub(super) const API_KEY: &str = "LEANPUB_API_KEY";
}

struct Inner {
    api: ApiClient,
    environment: Environment,
    base_url: Url,
    endpoint: Url,
    partner_id: String,
}

/// A client for the Leanpub partner discount service.
///
/// Cheap to clone (an `Arc` inside); clones share the connection pool. Its `Debug` never shows the
/// API key.
///
/// ```no_run
/// use leanpub_affiliate::{Client, DiscountRequest, Recipient};
/// # async fn run() -> Result<(), leanpub_affiliate::Error> {
/// let client = Client::from_env()?; // LEANPUB_PARTNER_ID, LEANPUB_API_KEY; sandbox by default
/// let body = DiscountRequest::builder()
///     .product_id("the-book")
///     .origin("shop.example.com")
///     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
///     .build()?;
/// let ack = client.discounts().request(body).send().await?;
/// println!("acknowledged (not delivered): {:?}", ack.request_id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("environment", &self.inner.environment)
            .field("partner_id", &self.inner.partner_id)
            .field("api_key", &Redacted)
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// Starts a client: [`api_key`](ClientBuilder::api_key) and
    /// [`partner_id`](ClientBuilder::partner_id) are required; the environment defaults to
    /// [`Environment::Sandbox`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the process environment (see [`ClientBuilder::from_env`]).
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]: [`Error::InvalidInput`] for a missing or invalid variable.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// Discount requests: `client.discounts().request(body).send().await`.
    pub fn discounts(&self) -> Discounts {
        Discounts::new(self.clone())
    }

    /// Any request under the service's base URL (`https://leanpub.schams.net/api/v2/`, or the
    /// [`Environment::Custom`] URL), sent with the API key, the client's rate limit, retries and
    /// timeouts, for an endpoint this crate does not cover. The path is relative to the base and
    /// each segment is checked, so a raw request cannot leave it (`..` is refused before sending).
    ///
    /// Error answers carry [`ErrorDetails`](crate::ErrorDetails) as usual, but a result code in a
    /// 2xx answer is the caller's to read. The body's `partnerId` is the caller's to send
    /// ([`Client::partner_id`]). A POST is never repeated once it may have reached the service.
    ///
    /// ```no_run
    /// use leanpub_affiliate::{Client, Method};
    /// # async fn run(client: Client) -> Result<(), leanpub_affiliate::Error> {
    /// let answer: serde_json::Value = client
    ///     .raw_request(Method::POST, "PartnerDiscountRequest")
    ///     .json(&serde_json::json!({"partnerId": client.partner_id(), "productId": "the-book"}))
    ///     .send_json()
    ///     .await?;
    /// # let _ = answer; Ok(()) }
    /// ```
    pub fn raw_request(&self, method: Method, path: &str) -> RawRequest {
        RawRequest::new(
            self.inner.api.clone(),
            self.inner.base_url.clone(),
            method,
            path,
        )
    }

    /// The partner id sent with every request.
    pub fn partner_id(&self) -> &str {
        &self.inner.partner_id
    }

    /// The environment requests go to.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The base URL (ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    pub(crate) fn api(&self) -> &ApiClient {
        &self.inner.api
    }

    pub(crate) fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }
}

/// Builds a [`Client`].
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ClientBuilder {
    config: ClientConfig,
    // An unreadable `LEANPUB_ENVIRONMENT`, kept for `build()` to report.
    environment: Result<Environment, InvalidInput>,
    api_key: Option<SecretString>,
    partner_id: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            config: ClientConfig::default(),
            environment: Ok(Environment::default()),
            api_key: None,
            partner_id: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("api_key", &self.api_key.as_ref().map(|_| Redacted))
            .field("partner_id", &self.partner_id)
            .field("config", &self.config)
            .finish()
    }
}

impl ClientBuilder {
    partner_core::client_settings!(config);

    /// A builder configured from the process environment:
    ///
    /// | variable | meaning | default |
    /// | --- | --- | --- |
    /// | `LEANPUB_ENVIRONMENT` | `production`, `sandbox`, or a base URL | `sandbox` |
    /// | `LEANPUB_PARTNER_ID` | the partner id | required |
    /// | `LEANPUB_API_KEY` | the API key | required |
    ///
    /// Nothing fails here: a missing or invalid value is reported by [`build`](Self::build), and
    /// settings added after this call replace what the environment said.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with each variable read by `var` instead of the process
    /// environment (a blank value counts as unset), for programs that keep the same settings
    /// elsewhere: a configuration file, a secret manager. `partner-cli`'s profiles use it.
    ///
    /// ```
    /// let settings = std::collections::HashMap::from([("NAME_OF_A_VARIABLE", "value")]);
    /// let builder = leanpub_affiliate::ClientBuilder::from_vars(|name| settings.get(name).map(|v| v.to_string()));
    /// # let _ = builder;
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = Self::default();
        if let Some(environment) = get(var::ENVIRONMENT) {
            builder.environment = environment.parse().map_err(|_| {
                InvalidInput::new(
                    var::ENVIRONMENT,
                    "must be `production`, `sandbox` or an https base URL (http only to a loopback host)",
                )
            });
        }
        if let Some(partner_id) = get(var::PARTNER_ID) {
            builder = builder.partner_id(partner_id);
        }
        if let Some(api_key) = get(var::API_KEY) {
            builder = builder.api_key(api_key);
        }
        builder
    }

    /// Where requests go, and whether they are real: [`Environment::Sandbox`] (the default),
    /// [`Environment::Production`], or [`Environment::Custom`] (a simulator).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Ok(environment);
        self
    }

    /// The API key, sent as `x-api-key` (and only to the environment's origin). Required.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The partner id, sent as `partnerId` with every request. Required; Latin-1 text.
    pub fn partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.partner_id = Some(partner_id.into());
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `x-api-key` (missing, empty or not a valid header value; the
    /// key itself is never quoted), `partnerId` (missing, blank, or not Latin-1), `environment` (a
    /// custom URL that is not https, or http to a loopback host) or `LEANPUB_ENVIRONMENT`;
    /// [`Error::Transport`] when the default transport cannot start.
    pub fn build(self) -> Result<Client> {
        let api_key = validate::required_setting(field::API_KEY, var::API_KEY, self.api_key)?;
        let key = api_key.expose_secret();
        if key.trim().is_empty() {
            return Err(Error::invalid_input(field::API_KEY, "must not be empty"));
        }
        if !key.chars().all(|ch| ch.is_ascii_graphic()) {
            return Err(Error::invalid_input(
                field::API_KEY,
                "must be visible ASCII characters only",
            ));
        }
        let partner_id =
            validate::required_setting(field::PARTNER_ID, var::PARTNER_ID, self.partner_id)?;
        validate::latin1_text(field::PARTNER_ID, &partner_id)?;

        let environment = self.environment?;
        // Refuses what would leak the key (plain http off loopback, user:pass@) or lose the path.
        let base_url = environment.checked_base_url()?;
        let endpoint = base_url
            .join(ENDPOINT)
            .map_err(|e| Error::invalid_input("environment", e.to_string()))?;

        let auth = ApiKeyAuth::new(HeaderName::from_static(API_KEY_HEADER), api_key);
        let api = self
            .config
            .api_client_builder(USER_AGENT)
            .auth_origin(base_url.clone())
            .authenticator(Arc::new(auth))
            .request_id_header(HeaderName::from_static(AWS_REQUEST_ID))
            .error_parser(Arc::new(LeanpubErrorParser))
            .build()?;
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                environment,
                base_url,
                endpoint,
                partner_id,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder().api_key("k").partner_id("p")
    }

    fn field_of(result: Result<Client>) -> String {
        match result {
            Err(Error::InvalidInput(input)) => input.field.into_owned(),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn the_default_is_the_sandbox_at_the_service() {
        let client = builder().build().unwrap();
        assert_eq!(client.environment(), &Environment::Sandbox);
        assert_eq!(
            client.endpoint().as_str(),
            "https://leanpub.schams.net/api/v2/PartnerDiscountRequest"
        );
        let production = builder()
            .environment(Environment::Production)
            .build()
            .unwrap();
        assert_eq!(production.endpoint(), client.endpoint());
    }

    #[test]
    fn custom_base_urls_are_normalised() {
        for (url, endpoint) in [
            (
                "https://relay.example.com/api/v2",
                "https://relay.example.com/api/v2/PartnerDiscountRequest",
            ),
            (
                "http://127.0.0.1:8080/",
                "http://127.0.0.1:8080/PartnerDiscountRequest",
            ),
            (
                "http://localhost:8080/api/v2/",
                "http://localhost:8080/api/v2/PartnerDiscountRequest",
            ),
            (
                "http://[::1]:8080/",
                "http://[::1]:8080/PartnerDiscountRequest",
            ),
        ] {
            let client = builder()
                .environment(Environment::Custom(url.parse().unwrap()))
                .build()
                .unwrap();
            assert_eq!(client.endpoint().as_str(), endpoint);
        }
    }

    #[test]
    fn unsafe_custom_urls_are_refused() {
        for bad in [
            "http://leanpub.schams.net/api/v2/",
            "ftp://leanpub.schams.net/",
            "https://user:pw@leanpub.schams.net/api/v2/",
            "https://leanpub.schams.net/api/v2/?x=1",
        ] {
            let built = builder()
                .environment(Environment::Custom(bad.parse().unwrap()))
                .build();
            assert_eq!(field_of(built), "environment", "{bad}");
        }
    }

    #[test]
    fn missing_or_bad_credentials_are_named_without_the_key() {
        let cases = [
            (Client::builder().partner_id("p"), "x-api-key"),
            (Client::builder().api_key("").partner_id("p"), "x-api-key"),
            (
                Client::builder().api_key("sëcret-key").partner_id("p"),
                "x-api-key",
            ),
            (Client::builder().api_key("k"), "partnerId"),
            (
                Client::builder().api_key("k").partner_id("Łódź"),
                "partnerId",
            ),
        ];
        for (builder, field) in cases {
            match builder.build() {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, field);
                    assert!(!input.to_string().contains("sëcret"), "{input}");
                }
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_credential_names_its_variable() {
        let err = Client::builder().partner_id("p").build().unwrap_err();
        assert!(err.to_string().contains("LEANPUB_API_KEY"), "{err}");
        let err = Client::builder().api_key("k").build().unwrap_err();
        assert!(err.to_string().contains("LEANPUB_PARTNER_ID"), "{err}");
    }

    use partner_testkit::env_vars as vars;

    #[test]
    fn from_vars_reads_the_environment_and_the_credentials() {
        let client = ClientBuilder::from_vars(vars(&[
            ("LEANPUB_ENVIRONMENT", "production"),
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key"),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.environment(), &Environment::Production);
        assert_eq!(client.partner_id(), "my-shop");

        let local = ClientBuilder::from_vars(vars(&[
            ("LEANPUB_ENVIRONMENT", "http://127.0.0.1:9/api/v2"),
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key"),
        ]))
        .build()
        .unwrap();
        assert_eq!(local.base_url().as_str(), "http://127.0.0.1:9/api/v2/");
    }

    #[test]
    fn from_vars_defaults_to_the_sandbox_and_empty_counts_as_unset() {
        let client = ClientBuilder::from_vars(vars(&[
            ("LEANPUB_ENVIRONMENT", " "),
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key"),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.environment(), &Environment::Sandbox);

        let missing = ClientBuilder::from_vars(vars(&[("LEANPUB_API_KEY", "")])).build();
        assert_eq!(field_of(missing), "x-api-key");
    }

    #[test]
    fn a_bad_environment_variable_is_reported_by_build_unless_replaced() {
        let pairs: &'static [(&'static str, &'static str)] = &[
            (
                "LEANPUB_ENVIRONMENT",
                "http://leanpub.schams.net/?key=secret",
            ),
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key"),
        ];
        let err = ClientBuilder::from_vars(vars(pairs)).build().unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert_eq!(field_of(Err(err)), "LEANPUB_ENVIRONMENT");
        let replaced = ClientBuilder::from_vars(vars(pairs))
            .environment(Environment::Sandbox)
            .build();
        assert!(replaced.is_ok(), "{replaced:?}");
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
    }
}
