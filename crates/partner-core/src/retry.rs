//! When to try a request again, and how long to wait first.
//!
//! The decision is the pure function [`decide`]: given the policy, what happened on the last attempt
//! and how far along we are, it says "stop" or "wait this long, then retry". It reads no clock and draws
//! no random number (the jitter is an argument), so every rule is covered by table tests.
//!
//! The rules:
//! - retried: connection failures before the request was sent, timeouts, HTTP 408, 429, 500, 502, 503
//!   and 504;
//! - a request that is not idempotent (POST, PATCH) is retried after it **may have reached the server**
//!   only when it carries an [`IdempotencyKey`], which the client sends byte for byte on every attempt;
//!   without one the client stops with [`StopReason::MaybeApplied`], and the error it returns says
//!   [`may_have_been_applied`](crate::Error::may_have_been_applied) and is not
//!   [`is_retryable`](crate::Error::is_retryable), so that no caller repeats it blindly either (any
//!   5xx counts, even one that is not retried, like 501);
//! - PUT and DELETE are idempotent by HTTP semantics (RFC 9110): they are retried like GET, and their
//!   errors never say `may_have_been_applied`;
//! - HTTP 429 is a refusal, so it is retried for every method unless the policy says otherwise;
//! - waits grow exponentially with full jitter, capped; a server's `Retry-After` replaces the computed
//!   wait, up to [`RetryPolicy::max_retry_after`];
//! - no retry starts when it would end after [`RetryPolicy::max_elapsed`].

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

use crate::error::InvalidInput;

/// How a client retries.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The base of the exponential backoff.
    pub initial_backoff: Duration,
    /// The cap on one computed backoff.
    pub max_backoff: Duration,
    /// No retry is started when it would end later than this after the first attempt began.
    pub max_elapsed: Duration,
    /// The cap on a server's `Retry-After`; a longer one ends the retries instead.
    pub max_retry_after: Duration,
    /// Whether a 429 answer to a request that is not idempotent (and has no key) is retried.
    ///
    /// A 429 says the request was refused unprocessed, so the default is `true`.
    pub retry_throttled_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
            retry_throttled_non_idempotent: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts in all (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff base and cap.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the bound on the total time spent retrying.
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Sets the cap on a server's `Retry-After`.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Sets whether a 429 to a non-idempotent request without a key is retried.
    pub fn with_retry_throttled_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_throttled_non_idempotent = retry;
        self
    }

    /// The computed backoff before retry number `retry` (1 for the first retry), for a jitter draw in
    /// `[0, 1)`: full jitter, `jitter * min(max_backoff, initial * 2^(retry-1))`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// What happened on an attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// The server answered with this status and, maybe, a `Retry-After`.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The server's `Retry-After`, parsed.
        retry_after: Option<Duration>,
    },
    /// The connection failed before the request was written: it certainly was not sent.
    NotSent,
    /// The attempt timed out; the request may have reached the server.
    TimedOut,
    /// The connection failed after the request may have been written.
    ConnectionLost,
    /// An answer arrived but was refused locally (a body over the size cap): asking again would get
    /// the same answer.
    ResponseRejected,
    /// The transport could not build the request (a URL it cannot send to): nothing was sent, and
    /// another attempt would fail the same way.
    Unsendable,
}

/// The facts [`decide`] needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryContext {
    /// Whether the method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS).
    pub idempotent: bool,
    /// Whether the request carries an idempotency key.
    pub has_idempotency_key: bool,
    /// Attempts made so far (1 after the first).
    pub attempts: u32,
    /// Time since the first attempt began.
    pub elapsed: Duration,
    /// A uniform draw in `[0, 1)` for the jitter.
    pub jitter: f64,
}

/// What [`decide`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Wait this long, then send again.
    RetryAfter(Duration),
    /// Stop and report the outcome.
    Stop(StopReason),
}

/// Why no retry follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The outcome is a success or an error retrying cannot fix.
    NotRetryable,
    /// The request is not idempotent, has no idempotency key, and may have reached the server.
    MaybeApplied,
    /// All attempts are used.
    AttemptsExhausted,
    /// Waiting would pass the elapsed-time bound.
    ElapsedExceeded,
    /// The server asked to wait longer than the policy allows.
    RetryAfterTooLong,
}

