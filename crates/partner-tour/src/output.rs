//! How the tour prints: one heading per provider, one line per step.

use std::fmt::Display;
use std::time::Instant;

/// Prints a provider's heading.
pub(crate) fn section(title: &str) {
    println!("\n== {title} ==");
}

/// Prints a completed step.
pub(crate) fn step(what: impl Display) {
    println!("  ok  {what}");
}

/// Prints a detail under a step.
pub(crate) fn detail(what: impl Display) {
    println!("        {what}");
}

/// Prints the closing line.
pub(crate) fn done(started: Instant) {
    println!(
        "\nAll four flows completed against the local sandbox in {:.1?}.",
        started.elapsed()
    );
}
