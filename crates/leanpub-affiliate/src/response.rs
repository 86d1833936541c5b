//! What the service answers: an [`Acknowledgement`] for code 0, a [`ServiceReply`] for every other
//! code, or a [`GatewayError`] when the API Gateway in front of the service answered instead (the
//! two refusals reach the caller as [`ErrorDetails`](crate::ErrorDetails) of an [`Error`]).
//!
//! The service's body is `{"code": int, "message": str, "requestId": str}` (research §2.2), and it is
//! not documented whether the HTTP status mirrors the code, so the body is read whatever the status:
//! an integer `code` means the service answered; a body with only a `message` and an error status
//! comes from the AWS API Gateway in front of it (research §2.3).

use std::fmt;

use partner_core::http::StatusCode;
use partner_core::{ApiClient, Error, Response};
use serde::Deserialize;

use crate::error::refusal;

/// The response header with the AWS request id of the exchange.
pub(crate) const AWS_REQUEST_ID: &str = "x-amzn-requestid";
/// The response header the API Gateway adds to its own errors (`MissingAuthenticationTokenException`...).
pub(crate) const AWS_ERROR_TYPE: &str = "x-amzn-errortype";

/// The service's result code (research §2.2).
///
/// Converts from and to the integer on the wire; a code this crate does not know is kept in
/// [`ServiceCode::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceCode {
    /// 0: the request was accepted for asynchronous processing (see [`Acknowledgement`]).
    Acknowledged,
    /// 401: the partner id is not valid.
    InvalidPartnerId,
    /// 402: the partner id is missing.
    MissingPartnerId,
    /// 403: the API key is not valid.
    InvalidApiKey,
    /// 404: the origin is not one of the partner's valid origins.
    InvalidOrigin,
    /// 405: the product id is not valid.
    InvalidProductId,
    /// 406: the recipient is not valid.
    InvalidRecipient,
    /// 407: permission denied (for example, production requested by an account that is not
    /// production-ready).
    PermissionDenied,
    /// 501: the service failed to schedule the job.
    SchedulingFailed,
    /// A code the service's documentation does not list.
    Unknown(i64),
}

impl ServiceCode {
    /// The code for a wire value.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Acknowledged,
            401 => Self::InvalidPartnerId,
            402 => Self::MissingPartnerId,
            403 => Self::InvalidApiKey,
            404 => Self::InvalidOrigin,
            405 => Self::InvalidProductId,
            406 => Self::InvalidRecipient,
            407 => Self::PermissionDenied,
            501 => Self::SchedulingFailed,
            other => Self::Unknown(other),
        }
    }

    /// The wire value.
    pub fn code(self) -> i64 {
        match self {
            Self::Acknowledged => 0,
            Self::InvalidPartnerId => 401,
            Self::MissingPartnerId => 402,
            Self::InvalidApiKey => 403,
            Self::InvalidOrigin => 404,
            Self::InvalidProductId => 405,
            Self::InvalidRecipient => 406,
            Self::PermissionDenied => 407,
            Self::SchedulingFailed => 501,
            Self::Unknown(code) => code,
        }
    }

    /// Whether the service refused the partner's credentials (401, 402, 403): reported as an
    /// `Error::Authentication`, as every crate of the family reports a refused credential.
    pub fn refuses_credentials(self) -> bool {
        matches!(
            self,
            Self::InvalidPartnerId | Self::MissingPartnerId | Self::InvalidApiKey
        )
    }

    /// Whether the request may have been applied despite this code: only for a code the
    /// documentation does not list (every documented code other than 0 is a definite refusal, and
    /// after a 501 the request may be sent again later).
    pub fn leaves_outcome_unknown(self) -> bool {
        matches!(self, Self::Unknown(_))
    }

    /// What the code means, in the service's documentation's words.
    pub fn description(self) -> &'static str {
        match self {
            Self::Acknowledged => "OK (acknowledged, not yet delivered)",
            Self::InvalidPartnerId => "invalid partner ID",
            Self::MissingPartnerId => "missing partner ID",
            Self::InvalidApiKey => "invalid API key",
            Self::InvalidOrigin => "invalid origin",
            Self::InvalidProductId => "invalid product ID",
            Self::InvalidRecipient => "invalid recipient(s)",
            Self::PermissionDenied => "permission denied",
            Self::SchedulingFailed => "failed to schedule job",
            Self::Unknown(_) => "undocumented code",
        }
    }
}

