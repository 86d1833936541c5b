//! Procuret: second-factor code → session → signed instalment link → list.

use futures_util::TryStreamExt;
use partner_sandbox::Sandbox;
use procuret::{
    Client, CommunicationOption, Environment, Lifecycle, NewInstalmentLink, NewSession, Perspective,
};
use rust_decimal::Decimal;

use crate::output::{detail, section, step};

pub(crate) async fn run(sandbox: &Sandbox) -> Result<(), Box<dyn std::error::Error>> {
    section("Procuret instalment links");
    let account = sandbox.procuret().credentials();
    let client = Client::builder()
        .environment(Environment::Custom(sandbox.procuret().base_url()))
        .build()?;

    client
        .second_factor_code()
        .email(account.email)
        .passphrase(account.secret)
        .perspective(Perspective::Supplier)
        .send()
        .await?;
    // In real life the code arrives by email or SMS; the sandbox lets us read it.
    let code = sandbox
        .procuret()
        .last_second_factor_code(account.email)
        .ok_or("no second-factor code was sent")?;
    step(format!(
        "second-factor code sent to {} (it was {code})",
        account.email
    ));

    let session = client
        .sessions()
        .create(
            &NewSession::builder()
                .email(account.email)
                .passphrase(account.secret)
                .perspective(Perspective::Supplier)
                .code(code)
                .lifecycle(Lifecycle::LongLived)
                .build()
                .unwrap(),
        )
        .send()
        .await?;
    step(format!(
        "long-lived session {} (requests are now HMAC-signed)",
        session.session_id()
    ));
    let client = client.with_session(session)?;

    let new_link = NewInstalmentLink::builder()
        .supplier_id(i64::try_from(account.supplier_id)?)
        .invoice_amount(Decimal::new(1_250_000, 2)) // 12,500.00, sent as "12500.00"
        .invitee_email("accounts@customer.example")
        .invoice_identifier("INV-2026-0042")
        .communication(CommunicationOption::DoNotContact)
        .build()?;
    let link = client.instalment_links().create(&new_link).send().await?;
    step(format!(
        "instalment link {} for AUD {:.2} from {}",
        link.public_id, link.invoice_amount, account.supplier_name
    ));
    detail(format!(
        "customer URL: {}",
        link.customer_url(client.environment())?
    ));

    let links: Vec<_> = client
        .instalment_links()
        .list()
        .stream()
        .try_collect()
        .await?;
    step(format!(
        "{} instalment link(s) listed, the new one among them",
        links.len()
    ));
    if !links.iter().any(|l| l.public_id == link.public_id) {
        return Err("the new link is missing from the list".into());
    }
    Ok(())
}
