//! PayPal's error bodies, read into the core's [`Error`].
//!
//! PayPal answers errors as `{name, message, debug_id, information_link, details[], links[]}`, where in
//! practice any field may be missing and `details` vary in shape; the token endpoint answers
//! `{error, error_description}` instead. Both are read by [`PayPalErrorParser`] into
//! [`ApiError`] (`code` = `name` or `error`, `message`, `details`, and the
//! `debug_id` as the request id when the `Paypal-Debug-Id` header is missing). The whole body stays
//! available: [`PayPalErrorExt::paypal_error`] decodes it into [`PayPalErrorBody`].

use std::collections::BTreeMap;

use partner_core::http::HeaderMap;
use partner_core::{ApiError, ErrorParser};
use serde::{Deserialize, Serialize};

use crate::Error;

partner_core::string_enum! {
    /// Error names a partner platform meets and may want to act on.
    pub enum KnownPayPalError {
        /// 403 on partner referrals: the partner account is not approved for PPCP.
        ProductPpcpUnauthorized = "PRODUCT_PPCP_UNAUTHORIZED",
        /// 422 on partner referrals: the partner account is not a business account, or closed or locked.
        AccountStatusError = "ACCOUNT_STATUS_ERROR",
        /// 404: the resource does not exist (also: a seller who has not finished onboarding).
        ResourceNotFound = "RESOURCE_NOT_FOUND",
        /// 403: the call is not allowed (a seller who did not grant the permission...).
        NotAuthorized = "NOT_AUTHORIZED",
        /// 403: the token lacks a scope.
        PermissionDenied = "PERMISSION_DENIED",
        /// 429: too many requests (cache tokens, prefer webhooks to polling).
        RateLimitReached = "RATE_LIMIT_REACHED",
        /// 400: the request does not follow the schema.
        InvalidRequest = "INVALID_REQUEST",
        /// 422: the request is well-formed but PayPal cannot process it.
        UnprocessableEntity = "UNPROCESSABLE_ENTITY",
        /// 500.
        InternalServerError = "INTERNAL_SERVER_ERROR",
        /// The token endpoint refused the client id or secret.
        InvalidClient = "invalid_client",
        /// The token is not valid (expired or revoked).
        InvalidToken = "invalid_token",
    }
}

/// One entry of `details`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The JSON pointer of the field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The offending value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// `body`, `path` or `query`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The fine-grained error code (`MISSING_REQUIRED_PARAMETER`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Everything else PayPal put there (`name`, `message`, `links`...).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// A link in an error body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorLink {
    /// The target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The relation (`information_link`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    /// The method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// PayPal's error document, every field optional, the OAuth shape included.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayPalErrorBody {
    /// The error name (`INVALID_REQUEST`, `PRODUCT_PPCP_UNAUTHORIZED`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// PayPal's correlation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug_id: Option<String>,
    /// Documentation of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_link: Option<String>,
    /// Field-level details.
    #[serde(default, deserialize_with = "lenient_vec")]
    pub details: Vec<ErrorDetail>,
    /// Links (documentation of the error).
    #[serde(default, deserialize_with = "lenient_vec")]
    pub links: Vec<ErrorLink>,
    /// The OAuth error code (`invalid_client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The OAuth error description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `details`/`links` with the wrong shape (a string, an object) are dropped rather than failing the
/// whole error: an error must always be readable.
fn lenient_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    match value {
        serde_json::Value::Array(items) => Ok(items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect()),
        _ => Ok(Vec::new()),
    }
}

impl PayPalErrorBody {
    /// Reads a body; `None` when it is not a JSON object.
    pub fn from_slice(body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    /// `name`, or the OAuth `error`.
    pub fn code(&self) -> Option<&str> {
        self.name.as_deref().or(self.error.as_deref())
    }

    /// `message`, or the OAuth `error_description`.
    pub fn text(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.error_description.as_deref())
    }

    /// The first `issue` of `details`, the most precise reason PayPal gives.
    pub fn first_issue(&self) -> Option<&str> {
        self.details.iter().find_map(|d| d.issue.as_deref())
    }
}

/// The [`ErrorParser`] of this crate: PayPal's and the OAuth error shapes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PayPalErrorParser;

impl ErrorParser for PayPalErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Some(parsed) = PayPalErrorBody::from_slice(body) else {
            return;
        };
        error.code = parsed.code().map(str::to_owned);
        error.message = parsed.text().map(str::to_owned);
        if error.request_id.is_none() {
            error.request_id.clone_from(&parsed.debug_id);
        }
        if !parsed.details.is_empty() {
            error.details = serde_json::to_value(&parsed.details).ok();
        }
    }
}

