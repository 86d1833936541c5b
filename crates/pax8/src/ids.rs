//! Identifiers: string newtypes, one per kind of resource.
//!
//! They are not `Uuid`: the spec's own examples hold malformed UUIDs
//! (`aaaee3f-262c-47a4-b0e6-f9ce8b54fcd7`) and Pax8 documents a product id
//! `MS-0C-O365-BUSINESS-PREMIUM`. An id put in a path goes through [`partner_core::path::join_path`],
//! which refuses an empty, blank, `.`, `..` or control-character id and percent-encodes the rest as one
//! segment.

use std::fmt;

use partner_core::Error;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as Pax8 sent it.
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

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    )+};
}

id_type! {
    /// A company (a Pax8 partner's customer).
    CompanyId,
    /// A contact of a company.
    ContactId,
    /// A product of the catalogue.
    ProductId,
    /// An order.
    OrderId,
    /// A line item of an order.
    LineItemId,
    /// A subscription.
    SubscriptionId,
    /// A commitment term (from a product's dependencies).
    CommitmentTermId,
    /// A usage summary.
    UsageSummaryId,
    /// An invoice.
    InvoiceId,
    /// An invoice item.
    InvoiceItemId,
    /// A Pax8 user.
    UserId,
    /// A Pax8 account (the partner's account, in the webhooks API).
    AccountId,
    /// A webhook.
    WebhookId,
    /// A topic subscription of a webhook.
    WebhookTopicId,
    /// A webhook delivery log entry.
    WebhookLogId,
    /// A webhook delivery attempt.
    WebhookCallId,
    /// A third-party integration (webhooks created by integrators).
    IntegrationId,
}

/// Refuses a blank id used as a query filter (an empty filter would silently list everything).
pub(crate) fn require(field: &'static str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// [`require`] for an optional id (a list filter): only an id that is set must be non-empty.
pub(crate) fn require_if_set(
    field: &'static str,
    id: Option<&impl AsRef<str>>,
) -> Result<(), Error> {
    id.map_or(Ok(()), |id| require(field, id.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_transparent_strings() {
        let id: ProductId = serde_json::from_str("\"MS-0C-O365-BUSINESS-PREMIUM\"").unwrap();
        assert_eq!(id.as_str(), "MS-0C-O365-BUSINESS-PREMIUM");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"MS-0C-O365-BUSINESS-PREMIUM\""
        );
        assert_eq!(
            format!("{id:?}"),
            "ProductId(\"MS-0C-O365-BUSINESS-PREMIUM\")"
        );
    }

    #[test]
    fn empty_ids_are_refused() {
        assert!(require("company_id", " ").is_err());
        assert!(require("company_id", "x").is_ok());
    }
}
