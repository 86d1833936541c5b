//! Money and quantities as `rust_decimal::Decimal`, on the wire as JSON numbers.
//!
//! Pax8 sends amounts as JSON numbers (`32.01`, `17432960`). Decoding accepts numbers **and** strings
//! (a proxy or a future API version may quote them), going through the shortest decimal text of the
//! number so `32.01` becomes exactly `32.01`. Encoding sends a JSON number, which is what Pax8 expects
//! on `PUT /subscriptions/{id}` (`price`). serde_json's `arbitrary_precision` feature is not needed.
//!
//! This module rather than `rust_decimal::serde::float_option`: that one decodes through `Decimal`'s
//! own `Deserialize`, whose behaviour depends on the `serde-str`/`serde-float` features that any other
//! crate in the build can switch on (feature unification), and it refuses strings in some of those
//! combinations. Here the wire format does not depend on features.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // `Display` of an f64 is its shortest round-tripping text: 32.01 -> "32.01", not 32.0099999…
        let text = v.to_string();
        Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        let v = v.trim();
        Decimal::from_str(v)
            .or_else(|_| Decimal::from_scientific(v))
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

fn to_number<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract().is_zero()
        && let Some(int) = value.to_i64()
    {
        return serializer.serialize_i64(int);
    }
    match value.to_f64() {
        Some(f) => serializer.serialize_f64(f),
        None => Err(serde::ser::Error::custom(
            "decimal out of range for a JSON number",
        )),
    }
}

/// `#[serde(serialize_with = "crate::money::serialize")]` for an amount a request requires: a JSON
/// number, as [`option`] sends one.
pub(crate) fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    to_number(value, serializer)
}

/// `#[serde(default, with = "crate::money::option")]` for an optional (or nullable) amount: every
/// amount is optional, since Pax8 omits fields freely.
pub(crate) mod option {
    use super::*;

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number, a numeric string or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(DecimalVisitor).map(Some)
        }
    }

    /// Serialises `Some` as a JSON number (callers skip `None`).
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => to_number(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Accepts a number, a numeric string, or null.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};
    use std::str::FromStr;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Amounts {
        #[serde(with = "crate::money::option")]
        total: Option<Decimal>,
        #[serde(
            default,
            with = "crate::money::option",
            skip_serializing_if = "Option::is_none"
        )]
        price: Option<Decimal>,
    }

    #[test]
    fn numbers_and_strings_decode_exactly() {
        let a: Amounts = serde_json::from_str(r#"{"total":19796231.89,"price":"32.01"}"#).unwrap();
        assert_eq!(a.total, Some(Decimal::from_str("19796231.89").unwrap()));
        assert_eq!(a.price, Some(Decimal::from_str("32.01").unwrap()));
        let a: Amounts = serde_json::from_str(r#"{"total":17432960,"price":null}"#).unwrap();
        assert_eq!(a.total, Some(Decimal::from(17432960)));
        assert_eq!(a.price, None);
        let a: Amounts = serde_json::from_str(r#"{"total":86.456}"#).unwrap();
        assert_eq!(a.total.unwrap().to_string(), "86.456");
    }

    #[test]
    fn encodes_json_numbers() {
        let a = Amounts {
            total: Some(Decimal::from(150)),
            price: Some(Decimal::from_str("15.39").unwrap()),
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"total":150,"price":15.39}"#
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(serde_json::from_str::<Amounts>(r#"{"total":"abc"}"#).is_err());
        assert!(serde_json::from_str::<Amounts>(r#"{"total":true}"#).is_err());
    }
}