/// PayPal-specific questions to ask an [`Error`].
pub trait PayPalErrorExt {
    /// PayPal's error `name` (or OAuth `error`), e.g. `PRODUCT_PPCP_UNAUTHORIZED`.
    fn paypal_error_name(&self) -> Option<&str>;

    /// The error name as a [`KnownPayPalError`] (`Unknown(..)` for names this crate does not list).
    fn known_paypal_error(&self) -> Option<KnownPayPalError> {
        self.paypal_error_name().map(KnownPayPalError::from)
    }

    /// The whole error document.
    fn paypal_error(&self) -> Option<PayPalErrorBody>;

    /// `Paypal-Debug-Id`, the id to quote to PayPal support.
    fn paypal_debug_id(&self) -> Option<&str>;
}

impl PayPalErrorExt for Error {
    fn paypal_error_name(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.code.as_deref())
    }

    fn paypal_error(&self) -> Option<PayPalErrorBody> {
        self.api_error()
            .and_then(|api| PayPalErrorBody::from_slice(api.raw_body.as_bytes()))
    }

    fn paypal_debug_id(&self) -> Option<&str> {
        self.request_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_core::http::StatusCode;

    fn parse(status: u16, body: &str) -> ApiError {
        let mut api = ApiError::new(StatusCode::from_u16(status).unwrap(), body);
        PayPalErrorParser.parse(&HeaderMap::new(), body.as_bytes(), &mut api);
        api
    }

    #[test]
    fn full_error_body() {
        let body = r#"{"name":"INVALID_REQUEST","message":"Request is not well-formed","debug_id":"abc123",
            "information_link":"https://developer.paypal.com/docs/api/","details":[{"field":"/tracking_id","location":"body","issue":"INVALID_STRING_LENGTH","description":"too long"}],
            "links":[{"href":"https://developer.paypal.com","rel":"information_link"}],"new_field":1}"#;
        let api = parse(400, body);
        assert_eq!(api.code.as_deref(), Some("INVALID_REQUEST"));
        assert_eq!(api.message.as_deref(), Some("Request is not well-formed"));
        assert_eq!(api.request_id.as_deref(), Some("abc123"));
        assert_eq!(
            api.details.as_ref().unwrap()[0]["issue"],
            "INVALID_STRING_LENGTH"
        );
        let err = Error::from(api);
        assert_eq!(err.paypal_error_name(), Some("INVALID_REQUEST"));
        let doc = err.paypal_error().unwrap();
        assert_eq!(doc.first_issue(), Some("INVALID_STRING_LENGTH"));
        assert_eq!(doc.links[0].rel.as_deref(), Some("information_link"));
        assert_eq!(doc.other["new_field"], 1);
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        // details with name/message inside, no description; links as a string.
        let api = parse(
            422,
            r#"{"name":"UNPROCESSABLE_ENTITY","details":[{"name":"X","message":"y","issue":"Z"}],"links":"nope"}"#,
        );
        assert_eq!(api.code.as_deref(), Some("UNPROCESSABLE_ENTITY"));
        let doc = PayPalErrorBody::from_slice(api.raw_body.as_bytes()).unwrap();
        assert_eq!(doc.details[0].other["message"], "y");
        assert!(doc.links.is_empty());
        // Nothing at all.
        let api = parse(500, "");
        assert!(api.code.is_none());
        let api = parse(500, "{}");
        assert!(api.code.is_none());
    }

    #[test]
    fn oauth_shape() {
        let api = parse(
            401,
            r#"{"error":"invalid_client","error_description":"Client Authentication failed"}"#,
        );
        assert_eq!(api.code.as_deref(), Some("invalid_client"));
        assert_eq!(api.message.as_deref(), Some("Client Authentication failed"));
        assert_eq!(
            Error::from(api).known_paypal_error(),
            Some(KnownPayPalError::InvalidClient)
        );
    }

    #[test]
    fn header_debug_id_wins() {
        let mut api = ApiError::new(StatusCode::BAD_REQUEST, "");
        api.request_id = Some("from-header".into());
        PayPalErrorParser.parse(&HeaderMap::new(), br#"{"debug_id":"from-body"}"#, &mut api);
        assert_eq!(api.request_id.as_deref(), Some("from-header"));
    }

    #[test]
    fn known_partner_errors() {
        let api = parse(
            403,
            r#"{"name":"PRODUCT_PPCP_UNAUTHORIZED","message":"no"}"#,
        );
        let err = Error::from(api);
        assert_eq!(
            err.known_paypal_error(),
            Some(KnownPayPalError::ProductPpcpUnauthorized)
        );
        let api = parse(422, r#"{"name":"SOMETHING_NEW"}"#);
        assert_eq!(
            Error::from(api).known_paypal_error(),
            Some(KnownPayPalError::Unknown("SOMETHING_NEW".into()))
        );
    }
}
