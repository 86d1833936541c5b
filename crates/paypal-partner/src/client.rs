//! [`Client`] and its builder: credentials, environment, and the wiring of the shared runtime.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use partner_core::auth::{ClientCredentials, TokenCacheConfig, TokenStore};
use partner_core::clock::SharedClock;
use partner_core::http::{HeaderValue, Method};
use partner_core::path::{Segment, join_path};
use partner_core::rate_limit::RateLimiter;
use partner_core::secret::Redacted;
use partner_core::transport::Transport;
use partner_core::url::Url;
use partner_core::{
    ApiClient, ExposeSecret, Request, Response, RetryPolicy, SecretString, Timeouts,
};
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
    partner_merchant_id: Option<String>,
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

    /// Seller onboarding links (`/v2/customer/partner-referrals`).
    pub fn referrals(&self) -> crate::referrals::Referrals<'_> {
        crate::referrals::Referrals::new(self)
    }

    /// Seller lookup and onboarding status (`/v1/customer/partners/{partner_id}/merchant-integrations`).
    pub fn merchant_integrations(&self) -> crate::merchant_integrations::MerchantIntegrations<'_> {
        crate::merchant_integrations::MerchantIntegrations::new(self)
    }

    /// Orders v2 (`/v2/checkout/orders`).
    pub fn orders(&self) -> crate::orders::Orders<'_> {
        crate::orders::Orders::new(self)
    }

    /// Captures: refunds with platform fees (`/v2/payments/captures`).
    pub fn captures(&self) -> crate::captures::Captures<'_> {
        crate::captures::Captures::new(self)
    }

    /// Release of `DELAYED` funds (`/v1/payments/referenced-payouts-items`).
    pub fn referenced_payouts(&self) -> crate::referenced_payouts::ReferencedPayouts<'_> {
        crate::referenced_payouts::ReferencedPayouts::new(self)
    }

    /// Webhook postback verification; see also [`WebhookVerifier`](crate::webhooks::WebhookVerifier).
    pub fn webhooks(&self) -> crate::webhooks::Webhooks<'_> {
        crate::webhooks::Webhooks::new(self)
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
    pub fn partner_merchant_id(&self) -> Option<&str> {
        self.inner.partner_merchant_id.as_deref()
    }

    /// The base URL, ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The engine underneath, for calls this crate does not wrap (authenticated, retried, traced).
    pub fn api(&self) -> &ApiClient {
        &self.inner.api
    }

    /// The transport (used to fetch webhook certificates without a second HTTP client).
    pub fn transport(&self) -> &Arc<dyn Transport> {
        self.inner.api.transport()
    }

    /// The wall clock (token expiry, webhook replay window).
    pub fn clock(&self) -> &SharedClock {
        self.inner.api.clock()
    }

    /// The `PayPal-Auth-Assertion` value naming `seller_merchant_id`.
    pub fn auth_assertion_for(&self, seller_merchant_id: &str) -> String {
        auth_assertion(
            &self.inner.client_id,
            &Subject::PayerId(seller_merchant_id.to_owned()),
        )
    }

    pub(crate) fn partner_id_or_error(&self) -> Result<&str, Error> {
        self.partner_merchant_id().ok_or_else(|| {
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

/// Builds a [`Client`].
pub struct ClientBuilder {
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    partner_merchant_id: Option<String>,
    bn_code: Option<String>,
    environment: Environment,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<SharedClock>,
    retry: Option<RetryPolicy>,
    timeouts: Option<Timeouts>,
    token_cache: TokenCacheConfig,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            client_id: None,
            client_secret: None,
            partner_merchant_id: None,
            bn_code: None,
            environment: Environment::Sandbox,
            transport: None,
            clock: None,
            retry: None,
            timeouts: None,
            token_cache: TokenCacheConfig::default(),
            rate_limiter: None,
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
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
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
    pub fn partner_merchant_id(mut self, id: impl Into<String>) -> Self {
        self.partner_merchant_id = Some(id.into());
        self
    }

    /// The partner's BN code, sent as `PayPal-Partner-Attribution-Id` on every call (1–36 characters).
    pub fn bn_code(mut self, bn_code: impl Into<String>) -> Self {
        self.bn_code = Some(bn_code.into());
        self
    }

    /// Sandbox (default), live, or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// A custom base URL (a mock server, the local sandbox). Shorthand for
    /// `environment(Environment::Custom(url))`; [`build`](Self::build) refuses it unless it is
    /// `https`, or `http` to a loopback host (see [`Environment::base_url`]).
    pub fn base_url(mut self, url: Url) -> Self {
        self.environment = Environment::Custom(url);
        self
    }

    /// Replaces the HTTP transport.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Replaces the wall clock (token expiry, webhook replay window), for tests.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Replaces the retry policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Replaces the timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Makes every call wait for `limiter`. PayPal publishes no limits; use one to stay clear of
    /// `429 RATE_LIMIT_REACHED` when many tasks share a client, e.g.
    /// `GcraRateLimiter::new(Quota::per_minute(600))` from `partner_core::rate_limit`.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Token cache settings (refresh buffer, a persistent store...).
    pub fn token_cache(mut self, config: TokenCacheConfig) -> Self {
        self.token_cache = config;
        self
    }

    /// Keeps the access token in `store` as well as in memory, so that processes and restarts share
    /// one token instead of each minting its own (PayPal names per-call token minting as a cause of
    /// `RATE_LIMIT_REACHED`). A `FileTokenStore`, an `EncryptedFileTokenStore`, or, with the `redis`
    /// feature, a `RedisTokenStore` whose refresh lock makes one process fetch for the whole fleet.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_cache = self.token_cache.with_store(store);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field: a missing or empty client id or secret, a BN code
    /// longer than 36 characters, a partner merchant id equal to the client id (a common mix-up), a
    /// custom base URL that is not `https` (plain `http` only to a loopback host) or carries
    /// credentials, a query or a fragment.
    pub fn build(self) -> Result<Client, Error> {
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::invalid_input("client_id", "is required"))?;
        let secret = self
            .client_secret
            .filter(|s| !s.expose_secret().trim().is_empty())
            .ok_or_else(|| Error::invalid_input("client_secret", "is required"))?;
        if let Some(partner) = &self.partner_merchant_id {
            check_id("partner_merchant_id", partner)?;
            // It goes into paths: refused here rather than on the first call.
            partner_core::path::check_id("partner_merchant_id", partner)?;
            if *partner == client_id {
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
        let base = self.environment.base_url()?;
        let token_url = base
            .join("v1/oauth2/token")
            .map_err(|e| Error::invalid_input("base_url", e.to_string()))?;
        let tokens = ClientCredentials::basic_form(token_url, client_id.clone(), secret);
        let mut api = ApiClient::builder(USER_AGENT)
            .auth_origin(base.clone())
            .oauth2(Arc::new(tokens), self.token_cache)
            .error_parser(Arc::new(PayPalErrorParser))
            .idempotency_header(headers::PAYPAL_REQUEST_ID)
            .request_id_header(headers::PAYPAL_DEBUG_ID);
        if let Some(transport) = self.transport {
            api = api.transport(transport);
        }
        if let Some(clock) = self.clock {
            api = api.clock(clock);
        }
        if let Some(retry) = self.retry {
            api = api.retry_policy(retry);
        }
        if let Some(timeouts) = self.timeouts {
            api = api.timeouts(timeouts);
        }
        if let Some(limiter) = self.rate_limiter {
            api = api.rate_limiter(limiter);
        }
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
            .base_url("http://127.0.0.1:9/base".parse().unwrap())
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
                .base_url(bad.parse().unwrap())
                .build()
                .unwrap_err();
            match err {
                Error::InvalidInput(input) => {
                    assert_eq!(input.field, "base_url", "{bad}");
                    assert!(input.reason.contains(why), "{bad}: {input}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Client>();
    }
}
