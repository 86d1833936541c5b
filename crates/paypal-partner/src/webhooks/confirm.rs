//! Confirming an event with the API before acting on it.
//!
//! A verified delivery proves less than it seems: PayPal's signature covers the body only through its
//! CRC32, and anyone holding a captured delivery can rewrite the body (another amount, another
//! capture id) and pad it with whitespace until the CRC32 matches again. The replay guard refuses the
//! rewrite once the genuine delivery was accepted, but not a rewrite that arrives first. So for
//! events that move money, fetch the resource the event names and act on the API's answer.

use partner_core::http::Method;
use partner_core::path::Segment;

use super::events::{Event, EventSubject};
use crate::Error;
use crate::captures::Refund;
use crate::client::{AssertionSubject, Client, check_id};
use crate::orders::{Capture, Order, on_behalf_of_setters};
use partner_core::RequestOptions;

/// The resource an event names, as the API has it now.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Confirmed {
    /// The capture of a `PAYMENT.CAPTURE.*` event.
    Capture(Capture),
    /// The refund of a `PAYMENT.CAPTURE.REFUNDED` event.
    Refund(Refund),
    /// The order of a `CHECKOUT.ORDER.*` event.
    Order(Order),
}

/// A pending confirmation: `client.webhooks().confirm(&event)`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct ConfirmEvent {
    client: Client,
    target: Option<EventSubject>,
    seller: Option<AssertionSubject>,
    options: RequestOptions,
}

impl ConfirmEvent {
    pub(super) fn new(client: Client, event: &Event) -> Self {
        Self {
            client,
            target: event.subject(),
            seller: None,
            options: RequestOptions::default(),
        }
    }

    partner_core::call_options!(options);
    on_behalf_of_setters!();

    /// Fetches the capture, refund or order the event names.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`], before sending, when the event names no capture, refund or order, or
    /// its id is not a valid id; API errors (a 404 for a resource that does not exist: the event was
    /// forged, or belongs to a seller to act [`on_behalf_of`](Self::on_behalf_of)), transport and
    /// decode errors.
    pub async fn send(self) -> Result<Confirmed, Error> {
        match &self.target {
            None => Err(Error::invalid_input(
                "event",
                "names no capture, refund or order to confirm",
            )),
            Some(EventSubject::Capture(id)) => {
                check_id("capture_id", id.as_str())?;
                let path = [
                    Segment::literal("v2"),
                    Segment::literal("payments"),
                    Segment::literal("captures"),
                    Segment::id("capture_id", id.as_str()),
                ];
                self.get(&path).await.map(Confirmed::Capture)
            }
            Some(EventSubject::Refund(id)) => {
                check_id("refund_id", id.as_str())?;
                let path = [
                    Segment::literal("v2"),
                    Segment::literal("payments"),
                    Segment::literal("refunds"),
                    Segment::id("refund_id", id.as_str()),
                ];
                self.get(&path).await.map(Confirmed::Refund)
            }
            Some(EventSubject::Order(id)) => {
                check_id("order_id", id.as_str())?;
                let path = [
                    Segment::literal("v2"),
                    Segment::literal("checkout"),
                    Segment::literal("orders"),
                    Segment::id("order_id", id.as_str()),
                ];
                self.get(&path).await.map(Confirmed::Order)
            }
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[Segment<'_>],
    ) -> Result<T, Error> {
        let request = self.client.request(Method::GET, segments)?;
        let request = self.client.with_assertion(request, &self.seller)?;
        self.client.send_json(request.options(&self.options)).await
    }
}
