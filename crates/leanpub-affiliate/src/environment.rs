//! [`Environment`]: where requests go, and whether they are rehearsals.

use std::fmt;
use std::str::FromStr;

use partner_core::base_url::{checked_base_url, parse_base_url};
use partner_core::url::Url;

use crate::Error;

/// The service's base URL: both environments are served here, told apart by the body's
/// `sandboxMode`.
pub(crate) const SERVICE_BASE_URL: &str = "https://leanpub.schams.net/api/v2/";

/// The configuration field named by errors about the environment.
const FIELD: &str = "environment";

/// Where a client sends its requests, and whether they are real.
///
/// The service has one address; its sandbox is a flag in each request (`"sandboxMode": true`: no
/// coupon, the email goes to a predefined address). The default is [`Environment::Sandbox`]: only a
/// client built with [`Environment::Production`] named can create a real coupon.
///
/// ```
/// use leanpub_affiliate::Environment;
///
/// assert_eq!(Environment::default(), Environment::Sandbox);
/// assert_eq!("production".parse::<Environment>()?, Environment::Production);
/// let local: Environment = "http://127.0.0.1:8080/api/v2".parse()?;
/// assert_eq!(local.base_url().as_str(), "http://127.0.0.1:8080/api/v2/");
/// assert!(local.is_sandbox());
/// # Ok::<(), leanpub_affiliate::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://leanpub.schams.net/api/v2/`, sending `"sandboxMode": false`: a real coupon for the
    /// real recipient. The service honours it only for a partner account cleared for production
    /// (otherwise code 407).
    Production,
    /// `https://leanpub.schams.net/api/v2/`, sending `"sandboxMode": true`: no coupon, and the email
    /// goes to the service's predefined address.
    #[default]
    Sandbox,
    /// A server of your own standing in for the service (a simulator, a mock), at this base URL
    /// (including its `/api/v2/` path). Requests are sent as sandbox requests, since production was
    /// not named. Must be https, or http to a loopback host: checked by [`Environment::custom`] and
    /// again when the client is built.
    Custom(Url),
}

impl Environment {
    /// A [`Custom`](Environment::Custom) environment at `base_url`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `environment` when `base_url` is not a URL, is not https (or
    /// http to a loopback host), or carries a user name, password, query or fragment. The URL is not
    /// quoted.
    pub fn custom(base_url: &str) -> Result<Self, Error> {
        Ok(Environment::Custom(parse_base_url(FIELD, base_url)?))
    }

    /// The base URL requests are sent under (ending in `/`).
    pub fn base_url(&self) -> Url {
        match self {
            Environment::Production | Environment::Sandbox => service_base_url(),
            Environment::Custom(url) => url.clone(),
        }
    }

    /// Whether requests say `"sandboxMode": true`: everywhere but [`Environment::Production`].
    pub fn is_sandbox(&self) -> bool {
        !matches!(self, Environment::Production)
    }

    /// The base URL, checked as [`Environment::custom`] checks it (a `Custom` built directly was not).
    pub(crate) fn checked_base_url(&self) -> Result<Url, Error> {
        Ok(checked_base_url(FIELD, self.base_url())?)
    }
}

fn service_base_url() -> Url {
    Url::parse(SERVICE_BASE_URL).expect("the service's base URL is valid")
}

impl FromStr for Environment {
    type Err = Error;

    /// `production`, `sandbox` (in any case), or a base URL for [`Environment::Custom`].
    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("production") {
            Ok(Environment::Production)
        } else if text.eq_ignore_ascii_case("sandbox") {
            Ok(Environment::Sandbox)
        } else if text.contains("://") {
            Environment::custom(text)
        } else {
            Err(Error::invalid_input(
                FIELD,
                "must be `production`, `sandbox` or a base URL",
            ))
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Production => f.write_str("production"),
            Environment::Sandbox => f.write_str("sandbox"),
            Environment::Custom(url) => f.write_str(url.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(err: Error) -> String {
        match err {
            Error::InvalidInput(input) => input.field.into_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_parse_in_any_case_and_urls_become_custom() {
        for (text, expected) in [
            ("production", Environment::Production),
            (" Production ", Environment::Production),
            ("SANDBOX", Environment::Sandbox),
            (
                "http://localhost:8080/api/v2",
                Environment::Custom("http://localhost:8080/api/v2/".parse().unwrap()),
            ),
            (
                "https://relay.example.com/leanpub/",
                Environment::Custom("https://relay.example.com/leanpub/".parse().unwrap()),
            ),
        ] {
            assert_eq!(text.parse::<Environment>().unwrap(), expected, "{text:?}");
        }
    }

    #[test]
    fn unknown_names_and_unsafe_urls_are_refused_without_quoting_them() {
        for text in [
            "",
            "prod",
            "staging",
            "http://leanpub.schams.net/api/v2/",
            "https://user:secret@relay.example.com/",
            "https://relay.example.com/?key=secret",
            "ftp://relay.example.com/",
        ] {
            let err = text.parse::<Environment>().unwrap_err();
            assert!(!err.to_string().contains("secret"), "{err}");
            assert_eq!(field(err), "environment", "{text:?}");
        }
    }

    #[test]
    fn only_production_is_real_and_both_named_environments_share_the_service() {
        assert!(!Environment::Production.is_sandbox());
        assert!(Environment::Sandbox.is_sandbox());
        assert!(
            Environment::custom("http://127.0.0.1:1/")
                .unwrap()
                .is_sandbox()
        );
        assert_eq!(
            Environment::Production.base_url().as_str(),
            SERVICE_BASE_URL
        );
        assert_eq!(Environment::Sandbox.base_url().as_str(), SERVICE_BASE_URL);
    }

    #[test]
    fn display_round_trips() {
        for env in [
            Environment::Production,
            Environment::Sandbox,
            Environment::custom("http://[::1]:9/api/v2/").unwrap(),
        ] {
            assert_eq!(env.to_string().parse::<Environment>().unwrap(), env);
        }
    }

    #[test]
    fn a_custom_url_built_directly_is_checked_at_build() {
        let plain = Environment::Custom("http://leanpub.schams.net/api/v2".parse().unwrap());
        assert_eq!(field(plain.checked_base_url().unwrap_err()), "environment");
        let local = Environment::Custom("http://127.0.0.1:8080/api/v2".parse().unwrap());
        assert_eq!(
            local.checked_base_url().unwrap().as_str(),
            "http://127.0.0.1:8080/api/v2/"
        );
    }
}
