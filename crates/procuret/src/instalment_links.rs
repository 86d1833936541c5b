//! Instalment links: what a supplier sends its customer so the customer can pay over time.
//!
//! ```no_run
//! # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
//! use procuret::{CommunicationOption, Decimal};
//! let link = client.instalment_links().create()
//!     .supplier_id(589121125121)
//!     .invoice_amount(Decimal::new(42242, 2))
//!     .invitee_email("customer@example.org")
//!     .invoice_identifier("INV-42")
//!     .communication(CommunicationOption::EmailCustomer)
//!     .send().await?;
//! println!("send the customer to {}", link.customer_url(client.environment())?);
//! # Ok(()) }
//! ```

use futures_core::Stream;
use partner_core::pagination::{self, Page};
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{self, Denomination};
use crate::client::Client;
use crate::disposition::Disposition;
use crate::entities::EntityHeadline;
use crate::enums::{CommunicationOption, InstalmentLinkMode, Order, OrderBy, SaleNomenclature};
use crate::environment::Environment;
use crate::paging::{self, DEFAULT_LIMIT};
use crate::timestamp::Timestamp;
use crate::validate;

/// An instalment link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstalmentLink {
    /// The link's public id (what goes into the customer URL).
    pub public_id: String,
    /// When it was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// The supplier.
    #[serde(default)]
    pub supplier: Option<EntityHeadline>,
    /// The invoice amount.
    #[serde(
        serialize_with = "amount::serialize",
        deserialize_with = "amount::deserialize"
    )]
    pub invoice_amount: Decimal,
    /// The currency of the amount.
    #[serde(default, rename = "denomination_id")]
    pub denomination: Option<Denomination>,
    /// The invitee's email address.
    #[serde(default)]
    pub invitee_email: Option<String>,
    /// The invitee's phone number, digits only.
    #[serde(default)]
    pub invitee_phone_digits: Option<String>,
    /// The invitee's human id, once they have an account.
    #[serde(default)]
    pub invitee_human_id: Option<i64>,
    /// The supplier's invoice (or order, quote…) identifier.
    #[serde(default)]
    pub invoice_identifier: Option<String>,
    /// Each time the customer opened the link.
    #[serde(default)]
    pub opens: Vec<LinkOpen>,
    /// What the sale is called.
    #[serde(default, rename = "sale_name")]
    pub nomenclature: Option<SaleNomenclature>,
    /// Whether the customer may edit the amount.
    #[serde(default)]
    pub allow_edit: Option<bool>,
    /// What the link asks of the customer.
    #[serde(default)]
    pub mode: Option<InstalmentLinkMode>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

impl InstalmentLink {
    /// The address the customer opens: `https://procuret.com/b?il=<public_id>` in production (see
    /// [`Environment::instalment_link_url`] for other environments, which are unconfirmed).
    ///
    /// # Errors
    ///
    /// Only for a malformed custom environment.
    pub fn customer_url(&self, environment: &Environment) -> Result<Url, Error> {
        environment.instalment_link_url(&self.public_id)
    }

    /// Whether the customer has opened the link.
    pub fn is_opened(&self) -> bool {
        !self.opens.is_empty()
    }
}

/// One opening of a link by the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkOpen {
    /// Its position among the openings.
    #[serde(default)]
    pub sequence: Option<i64>,
    /// When it happened.
    #[serde(default)]
    pub created: Option<Timestamp>,
}

/// Instalment-link operations.
#[derive(Debug, Clone)]
pub struct InstalmentLinks {
    client: Client,
}

impl InstalmentLinks {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates a link (`POST /instalment-link`).
    pub fn create(&self) -> CreateInstalmentLink {
        CreateInstalmentLink {
            client: self.client.clone(),
            supplier_id: None,
            invoice_amount: None,
            invitee_email: None,
            invoice_identifier: None,
            communication: None,
            denomination: None,
            nomenclature: None,
            invitee_phone: None,
            mode: None,
        }
    }

    /// Lists links (`GET /instalment-link/list`), one page with `.send()`, all with `.stream()`.
    pub fn list(&self) -> ListInstalmentLinks {
        ListInstalmentLinks {
            client: self.client.clone(),
            query: ListQuery {
                limit: DEFAULT_LIMIT,
                offset: 0,
                order: Order::default(),
                order_by: OrderBy::default(),
                opened: None,
                public_id: None,
                supplier_id: None,
                accessible_to: None,
                created_by: None,
            },
        }
    }

