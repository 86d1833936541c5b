//! JSON request bodies read from a file (`--file PATH`, `-` for stdin), for the Pax8 commands whose
//! bodies are easier to write as a document than as flags.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::exit::{CliError, CliResult};

/// Reads `path` (or stdin for `-`) and parses it as `T`.
///
/// A file that cannot be read is a local failure (exit 1); a document that does not parse, or has
/// a field `T` does not know, is bad input (exit 2) and the message names the field and the line.
pub(super) fn read_json<T: DeserializeOwned>(path: &Path) -> CliResult<T> {
    let shown = path.display();
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::other(format!("cannot read the body from stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::other(format!("cannot read {shown}: {e}")))?
    };
    serde_json::from_str(&text).map_err(|e| CliError::invalid(format!("{shown}: {e}")))
}
