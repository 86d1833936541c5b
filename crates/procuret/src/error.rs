//! Procuret's error answers: the `{"error-information": …, "response-code": …}` body and what each
//! status means.
//!
//! Every call returns [`partner_core::Error`]. An error answer becomes
//! [`Error::Api`] (or `Authentication` for 401, `RateLimited` for 429) whose
//! [`ApiError`] carries Procuret's `error-information` as `message` and its `response-code` as `code`,
//! and [`ErrorDetails`] (read with `err.provider_details::<ErrorDetails>()`) says the same with what
//! the status means in Procuret's terms ([`StatusMeaning`]). A 404 is an error like any other
//! ([`Error::is_not_found`]), never a silent `None` as in the Python library.
//!
//! ```no_run
//! # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
//! use procuret::{ErrorDetails, StatusMeaning};
//! match client.entities().get(589121125121).send().await {
//!     Err(err) => match err.provider_details::<ErrorDetails>() {
//!         Some(details) if details.meaning == StatusMeaning::SubscriptionProblem => {
//!             eprintln!("renew the subscription: {:?}", details.information);
//!         }
//!         _ => return Err(err),
//!     },
//!     Ok(entity) => println!("{:?}", entity.legal_entity_name),
//! }
//! # Ok(()) }
//! ```

use partner_core::http::{HeaderMap, StatusCode};
use partner_core::{ApiError, Error, ErrorParser};
use serde::Deserialize;

/// Reads Procuret's error body into the core's [`ApiError`], with [`ErrorDetails`] attached.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcuretErrorParser;

/// What Procuret said about an error answer: `err.provider_details::<ErrorDetails>()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// Procuret's `error-information`: what went wrong, in its words (also the error's message).
    pub information: Option<String>,
    /// Procuret's `response-code`, as text (also the error's code).
    pub response_code: Option<String>,
    /// What the status means at Procuret.
    pub meaning: StatusMeaning,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "error-information", default)]
    information: Option<serde_json::Value>,
    #[serde(rename = "response-code", default)]
    response_code: Option<serde_json::Value>,
}

fn text(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl ErrorParser for ProcuretErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        // Only an object: serde would also read a struct from a JSON array.
        if let Ok(value @ serde_json::Value::Object(_)) = serde_json::from_slice(body)
            && let Ok(parsed) = serde_json::from_value::<ErrorBody>(value)
        {
            error.message = text(parsed.information);
            error.code = text(parsed.response_code);
        }
        let details = ErrorDetails {
            information: error.message.clone(),
            response_code: error.code.clone(),
            meaning: StatusMeaning::from_status(error.status),
        };
        let placeholder = ApiError::new(error.status, "");
        *error = std::mem::replace(error, placeholder).with_provider_details(details);
    }
}

/// What an error status means at Procuret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusMeaning {
    /// 400: the request was malformed.
    BadRequest,
    /// 401: not authenticated, usually an expired or revoked session.
    NotAuthenticated,
    /// 402: a problem with the account's subscription.
    SubscriptionProblem,
    /// 403: authenticated but not allowed (wrong perspective or entity).
    NotAuthorised,
    /// 404: no such resource.
    NotFound,
    /// 413: the request was too large.
    TooLarge,
    /// 422: well-formed but refused (a validation failure).
    Unprocessable,
    /// 429: rate limited.
    RateLimited,
    /// 500: Procuret failed.
    ServerError,
    /// 502, 503, 504: a service disruption; try again later.
    Disruption,
    /// Any other status.
    Other(u16),
}

impl StatusMeaning {
    /// The meaning of `status`.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::NotAuthenticated,
            402 => Self::SubscriptionProblem,
            403 => Self::NotAuthorised,
            404 => Self::NotFound,
            413 => Self::TooLarge,
            422 => Self::Unprocessable,
            429 => Self::RateLimited,
            500 => Self::ServerError,
            502..=504 => Self::Disruption,
            other => Self::Other(other),
        }
    }

    /// The meaning of the status of `error`, when Procuret answered.
    pub fn of(error: &Error) -> Option<Self> {
        error.status().map(Self::from_status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_error_body() {
        let body = br#"{"error-information":"Subscription lapsed","response-code":402,"x":1}"#;
        let mut api = ApiError::new(StatusCode::PAYMENT_REQUIRED, "");
        ProcuretErrorParser.parse(&HeaderMap::new(), body, &mut api);
        assert_eq!(api.message.as_deref(), Some("Subscription lapsed"));
        assert_eq!(api.code.as_deref(), Some("402"));
        let err = Error::from(api);
        let details = err.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(details.information.as_deref(), Some("Subscription lapsed"));
        assert_eq!(details.response_code.as_deref(), Some("402"));
        assert_eq!(details.meaning, StatusMeaning::SubscriptionProblem);
    }

    #[test]
    fn tolerates_other_bodies() {
        let mut api = ApiError::new(StatusCode::BAD_GATEWAY, "");
        ProcuretErrorParser.parse(&HeaderMap::new(), b"<html>bad gateway</html>", &mut api);
        assert!(api.message.is_none() && api.code.is_none());
        ProcuretErrorParser.parse(&HeaderMap::new(), b"[1,2]", &mut api);
        assert!(api.message.is_none());
        let details = api.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(details.meaning, StatusMeaning::Disruption);
        assert!(details.information.is_none());
    }

    #[test]
    fn meanings() {
        let m = |s: u16| StatusMeaning::from_status(StatusCode::from_u16(s).unwrap());
        assert_eq!(m(402), StatusMeaning::SubscriptionProblem);
        assert_eq!(m(503), StatusMeaning::Disruption);
        assert_eq!(m(418), StatusMeaning::Other(418));
        let err = Error::from(ApiError::new(StatusCode::NOT_FOUND, ""));
        assert_eq!(StatusMeaning::of(&err), Some(StatusMeaning::NotFound));
        assert_eq!(StatusMeaning::of(&Error::invalid_input("x", "y")), None);
    }
}
