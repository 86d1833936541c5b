//! Checks that keep a clone of the repository self-sufficient and its packages complete.
//!
//! - Nothing under `crates/`, `xtask/` or `.ci/` may read the team's reference folder beside the
//!   repository: a user's clone does not have it, so a test that reads it fails there. Test data lives
//!   in `testdata/` (see its README). The one exception is the advisory-database snapshot that
//!   `cargo xtask deny` uses when it exists.
//! - Every published crate's package carries both licence texts and its changelog, and no file of
//!   `testdata/` (the specifications are large and only the tests read them).

use std::path::Path;
use std::process::Command;

/// The name that must not appear. Built from two parts so that this file does not name it itself.
fn outside_folder() -> String {
    ["..", "/shared"].concat()
}

/// Lines naming the outside folder are allowed only for the advisory database.
const ALLOWED_ON_LINE: &str = "advisory-db";

/// Fails with the offending lines when a tracked or new file under the guarded folders names the
/// folder beside the repository.
pub(crate) fn no_outside_test_data(root: &Path) -> Result<(), String> {
    let needle = outside_folder();
    let mut offending = Vec::new();
    for file in repository_files(root, &["crates", "xtask", ".ci"])? {
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
            continue; // binary files (keys, images) cannot name a path we read
        };
        offending.extend(offending_lines(&file, &text, &needle));
    }
    if offending.is_empty() {
        eprintln!("==> guard: nothing under crates/, xtask/ or .ci/ reads {needle}");
        return Ok(());
    }
    Err(format!(
        "these lines name {needle}, which a clone of the repository does not have; \
         copy the data into testdata/ and read it from there (testdata/README.md):\n{}",
        offending.join("\n")
    ))
}

fn offending_lines(file: &str, text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle) && !line.contains(ALLOWED_ON_LINE))
        .map(|(number, line)| format!("  {file}:{}: {}", number + 1, line.trim()))
        .collect()
}

/// The files git tracks under `dirs`, plus the untracked ones it does not ignore.
fn repository_files(root: &Path, dirs: &[&str]) -> Result<Vec<String>, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
        ])
        .args(dirs)
        .output()
        .map_err(|e| format!("could not run git ls-files: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Files every published package must contain.
const REQUIRED_IN_PACKAGE: &[&str] =
    &["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md", "README.md"];

/// Fails when a published crate's package lacks a required file or carries test data.
pub(crate) fn packages_complete(root: &Path, cargo: &str, crates: &[&str]) -> Result<(), String> {
    let mut problems = Vec::new();
    for name in crates {
        let output = Command::new(cargo)
            .current_dir(root)
            .args(["package", "--list", "--allow-dirty", "-p", name])
            .output()
            .map_err(|e| format!("could not run cargo package --list: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo package --list -p {name} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let listed = String::from_utf8_lossy(&output.stdout);
        problems.extend(package_problems(name, &listed));
    }
    if problems.is_empty() {
        eprintln!("==> guard: every package has its licences and changelog, and no test data");
        Ok(())
    } else {
        Err(format!("packages are incomplete:\n{}", problems.join("\n")))
    }
}

fn package_problems(name: &str, listed: &str) -> Vec<String> {
    let files: Vec<&str> = listed.lines().map(str::trim).collect();
    let missing = REQUIRED_IN_PACKAGE
        .iter()
        .filter(|required| !files.contains(required))
        .map(|required| format!("  {name}: {required} is not in the package"));
    let test_data = files
        .iter()
        .filter(|file| file.starts_with("testdata/") || file.ends_with("-openapi.json"))
        .map(|file| format!("  {name}: {file} is test data and must stay out of the package"));
    missing.chain(test_data).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_package_has_no_problems() {
        let listed =
            "Cargo.toml\nCHANGELOG.md\nLICENSE-APACHE\nLICENSE-MIT\nREADME.md\nsrc/lib.rs\n";
        assert!(package_problems("pax8", listed).is_empty());
    }

    #[test]
    fn missing_licences_and_packaged_specs_are_reported() {
        let listed = "Cargo.toml\nREADME.md\nCHANGELOG.md\nLICENSE-MIT\ntests/pax8-partner-endpoints-openapi.json\n";
        let problems = package_problems("pax8", listed);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("LICENSE-APACHE"));
        assert!(problems[1].contains("openapi.json"));
    }

    #[test]
    fn lines_naming_the_outside_folder_are_reported_except_the_advisory_database() {
        let needle = outside_folder();
        let text = format!(
            "let a = 1;\nlet spec = \"{needle}/specs/x.json\";\nlet db = \"{needle}/advisory-db\";\n"
        );
        let found = offending_lines("t.rs", &text, &needle);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("  t.rs:2: "), "{found:?}");
    }
}
