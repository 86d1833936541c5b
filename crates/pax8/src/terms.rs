//! Billing terms, shared by products, orders and subscriptions.

use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// How often a subscription is billed (and, for commitments, how long it binds).
    pub enum BillingTerm match_with exact {
        /// `Monthly`.
        Monthly = "Monthly",
        /// `Annual`.
        Annual = "Annual",
        /// `2-Year`.
        TwoYear = "2-Year",
        /// `3-Year`.
        ThreeYear = "3-Year",
        /// `One-Time`.
        OneTime = "One-Time",
        /// `Trial`.
        Trial = "Trial",
        /// `Activation`.
        Activation = "Activation",
    }
}

impl BillingTerm {
    /// The length of the term in months, for terms that have one (Monthly 1, Annual 12, 2-Year 24,
    /// 3-Year 36). Used to pick a commitment at least as long as the billing term.
    pub fn months(&self) -> Option<u32> {
        match self {
            BillingTerm::Monthly => Some(1),
            BillingTerm::Annual => Some(12),
            BillingTerm::TwoYear => Some(24),
            BillingTerm::ThreeYear => Some(36),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_and_unknown() {
        let t: BillingTerm = serde_json::from_str("\"2-Year\"").unwrap();
        assert_eq!(t, BillingTerm::TwoYear);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2-Year\"");
        let u: BillingTerm = serde_json::from_str("\"5-Year\"").unwrap();
        assert_eq!(u, BillingTerm::Unknown("5-Year".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"5-Year\"");
        assert_eq!(BillingTerm::ThreeYear.months(), Some(36));
    }
}
