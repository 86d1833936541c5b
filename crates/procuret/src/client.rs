//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;

use partner_core::config::ClientConfig;
use partner_core::http::Method;
use partner_core::raw::RawRequest;
use partner_core::scrub::Scrubber;
use partner_core::url::Url;
use partner_core::{ApiClient, Error, Request, Response, SecretString};
use serde::de::DeserializeOwned;

use crate::entities::{Commitments, Entities, Humans};
use crate::enums::Lifecycle;
use crate::environment::Environment;
use crate::error::ProcuretErrorParser;
use crate::instalment_links::InstalmentLinks;
use crate::instalment_schedule::InstalmentSchedules;
use crate::payment_series::PaymentSeriesCollection;
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
    config: ClientConfig,
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

/// Builds a [`Client`]. The environment defaults to [`Environment::Demo`]: name
/// [`Environment::Production`] to reach real customers.
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ClientBuilder {
    config: ClientConfig,
    environment: Environment,
    session: Option<Session>,
    /// A setting `from_env` could not read, reported by `build`.
    env_error: Option<Error>,
}

impl ClientBuilder {
    partner_core::client_settings!(config);

    /// A builder set from the process environment (see the README's table):
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `PROCURET_ENVIRONMENT` | `production`, `demo` (the default) or an API root URL |
    /// | `PROCURET_SESSION_ID` | the stored session's id |
    /// | `PROCURET_SESSION_SECRET` | the stored session's api key |
    /// | `PROCURET_SESSION_LIFECYCLE` | `long-lived` (the default) or `short-lived` |
    ///
    /// Without a session id or secret the client has no session (enough for second-factor codes,
    /// session creation and price previews). A value that cannot be read, or half a session, is
    /// reported by [`build`](Self::build), naming the variable.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with each variable read by `var` instead of the process
    /// environment (a blank value counts as unset), for programs that keep the same settings
    /// elsewhere: a configuration file, a secret manager. `partner-cli`'s profiles use it.
    ///
    /// ```
    /// let settings = std::collections::HashMap::from([("NAME_OF_A_VARIABLE", "value")]);
    /// let builder = procuret::ClientBuilder::from_vars(|name| settings.get(name).map(|v| v.to_string()));
    /// # let _ = builder;
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self::default();
        if let Some(text) = var("PROCURET_ENVIRONMENT") {
            match text.parse() {
                Ok(environment) => builder.environment = environment,
                Err(err) => builder.env_error = Some(renamed(err, "PROCURET_ENVIRONMENT")),
            }
        }
        let id = var("PROCURET_SESSION_ID");
        let secret = var("PROCURET_SESSION_SECRET").map(SecretString::from);
        let lifecycle = var("PROCURET_SESSION_LIFECYCLE");
        let session = match (id, secret) {
            (None, None) => Ok(None),
            (Some(id), Some(secret)) => env_session(&id, secret, lifecycle.as_deref()).map(Some),
            (None, Some(_)) => Err(missing("PROCURET_SESSION_ID", "PROCURET_SESSION_SECRET")),
            (Some(_), None) => Err(missing("PROCURET_SESSION_SECRET", "PROCURET_SESSION_ID")),
        };
        match session {
            Ok(session) => builder.session = session,
            Err(err) => builder.env_error = builder.env_error.or(Some(err)),
        }
        builder
    }

    /// The environment (default [`Environment::Demo`]).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Authenticates with `session` (stored earlier, or from [`Sessions::create`]).
    pub fn session(mut self, session: Session) -> Self {
        self.session = Some(session);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad custom URL, user agent or `from_env` variable (named);
    /// [`Error::Transport`] when the default transport cannot start.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(err) = self.env_error {
            return Err(err);
        }
        Client::assemble(self.environment, self.session, self.config)
    }
}

