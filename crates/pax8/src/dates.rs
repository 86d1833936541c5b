//! Lenient dates: Pax8 sends several formats, sometimes in the same field.
//!
//! Seen on the wire and in the spec: `2023-08-11T11:33:12.314-0600` (an offset without a colon, which
//! is not RFC 3339), `2021-01-01T08:30:00Z`, and date-only values such as `2020-12-03` in fields typed
//! date-time. [`Timestamp`] parses all of them, never fails on a value it cannot read, and keeps the
//! text exactly as sent, so a value read and written back is unchanged.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A date or date-time as Pax8 sent it, with its parsed value when it could be read.
///
/// ```
/// use pax8::Timestamp;
/// let t = Timestamp::parse("2023-08-11T11:33:12.314-0600");
/// assert_eq!(t.as_str(), "2023-08-11T11:33:12.314-0600");
/// assert_eq!(t.date_time().unwrap().unix_timestamp(), 1_691_775_192);
/// assert!(Timestamp::parse("2020-12-03").is_date_only());
/// ```
#[derive(Clone)]
pub struct Timestamp {
    raw: String,
    parsed: Option<Parsed>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parsed {
    DateTime(OffsetDateTime),
    Date(Date),
}

impl Timestamp {
    /// Reads `raw` leniently; an unreadable value is kept (see [`is_parsed`](Self::is_parsed)).
    pub fn parse(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = parse_lenient(raw.trim());
        Self { raw, parsed }
    }

    /// A date-time, sent as RFC 3339 (`2021-01-01T08:30:00Z`).
    pub fn from_date_time(value: OffsetDateTime) -> Self {
        let raw = value
            .format(&Rfc3339)
            .unwrap_or_else(|_| value.unix_timestamp().to_string());
        Self {
            raw,
            parsed: Some(Parsed::DateTime(value)),
        }
    }

    /// A calendar date, sent as `YYYY-MM-DD`.
    pub fn from_date(value: Date) -> Self {
        Self {
            raw: format_date(value),
            parsed: Some(Parsed::Date(value)),
        }
    }

    /// The text exactly as sent.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the value could be read.
    pub fn is_parsed(&self) -> bool {
        self.parsed.is_some()
    }

    /// Whether Pax8 sent a date without a time.
    pub fn is_date_only(&self) -> bool {
        matches!(self.parsed, Some(Parsed::Date(_)))
    }

    /// The instant; a date-only value is midnight UTC of that date, a value without an offset is read
    /// as UTC.
    pub fn date_time(&self) -> Option<OffsetDateTime> {
        match self.parsed? {
            Parsed::DateTime(dt) => Some(dt),
            Parsed::Date(d) => Some(d.midnight().assume_utc()),
        }
    }

    /// The calendar date, in the offset Pax8 sent.
    pub fn date(&self) -> Option<Date> {
        match self.parsed? {
            Parsed::DateTime(dt) => Some(dt.date()),
            Parsed::Date(d) => Some(d),
        }
    }
}

pub(crate) fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn parse_lenient(raw: &str) -> Option<Parsed> {
    if let Ok(dt) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Some(Parsed::DateTime(dt));
    }
    if raw.len() == 10
        && let Ok(d) = Date::parse(raw, format_description!("[year]-[month]-[day]"))
    {
        return Some(Parsed::Date(d));
    }
    let normalized = normalize(raw);
    if let Ok(dt) = OffsetDateTime::parse(&normalized, &Rfc3339) {
        return Some(Parsed::DateTime(dt));
    }
    // No offset at all: read as UTC.
    let no_offset = format_description!(
        version = 2,
        "[year]-[month]-[day]T[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
    );
    PrimitiveDateTime::parse(&normalized, no_offset)
        .ok()
        .map(|p| Parsed::DateTime(p.assume_offset(UtcOffset::UTC)))
}

/// `2023-08-11 11:33:12.314-0600` -> `2023-08-11T11:33:12.314-06:00`; `+00` -> `+00:00`.
fn normalize(raw: &str) -> String {
    let mut s = raw.replacen(' ', "T", 1);
    let bytes = s.as_bytes();
    let n = bytes.len();
    let is_digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let is_sign = |i: usize| matches!(bytes.get(i), Some(b'+') | Some(b'-'));
    if n >= 5 && is_sign(n - 5) && (n - 4..n).all(is_digit) && s[..n - 5].contains('T') {
        s.insert(n - 2, ':');
    } else if n >= 3 && is_sign(n - 3) && (n - 2..n).all(is_digit) && s[..n - 3].contains('T') {
        s.push_str(":00");
    }
    s
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.raw)
    }
}

/// Equal when the same text was sent.
impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for Timestamp {}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        Self::from_date_time(value)
    }
}

impl From<Date> for Timestamp {
    fn from(value: Date) -> Self {
        Self::from_date(value)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

/// Serializes a field the spec types as date-time: a date-only value goes out as midnight UTC
/// (`2026-02-01T00:00:00Z`), anything else exactly as held.
pub(crate) fn serialize_as_date_time<S: Serializer>(
    value: &Option<Timestamp>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(stamp) if stamp.is_date_only() => match stamp.date_time() {
            Some(instant) => Timestamp::from_date_time(instant).serialize(serializer),
            None => stamp.serialize(serializer),
        },
        Some(stamp) => stamp.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Self::parse(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn offset_without_colon() {
        let t = Timestamp::parse("2023-08-11T11:33:12.314-0600");
        assert_eq!(
            t.date_time(),
            Some(datetime!(2023-08-11 11:33:12.314 -06:00))
        );
        assert_eq!(t.as_str(), "2023-08-11T11:33:12.314-0600");
        assert!(!t.is_date_only());
    }

    #[test]
    fn zulu_and_colon_offsets() {
        assert_eq!(
            Timestamp::parse("2021-01-01T08:30:00Z").date_time(),
            Some(datetime!(2021-01-01 08:30 UTC))
        );
        assert_eq!(
            Timestamp::parse("2000-10-31T01:30:00.000-05:00").date_time(),
            Some(datetime!(2000-10-31 01:30 -05:00))
        );
        assert_eq!(
            Timestamp::parse("2020-12-10T03:12:14.453-03").date_time(),
            Some(datetime!(2020-12-10 03:12:14.453 -03:00))
        );
    }

    #[test]
    fn date_only_and_no_offset() {
        let t = Timestamp::parse("2020-12-03");
        assert!(t.is_date_only());
        assert_eq!(t.date(), Some(date!(2020 - 12 - 03)));
        assert_eq!(t.date_time(), Some(datetime!(2020-12-03 00:00 UTC)));
        assert_eq!(
            Timestamp::parse("2021-01-01T08:30:00").date_time(),
            Some(datetime!(2021-01-01 08:30 UTC))
        );
        assert_eq!(
            Timestamp::parse("2021-01-01 08:30:00.5+0000").date_time(),
            Some(datetime!(2021-01-01 08:30:00.5 UTC))
        );
    }

    #[test]
    fn unreadable_values_are_kept() {
        let t: Timestamp = serde_json::from_str("\"next tuesday\"").unwrap();
        assert!(!t.is_parsed());
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"next tuesday\"");
    }

    #[test]
    fn constructors_format_for_the_wire() {
        assert_eq!(
            Timestamp::from(date!(2024 - 02 - 01)).as_str(),
            "2024-02-01"
        );
        assert_eq!(
            Timestamp::from(datetime!(2024-02-01 00:00 UTC)).as_str(),
            "2024-02-01T00:00:00Z"
        );
    }
}