    /// The link with `public_id` (`GET /instalment-link?public_id=…`).
    ///
    /// # Errors
    ///
    /// A not-found error ([`Error::is_not_found`]) when there is no such link.
    pub async fn get(&self, public_id: &str) -> Result<InstalmentLink, Error> {
        validate::identifier("public_id", public_id)?;
        let request = self
            .client
            .signed_get("instalment-link")?
            .query(&[("public_id", public_id)])?;
        self.client.send_json(request).await
    }

    /// Records that the link was opened (`POST /instalment-link/open`, `{"link_id": public_id}`).
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; the API's refusal.
    pub async fn open(&self, public_id: &str) -> Result<(), Error> {
        validate::identifier("public_id", public_id)?;
        self.client.require_session()?;
        let request = Request::post(self.client.endpoint("instalment-link/open"))
            .json(&serde_json::json!({ "link_id": public_id }))?;
        self.client.execute(request).await?;
        Ok(())
    }

    /// The customer's address for `link` in this client's environment.
    ///
    /// # Errors
    ///
    /// Only for a malformed custom environment.
    pub fn customer_url(&self, link: &InstalmentLink) -> Result<Url, Error> {
        link.customer_url(self.client.environment())
    }
}

/// Builds `POST /instalment-link`.
#[derive(Debug)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateInstalmentLink {
    client: Client,
    supplier_id: Option<i64>,
    invoice_amount: Option<Decimal>,
    invitee_email: Option<String>,
    invoice_identifier: Option<String>,
    communication: Option<CommunicationOption>,
    denomination: Option<Denomination>,
    nomenclature: Option<SaleNomenclature>,
    invitee_phone: Option<String>,
    mode: Option<InstalmentLinkMode>,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    supplier_id: i64,
    #[serde(serialize_with = "amount::serialize")]
    invoice_amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitee_email: Option<&'a str>,
    invoice_identifier: &'a str,
    communicate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    denomination: Option<Denomination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nomenclature: Option<SaleNomenclature>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitee_phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<InstalmentLinkMode>,
}

impl CreateInstalmentLink {
    /// The supplier's entity id.
    pub fn supplier_id(mut self, supplier_id: i64) -> Self {
        self.supplier_id = Some(supplier_id);
        self
    }

    /// The supplier, from its headline.
    pub fn supplier(self, supplier: &EntityHeadline) -> Self {
        self.supplier_id(supplier.entity_id)
    }

    /// The invoice amount: positive, at most the currency's decimal places (2 for AUD and NZD, and
    /// when no denomination is given). Sent as a plain-notation string.
    pub fn invoice_amount(mut self, amount: Decimal) -> Self {
        self.invoice_amount = Some(amount);
        self
    }

    /// The customer's email address (this or [`invitee_phone`](Self::invitee_phone) is required).
    pub fn invitee_email(mut self, email: impl Into<String>) -> Self {
        self.invitee_email = Some(email.into());
        self
    }

    /// The customer's phone number.
    pub fn invitee_phone(mut self, phone: impl Into<String>) -> Self {
        self.invitee_phone = Some(phone.into());
        self
    }

    /// The supplier's identifier for the sale (invoice number, order number…).
    pub fn invoice_identifier(mut self, identifier: impl Into<String>) -> Self {
        self.invoice_identifier = Some(identifier.into());
        self
    }

    /// Whether Procuret emails the customer (required).
    pub fn communication(mut self, option: CommunicationOption) -> Self {
        self.communication = Some(option);
        self
    }

    /// The currency (Procuret's default when omitted is the supplier's).
    pub fn denomination(mut self, denomination: Denomination) -> Self {
        self.denomination = Some(denomination);
        self
    }

    /// What the sale is called (invoice, order, quote…).
    pub fn nomenclature(mut self, nomenclature: SaleNomenclature) -> Self {
        self.nomenclature = Some(nomenclature);
        self
    }

