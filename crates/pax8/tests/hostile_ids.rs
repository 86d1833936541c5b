//! Every id-taking operation, called with hostile ids: each call either goes to exactly the intended
//! path (the id as one percent-encoded segment) or is refused before sending with
//! `Error::InvalidInput` naming the id's field. Issue 15, item 3: `.`/`..` were dropped and tab, CR
//! and LF stripped, so requests went to other paths.
//!
//! A recording transport captures each request's path without any network. To cover a new
//! operation, add a row to `operations()`.

use std::sync::Arc;

use futures_util::future::{BoxFuture, FutureExt};
use pax8::http::Method;
use pax8::{
    Client, CompanyUpdate, Error, NewContact, QuoteStatus, QuoteUpdate, SubscriptionUpdate,
    TopicSubscription, WebhookConfiguration, WebhookFilter,
};
use time::macros::date;

use partner_testkit::paths::{RecordingTransport, decoded_segments, hostile_ids};

/// What the recorder answers on the token endpoint.
const TOKEN: &str = r#"{"access_token":"t","token_type":"Bearer","expires_in":86400}"#;

type Call = fn(Client, String) -> BoxFuture<'static, Result<(), Error>>;

/// One id of one operation: the request it must send, with `{}` standing for the hostile id (other
/// ids of the path are fixed, benign ones).
struct Operation {
    name: &'static str,
    field: &'static str,
    method: Method,
    path: &'static [&'static str],
    call: Call,
}

macro_rules! op {
    ($name:literal, $field:literal, $method:ident, [$($segment:literal),+], |$client:ident, $id:ident| $call:expr) => {
        Operation {
            name: $name,
            field: $field,
            method: Method::$method,
            path: &[$($segment),+],
            call: |$client, $id| async move { $call.send().await.map(drop) }.boxed(),
        }
    };
}

