//! Webhook lookups (`/v1/notifications/webhooks-lookup`): `client.webhook_lookups()`.
//!
//! A lookup links your REST app to the account it acts for, so that PayPal finds your webhooks for
//! events of that account; it has no body to give, PayPal fills it from your credentials.

use partner_core::http::Method;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::call::{Call, Part, call_builder};
use crate::ids::WebhookLookupId;
use crate::links::Link;

/// A webhook lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookLookup {
    /// Its id.
    #[serde(default)]
    pub id: Option<WebhookLookupId>,
    /// The client id of the app it links.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

#[derive(Deserialize)]
struct WebhookLookupList {
    #[serde(default)]
    webhooks_lookups: Vec<WebhookLookup>,
}

/// The webhook lookups resource: `client.webhook_lookups()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct WebhookLookups {
    client: Client,
}

const LOOKUPS: [Part; 3] = [
    Part::Lit("v1"),
    Part::Lit("notifications"),
    Part::Lit("webhooks-lookup"),
];

fn lookup_path(id: WebhookLookupId) -> Vec<Part> {
    let mut path = LOOKUPS.to_vec();
    path.push(Part::Id("webhook_lookup_id", id.into_string()));
    path
}

impl WebhookLookups {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /v1/notifications/webhooks-lookup` (`webhooks-lookup.post`), with no body.
    pub fn create(&self) -> CreateWebhookLookup {
        CreateWebhookLookup::from_call(Call::new(
            self.client.clone(),
            Method::POST,
            LOOKUPS.to_vec(),
        ))
    }

    /// `GET /v1/notifications/webhooks-lookup` (`webhooks-lookup.list`); PayPal does not page it.
    pub fn list(&self) -> ListWebhookLookups {
        ListWebhookLookups::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            LOOKUPS.to_vec(),
        ))
    }

    /// `GET /v1/notifications/webhooks-lookup/{webhook_lookup_id}` (`webhooks-lookup.get`).
    pub fn get(&self, id: impl Into<WebhookLookupId>) -> GetWebhookLookup {
        GetWebhookLookup::from_call(Call::new(
            self.client.clone(),
            Method::GET,
            lookup_path(id.into()),
        ))
    }

    /// `DELETE /v1/notifications/webhooks-lookup/{webhook_lookup_id}` (`webhooks-lookup.delete`).
    pub fn delete(&self, id: impl Into<WebhookLookupId>) -> DeleteWebhookLookup {
        DeleteWebhookLookup::from_call(Call::new(
            self.client.clone(),
            Method::DELETE,
            lookup_path(id.into()),
        ))
    }
}

call_builder!(
    /// A pending lookup creation: `client.webhook_lookups().create()`.
    CreateWebhookLookup -> WebhookLookup,
    "API, transport and decode errors."
);

call_builder!(
    /// A pending lookup read: `client.webhook_lookups().get(id)`.
    GetWebhookLookup -> WebhookLookup,
    "[`Error::InvalidInput`](crate::Error::InvalidInput) for a bad id; API, transport and decode errors."
);

call_builder!(
    /// A pending lookup deletion: `client.webhook_lookups().delete(id)`.
    DeleteWebhookLookup -> empty,
    "[`Error::InvalidInput`](crate::Error::InvalidInput) for a bad id; API and transport errors."
);

/// A pending list of lookups: `client.webhook_lookups().list()`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ListWebhookLookups {
    call: Call,
    headers: crate::headers::PayPalHeaders,
    options: partner_core::RequestOptions,
}

impl ListWebhookLookups {
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
    /// API, transport and decode errors.
    pub async fn send(self) -> Result<Vec<WebhookLookup>, crate::Error> {
        let list: WebhookLookupList = self.call.send_json(&self.headers, &self.options).await?;
        Ok(list.webhooks_lookups)
    }
}
