//! The webhooks API (`/api/v2/webhooks`): create, list, get, delete, configuration, status, topics,
//! topic definitions, delivery logs and retries. Receiving deliveries is
//! [`WebhookVerifier`](crate::WebhookVerifier)'s job.

use std::fmt;

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, ExposeSecret, Request, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::call::Call;
use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{AccountId, IntegrationId, WebhookId};
use crate::page::{self, Direction, Page, Paging, paging_methods};

mod logs;
mod topics;

pub use logs::{DeliveryStatus, ListWebhookLogs, WebhookCall, WebhookLog};
use topics::check_topics;
pub use topics::{
    FilterCondition, FilterConditionDefinition, FilterDefinition, FilterOperator,
    ListTopicDefinitions, TopicDefinition, TopicSubscription, WebhookFilter, WebhookTest,
    WebhookTopic,
};

/// Pax8's cap on `errorThreshold`.
pub const MAX_ERROR_THRESHOLD: u32 = 20;

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
