//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;

use partner_core::clock::{SharedClock, SystemClock};
use partner_core::rate_limit::RateLimiter;
use partner_core::scrub::Scrubber;
use partner_core::transport::Transport;
use partner_core::url::Url;
use partner_core::{ApiClient, Error, Request, Response, RetryPolicy, Timeouts};
use serde::de::DeserializeOwned;

use crate::entities::{Commitments, Entities, Humans};
use crate::environment::Environment;
use crate::error::ProcuretErrorParser;
use crate::instalment_links::InstalmentLinks;
use crate::instalment_schedule::InstalmentSchedules;
use crate::payment_series::PaymentSeriesApi;
use crate::prospective_payments::ProspectivePayments;
use crate::session::{SecondFactorCodeRequest, Session, Sessions};
use crate::signing::SessionAuthenticator;
use crate::term_rates::TermRateGroups;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The Procuret API client.
///
/// Cheap to clone; clones share the connection pool and the rate limiter. A client without a
/// session can request second-factor codes, create sessions and preview prices; everything else
/// needs [`with_session`](Client::with_session).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: ApiClient,
    environment: Environment,
    base: Url,
    session: Option<Session>,
    config: Config,
}

#[derive(Clone)]
struct Config {
    user_agent: String,
    retry: RetryPolicy,
    timeouts: Timeouts,
    clock: SharedClock,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    max_response_bytes: Option<usize>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("environment", &self.inner.environment)
            .field("session", &self.inner.session)
            .field("api", &self.inner.api)
            .finish()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    environment: Environment,
    session: Option<Session>,
    transport: Option<Arc<dyn Transport>>,
    user_agent_prefix: Option<String>,
    retry: RetryPolicy,
    timeouts: Timeouts,
    clock: SharedClock,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    max_response_bytes: Option<usize>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("session", &self.session)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::Production,
            session: None,
            transport: None,
            user_agent_prefix: None,
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            clock: Arc::new(SystemClock),
            rate_limiter: None,
            max_response_bytes: None,
        }
    }
}

impl ClientBuilder {
    /// The environment (default [`Environment::Production`]).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Authenticates with `session` (stored earlier, or from [`Sessions::create`]).
    pub fn session(mut self, session: Session) -> Self {
        self.session = Some(session);
        self
    }

