//! Pax8's reasons for refusing a request, added to the error line.
//!
//! partner-core's error line carries Pax8's summary (`Validation failed`); what is actually wrong
//! (`the company is not Active`, `lineItems[0].billingTerm ... is not offered`) is in the body's
//! `details` (or `errors`), read by the crate as [`pax8::ErrorDetails`]. The commands that send a
//! body Pax8 may refuse convert their errors with [`explained`] so that the reasons are printed.

use pax8::ErrorDetails;

use crate::exit::CliError;

/// The error as a [`CliError`] (same exit code), with Pax8's reasons appended when it gave any.
pub(super) fn explained(err: pax8::Error) -> CliError {
    let reasons = reasons(&err);
    let cli = CliError::from(err);
    if reasons.is_empty() {
        return cli;
    }
    CliError::new(cli.kind(), format!("{cli}: {}", reasons.join("; ")))
}

fn reasons(err: &pax8::Error) -> Vec<String> {
    let Some(details) = err.provider_details::<ErrorDetails>() else {
        return Vec::new();
    };
    let mut reasons: Vec<String> = details
        .details
        .iter()
        .filter_map(|item| item.message.clone())
        .collect();
    // The `{errors: [...]}` shape is already the summary in the error line.
    if details.message.is_some() {
        reasons.extend(details.error_messages());
    }
    reasons
}
