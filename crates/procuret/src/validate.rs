//! Checks on user input, run before anything is sent.

use partner_core::validate::plausible_email;
use partner_core::{Error, ExposeSecret, SecretString};

/// An email address that is plausibly formed (`local@domain.tld`), by the rules every crate of the
/// family shares ([`partner_core::validate::plausible_email`]).
pub(crate) fn email(field: &'static str, email: &str) -> Result<(), Error> {
    Ok(plausible_email(field, email)?)
}

/// A non-empty identifier, without surrounding whitespace or control characters.
pub(crate) fn identifier(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if value.trim() != value || value.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            "must not have surrounding whitespace or control characters",
        ));
    }
    Ok(())
}

/// A positive id.
pub(crate) fn id(field: &'static str, value: i64) -> Result<(), Error> {
    if value <= 0 {
        return Err(Error::invalid_input(field, "must be a positive id"));
    }
    Ok(())
}

/// A phone number: digits, optionally with `+ - ( )` and spaces, at least six digits.
pub(crate) fn phone(field: &'static str, phone: &str) -> Result<(), Error> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if !allowed || digits < 6 {
        return Err(Error::invalid_input(
            field,
            "must be a phone number (digits, optionally with + - ( ) and spaces)",
        ));
    }
    Ok(())
}

pub(crate) fn passphrase(passphrase: Option<&SecretString>) -> Result<&str, Error> {
    match passphrase.map(|p| p.expose_secret()) {
        Some(p) if !p.is_empty() => Ok(p),
        _ => Err(Error::invalid_input("passphrase", "is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["me@example.org", "a.b+c@sub.example.co.nz"] {
            assert!(email("e", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "me",
            "me@",
            "@example.org",
            "me@example",
            "me@@example.org",
            "me @example.org",
            "me@example..org",
            "me@example.org.",
        ] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn identifiers() {
        assert!(identifier("i", "INV-42").is_ok());
        assert!(identifier("i", "").is_err());
        assert!(identifier("i", "   ").is_err());
        assert!(identifier("i", " x").is_err());
        assert!(identifier("i", "a\nb").is_err());
        assert!(id("i", 1).is_ok());
        assert!(id("i", 0).is_err());
    }
}
