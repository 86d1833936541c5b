//! The webhooks API (`/api/v2/webhooks`): create, list, get, delete, configuration, status, topics,
//! topic definitions, delivery logs and retries. Receiving deliveries is
//! [`WebhookVerifier`](crate::WebhookVerifier)'s job.

use std::collections::HashSet;
use std::fmt;

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, ExposeSecret, Request, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::call::Call;
use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{
    AccountId, IntegrationId, WebhookCallId, WebhookId, WebhookLogId, WebhookTopicId,
};
use crate::page::{self, Direction, Page, Paging, paging_methods};
use crate::webhook_verifier::Event;
use partner_core::wire_enum::{exact, ignore_case};

/// Pax8's cap on `errorThreshold`.
pub const MAX_ERROR_THRESHOLD: u32 = 20;

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

fn check_topics(topics: &[TopicSubscription]) -> Result<(), Error> {
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

/// A webhook.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Webhook {
    /// The id.
    pub id: WebhookId,
    /// The owning account.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// The display name.
    #[serde(default)]
    pub display_name: String,
    /// Where deliveries go.
    #[serde(default)]
    pub url: Option<String>,
    /// The `Authorization` header value deliveries carry (a shared secret; redacted in `Debug`).
    #[serde(default)]
    pub authorization: Option<SecretString>,
    /// Whether deliveries are on.
    #[serde(default)]
    pub active: bool,
    /// Who is emailed when deliveries keep failing.
    #[serde(default)]
    pub contact_email: Option<String>,
    /// Consecutive failures before the email (and attempts per delivery). Signed, as the spec's
    /// int32: a value Pax8 sends is never refused.
    #[serde(default)]
    pub error_threshold: Option<i32>,
    /// The integration, for third-party integrators.
    #[serde(default)]
    pub integration_id: Option<IntegrationId>,
    /// The topics.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub webhook_topics: Vec<WebhookTopic>,
    /// The last delivery's outcome.
    #[serde(default)]
    pub last_delivery_status: Option<DeliveryStatus>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
}

fn expose<S: Serializer>(secret: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_str(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

/// A webhook to create (`POST /webhooks`).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewWebhook {
    /// The display name (required).
    pub display_name: String,
    /// Where deliveries go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The `Authorization` header value deliveries will carry: check it with
    /// [`WebhookVerifier`](crate::WebhookVerifier).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose")]
    pub authorization: Option<SecretString>,
    /// Whether deliveries start at once (Pax8's default is `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Who is emailed when deliveries keep failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Consecutive failures before the email, at most 20 (Pax8's default is 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_threshold: Option<u32>,
    /// Required for third-party integrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<IntegrationId>,
    /// The topics, each at most once.
    pub webhook_topics: Vec<TopicSubscription>,
}

impl fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewWebhook")
            .field("display_name", &self.display_name)
            .field("url", &self.url)
            .field(
                "authorization",
                &self
                    .authorization
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .field("active", &self.active)
            .field("contact_email", &self.contact_email)
            .field("error_threshold", &self.error_threshold)
            .field("integration_id", &self.integration_id)
            .field("webhook_topics", &self.webhook_topics)
            .finish()
    }
}

impl NewWebhook {
    /// A webhook named `display_name` delivering to `url`.
    pub fn builder(display_name: impl Into<String>, url: impl Into<String>) -> NewWebhookBuilder {
        NewWebhookBuilder(Self {
            display_name: display_name.into(),
            url: Some(url.into()),
            authorization: None,
            active: None,
            contact_email: None,
            error_threshold: None,
            integration_id: None,
            webhook_topics: Vec::new(),
        })
    }

    fn check(&self) -> Result<(), Error> {
        if self.display_name.trim().is_empty() {
            return Err(Error::invalid_input("display_name", "must not be empty"));
        }
        check_threshold(self.error_threshold)?;
        check_topics(&self.webhook_topics)
    }
}

/// Builds a [`NewWebhook`]; [`build`](NewWebhookBuilder::build) checks it.
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the checked value"]
pub struct NewWebhookBuilder(NewWebhook);

impl NewWebhookBuilder {
    /// The `Authorization` header value deliveries will carry.
    pub fn authorization(mut self, secret: impl Into<SecretString>) -> Self {
        self.0.authorization = Some(secret.into());
        self
    }

