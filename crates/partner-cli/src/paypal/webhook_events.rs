//! `partner paypal webhooks events ...`: the event notifications PayPal sent (list, get, resend).

use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use paypal_partner::{EventId, WebhookId};

use super::webhooks::event_json;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("event type", "/event_type"),
    col("created", "/create_time"),
    col("resource", "/resource/id"),
    col("summary", "/summary"),
];

/// `partner paypal webhooks events`.
#[derive(Debug, Args)]
pub(crate) struct EventsArgs {
    #[command(subcommand)]
    command: EventsCommand,
}

#[derive(Debug, Subcommand)]
enum EventsCommand {
    /// List the event notifications PayPal sent your app, newest first. PayPal pages this list by
    /// links: the first page, or every page with --all.
    List(ListEvents),
    /// One event notification, with its resource.
    Get {
        /// The event id (`WH-...`).
        id: EventId,
    },
    /// Ask PayPal to deliver an event again (a new transmission: a receiver's replay guard lets it
    /// through), to every webhook it went to or to those given. Prints the event.
    Resend {
        /// The event id (`WH-...`).
        id: EventId,
        /// Deliver only to this webhook (repeatable or comma-separated); every webhook the event
        /// went to when absent.
        #[arg(long, value_name = "ID", value_delimiter = ',')]
        webhook_id: Vec<WebhookId>,
    },
}

#[derive(Debug, Args)]
struct ListEvents {
    #[command(flatten)]
    list: ListArgs,
    /// Only events of this type (`PAYMENT.CAPTURE.COMPLETED`).
    #[arg(long, value_name = "TYPE")]
    event_type: Option<String>,
    /// Only events created at or after this RFC 3339 time (`2026-12-01T00:00:00Z`).
    #[arg(long, value_name = "TIME")]
    start_time: Option<String>,
    /// Only events created at or before this RFC 3339 time.
    #[arg(long, value_name = "TIME")]
    end_time: Option<String>,
    /// Only events about this transaction (a capture or refund id).
    #[arg(long, value_name = "ID")]
    transaction_id: Option<String>,
}

pub(crate) async fn run(ctx: &Ctx, client: &paypal_partner::Client, args: EventsArgs) -> CliResult {
    let events = client.webhook_events();
    match args.command {
        EventsCommand::List(args) => list(ctx, client, args).await,
        EventsCommand::Get { id } => {
            let event = events.get(id).send().await?;
            ctx.out.record(&event_json(&event))
        }
        EventsCommand::Resend { id, webhook_id } => {
            let mut call = events.resend(id);
            if !webhook_id.is_empty() {
                call = call.webhook_ids(webhook_id);
            }
            let event = call.send().await?;
            ctx.out.record(&event_json(&event))?;
            ctx.out.note(&format!(
                "PayPal is delivering {} again",
                event.id().unwrap_or("the event")
            ));
            Ok(())
        }
    }
}

async fn list(ctx: &Ctx, client: &paypal_partner::Client, args: ListEvents) -> CliResult {
    if args.list.page.is_some_and(|page| page != 1) {
        return Err(CliError::invalid(
            "--page: PayPal pages events by links, not numbers: --page 1 (the default) or --all",
        ));
    }
    let mut list = client.webhook_events().list();
    if let Some(size) = args.list.page_size {
        list = list.page_size(size);
    }
    if let Some(name) = args.event_type {
        list = list.event_type(name);
    }
    if let Some(time) = args.start_time {
        list = list.start_time(time);
    }
    if let Some(time) = args.end_time {
        list = list.end_time(time);
    }
    if let Some(id) = args.transaction_id {
        list = list.transaction_id(id);
    }
    if args.list.all {
        let events = list.stream().map_ok(|event| event_json(&event));
        return ctx.out.stream(events, COLUMNS).await;
    }
    let page = list.send().await?;
    let items: Vec<_> = page.items().iter().map(event_json).collect();
    ctx.out.list(&items, COLUMNS)?;
    if !ctx.out.is_json() {
        let more = if page.has_next() {
            "; more with --all"
        } else {
            ""
        };
        ctx.out
            .note(&format!("the first page: {} events{more}", items.len()));
    }
    Ok(())
}
