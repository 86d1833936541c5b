//! Partner referrals (`/v2/customer/partner-referrals`): the sign-up link for a seller.
//!
//! Create a referral tied to your own `tracking_id`, send the seller to its `action_url`, and later
//! find their PayPal merchant id by that tracking id
//! ([`MerchantIntegrations::find_by_tracking_id`](crate::merchant_integrations::MerchantIntegrations::find_by_tracking_id)).

use partner_core::http::Method;
use partner_core::url::Url;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{PartnerReferralId, TrackingId};
use crate::links::{self, Link, MissingLink};
use partner_core::RequestOptions;
use partner_core::path::Segment;

partner_core::string_enum! {
    /// What the seller is asked to allow (`operations[].operation`).
    pub enum OperationType {
        /// Collect the API permissions the partner needs (the usual case).
        ApiIntegration = "API_INTEGRATION",
        /// Add a bank account (US only).
        BankAddition = "BANK_ADDITION",
        /// Create a billing agreement.
        BillingAgreement = "BILLING_AGREEMENT",
        /// Contextual marketing consent.
        ContextualMarketingConsent = "CONTEXTUAL_MARKETING_CONSENT",
        /// Create the account from the referral data without UI.
        OfflineOnboarding = "OFFLINE_ONBOARDING",
        /// Traffic from Salesforce.
        SalesforceReferral = "SALESFORCE_REFERRAL",
    }
}

partner_core::string_enum! {
    /// `rest_api_integration.integration_method`.
    pub enum IntegrationMethod {
        /// PayPal (the default).
        Paypal = "PAYPAL",
        /// Braintree.
        Braintree = "BRAINTREE",
        /// Onboarding through the embedded SDK.
        Sdk = "SDK",
    }
}

partner_core::string_enum! {
    /// `rest_api_integration.integration_type`.
    pub enum IntegrationType {
        /// The seller uses their own credentials.
        FirstParty = "FIRST_PARTY",
        /// The partner calls PayPal for the seller (the usual partner case).
        ThirdParty = "THIRD_PARTY",
    }
}

partner_core::string_enum! {
    /// A REST feature the seller grants the partner. It must also be enabled on the partner's REST app,
    /// or onboarding fails.
    pub enum Feature {
        /// Payouts.
        Payouts = "PAYOUTS",
        /// Take payments.
        Payment = "PAYMENT",
        /// Refund payments.
        Refund = "REFUND",
        /// Future payments.
        FuturePayment = "FUTURE_PAYMENT",
        /// Direct (card) payments.
        DirectPayment = "DIRECT_PAYMENT",
        /// Take a platform fee.
        PartnerFee = "PARTNER_FEE",
        /// Delay disbursement of funds (`DELAYED`).
        DelayFundsDisbursement = "DELAY_FUNDS_DISBURSEMENT",
        /// Read the seller's disputes.
        ReadSellerDispute = "READ_SELLER_DISPUTE",
        /// Update the seller's disputes.
        UpdateSellerDispute = "UPDATE_SELLER_DISPUTE",
        /// Advanced transaction search.
        AdvancedTransactionsSearch = "ADVANCED_TRANSACTIONS_SEARCH",
        /// Sweep funds to an external sink.
        SweepFundsExternalSink = "SWEEP_FUNDS_EXTERNAL_SINK",
        /// Read merchant information.
        AccessMerchantInformation = "ACCESS_MERCHANT_INFORMATION",
        /// Read and write shipment tracking.
        TrackingShipmentReadwrite = "TRACKING_SHIPMENT_READWRITE",
        /// Read and write invoices.
        InvoiceReadWrite = "INVOICE_READ_WRITE",
        /// Read buyer disputes.
        DisputeReadBuyer = "DISPUTE_READ_BUYER",
        /// Update customer disputes.
        UpdateCustomerDisputes = "UPDATE_CUSTOMER_DISPUTES",
        /// Vault payment methods.
        Vault = "VAULT",
        /// Billing agreements.
        BillingAgreement = "BILLING_AGREEMENT",
        /// Withdrawals.
        Withdrawals = "WITHDRAWALS",
        /// Linked financial instruments.
        LinkedFinancialInstruments = "LINKED_FINANCIAL_INSTRUMENTS",
        /// User profile.
        UserProfile = "USER_PROFILE",
        /// Transaction risk data.
        TransactionRiskData = "TRANSACTION_RISK_DATA",
        /// PayPal balance.
        PaypalBalance = "PAYPAL_BALANCE",
        /// Currency exchange.
        ExchangeCurrency = "EXCHANGE_CURRENCY",
    }
}

