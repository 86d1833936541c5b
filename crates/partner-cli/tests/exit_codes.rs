//! Exit codes by kind, and one error line with the provider's message, status and request id.

mod common;

use std::time::Duration;

use common::{LiveSandbox, sandbox};
use partner_sandbox::{FaultConfig, Provider};

#[test]
fn the_help_lists_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let help = common::run(common::partner(dir.path()).arg("--help")).ok();
    for line in [
        "2  invalid input",
        "3  not found",
        "4  authentication",
        "5  rate limited",
        "6  the request may have been applied",
    ] {
        assert!(
            help.stdout.contains(line),
            "{line} missing:\n{}",
            help.stdout
        );
    }
}

#[test]
fn a_missing_credential_is_invalid_input_and_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let run =
        common::run(common::partner(dir.path()).args(["pax8", "companies", "list"])).fails_with(2);
    assert!(run.stderr.contains("PAX8_CLIENT_ID"), "{run:#?}");
}

#[test]
fn pax8_has_no_sandbox_environment() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::run(
        common::partner(dir.path())
            .args(["--environment", "sandbox", "pax8", "companies", "list"])
            .env("PAX8_CLIENT_ID", "id")
            .env("PAX8_CLIENT_SECRET", "secret"),
    )
    .fails_with(2);
    assert!(run.stderr.contains("--sandbox"), "{run:#?}");
}

#[test]
fn not_found_is_3_with_the_providers_message() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(dir.path(), &["pax8", "companies", "get", "no-such-company"]).fails_with(3);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:#?}");
    assert!(
        run.stderr.contains("HTTP 404") && run.stderr.contains("not found"),
        "{run:#?}"
    );
}

#[test]
fn refused_credentials_are_4() {
    let live = LiveSandbox::start();
    let run = common::run(
        live.partner()
            .args(["pax8", "companies", "list"])
            .env("PAX8_CLIENT_SECRET", "wrong"),
    )
    .fails_with(4);
    assert!(!run.stderr.contains("wrong"), "{run:#?}");
}

#[test]
fn rate_limited_after_the_retries_is_5() {
    let live = LiveSandbox::start();
    // A first call caches the token (in the config directory), so the throttle hits the API call.
    live.run(&["pax8", "companies", "list"]).ok();
    live.sandbox.faults().set(
        Provider::Pax8,
        FaultConfig::new().throttle(50, Duration::from_secs(1)),
    );
    let run = live.run(&["pax8", "companies", "list"]).fails_with(5);
    assert!(
        run.stderr.contains("rate limited") && run.stderr.contains("HTTP 429"),
        "{run:#?}"
    );
}

#[test]
fn a_write_without_an_answer_is_6_may_have_been_applied() {
    let live = LiveSandbox::start();
    live.run(&["pax8", "companies", "list"]).ok();
    // Every connection is closed without an answer: the create may have reached Pax8.
    live.sandbox
        .faults()
        .set(Provider::Pax8, FaultConfig::new().drop_rate(1.0));
    let run = live
        .run(&[
            "pax8",
            "companies",
            "create",
            "--name",
            "Lost Answer Ltd",
            "--street",
            "1 Main St",
            "--city",
            "Denver",
            "--postal-code",
            "80202",
            "--country",
            "US",
            "--phone",
            "+1 303 555 0100",
            "--website",
            "https://lost.example.com",
        ])
        .fails_with(6);
    assert!(run.stderr.contains("may have been applied"), "{run:#?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
}
