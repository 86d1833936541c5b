//! The discount request: who gets a discount on which book, from which of the partner's origins, and
//! whether it is real ([`Mode::Production`]) or a rehearsal ([`Mode::Sandbox`], the default).

use std::fmt;

use partner_core::InvalidInput;
use serde::Serialize;

use crate::validation::{self, field};

/// Whether a request is a rehearsal or real.
///
/// The default is [`Mode::Sandbox`]: the service creates no coupon and mails a predefined address
/// instead of the recipient. [`Mode::Production`] is only ever used when a caller names it, through
/// [`DiscountRequestBuilder::production`] or [`DiscountRequestBuilder::mode`], so a search for
/// `production()` or `Mode::Production` finds every place that can create a real coupon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// No coupon is created; the service mails a predefined address. Sent as `"sandboxMode": true`.
    #[default]
    Sandbox,
    /// A real coupon for the real recipient. Sent as `"sandboxMode": false`; the service honours it only
    /// for a partner account that is production-ready (else it answers code 407 or falls back to the
    /// sandbox: its documentation says both).
    Production,
}

impl Mode {
    /// Whether this is [`Mode::Sandbox`].
    pub fn is_sandbox(self) -> bool {
        self == Mode::Sandbox
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Sandbox => "sandbox",
            Mode::Production => "production",
        })
    }
}

/// The person who receives the discount, and the email with it.
///
/// All three fields are required and are Latin-1 text (the service's "extended ASCII"); the email must
/// look like an address. They are checked when the request is built.
///
/// ```
/// use leanpub_affiliate::Recipient;
/// let recipient = Recipient::new("Zoë", "Ñúñez", "zoe@example.com");
/// let same = Recipient {
///     first_name: "Zoë".into(),
///     last_name: "Ñúñez".into(),
///     email: "zoe@example.com".into(),
/// };
/// assert_eq!(recipient, same);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// The first name, sent as `firstName`.
    pub first_name: String,
    /// The last name, sent as `lastName`.
    pub last_name: String,
    /// The email address, sent as `email`.
    pub email: String,
}

impl Recipient {
    /// A recipient from first name, last name and email address, in that order.
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            email: email.into(),
        }
    }

    fn validate(&self) -> Result<(), InvalidInput> {
        validation::latin1_text(field::FIRST_NAME, &self.first_name)?;
        validation::latin1_text(field::LAST_NAME, &self.last_name)?;
        validation::email(field::EMAIL, &self.email)
    }
}

/// A validated discount request, ready for [`Client::request_discount`](crate::Client::request_discount).
///
/// Only [`DiscountRequest::builder`] makes one, and its [`build`](DiscountRequestBuilder::build) checks
/// every field, so a `DiscountRequest` that exists is one the service's character rules accept.
///
/// ```
/// use leanpub_affiliate::{DiscountRequest, Mode, Recipient};
/// let request = DiscountRequest::builder()
///     .product_id("the-book")
///     .origin("shop.example.com")
///     .transaction_id("order-1234")
///     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
///     .build()?;
/// assert_eq!(request.mode(), Mode::Sandbox);
/// # Ok::<(), leanpub_affiliate::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountRequest {
    product_id: String,
    origin: String,
    transaction_id: Option<String>,
    recipient: Recipient,
    mode: Mode,
}

impl DiscountRequest {
    /// Starts a request (in [`Mode::Sandbox`]).
    pub fn builder() -> DiscountRequestBuilder {
        DiscountRequestBuilder::default()
    }

    /// The product (book) id, sent as `productId`.
    pub fn product_id(&self) -> &str {
        &self.product_id
    }

    /// The partner origin, sent as `origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The partner's own reference, sent as `transactionId` when set.
    pub fn transaction_id(&self) -> Option<&str> {
        self.transaction_id.as_deref()
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// Sandbox or production.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The JSON body, with the client's partner id.
    pub(crate) fn wire<'a>(&'a self, partner_id: &'a str) -> WireRequest<'a> {
        WireRequest {
            product_id: &self.product_id,
            partner_id,
            origin: &self.origin,
            transaction_id: self.transaction_id.as_deref(),
            sandbox_mode: self.mode.is_sandbox(),
            recipient: &self.recipient,
        }
    }
}

/// The body as the service documents it (research §2.1).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireRequest<'a> {
    product_id: &'a str,
    partner_id: &'a str,
    origin: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_id: Option<&'a str>,
    // Always sent, `true` in the sandbox: the service defaults to the sandbox when the field is
    // absent, and an explicit `true` keeps it so even if that default ever changed.
    sandbox_mode: bool,
    recipient: &'a Recipient,
}

