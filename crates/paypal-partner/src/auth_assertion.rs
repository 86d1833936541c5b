//! `PayPal-Auth-Assertion`: tells PayPal which seller a partner call acts for.
//!
//! PayPal's construction (developer.paypal.com, "Make API requests"): an unsigned JWT whose header is
//! `{"alg":"none"}` and whose payload is `{"iss":"<partner client id>","payer_id":"<seller merchant id>"}`
//! (or `email` instead of `payer_id`), each part in **standard Base64 with padding**, joined by dots,
//! with an empty signature and therefore a trailing dot. It is not signed: the partner's bearer token
//! authenticates the call, the assertion only names the seller.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

/// Whom the assertion names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// The seller's PayPal merchant (payer) id: PayPal's preferred form.
    PayerId(String),
    /// The seller's PayPal account email.
    Email(String),
}

/// Builds the `PayPal-Auth-Assertion` value for the partner `client_id` acting for `subject`.
///
/// ```
/// use paypal_partner::auth_assertion::{auth_assertion, Subject};
/// assert_eq!(
///     auth_assertion("client_id", &Subject::PayerId("merchant_payer_id".into())),
///     "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJjbGllbnRfaWQiLCJwYXllcl9pZCI6Im1lcmNoYW50X3BheWVyX2lkIn0=."
/// );
/// ```
pub fn auth_assertion(client_id: &str, subject: &Subject) -> String {
    #[derive(Serialize)]
    struct Payload<'a> {
        iss: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        payer_id: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        email: Option<&'a str>,
    }
    let payload = match subject {
        Subject::PayerId(id) => Payload {
            iss: client_id,
            payer_id: Some(id),
            email: None,
        },
        Subject::Email(email) => Payload {
            iss: client_id,
            payer_id: None,
            email: Some(email),
        },
    };
    // Serialising a struct of strings cannot fail.
    let payload = serde_json::to_vec(&payload).unwrap_or_default();
    format!(
        "{}.{}.",
        STANDARD.encode(br#"{"alg":"none"}"#),
        STANDARD.encode(payload)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_documented_test_vector() {
        assert_eq!(
            auth_assertion("client_id", &Subject::PayerId("merchant_payer_id".into())),
            "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJjbGllbnRfaWQiLCJwYXllcl9pZCI6Im1lcmNoYW50X3BheWVyX2lkIn0=."
        );
    }

    #[test]
    fn email_subject_and_shape() {
        let value = auth_assertion("cid", &Subject::Email("seller@example.com".into()));
        assert!(value.ends_with('.'));
        let parts: Vec<&str> = value.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "");
        let payload = STANDARD.decode(parts[1]).unwrap();
        assert_eq!(
            payload,
            br#"{"iss":"cid","email":"seller@example.com"}"#.to_vec()
        );
    }

    #[test]
    fn json_special_characters_are_escaped() {
        let value = auth_assertion("c\"id", &Subject::PayerId("X".into()));
        let payload = STANDARD.decode(value.split('.').nth(1).unwrap()).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(parsed["iss"], "c\"id");
    }
}
