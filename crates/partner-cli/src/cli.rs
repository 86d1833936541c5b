//! The command line: global flags and the top-level commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::exit::exit_codes_help;

/// `partner`: one command-line tool over the Pax8, PayPal partner, Procuret and Leanpub affiliate
/// APIs.
///
/// Credentials come from the same environment variables as each crate's `Client::from_env()`
/// (PAX8_CLIENT_ID, PAYPAL_CLIENT_SECRET...), or from a profile (`partner config set`). Every
/// command runs against a local simulator with `--sandbox`: no account, no network.
#[derive(Debug, Parser)]
#[command(
    name = "partner",
    version,
    propagate_version = true,
    after_long_help = AFTER_HELP,
    after_help = "Exit codes and examples: partner --help"
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

const AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  partner --sandbox pax8 companies list\n",
    "  partner --sandbox paypal referral create --tracking-id seller-42 --return-url https://example.com/done\n",
    "  partner --json pax8 subscriptions list --company-id <ID> --all | jq .status\n",
    "\n",
    exit_codes_help!()
);

/// Flags every command accepts, shown under their own heading in every command's help.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// Print JSON for scripts: one object per record, one line per item of a list.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Run against local simulators started in this process (no account, no network; the state
    /// lives as long as the command).
    #[arg(long, global = true, conflicts_with = "environment")]
    pub(crate) sandbox: bool,
    /// The profile whose settings to use.
    #[arg(
        long,
        global = true,
        env = "PARTNER_PROFILE",
        default_value = "default"
    )]
    pub(crate) profile: String,
    /// `sandbox`, `production` or a base URL, instead of the provider's `*_ENVIRONMENT` (each
    /// provider's default is its safe one: PayPal and Leanpub sandbox, Procuret demo; Pax8 has
    /// only production).
    #[arg(long, global = true, value_name = "ENV")]
    pub(crate) environment: Option<String>,
    /// Where profiles, cached tokens and sessions live (default: the platform's config directory,
    /// `~/.config/partner` on Linux).
    #[arg(long, global = true, env = "PARTNER_CONFIG_DIR", value_name = "DIR")]
    pub(crate) config_dir: Option<PathBuf>,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The Pax8 Partner API: companies, contacts, products, orders, subscriptions, usage, invoices,
    /// quotes, webhooks.
    Pax8(crate::pax8::Pax8Args),
    /// PayPal partner onboarding, orders and captures, webhooks.
    Paypal(crate::paypal::PaypalArgs),
    /// Procuret: sign in, instalment links, payment series, term rates.
    Procuret(crate::procuret::ProcuretArgs),
    /// Leanpub partner discounts (sandbox unless --production).
    Leanpub(crate::leanpub::LeanpubArgs),
    /// Run the four simulators until Ctrl-C and print their URLs and credentials.
    Sandbox(crate::sandbox_cmd::SandboxArgs),
    /// Profiles: settings kept in the config directory (mode 0600).
    Config(crate::config_cmd::ConfigArgs),
    /// Print a shell completion script: `partner completions bash > ~/.local/share/bash-completion/completions/partner`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}

#[cfg(test)]
mod docs_tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every command's full path (`pax8 companies list`), leaves only.
    fn leaves(command: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        let subcommands: Vec<_> = command
            .get_subcommands()
            .filter(|c| c.get_name() != "help")
            .collect();
        if subcommands.is_empty() {
            out.push(prefix.trim().to_owned());
        }
        for sub in subcommands {
            leaves(sub, &format!("{prefix} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn docs_cli_md_names_every_command() {
        let page = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/cli.md"));
        let mut commands = Vec::new();
        leaves(&Cli::command(), "", &mut commands);
        // Tables under a provider's heading name commands without the provider (`companies list`).
        let named = |command: &str| {
            let without_provider = command.split_once(' ').map_or(command, |(_, rest)| rest);
            page.contains(&format!("partner {command}"))
                || page.contains(&format!("`{command}"))
                || page.contains(&format!("`{without_provider} "))
                || page.contains(&format!("`{without_provider}`"))
        };
        let missing: Vec<&String> = commands.iter().filter(|c| !named(c)).collect();
        assert!(
            missing.is_empty(),
            "docs/cli.md does not name: {missing:#?}"
        );
    }
}
