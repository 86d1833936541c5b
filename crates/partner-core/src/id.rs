//! Typed ids: [`string_id!`](crate::string_id) and [`integer_id!`](crate::integer_id) declare one
//! newtype per kind of resource, so that an order id cannot be passed where a capture id belongs.
//!
//! Every id is serde-transparent (it reads and writes as the bare string or number), prints as the
//! bare value with `Display` and as `OrderId("…")` with `Debug`. An id placed in a URL path still goes
//! through [`join_path`](crate::path::join_path), which refuses an empty, `.`, `..` or control-character
//! id: the type says what an id is for, the path check says that it is safe to send.
//!
//! ```
//! partner_core::string_id! {
//!     /// An order.
//!     pub struct OrderId;
//! }
//! partner_core::integer_id! {
//!     /// An entity.
//!     pub struct EntityId;
//! }
//!
//! let order: OrderId = serde_json::from_str("\"5O190127TN364715T\"").unwrap();
//! assert_eq!(order.to_string(), "5O190127TN364715T");
//! assert_eq!(format!("{order:?}"), "OrderId(\"5O190127TN364715T\")");
//! assert_eq!(serde_json::to_string(&EntityId::new(42)).unwrap(), "42");
//! ```

/// Declares string ids: `pub struct Name;` (with doc comments) for each, as described in the
/// [module docs](crate::id).
#[macro_export]
macro_rules! string_id {
    ($( $(#[$meta:meta])* $vis:vis struct $name:ident; )+) => {$(
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(String);

        impl $name {
            /// Wraps an id as the provider sent it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl ::std::convert::From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <String as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }
    )+};
}

/// Declares integer ids (`i64`): `pub struct Name;` (with doc comments) for each, as described in
/// the [module docs](crate::id).
#[macro_export]
macro_rules! integer_id {
    ($( $(#[$meta:meta])* $vis:vis struct $name:ident; )+) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(i64);

        impl $name {
            /// Wraps an id as the provider sent it.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The id as a number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }
    )+};
}

#[cfg(test)]
// The macros' whole surface is generated; the tests use part of it.
#[allow(dead_code, unreachable_pub)]
mod tests {
    crate::string_id! {
        /// A test id.
        pub(crate) struct ThingId;
    }
    crate::integer_id! {
        /// A numeric test id.
        pub(crate) struct CountId;
    }

    #[test]
    fn string_ids_are_transparent_and_print_bare() {
        let id: ThingId = serde_json::from_str("\"MS-0C-O365\"").unwrap();
        assert_eq!(id.as_str(), "MS-0C-O365");
        assert_eq!(id, "MS-0C-O365");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"MS-0C-O365\"");
        assert_eq!(id.to_string(), "MS-0C-O365");
        assert_eq!(format!("{id:?}"), "ThingId(\"MS-0C-O365\")");
        assert!(serde_json::from_str::<ThingId>("7").is_err());
    }

    #[test]
    fn integer_ids_are_transparent_and_print_bare() {
        let id: CountId = serde_json::from_str("42").unwrap();
        assert_eq!(id.get(), 42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(id.to_string(), "42");
        assert_eq!(format!("{id:?}"), "CountId(42)");
        assert!(serde_json::from_str::<CountId>("\"42\"").is_err());
    }
}
