//! [`Discounts`]: the service's one operation, asking for a discount.

use partner_core::{Request, RequestOptions};

use crate::Result;
use crate::client::Client;
use crate::request::DiscountRequest;
use crate::response::{self, Acknowledgement};

/// Discount requests, from [`Client::discounts`]. Owns a clone of the client.
#[derive(Debug, Clone)]
pub struct Discounts {
    client: Client,
}

impl Discounts {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Asks for a discount for `body`'s recipient: `POST {base}PartnerDiscountRequest`, with the
    /// client's partner id and, in every environment but production, `"sandboxMode": true`.
    ///
    /// ```no_run
    /// use leanpub_affiliate::{Client, DiscountRequest, Recipient};
    /// # async fn run(client: Client) -> Result<(), leanpub_affiliate::Error> {
    /// let body = DiscountRequest::builder()
    ///     .product_id("the-book")
    ///     .origin("shop.example.com")
    ///     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
    ///     .build()?;
    /// let ack = client.discounts().request(body).send().await?;
    /// # let _ = ack; Ok(()) }
    /// ```
    pub fn request(&self, body: DiscountRequest) -> RequestDiscount {
        RequestDiscount {
            client: self.client.clone(),
            body,
            options: RequestOptions::default(),
        }
    }
}

/// One discount request, sent by [`send`](Self::send). From [`Discounts::request`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestDiscount {
    client: Client,
    body: DiscountRequest,
    options: RequestOptions,
}

impl RequestDiscount {
    partner_core::call_options!(options);

    /// Sends the request.
    ///
    /// `Ok` is an [`Acknowledgement`]: the service scheduled the job, **nothing is delivered yet**.
    ///
    /// The request is sent at most once, except when it certainly did not reach the service: a
    /// connection that failed before sending, or an HTTP 429 (throttling, a refusal) is retried; a
    /// timeout, a dropped connection or a 5xx is not, because the service has no idempotency key and a
    /// second coupon is worse than an error. On an error for which
    /// [`may_have_been_applied()`](crate::Error::may_have_been_applied) is true, find out whether the
    /// recipient got a coupon before sending again.
    ///
    /// # Errors
    ///
    /// A refusal carries [`ErrorDetails`](crate::ErrorDetails): `Error::Authentication` for the
    /// result codes 401 to 403 and a key refused by the gateway, `Error::RateLimited` for a 429
    /// that retries did not cure, `Error::Api` for the other codes and gateway answers. Otherwise
    /// `Error::Timeout`, `Error::Transport`, or `Error::Decode` for an answer in neither shape (a 2xx
    /// without an integer `code` is never taken for an acknowledgement).
    pub async fn send(self) -> Result<Acknowledgement> {
        let client = &self.client;
        let sandbox_mode = client.environment().is_sandbox();
        let body = self.body.wire(client.partner_id(), sandbox_mode);
        // Deliberately not `.keyed()`: the service knows no idempotency header, so the core's rules for
        // a plain POST apply (never repeated once it may have arrived, 429 excepted).
        let request = Request::post(client.endpoint().clone())
            .json(&body)?
            .options(&self.options);
        tracing::debug!(
            sandbox_mode,
            product_id = self.body.product_id(),
            origin = self.body.origin(),
            "sending a Leanpub discount request"
        );
        let api = client.api();
        let response = api.execute_raw(request).await?;
        let outcome = response::interpret(api, &response, sandbox_mode);
        // The ids come from the server: a hostile one could quote the API key in them.
        // (Evaluated only when the event is enabled.)
        let scrubbed = |id: &Option<String>| {
            id.as_deref()
                .map(|id| api.scrubber().scrub(id).into_owned())
        };
        match &outcome {
            Ok(ack) => tracing::debug!(
                sandbox_mode = ack.sandbox_mode,
                request_id = scrubbed(&ack.request_id).as_deref(),
                aws_request_id = scrubbed(&ack.aws_request_id).as_deref(),
                "discount request acknowledged (not yet delivered)"
            ),
            Err(err) => tracing::debug!(error = %err, "discount request refused"),
        }
        outcome
    }
}
