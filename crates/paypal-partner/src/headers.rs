//! The per-request PayPal headers, and the names of all PayPal headers.
//!
//! Every POST carries a `PayPal-Request-Id`: generated when you give none, and the same on every retry
//! of the call, so that PayPal applies it once (orders keep ids 6 h, payments 45 days, referenced
//! payouts forever). Give your own (`.idempotency_key(..)` on any POST builder) to make a retry after
//! a crash of your process safe too.

use partner_core::http::{HeaderName, HeaderValue};
use partner_core::{Request, RequestOptions};

use crate::Error;

/// `PayPal-Request-Id`: the idempotency key of POST requests.
pub const PAYPAL_REQUEST_ID: HeaderName = HeaderName::from_static("paypal-request-id");
/// `PayPal-Partner-Attribution-Id`: the partner's BN code.
pub const PAYPAL_PARTNER_ATTRIBUTION_ID: HeaderName =
    HeaderName::from_static("paypal-partner-attribution-id");
/// `PayPal-Auth-Assertion`: the seller a partner call acts for.
pub const PAYPAL_AUTH_ASSERTION: HeaderName = HeaderName::from_static("paypal-auth-assertion");
/// `PayPal-Client-Metadata-Id`: the buyer's risk/device id.
pub const PAYPAL_CLIENT_METADATA_ID: HeaderName =
    HeaderName::from_static("paypal-client-metadata-id");
/// `PayPal-Mock-Response`: sandbox negative testing.
pub const PAYPAL_MOCK_RESPONSE: HeaderName = HeaderName::from_static("paypal-mock-response");
/// `Prefer`.
pub const PREFER: HeaderName = HeaderName::from_static("prefer");
/// `Paypal-Debug-Id` (response): quote it to PayPal support; it is in every error and trace.
pub const PAYPAL_DEBUG_ID: HeaderName = HeaderName::from_static("paypal-debug-id");

/// The longest `PayPal-Request-Id` PayPal accepts.
pub const MAX_REQUEST_ID_LEN: usize = 108;
/// The longest `PayPal-Client-Metadata-Id` and BN code PayPal accepts.
pub const MAX_SHORT_HEADER_LEN: usize = 36;

/// The `Prefer` header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Prefer {
    /// `return=minimal`: PayPal's default, the id, status and links only.
    ReturnMinimal,
    /// `return=representation`: the whole resource.
    ReturnRepresentation,
    /// `respond-async`: queue the work and answer 202 (referenced payouts).
    RespondAsync,
    /// Any other value, sent as given.
    Other(String),
}

impl Prefer {
    /// The header value.
    pub fn as_str(&self) -> &str {
        match self {
            Prefer::ReturnMinimal => "return=minimal",
            Prefer::ReturnRepresentation => "return=representation",
            Prefer::RespondAsync => "respond-async",
            Prefer::Other(other) => other,
        }
    }
}

/// The optional PayPal headers of one request, as the builders collect them.
#[derive(Debug, Clone, Default)]
pub(crate) struct PayPalHeaders {
    /// `Prefer`.
    pub(crate) prefer: Option<Prefer>,
    /// `PayPal-Client-Metadata-Id`.
    pub(crate) client_metadata_id: Option<String>,
    /// `PayPal-Mock-Response`.
    pub(crate) mock_response: Option<String>,
}

impl PayPalHeaders {
    /// Checks the values and sets them and `options` on `request`; a POST becomes keyed
    /// (`PayPal-Request-Id` sent, from `options.idempotency_key` or generated, and reused on every
    /// attempt).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the header when a value is too long or not a header value, and
    /// naming `idempotency_key` for a key longer than PayPal's 108 characters.
    pub(crate) fn apply(
        &self,
        mut request: Request,
        options: &RequestOptions,
    ) -> Result<Request, Error> {
        if let Some(key) = &options.idempotency_key
            && key.as_str().len() > MAX_REQUEST_ID_LEN
        {
            return Err(Error::invalid_input(
                "idempotency_key",
                format!(
                    "must be 1 to {MAX_REQUEST_ID_LEN} characters long (PayPal's limit for PayPal-Request-Id)"
                ),
            ));
        }
        if let Some(prefer) = &self.prefer {
            request = request.header(PREFER, header_value("Prefer", prefer.as_str())?);
        }
        if let Some(id) = &self.client_metadata_id {
            check_short("PayPal-Client-Metadata-Id", id)?;
            request = request.header(
                PAYPAL_CLIENT_METADATA_ID,
                header_value("PayPal-Client-Metadata-Id", id)?,
            );
        }
        if let Some(mock) = &self.mock_response {
            request = request.header(
                PAYPAL_MOCK_RESPONSE,
                header_value("PayPal-Mock-Response", mock)?,
            );
        }
        if request.method == partner_core::http::Method::POST {
            request = request.keyed();
        }
        Ok(request.options(options))
    }
}

pub(crate) fn check_short(name: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() || value.len() > MAX_SHORT_HEADER_LEN {
        return Err(Error::invalid_input(
            name,
            format!("must be 1 to {MAX_SHORT_HEADER_LEN} characters long"),
        ));
    }
    Ok(())
}

pub(crate) fn header_value(name: &'static str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_input(name, "is not a valid HTTP header value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_core::IdempotencyKey;

    fn post() -> Request {
        Request::post("https://api-m.sandbox.paypal.com/v2/x".parse().unwrap())
    }

    fn keyed(key: &str) -> RequestOptions {
        RequestOptions::new().idempotency_key(IdempotencyKey::new(key).unwrap())
    }

    #[test]
    fn post_is_keyed_and_headers_set() {
        let headers = PayPalHeaders {
            prefer: Some(Prefer::ReturnRepresentation),
            client_metadata_id: Some("meta".into()),
            mock_response: Some(r#"{"mock_application_codes":"X"}"#.into()),
        };
        let request = headers.apply(post(), &keyed("req-1")).unwrap();
        assert_eq!(
            request.idempotency,
            partner_core::request::Idempotency::Keyed
        );
        assert_eq!(
            request.options.idempotency_key.as_ref().unwrap().as_str(),
            "req-1"
        );
        assert_eq!(request.headers[PREFER], "return=representation");
        assert_eq!(request.headers[PAYPAL_CLIENT_METADATA_ID], "meta");
        assert!(request.headers.contains_key(PAYPAL_MOCK_RESPONSE));
    }

    #[test]
    fn get_is_not_keyed() {
        let request = PayPalHeaders::default()
            .apply(
                Request::get("https://x.example/".parse().unwrap()),
                &RequestOptions::default(),
            )
            .unwrap();
        assert_eq!(
            request.idempotency,
            partner_core::request::Idempotency::ByMethod
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let long = PayPalHeaders::default().apply(post(), &keyed(&"x".repeat(109)));
        assert!(
            matches!(long, Err(Error::InvalidInput(ref input)) if input.field == "idempotency_key")
        );
        assert!(
            PayPalHeaders::default()
                .apply(post(), &keyed(&"x".repeat(108)))
                .is_ok()
        );
        // Spaces and control characters never make a key.
        assert!(IdempotencyKey::new("a b").is_err());
        let meta = PayPalHeaders {
            client_metadata_id: Some("m".repeat(37)),
            ..Default::default()
        };
        assert!(meta.apply(post(), &RequestOptions::default()).is_err());
        let newline = PayPalHeaders {
            mock_response: Some("a\nb".into()),
            ..Default::default()
        };
        assert!(newline.apply(post(), &RequestOptions::default()).is_err());
    }
}
