//! Leanpub: a sandbox discount request acknowledged; an invalid one rejected before sending.

use leanpub_affiliate::{Client, DiscountRequest, Environment, Recipient};
use partner_sandbox::Sandbox;
use partner_sandbox::leanpub::{PRODUCT_IDS, SANDBOX_PARTNER_ID, SANDBOX_PARTNER_ORIGINS};

use crate::output::{detail, section, step};

pub(crate) async fn run(sandbox: &Sandbox) -> Result<(), Box<dyn std::error::Error>> {
    section("Leanpub partner discounts");
    let client = Client::builder()
        .api_key(sandbox.leanpub().api_key())
        .partner_id(SANDBOX_PARTNER_ID)
        .environment(Environment::Custom(
            sandbox.leanpub().endpoint_url().join(".")?,
        ))
        .build()?;

    let body = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[0])
        .origin(SANDBOX_PARTNER_ORIGINS[0])
        .transaction_id("order-2026-0042")
        .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
        .build()?; // sandbox unless the client's environment is Production
    let ack = client.discounts().request(body).send().await?;
    step(format!(
        "discount request acknowledged (request id {})",
        ack.request_id.as_deref().unwrap_or("?")
    ));
    detail("acknowledged means scheduled: no coupon or email is confirmed yet");

    let before = sandbox.leanpub().accepted_requests().len();
    let invalid = DiscountRequest::builder()
        .product_id(PRODUCT_IDS[0])
        .origin(SANDBOX_PARTNER_ORIGINS[0])
        .recipient(Recipient::new("Łukasz", "Nowak", "lukasz@example.com"))
        .build();
    match invalid {
        Err(err) => step(format!("invalid request rejected before sending: {err}")),
        Ok(_) => return Err("a name outside Latin-1 was accepted".into()),
    }
    if sandbox.leanpub().accepted_requests().len() != before {
        return Err("the invalid request reached the service".into());
    }
    Ok(())
}
