//! The query parameters PayPal appends to your `return_url` when the seller comes back.
//!
//! **Untrusted.** Anyone can open your return URL with any parameters, and PayPal may not redirect at
//! all (sellers close tabs; non-public return URLs are dropped). Use these values only to know whom to
//! look up, and to show a friendly page; the verdict always comes from the API:
//! [`MerchantIntegrations::status`](crate::merchant_integrations::MerchantIntegrations::status) and
//! [`Readiness`](crate::Readiness).

use std::collections::BTreeMap;

use partner_core::url::{Url, form_urlencoded};

use crate::ids::{MerchantId, TrackingId};

/// The parameters of the return redirect, parsed leniently (missing and malformed values are `None`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ReturnParams {
    /// `merchantId`: **your tracking id** (PayPal's naming, not the merchant id).
    pub tracking_id: Option<TrackingId>,
    /// `merchantIdInPayPal`: the seller's PayPal merchant id, as claimed by the URL.
    pub merchant_id_in_paypal: Option<MerchantId>,
    /// `permissionsGranted`.
    pub permissions_granted: Option<bool>,
    /// `consentStatus`.
    pub consent_status: Option<bool>,
    /// `isEmailConfirmed`.
    pub is_email_confirmed: Option<bool>,
    /// `accountStatus` (e.g. `BUSINESS_ACCOUNT`).
    pub account_status: Option<String>,
    /// `productIntentId` (e.g. `addipmt`).
    pub product_intent_id: Option<String>,
    /// `riskStatus`.
    pub risk_status: Option<String>,
    /// Every parameter, as received (the last value of a repeated one).
    pub all: BTreeMap<String, String>,
}

impl ReturnParams {
    /// Parses a query string (with or without the leading `?`).
    pub fn from_query(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let all: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let text = |key: &str| all.get(key).filter(|v| !v.is_empty()).cloned();
        let flag = |key: &str| {
            all.get(key)
                .and_then(|v| match v.to_ascii_lowercase().as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                })
        };
        Self {
            tracking_id: text("merchantId").map(TrackingId::from),
            merchant_id_in_paypal: text("merchantIdInPayPal").map(MerchantId::from),
            permissions_granted: flag("permissionsGranted"),
            consent_status: flag("consentStatus"),
            is_email_confirmed: flag("isEmailConfirmed"),
            account_status: text("accountStatus"),
            product_intent_id: text("productIntentId"),
            risk_status: text("riskStatus"),
            all,
        }
    }

    /// Parses the query of `url`.
    pub fn from_url(url: &Url) -> Self {
        Self::from_query(url.query().unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paypal_return_parameters() {
        let url: Url = "https://platform.example/return?merchantId=seller-42&merchantIdInPayPal=8LQLM2ML4ZTYU&permissionsGranted=true&accountStatus=BUSINESS_ACCOUNT&consentStatus=true&productIntentId=addipmt&isEmailConfirmed=false&riskStatus=SUBSCRIBED_WITH_ALL_FEATURES".parse().unwrap();
        let p = ReturnParams::from_url(&url);
        assert_eq!(p.tracking_id.unwrap(), "seller-42");
        assert_eq!(p.merchant_id_in_paypal.unwrap(), "8LQLM2ML4ZTYU");
        assert_eq!(p.permissions_granted, Some(true));
        assert_eq!(p.consent_status, Some(true));
        assert_eq!(p.is_email_confirmed, Some(false));
        assert_eq!(p.account_status.as_deref(), Some("BUSINESS_ACCOUNT"));
        assert_eq!(p.product_intent_id.as_deref(), Some("addipmt"));
        assert_eq!(
            p.risk_status.as_deref(),
            Some("SUBSCRIBED_WITH_ALL_FEATURES")
        );
        assert_eq!(p.all.len(), 8);
    }

    #[test]
    fn lenient_with_garbage() {
        let p = ReturnParams::from_query("?permissionsGranted=maybe&merchantId=&x=%ZZ");
        assert_eq!(p.permissions_granted, None);
        assert_eq!(p.tracking_id, None);
        assert_eq!(ReturnParams::from_query(""), ReturnParams::default());
    }
}
