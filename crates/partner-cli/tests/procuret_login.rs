//! `partner procuret login` and `logout`: the interactive sign-in in a pseudo-terminal against a
//! live sandbox, the sealed session the next commands use, and the refusals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{LiveSandbox, run, sandbox};
use partner_sandbox::{Provider, SandboxConfig};

/// A key that is not the one the session was sealed with (base64 of 32 bytes).
const OTHER_KEY: &str = "HxwdHhscGRoYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=";

fn session_file(config_dir: &Path) -> PathBuf {
    config_dir.join("procuret").join("default.session")
}

/// What a pseudo-terminal session printed, and how the program ended.
struct Transcript {
    output: String,
    status: String,
}

/// Runs `command` (a `partner procuret login`) in a pseudo-terminal and answers its prompts;
/// `code` gives the second-factor code once it has been sent, from what was printed so far.
fn sign_in(
    command: Command,
    email: &str,
    passphrase: &str,
    code: impl FnOnce(&str) -> String,
) -> Transcript {
    let mut p = rexpect::session::spawn_command(command, Some(30_000)).expect("a pty");
    let mut output = p.exp_string("perspective: ").unwrap();
    p.send_line("1").unwrap();
    output.push_str(&p.exp_string("lifecycle [2]: ").unwrap());
    p.send_line("").unwrap();
    output.push_str(&p.exp_string("email: ").unwrap());
    p.send_line(email).unwrap();
    output.push_str(&p.exp_string("passphrase: ").unwrap());
    p.send_line(passphrase).unwrap();
    output.push_str(&p.exp_string("code: ").unwrap());
    p.send_line(&code(&output)).unwrap();
    output.push_str(&p.exp_eof().unwrap());
    let status = format!("{:?}", p.process().wait().unwrap());
    Transcript { output, status }
}

#[test]
fn login_stores_a_sealed_session_that_later_commands_use_until_logout() {
    let live = LiveSandbox::start();
    let account = live.sandbox.procuret().credentials();
    let mut login = live.partner();
    login.args(["procuret", "login", "--entity-id", "589121125121"]);
    let procuret = live.sandbox.procuret().clone();
    let transcript = sign_in(login, account.email, account.secret, |_| {
        procuret
            .last_second_factor_code(account.email)
            .expect("the code was sent")
    });
    assert!(
        transcript.status.contains(", 0)"),
        "exit status {}; output {}",
        transcript.status,
        transcript.output
    );
    // The passphrase is not echoed, and no part of the session is printed.
    assert!(
        !transcript.output.contains(account.secret),
        "{}",
        transcript.output
    );
    assert!(
        transcript.output.contains("stored encrypted in"),
        "{}",
        transcript.output
    );

    let dir = live.config_dir.path();
    let sealed = std::fs::read(session_file(dir)).expect("the session file");
    assert!(sealed.starts_with(b"PCS1"));
    assert!(dir.join("session.key").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(session_file(dir))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The stored session signs the next commands; the entity given at login is the supplier.
    let before = live.sandbox.procuret().instalment_link_count();
    let created = live
        .run(&[
            "--json",
            "procuret",
            "link",
            "create",
            "--amount",
            "422.42",
            "--email",
            "customer@example.org",
            "--invoice",
            "T055",
        ])
        .ok()
        .json();
    assert_eq!(live.sandbox.procuret().instalment_link_count(), before + 1);
    assert_eq!(created["invoice_amount"], "422.42");
    assert_eq!(created["supplier"]["entity_id"], 589121125121_i64);
    let id = created["public_id"].as_str().unwrap().to_owned();
    let listed = live
        .run(&["--json", "procuret", "links", "list", "--all"])
        .ok()
        .json_lines();
    assert!(listed.iter().any(|l| l["public_id"] == id.as_str()));

    // A session is refused against another environment, before anything is sent.
    let elsewhere = run(live
        .partner()
        .env("PROCURET_ENVIRONMENT", "demo")
        .args(["procuret", "links", "list"]))
    .fails_with(2);
    assert!(elsewhere.stderr.contains("was made for"), "{elsewhere:#?}");

    // Another key cannot open it.
    let other_key = run(live
        .partner()
        .env("PARTNER_SESSION_KEY", OTHER_KEY)
        .args(["procuret", "links", "list"]))
    .fails_with(4);
    assert!(
        other_key
            .stderr
            .contains("stored session cannot be read with this key: log in again"),
        "{other_key:#?}"
    );

    let logout = live.run(&["procuret", "logout"]).ok();
    assert!(logout.stderr.contains("Signed out"), "{logout:#?}");
    assert!(!session_file(dir).exists());
    let again = live.run(&["procuret", "logout"]).ok();
    assert!(again.stderr.contains("no stored session"), "{again:#?}");

    let signed_out = live.run(&["procuret", "links", "list"]).fails_with(4);
    assert!(
        signed_out
            .stderr
            .contains("not signed in: run `partner procuret login`"),
        "{signed_out:#?}"
    );
}

#[test]
fn a_wrong_code_is_an_authentication_failure_and_nothing_is_stored() {
    let live = LiveSandbox::start();
    let account = live.sandbox.procuret().credentials();
    let mut login = live.partner();
    login.args(["procuret", "login"]);
    let transcript = sign_in(login, account.email, account.secret, |_| {
        "000000".to_owned()
    });
    assert!(
        transcript.status.contains(", 4)"),
        "exit status {}; output {}",
        transcript.status,
        transcript.output
    );
    assert!(!session_file(live.config_dir.path()).exists());
}

#[test]
fn login_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(common::partner(dir.path())
        .args(["procuret", "login"])
        .stdin(std::process::Stdio::null()))
    .fails_with(2);
    assert!(run.stderr.contains("must be run in a terminal"), "{run:#?}");
    assert!(!session_file(dir.path()).exists());
}

