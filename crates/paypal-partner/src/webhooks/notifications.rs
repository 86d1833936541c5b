//! Webhook event notifications (`/v1/notifications/webhooks-events`): `client.webhook_events()`.
//!
//! List what PayPal sent (or tried to send) your webhooks, read one event, have it delivered again,
//! and simulate an event to test a listener. Events come back as the same typed [`Event`] the
//! [`WebhookVerifier`](super::WebhookVerifier) yields, with [`Event::Unknown`] keeping the whole JSON
//! of a type this crate does not know.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use paypal_partner::webhooks::Event;
//!
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! // Every capture event of a day, page after page (PayPal's `next` links are followed).
//! let events: Vec<Event> = client
//!     .webhook_events()
//!     .list()
//!     .event_type(Event::CAPTURE_COMPLETED)
//!     .start_time("2026-12-01T00:00:00Z")
//!     .end_time("2026-12-02T00:00:00Z")
//!     .page_size(50)
//!     .stream()
//!     .try_collect()
//!     .await?;
//! # let _ = events; Ok(()) }
//! ```

use futures_util::Stream;
use futures_util::future::Either;
use futures_util::stream;
use partner_core::RequestOptions;
use partner_core::http::Method;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::events::Event;
use crate::Error;
use crate::call::{Call, Part};
use crate::client::{Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::{EventId, WebhookId};
use crate::links::Link;
use crate::pages::{self, LinkedPage, MAX_LINK_PAGES, Page};

/// PayPal's default page size for event notifications.
pub const DEFAULT_EVENTS_PAGE_SIZE: u32 = 10;
/// The largest page of event notifications PayPal serves.
pub const MAX_EVENTS_PAGE_SIZE: u32 = 300;

/// The webhook event notifications resource: `client.webhook_events()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct WebhookEvents {
    client: Client,
}

const EVENTS: [Part; 3] = [
    Part::Lit("v1"),
    Part::Lit("notifications"),
    Part::Lit("webhooks-events"),
];

fn event_path(id: EventId) -> Vec<Part> {
    let mut path = EVENTS.to_vec();
    path.push(Part::Id("event_id", id.into_string()));
    path
}