    /// Whether deliveries start at once.
    pub fn active(mut self, active: bool) -> Self {
        self.0.active = Some(active);
        self
    }

    /// Who is emailed when deliveries keep failing.
    pub fn contact_email(mut self, email: impl Into<String>) -> Self {
        self.0.contact_email = Some(email.into());
        self
    }

    /// Consecutive failures before the email (at most 20).
    pub fn error_threshold(mut self, threshold: u32) -> Self {
        self.0.error_threshold = Some(threshold);
        self
    }

    /// The integration (third-party integrators).
    pub fn integration_id(mut self, id: impl Into<IntegrationId>) -> Self {
        self.0.integration_id = Some(id.into());
        self
    }

    /// Adds a topic.
    pub fn topic(mut self, topic: TopicSubscription) -> Self {
        self.0.webhook_topics.push(topic);
        self
    }

    /// Checks the value and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong.
    pub fn build(self) -> Result<NewWebhook, Error> {
        self.0.check()?;
        Ok(self.0)
    }
}

fn check_threshold(threshold: Option<u32>) -> Result<(), Error> {
    match threshold {
        Some(t) if t > MAX_ERROR_THRESHOLD => Err(Error::invalid_input(
            "error_threshold",
            format!("must be at most {MAX_ERROR_THRESHOLD}, got {t}"),
        )),
        _ => Ok(()),
    }
}

/// A webhook's configuration (`POST /webhooks/{id}/configuration` replaces it).
#[derive(Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookConfiguration {
    /// The display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Where deliveries go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The `Authorization` header value.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose")]
    pub authorization: Option<SecretString>,
    /// Who is emailed when deliveries keep failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Consecutive failures before the email (at most 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_threshold: Option<u32>,
}

impl fmt::Debug for WebhookConfiguration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookConfiguration")
            .field("display_name", &self.display_name)
            .field("url", &self.url)
            .field(
                "authorization",
                &self
                    .authorization
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .field("contact_email", &self.contact_email)
            .field("error_threshold", &self.error_threshold)
            .finish()
    }
}

impl WebhookConfiguration {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the delivery URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the `Authorization` header value.
    pub fn authorization(mut self, secret: impl Into<SecretString>) -> Self {
        self.authorization = Some(secret.into());
        self
    }

    /// Sets the contact email.
    pub fn contact_email(mut self, email: impl Into<String>) -> Self {
        self.contact_email = Some(email.into());
        self
    }

