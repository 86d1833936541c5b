//! [`Client`]: the partner's credentials and the one call the service offers.

use std::fmt;
use std::sync::Arc;

use partner_core::auth::ApiKeyAuth;
use partner_core::base_url::checked_base_url;
use partner_core::http::HeaderName;
use partner_core::rate_limit::RateLimiter;
use partner_core::secret::Redacted;
use partner_core::transport::Transport;
use partner_core::url::Url;
use partner_core::{ApiClient, ExposeSecret, Request, RetryPolicy, SecretString, Timeouts};

use crate::error::{Error, Result};
use crate::request::DiscountRequest;
use crate::response::{self, AWS_REQUEST_ID, Acknowledgement};
use crate::validation::{self, field};

/// The service's base URL.
pub const DEFAULT_BASE_URL: &str = "https://leanpub.schams.net/api/v2/";

/// The one endpoint, relative to the base URL. (Older revisions of the service's documentation used
/// `partner-discount-request` and `special-offer`: they are gone.)
const ENDPOINT: &str = "PartnerDiscountRequest";

const API_KEY_HEADER: &str = "x-api-key";

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

struct Inner {
    api: ApiClient,
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
/// let client = Client::builder().api_key("the-key").partner_id("my-shop").build()?;
/// let request = DiscountRequest::builder()
///     .product_id("the-book")
///     .origin("shop.example.com")
///     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
///     .build()?;
/// let ack = client.request_discount(&request).await?;
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
            .field("base_url", &self.inner.base_url.as_str())
            .field("partner_id", &self.inner.partner_id)
            .field("api_key", &Redacted)
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// Starts a client: [`api_key`](ClientBuilder::api_key) and
    /// [`partner_id`](ClientBuilder::partner_id) are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The partner id sent with every request.
    pub fn partner_id(&self) -> &str {
        &self.inner.partner_id
    }

    /// The base URL (ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends one discount request: `POST {base}PartnerDiscountRequest`.
    ///
    /// `Ok` is an [`Acknowledgement`]: the service scheduled the job, **nothing is delivered yet**.
    ///
    /// The request is sent at most once, except when it certainly did not reach the service: a
    /// connection that failed before sending, or an HTTP 429 (throttling, a refusal) is retried; a
    /// timeout, a dropped connection or a 5xx is not, because the service has no idempotency key and a
    /// second coupon is worse than an error.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// One [`Error`] variant per service code (e.g. [`Error::InvalidOrigin`] for 404),
    /// [`Error::Gateway`] for the API Gateway's own errors, [`Error::Core`] for transport failures,
    /// timeouts and unreadable answers.
    pub async fn request_discount(&self, request: &DiscountRequest) -> Result<Acknowledgement> {
        let inner = &self.inner;
        let body = request.wire(&inner.partner_id);
        // Deliberately not `.keyed()`: the service knows no idempotency header, so the core's rules for a
        // plain POST apply (never repeated once it may have arrived, 429 excepted).
        let http_request = Request::post(inner.endpoint.clone()).json(&body)?;
        tracing::debug!(
            mode = %request.mode(),
            product_id = request.product_id(),
            origin = request.origin(),
            "sending a Leanpub discount request"
        );
        let response = inner.api.execute_raw(http_request).await?;
        let outcome = response::interpret(&inner.api, &response, request.mode());
        // The ids come from the server: a hostile one could quote the API key in them.
        // (Evaluated only when the event is enabled.)
        let scrubbed = |id: &Option<String>| {
            id.as_deref()
                .map(|id| inner.api.scrubber().scrub(id).into_owned())
        };
        match &outcome {
            Ok(ack) => tracing::debug!(
                mode = %ack.mode,
                request_id = scrubbed(&ack.request_id).as_deref(),
                aws_request_id = scrubbed(&ack.aws_request_id).as_deref(),
                "discount request acknowledged (not yet delivered)"
            ),
            Err(err) => tracing::debug!(error = %err, "discount request refused"),
        }
        outcome
    }
}

/// Builds a [`Client`].
#[derive(Default)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    partner_id: Option<String>,
    base_url: Option<Url>,
    timeouts: Option<Timeouts>,
    retry: Option<RetryPolicy>,
    transport: Option<Arc<dyn Transport>>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| Redacted))
            .field("partner_id", &self.partner_id)
            .field("base_url", &self.base_url.as_ref().map(Url::as_str))
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("transport", &self.transport)
            .field("rate_limiter", &self.rate_limiter)
            .finish()
    }
}

