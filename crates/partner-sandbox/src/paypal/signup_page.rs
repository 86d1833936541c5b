//! The seller's side of onboarding: the `action_url` page, where the simulated seller picks what they
//! did at PayPal and is redirected to the partner's `return_url` with PayPal's query parameters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::merchant_integrations::Merchant;
use super::{HelperError, State};
use crate::clock;

/// The outcome of PayPal's card vetting for the simulated seller (`PPCP_CUSTOM.vetting_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CardVetting {
    /// Approved: cards and buttons.
    #[default]
    Subscribed,
    /// Refused: PayPal buttons only.
    Denied,
    /// Still being reviewed.
    InReview,
}

impl CardVetting {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            CardVetting::Subscribed => "SUBSCRIBED",
            CardVetting::Denied => "DENIED",
            CardVetting::InReview => "IN_REVIEW",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "SUBSCRIBED" => Some(CardVetting::Subscribed),
            "DENIED" => Some(CardVetting::Denied),
            "IN_REVIEW" => Some(CardVetting::InReview),
            _ => None,
        }
    }
}

/// What the simulated seller did during sign-up. The default is a fully ready seller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellerChoices {
    /// The seller confirmed their email address (`primary_email_confirmed`).
    pub email_confirmed: bool,
    /// The seller granted the partner's permissions (oauth scopes present).
    pub permissions_granted: bool,
    /// The card vetting outcome.
    pub card_vetting: CardVetting,
    /// The account can receive payments (`payments_receivable`; a limitation is listed otherwise).
    pub payments_receivable: bool,
}

impl Default for SellerChoices {
    fn default() -> Self {
        SellerChoices {
            email_confirmed: true,
            permissions_granted: true,
            card_vetting: CardVetting::Subscribed,
            payments_receivable: true,
        }
    }
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new().route("/bizsignup/partner/entry", get(page).post(submit))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}fieldset{{margin:1em 0}}\
         button{{font-size:1.2em;padding:.5em 1.5em}}</style></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
    );
    (status, Html(html)).into_response()
}

fn radio(name: &str, options: &[(&str, &str)]) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let checked = if i == 0 { " checked" } else { "" };
            format!("<label><input type=\"radio\" name=\"{name}\" value=\"{value}\"{checked}> {label}</label><br>\n")
        })
        .collect()
}

async fn page(
    AxState(state): AxState<Arc<State>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(token) = query.get("referralToken") else {
        return html_page(
            StatusCode::BAD_REQUEST,
            "Sign-up link incomplete",
            "<p>The referralToken is missing.</p>",
        );
    };
    let inner = state.lock();
    let Some(referral) = inner.referrals.get(token) else {
        return html_page(
            StatusCode::NOT_FOUND,
            "Sign-up link not found",
            "<p>This sign-up link is not valid.</p>",
        );
    };
    if referral.merchant_id.is_some() {
        return html_page(
            StatusCode::CONFLICT,
            "Already signed up",
            "<p>This sign-up link was already used.</p>",
        );
    }
    let email = referral
        .data
        .get("email")
        .and_then(|v| v.as_str())
        .unwrap_or("seller@example.com");
    let body = format!(
        "<p>PayPal sandbox sign-up for <strong>{email}</strong>, referred by partner <code>{partner}</code>.</p>\n\
         <form method=\"post\" action=\"/bizsignup/partner/entry\">\n\
         <input type=\"hidden\" name=\"referralToken\" value=\"{token}\">\n\
         <fieldset><legend>Confirm email address</legend>\n{email_radio}</fieldset>\n\
         <fieldset><legend>Grant permissions to the partner</legend>\n{perm_radio}</fieldset>\n\
         <fieldset><legend>Card vetting outcome</legend>\n{vet_radio}</fieldset>\n\
         <fieldset><legend>Account can receive payments</legend>\n{recv_radio}</fieldset>\n\
         <button type=\"submit\" id=\"complete\">Agree and connect</button>\n</form>",
        email = escape(email),
        partner = escape(&state.config.credentials.partner_id),
        token = escape(token),
        email_radio = radio("email_confirmed", &[("yes", "Yes"), ("no", "No")]),
        perm_radio = radio("permissions_granted", &[("yes", "Yes"), ("no", "No")]),
        vet_radio = radio(
            "card_vetting",
            &[
                ("SUBSCRIBED", "SUBSCRIBED (cards approved)"),
                ("DENIED", "DENIED"),
                ("IN_REVIEW", "IN_REVIEW")
            ]
        ),
        recv_radio = radio("payments_receivable", &[("yes", "Yes"), ("no", "No")]),
    );
    html_page(StatusCode::OK, "Connect your PayPal account", &body)
}

