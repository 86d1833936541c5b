//! `partner pax8 quotes preferences ...`: what every new quote starts with (expiry, introduction,
//! terms, sales margin, library files).

use clap::{Args, Subcommand};
use pax8::quotes::{PreferencesUpdate, QuotePreferences};
use pax8::{AttachmentId, Decimal};

use super::ATTACHMENT_COLUMNS;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// `partner pax8 quotes preferences`.
#[derive(Debug, Args)]
pub(super) struct PreferencesArgs {
    #[command(subcommand)]
    command: PreferencesCommand,
}

#[derive(Debug, Subcommand)]
enum PreferencesCommand {
    /// The preferences, with the library files every new quote gets.
    Get,
    /// Change the preferences; the flags not given keep their current values (Pax8 takes all of
    /// them on each change).
    Set(SetPreferences),
    /// Give every new quote copies of these library files too; prints the preferences' copies.
    Attach {
        /// The library attachments' ids (from `quotes library list`).
        #[arg(required = true)]
        library_ids: Vec<AttachmentId>,
    },
    /// Stop giving new quotes this file (the library keeps its own copy).
    Detach {
        /// The preferences' attachment id (from `quotes preferences get`; Pax8 gives the
        /// preferences their own copy of a library file, with its own id).
        attachment_id: AttachmentId,
    },
}

#[derive(Debug, Args)]
struct SetPreferences {
    /// Days until a new quote expires.
    #[arg(long, value_parser = clap::value_parser!(i32).range(0..))]
    days_to_expire: Option<i32>,
    /// The introduction shown above the line items.
    #[arg(long)]
    intro_message: Option<String>,
    /// The terms and disclaimers shown below them.
    #[arg(long)]
    terms: Option<String>,
    /// The sales margin, in percent (`12.5`).
    #[arg(long)]
    sales_margin: Option<Decimal>,
}

impl SetPreferences {
    fn is_empty(&self) -> bool {
        self.days_to_expire.is_none()
            && self.intro_message.is_none()
            && self.terms.is_none()
            && self.sales_margin.is_none()
    }

    /// The whole update, each missing flag from `current`.
    fn over(self, current: QuotePreferences) -> CliResult<PreferencesUpdate> {
        let missing = |flag: &str| {
            CliError::invalid(format!(
                "no {flag} is saved yet and Pax8 needs one: give --{flag}"
            ))
        };
        let days = self
            .days_to_expire
            .or(current.days_to_expire)
            .ok_or_else(|| missing("days-to-expire"))?;
        let intro = self
            .intro_message
            .or(current.intro_message)
            .ok_or_else(|| missing("intro-message"))?;
        let terms = self
            .terms
            .or(current.terms_and_disclaimers)
            .ok_or_else(|| missing("terms"))?;
        let mut update = PreferencesUpdate::new(days, intro, terms);
        if let Some(margin) = self.sales_margin.or(current.sales_margin_percentage) {
            update = update.sales_margin_percentage(margin);
        }
        Ok(update)
    }
}

pub(super) async fn run(ctx: &Ctx, client: &pax8::Client, args: PreferencesArgs) -> CliResult {
    let quotes = client.quotes();
    match args.command {
        PreferencesCommand::Get => ctx.out.record(&quotes.preferences().send().await?),
        PreferencesCommand::Set(args) => {
            if args.is_empty() {
                return Err(CliError::invalid(
                    "nothing to change: give at least one of --days-to-expire, --intro-message, --terms, --sales-margin",
                ));
            }
            let update = args.over(quotes.preferences().send().await?)?;
            ctx.out
                .record(&quotes.update_preferences(&update).send().await?)
        }
        PreferencesCommand::Attach { library_ids } => {
            let files = quotes
                .add_preference_attachments(&library_ids)
                .send()
                .await?;
            ctx.out.list(&files, ATTACHMENT_COLUMNS)
        }
        PreferencesCommand::Detach { attachment_id } => {
            quotes
                .delete_preference_attachment(attachment_id.clone())
                .send()
                .await?;
            ctx.out.note(&format!(
                "new quotes no longer get attachment {attachment_id}"
            ));
            Ok(())
        }
    }
}
