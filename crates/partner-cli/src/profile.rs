//! Profiles: named sets of the same variables each crate's `from_env` reads, kept in
//! `<config dir>/config.toml`, readable only by the user (mode 0600, written atomically).
//!
//! ```toml
//! [profiles.default]
//! PAX8_CLIENT_ID = "..."
//! PAX8_CLIENT_SECRET = "..."
//!
//! [profiles.acme]
//! PAYPAL_ENVIRONMENT = "production"
//! ```
//!
//! Using the variables' own names means one vocabulary: what `export PAX8_CLIENT_ID=...` does for
//! one shell, `partner config set PAX8_CLIENT_ID ...` does for a profile, and the environment wins
//! when both are set.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::{CliError, CliResult};

/// A variable a profile may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setting {
    pub(crate) name: &'static str,
    /// Never printed; `config show` says only whether it is set.
    pub(crate) secret: bool,
    pub(crate) meaning: &'static str,
}

const fn setting(name: &'static str, secret: bool, meaning: &'static str) -> Setting {
    Setting {
        name,
        secret,
        meaning,
    }
}

/// Every variable a profile may hold: the credentials and environments of the four crates.
/// Procuret sessions are not here: `partner procuret login` stores them encrypted.
pub(crate) const SETTINGS: &[Setting] = &[
    setting(
        "PAX8_ENVIRONMENT",
        false,
        "`production` (the default) or a URL",
    ),
    setting("PAX8_CLIENT_ID", false, "Pax8 OAuth client id"),
    setting("PAX8_CLIENT_SECRET", true, "Pax8 OAuth client secret"),
    setting(
        "PAYPAL_ENVIRONMENT",
        false,
        "`sandbox` (the default), `production` or a URL",
    ),
    setting("PAYPAL_CLIENT_ID", false, "PayPal REST app client id"),
    setting("PAYPAL_CLIENT_SECRET", true, "PayPal REST app secret"),
    setting(
        "PAYPAL_PARTNER_MERCHANT_ID",
        false,
        "the platform's own PayPal merchant id",
    ),
    setting("PAYPAL_BN_CODE", false, "the partner attribution id"),
    setting(
        "PAYPAL_WEBHOOK_ID",
        false,
        "the webhook `partner paypal webhook verify` checks deliveries for",
    ),
    setting(
        "PROCURET_ENVIRONMENT",
        false,
        "`demo` (the default), `production` or a URL",
    ),
    setting(
        "LEANPUB_ENVIRONMENT",
        false,
        "`sandbox` (the default), `production` or a URL",
    ),
    setting("LEANPUB_PARTNER_ID", false, "Leanpub partner id"),
    setting("LEANPUB_API_KEY", true, "Leanpub partner API key"),
];

/// The setting named `name`, or a typed error listing the names there are.
pub(crate) fn setting_named(name: &str) -> CliResult<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
        CliError::invalid(format!(
            "unknown setting `{name}`; the settings are: {}",
            names.join(", ")
        ))
    })
}

/// The profiles file. `Debug` names the profiles, never their values (they hold secrets).
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, BTreeMap<String, String>>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ConfigFile {
    /// Reads `dir/config.toml`; a missing file is an empty configuration.
    pub(crate) fn load(dir: &Path) -> CliResult<ConfigFile> {
        let path = file_path(dir);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => {
                return Err(CliError::other(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        // toml's message quotes the offending line, which may hold a secret: say where, not what.
        toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|span| format!(" (at byte {})", span.start))
                .unwrap_or_default();
            CliError::invalid(format!(
                "{} is not a valid profiles file{at}",
                path.display()
            ))
        })
    }

    /// The settings of `profile` (empty when it does not exist).
    pub(crate) fn profile(&self, profile: &str) -> BTreeMap<String, String> {
        self.profiles.get(profile).cloned().unwrap_or_default()
    }

    pub(crate) fn set(&mut self, profile: &str, name: &str, value: String) {
        self.profiles
            .entry(profile.to_owned())
            .or_default()
            .insert(name.to_owned(), value);
    }

    /// Removes a setting; `false` when it was not set.
    pub(crate) fn unset(&mut self, profile: &str, name: &str) -> bool {
        let Some(settings) = self.profiles.get_mut(profile) else {
            return false;
        };
        let removed = settings.remove(name).is_some();
        if settings.is_empty() {
            self.profiles.remove(profile);
        }
        removed
    }

    /// Writes `dir/config.toml` atomically, readable only by the user: the temporary file is
    /// created with mode 0600 before any byte is written, then renamed over the old one.
    pub(crate) fn save(&self, dir: &Path) -> CliResult {
        create_private_dir(dir)?;
        let path = file_path(dir);
        let text = toml::to_string(self)
            .map_err(|e| CliError::other(format!("cannot write the profiles: {e}")))?;
        let fail = |e: io::Error| CliError::other(format!("cannot write {}: {e}", path.display()));
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.as_file().sync_all().map_err(fail)?;
        file.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// `dir/config.toml`.
pub(crate) fn file_path(dir: &Path) -> PathBuf {
    dir.join("config.toml")
}

/// The configuration directory: `--config-dir` / `PARTNER_CONFIG_DIR`, else the platform's
/// (`~/.config/partner` on Linux).
pub(crate) fn config_dir(explicit: Option<&Path>) -> CliResult<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_owned());
    }
    dirs::config_dir()
        .map(|dir| dir.join("partner"))
        .ok_or_else(|| {
            CliError::invalid(
                "no configuration directory on this platform: set PARTNER_CONFIG_DIR or --config-dir",
            )
        })
}

/// Creates `dir` (and its parents) readable only by the user.
pub(crate) fn create_private_dir(dir: &Path) -> CliResult {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| CliError::other(format!("cannot create {}: {e}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_profile_reads_back_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ConfigFile::default();
        file.set("acme", "PAX8_CLIENT_ID", "id-1".to_owned());
        file.save(dir.path()).unwrap();

        let again = ConfigFile::load(dir.path()).unwrap();
        assert_eq!(again.profile("acme").get("PAX8_CLIENT_ID").unwrap(), "id-1");
        assert!(again.profile("other").is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(file_path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_corrupt_file_is_reported_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            file_path(dir.path()),
            "[profiles.x]\nPAX8_CLIENT_SECRET = \"s3cr3t\" nonsense",
        )
        .unwrap();
        let err = ConfigFile::load(dir.path()).unwrap_err();
        assert!(!err.to_string().contains("s3cr3t"), "{err}");
    }

    #[test]
    fn unknown_settings_are_refused_with_the_list() {
        let err = setting_named("PAX8_CLIENT").unwrap_err();
        assert!(err.to_string().contains("PAX8_CLIENT_ID"), "{err}");
    }
}
