//! Procuret's request signature: HMAC-SHA256 keyed by the api key **string** over
//! `decimal(t - t mod 900) + path`, where `path` has no `/api` prefix and no query; standard base64.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The signature window, in seconds.
pub(crate) const WINDOW: i64 = 900;

/// The start of the window holding `unix_time`.
pub(crate) fn window(unix_time: i64) -> i64 {
    unix_time - unix_time.rem_euclid(WINDOW)
}

/// The header value for `path` in the window starting at `window_start`.
pub(crate) fn sign(api_key: &str, window_start: i64, path: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(window_start.to_string().as_bytes());
    mac.update(path.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `signature` is valid at `now` for the current or the previous window (the real server's
/// tolerance is unknown; accepting the previous window absorbs requests signed just before an edge).
pub(crate) fn verify(api_key: &str, path: &str, signature: &str, now: i64) -> bool {
    let current = window(now);
    [current, current - WINDOW].iter().any(|w| {
        bool::from(
            sign(api_key, *w, path)
                .as_bytes()
                .ct_eq(signature.as_bytes()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn matches_the_shared_vectors() {
        let vectors: Value = serde_json::from_str(include_str!(
            "../../../../testdata/vectors/procuret_signature_vectors.json"
        ))
        .unwrap();
        let cases = vectors["signature_vectors"].as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let key = case["api_key"].as_str().unwrap();
            let path = case["path"].as_str().unwrap();
            let t = case["unix_time"].as_i64().unwrap();
            assert_eq!(
                window(t),
                case["time_window"].as_i64().unwrap(),
                "window of {t}"
            );
            let expected = case["headers"]["x-procuret-signature"].as_str().unwrap();
            assert_eq!(
                sign(key, window(t), path),
                expected,
                "signature of {path} at {t}"
            );
            assert!(verify(key, path, expected, t));
        }
    }

    #[test]
    fn accepts_previous_window_only() {
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
        let sig = sign(key, window(1_700_000_000), "/instalment-link");
        assert!(verify(key, "/instalment-link", &sig, 1_700_000_000 + 900));
        assert!(!verify(key, "/instalment-link", &sig, 1_700_000_000 + 1800));
        assert!(!verify(key, "/instalment-link/list", &sig, 1_700_000_000));
        assert!(!verify("other", "/instalment-link", &sig, 1_700_000_000));
    }
}
