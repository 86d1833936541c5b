//! The tour is the README's first command: it must keep working.

use std::process::Command;

#[test]
fn the_tour_runs_every_flow_to_the_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_partner-tour"))
        .output()
        .expect("the tour starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the tour failed:\n{stdout}\n{stderr}"
    );
    for expected in [
        "== PayPal partner onboarding ==",
        "registered through the API for PAYMENT.CAPTURE.COMPLETED",
        "lookup before sign-up: pending",
        "onboarding status: ready: PayPal buttons and cards",
        "approved by the buyer, authorized as",
        "captured in full (final) as",
        "USD 80.00, platform fee USD 4.00",
        "webhook PAYMENT.CAPTURE.COMPLETED for",
        "verified locally (PayPal's signature",
        "== Pax8 partner API ==",
        "sorted by name (sort=name,asc)",
        "validated by Pax8 (isMock=true)",
        "line items added in the section",
        "shared with buyer@client.example.com",
        "quote total: USD 220.00 a month, USD 500.00 up front",
        "quote status counts: 2 draft, 0 sent, 1 accepted",
        "== Procuret instalment links ==",
        "requests are now HMAC-signed",
        "the new one among them",
        "== Leanpub partner discounts ==",
        "discount request acknowledged",
        "invalid request rejected before sending",
        "All four flows completed",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}
