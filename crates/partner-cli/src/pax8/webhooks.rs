//! `partner pax8 webhooks ...`: the webhooks API (`/api/v2/webhooks`): where Pax8 sends change
//! notifications, which topics, test deliveries and the delivery logs.
//!
//! A webhook's `authorization` value is the shared secret each delivery carries: it is read from a
//! file or stdin (never a flag, which would land in the shell history) and never printed.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use pax8::webhooks::{WebhookTest, WebhookTopic};
use pax8::{
    AccountId, DeliveryStatus, IntegrationId, NewWebhook, Page, Timestamp, TopicSubscription,
    Webhook, WebhookConfiguration, WebhookFilter, WebhookId, WebhookLogId, WebhookTopicId,
};
use serde::{Deserialize, Serialize};

use super::listing;
use crate::arg_values::{date, known};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::input::read_text;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("name", "/displayName"),
    col("url", "/url"),
    col("active", "/active"),
    col("topics", "/topics"),
    col("last delivery", "/lastDeliveryStatus"),
];

const LOG_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("created", "/createdAt"),
    col("status", "/finalStatus"),
    col("http status", "/callHistory/0/httpStatusCode"),
    col("error", "/callHistory/0/errorMessage"),
];

const TOPIC_COLUMNS: &[Column] = &[
    col("topic", "/topic"),
    col("name", "/name"),
    col("description", "/description"),
];

/// `partner pax8 webhooks`.
#[derive(Debug, Args)]
pub(crate) struct WebhooksArgs {
    #[command(subcommand)]
    command: WebhooksCommand,
}

#[derive(Debug, Subcommand)]
enum WebhooksCommand {
    /// List webhooks, with filters.
    List(ListWebhooks),
    /// One webhook (its authorization value is never shown, only whether it is set).
    Get {
        /// The webhook's id.
        id: WebhookId,
    },
    /// Create a webhook from flags, or from a JSON file as the API takes it.
    Create(CreateWebhook),
    /// Change a webhook's name, URL, contact, error threshold, authorization value, or turn it on
    /// or off; prints the webhook.
    Update(UpdateWebhook),
    /// Subscribe a webhook to one more topic (every action, no filter); prints the webhook.
    AddTopic {
        /// The webhook's id.
        id: WebhookId,
        /// The topic (`SUBSCRIPTION`, `INVOICE`...; see `webhooks topics`).
        topic: String,
    },
    /// Unsubscribe a webhook from a topic.
    RemoveTopic {
        /// The webhook's id.
        id: WebhookId,
        /// The topic subscription's id (`webhookTopics[].id` in `webhooks get --json`).
        topic_id: WebhookTopicId,
    },
    /// Delete a webhook: Pax8 stops sending to it.
    Delete {
        /// The webhook's id.
        id: WebhookId,
    },
    /// Send a test event of a topic to the webhook's URL now; prints the sample payload sent (the
    /// delivery appears in `webhooks logs`).
    Test {
        /// The webhook's id.
        id: WebhookId,
        /// The topic whose sample event to send (`SUBSCRIPTION`, `INVOICE`...; see `webhooks
        /// topics`).
        topic: String,
    },
    /// The topics a webhook can subscribe to, with their descriptions.
    Topics {
        #[command(flatten)]
        list: ListArgs,
        /// Only topics matching this text.
        #[arg(long)]
        search: Option<String>,
    },
    /// A webhook's delivery logs: one row per event, with its final status and the
    /// first attempt's HTTP status.
    Logs(ListLogs),
    /// One delivery log with every attempt and the payload sent.
    Log {
        /// The webhook's id.
        id: WebhookId,
        /// The log's id (from `webhooks logs`).
        log_id: WebhookLogId,
    },
    /// Send a logged delivery again (Pax8 answers at once; the new attempt appears in the log).
    Retry {
        /// The webhook's id.
        id: WebhookId,
        /// The log's id (from `webhooks logs`).
        log_id: WebhookLogId,
    },
}

#[derive(Debug, Args)]
struct ListWebhooks {
    #[command(flatten)]
    list: ListArgs,
    /// Only webhooks matching this text (name, URL).
    #[arg(long)]
    query: Option<String>,
    /// Only active (true) or inactive (false) webhooks.
    #[arg(long)]
    active: Option<bool>,
    /// Only webhooks subscribed to this topic.
    #[arg(long)]
    topic: Option<String>,
    /// Only webhooks whose last delivery had this status.
    #[arg(long, value_parser = known::<DeliveryStatus>)]
    last_delivery_status: Option<DeliveryStatus>,
    /// Only the webhooks of this account.
    #[arg(long)]
    account_id: Option<AccountId>,
}

