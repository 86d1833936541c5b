//! Pax8: companies filtered and sorted, every subscription streamed across pages, an order placed.

use futures_util::TryStreamExt;
use partner_sandbox::Sandbox;
use pax8::{
    BillingTerm, Client, CompanySort, Direction, Environment, NewLineItem, NewOrder, OrderedBy,
    ProvisioningValue,
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
    Ok(())
}
