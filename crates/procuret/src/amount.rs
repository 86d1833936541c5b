//! Money on Procuret's wire: decimal **strings** in plain notation, validated against the currency.
//!
//! Procuret sends and receives money as JSON strings (`"422.42"`). Python's reference library sends
//! `str(Decimal)`, which keeps the places it was given (`"1000.00"`) but can produce `"1E+3"`. This
//! crate sends an amount in plain notation with exactly its currency's decimal places (two for AUD
//! and NZD: `1000` and `1E+3` go out as `"1000.00"`, `1234.5` as `"1234.50"`), refuses one with more
//! places than the currency has before sending, and reads plain or scientific notation, as strings or
//! JSON numbers.

use std::fmt;

use partner_core::Error;
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A currency, identified on the wire by its integer id (`denomination`, `denomination_id`,
/// `indexid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Denomination {
    /// Australian dollar (id 1, 2 decimal places).
    Aud,
    /// New Zealand dollar (id 2, 2 decimal places).
    Nzd,
    /// A currency id this crate does not know.
    Unknown(i64),
}

impl Denomination {
    /// The variant for a wire id.
    pub fn from_i64(id: i64) -> Self {
        match id {
            1 => Denomination::Aud,
            2 => Denomination::Nzd,
            other => Denomination::Unknown(other),
        }
    }

    /// The wire id.
    pub fn as_i64(self) -> i64 {
        match self {
            Denomination::Aud => 1,
            Denomination::Nzd => 2,
            Denomination::Unknown(id) => id,
        }
    }

    /// The number of decimal places of the currency, when known.
    pub fn exponent(self) -> Option<u32> {
        match self {
            Denomination::Aud | Denomination::Nzd => Some(2),
            Denomination::Unknown(_) => None,
        }
    }

    /// The ISO 4217 code, when known.
    pub fn iso_4217(self) -> Option<&'static str> {
        match self {
            Denomination::Aud => Some("AUD"),
            Denomination::Nzd => Some("NZD"),
            Denomination::Unknown(_) => None,
        }
    }
}

impl Serialize for Denomination {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.as_i64())
    }
}

impl<'de> Deserialize<'de> for Denomination {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Denomination::from_i64)
    }
}

/// A currency as Procuret describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Currency {
    /// The currency's id.
    #[serde(rename = "indexid")]
    pub id: Denomination,
    /// Its name, e.g. `Australian Dollar`.
    #[serde(default)]
    pub name: Option<String>,
    /// Its ISO 4217 code, e.g. `AUD`.
    #[serde(default)]
    pub iso_4217: Option<String>,
    /// Its number of decimal places.
    #[serde(default)]
    pub exponent: Option<u32>,
    /// Its symbol, e.g. `$`.
    #[serde(default)]
    pub symbol: Option<String>,
}

/// A sum of money with its currency.
///
/// On the wire `denomination` is either the currency id or a full [`Currency`] object; both decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Amount {
    /// The sum.
    pub magnitude: Decimal,
    /// The currency.
    pub denomination: Denomination,
    /// The currency's description, when the API sent the object rather than the id.
    pub currency: Option<Currency>,
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum DenominationWire {
            Id(i64),
            Currency(Currency),
        }
        #[derive(Deserialize)]
        struct Wire {
            #[serde(deserialize_with = "deserialize")]
            magnitude: Decimal,
            denomination: DenominationWire,
        }
        let wire = Wire::deserialize(deserializer)?;
        let (denomination, currency) = match wire.denomination {
            DenominationWire::Id(id) => (Denomination::from_i64(id), None),
            DenominationWire::Currency(currency) => (currency.id, Some(currency)),
        };
        Ok(Amount {
            magnitude: wire.magnitude,
            denomination,
            currency,
        })
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Amount", 2)?;
        s.serialize_field("magnitude", &to_wire(self.magnitude))?;
        s.serialize_field("denomination", &self.denomination)?;
        s.end()
    }
}

/// The wire text of a decimal: plain notation, no trailing zeros after the point.
///
/// `rust_decimal` never prints exponents, and `normalize` only drops trailing fractional zeros (a
/// `Decimal` cannot hold a negative scale), so `1E+3` parsed from scientific notation still goes out
/// as `"1000"`.
pub fn to_wire(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// `amount` with exactly `denomination`'s decimal places (`1000` → `1000.00` in AUD), as Procuret's
/// own library sends money; as given for a currency this crate does not know. Call it on an amount
/// [`validate`] accepted: one with more places would be rounded.
pub fn in_currency(amount: Decimal, denomination: Denomination) -> Decimal {
    match denomination.exponent() {
        Some(exponent) => {
            let mut exact = amount.normalize();
            exact.rescale(exponent);
            exact
        }
        None => amount,
    }
}

/// The wire text of an amount [`in_currency`]: plain notation, with the places it holds.
pub fn to_wire_exact(amount: Decimal) -> String {
    amount.to_string()
}

/// Parses Procuret's decimal text: plain (`"422.42"`) or scientific (`"1E+3"`) notation.
///
/// # Errors
///
/// A message when the text is not a decimal number.
pub fn parse(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| format!("`{text}` is not a decimal number"))
}

