use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{DecodeError, Error};
use crate::secret::Redacted;

/// An OAuth2 access token with its expiry.
#[derive(Clone)]
#[non_exhaustive]
pub struct AccessToken {
    /// The bearer token.
    pub secret: SecretString,
    /// When the provider says it expires, if it said.
    pub expires_at: Option<SystemTime>,
    /// The `token_type` (normally `Bearer`).
    pub token_type: Option<String>,
    /// The granted scopes, space-separated as the provider sent them.
    pub scope: Option<String>,
    /// Every other field of the token response (PayPal's `app_id` and `nonce`, Pax8's `expires_at`...).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl AccessToken {
    /// A token with `secret` expiring at `expires_at`.
    pub fn new(secret: impl Into<SecretString>, expires_at: Option<SystemTime>) -> Self {
        Self {
            secret: secret.into(),
            expires_at,
            token_type: None,
            scope: None,
            extra: BTreeMap::new(),
        }
    }

    /// Parses a standard OAuth2 token response (`access_token`, `expires_in`, `token_type`, `scope`),
    /// with `now` as the time it was issued.
    ///
    /// # Errors
    ///
    /// A decode error, **without** a body snippet (the body holds the token).
    pub fn from_oauth_response(body: &[u8], now: SystemTime) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Wire {
            access_token: String,
            #[serde(default)]
            token_type: Option<String>,
            #[serde(default)]
            expires_in: Option<serde_json::Value>,
            #[serde(default)]
            scope: Option<String>,
            #[serde(flatten)]
            extra: BTreeMap<String, serde_json::Value>,
        }
        let wire: Wire =
            DecodeError::decode_json(body, None).map_err(|e| Error::from(e.without_snippet()))?;
        // Some servers send `expires_in` as a string.
        let expires_in = match &wire.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Ok(Self {
            secret: wire.access_token.into(),
            // A huge expires_in must not overflow (a panic in the shared fetch would reach every waiter).
            expires_at: expires_in.and_then(|secs| now.checked_add(Duration::from_secs(secs))),
            token_type: wire.token_type,
            scope: wire.scope,
            extra: wire.extra,
        })
    }

    /// Whether the token is still usable at `now` with at least `margin` to spare.
    pub fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        match (self.expires_at, now.checked_add(margin)) {
            (Some(at), Some(limit)) => limit < at,
            (Some(_), None) => false,
            (None, _) => true,
        }
    }

    /// How long the token remains valid after `now` (`None` when the provider gave no expiry).
    pub fn remaining(&self, now: SystemTime) -> Option<Duration> {
        self.expires_at
            .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
    }

    /// The form persisted by token stores. It holds the token in clear: stores protect it.
    pub fn to_stored(&self) -> StoredToken {
        StoredToken {
            access_token: self.secret.expose_secret().to_owned(),
            expires_at_unix: self
                .expires_at
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs()),
            token_type: self.token_type.clone(),
            scope: self.scope.clone(),
            extra: self.extra.clone(),
        }
    }

    /// Rebuilds a token from its stored form.
    pub fn from_stored(stored: StoredToken) -> Self {
        Self {
            secret: stored.access_token.into(),
            expires_at: stored
                .expires_at_unix
                .and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s))),
            token_type: stored.token_type,
            scope: stored.scope,
            extra: stored.extra,
        }
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &Redacted)
            .field("expires_at", &self.expires_at)
            .field("token_type", &self.token_type)
            .field("scope", &self.scope)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A token as persisted by a [`TokenStore`](super::TokenStore): serialisable, and therefore a credential.
#[derive(Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredToken {
    /// The token in clear.
    pub access_token: String,
    /// Expiry as Unix seconds.
    pub expires_at_unix: Option<u64>,
    /// The token type.
    #[serde(default)]
    pub token_type: Option<String>,
    /// The scopes.
    #[serde(default)]
    pub scope: Option<String>,
    /// Other response fields.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("access_token", &Redacted)
            .field("expires_at_unix", &self.expires_at_unix)
            .finish_non_exhaustive()
    }
}

/// Identifies one cached token: the token URL and a SHA-256 hash of the client id (so that a file name
/// or a Redis key never reveals the client id, and two clients never share a token).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenKey {
    token_url: String,
    client_id_hash: String,
}

impl TokenKey {
    /// The key for `client_id` at `token_url`.
    pub fn new(token_url: &str, client_id: &str) -> Self {
        let hash = Sha256::digest(client_id.as_bytes());
        Self {
            token_url: token_url.to_owned(),
            client_id_hash: hex(&hash),
        }
    }

    /// The token URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// The hex SHA-256 of the client id.
    pub fn client_id_hash(&self) -> &str {
        &self.client_id_hash
    }

    /// A stable, filesystem- and Redis-safe digest of the whole key (hex SHA-256 of URL and hash).
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.token_url.as_bytes());
        h.update([0]);
        h.update(self.client_id_hash.as_bytes());
        hex(&h.finalize())
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenKey")
            .field("token_url", &self.token_url)
            .field("client_id_hash", &&self.client_id_hash[..12])
            .finish()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_oauth_response_and_keeps_extras() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let body = br#"{"scope":"a b","access_token":"tok","token_type":"Bearer","app_id":"APP-1","expires_in":31349,"nonce":"n"}"#;
        let t = AccessToken::from_oauth_response(body, now).unwrap();
        assert_eq!(t.secret.expose_secret(), "tok");
        assert_eq!(t.expires_at, Some(now + Duration::from_secs(31349)));
        assert_eq!(t.scope.as_deref(), Some("a b"));
        assert_eq!(t.extra["app_id"], "APP-1");
        assert_eq!(t.extra["nonce"], "n");
        assert!(!format!("{t:?}").contains("tok\""));
    }

    #[test]
    fn decode_failure_does_not_quote_the_body() {
        let body = br#"{"access_token": 5, "secret":"leak"}"#;
        let err = AccessToken::from_oauth_response(body, UNIX_EPOCH).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("leak"), "{text}");
    }

    #[test]
    fn absurd_expiries_do_not_overflow() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let body = br#"{"access_token":"t","expires_in":18446744073709551615}"#;
        let t = AccessToken::from_oauth_response(body, now).unwrap();
        assert!(t.is_fresh(now, Duration::from_secs(60)));
        let stored = StoredToken {
            access_token: "t".into(),
            expires_at_unix: Some(u64::MAX),
            token_type: None,
            scope: None,
            extra: BTreeMap::new(),
        };
        let t = AccessToken::from_stored(stored);
        assert!(t.is_fresh(now, Duration::MAX));
    }

    #[test]
    fn freshness_respects_margin() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let t = AccessToken::new("x", Some(now + Duration::from_secs(100)));
        assert!(t.is_fresh(now, Duration::from_secs(60)));
        assert!(!t.is_fresh(now, Duration::from_secs(100)));
        assert_eq!(t.remaining(now), Some(Duration::from_secs(100)));
    }

    #[test]
    fn token_key_hides_client_id() {
        let k = TokenKey::new("https://x/token", "my-client-id");
        assert!(!format!("{k:?}").contains("my-client-id"));
        assert_ne!(
            k.digest(),
            TokenKey::new("https://x/token", "other").digest()
        );
        assert_eq!(k.digest().len(), 64);
    }
}
