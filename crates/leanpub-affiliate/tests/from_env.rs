//! `Client::from_env()` reads the real process environment. The variables are set on a child
//! process running this same test (the workspace forbids `unsafe`, and so `std::env::set_var`).

use std::process::Command;

use leanpub_affiliate::{Client, Environment};

const CHILD: &str = "LEANPUB_FROM_ENV_TEST_CHILD";

/// Runs `test` again in a child process with `vars`, and returns whether it passed.
fn run_child(test: &str, vars: &[(&str, &str)]) -> bool {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--nocapture"])
        .env(CHILD, "1")
        .env_remove("LEANPUB_ENVIRONMENT")
        .env_remove("LEANPUB_PARTNER_ID")
        .env_remove("LEANPUB_API_KEY");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The child must have run the test, not filtered it out.
    assert!(
        stdout.contains("1 passed") || !output.status.success(),
        "{stdout}"
    );
    output.status.success()
}

#[test]
fn from_env_reads_the_environment_and_the_credentials() {
    if std::env::var(CHILD).is_ok() {
        let client = Client::from_env().unwrap();
        assert_eq!(client.environment(), &Environment::Production);
        assert_eq!(client.partner_id(), "my-shop");
        return;
    }
    assert!(run_child(
        "from_env_reads_the_environment_and_the_credentials",
        &[
            ("LEANPUB_ENVIRONMENT", "production"),
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key"),
        ],
    ));
}

#[test]
fn from_env_defaults_to_the_sandbox_and_reports_missing_values() {
    if std::env::var(CHILD).is_ok() {
        let client = Client::from_env().unwrap();
        assert_eq!(client.environment(), &Environment::Sandbox);
        let err = Client::builder().partner_id("p").build().unwrap_err();
        assert!(err.to_string().contains("LEANPUB_API_KEY"), "{err}");
        return;
    }
    assert!(run_child(
        "from_env_defaults_to_the_sandbox_and_reports_missing_values",
        &[
            ("LEANPUB_PARTNER_ID", "my-shop"),
            ("LEANPUB_API_KEY", "the-key")
        ],
    ));
    // Without the key, the child's `from_env().unwrap()` fails.
    assert!(!run_child(
        "from_env_defaults_to_the_sandbox_and_reports_missing_values",
        &[("LEANPUB_PARTNER_ID", "my-shop")],
    ));
}
