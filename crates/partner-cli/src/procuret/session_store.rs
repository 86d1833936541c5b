//! Procuret sessions kept between commands: `<config dir>/procuret/<profile>.session`, sealed with
//! XChaCha20-Poly1305.
//!
//! A session is a credential (whoever holds it acts as the account), so it is never written in
//! the clear. The key is `PARTNER_SESSION_KEY` (base64 of 32 bytes) when set, else the key file
//! `<config dir>/session.key`, generated from the OS's random source the first time a session is
//! stored. Every file is created with mode 0600 before a byte is written and renamed into place,
//! and the directories are 0700.
//!
//! The sealed file is `PCS1 || nonce (24 random bytes) || ciphertext+tag`; the header is bound as
//! associated data. The plaintext is JSON: the environment the session was made for, the supplier
//! entity recorded at login, and the session itself.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use procuret::{EntityId, Session};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};

use crate::exit::{CliError, CliResult, ExitKind};
use crate::profile::create_private_dir;

/// The variable that holds the sealing key (base64 of 32 bytes), instead of the key file.
pub(crate) const KEY_VARIABLE: &str = "PARTNER_SESSION_KEY";

const MAGIC: &[u8; 4] = b"PCS1";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// What `procuret login` keeps.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredSession {
    /// The API root the session was created against (`https://demo.procuret.com/api/`...): a
    /// session is refused against any other.
    pub(crate) environment: String,
    /// The supplier entity given at login (`--entity-id`), the default of `link create`.
    #[serde(default)]
    pub(crate) entity_id: Option<EntityId>,
    /// The session, api key included.
    pub(crate) session: Session,
}

/// A 32-byte sealing key, wiped when dropped.
struct SealingKey(SecretBox<[u8; KEY_LEN]>);

impl SealingKey {
    fn from_base64(text: &str) -> Option<SealingKey> {
        let bytes = BASE64.decode(text.trim()).ok()?;
        let bytes: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(SealingKey(SecretBox::new(Box::new(bytes))))
    }

    fn generate() -> CliResult<SealingKey> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes).map_err(|e| {
            CliError::other(format!(
                "cannot generate a session key (no OS randomness): {e}"
            ))
        })?;
        Ok(SealingKey(SecretBox::new(Box::new(bytes))))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose_secret().into())
    }
}

/// The sealed sessions of one profile.
#[derive(Debug)]
pub(crate) struct SessionStore {
    config_dir: PathBuf,
    profile: String,
    /// `PARTNER_SESSION_KEY`, when set (redacted in `Debug`).
    key_text: Option<SecretString>,
}

impl SessionStore {
    /// The store of `profile` under `config_dir`, with the key from `PARTNER_SESSION_KEY` when set.
    pub(crate) fn new(config_dir: &Path, profile: &str) -> CliResult<SessionStore> {
        let key_text = std::env::var(KEY_VARIABLE)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(SecretString::from);
        SessionStore::with_key(config_dir, profile, key_text)
    }

    /// As [`new`](Self::new), with the key's text given (`None`: the key file).
    pub(crate) fn with_key(
        config_dir: &Path,
        profile: &str,
        key_text: Option<SecretString>,
    ) -> CliResult<SessionStore> {
        let plain_name = !profile.is_empty()
            && !profile.starts_with('.')
            && profile
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !plain_name {
            return Err(CliError::invalid(format!(
                "profile `{profile}`: a profile that keeps a Procuret session must be named with \
                 letters, digits, `-`, `_` and `.` (it names a file)"
            )));
        }
        Ok(SessionStore {
            config_dir: config_dir.to_owned(),
            profile: profile.to_owned(),
            key_text,
        })
    }

    /// `<config dir>/procuret/<profile>.session`.
    pub(crate) fn path(&self) -> PathBuf {
        self.config_dir
            .join("procuret")
            .join(format!("{}.session", self.profile))
    }

    /// `<config dir>/session.key`.
    fn key_path(&self) -> PathBuf {
        self.config_dir.join("session.key")
    }

