//! Refund lookup (`/v2/payments/refunds/{refund_id}`). Refunds are made on a capture with
//! [`Captures::refund`](crate::captures::Captures::refund); the [`Refund`] model lives there.
//!
//! ```no_run
//! # async fn run(client: paypal_partner::Client) -> Result<(), paypal_partner::Error> {
//! let refund = client.refunds().get("1JU08902781691411").on_behalf_of("SELLER1").send().await?;
//! println!("{:?}", refund.status);
//! # Ok(()) }
//! ```

use partner_core::RequestOptions;
use partner_core::http::Method;
use partner_core::path::Segment;

use crate::Error;
use crate::captures::Refund;
use crate::client::{AssertionSubject, Client, check_id};
use crate::headers::PayPalHeaders;
use crate::ids::RefundId;
use crate::orders::on_behalf_of_setters;

/// The refunds resource: `client.refunds()`. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Refunds {
    client: Client,
}

impl Refunds {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/payments/refunds/{refund_id}`.
    pub fn get(&self, refund_id: impl Into<RefundId>) -> GetRefund {
        GetRefund {
            client: self.client.clone(),
            refund_id: refund_id.into(),
            seller: None,
            headers: PayPalHeaders::default(),
            options: RequestOptions::default(),
        }
    }
}

/// A pending refund read: set options, then `.send().await`.
#[derive(Debug)]
#[must_use = "a call does nothing until `.send()`"]
pub struct GetRefund {
    client: Client,
    refund_id: RefundId,
    seller: Option<AssertionSubject>,
    headers: PayPalHeaders,
    options: RequestOptions,
}

impl GetRefund {
    paypal_call_options!();
    on_behalf_of_setters!();

    /// Sends it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; API errors (a 404 for an unknown refund:
    /// [`Error::is_not_found`]), transport and decode errors.
    pub async fn send(self) -> Result<Refund, Error> {
        check_id("refund_id", self.refund_id.as_str())?;
        let request = self.client.request(
            Method::GET,
            &[
                Segment::literal("v2"),
                Segment::literal("payments"),
                Segment::literal("refunds"),
                Segment::id("refund_id", self.refund_id.as_str()),
            ],
        )?;
        let request = self.client.with_assertion(request, &self.seller)?;
        let request = self.headers.apply(request, &self.options)?;
        self.client.send_json(request).await
    }
}
