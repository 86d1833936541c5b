//! The crate's error: one variant per documented service code, one for API Gateway errors, one for
//! input refused before sending, and the shared runtime's error for everything below HTTP.
//!
//! ```
//! use leanpub_affiliate::Error;
//!
//! fn advice(err: &Error) -> &'static str {
//!     match err {
//!         Error::InvalidInput(_) => "fix the form field it names",
//!         Error::InvalidOrigin(_) => "register this origin with the service",
//!         Error::Gateway(gateway) if gateway.is_throttled() => "slow down",
//!         err if err.may_have_been_applied() => "check before sending again: a coupon may exist",
//!         _ => "see the message",
//!     }
//! }
//! # let _ = advice;
//! ```

use partner_core::http::StatusCode;
use partner_core::{InvalidInput, TransportErrorKind};

use crate::response::{GatewayError, ServiceCode, ServiceReply};

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a discount request.
///
/// No variant ever holds the API key.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused before anything was sent; [`InvalidInput::field`] names the field by its
    /// JSON name (`recipient.email`...).
    #[error(transparent)]
    InvalidInput(InvalidInput),

    /// Code 401: the partner id is not valid.
    #[error("{0}")]
    InvalidPartnerId(ServiceReply),
    /// Code 402: the partner id is missing.
    #[error("{0}")]
    MissingPartnerId(ServiceReply),
    /// Code 403 from the service: the API key is not valid. (A 403 with only a `message` comes from the
    /// gateway and is a [`Error::Gateway`].)
    #[error("{0}")]
    InvalidApiKey(ServiceReply),
    /// Code 404: the origin is not one of the partner's valid origins.
    #[error("{0}")]
    InvalidOrigin(ServiceReply),
    /// Code 405: the product id is not valid.
    #[error("{0}")]
    InvalidProductId(ServiceReply),
    /// Code 406: the recipient is not valid.
    #[error("{0}")]
    InvalidRecipient(ServiceReply),
    /// Code 407: permission denied (for example, production asked by an account not cleared for it).
    #[error("{0}")]
    PermissionDenied(ServiceReply),
    /// Code 501: the service failed to schedule the job.
    #[error("{0}")]
    SchedulingFailed(ServiceReply),
    /// A code the service's documentation does not list, kept in [`ServiceReply::code`].
    #[error("{0}")]
    UnknownCode(ServiceReply),

    /// The API Gateway in front of the service answered with only a `message` (403 "Missing
    /// Authentication Token", 429 "Too Many Requests", 502, 504...).
    #[error(transparent)]
    Gateway(GatewayError),

    /// A failure of the shared runtime: transport, timeout, an unreadable response, an unexpected HTTP
    /// answer that is neither the service's nor the gateway's shape.
    #[error(transparent)]
    Core(partner_core::Error),
}

impl From<InvalidInput> for Error {
    fn from(value: InvalidInput) -> Self {
        Error::InvalidInput(value)
    }
}

impl From<partner_core::Error> for Error {
    fn from(value: partner_core::Error) -> Self {
        // One place for refused input, whichever layer refused it.
        match value {
            partner_core::Error::InvalidInput(input) => Error::InvalidInput(input),
            other => Error::Core(other),
        }
    }
}

