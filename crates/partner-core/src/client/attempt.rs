//! The steps of one call, in the order they run, as the smithy-rs orchestrator splits an operation
//! into its attempt phases:
//!
//! 1. **prepare** ([`Call::prepare`]), once per call: the policy and timeouts that apply, the
//!    credential-origin check, the idempotency header, the URI parsed (a bad one is refused before
//!    a rate-limit permit or a token is spent);
//! 2. then for every attempt: wait for the **rate limit**, build the **HTTP request**,
//!    **authorize** it, **send once** under the attempt timeout, **replay once after a 401** when
//!    the authenticator refreshed its credential, **classify** what came back and **decide**: retry
//!    after a wait, or finish with what it says about the request's delivery.
//!
//! Every wait (the rate limiter, a token, an attempt, a backoff) is bounded by the call's
//! [`Budget`], the operation timeout.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{HeaderName, HeaderValue, StatusCode, header};
use tokio::time::Instant;

use super::Inner;
use crate::auth::{AuthTicket, Authenticator};
use crate::error::{Delivery, Error, TimeoutPhase, TransportError};
use crate::request::{Idempotency, Request};
use crate::retry::{
    self, AttemptOutcome, IdempotencyKey, RetryContext, RetryDecision, RetryPolicy, StopReason,
};
use crate::transport::{HttpRequest, HttpResponse};

/// The answer a call ends with, and what an error made from it says about the request's effect.
pub(super) struct Answer {
    pub(super) response: HttpResponse,
    pub(super) delivery: Delivery,
}

/// One call: what stays the same from one attempt to the next.
pub(super) struct Call<'a> {
    inner: &'a Inner,
    request: &'a Request,
    /// The request's URI, parsed once; each attempt clones it (a reference count).
    uri: http::Uri,
    authenticator: Option<&'a Arc<dyn Authenticator>>,
    idempotency_header: Option<(&'a HeaderName, HeaderValue)>,
    key: Option<&'a Arc<IdempotencyKey>>,
    policy: &'a RetryPolicy,
    attempt_timeout: Duration,
    /// The body cap: the request's own, else the client's.
    max_response_bytes: usize,
    /// Safe to send again: idempotent by method, keyed, or marked idempotent.
    repeatable: bool,
    budget: Budget,
}

/// What one attempt came back with.
enum Sent {
    Answer(HttpResponse),
    Failed(TransportError),
    TimedOut,
}

/// What follows an attempt.
enum Next {
    RetryAfter(Duration),
    Finish(Delivery),
}

impl<'a> Call<'a> {
    /// Works out everything the attempts share, and refuses a request that must not be sent.
    pub(super) fn prepare(
        inner: &'a Inner,
        request: &'a Request,
        key: Option<&'a Arc<IdempotencyKey>>,
        started: Instant,
    ) -> Result<Self, Error> {
        let authenticator = inner
            .authenticator
            .as_ref()
            .filter(|_| request.authenticate);
        if authenticator.is_some() && !inner.auth_origins.allows(&request.url) {
            return Err(Error::invalid_input(
                "url",
                format!(
                    "refusing to send credentials to {}: it is not one of the client's configured hosts",
                    request.url.origin().ascii_serialization()
                ),
            ));
        }
        let idempotency_header = match (&inner.idempotency_header, key) {
            (Some(name), Some(key)) => Some((name, idempotency_value(key)?)),
            _ => None,
        };
        let uri = request
            .url
            .as_str()
            .parse()
            .map_err(|_| Error::invalid_input("url", "is not a valid request URI"))?;
        let operation_timeout = request.options.operation_timeout;
        Ok(Self {
            inner,
            request,
            uri,
            authenticator,
            idempotency_header,
            key,
            policy: request.options.retry.as_ref().unwrap_or(&inner.retry),
            attempt_timeout: request.options.timeout.unwrap_or(inner.timeouts.attempt),
            max_response_bytes: request
                .options
                .max_response_bytes
                .unwrap_or(inner.max_response_bytes),
            repeatable: retry::is_idempotent(&request.method)
                || request.idempotency == Idempotency::Idempotent
                || key.is_some(),
            budget: Budget::new(
                started,
                operation_timeout.unwrap_or(inner.timeouts.operation),
            ),
        })
    }

