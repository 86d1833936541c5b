//! `partner completions <shell>` prints a script for each supported shell.

mod common;

use common::{partner, run};

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(partner(dir.path()).args(["completions", shell])).ok();
        assert!(script.stdout.contains("partner"), "{shell}");
        assert!(
            script.stdout.contains("companies"),
            "{shell}: the subcommands are in it"
        );
    }
    run(partner(dir.path()).args(["completions", "tcsh"])).fails_with(2);
}
