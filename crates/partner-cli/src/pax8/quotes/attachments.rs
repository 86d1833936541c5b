//! `partner pax8 quotes attachments ...` (one quote's files) and `partner pax8 quotes library ...`
//! (the partner's library of files to attach to any quote: terms of service, price sheets).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use pax8::quotes::AttachmentUpdate;
use pax8::{Attachment, AttachmentId, QuoteId};

use super::{ATTACHMENT_COLUMNS, Download, upload, uploads};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// `partner pax8 quotes attachments`.
#[derive(Debug, Args)]
pub(super) struct AttachmentsArgs {
    #[command(subcommand)]
    command: AttachmentsCommand,
}

#[derive(Debug, Subcommand)]
enum AttachmentsCommand {
    /// One attachment's name, type, position and who added it.
    Get {
        /// The quote's id.
        id: QuoteId,
        /// The attachment's id (from `quotes get`).
        attachment_id: AttachmentId,
    },
    /// Download one attachment's file.
    Download {
        /// The quote's id.
        id: QuoteId,
        /// The attachment's id.
        attachment_id: AttachmentId,
        #[command(flatten)]
        to: Download,
    },
    /// Rename an attachment or move it; the flag not given keeps its current value.
    Rename {
        /// The quote's id.
        id: QuoteId,
        /// The attachment's id.
        attachment_id: AttachmentId,
        #[command(flatten)]
        change: Rename,
    },
    /// Remove an attachment from the quote.
    Delete {
        /// The quote's id.
        id: QuoteId,
        /// The attachment's id.
        attachment_id: AttachmentId,
    },
    /// Attach copies of library files to the quote; prints the attachments added.
    FromLibrary {
        /// The quote's id.
        id: QuoteId,
        /// The library attachments' ids (from `quotes library list`).
        #[arg(required = true)]
        library_ids: Vec<AttachmentId>,
    },
}

/// `partner pax8 quotes library`.
#[derive(Debug, Args)]
pub(super) struct LibraryArgs {
    #[command(subcommand)]
    command: LibraryCommand,
}

#[derive(Debug, Subcommand)]
enum LibraryCommand {
    /// The library's files.
    List,
    /// Upload files to the library; prints the attachments added. The media type follows the
    /// extension (`.pdf`, `.png`, `.jpg`, else `application/octet-stream`).
    Upload {
        /// The files to upload.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// One library file's name, type, position and who uploaded it.
    Get {
        /// The library attachment's id.
        id: AttachmentId,
    },
    /// Download one library file.
    Download {
        /// The library attachment's id.
        id: AttachmentId,
        #[command(flatten)]
        to: Download,
    },
    /// Rename a library file or move it; the flag not given keeps its current value.
    Rename {
        /// The library attachment's id.
        id: AttachmentId,
        #[command(flatten)]
        change: Rename,
    },
    /// Replace a library file's content, keeping its id.
    Replace {
        /// The library attachment's id.
        id: AttachmentId,
        /// The new file.
        file: PathBuf,
    },
    /// Delete a library file.
    Delete {
        /// The library attachment's id.
        id: AttachmentId,
    },
    /// Copy attachments of quotes into the library; prints the library attachments added.
    FromQuotes {
        /// The quote attachments' ids (from `quotes get`).
        #[arg(required = true)]
        attachment_ids: Vec<AttachmentId>,
    },
}

/// `--name` and `--order`: at least one.
#[derive(Debug, Args)]
#[group(skip)] // flattened into commands named `rename`, whose own group has this name
struct Rename {
    /// The new name.
    #[arg(long, required_unless_present = "order")]
    name: Option<String>,
    /// The new position among the attachments.
    #[arg(long)]
    order: Option<i32>,
}

impl Rename {
    /// The whole update Pax8 takes (a name and a position), the missing half from `current`.
    fn over(self, current: &Attachment) -> CliResult<AttachmentUpdate> {
        let id = current
            .id
            .clone()
            .ok_or_else(|| CliError::other("Pax8 answered an attachment without its id"))?;
        let name = self.name.or_else(|| current.name.clone());
        let order = self.order.or(current.order);
        match (name, order) {
            (Some(name), Some(order)) => Ok(AttachmentUpdate::new(id, name, order)),
            _ => Err(CliError::invalid(
                "Pax8 has no name or position for this attachment: give both --name and --order",
            )),
        }
    }
}

pub(super) async fn run(ctx: &Ctx, client: &pax8::Client, args: AttachmentsArgs) -> CliResult {
    let quotes = client.quotes();
    match args.command {
        AttachmentsCommand::Get { id, attachment_id } => ctx
            .out
            .record(&quotes.attachment(id, attachment_id).send().await?),
        AttachmentsCommand::Download {
            id,
            attachment_id,
            to,
        } => {
            let call = quotes.download_attachment(id, attachment_id);
            to.save(ctx, call).await
        }
        AttachmentsCommand::Rename {
            id,
            attachment_id,
            change,
        } => {
            let current = quotes.attachment(id.clone(), attachment_id).send().await?;
            let update = change.over(&current)?;
            let renamed = quotes.update_attachments(id, &[update]).send().await?;
            ctx.out.list(&renamed, ATTACHMENT_COLUMNS)
        }
        AttachmentsCommand::Delete { id, attachment_id } => {
            quotes
                .delete_attachment(id.clone(), attachment_id.clone())
                .send()
                .await?;
            ctx.out.note(&format!(
                "removed attachment {attachment_id} from quote {id}"
            ));
            Ok(())
        }
        AttachmentsCommand::FromLibrary { id, library_ids } => {
            let added = quotes.copy_from_library(id, &library_ids).send().await?;
            ctx.out.list(&added, ATTACHMENT_COLUMNS)
        }
    }
}

pub(super) async fn run_library(ctx: &Ctx, client: &pax8::Client, args: LibraryArgs) -> CliResult {
    let quotes = client.quotes();
    match args.command {
        LibraryCommand::List => ctx.out.list(
            &quotes.library_attachments().send().await?,
            ATTACHMENT_COLUMNS,
        ),
        LibraryCommand::Upload { files } => {
            let added = quotes.upload_to_library(&uploads(&files)?).send().await?;
            ctx.out.list(&added, ATTACHMENT_COLUMNS)
        }
        LibraryCommand::Get { id } => ctx.out.record(&quotes.library_attachment(id).send().await?),
        LibraryCommand::Download { id, to } => {
            to.save(ctx, quotes.download_library_attachment(id)).await
        }
        LibraryCommand::Rename { id, change } => {
            let current = quotes.library_attachment(id).send().await?;
            let update = change.over(&current)?;
            let renamed = quotes.update_library_attachments(&[update]).send().await?;
            ctx.out.list(&renamed, ATTACHMENT_COLUMNS)
        }
        LibraryCommand::Replace { id, file } => {
            let file = upload(&file)?;
            ctx.out
                .record(&quotes.replace_library_attachment(id, &file).send().await?)
        }
        LibraryCommand::Delete { id } => {
            quotes.delete_library_attachment(id.clone()).send().await?;
            ctx.out.note(&format!("deleted library attachment {id}"));
            Ok(())
        }
        LibraryCommand::FromQuotes { attachment_ids } => {
            let added = quotes.add_to_library(&attachment_ids).send().await?;
            ctx.out.list(&added, ATTACHMENT_COLUMNS)
        }
    }
}
