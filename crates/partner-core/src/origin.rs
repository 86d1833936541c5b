//! The origins (scheme, host, port) a client may send credentials to.

use std::fmt;

use url::{Host, Origin, Position, Url};

/// The origins credentials may go to, checked on every authenticated request.
///
/// A client has one to three of them, so a list beats a hash set; and the check compares the request
/// URL's parts in place, where [`Url::origin`] would allocate a copy of the host on every call.
#[derive(Clone, Default)]
pub(crate) struct AuthOrigins {
    origins: Vec<Origin>,
    /// The tuple origins as `scheme://host[:port]`, exactly as a URL of that origin without
    /// credentials begins: the common request is allowed by comparing that text alone.
    prefixes: Vec<String>,
}

impl AuthOrigins {
    /// Allows the origin of `url`.
    pub(crate) fn insert(&mut self, url: &Url) {
        let origin = url.origin();
        if !self.origins.contains(&origin) {
            if let Origin::Tuple(..) = &origin {
                self.prefixes.push(origin.ascii_serialization());
            }
            self.origins.push(origin);
        }
    }

    /// Whether `url` has one of the allowed origins (the same answer as comparing `url.origin()`).
    pub(crate) fn allows(&self, url: &Url) -> bool {
        // `url` serialises its origin the way `Origin` does (canonical host, default port left
        // out), so the same text means the same origin; anything else (credentials in the URL, a
        // foreign host) takes the comparison below.
        let prefix = &url[..Position::BeforePath];
        if self.prefixes.iter().any(|p| p == prefix) {
            return true;
        }
        let scheme = url.scheme();
        let (Some(host), Some(port), true) = (
            url.host(),
            url.port_or_known_default(),
            matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp"),
        ) else {
            // Other schemes have opaque or nested origins: let `url` decide, at the cost of a copy.
            return self.origins.contains(&url.origin());
        };
        self.origins.iter().any(|origin| match origin {
            Origin::Tuple(s, h, p) => *p == port && s == scheme && same_host(h, &host),
            Origin::Opaque(_) => false,
        })
    }
}

fn same_host(allowed: &Host<String>, host: &Host<&str>) -> bool {
    match (allowed, host) {
        (Host::Domain(a), Host::Domain(b)) => a == b,
        (Host::Ipv4(a), Host::Ipv4(b)) => a == b,
        (Host::Ipv6(a), Host::Ipv6(b)) => a == b,
        _ => false,
    }
}

impl fmt::Debug for AuthOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut origins: Vec<String> = self
            .origins
            .iter()
            .map(Origin::ascii_serialization)
            .collect();
        origins.sort();
        f.debug_list().entries(origins).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(configured: &[&str], request: &str) -> bool {
        let mut origins = AuthOrigins::default();
        for c in configured {
            origins.insert(&c.parse().unwrap());
        }
        let url: Url = request.parse().unwrap();
        let answer = origins.allows(&url);
        // The fast path must agree with `Url::origin` everywhere.
        assert_eq!(
            answer,
            origins.origins.contains(&url.origin()),
            "{configured:?} {request}"
        );
        answer
    }

    #[test]
    fn same_origin_rules() {
        let api = ["https://api.example.com/v1/", "http://127.0.0.1:8080/"];
        for (url, expected) in [
            ("https://api.example.com/v1/things?x=1", true),
            ("https://api.example.com:443/other", true),
            ("https://API.Example.com/", true),
            ("https://api.example.com:8443/", false),
            ("http://api.example.com/", false),
            ("wss://api.example.com/", false),
            ("https://api.example.com.evil.test/", false),
            ("https://evil.test/https://api.example.com/", false),
            ("https://user:pw@api.example.com/", true),
            ("http://127.0.0.1:8080/x", true),
            ("http://127.0.0.1:8081/x", false),
            ("http://localhost:8080/x", false),
            ("http://[::1]:8080/x", false),
            ("file:///etc/passwd", false),
            ("data:text/plain,hi", false),
            ("blob:https://api.example.com/uuid", true),
        ] {
            assert_eq!(allowed(&api, url), expected, "{url}");
        }
        assert!(allowed(
            &["http://[::1]:9000/"],
            "http://[0:0:0:0:0:0:0:1]:9000/"
        ));
        assert!(!allowed(&[], "https://api.example.com/"));
        // The text comparison meets canonical forms on both sides.
        assert!(allowed(
            &["https://api.example.com:443/"],
            "HTTPS://api.example.com/x"
        ));
        assert!(allowed(
            &["https://bücher.example/"],
            "https://xn--bcher-kva.example/"
        ));
        assert!(!allowed(
            &["https://api.example.com/"],
            "https://api.example.com./"
        ));
        assert!(allowed(
            &["https://api.example.com/"],
            "https://:@api.example.com/"
        ));
        assert!(!allowed(
            &["https://api.example.com/"],
            "https://api.example.co/"
        ));
    }

    #[test]
    fn debug_lists_origins_sorted() {
        let mut origins = AuthOrigins::default();
        origins.insert(&"https://b.test/x".parse().unwrap());
        origins.insert(&"https://a.test/y".parse().unwrap());
        origins.insert(&"https://b.test/z".parse().unwrap());
        assert_eq!(
            format!("{origins:?}"),
            r#"["https://a.test", "https://b.test"]"#
        );
    }
}
