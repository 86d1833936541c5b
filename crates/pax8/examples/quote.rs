//! Quotes: build a quote for a company, add two line items in a section, share it.
//!
//! ```sh
//! PAX8_CLIENT_ID=… PAX8_CLIENT_SECRET=… PAX8_COMPANY_ID=… PAX8_PRODUCT_ID=… \
//!   PAX8_SHARE_WITH=client@example.com cargo run -p pax8 --example quote
//! ```
//!
//! Pax8 has no test environment: without `PAX8_ENVIRONMENT` this creates a real (draft) quote in
//! your account. A draft is not sent to anyone; sharing adds the email to the quote's access list.

use pax8::quotes::{NewAccessListEntry, NewQuoteLineItem, QuoteBillingTerm, Section};
use pax8::{Client, Decimal, NewQuote, Timestamp};

fn var(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("set {name}").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // PAX8_CLIENT_ID, PAX8_CLIENT_SECRET, and optionally PAX8_ENVIRONMENT.
    let client = Client::from_env()?;
    let company_id = var("PAX8_COMPANY_ID")?;
    let product_id = var("PAX8_PRODUCT_ID")?;
    let share_with = var("PAX8_SHARE_WITH")?;
    let quotes = client.quotes();

    // 1. A draft quote for the company.
    let quote = quotes.create(&NewQuote::new(company_id)).send().await?;
    println!("quote {} ({:?})", quote.id, quote.reference_code);

    // 2. Two line items: a catalogue product and a one-off service of the partner's own.
    let starts = Timestamp::from_date_time(time::OffsetDateTime::now_utc());
    let items = [
        NewQuoteLineItem::standard(
            product_id,
            QuoteBillingTerm::Monthly,
            10,
            Decimal::new(2200, 2),
            starts.clone(),
        )
        .note("Licences for every seat"),
        NewQuoteLineItem::custom(
            "Onboarding",
            QuoteBillingTerm::OneTime,
            1,
            Decimal::new(500, 0),
            Decimal::new(300, 0),
            Decimal::new(500, 0),
            starts,
        ),
    ];
    let added = quotes.add_line_items(&quote.id, &items).send().await?;
    println!("{} line items added", added.len());

    // 3. A section holding both, in order.
    let sections = quotes
        .create_section(&quote.id, "Microsoft 365 rollout")
        .send()
        .await?;
    let created = sections
        .iter()
        .find(|s| s.name == "Microsoft 365 rollout")
        .ok_or("the new section is not in the answer")?;
    let mut section = Section::new(created.id.clone(), created.name.clone(), created.order);
    for (order, item) in (0..).zip(&added) {
        if let Some(id) = &item.id {
            section = section.line_item(id.clone(), order);
        }
    }
    // The PUT takes every section of the quote: the others unchanged, this one filled.
    let all: Vec<Section> = sections
        .into_iter()
        .map(|s| {
            if s.id == section.id {
                section.clone()
            } else {
                s
            }
        })
        .collect();
    quotes.update_sections(&quote.id, &all).send().await?;

    // 4. Share it.
    let entries = quotes
        .add_access_list_entries(&quote.id, &[NewAccessListEntry::new(share_with)])
        .send()
        .await?;
    for entry in entries {
        println!(
            "shared with {}: {}",
            entry.email.unwrap_or_default(),
            entry.link.unwrap_or_default()
        );
    }
    Ok(())
}
