//! What every command runs with: the output form, the resolved settings, and the in-process
//! sandbox when `--sandbox` was given. Clients are built here, the same way for every provider.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use partner_sandbox::{Sandbox, SandboxConfig};

use crate::cli::Global;
use crate::exit::{CliError, CliResult};
use crate::output::Output;
use crate::profile::{self, ConfigFile};

/// The seed of the in-process sandbox: the same ids on every run, so examples can be copied.
const SANDBOX_SEED: u64 = 7;

/// Sent after each crate's own user agent.
const USER_AGENT: &str = concat!("partner-cli/", env!("CARGO_PKG_VERSION"));

/// Where a setting's value came from, for `partner config show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Sandbox,
    Flag,
    Environment,
    Profile,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::Sandbox => "--sandbox",
            Source::Flag => "--environment",
            Source::Environment => "environment",
            Source::Profile => "profile",
        }
    }
}

/// The context of one command. `Debug` names the profile's settings, never their values.
pub(crate) struct Ctx {
    pub(crate) out: Output,
    config_dir: PathBuf,
    profile_name: String,
    profile: BTreeMap<String, String>,
    environment: Option<String>,
    sandbox: Option<Sandbox>,
    sandbox_env: BTreeMap<&'static str, String>,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("out", &self.out)
            .field("config_dir", &self.config_dir)
            .field("profile_name", &self.profile_name)
            .field("profile", &self.profile.keys().collect::<Vec<_>>())
            .field("environment", &self.environment)
            .field("sandbox", &self.sandbox.is_some())
            .finish_non_exhaustive()
    }
}

impl Ctx {
    /// Loads the profile and, with `--sandbox`, starts the four simulators in this process.
    pub(crate) async fn new(global: &Global) -> CliResult<Ctx> {
        let config_dir = profile::config_dir(global.config_dir.as_deref())?;
        // The sandbox needs no profile: a broken profiles file must not stop a demo.
        let profile = if global.sandbox {
            BTreeMap::new()
        } else {
            ConfigFile::load(&config_dir)?.profile(&global.profile)
        };
        let sandbox = if global.sandbox {
            Some(start_sandbox().await?)
        } else {
            None
        };
        let sandbox_env = sandbox
            .as_ref()
            .map(|s| s.client_env().into_iter().collect())
            .unwrap_or_default();
        Ok(Ctx {
            out: Output::new(global.json),
            config_dir,
            profile_name: global.profile.clone(),
            profile,
            environment: global.environment.clone(),
            sandbox,
            sandbox_env,
        })
    }

    /// The value of a setting (`PAX8_CLIENT_ID`...) and where it came from: the sandbox's under
    /// `--sandbox`; else `--environment` for a `*_ENVIRONMENT`; else the process environment; else
    /// the profile. Blank values count as unset, as in each crate's `from_env`.
    pub(crate) fn setting(&self, name: &str) -> Option<(String, Source)> {
        if self.sandbox.is_some() {
            return self
                .sandbox_env
                .get(name)
                .map(|v| (v.clone(), Source::Sandbox));
        }
        let non_blank = |v: &String| !v.trim().is_empty();
        if name.ends_with("_ENVIRONMENT")
            && let Some(env) = self.environment.clone().filter(non_blank)
        {
            return Some((env, Source::Flag));
        }
        if let Some(value) = std::env::var(name).ok().filter(non_blank) {
            return Some((value, Source::Environment));
        }
        self.profile
            .get(name)
            .filter(|v| non_blank(v))
            .map(|v| (v.clone(), Source::Profile))
    }

    fn var(&self, name: &str) -> Option<String> {
        self.setting(name).map(|(value, _)| value)
    }

    /// The configuration directory (profiles, token cache, Procuret sessions).
    pub(crate) fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// The profile's name.
    pub(crate) fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The in-process sandbox, under `--sandbox`.
    pub(crate) fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// Where OAuth tokens are cached between commands, unless in the sandbox: a directory only
    /// the user can enter (0700), holding files only the user can read (0600, partner-core's file
    /// store).
    fn token_dir(&self) -> CliResult<Option<PathBuf>> {
        if self.sandbox.is_some() {
            return Ok(None);
        }
        let dir = self.config_dir.join("tokens");
        profile::create_private_dir(&dir)?;
        Ok(Some(dir))
    }

    /// A Pax8 client from the settings.
    pub(crate) fn pax8(&self) -> CliResult<pax8::Client> {
        if self.var("PAX8_ENVIRONMENT").as_deref() == Some("sandbox") {
            return Err(CliError::invalid(
                "Pax8 has no sandbox environment: use --sandbox for the local simulator",
            ));
        }
        let mut builder = pax8::ClientBuilder::from_vars(|name| self.var(name));
        if let Some(dir) = self.token_dir()? {
            builder = builder.token_cache_file(dir);
        }
        Ok(builder.user_agent(USER_AGENT).build()?)
    }

    /// A PayPal partner client from the settings.
    pub(crate) fn paypal(&self) -> CliResult<paypal_partner::Client> {
        let mut builder = paypal_partner::ClientBuilder::from_vars(|name| self.var(name));
        if let Some(dir) = self.token_dir()? {
            builder = builder.token_cache_file(dir);
        }
        Ok(builder.user_agent(USER_AGENT).build()?)
    }

    /// A Procuret client builder from the settings (`sandbox` means Procuret's demo environment);
    /// the session is added by the procuret commands.
    pub(crate) fn procuret_builder(&self) -> procuret::ClientBuilder {
        procuret::ClientBuilder::from_vars(|name| {
            let value = self.var(name)?;
            Some(if name == "PROCURET_ENVIRONMENT" && value == "sandbox" {
                "demo".to_owned()
            } else {
                value
            })
        })
        .user_agent(USER_AGENT)
    }

    /// A Leanpub affiliate client from the settings; with `production`, Leanpub's production
    /// service whatever LEANPUB_ENVIRONMENT says (the leanpub command checks that they agree).
    pub(crate) fn leanpub(&self, production: bool) -> CliResult<leanpub_affiliate::Client> {
        let var = |name: &str| {
            if production && name == "LEANPUB_ENVIRONMENT" {
                Some("production".to_owned())
            } else {
                self.var(name)
            }
        };
        Ok(leanpub_affiliate::ClientBuilder::from_vars(var)
            .user_agent(USER_AGENT)
            .build()?)
    }

    /// Stops the in-process sandbox, if any, and waits for it.
    pub(crate) async fn finish(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

async fn start_sandbox() -> CliResult<Sandbox> {
    Sandbox::start(SandboxConfig::new().seed(SANDBOX_SEED))
        .await
        .map_err(|e| CliError::other(format!("cannot start the in-process sandbox: {e}")))
}