impl From<i64> for ServiceCode {
    fn from(code: i64) -> Self {
        Self::from_code(code)
    }
}

impl From<ServiceCode> for i64 {
    fn from(code: ServiceCode) -> Self {
        code.code()
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.description())
    }
}

/// The service acknowledged the request (code 0).
///
/// **This is not a delivery receipt.** The service only schedules the coupon job, asynchronously: no
/// coupon and no email is confirmed by it, and the service offers no way to ask later. In the
/// sandbox ([`sandbox_mode`](Self::sandbox_mode)) no coupon is created at all and the email goes to
/// the service's predefined address. Keep [`request_id`](Self::request_id) and [`aws_request_id`](Self::aws_request_id) for
/// support questions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Acknowledgement {
    /// The service's `message`.
    pub message: Option<String>,
    /// The service's `requestId`.
    pub request_id: Option<String>,
    /// The `x-amzn-RequestId` response header (whether it equals `requestId` is not documented).
    pub aws_request_id: Option<String>,
    /// The HTTP status it came with.
    pub http_status: StatusCode,
    /// Whether the request was sent with `"sandboxMode": true` (every
    /// [`Environment`](crate::Environment) but `Production`).
    pub sandbox_mode: bool,
}

/// A service answer with a code other than 0, carried by the error as
/// [`ErrorDetails::Service`](crate::ErrorDetails::Service).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceReply {
    /// The code.
    pub code: ServiceCode,
    /// The service's `message`.
    pub message: Option<String>,
    /// The service's `requestId`.
    pub request_id: Option<String>,
    /// The `x-amzn-RequestId` response header.
    pub aws_request_id: Option<String>,
    /// The HTTP status it came with (not documented to mirror the code).
    pub http_status: StatusCode,
}

impl fmt::Display for ServiceReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the Leanpub partner service answered code {}", self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        fmt_ids(
            f,
            self.request_id.as_deref(),
            self.aws_request_id.as_deref(),
        )
    }
}

/// An error from the AWS API Gateway in front of the service: a body with only `{"message"}`.
///
/// Examples (research §2.3): 403 `Missing Authentication Token` (wrong path or method), 403
/// `Forbidden` (API key refused at the gateway), 429 `Too Many Requests` or `Limit Exceeded`, 413,
/// 502 `Internal server error` (the service's function failed), 504 `Endpoint request timed out`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GatewayError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The gateway's `message`.
    pub message: String,
    /// The `x-amzn-ErrorType` header (`MissingAuthenticationTokenException`, `ForbiddenException`...).
    pub error_type: Option<String>,
    /// The `x-amzn-RequestId` header.
    pub aws_request_id: Option<String>,
}

impl GatewayError {
    /// Whether the gateway throttled the request (HTTP 429: rate or quota), which means it did not
    /// reach the service.
    pub fn is_throttled(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }

    /// Whether the gateway refused the API key (a 403 other than "Missing Authentication Token"):
    /// reported as an `Error::Authentication`.
    pub fn refuses_the_key(&self) -> bool {
        self.status == StatusCode::FORBIDDEN && !self.is_missing_authentication_token()
    }

    /// Whether this is the gateway's answer to an unknown path or method ("Missing Authentication
    /// Token"): usually a wrong base URL.
    pub fn is_missing_authentication_token(&self) -> bool {
        self.error_type
            .as_deref()
            .is_some_and(|t| t.starts_with("MissingAuthenticationTokenException"))
            || self.message == "Missing Authentication Token"
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the API gateway in front of the Leanpub partner service answered HTTP {}: {}",
            self.status.as_u16(),
            self.message
        )?;
        if let Some(error_type) = &self.error_type {
            write!(f, " [{error_type}]")?;
        }
        fmt_ids(f, None, self.aws_request_id.as_deref())
    }
}

impl std::error::Error for GatewayError {}