partner_core::string_enum! {
    /// `third_party_details.signup_mode`.
    pub enum SignupMode {
        /// Sign up through Verify with PayPal.
        VerifyWithPaypal = "VERIFY_WITH_PAYPAL",
    }
}

partner_core::string_enum! {
    /// A PayPal product to onboard the seller to. Status documents report PPCP as `PPCP_STANDARD` or
    /// `PPCP_CUSTOM` instead.
    pub enum Product {
        /// Alipay.
        Alipay = "ALIPAY",
        /// Bancontact.
        Bancontact = "BANCONTACT",
        /// BLIK.
        Blik = "BLIK",
        /// EPS.
        Eps = "EPS",
        /// PayPal Complete Payments (buttons and advanced cards).
        Ppcp = "PPCP",
        /// Express Checkout (buttons only).
        ExpressCheckout = "EXPRESS_CHECKOUT",
        /// Alternative payment methods.
        PaymentMethods = "PAYMENT_METHODS",
        /// Advanced vaulting.
        AdvancedVaulting = "ADVANCED_VAULTING",
        /// iDEAL.
        Ideal = "IDEAL",
        /// MB WAY.
        MbWay = "MB_WAY",
        /// Multibanco.
        Multibanco = "MULTIBANCO",
        /// PayPal Commerce Platform for business.
        PaypalCommercePlatformBusiness = "PAYPAL_COMMERCE_PLATFORM_BUSINESS",
        /// PayPal Plus.
        Ppplus = "PPPLUS",
        /// Przelewy24.
        Przelewy24 = "PRZELEWY24",
        /// Satispay.
        Satispay = "SATISPAY",
        /// Trustly.
        Trustly = "TRUSTLY",
        /// WeChat Pay.
        WechatPay = "WECHAT_PAY",
        /// Website Payments Pro.
        WebsitePaymentPro = "WEBSITE_PAYMENT_PRO",
        /// Zettle (formerly iZettle).
        Zettle = "ZETTLE",
        /// Hyperwallet payouts.
        HyperwalletPayouts = "HYPERWALLET_PAYOUTS",
    }
}

partner_core::string_enum! {
    /// A capability to enable for the requested products.
    pub enum Capability {
        /// Advanced vaulting of PayPal wallets.
        PaypalWalletVaultingAdvanced = "PAYPAL_WALLET_VAULTING_ADVANCED",
        /// Pay upon invoice.
        PayUponInvoice = "PAY_UPON_INVOICE",
        /// Apple Pay.
        ApplePay = "APPLE_PAY",
        /// Google Pay.
        GooglePay = "GOOGLE_PAY",
    }
}

partner_core::string_enum! {
    /// `legal_consents[].type`.
    pub enum LegalConsentType {
        /// The seller lets the partner share their data with PayPal.
        ShareDataConsent = "SHARE_DATA_CONSENT",
    }
}

partner_core::string_enum! {
    /// `business_entity.business_type.type`.
    pub enum BusinessType {
        /// Any other business entity.
        AnyOtherBusinessEntity = "ANY_OTHER_BUSINESS_ENTITY",
        /// Association.
        Association = "ASSOCIATION",
        /// Corporation.
        Corporation = "CORPORATION",
        /// General partnership.
        GeneralPartnership = "GENERAL_PARTNERSHIP",
        /// Government.
        Government = "GOVERNMENT",
        /// Individual.
        Individual = "INDIVIDUAL",
        /// Limited liability partnership.
        LimitedLiabilityPartnership = "LIMITED_LIABILITY_PARTNERSHIP",
        /// Limited liability proprietors.
        LimitedLiabilityProprietors = "LIMITED_LIABILITY_PROPRIETORS",
        /// Limited liability private corporation.
        LimitedLiabilityPrivateCorporation = "LIMITED_LIABILITY_PRIVATE_CORPORATION",
        /// Limited partnership.
        LimitedPartnership = "LIMITED_PARTNERSHIP",
        /// Limited partnership private corporation.
        LimitedPartnershipPrivateCorporation = "LIMITED_PARTNERSHIP_PRIVATE_CORPORATION",
        /// Non-profit.
        Nonprofit = "NONPROFIT",
        /// Only buys or sends money.
        OnlyBuyOrSendMoney = "ONLY_BUY_OR_SEND_MONEY",
        /// Other corporate body.
        OtherCorporateBody = "OTHER_CORPORATE_BODY",
        /// Partnership.
        Partnership = "PARTNERSHIP",
        /// Private partnership.
        PrivatePartnership = "PRIVATE_PARTNERSHIP",
        /// Proprietorship.
        Proprietorship = "PROPRIETORSHIP",
        /// Craftsman proprietorship.
        ProprietorshipCraftsman = "PROPRIETORSHIP_CRAFTSMAN",
        /// Proprietary company.
        ProprietoryCompany = "PROPRIETORY_COMPANY",
        /// Private corporation.
        PrivateCorporation = "PRIVATE_CORPORATION",
        /// Public company.
        PublicCompany = "PUBLIC_COMPANY",
        /// Public corporation.
        PublicCorporation = "PUBLIC_CORPORATION",
        /// Public partnership.
        PublicPartnership = "PUBLIC_PARTNERSHIP",
        /// Registered cooperative.
        RegisteredCooperative = "REGISTERED_COOPERATIVE",
    }
}

