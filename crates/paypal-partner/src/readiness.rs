//! Whether a seller can take payments: PayPal's rule over a status document, as one typed verdict.
//!
//! The rule PayPal recommends to partners:
//! 1. `payments_receivable` is true, and
//! 2. `primary_email_confirmed` is true, and
//! 3. the seller granted the permissions: an **active** OAuth integration (`status` `A`) whose
//!    `partner_client_id` is **your** client id, with scopes. The status document lists every
//!    partner's integrations, and a revoked one stays listed as inactive (`I`): neither grants you
//!    anything;
//! 4. then `PPCP_CUSTOM` vetting `SUBSCRIBED` means cards **and** buttons, anything else (`DENIED`,
//!    still in review, not requested) means PayPal buttons only.
//!
//! This crate adds one conservative rule: an account with `limitations` is not ready until the seller
//! resolves them in PayPal. A field missing from the document (a `?fields=` filter, a partial answer)
//! counts as not satisfied: the verdict never says "ready" on missing evidence.
//!
//! The return-URL parameters are never used here: only the API's status document.

use std::fmt;

use crate::merchant_integrations::{MerchantIntegration, ProductName, VettingStatus};

/// Whether advanced card processing is available, when buttons are.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardStatus {
    /// `PPCP_CUSTOM` vetting was denied: buttons only, for good.
    Denied,
    /// `PPCP_CUSTOM` vetting is under way (`PENDING`, `IN_REVIEW`, `NEED_MORE_DATA`...): check again.
    InProgress(VettingStatus),
    /// `PPCP_CUSTOM` is not in the status document (not requested, or no vetting status).
    NotRequested,
}

/// What keeps a seller from taking payments.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Blocker {
    /// `payments_receivable` is false or missing: the account cannot receive payments yet.
    PaymentsNotReceivable,
    /// `primary_email_confirmed` is false or missing: the seller must confirm their email with PayPal.
    EmailNotConfirmed,
    /// No active OAuth integration with scopes for this partner's client id: the seller did not grant
    /// the partner permissions, or revoked them.
    PermissionsNotGranted,
    /// PayPal placed a limitation on the account.
    Limited {
        /// The limitation's title.
        name: Option<String>,
        /// Its restrictions.
        restrictions: Vec<String>,
    },
}

impl Blocker {
    /// A message to show the seller.
    pub fn message(&self) -> String {
        match self {
            Blocker::PaymentsNotReceivable => {
                "Your PayPal account cannot receive payments yet. Log in to PayPal to resolve this.".into()
            }
            Blocker::EmailNotConfirmed => {
                "Please confirm your email address with PayPal (check your inbox), then come back.".into()
            }
            Blocker::PermissionsNotGranted => {
                "You did not grant us permission to take payments for you. Please connect PayPal again and accept the permissions.".into()
            }
            Blocker::Limited { name, .. } => format!(
                "PayPal has limited your account{}. Log in to PayPal to resolve it.",
                name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        }
    }
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Readiness {
    /// Ready for PayPal buttons and advanced card processing.
    CardsAndButtons,
    /// Ready for PayPal buttons; cards are not available, for the reason given.
    ButtonsOnly(CardStatus),
    /// Not ready: every blocker found (never empty).
    NotReady(Vec<Blocker>),
}

impl Readiness {
    /// Applies PayPal's rule to `status`, counting the permissions granted to the partner the
    /// document was fetched for ([`MerchantIntegration::partner_client_id`]); none when that is not
    /// known.
    pub fn of(status: &MerchantIntegration) -> Self {
        Self::judge(status, status.granted_scopes().next().is_some())
    }

    /// Applies PayPal's rule to `status`, counting the permissions granted to the partner whose REST
    /// app has client id `partner_client_id`.
    pub fn for_partner(status: &MerchantIntegration, partner_client_id: &str) -> Self {
        Self::judge(
            status,
            status
                .granted_scopes_for(partner_client_id)
                .next()
                .is_some(),
        )
    }

    fn judge(status: &MerchantIntegration, permissions_granted: bool) -> Self {
        let mut blockers = Vec::new();
        if status.payments_receivable != Some(true) {
            blockers.push(Blocker::PaymentsNotReceivable);
        }
        if status.primary_email_confirmed != Some(true) {
            blockers.push(Blocker::EmailNotConfirmed);
        }
        if !permissions_granted {
            blockers.push(Blocker::PermissionsNotGranted);
        }
        for limitation in &status.limitations {
            blockers.push(Blocker::Limited {
                name: limitation.name.clone(),
                restrictions: limitation.restrictions.clone(),
            });
        }
        if !blockers.is_empty() {
            return Readiness::NotReady(blockers);
        }
        match status
            .product(&ProductName::PpcpCustom)
            .and_then(|p| p.vetting_status.clone())
        {
            Some(VettingStatus::Subscribed) => Readiness::CardsAndButtons,
            Some(VettingStatus::Denied) | Some(VettingStatus::Declined) => {
                Readiness::ButtonsOnly(CardStatus::Denied)
            }
            Some(other) => Readiness::ButtonsOnly(CardStatus::InProgress(other)),
            None => Readiness::ButtonsOnly(CardStatus::NotRequested),
        }
    }

    /// Whether the seller can take payments at all (buttons at least).
    pub fn can_take_payments(&self) -> bool {
        !matches!(self, Readiness::NotReady(_))
    }

    /// Whether the seller can take advanced card payments.
    pub fn can_take_cards(&self) -> bool {
        matches!(self, Readiness::CardsAndButtons)
    }

    /// The blockers (empty when ready).
    pub fn blockers(&self) -> &[Blocker] {
        match self {
            Readiness::NotReady(blockers) => blockers,
            _ => &[],
        }
    }

    /// Messages to show the seller, one per blocker (empty when ready).
    pub fn reasons(&self) -> Vec<String> {
        self.blockers().iter().map(Blocker::message).collect()
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Readiness::CardsAndButtons => f.write_str("ready: PayPal buttons and cards"),
            Readiness::ButtonsOnly(CardStatus::Denied) => {
                f.write_str("ready: PayPal buttons only (card processing denied)")
            }
            Readiness::ButtonsOnly(CardStatus::InProgress(v)) => {
                write!(f, "ready: PayPal buttons only (card vetting {v})")
            }
            Readiness::ButtonsOnly(CardStatus::NotRequested) => {
                f.write_str("ready: PayPal buttons only (cards not requested)")
            }
            Readiness::NotReady(blockers) => {
                f.write_str("not ready: ")?;
                let names: Vec<&str> = blockers
                    .iter()
                    .map(|b| match b {
                        Blocker::PaymentsNotReceivable => "payments not receivable",
                        Blocker::EmailNotConfirmed => "email not confirmed",
                        Blocker::PermissionsNotGranted => "permissions not granted",
                        Blocker::Limited { .. } => "account limited",
                    })
                    .collect();
                f.write_str(&names.join(", "))
            }
        }
    }
}
