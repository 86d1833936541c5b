//! Issue 15: with the sandbox's latency above the attempt timeout, every create is applied by the
//! simulator while the client times out. A caller that sends again whatever `is_retryable()` calls
//! retryable must still create exactly one order (and one company) per logical request: the errors
//! say `may_have_been_applied()` and are not retryable.

use std::time::Duration;

use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use pax8::{
    Address, BillingTerm, Client, Error, NewCompany, NewLineItem, NewOrder, OrderedBy, Timeouts,
};

/// Logical requests per test.
const N: usize = 10;
/// Sends of one logical request a broken classification would make (so a regression shows as
/// `N * MAX_SENDS` objects, not as a hung test).
const MAX_SENDS: usize = 3;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(100);
const LATENCY: Duration = Duration::from_millis(300);

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(15)).await.unwrap();
    let (id, secret) = sandbox.pax8().credentials();
    let client = Client::builder()
        .client_id(id)
        .client_secret(secret)
        .environment(pax8::Environment::custom(sandbox.pax8().origin().as_str()).unwrap())
        .timeouts(Timeouts::default().attempt(ATTEMPT_TIMEOUT))
        .build()
        .unwrap();
    // The token is fetched before the latency starts (the token endpoint is slowed down too).
    client.companies().list().size(1).send().await.unwrap();
    (sandbox, client)
}

/// What a naive caller does: send again while the error says retryable, up to `MAX_SENDS`.
async fn send_until_not_retryable<T, F: Future<Output = Result<T, Error>>>(
    send: impl Fn() -> F,
) -> Result<T, Error> {
    let mut sends = 0;
    loop {
        sends += 1;
        match send().await {
            Err(err) if err.is_retryable() && sends < MAX_SENDS => continue,
            outcome => return outcome,
        }
    }
}

/// Waits (bounded) until the simulator has applied `expected` creates: the client gives up before
/// the answer, which the simulator sends only after applying the request.
async fn settled(count: impl Fn() -> usize, expected: usize) -> usize {
    for _ in 0..100 {
        if count() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    count()
}

fn assert_check_before_sending_again(err: &Error) {
    assert!(
        matches!(err, Error::Timeout { .. }),
        "still recognisable as a timeout: {err:?}"
    );
    assert!(err.may_have_been_applied(), "{err:?}");
    assert!(!err.is_retryable(), "{err:?}");
    assert_eq!(err.idempotency_key(), None, "Pax8 has no idempotency key");
    assert!(
        err.to_string()
            .contains("may have been applied: check before sending again"),
        "{err}"
    );
}

/// A valid order for the first product, as the sandbox's main-flow test builds it.
async fn an_order(client: &Client, sandbox: &Sandbox) -> NewOrder {
    let company_id = sandbox.pax8().companies()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let products = client.products().list().size(200).send().await.unwrap();
    let product = &products.items[0];
    let dependencies = client
        .products()
        .dependencies(&product.id)
        .send()
        .await
        .unwrap();
    let mut item = NewLineItem::for_product(product, BillingTerm::Monthly, 2);
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
    let order = NewOrder::builder(company_id)
        .ordered_by(OrderedBy::Pax8Partner)
        .line_item(item)
        .build()
        .unwrap();
    client.orders().validate(&order).send().await.unwrap();
    order
}

#[tokio::test]
async fn n_orders_sent_by_a_caller_that_retries_on_is_retryable_make_n_orders() {
    let (sandbox, client) = start().await;
    let order = an_order(&client, &sandbox).await;
    let before = sandbox.pax8().orders().len();
    sandbox
        .faults()
        .set(Provider::Pax8, FaultConfig::new().latency(LATENCY));

    for _ in 0..N {
        let err =
            send_until_not_retryable(|| async { client.orders().create(&order).send().await })
                .await
                .unwrap_err();
        assert_check_before_sending_again(&err);
    }

    let placed = settled(|| sandbox.pax8().orders().len() - before, N).await;
    assert_eq!(placed, N, "one order per logical request");
}

#[tokio::test]
async fn n_companies_sent_by_a_caller_that_retries_on_is_retryable_make_n_companies() {
    let (sandbox, client) = start().await;
    let before = sandbox.pax8().companies().len();
    sandbox
        .faults()
        .set(Provider::Pax8, FaultConfig::new().latency(LATENCY));

    for i in 0..N {
        let company = NewCompany::builder(
            format!("Applied Co {i}"),
            Address::new("1 Main St", "Denver", "80210", "US").state_or_province("CO"),
            "555-0100",
            "applied.example.com",
        )
        .build()
        .unwrap();
        let err =
            send_until_not_retryable(|| async { client.companies().create(&company).send().await })
                .await
                .unwrap_err();
        assert_check_before_sending_again(&err);
    }

    let created = settled(|| sandbox.pax8().companies().len() - before, N).await;
    assert_eq!(created, N, "one company per logical request");
}
