//! Parsers for argument values that clap does not know: the providers' enums, checked against the
//! values the crate knows so that a typo is refused here instead of being sent.

use partner_core::wire_enum::KnownValues;

/// A clap `value_parser` for any of the crates' string enums: `#[arg(value_parser = known::<CompanyStatus>)]`.
pub(crate) fn known<E: KnownValues>(value: &str) -> Result<E, String> {
    E::known(value).ok_or_else(|| format!("expected one of: {}", E::KNOWN.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_refused_with_the_list() {
        let err = known::<pax8::CompanyStatus>("Actve").unwrap_err();
        assert!(err.contains("Active"), "{err}");
        assert_eq!(
            known::<pax8::CompanyStatus>("Active").unwrap(),
            pax8::CompanyStatus::Active
        );
    }
}
