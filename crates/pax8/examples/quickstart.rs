//! The main flow: list companies, stream every subscription, prepare (and optionally place) an order.
//!
//! ```sh
//! PAX8_CLIENT_ID=… PAX8_CLIENT_SECRET=… cargo run -p pax8 --example quickstart
//! # against a local sandbox serving /v1/token, /v1/… and /api/v2/… on one port:
//! PAX8_ENVIRONMENT=http://127.0.0.1:8080 PAX8_CLIENT_ID=demo PAX8_CLIENT_SECRET=demo \
//!   cargo run -p pax8 --example quickstart
//! ```
//!
//! Pax8 has no test environment: without `PAX8_ENVIRONMENT` this talks to your live account. The
//! order is only validated (`isMock=true`) unless `PAX8_PLACE_ORDER=1`.

use futures_util::TryStreamExt;
use pax8::{BillingTerm, Client, CompanySort, Direction, NewLineItem, NewOrder, OrderedBy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // PAX8_CLIENT_ID, PAX8_CLIENT_SECRET, and optionally PAX8_ENVIRONMENT.
    let client = Client::from_env()?;

    let companies = client
        .companies()
        .list()
        .sort(CompanySort::Name, Direction::Asc)
        .size(10)
        .send()
        .await?;
    println!(
        "{} companies in all; the first {}:",
        companies.total_items.unwrap_or_default(),
        companies.items.len()
    );
    for company in &companies.items {
        println!("  {} {}", company.id, company.name);
    }

    let subscriptions: Vec<_> = client
        .subscriptions()
        .list()
        .size(200)
        .prefetch(4)
        .stream()
        .try_collect()
        .await?;
    println!("{} subscriptions", subscriptions.len());

    let (Some(company), Some(product)) = (
        companies.items.first(),
        client
            .products()
            .list()
            .size(1)
            .send()
            .await?
            .items
            .into_iter()
            .next(),
    ) else {
        println!("no company or product to order");
        return Ok(());
    };
    let term = BillingTerm::Monthly;
    let mut item = NewLineItem::for_product(&product, term.clone(), 1);
    if product.requires_commitment == Some(true) {
        let dependencies = client.products().dependencies(&product.id).send().await?;
        if let Some(commitment) = dependencies.commitment_for(&term) {
            item = item.commitment_term(&commitment.id);
        }
    }
    let order = NewOrder::builder(&company.id)
        .ordered_by(OrderedBy::Pax8Partner)
        .line_item(item)
        .build()?;
    client.orders().validate(&order).send().await?;
    println!("order of {} for {} validated", product.name, company.name);
    if std::env::var("PAX8_PLACE_ORDER").as_deref() == Ok("1") {
        let placed = client.orders().create(&order).send().await?;
        println!("order {} placed", placed.id);
    }
    Ok(())
}
