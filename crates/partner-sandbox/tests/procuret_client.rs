//! The Procuret simulator's payment series and term-rate groups, through the real `procuret` client:
//! what the simulator answers must be what the client reads.

use futures_util::TryStreamExt;
use partner_sandbox::procuret::{OTHER_SUPPLIER, ProcuretAccount, SUPPLIER};
use partner_sandbox::{Sandbox, SandboxConfig};
use procuret::{
    Client, Decimal, Denomination, EntityId, Environment, Error, Lifecycle, NewSession, Order,
    OrderBy, PaymentMechanism, PaymentSeries, Perspective, SecretString, Session,
};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::new().seed(7))
        .await
        .expect("sandbox starts")
}

fn anonymous(sandbox: &Sandbox) -> Client {
    let base = sandbox.procuret().base_url();
    Client::builder()
        .environment(Environment::custom(base.as_str()).unwrap())
        .build()
        .unwrap()
}

/// Code, then session, as a user would: the code is read where the sandbox "emailed" it.
async fn session(sandbox: &Sandbox, account: &ProcuretAccount) -> Session {
    let client = anonymous(sandbox);
    client
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
        .expect("a code was sent");
    let new = NewSession::builder()
        .email(account.email)
        .passphrase(account.secret)
        .perspective(Perspective::Supplier)
        .code(code)
        .lifecycle(Lifecycle::LongLived)
        .build()
        .unwrap();
    client.sessions().create(&new).send().await.unwrap()
}

async fn signed_in(sandbox: &Sandbox, account: &ProcuretAccount) -> Client {
    let session = session(sandbox, account).await;
    anonymous(sandbox).with_session(session).unwrap()
}

fn entity(id: u64) -> EntityId {
    EntityId::new(i64::try_from(id).unwrap())
}

fn identifiers(series: &[PaymentSeries]) -> Vec<&str> {
    series
        .iter()
        .map(|s| s.identifier.as_deref().unwrap())
        .collect()
}

async fn all_series(client: &Client) -> Vec<PaymentSeries> {
    let list = client.payment_series().list().limit(50);
    list.stream().try_collect().await.unwrap()
}

#[tokio::test]
async fn payment_series_one_page() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let page = client
        .payment_series()
        .list()
        .limit(2)
        .offset(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_items, Some(6));
    assert_eq!(identifiers(&page.items), ["INV-2002", "INV-2003"]);
    let ids = sandbox.procuret().payment_series_ids(SUPPLIER.supplier_id);
    assert_eq!(page.items[0].public_id.as_str(), ids[1]);
    let series = &page.items[0];
    let disposition = series.disposition.as_ref().unwrap();
    assert_eq!(
        (disposition.sequence, disposition.limit, disposition.offset),
        (Some(1), Some(2), Some(1))
    );
    assert_eq!(
        series.supplier.as_ref().unwrap().entity_id,
        entity(SUPPLIER.supplier_id)
    );
    assert_eq!(
        series.creating_agent.map(|a| a.get()),
        Some(SUPPLIER.agent_id as i64)
    );
    assert_eq!(series.mechanism, Some(PaymentMechanism::OnPlatform));
    let amount = series.amount.as_ref().unwrap();
    assert_eq!(amount.magnitude, Decimal::from(12_500));
    assert_eq!(amount.denomination, Denomination::Aud);
    // 12 500 over 12 months at 14.9 % a year: 1 127.64 a month (the prospective-payment price).
    let instalment = Decimal::new(112_764, 2);
    let total = series.total_payable.as_ref().unwrap().magnitude;
    assert_eq!(total, instalment * Decimal::from(12));
    let paid = series.sum_payments.as_ref().unwrap().magnitude;
    assert_eq!(paid, instalment * Decimal::from(4));
    assert!(series.created.is_some() && series.exchange_id.is_some());
}

#[tokio::test]
async fn payment_series_stream_walks_every_page_in_either_order() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let oldest_first: Vec<PaymentSeries> = client
        .payment_series()
        .list()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = oldest_first.iter().map(|s| s.public_id.as_str()).collect();
    assert_eq!(
        ids,
        sandbox.procuret().payment_series_ids(SUPPLIER.supplier_id)
    );
    assert_eq!(ids.len(), 6);
    let newest_first: Vec<PaymentSeries> = client
        .payment_series()
        .list()
        .sort(OrderBy::Created, Order::Descending)
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut reversed = identifiers(&newest_first);
    reversed.reverse();
    assert_eq!(reversed, identifiers(&oldest_first));
}

#[tokio::test]
async fn payment_series_are_the_sessions_suppliers_own() {
    let sandbox = sandbox().await;
    let other = signed_in(&sandbox, &OTHER_SUPPLIER).await;
    let series = all_series(&other).await;
    assert_eq!(identifiers(&series), ["INV-2007", "INV-2008"]);
    assert!(series.iter().all(|s| {
        s.amount.as_ref().unwrap().denomination == Denomination::Nzd
            && s.supplier.as_ref().unwrap().entity_id == entity(OTHER_SUPPLIER.supplier_id)
    }));
}

