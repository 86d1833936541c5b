//! Money in PayPal's wire form: `{"currency_code": "USD", "value": "10.00"}`, the value a string.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// An amount of a currency. The value is a [`Decimal`], never a float, and travels as a string.
///
/// ```
/// use paypal_partner::Money;
/// use rust_decimal::Decimal;
/// let fee = Money::new("USD", Decimal::new(250, 2));
/// assert_eq!(serde_json::to_string(&fee).unwrap(), r#"{"currency_code":"USD","value":"2.50"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// ISO 4217 code, e.g. `USD`.
    pub currency_code: String,
    /// The amount, e.g. `10.00`.
    #[serde(with = "decimal_string")]
    pub value: Decimal,
}

/// Currencies PayPal accepts only without decimals.
const NO_DECIMALS: &[&str] = &["HUF", "JPY", "TWD"];

impl Money {
    /// `value` of `currency_code`.
    pub fn new(currency_code: impl Into<String>, value: Decimal) -> Self {
        Self {
            currency_code: currency_code.into(),
            value,
        }
    }

    /// Parses the value from text, e.g. `Money::parse("USD", "10.00")`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `value` is not a decimal number.
    pub fn parse(currency_code: impl Into<String>, value: &str) -> Result<Self, Error> {
        let value = Decimal::from_str(value)
            .map_err(|e| Error::invalid_input("value", format!("is not a decimal: {e}")))?;
        Ok(Self::new(currency_code, value))
    }

    /// Checks what PayPal would refuse: a currency code that is not three capital letters, a negative
    /// value, more than two decimals (none for HUF, JPY, TWD).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `field`.
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        let code = &self.currency_code;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_input(
                format!("{field}.currency_code"),
                "must be a three-letter ISO 4217 code in capitals",
            ));
        }
        if self.value.is_sign_negative() {
            return Err(Error::invalid_input(
                format!("{field}.value"),
                "must not be negative",
            ));
        }
        let max_scale = if NO_DECIMALS.contains(&code.as_str()) {
            0
        } else {
            2
        };
        if self.value.normalize().scale() > max_scale {
            return Err(Error::invalid_input(
                format!("{field}.value"),
                format!("{code} takes at most {max_scale} decimal places"),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.currency_code)
    }
}

pub(crate) mod decimal_string {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        // PayPal sends strings; a number is tolerated (through its text, never through f64).
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(serde::de::Error::custom("expected a decimal string")),
        };
        Decimal::from_str(text.trim())
            .or_else(|_| Decimal::from_scientific(text.trim()))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_string() {
        let m: Money = serde_json::from_str(r#"{"currency_code":"EUR","value":"10.00"}"#).unwrap();
        assert_eq!(m.value, Decimal::new(1000, 2));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"currency_code":"EUR","value":"10.00"}"#
        );
        let n: Money = serde_json::from_str(r#"{"currency_code":"EUR","value":1.5}"#).unwrap();
        assert_eq!(n.value, Decimal::new(15, 1));
    }

    #[test]
    fn validation() {
        assert!(
            Money::parse("USD", "10.00")
                .unwrap()
                .validate("amount")
                .is_ok()
        );
        assert!(
            Money::parse("USD", "10.005")
                .unwrap()
                .validate("amount")
                .is_err()
        );
        assert!(
            Money::parse("JPY", "100")
                .unwrap()
                .validate("amount")
                .is_ok()
        );
        assert!(
            Money::parse("JPY", "100.50")
                .unwrap()
                .validate("amount")
                .is_err()
        );
        assert!(
            Money::parse("usd", "1")
                .unwrap()
                .validate("amount")
                .is_err()
        );
        assert!(
            Money::parse("USD", "-1")
                .unwrap()
                .validate("amount")
                .is_err()
        );
        assert!(Money::parse("USD", "abc").is_err());
        let err = Money::parse("USD", "1.234")
            .unwrap()
            .validate("fee")
            .unwrap_err();
        assert!(err.to_string().contains("fee.value"), "{err}");
    }
}