impl WebhookEvents {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v1/notifications/webhooks-events` (`webhooks-events.list`): event notifications, newest
    /// first, filtered by time, transaction or event type.
    pub fn list(&self) -> ListEvents {
        ListEvents {
            client: self.client.clone(),
            filters: EventFilters::default(),
            max_pages: MAX_LINK_PAGES,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `GET /v1/notifications/webhooks-events/{event_id}` (`webhooks-events.get`).
    pub fn get(&self, id: impl Into<EventId>) -> GetEvent {
        GetEvent {
            call: Call::new(self.client.clone(), Method::GET, event_path(id.into())),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v1/notifications/webhooks-events/{event_id}/resend` (`webhooks-events.resend`):
    /// delivers the event again, to every webhook it went to, or to those of
    /// [`webhook_ids`](ResendEvent::webhook_ids).
    pub fn resend(&self, id: impl Into<EventId>) -> ResendEvent {
        let mut path = event_path(id.into());
        path.push(Part::Lit("resend"));
        ResendEvent {
            client: self.client.clone(),
            path,
            body: EventResend::default(),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }

    /// `POST /v1/notifications/simulate-event` (`simulate-event.post`): PayPal sends a sample event of
    /// the type to a webhook or URL. Simulated events cannot be verified by postback, and carry the
    /// literal webhook id `WEBHOOK_ID`.
    pub fn simulate(&self, event: &SimulateEvent) -> SimulateEventCall {
        SimulateEventCall {
            call: Call::new(
                self.client.clone(),
                Method::POST,
                vec![
                    Part::Lit("v1"),
                    Part::Lit("notifications"),
                    Part::Lit("simulate-event"),
                ],
            )
            .body(event),
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// Decodes an event answer into the typed [`Event`].
fn event_from_raw(raw: &RawValue) -> Result<Event, Error> {
    Event::from_slice(raw.get().as_bytes())
}

/// A pending event read: `client.webhook_events().get(id)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetEvent {
    call: Call,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetEvent {
    paypal_call_options!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API (404 for an unknown id), transport and decode errors.
    pub async fn send(self) -> Result<Event, Error> {
        let raw: Box<RawValue> = self.call.send_json(&self.headers, &self.options).await?;
        event_from_raw(&raw)
    }
}

/// The body of a resend (`event_resend`), as [`ResendEvent`] sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EventResend {
    /// The webhooks to deliver to; empty for every webhook the event went to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub webhook_ids: Vec<WebhookId>,
}

/// A pending resend: `client.webhook_events().resend(id)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ResendEvent {
    client: Client,
    path: Vec<Part>,
    body: EventResend,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ResendEvent {
    paypal_call_options!();
    idempotency_key_setter!();

    /// Resends only to these webhooks (at most 500) instead of every webhook the event went to.
    pub fn webhook_ids<I: IntoIterator<Item = W>, W: Into<WebhookId>>(mut self, ids: I) -> Self {
        self.body.webhook_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// The body this call sends.
    pub fn body(&self) -> &EventResend {
        &self.body
    }

    /// Sends it; PayPal answers 202 with the event.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad event or webhook id, or over 500 webhook ids; API, transport
    /// and decode errors.
    pub async fn send(self) -> Result<Event, Error> {
        if self.body.webhook_ids.len() > super::management::MAX_EVENT_TYPES {
            return Err(Error::invalid_input(
                "webhook_ids",
                "must hold at most 500 ids",
            ));
        }
        for id in &self.body.webhook_ids {
            check_id("webhook_ids", id.as_str())?;
        }
        let call = Call::new(self.client, Method::POST, self.path).body(&self.body);
        let raw: Box<RawValue> = call.send_json(&self.headers, &self.options).await?;
        event_from_raw(&raw)
    }
}

/// The body of an event simulation (`simulate_event`): build it with [`SimulateEvent::to_webhook`] or
/// [`SimulateEvent::to_url`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SimulateEvent {
    /// The webhook to deliver to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<WebhookId>,
    /// The URL to deliver to (no registration needed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The event type (`PAYMENT.CAPTURE.COMPLETED`).
    pub event_type: String,
    /// The resource version of the sample (`1.0`, `2.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
}

impl SimulateEvent {
    /// A sample of `event_type` for the registered webhook `webhook_id`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a `webhook_id` that is not 1 to 50 letters and digits, or an
    /// `event_type` that is not 1 to 50 letters, digits and dots (the spec's patterns).
    pub fn to_webhook(
        webhook_id: impl Into<WebhookId>,
        event_type: impl Into<String>,
    ) -> Result<Self, Error> {
        let webhook_id = webhook_id.into();
        let id = webhook_id.as_str();
        if id.is_empty() || id.len() > 50 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(
                "webhook_id",
                "must be 1 to 50 letters and digits",
            ));
        }
        Self::new(Some(webhook_id), None, event_type.into())
    }

    /// A sample of `event_type` sent to `url` (https, at most 2048 characters).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad `url` or `event_type`.
    pub fn to_url(url: impl Into<String>, event_type: impl Into<String>) -> Result<Self, Error> {
        let url = url.into();
        super::management::check_url(&url)?;
        Self::new(None, Some(url), event_type.into())
    }

    fn new(
        webhook_id: Option<WebhookId>,
        url: Option<String>,
        event_type: String,
    ) -> Result<Self, Error> {
        if event_type.is_empty()
            || event_type.len() > 50
            || !event_type
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
        {
            return Err(Error::invalid_input(
                "event_type",
                "must be 1 to 50 letters, digits and dots",
            ));
        }
        Ok(Self {
            webhook_id,
            url,
            event_type,
            resource_version: None,
        })
    }

    /// Asks for the sample of this resource version (`1.0`, `2.0`).
    pub fn resource_version(mut self, version: impl Into<String>) -> Self {
        self.resource_version = Some(version.into());
        self
    }
}

/// A pending simulation: `client.webhook_events().simulate(&event)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct SimulateEventCall {
    call: Call,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl SimulateEventCall {
    paypal_call_options!();

    /// Sends it; PayPal answers 202 with the sample event it delivers.
    ///
    /// # Errors
    ///
    /// API, transport and decode errors.
    pub async fn send(self) -> Result<Event, Error> {
        let raw: Box<RawValue> = self.call.send_json(&self.headers, &self.options).await?;
        event_from_raw(&raw)
    }
}

/// The query of an event list.
#[derive(Debug, Clone, Default)]
struct EventFilters {
    page_size: Option<u32>,
    start_time: Option<String>,
    end_time: Option<String>,
    transaction_id: Option<String>,
    event_type: Option<String>,
}

impl EventFilters {
    fn check(&self) -> Result<(), Error> {
        if let Some(size) = self.page_size
            && !(1..=MAX_EVENTS_PAGE_SIZE).contains(&size)
        {
            return Err(Error::invalid_input(
                "page_size",
                format!("must be 1 to {MAX_EVENTS_PAGE_SIZE}"),
            ));
        }
        for (field, value) in [
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
        ] {
            if let Some(value) = value {
                time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
                    .map_err(|_| Error::invalid_input(field, "must be an RFC 3339 date-time"))?;
            }
        }
        if let Some(id) = &self.transaction_id {
            check_id("transaction_id", id)?;
        }
        if let Some(name) = &self.event_type {
            check_id("event_type", name)?;
        }
        Ok(())
    }

