//! The quoting client end to end against `partner-sandbox`'s Pax8 simulator: every one of the 33
//! operations of the quoting spec goes through `client.quotes()` and the real transport, and each
//! flow asserts on the state the simulator keeps.
//!
//! [`OPERATIONS`] is the checklist: each operationId of the spec and the test that calls it,
//! checked against the spec by [`every_operation_has_a_test`]. Where calls repeat (the downloads, the
//! 404s after a delete) the flows run a table of calls.
//!
//! [`a_download_over_a_per_call_cap_fails`] covers the per-call body cap on the download calls.

mod common;

use std::collections::BTreeSet;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use partner_core::error::TransportErrorKind;
use partner_sandbox::{Sandbox, SandboxConfig};
use pax8::quotes::{
    AttachmentUpdate, NewAccessListEntry, NewQuoteLineItem, PreferencesUpdate, QuoteAccount,
    QuoteBillingTerm, QuoteSort, Section, Upload,
};
use pax8::{
    AttachmentId, Client, Decimal, Direction, Error, NewQuote, Quote, QuoteId, QuoteLineItemUpdate,
    QuoteStatus, QuoteUpdate, Timestamp,
};

/// operationId → the test of this file that calls it through the client.
const OPERATIONS: &[(&str, &str)] = &[
    ("getQuotesList", "quotes_line_items_sections_and_sharing"),
    ("createQuote", "quotes_line_items_sections_and_sharing"),
    ("getQuoteById", "quotes_line_items_sections_and_sharing"),
    ("updateQuote", "quotes_line_items_sections_and_sharing"),
    ("deleteQuoteById", "quotes_line_items_sections_and_sharing"),
    (
        "takeQuoteOwnership",
        "quotes_line_items_sections_and_sharing",
    ),
    ("addLineItems", "quotes_line_items_sections_and_sharing"),
    ("updateLineItems", "quotes_line_items_sections_and_sharing"),
    (
        "bulkDeleteLineItems",
        "quotes_line_items_sections_and_sharing",
    ),
    (
        "deleteLineItemById",
        "quotes_line_items_sections_and_sharing",
    ),
    ("getSections", "quotes_line_items_sections_and_sharing"),
    ("createSection", "quotes_line_items_sections_and_sharing"),
    ("updateSections", "quotes_line_items_sections_and_sharing"),
    (
        "getQuoteAccessList",
        "quotes_line_items_sections_and_sharing",
    ),
    (
        "addQuoteAccessListEntry",
        "quotes_line_items_sections_and_sharing",
    ),
    (
        "deleteQuoteShareEntry",
        "quotes_line_items_sections_and_sharing",
    ),
    (
        "getLibraryAttachmentsMetadata",
        "library_and_quote_attachments",
    ),
    ("uploadAttachmentToLibrary", "library_and_quote_attachments"),
    ("updateLibraryAttachments", "library_and_quote_attachments"),
    (
        "addQuoteAttachmentsToLibrary",
        "library_and_quote_attachments",
    ),
    (
        "deleteSingleLibraryAttachment",
        "library_and_quote_attachments",
    ),
    (
        "getLibraryAttachmentMetadata",
        "library_and_quote_attachments",
    ),
    ("replaceLibraryAttachment", "library_and_quote_attachments"),
    (
        "downloadAllAttachmentsAsZip",
        "library_and_quote_attachments",
    ),
    ("uploadAttachmentToQuote", "library_and_quote_attachments"),
    ("updateAttachmentsMetadata", "library_and_quote_attachments"),
    (
        "copyAttachmentsToQuoteFromLibrary",
        "library_and_quote_attachments",
    ),
    ("deleteAttachment", "library_and_quote_attachments"),
    ("getAttachmentMetadata", "library_and_quote_attachments"),
    ("getQuotePreferences", "preferences_and_their_attachments"),
    (
        "persistQuotePreferences",
        "preferences_and_their_attachments",
    ),
    (
        "uploadPreferencesAttachments",
        "preferences_and_their_attachments",
    ),
    (
        "deletePreferenceAttachment",
        "preferences_and_their_attachments",
    ),
];

/// The tests of this file the table may name.
const TESTS: &[&str] = &[
    "quotes_line_items_sections_and_sharing",
    "library_and_quote_attachments",
    "preferences_and_their_attachments",
];

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(7)).await.unwrap();
    let (id, secret) = sandbox.pax8().credentials();
    let client = Client::builder()
        .client_id(id)
        .client_secret(secret)
        .environment(pax8::Environment::custom(sandbox.pax8().origin().as_str()).unwrap())
        .build()
        .unwrap();
    (sandbox, client)
}

