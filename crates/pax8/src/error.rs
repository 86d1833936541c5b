//! Pax8's error bodies, read into the core's [`ApiError`].
//!
//! Pax8 answers errors in two shapes:
//! - `{"type":"NOT_FOUND","message":"…","instance":"/public/v1/companies/<id>","status":404,
//!   "details":[{"type"?,"status"?,"message","instance"?}]}` (most endpoints, and the webhooks API);
//! - `{"errors":["…"]}` (observed on some subscription updates);
//!
//! and the token endpoint answers `{"error":"access_denied","error_description":"Unauthorized"}`.
//! The client fills [`ApiError::code`] (the `type` or `error`), [`ApiError::message`] and
//! [`ApiError::details`] from any of them, keeps the raw body in [`ApiError::raw_body`], and attaches
//! the whole document, typed, as [`ErrorDetails`]:
//!
//! ```no_run
//! # async fn run(client: pax8::Client) -> Result<(), pax8::Error> {
//! use pax8::ErrorDetails;
//!
//! let update = pax8::SubscriptionUpdate::builder().quantity(2).build()?;
//! if let Err(err) = client.subscriptions().update("s-1", &update).send().await {
//!     if let Some(details) = err.provider_details::<ErrorDetails>() {
//!         // `{"type","message","details":[…]}` or `{"errors":[…]}`: both are fields here.
//!         println!("{:?} {:?} {:?}", details.error_type, details.details, details.error_messages());
//!     }
//! }
//! # Ok(()) }
//! ```

use partner_core::http::HeaderMap;
use partner_core::{ApiError, ErrorParser};
use serde::Deserialize;
use serde_json::Value;

/// The [`ErrorParser`] the client installs: reads both Pax8 error shapes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pax8ErrorParser;

impl ErrorParser for Pax8ErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Ok(raw) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        let Ok(parsed) = ErrorDetails::deserialize(&raw) else {
            return;
        };
        error.code = parsed.error_type.clone().or_else(|| parsed.error.clone());
        error.message = parsed.summary();
        // The details as Pax8 sent them (strings stay strings), not as re-serialised here.
        error.details = if !parsed.details.is_empty() {
            raw.get("details").cloned()
        } else if !parsed.errors.is_empty() {
            Some(Value::Array(parsed.errors.clone()))
        } else {
            None
        };
        // `with_provider_details` consumes the error: swap in a placeholder for the moment.
        let api = std::mem::replace(error, ApiError::new(error.status, String::new()));
        *error = api.with_provider_details(parsed);
    }
}

/// What Pax8 said about an error, in either of its shapes (and the token endpoint's), read from an
/// error with `err.provider_details::<ErrorDetails>()`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorDetails {
    /// The error type (`NOT_FOUND`, `BAD_REQUEST`, `INVALID_PARAM`…).
    #[serde(rename = "type", default)]
    pub error_type: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The path that was called.
    #[serde(default)]
    pub instance: Option<String>,
    /// The HTTP status, as Pax8 repeats it in the body (a number, or a number in a string).
    #[serde(default, deserialize_with = "lenient_status")]
    pub status: Option<u16>,
    /// Further failures (field errors…). A plain string item becomes a detail with only a message.
    #[serde(default, deserialize_with = "lenient_details")]
    pub details: Vec<ErrorItem>,
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

/// One entry of [`ErrorDetails::details`].
///
/// Read leniently: an object with the fields below (a `status` may be a number or a numeric string),
/// a plain string (read as the message), or anything else (read as an empty detail), so that one odd
/// item never costs the error's code and message.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase", from = "RawDetail")]
#[non_exhaustive]
pub struct ErrorItem {
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

/// What a `details` item may look like on the wire.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDetail {
    Object(ObjectDetail),
    Text(String),
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObjectDetail {
    #[serde(rename = "type", default, deserialize_with = "lenient_text")]
    error_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    instance: Option<String>,
    #[serde(default, deserialize_with = "lenient_status")]
    status: Option<u16>,
}

impl From<RawDetail> for ErrorItem {
    fn from(raw: RawDetail) -> Self {
        match raw {
            RawDetail::Object(o) => ErrorItem {
                error_type: o.error_type,
                message: o.message,
                instance: o.instance,
                status: o.status,
            },
            RawDetail::Text(message) => ErrorItem {
                message: Some(message),
                ..ErrorItem::default()
            },
            RawDetail::Other(_) => ErrorItem::default(),
        }
    }
}

/// A status as `404` or `"404"`; anything else (`null`, `"Not Found"`) as `None`.
fn lenient_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Text as given; a number or boolean as its JSON text; anything else as `None`.
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        v @ (Value::Number(_) | Value::Bool(_)) => Some(v.to_string()),
        _ => None,
    })
}

/// `details` as a list (`null` or missing: empty), or a lone object or string as a list of one.
fn lenient_details<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ErrorItem>, D::Error> {
    use serde::de::Error as _;
    let items = match Value::deserialize(d)? {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        single => vec![single],
    };
    items
        .into_iter()
        .map(|item| ErrorItem::deserialize(item).map_err(D::Error::custom))
        .collect()
}

impl ErrorDetails {
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
        let typed = api.provider_details::<ErrorDetails>().unwrap();
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
    fn a_string_status_keeps_code_and_message() {
        let body = r#"{"type":"NOT_FOUND","message":"Company not found","status":"404","details":[{"message":"no such id","status":"404"}]}"#;
        let api = parse(StatusCode::NOT_FOUND, body);
        assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(api.message.as_deref(), Some("Company not found"));
        let typed = api.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(typed.status, Some(404));
        assert_eq!(typed.details[0].status, Some(404));
        let odd = parse(
            StatusCode::NOT_FOUND,
            r#"{"type":"NOT_FOUND","message":"m","status":"Not Found"}"#,
        );
        assert_eq!(odd.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(odd.message.as_deref(), Some("m"));
    }

    #[test]
    fn string_and_odd_detail_items_keep_code_and_message() {
        let body = r#"{"type":"BAD_REQUEST","message":"Invalid request","status":400,"details":["quantity must be positive",{"message":"bad field","instance":"quantity","status":400},7,{"message":12}]}"#;
        let api = parse(StatusCode::BAD_REQUEST, body);
        assert_eq!(api.code.as_deref(), Some("BAD_REQUEST"));
        assert_eq!(api.message.as_deref(), Some("Invalid request"));
        let details = api.details.as_ref().unwrap().as_array().unwrap();
        assert_eq!(details[0], "quantity must be positive");
        assert_eq!(details[1]["instance"], "quantity");
        let typed = api.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(typed.details.len(), 4);
        assert_eq!(
            typed.details[0].message.as_deref(),
            Some("quantity must be positive")
        );
        assert_eq!(typed.details[1].instance.as_deref(), Some("quantity"));
        assert_eq!(typed.details[2], ErrorItem::default());
        assert_eq!(typed.details[3].message.as_deref(), Some("12"));

        let lone = parse(
            StatusCode::BAD_REQUEST,
            r#"{"type":"BAD_REQUEST","message":"m","details":"just one"}"#,
        );
        assert_eq!(lone.code.as_deref(), Some("BAD_REQUEST"));
        assert_eq!(lone.message.as_deref(), Some("m"));
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
