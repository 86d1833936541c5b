//! Where the API lives: production, demo, or a URL of your own (a simulator, a proxy).

use partner_core::Error;
use url::Url;

/// Production's API root.
pub const PRODUCTION_URL: &str = "https://procuret.com/api";
/// The demo environment's API root.
pub const DEMO_URL: &str = "https://demo.procuret.com/api";

/// A Procuret environment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://procuret.com/api`: real money.
    #[default]
    Production,
    /// `https://demo.procuret.com/api`: Procuret's demonstration environment.
    Demo,
    /// Any other API root, e.g. `http://127.0.0.1:8080/api` for a local simulator. Its path (here
    /// `/api`) is the root that request signatures leave out.
    Custom(Url),
}

impl Environment {
    /// A custom environment from text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not an absolute `http`/`https` URL without query or
    /// fragment.
    pub fn custom(url: &str) -> Result<Self, Error> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::invalid_input("base_url", format!("is not a URL: {e}")))?;
        let env = Environment::Custom(parsed);
        env.base_url()?;
        Ok(env)
    }

    /// The API root, always ending in `/` so that endpoint paths join under it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a custom URL that is not `http`/`https`, has no host, or has a
    /// query or fragment.
    pub fn base_url(&self) -> Result<Url, Error> {
        let mut url = match self {
            Environment::Production => Url::parse(PRODUCTION_URL).expect("constant URL"),
            Environment::Demo => Url::parse(DEMO_URL).expect("constant URL"),
            Environment::Custom(url) => url.clone(),
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::invalid_input(
                "base_url",
                "must be an http or https URL with a host",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid_input(
                "base_url",
                "must not have a query or fragment",
            ));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(url)
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
        assert!(Environment::custom("ftp://x/api").is_err());
        assert!(Environment::custom("https://x/api?a=1").is_err());
        assert!(Environment::custom("not a url").is_err());
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
