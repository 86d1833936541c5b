//! Procuret's time format: `YYYY-MM-DD HH:MM:SS.ffffff`, UTC.
//!
//! Read leniently, as Procuret's Python library does: the separator may be a space, `T` or `_`;
//! the fraction is optional (up to nanoseconds); a trailing `±hh:mm` offset (or `Z`) is honoured,
//! and a time without one is UTC. Written in the canonical form with microseconds, in UTC.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A point in time from the Procuret API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// A text that is not in Procuret's time format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
    reason: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a Procuret time (YYYY-MM-DD HH:MM:SS[.ffffff][±hh:mm]): {}",
            self.text, self.reason
        )
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// Wraps a time.
    pub fn new(time: OffsetDateTime) -> Self {
        Self(time)
    }

    /// The time, with the offset it was sent with (UTC when none was).
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// Parses Procuret's time format.
    ///
    /// # Errors
    ///
    /// [`TimestampError`] saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let fail = |reason| TimestampError {
            text: text.to_owned(),
            reason,
        };
        let bytes = text.as_bytes();
        if bytes.len() < 19 || !text.is_ascii() {
            return Err(fail("too short"));
        }
        if bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
            return Err(fail("misplaced separators"));
        }
        if !matches!(bytes[10], b' ' | b'T' | b'_') {
            return Err(fail(
                "the date and time must be separated by a space, `T` or `_`",
            ));
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, TimestampError> {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse::<u32>().map_err(|_| fail("bad number"))
            } else {
                Err(fail("expected digits"))
            }
        };
        let year = number(0..4)? as i32;
        let month = Month::try_from(number(5..7)? as u8).map_err(|_| fail("bad month"))?;
        let day = number(8..10)? as u8;
        let hour = number(11..13)? as u8;
        let minute = number(14..16)? as u8;
        let second = number(17..19)? as u8;

        let mut rest = &text[19..];
        let mut nanos = 0u32;
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return Err(fail("the fraction must have 1 to 9 digits"));
            }
            let scaled = format!("{:0<9}", &fraction[..digits]);
            nanos = scaled.parse().map_err(|_| fail("bad fraction"))?;
            rest = &fraction[digits..];
        }
        let offset = match rest {
            "" | "Z" | "z" => UtcOffset::UTC,
            _ => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1i8,
                    b'-' => -1i8,
                    _ => return Err(fail("unexpected text after the time")),
                };
                let body = &rest[1..];
                let (h, m) = match body.len() {
                    5 if body.as_bytes()[2] == b':' => (&body[0..2], &body[3..5]),
                    4 => (&body[0..2], &body[2..4]),
                    2 => (&body[0..2], "00"),
                    _ => return Err(fail("the offset must be ±hh:mm")),
                };
                let parse = |s: &str| {
                    if s.bytes().all(|b| b.is_ascii_digit()) {
                        s.parse::<i8>().map_err(|_| fail("bad offset"))
                    } else {
                        Err(fail("bad offset"))
                    }
                };
                let (h, m) = (parse(h)?, parse(m)?);
                UtcOffset::from_hms(sign * h, sign * m, 0)
                    .map_err(|_| fail("offset out of range"))?
            }
        };
        let date = Date::from_calendar_date(year, month, day).map_err(|_| fail("no such date"))?;
        let time = Time::from_hms_nano(hour, minute, second, nanos)
            .map_err(|_| fail("no such time of day"))?;
        Ok(Self(
            PrimitiveDateTime::new(date, time).assume_offset(offset),
        ))
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        Self(value)
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(value: Timestamp) -> Self {
        value.0
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The canonical wire form, in UTC: `2023-11-14 22:13:20.000000`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.to_offset(UtcOffset::UTC);
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.microsecond()
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(text: &str) -> i64 {
        Timestamp::parse(text).unwrap().unix_timestamp()
    }

    #[test]
    fn accepts_the_python_variants() {
        assert_eq!(unix("2023-11-14 22:13:20.000000"), 1_700_000_000);
        assert_eq!(unix("2023-11-14T22:13:20.123456"), 1_700_000_000);
        assert_eq!(unix("2023-11-14_22:13:20"), 1_700_000_000);
        assert_eq!(unix("2023-11-15 08:13:20+10:00"), 1_700_000_000);
        assert_eq!(unix("2023-11-14 20:13:20.5-02:00"), 1_700_000_000);
        assert_eq!(unix("2023-11-14T22:13:20Z"), 1_700_000_000);
        let t = Timestamp::parse("2023-11-14 22:13:20.123456").unwrap();
        assert_eq!(t.as_offset_date_time().microsecond(), 123_456);
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "2023-11-14",
            "2023/11/14 22:13:20",
            "2023-11-14x22:13:20",
            "2023-13-14 22:13:20",
            "2023-02-30 22:13:20",
            "2023-11-14 22:13:20.",
            "2023-11-14 22:13:20 extra",
            "2023-11-14 25:13:20",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_the_canonical_form_in_utc() {
        let t = Timestamp::parse("2023-11-15 08:13:20.25+10:00").unwrap();
        assert_eq!(t.to_string(), "2023-11-14 22:13:20.250000");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2023-11-14 22:13:20.250000\""
        );
        let back: Timestamp = serde_json::from_str("\"2023-11-14 22:13:20.250000\"").unwrap();
        assert_eq!(back, t);
    }
}
