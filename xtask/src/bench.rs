//! `cargo xtask bench`: the benchmarks behind docs/performance.md.
//!
//! - no argument: criterion's `core` benchmark, then the paired `overhead` table;
//! - `overhead [--rounds N] [--concurrency N]`: only the paired tables, one after another and 16 in
//!   flight (the figures the 10 % budget over raw reqwest with a timeout is judged on);
//! - `instructions`: instructions per call of each path under callgrind, which do not drift with the
//!   machine's load (valgrind required);
//! - `footprint`: crates compiled, cold build time and CPU time of an empty binary per provider crate
//!   and per provider's dependencies alone, next to bare reqwest (see `footprint.rs`);
//! - anything else: a criterion filter for `core` (`cargo xtask bench get_decode`).

use std::env;
use std::process::Command;

use crate::{cargo, root};

/// The paths of `benches/support`, in table order.
const PATHS: &[&str] = &[
    "raw_reqwest",
    "raw_reqwest_with_timeout",
    "transport_only",
    "partner_core_no_auth",
    "partner_core",
];

pub(crate) fn bench(extra: &[String]) -> Result<(), String> {
    let rest: Vec<&str> = extra.iter().skip(1).map(String::as_str).collect();
    match extra.first().map(String::as_str) {
        None => {
            cargo(&["bench", "-p", "partner-core", "--bench", "core"])?;
            overhead(&[])
        }
        Some("overhead") => overhead(&rest),
        Some("instructions") => instructions(),
        Some("footprint") => crate::footprint::footprint(&rest),
        Some(_) => {
            let mut args = vec!["bench", "-p", "partner-core", "--bench", "core", "--"];
            args.extend(extra.iter().map(String::as_str));
            cargo(&args)
        }
    }
}

fn overhead(rest: &[&str]) -> Result<(), String> {
    let mut args = vec!["bench", "-p", "partner-core", "--bench", "overhead", "--"];
    args.extend(rest);
    cargo(&args)
}

/// Builds the `overhead` benchmark and returns the path of its executable.
fn overhead_executable() -> Result<String, String> {
    let output = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "bench",
            "-p",
            "partner-core",
            "--bench",
            "overhead",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root())
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "building the benchmark failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // One JSON object per line; the benchmark's carries `"executable":"<path>"`. A path with a
    // quote or backslash in it would be escaped, and is refused rather than misread.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains(r#""name":"overhead""#))
        .find_map(|line| {
            let start = line.find(r#""executable":""#)? + r#""executable":""#.len();
            let path = &line[start..start + line[start..].find('"')?];
            (!path.contains('\\')).then(|| path.to_string())
        })
        .ok_or_else(|| "cargo did not name the benchmark's executable".to_string())
}

/// Instructions of a whole run of `calls` calls of `path` under callgrind.
fn instructions_of(executable: &str, path: &str, calls: usize) -> Result<u64, String> {
    let out = root().join("target/callgrind");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!(
            "--callgrind-out-file={}",
            out.join(format!("{path}.{calls}.out")).display()
        ))
        .args([executable, "--only", path, "--calls", &calls.to_string()])
        .output()
        .map_err(|e| format!("could not start valgrind (is it installed?): {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("valgrind failed on {path}:\n{stderr}"));
    }
    stderr
        .lines()
        .find_map(|line| {
            let (_, total) = line.split_once("Collected :")?;
            total.trim().parse().ok()
        })
        .ok_or_else(|| format!("valgrind printed no instruction total for {path}"))
}

fn instructions() -> Result<(), String> {
    let executable = overhead_executable()?;
    // Two runs that differ only in the number of calls: the difference cancels start-up, the
    // server's set-up and the token fetch.
    let (few, many) = (200, 1200);
    let mut per_call = Vec::new();
    for path in PATHS {
        eprintln!("callgrind: {path}");
        let a = instructions_of(&executable, path, few)?;
        let b = instructions_of(&executable, path, many)?;
        per_call.push(b.saturating_sub(a) as f64 / (many - few) as f64);
    }
    println!("\n| path | instructions per call | vs raw_reqwest | vs raw_reqwest_with_timeout |");
    println!("| --- | ---: | ---: | ---: |");
    for (path, count) in PATHS.iter().zip(&per_call) {
        println!(
            "| `{path}` | {:.0} | {:+.1} % | {:+.1} % |",
            count,
            (count / per_call[0] - 1.0) * 100.0,
            (count / per_call[1] - 1.0) * 100.0
        );
    }
    println!("\n(client and server in one process: the server's work is in every row)");
    Ok(())
}