#[derive(Debug, Args)]
struct CreateWebhook {
    /// A JSON file (`-` for stdin) with the webhook as the API takes it (`displayName`, `url`,
    /// `authorization`, `active`, `contactEmail`, `errorThreshold`, `integrationId`,
    /// `webhookTopics: [{"topic": ..., "filters": [...]}]`), for topic filters.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["name", "url", "topic", "contact_email", "error_threshold", "inactive"])]
    file: Option<PathBuf>,
    /// The webhook's name.
    #[arg(long, required_unless_present = "file")]
    name: Option<String>,
    /// Where Pax8 sends the events (https).
    #[arg(long, required_unless_present = "file")]
    url: Option<String>,
    /// A topic to receive, every action and no filter; repeat for several (`--topic SUBSCRIPTION
    /// --topic INVOICE`).
    #[arg(long)]
    topic: Vec<String>,
    /// Who Pax8 tells when deliveries keep failing.
    #[arg(long)]
    contact_email: Option<String>,
    /// Failed attempts before Pax8 gives up on an event (at most 20; Pax8's default 3).
    #[arg(long)]
    error_threshold: Option<u32>,
    /// Create it turned off.
    #[arg(long)]
    inactive: bool,
    /// A file (`-` for stdin) holding the value Pax8 sends as each delivery's `Authorization`
    /// header (the secret your receiver checks); one line, trailing newline ignored.
    #[arg(long, value_name = "PATH")]
    authorization_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct UpdateWebhook {
    /// The webhook's id.
    id: WebhookId,
    /// The new name.
    #[arg(long)]
    name: Option<String>,
    /// The new URL.
    #[arg(long)]
    url: Option<String>,
    /// The new contact email.
    #[arg(long)]
    contact_email: Option<String>,
    /// The new error threshold (at most 20).
    #[arg(long)]
    error_threshold: Option<u32>,
    /// A file (`-` for stdin) holding the new `Authorization` value.
    #[arg(long, value_name = "PATH")]
    authorization_file: Option<PathBuf>,
    /// Turn the webhook on (true) or off (false).
    #[arg(long)]
    active: Option<bool>,
}

#[derive(Debug, Args)]
struct ListLogs {
    /// The webhook's id.
    id: WebhookId,
    #[command(flatten)]
    list: ListArgs,
    /// Only deliveries of this topic.
    #[arg(long)]
    topic: Option<String>,
    /// Only deliveries whose final status is this.
    #[arg(long, value_parser = known::<DeliveryStatus>)]
    status: Option<DeliveryStatus>,
    /// Only deliveries from this day on, YYYY-MM-DD (UTC).
    #[arg(long, value_parser = date)]
    from: Option<time::Date>,
    /// Only deliveries up to the end of this day, YYYY-MM-DD (UTC).
    #[arg(long, value_parser = date)]
    to: Option<time::Date>,
    /// Only deliveries matching this text.
    #[arg(long)]
    query: Option<String>,
}

/// A webhook as printed: every field but the authorization value, of which only its presence.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WebhookView {
    id: WebhookId,
    display_name: String,
    url: Option<String>,
    active: bool,
    /// `set` when the webhook has one; the value itself is a secret.
    authorization: Option<&'static str>,
    contact_email: Option<String>,
    error_threshold: Option<i32>,
    integration_id: Option<IntegrationId>,
    account_id: Option<AccountId>,
    /// The topic names, comma-separated (for the table).
    topics: String,
    webhook_topics: Vec<WebhookTopic>,
    last_delivery_status: Option<DeliveryStatus>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

impl From<Webhook> for WebhookView {
    fn from(hook: Webhook) -> Self {
        WebhookView {
            topics: hook
                .webhook_topics
                .iter()
                .map(|t| t.topic.as_str())
                .collect::<Vec<_>>()
                .join(","),
            id: hook.id,
            display_name: hook.display_name,
            url: hook.url,
            active: hook.active,
            authorization: hook.authorization.as_ref().map(|_| "set"),
            contact_email: hook.contact_email,
            error_threshold: hook.error_threshold,
            integration_id: hook.integration_id,
            account_id: hook.account_id,
            webhook_topics: hook.webhook_topics,
            last_delivery_status: hook.last_delivery_status,
            created_at: hook.created_at,
            updated_at: hook.updated_at,
        }
    }
}

/// What `webhooks test` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TestView<'a> {
    webhook_id: &'a WebhookId,
    url: Option<&'a str>,
    sample_payload: Option<&'a serde_json::Value>,
}

