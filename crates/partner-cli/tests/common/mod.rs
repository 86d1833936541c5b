//! Runs the real `partner` binary, isolated from the developer's machine: its own config directory
//! and none of the providers' variables from the calling environment.
#![allow(dead_code, unreachable_pub)]

use std::path::Path;
use std::process::{Command, Output};

use partner_sandbox::{Sandbox, SandboxConfig};

/// Every variable the clients or the CLI read, removed so a developer's credentials never leak in.
const VARIABLES: &[&str] = &[
    "PAX8_ENVIRONMENT",
    "PAX8_CLIENT_ID",
    "PAX8_CLIENT_SECRET",
    "PAYPAL_ENVIRONMENT",
    "PAYPAL_CLIENT_ID",
    "PAYPAL_CLIENT_SECRET",
    "PAYPAL_PARTNER_MERCHANT_ID",
    "PAYPAL_BN_CODE",
    "PAYPAL_WEBHOOK_ID",
    "PROCURET_ENVIRONMENT",
    "PROCURET_SESSION_ID",
    "PROCURET_SESSION_SECRET",
    "PROCURET_SESSION_LIFECYCLE",
    "LEANPUB_ENVIRONMENT",
    "LEANPUB_PARTNER_ID",
    "LEANPUB_API_KEY",
    "PARTNER_PROFILE",
    "PARTNER_CONFIG_DIR",
    "PARTNER_SESSION_KEY",
];

/// `partner` with `config_dir` as its configuration directory and a clean environment.
pub fn partner(config_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partner"));
    for name in VARIABLES {
        command.env_remove(name);
    }
    command.env("PARTNER_CONFIG_DIR", config_dir);
    command
}

/// A finished run, with its streams as text.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run, asserting it succeeded.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success:\n{self:#?}");
        self
    }

    /// The run, asserting it failed with `code`.
    #[track_caller]
    pub fn fails_with(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit code {code}:\n{self:#?}");
        self
    }

    /// stdout as JSON lines.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\n{self:#?}"))
            })
            .collect()
    }

    /// stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self:#?}"))
    }
}

/// Runs `command` to completion.
pub fn run(command: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the partner binary runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `partner <args>` against the in-process sandbox (`--sandbox` first).
pub fn sandbox(config_dir: &Path, args: &[&str]) -> Run {
    run(partner(config_dir).arg("--sandbox").args(args))
}

/// A sandbox running in the test's process for as long as this value lives, for flows that span
/// several `partner` runs (create, then get) or need to read what the simulator saw. The binary
/// reaches it through the variables a user would export (`Sandbox::client_env`).
pub struct LiveSandbox {
    pub sandbox: Sandbox,
    pub config_dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl LiveSandbox {
    pub fn start() -> LiveSandbox {
        Self::start_with(SandboxConfig::new().seed(7))
    }

    pub fn start_with(config: SandboxConfig) -> LiveSandbox {
        // The servers run on this runtime's worker threads while the test thread waits on the
        // binary.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = runtime
            .block_on(Sandbox::start(config))
            .expect("the sandbox starts");
        LiveSandbox {
            sandbox,
            config_dir: tempfile::tempdir().expect("a temporary directory"),
            runtime,
        }
    }

    /// `partner` pointed at this sandbox through the environment, with its own config directory.
    pub fn partner(&self) -> Command {
        let mut command = partner(self.config_dir.path());
        for (name, value) in self.sandbox.client_env() {
            command.env(name, value);
        }
        command
    }

    /// Runs `partner <args>` against this sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        run(self.partner().args(args))
    }

    /// Runs `fut` on the sandbox's runtime (to call a client or the simulator from the test).
    pub fn block_on<F: std::future::Future>(&self, fut: F) -> F::Output {
        self.runtime.block_on(fut)
    }
}
