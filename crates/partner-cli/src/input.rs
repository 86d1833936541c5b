//! Input read from a file named on the command line, or from stdin for `-`: JSON bodies
//! (`--file`), webhook deliveries, attachments' text.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::exit::{CliError, CliResult};

/// Whether `path` means stdin.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The bytes of `path`, or of stdin for `-`. A file that cannot be read is a local failure
/// (exit 1), named with the flag it came from.
pub(crate) fn read_bytes(path: &Path, flag: &str) -> CliResult<Vec<u8>> {
    let read = if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    };
    read.map_err(|e| CliError::other(format!("{flag}: cannot read {}: {e}", path.display())))
}

/// The text of `path`, or of stdin for `-`; text that is not UTF-8 is bad input (exit 2).
pub(crate) fn read_text(path: &Path, flag: &str) -> CliResult<String> {
    String::from_utf8(read_bytes(path, flag)?)
        .map_err(|_| CliError::invalid(format!("{flag}: {} is not UTF-8 text", path.display())))
}

/// `path` (or stdin) parsed as `T`. A document that does not parse, or has a field `T` does not
/// know, is bad input (exit 2), and the message names the field and the line.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path, flag: &str) -> CliResult<T> {
    let text = read_text(path, flag)?;
    serde_json::from_str(&text)
        .map_err(|e| CliError::invalid(format!("{flag}: {}: {e}", path.display())))
}

/// `path` (or stdin) as a list of `T`: a JSON array, or JSON values one after another (one, or one
/// a line as `--json` prints a list). Bad JSON, a field `T` does not know, or no value at all is
/// bad input (exit 2); `noun` names one `T` in the messages (`line item`).
pub(crate) fn read_json_list<T: DeserializeOwned>(
    path: &Path,
    flag: &str,
    noun: &str,
) -> CliResult<Vec<T>> {
    let text = read_text(path, flag)?;
    let parsed = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<T>>(&text)
    } else {
        serde_json::Deserializer::from_str(&text)
            .into_iter::<T>()
            .collect()
    };
    let values = parsed.map_err(|e| {
        CliError::invalid(format!(
            "{flag}: {}: not a {noun} or a list of them: {e}",
            path.display()
        ))
    })?;
    if values.is_empty() {
        return Err(CliError::invalid(format!(
            "{flag}: {}: the list holds no {noun}",
            path.display()
        )));
    }
    Ok(values)
}
