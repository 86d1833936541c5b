//! [`Environment`]: which Pax8 the client talks to.

use std::str::FromStr;

use partner_core::Error;
use partner_core::base_url::{checked_base_url, parse_base_url};
use partner_core::url::Url;

/// The partner REST API in production.
pub const PRODUCTION_BASE_URL: &str = "https://api.pax8.com/v1/";
/// The webhooks API in production (note the `/api` prefix).
pub const PRODUCTION_WEBHOOKS_BASE_URL: &str = "https://api.pax8.com/api/v2/";
/// The quoting API in production (`/v2`, without the webhooks API's `/api`).
pub const PRODUCTION_QUOTES_BASE_URL: &str = "https://api.pax8.com/v2/";
/// The token endpoint in production.
pub const PRODUCTION_TOKEN_URL: &str = "https://api.pax8.com/v1/token";
/// The audience of the current token endpoint (partner, quoting and webhooks APIs).
pub const AUDIENCE: &str = "https://api.pax8.com";
/// The legacy token endpoint, still used by older integrations
/// ([`ClientBuilder::legacy_auth`](crate::ClientBuilder::legacy_auth)).
pub const LEGACY_TOKEN_URL: &str = "https://login.pax8.com/oauth/token";
/// The audience that goes with [`LEGACY_TOKEN_URL`].
pub const LEGACY_AUDIENCE: &str = "api://p8p.client";
/// The undocumented portal API in production (feature `experimental-portal`).
pub const PRODUCTION_PORTAL_BASE_URL: &str = "https://app.pax8.com/p8p/api/v3/";

/// Which Pax8 the client talks to.
///
/// Pax8 has **no test environment**: [`Production`](Self::Production) is the default and the only
/// real one, so every call reaches your live account. To check an order without placing it, use
/// `client.orders().validate(&order)` (Pax8's `isMock=true` dry run).
///
/// [`Custom`](Self::Custom) is the root of one server that serves everything, as a local sandbox or a
/// recording proxy does: the token endpoint `{root}/v1/token` (`{root}/oauth/token` with
/// `legacy_auth`), the REST API `{root}/v1/`, the webhooks API `{root}/api/v2/`, the quoting API
/// `{root}/v2/` and the portal
/// `{root}/p8p/api/v3/`.
///
/// ```
/// use pax8::Environment;
///
/// assert_eq!("production".parse::<Environment>()?, Environment::Production);
/// let local: Environment = "http://127.0.0.1:8080".parse()?;
/// assert_eq!(local, Environment::custom("http://127.0.0.1:8080/")?);
/// assert!(Environment::custom("http://pax8.example.com").is_err()); // plain http off loopback
/// # Ok::<(), pax8::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `api.pax8.com`, the only Pax8 there is.
    #[default]
    Production,
    /// One server serving the token endpoint, the REST, webhooks and portal APIs under this root.
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
        Ok(Environment::Custom(parse_base_url(
            "environment",
            url.trim(),
        )?))
    }

    /// The URLs the client uses, checked (a `Custom` URL may have been built without
    /// [`custom`](Self::custom)).
    pub(crate) fn endpoints(&self, legacy_auth: bool) -> Result<Endpoints, Error> {
        let Environment::Custom(root) = self else {
            let parse = |url: &str| Url::parse(url).expect("constant URL");
            return Ok(Endpoints {
                token_url: parse(if legacy_auth {
                    LEGACY_TOKEN_URL
                } else {
                    PRODUCTION_TOKEN_URL
                }),
                base: parse(PRODUCTION_BASE_URL),
                webhooks_base: parse(PRODUCTION_WEBHOOKS_BASE_URL),
                quotes_base: parse(PRODUCTION_QUOTES_BASE_URL),
                portal_base: parse(PRODUCTION_PORTAL_BASE_URL),
            });
        };
        let root = checked_base_url("environment", root.clone())?;
        // Relative joins on a root ending in `/` stay under it, whatever its path.
        let join = |path: &str| root.join(path).expect("relative path on a base URL");
        Ok(Endpoints {
            token_url: join(if legacy_auth {
                "oauth/token"
            } else {
                "v1/token"
            }),
            base: join("v1/"),
            webhooks_base: join("api/v2/"),
            quotes_base: join("v2/"),
            portal_base: join("p8p/api/v3/"),
        })
    }
}

