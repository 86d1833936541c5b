//! `cargo xtask bench footprint`: what a user's build pays for one provider crate.
//!
//! For each provider, and for a bare reqwest + serde_json + tokio binary with the SDK's TLS setup,
//! writes an empty binary crate (`fn main() {}`) under `target/footprint/<name>`, builds it cold with
//! `cargo build --release` in its own target directory, and prints the crates compiled, the rlibs
//! produced, the wall time and the CPU time, as the markdown table of docs/performance.md. Each build
//! directory is deleted after its measurement (they hold hundreds of megabytes).
//!
//! Each provider also gets a `<provider>-deps` row: the same binary depending on the provider's own
//! dependencies (with the features its default features turn on, read from `cargo tree`) and not on
//! the provider. It is the floor no change to the provider's code can go below.
//!
//! Arguments name the rows to measure (`leanpub-affiliate`, `pax8`, `procuret`, `paypal-partner`,
//! their `-deps` rows, `aws-lc-rs`; all by default).
//!
//! The builds run one after another on whatever else the machine is doing: the load average is
//! printed with the table, since wall time depends on it. CPU time (user + system of cargo and the
//! compilers) moves far less with the load; a cold build keeps every core busy, so on `n` cores the
//! wall time is close to the CPU time over `n`.

use std::env;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::root;

/// The bare binary's dependencies: reqwest as the workspace configures it, with what it needs to
/// build a client (ring, the platform verifier), serde_json and a tokio runtime.
const BARE: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "http2"] }
rustls = { version = "0.23.27", default-features = false, features = ["std", "tls12", "ring"] }
rustls-platform-verifier = "0.7"
serde_json = "1"
tokio = { version = "1.49", default-features = false, features = ["rt"] }
"#;

/// The bare binary with reqwest 0.13's default TLS instead (rustls on aws-lc-rs), for the
/// decision recorded in docs/architecture.md.
const BARE_AWS_LC: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2"] }
serde_json = "1"
tokio = { version = "1.49", default-features = false, features = ["rt"] }
"#;

/// The provider crates measured, each depended on alone with its default features.
const PROVIDERS: &[&str] = &["leanpub-affiliate", "pax8", "procuret", "paypal-partner"];

struct Footprint {
    name: String,
    crates: usize,
    rlibs: usize,
    seconds: f64,
    /// User + system time of cargo and everything it ran, `None` where `/proc` cannot tell.
    cpu_seconds: Option<f64>,
}

/// `names`: the rows to measure besides the bare binary, which always comes first (all when empty).
pub(crate) fn footprint(names: &[&str]) -> Result<(), String> {
    if let Some(unknown) = names.iter().find(|name| !is_row(name)) {
        return Err(format!(
            "bench footprint: no row `{unknown}` (rows: {}, each with `-deps`, and aws-lc-rs)",
            PROVIDERS.join(", ")
        ));
    }
    let base = root().join("target/footprint");
    let load_before = load_average();
    let wanted = |name: &str| names.is_empty() || names.contains(&name);
    let mut rows = vec![measure(&base, "bare-reqwest", BARE)?];
    for provider in PROVIDERS.iter().filter(|p| wanted(p)) {
        let path = root().join("crates").join(provider);
        let dependency = format!(
            "{provider} = {{ path = {:?} }}\n",
            path.display().to_string()
        );
        rows.push(measure(&base, provider, &dependency)?);
    }
    for provider in PROVIDERS {
        let name = format!("{provider}-deps");
        if wanted(&name) {
            rows.push(measure(&base, &name, &own_dependencies(provider)?)?);
        }
    }
    if wanted("aws-lc-rs") {
        rows.push(measure(&base, "bare-reqwest-aws-lc-rs", BARE_AWS_LC)?);
    }
    print_table(&rows, &load_before, &load_average());
    Ok(())
}

fn is_row(name: &str) -> bool {
    let provider = name.strip_suffix("-deps").unwrap_or(name);
    name == "aws-lc-rs" || PROVIDERS.contains(&provider)
}

/// Builds one throwaway binary cold and measures it.
fn measure(base: &Path, name: &str, dependencies: &str) -> Result<Footprint, String> {
    let dir = base.join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"footprint-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Its own workspace: not a member of the repository's.\n[workspace]\n\n[dependencies]\n{dependencies}"
    );
    let write = |file: &str, text: &str| {
        fs::write(dir.join(file), text).map_err(|e| format!("{}: {e}", dir.display()))
    };
    write("Cargo.toml", &manifest)?;
    write("src/main.rs", "fn main() {}\n")?;
    // The repository's lock file, so that both sides build the versions the SDK is tested with.
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;

    eprintln!("footprint: building {name} cold (--release)");
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let output = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = cpu_before
        .zip(children_cpu_seconds())
        .map(|(before, after)| after - before);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("building {name} failed:\n{stderr}"));
    }
    let crates = stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count();
    let rlibs = count_rlibs(&dir.join("target/release/deps"));
    let _ = fs::remove_dir_all(&dir);
    // Printed as it comes: the whole run takes long on a busy machine.
    eprintln!(
        "footprint: {name}: {crates} crates compiled, {rlibs} rlibs, {seconds:.0} s, {} CPU",
        cpu_text(cpu_seconds)
    );
    Ok(Footprint {
        name: name.to_string(),
        crates,
        rlibs,
        seconds,
        cpu_seconds,
    })
}