partner_core::string_enum! {
    /// `business_entity.names[].type`.
    pub enum BusinessNameType {
        /// Trading name.
        DoingBusinessAs = "DOING_BUSINESS_AS",
        /// Legal name.
        LegalName = "LEGAL_NAME",
    }
}

partner_core::string_enum! {
    /// `business_entity.emails[].type`.
    pub enum BusinessEmailType {
        /// Customer service address.
        CustomerService = "CUSTOMER_SERVICE",
    }
}

/// `rest_api_integration.third_party_details`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThirdPartyDetails {
    /// The features the seller grants (at most 20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
    /// The sign-up mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup_mode: Option<SignupMode>,
    /// The organisation path in the partner's hierarchy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// `rest_api_integration.first_party_details`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FirstPartyDetails {
    /// The features.
    #[serde(default)]
    pub features: Vec<Feature>,
    /// The PKCE code verifier (44–128 characters).
    #[serde(default)]
    pub seller_nonce: String,
}

/// `api_integration_preference.rest_api_integration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RestApiIntegration {
    /// The integration method (PayPal's default: `PAYPAL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_method: Option<IntegrationMethod>,
    /// First or third party.
    pub integration_type: IntegrationType,
    /// Third-party details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_details: Option<ThirdPartyDetails>,
    /// First-party details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_party_details: Option<FirstPartyDetails>,
}

impl RestApiIntegration {
    /// A third-party integration through PayPal granting `features`.
    pub fn third_party(features: impl IntoIterator<Item = Feature>) -> Self {
        Self {
            integration_method: Some(IntegrationMethod::Paypal),
            integration_type: IntegrationType::ThirdParty,
            third_party_details: Some(ThirdPartyDetails {
                features: features.into_iter().collect(),
                ..Default::default()
            }),
            first_party_details: None,
        }
    }
}

/// `operations[].api_integration_preference`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiIntegrationPreference {
    /// The REST integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_api_integration: Option<RestApiIntegration>,
    /// `classic_api_integration` (NVP/SOAP permissions), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classic_api_integration: Option<serde_json::Value>,
}

/// One operation of the referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Operation {
    /// The operation.
    pub operation: OperationType,
    /// Its API integration preference (for `API_INTEGRATION`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_integration_preference: Option<ApiIntegrationPreference>,
    /// `offline_onboarding_preference`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_onboarding_preference: Option<serde_json::Value>,
    /// `billing_agreement`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_agreement: Option<serde_json::Value>,
}

impl Operation {
    /// `API_INTEGRATION` with `integration`.
    pub fn api_integration(integration: RestApiIntegration) -> Self {
        Self {
            operation: OperationType::ApiIntegration,
            api_integration_preference: Some(ApiIntegrationPreference {
                rest_api_integration: Some(integration),
                classic_api_integration: None,
            }),
            offline_onboarding_preference: None,
            billing_agreement: None,
        }
    }

    /// An operation of `kind` with no preference.
    pub fn new(kind: OperationType) -> Self {
        Self {
            operation: kind,
            api_integration_preference: None,
            offline_onboarding_preference: None,
            billing_agreement: None,
        }
    }

    fn features(&self) -> impl Iterator<Item = &Vec<Feature>> {
        let rest = self
            .api_integration_preference
            .as_ref()
            .and_then(|p| p.rest_api_integration.as_ref());
        rest.and_then(|r| r.third_party_details.as_ref().map(|t| &t.features))
            .into_iter()
            .chain(rest.and_then(|r| r.first_party_details.as_ref().map(|f| &f.features)))
    }
}