fn company(sandbox: &Sandbox, n: usize) -> String {
    sandbox.pax8().companies()[n]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn starts() -> Timestamp {
    Timestamp::parse("2030-01-01T00:00:00Z")
}

fn recurring(quote: &Quote) -> Option<Decimal> {
    quote.totals.as_ref()?.recurring_total.as_ref()?.amount
}

fn initial(quote: &Quote) -> Option<Decimal> {
    quote.totals.as_ref()?.initial_total.as_ref()?.amount
}

/// Runs each call of the table and checks it fails with the API's 404.
async fn assert_all_not_found(calls: Vec<(&str, BoxFuture<'_, Result<(), Error>>)>) {
    for (name, call) in calls {
        match call.await {
            Err(Error::Api(api)) => assert_eq!(api.status.as_u16(), 404, "{name}: {api:?}"),
            other => panic!("{name}: expected Error::Api 404, got {other:?}"),
        }
    }
}

/// Every operation of the quoting spec is in [`OPERATIONS`], once, with a test of this file.
#[test]
fn every_operation_has_a_test() {
    let spec = common::quoting_spec();
    let mut in_spec = BTreeSet::new();
    for operations in spec["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                in_spec.insert(id.to_owned());
            }
        }
    }
    assert_eq!(in_spec.len(), 33);
    let listed: BTreeSet<String> = OPERATIONS.iter().map(|(id, _)| (*id).to_owned()).collect();
    assert_eq!(listed.len(), OPERATIONS.len(), "an operation listed twice");
    assert_eq!(listed, in_spec);
    for (id, test) in OPERATIONS {
        assert!(TESTS.contains(test), "{id}: no test {test}");
    }
    for test in TESTS {
        assert!(
            OPERATIONS.iter().any(|(_, t)| t == test),
            "{test} calls no operation of the table"
        );
    }
}