fn operations() -> Vec<Operation> {
    // Pushed to when the portal is compiled in.
    #[cfg_attr(not(feature = "experimental-portal"), allow(unused_mut))]
    let mut ops = vec![
        op!(
            "companies.get",
            "company_id",
            GET,
            ["v1", "companies", "{}"],
            |c, id| c.companies().get(id)
        ),
        op!(
            "companies.update",
            "company_id",
            PATCH,
            ["v1", "companies", "{}"],
            |c, id| c.companies().update(
                id,
                &CompanyUpdate::builder().name("New name").build().unwrap()
            )
        ),
        op!(
            "contacts.list",
            "company_id",
            GET,
            ["v1", "companies", "{}", "contacts"],
            |c, id| c.companies().contacts(id).list()
        ),
        op!(
            "contacts.create",
            "company_id",
            POST,
            ["v1", "companies", "{}", "contacts"],
            |c, id| c.companies().contacts(id).create(&contact())
        ),
        op!(
            "contacts.get",
            "company_id",
            GET,
            ["v1", "companies", "{}", "contacts", "k-1"],
            |c, id| c.companies().contacts(id).get("k-1")
        ),
        op!(
            "contacts.get",
            "contact_id",
            GET,
            ["v1", "companies", "c-1", "contacts", "{}"],
            |c, id| c.companies().contacts("c-1").get(id)
        ),
        op!(
            "contacts.update",
            "contact_id",
            PUT,
            ["v1", "companies", "c-1", "contacts", "{}"],
            |c, id| c.companies().contacts("c-1").update(id, &contact())
        ),
        op!(
            "contacts.modify",
            "contact_id",
            GET,
            ["v1", "companies", "c-1", "contacts", "{}"],
            |c, id| c.companies().contacts("c-1").modify(id, |_| {})
        ),
        op!(
            "contacts.delete",
            "contact_id",
            DELETE,
            ["v1", "companies", "c-1", "contacts", "{}"],
            |c, id| c.companies().contacts("c-1").delete(id)
        ),
        op!(
            "products.get",
            "product_id",
            GET,
            ["v1", "products", "{}"],
            |c, id| c.products().get(id)
        ),
        op!(
            "products.provision_details",
            "product_id",
            GET,
            ["v1", "products", "{}", "provision-details"],
            |c, id| c.products().provision_details(id)
        ),
        op!(
            "products.dependencies",
            "product_id",
            GET,
            ["v1", "products", "{}", "dependencies"],
            |c, id| c.products().dependencies(id)
        ),
        op!(
            "products.pricing",
            "product_id",
            GET,
            ["v1", "products", "{}", "pricing"],
            |c, id| c.products().pricing(id, None)
        ),
        op!(
            "orders.get",
            "order_id",
            GET,
            ["v1", "orders", "{}"],
            |c, id| c.orders().get(id)
        ),
        op!(
            "subscriptions.get",
            "subscription_id",
            GET,
            ["v1", "subscriptions", "{}"],
            |c, id| c.subscriptions().get(id)
        ),
        op!(
            "subscriptions.update",
            "subscription_id",
            PUT,
            ["v1", "subscriptions", "{}"],
            |c, id| c.subscriptions().update(
                id,
                &SubscriptionUpdate::builder().quantity(2).build().unwrap()
            )
        ),
        op!(
            "subscriptions.cancel",
            "subscription_id",
            DELETE,
            ["v1", "subscriptions", "{}"],
            |c, id| c.subscriptions().cancel(id, None)
        ),
        op!(
            "subscriptions.history",
            "subscription_id",
            GET,
            ["v1", "subscriptions", "{}", "history"],
            |c, id| c.subscriptions().history(id)
        ),
        op!(
            "subscriptions.usage_summaries",
            "subscription_id",
            GET,
            ["v1", "subscriptions", "{}", "usage-summaries"],
            |c, id| c.subscriptions().usage_summaries(id)
        ),
        op!(
            "usage.for_subscription",
            "subscription_id",
            GET,
            ["v1", "subscriptions", "{}", "usage-summaries"],
            |c, id| c.usage_summaries().for_subscription(id)
        ),
        op!(
            "usage.get",
            "usage_summary_id",
            GET,
            ["v1", "usage-summaries", "{}"],
            |c, id| c.usage_summaries().get(id)
        ),
        op!(
            "usage.usage_lines",
            "usage_summary_id",
            GET,
            ["v1", "usage-summaries", "{}", "usage-lines"],
            |c, id| c.usage_summaries().usage_lines(id, date!(2024 - 02 - 29))
        ),
        op!(
            "invoices.get",
            "invoice_id",
            GET,
            ["v1", "invoices", "{}"],
            |c, id| c.invoices().get(id)
        ),
        op!(
            "invoices.items",
            "invoice_id",
            GET,
            ["v1", "invoices", "{}", "items"],
            |c, id| c.invoices().items(id)
        ),
        op!(
            "webhooks.get",
            "webhook_id",
            GET,
            ["api", "v2", "webhooks", "{}"],
            |c, id| c.webhooks().get(id)
        ),
        op!(
            "webhooks.delete",
            "webhook_id",
            DELETE,
            ["api", "v2", "webhooks", "{}"],
            |c, id| c.webhooks().delete(id)
        ),
        op!(
            "webhooks.update_configuration",
            "webhook_id",
            POST,
            ["api", "v2", "webhooks", "{}", "configuration"],
            |c, id| c
                .webhooks()
                .update_configuration(id, &WebhookConfiguration::new().display_name("Renamed"))
        ),
        op!(
            "webhooks.set_active",
            "webhook_id",
            POST,
            ["api", "v2", "webhooks", "{}", "status"],
            |c, id| c.webhooks().set_active(id, false)
        ),
        op!(
            "webhooks.add_topic",
            "webhook_id",
            POST,
            ["api", "v2", "webhooks", "{}", "topics"],
            |c, id| c
                .webhooks()
                .add_topic(id, &TopicSubscription::new("INVOICE"))
        ),
        op!(
            "webhooks.replace_topics",
            "webhook_id",
            PUT,
            ["api", "v2", "webhooks", "{}", "topics"],
            |c, id| c
                .webhooks()
                .replace_topics(id, &[TopicSubscription::new("INVOICE")])
        ),
        op!(
            "webhooks.remove_topic",
            "webhook_id",
            DELETE,
            ["api", "v2", "webhooks", "{}", "topics", "t-1"],
            |c, id| c.webhooks().remove_topic(id, "t-1")
        ),
        op!(
            "webhooks.remove_topic",
            "topic_id",
            DELETE,
            ["api", "v2", "webhooks", "w-1", "topics", "{}"],
            |c, id| c.webhooks().remove_topic("w-1", id)
        ),
        op!(
            "webhooks.configure_topic",
            "webhook_id",
            POST,
            [
                "api",
                "v2",
                "webhooks",
                "{}",
                "topics",
                "t-1",
                "configuration"
            ],
            |c, id| c
                .webhooks()
                .configure_topic(id, "t-1", &[WebhookFilter::action("CREATED")])
        ),
        op!(
            "webhooks.configure_topic",
            "topic_id",
            POST,
            [
                "api",
                "v2",
                "webhooks",
                "w-1",
                "topics",
                "{}",
                "configuration"
            ],
            |c, id| c
                .webhooks()
                .configure_topic("w-1", id, &[WebhookFilter::action("CREATED")])
        ),
        op!(
            "webhooks.test_topic",
            "webhook_id",
            POST,
            ["api", "v2", "webhooks", "{}", "topics", "INVOICE", "test"],
            |c, id| c.webhooks().test_topic(id, "INVOICE")
        ),
        op!(
            "webhooks.test_topic",
            "topic",
            POST,
            ["api", "v2", "webhooks", "w-1", "topics", "{}", "test"],
            |c, id| c.webhooks().test_topic("w-1", &id)
        ),
        op!(
            "webhooks.logs",
            "webhook_id",
            GET,
            ["api", "v2", "webhooks", "{}", "logs"],
            |c, id| c.webhooks().logs(id)
        ),
        op!(
            "webhooks.log",
            "webhook_id",
            GET,
            ["api", "v2", "webhooks", "{}", "logs", "l-1"],
            |c, id| c.webhooks().log(id, "l-1")
        ),
        op!(
            "webhooks.log",
            "log_id",
            GET,
            ["api", "v2", "webhooks", "w-1", "logs", "{}"],
            |c, id| c.webhooks().log("w-1", id)
        ),
        op!(
            "webhooks.retry_delivery",
            "webhook_id",
            POST,
            ["api", "v2", "webhooks", "{}", "logs", "l-1", "retry"],
            |c, id| c.webhooks().retry_delivery(id, "l-1")
        ),
        op!(
            "webhooks.retry_delivery",
            "log_id",
            POST,
            ["api", "v2", "webhooks", "w-1", "logs", "{}", "retry"],
            |c, id| c.webhooks().retry_delivery("w-1", id)
        ),
        op!(
            "quotes.get",
            "quote_id",
            GET,
            ["v2", "quotes", "{}"],
            |c, id| c.quotes().get(id)
        ),
        op!(
            "quotes.update",
            "quote_id",
            PUT,
            ["v2", "quotes", "{}"],
            |c, id| c.quotes().update(id, &quote_update())
        ),
        op!(
            "quotes.delete",
            "quote_id",
            DELETE,
            ["v2", "quotes", "{}"],
            |c, id| c.quotes().delete(id)
        ),
        op!(
            "quotes.take_ownership",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "take-ownership"],
            |c, id| c.quotes().take_ownership(id)
        ),
        op!(
            "quotes.add_line_items",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "line-items"],
            |c, id| c.quotes().add_line_items(id, &[quote_line_item()])
        ),
        op!(
            "quotes.update_line_items",
            "quote_id",
            PUT,
            ["v2", "quotes", "{}", "line-items"],
            |c, id| c
                .quotes()
                .update_line_items(id, &[quote_line_item_update()])
        ),
        op!(
            "quotes.delete_line_items",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "line-items", "bulk-delete"],
            |c, id| c.quotes().delete_line_items(id, &["li-1".into()])
        ),
        op!(
            "quotes.delete_line_item",
            "quote_id",
            DELETE,
            ["v2", "quotes", "{}", "line-items", "li-1"],
            |c, id| c.quotes().delete_line_item(id, "li-1")
        ),
        op!(
            "quotes.delete_line_item",
            "line_item_id",
            DELETE,
            ["v2", "quotes", "q-1", "line-items", "{}"],
            |c, id| c.quotes().delete_line_item("q-1", id)
        ),
        op!(
            "quotes.sections",
            "quote_id",
            GET,
            ["v2", "quotes", "{}", "sections"],
            |c, id| c.quotes().sections(id)
        ),
        op!(
            "quotes.create_section",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "sections"],
            |c, id| c.quotes().create_section(id, "s")
        ),
        op!(
            "quotes.update_sections",
            "quote_id",
            PUT,
            ["v2", "quotes", "{}", "sections"],
            |c, id| c
                .quotes()
                .update_sections(id, &[pax8::quotes::Section::new("s-1", "s", 0)])
        ),
        op!(
            "quotes.access_list",
            "quote_id",
            GET,
            ["v2", "quotes", "{}", "access-list"],
            |c, id| c.quotes().access_list(id)
        ),
        op!(
            "quotes.add_access_list_entries",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "access-list"],
            |c, id| c.quotes().add_access_list_entries(
                id,
                &[pax8::quotes::NewAccessListEntry::new("a@b.example")]
            )
        ),
        op!(
            "quotes.delete_access_list_entry",
            "quote_id",
            DELETE,
            ["v2", "quotes", "{}", "access-list", "e-1"],
            |c, id| c.quotes().delete_access_list_entry(id, "e-1")
        ),
        op!(
            "quotes.delete_access_list_entry",
            "access_list_entry_id",
            DELETE,
            ["v2", "quotes", "q-1", "access-list", "{}"],
            |c, id| c.quotes().delete_access_list_entry("q-1", id)
        ),
        op!(
            "quotes.delete_library_attachment",
            "attachment_id",
            DELETE,
            ["v2", "quote-attachments", "{}"],
            |c, id| c.quotes().delete_library_attachment(id)
        ),
        op!(
            "quotes.library_attachment",
            "attachment_id",
            GET,
            ["v2", "quote-attachments", "{}"],
            |c, id| c.quotes().library_attachment(id)
        ),
        op!(
            "quotes.download_library_attachment",
            "attachment_id",
            GET,
            ["v2", "quote-attachments", "{}"],
            |c, id| c.quotes().download_library_attachment(id)
        ),
        op!(
            "quotes.replace_library_attachment",
            "attachment_id",
            PATCH,
            ["v2", "quote-attachments", "{}"],
            |c, id| c
                .quotes()
                .replace_library_attachment(id, &pax8::Upload::pdf("a.pdf", &b"%PDF"[..]))
        ),
        op!(
            "quotes.download_attachments_zip",
            "quote_id",
            GET,
            ["v2", "quotes", "{}", "attachments"],
            |c, id| c.quotes().download_attachments_zip(id)
        ),
        op!(
            "quotes.upload_attachments",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "attachments"],
            |c, id| c
                .quotes()
                .upload_attachments(id, &[pax8::Upload::pdf("a.pdf", &b"%PDF"[..])])
        ),
        op!(
            "quotes.update_attachments",
            "quote_id",
            PUT,
            ["v2", "quotes", "{}", "attachments"],
            |c, id| c
                .quotes()
                .update_attachments(id, &[pax8::quotes::AttachmentUpdate::new("a-1", "n", 0)])
        ),
        op!(
            "quotes.copy_from_library",
            "quote_id",
            POST,
            ["v2", "quotes", "{}", "attachments", "shared"],
            |c, id| c.quotes().copy_from_library(id, &["a-1".into()])
        ),
        op!(
            "quotes.delete_attachment",
            "quote_id",
            DELETE,
            ["v2", "quotes", "{}", "attachments", "a-1"],
            |c, id| c.quotes().delete_attachment(id, "a-1")
        ),
        op!(
            "quotes.delete_attachment",
            "attachment_id",
            DELETE,
            ["v2", "quotes", "q-1", "attachments", "{}"],
            |c, id| c.quotes().delete_attachment("q-1", id)
        ),
        op!(
            "quotes.attachment",
            "quote_id",
            GET,
            ["v2", "quotes", "{}", "attachments", "a-1"],
            |c, id| c.quotes().attachment(id, "a-1")
        ),
        op!(
            "quotes.attachment",
            "attachment_id",
            GET,
            ["v2", "quotes", "q-1", "attachments", "{}"],
            |c, id| c.quotes().attachment("q-1", id)
        ),
        op!(
            "quotes.download_attachment",
            "quote_id",
            GET,
            ["v2", "quotes", "{}", "attachments", "a-1"],
            |c, id| c.quotes().download_attachment(id, "a-1")
        ),
        op!(
            "quotes.download_attachment",
            "attachment_id",
            GET,
            ["v2", "quotes", "q-1", "attachments", "{}"],
            |c, id| c.quotes().download_attachment("q-1", id)
        ),
        op!(
            "quotes.delete_preference_attachment",
            "attachment_id",
            DELETE,
            ["v2", "quote-preferences", "attachments", "{}"],
            |c, id| c.quotes().delete_preference_attachment(id)
        ),
    ];
    #[cfg(feature = "experimental-portal")]
    ops.push(op!(
        "portal.ms_tenant",
        "company_id",
        GET,
        ["p8p", "api", "v3", "companies", "{}", "msTenantId"],
        |c, id| c.portal().ms_tenant(id)
    ));
    ops
}

