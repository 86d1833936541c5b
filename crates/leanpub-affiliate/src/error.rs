//! [`ErrorDetails`]: what the service, or the API Gateway in front of it, said when it refused a
//! request, attached to the family's one [`Error`](crate::Error).
//!
//! A refusal carries an [`ErrorDetails`] (its docs say which answer becomes which variant), read with `err.provider_details::<ErrorDetails>()`:
//!
//! ```
//! use leanpub_affiliate::{Error, ErrorDetails, ServiceCode};
//!
//! fn advice(err: &Error) -> &'static str {
//!     let code = err.provider_details::<ErrorDetails>().and_then(ErrorDetails::result_code);
//!     match (err, code) {
//!         (Error::InvalidInput(_), _) => "fix the form field it names",
//!         (_, Some(ServiceCode::InvalidOrigin)) => "register this origin with the service",
//!         (Error::Authentication { .. }, _) => "check the partner id and API key",
//!         (err, _) if err.may_have_been_applied() => "check before sending again: a coupon may exist",
//!         (err, _) if err.is_retryable() => "send it again later",
//!         _ => "see the message",
//!     }
//! }
//! # let _ = advice;
//! ```

use partner_core::http::{HeaderMap, HeaderValue, StatusCode};
use partner_core::{ApiClient, ApiError, Delivery, Error, ErrorParser, Response};

use crate::response::{AWS_ERROR_TYPE, AWS_REQUEST_ID, GatewayError, ServiceCode, ServiceReply};

/// What the Leanpub partner service, or the AWS API Gateway in front of it, said when it refused a
/// request: the crate's typed reading of an error answer, attached to the [`ApiError`] of an
/// `Error::Api`, `Error::Authentication` or `Error::RateLimited`.
///
/// A refusal is read into the variant every crate uses for the same event:
///
/// | answer | error | `ApiError::code` |
/// | --- | --- | --- |
/// | result code 401, 402, 403 (partner id or API key refused) | `Error::Authentication` | `"401"`... |
/// | result codes 404 to 407, 501, and undocumented ones | `Error::Api` | `"404"`... |
/// | gateway 403 `Forbidden` (the key refused at the gateway) | `Error::Authentication` | `x-amzn-ErrorType` |
/// | gateway 429 after the retries | `Error::RateLimited` | `x-amzn-ErrorType` |
/// | other gateway answers (403 `Missing Authentication Token`, 413, 502, 504...) | `Error::Api` | `x-amzn-ErrorType` |
///
///
/// ```no_run
/// use leanpub_affiliate::{ErrorDetails, ServiceCode};
/// # async fn run(client: leanpub_affiliate::Client, body: leanpub_affiliate::DiscountRequest) {
/// if let Err(err) = client.discounts().request(body).send().await {
///     match err.provider_details::<ErrorDetails>() {
///         Some(ErrorDetails::Service(reply)) if reply.code == ServiceCode::InvalidProductId => {
///             eprintln!("no such book: {reply}")
///         }
///         Some(ErrorDetails::Gateway(gateway)) => eprintln!("the gateway answered: {gateway}"),
///         _ => eprintln!("{err}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorDetails {
    /// The service answered with a result code other than 0.
    Service(ServiceReply),
    /// The API Gateway answered with only a `message`: the request never reached the service's
    /// function, or (502, 504) its outcome is unknown.
    Gateway(GatewayError),
}

impl ErrorDetails {
    /// The service's result code, for a service answer.
    pub fn result_code(&self) -> Option<ServiceCode> {
        self.reply().map(|reply| reply.code)
    }

    /// The service's answer.
    pub fn reply(&self) -> Option<&ServiceReply> {
        match self {
            ErrorDetails::Service(reply) => Some(reply),
            ErrorDetails::Gateway(_) => None,
        }
    }

    /// The gateway's answer.
    pub fn gateway(&self) -> Option<&GatewayError> {
        match self {
            ErrorDetails::Gateway(gateway) => Some(gateway),
            ErrorDetails::Service(_) => None,
        }
    }

