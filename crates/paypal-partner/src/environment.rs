//! Where the API lives: PayPal's sandbox, PayPal live, or your own URL (a mock server, the local sandbox).

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
    /// [`Error::InvalidInput`] when `url` is not an absolute http(s) URL.
    pub fn custom(url: &str) -> Result<Self, Error> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::invalid_input("base_url", format!("is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(Error::invalid_input(
                "base_url",
                "must be an absolute http or https URL",
            ));
        }
        Ok(Self::Custom(parsed))
    }

    /// The base URL, always ending in `/` so that relative paths join under it.
    pub fn base_url(&self) -> Url {
        let mut url = match self {
            Environment::Sandbox => Url::parse(Self::SANDBOX_URL).expect("constant URL"),
            Environment::Live => Url::parse(Self::LIVE_URL).expect("constant URL"),
            Environment::Custom(url) => url.clone(),
        };
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            Environment::default().base_url().as_str(),
            "https://api-m.sandbox.paypal.com/"
        );
        assert_eq!(
            Environment::Live.base_url().as_str(),
            "https://api-m.paypal.com/"
        );
        let custom = Environment::custom("http://127.0.0.1:8080/paypal").unwrap();
        assert_eq!(custom.base_url().as_str(), "http://127.0.0.1:8080/paypal/");
        assert!(Environment::custom("ftp://x").is_err());
        assert!(Environment::custom("not a url").is_err());
    }
}