#[tokio::test]
async fn quotes_line_items_sections_and_sharing() {
    let (sandbox, client) = start().await;
    let quotes = client.quotes();
    let before = quotes.list().send().await.unwrap();

    // createQuote for a seeded company.
    let company_id = company(&sandbox, 6);
    let quote = quotes
        .create(&NewQuote::new(company_id.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(quote.status, Some(QuoteStatus::Draft));
    let client_id = quote.client.as_ref().and_then(|c| c.id.as_ref()).unwrap();
    assert_eq!(client_id.as_str(), company_id);
    assert!(quote.line_items.is_empty());
    assert_eq!(quotes.get(&quote.id).send().await.unwrap(), quote);

    // getQuotesList: the draft filter and a sort; the counts follow the new quote.
    let drafts = quotes
        .list()
        .status(QuoteStatus::Draft)
        .sort(QuoteSort::CreatedOn, Direction::Desc)
        .size(200)
        .send()
        .await
        .unwrap();
    assert_eq!(drafts.page.items[0].id, quote.id, "newest first");
    assert!(
        drafts
            .page
            .items
            .iter()
            .all(|q| q.status == Some(QuoteStatus::Draft))
    );
    let created: Vec<_> = drafts
        .page
        .items
        .iter()
        .map(|q| q.created_on.clone().unwrap().as_str().to_owned())
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "sort=createdOn,desc");
    assert_eq!(
        drafts.status_counts.draft,
        before.status_counts.draft + 1,
        "{:?}",
        drafts.status_counts
    );
    assert_eq!(drafts.status_counts.sent, before.status_counts.sent);
    let sent = quotes
        .list()
        .status(QuoteStatus::Sent)
        .send()
        .await
        .unwrap();
    assert!(sent.page.items.iter().all(|q| q.id != quote.id));

    // addLineItems: two items; the totals follow.
    let product = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Basic")
        .unwrap();
    let items = [
        NewQuoteLineItem::standard(
            product.as_str(),
            QuoteBillingTerm::Monthly,
            5,
            Decimal::new(75, 1),
            starts(),
        ),
        NewQuoteLineItem::custom(
            "Onboarding",
            QuoteBillingTerm::OneTime,
            2,
            Decimal::new(250, 0),
            Decimal::new(100, 0),
            Decimal::new(500, 0),
            starts(),
        ),
    ];
    let added = quotes
        .add_line_items(&quote.id, &items)
        .send()
        .await
        .unwrap();
    assert_eq!(added.len(), 2);
    let licences = added[0].id.clone().unwrap();
    let onboarding = added[1].id.clone().unwrap();
    let read = quotes.get(&quote.id).send().await.unwrap();
    assert_eq!(read.line_items.len(), 2);
    assert_eq!(recurring(&read), Some(Decimal::new(375, 1)));
    assert_eq!(initial(&read), Some(Decimal::new(500, 0)));

    // getSections, createSection, updateSections: one section holding both items, in order.
    assert!(quotes.sections(&quote.id).send().await.unwrap().is_empty());
    let sections = quotes
        .create_section(&quote.id, "Rollout")
        .send()
        .await
        .unwrap();
    assert_eq!(sections.len(), 1);
    let section = Section::new(sections[0].id.clone(), "Microsoft 365 rollout", 0)
        .line_item(licences.clone(), 0)
        .line_item(onboarding.clone(), 1);
    let answer = quotes
        .update_sections(&quote.id, std::slice::from_ref(&section))
        .send()
        .await
        .unwrap();
    assert_eq!(answer, vec![section.clone()]);
    assert_eq!(
        quotes.sections(&quote.id).send().await.unwrap(),
        vec![section]
    );

    // updateLineItems: ten licences double the recurring total.
    let updated = quotes
        .update_line_items(
            &quote.id,
            &[QuoteLineItemUpdate::standard(
                licences.clone(),
                QuoteBillingTerm::Monthly,
                10,
                Decimal::new(75, 1),
                starts(),
            )],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(updated[0].quantity, Some(10));
    let read = quotes.get(&quote.id).send().await.unwrap();
    assert_eq!(recurring(&read), Some(Decimal::new(75, 0)));

    // deleteLineItemById: the one-off total goes, and the item leaves its section.
    quotes
        .delete_line_item(&quote.id, onboarding.clone())
        .send()
        .await
        .unwrap();
    let read = quotes.get(&quote.id).send().await.unwrap();
    assert_eq!(initial(&read), Some(Decimal::ZERO));
    let in_section: Vec<_> = quotes.sections(&quote.id).send().await.unwrap()[0]
        .line_items
        .iter()
        .map(|i| i.line_item_id.clone())
        .collect();
    assert_eq!(in_section, vec![licences.clone()]);

    // bulkDeleteLineItems: none left.
    quotes
        .delete_line_items(&quote.id, std::slice::from_ref(&licences))
        .send()
        .await
        .unwrap();
    let read = quotes.get(&quote.id).send().await.unwrap();
    assert!(read.line_items.is_empty());
    assert_eq!(recurring(&read), Some(Decimal::ZERO));

    // getQuoteAccessList, addQuoteAccessListEntry, deleteQuoteShareEntry.
    assert!(
        quotes
            .access_list(&quote.id)
            .send()
            .await
            .unwrap()
            .is_empty()
    );
    let entries = quotes
        .add_access_list_entries(
            &quote.id,
            &[
                NewAccessListEntry::new("cfo@client.example.com").account_name("CFO"),
                NewAccessListEntry::new("it@client.example.com"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert!(
        entries[0]
            .link
            .as_deref()
            .unwrap()
            .contains(entries[0].id.as_str())
    );
    assert_eq!(quotes.access_list(&quote.id).send().await.unwrap(), entries);
    quotes
        .delete_access_list_entry(&quote.id, entries[0].id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        quotes.access_list(&quote.id).send().await.unwrap(),
        vec![entries[1].clone()]
    );

    // updateQuote: sending it moves it from the draft count to the sent count.
    let update = QuoteUpdate::from_quote(&read)
        .unwrap()
        .intro_message("Hello")
        .published(true)
        .status(QuoteStatus::Sent);
    let sent_quote = quotes.update(&quote.id, &update).send().await.unwrap();
    assert_eq!(sent_quote.status, Some(QuoteStatus::Sent));
    assert_eq!(sent_quote.intro_message.as_deref(), Some("Hello"));
    let counts = quotes.list().send().await.unwrap().status_counts;
    assert_eq!(counts.draft, before.status_counts.draft);
    assert_eq!(counts.sent, before.status_counts.sent + 1);

    // takeQuoteOwnership: a colleague's quote becomes the API user's.
    let mine: Vec<QuoteId> = quotes
        .list()
        .size(200)
        .send()
        .await
        .unwrap()
        .page
        .items
        .into_iter()
        .map(|q| q.id)
        .collect();
    let everyone = quotes
        .list()
        .account(QuoteAccount::Partner)
        .size(200)
        .send()
        .await
        .unwrap();
    let theirs = everyone
        .page
        .items
        .iter()
        .find(|q| !mine.contains(&q.id))
        .expect("a seeded quote of a colleague");
    let me = quote.owned_by.as_ref().and_then(|o| o.id.clone()).unwrap();
    assert_ne!(
        theirs.owned_by.as_ref().and_then(|o| o.id.clone()),
        Some(me.clone())
    );
    let taken = quotes.take_ownership(&theirs.id).send().await.unwrap();
    assert_eq!(taken.owned_by.and_then(|o| o.id), Some(me));
    let now_mine = quotes.list().size(200).send().await.unwrap();
    assert!(now_mine.page.items.iter().any(|q| q.id == theirs.id));

    // deleteQuoteById: then every call on it is a 404.
    quotes.delete(&quote.id).send().await.unwrap();
    let gone = &quote.id;
    assert_all_not_found(vec![
        (
            "getQuoteById",
            async { quotes.get(gone).send().await.map(drop) }.boxed(),
        ),
        (
            "deleteQuoteById",
            async { quotes.delete(gone).send().await }.boxed(),
        ),
        (
            "getSections",
            async { quotes.sections(gone).send().await.map(drop) }.boxed(),
        ),
        (
            "getQuoteAccessList",
            async { quotes.access_list(gone).send().await.map(drop) }.boxed(),
        ),
    ])
    .await;
    let after = quotes.list().size(200).send().await.unwrap();
    assert!(after.page.items.iter().all(|q| q.id != quote.id));
}

#[tokio::test]
async fn library_and_quote_attachments() {
    let (sandbox, client) = start().await;
    let quotes = client.quotes();
    let (a_bytes, b_bytes, a2_bytes, offer_bytes) = (
        &b"%PDF-1.7 a"[..],
        &b"%PDF-1.7 bb"[..],
        &b"%PDF-1.7 a, second edition"[..],
        &b"%PDF-1.7 the offer"[..],
    );

    // uploadAttachmentToLibrary, getLibraryAttachmentsMetadata, getLibraryAttachmentMetadata.
    let uploaded = quotes
        .upload_to_library(&[Upload::pdf("a.pdf", a_bytes), Upload::pdf("b.pdf", b_bytes)])
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.len(), 2);
    assert_eq!(uploaded[1].name.as_deref(), Some("b.pdf"));
    assert_eq!(uploaded[1].kind.as_deref(), Some("application/pdf"));
    let a = uploaded[0].id.clone().unwrap();
    let b = uploaded[1].id.clone().unwrap();
    assert_eq!(quotes.library_attachments().send().await.unwrap(), uploaded);
    assert_eq!(
        quotes.library_attachment(a.clone()).send().await.unwrap(),
        uploaded[0]
    );

    // updateLibraryAttachments: renamed and moved first.
    let renamed = quotes
        .update_library_attachments(&[AttachmentUpdate::new(b.clone(), "terms.pdf", 0)])
        .send()
        .await
        .unwrap();
    assert!(
        renamed
            .iter()
            .any(|x| x.id.as_ref() == Some(&b) && x.name.as_deref() == Some("terms.pdf"))
    );
    let b_now = quotes.library_attachment(b.clone()).send().await.unwrap();
    assert_eq!(
        (b_now.name.as_deref(), b_now.order),
        (Some("terms.pdf"), Some(0))
    );

    // replaceLibraryAttachment: the next download is the new file.
    let replaced = quotes
        .replace_library_attachment(a.clone(), &Upload::pdf("a2.pdf", a2_bytes))
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.id.as_ref(), Some(&a));
    assert!(replaced.replaced_on.is_some());

    // uploadAttachmentToQuote, copyAttachmentsToQuoteFromLibrary, getAttachmentMetadata.
    let quote = quotes
        .create(&NewQuote::new(company(&sandbox, 6)))
        .send()
        .await
        .unwrap();
    let q = &quote.id;
    let offer = quotes
        .upload_attachments(q, &[Upload::pdf("offer.pdf", offer_bytes)])
        .send()
        .await
        .unwrap();
    let offer = offer[0].id.clone().unwrap();
    let copied = quotes
        .copy_from_library(q, std::slice::from_ref(&a))
        .send()
        .await
        .unwrap();
    let copy = copied[0].id.clone().unwrap();
    assert_ne!(copy, a, "the quote holds a copy");
    let on_quote = quotes.get(q).send().await.unwrap().attachments;
    assert_eq!(on_quote.len(), 2);
    assert_eq!(
        quotes.attachment(q, copy.clone()).send().await.unwrap(),
        copied[0]
    );

    // updateAttachmentsMetadata.
    quotes
        .update_attachments(
            q,
            &[AttachmentUpdate::new(offer.clone(), "proposal.pdf", 0)],
        )
        .send()
        .await
        .unwrap();
    let read = quotes.attachment(q, offer.clone()).send().await.unwrap();
    assert_eq!(read.name.as_deref(), Some("proposal.pdf"));

    // addQuoteAttachmentsToLibrary: the quote's offer joins the library.
    let shared = quotes
        .add_to_library(std::slice::from_ref(&offer))
        .send()
        .await
        .unwrap();
    let shared = shared[0].id.clone().unwrap();
    assert_eq!(quotes.library_attachments().send().await.unwrap().len(), 3);

    // The three downloads (getLibraryAttachmentMetadata and getAttachmentMetadata with
    // `download=true`) give back what was uploaded.
    let downloads = [
        (
            "library a, replaced",
            quotes.download_library_attachment(a.clone()),
            a2_bytes,
        ),
        (
            "library b",
            quotes.download_library_attachment(b.clone()),
            b_bytes,
        ),
        (
            "library copy of the offer",
            quotes.download_library_attachment(shared.clone()),
            offer_bytes,
        ),
        (
            "the quote's copy of a",
            quotes.download_attachment(q, copy.clone()),
            a2_bytes,
        ),
        (
            "the quote's offer",
            quotes.download_attachment(q, offer.clone()),
            offer_bytes,
        ),
    ];
    for (name, call, expected) in downloads {
        assert_eq!(call.send().await.unwrap().as_ref(), expected, "{name}");
    }

    // downloadAllAttachmentsAsZip: one zip with both files of the quote.
    let zip = quotes.download_attachments_zip(q).send().await.unwrap();
    assert!(zip.starts_with(b"PK\x03\x04"), "a zip");
    for needle in [a2_bytes, offer_bytes, &b"proposal.pdf"[..]] {
        assert!(
            zip.windows(needle.len()).any(|w| w == needle),
            "the zip holds {}",
            String::from_utf8_lossy(needle)
        );
    }

    // deleteAttachment and deleteSingleLibraryAttachment: gone, and the copies stay.
    quotes
        .delete_attachment(q, copy.clone())
        .send()
        .await
        .unwrap();
    quotes
        .delete_library_attachment(a.clone())
        .send()
        .await
        .unwrap();
    let left: Vec<AttachmentId> = quotes
        .get(q)
        .send()
        .await
        .unwrap()
        .attachments
        .into_iter()
        .filter_map(|x| x.id)
        .collect();
    assert_eq!(left, vec![offer.clone()]);
    let library: Vec<AttachmentId> = quotes
        .library_attachments()
        .send()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|x| x.id)
        .collect();
    assert!(!library.contains(&a) && library.contains(&b) && library.contains(&shared));
    assert_all_not_found(vec![
        (
            "getAttachmentMetadata",
            async { quotes.attachment(q, copy.clone()).send().await.map(drop) }.boxed(),
        ),
        (
            "deleteAttachment",
            async { quotes.delete_attachment(q, copy.clone()).send().await }.boxed(),
        ),
        (
            "getLibraryAttachmentMetadata",
            async { quotes.library_attachment(a.clone()).send().await.map(drop) }.boxed(),
        ),
        (
            "getLibraryAttachmentMetadata download",
            async {
                quotes
                    .download_library_attachment(a.clone())
                    .send()
                    .await
                    .map(drop)
            }
            .boxed(),
        ),
        (
            "deleteSingleLibraryAttachment",
            async { quotes.delete_library_attachment(a.clone()).send().await }.boxed(),
        ),
    ])
    .await;
}

#[tokio::test]
async fn preferences_and_their_attachments() {
    let (sandbox, client) = start().await;
    let quotes = client.quotes();

    // getQuotePreferences: the simulator's defaults.
    let defaults = quotes.preferences().send().await.unwrap();
    assert_eq!(defaults.days_to_expire, Some(30));
    assert!(defaults.attachments.is_empty());

    // persistQuotePreferences: what new quotes start from.
    let saved = quotes
        .update_preferences(
            &PreferencesUpdate::new(7, "Thanks for choosing us", "Net 30")
                .sales_margin_percentage(Decimal::new(15, 0)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.days_to_expire, Some(7));
    let read = quotes.preferences().send().await.unwrap();
    assert_eq!(
        read.intro_message.as_deref(),
        Some("Thanks for choosing us")
    );
    assert_eq!(read.terms_and_disclaimers.as_deref(), Some("Net 30"));
    assert_eq!(read.sales_margin_percentage, Some(Decimal::new(15, 0)));

    // uploadPreferencesAttachments: a library file every new quote gets.
    let terms = quotes
        .upload_to_library(&[Upload::pdf("terms.pdf", &b"%PDF terms"[..])])
        .send()
        .await
        .unwrap();
    let terms = terms[0].id.clone().unwrap();
    let added = quotes
        .add_preference_attachments(std::slice::from_ref(&terms))
        .send()
        .await
        .unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(
        quotes.preferences().send().await.unwrap().attachments,
        added
    );
    let quote = quotes
        .create(&NewQuote::new(company(&sandbox, 6)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        quote.intro_message.as_deref(),
        Some("Thanks for choosing us")
    );
    let names: Vec<_> = quote
        .attachments
        .iter()
        .filter_map(|x| x.name.as_deref())
        .collect();
    assert_eq!(names, ["terms.pdf"]);

    // deletePreferenceAttachment: the next quote starts without it; a second delete is a 404.
    let entry = added[0].id.clone().unwrap();
    quotes
        .delete_preference_attachment(entry.clone())
        .send()
        .await
        .unwrap();
    assert!(
        quotes
            .preferences()
            .send()
            .await
            .unwrap()
            .attachments
            .is_empty()
    );
    let next = quotes
        .create(&NewQuote::new(company(&sandbox, 7)))
        .send()
        .await
        .unwrap();
    assert!(next.attachments.is_empty());
    assert_all_not_found(vec![(
        "deletePreferenceAttachment",
        async {
            quotes
                .delete_preference_attachment(entry.clone())
                .send()
                .await
        }
        .boxed(),
    )])
    .await;
}

/// A download larger than its call's `max_response_bytes` fails with the cap named (partner-core's
/// `tests/transport.rs` shows it is not retried); the same download without the per-call cap (the
/// client's 16 MiB) succeeds.
#[tokio::test]
async fn a_download_over_a_per_call_cap_fails() {
    let (sandbox, client) = start().await;
    let quotes = client.quotes();
    let file: Vec<u8> = (0..4096u32).map(|n| (n % 251) as u8).collect();
    let stored = quotes
        .upload_to_library(&[Upload::pdf("big.pdf", file.clone())])
        .send()
        .await
        .unwrap();
    let id = stored[0].id.clone().unwrap();
    let quote = quotes
        .create(&NewQuote::new(company(&sandbox, 6)))
        .send()
        .await
        .unwrap();
    quotes
        .copy_from_library(&quote.id, std::slice::from_ref(&id))
        .send()
        .await
        .unwrap();

    let capped = [
        (
            "library file",
            quotes.download_library_attachment(id.clone()),
        ),
        ("zip", quotes.download_attachments_zip(&quote.id)),
    ];
    for (name, call) in capped {
        match call.max_response_bytes(1024).send().await {
            Err(Error::Transport(t)) => {
                assert_eq!(t.kind(), TransportErrorKind::BodyTooLarge, "{name}");
                assert_eq!(t.body_limit(), Some(1024), "{name}");
                assert!(t.to_string().contains("1024"), "{name}: {t}");
            }
            other => panic!("{name}: expected a BodyTooLarge error, got {other:?}"),
        }
    }
    let whole = quotes
        .download_library_attachment(id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(whole.as_ref(), file.as_slice());
    let zip = quotes
        .download_attachments_zip(&quote.id)
        .max_response_bytes(64 * 1024)
        .send()
        .await
        .unwrap();
    assert!(zip.len() > 4096 && zip.starts_with(b"PK\x03\x04"));
}