/// `provider`'s normal dependencies as `[dependencies]` lines, each with the features the provider's
/// default features give it in the provider's own build (`cargo tree` resolves them, so a feature
/// the provider turns on through one of its own, such as pax8's `file-store`, is included).
fn own_dependencies(provider: &str) -> Result<String, String> {
    let output = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["tree", "-p", provider, "-e", "normal", "--depth", "1"])
        .args(["--prefix", "none", "--format", "{p}|{f}"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("could not start cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree -p {provider} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    // The first line is the provider itself.
    let lines = text.lines().skip(1).filter(|line| !line.trim().is_empty());
    lines.map(dependency_line).collect()
}

/// `partner-core v0.1.0 (/path)|default,file-store` → `partner-core = { path = "/path", … }`;
/// `time v0.3.55|parsing` → `time = { version = "=0.3.55", … }`.
fn dependency_line(tree_line: &str) -> Result<String, String> {
    let unexpected = || format!("unexpected `cargo tree` line: {tree_line}");
    let (package, features) = tree_line.split_once('|').ok_or_else(unexpected)?;
    let mut words = package.split_whitespace();
    let (name, version) = (words.next().ok_or_else(unexpected)?, words.next());
    let version = version
        .and_then(|v| v.strip_prefix('v'))
        .ok_or_else(unexpected)?;
    let source = match words.next() {
        Some(path) if path.starts_with('(') => {
            format!("path = {:?}", path.trim_matches(|c| c == '(' || c == ')'))
        }
        _ => format!("version = \"={version}\""),
    };
    let features: Vec<String> = features
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| format!("{f:?}"))
        .collect();
    Ok(format!(
        "{name} = {{ {source}, default-features = false, features = [{}] }}\n",
        features.join(", ")
    ))
}

/// The user + system CPU seconds of this process's children that have been waited for (Linux:
/// `/proc/self/stat`'s `cutime` and `cstime`, in the kernel's fixed 100 ticks a second).
fn children_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it (state is field 3).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<f64>().ok();
    Some((ticks(16)? + ticks(17)?) / 100.0)
}

fn cpu_text(cpu_seconds: Option<f64>) -> String {
    cpu_seconds.map_or_else(|| "unknown".into(), |s| format!("{s:.0} s"))
}

fn count_rlibs(deps: &Path) -> usize {
    fs::read_dir(deps)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|ext| ext == "rlib"))
                .count()
        })
        .unwrap_or(0)
}

/// The 1-, 5- and 15-minute load averages (Linux), or a note that they are unknown.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".into())
}

fn print_table(rows: &[Footprint], load_before: &str, load_after: &str) {
    let bare = &rows[0];
    println!(
        "\n| binary (`fn main() {{}}`) | crates compiled | rlibs | cold `--release` build | vs bare | CPU time | vs bare |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in rows {
        let cpu_ratio = row
            .cpu_seconds
            .zip(bare.cpu_seconds)
            .map_or_else(|| "?".into(), |(cpu, bare)| format!("{:.2}x", cpu / bare));
        println!(
            "| {} | {} | {} | {:.0} s | {:.2}x | {} | {cpu_ratio} |",
            row.name,
            row.crates,
            row.rlibs,
            row.seconds,
            row.seconds / bare.seconds,
            cpu_text(row.cpu_seconds),
        );
    }
    println!(
        "\n(`Compiling` lines of cargo; rlibs in target/release/deps, proc-macros and build scripts \
         excluded. {} CPUs; load average before {load_before}, after {load_after})",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_dependency_keeps_its_path_and_resolved_features() {
        assert_eq!(
            dependency_line("partner-core v0.1.0 (/w/crates/partner-core)|default,file-store")
                .unwrap(),
            "partner-core = { path = \"/w/crates/partner-core\", default-features = false, \
             features = [\"default\", \"file-store\"] }\n"
        );
    }

    #[test]
    fn a_registry_dependency_is_pinned_to_the_resolved_version() {
        assert_eq!(
            dependency_line("time v0.3.55|alloc,parsing").unwrap(),
            "time = { version = \"=0.3.55\", default-features = false, \
             features = [\"alloc\", \"parsing\"] }\n"
        );
        assert_eq!(
            dependency_line("crc32fast v1.5.4|").unwrap(),
            "crc32fast = { version = \"=1.5.4\", default-features = false, features = [] }\n"
        );
    }

    #[test]
    fn an_unexpected_tree_line_is_an_error_not_a_guess() {
        for line in ["time v0.3.55", "time|std", "time 0.3.55|std"] {
            assert!(dependency_line(line).is_err(), "{line}");
        }
    }

    #[test]
    fn rows_are_providers_their_floors_and_aws_lc_rs() {
        for name in ["pax8", "pax8-deps", "procuret-deps", "aws-lc-rs"] {
            assert!(is_row(name), "{name}");
        }
        for name in ["pax9", "deps", "aws-lc-rs-deps", "-deps"] {
            assert!(!is_row(name), "{name}");
        }
    }
}