/// `production` (any case), or a URL for [`Environment::custom`].
impl FromStr for Environment {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        if text.trim().eq_ignore_ascii_case("production") {
            return Ok(Environment::Production);
        }
        Self::custom(text)
    }
}

/// Where each part of Pax8 lives.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    pub(crate) token_url: Url,
    pub(crate) base: Url,
    pub(crate) webhooks_base: Url,
    pub(crate) quotes_base: Url,
    pub(crate) portal_base: Url,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_is_the_default_and_uses_pax8s_hosts() {
        let endpoints = Environment::default().endpoints(false).unwrap();
        assert_eq!(endpoints.token_url.as_str(), PRODUCTION_TOKEN_URL);
        assert_eq!(endpoints.base.as_str(), PRODUCTION_BASE_URL);
        assert_eq!(
            endpoints.webhooks_base.as_str(),
            PRODUCTION_WEBHOOKS_BASE_URL
        );
        assert_eq!(endpoints.portal_base.as_str(), PRODUCTION_PORTAL_BASE_URL);
        assert_eq!(endpoints.quotes_base.as_str(), PRODUCTION_QUOTES_BASE_URL);
        let legacy = Environment::Production.endpoints(true).unwrap();
        assert_eq!(legacy.token_url.as_str(), LEGACY_TOKEN_URL);
    }

    #[test]
    fn a_custom_root_serves_everything_under_its_path() {
        for (root, prefix) in [
            ("http://127.0.0.1:9", "http://127.0.0.1:9/"),
            ("http://127.0.0.1:9/", "http://127.0.0.1:9/"),
            ("https://proxy.example/pax8", "https://proxy.example/pax8/"),
        ] {
            let env = Environment::custom(root).unwrap();
            let e = env.endpoints(false).unwrap();
            assert_eq!(e.token_url.as_str(), format!("{prefix}v1/token"), "{root}");
            assert_eq!(e.base.as_str(), format!("{prefix}v1/"), "{root}");
            assert_eq!(
                e.webhooks_base.as_str(),
                format!("{prefix}api/v2/"),
                "{root}"
            );
            assert_eq!(e.quotes_base.as_str(), format!("{prefix}v2/"), "{root}");
            assert_eq!(
                e.portal_base.as_str(),
                format!("{prefix}p8p/api/v3/"),
                "{root}"
            );
            let legacy = env.endpoints(true).unwrap();
            assert_eq!(legacy.token_url.as_str(), format!("{prefix}oauth/token"));
        }
    }

    #[test]
    fn parsing_accepts_production_or_a_url() {
        for text in ["production", "Production", " PRODUCTION "] {
            assert_eq!(
                text.parse::<Environment>().unwrap(),
                Environment::Production
            );
        }
        assert_eq!(
            "https://proxy.example/pax8".parse::<Environment>().unwrap(),
            Environment::Custom(Url::parse("https://proxy.example/pax8/").unwrap())
        );
        // There is no Pax8 sandbox: the word is not a URL either.
        for bad in [
            "sandbox",
            "",
            "http://pax8.example.com",
            "https://u:p@proxy.example/",
        ] {
            match bad.parse::<Environment>() {
                Err(Error::InvalidInput(input)) => {
                    assert_eq!(input.field, "environment", "{bad:?}");
                    assert!(!input.reason.contains("u:p"), "{input}");
                }
                other => panic!("{bad:?}: expected InvalidInput, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_custom_url_built_by_hand_is_checked_too() {
        let remote = Environment::Custom(Url::parse("http://pax8.example.com/").unwrap());
        assert!(matches!(
            remote.endpoints(false),
            Err(Error::InvalidInput(input)) if input.field == "environment"
        ));
        let no_slash = Environment::Custom(Url::parse("http://127.0.0.1:9/pax8").unwrap());
        let e = no_slash.endpoints(false).unwrap();
        assert_eq!(e.base.as_str(), "http://127.0.0.1:9/pax8/v1/");
    }
}
