//! [`Client`] and its builder: credentials, environment, and the wiring of the shared runtime.

use crate::ids::MerchantId;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use partner_core::auth::ClientCredentials;
use partner_core::clock::SharedClock;
use partner_core::config::ClientConfig;
use partner_core::http::{HeaderValue, Method};
use partner_core::path::{Segment, join_path};
use partner_core::raw::RawRequest;
use partner_core::secret::Redacted;
use partner_core::transport::Transport;
use partner_core::url::Url;
use partner_core::{ApiClient, ExposeSecret, Request, Response, SecretString};
use serde::de::DeserializeOwned;

use crate::Error;
use crate::auth_assertion::{Subject, auth_assertion};
use crate::environment::Environment;
use crate::error::PayPalErrorParser;
use crate::headers::{self, PAYPAL_AUTH_ASSERTION, PAYPAL_PARTNER_ATTRIBUTION_ID};

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

struct Inner {
    api: ApiClient,
    base: Url,
    client_id: String,
    partner_merchant_id: Option<MerchantId>,
    bn_code: Option<HeaderValue>,
}

/// The PayPal partner client. Cheap to clone: clones share the connection pool and the token cache.
///
/// Build it with [`Client::builder`]; reach the API through [`referrals`](Client::referrals),
/// [`merchant_integrations`](Client::merchant_integrations), [`orders`](Client::orders),
/// [`captures`](Client::captures), [`referenced_payouts`](Client::referenced_payouts) and
/// [`webhooks`](Client::webhooks).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("client_id", &self.inner.client_id)
            .field("partner_merchant_id", &self.inner.partner_merchant_id)
            .field("bn_code", &self.inner.bn_code)
            .finish_non_exhaustive()
    }
}

/// The token response of `POST /v1/oauth2/token`, without the token itself in `Debug`.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The bearer token.
    pub access_token: SecretString,
    /// The granted scopes, space-separated.
    pub scope: Option<String>,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// The REST app id (`APP-80W284485P519543T`).
    pub app_id: Option<String>,
    /// PayPal's nonce.
    pub nonce: Option<String>,
    /// When the token expires.
    pub expires_at: Option<SystemTime>,
    /// How long it remains valid, as of the call.
    pub expires_in: Option<Duration>,
}

impl TokenInfo {
    /// Whether the token carries `scope` (e.g. `https://uri.paypal.com/services/customer/partner`).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope
            .as_deref()
            .is_some_and(|s| s.split_whitespace().any(|granted| granted == scope))
    }
}

