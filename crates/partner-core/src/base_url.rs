//! The one check every provider crate runs on a configured URL before credentials go near it.
//!
//! A base URL (or a token URL) set by configuration decides where the client secret, the API key and
//! every bearer token are sent. A typo such as `http://api.example.com` would send them in clear text
//! across the network, and `https://user:pw@host/` or a stray query would put a secret into logs and
//! proxies. So:
//!
//! - the scheme must be `https`; plain `http` is allowed only to a loopback host (`localhost`,
//!   `127.0.0.0/8`, `[::1]`), for mock servers and the local sandbox;
//! - the URL must have a host, and no user name or password, query or fragment;
//! - a **base** URL's path is made to end in `/`, because [`Url::join`] drops the last segment of a
//!   base without one (`https://h/v1` joined with `companies` is `https://h/companies`).
//!
//! Errors name the configuration field and never quote the URL (it may hold credentials).
//!
//! ```
//! use partner_core::base_url::{checked_base_url, parse_base_url};
//! use partner_core::url::Url;
//!
//! let base = parse_base_url("base_url", "https://api.example.com/v1").unwrap();
//! assert_eq!(base.join("companies").unwrap().as_str(), "https://api.example.com/v1/companies");
//!
//! let local: Url = "http://127.0.0.1:8080/api".parse().unwrap();
//! assert!(checked_base_url("base_url", local).is_ok());
//!
//! let err = parse_base_url("base_url", "http://api.example.com/v1/").unwrap_err();
//! assert_eq!(err.field, "base_url");
//! ```

use url::{Host, Url};

use crate::error::InvalidInput;

/// Whether `url`'s host is a loopback host: `localhost`, an address in `127.0.0.0/8`, or `[::1]`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks a URL that credentials may be sent to (a token endpoint, say), leaving its path as it is.
///
/// # Errors
///
/// [`InvalidInput`] naming `field` when the URL is not `https` (or `http` to a loopback host), has
/// no host, or carries a user name, password, query or fragment.
pub fn checked_url(field: &'static str, url: Url) -> Result<Url, InvalidInput> {
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(InvalidInput::new(
                field,
                "must use https (plain http is allowed only to a loopback host: localhost, 127.0.0.0/8, [::1])",
            ));
        }
        _ => return Err(InvalidInput::new(field, "must be an https URL")),
    }
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(InvalidInput::new(
            field,
            "must be an absolute URL with a host",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(InvalidInput::new(
            field,
            "must not contain a user name or password",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(InvalidInput::new(
            field,
            "must not have a query or a fragment",
        ));
    }
    Ok(url)
}

/// Checks a base URL as [`checked_url`] does, and makes its path end in `/` so that
/// [`Url::join`] with a relative path keeps the base's last segment.
///
/// # Errors
///
/// As [`checked_url`].
pub fn checked_base_url(field: &'static str, url: Url) -> Result<Url, InvalidInput> {
    let mut url = checked_url(field, url)?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Parses `text` (surrounding whitespace ignored) and checks it with [`checked_url`].
///
/// # Errors
///
/// [`InvalidInput`] naming `field` when `text` is not a URL, or as [`checked_url`].
pub fn parse_url(field: &'static str, text: &str) -> Result<Url, InvalidInput> {
    checked_url(field, parse(field, text)?)
}

/// Parses `text` (surrounding whitespace ignored) and checks it with [`checked_base_url`].
///
/// # Errors
///
/// [`InvalidInput`] naming `field` when `text` is not a URL, or as [`checked_base_url`].
pub fn parse_base_url(field: &'static str, text: &str) -> Result<Url, InvalidInput> {
    checked_base_url(field, parse(field, text)?)
}

fn parse(field: &'static str, text: &str) -> Result<Url, InvalidInput> {
    // The parser's message names the kind of failure, never the input.
    Url::parse(text.trim()).map_err(|e| InvalidInput::new(field, format!("is not a URL: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for good in [
            "https://api.example.com/v1/",
            "https://api.example.com",
            "http://127.0.0.1:8080/",
            "http://127.1.2.3/",
            "http://localhost:8080/api",
            "http://LOCALHOST/",
            "http://[::1]:8080/",
        ] {
            assert!(checked_base_url("base_url", url(good)).is_ok(), "{good}");
        }
    }

    #[test]
    fn unsafe_urls_are_refused_naming_the_field() {
        for bad in [
            "http://api.example.com/v1/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "ftp://api.example.com/",
            "file:///etc/passwd",
            "https://user:pw@api.example.com/",
            "https://user@api.example.com/",
            "https://api.example.com/v1/?x=1",
            "https://api.example.com/v1/#top",
            "mailto:someone@example.com",
        ] {
            let err = checked_base_url("token_url", url(bad)).unwrap_err();
            assert_eq!(err.field, "token_url", "{bad}");
            assert!(!err.reason.contains("pw"), "{bad}: {}", err.reason);
            assert!(checked_url("token_url", url(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_paths_end_in_a_slash_so_join_keeps_the_last_segment() {
        let base = checked_base_url("base_url", url("https://api.example.com/v1")).unwrap();
        assert_eq!(base.as_str(), "https://api.example.com/v1/");
        assert_eq!(
            base.join("companies").unwrap().as_str(),
            "https://api.example.com/v1/companies"
        );
        let root = checked_base_url("base_url", url("https://api.example.com")).unwrap();
        assert_eq!(root.as_str(), "https://api.example.com/");
        let already = checked_base_url("base_url", url("https://h.example/a/b/")).unwrap();
        assert_eq!(already.as_str(), "https://h.example/a/b/");
    }

    #[test]
    fn endpoint_paths_are_left_alone() {
        let token = checked_url("token_url", url("https://api.example.com/v1/token")).unwrap();
        assert_eq!(token.as_str(), "https://api.example.com/v1/token");
    }

    #[test]
    fn parsing_trims_and_names_the_field() {
        assert_eq!(
            parse_base_url("base_url", "  http://127.0.0.1:9/v1 ")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9/v1/"
        );
        assert_eq!(
            parse_url("token_url", "not a url").unwrap_err().field,
            "token_url"
        );
        assert_eq!(
            parse_base_url("base_url", "http://api.example.com")
                .unwrap_err()
                .field,
            "base_url"
        );
    }
}