/// A legal consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LegalConsent {
    /// The consent type.
    #[serde(rename = "type")]
    pub kind: LegalConsentType,
    /// Whether the seller agreed.
    pub granted: bool,
}

impl LegalConsent {
    /// `SHARE_DATA_CONSENT` with `granted`.
    pub fn share_data(granted: bool) -> Self {
        Self {
            kind: LegalConsentType::ShareDataConsent,
            granted,
        }
    }
}

/// `partner_config_override`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PartnerConfigOverride {
    /// Where PayPal sends the seller back (at most 127 characters; must be public https in practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// The text of the return button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url_description: Option<String>,
    /// Whether to show the add-a-card page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_add_credit_card: Option<bool>,
}

/// `business_entity.business_type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessTypeInfo {
    /// The type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<BusinessType>,
    /// The subtype (`ASSO_TYPE_INCORPORATED`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
}

/// `business_entity.business_industry`: digit codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessIndustry {
    /// The category code.
    pub category: String,
    /// The merchant category code.
    pub mcc_code: String,
    /// The subcategory code.
    pub subcategory: String,
}

/// `business_entity.names[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessName {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    /// Which name it is.
    #[serde(rename = "type")]
    pub kind: BusinessNameType,
}

/// `business_entity.emails[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessEmail {
    /// The role of the address.
    #[serde(rename = "type")]
    pub kind: BusinessEmailType,
    /// The address.
    pub email: String,
}

/// `business_entity`: what the partner already knows of the seller's business, to pre-fill sign-up.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessEntity {
    /// Type and subtype.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_type: Option<BusinessTypeInfo>,
    /// Industry codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_industry: Option<BusinessIndustry>,
    /// Names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<BusinessName>,
    /// Email addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<BusinessEmail>,
    /// The website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// `business_incorporation`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_incorporation: Option<serde_json::Value>,
    /// `addresses`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<serde_json::Value>,
    /// `phones`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<serde_json::Value>,
    /// `documents`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<serde_json::Value>,
    /// `beneficial_owners`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficial_owners: Option<serde_json::Value>,
    /// `annual_sales_volume_range`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_sales_volume_range: Option<serde_json::Value>,
    /// `average_monthly_volume_range`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_monthly_volume_range: Option<serde_json::Value>,
    /// `purpose_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_code: Option<String>,
    /// `business_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_description: Option<String>,
}

impl BusinessEntity {
    /// A business of `kind`.
    pub fn new(kind: BusinessType) -> Self {
        Self {
            business_type: Some(BusinessTypeInfo {
                kind: Some(kind),
                subtype: None,
            }),
            ..Default::default()
        }
    }

    /// Adds the legal name.
    pub fn legal_name(mut self, name: impl Into<String>) -> Self {
        self.names.push(BusinessName {
            business_name: Some(name.into()),
            kind: BusinessNameType::LegalName,
        });
        self
    }

    /// Sets the website.
    pub fn website(mut self, url: impl Into<String>) -> Self {
        self.website = Some(url.into());
        self
    }

    /// Sets the industry codes.
    pub fn industry(
        mut self,
        category: impl Into<String>,
        mcc_code: impl Into<String>,
        subcategory: impl Into<String>,
    ) -> Self {
        self.business_industry = Some(BusinessIndustry {
            category: category.into(),
            mcc_code: mcc_code.into(),
            subcategory: subcategory.into(),
        });
        self
    }

    /// Adds a customer-service email.
    pub fn customer_service_email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(BusinessEmail {
            kind: BusinessEmailType::CustomerService,
            email: email.into(),
        });
        self
    }
}

/// The referral (`referral_data`): who the seller is to you, and what they are asked to allow.
///
/// Build it with [`ReferralRequest::builder`], which checks PayPal's limits before anything is sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferralRequest {
    /// Your id for the seller (1–127 characters): the key to find them again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<TrackingId>,
    /// The seller's email (pre-fills sign-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The locale of the sign-up pages (`en-US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language_code: Option<String>,
    /// The seller's country (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_country_code: Option<String>,
    /// Return URL and its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_config_override: Option<PartnerConfigOverride>,
    /// The business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_entity: Option<BusinessEntity>,
    /// 1–5 operations.
    #[serde(default)]
    pub operations: Vec<Operation>,
    /// 1–5 products (omitted when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<Product>,
    /// 1–5 capabilities (omitted when empty; needs products).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
    /// 1–5 legal consents.
    #[serde(default)]
    pub legal_consents: Vec<LegalConsent>,
    /// `individual_owners`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_owners: Option<serde_json::Value>,
    /// `financial_instruments` (bank accounts), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial_instruments: Option<serde_json::Value>,
    /// `outside_process_dependencies`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_process_dependencies: Option<serde_json::Value>,
    /// `payout_attributes`, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payout_attributes: Option<serde_json::Value>,
}

