//! Parsers for argument values that clap does not know: the providers' enums, checked against the
//! values the crate knows so that a typo is refused here instead of being sent.

use partner_core::wire_enum::KnownValues;

/// A clap `value_parser` for any of the crates' string enums: `#[arg(value_parser = known::<CompanyStatus>)]`.
pub(crate) fn known<E: KnownValues>(value: &str) -> Result<E, String> {
    E::known(value).ok_or_else(|| format!("expected one of: {}", E::KNOWN.join(", ")))
}

/// A clap `value_parser` for a calendar date written `YYYY-MM-DD`: `#[arg(value_parser = date)]`.
pub(crate) fn date(value: &str) -> Result<time::Date, String> {
    let refuse = || format!("expected a date as YYYY-MM-DD, got `{value}`");
    let mut parts = value.trim().splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(refuse());
    };
    let digits =
        |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return Err(refuse());
    }
    let number = |text: &str| text.parse::<u16>().map_err(|_| refuse());
    let year = i32::from(number(year)?);
    let month = u8::try_from(number(month)?)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(refuse)?;
    let day = u8::try_from(number(day)?).map_err(|_| refuse())?;
    time::Date::from_calendar_date(year, month, day)
        .map_err(|e| format!("`{value}` is not a calendar date: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_days_written_iso() {
        let day = date("2026-02-28").unwrap();
        assert_eq!(
            (day.year(), u8::from(day.month()), day.day()),
            (2026, 2, 28)
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-02-01",
            "2026/02/01",
            "2026-2-1",
            "soon",
            "2026-02-+1",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

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
