//! End to end against `partner-sandbox`'s Procuret simulator, through the real HTTP transport:
//! second-factor code → session → signed calls, validation before sending, paging, and the retry rules
//! (GETs retried, POSTs never repeated).

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use partner_core::ExposeSecret;
use partner_core::clock::ManualClock;
use partner_core::http::Method;
use partner_sandbox::procuret::ProcuretAccount;
use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use partner_testkit::sandbox::SandboxRecorder;
use procuret::{
    Client, CommunicationOption, Cycle, Decimal, Denomination, EntityId, Environment, Error,
    Lifecycle, NewInstalmentLink, NewSession, Order, OrderBy, Perspective, RetryPolicy,
    SecretString, Session, StatusMeaning,
};

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

struct Harness {
    sandbox: Sandbox,
    /// Without a session.
    anonymous: Client,
    recorder: Arc<SandboxRecorder>,
}

async fn start() -> Harness {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(21)).await.unwrap();
    let recorder = SandboxRecorder::new();
    let anonymous = Client::builder()
        .environment(Environment::custom(sandbox.procuret().base_url().as_str()).unwrap())
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(50)),
        )
        .transport(recorder.clone())
        .build()
        .unwrap();
    Harness {
        sandbox,
        anonymous,
        recorder,
    }
}

impl Harness {
    fn account(&self) -> &'static ProcuretAccount {
        self.sandbox.procuret().credentials()
    }

    fn supplier_id(&self) -> EntityId {
        EntityId::new(i64::try_from(self.account().supplier_id).unwrap())
    }

    /// The real flow: ask for a code, read it where the "email" went, trade it for a session.
    async fn session(&self, lifecycle: Lifecycle) -> Session {
        let account = self.account();
        self.anonymous
            .second_factor_code()
            .email(account.email)
            .passphrase(account.secret)
            .perspective(Perspective::Supplier)
            .send()
            .await
            .unwrap();
        let code = self
            .sandbox
            .procuret()
            .last_second_factor_code(account.email)
            .expect("the sandbox recorded the code");
        self.anonymous
            .sessions()
            .create(
                &NewSession::builder()
                    .email(account.email)
                    .passphrase(account.secret)
                    .perspective(Perspective::Supplier)
                    .code(code)
                    .lifecycle(lifecycle)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap()
    }

    async fn signed_in(&self, lifecycle: Lifecycle) -> Client {
        let session = self.session(lifecycle).await;
        self.anonymous.with_session(session).unwrap()
    }
}

