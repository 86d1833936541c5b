//! `partner config`: profiles in the config directory. Secrets are typed without echo (or read from
//! stdin) so they stay out of shell history, and are never printed back.

use std::io::{self, BufRead, IsTerminal};

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::col;
use crate::profile::{self, ConfigFile, SETTINGS};

/// `partner config ...`.
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Set a setting of the profile (`--profile`, default `default`). Without VALUE, it is
    /// prompted for without echo (or read from stdin when that is not a terminal), which keeps
    /// secrets out of shell history.
    Set {
        /// The variable, as each crate's `from_env` names it: PAX8_CLIENT_ID, PAYPAL_CLIENT_SECRET...
        name: String,
        /// The value (omit it for secrets).
        value: Option<String>,
    },
    /// Remove a setting from the profile.
    Unset {
        /// The variable.
        name: String,
    },
    /// Every setting the profile may hold, its effective value and where it comes from
    /// (secrets show only whether they are set).
    Show,
    /// Print the profiles file's path.
    Path,
}

/// One row of `config show`.
#[derive(Debug, Serialize)]
struct SettingRow {
    name: &'static str,
    value: Option<String>,
    source: Option<&'static str>,
    meaning: &'static str,
}

pub(crate) async fn run(ctx: &Ctx, args: ConfigArgs) -> CliResult {
    match args.command {
        ConfigCommand::Set { name, value } => set(ctx, &name, value),
        ConfigCommand::Unset { name } => unset(ctx, &name),
        ConfigCommand::Show => show(ctx),
        ConfigCommand::Path => {
            println!("{}", profile::file_path(ctx.config_dir()).display());
            Ok(())
        }
    }
}

fn set(ctx: &Ctx, name: &str, value: Option<String>) -> CliResult {
    let setting = profile::setting_named(name)?;
    let value = match value {
        Some(value) => value,
        None => read_value(setting.name)?,
    };
    if value.trim().is_empty() {
        return Err(CliError::invalid(format!(
            "{name}: the value is empty (use `partner config unset {name}` to remove it)"
        )));
    }
    let mut file = ConfigFile::load(ctx.config_dir())?;
    file.set(ctx.profile_name(), setting.name, value);
    file.save(ctx.config_dir())?;
    ctx.out.note(&format!(
        "{} set in profile `{}` ({})",
        setting.name,
        ctx.profile_name(),
        profile::file_path(ctx.config_dir()).display()
    ));
    Ok(())
}

fn unset(ctx: &Ctx, name: &str) -> CliResult {
    let setting = profile::setting_named(name)?;
    let mut file = ConfigFile::load(ctx.config_dir())?;
    if file.unset(ctx.profile_name(), setting.name) {
        file.save(ctx.config_dir())?;
        ctx.out.note(&format!(
            "{} removed from profile `{}`",
            setting.name,
            ctx.profile_name()
        ));
    } else {
        ctx.out.note(&format!(
            "{} was not set in profile `{}`",
            setting.name,
            ctx.profile_name()
        ));
    }
    Ok(())
}

fn show(ctx: &Ctx) -> CliResult {
    let rows: Vec<SettingRow> = SETTINGS
        .iter()
        .map(|setting| {
            let found = ctx.setting(setting.name);
            SettingRow {
                name: setting.name,
                value: found.as_ref().map(|(value, _)| {
                    if setting.secret {
                        "(set, hidden)".to_owned()
                    } else {
                        value.clone()
                    }
                }),
                source: found.map(|(_, source)| source.as_str()),
                meaning: setting.meaning,
            }
        })
        .collect();
    ctx.out.list(
        &rows,
        &[
            col("setting", "/name"),
            col("value", "/value"),
            col("from", "/source"),
            col("meaning", "/meaning"),
        ],
    )
}

/// A value typed without echo at a terminal, else the first line of stdin.
fn read_value(name: &str) -> CliResult<String> {
    if io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{name}: "))
            .map_err(|e| CliError::other(format!("cannot read {name} from the terminal: {e}")));
    }
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::other(format!("cannot read {name} from stdin: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
