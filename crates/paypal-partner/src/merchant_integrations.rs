//! Merchant integrations (`/v1/customer/partners/{partner_id}/merchant-integrations`): find a seller's
//! PayPal merchant id by your tracking id, and read their onboarding status.
//!
//! `partner_id` is **your** PayPal merchant id (set with
//! [`ClientBuilder::partner_merchant_id`](crate::ClientBuilder::partner_merchant_id)), not your client id.

use std::fmt;

use partner_core::DecodeError;
use partner_core::http::Method;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{Client, check_id};
use crate::ids::{MerchantId, TrackingId};
use crate::links::Link;
use crate::readiness::Readiness;
use crate::referrals::IntegrationMethod;
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// A product in a status document (not the same names as in a referral: PPCP appears as
    /// `PPCP_STANDARD` or `PPCP_CUSTOM`).
    pub enum ProductName {
        /// PayPal buttons (PPCP without advanced cards).
        PpcpStandard = "PPCP_STANDARD",
        /// PPCP with advanced card processing: its vetting decides card readiness.
        PpcpCustom = "PPCP_CUSTOM",
        /// Express Checkout.
        ExpressCheckout = "EXPRESS_CHECKOUT",
        /// Website Payments Standard.
        WebsitePaymentsStandard = "WEBSITE_PAYMENTS_STANDARD",
        /// Mass payment.
        MassPayment = "MASS_PAYMENT",
        /// Email payments.
        EmailPayments = "EMAIL_PAYMENTS",
        /// eBay checkout.
        EbayCheckout = "EBAY_CHECKOUT",
        /// Payflow Link.
        PayflowLink = "PAYFLOW_LINK",
        /// Payflow Pro.
        PayflowPro = "PAYFLOW_PRO",
        /// Website Payments Pro 3.0.
        WebsitePaymentsPro30 = "WEBSITE_PAYMENTS_PRO_3_0",
        /// Website Payments Pro 2.0.
        WebsitePaymentsPro20 = "WEBSITE_PAYMENTS_PRO_2_0",
        /// Virtual terminal.
        VirtualTerminal = "VIRTUAL_TERMINAL",
        /// Hosted sole solution.
        HostedSoleSolution = "HOSTED_SOLE_SOLUTION",
        /// Bill Me Later.
        BillMeLater = "BILL_ME_LATER",
        /// Mobile Express Checkout.
        MobileExpressCheckout = "MOBILE_EXPRESS_CHECKOUT",
        /// PayPal Here.
        PaypalHere = "PAYPAL_HERE",
        /// Mobile in store.
        MobileInStore = "MOBILE_IN_STORE",
        /// PayPal Standard.
        PaypalStandard = "PAYPAL_STANDARD",
        /// Mobile PayPal Standard.
        MobilePaypalStandard = "MOBILE_PAYPAL_STANDARD",
        /// Mobile payment acceptance.
        MobilePaymentAcceptance = "MOBILE_PAYMENT_ACCEPTANCE",
        /// PayPal Advanced.
        PaypalAdvanced = "PAYPAL_ADVANCED",
        /// PayPal Pro.
        PaypalPro = "PAYPAL_PRO",
        /// Enhanced recurring payments.
        EnhancedRecurringPayments = "ENHANCED_RECURRING_PAYMENTS",
        /// Alternative payment methods.
        PaymentMethods = "PAYMENT_METHODS",
        /// Advanced vaulting.
        AdvancedVaulting = "ADVANCED_VAULTING",
    }
}

partner_core::string_enum! {
    /// The risk vetting of a product.
    pub enum VettingStatus {
        /// Approved.
        Approved = "APPROVED",
        /// Pending.
        Pending = "PENDING",
        /// Declined.
        Declined = "DECLINED",
        /// Subscribed: for `PPCP_CUSTOM`, advanced cards are available.
        Subscribed = "SUBSCRIBED",
        /// Under review.
        InReview = "IN_REVIEW",
        /// PayPal needs more data from the seller.
        NeedMoreData = "NEED_MORE_DATA",
        /// Denied: for `PPCP_CUSTOM`, buttons only.
        Denied = "DENIED",
    }
}

