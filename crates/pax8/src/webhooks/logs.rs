//! A webhook's delivery logs (`/webhooks/{webhookId}/logs`): each delivery, its attempts, and
//! retrying one.

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::wire_enum::ignore_case;
use partner_core::{Error, Request};
use serde::{Deserialize, Serialize};

use super::{Webhooks, v2_sort};
use crate::call::Call;
use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{WebhookCallId, WebhookId, WebhookLogId};
use crate::page::{self, Direction, Page, Paging, paging_methods};

partner_core::string_enum! {
    /// The outcome of a delivery.
    pub enum DeliveryStatus match_with ignore_case {
        /// Not sent yet.
        Pending = "PENDING",
        /// Delivered.
        Success = "SUCCESS",
        /// Failed for good.
        Failed = "FAILED",
        /// Failed, will be retried.
        Retrying = "RETRYING",
    }
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookCall {
    /// The id.
    #[serde(default)]
    pub id: Option<WebhookCallId>,
    /// When it was made.
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
    /// Its outcome.
    #[serde(default)]
    pub status: Option<DeliveryStatus>,
    /// The error, if it failed.
    #[serde(default)]
    pub error_message: Option<String>,
    /// The status your endpoint answered (the spec's int32; kept as sent, even outside 100–599).
    #[serde(default)]
    pub http_status_code: Option<i32>,
    /// The payload sent.
    #[serde(default)]
    pub payload: Option<serde_json::Value>,
}

/// A delivery and its attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookLog {
    /// The id.
    pub id: WebhookLogId,
    /// The webhook.
    #[serde(default)]
    pub webhook_id: Option<WebhookId>,
    /// The webhook's name.
    #[serde(default)]
    pub webhook_name: Option<String>,
    /// The final outcome.
    #[serde(default)]
    pub final_status: Option<DeliveryStatus>,
    /// The attempts.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub call_history: Vec<WebhookCall>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
}

impl Webhooks {
    /// `GET /webhooks/{webhookId}/logs`: a list builder.
    pub fn logs(&self, webhook_id: impl Into<WebhookId>) -> ListWebhookLogs {
        ListWebhookLogs {
            client: self.client.clone(),
            url: self.url(&webhook_id.into(), &[Segment::literal("logs")]),
            query: LogQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /webhooks/{webhookId}/logs/{id}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn log(
        &self,
        webhook_id: impl Into<WebhookId>,
        log_id: impl Into<WebhookLogId>,
    ) -> Call<WebhookLog> {
        let log_id = log_id.into();
        let url = self.url(
            &webhook_id.into(),
            &[
                Segment::literal("logs"),
                Segment::id("log_id", log_id.as_str()),
            ],
        );
        Call::json(&self.client, url.map(Request::get))
    }

    /// `POST /webhooks/{webhookId}/logs/{logId}/retry`: delivers again (Pax8 answers 202).
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn retry_delivery(
        &self,
        webhook_id: impl Into<WebhookId>,
        log_id: impl Into<WebhookLogId>,
    ) -> Call<()> {
        let log_id = log_id.into();
        let url = self.url(
            &webhook_id.into(),
            &[
                Segment::literal("logs"),
                Segment::id("log_id", log_id.as_str()),
                Segment::literal("retry"),
            ],
        );
        Call::empty(&self.client, url.map(Request::post))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct LogQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    topic_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<DeliveryStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
}

/// `GET /webhooks/{webhookId}/logs` with filters and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListWebhookLogs {
    client: Client,
    url: Result<Url, Error>,
    query: LogQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListWebhookLogs {
    paging_methods!();

    /// Only deliveries of one topic.
    pub fn topic_name(mut self, topic: impl Into<String>) -> Self {
        self.query.topic_name = Some(topic.into());
        self
    }

    /// Only deliveries with `status`.
    pub fn status(mut self, status: DeliveryStatus) -> Self {
        self.query.status = Some(status);
        self
    }

    /// Only deliveries from `start` (sent as given, e.g. RFC 3339).
    pub fn start_date(mut self, start: impl Into<Timestamp>) -> Self {
        self.query.start_date = Some(start.into().as_str().to_owned());
        self
    }

    /// Only deliveries until `end`.
    pub fn end_date(mut self, end: impl Into<Timestamp>) -> Self {
        self.query.end_date = Some(end.into().as_str().to_owned());
        self
    }

    /// Sorts by a field (`field:asc`).
    pub fn sort(mut self, field: &str, direction: Direction) -> Self {
        self.query.sort = Some(v2_sort(field, direction));
        self
    }

    /// Free-text search.
    pub fn query(mut self, text: impl Into<String>) -> Self {
        self.query.query = Some(text.into());
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<WebhookLog>, Error> {
        page::send::<WebhookLog, _>(
            &self.client,
            self.url,
            &self.query,
            self.paging,
            self.options,
        )
        .await
    }

    /// Every log entry of every page.
    pub fn stream(self) -> impl Stream<Item = Result<WebhookLog, Error>> + Send + 'static {
        page::stream::<WebhookLog, _>(self.client, self.url, self.query, self.paging, self.options)
    }
}