    /// Prefixes the `User-Agent` (`<prefix>;procuret/<version>`), as Procuret's `agent_prefix`.
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.user_agent_prefix = Some(prefix.into());
        self
    }

    /// The retry policy. Whatever is given, a POST that may have reached Procuret is never repeated,
    /// not even after a 429: Procuret has no idempotency keys.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The timeouts (default 30 s per attempt, 120 s per call).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The wall clock that dates signatures (tests use `partner_core::clock::ManualClock`).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Sends through `transport` instead of the default (reqwest with rustls).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Makes every request wait for `limiter`.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Caps response bodies (default 16 MiB).
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad custom URL or user agent prefix; [`Error::Transport`] when
    /// the default transport cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let user_agent = match &self.user_agent_prefix {
            Some(prefix) => format!("{prefix};{USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        let config = Config {
            user_agent,
            // Procuret has no idempotency keys, so no POST may be repeated once it may have arrived.
            retry: self.retry.with_retry_throttled_non_idempotent(false),
            timeouts: self.timeouts,
            clock: self.clock,
            rate_limiter: self.rate_limiter,
            max_response_bytes: self.max_response_bytes,
        };
        Client::assemble(self.environment, self.session, config, self.transport)
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    fn assemble(
        environment: Environment,
        session: Option<Session>,
        config: Config,
        transport: Option<Arc<dyn Transport>>,
    ) -> Result<Client, Error> {
        let base = environment.base_url()?;
        let mut builder = ApiClient::builder(config.user_agent.clone())
            .auth_origin(base.clone())
            .error_parser(Arc::new(ProcuretErrorParser))
            .retry_policy(config.retry.clone())
            .timeouts(config.timeouts)
            .clock(config.clock.clone());
        if let Some(transport) = transport {
            builder = builder.transport(transport);
        }
        if let Some(limiter) = &config.rate_limiter {
            builder = builder.rate_limiter(limiter.clone());
        }
        if let Some(max) = config.max_response_bytes {
            builder = builder.max_response_bytes(max);
        }
        if let Some(session) = &session {
            builder = builder.authenticator(Arc::new(SessionAuthenticator::new(
                session.clone(),
                config.clock.clone(),
                base.path(),
            )));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                api: builder.build()?,
                environment,
                base,
                session,
                config,
            }),
        })
    }

    /// A client like this one (same environment, settings and connection pool) that authenticates
    /// with `session`.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn with_session(&self, session: Session) -> Result<Client, Error> {
        Client::assemble(
            self.inner.environment.clone(),
            Some(session),
            self.inner.config.clone(),
            Some(self.inner.api.transport().clone()),
        )
    }

    /// The session, when the client has one.
    pub fn session(&self) -> Option<&Session> {
        self.inner.session.as_ref()
    }

    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// Requests a second-factor code, the first step towards a session.
    pub fn second_factor_code(&self) -> SecondFactorCodeRequest {
        SecondFactorCodeRequest::new(self.clone())
    }

    /// Session creation.
    pub fn sessions(&self) -> Sessions {
        Sessions::new(self.clone())
    }

    /// Instalment links: create, list, get, open.
    pub fn instalment_links(&self) -> InstalmentLinks {
        InstalmentLinks::new(self.clone())
    }

    /// Price previews.
    pub fn prospective_payments(&self) -> ProspectivePayments {
        ProspectivePayments::new(self.clone())
    }

    /// Term-rate groups.
    pub fn term_rate_groups(&self) -> TermRateGroups {
        TermRateGroups::new(self.clone())
    }

    /// Payment series.
    pub fn payment_series(&self) -> PaymentSeriesApi {
        PaymentSeriesApi::new(self.clone())
    }

    /// Instalment schedules of payment series.
    pub fn instalment_schedules(&self) -> InstalmentSchedules {
        InstalmentSchedules::new(self.clone())
    }

    /// Business entities.
    pub fn entities(&self) -> Entities {
        Entities::new(self.clone())
    }

    /// Humans (people with Procuret accounts).
    pub fn humans(&self) -> Humans {
        Humans::new(self.clone())
    }

    /// Commitments.
    pub fn commitments(&self) -> Commitments {
        Commitments::new(self.clone())
    }

    /// The URL of `path` (relative, no leading `/`) under the API root.
    pub(crate) fn endpoint(&self, path: &str) -> Url {
        self.inner
            .base
            .join(path)
            .expect("endpoint paths are constant and relative")
    }

    /// A GET of `path` that needs the session.
    pub(crate) fn signed_get(&self, path: &str) -> Result<Request, Error> {
        self.require_session()?;
        Ok(Request::get(self.endpoint(path)))
    }

    pub(crate) fn require_session(&self) -> Result<(), Error> {
        if self.inner.session.is_none() {
            return Err(Error::invalid_input(
                "session",
                "this call needs a session: create one with `client.sessions().create()` and use `Client::with_session`",
            ));
        }
        Ok(())
    }

    /// The secrets scrubbed out of errors; a call adds the ones it alone sends.
    pub(crate) fn scrubber(&self) -> &Scrubber {
        self.inner.api.scrubber()
    }

    pub(crate) async fn execute(&self, request: Request) -> Result<Response, Error> {
        self.inner.api.execute(request).await
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, Error> {
        self.inner.api.send_json(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Client>();
    }

    #[test]
    fn debug_shows_no_key() {
        let session = Session::new(5, "super-secret".into(), crate::Lifecycle::LongLived).unwrap();
        let client = Client::builder().session(session).build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("super-secret"), "{debug}");
        assert_eq!(
            client.endpoint("instalment-link/list").as_str(),
            "https://procuret.com/api/instalment-link/list"
        );
    }
}
