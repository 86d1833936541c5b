//! Project automation: `cargo xtask <command>`.
//!
//! - `ci`: everything CI checks: `lint`, then `test`.
//! - `lint`: the test-data guard, fmt, clippy, docs, cargo-deny, a publish dry run of every crate.
//! - `test`: the whole test suite (the README's test command). Starts a throwaway Redis on loopback for
//!   the fleet tests when `REDIS_URL` is unset and `redis-server` is installed.
//! - `tour`: the end-to-end tour of every provider against the local sandbox.
//! - `bench`: the benchmarks, whose numbers go into `docs/performance.md` (see `bench.rs`).
//! - `deny`: cargo-deny, offline against the shared advisory-db snapshot when there is one (see `deny`).
//!
//! std only, so it builds in seconds on a bare machine.

mod bench;
mod footprint;
mod guard;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprintln!("{}", USAGE);
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match task.as_str() {
        "ci" => lint().and_then(|()| test(rest)),
        "lint" => lint(),
        "test" => test(rest),
        "tour" => tour(rest),
        "bench" => bench::bench(rest),
        "deny" => deny(),
        "fmt" => cargo(&["fmt", "--all"]),
        "-h" | "--help" | "help" => {
            println!("{}", USAGE);
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <ci | lint | test | tour | bench | deny | fmt>
  ci     lint, then test
  lint   test-data guard, fmt check, clippy -D warnings, docs -D warnings, cargo-deny,
         cargo publish --dry-run --workspace (every crate built from its package)
  test   every test of the workspace (cargo nextest when installed, else cargo test), plus doctests
  tour   run every provider's main flow against the local sandbox
  bench  run the benchmarks (numbers go into docs/performance.md);
         `bench overhead` the paired client-vs-reqwest table, `bench instructions` the same
         paths counted in instructions under callgrind, `bench footprint` the crates, cold
         build time and CPU time of an empty binary per provider crate (and per provider's
         dependencies alone) next to bare reqwest
  deny   cargo-deny: offline against the shared advisory-db snapshot beside the repository when it
         exists, else against cargo-deny's own (fetched) advisory database";

/// The crates we publish, in dependency order.
const PUBLISHED: &[&str] = &[
    "partner-core",
    "pax8",
    "paypal-partner",
    "procuret",
    "leanpub-affiliate",
    "partner-sandbox",
    "partner-cli",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn run(cmd: &mut Command) -> Result<(), String> {
    CHILD_ENV.with(|env| {
        for (k, v) in env.borrow().iter() {
            cmd.env(k, v);
        }
    });
    let shown = format!("{cmd:?}");
    eprintln!("\n==> {shown}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn cargo(args: &[&str]) -> Result<(), String> {
    run(Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args(args))
}

fn has_cargo_subcommand(name: &str) -> bool {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([name, "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn lint() -> Result<(), String> {
    guard::no_outside_test_data(&root())?;
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])?;
    run(
        Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    deny()?;
    package()
}

fn test(extra: &[String]) -> Result<(), String> {
    let _redis = if env::var_os("REDIS_URL").is_none() {
        LocalRedis::start()
    } else {
        None
    };
    if let Some(redis) = &_redis {
        set_child_env("REDIS_URL", &redis.url);
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    if has_cargo_subcommand("nextest") {
        let mut args = vec![
            "nextest",
            "run",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
        ];
        args.extend(&extra);
        cargo(&args)?;
        // nextest does not run doctests.
        cargo(&["test", "--workspace", "--all-features", "--doc"])
    } else {
        let mut args = vec!["test", "--workspace", "--all-features", "--no-fail-fast"];
        args.extend(&extra);
        cargo(&args)
    }
}

fn tour(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--quiet", "-p", "partner-tour", "--"];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)
}

/// The advisory database: CI and the team's machines have a RustSec snapshot beside the repository
/// (and no network to clone one), a user's clone has not. With the snapshot, it is copied into a
/// throwaway git repository where `deny.toml`'s `db-path` points and cargo-deny runs offline; without
/// it, cargo-deny fetches its own database as usual.
fn deny() -> Result<(), String> {
    // The one place that may look beside the repository (the lint guard allows this line).
    let snapshot = root().join("../shared/advisory-db");
    let db = root().join("target/advisory-dbs/advisory-db-3157b0e258782691");
    // A copy of the snapshot is marked, so that it is never mistaken for a fetched database (which
    // cargo-deny would then fail to update) and a fetched one is never thrown away.
    let marker = db.join(".xtask-snapshot");
    if marker.exists() {
        std::fs::remove_dir_all(&db)
            .map_err(|e| format!("could not clear {}: {e}", db.display()))?;
    }
    if !snapshot.join("crates").is_dir() {
        eprintln!(
            "==> cargo-deny: no advisory snapshot beside the repository; using cargo-deny's own database"
        );
        return cargo(&["deny", "check"]);
    }
    eprintln!(
        "==> cargo-deny: offline, against the advisory snapshot in {}",
        snapshot.display()
    );
    if db.exists() {
        std::fs::remove_dir_all(&db)
            .map_err(|e| format!("could not clear {}: {e}", db.display()))?;
    }
    std::fs::create_dir_all(&db).map_err(|e| e.to_string())?;
    copy_dir(&snapshot.join("crates"), &db.join("crates"))
        .map_err(|e| format!("could not copy the database: {e}"))?;
    let git = |args: &[&str]| {
        run(Command::new("git")
            .args([
                "-C",
                db.to_str().unwrap_or("."),
                "-c",
                "user.name=ci",
                "-c",
                "user.email=ci@localhost",
            ])
            .args(args))
    };
    git(&["init", "-q"])?;
    git(&["add", "-A"])?;
    git(&["commit", "-qm", "snapshot"])?;
    std::fs::write(
        &marker,
        "a copy of the offline snapshot, made by cargo xtask deny\n",
    )
    .map_err(|e| format!("could not mark {}: {e}", db.display()))?;
    // Offline, cargo-deny reads the whole dependency graph (every platform's crates) from cargo's
    // cache; a build fetches only this platform's, so a fresh machine fetches the rest first.
    cargo(&["fetch", "--locked"])?;
    cargo(&["deny", "--offline", "check"])
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Cargo's multi-crate publish, without the upload: every published crate is packaged and built from
/// its package against the others' packages, so a file missing from a package or a dependency that
/// only resolves through a path fails here, not on release day. `publish = false` crates are skipped.
fn package() -> Result<(), String> {
    let cargo_bin = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    guard::packages_complete(&root(), &cargo_bin, PUBLISHED)?;
    clear_extracted_packages()?;
    cargo(&["publish", "--dry-run", "--workspace", "--allow-dirty"])
}

/// The multi-crate dry run puts our packages in a throwaway local registry and builds each crate
/// against the others' sources, which cargo extracts under `$CARGO_HOME/registry/src/<registry>/`.
/// An unchanged version number (every crate is 0.1.0 until released) makes cargo reuse a copy
/// extracted by an earlier run, so the dry run would build yesterday's code. Extracted sources are
/// only a cache (cargo extracts them again from the package), so our crates' copies are removed
/// from every registry but crates.io's.
fn clear_extracted_packages() -> Result<(), String> {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let Ok(registries) = std::fs::read_dir(cargo_home.join("registry/src")) else {
        return Ok(()); // nothing extracted yet
    };
    for registry in registries.flatten() {
        if registry
            .file_name()
            .to_string_lossy()
            .starts_with("index.crates.io-")
        {
            continue;
        }
        for extracted in std::fs::read_dir(registry.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = extracted.file_name().to_string_lossy().into_owned();
            // `<crate>-<version>`, the version starting with a digit.
            let ours = PUBLISHED.iter().any(|krate| {
                name.strip_prefix(krate)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            });
            if ours {
                std::fs::remove_dir_all(extracted.path())
                    .map_err(|e| format!("could not clear {}: {e}", extracted.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Sets an environment variable for the child processes started afterwards.
fn set_child_env(name: &str, value: &str) {
    // Children inherit the variable through `Command::env` in `run`; see CHILD_ENV.
    CHILD_ENV.with(|env| env.borrow_mut().push((name.to_owned(), value.to_owned())));
}

thread_local! {
    static CHILD_ENV: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A Redis server on a free loopback port for the duration of the tests.
struct LocalRedis {
    child: std::process::Child,
    url: String,
    _dir: PathBuf,
}

impl LocalRedis {
    fn start() -> Option<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let dir = env::temp_dir().join(format!("xtask-redis-{port}"));
        std::fs::create_dir_all(&dir).ok()?;
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let url = format!("redis://127.0.0.1:{port}");
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                eprintln!("==> started redis-server for the tests at {url}");
                return Some(Self {
                    child,
                    url,
                    _dir: dir,
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }
}

impl Drop for LocalRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}