async fn submit(
    AxState(state): AxState<Arc<State>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(token) = form.get("referralToken") else {
        return html_page(
            StatusCode::BAD_REQUEST,
            "Sign-up link incomplete",
            "<p>The referralToken is missing.</p>",
        );
    };
    let yes = |field: &str| form.get(field).is_none_or(|v| v == "yes" || v == "true");
    let choices = SellerChoices {
        email_confirmed: yes("email_confirmed"),
        permissions_granted: yes("permissions_granted"),
        card_vetting: form
            .get("card_vetting")
            .and_then(|v| CardVetting::parse(v))
            .unwrap_or_default(),
        payments_receivable: yes("payments_receivable"),
    };
    match complete(&state, token, choices) {
        Err(error) => html_page(
            StatusCode::CONFLICT,
            "Sign-up not completed",
            &format!("<p>{}</p>", escape(&error.to_string())),
        ),
        Ok(Completed {
            redirect: Some(url),
            ..
        }) => (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response(),
        Ok(Completed {
            merchant_id,
            redirect: None,
        }) => html_page(
            StatusCode::OK,
            "You are connected",
            &format!(
                "<p>Merchant id <code>{}</code>. You can close this window.</p>",
                escape(&merchant_id)
            ),
        ),
    }
}

pub(super) struct Completed {
    pub(super) merchant_id: String,
    redirect: Option<String>,
}

/// Records the seller, emits `MERCHANT.ONBOARDING.COMPLETED` and builds the return redirect.
pub(super) fn complete(
    state: &Arc<State>,
    referral_id: &str,
    choices: SellerChoices,
) -> Result<Completed, HelperError> {
    let (merchant_id, tracking_id, return_url) = {
        let mut inner = state.lock();
        let referral = inner
            .referrals
            .get(referral_id)
            .cloned()
            .ok_or(HelperError::UnknownReferral)?;
        if referral.merchant_id.is_some() {
            return Err(HelperError::AlreadyCompleted);
        }
        let merchant_id = inner.ids().paypal_account_id();
        let tracking_id = referral.tracking_id.clone().unwrap_or_default();
        let email = referral
            .data
            .get("email")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("seller-{}@example.com", merchant_id.to_lowercase()));
        let merchant_client_id = inner.ids().url_safe(80);
        let merchant = Merchant {
            merchant_id: merchant_id.clone(),
            tracking_id: tracking_id.clone(),
            email,
            choices,
            merchant_client_id,
            created: clock::now(),
        };
        inner.merchants.insert(merchant_id.clone(), merchant);
        if !tracking_id.is_empty() {
            inner
                .merchant_by_tracking
                .insert(tracking_id.clone(), merchant_id.clone());
        }
        if let Some(r) = inner.referrals.get_mut(referral_id) {
            r.merchant_id = Some(merchant_id.clone());
        }
        (merchant_id, tracking_id, referral.return_url)
    };
    let creds = &state.config.credentials;
    let resource = json!({
        "partner_client_id": creds.client_id,
        "merchant_id": merchant_id,
        "tracking_id": tracking_id,
        "links": [{
            "href": state.url(&format!(
                "/v1/customer/partners/{}/merchant-integrations/{merchant_id}", creds.partner_id
            )),
            "rel": "self",
            "method": "GET",
            "description": "Get the merchant integration status."
        }]
    });
    super::webhook_events::emit(
        state,
        "MERCHANT.ONBOARDING.COMPLETED",
        "merchant-onboarding",
        "The merchant account setup is completed",
        resource,
    );
    let redirect = return_url.and_then(|base| {
        let mut url = url::Url::parse(&base).ok()?;
        let flag = |b: bool| if b { "true" } else { "false" };
        url.query_pairs_mut()
            .append_pair("merchantId", &tracking_id)
            .append_pair("merchantIdInPayPal", &merchant_id)
            .append_pair("permissionsGranted", flag(choices.permissions_granted))
            .append_pair("consentStatus", flag(choices.permissions_granted))
            .append_pair("isEmailConfirmed", flag(choices.email_confirmed))
            .append_pair("accountStatus", "BUSINESS_ACCOUNT")
            .append_pair("productIntentID", "addipmt");
        Some(url.to_string())
    });
    Ok(Completed {
        merchant_id,
        redirect,
    })
}
