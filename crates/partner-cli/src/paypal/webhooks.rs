//! `partner paypal webhooks ...`: webhook registrations, the event types, simulated events.

use clap::{Args, Subcommand};
use paypal_partner::WebhookId;
use paypal_partner::webhooks::{AnchorType, Event, NewWebhook, SimulateEvent, Webhook};
use serde_json::{Value, json};

use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::{Column, col};

const WEBHOOK_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("url", "/url"),
    col("event types", "/event_types"),
];

const EVENT_TYPE_COLUMNS: &[Column] = &[
    col("name", "/name"),
    col("description", "/description"),
    col("status", "/status"),
];

/// `partner paypal webhooks`.
#[derive(Debug, Args)]
pub(crate) struct WebhooksArgs {
    #[command(subcommand)]
    command: WebhooksCommand,
}

#[derive(Debug, Subcommand)]
enum WebhooksCommand {
    /// List the webhooks registered for your REST app (PayPal does not page this list: at most
    /// 10 webhooks per app).
    List {
        /// Whose webhooks: `APPLICATION` (your REST app's, PayPal's default) or `ACCOUNT`.
        #[arg(long, value_parser = known::<AnchorType>, value_name = "TYPE")]
        anchor_type: Option<AnchorType>,
    },
    /// One webhook, with the event types it subscribes to.
    Get {
        /// The webhook id.
        id: WebhookId,
    },
    /// Register a webhook: PayPal delivers the events of the given types to the URL. Prints the
    /// webhook; its id is what `webhook verify --webhook-id` needs.
    ///
    /// PayPal refuses a URL that is already registered (list first) and more than 10 webhooks per
    /// app.
    Create {
        /// Where PayPal delivers: https (http only to a loopback host, for a local simulator), at
        /// most 2048 characters.
        #[arg(long)]
        url: String,
        /// An event type to deliver (`PAYMENT.CAPTURE.COMPLETED`), repeatable or comma-separated;
        /// `*` alone for every event (see `webhooks event-types`).
        #[arg(
            long = "event",
            value_name = "TYPE",
            value_delimiter = ',',
            required = true
        )]
        events: Vec<String>,
    },
    /// Delete a webhook: PayPal stops delivering to it.
    Delete {
        /// The webhook id.
        id: WebhookId,
    },
    /// The event types a webhook can subscribe to or, with --webhook-id, those one webhook
    /// subscribes to.
    EventTypes {
        /// A registered webhook's id.
        #[arg(long, value_name = "ID")]
        webhook_id: Option<WebhookId>,
    },
    /// Ask PayPal to deliver a sample event to a registered webhook or to a URL, and print it.
    ///
    /// A delivery to a webhook is signed for its id; one to --url for the literal webhook id
    /// `WEBHOOK_ID`: that is the id `webhook verify` needs. PayPal's simulated events cannot be
    /// verified by postback.
    Simulate {
        /// The event type (`PAYMENT.CAPTURE.COMPLETED`).
        #[arg(long, value_name = "TYPE")]
        event_type: String,
        /// Deliver to this URL (https; http only to a loopback host).
        #[arg(
            long,
            required_unless_present = "webhook_id",
            conflicts_with = "webhook_id"
        )]
        url: Option<String>,
        /// Deliver to this registered webhook.
        #[arg(long, value_name = "ID")]
        webhook_id: Option<WebhookId>,
        /// The resource version of the sample (`1.0`, `2.0`); PayPal's default when absent.
        #[arg(long, value_name = "VERSION")]
        resource_version: Option<String>,
    },
    /// The event notifications PayPal sent: list them, read one, deliver one again.
    Events(super::webhook_events::EventsArgs),
}

pub(crate) async fn run(
    ctx: &Ctx,
    client: &paypal_partner::Client,
    args: WebhooksArgs,
) -> CliResult {
    let webhooks = client.webhooks();
    match args.command {
        WebhooksCommand::List { anchor_type } => {
            let mut call = webhooks.list();
            if let Some(anchor) = anchor_type {
                call = call.anchor_type(anchor);
            }
            let list = call.send().await?;
            if ctx.out.is_json() {
                ctx.out.list(&list, WEBHOOK_COLUMNS)
            } else {
                ctx.out.list(&webhook_rows(&list), WEBHOOK_COLUMNS)
            }
        }
        WebhooksCommand::Get { id } => ctx.out.record(&webhooks.get(id).send().await?),
        WebhooksCommand::Create { url, events } => {
            let new = NewWebhook::builder().url(url).event_types(events).build()?;
            let created = webhooks.create(&new).send().await?;
            ctx.out.record(&created)?;
            if let Some(id) = &created.id {
                ctx.out.note(&format!("created webhook {id}"));
            }
            Ok(())
        }
        WebhooksCommand::Delete { id } => {
            webhooks.delete(id.clone()).send().await?;
            if ctx.out.is_json() {
                ctx.out.record(&json!({ "id": id, "deleted": true }))?;
            }
            ctx.out.note(&format!("deleted webhook {id}"));
            Ok(())
        }
        WebhooksCommand::EventTypes { webhook_id } => {
            let types = match webhook_id {
                Some(id) => webhooks.subscriptions(id).send().await?,
                None => webhooks.available_event_types().send().await?,
            };
            ctx.out.list(&types, EVENT_TYPE_COLUMNS)
        }
        WebhooksCommand::Events(args) => super::webhook_events::run(ctx, client, args).await,
        WebhooksCommand::Simulate {
            event_type,
            url,
            webhook_id,
            resource_version,
        } => {
            let mut simulation = match (webhook_id, url) {
                (Some(id), _) => SimulateEvent::to_webhook(id, event_type)?,
                (None, Some(url)) => SimulateEvent::to_url(url, event_type)?,
                // clap requires one of the two.
                (None, None) => {
                    return Err(CliError::invalid(
                        "give --webhook-id or --url: where to deliver the event",
                    ));
                }
            };
            if let Some(version) = resource_version {
                simulation = simulation.resource_version(version);
            }
            let event = client.webhook_events().simulate(&simulation).send().await?;
            ctx.out.record(&event_json(&event))?;
            ctx.out.note(&format!(
                "PayPal is delivering {} {}",
                event.event_type(),
                event.id().unwrap_or("(no id)")
            ));
            Ok(())
        }
    }
}

/// Webhooks as the table shows them: the event types as one comma-separated cell.
fn webhook_rows(webhooks: &[Webhook]) -> Vec<Value> {
    webhooks
        .iter()
        .map(|w| {
            let names: Vec<&str> = w.event_types.iter().map(|t| t.name.as_str()).collect();
            json!({ "id": w.id, "url": w.url, "event_types": names.join(", ") })
        })
        .collect()
}

/// An event as JSON: the crate's typed envelope, or the whole JSON of a type it does not know.
pub(super) fn event_json(event: &Event) -> Value {
    serde_json::to_value(event)
        .unwrap_or_else(|_| json!({ "id": event.id(), "event_type": event.event_type() }))
}