fn quote_update() -> QuoteUpdate {
    QuoteUpdate::new(
        pax8::Timestamp::parse("2026-01-01T00:00:00Z"),
        "intro",
        false,
        QuoteStatus::Draft,
        "terms",
    )
}

fn quote_line_item() -> pax8::quotes::NewQuoteLineItem {
    pax8::quotes::NewQuoteLineItem::standard(
        "p-1",
        pax8::quotes::QuoteBillingTerm::Monthly,
        1,
        pax8::Decimal::ONE,
        pax8::Timestamp::parse("2026-01-01T00:00:00Z"),
    )
}

fn quote_line_item_update() -> pax8::quotes::QuoteLineItemUpdate {
    pax8::quotes::QuoteLineItemUpdate::standard(
        "li-1",
        pax8::quotes::QuoteBillingTerm::Monthly,
        1,
        pax8::Decimal::ONE,
        pax8::Timestamp::parse("2026-01-01T00:00:00Z"),
    )
}

fn contact() -> NewContact {
    NewContact::builder("Ann", "Lee", "ann@lee.example.com", "555-0101")
        .build()
        .unwrap()
}

/// Must be refused by every operation.
fn must_refuse(id: &str) -> bool {
    id.trim().is_empty()
        || id == "."
        || id == ".."
        || id.chars().any(char::is_control)
        || id.len() > 65_000
}