impl fmt::Debug for TokenInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenInfo")
            .field("access_token", &Redacted)
            .field("scope", &self.scope)
            .field("token_type", &self.token_type)
            .field("app_id", &self.app_id)
            .field("nonce", &self.nonce)
            .field("expires_at", &self.expires_at)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl Client {
    /// A builder. Required: [`client_id`](ClientBuilder::client_id) and
    /// [`client_secret`](ClientBuilder::client_secret).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured by the environment variables of [`ClientBuilder::from_env`].
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]: [`Error::InvalidInput`] naming the missing credential or
    /// `PAYPAL_ENVIRONMENT` when it is neither `sandbox`, `production` nor a usable URL.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// Seller onboarding links (`/v2/customer/partner-referrals`).
    pub fn referrals(&self) -> crate::referrals::Referrals {
        crate::referrals::Referrals::new(self.clone())
    }

    /// Seller lookup and onboarding status (`/v1/customer/partners/{partner_id}/merchant-integrations`).
    pub fn merchant_integrations(&self) -> crate::merchant_integrations::MerchantIntegrations {
        crate::merchant_integrations::MerchantIntegrations::new(self.clone())
    }

    /// Orders v2 (`/v2/checkout/orders`).
    pub fn orders(&self) -> crate::orders::Orders {
        crate::orders::Orders::new(self.clone())
    }

    /// Captures: refunds with platform fees (`/v2/payments/captures`).
    pub fn captures(&self) -> crate::captures::Captures {
        crate::captures::Captures::new(self.clone())
    }

    /// Release of `DELAYED` funds (`/v1/payments/referenced-payouts-items`).
    pub fn referenced_payouts(&self) -> crate::referenced_payouts::ReferencedPayouts {
        crate::referenced_payouts::ReferencedPayouts::new(self.clone())
    }

    /// Webhook registrations (`/v1/notifications/webhooks`), postback verification and event
    /// confirmation; see also [`WebhookVerifier`](crate::webhooks::WebhookVerifier).
    pub fn webhooks(&self) -> crate::webhooks::Webhooks {
        crate::webhooks::Webhooks::new(self.clone())
    }

    /// Authorized payments: show, capture (with platform fees), reauthorize, void
    /// (`/v2/payments/authorizations`).
    pub fn authorizations(&self) -> crate::authorizations::Authorizations {
        crate::authorizations::Authorizations::new(self.clone())
    }

    /// Refund lookup (`/v2/payments/refunds`); refunds are made with
    /// [`captures().refund(..)`](crate::captures::Captures::refund).
    pub fn refunds(&self) -> crate::refunds::Refunds {
        crate::refunds::Refunds::new(self.clone())
    }

    /// Webhook event notifications: list, show, resend, simulate (`/v1/notifications/webhooks-events`).
    pub fn webhook_events(&self) -> crate::webhooks::WebhookEvents {
        crate::webhooks::WebhookEvents::new(self.clone())
    }

    /// Webhook lookups (`/v1/notifications/webhooks-lookup`).
    pub fn webhook_lookups(&self) -> crate::webhooks::WebhookLookups {
        crate::webhooks::WebhookLookups::new(self.clone())
    }

    /// Batch payouts (`/v1/payments/payouts`, `/v1/payments/payouts-item`).
    pub fn payouts(&self) -> crate::payouts::Payouts {
        crate::payouts::Payouts::new(self.clone())
    }

    /// The current access token and the token response around it: from the cache, or fetched (once,
    /// however many tasks ask) when missing or close to expiry.
    ///
    /// # Errors
    ///
    /// [`Error::Authentication`] when PayPal refuses the credentials (`invalid_client`), or the
    /// transport error of the token call.
    pub async fn access_token(&self) -> Result<TokenInfo, Error> {
        let cache = self
            .inner
            .api
            .token_cache()
            .ok_or_else(|| Error::invalid_input("client", "has no OAuth2 token cache"))?;
        let token = cache.token().await?;
        let text = |key: &str| {
            token
                .extra
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Ok(TokenInfo {
            access_token: token.secret.clone(),
            scope: token.scope.clone(),
            token_type: token.token_type.clone(),
            app_id: text("app_id"),
            nonce: text("nonce"),
            expires_at: token.expires_at,
            expires_in: token.remaining(self.inner.api.clock().now()),
        })
    }

    /// The partner's REST client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The partner's PayPal merchant id, when configured.
    pub fn partner_merchant_id(&self) -> Option<&MerchantId> {
        self.inner.partner_merchant_id.as_ref()
    }

    /// The base URL, ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// A request to any path under the REST base ([`base_url`](Self::base_url)), for an endpoint
    /// this crate does not cover yet: sent with the client's token, BN code, rate limit, retries and
    /// error reading. Each `/`-separated segment of `path` is checked and encoded like an id, so the
    /// call cannot leave the base (`..` is refused before anything is sent). A POST carries a
    /// `PayPal-Request-Id` (give yours with `.idempotency_key(..)`).
    ///
    /// ```no_run
    /// # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
    /// use paypal_partner::http::Method;
    ///
    /// let disputes: serde_json::Value = client
    ///     .raw_request(Method::GET, "v1/customer/disputes")
    ///     .query(&[("page_size", "10")])
    ///     .send_json()
    ///     .await?;
    /// # let _ = disputes; Ok(()) }
    /// ```
    pub fn raw_request(&self, method: Method, path: &str) -> RawRequest {
        let raw = RawRequest::new(
            self.inner.api.clone(),
            self.inner.base.clone(),
            method,
            path,
        );
        match &self.inner.bn_code {
            Some(bn) => raw.header(
                "paypal-partner-attribution-id",
                bn.to_str().unwrap_or_default(),
            ),
            None => raw,
        }
    }

    /// The transport (used to fetch webhook certificates without a second HTTP client).
    pub(crate) fn transport(&self) -> &Arc<dyn Transport> {
        self.inner.api.transport()
    }

    /// The wall clock (token expiry, webhook replay window).
    pub fn clock(&self) -> &SharedClock {
        self.inner.api.clock()
    }

    /// The `PayPal-Auth-Assertion` value naming `seller_merchant_id`.
    pub fn auth_assertion_for(&self, seller: impl Into<MerchantId>) -> String {
        let seller: MerchantId = seller.into();
        auth_assertion(
            &self.inner.client_id,
            &Subject::PayerId(seller.into_string()),
        )
    }

    pub(crate) fn partner_id_or_error(&self) -> Result<&str, Error> {
        self.partner_merchant_id().map(MerchantId::as_str).ok_or_else(|| {
            Error::invalid_input(
                "partner_merchant_id",
                "is required for merchant-integrations calls: set your PayPal merchant id (not the client id) on the builder",
            )
        })
    }

    /// `base` + `segments` (ids checked and percent-encoded by [`join_path`]).
    pub(crate) fn url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.base, segments)?)
    }

    /// A request to `segments` with the BN code attached.
    pub(crate) fn request(
        &self,
        method: Method,
        segments: &[Segment<'_>],
    ) -> Result<Request, Error> {
        let mut request = Request::new(method, self.url(segments)?);
        if let Some(bn) = &self.inner.bn_code {
            request = request.header(PAYPAL_PARTNER_ATTRIBUTION_ID, bn.clone());
        }
        Ok(request)
    }

    /// A request to `url`, a URL this crate already checked lies under the base (a list's next page),
    /// with the BN code attached.
    pub(crate) fn request_to(&self, method: Method, url: Url) -> Request {
        let mut request = Request::new(method, url);
        if let Some(bn) = &self.inner.bn_code {
            request = request.header(PAYPAL_PARTNER_ATTRIBUTION_ID, bn.clone());
        }
        request
    }

    /// Adds `PayPal-Auth-Assertion` for `seller` when given.
    pub(crate) fn with_assertion(
        &self,
        request: Request,
        seller: &Option<AssertionSubject>,
    ) -> Result<Request, Error> {
        let Some(seller) = seller else {
            return Ok(request);
        };
        let subject = match seller {
            AssertionSubject::MerchantId(id) => {
                check_id("on_behalf_of", id)?;
                Subject::PayerId(id.clone())
            }
            AssertionSubject::Email(email) => {
                if email.is_empty() {
                    return Err(Error::invalid_input(
                        "on_behalf_of_email",
                        "must not be empty",
                    ));
                }
                Subject::Email(email.clone())
            }
        };
        let value = auth_assertion(&self.inner.client_id, &subject);
        Ok(request.header(
            PAYPAL_AUTH_ASSERTION,
            headers::header_value("PayPal-Auth-Assertion", &value)?,
        ))
    }

    pub(crate) async fn execute(&self, request: Request) -> Result<Response, Error> {
        self.inner.api.execute(request).await
    }

    pub(crate) async fn execute_raw(&self, request: Request) -> Result<Response, Error> {
        self.inner.api.execute_raw(request).await
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, Error> {
        self.inner.api.send_json(request).await
    }

    pub(crate) fn error_for(&self, response: &Response) -> Error {
        self.inner.api.error_for(response)
    }
}

/// Whom a partner call acts for (`PayPal-Auth-Assertion`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssertionSubject {
    MerchantId(String),
    Email(String),
}