    /// The `x-amzn-RequestId` response header. (`Error::request_id` is the service's `requestId`
    /// when it sent one, else this.)
    pub fn aws_request_id(&self) -> Option<&str> {
        match self {
            ErrorDetails::Service(reply) => reply.aws_request_id.as_deref(),
            ErrorDetails::Gateway(gateway) => gateway.aws_request_id.as_deref(),
        }
    }

    /// Reads an answer in either shape: an integer `code` is the service's, a lone `message` the
    /// gateway's.
    fn read(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Option<Self> {
        let serde_json::Value::Object(map) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let text = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        if let Some(code) = map.get("code").filter(|code| !code.is_null()) {
            return Some(ErrorDetails::Service(ServiceReply {
                code: ServiceCode::from_code(code.as_i64()?),
                message: text("message"),
                request_id: text("requestId"),
                aws_request_id: header(AWS_REQUEST_ID),
                http_status: status,
            }));
        }
        Some(ErrorDetails::Gateway(GatewayError {
            status,
            message: text("message")?,
            error_type: header(AWS_ERROR_TYPE),
            aws_request_id: header(AWS_REQUEST_ID),
        }))
    }
}

/// Reads error answers into [`ErrorDetails`] for the client's core, so that a raw request's errors
/// carry them too.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LeanpubErrorParser;

impl ErrorParser for LeanpubErrorParser {
    fn parse(&self, headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Some(details) = ErrorDetails::read(error.status, headers, body) else {
            return;
        };
        match &details {
            ErrorDetails::Service(reply) => {
                error.code = Some(reply.code.code().to_string());
                error.message.clone_from(&reply.message);
                if reply.request_id.is_some() {
                    error.request_id.clone_from(&reply.request_id);
                }
            }
            ErrorDetails::Gateway(gateway) => {
                error.code.clone_from(&gateway.error_type);
                error.message = Some(gateway.message.clone());
            }
        }
        let plain = std::mem::replace(error, ApiError::new(StatusCode::OK, String::new()));
        *error = plain.with_provider_details(details);
    }
}

/// The error for an answer that is not an acknowledgement (whatever its status), in the variant the
/// family uses for the same event.
pub(crate) fn refusal(api: &ApiClient, response: &Response) -> Error {
    let error = if response.status.is_success() {
        // The core scrubs only error statuses; a refusal in a 2xx may quote the key all the same.
        api.error_for(&scrubbed(api, response))
    } else {
        api.error_for(response)
    };
    classify(error)
}

/// What the core made of the answer, moved to the variant its details call for.
fn classify(error: Error) -> Error {
    let (credentials, delivery) = match error.provider_details::<ErrorDetails>() {
        Some(ErrorDetails::Service(reply)) => (
            reply.code.refuses_credentials(),
            // A result code is the service's definite answer, whatever the HTTP status around it;
            // only a code it does not document leaves the outcome open.
            Some(Delivery::new(reply.code.leaves_outcome_unknown(), None)),
        ),
        Some(ErrorDetails::Gateway(gateway)) => (gateway.refuses_the_key(), None),
        None => return error,
    };
    // A 401 stays an authentication failure, whatever the body says.
    let credentials = credentials || matches!(error, Error::Authentication { .. });
    let api = match error {
        Error::Api(api) | Error::RateLimited { api, .. } if credentials || delivery.is_some() => {
            *api
        }
        Error::Authentication { api: Some(api), .. } => *api,
        other => return other,
    };
    let api = match delivery {
        Some(delivery) => api.with_delivery(delivery),
        None => api,
    };
    if credentials {
        let message = match api.provider_details::<ErrorDetails>() {
            Some(ErrorDetails::Service(reply)) => reply.to_string(),
            Some(ErrorDetails::Gateway(gateway)) => gateway.to_string(),
            None => api.to_string(),
        };
        Error::Authentication {
            message,
            api: Some(Box::new(api)),
            source: None,
        }
    } else {
        Error::from(api)
    }
}

/// `response` with the client's secrets scrubbed out of its body and headers.
fn scrubbed(api: &ApiClient, response: &Response) -> Response {
    let scrubber = api.scrubber();
    let mut clean = response.clone();
    let body = String::from_utf8_lossy(&response.body);
    clean.body = scrubber.scrub(&body).into_owned().into();
    for value in clean.headers.values_mut() {
        if let Ok(text) = value.to_str()
            && let Ok(scrubbed) = HeaderValue::from_str(&scrubber.scrub(text))
        {
            *value = scrubbed;
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(status: u16, headers: &[(&'static str, &str)], body: &str) -> ApiError {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        let status = StatusCode::from_u16(status).unwrap();
        let mut error = ApiError::new(status, body);
        error.request_id = Some("aws-1".into());
        LeanpubErrorParser.parse(&map, body.as_bytes(), &mut error);
        error
    }

    #[test]
    fn a_service_answer_gives_its_code_message_request_id_and_reply() {
        let error = parsed(
            404,
            &[("x-amzn-requestid", "aws-1")],
            r#"{"code": 404, "message": "nope", "requestId": "req-1"}"#,
        );
        assert_eq!(error.code.as_deref(), Some("404"));
        assert_eq!(error.message.as_deref(), Some("nope"));
        assert_eq!(error.request_id.as_deref(), Some("req-1"));
        let details = error.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(details.result_code(), Some(ServiceCode::InvalidOrigin));
        assert_eq!(details.aws_request_id(), Some("aws-1"));
        assert_eq!(details.reply().unwrap().http_status, StatusCode::NOT_FOUND);
        assert!(details.gateway().is_none());
    }

    #[test]
    fn a_gateway_answer_gives_its_type_and_message() {
        let error = parsed(
            403,
            &[("x-amzn-errortype", "ForbiddenException")],
            r#"{"message": "Forbidden"}"#,
        );
        assert_eq!(error.code.as_deref(), Some("ForbiddenException"));
        assert_eq!(error.message.as_deref(), Some("Forbidden"));
        assert_eq!(error.request_id.as_deref(), Some("aws-1"));
        let details = error.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(details.gateway().unwrap().message, "Forbidden");
        assert_eq!(details.result_code(), None);
    }

    #[test]
    fn other_bodies_get_no_details() {
        for body in ["<html>", "[]", r#"{"code": "zero"}"#, r#"{"other": 1}"#, ""] {
            let error = parsed(500, &[], body);
            assert!(error.provider_details::<ErrorDetails>().is_none(), "{body}");
            assert_eq!(error.code, None, "{body}");
        }
    }

    fn service_error(code: i64, status: StatusCode, applied: bool) -> Error {
        let body = format!(r#"{{"code": {code}, "message": "m"}}"#);
        let mut api =
            ApiError::new(status, body.clone()).with_delivery(Delivery::new(applied, None));
        LeanpubErrorParser.parse(&HeaderMap::new(), body.as_bytes(), &mut api);
        Error::from(api)
    }

    #[test]
    fn credential_codes_are_authentication_failures_and_others_api_errors() {
        for (code, credentials) in [
            (401, true),
            (402, true),
            (403, true),
            (404, false),
            (405, false),
            (406, false),
            (407, false),
            (501, false),
            (777, false),
        ] {
            // Whatever the core thought of the status (a 501 "may have been applied"), the code
            // decides: only an undocumented one leaves the outcome open.
            let err = classify(service_error(code, StatusCode::NOT_IMPLEMENTED, true));
            assert_eq!(
                matches!(err, Error::Authentication { .. }),
                credentials,
                "{code}: {err:?}"
            );
            assert_eq!(
                matches!(err, Error::Api(_)),
                !credentials,
                "{code}: {err:?}"
            );
            assert_eq!(err.may_have_been_applied(), code == 777, "{code}");
            let details = err.provider_details::<ErrorDetails>().unwrap();
            assert_eq!(details.result_code().map(ServiceCode::code), Some(code));
            assert_eq!(err.api_error().unwrap().code, Some(code.to_string()));
            assert!(err.to_string().contains(&code.to_string()), "{err}");
        }
    }
}