    fn apply(&self, call: &mut Call) {
        if let Some(size) = self.page_size {
            call.set_query("page_size", size.to_string());
        }
        let text = [
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
            ("transaction_id", &self.transaction_id),
            ("event_type", &self.event_type),
        ];
        for (name, value) in text {
            if let Some(value) = value {
                call.set_query(name, value.clone());
            }
        }
    }
}

/// The wire page: `{"events": [...], "count": n, "links": [...]}`.
#[derive(Deserialize)]
struct EventList {
    #[serde(default)]
    events: Vec<Box<RawValue>>,
    #[serde(default)]
    links: Vec<Link>,
}

impl EventList {
    fn into_linked(self) -> Result<LinkedPage<Event>, Error> {
        let items = self
            .events
            .iter()
            .map(|raw| event_from_raw(raw))
            .collect::<Result<_, _>>()?;
        Ok(LinkedPage {
            items,
            links: self.links,
        })
    }
}

/// A pending list of event notifications: `client.webhook_events().list()`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()` or `.stream()`"]
pub struct ListEvents {
    client: Client,
    filters: EventFilters,
    max_pages: u64,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl ListEvents {
    paypal_call_options!();

    /// How many events a page holds (1 to 300; PayPal's default is 10).
    pub fn page_size(mut self, size: u32) -> Self {
        self.filters.page_size = Some(size);
        self
    }

    /// Only events created at or after this RFC 3339 date-time (`2026-12-01T00:00:00Z`).
    pub fn start_time(mut self, time: impl Into<String>) -> Self {
        self.filters.start_time = Some(time.into());
        self
    }

    /// Only events created at or before this RFC 3339 date-time.
    pub fn end_time(mut self, time: impl Into<String>) -> Self {
        self.filters.end_time = Some(time.into());
        self
    }

    /// Only events of this transaction.
    pub fn transaction_id(mut self, id: impl Into<String>) -> Self {
        self.filters.transaction_id = Some(id.into());
        self
    }

    /// Only events of this type (the constants of [`Event`], e.g. [`Event::CAPTURE_COMPLETED`]).
    pub fn event_type(mut self, name: impl Into<String>) -> Self {
        self.filters.event_type = Some(name.into());
        self
    }

    /// Stops `stream()` after this many pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    fn first_call(&self) -> Result<Call, Error> {
        self.filters.check()?;
        let mut call = Call::new(self.client.clone(), Method::GET, EVENTS.to_vec());
        self.filters.apply(&mut call);
        Ok(call)
    }

    /// Fetches the first page. PayPal states no totals: [`Page::has_next`] says whether the page was
    /// full; [`stream`](Self::stream) follows PayPal's `next` links instead.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad filter; API, transport and decode errors.
    pub async fn send(self) -> Result<Page<Event>, Error> {
        let call = self.first_call()?;
        let list: EventList = call.send_json(&self.headers, &self.options).await?;
        let page = list.into_linked()?;
        let size = u64::from(self.filters.page_size.unwrap_or(DEFAULT_EVENTS_PAGE_SIZE));
        Ok(Page::new(page.items, 0, size, None, None))
    }

    /// Every event of every page, lazily, following PayPal's `next` links (checked: see
    /// [`pages`](crate::pages)). A bad filter is the stream's only item, an error.
    pub fn stream(self) -> impl Stream<Item = Result<Event, Error>> + Send + 'static {
        let first = match self.first_call().and_then(|call| call.url()) {
            Ok(url) => url,
            Err(err) => return Either::Left(stream::iter([Err(err)])),
        };
        let client = self.client.clone();
        let (headers, options) = (self.headers, self.options);
        let fetch = move |url| {
            let client = client.clone();
            let headers = headers.clone();
            let options = options.clone();
            async move {
                let request = headers.apply(client.request_to(Method::GET, url), &options)?;
                let list: EventList = client.execute(request).await?.json()?;
                list.into_linked()
            }
        };
        Either::Right(pages::link_stream(
            self.client.base_url().clone(),
            first,
            self.max_pages,
            fetch,
        ))
    }
}
