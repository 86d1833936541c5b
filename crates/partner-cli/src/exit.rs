//! How a failed command ends: one line on stderr and an exit code that says what kind of failure it
//! was, so a script can tell "fix the input" from "look before you retry".

use std::fmt;
use std::process::ExitCode;

use partner_core::Error;

/// The kinds of failure, each with its own exit code (listed in `partner --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitKind {
    /// Anything else: a provider's 5xx, a refused request, a decoding failure, an I/O error.
    Other,
    /// Bad arguments, missing credentials or configuration: nothing was sent.
    InvalidInput,
    /// The provider does not know the thing asked for.
    NotFound,
    /// The credentials or the session were refused, or the account may not do this (401, 403).
    Authentication,
    /// The provider's rate limit was hit (after the client's retries).
    RateLimited,
    /// The request may have been applied: look before sending it again.
    MayHaveBeenApplied,
}

impl ExitKind {
    pub(crate) fn code(self) -> u8 {
        match self {
            ExitKind::Other => 1,
            ExitKind::InvalidInput => 2,
            ExitKind::NotFound => 3,
            ExitKind::Authentication => 4,
            ExitKind::RateLimited => 5,
            ExitKind::MayHaveBeenApplied => 6,
        }
    }

    /// How a client error is classified. "May have been applied" wins: it is the one a caller must
    /// not retry blindly.
    fn of(err: &Error) -> ExitKind {
        if err.may_have_been_applied() {
            return ExitKind::MayHaveBeenApplied;
        }
        if let Some(kind) = leanpub_kind(err) {
            return kind;
        }
        match err {
            Error::InvalidInput(_) => ExitKind::InvalidInput,
            Error::RateLimited { .. } => ExitKind::RateLimited,
            Error::Authentication { .. } => ExitKind::Authentication,
            _ if matches!(err.status().map(|s| s.as_u16()), Some(401 | 403)) => {
                ExitKind::Authentication
            }
            _ if err.is_not_found() => ExitKind::NotFound,
            _ => ExitKind::Other,
        }
    }
}

/// Leanpub's service mirrors its result code in the HTTP status, so its 404 is "invalid origin",
/// not a missing resource: classified by the code instead.
fn leanpub_kind(err: &Error) -> Option<ExitKind> {
    use leanpub_affiliate::ServiceCode;
    let code = err
        .provider_details::<leanpub_affiliate::ErrorDetails>()?
        .result_code()?;
    Some(
        if matches!(
            code,
            ServiceCode::InvalidPartnerId
                | ServiceCode::MissingPartnerId
                | ServiceCode::InvalidApiKey
                | ServiceCode::PermissionDenied
        ) {
            ExitKind::Authentication
        } else {
            ExitKind::Other
        },
    )
}

/// The exit codes, as a literal for `concat!` in the `--help` text.
macro_rules! exit_codes_help {
    () => {
        "Exit codes:
  0  success
  1  other failure (the provider's 5xx, a refused request, an I/O error)
  2  invalid input or configuration: nothing was sent
  3  not found
  4  authentication or permission refused (401, 403: credentials, token, session)
  5  rate limited, after the client's retries
  6  the request may have been applied: look before sending it again"
    };
}
pub(crate) use exit_codes_help;

/// A failed command: its kind and the line printed for it (never a secret: client errors are
/// scrubbed by partner-core, and this crate never formats a credential).
#[derive(Debug)]
pub(crate) struct CliError {
    kind: ExitKind,
    message: String,
}

impl CliError {
    pub(crate) fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// Bad input found by the CLI itself, before anything was sent.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ExitKind::InvalidInput, message)
    }

    /// A local failure (a file, the terminal) that is not the caller's input.
    pub(crate) fn other(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Other, message)
    }

    pub(crate) fn kind(&self) -> ExitKind {
        self.kind
    }

    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind.code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for CliError {
    fn from(err: Error) -> Self {
        let kind = ExitKind::of(&err);
        // The error's Display already carries the provider's message, the status and its request
        // id; a caller deciding what to do next also needs the verdict on whether it was applied.
        let mut message = err.to_string();
        // What the provider said is wrong, beyond its summary (Pax8's and PayPal's details).
        let reasons = crate::reasons::reasons(&err);
        if !reasons.is_empty() {
            message.push_str(&format!(": {}", reasons.join("; ")));
        }
        // Every line names the status and the provider's request id, whichever variant said them.
        if let Some(status) = err.status()
            && !message.contains("HTTP ")
        {
            message.push_str(&format!(" (HTTP {})", status.as_u16()));
        }
        if let Some(id) = err.request_id()
            && !message.contains(id)
        {
            message.push_str(&format!(" (request id {id})"));
        }
        if kind == ExitKind::MayHaveBeenApplied && !message.contains("may have been applied") {
            message.push_str(" (the request may have been applied: check before sending it again)");
        }
        Self::new(kind, message)
    }
}

/// What every command returns.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_listed_in_the_help() {
        let kinds = [
            ExitKind::Other,
            ExitKind::InvalidInput,
            ExitKind::NotFound,
            ExitKind::Authentication,
            ExitKind::RateLimited,
            ExitKind::MayHaveBeenApplied,
        ];
        let mut codes: Vec<u8> = kinds.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
        for code in codes {
            assert!(
                exit_codes_help!().contains(&format!("\n  {code}  ")),
                "{code} missing from the help"
            );
        }
    }

    #[test]
    fn invalid_input_from_a_client_is_code_2() {
        let err = Error::invalid_input("company_id", "must not be empty");
        let cli = CliError::from(err);
        assert_eq!(cli.kind(), ExitKind::InvalidInput);
        assert!(cli.to_string().contains("company_id"), "{cli}");
    }
}
