//! `partner procuret term-rates ...`: term-rate groups, the terms a supplier's customers may
//! choose from.

use clap::{Args, Subcommand};
use procuret::{Client, TermRateGroupId};

use crate::context::Ctx;
use crate::exit::CliResult;
use crate::output::{Column, col};

const RATE_COLUMNS: &[Column] = &[
    col("periods", "/periods"),
    col("periods a year", "/periods_in_year"),
    col("supplier", "/supplier_entity_id"),
];

/// `partner procuret term-rates`.
#[derive(Debug, Args)]
pub(crate) struct TermRatesArgs {
    #[command(subcommand)]
    command: TermRatesCommand,
}

#[derive(Debug, Subcommand)]
enum TermRatesCommand {
    /// One term-rate group, by its id: a table of its rates (term length in periods, periods a
    /// year), with the group's id, status and date on stderr; the whole group with --json.
    /// (The client has no list of groups: their ids come from Procuret.)
    Get {
        /// The group's public id.
        id: TermRateGroupId,
    },
}

pub(crate) async fn run(ctx: &Ctx, client: &Client, args: TermRatesArgs) -> CliResult {
    match args.command {
        TermRatesCommand::Get { id } => {
            let group = client.term_rate_groups().get(id).send().await?;
            if ctx.out.is_json() {
                return ctx.out.record(&group);
            }
            ctx.out.list(&group.rates, RATE_COLUMNS)?;
            let status = match group.active {
                Some(true) => "active",
                Some(false) => "inactive",
                None => "status unknown",
            };
            let created = group
                .created
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok())
                .and_then(|v| v.as_str().map(str::to_owned))
                .map(|c| format!(", created {c}"))
                .unwrap_or_default();
            ctx.out.note(&format!(
                "term-rate group {} ({status}{created}): {} rates",
                group.public_id,
                group.rates.len()
            ));
            Ok(())
        }
    }
}
