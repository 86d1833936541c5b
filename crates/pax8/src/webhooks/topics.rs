//! A webhook's topics: what one subscribes to (topics and their filters), the topics on offer
//! (`/webhooks/topic-definitions`), and the calls that add, replace, remove, configure and test them.

use std::collections::HashSet;

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::wire_enum::exact;
use partner_core::{Error, Request};
use serde::{Deserialize, Serialize};

use super::{Webhook, Webhooks, v2_sort};
use crate::call::Call;
use crate::client::Client;
use crate::ids::{WebhookId, WebhookTopicId};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use crate::webhook_verifier::Event;

partner_core::string_enum! {
    /// How a filter condition compares.
    pub enum FilterOperator match_with exact {
        /// `EQUALS`.
        Equals = "EQUALS",
        /// `NOT_EQUALS`.
        NotEquals = "NOT_EQUALS",
        /// `GREATER_THAN`.
        GreaterThan = "GREATER_THAN",
        /// `LESS_THAN`.
        LessThan = "LESS_THAN",
        /// `IN`.
        In = "IN",
        /// `NOT_IN`.
        NotIn = "NOT_IN",
        /// `CONTAINS`.
        Contains = "CONTAINS",
    }
}

/// A condition on an event field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FilterCondition {
    /// The field path.
    pub field: String,
    /// The comparison.
    pub operator: FilterOperator,
    /// The values compared with.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub value: Vec<String>,
}

impl FilterCondition {
    /// A condition.
    pub fn new<I, S>(field: impl Into<String>, operator: FilterOperator, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            field: field.into(),
            operator,
            value: values.into_iter().map(Into::into).collect(),
        }
    }
}

/// A filter: events with `action` whose fields meet every condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookFilter {
    /// The action (`CREATED`…).
    pub action: String,
    /// Conditions that must all hold.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub conditions: Vec<FilterCondition>,
}

impl WebhookFilter {
    /// A filter on `action` with no conditions.
    pub fn action(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            conditions: Vec::new(),
        }
    }

    /// Adds a condition.
    pub fn condition(mut self, condition: FilterCondition) -> Self {
        self.conditions.push(condition);
        self
    }
}

/// A topic a webhook subscribes to, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookTopic {
    /// The id (used to configure or remove it).
    #[serde(default)]
    pub id: Option<WebhookTopicId>,
    /// The topic name.
    pub topic: String,
    /// The filters.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub filters: Vec<WebhookFilter>,
}

/// A topic to subscribe to: `{topic, filters}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TopicSubscription {
    /// The topic name (see `Webhooks::topic_definitions`).
    pub topic: String,
    /// The filters (may be empty).
    pub filters: Vec<WebhookFilter>,
}

impl TopicSubscription {
    /// A subscription to every event of `topic`.
    pub fn new(topic: impl Into<String>) -> Self {
        Self {
            topic: topic.into(),
            filters: Vec::new(),
        }
    }

    /// Adds a filter.
    pub fn filter(mut self, filter: WebhookFilter) -> Self {
        self.filters.push(filter);
        self
    }

    fn check(&self) -> Result<(), Error> {
        if self.topic.trim().is_empty() {
            return Err(Error::invalid_input("topic", "must not be empty"));
        }
        Ok(())
    }
}

pub(super) fn check_topics(topics: &[TopicSubscription]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for topic in topics {
        topic.check()?;
        if !seen.insert(topic.topic.as_str()) {
            return Err(Error::invalid_input(
                "webhook_topics",
                format!(
                    "topic `{}` appears twice: Pax8 allows each topic once per webhook",
                    topic.topic
                ),
            ));
        }
    }
    Ok(())
}

/// The result of `POST /webhooks/{id}/topics/{topic}/test`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookTest {
    /// The URL called.
    #[serde(default)]
    pub url: Option<String>,
    /// The webhook tested.
    pub webhook: Webhook,
    /// The payload sent.
    #[serde(default)]
    pub sample_payload: Option<serde_json::Value>,
}

/// A condition a topic can be filtered on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FilterConditionDefinition {
    /// The field path.
    pub field: String,
    /// The operators it supports.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub operator: Vec<FilterOperator>,
    /// Its data type.
    #[serde(default)]
    pub data_type: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// An example value.
    #[serde(default)]
    pub value: Option<String>,
}

/// An action a topic can be filtered on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FilterDefinition {
    /// The action.
    pub action: String,
    /// Its display name.
    #[serde(default)]
    pub action_display_name: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The conditions available.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub conditions: Vec<FilterConditionDefinition>,
}

/// A topic one can subscribe to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TopicDefinition {
    /// The topic name to subscribe with.
    pub topic: String,
    /// A human-readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The filters available.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub available_filters: Vec<FilterDefinition>,
    /// A sample delivery.
    #[serde(default)]
    pub sample_payload: Option<serde_json::Value>,
}