fn amount(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Sessions and instalment links
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn code_session_and_instalment_link_lifecycle() {
    let h = start().await;
    let session = h.session(Lifecycle::LongLived).await;
    assert_eq!(session.lifecycle(), Lifecycle::LongLived);
    assert_eq!(session.perspective(), Some(Perspective::Supplier));
    assert_eq!(session.api_key().expose_secret().len(), 32);
    let client = h.anonymous.with_session(session).unwrap();

    let before = h.sandbox.procuret().instalment_link_count();
    let link = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("422.42"))
                .invitee_email("customer@example.org")
                .invoice_identifier("INV-SANDBOX-1")
                .communication(CommunicationOption::DoNotContact)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(h.sandbox.procuret().instalment_link_count(), before + 1);
    assert_eq!(link.invoice_amount, amount("422.42"));
    assert_eq!(link.invoice_identifier.as_deref(), Some("INV-SANDBOX-1"));
    assert_eq!(
        link.supplier.as_ref().map(|s| s.entity_id),
        Some(h.supplier_id())
    );
    assert!(!link.is_opened());

    let all: Vec<_> = client
        .instalment_links()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|l| l.public_id == link.public_id));

    let fetched = client
        .instalment_links()
        .get(&link.public_id)
        .send()
        .await
        .unwrap();
    assert_eq!(fetched, {
        let mut expected = link.clone();
        expected.disposition = None;
        expected
    });

    client
        .instalment_links()
        .open(&link.public_id)
        .send()
        .await
        .unwrap();
    let opened = client
        .instalment_links()
        .get(&link.public_id)
        .send()
        .await
        .unwrap();
    assert!(opened.is_opened());
    assert_eq!(opened.opens.len(), 1);
    let unopened: Vec<_> = client
        .instalment_links()
        .list()
        .opened(false)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(unopened.iter().all(|l| l.public_id != link.public_id));

    let url = client.instalment_links().customer_url(&link).unwrap();
    assert_eq!(url.query(), Some(&*format!("il={}", link.public_id)));

    let err = client
        .instalment_links()
        .get("NOSUCHLINK")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn a_nzd_link_by_phone_and_the_public_id_filter() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::LongLived).await;
    let link = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("1234.50"))
                .denomination(Denomination::Nzd)
                .invitee_phone("+64 21 555 0199")
                .invoice_identifier("INV-NZD-1")
                .communication(CommunicationOption::EmailCustomer)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(link.denomination, Some(Denomination::Nzd));
    assert_eq!(link.invoice_amount, amount("1234.5"));
    assert_eq!(link.invitee_email, None);
    assert!(link.invitee_phone_digits.is_some());

    let only = client
        .instalment_links()
        .list()
        .public_id(&link.public_id)
        .send()
        .await
        .unwrap();
    assert_eq!(only.items.len(), 1);
    assert_eq!(only.items[0].public_id, link.public_id);
    let disposition = only.items[0].disposition.as_ref().unwrap();
    assert_eq!(
        (disposition.count, disposition.sequence),
        (Some(1), Some(0))
    );

    // Another supplier's id is refused by the service, not hidden.
    let err = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(i64::try_from(h.sandbox.procuret().accounts()[1].supplier_id).unwrap())
                .invoice_amount(amount("10"))
                .invitee_email("x@example.org")
                .invoice_identifier("INV-OTHER")
                .communication(CommunicationOption::DoNotContact)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        StatusMeaning::of(&err),
        Some(StatusMeaning::NotAuthorised),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_short_lived_session_sends_its_raw_key() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::ShortLived).await;
    assert_eq!(client.session().unwrap().lifecycle(), Lifecycle::ShortLived);
    let page = client
        .instalment_links()
        .list()
        .limit(3)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
    let link = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("1000"))
                .invitee_email("short@example.org")
                .invoice_identifier("INV-SHORT-1")
                .communication(CommunicationOption::EmailCustomer)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(link.invoice_amount, amount("1000"));
}

#[tokio::test]
async fn a_wrong_key_is_an_authentication_error() {
    let h = start().await;
    let real = h.session(Lifecycle::LongLived).await;
    let forged = Session::new(
        real.session_id(),
        SecretString::from("not-the-key-the-sandbox-issued-00"),
        Lifecycle::LongLived,
    )
    .unwrap();
    let client = h.anonymous.with_session(forged).unwrap();
    let err = client.instalment_links().list().send().await.unwrap_err();
    match &err {
        Error::Authentication { api: Some(api), .. } => {
            assert_eq!(api.status.as_u16(), 401);
            assert_eq!(api.message.as_deref(), Some("Invalid signature"));
        }
        other => panic!("expected an authentication error, got {other:?}"),
    }
    assert_eq!(
        StatusMeaning::of(&err),
        Some(StatusMeaning::NotAuthenticated)
    );

    // An unknown session id is refused the same way.
    let unknown =
        Session::new(42, SecretString::from("whatever-key"), Lifecycle::LongLived).unwrap();
    let err = h
        .anonymous
        .with_session(unknown)
        .unwrap()
        .instalment_links()
        .get("ABCDEFGHIJ")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
}