#[tokio::test]
async fn hostile_ids_never_move_a_request_to_another_path() {
    let recorder = Arc::new(RecordingTransport::new("/v1/token", TOKEN));
    let client = Client::builder()
        .client_id("id")
        .client_secret("secret")
        .environment(pax8::Environment::custom("https://pax8.invalid").unwrap())
        .without_rate_limit()
        .transport(recorder.clone())
        .build()
        .unwrap();

    let (mut sent_right, mut refused) = (0, 0);
    let (mut elsewhere, mut mistakes) = (Vec::new(), Vec::new());
    for op in operations() {
        for id in hostile_ids() {
            let before = recorder.sent().len();
            let result = (op.call)(client.clone(), id.clone()).await;
            let sent: Vec<_> = recorder.sent()[before..].to_vec();
            let shown = if id.len() > 40 {
                format!("{} chars", id.len())
            } else {
                format!("{id:?}")
            };
            let intended: Vec<String> = op
                .path
                .iter()
                .map(|s| {
                    if *s == "{}" {
                        id.clone()
                    } else {
                        (*s).to_owned()
                    }
                })
                .collect();
            for (method, path) in &sent {
                if *method != op.method || decoded_segments(path) != intended {
                    elsewhere.push(format!("{} {shown}: {method} {path}", op.name));
                }
            }
            if sent.is_empty() {
                match &result {
                    Err(Error::InvalidInput(input)) if input.field == op.field => refused += 1,
                    other => {
                        mistakes.push(format!("{} {shown}: nothing sent, yet {other:?}", op.name))
                    }
                }
            } else {
                sent_right += 1;
            }
            if sent.is_empty() != must_refuse(&id) {
                mistakes.push(format!(
                    "{} {shown}: sent {} request(s)",
                    op.name,
                    sent.len()
                ));
            }
        }
    }
    assert!(
        elsewhere.is_empty(),
        "{} requests went elsewhere:\n{}",
        elsewhere.len(),
        elsewhere.join("\n")
    );
    assert!(mistakes.is_empty(), "{}", mistakes.join("\n"));
    assert!(
        sent_right > 0 && refused > 0,
        "{sent_right} sent, {refused} refused"
    );
}