fn env_session(id: &str, secret: SecretString, lifecycle: Option<&str>) -> Result<Session, Error> {
    let id = id.trim().parse::<i64>().map_err(|_| {
        Error::invalid_input("PROCURET_SESSION_ID", "must be a session id (an integer)")
    })?;
    let lifecycle = match lifecycle.map(str::trim) {
        None => Lifecycle::LongLived,
        Some(text) if text.eq_ignore_ascii_case("long-lived") => Lifecycle::LongLived,
        Some(text) if text.eq_ignore_ascii_case("short-lived") => Lifecycle::ShortLived,
        Some(_) => {
            return Err(Error::invalid_input(
                "PROCURET_SESSION_LIFECYCLE",
                "must be `long-lived` or `short-lived`",
            ));
        }
    };
    Session::new(id, secret, lifecycle).map_err(|err| match err {
        Error::InvalidInput(input) if input.field == "session_id" => {
            renamed(Error::InvalidInput(input), "PROCURET_SESSION_ID")
        }
        other => renamed(other, "PROCURET_SESSION_SECRET"),
    })
}

fn missing(name: &'static str, other: &str) -> Error {
    Error::invalid_input(name, format!("is required when {other} is set"))
}

/// `err`, an input error, reported against the variable `name` (the reason never quotes a secret).
fn renamed(err: Error, name: &'static str) -> Error {
    match err {
        Error::InvalidInput(input) => Error::invalid_input(name, input.reason),
        other => other,
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client set from the process environment: [`ClientBuilder::from_env`], built.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    fn assemble(
        environment: Environment,
        session: Option<Session>,
        config: ClientConfig,
    ) -> Result<Client, Error> {
        let base = environment.base_url()?;
        // Procuret has no idempotency keys, so no POST may be repeated once it may have arrived.
        let retry = config
            .retry_setting()
            .cloned()
            .unwrap_or_default()
            .with_retry_throttled_non_idempotent(false);
        let mut builder = config
            .clone()
            .retry_policy(retry)
            .api_client_builder(USER_AGENT)
            .auth_origin(base.clone())
            .error_parser(Arc::new(ProcuretErrorParser));
        if let Some(session) = &session {
            let clock = config.clock_setting().cloned().unwrap_or_else(|| {
                Arc::new(partner_core::clock::SystemClock) as partner_core::clock::SharedClock
            });
            builder = builder.authenticator(Arc::new(SessionAuthenticator::new(
                session.clone(),
                clock,
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
        let config = self
            .inner
            .config
            .clone()
            .transport(self.inner.api.transport().clone());
        Client::assemble(self.inner.environment.clone(), Some(session), config)
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
    pub fn payment_series(&self) -> PaymentSeriesCollection {
        PaymentSeriesCollection::new(self.clone())
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

    /// Any request under the API root, for an endpoint this crate does not cover yet: `path` is
    /// relative to the root (`https://demo.procuret.com/api/`), and each of its segments is checked
    /// and encoded, so the request cannot leave the root. It is signed with the session (when the
    /// client has one) and rate limited, retried and read like every other call; a POST is never
    /// repeated once it may have arrived, and an idempotency key is refused: Procuret has none.
    ///
    /// ```no_run
    /// # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
    /// use procuret::Method;
    /// let groups: serde_json::Value = client
    ///     .raw_request(Method::GET, "term-rate/group/list")
    ///     .query(&[("limit", 10)])
    ///     .send_json()
    ///     .await?;
    /// # let _ = groups; Ok(()) }
    /// ```
    pub fn raw_request(&self, method: Method, path: &str) -> RawRequest {
        RawRequest::new(
            self.inner.api.clone(),
            self.inner.base.clone(),
            method,
            path,
        )
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
                "this call needs a session: create one with `client.sessions().create(..)` and use `Client::with_session`",
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
    use partner_core::ExposeSecret;

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Client>();
    }

    #[test]
    fn debug_shows_no_key() {
        let session = Session::new(5, "super-secret".into(), crate::Lifecycle::LongLived).unwrap();
        let client = Client::builder()
            .environment(Environment::Production)
            .session(session)
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("super-secret"), "{debug}");
        assert_eq!(
            client.endpoint("instalment-link/list").as_str(),
            "https://procuret.com/api/instalment-link/list"
        );
    }

    #[test]
    fn the_default_environment_is_demo() {
        let client = Client::builder().build().unwrap();
        assert_eq!(client.environment(), &Environment::Demo);
        assert_eq!(
            client.endpoint("session").as_str(),
            "https://demo.procuret.com/api/session"
        );
    }

    use partner_testkit::env_vars as vars;

    #[test]
    fn from_env_with_nothing_set_is_demo_without_a_session() {
        let client = ClientBuilder::from_vars(vars(&[])).build().unwrap();
        assert_eq!(client.environment(), &Environment::Demo);
        assert!(client.session().is_none());
    }

    #[test]
    fn from_env_reads_the_environment_and_the_session() {
        let client = ClientBuilder::from_vars(vars(&[
            ("PROCURET_ENVIRONMENT", "production"),
            ("PROCURET_SESSION_ID", "7212399413384927723"),
            ("PROCURET_SESSION_SECRET", "k3y"),
            ("PROCURET_SESSION_LIFECYCLE", "short-lived"),
        ]))
        .build()
        .unwrap();
        assert_eq!(client.environment(), &Environment::Production);
        let session = client.session().unwrap();
        assert_eq!(session.session_id(), 7212399413384927723);
        assert_eq!(session.api_key().expose_secret(), "k3y");
        assert_eq!(session.lifecycle(), Lifecycle::ShortLived);

        let custom =
            ClientBuilder::from_vars(vars(&[("PROCURET_ENVIRONMENT", "http://127.0.0.1:9/api")]))
                .build()
                .unwrap();
        assert_eq!(
            custom.endpoint("session").as_str(),
            "http://127.0.0.1:9/api/session"
        );
        let long = ClientBuilder::from_vars(vars(&[
            ("PROCURET_SESSION_ID", "1"),
            ("PROCURET_SESSION_SECRET", "k"),
        ]))
        .build()
        .unwrap();
        assert_eq!(long.session().unwrap().lifecycle(), Lifecycle::LongLived);
    }

    #[test]
    fn from_env_reports_bad_values_by_variable_without_quoting_secrets() {
        for (pairs, field) in [
            (
                &[("PROCURET_ENVIRONMENT", "staging")][..],
                "PROCURET_ENVIRONMENT",
            ),
            (
                &[("PROCURET_ENVIRONMENT", "http://example.com/api")][..],
                "PROCURET_ENVIRONMENT",
            ),
            (
                &[("PROCURET_SESSION_SECRET", "s3cret-value")][..],
                "PROCURET_SESSION_ID",
            ),
            (
                &[("PROCURET_SESSION_ID", "1")][..],
                "PROCURET_SESSION_SECRET",
            ),
            (
                &[
                    ("PROCURET_SESSION_ID", "one"),
                    ("PROCURET_SESSION_SECRET", "s3cret-value"),
                ][..],
                "PROCURET_SESSION_ID",
            ),
            (
                &[
                    ("PROCURET_SESSION_ID", "1"),
                    ("PROCURET_SESSION_SECRET", "s3cret value"),
                ][..],
                "PROCURET_SESSION_SECRET",
            ),
            (
                &[
                    ("PROCURET_SESSION_ID", "1"),
                    ("PROCURET_SESSION_SECRET", "s3cret-value"),
                    ("PROCURET_SESSION_LIFECYCLE", "forever"),
                ][..],
                "PROCURET_SESSION_LIFECYCLE",
            ),
        ] {
            match ClientBuilder::from_vars(vars(pairs)).build() {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, field, "{pairs:?}");
                    assert!(!input.to_string().contains("s3cret"), "{input}");
                }
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }
}
