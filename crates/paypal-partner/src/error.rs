//! PayPal's error bodies, read into the core's [`Error`](crate::Error).
//!
//! PayPal answers errors as `{name, message, debug_id, information_link, details[], links[]}`, where in
//! practice any field may be missing and `details` vary in shape; the token endpoint answers
//! `{error, error_description}` instead. The client reads both into the core's [`ApiError`]
//! (`code` = `name` or `error`, `message`, `details`, and the `debug_id` as the request id when the
//! `Paypal-Debug-Id` header is missing), and attaches the whole document, typed, as
//! [`ErrorDetails`]:
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! use paypal_partner::{ErrorDetails, KnownPayPalError};
//!
//! if let Err(err) = client.orders().capture("5O190127TN364715T").send().await {
//!     if let Some(details) = err.provider_details::<ErrorDetails>() {
//!         // `name`, `message`, `details[].issue/field/description`, `links`.
//!         println!("{:?}: {:?} {:?}", details.name, details.message, details.first_issue());
//!         if details.known_error() == Some(KnownPayPalError::ResourceNotFound) { /* ... */ }
//!     }
//!     // The id to quote to PayPal support (`Paypal-Debug-Id`, or `debug_id` of the body).
//!     println!("debug id: {:?}", err.request_id());
//! }
//! # Ok(()) }
//! ```

use partner_core::http::HeaderMap;
use partner_core::{ApiError, ErrorParser};
use serde::{Deserialize, Serialize};

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
    /// A name, as some endpoints put in a detail instead of an `issue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A message, as some endpoints put in a detail instead of a `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
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

/// What PayPal said about an error: its error document, every field optional, the OAuth shape of the
/// token endpoint included. Read it from an error with `err.provider_details::<ErrorDetails>()`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// The error name (`INVALID_REQUEST`, `PRODUCT_PPCP_UNAUTHORIZED`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// PayPal's correlation id (also [`Error::request_id`](crate::Error::request_id)).
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

impl ErrorDetails {
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

    /// The [`code`](Self::code) as a [`KnownPayPalError`] (`Unknown(..)` for names this crate does not
    /// list).
    pub fn known_error(&self) -> Option<KnownPayPalError> {
        self.code().map(KnownPayPalError::from)
    }
}

/// The [`ErrorParser`] of this crate: PayPal's and the OAuth error shapes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PayPalErrorParser;

impl ErrorParser for PayPalErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Some(parsed) = ErrorDetails::from_slice(body) else {
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
        // `with_provider_details` consumes the error: swap in a placeholder for the moment.
        let api = std::mem::replace(error, ApiError::new(error.status, String::new()));
        *error = api.with_provider_details(parsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use partner_core::http::StatusCode;

    fn known(err: Error) -> Option<KnownPayPalError> {
        err.provider_details::<ErrorDetails>()?.known_error()
    }

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
        let doc = err.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(doc.code(), Some("INVALID_REQUEST"));
        assert_eq!(doc.first_issue(), Some("INVALID_STRING_LENGTH"));
        assert_eq!(doc.details[0].field.as_deref(), Some("/tracking_id"));
        assert_eq!(doc.details[0].description.as_deref(), Some("too long"));
        assert_eq!(doc.links[0].rel.as_deref(), Some("information_link"));
        // An unknown field (`new_field`) is ignored; it stays in the raw body.
        assert!(err.api_error().unwrap().raw_body.contains("new_field"));
        assert_eq!(err.request_id(), Some("abc123"));
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        // details with name/message inside, no description; links as a string.
        let api = parse(
            422,
            r#"{"name":"UNPROCESSABLE_ENTITY","details":[{"name":"X","message":"y","issue":"Z"}],"links":"nope"}"#,
        );
        assert_eq!(api.code.as_deref(), Some("UNPROCESSABLE_ENTITY"));
        let doc = api.provider_details::<ErrorDetails>().unwrap();
        assert_eq!(doc.details[0].message.as_deref(), Some("y"));
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
            known(Error::from(api)),
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
        assert_eq!(known(err), Some(KnownPayPalError::ProductPpcpUnauthorized));
        let api = parse(422, r#"{"name":"SOMETHING_NEW"}"#);
        assert_eq!(
            known(Error::from(api)),
            Some(KnownPayPalError::Unknown("SOMETHING_NEW".into()))
        );
    }
}
