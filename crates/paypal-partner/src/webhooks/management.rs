//! Webhook registrations (`/v1/notifications/webhooks`): register the URL PayPal delivers events to,
//! list, show, update and delete registrations, and read which event types one subscribes to or which
//! exist. These are methods of [`Webhooks`], `client.webhooks()`, beside its verification helpers.
//!
//! ```no_run
//! use paypal_partner::webhooks::{Event, NewWebhook, WebhookPatch};
//!
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! // In a deploy script: register the listener once for the events the platform handles.
//! let new = NewWebhook::builder()
//!     .url("https://platform.example/paypal/webhooks")
//!     .event_type(Event::CAPTURE_COMPLETED)
//!     .event_type(Event::ONBOARDING_COMPLETED)
//!     .build()?;
//! let webhook = client.webhooks().create(&new).send().await?;
//! let id = webhook.id.clone().expect("PayPal answers with the id it gave");
//! // Keep `id` for the WebhookVerifier: signatures are made for it.
//!
//! // Later: subscribe to every event instead.
//! let patch = WebhookPatch::builder().all_events().build()?;
//! client.webhooks().update(id.clone(), &patch).send().await?;
//! # Ok(()) }
//! ```

use partner_core::http::Method;
use serde::{Deserialize, Serialize};

use super::postback::Webhooks;
use crate::Error;
use crate::call::{Call, Part, call_builder};
use crate::ids::WebhookId;
use crate::links::Link;

/// The longest webhook URL PayPal accepts.
pub const MAX_WEBHOOK_URL_LEN: usize = 2048;
/// The most event types one webhook subscribes to.
pub const MAX_EVENT_TYPES: usize = 500;
/// The event-type name subscribing to every event, present and future.
pub const ALL_EVENTS: &str = "*";

/// An event type: its name (`PAYMENT.CAPTURE.COMPLETED`, or `*` for all; the known ones are the
/// constants of [`Event`](super::Event)) and, as PayPal describes it, its description, status and
/// resource versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventType {
    /// The name, e.g. [`Event::CAPTURE_COMPLETED`](super::Event::CAPTURE_COMPLETED).
    pub name: String,
    /// What the event means (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ENABLED` or `DEPRECATED` (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The resource versions the event exists in (`1.0`, `2.0`; read only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_versions: Vec<String>,
}