/// Serialises a [`Decimal`] as a plain-notation JSON string (for `#[serde(serialize_with)]`).
///
/// # Errors
///
/// Those of the serializer.
pub fn serialize<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&to_wire(*amount))
}

/// Serialises an amount [`in_currency`] with the places it holds (for `#[serde(serialize_with)]`).
///
/// # Errors
///
/// Those of the serializer.
pub fn serialize_exact<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&to_wire_exact(*amount))
}

/// Reads a [`Decimal`] from a JSON string or number (for `#[serde(deserialize_with)]`).
///
/// # Errors
///
/// When the value is neither a decimal string nor a number.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalVisitor)
}

pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "deserialize")] Decimal);
    Option::<Wrapper>::deserialize(deserializer).map(|w| w.map(|Wrapper(d)| d))
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number as a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // JSON numbers reach here already as binary floats; going through their shortest text
        // gives the decimal the sender wrote (0.1 stays 0.1).
        parse(&v.to_string()).map_err(E::custom)
    }
}

/// Checks an amount before it is sent: positive, and with no more decimal places than the currency
/// has (2 for AUD and NZD; not checked for a currency this crate does not know).
///
/// Trailing zeros do not count: `422.420` is accepted as `422.42`.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming `field`.
pub fn validate(
    field: &'static str,
    amount: Decimal,
    denomination: Denomination,
) -> Result<(), Error> {
    if amount <= Decimal::ZERO {
        return Err(Error::invalid_input(field, "must be greater than zero"));
    }
    if let Some(exponent) = denomination.exponent() {
        let places = amount.normalize().scale();
        if places > exponent {
            return Err(Error::invalid_input(
                field,
                format!(
                    "has {places} decimal places; {} allows at most {exponent}",
                    denomination.iso_4217().unwrap_or("the currency")
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn plain_notation_always() {
        assert_eq!(to_wire(Decimal::from(1000)), "1000");
        assert_eq!(to_wire(Decimal::from_scientific("1E+3").unwrap()), "1000");
        assert_eq!(to_wire(Decimal::from_str("1000.00").unwrap()), "1000");
        assert_eq!(to_wire(Decimal::from_str("422.420").unwrap()), "422.42");
        assert_eq!(to_wire(Decimal::from_str("0.05").unwrap()), "0.05");
        assert_eq!(to_wire(parse("1.5e2").unwrap()), "150");
        assert_eq!(to_wire(parse("1E+6").unwrap()), "1000000");
    }

    #[test]
    fn money_goes_out_with_the_currencys_places() {
        let aud = |text: &str| to_wire_exact(in_currency(parse(text).unwrap(), Denomination::Aud));
        assert_eq!(aud("1000"), "1000.00");
        assert_eq!(aud("1E+3"), "1000.00");
        assert_eq!(aud("1000.00"), "1000.00");
        assert_eq!(aud("1234.5"), "1234.50");
        assert_eq!(aud("422.420"), "422.42");
        assert_eq!(aud("1E+6"), "1000000.00");
        let unknown = in_currency(parse("12.345").unwrap(), Denomination::Unknown(9));
        assert_eq!(to_wire_exact(unknown), "12.345");
    }

    #[test]
    fn reads_strings_numbers_and_scientific() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "deserialize")]
            v: Decimal,
        }
        let read = |json: &str| serde_json::from_str::<T>(json).unwrap().v;
        assert_eq!(
            read(r#"{"v":"422.42"}"#),
            Decimal::from_str("422.42").unwrap()
        );
        assert_eq!(read(r#"{"v":"1E+3"}"#), Decimal::from(1000));
        assert_eq!(read(r#"{"v":12}"#), Decimal::from(12));
        assert_eq!(read(r#"{"v":0.1}"#), Decimal::from_str("0.1").unwrap());
        assert!(serde_json::from_str::<T>(r#"{"v":"abc"}"#).is_err());
    }

    #[test]
    fn validation() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert!(validate("a", d("422.42"), Denomination::Aud).is_ok());
        assert!(validate("a", d("422.420"), Denomination::Aud).is_ok());
        assert!(validate("a", d("1"), Denomination::Nzd).is_ok());
        let err = validate("a", d("422.421"), Denomination::Aud).unwrap_err();
        assert!(err.to_string().contains("at most 2"), "{err}");
        assert!(validate("a", d("0"), Denomination::Aud).is_err());
        assert!(validate("a", d("-1"), Denomination::Aud).is_err());
        assert!(validate("a", d("0.001"), Denomination::Unknown(9)).is_ok());
    }

    #[test]
    fn amount_decodes_id_or_currency_object() {
        let a: Amount =
            serde_json::from_str(r#"{"magnitude":"10.50","denomination":1,"extra":true}"#).unwrap();
        assert_eq!(a.denomination, Denomination::Aud);
        assert_eq!(a.magnitude, Decimal::from_str("10.50").unwrap());
        let b: Amount = serde_json::from_str(
            r#"{"magnitude":"3","denomination":{"indexid":2,"name":"New Zealand Dollar","iso_4217":"NZD","exponent":2,"symbol":"$"}}"#,
        )
        .unwrap();
        assert_eq!(b.denomination, Denomination::Nzd);
        assert_eq!(b.currency.unwrap().iso_4217.as_deref(), Some("NZD"));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"magnitude":"10.5","denomination":1}"#
        );
    }
}
