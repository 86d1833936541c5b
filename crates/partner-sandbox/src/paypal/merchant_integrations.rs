//! `GET /v1/customer/partners/{partner_id}/merchant-integrations?tracking_id=` and
//! `GET /v1/customer/partners/{partner_id}/merchant-integrations/{merchant_id}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::signup_page::{CardVetting, SellerChoices};
use super::{ApiError, Authed, State};
use crate::clock;

/// A seller who completed the sign-up page.
#[derive(Debug, Clone)]
pub(crate) struct Merchant {
    pub(crate) merchant_id: String,
    pub(crate) tracking_id: String,
    pub(crate) email: String,
    pub(crate) choices: SellerChoices,
    pub(crate) merchant_client_id: String,
    pub(crate) created: OffsetDateTime,
}

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route(
            "/v1/customer/partners/{partner_id}/merchant-integrations",
            get(by_tracking_id),
        )
        .route(
            "/v1/customer/partners/{partner_id}/merchant-integrations/{merchant_id}",
            get(status),
        )
}

fn check_partner(state: &State, partner_id: &str) -> Result<(), ApiError> {
    if partner_id == state.config.credentials.partner_id {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "NOT_AUTHORIZED",
            "Authorization failed due to insufficient permissions.",
        )
        .detail(
            Some("partner_id"),
            "path",
            "PERMISSION_DENIED",
            "partner_id must be the partner's PayPal merchant id (not its client id).",
        ))
    }
}

fn integration_link(state: &State, merchant_id: &str) -> String {
    state.url(&format!(
        "/v1/customer/partners/{}/merchant-integrations/{merchant_id}",
        state.config.credentials.partner_id
    ))
}

async fn by_tracking_id(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path(partner_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    check_partner(&state, &partner_id)?;
    let tracking_id = query
        .get("tracking_id")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "Request is not well-formed, syntactically incorrect, or violates schema.",
            )
            .detail(
                Some("tracking_id"),
                "query",
                "MISSING_REQUIRED_PARAMETER",
                "A required field / parameter is missing.",
            )
        })?;
    let merchant_id = state
        .lock()
        .merchant_by_tracking
        .get(tracking_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(
                "INVALID_RESOURCE_ID",
                "No merchant integration exists for this tracking_id yet.",
            )
        })?;
    Ok(axum::Json(json!({
        "merchant_id": merchant_id,
        "tracking_id": tracking_id,
        "links": [{
            "href": integration_link(&state, &merchant_id),
            "rel": "read",
            "method": "GET",
            "description": "Main partner link"
        }]
    }))
    .into_response())
}

async fn status(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    Path((partner_id, merchant_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    check_partner(&state, &partner_id)?;
    let merchant = state
        .lock()
        .merchants
        .get(&merchant_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(
                "INVALID_RESOURCE_ID",
                "Specified resource ID does not exist.",
            )
        })?;
    Ok(axum::Json(status_document(&state, &merchant)).into_response())
}

fn capability(name: &str, status: &str) -> Value {
    json!({ "name": name, "status": status, "limits": [{ "type": "GENERAL" }] })
}

/// The status document, with readiness following what the seller chose on the sign-up page.
pub(super) fn status_document(state: &State, m: &Merchant) -> Value {
    let c = m.choices;
    let card_status = match c.card_vetting {
        CardVetting::Subscribed => Some("ACTIVE"),
        CardVetting::InReview => Some("IN_REVIEW"),
        CardVetting::Denied => None,
    };
    let mut capabilities = vec![
        json!({ "name": "PAYPAL_CHECKOUT", "status": "ACTIVE" }),
        json!({ "name": "PAYPAL_CHECKOUT_ALTERNATIVE_PAYMENT_METHODS", "status": "ACTIVE" }),
        json!({ "name": "PAYPAL_CHECKOUT_PAY_WITH_PAYPAL_CREDIT", "status": "ACTIVE" }),
        json!({ "name": "VENMO_PAY_PROCESSING", "status": "ACTIVE" }),
        capability("WITHDRAW_FUNDS_TO_DOMESTIC_BANK", "ACTIVE"),
    ];
    let mut custom_capabilities = Vec::new();
    if let Some(card_status) = card_status {
        for name in [
            "CUSTOM_CARD_PROCESSING",
            "CARD_PROCESSING_VIRTUAL_TERMINAL",
            "FRAUD_TOOL_ACCESS",
        ] {
            capabilities.push(capability(name, card_status));
            custom_capabilities.push(json!(name));
        }
        capabilities.push(json!({ "name": "APPLE_PAY", "status": card_status }));
        capabilities.push(json!({ "name": "GOOGLE_PAY", "status": card_status }));
        custom_capabilities.extend([json!("APPLE_PAY"), json!("GOOGLE_PAY")]);
    }
    let scopes: Vec<&str> = if c.permissions_granted {
        vec![
            "https://uri.paypal.com/services/payments/realtimepayment",
            "https://uri.paypal.com/services/payments/payment/authcapture",
            "https://uri.paypal.com/services/payments/refund",
            "https://uri.paypal.com/services/payments/partnerfee",
            "https://uri.paypal.com/services/payments/delay-funds-disbursement",
            "https://uri.paypal.com/services/reporting/search/read",
            "https://uri.paypal.com/services/disputes/read-seller",
        ]
    } else {
        Vec::new()
    };
    let mut limitations = Vec::new();
    if !c.payments_receivable {
        limitations.push(json!({
            "name": "MRC - Receiving Restricted",
            "restrictions": ["ACH In", "Receive Money", "Refunds - Send", "Withdraw Money"]
        }));
    }
    let name = m.email.split('@').next().unwrap_or("seller");
    json!({
        "merchant_id": m.merchant_id,
        "tracking_id": m.tracking_id,
        "legal_name": format!("{name} Trading LLC"),
        "given_name": "Sam",
        "surname": "Seller",
        "primary_email": m.email,
        "primary_email_confirmed": c.email_confirmed,
        "payments_receivable": c.payments_receivable,
        "date_created": clock::rfc3339(m.created),
        "products": [
            {
                "name": "PPCP_CUSTOM",
                "vetting_status": c.card_vetting.as_str(),
                "capabilities": custom_capabilities,
            },
            {
                "name": "PPCP_STANDARD",
                "vetting_status": "SUBSCRIBED",
                "capabilities": [
                    "PAYPAL_CHECKOUT_ALTERNATIVE_PAYMENT_METHODS",
                    "PAYPAL_CHECKOUT_PAY_WITH_PAYPAL_CREDIT",
                    "PAYPAL_CHECKOUT",
                    "VENMO_PAY_PROCESSING",
                    "WITHDRAW_FUNDS_TO_DOMESTIC_BANK"
                ]
            }
        ],
        "capabilities": capabilities,
        "oauth_integrations": [{
            "integration_type": "OAUTH_THIRD_PARTY",
            "integration_method": "PAYPAL",
            "status": if c.permissions_granted { "A" } else { "I" },
            "oauth_third_party": [{
                "partner_client_id": state.config.credentials.client_id,
                "merchant_client_id": m.merchant_client_id,
                "scopes": scopes,
            }]
        }],
        "granted_permissions": [],
        "limitations": limitations,
        "links": [{
            "href": integration_link(state, &m.merchant_id),
            "rel": "self",
            "method": "GET",
            "description": "Get the merchant integration status."
        }]
    })
}