impl Error {
    pub(crate) fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput(InvalidInput::new(field, reason))
    }

    pub(crate) fn from_reply(reply: ServiceReply) -> Self {
        match reply.code {
            ServiceCode::InvalidPartnerId => Error::InvalidPartnerId(reply),
            ServiceCode::MissingPartnerId => Error::MissingPartnerId(reply),
            ServiceCode::InvalidApiKey => Error::InvalidApiKey(reply),
            ServiceCode::InvalidOrigin => Error::InvalidOrigin(reply),
            ServiceCode::InvalidProductId => Error::InvalidProductId(reply),
            ServiceCode::InvalidRecipient => Error::InvalidRecipient(reply),
            ServiceCode::PermissionDenied => Error::PermissionDenied(reply),
            ServiceCode::SchedulingFailed => Error::SchedulingFailed(reply),
            ServiceCode::Acknowledged | ServiceCode::Unknown(_) => Error::UnknownCode(reply),
        }
    }

    /// The service's answer, for the service-code variants.
    pub fn service_reply(&self) -> Option<&ServiceReply> {
        match self {
            Error::InvalidPartnerId(reply)
            | Error::MissingPartnerId(reply)
            | Error::InvalidApiKey(reply)
            | Error::InvalidOrigin(reply)
            | Error::InvalidProductId(reply)
            | Error::InvalidRecipient(reply)
            | Error::PermissionDenied(reply)
            | Error::SchedulingFailed(reply)
            | Error::UnknownCode(reply) => Some(reply),
            Error::InvalidInput(_) | Error::Gateway(_) | Error::Core(_) => None,
        }
    }

    /// The service's code, for the service-code variants.
    pub fn service_code(&self) -> Option<ServiceCode> {
        self.service_reply().map(|reply| reply.code)
    }

    /// The gateway's answer, for [`Error::Gateway`].
    pub fn gateway(&self) -> Option<&GatewayError> {
        match self {
            Error::Gateway(gateway) => Some(gateway),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<StatusCode> {
        match self {
            Error::Gateway(gateway) => Some(gateway.status),
            Error::Core(core) => core.status(),
            other => other.service_reply().map(|reply| reply.http_status),
        }
    }

    /// The service's `requestId`, or else the `x-amzn-RequestId` header: the id to quote to support.
    pub fn request_id(&self) -> Option<&str> {
        self.service_reply()
            .and_then(|reply| reply.request_id.as_deref())
            .or_else(|| self.aws_request_id())
    }

    /// The `x-amzn-RequestId` response header, when there was an answer that carried it.
    pub fn aws_request_id(&self) -> Option<&str> {
        match self {
            Error::Gateway(gateway) => gateway.aws_request_id.as_deref(),
            Error::Core(core) => core.request_id(),
            other => other
                .service_reply()
                .and_then(|reply| reply.aws_request_id.as_deref()),
        }
    }

    /// Whether the request may have been applied (a coupon scheduled) even though this is an error:
    /// [`partner_core::Error::may_have_been_applied`] for the runtime's errors, and the same question
    /// asked of this crate's own answers.
    ///
    /// True after a timeout, a connection lost after sending, a 5xx (from the gateway, the service's
    /// function may have run, or may still be running, when the gateway gave up), an unreadable answer
    /// and an undocumented code. Before sending such a request again, find out whether the recipient
    /// got a coupon: this crate never does it for you.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::InvalidInput(_) => false,
            Error::UnknownCode(_) => true,
            Error::Gateway(gateway) => gateway.status.is_server_error(),
            Error::Core(core) => core.may_have_been_applied(),
            // The service answered with a definite refusal.
            _ => false,
        }
    }

    /// Whether sending the same request again cannot create a second coupon and may succeed: the
    /// gateway or the service refused it for now (HTTP 429, code 501), or it was never sent (a
    /// failed connection).
    ///
    /// The client already retries throttling and failed connections by itself; this is `true` on an
    /// error only once those retries are used up.
    pub fn is_safe_to_retry(&self) -> bool {
        match self {
            Error::Gateway(gateway) => gateway.is_throttled(),
            Error::SchedulingFailed(_) => true,
            Error::Core(partner_core::Error::Transport(transport)) => transport.is_before_send(),
            Error::Core(partner_core::Error::RateLimited { .. }) => true,
            _ => false,
        }
    }

    /// Whether an attempt timed out (the request may have been processed).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Core(partner_core::Error::Timeout { .. }) => true,
            Error::Core(partner_core::Error::Transport(transport)) => {
                transport.kind() == TransportErrorKind::Timeout
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: i64) -> ServiceReply {
        ServiceReply {
            code: ServiceCode::from_code(code),
            message: Some("nope".into()),
            request_id: Some("req-1".into()),
            aws_request_id: Some("aws-1".into()),
            http_status: StatusCode::OK,
        }
    }

    type IsVariant = fn(&Error) -> bool;

    #[test]
    fn each_code_has_its_variant() {
        let cases: [(i64, IsVariant); 9] = [
            (401, |e| matches!(e, Error::InvalidPartnerId(_))),
            (402, |e| matches!(e, Error::MissingPartnerId(_))),
            (403, |e| matches!(e, Error::InvalidApiKey(_))),
            (404, |e| matches!(e, Error::InvalidOrigin(_))),
            (405, |e| matches!(e, Error::InvalidProductId(_))),
            (406, |e| matches!(e, Error::InvalidRecipient(_))),
            (407, |e| matches!(e, Error::PermissionDenied(_))),
            (501, |e| matches!(e, Error::SchedulingFailed(_))),
            (42, |e| matches!(e, Error::UnknownCode(_))),
        ];
        for (code, is_variant) in cases {
            let err = Error::from_reply(reply(code));
            assert!(is_variant(&err), "{code}: {err:?}");
            assert_eq!(err.service_code().map(ServiceCode::code), Some(code));
            assert_eq!(err.request_id(), Some("req-1"));
            assert_eq!(err.aws_request_id(), Some("aws-1"));
        }
    }

    #[test]
    fn display_names_code_message_and_ids() {
        let err = Error::from_reply(reply(404));
        assert_eq!(
            err.to_string(),
            "the Leanpub partner service answered code 404 (invalid origin): nope \
             (request id req-1, x-amzn-RequestId aws-1)"
        );
    }

    #[test]
    fn core_invalid_input_is_lifted() {
        let err = Error::from(partner_core::Error::invalid_input("x-api-key", "bad"));
        assert!(matches!(err, Error::InvalidInput(ref i) if i.field == "x-api-key"));
        assert!(!err.may_have_been_applied());
        assert!(!err.is_safe_to_retry());
    }

    #[test]
    fn the_runtime_says_whether_a_timeout_may_have_been_applied() {
        use partner_core::{Delivery, TimeoutPhase};
        for applied in [true, false] {
            let err = Error::from(partner_core::Error::Timeout {
                phase: TimeoutPhase::Attempt,
                after: std::time::Duration::from_secs(1),
                delivery: Delivery::new(applied, None),
            });
            assert!(err.is_timeout());
            assert_eq!(err.may_have_been_applied(), applied);
            assert!(!err.is_safe_to_retry());
        }
    }

    #[test]
    fn error_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + std::error::Error + 'static>() {}
        assert_traits::<Error>();
    }
}
