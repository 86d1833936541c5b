//! Where the API lives: the demo environment (the default), production, or a URL of your own (a
//! simulator, a proxy).

use std::str::FromStr;

use partner_core::Error;
use partner_core::base_url::checked_base_url;
use url::Url;

/// Production's API root.
pub const PRODUCTION_URL: &str = "https://procuret.com/api";
/// The demo environment's API root.
pub const DEMO_URL: &str = "https://demo.procuret.com/api";

/// A Procuret environment. The default is [`Demo`](Self::Demo): nothing reaches real customers or
/// real money unless [`Production`](Self::Production) is named.
///
/// ```
/// use procuret::Environment;
/// assert_eq!(Environment::default(), Environment::Demo);
/// assert_eq!("production".parse::<Environment>()?, Environment::Production);
/// assert_eq!("demo".parse::<Environment>()?, Environment::Demo);
/// let local: Environment = "http://127.0.0.1:8080/api".parse()?;
/// # let _ = local; Ok::<(), procuret::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://procuret.com/api`: real customers, real money.
    Production,
    /// `https://demo.procuret.com/api`: Procuret's demonstration environment. The default.
    #[default]
    Demo,
    /// Any other API root, e.g. `http://127.0.0.1:8080/api` for a local simulator. Its path (here
    /// `/api`) is the root that request signatures leave out.
    Custom(Url),
}

impl FromStr for Environment {
    type Err = Error;

    /// `production`, `demo` (any case, surrounding spaces ignored) or an API root URL, as
    /// [`Environment::custom`] checks it. This is how `PROCURET_ENVIRONMENT` is read.
    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("production") {
            Ok(Environment::Production)
        } else if text.eq_ignore_ascii_case("demo") {
            Ok(Environment::Demo)
        } else if text.contains("://") {
            Environment::custom(text)
        } else {
            Err(Error::invalid_input(
                "environment",
                "must be `production`, `demo` or an https URL",
            ))
        }
    }
}

impl Environment {
    /// A custom environment from text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `base_url` when `url` is not a URL, or as
    /// [`base_url`](Self::base_url).
    pub fn custom(url: &str) -> Result<Self, Error> {
        let parsed = Url::parse(url.trim())
            .map_err(|e| Error::invalid_input("base_url", format!("is not a URL: {e}")))?;
        let env = Environment::Custom(parsed);
        env.base_url()?;
        Ok(env)
    }

    /// The API root, always ending in `/` so that endpoint paths join under it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `base_url` for a custom URL that would put the signed session
    /// at risk or lose its path: not `https` (plain `http` is allowed only to a loopback host, for a
    /// local simulator), no host, a user name or password, a query or a fragment
    /// ([`partner_core::base_url::checked_base_url`]).
    pub fn base_url(&self) -> Result<Url, Error> {
        let url = match self {
            Environment::Production => Url::parse(PRODUCTION_URL).expect("constant URL"),
            Environment::Demo => Url::parse(DEMO_URL).expect("constant URL"),
            Environment::Custom(url) => url.clone(),
        };
        Ok(checked_base_url("base_url", url)?)
    }

    /// The address a customer opens to take up an instalment link.
    ///
    /// Production links are `https://procuret.com/b?il=<public_id>`, as Procuret's libraries build
    /// them. For other environments the same path is put on the environment's host (for the demo,
    /// `https://demo.procuret.com/b?il=…`): Procuret does not document link addresses outside
    /// production, so treat those as unconfirmed.
    ///
    /// # Errors
    ///
    /// As [`base_url`](Self::base_url).
    pub fn instalment_link_url(&self, public_id: &str) -> Result<Url, Error> {
        let mut url = self.base_url()?;
        url.set_path("/b");
        url.query_pairs_mut().clear().append_pair("il", public_id);
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_demo() {
        assert_eq!(Environment::default(), Environment::Demo);
    }

    #[test]
    fn parses_names_and_urls() {
        for (text, expected) in [
            ("production", Environment::Production),
            (" Production ", Environment::Production),
            ("demo", Environment::Demo),
            ("DEMO", Environment::Demo),
        ] {
            assert_eq!(text.parse::<Environment>().unwrap(), expected, "{text}");
        }
        assert_eq!(
            "http://127.0.0.1:9000/api"
                .parse::<Environment>()
                .unwrap()
                .base_url()
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9000/api/"
        );
        for (bad, field) in [
            ("sandbox", "environment"),
            ("", "environment"),
            ("prod", "environment"),
            ("http://api.example.com/api", "base_url"),
        ] {
            match bad.parse::<Environment>() {
                Err(Error::InvalidInput(input)) => assert_eq!(input.field, field, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn base_urls_end_in_a_slash() {
        assert_eq!(
            Environment::Production.base_url().unwrap().as_str(),
            "https://procuret.com/api/"
        );
        assert_eq!(
            Environment::Demo.base_url().unwrap().as_str(),
            "https://demo.procuret.com/api/"
        );
        assert_eq!(
            Environment::custom("http://127.0.0.1:9000/api")
                .unwrap()
                .base_url()
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9000/api/"
        );
        assert!(Environment::custom("http://localhost:9000/api").is_ok());
        for bad in [
            "ftp://x/api",
            "https://x/api?a=1",
            "https://x/api#a",
            "https://user:pw@x/api",
            "not a url",
            // The session's signature and secrets would cross the network in clear text.
            "http://api.example.com/api",
            "http://10.1.2.3/api",
        ] {
            match Environment::custom(bad) {
                Err(Error::InvalidInput(input)) => assert_eq!(input.field, "base_url", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
            if let Ok(url) = Url::parse(bad) {
                assert!(Environment::Custom(url).base_url().is_err(), "{bad}");
            }
        }
    }

    #[test]
    fn link_urls() {
        assert_eq!(
            Environment::Production
                .instalment_link_url("abcDEF123")
                .unwrap()
                .as_str(),
            "https://procuret.com/b?il=abcDEF123"
        );
        assert_eq!(
            Environment::Demo
                .instalment_link_url("x y")
                .unwrap()
                .as_str(),
            "https://demo.procuret.com/b?il=x+y"
        );
        assert_eq!(
            Environment::custom("http://127.0.0.1:9000/api")
                .unwrap()
                .instalment_link_url("abc")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9000/b?il=abc"
        );
    }
}
