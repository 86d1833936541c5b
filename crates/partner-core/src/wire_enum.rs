//! Enums that mirror a provider's values and survive the values it adds later.
//!
//! Providers add enum values without notice (py-pax8 crashes on a new invoice status), and a few spell
//! a value more than one way. [`string_enum!`](crate::string_enum) and [`int_enum!`](crate::int_enum)
//! declare enums with an `Unknown` variant that keeps the value as sent and sends it back unchanged, with
//! serde, `Display`, `FromStr` and conversions, so that every provider crate spells this once.
//!
//! ```
//! partner_core::string_enum! {
//!     /// A subscription's billing term.
//!     pub enum BillingTerm match_with partner_core::wire_enum::ignore_case {
//!         /// Monthly.
//!         Monthly = "Monthly",
//!         /// Yearly.
//!         Annual = "Annual" | "Yearly",
//!     }
//! }
//!
//! assert_eq!(BillingTerm::from_wire("annual"), BillingTerm::Annual);
//! assert_eq!(BillingTerm::from_wire("Yearly").as_str(), "Annual");
//! let new: BillingTerm = serde_json::from_str("\"Quarterly\"").unwrap();
//! assert_eq!(new, BillingTerm::Unknown("Quarterly".into()));
//! assert_eq!(serde_json::to_string(&new).unwrap(), "\"Quarterly\"");
//!
//! // Input from people is checked against the known values instead.
//! use partner_core::wire_enum::KnownValues;
//! assert_eq!(BillingTerm::KNOWN, ["Monthly", "Annual"]);
//! assert_eq!(BillingTerm::known("yearly"), Some(BillingTerm::Annual));
//! assert_eq!(BillingTerm::known("Quarterly"), None);
//! ```

/// Exact comparison: the wire value must match byte for byte (the default).
pub fn exact(wire: &str, known: &str) -> bool {
    wire == known
}

/// ASCII case-insensitive comparison, ignoring surrounding spaces (`flat` and `Flat`).
pub fn ignore_case(wire: &str, known: &str) -> bool {
    wire.trim().eq_ignore_ascii_case(known)
}

/// Case-insensitive, with `-`, `_` and ` ` taken as the same character (`one-time`, `one_time`,
/// `One Time`).
pub fn loose(wire: &str, known: &str) -> bool {
    let norm = |c: char| match c {
        '_' | ' ' => '-',
        c => c.to_ascii_lowercase(),
    };
    let wire = wire.trim();
    wire.chars().count() == known.chars().count()
        && wire.chars().map(norm).eq(known.chars().map(norm))
}

/// The values a [`string_enum!`](crate::string_enum) enum knows, for programs that take them as
/// input and want to refuse a typo instead of sending it (a command line, a form): a value outside
/// [`KNOWN`](Self::KNOWN) would become the enum's `Unknown` variant and reach the provider.
pub trait KnownValues: Sized {
    /// The wire value of each known variant, in declaration order (aliases left out).
    const KNOWN: &'static [&'static str];

    /// Reads a wire value; values outside [`KNOWN`](Self::KNOWN) become `Unknown`.
    fn from_wire(value: &str) -> Self;

    /// Whether this is a value the enum does not know.
    fn is_unknown(&self) -> bool;

    /// The known variant `value` names, if it names one (compared as the enum compares wire
    /// values, aliases included).
    fn known(value: &str) -> Option<Self> {
        Some(Self::from_wire(value)).filter(|v| !v.is_unknown())
    }
}

