//! Time, and the date formats each provider puts on the wire.

use time::macros::{format_description, offset};
use time::{OffsetDateTime, UtcOffset};

/// The instant seeded data is dated from, so that seeded dates do not depend on when the sandbox runs.
pub(crate) const SEED_EPOCH: i64 = 1_748_736_000; // 2025-06-01T00:00:00Z

/// Now, in UTC.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Unix seconds to a UTC time (out-of-range values clamp to the Unix epoch).
pub(crate) fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// RFC 3339 with whole seconds and `Z`, as PayPal writes `create_time` (`2024-05-01T10:10:31Z`).
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(UtcOffset::UTC).format(f).unwrap_or_default()
}

/// Pax8's date-time quirk: milliseconds and an offset without a colon (`2023-08-11T11:33:12.314-0600`).
pub(crate) fn pax8_datetime(t: OffsetDateTime) -> String {
    let f = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory][offset_minute]"
    );
    t.to_offset(offset!(-6)).format(f).unwrap_or_default()
}

/// A calendar date, `2023-08-11`.
pub(crate) fn date(t: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day]");
    t.format(f).unwrap_or_default()
}

/// Procuret's UTC time format, `2024-05-01 10:10:31.123456`.
pub(crate) fn procuret_time(t: OffsetDateTime) -> String {
    let f =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]");
    t.to_offset(UtcOffset::UTC).format(f).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_wire() {
        let t = at(1_691_775_192) + time::Duration::milliseconds(314);
        assert_eq!(pax8_datetime(t), "2023-08-11T11:33:12.314-0600");
        assert_eq!(rfc3339(t), "2023-08-11T17:33:12Z");
        assert_eq!(date(t), "2023-08-11");
        assert_eq!(procuret_time(t), "2023-08-11 17:33:12.314000");
    }
}
