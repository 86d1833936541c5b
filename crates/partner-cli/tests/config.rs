//! `partner config`: profiles that feed the clients, private on disk, secrets never printed.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{LiveSandbox, partner, run};

#[test]
fn set_show_unset_and_path() {
    let dir = tempfile::tempdir().unwrap();
    run(partner(dir.path()).args(["config", "set", "PAX8_CLIENT_ID", "id-from-profile"])).ok();
    let show = run(partner(dir.path()).args(["--json", "config", "show"])).ok();
    let rows = show.json_lines();
    let id = rows.iter().find(|r| r["name"] == "PAX8_CLIENT_ID").unwrap();
    assert_eq!(id["value"], "id-from-profile");
    assert_eq!(id["source"], "profile");
    let unset = rows
        .iter()
        .find(|r| r["name"] == "PAYPAL_CLIENT_ID")
        .unwrap();
    assert!(unset["value"].is_null());

    let path = run(partner(dir.path()).args(["config", "path"])).ok();
    assert_eq!(
        path.stdout.trim(),
        dir.path().join("config.toml").to_str().unwrap()
    );

    run(partner(dir.path()).args(["config", "unset", "PAX8_CLIENT_ID"])).ok();
    let after = run(partner(dir.path()).args(["--json", "config", "show"])).ok();
    let id = after
        .json_lines()
        .into_iter()
        .find(|r| r["name"] == "PAX8_CLIENT_ID")
        .unwrap();
    assert!(id["value"].is_null());
}

#[test]
fn secrets_are_read_from_stdin_stored_privately_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = partner(dir.path())
        .args(["config", "set", "PAX8_CLIENT_SECRET"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"very-secret-value\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");

    let file = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(file.contains("very-secret-value"), "stored as typed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("config.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the profiles file is private");
    }
    for args in [&["config", "show"][..], &["--json", "config", "show"][..]] {
        let show = run(partner(dir.path()).args(args)).ok();
        assert!(!show.stdout.contains("very-secret-value"), "{show:#?}");
        assert!(show.stdout.contains("(set, hidden)"), "{show:#?}");
    }
}

#[test]
fn unknown_settings_and_empty_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let typo = run(partner(dir.path()).args(["config", "set", "PAX8_CLIENTID", "x"])).fails_with(2);
    assert!(typo.stderr.contains("PAX8_CLIENT_ID"), "{typo:#?}");
    run(partner(dir.path()).args(["config", "set", "PAX8_CLIENT_ID", "  "])).fails_with(2);
    assert!(!dir.path().join("config.toml").exists(), "nothing written");
}

#[test]
fn a_profile_feeds_the_client_and_the_environment_wins_over_it() {
    let live = LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    // The sandbox's Pax8 settings, kept in profile `lab` instead of exported.
    for (name, value) in live.sandbox.client_env() {
        if name.starts_with("PAX8_") {
            run(partner(dir.path()).args(["--profile", "lab", "config", "set", name, &value])).ok();
        }
    }
    let companies =
        run(partner(dir.path()).args(["--profile", "lab", "--json", "pax8", "companies", "list"]))
            .ok()
            .json_lines();
    assert!(!companies.is_empty());

    // Another profile has nothing: the missing variable is named, nothing is sent.
    let missing = run(partner(dir.path()).args(["pax8", "companies", "list"])).fails_with(2);
    assert!(missing.stderr.contains("PAX8_CLIENT_ID"), "{missing:#?}");

    // The environment wins over the profile: another client id there is refused by the provider
    // (the token cached for the profile's client id is not used for it).
    let refused = run(partner(dir.path())
        .args(["--profile", "lab", "pax8", "companies", "list"])
        .env("PAX8_CLIENT_ID", "another-client")
        .env("PAX8_CLIENT_SECRET", "not-the-secret"))
    .fails_with(4);
    assert!(!refused.stderr.contains("not-the-secret"), "{refused:#?}");
}