#[tokio::test]
async fn payment_series_filters() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let list = || client.payment_series().list();
    let send = |request: procuret::payment_series::ListPaymentSeries| async move {
        identifiers(&request.send().await.unwrap().items)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(send(list().completed(true)).await, ["INV-2001", "INV-2006"]);
    assert_eq!(send(list().completed(false)).await.len(), 4);
    assert_eq!(
        send(list().has_overdue_instalment(true)).await,
        ["INV-2003", "INV-2005"]
    );
    assert_eq!(send(list().min_overdue_days(20)).await, ["INV-2005"]);
    assert_eq!(
        send(list().max_overdue_days(20).has_overdue_instalment(true)).await,
        ["INV-2003"]
    );
    assert_eq!(
        send(list().payment_mechanism(PaymentMechanism::StripeSubscription)).await,
        ["INV-2003", "INV-2006"]
    );
    assert_eq!(
        send(list().text("BRIGHT dental")).await,
        ["INV-2002", "INV-2005"]
    );
    assert_eq!(send(list().text("INV-2004")).await, ["INV-2004"]);
    let all = all_series(&client).await;
    let customer = all[0].customer.as_ref().unwrap().entity_id;
    assert_eq!(
        send(list().business_id(customer)).await,
        ["INV-2001", "INV-2003"]
    );
    let method = all[2].payment_method.as_ref().unwrap()["public_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        send(list().method_id(method)).await,
        ["INV-2001", "INV-2003"]
    );
    assert_eq!(
        send(list().public_id(all[3].public_id.clone())).await,
        ["INV-2004"]
    );
    // Another supplier's series stays hidden even by its id.
    let theirs = sandbox
        .procuret()
        .payment_series_ids(OTHER_SUPPLIER.supplier_id);
    assert!(send(list().public_id(theirs[0].as_str())).await.is_empty());
}

/// A session whose api key is not the one the sandbox issued: every request is signed wrongly.
async fn wrongly_signing(sandbox: &Sandbox) -> Client {
    let real = session(sandbox, &SUPPLIER).await;
    let forged = Session::new(
        real.session_id(),
        SecretString::from("not-the-issued-api-key"),
        Lifecycle::LongLived,
    )
    .unwrap();
    anonymous(sandbox).with_session(forged).unwrap()
}

/// The client maps Procuret's 401 to `Error::Authentication`, keeping the body it answered.
fn assert_unauthenticated<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(error @ Error::Authentication { .. }) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
            let api = error.api_error().expect("the answer is kept");
            assert_eq!(api.message.as_deref(), Some("Invalid signature"));
        }
        other => panic!("expected a 401, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_signature_is_refused() {
    let sandbox = sandbox().await;
    let client = wrongly_signing(&sandbox).await;
    assert_unauthenticated(client.payment_series().list().send().await);
    let first = client
        .payment_series()
        .list()
        .stream()
        .try_collect::<Vec<_>>();
    assert_unauthenticated(first.await);
    let group = &sandbox.procuret().term_rate_group_ids(SUPPLIER.supplier_id)[0];
    assert_unauthenticated(client.term_rate_groups().get(group.as_str()).send().await);
}

#[tokio::test]
async fn term_rate_group_found() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let ids = sandbox.procuret().term_rate_group_ids(SUPPLIER.supplier_id);
    assert_eq!(ids.len(), 2);
    let active = client
        .term_rate_groups()
        .get(ids[0].as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(active.public_id.as_str(), ids[0]);
    assert_eq!(active.active, Some(true));
    let periods: Vec<u32> = active.rates.iter().map(|r| r.periods).collect();
    assert_eq!(periods, [3, 6, 12, 18, 24, 36]);
    assert!(active.rates.iter().all(|r| {
        r.periods_in_year == Some(Decimal::from(12))
            && r.supplier_entity_id == Some(entity(SUPPLIER.supplier_id))
    }));
    assert!(active.created.is_some());
    let inactive = client
        .term_rate_groups()
        .get(ids[1].as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(inactive.active, Some(false));
    assert_eq!(inactive.rates.len(), 2);
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>, what: &str) {
    match result {
        Err(error @ Error::Api(_)) => assert!(error.is_not_found(), "{what}: {error:?}"),
        other => panic!("{what}: expected a not-found error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_term_rate_group_is_not_found() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let groups = client.term_rate_groups();
    assert_not_found(groups.get("no-such-group").send().await, "unknown");
    // Another supplier's group is not this session's to read.
    let theirs = &sandbox
        .procuret()
        .term_rate_group_ids(OTHER_SUPPLIER.supplier_id)[0];
    assert_not_found(
        groups.get(theirs.as_str()).send().await,
        "another supplier's",
    );
}

#[tokio::test]
async fn hostile_term_rate_group_ids_find_nothing() {
    let sandbox = sandbox().await;
    let client = signed_in(&sandbox, &SUPPLIER).await;
    let real = sandbox.procuret().term_rate_group_ids(SUPPLIER.supplier_id)[0].clone();
    // Sent percent-encoded: none may reach the real group by smuggling a second parameter or path.
    let hostile = [
        format!("x&public_id={real}"),
        format!("{real}&public_id={real}"),
        format!("{real}#"),
        format!("../{real}"),
        format!("%{real}"),
        format!("{real}%00"),
        "?public_id=x".to_owned(),
        "zoë".to_owned(),
        "'; DROP TABLE groups; --".to_owned(),
        "a".repeat(4_000),
    ];
    for id in hostile {
        let result = client.term_rate_groups().get(id.as_str()).send().await;
        assert_not_found(result, &id);
    }
    // Refused before sending.
    for id in ["", " ", "a\nb"] {
        let result = client.term_rate_groups().get(id).send().await;
        assert!(
            matches!(result, Err(Error::InvalidInput(_))),
            "{id:?}: {result:?}"
        );
    }
}
