//! Issue 15: with the sandbox's latency above the attempt timeout, every instalment link is created
//! by the simulator while the client times out. A caller that sends again whatever `is_retryable()`
//! calls retryable must still create exactly one link per logical request: the errors say
//! `may_have_been_applied()` and are not retryable.

use std::str::FromStr;
use std::time::Duration;

use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use procuret::{
    Client, CommunicationOption, Decimal, Environment, Error, Lifecycle, Perspective, Timeouts,
};

/// Logical requests.
const N: usize = 10;
/// Sends of one logical request a broken classification would make (so a regression shows as
/// `N * MAX_SENDS` links, not as a hung test).
const MAX_SENDS: usize = 3;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(100);
const LATENCY: Duration = Duration::from_millis(300);

/// A client with a long-lived session, made before any latency is injected.
async fn signed_in(sandbox: &Sandbox) -> Client {
    let account = sandbox.procuret().credentials();
    let anonymous = Client::builder()
        .environment(Environment::custom(sandbox.procuret().base_url().as_str()).unwrap())
        .timeouts(Timeouts::default().attempt(ATTEMPT_TIMEOUT))
        .build()
        .unwrap();
    anonymous
        .second_factor_code()
        .email(account.email)
        .passphrase(account.secret)
        .perspective(Perspective::Supplier)
        .send()
        .await
        .unwrap();
    let code = sandbox
        .procuret()
        .last_second_factor_code(account.email)
        .unwrap();
    let session = anonymous
        .sessions()
        .create(
            &procuret::NewSession::builder()
                .email(account.email)
                .passphrase(account.secret)
                .perspective(Perspective::Supplier)
                .code(code)
                .lifecycle(Lifecycle::LongLived)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    anonymous.with_session(session).unwrap()
}

#[tokio::test]
async fn n_links_sent_by_a_caller_that_retries_on_is_retryable_make_n_links() {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(15)).await.unwrap();
    let client = signed_in(&sandbox).await;
    let supplier_id = i64::try_from(sandbox.procuret().credentials().supplier_id).unwrap();
    let before = sandbox.procuret().instalment_link_count();
    sandbox
        .faults()
        .set(Provider::Procuret, FaultConfig::new().latency(LATENCY));

    for i in 0..N {
        let invoice = format!("INV-APPLIED-{i}");
        let create = || async {
            client
                .instalment_links()
                .create(
                    &procuret::NewInstalmentLink::builder()
                        .supplier_id(supplier_id)
                        .invoice_amount(Decimal::from_str("250.00").unwrap())
                        .invitee_email("applied@example.org")
                        .invoice_identifier(invoice.as_str())
                        .communication(CommunicationOption::DoNotContact)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
        };
        // What a naive caller does: send again while the error says retryable.
        let mut sends = 0;
        let err = loop {
            sends += 1;
            match create().await {
                Err(err) if err.is_retryable() && sends < MAX_SENDS => continue,
                outcome => break outcome.unwrap_err(),
            }
        };
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(err.may_have_been_applied(), "{err:?}");
        assert!(!err.is_retryable(), "{err:?}");
        assert!(
            err.to_string()
                .contains("may have been applied: check before sending again"),
            "{err}"
        );
    }

    // The simulator answers only after applying; wait (bounded) for the last one.
    let created = || sandbox.procuret().instalment_link_count() - before;
    for _ in 0..100 {
        if created() >= N {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(created(), N, "one instalment link per logical request");
}
