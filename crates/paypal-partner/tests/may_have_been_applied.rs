//! Issue 15: an order create that times out (the sandbox applies it, then answers too late) exposes
//! the `PayPal-Request-Id` it was sent with; a caller that resends with that key, as the error's
//! `is_retryable()` allows, creates no second order.

use std::time::Duration;

use partner_core::Timeouts;
use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use paypal_partner::orders::{OrderRequest, PurchaseUnitRequest};
use paypal_partner::{Client, Error, IdempotencyKey, Money, RetryPolicy};

/// Logical orders.
const N: usize = 3;
/// Sends of one logical order by the caller.
const MAX_SENDS: usize = 3;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(100);
const LATENCY: Duration = Duration::from_millis(300);

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(15)).await.unwrap();
    let creds = sandbox.paypal().credentials();
    let client = Client::builder()
        .client_id(&creds.client_id)
        .client_secret(creds.client_secret.as_str())
        .partner_merchant_id(&creds.partner_id)
        .bn_code(&creds.bn_code)
        .environment(paypal_partner::Environment::Custom(
            sandbox.paypal().base_url(),
        ))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(10)),
        )
        .timeouts(Timeouts::default().attempt(ATTEMPT_TIMEOUT))
        .build()
        .unwrap();
    // The token is fetched before the latency starts (the token endpoint is slowed down too).
    let err = client
        .orders()
        .get("NO-SUCH-ORDER")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    (sandbox, client)
}

fn order() -> OrderRequest {
    OrderRequest::capture(PurchaseUnitRequest::new(
        Money::parse("USD", "19.99").unwrap(),
    ))
}

/// Sends the order as a caller that trusts `is_retryable()` would: again while it says so, with the
/// idempotency key the error names.
async fn send_with_resends(client: &Client, order: &OrderRequest) -> (Error, IdempotencyKey) {
    let mut key: Option<IdempotencyKey> = None;
    let mut sends = 0;
    loop {
        sends += 1;
        let mut create = client.orders().create(order);
        if let Some(key) = &key {
            create = create.idempotency_key(key.clone());
        }
        let err = create.send().await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(!err.may_have_been_applied(), "keyed: {err:?}");
        assert!(err.is_retryable(), "resend with the same key: {err:?}");
        let used = err
            .idempotency_key()
            .expect("the key it was sent with")
            .clone();
        if let Some(key) = &key {
            assert_eq!(&used, key, "the resend used the key from the error");
        }
        key = Some(used);
        if sends == MAX_SENDS {
            return (err, key.unwrap());
        }
    }
}

#[tokio::test]
async fn an_order_resent_with_the_key_from_its_error_is_created_once() {
    let (sandbox, client) = start().await;
    let before = sandbox.paypal().order_count();
    let order = order();

    let mut keys = Vec::new();
    for _ in 0..N {
        sandbox
            .faults()
            .set(Provider::Paypal, FaultConfig::new().latency(LATENCY));
        let (_, key) = send_with_resends(&client, &order).await;

        // Once PayPal answers in time, the same key gives the first order back.
        sandbox.faults().clear_provider(Provider::Paypal);
        let created = client
            .orders()
            .create(&order)
            .idempotency_key(key.clone())
            .send()
            .await
            .unwrap();
        assert!(!created.id.as_str().is_empty(), "{created:?}");
        keys.push(key);
    }

    keys.dedup();
    assert_eq!(keys.len(), N, "each logical order has a key of its own");
    assert_eq!(
        sandbox.paypal().order_count() - before,
        N,
        "one order per logical request, however often it was sent"
    );
}