impl EventType {
    /// An event type by name, as sent in a request.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            status: None,
            resource_versions: Vec::new(),
        }
    }

    /// Whether this is `*`, every event.
    pub fn is_all(&self) -> bool {
        self.name == ALL_EVENTS
    }
}

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The id PayPal gave it (give it to the [`WebhookVerifier`](super::WebhookVerifier)).
    #[serde(default)]
    pub id: Option<WebhookId>,
    /// Where PayPal delivers.
    #[serde(default)]
    pub url: String,
    /// The event types it subscribes to.
    #[serde(default)]
    pub event_types: Vec<EventType>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The body of a webhook registration (`webhook`): build it with [`NewWebhook::builder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewWebhook {
    /// Where PayPal delivers (https).
    pub url: String,
    /// The event types (1 to 500; `*` alone for all).
    pub event_types: Vec<EventType>,
}

impl NewWebhook {
    /// A builder; `url` and at least one event type are required.
    pub fn builder() -> NewWebhookBuilder {
        NewWebhookBuilder::default()
    }
}

/// Builds a [`NewWebhook`], checked at [`build`](Self::build).
#[derive(Debug, Clone, Default)]
pub struct NewWebhookBuilder {
    url: Option<String>,
    event_types: Vec<String>,
}

impl NewWebhookBuilder {
    /// The listener URL: https, at most 2048 characters.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Adds an event type by name.
    pub fn event_type(mut self, name: impl Into<String>) -> Self {
        self.event_types.push(name.into());
        self
    }

    /// Adds event types by name.
    pub fn event_types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.event_types.extend(names.into_iter().map(Into::into));
        self
    }

    /// Subscribes to every event, including those PayPal adds later (`*`).
    pub fn all_events(mut self) -> Self {
        self.event_types = vec![ALL_EVENTS.to_owned()];
        self
    }

    /// Checks and builds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming `url` when missing, not an absolute https URL (or http to a
    /// loopback host) or too long, and
    /// `event_types` when empty, over 500, holding an empty name, or mixing `*` with other names.
    pub fn build(self) -> Result<NewWebhook, Error> {
        let url = self
            .url
            .ok_or_else(|| Error::invalid_input("url", "is required"))?;
        check_url(&url)?;
        Ok(NewWebhook {
            url,
            event_types: check_event_types(self.event_types)?,
        })
    }
}

/// PayPal delivers only to https URLs; plain http is allowed to a loopback host, the family's rule for
/// a local simulator's receiver (PayPal itself refuses such a URL).
pub(super) fn check_url(url: &str) -> Result<(), Error> {
    if url.len() > MAX_WEBHOOK_URL_LEN {
        return Err(Error::invalid_input(
            "url",
            format!("must be at most {MAX_WEBHOOK_URL_LEN} characters"),
        ));
    }
    match partner_core::url::Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some() => Ok(()),
        Ok(parsed) if parsed.scheme() == "http" && partner_core::base_url::is_loopback(&parsed) => {
            Ok(())
        }
        Ok(_) => Err(Error::invalid_input(
            "url",
            "must be an https URL (PayPal delivers only over TLS; http only to a loopback host)",
        )),
        Err(e) => Err(Error::invalid_input("url", format!("is not a URL: {e}"))),
    }
}

fn check_event_types(names: Vec<String>) -> Result<Vec<EventType>, Error> {
    if names.is_empty() {
        return Err(Error::invalid_input(
            "event_types",
            "needs at least one event type (or `*` for all)",
        ));
    }
    if names.len() > MAX_EVENT_TYPES {
        return Err(Error::invalid_input(
            "event_types",
            format!("must hold at most {MAX_EVENT_TYPES} event types"),
        ));
    }
    if names.iter().any(|n| n.trim().is_empty()) {
        return Err(Error::invalid_input(
            "event_types",
            "must not hold an empty name",
        ));
    }
    if names.len() > 1 && names.iter().any(|n| n == ALL_EVENTS) {
        return Err(Error::invalid_input(
            "event_types",
            "`*` already means every event: give it alone",
        ));
    }
    Ok(names.into_iter().map(EventType::named).collect())
}

partner_core::string_enum! {
    /// A JSON Patch operation (RFC 6902).
    pub enum PatchOp {
        /// Adds a value.
        Add = "add",
        /// Removes the value at `path`.
        Remove = "remove",
        /// Replaces the value at `path`.
        Replace = "replace",
        /// Moves the value at `from` to `path`.
        Move = "move",
        /// Copies the value at `from` to `path`.
        Copy = "copy",
        /// Tests that the value at `path` equals `value`.
        Test = "test",
    }
}

/// One JSON Patch operation (`patch`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PatchOperation {
    /// The operation.
    pub op: PatchOp,
    /// The JSON pointer it acts on (`/url`, `/event_types`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The value (for `add`, `replace`, `test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The source pointer (for `move`, `copy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl PatchOperation {
    /// `{"op": op, "path": path, "value": value}`.
    pub fn new(op: PatchOp, path: impl Into<String>, value: Option<serde_json::Value>) -> Self {
        Self {
            op,
            path: Some(path.into()),
            value,
            from: None,
        }
    }
}

/// The body of a webhook update (`patch_request`): build it with [`WebhookPatch::builder`]. PayPal
/// lets `url` and `event_types` be replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct WebhookPatch(Vec<PatchOperation>);

impl WebhookPatch {
    /// A builder; at least one change is required.
    pub fn builder() -> WebhookPatchBuilder {
        WebhookPatchBuilder::default()
    }

    /// The operations, in order.
    pub fn operations(&self) -> &[PatchOperation] {
        &self.0
    }
}

/// Builds a [`WebhookPatch`], checked at [`build`](Self::build).
#[derive(Debug, Clone, Default)]
pub struct WebhookPatchBuilder {
    url: Option<String>,
    event_types: Option<Vec<String>>,
    other: Vec<PatchOperation>,
}

impl WebhookPatchBuilder {
    /// Replaces the listener URL (`/url`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Replaces the subscribed event types (`/event_types`).
    pub fn event_types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.event_types = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Subscribes to every event (`/event_types` replaced by `*`).
    pub fn all_events(self) -> Self {
        self.event_types([ALL_EVENTS])
    }

    /// Adds an operation this builder has no setter for, sent as given.
    pub fn operation(mut self, operation: PatchOperation) -> Self {
        self.other.push(operation);
        self
    }

    /// Checks and builds.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for no change at all, or a `url` or `event_types` that
    /// [`NewWebhookBuilder::build`] would refuse.
    pub fn build(self) -> Result<WebhookPatch, Error> {
        let mut ops = Vec::new();
        if let Some(url) = self.url {
            check_url(&url)?;
            ops.push(PatchOperation::new(
                PatchOp::Replace,
                "/url",
                Some(serde_json::Value::String(url)),
            ));
        }
        if let Some(names) = self.event_types {
            let types = check_event_types(names)?;
            let value = serde_json::to_value(types)
                .map_err(|e| Error::invalid_input("event_types", e.to_string()))?;
            ops.push(PatchOperation::new(
                PatchOp::Replace,
                "/event_types",
                Some(value),
            ));
        }
        ops.extend(self.other);
        if ops.is_empty() {
            return Err(Error::invalid_input("patch", "changes nothing"));
        }
        Ok(WebhookPatch(ops))
    }
}

partner_core::string_enum! {
    /// Whose webhooks a list shows (`anchor_type`).
    pub enum AnchorType {
        /// Those of your REST app (PayPal's default).
        Application = "APPLICATION",
        /// Those of your account.
        Account = "ACCOUNT",
    }
}

#[derive(Deserialize)]
struct WebhookList {
    #[serde(default)]
    webhooks: Vec<Webhook>,
}

#[derive(Deserialize)]
struct EventTypeList {
    #[serde(default)]
    event_types: Vec<EventType>,
}

const WEBHOOKS: [Part; 3] = [
    Part::Lit("v1"),
    Part::Lit("notifications"),
    Part::Lit("webhooks"),
];

fn webhook_path(id: WebhookId) -> Vec<Part> {
    let mut path = WEBHOOKS.to_vec();
    path.push(Part::Id("webhook_id", id.into_string()));
    path
}

impl Webhooks {
    /// `POST /v1/notifications/webhooks` (`webhooks.post`): registers a listener. PayPal refuses a
    /// URL already registered (`WEBHOOK_URL_ALREADY_EXISTS`) and more than 10 webhooks per app.
    pub fn create(&self, webhook: &NewWebhook) -> CreateWebhook {
        CreateWebhook::from_call(
            Call::new(self.client.clone(), Method::POST, WEBHOOKS.to_vec()).body(webhook),
        )
    }

    /// `GET /v1/notifications/webhooks` (`webhooks.list`): every registered webhook (PayPal does not
    /// page this list).
    pub fn list(&self) -> ListWebhooks {
        ListWebhooks::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            WEBHOOKS.to_vec(),
        ))
    }

    /// `GET /v1/notifications/webhooks/{webhook_id}` (`webhooks.get`).
    pub fn get(&self, id: impl Into<WebhookId>) -> GetWebhook {
        GetWebhook::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            webhook_path(id.into()),
        ))
    }

    /// `PATCH /v1/notifications/webhooks/{webhook_id}` (`webhooks.update`): replaces its URL or event
    /// types; answers the updated webhook.
    pub fn update(&self, id: impl Into<WebhookId>, patch: &WebhookPatch) -> UpdateWebhook {
        UpdateWebhook::from_call(
            Call::new(self.client.clone(), Method::PATCH, webhook_path(id.into())).body(patch),
        )
    }

    /// `DELETE /v1/notifications/webhooks/{webhook_id}` (`webhooks.delete`).
    pub fn delete(&self, id: impl Into<WebhookId>) -> DeleteWebhook {
        DeleteWebhook::from_call(Call::new(
            self.client.clone(),
            Method::DELETE,
            webhook_path(id.into()),
        ))
    }

    /// `GET /v1/notifications/webhooks/{webhook_id}/event-types` (`event-types.list`): the event
    /// types one webhook subscribes to.
    pub fn subscriptions(&self, id: impl Into<WebhookId>) -> ListSubscriptions {
        let mut path = webhook_path(id.into());
        path.push(Part::Lit("event-types"));
        ListSubscriptions::from_call(Call::new(self.client.clone(), Method::GET, path))
    }

    /// `GET /v1/notifications/webhooks-event-types` (`webhooks-event-types.list`): every event type
    /// a webhook can subscribe to.
    pub fn available_event_types(&self) -> ListAvailableEventTypes {
        ListAvailableEventTypes::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            vec![
                Part::Lit("v1"),
                Part::Lit("notifications"),
                Part::Lit("webhooks-event-types"),
            ],
        ))
    }
}

call_builder!(
    /// A pending webhook registration: `client.webhooks().create(&new)`.
    CreateWebhook -> Webhook,
    "API errors (`WEBHOOK_URL_ALREADY_EXISTS`, `WEBHOOK_NUMBER_LIMIT_EXCEEDED`...), transport and decode errors."
);

call_builder!(
    /// A pending webhook read: `client.webhooks().get(id)`.
    GetWebhook -> Webhook,
    "[`Error::InvalidInput`] for a bad id; API (404 for an unknown id), transport and decode errors."
);

call_builder!(
    /// A pending webhook update: `client.webhooks().update(id, &patch)`.
    UpdateWebhook -> Webhook,
    "[`Error::InvalidInput`] for a bad id; API, transport and decode errors."
);

call_builder!(
    /// A pending webhook deletion: `client.webhooks().delete(id)`.
    DeleteWebhook -> empty,
    "[`Error::InvalidInput`] for a bad id; API (404 for an unknown id) and transport errors."
);

/// A pending list of webhooks: `client.webhooks().list()`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ListWebhooks {
    call: Call,
    headers: crate::headers::PayPalHeaders,
    options: partner_core::RequestOptions,
}

impl ListWebhooks {
    fn from_call(call: Call) -> Self {
        Self {
            call,
            headers: Default::default(),
            options: Default::default(),
        }
    }

    paypal_call_options!();

    /// Lists the webhooks anchored to your app (`APPLICATION`, PayPal's default) or your account.
    pub fn anchor_type(mut self, anchor: AnchorType) -> Self {
        self.call.set_query("anchor_type", anchor.as_str());
        self
    }

    /// Sends it.
    ///
    /// # Errors
    ///
    /// API, transport and decode errors.
    pub async fn send(self) -> Result<Vec<Webhook>, Error> {
        let list: WebhookList = self.call.send_json(&self.headers, &self.options).await?;
        Ok(list.webhooks)
    }
}

/// Declares a builder answering `{"event_types": [...]}` as the list.
macro_rules! event_type_list {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug)]
        #[must_use = "a call does nothing until `.send()`"]
        pub struct $name {
            call: Call,
            headers: crate::headers::PayPalHeaders,
            options: partner_core::RequestOptions,
        }

        impl $name {
            fn from_call(call: Call) -> Self {
                Self {
                    call,
                    headers: Default::default(),
                    options: Default::default(),
                }
            }

            paypal_call_options!();

            /// Sends it.
            ///
            /// # Errors
            ///
            #[doc = $what]
            pub async fn send(self) -> Result<Vec<EventType>, Error> {
                let list: EventTypeList =
                    self.call.send_json(&self.headers, &self.options).await?;
                Ok(list.event_types)
            }
        }
    };
}

event_type_list!(
    /// A pending read of one webhook's subscriptions: `client.webhooks().subscriptions(id)`.
    ListSubscriptions,
    "[`Error::InvalidInput`] for a bad id; API, transport and decode errors."
);

event_type_list!(
    /// A pending read of every event type: `client.webhooks().available_event_types()`.
    ListAvailableEventTypes,
    "API, transport and decode errors."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_webhook_is_checked() {
        let ok = NewWebhook::builder()
            .url("https://platform.example/hooks")
            .event_types(["PAYMENT.CAPTURE.COMPLETED", "MERCHANT.ONBOARDING.COMPLETED"])
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            serde_json::json!({"url": "https://platform.example/hooks", "event_types": [
                {"name": "PAYMENT.CAPTURE.COMPLETED"}, {"name": "MERCHANT.ONBOARDING.COMPLETED"}]})
        );
        let field = |b: NewWebhookBuilder| match b.build() {
            Err(Error::InvalidInput(e)) => e.field.into_owned(),
            other => panic!("{other:?}"),
        };
        let base = || NewWebhook::builder().event_type("*");
        assert_eq!(field(NewWebhook::builder().event_type("*")), "url");
        assert_eq!(field(base().url("http://platform.example/hooks")), "url");
        assert_eq!(field(base().url("http://127.0.0.1.example/hooks")), "url");
        // A local receiver (a simulator's) may be plain http on a loopback host.
        for local in [
            "http://127.0.0.1:8080/hooks",
            "http://localhost/hooks",
            "http://[::1]/h",
        ] {
            assert!(base().url(local).build().is_ok(), "{local}");
        }
        assert_eq!(field(base().url("not a url")), "url");
        let long = format!("https://platform.example/{}", "a".repeat(2048));
        assert_eq!(field(base().url(long)), "url");
        let url = || NewWebhook::builder().url("https://platform.example/hooks");
        assert_eq!(field(url()), "event_types");
        assert_eq!(field(url().event_type(" ")), "event_types");
        assert_eq!(
            field(url().event_types(["*", "PAYMENT.CAPTURE.COMPLETED"])),
            "event_types"
        );
        assert_eq!(
            field(url().event_types((0..501).map(|i| format!("E.{i}")))),
            "event_types"
        );
    }

    #[test]
    fn patch_is_checked() {
        assert!(matches!(
            WebhookPatch::builder().build(),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            WebhookPatch::builder().url("ftp://x").build(),
            Err(Error::InvalidInput(_))
        ));
        let patch = WebhookPatch::builder()
            .url("https://platform.example/new")
            .all_events()
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            serde_json::json!([
                {"op": "replace", "path": "/url", "value": "https://platform.example/new"},
                {"op": "replace", "path": "/event_types", "value": [{"name": "*"}]}
            ])
        );
    }
}