/// Limits of `referral_data` (customer_partner_referrals v2).
const MAX_TRACKING_ID: usize = 127;
const MAX_RETURN_URL: usize = 127;
const MAX_EMAIL: usize = 254;
const MAX_LIST: usize = 5;
const MAX_FEATURES: usize = 20;

impl ReferralRequest {
    /// A builder for the common case and more.
    pub fn builder() -> ReferralRequestBuilder {
        ReferralRequestBuilder::default()
    }

    /// Checks PayPal's documented limits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(id) = &self.tracking_id
            && (id.as_str().is_empty() || id.as_str().chars().count() > MAX_TRACKING_ID)
        {
            return Err(Error::invalid_input(
                "tracking_id",
                format!("must be 1 to {MAX_TRACKING_ID} characters long"),
            ));
        }
        if let Some(email) = &self.email
            && (email.len() > MAX_EMAIL || !looks_like_email(email))
        {
            return Err(Error::invalid_input(
                "email",
                format!("must be an email address of at most {MAX_EMAIL} characters"),
            ));
        }
        if let Some(lang) = &self.preferred_language_code
            && !is_language_code(lang)
        {
            return Err(Error::invalid_input(
                "preferred_language_code",
                "must look like `en`, `en-US` or `zh-Hant-TW`",
            ));
        }
        if let Some(country) = &self.legal_country_code
            && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::invalid_input(
                "legal_country_code",
                "must be a two-letter ISO 3166-1 code in capitals",
            ));
        }
        if let Some(config) = &self.partner_config_override {
            if let Some(url) = &config.return_url {
                if url.is_empty() || url.chars().count() > MAX_RETURN_URL {
                    return Err(Error::invalid_input(
                        "partner_config_override.return_url",
                        format!("must be 1 to {MAX_RETURN_URL} characters long"),
                    ));
                }
                let parsed = Url::parse(url).map_err(|e| {
                    Error::invalid_input(
                        "partner_config_override.return_url",
                        format!("is not an absolute URL: {e}"),
                    )
                })?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(Error::invalid_input(
                        "partner_config_override.return_url",
                        "must be an http(s) URL",
                    ));
                }
            }
            if let Some(text) = &config.return_url_description
                && (text.is_empty() || text.chars().count() > 127)
            {
                return Err(Error::invalid_input(
                    "partner_config_override.return_url_description",
                    "must be 1 to 127 characters long",
                ));
            }
        }
        check_count("operations", self.operations.len(), 1)?;
        check_count("legal_consents", self.legal_consents.len(), 1)?;
        check_count("products", self.products.len(), 0)?;
        check_count("capabilities", self.capabilities.len(), 0)?;
        if !self.capabilities.is_empty() && self.products.is_empty() {
            return Err(Error::invalid_input(
                "capabilities",
                "are supported only when products are specified",
            ));
        }
        for (i, op) in self.operations.iter().enumerate() {
            for features in op.features() {
                if features.len() > MAX_FEATURES {
                    return Err(Error::invalid_input(
                        format!("operations[{i}].features"),
                        format!("at most {MAX_FEATURES} features"),
                    ));
                }
            }
            if let Some(first) = op
                .api_integration_preference
                .as_ref()
                .and_then(|p| p.rest_api_integration.as_ref())
                .and_then(|r| r.first_party_details.as_ref())
            {
                let n = first.seller_nonce.len();
                if !(44..=128).contains(&n) {
                    return Err(Error::invalid_input(
                        format!("operations[{i}].first_party_details.seller_nonce"),
                        "must be 44 to 128 characters long",
                    ));
                }
            }
        }
        Ok(())
    }
}

