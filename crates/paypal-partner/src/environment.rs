//! Where the API lives: PayPal's sandbox, PayPal live, or your own URL (a mock server, the local sandbox).

use partner_core::base_url::{checked_base_url, parse_base_url};
use partner_core::url::Url;

use crate::Error;

/// The PayPal environment a [`Client`](crate::Client) talks to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-m.sandbox.paypal.com` (the default: nothing moves real money by accident).
    #[default]
    Sandbox,
    /// `https://api-m.paypal.com`.
    Live,
    /// Any other base URL: a mock server, the local `partner-sandbox`, a proxy.
    Custom(Url),
}

impl Environment {
    /// The sandbox base URL.
    pub const SANDBOX_URL: &'static str = "https://api-m.sandbox.paypal.com/";
    /// The live base URL.
    pub const LIVE_URL: &'static str = "https://api-m.paypal.com/";

    /// A custom environment from a URL given as text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `base_url` when `url` is not a URL, or as
    /// [`base_url`](Self::base_url).
    pub fn custom(url: &str) -> Result<Self, Error> {
        Ok(Self::Custom(parse_base_url("base_url", url)?))
    }

    /// The base URL, always ending in `/` so that relative paths join under it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `base_url` for a custom URL that would expose the client
    /// secret or the tokens: not `https` (plain `http` is allowed only to a loopback host, for a
    /// mock server or the local sandbox), no host, a user name or password, a query or a fragment
    /// ([`partner_core::base_url::checked_base_url`]).
    pub fn base_url(&self) -> Result<Url, Error> {
        let url = match self {
            Environment::Sandbox => Url::parse(Self::SANDBOX_URL).expect("constant URL"),
            Environment::Live => Url::parse(Self::LIVE_URL).expect("constant URL"),
            Environment::Custom(url) => url.clone(),
        };
        Ok(checked_base_url("base_url", url)?)
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
            Environment::Live.base_url().unwrap().as_str(),
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
                Err(Error::InvalidInput(input)) => assert_eq!(input.field, "base_url", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
            // Built directly, the variant is checked when the URL is used.
            if let Ok(url) = Url::parse(bad) {
                assert!(Environment::Custom(url).base_url().is_err(), "{bad}");
            }
        }
    }
}