impl ClientBuilder {
    /// The API key, sent as `x-api-key` (and only to the base URL's origin). Required.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The partner id, sent as `partnerId` with every request. Required; Latin-1 text.
    pub fn partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.partner_id = Some(partner_id.into());
        self
    }

    /// Another base URL (a local simulator, a proxy). Default [`DEFAULT_BASE_URL`].
    ///
    /// It must be `https`, or `http` to a loopback host (`localhost`, `127.0.0.1`, `[::1]`): the API
    /// key is never sent in clear text across a network.
    pub fn base_url(mut self, base_url: Url) -> Self {
        self.base_url = Some(base_url);
        self
    }

    /// The per-attempt and whole-call timeouts (default 30 s and 120 s). The service's gateway gives up
    /// after about 29 s; an attempt that times out is **not** retried.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// How throttled (429) requests and failed connections are retried. Whatever the policy, a request
    /// that may have reached the service is never sent again.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sends through `transport` instead of the default (reqwest with rustls).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Makes every request wait its turn with `limiter` (none by default: the service documents no
    /// limit). Share one limiter between clients, or across processes with
    /// `partner_core::redis::RedisRateLimiter` (feature `redis`), to keep a fleet under a common budget.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `x-api-key` (missing, empty or not a valid header value; the
    /// key itself is never quoted), `partnerId` (missing, blank, or not Latin-1) or `base_url`;
    /// [`Error::Core`] when the default transport cannot start.
    pub fn build(self) -> Result<Client> {
        let api_key = validation::required(field::API_KEY, self.api_key)?;
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
        let partner_id = validation::required(field::PARTNER_ID, self.partner_id)?;
        validation::latin1_text(field::PARTNER_ID, &partner_id)?;

        let base_url = match self.base_url {
            // Refuses what would leak the key (plain http off loopback, user:pass@) or lose the path.
            Some(url) => checked_base_url("base_url", url)?,
            None => DEFAULT_BASE_URL
                .parse()
                .expect("the default base URL is valid"),
        };
        let endpoint = base_url
            .join(ENDPOINT)
            .map_err(|e| Error::invalid_input("base_url", e.to_string()))?;

        let auth = ApiKeyAuth::new(HeaderName::from_static(API_KEY_HEADER), api_key);
        let mut api = ApiClient::builder(USER_AGENT)
            .auth_origin(base_url.clone())
            .authenticator(Arc::new(auth))
            .request_id_header(HeaderName::from_static(AWS_REQUEST_ID));
        if let Some(timeouts) = self.timeouts {
            api = api.timeouts(timeouts);
        }
        if let Some(retry) = self.retry {
            api = api.retry_policy(retry);
        }
        if let Some(transport) = self.transport {
            api = api.transport(transport);
        }
        if let Some(limiter) = self.rate_limiter {
            api = api.rate_limiter(limiter);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                api: api.build()?,
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

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            checked_base_url("base_url", url("https://leanpub.schams.net/api/v2"))
                .unwrap()
                .join(ENDPOINT)
                .unwrap()
                .as_str(),
            "https://leanpub.schams.net/api/v2/PartnerDiscountRequest"
        );
        assert!(checked_base_url("base_url", url("http://127.0.0.1:8080/")).is_ok());
        assert!(checked_base_url("base_url", url("http://localhost:8080/")).is_ok());
        assert!(checked_base_url("base_url", url("http://[::1]:8080/")).is_ok());
    }

    #[test]
    fn unsafe_base_urls_are_refused() {
        for bad in [
            "http://leanpub.schams.net/api/v2/",
            "ftp://leanpub.schams.net/",
            "https://user:pw@leanpub.schams.net/api/v2/",
            "https://leanpub.schams.net/api/v2/?x=1",
        ] {
            let built = Client::builder()
                .api_key("k")
                .partner_id("p")
                .base_url(url(bad))
                .build();
            match built {
                Err(Error::InvalidInput(input)) => assert_eq!(input.field, "base_url"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn default_endpoint() {
        let client = Client::builder()
            .api_key("k")
            .partner_id("p")
            .build()
            .unwrap();
        assert_eq!(
            client.inner.endpoint.as_str(),
            "https://leanpub.schams.net/api/v2/PartnerDiscountRequest"
        );
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
    fn client_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
    }
}
