//! Pax8's error bodies, read into the core's [`ApiError`].
//!
//! Pax8 answers errors in two shapes:
//! - `{"type":"NOT_FOUND","message":"…","instance":"/public/v1/companies/<id>","status":404,
//!   "details":[{"type"?,"status"?,"message","instance"?}]}` (most endpoints, and the webhooks API);
//! - `{"errors":["…"]}` (observed on some subscription updates);
//!
//! and the token endpoint answers `{"error":"access_denied","error_description":"Unauthorized"}`.
//! [`Pax8ErrorParser`] fills [`ApiError::code`] (the `type` or `error`), [`ApiError::message`] and
//! [`ApiError::details`] from any of them; the raw body is always kept in [`ApiError::raw_body`]. For
//! typed access, [`ErrorBody::from_api_error`] parses the raw body again.

use partner_core::http::HeaderMap;
use partner_core::{ApiError, Error, ErrorParser};
use serde::Deserialize;
use serde_json::Value;

/// The [`ErrorParser`] the client installs: reads both Pax8 error shapes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pax8ErrorParser;

impl ErrorParser for Pax8ErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
            return;
        };
        error.code = parsed.error_type.clone().or_else(|| parsed.error.clone());
        error.message = parsed.summary();
        error.details = if !parsed.details.is_empty() {
            serde_json::to_value(&parsed.details).ok()
        } else if !parsed.errors.is_empty() {
            Some(Value::Array(parsed.errors.clone()))
        } else {
            None
        };
    }
}

/// A Pax8 error body, in either shape.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorBody {
    /// The error type (`NOT_FOUND`, `BAD_REQUEST`, `INVALID_PARAM`…).
    #[serde(rename = "type", default)]
    pub error_type: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The path that was called.
    #[serde(default)]
    pub instance: Option<String>,
    /// The HTTP status, as Pax8 repeats it in the body.
    #[serde(default)]
    pub status: Option<u16>,
    /// Further failures (field errors…).
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub details: Vec<ErrorDetail>,
    /// The second shape: a list of messages (strings, or objects with a `message`).
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub errors: Vec<Value>,
    /// The token endpoint's OAuth error code (`access_denied`).
    #[serde(default)]
    pub error: Option<String>,
    /// The token endpoint's OAuth error description.
    #[serde(default, rename = "error_description")]
    pub error_description: Option<String>,
}

/// One entry of [`ErrorBody::details`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The detail's type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The path or field concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// A status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

impl ErrorBody {
    /// Parses the raw body of an API error; `None` when it is not a JSON object.
    pub fn from_api_error(api: &ApiError) -> Option<Self> {
        serde_json::from_str(&api.raw_body).ok()
    }

    /// Parses the body of an [`Error`] that carries a Pax8 answer.
    pub fn from_error(error: &Error) -> Option<Self> {
        error.api_error().and_then(Self::from_api_error)
    }

    /// The messages of the `{errors:[…]}` shape, as text.
    pub fn error_messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .filter_map(|e| match e {
                Value::String(s) => Some(s.clone()),
                Value::Object(map) => map
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            })
            .collect()
    }

    /// One human-readable message: `message`, else the `errors` joined, else `error_description`.
    pub fn summary(&self) -> Option<String> {
        if let Some(message) = &self.message {
            return Some(message.clone());
        }
        let messages = self.error_messages();
        if !messages.is_empty() {
            return Some(messages.join("; "));
        }
        self.error_description.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_core::http::StatusCode;

    fn parse(status: StatusCode, body: &str) -> ApiError {
        let mut api = ApiError::new(status, body);
        Pax8ErrorParser.parse(&HeaderMap::new(), body.as_bytes(), &mut api);
        api
    }

    #[test]
    fn first_shape() {
        let body = r#"{"type":"NOT_FOUND","message":"Company not found","instance":"/public/v1/companies/x","status":404,"details":[{"message":"no such id","instance":"companyId"}]}"#;
        let api = parse(StatusCode::NOT_FOUND, body);
        assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(api.message.as_deref(), Some("Company not found"));
        assert_eq!(api.details.as_ref().unwrap()[0]["message"], "no such id");
        assert_eq!(api.raw_body, body);
        let typed = ErrorBody::from_api_error(&api).unwrap();
        assert_eq!(typed.status, Some(404));
        assert_eq!(typed.instance.as_deref(), Some("/public/v1/companies/x"));
    }

    #[test]
    fn second_shape() {
        let body =
            r#"{"errors":["Quantity cannot be decreased during the commitment term","second"]}"#;
        let api = parse(StatusCode::UNPROCESSABLE_ENTITY, body);
        assert_eq!(api.code, None);
        assert_eq!(
            api.message.as_deref(),
            Some("Quantity cannot be decreased during the commitment term; second")
        );
        assert_eq!(api.details.as_ref().unwrap().as_array().unwrap().len(), 2);
    }

    #[test]
    fn oauth_shape_and_garbage() {
        let api = parse(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"access_denied","error_description":"Unauthorized"}"#,
        );
        assert_eq!(api.code.as_deref(), Some("access_denied"));
        assert_eq!(api.message.as_deref(), Some("Unauthorized"));
        let api = parse(StatusCode::BAD_GATEWAY, "<html>bad gateway</html>");
        assert_eq!(api.code, None);
        assert_eq!(api.raw_body, "<html>bad gateway</html>");
    }
}