/// Whether a status is one that retrying may fix.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether an HTTP method is idempotent by definition (RFC 9110 §9.2.2).
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Classifies a transport failure.
pub fn outcome_of_transport_error(err: &crate::error::TransportError) -> AttemptOutcome {
    use crate::error::TransportErrorKind;
    match err.kind() {
        TransportErrorKind::BodyTooLarge => AttemptOutcome::ResponseRejected,
        TransportErrorKind::Request => AttemptOutcome::Unsendable,
        _ if err.is_before_send() => AttemptOutcome::NotSent,
        TransportErrorKind::Timeout => AttemptOutcome::TimedOut,
        _ => AttemptOutcome::ConnectionLost,
    }
}

/// Decides whether to retry after an attempt. Pure: same input, same answer.
pub fn decide(policy: &RetryPolicy, ctx: &RetryContext, outcome: &AttemptOutcome) -> RetryDecision {
    let safe_to_repeat = ctx.idempotent || ctx.has_idempotency_key;
    let mut server_wait = None;
    match *outcome {
        AttemptOutcome::NotSent => {}
        // An answer too large to read may be the success of a write: it was applied.
        AttemptOutcome::ResponseRejected if !safe_to_repeat => {
            return RetryDecision::Stop(StopReason::MaybeApplied);
        }
        AttemptOutcome::ResponseRejected | AttemptOutcome::Unsendable => {
            return RetryDecision::Stop(StopReason::NotRetryable);
        }
        AttemptOutcome::TimedOut | AttemptOutcome::ConnectionLost => {
            if !safe_to_repeat {
                return RetryDecision::Stop(StopReason::MaybeApplied);
            }
        }
        AttemptOutcome::Status {
            status,
            retry_after,
        } => {
            if !is_retryable_status(status) {
                // Any 5xx leaves a write's outcome unknown, even one not worth retrying (501, 507...).
                if status.is_server_error() && !safe_to_repeat {
                    return RetryDecision::Stop(StopReason::MaybeApplied);
                }
                return RetryDecision::Stop(StopReason::NotRetryable);
            }
            // A 429 is a refusal: the request was not processed, so repeating it is safe.
            let refused_unprocessed =
                status == StatusCode::TOO_MANY_REQUESTS && policy.retry_throttled_non_idempotent;
            if !(safe_to_repeat || refused_unprocessed) {
                return RetryDecision::Stop(StopReason::MaybeApplied);
            }
            server_wait = retry_after;
        }
    }
    if ctx.attempts >= policy.max_attempts {
        return RetryDecision::Stop(StopReason::AttemptsExhausted);
    }
    let wait = match server_wait {
        Some(wait) if wait > policy.max_retry_after => {
            return RetryDecision::Stop(StopReason::RetryAfterTooLong);
        }
        Some(wait) => wait,
        None => policy.backoff(ctx.attempts, ctx.jitter),
    };
    if ctx.elapsed.saturating_add(wait) > policy.max_elapsed {
        return RetryDecision::Stop(StopReason::ElapsedExceeded);
    }
    RetryDecision::RetryAfter(wait)
}

/// Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date, relative to `now`.
///
/// A date in the past means "now" (zero). Anything else is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // Some servers send fractional seconds.
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Duration::try_from_secs_f64(secs).ok();
        }
        return None;
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The `Retry-After` of a response, parsed (see [`parse_retry_after`]).
pub fn retry_after_from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now))
}