    /// The attempts, until one is final.
    pub(super) async fn run(&self, span: &tracing::Span) -> Result<Answer, Error> {
        let mut attempts = 0u32;
        let mut replayed_unauthorized = false;
        loop {
            attempts += 1;
            span.record("attempt", attempts);
            self.wait_for_rate_limit().await?;
            let (request, ticket) = self.authorize(self.http_request()).await?;
            let sent = self.send_once(request).await?;
            if !replayed_unauthorized && self.refreshed_after_401(&sent, ticket).await? {
                tracing::debug!("401: credentials refreshed, replaying once");
                replayed_unauthorized = true;
                attempts -= 1;
                continue;
            }
            match self.decide(&sent, attempts)? {
                Next::RetryAfter(wait) => tokio::time::sleep(wait).await,
                Next::Finish(delivery) => return self.finish(sent, delivery),
            }
        }
    }

    async fn wait_for_rate_limit(&self) -> Result<(), Error> {
        if let Some(limiter) = &self.inner.rate_limiter {
            self.budget.bound(limiter.acquire()).await?;
        }
        Ok(())
    }

    /// The attempt's request: the caller's headers, then the client's `User-Agent`, a default
    /// `Accept` and the idempotency key.
    fn http_request(&self) -> HttpRequest {
        let mut http_request = http::Request::new(self.request.body.clone());
        *http_request.method_mut() = self.request.method.clone();
        *http_request.uri_mut() = self.uri.clone();
        let headers = http_request.headers_mut();
        headers.clone_from(&self.request.headers);
        headers.insert(header::USER_AGENT, self.inner.user_agent.clone());
        headers
            .entry(header::ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        if let Some((name, value)) = &self.idempotency_header {
            headers.insert((*name).clone(), value.clone());
        }
        http_request
    }

    /// Adds the credentials, when the request takes them.
    async fn authorize(
        &self,
        mut request: HttpRequest,
    ) -> Result<(HttpRequest, Option<AuthTicket>), Error> {
        let Some(authenticator) = self.authenticator else {
            return Ok((request, None));
        };
        let ticket = self
            .budget
            .bound(authenticator.authenticate(&mut request))
            .await??;
        Ok((request, Some(ticket)))
    }

    /// Sends the request once, within the attempt timeout and what is left of the budget. The
    /// budget running out is the call's error; the attempt timeout is an attempt's outcome.
    async fn send_once(&self, request: HttpRequest) -> Result<Sent, Error> {
        let attempt_deadline = deadline_after(Instant::now(), self.attempt_timeout);
        let exchange = self.inner.transport.send(request, self.max_response_bytes);
        match tokio::time::timeout_at(attempt_deadline.min(self.budget.deadline), exchange).await {
            Ok(Ok(response)) => Ok(Sent::Answer(response)),
            Ok(Err(err)) => Ok(Sent::Failed(err)),
            Err(_) if self.budget.deadline <= attempt_deadline => {
                Err(self.budget.exceeded_during_exchange(!self.repeatable))
            }
            Err(_) => Ok(Sent::TimedOut),
        }
    }

    /// After a 401 to credentials the client added: whether the authenticator refreshed them, so
    /// that one replay may succeed.
    async fn refreshed_after_401(
        &self,
        sent: &Sent,
        ticket: Option<AuthTicket>,
    ) -> Result<bool, Error> {
        match (sent, self.authenticator, ticket) {
            (Sent::Answer(response), Some(authenticator), Some(ticket))
                if response.status() == StatusCode::UNAUTHORIZED =>
            {
                self.budget
                    .bound(authenticator.on_unauthorized(ticket))
                    .await
            }
            _ => Ok(false),
        }
    }

    /// Retry, or finish; a retry that could not end within the budget fails now rather than at
    /// the deadline.
    fn decide(&self, sent: &Sent, attempts: u32) -> Result<Next, Error> {
        // A success is final whatever the policy; if its body cannot be read, a request that is
        // not safe to repeat was applied.
        if let Sent::Answer(response) = sent
            && response.status().is_success()
        {
            return Ok(Next::Finish(self.delivery(!self.repeatable)));
        }
        let outcome = classify(sent, self.inner.clock.now());
        let ctx = RetryContext {
            idempotent: self.repeatable,
            has_idempotency_key: self.key.is_some(),
            attempts,
            elapsed: self.budget.started.elapsed(),
            jitter: fastrand::f64(),
        };
        match retry::decide(self.policy, &ctx, &outcome) {
            RetryDecision::RetryAfter(wait)
                if deadline_after(Instant::now(), wait) >= self.budget.deadline =>
            {
                Err(self.budget.exceeded())
            }
            RetryDecision::RetryAfter(wait) => {
                tracing::debug!(?outcome, ?wait, "retrying");
                Ok(Next::RetryAfter(wait))
            }
            RetryDecision::Stop(reason) => {
                let maybe_applied = reason == StopReason::MaybeApplied;
                if maybe_applied {
                    tracing::debug!(
                        ?outcome,
                        "not retrying: the request may have been applied and has no idempotency key"
                    );
                }
                Ok(Next::Finish(self.delivery(maybe_applied)))
            }
        }
    }

    /// The last attempt's result: an answer (any status), or its error.
    fn finish(&self, sent: Sent, delivery: Delivery) -> Result<Answer, Error> {
        match sent {
            Sent::Answer(response) => Ok(Answer { response, delivery }),
            Sent::Failed(err) => Err(Error::Transport(err.with_delivery(delivery))),
            Sent::TimedOut => Err(Error::Timeout {
                phase: TimeoutPhase::Attempt,
                after: self.attempt_timeout,
                delivery,
            }),
        }
    }

    fn delivery(&self, may_have_been_applied: bool) -> Delivery {
        Delivery::shared(may_have_been_applied, self.key)
    }
}

/// What the retry rules need to know of an attempt.
fn classify(sent: &Sent, now: SystemTime) -> AttemptOutcome {
    match sent {
        Sent::Answer(response) => AttemptOutcome::Status {
            status: response.status(),
            retry_after: retry::retry_after_from_headers(response.headers(), now),
        },
        Sent::Failed(err) => retry::outcome_of_transport_error(err),
        Sent::TimedOut => AttemptOutcome::TimedOut,
    }
}

fn idempotency_value(key: &IdempotencyKey) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(key.as_str())
        .map_err(|_| Error::invalid_input("idempotency_key", "is not a valid header value"))
}

/// `start + timeout`, where a timeout too large to add (`Duration::MAX` for "no timeout") means a
/// deadline a century away rather than a panic.
fn deadline_after(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout)
        .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// The whole call's time budget: the operation timeout.
#[derive(Debug, Clone, Copy)]
struct Budget {
    started: Instant,
    deadline: Instant,
    timeout: Duration,
}

impl Budget {
    fn new(started: Instant, timeout: Duration) -> Self {
        Self {
            started,
            deadline: deadline_after(started, timeout),
            timeout,
        }
    }

    fn exceeded(&self) -> Error {
        self.exceeded_during_exchange(false)
    }

    /// The operation timed out with an attempt under way: a request that is not safe to repeat may
    /// have been applied.
    fn exceeded_during_exchange(&self, unsafe_to_repeat: bool) -> Error {
        Error::Timeout {
            phase: TimeoutPhase::Operation,
            after: self.timeout,
            delivery: Delivery::shared(unsafe_to_repeat, None),
        }
    }

    /// Runs `future` within the budget.
    async fn bound<T>(&self, future: impl Future<Output = T>) -> Result<T, Error> {
        tokio::time::timeout_at(self.deadline, future)
            .await
            .map_err(|_| self.exceeded())
    }
}
