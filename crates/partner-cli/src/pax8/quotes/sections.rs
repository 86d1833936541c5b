//! `partner pax8 quotes sections ...`: a quote's sections, the named groups its line items are
//! shown in.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use pax8::quotes::Section;
use pax8::{LineItemId, QuoteId, SectionId};
use serde::Deserialize;

use crate::context::Ctx;
use crate::exit::CliResult;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("name", "/name"),
    col("order", "/order"),
];

/// `partner pax8 quotes sections`.
#[derive(Debug, Args)]
pub(super) struct SectionsArgs {
    #[command(subcommand)]
    command: SectionsCommand,
}

#[derive(Debug, Subcommand)]
enum SectionsCommand {
    /// A quote's sections (`--json` adds which line items each holds, in order).
    List {
        /// The quote's id.
        id: QuoteId,
    },
    /// Add an empty section; prints every section of the quote.
    Add {
        /// The quote's id.
        id: QuoteId,
        /// The section's name.
        #[arg(long)]
        name: String,
    },
    /// Set every section of the quote (names, order, which line items where) from a JSON file:
    /// what `--json quotes sections list` prints (one section a line), or an array of them.
    /// Prints the sections as Pax8 saved them.
    Set {
        /// The quote's id.
        id: QuoteId,
        /// The JSON file (`-` for stdin).
        #[arg(long)]
        file: PathBuf,
    },
}

pub(super) async fn run(ctx: &Ctx, client: &pax8::Client, args: SectionsArgs) -> CliResult {
    let quotes = client.quotes();
    let sections = match args.command {
        SectionsCommand::List { id } => quotes.sections(id).send().await?,
        SectionsCommand::Add { id, name } => quotes.create_section(id, name).send().await?,
        SectionsCommand::Set { id, file } => {
            let sections = read_sections(&file)?;
            quotes.update_sections(id, &sections).send().await?
        }
    };
    ctx.out.list(&sections, COLUMNS)
}

/// A section as a file gives it: no field unknown (a typo is refused, not dropped); no line items
/// when `lineItems` is left out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SectionFile {
    id: SectionId,
    name: String,
    order: i32,
    #[serde(default)]
    line_items: Vec<LineItemFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LineItemFile {
    line_item_id: LineItemId,
    order: i32,
}

/// The sections of `path`: a JSON array, or JSON values one after another (JSON lines).
fn read_sections(path: &Path) -> CliResult<Vec<Section>> {
    let files: Vec<SectionFile> = crate::input::read_json_list(path, "--file", "section")?;
    Ok(files.into_iter().map(section).collect())
}

fn section(file: SectionFile) -> Section {
    file.line_items.into_iter().fold(
        Section::new(file.id, file.name, file.order),
        |section, item| section.line_item(item.line_item_id, item.order),
    )
}