#[tokio::test]
async fn a_stored_session_works_in_a_new_client_and_signatures_follow_the_clock() {
    let h = start().await;
    let session = h.session(Lifecycle::LongLived).await;
    let stored = serde_json::to_string(&session).unwrap();
    let restored: Session = serde_json::from_str(&stored).unwrap();
    let environment = Environment::custom(h.sandbox.procuret().base_url().as_str()).unwrap();

    let client = Client::builder()
        .environment(environment.clone())
        .session(restored.clone())
        .build()
        .unwrap();
    assert_eq!(
        client
            .instalment_links()
            .list()
            .limit(2)
            .send()
            .await
            .unwrap()
            .items
            .len(),
        2
    );

    // Signatures are dated: one made an hour ago (four 900 s windows back) is refused.
    let an_hour_ago = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 3600;
    let stale = Client::builder()
        .environment(environment)
        .session(restored)
        .clock(Arc::new(ManualClock::at_unix(an_hour_ago)))
        .build()
        .unwrap();
    let err = stale.instalment_links().list().send().await.unwrap_err();
    match &err {
        Error::Authentication { api: Some(api), .. } => {
            assert_eq!(api.message.as_deref(), Some("Invalid signature"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_amounts_are_refused_before_sending() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::LongLived).await;
    let before = h.sandbox.procuret().instalment_link_count();
    let posts_before = h
        .recorder
        .attempts(&Method::POST, "/api/instalment-link")
        .len();
    for bad in ["-5", "0", "12.345", "0.001"] {
        let err = NewInstalmentLink::builder()
            .supplier_id(h.supplier_id())
            .invoice_amount(amount(bad))
            .invitee_email("customer@example.org")
            .invoice_identifier("INV-BAD")
            .communication(CommunicationOption::DoNotContact)
            .build()
            .unwrap_err();
        match err {
            Error::InvalidInput(input) => assert_eq!(input.field, "invoice_amount", "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    let err = client
        .prospective_payments()
        .get()
        .supplier_id(h.supplier_id())
        .principal(amount("-1000"))
        .periods(12)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");

    assert_eq!(h.sandbox.procuret().instalment_link_count(), before);
    assert_eq!(
        h.recorder
            .attempts(&Method::POST, "/api/instalment-link")
            .len(),
        posts_before,
        "nothing was sent"
    );
}

#[tokio::test]
async fn prospective_payments_are_decimals() {
    let h = start().await;
    // No session needed.
    let quote = h
        .anonymous
        .prospective_payments()
        .get()
        .supplier_id(h.supplier_id())
        .principal(amount("10000"))
        .cycle(Cycle::Arrears)
        .periods(12)
        .send()
        .await
        .unwrap();
    assert_eq!(quote.periods, 12);
    assert_eq!(quote.payment, amount("902.11"));
    assert!(quote.payment.scale() <= 2);

    // Signed, and the whole menu of terms.
    let client = h.signed_in(Lifecycle::LongLived).await;
    let advance = client
        .prospective_payments()
        .get()
        .supplier_id(h.supplier_id())
        .principal(amount("10000"))
        .cycle(Cycle::Advance)
        .periods(12)
        .send()
        .await
        .unwrap();
    assert!(advance.payment < quote.payment, "{advance:?} vs {quote:?}");
    let menu = client
        .prospective_payments()
        .list()
        .supplier_id(h.supplier_id())
        .principal(amount("2500.50"))
        .send()
        .await
        .unwrap();
    let mut periods: Vec<_> = menu.items.iter().map(|q| q.periods).collect();
    periods.sort_unstable();
    assert_eq!(periods, [3, 6, 12, 18, 24, 36]);
    assert!(menu.items.iter().all(|q| q.payment > Decimal::ZERO));
}

#[tokio::test]
async fn the_list_stream_walks_every_page() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::LongLived).await;
    for i in 0..6 {
        client
            .instalment_links()
            .create(
                &NewInstalmentLink::builder()
                    .supplier_id(h.supplier_id())
                    .invoice_amount(Decimal::new(50_000 + i, 2))
                    .invitee_email(format!("page{i}@example.org"))
                    .invoice_identifier(format!("INV-PAGE-{i}"))
                    .communication(CommunicationOption::DoNotContact)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    // 5 seeded links of this supplier + 6 new ones, 3 per page: 4 pages, the last one short.
    let gets_before = h
        .recorder
        .attempts(&Method::GET, "/api/instalment-link/list")
        .len();
    let all: Vec<_> = client
        .instalment_links()
        .list()
        .sort(OrderBy::Created, Order::Ascending)
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 11);
    assert_eq!(
        h.recorder
            .attempts(&Method::GET, "/api/instalment-link/list")
            .len()
            - gets_before,
        4
    );
    let mut ids: Vec<_> = all.iter().map(|l| l.public_id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 11, "no link twice");
    let created: Vec<_> = all.iter().map(|l| l.created).collect();
    let mut sorted = created.clone();
    sorted.sort();
    assert_eq!(created, sorted, "oldest first");
    let last = all.last().unwrap().disposition.as_ref().unwrap();
    assert_eq!(last.count, Some(11));
    assert_eq!(last.sequence, Some(10));

    let newest_first: Vec<_> = client
        .instalment_links()
        .list()
        .sort(OrderBy::Created, Order::Descending)
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        newest_first[0].invoice_identifier.as_deref(),
        Some("INV-PAGE-5")
    );
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_get_is_retried_after_503_and_a_post_is_not() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::LongLived).await;

    // GET: two 503s, then the answer.
    h.sandbox.faults().set(
        Provider::Procuret,
        FaultConfig::new().error_rate(1.0).error_status(503),
    );
    h.recorder.heal_after(
        "/api/instalment-link/list",
        2,
        h.sandbox.faults(),
        Provider::Procuret,
    );
    let before = h
        .recorder
        .attempts(&Method::GET, "/api/instalment-link/list")
        .len();
    let page = client
        .instalment_links()
        .list()
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        h.recorder
            .attempts(&Method::GET, "/api/instalment-link/list")
            .len()
            - before,
        3
    );

    // POST: one attempt, the 503 comes back, nothing was created.
    h.sandbox.faults().set(
        Provider::Procuret,
        FaultConfig::new().error_rate(1.0).error_status(503),
    );
    let links_before = h.sandbox.procuret().instalment_link_count();
    let err = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("750"))
                .invitee_email("retry@example.org")
                .invoice_identifier("INV-RETRY")
                .communication(CommunicationOption::DoNotContact)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(StatusMeaning::of(&err), Some(StatusMeaning::Disruption));
    assert_eq!(
        h.recorder
            .attempts(&Method::POST, "/api/instalment-link")
            .len(),
        1
    );
    assert_eq!(h.sandbox.procuret().instalment_link_count(), links_before);

    // Not even a 429 repeats a POST: Procuret has no idempotency keys.
    h.sandbox.faults().set(
        Provider::Procuret,
        FaultConfig::new().throttle(1, Duration::from_secs(1)),
    );
    let err = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("750"))
                .invitee_email("retry@example.org")
                .invoice_identifier("INV-RETRY")
                .communication(CommunicationOption::DoNotContact)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(
        h.recorder
            .attempts(&Method::POST, "/api/instalment-link")
            .len(),
        2
    );
    assert_eq!(h.sandbox.procuret().instalment_link_count(), links_before);
}

#[tokio::test]
async fn a_dropped_connection_repeats_a_get_but_not_a_post() {
    let h = start().await;
    let client = h.signed_in(Lifecycle::LongLived).await;

    h.sandbox
        .faults()
        .set(Provider::Procuret, FaultConfig::new().drop_rate(1.0));
    h.recorder.heal_after(
        "/api/instalment-link/list",
        1,
        h.sandbox.faults(),
        Provider::Procuret,
    );
    let page = client
        .instalment_links()
        .list()
        .limit(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        h.recorder
            .attempts(&Method::GET, "/api/instalment-link/list")
            .len(),
        2
    );

    h.sandbox
        .faults()
        .set(Provider::Procuret, FaultConfig::new().drop_rate(1.0));
    let err = client
        .instalment_links()
        .create(
            &NewInstalmentLink::builder()
                .supplier_id(h.supplier_id())
                .invoice_amount(amount("600"))
                .invitee_email("dropped@example.org")
                .invoice_identifier("INV-DROP")
                .communication(CommunicationOption::DoNotContact)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Transport(transport) => assert!(!transport.is_before_send(), "{transport:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h.recorder
            .attempts(&Method::POST, "/api/instalment-link")
            .len(),
        1
    );
}
