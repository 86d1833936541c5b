//! `partner sandbox`: the simulators in the foreground, reachable from other runs through the
//! variables it prints, with state that lasts as long as it runs.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use common::{partner, run};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn prints_its_variables_and_serves_later_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Running(
        partner(dir.path())
            .args(["--json", "sandbox"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert!(summary["procuret_login"]["email"].is_string(), "{summary}");
    let env = summary["env"].as_object().unwrap();
    for name in [
        "PAX8_ENVIRONMENT",
        "PAYPAL_CLIENT_ID",
        "PROCURET_ENVIRONMENT",
        "LEANPUB_API_KEY",
    ] {
        assert!(env.contains_key(name), "{name} missing: {summary}");
    }

    let mut command = partner(dir.path());
    for (name, value) in env {
        command.env(name, value.as_str().unwrap());
    }
    let companies = run(command.args(["--json", "pax8", "companies", "list"]))
        .ok()
        .json_lines();
    assert!(!companies.is_empty());
}

#[test]
fn the_human_summary_has_an_export_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Running(
        partner(dir.path())
            .arg("sandbox")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let mut export = None;
    for line in lines {
        let line = line.unwrap();
        if line.starts_with("export ") {
            export = Some(line);
            break;
        }
    }
    let export = export.expect("an export line");
    assert!(
        export.contains("PAX8_CLIENT_ID=")
            && export.contains("PAYPAL_ENVIRONMENT=http://127.0.0.1:"),
        "{export}"
    );
}
