//! Pax8: companies filtered and sorted, every subscription streamed across pages, an order placed,
//! then a quote for the same company: two line items in a section, shared, its total and the status
//! counts.

use futures_util::TryStreamExt;
use partner_sandbox::Sandbox;
use pax8::quotes::{NewAccessListEntry, NewQuoteLineItem, QuoteBillingTerm};
use pax8::{
    BillingTerm, Client, Company, CompanySort, Decimal, Direction, Environment, NewLineItem,
    NewOrder, NewQuote, OrderedBy, ProvisioningValue, Section, Timestamp,
};

use crate::output::{detail, section, step};

pub(crate) async fn run(sandbox: &Sandbox) -> Result<(), Box<dyn std::error::Error>> {
    section("Pax8 partner API");
    let (client_id, client_secret) = sandbox.pax8().credentials();
    let client = Client::builder()
        .client_id(client_id)
        .client_secret(client_secret)
        .environment(Environment::Custom(sandbox.pax8().origin()))
        .build()?;

    let page = client
        .companies()
        .list()
        .city("Denver")
        .sort(CompanySort::Name, Direction::Asc)
        .send()
        .await?;
    step(format!(
        "{} companies in Denver, sorted by name (sort=name,asc)",
        page.total_items.unwrap_or_default()
    ));
    for company in page.items.iter().take(3) {
        detail(&company.name);
    }
    let company = page.items.first().ok_or("no company in Denver")?;

    // Small pages on purpose, so the stream crosses several of them, three in flight at a time.
    let subscriptions: Vec<_> = client
        .subscriptions()
        .list()
        .size(10)
        .prefetch(3)
        .stream()
        .try_collect()
        .await?;
    step(format!(
        "{} subscriptions streamed across pages of 10",
        subscriptions.len()
    ));

    let product_id = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Premium")
        .ok_or("no such product")?;
    let product = client.products().get(&product_id).send().await?;
    let dependencies = client.products().dependencies(&product.id).send().await?;
    let commitment = dependencies
        .commitment_for(&BillingTerm::Annual)
        .ok_or("no annual commitment term")?;
    let mut item = NewLineItem::for_product_detail(&product, BillingTerm::Annual, 5)
        .commitment_term(&commitment.id);
    for field in client
        .products()
        .provision_details(&product.id)
        .send()
        .await?
    {
        let value = field
            .possible_values
            .as_ref()
            .and_then(|v| v.first().cloned())
            .unwrap_or_else(|| "tour".into());
        item = item.provisioning_detail(ProvisioningValue::new(field.key, [value]));
    }
    let order = NewOrder::builder(&company.id)
        .ordered_by(OrderedBy::Pax8Partner)
        .line_item(item)
        .build()?;
    client.orders().validate(&order).send().await?;
    step(format!(
        "order for 5 × {} validated by Pax8 (isMock=true)",
        product.name
    ));
    let placed = client.orders().create(&order).send().await?;
    step(format!(
        "order {} placed for {} (annual commitment {})",
        placed.id, company.name, commitment.id
    ));

    let after = client
        .subscriptions()
        .list()
        .company_id(&company.id)
        .send()
        .await?;
    step(format!(
        "{} now has {} subscription(s)",
        company.name,
        after.total_items.unwrap_or_default()
    ));

    quote(&client, company, &product_id).await
}

/// The quoting API (`/v2`): a draft quote for `company` with two line items in one section, shared
/// with the client's buyer, as `examples/quote.rs` does.
async fn quote(
    client: &Client,
    company: &Company,
    product_id: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let quotes = client.quotes();
    let quote = quotes.create(&NewQuote::new(&company.id)).send().await?;
    step(format!(
        "quote {} created for {} (draft)",
        quote.reference_code.as_deref().unwrap_or(quote.id.as_str()),
        company.name
    ));

    let starts = Timestamp::parse("2030-01-01T00:00:00Z");
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
    let sections = quotes
        .create_section(&quote.id, "Microsoft 365 rollout")
        .send()
        .await?;
    let created = sections.first().ok_or("no section in the answer")?;
    let mut section = Section::new(created.id.clone(), created.name.clone(), created.order);
    for (order, item) in (0..).zip(&added) {
        let id = item.id.clone().ok_or("a line item without an id")?;
        section = section.line_item(id, order);
    }
    quotes
        .update_sections(&quote.id, std::slice::from_ref(&section))
        .send()
        .await?;
    step(format!(
        "{} line items added in the section \"{}\"",
        added.len(),
        section.name
    ));

    let shared = quotes
        .add_access_list_entries(
            &quote.id,
            &[NewAccessListEntry::new("buyer@client.example.com")],
        )
        .send()
        .await?;
    for entry in &shared {
        step(format!(
            "shared with {}",
            entry.email.as_deref().unwrap_or_default()
        ));
    }

    let read = quotes.get(&quote.id).send().await?;
    let totals = read.totals.as_ref().ok_or("a quote without totals")?;
    let amount = |a: &Option<pax8::quotes::Amount>| {
        let a = a.as_ref();
        format!(
            "{} {:.2}",
            a.and_then(|a| a.currency.as_deref()).unwrap_or_default(),
            a.and_then(|a| a.amount).unwrap_or_default()
        )
    };
    step(format!(
        "quote total: {} a month, {} up front",
        amount(&totals.recurring_total),
        amount(&totals.initial_total)
    ));
    let counts = quotes.list().send().await?.status_counts;
    step(format!(
        "quote status counts: {} draft, {} sent, {} accepted, {} expired",
        counts.draft, counts.sent, counts.accepted, counts.expired
    ));
    Ok(())
}