fn check_count(field: &'static str, n: usize, min: usize) -> Result<(), Error> {
    if n == 0 && min == 0 {
        return Ok(());
    }
    if n < min.max(1) || n > MAX_LIST {
        return Err(Error::invalid_input(
            field,
            format!("must hold 1 to {MAX_LIST} entries (has {n})"),
        ));
    }
    Ok(())
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// `^[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}))?$`, without a regex engine.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let Some(lang) = parts.next() else {
        return false;
    };
    if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    let is_script = |s: &str| {
        s.len() == 4
            && s.as_bytes()[0].is_ascii_uppercase()
            && s.bytes().skip(1).all(|b| b.is_ascii_lowercase())
    };
    let is_region = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    match rest.as_slice() {
        [] => true,
        [one] => is_script(one) || is_region(one),
        [script, region] => is_script(script) && is_region(region),
        _ => false,
    }
}

/// Builds a [`ReferralRequest`]; [`build`](ReferralRequestBuilder::build) validates it.
#[derive(Debug, Clone, Default)]
pub struct ReferralRequestBuilder {
    request: ReferralRequest,
    features: Option<Vec<Feature>>,
}

impl ReferralRequestBuilder {
    /// Your id for the seller (1–127 characters).
    pub fn tracking_id(mut self, id: impl Into<TrackingId>) -> Self {
        self.request.tracking_id = Some(id.into());
        self
    }

    /// The features the seller grants you: adds the usual `API_INTEGRATION` operation (method
    /// `PAYPAL`, type `THIRD_PARTY`) with them. Each must be enabled on your REST app.
    pub fn features(mut self, features: impl IntoIterator<Item = Feature>) -> Self {
        self.features = Some(features.into_iter().collect());
        self
    }

    /// Adds an operation you built yourself.
    pub fn operation(mut self, operation: Operation) -> Self {
        self.request.operations.push(operation);
        self
    }

    /// Adds a product.
    pub fn product(mut self, product: Product) -> Self {
        self.request.products.push(product);
        self
    }

    /// Adds products.
    pub fn products(mut self, products: impl IntoIterator<Item = Product>) -> Self {
        self.request.products.extend(products);
        self
    }

    /// Adds a capability (needs a product).
    pub fn capability(mut self, capability: Capability) -> Self {
        self.request.capabilities.push(capability);
        self
    }

    /// Adds the `SHARE_DATA_CONSENT` legal consent.
    pub fn share_data_consent(mut self, granted: bool) -> Self {
        self.request
            .legal_consents
            .push(LegalConsent::share_data(granted));
        self
    }

    /// Adds a legal consent.
    pub fn legal_consent(mut self, consent: LegalConsent) -> Self {
        self.request.legal_consents.push(consent);
        self
    }

    /// Where PayPal sends the seller back (at most 127 characters). PayPal drops non-public and
    /// non-https URLs in practice, and sellers close tabs: never rely on the return alone.
    pub fn return_url(mut self, url: impl Into<String>) -> Self {
        self.config().return_url = Some(url.into());
        self
    }

    /// The text of the return button.
    pub fn return_url_description(mut self, text: impl Into<String>) -> Self {
        self.config().return_url_description = Some(text.into());
        self
    }

    /// Whether to show the add-a-card page.
    pub fn show_add_credit_card(mut self, show: bool) -> Self {
        self.config().show_add_credit_card = Some(show);
        self
    }

    /// The seller's email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.request.email = Some(email.into());
        self
    }

    /// The locale of the sign-up pages (`en-US`).
    pub fn preferred_language_code(mut self, code: impl Into<String>) -> Self {
        self.request.preferred_language_code = Some(code.into());
        self
    }

    /// The seller's country.
    pub fn legal_country_code(mut self, code: impl Into<String>) -> Self {
        self.request.legal_country_code = Some(code.into());
        self
    }

    /// What you know of the seller's business.
    pub fn business_entity(mut self, entity: BusinessEntity) -> Self {
        self.request.business_entity = Some(entity);
        self
    }

    /// The seller's bank accounts (`financial_instruments`), as JSON.
    pub fn financial_instruments(mut self, instruments: serde_json::Value) -> Self {
        self.request.financial_instruments = Some(instruments);
        self
    }

    /// The seller's owners (`individual_owners`), as JSON.
    pub fn individual_owners(mut self, owners: serde_json::Value) -> Self {
        self.request.individual_owners = Some(owners);
        self
    }

    fn config(&mut self) -> &mut PartnerConfigOverride {
        self.request
            .partner_config_override
            .get_or_insert_with(Default::default)
    }

    /// The referral, checked.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field that breaks PayPal's limits.
    pub fn build(self) -> Result<ReferralRequest, Error> {
        let mut request = self.request;
        if let Some(features) = self.features {
            request.operations.insert(
                0,
                Operation::api_integration(RestApiIntegration::third_party(features)),
            );
        }
        request.validate()?;
        Ok(request)
    }
}

