//! [`Environment`]: which PayPal the client talks to: its sandbox (the default), production, or
//! your own URL (a mock server, the local sandbox).

use std::str::FromStr;

use partner_core::base_url::{checked_base_url, parse_base_url};
use partner_core::url::Url;

use crate::Error;

/// The sandbox REST base URL.
pub const SANDBOX_BASE_URL: &str = "https://api-m.sandbox.paypal.com/";
/// The production REST base URL.
pub const PRODUCTION_BASE_URL: &str = "https://api-m.paypal.com/";

/// Which PayPal a [`Client`](crate::Client) talks to.
///
/// [`Sandbox`](Self::Sandbox) is the default: nothing moves real money unless
/// [`Production`](Self::Production) is named. [`Custom`](Self::Custom) is the root of one server that
/// serves the whole REST API, token endpoint included (`{root}v1/oauth2/token`), as a mock server, the
/// local `partner-sandbox` or a recording proxy does.
///
/// ```
/// use paypal_partner::Environment;
///
/// assert_eq!(Environment::default(), Environment::Sandbox);
/// assert_eq!("production".parse::<Environment>()?, Environment::Production);
/// let local: Environment = "http://127.0.0.1:8080".parse()?;
/// assert_eq!(local, Environment::custom("http://127.0.0.1:8080/")?);
/// assert!(Environment::custom("http://paypal.example.com").is_err()); // plain http off loopback
/// # Ok::<(), paypal_partner::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-m.sandbox.paypal.com` (the default: nothing moves real money by accident).
    #[default]
    Sandbox,
    /// `https://api-m.paypal.com`: real money.
    Production,
    /// Any other base URL: a mock server, the local `partner-sandbox`, a proxy.
    Custom(Url),
}

impl Environment {
    /// A custom root from text: `https`, or plain `http` to a loopback host; no user name,
    /// password, query or fragment.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `environment` (the URL is never quoted).
    pub fn custom(url: &str) -> Result<Self, Error> {
        Ok(Self::Custom(parse_base_url("environment", url.trim())?))
    }

    /// The REST base URL, always ending in `/` so that relative paths join under it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `environment` for a custom URL that would expose the client
    /// secret or the tokens: not `https` (plain `http` is allowed only to a loopback host), no host,
    /// a user name or password, a query or a fragment
    /// ([`partner_core::base_url::checked_base_url`]).
    pub fn base_url(&self) -> Result<Url, Error> {
        let url = match self {
            Environment::Sandbox => Url::parse(SANDBOX_BASE_URL).expect("constant URL"),
            Environment::Production => Url::parse(PRODUCTION_BASE_URL).expect("constant URL"),
            Environment::Custom(url) => url.clone(),
        };
        Ok(checked_base_url("environment", url)?)
    }
}

/// `sandbox` or `production` (any case), or a URL for [`Environment::custom`].
impl FromStr for Environment {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let word = text.trim();
        if word.eq_ignore_ascii_case("sandbox") {
            return Ok(Environment::Sandbox);
        }
        if word.eq_ignore_ascii_case("production") {
            return Ok(Environment::Production);
        }
        Self::custom(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            Environment::default().base_url().unwrap().as_str(),
            "https://api-m.sandbox.paypal.com/"
        );
        assert_eq!(
            Environment::Production.base_url().unwrap().as_str(),
            "https://api-m.paypal.com/"
        );
        let custom = Environment::custom("http://127.0.0.1:8080/paypal").unwrap();
        assert_eq!(
            custom.base_url().unwrap().as_str(),
            "http://127.0.0.1:8080/paypal/"
        );
        assert!(Environment::custom("https://paypal-proxy.example/").is_ok());
    }

    #[test]
    fn sandbox_is_the_default() {
        assert_eq!(Environment::default(), Environment::Sandbox);
    }

    #[test]
    fn parsing_accepts_the_two_names_or_a_url() {
        for text in ["sandbox", "Sandbox", " SANDBOX "] {
            assert_eq!(text.parse::<Environment>().unwrap(), Environment::Sandbox);
        }
        for text in ["production", "Production"] {
            assert_eq!(
                text.parse::<Environment>().unwrap(),
                Environment::Production
            );
        }
        assert_eq!(
            "https://proxy.example/paypal"
                .parse::<Environment>()
                .unwrap(),
            Environment::Custom(Url::parse("https://proxy.example/paypal/").unwrap())
        );
        for bad in ["live", "", "http://paypal.example.com"] {
            assert!(bad.parse::<Environment>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn urls_that_would_expose_credentials_are_refused() {
        for bad in [
            "ftp://x",
            "not a url",
            "http://api.example.com/",
            "http://192.168.1.10:8080/",
            "https://user:pw@api.example.com/",
            "https://api.example.com/?a=1",
            "https://api.example.com/#a",
        ] {
            match Environment::custom(bad) {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, "environment", "{bad}");
                    assert!(!input.reason.contains("pw"), "{input}");
                }
                other => panic!("{bad}: {other:?}"),
            }
            // Built directly, the variant is checked when the URL is used.
            if let Ok(url) = Url::parse(bad) {
                assert!(Environment::Custom(url).base_url().is_err(), "{bad}");
            }
        }
    }
}