#[test]
fn a_sandbox_login_shows_the_code_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut login = common::partner(dir.path());
    login.args(["--sandbox", "procuret", "login"]);
    let transcript = sign_in(
        login,
        "supplier@sandbox.procuret.test",
        "sandbox-procuret-secret",
        |output| {
            let (_, code) = output
                .split_once("(sandbox: the code is ")
                .expect("the code is shown");
            code.chars().take_while(char::is_ascii_digit).collect()
        },
    );
    assert!(
        transcript.status.contains(", 0)"),
        "exit status {}; output {}",
        transcript.status,
        transcript.output
    );
    assert!(
        transcript.output.contains("not stored"),
        "{}",
        transcript.output
    );
    assert!(!session_file(dir.path()).exists());
    assert!(!dir.path().join("session.key").exists());
}

#[test]
fn sandbox_commands_never_touch_the_stored_session() {
    let dir = tempfile::tempdir().unwrap();
    sandbox(dir.path(), &["procuret", "links", "list"]).ok();
    let logout = sandbox(dir.path(), &["procuret", "logout"]).ok();
    assert!(logout.stderr.contains("never stored"), "{logout:#?}");
    assert!(!dir.path().join("procuret").exists());
}

#[test]
fn the_session_variables_win_over_the_stored_session() {
    let live = LiveSandbox::start();
    // Not a session the simulator knows: used (and refused by Procuret) rather than "not signed in".
    let run = run(live
        .partner()
        .env("PROCURET_SESSION_ID", "12345")
        .env("PROCURET_SESSION_SECRET", "not-a-real-key")
        .args(["procuret", "links", "list"]))
    .fails_with(4);
    assert!(!run.stderr.contains("not signed in"), "{run:#?}");
    // The hint is for the stored session only.
    assert!(!run.stderr.contains("login` again"), "{run:#?}");
    assert!(!run.stderr.contains("not-a-real-key"), "{run:#?}");
}

#[test]
fn a_session_procuret_no_longer_knows_is_refused_with_a_hint() {
    // A simulator on a fixed port, signed into, then replaced by a fresh one at the same address:
    // the stored session is for this environment, but the new simulator does not know it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = || SandboxConfig::new().seed(7).port(Provider::Procuret, port);
    let kept = tempfile::tempdir().unwrap();
    {
        let first = LiveSandbox::start_with(config());
        let account = first.sandbox.procuret().credentials();
        let procuret = first.sandbox.procuret().clone();
        let mut login = first.partner();
        login.args(["procuret", "login", "--entity-id", "589121125121"]);
        let transcript = sign_in(login, account.email, account.secret, |_| {
            procuret.last_second_factor_code(account.email).unwrap()
        });
        assert!(transcript.status.contains(", 0)"), "{}", transcript.output);
        first.run(&["procuret", "links", "list"]).ok();
        let dir = first.config_dir.path();
        std::fs::create_dir(kept.path().join("procuret")).unwrap();
        for file in ["session.key", "procuret/default.session"] {
            std::fs::copy(dir.join(file), kept.path().join(file)).unwrap();
        }
    }
    let second = LiveSandbox::start_with(config());
    let mut command = second.partner();
    command
        .env("PARTNER_CONFIG_DIR", kept.path())
        .args(["procuret", "links", "list"]);
    let refused = run(&mut command).fails_with(4);
    assert!(
        refused
            .stderr
            .contains("run `partner procuret login` again"),
        "{refused:#?}"
    );
}