fn fmt_ids(
    f: &mut fmt::Formatter<'_>,
    request_id: Option<&str>,
    aws_request_id: Option<&str>,
) -> fmt::Result {
    match (request_id, aws_request_id) {
        (Some(id), Some(aws)) if id == aws => write!(f, " (request id {id})"),
        (Some(id), Some(aws)) => write!(f, " (request id {id}, x-amzn-RequestId {aws})"),
        (Some(id), None) => write!(f, " (request id {id})"),
        (None, Some(aws)) => write!(f, " (x-amzn-RequestId {aws})"),
        (None, None) => Ok(()),
    }
}

/// The service's body.
#[derive(Debug, Deserialize)]
struct ServiceBody {
    code: i64,
    #[serde(default)]
    message: Option<String>,
    #[serde(rename = "requestId", default)]
    request_id: Option<String>,
}

/// Reads a response, whatever its status, into an acknowledgement or an error.
pub(crate) fn interpret(
    api: &ApiClient,
    response: &Response,
    sandbox_mode: bool,
) -> Result<Acknowledgement, Error> {
    let has_code = match serde_json::from_slice::<serde_json::Value>(&response.body) {
        Ok(serde_json::Value::Object(map)) => map.get("code").is_some_and(|code| !code.is_null()),
        _ => false,
    };
    if !(has_code || response.status.is_success()) {
        // The gateway's answer, or neither shape (an HTML page from a proxy, an empty 5xx).
        return Err(refusal(api, response));
    }
    // A service answer; on a 2xx without a `code` this fails with a decode error naming it, because
    // anything but an explicit code 0 must not pass for an acknowledgement.
    let body: ServiceBody = response.json()?;
    if ServiceCode::from_code(body.code) != ServiceCode::Acknowledged {
        return Err(refusal(api, response));
    }
    Ok(Acknowledgement {
        message: body.message,
        request_id: body.request_id,
        aws_request_id: response.header(AWS_REQUEST_ID).map(str::to_owned),
        http_status: response.status,
        sandbox_mode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in [0, 401, 402, 403, 404, 405, 406, 407, 501, 999, -1, 200] {
            assert_eq!(ServiceCode::from_code(code).code(), code);
            assert_eq!(i64::from(ServiceCode::from(code)), code);
        }
        assert_eq!(ServiceCode::from_code(999), ServiceCode::Unknown(999));
        assert_eq!(ServiceCode::from_code(404), ServiceCode::InvalidOrigin);
        assert_eq!(
            ServiceCode::InvalidOrigin.to_string(),
            "404 (invalid origin)"
        );
    }

    #[test]
    fn reply_display_names_code_message_and_ids() {
        let reply = ServiceReply {
            code: ServiceCode::InvalidOrigin,
            message: Some("nope".into()),
            request_id: Some("req-1".into()),
            aws_request_id: Some("aws-1".into()),
            http_status: StatusCode::OK,
        };
        assert_eq!(
            reply.to_string(),
            "the Leanpub partner service answered code 404 (invalid origin): nope \
             (request id req-1, x-amzn-RequestId aws-1)"
        );
    }

    #[test]
    fn only_credential_codes_refuse_credentials_and_only_unknown_ones_leave_the_outcome_open() {
        for code in [0, 401, 402, 403, 404, 405, 406, 407, 501, 999] {
            let code = ServiceCode::from_code(code);
            assert_eq!(
                code.refuses_credentials(),
                matches!(code.code(), 401..=403),
                "{code}"
            );
            assert_eq!(code.leaves_outcome_unknown(), code.code() == 999, "{code}");
        }
    }

    #[test]
    fn gateway_helpers() {
        let gateway = GatewayError {
            status: StatusCode::FORBIDDEN,
            message: "Missing Authentication Token".into(),
            error_type: None,
            aws_request_id: Some("aws-1".into()),
        };
        assert!(gateway.is_missing_authentication_token());
        assert!(!gateway.refuses_the_key());
        assert!(!gateway.is_throttled());
        let forbidden = GatewayError {
            message: "Forbidden".into(),
            ..gateway.clone()
        };
        assert!(forbidden.refuses_the_key());
        assert_eq!(
            gateway.to_string(),
            "the API gateway in front of the Leanpub partner service answered HTTP 403: \
             Missing Authentication Token (x-amzn-RequestId aws-1)"
        );
    }
}