    /// Sets the error threshold (at most 20).
    pub fn error_threshold(mut self, threshold: u32) -> Self {
        self.error_threshold = Some(threshold);
        self
    }
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

/// The webhooks API.
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: Client,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusBody {
    active: bool,
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
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `webhooks/{id}` followed by `tail`.
    fn url(&self, id: &WebhookId, tail: &[Segment<'_>]) -> Result<Url, Error> {
        let mut segments = vec![
            Segment::literal("webhooks"),
            Segment::id("webhook_id", id.as_str()),
        ];
        segments.extend_from_slice(tail);
        self.client.webhooks_url(&segments)
    }

    /// `POST /webhooks`.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty name, a threshold over 20
    /// or a topic listed twice, and with the API's errors.
    pub fn create(&self, webhook: &NewWebhook) -> Call<Webhook> {
        let request = webhook.check().and_then(|()| {
            let url = self.client.webhooks_url(&[Segment::literal("webhooks")])?;
            Ok(Request::post(url).json(webhook)?)
        });
        Call::json(&self.client, request)
    }

    /// `GET /webhooks`: a list builder.
    pub fn list(&self) -> ListWebhooks {
        ListWebhooks {
            client: self.client.clone(),
            query: WebhookQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /webhooks/{id}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<WebhookId>) -> Call<Webhook> {
        Call::json(&self.client, self.url(&id.into(), &[]).map(Request::get))
    }

    /// `DELETE /webhooks/{id}`.
    ///
    /// Idempotent (a DELETE): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn delete(&self, id: impl Into<WebhookId>) -> Call<()> {
        Call::empty(&self.client, self.url(&id.into(), &[]).map(Request::delete))
    }

    /// `POST /webhooks/{id}/configuration`: replaces name, URL, authorization, contact and threshold.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or a threshold over
    /// 20, and with the API's errors.
    pub fn update_configuration(
        &self,
        id: impl Into<WebhookId>,
        configuration: &WebhookConfiguration,
    ) -> Call<Webhook> {
        let url = self.url(&id.into(), &[Segment::literal("configuration")]);
        let request = url.and_then(|url| {
            check_threshold(configuration.error_threshold)?;
            Ok(Request::post(url).json(configuration)?)
        });
        Call::json(&self.client, request)
    }

    /// `POST /webhooks/{id}/status`: turns deliveries on or off.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn set_active(&self, id: impl Into<WebhookId>, active: bool) -> Call<Webhook> {
        let url = self.url(&id.into(), &[Segment::literal("status")]);
        let request = url.and_then(|url| Ok(Request::post(url).json(&StatusBody { active })?));
        Call::json(&self.client, request)
    }

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

fn v2_sort(field: &str, direction: Direction) -> String {
    // The webhooks API documents `field:asc`, unlike `/v1`'s `field,asc`.
    format!("{field}:{}", direction.as_str())
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct WebhookQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<DeliveryStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<AccountId>,
}

/// `GET /webhooks` with filters, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListWebhooks {
    client: Client,
    query: WebhookQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListWebhooks {
    paging_methods!();

    /// Free-text search.
    pub fn query(mut self, text: impl Into<String>) -> Self {
        self.query.query = Some(text.into());
        self
    }

    /// Only active (or inactive) webhooks.
    pub fn active(mut self, active: bool) -> Self {
        self.query.active = Some(active);
        self
    }

    /// Only webhooks subscribed to `topic`.
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.query.topic = Some(topic.into());
        self
    }

    /// Sorts by a field, sent as `field:asc` as the webhooks API documents.
    pub fn sort(mut self, field: &str, direction: Direction) -> Self {
        self.query.sort = Some(v2_sort(field, direction));
        self
    }

    /// Only webhooks whose last delivery had `status`.
    pub fn last_delivery_status(mut self, status: DeliveryStatus) -> Self {
        self.query.status = Some(status);
        self
    }

    /// Only webhooks of an account.
    pub fn account_id(mut self, id: impl Into<AccountId>) -> Self {
        self.query.account_id = Some(id.into());
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Webhook>, Error> {
        let url = self.client.webhooks_url(&[Segment::literal("webhooks")]);
        page::send::<Webhook, _>(&self.client, url, &self.query, self.paging, self.options).await
    }

    /// Every webhook of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Webhook, Error>> + Send + 'static {
        let url = self.client.webhooks_url(&[Segment::literal("webhooks")]);
        page::stream::<Webhook, _>(self.client, url, self.query, self.paging, self.options)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int32_fields_decode_signed() {
        // The spec types errorThreshold and httpStatusCode as int32; -1 is a value Pax8 may send.
        let webhook: Webhook = serde_json::from_value(serde_json::json!({
            "id": "w-1", "displayName": "hooks", "active": true, "errorThreshold": -1
        }))
        .unwrap();
        assert_eq!(webhook.error_threshold, Some(-1));
        let call: WebhookCall =
            serde_json::from_value(serde_json::json!({"id": "c-1", "httpStatusCode": -1})).unwrap();
        assert_eq!(call.http_status_code, Some(-1));
    }

    #[test]
    fn new_webhook_checks_and_hides_the_secret() {
        let builder = NewWebhook::builder("n", "https://example.com/hook")
            .authorization("s3cret-value")
            .topic(TopicSubscription::new("INVOICE"));
        assert!(!format!("{builder:?}").contains("s3cret-value"));
        let hook = builder.clone().build().unwrap();
        assert!(!format!("{hook:?}").contains("s3cret-value"));
        let json = serde_json::to_value(&hook).unwrap();
        assert_eq!(json["authorization"], "s3cret-value");
        let twice = builder.topic(TopicSubscription::new("INVOICE")).build();
        assert!(twice.unwrap_err().to_string().contains("INVOICE"));
        assert!(
            NewWebhook::builder("n", "u")
                .error_threshold(21)
                .build()
                .is_err()
        );
        assert!(NewWebhook::builder(" ", "u").build().is_err());
    }
}