    /// What the link asks of the customer.
    pub fn mode(mut self, mode: InstalmentLinkMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Creates the link. Not retried once it may have reached Procuret, so a timeout can leave a
    /// link created: list by `invoice_identifier` before creating it again.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending for missing or malformed fields; the API's refusal.
    pub async fn send(self) -> Result<InstalmentLink, Error> {
        let supplier_id = self
            .supplier_id
            .ok_or_else(|| Error::invalid_input("supplier_id", "is required"))?;
        validate::id("supplier_id", supplier_id)?;
        let invoice_amount = self
            .invoice_amount
            .ok_or_else(|| Error::invalid_input("invoice_amount", "is required"))?;
        amount::validate(
            "invoice_amount",
            invoice_amount,
            self.denomination.unwrap_or(Denomination::Aud),
        )?;
        if self.invitee_email.is_none() && self.invitee_phone.is_none() {
            return Err(Error::invalid_input(
                "invitee_email",
                "give the customer's email or phone",
            ));
        }
        if let Some(email) = &self.invitee_email {
            validate::email("invitee_email", email)?;
        }
        if let Some(phone) = &self.invitee_phone {
            validate_phone(phone)?;
        }
        let invoice_identifier = self
            .invoice_identifier
            .as_deref()
            .ok_or_else(|| Error::invalid_input("invoice_identifier", "is required"))?;
        validate::identifier("invoice_identifier", invoice_identifier)?;
        let communication = self.communication.ok_or_else(|| {
            Error::invalid_input(
                "communication",
                "is required: EmailCustomer or DoNotContact",
            )
        })?;
        self.client.require_session()?;
        let body = CreateBody {
            supplier_id,
            invoice_amount,
            invitee_email: self.invitee_email.as_deref(),
            invoice_identifier,
            communicate: communication.communicate(),
            denomination: self.denomination,
            nomenclature: self.nomenclature,
            invitee_phone: self.invitee_phone.as_deref(),
            mode: self.mode,
        };
        let request = Request::post(self.client.endpoint("instalment-link")).json(&body)?;
        self.client.send_json(request).await
    }
}

fn validate_phone(phone: &str) -> Result<(), Error> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if !allowed || digits < 6 {
        return Err(Error::invalid_input(
            "invitee_phone",
            "must be a phone number (digits, optionally with + - ( ) and spaces)",
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
struct ListQuery {
    limit: u64,
    offset: u64,
    order: Order,
    order_by: OrderBy,
    #[serde(skip_serializing_if = "Option::is_none")]
    opened: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessible_to: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<i64>,
}

/// Builds `GET /instalment-link/list`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` or `.stream()` is used"]
pub struct ListInstalmentLinks {
    client: Client,
    query: ListQuery,
}

impl ListInstalmentLinks {
    /// Only links that were (`true`) or were not (`false`) opened.
    pub fn opened(mut self, opened: bool) -> Self {
        self.query.opened = Some(opened);
        self
    }

    /// Only the link with this public id.
    pub fn public_id(mut self, public_id: impl Into<String>) -> Self {
        self.query.public_id = Some(public_id.into());
        self
    }

    /// Only links of this supplier.
    pub fn supplier_id(mut self, supplier_id: i64) -> Self {
        self.query.supplier_id = Some(supplier_id);
        self
    }

    /// Only links this agent may see.
    pub fn accessible_to(mut self, agent_id: i64) -> Self {
        self.query.accessible_to = Some(agent_id);
        self
    }

    /// Only links this agent created.
    pub fn created_by(mut self, agent_id: i64) -> Self {
        self.query.created_by = Some(agent_id);
        self
    }

    /// The sort (default oldest first by creation).
    pub fn sort(mut self, order_by: OrderBy, order: Order) -> Self {
        self.query.order_by = order_by;
        self.query.order = order;
        self
    }

    /// The page size (default 20).
    pub fn limit(mut self, limit: u64) -> Self {
        self.query.limit = limit;
        self
    }

    /// Where to start (default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.query.offset = offset;
        self
    }

    fn check(&self) -> Result<(), Error> {
        paging::check_limit(self.query.limit)?;
        if let Some(id) = &self.query.public_id {
            validate::identifier("public_id", id)?;
        }
        self.client.require_session()
    }

    async fn fetch(client: Client, query: ListQuery) -> Result<Vec<InstalmentLink>, Error> {
        let request = client.signed_get("instalment-link/list")?.query(&query)?;
        client.send_json(request).await
    }

    /// One page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a zero limit or an empty public id; the API's errors.
    pub async fn send(self) -> Result<Vec<InstalmentLink>, Error> {
        self.check()?;
        Self::fetch(self.client, self.query).await
    }

    /// Every page from the offset on, fetched as the stream is read.
    pub fn pages(self) -> impl Stream<Item = Result<Page<InstalmentLink>, Error>> + Send {
        let checked = self.check();
        let Self { client, query } = self;
        let start = query.offset;
        let limit = query.limit.max(1);
        paging::offset_pages(start, limit, move |offset| {
            let client = client.clone();
            let mut query = query.clone();
            query.offset = offset;
            let checked = checked.clone();
            async move {
                checked?;
                Self::fetch(client, query).await
            }
        })
    }

    /// Every link of every page.
    pub fn stream(self) -> impl Stream<Item = Result<InstalmentLink, Error>> + Send {
        pagination::items(self.pages())
    }
}
