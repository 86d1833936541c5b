//! The service's character rules, checked before anything is sent.
//!
//! The service documents two kinds of text field (research §2.1):
//! - **ASCII** (`productId`, `origin`, `transactionId`): printable ASCII, U+0020 to U+007E;
//! - **extended ASCII** (`partnerId`, `recipient.firstName`, `recipient.lastName`,
//!   `recipient.email`): read here as Latin-1, U+0020 to U+00FF without control characters, so that
//!   "Zoë Ñúñez" passes and "Łukasz" or "李" is refused here rather than by the service (a 406, or a
//!   mangled name on a coupon).
//!
//! Every field must also be non-blank and must not start or end with whitespace: a stray space in an
//! origin or product id would only come back as a 404 or 405 from the service. Errors name the field by
//! its JSON name (`recipient.email`), and quote offending characters by code point only.

use partner_core::InvalidInput;
use partner_core::validate::plausible_email;

/// Field names as the service's JSON spells them, so an error points at the documented field.
pub(crate) mod field {
    pub(crate) const PARTNER_ID: &str = "partnerId";
    pub(crate) const PRODUCT_ID: &str = "productId";
    pub(crate) const ORIGIN: &str = "origin";
    pub(crate) const TRANSACTION_ID: &str = "transactionId";
    pub(crate) const RECIPIENT: &str = "recipient";
    pub(crate) const FIRST_NAME: &str = "recipient.firstName";
    pub(crate) const LAST_NAME: &str = "recipient.lastName";
    pub(crate) const EMAIL: &str = "recipient.email";
    pub(crate) const API_KEY: &str = "x-api-key";
}

/// A required setting: present, else "is required", naming the variable `from_env` reads it from.
pub(crate) fn required_setting<T>(
    field: &'static str,
    variable: &str,
    value: Option<T>,
) -> Result<T, InvalidInput> {
    value.ok_or_else(|| InvalidInput::new(field, format!("is required (or set {variable})")))
}

/// A required value: present, else "is required".
pub(crate) fn required<T>(field: &'static str, value: Option<T>) -> Result<T, InvalidInput> {
    value.ok_or_else(|| InvalidInput::new(field, "is required"))
}

fn trimmed(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    if value.trim().is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    if value.trim() != value {
        return Err(InvalidInput::new(
            field,
            "must not start or end with whitespace",
        ));
    }
    Ok(())
}

fn code_point(ch: char) -> String {
    format!("U+{:04X}", u32::from(ch))
}

/// Whether `ch` is printable ASCII (U+0020 to U+007E).
pub(crate) fn is_printable_ascii(ch: char) -> bool {
    matches!(ch, ' '..='~')
}

/// Whether `ch` is printable Latin-1 (U+0020 to U+00FF, without the C0 and C1 controls and DEL).
pub(crate) fn is_printable_latin1(ch: char) -> bool {
    u32::from(ch) <= 0xFF && !ch.is_control()
}

/// An ASCII field: non-blank, printable ASCII only.
pub(crate) fn ascii_text(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    trimmed(field, value)?;
    match value.chars().find(|&ch| !is_printable_ascii(ch)) {
        Some(ch) => Err(InvalidInput::new(
            field,
            format!(
                "must be printable ASCII (U+0020 to U+007E); {} is not",
                code_point(ch)
            ),
        )),
        None => Ok(()),
    }
}

/// An extended-ASCII field: non-blank, printable Latin-1 only.
pub(crate) fn latin1_text(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    trimmed(field, value)?;
    match value.chars().find(|&ch| !is_printable_latin1(ch)) {
        Some(ch) => Err(InvalidInput::new(
            field,
            format!(
                "must be Latin-1 text (U+0020 to U+00FF, no control characters); {} is not",
                code_point(ch)
            ),
        )),
        None => Ok(()),
    }
}

/// An email address: a Latin-1 field that is also plausibly an address (`local@domain.tld`), by the
/// rules every crate of the family shares ([`partner_core::validate::plausible_email`]).
pub(crate) fn email(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    latin1_text(field, value)?;
    plausible_email(field, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_accepts_the_whole_printable_range_and_nothing_else() {
        let all: String = (0x20u8..=0x7E).map(char::from).collect();
        assert!(ascii_text("f", &format!("x{all}x")).is_ok());
        for bad in [
            "a\u{7F}b",
            "a\tb",
            "a\nb",
            "caf\u{E9}",
            "a\u{0}b",
            "\u{2013}",
        ] {
            let err = ascii_text("productId", bad).unwrap_err();
            assert_eq!(err.field, "productId", "{bad:?}");
        }
    }

    #[test]
    fn latin1_accepts_accents_and_refuses_beyond_u00ff_and_controls() {
        for good in ["Zoë Ñúñez", "Ærøskøbing", "O'Brien-Smith", "ÿ"] {
            assert!(latin1_text("f", good).is_ok(), "{good:?}");
        }
        for bad in [
            "Łukasz",
            "李",
            "Zoë\u{85}",
            "a\u{9F}",
            "a\u{7F}",
            "a\u{1}",
            "Ŀ",
            "😀",
        ] {
            assert!(latin1_text("f", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_reason_names_the_code_point() {
        let err = latin1_text("recipient.firstName", "Łukasz").unwrap_err();
        assert!(err.reason.contains("U+0141"), "{}", err.reason);
    }

    #[test]
    fn blank_and_padded_values_are_refused() {
        for bad in ["", " ", "\t", " shop.example.com", "shop.example.com "] {
            assert!(ascii_text("origin", bad).is_err(), "{bad:?}");
            assert!(latin1_text("recipient.lastName", bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ascii_text("origin", "").unwrap_err().reason,
            "must not be empty"
        );
    }

    #[test]
    fn plausible_emails() {
        for good in [
            "zoe@example.com",
            "zoe.nunez+books@mail.example.co.uk",
            "o'brien@example.ie",
            "zoë@bücher.example",
            "a@b.io",
            "x_y-z@sub-domain.example.org",
        ] {
            assert!(email("recipient.email", good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn implausible_emails() {
        for bad in [
            "",
            "plainaddress",
            "@example.com",
            "zoe@",
            "zoe@example",
            "zoe@@example.com",
            "zoe@a@example.com",
            "zoe @example.com",
            "zoe@exa mple.com",
            "zoe@.example.com",
            "zoe@example..com",
            "zoe@example.com.",
            ".zoe@example.com",
            "zoe.@example.com",
            "zo..e@example.com",
            "zoe@-example.com",
            "zoe@example-.com",
            "zoe@example.123",
            "<zoe@example.com>",
            "zoe@exam_ple.com",
            "łukasz@example.com",
        ] {
            let err = email("recipient.email", bad).unwrap_err();
            assert_eq!(err.field, "recipient.email", "{bad:?}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(email("recipient.email", &long_local).is_err());
        let long = format!("a@{}.com", "b".repeat(260));
        assert!(email("recipient.email", &long).is_err());
    }
}
