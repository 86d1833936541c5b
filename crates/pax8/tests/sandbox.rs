//! End to end against `partner-sandbox`'s Pax8 simulator: the main flow through the real transport.

use futures_util::TryStreamExt;
use partner_sandbox::{Sandbox, SandboxConfig};
use pax8::webhooks::WebhookFilter;
use pax8::{
    Address, BillingTerm, Client, CompanySort, Direction, NewCompany, NewContact, NewLineItem,
    NewOrder, NewWebhook, OrderedBy, TopicSubscription,
};

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

#[tokio::test]
async fn main_flow() {
    let (sandbox, client) = start().await;

    let page = client
        .companies()
        .list()
        .sort(CompanySort::Name, Direction::Asc)
        .size(5)
        .send()
        .await
        .unwrap();
    assert!(!page.items.is_empty());
    let names: Vec<_> = page.items.iter().map(|c| c.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sort=name,asc");

    let all: Vec<_> = client
        .companies()
        .list()
        .size(3)
        .prefetch(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), sandbox.pax8().companies().len());

    let subscriptions: Vec<_> = client
        .subscriptions()
        .list()
        .size(7)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(subscriptions.len(), sandbox.pax8().subscriptions().len());

    let products: Vec<_> = client
        .products()
        .list()
        .size(200)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!products.is_empty());
    let product = &products[0];
    let detail = client.products().get(&product.id).send().await.unwrap();
    assert_eq!(detail.id, product.id);
    let dependencies = client
        .products()
        .dependencies(&product.id)
        .send()
        .await
        .unwrap();

    let company = &page.items[0];
    let term = BillingTerm::Monthly;
    let mut item = NewLineItem::for_product(product, term.clone(), 2);
    if product.requires_commitment == Some(true)
        && let Some(commitment) = dependencies
            .commitment_for(&BillingTerm::Annual)
            .or_else(|| dependencies.commitment_dependencies.first())
    {
        item = NewLineItem::for_product(product, BillingTerm::Annual, 2)
            .commitment_term(&commitment.id);
    }
    let provision = client
        .products()
        .provision_details(&product.id)
        .send()
        .await
        .unwrap();
    for detail in provision {
        let value = detail
            .possible_values
            .as_ref()
            .and_then(|v| v.first().cloned())
            .unwrap_or_else(|| "value".to_owned());
        item = item.provisioning_detail(pax8::ProvisioningValue::new(detail.key, [value]));
    }
    let order = NewOrder::builder(&company.id)
        .ordered_by(OrderedBy::Pax8Partner)
        .line_item(item)
        .build()
        .unwrap();
    client.orders().validate(&order).send().await.unwrap();
    let placed = client.orders().create(&order).send().await.unwrap();
    let fetched = client.orders().get(&placed.id).send().await.unwrap();
    assert_eq!(fetched.id, placed.id);
    assert_eq!(fetched.line_items.len(), 1);
}

#[tokio::test]
async fn companies_contacts_and_webhooks() {
    let (_sandbox, client) = start().await;
    let company = client
        .companies()
        .create(
            &NewCompany::builder(
                "Rust Test Co",
                Address::new("1 Main St", "Denver", "80210", "US").state_or_province("CO"),
                "555-0100",
                "rust.example.com",
            )
            .contact(
                NewContact::builder("Ann", "Lee", "ann@rust.example.com", "555-0101")
                    .primary_for_all()
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let contacts = client.contacts(&company.id).list().send().await.unwrap();
    assert_eq!(contacts.items.len(), 1);
    let contact = &contacts.items[0];
    let updated = client
        .contacts(&company.id)
        .modify(&contact.id, |c| c.phone = "555-0199".into())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.phone.as_deref(), Some("555-0199"));

    let hook = client
        .webhooks()
        .create(
            &NewWebhook::builder("Rust test", "http://127.0.0.1:9/hook")
                .authorization("shared-secret")
                .topic(TopicSubscription::new("INVOICE").filter(WebhookFilter::action("CREATED")))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let listed: Vec<_> = client
        .webhooks()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(listed.iter().any(|w| w.id == hook.id));
    let definitions = client.webhooks().topic_definitions().send().await.unwrap();
    assert!(!definitions.items.is_empty());
    client.webhooks().delete(&hook.id).send().await.unwrap();
    let err = client.webhooks().get(&hook.id).send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
