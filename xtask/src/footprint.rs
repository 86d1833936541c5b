//! `cargo xtask bench footprint`: what a user's build pays for one provider crate.
//!
//! For each provider, and for a bare reqwest + serde_json + tokio binary with the SDK's TLS setup,
//! writes an empty binary crate (`fn main() {}`) under `target/footprint/<name>`, builds it cold with
//! `cargo build --release` in its own target directory, and prints the crates compiled, the rlibs
//! produced and the wall time, as the markdown table of docs/performance.md. Each build directory is
//! deleted after its measurement (they hold hundreds of megabytes). Arguments name the rows to
//! measure (`leanpub-affiliate`, `pax8`, `procuret`, `paypal-partner`, `aws-lc-rs`; all by default).
//!
//! The builds run one after another on whatever else the machine is doing: the load average is
//! printed with the table, since wall time depends on it.

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
}

/// `names`: the rows to measure besides the bare binary, which always comes first (all when empty).
pub(crate) fn footprint(names: &[&str]) -> Result<(), String> {
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
    if wanted("aws-lc-rs") {
        rows.push(measure(&base, "bare-reqwest-aws-lc-rs", BARE_AWS_LC)?);
    }
    print_table(&rows, &load_before, &load_average());
    Ok(())
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
    let started = Instant::now();
    let output = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
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
    eprintln!("footprint: {name}: {crates} crates compiled, {rlibs} rlibs, {seconds:.0} s");
    Ok(Footprint {
        name: name.to_string(),
        crates,
        rlibs,
        seconds,
    })
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
        "\n| binary (`fn main() {{}}`) | crates compiled | rlibs | cold `--release` build | vs bare |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for row in rows {
        println!(
            "| {} | {} | {} | {:.0} s | {:.2}x |",
            row.name,
            row.crates,
            row.rlibs,
            row.seconds,
            row.seconds / bare.seconds
        );
    }
    println!(
        "\n(`Compiling` lines of cargo; rlibs in target/release/deps, proc-macros and build scripts \
         excluded. {} CPUs; load average before {load_before}, after {load_after})",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
