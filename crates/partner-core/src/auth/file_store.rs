//! Token stores on disk: one file per token, in clear or encrypted.

use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::envelope::{EncryptionKey, TokenCipher, decode_envelope, encode_envelope};
use super::store::{StoreError, TokenStore};
use super::token::{AccessToken, TokenKey};

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