/// Checks an id that goes into a path or header: non-empty, no whitespace or control characters.
pub(crate) fn check_id(field: &'static str, id: &str) -> Result<(), Error> {
    if id.is_empty() || id.len() > 255 {
        return Err(Error::invalid_input(
            field,
            "must be 1 to 255 characters long",
        ));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_input(
            field,
            "must not contain spaces or control characters",
        ));
    }
    Ok(())
}

/// The name of a missing required setting: its environment variable for a builder from
/// [`ClientBuilder::from_env`].
fn required_name(from_env: bool, setting: &'static str) -> &'static str {
    match (from_env, setting) {
        (true, "client_id") => "PAYPAL_CLIENT_ID",
        (true, "client_secret") => "PAYPAL_CLIENT_SECRET",
        _ => setting,
    }
}

/// Builds a [`Client`].
///
/// Required: [`client_id`](Self::client_id) and [`client_secret`](Self::client_secret). Defaults:
/// [`Environment::Sandbox`] (nothing moves real money unless production is named), tokens cached in
/// memory only, no client-side rate limit (PayPal publishes none: set [`rate_limit`](Self::rate_limit)
/// to stay clear of `429 RATE_LIMIT_REACHED` when many tasks share a client), the core's retry policy
/// and timeouts.
pub struct ClientBuilder {
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    partner_merchant_id: Option<MerchantId>,
    bn_code: Option<String>,
    environment: Result<Environment, Error>,
    /// Built by `from_env`: a missing credential is reported by its variable's name.
    from_env: bool,
    config: ClientConfig,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            client_id: None,
            client_secret: None,
            partner_merchant_id: None,
            bn_code: None,
            environment: Ok(Environment::Sandbox),
            from_env: false,
            config: ClientConfig::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| Redacted),
            )
            .field("partner_merchant_id", &self.partner_merchant_id)
            .field("bn_code", &self.bn_code)
            .field("environment", &self.environment)
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
    /// | `PAYPAL_CLIENT_ID` | the partner's REST app client id | required |
    /// | `PAYPAL_CLIENT_SECRET` | the partner's REST app secret | required |
    /// | `PAYPAL_ENVIRONMENT` | `sandbox`, `production`, or the URL of a server serving the REST API | `sandbox` |
    /// | `PAYPAL_PARTNER_MERCHANT_ID` | the partner's own PayPal merchant id | none |
    /// | `PAYPAL_BN_CODE` | the partner's BN code (`PayPal-Partner-Attribution-Id`) | none |
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with each variable read by `var` instead of the process
    /// environment (a blank value counts as unset), for programs that keep the same settings
    /// elsewhere: a configuration file, a secret manager. `partner-cli`'s profiles use it.
    ///
    /// ```
    /// let settings = std::collections::HashMap::from([("NAME_OF_A_VARIABLE", "value")]);
    /// let builder = paypal_partner::ClientBuilder::from_vars(|name| settings.get(name).map(|v| v.to_string()));
    /// # let _ = builder;
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self {
            from_env: true,
            ..Self::default()
        };
        if let Some(id) = var("PAYPAL_CLIENT_ID") {
            builder = builder.client_id(id);
        }
        if let Some(secret) = var("PAYPAL_CLIENT_SECRET") {
            builder = builder.client_secret(secret);
        }
        if let Some(id) = var("PAYPAL_PARTNER_MERCHANT_ID") {
            builder = builder.partner_merchant_id(id);
        }
        if let Some(bn) = var("PAYPAL_BN_CODE") {
            builder = builder.bn_code(bn);
        }
        if let Some(environment) = var("PAYPAL_ENVIRONMENT") {
            builder.environment = environment.parse().map_err(|_| {
                Error::invalid_input(
                    "PAYPAL_ENVIRONMENT",
                    "must be `sandbox`, `production` or a URL (https, or http to a loopback host)",
                )
            });
        }
        builder
    }

    /// The partner's REST app client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The partner's REST app secret (a `&str`, a `String` or a [`SecretString`]).
    pub fn client_secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The partner's own PayPal **merchant id** (the `partner_id` of merchant-integrations paths).
    /// It is not the client id: find it in the partner's PayPal account settings.
    pub fn partner_merchant_id(mut self, id: impl Into<MerchantId>) -> Self {
        self.partner_merchant_id = Some(id.into());
        self
    }

    /// The partner's BN code, sent as `PayPal-Partner-Attribution-Id` on every call (1–36 characters).
    pub fn bn_code(mut self, bn_code: impl Into<String>) -> Self {
        self.bn_code = Some(bn_code.into());
        self
    }

    /// Which PayPal to talk to: [`Environment::Sandbox`] (default), [`Environment::Production`], or
    /// [`Environment::custom`]`("…")?`.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Ok(environment);
        self
    }

    partner_core::client_settings!(config);
    partner_core::token_store_settings!(config);

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field: a missing or empty client id or secret, a BN code
    /// longer than 36 characters, a partner merchant id equal to the client id (a common mix-up), a
    /// custom base URL that is not `https` (plain `http` only to a loopback host) or carries
    /// credentials, a query or a fragment.
    pub fn build(self) -> Result<Client, Error> {
        let from_env = self.from_env;
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| {
                Error::invalid_input(required_name(from_env, "client_id"), "is required")
            })?;
        let secret = self
            .client_secret
            .filter(|s| !s.expose_secret().trim().is_empty())
            .ok_or_else(|| {
                Error::invalid_input(required_name(from_env, "client_secret"), "is required")
            })?;
        if let Some(partner) = &self.partner_merchant_id {
            check_id("partner_merchant_id", partner.as_str())?;
            // It goes into paths: refused here rather than on the first call.
            partner_core::path::check_id("partner_merchant_id", partner.as_str())?;
            if partner.as_str() == client_id {
                return Err(Error::invalid_input(
                    "partner_merchant_id",
                    "equals the client id: it must be the partner's PayPal merchant id",
                ));
            }
        }
        let bn_code = match &self.bn_code {
            Some(bn) => {
                headers::check_short("bn_code", bn)?;
                Some(headers::header_value("bn_code", bn)?)
            }
            None => None,
        };
        // Refuses a custom base that would send the secret or the tokens in clear text.
        let base = self.environment?.base_url()?;
        let token_url = base
            .join("v1/oauth2/token")
            .map_err(|e| Error::invalid_input("environment", e.to_string()))?;
        let tokens = ClientCredentials::basic_form(token_url, client_id.clone(), secret);
        let api = self
            .config
            .api_client_builder(USER_AGENT)
            .auth_origin(base.clone())
            .oauth2(Arc::new(tokens), self.config.token_cache_config())
            .error_parser(Arc::new(PayPalErrorParser))
            .idempotency_header(headers::PAYPAL_REQUEST_ID)
            .request_id_header(headers::PAYPAL_DEBUG_ID);
        Ok(Client {
            inner: Arc::new(Inner {
                api: api.build()?,
                base,
                client_id,
                partner_merchant_id: self.partner_merchant_id,
                bn_code,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder()
            .client_id("cid")
            .client_secret("super-secret-value")
    }

    #[test]
    fn required_fields() {
        let err = Client::builder().client_secret("s").build().unwrap_err();
        assert!(err.to_string().contains("client_id"), "{err}");
        let err = Client::builder().client_id("c").build().unwrap_err();
        assert!(err.to_string().contains("client_secret"), "{err}");
        let err = builder().partner_merchant_id("cid").build().unwrap_err();
        assert!(err.to_string().contains("partner_merchant_id"), "{err}");
        let err = builder().bn_code("x".repeat(37)).build().unwrap_err();
        assert!(err.to_string().contains("bn_code"), "{err}");
    }

    #[test]
    fn debug_redacts_the_secret() {
        let b = builder();
        assert!(!format!("{b:?}").contains("super-secret-value"));
        let c = b.build().unwrap();
        assert!(!format!("{c:?}").contains("super-secret-value"));
    }

    #[test]
    fn urls_encode_segments() {
        let c = builder()
            .environment(Environment::custom("http://127.0.0.1:9/base").unwrap())
            .build()
            .unwrap();
        assert_eq!(
            c.url(&[
                Segment::literal("v2"),
                Segment::literal("checkout"),
                Segment::literal("orders"),
                Segment::id("order_id", "a/b?c"),
            ])
            .unwrap()
            .as_str(),
            "http://127.0.0.1:9/base/v2/checkout/orders/a%2Fb%3Fc"
        );
    }

    #[test]
    fn a_plain_http_base_off_loopback_is_refused() {
        for (bad, why) in [
            ("http://api.example.com/", "https"),
            ("https://u:p@api.example.com/", "password"),
            ("https://api.example.com/?x=1", "query"),
        ] {
            let err = builder()
                .environment(Environment::Custom(bad.parse().unwrap()))
                .build()
                .unwrap_err();
            match err {
                Error::InvalidInput(input) => {
                    assert_eq!(input.field, "environment", "{bad}");
                    assert!(input.reason.contains(why), "{bad}: {input}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    use partner_testkit::env_vars as vars;

    #[test]
    fn sandbox_is_the_default() {
        let client = builder().build().unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://api-m.sandbox.paypal.com/"
        );
    }

    #[test]
    fn from_env_reads_every_variable() {
        let client = ClientBuilder::from_vars(vars(&[
            ("PAYPAL_CLIENT_ID", "id"),
            ("PAYPAL_CLIENT_SECRET", "secret"),
            ("PAYPAL_ENVIRONMENT", "http://127.0.0.1:9/paypal"),
            ("PAYPAL_PARTNER_MERCHANT_ID", "PARTNER1"),
            ("PAYPAL_BN_CODE", "BN-1"),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/paypal/");
        assert_eq!(client.client_id(), "id");
        assert_eq!(
            client.partner_merchant_id().map(MerchantId::as_str),
            Some("PARTNER1")
        );
        assert_eq!(client.inner.bn_code.as_ref().unwrap(), "BN-1");

        let sandbox = ClientBuilder::from_vars(vars(&[
            ("PAYPAL_CLIENT_ID", "id"),
            ("PAYPAL_CLIENT_SECRET", "secret"),
        ]))
        .build()
        .unwrap();
        assert_eq!(
            sandbox.base_url().as_str(),
            "https://api-m.sandbox.paypal.com/"
        );
        assert_eq!(sandbox.partner_merchant_id(), None);
        let production = ClientBuilder::from_vars(vars(&[
            ("PAYPAL_CLIENT_ID", "id"),
            ("PAYPAL_CLIENT_SECRET", "secret"),
            ("PAYPAL_ENVIRONMENT", "Production"),
        ]))
        .build()
        .unwrap();
        assert_eq!(production.base_url().as_str(), "https://api-m.paypal.com/");
    }

    #[test]
    fn from_env_reports_what_is_missing_or_wrong_at_build() {
        let missing = ClientBuilder::from_vars(vars(&[("PAYPAL_CLIENT_SECRET", "secret")]));
        assert!(matches!(
            missing.build(),
            Err(Error::InvalidInput(input)) if input.field == "PAYPAL_CLIENT_ID"
        ));
        let blank = ClientBuilder::from_vars(vars(&[
            ("PAYPAL_CLIENT_ID", "id"),
            ("PAYPAL_CLIENT_SECRET", "  "),
        ]));
        assert!(matches!(
            blank.build(),
            Err(Error::InvalidInput(input)) if input.field == "PAYPAL_CLIENT_SECRET"
        ));
        for bad in [
            "live",
            "http://paypal.example.com",
            "https://u:pw@proxy.example/",
        ] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([
                ("PAYPAL_CLIENT_ID", "id"),
                ("PAYPAL_CLIENT_SECRET", "secret"),
                ("PAYPAL_ENVIRONMENT", bad),
            ]));
            match ClientBuilder::from_vars(vars(pairs)).build() {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, "PAYPAL_ENVIRONMENT", "{bad}");
                    assert!(!input.to_string().contains("pw"), "{input}");
                }
                other => panic!("{bad}: expected InvalidInput, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn raw_request_refuses_a_path_leaving_the_base() {
        let client = builder()
            .environment(Environment::custom("http://127.0.0.1:9/").unwrap())
            .build()
            .unwrap();
        for bad in ["v1/../../etc", "..", "v1/customer/../x"] {
            let err = client
                .raw_request(Method::GET, bad)
                .send()
                .await
                .unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{bad}: {err:?}");
        }
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Client>();
    }
}
