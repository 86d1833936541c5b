//! String enums that survive values this version does not know.
//!
//! Pax8 adds enum values without notice (py-pax8 0.5 crashes on `Credited`), and spells a few values
//! two ways on the wire. Every enum here therefore has an `Unknown(String)` variant that keeps the value
//! as sent and serialises it back unchanged, and a comparison rule per enum (exact, case-insensitive, or
//! "loose" for values that arrive with hyphens or underscores).

/// Exact comparison: the wire value must match byte for byte.
pub(crate) fn exact(a: &str, b: &str) -> bool {
    a == b
}

/// ASCII case-insensitive comparison (`rateType` arrives as `flat` and `Flat`).
pub(crate) fn ignore_case(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b)
}

/// Case-insensitive, and `-`, `_` and ` ` are the same character (invoice item types arrive as
/// `one-time` in the spec and `one_time` in other clients).
pub(crate) fn loose(a: &str, b: &str) -> bool {
    let norm = |c: char| match c {
        '_' | ' ' => '-',
        c => c.to_ascii_lowercase(),
    };
    let a = a.trim();
    a.chars().count() == b.chars().count() && a.chars().map(norm).eq(b.chars().map(norm))
}

/// Declares a string enum with an `Unknown(String)` variant.
///
/// Each variant names its canonical wire value (sent when serialising) and, optionally, other spellings
/// accepted when decoding. `match_with` names the comparison function.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident match_with $cmp:path {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept exactly as Pax8 sent it.
            Unknown(String),
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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&value))
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_treats_separators_and_case_alike() {
        assert!(loose("one_time", "one-time"));
        assert!(loose("Service Charge", "service-charge"));
        assert!(!loose("one-times", "one-time"));
        assert!(ignore_case("FLAT", "flat"));
        assert!(!exact("Flat", "flat"));
    }
}
