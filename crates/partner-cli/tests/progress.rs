//! `--all` shows a progress counter on stderr when it is a terminal, and never in pipes or JSON.

mod common;

use std::time::Duration;

use common::LiveSandbox;
use partner_sandbox::{FaultConfig, Provider};

fn slow_sandbox() -> LiveSandbox {
    let live = LiveSandbox::start();
    // Slow pages of one item: the listing lasts long enough for the counter to be drawn.
    live.sandbox.faults().set(
        Provider::Pax8,
        FaultConfig::new().latency(Duration::from_millis(40)),
    );
    live
}

const ALL_SUBSCRIPTIONS: &[&str] = &["pax8", "subscriptions", "list", "--all", "--page-size", "1"];

#[test]
fn pipes_get_no_progress_output() {
    let live = slow_sandbox();
    let table = live.run(ALL_SUBSCRIPTIONS).ok();
    assert!(!table.stderr.contains("fetched"), "{table:#?}");
    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(ALL_SUBSCRIPTIONS);
    let json = live.run(&json_args).ok();
    assert!(!json.stderr.contains("fetched"), "{json:#?}");
    assert!(json.json_lines().len() > 10);
}

#[cfg(unix)]
#[test]
fn a_terminal_sees_the_counter_then_the_table() {
    let live = slow_sandbox();
    let mut command = live.partner();
    command.args(ALL_SUBSCRIPTIONS);
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    session.exp_string("fetched").unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(rest.contains("status"), "the table follows: {rest}");
}