impl TopicDefinition {
    /// The sample delivery, parsed like a real one.
    pub fn sample_event(&self) -> Option<Event> {
        let sample = self.sample_payload.clone()?;
        Event::from_value(sample).ok()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TopicsBody<'a> {
    webhook_topics: &'a [TopicSubscription],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FiltersBody<'a> {
    filters: &'a [WebhookFilter],
}

impl Webhooks {
    /// `POST /webhooks/{id}/topics`: adds one topic (Pax8 refuses a topic the webhook already has).
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or topic, and with
    /// the API's errors.
    pub fn add_topic(&self, id: impl Into<WebhookId>, topic: &TopicSubscription) -> Call<Webhook> {
        let request = self
            .url(&id.into(), &[Segment::literal("topics")])
            .and_then(|url| {
                topic.check()?;
                Ok(Request::post(url).json(topic)?)
            });
        Call::json(&self.client, request)
    }

    /// `PUT /webhooks/{id}/topics`: replaces all topics.
    ///
    /// Idempotent (a PUT): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or a topic listed
    /// twice, and with the API's errors.
    pub fn replace_topics(
        &self,
        id: impl Into<WebhookId>,
        topics: &[TopicSubscription],
    ) -> Call<Webhook> {
        let request = self
            .url(&id.into(), &[Segment::literal("topics")])
            .and_then(|url| {
                check_topics(topics)?;
                let body = TopicsBody {
                    webhook_topics: topics,
                };
                Ok(Request::put(url).json(&body)?)
            });
        Call::json(&self.client, request)
    }

    /// `DELETE /webhooks/{id}/topics/{topicId}`.
    ///
    /// Idempotent (a DELETE): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn remove_topic(
        &self,
        id: impl Into<WebhookId>,
        topic_id: impl Into<WebhookTopicId>,
    ) -> Call<()> {
        let topic_id = topic_id.into();
        let url = self.url(
            &id.into(),
            &[
                Segment::literal("topics"),
                Segment::id("topic_id", topic_id.as_str()),
            ],
        );
        Call::empty(&self.client, url.map(Request::delete))
    }

    /// `POST /webhooks/{id}/topics/{topicId}/configuration`: replaces a topic's filters.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn configure_topic(
        &self,
        id: impl Into<WebhookId>,
        topic_id: impl Into<WebhookTopicId>,
        filters: &[WebhookFilter],
    ) -> Call<Webhook> {
        let topic_id = topic_id.into();
        let url = self.url(
            &id.into(),
            &[
                Segment::literal("topics"),
                Segment::id("topic_id", topic_id.as_str()),
                Segment::literal("configuration"),
            ],
        );
        let request = url.and_then(|url| Ok(Request::post(url).json(&FiltersBody { filters })?));
        Call::json(&self.client, request)
    }

    /// `POST /webhooks/{id}/topics/{topic}/test`: Pax8 sends a sample delivery of `topic` (a topic
    /// name, not an id).
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or topic, and with
    /// the API's errors.
    pub fn test_topic(&self, id: impl Into<WebhookId>, topic: &str) -> Call<WebhookTest> {
        let url = self.url(
            &id.into(),
            &[
                Segment::literal("topics"),
                Segment::id("topic", topic),
                Segment::literal("test"),
            ],
        );
        Call::json(&self.client, url.map(Request::post))
    }

    /// `GET /webhooks/topic-definitions`: the topics on offer and their filters.
    pub fn topic_definitions(&self) -> ListTopicDefinitions {
        ListTopicDefinitions {
            client: self.client.clone(),
            query: TopicDefinitionQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct TopicDefinitionQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
}

/// `GET /webhooks/topic-definitions` with search and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListTopicDefinitions {
    client: Client,
    query: TopicDefinitionQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListTopicDefinitions {
    paging_methods!();

    /// Free-text search.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.query.search = Some(text.into());
        self
    }

    /// Sorts by a field (`field:asc`).
    pub fn sort(mut self, field: &str, direction: Direction) -> Self {
        self.query.sort = Some(v2_sort(field, direction));
        self
    }

    /// Only one topic.
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.query.topic = Some(topic.into());
        self
    }

    /// Fetches one page (this endpoint puts the page fields at the top level, beside `content`; they
    /// are read into the [`Page`] all the same).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<TopicDefinition>, Error> {
        let url = self.client.webhooks_url(&[
            Segment::literal("webhooks"),
            Segment::literal("topic-definitions"),
        ]);
        page::send::<TopicDefinition, _>(&self.client, url, &self.query, self.paging, self.options)
            .await
    }

    /// Every topic definition of every page.
    pub fn stream(self) -> impl Stream<Item = Result<TopicDefinition, Error>> + Send + 'static {
        let url = self.client.webhooks_url(&[
            Segment::literal("webhooks"),
            Segment::literal("topic-definitions"),
        ]);
        page::stream::<TopicDefinition, _>(self.client, url, self.query, self.paging, self.options)
    }
}
