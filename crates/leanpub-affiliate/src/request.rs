//! The discount request: who gets a discount on which book, from which of the partner's origins.
//! Whether it is real is the client's [`Environment`](crate::Environment), not the request's.

use partner_core::InvalidInput;
use serde::Serialize;

use crate::validate::{self, field};

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
        validate::latin1_text(field::FIRST_NAME, &self.first_name)?;
        validate::latin1_text(field::LAST_NAME, &self.last_name)?;
        validate::email(field::EMAIL, &self.email)
    }
}

/// A validated discount request, the body of
/// [`client.discounts().request(..)`](crate::Discounts::request).
///
/// Only [`DiscountRequest::builder`] makes one, and its [`build`](DiscountRequestBuilder::build) checks
/// every field, so a `DiscountRequest` that exists is one the service's character rules accept.
///
/// ```
/// use leanpub_affiliate::{DiscountRequest, Recipient};
/// let request = DiscountRequest::builder()
///     .product_id("the-book")
///     .origin("shop.example.com")
///     .transaction_id("order-1234")
///     .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
///     .build()?;
/// assert_eq!(request.transaction_id(), Some("order-1234"));
/// # Ok::<(), leanpub_affiliate::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountRequest {
    product_id: String,
    origin: String,
    transaction_id: Option<String>,
    recipient: Recipient,
}

impl DiscountRequest {
    /// Starts a request.
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

    /// The JSON body, with the client's partner id and its environment's `sandboxMode`.
    pub(crate) fn wire<'a>(&'a self, partner_id: &'a str, sandbox_mode: bool) -> WireRequest<'a> {
        WireRequest {
            product_id: &self.product_id,
            partner_id,
            origin: &self.origin,
            transaction_id: self.transaction_id.as_deref(),
            sandbox_mode,
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

    /// Checks every field and returns the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the first field at fault, by its JSON
    /// name (`productId`, `origin`, `transactionId`, `recipient`, `recipient.firstName`,
    /// `recipient.lastName`, `recipient.email`): a required field missing or blank, a character outside
    /// the field's charset, or an implausible email address.
    pub fn build(self) -> Result<DiscountRequest, crate::Error> {
        let product_id = validate::required(field::PRODUCT_ID, self.product_id)?;
        validate::ascii_text(field::PRODUCT_ID, &product_id)?;
        let origin = validate::required(field::ORIGIN, self.origin)?;
        validate::ascii_text(field::ORIGIN, &origin)?;
        if let Some(transaction_id) = &self.transaction_id {
            validate::ascii_text(field::TRANSACTION_ID, transaction_id)?;
        }
        let recipient = validate::required(field::RECIPIENT, self.recipient)?;
        recipient.validate()?;
        Ok(DiscountRequest {
            product_id,
            origin,
            transaction_id: self.transaction_id,
            recipient,
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
        let body = serde_json::to_value(request.wire("partner-1", true)).unwrap();
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
        let request = base().transaction_id("t-1").build().unwrap();
        let body = serde_json::to_value(request.wire("p", false)).unwrap();
        assert_eq!(body["sandboxMode"], json!(false));
        assert_eq!(body["transactionId"], json!("t-1"));
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