/// The answer to creating a referral: its links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedReferral {
    /// `self` (GET the referral) and `action_url` (the seller's sign-up page).
    #[serde(default)]
    pub links: Vec<Link>,
}

impl CreatedReferral {
    /// The sign-up URL to send the seller to.
    ///
    /// # Errors
    ///
    /// [`MissingLink`] when PayPal sent no `action_url`, or one that is not an https URL.
    pub fn action_url(&self) -> Result<Url, MissingLink> {
        let href = links::find(&self.links, "action_url").ok_or(MissingLink::new("action_url"))?;
        let url = Url::parse(href).map_err(|e| MissingLink {
            rel: "action_url",
            detail: Some(format!("not a URL: {e}")),
        })?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(MissingLink {
                rel: "action_url",
                detail: Some("not an http(s) URL".into()),
            });
        }
        Ok(url)
    }

    /// The URL of the referral itself (`self`).
    pub fn self_url(&self) -> Option<&str> {
        links::find(&self.links, "self")
    }

    /// The referral id: the last segment of the `self` link.
    pub fn partner_referral_id(&self) -> Option<PartnerReferralId> {
        let url = Url::parse(self.self_url()?).ok()?;
        let last = url.path_segments()?.next_back()?.to_owned();
        (!last.is_empty()).then(|| {
            partner_core::url::form_urlencoded::parse(format!("x={last}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or(last)
                .into()
        })
    }
}

/// A stored referral (`GET /v2/customer/partner-referrals/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferralDetails {
    /// The referral id. Required when decoding, as [`Order::id`](crate::orders::Order::id).
    pub partner_referral_id: PartnerReferralId,
    /// The partner's payer id.
    #[serde(default)]
    pub submitter_payer_id: Option<String>,
    /// The partner's client id (internal partners only).
    #[serde(default)]
    pub submitter_client_id: Option<String>,
    /// The referral as stored.
    #[serde(default)]
    pub referral_data: Option<ReferralRequest>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The referrals resource: `client.referrals()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Referrals {
    client: Client,
}

impl Referrals {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v2/customer/partner-referrals` with `referral` (checked again at `send()`).
    pub fn create(&self, referral: &ReferralRequest) -> CreateReferral {
        CreateReferral {
            client: self.client.clone(),
            referral: referral.clone(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v2/customer/partner-referrals/{partner_referral_id}`.
    pub fn get(&self, partner_referral_id: impl Into<PartnerReferralId>) -> GetReferral {
        GetReferral {
            client: self.client.clone(),
            partner_referral_id: partner_referral_id.into(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending referral read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetReferral {
    client: Client,
    partner_referral_id: PartnerReferralId,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetReferral {
    paypal_call_options!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; API, transport and decode errors.
    pub async fn send(self) -> Result<ReferralDetails, Error> {
        let id = self.partner_referral_id.as_str();
        check_id("partner_referral_id", id)?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v2"),
                Segment::literal("customer"),
                Segment::literal("partner-referrals"),
                Segment::id("partner_referral_id", id),
            ],
        )?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

/// A pending `POST /v2/customer/partner-referrals`: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct CreateReferral {
    client: Client,
    referral: ReferralRequest,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl CreateReferral {
    paypal_call_options!();
    idempotency_key_setter!();

    /// Sends it.
    ///
    /// Idempotent with key: every attempt carries the same `PayPal-Request-Id`
    /// (`.idempotency_key(..)`, or generated); on an error, resend with the same key
    /// ([`Error::idempotency_key`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending; API errors (403 `PRODUCT_PPCP_UNAUTHORIZED`, 422
    /// `ACCOUNT_STATUS_ERROR`: see [`ErrorDetails::known_error`](crate::ErrorDetails::known_error)), transport and decode errors.
    pub async fn send(self) -> Result<CreatedReferral, Error> {
        self.referral.validate()?;
        let request = self
            .client
            .request(
                Method::POST,
                &[
                    Segment::literal("v2"),
                    Segment::literal("customer"),
                    Segment::literal("partner-referrals"),
                ],
            )?
            .json(&self.referral)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn common() -> ReferralRequestBuilder {
        ReferralRequest::builder()
            .tracking_id("seller-42")
            .features([Feature::Payment, Feature::Refund])
            .product(Product::Ppcp)
            .share_data_consent(true)
            .return_url("https://platform.example/return")
    }

    #[test]
    fn common_case_serialises_as_paypal_documents() {
        let request = common().build().unwrap();
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "tracking_id": "seller-42",
                "partner_config_override": {"return_url": "https://platform.example/return"},
                "operations": [{
                    "operation": "API_INTEGRATION",
                    "api_integration_preference": {"rest_api_integration": {
                        "integration_method": "PAYPAL",
                        "integration_type": "THIRD_PARTY",
                        "third_party_details": {"features": ["PAYMENT", "REFUND"]}
                    }}
                }],
                "products": ["PPCP"],
                "legal_consents": [{"type": "SHARE_DATA_CONSENT", "granted": true}]
            })
        );
    }

    #[test]
    fn validation_limits() {
        let field = |r: Result<ReferralRequest, Error>| match r {
            Err(Error::InvalidInput(i)) => i.field.into_owned(),
            other => panic!("expected invalid input, got {other:?}"),
        };
        assert_eq!(
            field(common().tracking_id("x".repeat(128)).build()),
            "tracking_id"
        );
        assert!(common().tracking_id("x".repeat(127)).build().is_ok());
        assert_eq!(
            field(
                common()
                    .return_url(format!("https://e.example/{}", "a".repeat(120)))
                    .build()
            ),
            "partner_config_override.return_url"
        );
        assert_eq!(
            field(common().return_url("not a url").build()),
            "partner_config_override.return_url"
        );
        assert_eq!(
            field(common().preferred_language_code("EN-us").build()),
            "preferred_language_code"
        );
        for ok in ["en", "en-US", "zh-Hant", "zh-Hant-TW"] {
            assert!(common().preferred_language_code(ok).build().is_ok(), "{ok}");
        }
        assert_eq!(field(common().email("nope").build()), "email");
        assert_eq!(
            field(
                common()
                    .email(format!("{}@example.com", "a".repeat(250)))
                    .build()
            ),
            "email"
        );
        let too_many_features = common().features(std::iter::repeat_n(Feature::Payment, 21));
        assert_eq!(field(too_many_features.build()), "operations[0].features");
        let six_products = common().products([
            Product::ExpressCheckout,
            Product::PaymentMethods,
            Product::AdvancedVaulting,
            Product::Ideal,
            Product::Blik,
        ]);
        assert_eq!(field(six_products.build()), "products");
        let no_consent = ReferralRequest::builder()
            .tracking_id("x")
            .features([Feature::Payment]);
        assert_eq!(field(no_consent.build()), "legal_consents");
        let no_operation = ReferralRequest::builder().share_data_consent(true);
        assert_eq!(field(no_operation.build()), "operations");
        let capability_without_product = ReferralRequest::builder()
            .features([Feature::Payment])
            .share_data_consent(true)
            .capability(Capability::ApplePay);
        assert_eq!(field(capability_without_product.build()), "capabilities");
    }

    #[test]
    fn enums_keep_unknown_values() {
        let p: Product = serde_json::from_value(json!("SOMETHING_NEW")).unwrap();
        assert_eq!(p, Product::Unknown("SOMETHING_NEW".into()));
        assert_eq!(serde_json::to_value(&p).unwrap(), json!("SOMETHING_NEW"));
        let f: Feature = serde_json::from_value(json!("PARTNER_FEE")).unwrap();
        assert_eq!(f, Feature::PartnerFee);
    }

    #[test]
    fn links_and_action_url() {
        let created: CreatedReferral = serde_json::from_value(json!({"links": [
            {"href": "https://api-m.sandbox.paypal.com/v2/customer/partner-referrals/ZjcyODU4ZWYtYTA1OC00ODIwLTk2M2EtOTZkZWQ4NmQwYzI3RU12cE5xa0xMRmk1NWxFSVJIT1JlTFdSbElCbFU1Q3lhdGhESzVQcU9iRT0=", "rel": "self", "method": "GET"},
            {"href": "https://www.sandbox.paypal.com/bizsignup/partner/entry?referralToken=abc", "rel": "action_url", "method": "GET"}
        ]})).unwrap();
        assert_eq!(
            created.action_url().unwrap().as_str(),
            "https://www.sandbox.paypal.com/bizsignup/partner/entry?referralToken=abc"
        );
        assert!(
            created
                .partner_referral_id()
                .unwrap()
                .as_str()
                .starts_with("ZjcyODU4")
        );
        let none: CreatedReferral = serde_json::from_value(json!({"links": []})).unwrap();
        assert_eq!(none.action_url().unwrap_err().rel, "action_url");
    }
}