impl<'a> From<&'a WebhookTest> for TestView<'a> {
    fn from(test: &'a WebhookTest) -> Self {
        TestView {
            webhook_id: &test.webhook.id,
            url: test.url.as_deref().or(test.webhook.url.as_deref()),
            sample_payload: test.sample_payload.as_ref(),
        }
    }
}

/// A webhook as the API takes it, read from `--file`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WebhookFile {
    display_name: String,
    url: String,
    authorization: Option<String>,
    active: Option<bool>,
    contact_email: Option<String>,
    error_threshold: Option<u32>,
    integration_id: Option<IntegrationId>,
    #[serde(default)]
    webhook_topics: Vec<TopicFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TopicFile {
    topic: String,
    #[serde(default)]
    filters: Vec<WebhookFilter>,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: WebhooksArgs) -> CliResult {
    let webhooks = client.webhooks();
    match args.command {
        WebhooksCommand::List(args) => list(ctx, client, args).await,
        WebhooksCommand::Get { id } => {
            let hook = webhooks.get(id).send().await?;
            ctx.out.record(&WebhookView::from(hook))
        }
        WebhooksCommand::Create(args) => {
            let new = new_webhook(args)?;
            let hook = webhooks.create(&new).send().await?;
            ctx.out.note(&format!("created webhook {}", hook.id));
            ctx.out.record(&WebhookView::from(hook))
        }
        WebhooksCommand::Update(args) => update(ctx, client, args).await,
        WebhooksCommand::AddTopic { id, topic } => {
            let hook = webhooks
                .add_topic(id, &TopicSubscription::new(topic))
                .send()
                .await?;
            ctx.out.record(&WebhookView::from(hook))
        }
        WebhooksCommand::RemoveTopic { id, topic_id } => {
            webhooks
                .remove_topic(id.clone(), topic_id.clone())
                .send()
                .await?;
            ctx.out
                .note(&format!("removed topic {topic_id} from webhook {id}"));
            Ok(())
        }
        WebhooksCommand::Delete { id } => {
            webhooks.delete(id.clone()).send().await?;
            ctx.out.note(&format!("deleted webhook {id}"));
            Ok(())
        }
        WebhooksCommand::Test { id, topic } => {
            let test = webhooks.test_topic(id, &topic).send().await?;
            ctx.out
                .note("test event sent; see `webhooks logs` for the delivery");
            ctx.out.record(&TestView::from(&test))
        }
        WebhooksCommand::Topics { list, search } => {
            let mut topics = webhooks.topic_definitions();
            if let Some(text) = search {
                topics = topics.search(text);
            }
            listing::print(ctx, topics, &list, TOPIC_COLUMNS).await
        }
        WebhooksCommand::Logs(args) => logs(ctx, client, args).await,
        WebhooksCommand::Log { id, log_id } => {
            ctx.out.record(&webhooks.log(id, log_id).send().await?)
        }
        WebhooksCommand::Retry { id, log_id } => {
            webhooks.retry_delivery(id, log_id.clone()).send().await?;
            ctx.out.note(&format!("delivery {log_id} sent again"));
            Ok(())
        }
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListWebhooks) -> CliResult {
    let mut list = client.webhooks().list();
    if let Some(text) = args.query {
        list = list.query(text);
    }
    if let Some(active) = args.active {
        list = list.active(active);
    }
    if let Some(topic) = args.topic {
        list = list.topic(topic);
    }
    if let Some(status) = args.last_delivery_status {
        list = list.last_delivery_status(status);
    }
    if let Some(id) = args.account_id {
        list = list.account_id(id);
    }
    if let Some(size) = args.list.page_size {
        list = list.size(size);
    }
    // The model holds the secret and is not printable as is: each item goes through the view.
    if args.list.all {
        use futures_util::StreamExt;
        let items = list.stream().map(|item| item.map(WebhookView::from));
        return ctx.out.stream(items, COLUMNS).await;
    }
    if let Some(page) = args.list.page {
        list = list.page(page);
    }
    let page = list.send().await?;
    let (number, size, total_pages, total_items) =
        (page.number, page.size, page.total_pages, page.total_items);
    let items = page
        .into_items()
        .into_iter()
        .map(WebhookView::from)
        .collect();
    let page = Page::new(items, number, size, total_pages, total_items);
    ctx.out.page(&page, COLUMNS)
}

fn new_webhook(args: CreateWebhook) -> CliResult<NewWebhook> {
    let authorization = args
        .authorization_file
        .as_deref()
        .map(read_secret)
        .transpose()?;
    let mut builder = match args.file {
        Some(path) => {
            let text = read_text(&path, "--file")?;
            let file: WebhookFile = serde_json::from_str(&text).map_err(|e| {
                CliError::invalid(format!("{}: not a webhook: {e}", path.display()))
            })?;
            let mut builder = NewWebhook::builder(file.display_name, file.url);
            if let Some(secret) = file.authorization {
                builder = builder.authorization(secret);
            }
            if let Some(active) = file.active {
                builder = builder.active(active);
            }
            if let Some(email) = file.contact_email {
                builder = builder.contact_email(email);
            }
            if let Some(threshold) = file.error_threshold {
                builder = builder.error_threshold(threshold);
            }
            if let Some(id) = file.integration_id {
                builder = builder.integration_id(id);
            }
            for topic in file.webhook_topics {
                let mut subscription = TopicSubscription::new(topic.topic);
                for filter in topic.filters {
                    subscription = subscription.filter(filter);
                }
                builder = builder.topic(subscription);
            }
            builder
        }
        None => {
            let (Some(name), Some(url)) = (args.name, args.url) else {
                return Err(CliError::invalid(
                    "--name and --url are required without --file",
                ));
            };
            let mut builder = NewWebhook::builder(name, url);
            if args.inactive {
                builder = builder.active(false);
            }
            if let Some(email) = args.contact_email {
                builder = builder.contact_email(email);
            }
            if let Some(threshold) = args.error_threshold {
                builder = builder.error_threshold(threshold);
            }
            for topic in args.topic {
                builder = builder.topic(TopicSubscription::new(topic));
            }
            builder
        }
    };
    if let Some(secret) = authorization {
        builder = builder.authorization(secret);
    }
    // An empty name, a repeated topic or a threshold over 20 is refused here, before sending.
    Ok(builder.build()?)
}

async fn update(ctx: &Ctx, client: &pax8::Client, args: UpdateWebhook) -> CliResult {
    let webhooks = client.webhooks();
    let mut configuration = WebhookConfiguration::new();
    let mut configure = false;
    if let Some(name) = args.name {
        configuration = configuration.display_name(name);
        configure = true;
    }
    if let Some(url) = args.url {
        configuration = configuration.url(url);
        configure = true;
    }
    if let Some(email) = args.contact_email {
        configuration = configuration.contact_email(email);
        configure = true;
    }
    if let Some(threshold) = args.error_threshold {
        configuration = configuration.error_threshold(threshold);
        configure = true;
    }
    if let Some(path) = args.authorization_file.as_deref() {
        configuration = configuration.authorization(read_secret(path)?);
        configure = true;
    }
    if !configure && args.active.is_none() {
        return Err(CliError::invalid(
            "nothing to change: give at least one of --name, --url, --contact-email, --error-threshold, --authorization-file, --active",
        ));
    }
    let mut hook = None;
    if configure {
        hook = Some(
            webhooks
                .update_configuration(args.id.clone(), &configuration)
                .send()
                .await?,
        );
    }
    if let Some(active) = args.active {
        hook = Some(webhooks.set_active(args.id, active).send().await?);
    }
    match hook {
        Some(hook) => ctx.out.record(&WebhookView::from(hook)),
        None => Ok(()),
    }
}

async fn logs(ctx: &Ctx, client: &pax8::Client, args: ListLogs) -> CliResult {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(CliError::invalid(format!(
            "--from {from} is after --to {to}"
        )));
    }
    let mut list = client.webhooks().logs(args.id);
    if let Some(topic) = args.topic {
        list = list.topic_name(topic);
    }
    if let Some(status) = args.status {
        list = list.status(status);
    }
    if let Some(day) = args.from {
        list = list.start_date(Timestamp::from_date_time(day.midnight().assume_utc()));
    }
    // The end of the day is the start of the next (no bound after the last representable day).
    if let Some(next) = args.to.and_then(|day| day.next_day()) {
        list = list.end_date(Timestamp::from_date_time(next.midnight().assume_utc()));
    }
    if let Some(text) = args.query {
        list = list.query(text);
    }
    listing::print(ctx, list, &args.list, LOG_COLUMNS).await
}

/// A secret from a file or stdin: its first line, refused when empty.
fn read_secret(path: &Path) -> CliResult<String> {
    let text = read_text(path, "--file")?;
    let secret = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_owned();
    if secret.is_empty() {
        return Err(CliError::invalid(format!(
            "{}: the authorization value is empty",
            path.display()
        )));
    }
    Ok(secret)
}