partner_core::string_enum! {
    /// The status of a capability.
    pub enum CapabilityStatus {
        /// Active.
        Active = "ACTIVE",
        /// Suspended.
        Suspended = "SUSPENDED",
        /// Revoked.
        Revoked = "REVOKED",
        /// Approved.
        Approved = "APPROVED",
        /// PayPal needs data.
        NeedData = "NEED_DATA",
        /// Denied.
        Deny = "DENY",
        /// In review.
        InReview = "IN_REVIEW",
        /// Inactive.
        Inactive = "INACTIVE",
        /// Pending.
        Pending = "PENDING",
    }
}

partner_core::string_enum! {
    /// `oauth_integrations[].integration_type`.
    pub enum OauthIntegrationType {
        /// First party, integrated.
        FirstPartyIntegrated = "FIRST_PARTY_INTEGRATED",
        /// First party, not integrated.
        FirstPartyNonIntegrated = "FIRST_PARTY_NON_INTEGRATED",
        /// Third party.
        ThirdParty = "THIRD_PARTY",
        /// OAuth third party (the partner case).
        OauthThirdParty = "OAUTH_THIRD_PARTY",
    }
}

/// A product of the seller's account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MerchantProduct {
    /// The product.
    pub name: ProductName,
    /// Its risk vetting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vetting_status: Option<VettingStatus>,
    /// `ACTIVE`, `INACTIVE`, `PENDING`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The capability names bundled in it.
    #[serde(default)]
    pub capabilities: Vec<String>,
}

/// A limit of a capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CapabilityLimit {
    /// `GENERAL`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A capability of the seller's account (`CUSTOM_CARD_PROCESSING`, `PAYPAL_CHECKOUT`...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MerchantCapability {
    /// The capability name.
    pub name: String,
    /// Its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CapabilityStatus>,
    /// Its limits.
    #[serde(default)]
    pub limits: Vec<CapabilityLimit>,
}

/// A partner/seller pair of an OAuth integration and the scopes the seller granted.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct OauthThirdParty {
    /// The partner's client id.
    #[serde(default)]
    pub partner_client_id: Option<String>,
    /// The seller's client id.
    #[serde(default)]
    pub merchant_client_id: Option<String>,
    /// The granted scopes: empty means the seller has not granted the permissions.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// An access token, for some integration methods.
    #[serde(default, deserialize_with = "secret_opt")]
    pub access_token: Option<partner_core::SecretString>,
    /// A refresh token, for some integration methods.
    #[serde(default, deserialize_with = "secret_opt")]
    pub refresh_token: Option<partner_core::SecretString>,
}

fn secret_opt<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<partner_core::SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(partner_core::SecretString::from))
}

impl fmt::Debug for OauthThirdParty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OauthThirdParty")
            .field("partner_client_id", &self.partner_client_id)
            .field("merchant_client_id", &self.merchant_client_id)
            .field("scopes", &self.scopes)
            .field(
                "access_token",
                &self
                    .access_token
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .field(
                "refresh_token",
                &self
                    .refresh_token
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .finish()
    }
}

/// An OAuth integration between the partner and the seller.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct OauthIntegration {
    /// The integration type.
    #[serde(default)]
    pub integration_type: Option<OauthIntegrationType>,
    /// The integration method.
    #[serde(default)]
    pub integration_method: Option<IntegrationMethod>,
    /// `A` (active) or `I` (inactive).
    #[serde(default)]
    pub status: Option<String>,
    /// The partner/seller pairs and their scopes.
    #[serde(default)]
    pub oauth_third_party: Vec<OauthThirdParty>,
}

impl OauthIntegration {
    /// Whether the integration is active (`status` `A`); `I` (inactive) or no status is not.
    pub fn is_active(&self) -> bool {
        self.status.as_deref() == Some("A")
    }
}

/// A limitation on the seller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Limitation {
    /// Its title.
    #[serde(default)]
    pub name: Option<String>,
    /// The restrictions it imposes.
    #[serde(default)]
    pub restrictions: Vec<String>,
}

/// The seller's API credentials (classic integrations): a secret, hidden from `Debug`.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct ApiCredentials(serde_json::Value);

impl ApiCredentials {
    /// The credentials document.
    pub fn expose(&self) -> &serde_json::Value {
        &self.0
    }
}

impl fmt::Debug for ApiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(partner_core::secret::REDACTED)
    }
}

