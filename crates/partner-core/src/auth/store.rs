//! Persistent token caches: in memory, a file, an encrypted file.
//!
//! A store is a second level behind the client's own in-memory token: it is read when the client has
//! no usable token (a new process, an expired token) and written after each fetch, so that processes and
//! restarts can share one token instead of each minting its own.
//!
//! A store never breaks a call: a missing, corrupt, foreign, expired, undecryptable or tampered entry
//! is a cache miss, and the token is fetched again.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretBox};
use serde::{Deserialize, Serialize};

use super::token::{AccessToken, StoredToken, TokenKey};
use crate::error::BoxError;
use crate::secret::Redacted;

/// A store failed (I/O, a Redis outage...). The token cache logs it and carries on without the store;
/// a replay guard refuses the message it could not check.
#[derive(Debug, Clone, thiserror::Error)]
#[error("store error: {message}")]
pub struct StoreError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl StoreError {
    /// A store error with a message (which must not hold the token).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }
}

/// A persistent token cache.
pub trait TokenStore: Send + Sync + fmt::Debug + 'static {
    /// The token stored under `key`, if there is a readable one.
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>>;
    /// Stores `token` under `key`, replacing what was there.
    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Forgets the token under `key` (after the API refused it).
    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Forgets `refused` under `key` because the API refused it, but keeps a different token that
    /// another process stored meanwhile, so that a revoked token makes a fleet fetch one new token,
    /// not one per process. The default forgets whatever is stored under `key`.
    fn remove_refused<'a>(
        &'a self,
        key: &'a TokenKey,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let _ = refused;
        self.remove(key)
    }

    /// Asks for the right to refresh the token under `key`, for at most `ttl`, so that across every
    /// process sharing this store only one fetches a new token while the others wait for it.
    ///
    /// The default, for stores that are not shared between processes, always answers
    /// [`RefreshLock::not_shared`]: the in-process single-flight of the
    /// [`TokenCache`](super::TokenCache) is enough. A shared store (Redis) answers
    /// [`RefreshLock::acquired`] to one caller and [`RefreshLock::held_elsewhere`] to the others until
    /// the holder releases the lock or `ttl` passes (a crashed holder blocks nobody for longer).
    fn lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<RefreshLock, StoreError>> {
        let _ = (key, ttl);
        futures_util::future::ready(Ok(RefreshLock::not_shared())).boxed()
    }
}

/// The answer of [`TokenStore::lock_refresh`]: whether this process should fetch the token itself.
///
/// An acquired lock is released by [`release`](RefreshLock::release); one that is dropped unreleased
/// (a cancelled call) is released in the background when a tokio runtime is running, or else expires.
pub struct RefreshLock {
    state: LockState,
}

enum LockState {
    NotShared,
    Acquired(Option<BoxFuture<'static, ()>>),
    HeldElsewhere,
}

impl RefreshLock {
    /// The store is not shared between processes: fetch without coordination.
    pub fn not_shared() -> Self {
        Self {
            state: LockState::NotShared,
        }
    }

    /// This caller holds the lock; `release` gives it back (a compare-and-delete, so that a lock
    /// that expired and was taken by another process is left alone).
    pub fn acquired(release: impl std::future::Future<Output = ()> + Send + 'static) -> Self {
        Self {
            state: LockState::Acquired(Some(release.boxed())),
        }
    }

    /// Another process holds the lock and is fetching: wait for its token to appear in the store.
    pub fn held_elsewhere() -> Self {
        Self {
            state: LockState::HeldElsewhere,
        }
    }

    /// Whether this caller should fetch the token (it holds the lock, or no lock is needed).
    pub fn may_fetch(&self) -> bool {
        !matches!(self.state, LockState::HeldElsewhere)
    }

    /// Whether the lock coordinates several processes (it was [`acquired`](Self::acquired)), in which
    /// case the store is worth reading again before fetching: the previous holder may just have
    /// written a token.
    pub fn is_shared(&self) -> bool {
        matches!(self.state, LockState::Acquired(_))
    }

    /// Gives the lock back.
    pub async fn release(mut self) {
        if let LockState::Acquired(release) = &mut self.state
            && let Some(release) = release.take()
        {
            release.await;
        }
    }
}

impl Drop for RefreshLock {
    fn drop(&mut self) {
        if let LockState::Acquired(release) = &mut self.state
            && let Some(release) = release.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(release);
        }
    }
}