/// Builds a [`DiscountRequest`]; [`build`](Self::build) validates it.
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct DiscountRequestBuilder {
    product_id: Option<String>,
    origin: Option<String>,
    transaction_id: Option<String>,
    recipient: Option<Recipient>,
    mode: Mode,
}

impl DiscountRequestBuilder {
    /// The Leanpub product (book) id the discount is for. Required; printable ASCII.
    pub fn product_id(mut self, product_id: impl Into<String>) -> Self {
        self.product_id = Some(product_id.into());
        self
    }

    /// Which of the partner's registered origins the request comes from, e.g. `shop.example.com`.
    /// Required; printable ASCII. An origin the service does not know is answered with code 404.
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// The partner's own reference (an order number...), for reconciliation. Optional; printable ASCII.
    ///
    /// Whether the service deduplicates on it is not documented: do not rely on it to make a second
    /// send harmless.
    pub fn transaction_id(mut self, transaction_id: impl Into<String>) -> Self {
        self.transaction_id = Some(transaction_id.into());
        self
    }

    /// Who receives the discount. Required.
    pub fn recipient(mut self, recipient: Recipient) -> Self {
        self.recipient = Some(recipient);
        self
    }

    /// **Production:** asks for a real coupon mailed to the real recipient (`"sandboxMode": false`).
    ///
    /// Without this call a request is a sandbox rehearsal. Keep the call visible at the place that
    /// decides to spend a coupon; the service honours it only for a production-ready partner account.
    pub fn production(mut self) -> Self {
        self.mode = Mode::Production;
        self
    }

    /// Sets the mode from a value, for configuration-driven code; production still has to be spelled
    /// `Mode::Production` somewhere.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Checks every field and returns the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the first field at fault, by its JSON
    /// name (`productId`, `origin`, `transactionId`, `recipient`, `recipient.firstName`,
    /// `recipient.lastName`, `recipient.email`): a required field missing or blank, a character outside
    /// the field's charset, or an implausible email address.
    pub fn build(self) -> Result<DiscountRequest, crate::Error> {
        let product_id = validation::required(field::PRODUCT_ID, self.product_id)?;
        validation::ascii_text(field::PRODUCT_ID, &product_id)?;
        let origin = validation::required(field::ORIGIN, self.origin)?;
        validation::ascii_text(field::ORIGIN, &origin)?;
        if let Some(transaction_id) = &self.transaction_id {
            validation::ascii_text(field::TRANSACTION_ID, transaction_id)?;
        }
        let recipient = validation::required(field::RECIPIENT, self.recipient)?;
        recipient.validate()?;
        Ok(DiscountRequest {
            product_id,
            origin,
            transaction_id: self.transaction_id,
            recipient,
            mode: self.mode,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> DiscountRequestBuilder {
        DiscountRequest::builder()
            .product_id("the-book")
            .origin("shop.example.com")
            .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
    }

    #[test]
    fn sandbox_body_sends_sandbox_mode_true_and_omits_transaction_id() {
        let request = base().build().unwrap();
        let body = serde_json::to_value(request.wire("partner-1")).unwrap();
        assert_eq!(
            body,
            json!({
                "productId": "the-book",
                "partnerId": "partner-1",
                "origin": "shop.example.com",
                "sandboxMode": true,
                "recipient": {"firstName": "Zoë", "lastName": "Ñúñez", "email": "zoe@example.com"}
            })
        );
    }

    #[test]
    fn production_body_sends_sandbox_mode_false() {
        let request = base().transaction_id("t-1").production().build().unwrap();
        let body = serde_json::to_value(request.wire("p")).unwrap();
        assert_eq!(body["sandboxMode"], json!(false));
        assert_eq!(body["transactionId"], json!("t-1"));
        assert_eq!(request.mode(), Mode::Production);
    }

    #[test]
    fn mode_can_go_back_to_sandbox() {
        let request = base().production().mode(Mode::Sandbox).build().unwrap();
        assert!(request.mode().is_sandbox());
    }

    #[test]
    fn missing_fields_are_named() {
        let cases: [(DiscountRequestBuilder, &str); 4] = [
            (base().product_id(""), "productId"),
            (DiscountRequest::builder().origin("o"), "productId"),
            (
                DiscountRequest::builder()
                    .product_id("p")
                    .recipient(Recipient::default()),
                "origin",
            ),
            (
                DiscountRequest::builder().product_id("p").origin("o"),
                "recipient",
            ),
        ];
        for (builder, field) in cases {
            match builder.build() {
                Err(crate::Error::InvalidInput(err)) => assert_eq!(err.field, field),
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
    }
}