    /// The key from `PARTNER_SESSION_KEY`, else the key file; `None` when neither exists.
    fn existing_key(&self) -> CliResult<Option<SealingKey>> {
        if let Some(text) = &self.key_text {
            return SealingKey::from_base64(text.expose_secret())
                .map(Some)
                .ok_or_else(|| {
                    CliError::invalid(format!("{KEY_VARIABLE} must be base64 of 32 bytes"))
                });
        }
        let path = self.key_path();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CliError::other(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        SealingKey::from_base64(&text).map(Some).ok_or_else(|| {
            CliError::other(format!(
                "{} is not a session key (base64 of 32 bytes): delete it and log in again",
                path.display()
            ))
        })
    }

    /// Checks the key there is (`PARTNER_SESSION_KEY`, or the key file) without using it, so that
    /// a bad one is reported before a sign-in starts.
    pub(crate) fn check_key(&self) -> CliResult {
        self.existing_key().map(|_| ())
    }

    /// The key, generating the key file when there is no key yet.
    fn key_for_writing(&self) -> CliResult<SealingKey> {
        if let Some(key) = self.existing_key()? {
            return Ok(key);
        }
        create_private_dir(&self.config_dir)?;
        let key = SealingKey::generate()?;
        let text = format!("{}\n", BASE64.encode(key.0.expose_secret()));
        let path = self.key_path();
        let fail = |e: io::Error| CliError::other(format!("cannot write {}: {e}", path.display()));
        let file = write_private_temp(&self.config_dir, text.as_bytes()).map_err(fail)?;
        match file.persist_noclobber(&path) {
            Ok(_) => Ok(key),
            // Another `partner` created it meanwhile: use that one, so both sessions stay readable.
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => self
                .existing_key()?
                .ok_or_else(|| CliError::other(format!("{} vanished", path.display()))),
            Err(e) => Err(fail(e.error)),
        }
    }

    /// Seals `stored` into the profile's session file, replacing any earlier one.
    pub(crate) fn save(&self, stored: &StoredSession) -> CliResult {
        let key = self.key_for_writing()?;
        let mut plain = serde_json::to_vec(stored)
            .map_err(|e| CliError::other(format!("cannot encode the session: {e}")))?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| {
            CliError::other(format!("cannot seal the session (no OS randomness): {e}"))
        })?;
        let sealed = key.cipher().encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &plain,
                aad: MAGIC,
            },
        );
        plain.fill(0);
        let sealed = sealed.map_err(|_| CliError::other("cannot seal the session"))?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);

        let path = self.path();
        let dir = path.parent().unwrap_or(&self.config_dir).to_owned();
        create_private_dir(&dir)?;
        let fail = |e: io::Error| CliError::other(format!("cannot write {}: {e}", path.display()));
        let file = write_private_temp(&dir, &bytes).map_err(fail)?;
        file.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// The profile's stored session; `None` when there is none.
    ///
    /// # Errors
    ///
    /// An authentication error (exit 4) when the file cannot be opened with the key (another key,
    /// an altered or damaged file): the remedy is to log in again.
    pub(crate) fn load(&self) -> CliResult<Option<StoredSession>> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CliError::other(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let unreadable = || {
            CliError::new(
                ExitKind::Authentication,
                format!(
                    "stored session cannot be read with this key: log in again \
                     (`partner procuret login`; {} was sealed with another key, or altered)",
                    path.display()
                ),
            )
        };
        let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return Err(CliError::new(
                ExitKind::Authentication,
                format!(
                    "{} is not a stored Procuret session: log in again (`partner procuret login`)",
                    path.display()
                ),
            ));
        };
        if rest.len() < NONCE_LEN {
            return Err(unreadable());
        }
        let key = self.existing_key()?.ok_or_else(unreadable)?;
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| unreadable())?;
        let mut plain = key
            .cipher()
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: MAGIC,
                },
            )
            .map_err(|_| unreadable())?;
        let stored = serde_json::from_slice::<StoredSession>(&plain);
        plain.fill(0);
        // serde's message could quote the plaintext: say what, not where.
        stored.map(Some).map_err(|_| unreadable())
    }

    /// Deletes the profile's stored session; `false` when there was none.
    pub(crate) fn remove(&self) -> CliResult<bool> {
        let path = self.path();
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(CliError::other(format!(
                "cannot delete {}: {e}",
                path.display()
            ))),
        }
    }
}