impl fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            LockState::NotShared => "not_shared",
            LockState::Acquired(_) => "acquired",
            LockState::HeldElsewhere => "held_elsewhere",
        };
        f.debug_tuple("RefreshLock").field(&state).finish()
    }
}

/// Keeps tokens in this process's memory; clone it to share tokens between several clients.
#[derive(Debug, Clone, Default)]
pub struct MemoryTokenStore {
    tokens: Arc<Mutex<HashMap<TokenKey, AccessToken>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        let token = self
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned();
        futures_util::future::ready(Ok(token)).boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone(), token.clone());
        futures_util::future::ready(Ok(())).boxed()
    }

    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        futures_util::future::ready(Ok(())).boxed()
    }
}

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
                XNonce::from_slice(&nonce),
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
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .ok()?;
        decode_envelope(key, &plain)
    }
}

/// Keeps each token in its own file in a directory, written atomically (a temporary file renamed over
/// the old one) and readable only by its owner (mode 0600 on Unix).
///
/// The token is stored in clear; use [`EncryptedFileTokenStore`] where the disk is not trusted.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    dir: PathBuf,
    cipher: Option<TokenCipher>,
}

impl FileTokenStore {
    /// A store in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            cipher: None,
        }
    }

    /// The file that holds the token for `key`.
    pub fn path_for(&self, key: &TokenKey) -> PathBuf {
        let ext = if self.cipher.is_some() { "tok" } else { "json" };
        self.dir
            .join(format!("partner-token-{}.{ext}", &key.digest()[..32]))
    }

    fn encode(&self, key: &TokenKey, token: &AccessToken) -> Vec<u8> {
        match &self.cipher {
            Some(cipher) => cipher.seal(key, token),
            None => encode_envelope(key, token),
        }
    }

    fn decode(&self, key: &TokenKey, bytes: &[u8]) -> Option<AccessToken> {
        match &self.cipher {
            Some(cipher) => cipher.open(key, bytes),
            None => decode_envelope(key, bytes),
        }
    }
}

fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // tempfile creates the file with mode 0600 on Unix, before any byte is written.
    let mut tmp = tempfile::Builder::new()
        .prefix(".partner-token-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::new("the token store task failed").with_source(e))?
}

impl TokenStore for FileTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        let path = self.path_for(key);
        async move {
            let bytes = blocking(move || match std::fs::read(&path) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(StoreError::new("could not read the token file").with_source(e)),
            })
            .await?;
            Ok(bytes.and_then(|b| {
                let token = self.decode(key, &b);
                if token.is_none() {
                    tracing::debug!("ignoring an unreadable token file");
                }
                token
            }))
        }
        .boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let bytes = self.encode(key, token);
        let path = self.path_for(key);
        let dir = self.dir.clone();
        blocking(move || {
            write_atomically(&dir, &path, &bytes)
                .map_err(|e| StoreError::new("could not write the token file").with_source(e))
        })
        .boxed()
    }

    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>> {
        let path = self.path_for(key);
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::new("could not remove the token file").with_source(e)),
        })
        .boxed()
    }
}

/// A [`FileTokenStore`] whose files are encrypted with XChaCha20-Poly1305 under a caller-supplied key.
/// A wrong key or a tampered file reads as a miss.
///
/// ```no_run
/// use partner_core::auth::{EncryptedFileTokenStore, EncryptionKey};
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let key = EncryptionKey::from_base64(&std::env::var("TOKEN_CACHE_KEY")?)?;
/// let store = EncryptedFileTokenStore::new("/var/cache/my-app", &key);
/// # let _ = store; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct EncryptedFileTokenStore {
    files: FileTokenStore,
}

impl EncryptedFileTokenStore {
    /// An encrypted store in `dir`.
    pub fn new(dir: impl Into<PathBuf>, key: &EncryptionKey) -> Self {
        Self {
            files: FileTokenStore {
                dir: dir.into(),
                cipher: Some(TokenCipher::new(key)),
            },
        }
    }

    /// The file that holds the token for `key`.
    pub fn path_for(&self, key: &TokenKey) -> PathBuf {
        self.files.path_for(key)
    }
}

impl TokenStore for EncryptedFileTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        self.files.load(key)
    }
    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.files.save(key, token)
    }
    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.files.remove(key)
    }
}
