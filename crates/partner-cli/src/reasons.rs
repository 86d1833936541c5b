//! The provider's reasons for refusing a request, beyond its one-line summary.
//!
//! partner-core's error line carries the provider's summary (Pax8's `Validation failed`, PayPal's
//! `Request is not well-formed...`); what is actually wrong (`the company is not Active`,
//! `purchase_units[0].amount.value: DECIMAL_PRECISION`) is in the body's details, which each crate
//! reads as its `ErrorDetails`. Every error line gets them, whichever command failed.

use partner_core::Error;

/// The reasons the provider gave, in its order; empty when it gave none beyond the summary.
pub(crate) fn reasons(err: &Error) -> Vec<String> {
    if let Some(details) = err.provider_details::<pax8::ErrorDetails>() {
        return pax8_reasons(details);
    }
    if let Some(details) = err.provider_details::<paypal_partner::ErrorDetails>() {
        return paypal_reasons(details);
    }
    // Procuret's and Leanpub's bodies hold one message, which is the summary already.
    Vec::new()
}

fn pax8_reasons(details: &pax8::ErrorDetails) -> Vec<String> {
    let mut reasons: Vec<String> = details
        .details
        .iter()
        .filter_map(|item| item.message.clone())
        .collect();
    // With no top-level message, the `{errors: [...]}` shape is the summary itself.
    if details.message.is_some() {
        reasons.extend(details.error_messages());
    }
    reasons
}

fn paypal_reasons(details: &paypal_partner::ErrorDetails) -> Vec<String> {
    // `ORDER_NOT_APPROVED (field): description`: the issue is what tells the user what to do.
    details
        .details
        .iter()
        .filter_map(|detail| {
            let mut reason = detail
                .issue
                .clone()
                .or_else(|| detail.description.clone())?;
            if let Some(field) = &detail.field {
                reason.push_str(&format!(" ({field})"));
            }
            if let (Some(_), Some(description)) = (&detail.issue, &detail.description) {
                reason.push_str(&format!(": {description}"));
            }
            Some(reason)
        })
        .collect()
}