/// A seller's onboarding status (`GET .../merchant-integrations/{merchant_id}`).
///
/// Ask [`readiness`](MerchantIntegration::readiness) whether they can take payments.
///
/// A document fetched with [`GetStatus::send`] knows your client id, so that only the permissions the
/// seller granted **you** count (the document lists every partner's integrations). A document read
/// from elsewhere (a database, a webhook, a test) does not: give it the id with
/// [`with_partner_client_id`](Self::with_partner_client_id) or ask
/// [`readiness_for`](Self::readiness_for); until then no permission counts as granted.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct MerchantIntegration {
    /// Your tracking id, if the referral had one.
    #[serde(default)]
    pub tracking_id: Option<TrackingId>,
    /// The seller's PayPal merchant (payer) id.
    #[serde(default)]
    pub merchant_id: Option<MerchantId>,
    /// Given name (casual sellers).
    #[serde(default)]
    pub given_name: Option<String>,
    /// Surname (casual sellers).
    #[serde(default)]
    pub surname: Option<String>,
    /// Legal business name.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// Primary email.
    #[serde(default)]
    pub primary_email: Option<String>,
    /// Whether the primary email is confirmed.
    #[serde(default)]
    pub primary_email_confirmed: Option<bool>,
    /// Whether the account can receive payments.
    #[serde(default)]
    pub payments_receivable: Option<bool>,
    /// When the account was created (RFC 3339).
    #[serde(default)]
    pub date_created: Option<String>,
    /// Permissions granted to the partner (classic).
    #[serde(default)]
    pub granted_permissions: Vec<String>,
    /// API credentials (classic; secret).
    #[serde(default)]
    pub api_credentials: Option<ApiCredentials>,
    /// Products and their vetting.
    #[serde(default)]
    pub products: Vec<MerchantProduct>,
    /// Capabilities and their status.
    #[serde(default)]
    pub capabilities: Vec<MerchantCapability>,
    /// OAuth integrations and the scopes granted.
    #[serde(default)]
    pub oauth_integrations: Vec<OauthIntegration>,
    /// Limitations on the account.
    #[serde(default)]
    pub limitations: Vec<Limitation>,
    /// The client id of the partner asking (not on the wire): set by [`GetStatus::send`].
    #[serde(skip)]
    partner_client_id: Option<String>,
}

impl MerchantIntegration {
    /// Whether the seller can take payments, by PayPal's rule, counting only the permissions granted
    /// to the partner this document was fetched for; see [`Readiness`].
    ///
    /// Without a known partner client id (a document not fetched with [`GetStatus::send`] nor given
    /// one with [`with_partner_client_id`](Self::with_partner_client_id)) the permissions count as
    /// not granted: the verdict never says "ready" on evidence it cannot attribute to you.
    pub fn readiness(&self) -> Readiness {
        Readiness::of(self)
    }

    /// Whether the seller can take payments, counting only the permissions granted to the partner
    /// whose REST app has client id `partner_client_id`.
    pub fn readiness_for(&self, partner_client_id: &str) -> Readiness {
        Readiness::for_partner(self, partner_client_id)
    }

    /// The same document, attributed to the partner whose REST app has client id
    /// `partner_client_id` (for a document not fetched with [`GetStatus::send`]).
    pub fn with_partner_client_id(mut self, partner_client_id: impl Into<String>) -> Self {
        self.partner_client_id = Some(partner_client_id.into());
        self
    }

    /// The client id whose permissions [`readiness`](Self::readiness) and
    /// [`granted_scopes`](Self::granted_scopes) count, when known.
    pub fn partner_client_id(&self) -> Option<&str> {
        self.partner_client_id.as_deref()
    }

    /// The product named `name`.
    pub fn product(&self, name: &ProductName) -> Option<&MerchantProduct> {
        self.products.iter().find(|p| &p.name == name)
    }

    /// The capability named `name`.
    pub fn capability(&self, name: &str) -> Option<&MerchantCapability> {
        self.capabilities.iter().find(|c| c.name == name)
    }

