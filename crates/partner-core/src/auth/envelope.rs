//! How a token is kept at rest, by the file and Redis stores: a JSON envelope naming the key it
//! belongs to, optionally sealed with XChaCha20-Poly1305 under a caller-supplied key.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretBox};
use serde::{Deserialize, Serialize};

use super::token::{AccessToken, StoredToken, TokenKey};
use crate::secret::Redacted;

/// The on-disk (and in-Redis) envelope: the key it belongs to and the token.
#[derive(Serialize, Deserialize)]
struct Envelope {
    version: u32,
    token_url: String,
    client_id_hash: String,
    token: StoredToken,
}

const ENVELOPE_VERSION: u32 = 1;

/// Serialises a token for `key` (clear JSON).
pub(crate) fn encode_envelope(key: &TokenKey, token: &AccessToken) -> Vec<u8> {
    let env = Envelope {
        version: ENVELOPE_VERSION,
        token_url: key.token_url().to_owned(),
        client_id_hash: key.client_id_hash().to_owned(),
        token: token.to_stored(),
    };
    serde_json::to_vec(&env).unwrap_or_default()
}

/// Reads an envelope; `None` when it is corrupt or belongs to another key.
pub(crate) fn decode_envelope(key: &TokenKey, bytes: &[u8]) -> Option<AccessToken> {
    let env: Envelope = serde_json::from_slice(bytes).ok()?;
    if env.version != ENVELOPE_VERSION
        || env.token_url != key.token_url()
        || env.client_id_hash != key.client_id_hash()
    {
        return None;
    }
    // An expiry past what the platform's clock can hold is corrupt, not eternal.
    if let Some(secs) = env.token.expires_at_unix
        && std::time::UNIX_EPOCH
            .checked_add(std::time::Duration::from_secs(secs))
            .is_none()
    {
        return None;
    }
    Some(AccessToken::from_stored(env.token))
}

/// A 256-bit key for [`TokenCipher`], supplied by the caller (from a secret manager, an environment
/// variable...). `Debug` redacts it.
pub struct EncryptionKey(SecretBox<[u8; 32]>);

impl EncryptionKey {
    /// Wraps 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }

    /// Decodes a key from standard or URL-safe base64 (with or without padding).
    ///
    /// # Errors
    ///
    /// [`InvalidInput`](crate::error::InvalidInput) when it is not base64 of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, crate::error::InvalidInput> {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let trimmed = text.trim();
        let bytes = STANDARD
            .decode(trimmed)
            .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed.trim_end_matches('=')))
            .map_err(|_| {
                crate::error::InvalidInput::new("encryption_key", "is not valid base64")
            })?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| {
            crate::error::InvalidInput::new("encryption_key", "must decode to exactly 32 bytes")
        })?;
        Ok(Self::from_bytes(array))
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EncryptionKey").field(&Redacted).finish()
    }
}

impl Clone for EncryptionKey {
    fn clone(&self) -> Self {
        Self::from_bytes(*self.0.expose_secret())
    }
}

/// Authenticated encryption of stored tokens: XChaCha20-Poly1305 with a random 192-bit nonce per write,
/// the token key bound as associated data so an entry cannot be moved to another key.
#[derive(Clone)]
pub struct TokenCipher {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCipher")
            .field("algorithm", &"XChaCha20-Poly1305")
            .finish()
    }
}

const NONCE_LEN: usize = 24;
const MAGIC: &[u8; 4] = b"PTK1";

impl TokenCipher {
    /// A cipher with `key`.
    pub fn new(key: &EncryptionKey) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.0.expose_secret().into()),
        }
    }

    /// Encrypts the envelope of `token` for `key`.
    pub fn seal(&self, key: &TokenKey, token: &AccessToken) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        crate::secret::random_bytes(&mut nonce);
        let plain = encode_envelope(key, token);
        let aad = key.digest();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts an entry for `key`; `None` when the key is wrong, the entry was tampered with, or it
    /// belongs to another key.
    pub fn open(&self, key: &TokenKey, bytes: &[u8]) -> Option<AccessToken> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        if rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let aad = key.digest();
        let plain = self
            .cipher
            .decrypt(
                &XNonce::try_from(nonce).ok()?,
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .ok()?;
        decode_envelope(key, &plain)
    }
}