/// A temporary file in `dir`, mode 0600 from its creation, holding `bytes` (synced).
fn write_private_temp(dir: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use procuret::{ExposeSecret as _, Lifecycle};

    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "HxwdHhscGRoYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=";

    fn stored() -> StoredSession {
        StoredSession {
            environment: "http://127.0.0.1:9/api/".to_owned(),
            entity_id: Some(EntityId::new(589121125121)),
            session: Session::new(
                7212399413384927723,
                "very-secret-key".into(),
                Lifecycle::LongLived,
            )
            .unwrap(),
        }
    }

    fn store(dir: &Path, key: Option<&str>) -> SessionStore {
        SessionStore::with_key(dir, "default", key.map(SecretString::from)).unwrap()
    }

    #[test]
    fn a_session_round_trips_and_is_not_stored_in_the_clear() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), Some(KEY_A));
        assert!(store.load().unwrap().is_none());
        store.save(&stored()).unwrap();

        let raw = fs::read(store.path()).unwrap();
        assert!(raw.starts_with(MAGIC));
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("very-secret-key") && !text.contains("7212399413384927723"));

        let back = store.load().unwrap().unwrap();
        assert_eq!(back.environment, "http://127.0.0.1:9/api/");
        assert_eq!(back.entity_id, Some(EntityId::new(589121125121)));
        assert_eq!(back.session.session_id(), 7212399413384927723);
        assert_eq!(back.session.api_key().expose_secret(), "very-secret-key");
        // With the key in the variable, no key file is made.
        assert!(!dir.path().join("session.key").exists());
    }

    #[test]
    fn another_key_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        store(dir.path(), Some(KEY_A)).save(&stored()).unwrap();
        let err = store(dir.path(), Some(KEY_B)).load().unwrap_err();
        assert_eq!(err.kind(), ExitKind::Authentication);
        assert!(
            err.to_string()
                .contains("stored session cannot be read with this key: log in again"),
            "{err}"
        );
        // No key at all (neither variable nor file) is the same situation.
        let err = store(dir.path(), None).load().unwrap_err();
        assert_eq!(err.kind(), ExitKind::Authentication);
    }

    #[test]
    fn a_tampered_or_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), Some(KEY_A));
        store.save(&stored()).unwrap();
        let mut raw = fs::read(store.path()).unwrap();
        let last = raw.len() - 20;
        raw[last] ^= 0x01;
        fs::write(store.path(), &raw).unwrap();
        let err = store.load().unwrap_err();
        assert_eq!(err.kind(), ExitKind::Authentication);
        assert!(err.to_string().contains("log in again"), "{err}");

        fs::write(store.path(), b"{\"session_id\": 1}").unwrap();
        let err = store.load().unwrap_err();
        assert!(
            err.to_string().contains("is not a stored Procuret session"),
            "{err}"
        );
        fs::write(store.path(), b"PCS1short").unwrap();
        assert_eq!(store.load().unwrap_err().kind(), ExitKind::Authentication);
    }

    #[test]
    fn the_key_file_is_generated_once_and_every_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), None);
        store.save(&stored()).unwrap();
        let key_file = dir.path().join("session.key");
        let key = fs::read_to_string(&key_file).unwrap();
        assert_eq!(BASE64.decode(key.trim()).unwrap().len(), KEY_LEN);
        store.save(&stored()).unwrap();
        assert_eq!(
            fs::read_to_string(&key_file).unwrap(),
            key,
            "the key is kept"
        );
        assert!(store.load().unwrap().is_some());
        // The key file's text is a valid PARTNER_SESSION_KEY.
        let with_variable =
            SessionStore::with_key(dir.path(), "default", Some(key.into())).unwrap();
        assert!(with_variable.load().unwrap().is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&store.path()), 0o600);
            assert_eq!(mode(&key_file), 0o600);
            assert_eq!(mode(store.path().parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn remove_says_whether_there_was_a_session() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), Some(KEY_A));
        assert!(!store.remove().unwrap());
        store.save(&stored()).unwrap();
        assert!(store.remove().unwrap());
        assert!(store.load().unwrap().is_none());
    }

    #[test]
    fn a_bad_variable_and_a_bad_profile_name_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = store(dir.path(), Some("c2hvcnQ="))
            .save(&stored())
            .unwrap_err();
        assert_eq!(err.kind(), ExitKind::InvalidInput);
        assert!(err.to_string().contains(KEY_VARIABLE), "{err}");
        for name in ["../x", "", ".hidden", "a/b"] {
            let err = SessionStore::with_key(dir.path(), name, None).unwrap_err();
            assert_eq!(err.kind(), ExitKind::InvalidInput, "{name}");
        }
    }
}