    /// The scopes the seller granted the partner this document was fetched for (see
    /// [`partner_client_id`](Self::partner_client_id)), over its active OAuth integrations; none when
    /// the partner is not known.
    pub fn granted_scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes_of(self.partner_client_id.as_deref())
    }

    /// The scopes the seller granted the partner whose client id is `partner_client_id`, over the
    /// active (`status` `A`) OAuth integrations. An inactive integration, or one with no `status`,
    /// grants nothing: the seller revoked it, or the document does not say.
    pub fn granted_scopes_for<'a>(
        &'a self,
        partner_client_id: &'a str,
    ) -> impl Iterator<Item = &'a str> {
        self.scopes_of(Some(partner_client_id))
    }

    fn scopes_of<'a>(&'a self, partner: Option<&'a str>) -> impl Iterator<Item = &'a str> {
        self.oauth_integrations
            .iter()
            .filter(|i| i.is_active())
            .flat_map(|i| i.oauth_third_party.iter())
            .filter(move |p| partner.is_some() && p.partner_client_id.as_deref() == partner)
            .flat_map(|p| p.scopes.iter().map(String::as_str))
    }
}

/// What the tracking-id lookup returns when the seller finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MerchantRef {
    /// The seller's PayPal merchant id.
    pub merchant_id: MerchantId,
    /// Your tracking id.
    #[serde(default)]
    pub tracking_id: Option<TrackingId>,
    /// Links (to the status document).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The outcome of a lookup by tracking id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MerchantLookup {
    /// The seller finished sign-up: here is their merchant id.
    Found(MerchantRef),
    /// Nothing yet (PayPal answered 404 or without a merchant id): the seller has not finished, or
    /// PayPal has not caught up. Look again later, with backoff, or wait for
    /// `MERCHANT.ONBOARDING.COMPLETED`.
    Pending,
}

/// Status by tracking id: the lookup and the status document in one call.
#[derive(Debug, Clone)]
pub enum OnboardingStatus {
    /// The seller's status document.
    Found(Box<MerchantIntegration>),
    /// The seller has not finished (see [`MerchantLookup::Pending`]).
    Pending,
}

/// The merchant-integrations resource: `client.merchant_integrations()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct MerchantIntegrations {
    client: Client,
}

#[derive(Deserialize)]
struct LookupWire {
    #[serde(default)]
    merchant_id: Option<MerchantId>,
    #[serde(default)]
    tracking_id: Option<TrackingId>,
    #[serde(default)]
    links: Vec<Link>,
}