/// A validated idempotency key: 1 to 255 visible ASCII characters.
///
/// The client sends it in the provider's header (PayPal's `PayPal-Request-Id`...) on every attempt of a
/// request, so the provider applies the request at most once however often it is retried.
///
/// ```
/// use partner_core::retry::IdempotencyKey;
/// let key = IdempotencyKey::new("order-2024-0001").unwrap();
/// assert_eq!(key.as_str(), "order-2024-0001");
/// assert!(IdempotencyKey::new("").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The longest key accepted.
    pub const MAX_LEN: usize = 255;

    /// Checks and wraps a caller-supplied key.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] when the key is empty, too long or not visible ASCII.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidInput> {
        let key = key.into();
        if key.is_empty() || key.len() > Self::MAX_LEN {
            return Err(InvalidInput::new(
                "idempotency_key",
                format!("must be 1 to {} characters long", Self::MAX_LEN),
            ));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInput::new(
                "idempotency_key",
                "must be visible ASCII without spaces",
            ));
        }
        Ok(Self(key))
    }

    /// A fresh random key from the operating system's CSPRNG (a version 4 UUID in its hyphenated form).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        crate::secret::random_bytes(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdempotencyKey").field(&self.0).finish()
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn status(code: u16) -> AttemptOutcome {
        AttemptOutcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
        }
    }

    fn ctx(idempotent: bool, key: bool, attempts: u32) -> RetryContext {
        RetryContext {
            idempotent,
            has_idempotency_key: key,
            attempts,
            elapsed: Duration::ZERO,
            jitter: 0.5,
        }
    }

    #[test]
    fn decision_table() {
        let p =
            RetryPolicy::default().with_backoff(Duration::from_secs(1), Duration::from_secs(20));
        let half = |s: u64| RetryDecision::RetryAfter(Duration::from_millis(s * 500));
        use RetryDecision::Stop;
        use StopReason::*;
        #[rustfmt::skip]
        let table: Vec<(&str, RetryContext, AttemptOutcome, RetryDecision)> = vec![
            ("GET 200 is final",               ctx(true, false, 1),  status(200), Stop(NotRetryable)),
            ("GET 404 is final",               ctx(true, false, 1),  status(404), Stop(NotRetryable)),
            ("GET 400 is final",               ctx(true, false, 1),  status(400), Stop(NotRetryable)),
            ("GET 401 is final here",          ctx(true, false, 1),  status(401), Stop(NotRetryable)),
            ("GET 501 is final",               ctx(true, false, 1),  status(501), Stop(NotRetryable)),
            ("GET 408 retried",                ctx(true, false, 1),  status(408), half(1)),
            ("GET 429 retried",                ctx(true, false, 1),  status(429), half(1)),
            ("GET 500 retried",                ctx(true, false, 1),  status(500), half(1)),
            ("GET 502 retried",                ctx(true, false, 1),  status(502), half(1)),
            ("GET 503 retried",                ctx(true, false, 1),  status(503), half(1)),
            ("GET 504 retried",                ctx(true, false, 1),  status(504), half(1)),
            ("GET 503 second retry doubles",   ctx(true, false, 2),  status(503), half(2)),
            ("GET 503 third retry doubles",    ctx(true, false, 3),  status(503), half(4)),
            ("GET 503 out of attempts",        ctx(true, false, 4),  status(503), Stop(AttemptsExhausted)),
            ("GET timeout retried",            ctx(true, false, 1),  AttemptOutcome::TimedOut, half(1)),
            ("GET lost connection retried",    ctx(true, false, 1),  AttemptOutcome::ConnectionLost, half(1)),
            ("POST not sent retried",          ctx(false, false, 1), AttemptOutcome::NotSent, half(1)),
            ("POST 503 without key stops",     ctx(false, false, 1), status(503), Stop(MaybeApplied)),
            ("POST 502 without key stops",     ctx(false, false, 1), status(502), Stop(MaybeApplied)),
            ("POST timeout without key stops", ctx(false, false, 1), AttemptOutcome::TimedOut, Stop(MaybeApplied)),
            ("POST lost conn without key",     ctx(false, false, 1), AttemptOutcome::ConnectionLost, Stop(MaybeApplied)),
            ("POST 429 without key retried",   ctx(false, false, 1), status(429), half(1)),
            ("POST 503 with key retried",      ctx(false, true, 1),  status(503), half(1)),
            ("POST timeout with key retried",  ctx(false, true, 1),  AttemptOutcome::TimedOut, half(1)),
            ("POST 400 with key final",        ctx(false, true, 1),  status(400), Stop(NotRetryable)),
            ("POST not sent, out of attempts", ctx(false, false, 4), AttemptOutcome::NotSent, Stop(AttemptsExhausted)),
            ("GET oversized body is final",    ctx(true, false, 1),  AttemptOutcome::ResponseRejected, Stop(NotRetryable)),
            ("POST oversized body applied",    ctx(false, false, 1), AttemptOutcome::ResponseRejected, Stop(MaybeApplied)),
            ("POST oversized body with key",   ctx(false, true, 1),  AttemptOutcome::ResponseRejected, Stop(NotRetryable)),
            ("POST unbuildable request final", ctx(false, false, 1), AttemptOutcome::Unsendable, Stop(NotRetryable)),
            ("POST 400 without key final",     ctx(false, false, 1), status(400), Stop(NotRetryable)),
            ("POST 500 without key stops",     ctx(false, false, 1), status(500), Stop(MaybeApplied)),
            ("POST 504 without key stops",     ctx(false, false, 1), status(504), Stop(MaybeApplied)),
            ("POST 501 without key stops",     ctx(false, false, 1), status(501), Stop(MaybeApplied)),
            ("POST 507 with key final",        ctx(false, true, 1),  status(507), Stop(NotRetryable)),
            ("PUT timeout retried",            ctx(true, false, 1),  AttemptOutcome::TimedOut, half(1)),
            ("GET unbuildable request final",  ctx(true, false, 1),  AttemptOutcome::Unsendable, Stop(NotRetryable)),
        ];
        for (name, c, outcome, expected) in table {
            assert_eq!(decide(&p, &c, &outcome), expected, "{name}");
        }
    }

    #[test]
    fn throttled_writes_can_be_excluded() {
        let p = RetryPolicy::default().with_retry_throttled_non_idempotent(false);
        assert_eq!(
            decide(&p, &ctx(false, false, 1), &status(429)),
            RetryDecision::Stop(StopReason::MaybeApplied)
        );
        assert!(matches!(
            decide(&p, &ctx(false, true, 1), &status(429)),
            RetryDecision::RetryAfter(_)
        ));
    }

    #[test]
    fn retry_after_replaces_backoff_and_is_capped() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(30));
        let with = |secs| AttemptOutcome::Status {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            decide(&p, &ctx(true, false, 1), &with(7)),
            RetryDecision::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            decide(&p, &ctx(true, false, 1), &with(0)),
            RetryDecision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            decide(&p, &ctx(true, false, 1), &with(31)),
            RetryDecision::Stop(StopReason::RetryAfterTooLong)
        );
    }

    #[test]
    fn elapsed_bound_stops_retries() {
        let p = RetryPolicy::default().with_max_elapsed(Duration::from_secs(10));
        let mut c = ctx(true, false, 1);
        c.elapsed = Duration::from_secs(10);
        c.jitter = 0.1;
        assert_eq!(
            decide(&p, &c, &status(503)),
            RetryDecision::Stop(StopReason::ElapsedExceeded)
        );
        c.elapsed = Duration::from_secs(1);
        assert!(matches!(
            decide(&p, &c, &status(503)),
            RetryDecision::RetryAfter(_)
        ));
    }

    #[test]
    fn disabled_policy_never_retries() {
        let p = RetryPolicy::disabled();
        assert_eq!(
            decide(&p, &ctx(true, false, 1), &status(503)),
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        );
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let p = RetryPolicy::default().with_backoff(Duration::from_secs(1), Duration::from_secs(8));
        assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(p.backoff(10, 1.0), Duration::from_secs(8));
        assert_eq!(p.backoff(40, 1.0), Duration::from_secs(8));
        assert_eq!(p.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(3, 0.25), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_both_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn idempotency_keys() {
        assert!(IdempotencyKey::new("a".repeat(255)).is_ok());
        assert!(IdempotencyKey::new("a".repeat(256)).is_err());
        assert!(IdempotencyKey::new("has space").is_err());
        assert!(IdempotencyKey::new("ünï").is_err());
        let a = IdempotencyKey::generate();
        let b = IdempotencyKey::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 36);
        assert!(IdempotencyKey::new(a.as_str()).is_ok());
    }

    #[test]
    fn idempotent_methods() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