/// Declares a string enum with an `Unknown(String)` variant.
///
/// Each variant names its wire value (sent when serialising) and, optionally, other spellings accepted
/// when decoding (`Variant = "wire" | "alias"`). `match_with` names the comparison
/// ([`exact`] by default, [`ignore_case`], [`loose`], or any `fn(&str, &str) -> bool`).
///
/// The enum gets `as_str`, `from_wire`, `is_unknown`, `Display`, `FromStr` (infallible),
/// `From<&str>`, `From<String>`, `Serialize` and `Deserialize`. See the [module docs](self).
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $crate::string_enum! {
            $(#[$meta])*
            $vis enum $name match_with $crate::wire_enum::exact {
                $( $(#[$vmeta])* $variant = $wire $(| $alias)* ),+
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident match_with $cmp:path {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept exactly as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Reads a wire value; values this version does not know become `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                $(
                    if $cmp(value, $wire) $(|| $cmp(value, $alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Unknown(value.to_owned())
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl $crate::wire_enum::KnownValues for $name {
            const KNOWN: &'static [&'static str] = &[ $( $wire ),+ ];

            fn from_wire(value: &str) -> Self {
                Self::from_wire(value)
            }

            fn is_unknown(&self) -> bool {
                self.is_unknown()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from_wire(&value)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                Ok(Self::from_wire(&value))
            }
        }
    };
}

/// Declares an integer enum with an `Unknown(i64)` variant (Procuret's perspectives, lifecycles...).
///
/// The enum is `Copy` and gets `from_i64`, `as_i64`, `is_unknown`, `From<i64>`, `From<Enum> for i64`,
/// `Display` (the number), `Serialize` and `Deserialize` (as a JSON integer).
///
/// ```
/// partner_core::int_enum! {
///     /// How long a session lives.
///     pub enum Lifecycle {
///         /// Short-lived (1).
///         ShortLived = 1,
///         /// Long-lived (2).
///         LongLived = 2,
///     }
/// }
/// assert_eq!(Lifecycle::from_i64(2), Lifecycle::LongLived);
/// assert_eq!(serde_json::from_str::<Lifecycle>("9").unwrap(), Lifecycle::Unknown(9));
/// assert_eq!(serde_json::to_string(&Lifecycle::Unknown(9)).unwrap(), "9");
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept as sent.
            Unknown(i64),
        }

        impl $name {
            /// The variant for a wire value (`Unknown` for values this crate does not know).
            pub fn from_i64(value: i64) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }

            /// The wire value.
            pub fn as_i64(self) -> i64 {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(value) => value,
                }
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::from_i64(value)
            }
        }

        impl ::std::convert::From<$name> for i64 {
            fn from(value: $name) -> Self {
                value.as_i64()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self::from_i64)
            }
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub, dead_code)] // the macros declare public items; here they live in a test module
mod tests {
    use super::*;

    crate::string_enum! {
        /// Test enum.
        pub enum ItemType match_with crate::wire_enum::loose {
            /// One-time.
            OneTime = "one-time",
            /// Service charge.
            ServiceCharge = "service-charge" | "fee",
        }
    }

    crate::string_enum! {
        /// Exact by default.
        pub(crate) enum Status {
            /// Paid.
            Paid = "Paid",
        }
    }

    crate::int_enum! {
        /// Test enum.
        pub enum Cycle {
            /// Advance.
            Advance = 1,
            /// Arrears.
            Arrears = 2,
        }
    }

    #[test]
    fn comparisons() {
        assert!(loose("one_time", "one-time"));
        assert!(loose("Service Charge", "service-charge"));
        assert!(!loose("one-times", "one-time"));
        assert!(ignore_case(" FLAT ", "flat"));
        assert!(!exact("Flat", "flat"));
    }

    #[test]
    fn string_enums_round_trip_known_aliased_and_unknown_values() {
        assert_eq!(ItemType::from_wire("ONE_TIME"), ItemType::OneTime);
        assert_eq!(ItemType::from_wire("fee"), ItemType::ServiceCharge);
        assert_eq!(
            serde_json::to_string(&ItemType::ServiceCharge).unwrap(),
            "\"service-charge\""
        );
        let unknown: ItemType = serde_json::from_str("\"rebate\"").unwrap();
        assert!(unknown.is_unknown());
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"rebate\"");
        assert_eq!(Status::from_wire("paid"), Status::Unknown("paid".into()));
        assert_eq!("Paid".parse::<Status>().unwrap(), Status::Paid);
        assert_eq!(Status::Paid.to_string(), "Paid");
    }

    #[test]
    fn int_enums_round_trip_known_and_unknown_values() {
        assert_eq!(serde_json::from_str::<Cycle>("2").unwrap(), Cycle::Arrears);
        assert_eq!(
            serde_json::from_str::<Cycle>("-7").unwrap(),
            Cycle::Unknown(-7)
        );
        assert_eq!(i64::from(Cycle::Advance), 1);
        assert_eq!(Cycle::from(42).to_string(), "42");
        assert!(serde_json::from_str::<Cycle>("\"1\"").is_err());
    }
}