impl MerchantIntegrations {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET .../merchant-integrations?tracking_id=`: the seller's merchant id, or
    /// [`MerchantLookup::Pending`] while they have not finished.
    pub fn find_by_tracking_id(&self, tracking_id: impl Into<TrackingId>) -> FindByTrackingId {
        FindByTrackingId {
            client: self.client.clone(),
            tracking_id: tracking_id.into(),
            options: RequestOptions::default(),
        }
    }

    /// `GET .../merchant-integrations/{merchant_id}`.
    pub fn status(&self, merchant_id: impl Into<MerchantId>) -> GetStatus {
        GetStatus {
            client: self.client.clone(),
            merchant_id: merchant_id.into(),
            fields: None,
            options: RequestOptions::default(),
        }
    }

    /// The lookup by tracking id, then the status document when the seller finished.
    pub fn status_by_tracking_id(&self, tracking_id: impl Into<TrackingId>) -> StatusByTrackingId {
        StatusByTrackingId {
            lookup: self.find_by_tracking_id(tracking_id),
        }
    }
}

/// A pending lookup by tracking id: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct FindByTrackingId {
    client: Client,
    tracking_id: TrackingId,
    options: RequestOptions,
}

impl FindByTrackingId {
    partner_core::call_options!(options);

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a partner merchant id or with a bad tracking id; API errors other
    /// than 404; transport and decode errors.
    pub async fn send(self) -> Result<MerchantLookup, Error> {
        let partner_id = self.client.partner_id_or_error()?;
        let tracking_id = self.tracking_id.as_str();
        if tracking_id.is_empty() || tracking_id.chars().count() > 127 {
            return Err(Error::invalid_input(
                "tracking_id",
                "must be 1 to 127 characters long",
            ));
        }
        let request = self
            .client
            .request(
                Method::GET,
                &[
                    Segment::literal("v1"),
                    Segment::literal("customer"),
                    Segment::literal("partners"),
                    Segment::id("partner_merchant_id", partner_id),
                    Segment::literal("merchant-integrations"),
                ],
            )?
            .query_pair("tracking_id", tracking_id)
            .options(&self.options);
        let response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(err) if err.is_not_found() => return Ok(MerchantLookup::Pending),
            Err(err) => return Err(err),
        };
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(MerchantLookup::Pending);
        }
        let wire: LookupWire = response.json()?;
        match wire.merchant_id.filter(|id| !id.as_str().is_empty()) {
            Some(merchant_id) => Ok(MerchantLookup::Found(MerchantRef {
                merchant_id,
                tracking_id: wire.tracking_id,
                links: wire.links,
            })),
            None => Ok(MerchantLookup::Pending),
        }
    }
}

/// A pending lookup by tracking id followed by the status document: set options (they apply to
/// both requests), then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct StatusByTrackingId {
    lookup: FindByTrackingId,
}

impl StatusByTrackingId {
    /// Gives each attempt of both requests at most `timeout` (instead of the client's).
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.lookup = self.lookup.timeout(timeout);
        self
    }

    /// Retries both requests by `policy` instead of the client's policy.
    pub fn retry_policy(mut self, policy: partner_core::RetryPolicy) -> Self {
        self.lookup = self.lookup.retry_policy(policy);
        self
    }

    /// Sends each request once, without retries.
    pub fn no_retries(mut self) -> Self {
        self.lookup = self.lookup.no_retries();
        self
    }

    /// Sends it.
    ///
    /// # Errors
    ///
    /// As [`FindByTrackingId::send`] and [`GetStatus::send`].
    pub async fn send(self) -> Result<OnboardingStatus, Error> {
        let client = self.lookup.client.clone();
        let options = self.lookup.options.clone();
        match self.lookup.send().await? {
            MerchantLookup::Pending => Ok(OnboardingStatus::Pending),
            MerchantLookup::Found(found) => {
                let mut status = MerchantIntegrations::new(client).status(found.merchant_id);
                status.options = options;
                Ok(OnboardingStatus::Found(Box::new(status.send().await?)))
            }
        }
    }
}

/// A pending status request: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetStatus {
    client: Client,
    merchant_id: MerchantId,
    fields: Option<String>,
    options: RequestOptions,
}

impl GetStatus {
    partner_core::call_options!(options);

    /// Restricts the answer to these fields (`?fields=`, comma-separated).
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = fields.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.fields = Some(joined.join(","));
        self
    }

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a partner merchant id or with a bad merchant id; API, transport
    /// and decode errors.
    pub async fn send(self) -> Result<MerchantIntegration, Error> {
        let partner_id = self.client.partner_id_or_error()?;
        check_id("merchant_id", self.merchant_id.as_str())?;
        let mut request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v1"),
                Segment::literal("customer"),
                Segment::literal("partners"),
                Segment::id("partner_merchant_id", partner_id),
                Segment::literal("merchant-integrations"),
                Segment::id("merchant_id", self.merchant_id.as_str()),
            ],
        )?;
        if let Some(fields) = &self.fields {
            request = request.query_pair("fields", fields);
        }
        let response = self.client.execute(request.options(&self.options)).await?;
        // The document may hold the seller's `api_credentials` and OAuth tokens: a decode error must
        // not quote the body.
        let document: MerchantIntegration =
            DecodeError::decode_json(&response.body, Some(response.status))
                .map_err(DecodeError::without_snippet)?;
        Ok(document.with_partner_client_id(self.client.client_id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_tokens_and_credentials() {
        let doc: MerchantIntegration = serde_json::from_value(serde_json::json!({
            "merchant_id": "M",
            "api_credentials": {"signature": {"api_user_name": "u", "api_password": "hunter2-password"}},
            "oauth_integrations": [{"oauth_third_party": [{
                "scopes": ["s"], "access_token": "secret-access-token", "refresh_token": "secret-refresh-token"
            }]}]
        }))
        .unwrap();
        let debug = format!("{doc:?}");
        for secret in [
            "hunter2-password",
            "secret-access-token",
            "secret-refresh-token",
        ] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(
            doc.api_credentials.unwrap().expose()["signature"]["api_user_name"],
            "u"
        );
    }
}
