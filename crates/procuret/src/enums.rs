//! Procuret's enumerations, with their integer wire values.
//!
//! Procuret adds values over time, so every integer enumeration has an `Unknown(i64)` variant that
//! keeps the value as sent and serialises it back unchanged.

use serde::{Deserialize, Serialize};

partner_core::int_enum! {
    /// The role a session acts in.
    pub enum Perspective {
        /// A supplier (wire value 1): creates instalment links.
        Supplier = 1,
        /// A business, i.e. a customer (2).
        Business = 2,
        /// A Procuret administrator (3).
        Administrator = 3,
        /// Sales, "PM" in Procuret's prompt (4).
        Sales = 4,
        /// Treasury (5).
        Treasury = 5,
        /// An investor (6).
        Investor = 6,
        /// Customer support, "Customer Success" (7).
        CustomerSupport = 7,
    }
}

partner_core::int_enum! {
    /// How long a session lives, which also decides how requests are authenticated.
    pub enum Lifecycle {
        /// Short-lived (1): requests carry the raw api key.
        ShortLived = 1,
        /// Long-lived (2): requests carry an HMAC signature. The default for new sessions.
        LongLived = 2,
    }
}

partner_core::int_enum! {
    /// What the supplier calls the sale an instalment link pays for.
    pub enum SaleNomenclature {
        /// An invoice (1).
        Invoice = 1,
        /// An order (2).
        Order = 2,
        /// A Shopify order (3).
        ShopifyOrder = 3,
        /// A reference (4).
        Reference = 4,
        /// A quote (5).
        Quote = 5,
    }
}

partner_core::int_enum! {
    /// What an instalment link asks of the customer.
    pub enum InstalmentLinkMode {
        /// Apply for instalment finance for this sale (1).
        Application = 1,
        /// Apply for pre-approval (2).
        PreApproval = 2,
    }
}

partner_core::int_enum! {
    /// How a payment series is collected.
    pub enum PaymentMechanism {
        /// On the Procuret platform (1).
        OnPlatform = 1,
        /// Outside the platform (2).
        OffPlatform = 2,
        /// By a Stripe subscription (3).
        StripeSubscription = 3,
        /// Procuret itself does not know (4). Distinct from [`PaymentMechanism::Unknown`], which holds
        /// values this crate does not know.
        NotKnown = 4,
    }
}

partner_core::int_enum! {
    /// When instalments fall due relative to their period.
    pub enum Cycle {
        /// At the start of each period (1); the value Procuret's own libraries use.
        Advance = 1,
        /// At the end of each period (2).
        Arrears = 2,
    }
}

partner_core::int_enum! {
    /// The kind of a business identifier.
    pub enum EntityIdType {
        /// Australian Business Number (1).
        Abn = 1,
        /// Australian Company Number (2).
        Acn = 2,
        /// New Zealand Business Number (3).
        Nzbn = 3,
        /// New Zealand IRD number (5).
        Nzird = 5,
    }
}

partner_core::int_enum! {
    /// The kind of a human identity document.
    pub enum IdentityDocumentType {
        /// An Australian driver licence (1).
        AustralianDriverLicence = 1,
        /// A New Zealand driver licence (2).
        NewZealandDriverLicence = 2,
    }
}

partner_core::int_enum! {
    /// The verification state of an identity document.
    pub enum VerificationState {
        /// Not verified yet (1).
        NotVerified = 1,
        /// Verified and valid (2).
        VerifiedValid = 2,
        /// Found invalid (3).
        Invalid = 3,
    }
}

/// The sort direction of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first. The default here, because offset paging over a list that grows at its end stays
    /// stable while it is walked.
    #[default]
    Ascending,
    /// Newest first.
    Descending,
}

/// The field a list is sorted by. Procuret documents only `created`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum OrderBy {
    /// Creation time.
    #[default]
    Created,
}

/// Whether Procuret contacts the customer about a new instalment link (the wire's `communicate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommunicationOption {
    /// Procuret emails the link to the invitee (`communicate: true`).
    EmailCustomer,
    /// Procuret sends nothing; the supplier shares the link itself (`communicate: false`).
    DoNotContact,
}

impl CommunicationOption {
    /// The wire value of `communicate`.
    pub fn communicate(self) -> bool {
        matches!(self, CommunicationOption::EmailCustomer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_match_the_research_table() {
        let perspectives = [
            (Perspective::Supplier, 1),
            (Perspective::Business, 2),
            (Perspective::Administrator, 3),
            (Perspective::Sales, 4),
            (Perspective::Treasury, 5),
            (Perspective::Investor, 6),
            (Perspective::CustomerSupport, 7),
        ];
        for (variant, value) in perspectives {
            assert_eq!(variant.as_i64(), value);
            assert_eq!(Perspective::from_i64(value), variant);
        }
        assert_eq!(Lifecycle::ShortLived.as_i64(), 1);
        assert_eq!(Lifecycle::LongLived.as_i64(), 2);
        assert_eq!(SaleNomenclature::Quote.as_i64(), 5);
        assert_eq!(SaleNomenclature::ShopifyOrder.as_i64(), 3);
        assert_eq!(InstalmentLinkMode::PreApproval.as_i64(), 2);
        assert_eq!(PaymentMechanism::StripeSubscription.as_i64(), 3);
        assert_eq!(PaymentMechanism::NotKnown.as_i64(), 4);
        assert_eq!(Cycle::Arrears.as_i64(), 2);
        assert_eq!(EntityIdType::Nzird.as_i64(), 5);
        assert_eq!(EntityIdType::from_i64(4), EntityIdType::Unknown(4));
        assert_eq!(IdentityDocumentType::NewZealandDriverLicence.as_i64(), 2);
        assert_eq!(VerificationState::Invalid.as_i64(), 3);
    }

    #[test]
    fn unknown_values_round_trip() {
        let value: SaleNomenclature = serde_json::from_str("42").unwrap();
        assert_eq!(value, SaleNomenclature::Unknown(42));
        assert_eq!(serde_json::to_string(&value).unwrap(), "42");
        let known: Perspective = serde_json::from_str("1").unwrap();
        assert_eq!(known, Perspective::Supplier);
        assert_eq!(serde_json::to_string(&Lifecycle::LongLived).unwrap(), "2");
    }

    #[test]
    fn order_serialises_lowercase() {
        assert_eq!(
            serde_json::to_string(&Order::Descending).unwrap(),
            "\"descending\""
        );
        assert_eq!(
            serde_json::to_string(&OrderBy::Created).unwrap(),
            "\"created\""
        );
        assert!(CommunicationOption::EmailCustomer.communicate());
        assert!(!CommunicationOption::DoNotContact.communicate());
    }
}
