//! `partner pax8 quotes ...`: the quoting API (`/v2/quotes`), the operations a person at a terminal
//! uses day to day: find, read, create, change the status of and delete quotes, manage their line
//! items, sections and files, share them and take them over; and the partner's library of files
//! and quote preferences. Every operation of the quoting API has a command.

mod attachments;
mod line_items;
mod preferences;
mod sections;

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use pax8::quotes::{IntentType, QuoteAccount};
use pax8::{
    AccessListEntryId, CompanyId, Direction, NewAccessListEntry, NewQuote, QuoteId, QuoteSort,
    QuoteStatus, QuoteUpdate, Timestamp, Upload,
};

use crate::arg_values::{date, known};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("reference", "/referenceCode"),
    col("status", "/status"),
    col("client", "/client/name"),
    col("owner", "/ownedBy/fullName"),
    col("created", "/createdOn"),
    col("initial total", "/totals/initialTotal/amount"),
    col("recurring total", "/totals/recurringTotal/amount"),
];

const ATTACHMENT_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("name", "/name"),
    col("type", "/type"),
    col("order", "/order"),
];

const ACCESS_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("email", "/email"),
    col("type", "/accountType"),
    col("name", "/accountName"),
    col("link", "/link"),
];

/// `partner pax8 quotes`.
#[derive(Debug, Args)]
pub(crate) struct QuotesArgs {
    #[command(subcommand)]
    command: QuotesCommand,
}

#[derive(Debug, Subcommand)]
enum QuotesCommand {
    /// List quotes, with filters and a sort; the table mode also prints how many quotes are in each
    /// status.
    List(ListQuotes),
    /// One quote, with its line items and totals.
    Get {
        /// The quote's id.
        id: QuoteId,
    },
    /// Create an empty draft quote for a company; add line items with `quotes items add`.
    Create {
        /// The company (client) the quote is for.
        #[arg(long)]
        client_id: CompanyId,
        /// The quote request this quote answers, if any.
        #[arg(long)]
        quote_request_id: Option<String>,
    },
    /// Change a quote's status, expiry, messages or publication; the flags not given keep the
    /// quote's current values (Pax8 takes all of them on each change).
    Update(UpdateQuote),
    /// Publish a quote and mark it `sent`, so that the people on its access list can open it
    /// (add them with `quotes share`).
    Send {
        /// The quote's id.
        id: QuoteId,
    },
    /// Delete a quote.
    Delete {
        /// The quote's id.
        id: QuoteId,
    },
    /// Make yourself the owner of a quote a colleague created.
    TakeOwnership {
        /// The quote's id.
        id: QuoteId,
    },
    /// A quote's line items: list, add, delete.
    Items(line_items::ItemsArgs),
    /// A quote's sections (named groups of line items): list, add, set.
    Sections(sections::SectionsArgs),
    /// Who a quote is shared with (its access list).
    Access {
        /// The quote's id.
        id: QuoteId,
    },
    /// Share a quote with someone by email (adds them to its access list); prints the access list.
    Share {
        /// The quote's id.
        id: QuoteId,
        /// The email address to share with.
        #[arg(long)]
        email: String,
        /// The person's name, as the quote shows it.
        #[arg(long)]
        name: Option<String>,
    },
    /// Stop sharing a quote with someone (removes the entry from its access list).
    Unshare {
        /// The quote's id.
        id: QuoteId,
        /// The access list entry's id (from `quotes access`).
        entry_id: AccessListEntryId,
    },
    /// Attach files (PDFs, usually) to a quote; prints the attachments added.
    Attach {
        /// The quote's id.
        id: QuoteId,
        /// The files to attach; the media type follows the extension (`.pdf`, `.png`, `.jpg`,
        /// else `application/octet-stream`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Download every attachment of a quote as one zip file.
    Download {
        /// The quote's id.
        id: QuoteId,
        #[command(flatten)]
        to: Download,
    },
    /// One attachment of a quote: read, download, rename, delete; or copies from the library.
    Attachments(attachments::AttachmentsArgs),
    /// The partner's library of files to attach to quotes: list, upload, download, rename,
    /// replace, delete.
    Library(attachments::LibraryArgs),
    /// What every new quote starts with: expiry, introduction, terms, sales margin, library files.
    Preferences(preferences::PreferencesArgs),
}

/// Where a download goes, and how large it may be.
#[derive(Debug, Args)]
#[group(skip)] // flattened into commands named `download`, whose own group has this name
struct Download {
    /// Where to write the file (`-` for stdout); an existing file is replaced.
    #[arg(long, short)]
    output: PathBuf,
    /// The largest file to accept, in MiB (the client's usual cap is 16 MiB).
    #[arg(long, default_value_t = 64)]
    max_mib: usize,
}

impl Download {
    /// Sends the download under this cap and writes what comes back.
    async fn save<B: AsRef<[u8]>>(self, ctx: &Ctx, call: pax8::Call<B>) -> CliResult {
        let file = call
            .max_response_bytes(self.max_mib.saturating_mul(1024 * 1024))
            .send()
            .await?;
        let file = file.as_ref();
        write_output(&self.output, file)?;
        if self.output.as_os_str() != "-" {
            ctx.out.note(&format!(
                "wrote {} bytes to {}",
                file.len(),
                self.output.display()
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Args)]
struct ListQuotes {
    #[command(flatten)]
    list: ListArgs,
    /// Only quotes with this status; repeat for several (`--status draft --status sent`).
    #[arg(long, value_parser = known::<QuoteStatus>)]
    status: Vec<QuoteStatus>,
    /// Only quotes matching this text (reference code, client name...).
    #[arg(long)]
    search: Option<String>,
    /// Whose quotes: `user` (yours, Pax8's default) or `partner` (every quote of the partner).
    #[arg(long, value_parser = known::<QuoteAccount>)]
    account: Option<QuoteAccount>,
    /// Only quotes of this kind (`PARTNER_TO_CLIENT`, `PAX8_TO_PARTNER`...).
    #[arg(long, value_parser = known::<IntentType>)]
    intent_type: Option<IntentType>,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SortField>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortField {
    Id,
    Status,
    ClientName,
    CreatedBy,
    CreatedOn,
    UpdatedOn,
    InitialTotal,
    RecurringTotal,
}

impl From<SortField> for QuoteSort {
    fn from(field: SortField) -> Self {
        match field {
            SortField::Id => QuoteSort::Id,
            SortField::Status => QuoteSort::Status,
            SortField::ClientName => QuoteSort::ClientName,
            SortField::CreatedBy => QuoteSort::CreatedBy,
            SortField::CreatedOn => QuoteSort::CreatedOn,
            SortField::UpdatedOn => QuoteSort::UpdatedOn,
            SortField::InitialTotal => QuoteSort::InitialTotal,
            SortField::RecurringTotal => QuoteSort::RecurringTotal,
        }
    }
}

#[derive(Debug, Args)]
struct UpdateQuote {
    /// The quote's id.
    id: QuoteId,
    /// The new status.
    #[arg(long, value_parser = known::<QuoteStatus>)]
    status: Option<QuoteStatus>,
    /// The new expiry day, YYYY-MM-DD (the quote expires at midnight UTC).
    #[arg(long, value_parser = date)]
    expires_on: Option<time::Date>,
    /// The new introduction shown above the line items.
    #[arg(long)]
    intro_message: Option<String>,
    /// The new terms and disclaimers shown below them.
    #[arg(long)]
    terms: Option<String>,
    /// Whether the quote is published (visible to its access list).
    #[arg(long)]
    published: Option<bool>,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: QuotesArgs) -> CliResult {
    let quotes = client.quotes();
    match args.command {
        QuotesCommand::List(args) => list(ctx, client, args).await,
        QuotesCommand::Get { id } => ctx.out.record(&quotes.get(id).send().await?),
        QuotesCommand::Create {
            client_id,
            quote_request_id,
        } => {
            let mut quote = NewQuote::new(client_id);
            if let Some(id) = quote_request_id {
                quote = quote.quote_request_id(id);
            }
            let created = quotes.create(&quote).send().await?;
            ctx.out.note(&format!("created quote {}", created.id));
            ctx.out.record(&created)
        }
        QuotesCommand::Update(args) => update(ctx, client, args).await,
        QuotesCommand::Send { id } => {
            let quote = quotes.get(id.clone()).send().await?;
            let change = QuoteUpdate::from_quote(&quote)?
                .status(QuoteStatus::Sent)
                .published(true);
            ctx.out.record(&quotes.update(id, &change).send().await?)
        }
        QuotesCommand::Delete { id } => {
            quotes.delete(id.clone()).send().await?;
            ctx.out.note(&format!("deleted quote {id}"));
            Ok(())
        }
        QuotesCommand::TakeOwnership { id } => {
            ctx.out.record(&quotes.take_ownership(id).send().await?)
        }
        QuotesCommand::Items(args) => line_items::run(ctx, client, args).await,
        QuotesCommand::Sections(args) => sections::run(ctx, client, args).await,
        QuotesCommand::Unshare { id, entry_id } => {
            quotes
                .delete_access_list_entry(id.clone(), entry_id.clone())
                .send()
                .await?;
            ctx.out.note(&format!(
                "removed {entry_id} from the access list of quote {id}"
            ));
            Ok(())
        }
        QuotesCommand::Attach { id, files } => {
            let added = quotes
                .upload_attachments(id, &uploads(&files)?)
                .send()
                .await?;
            ctx.out.list(&added, ATTACHMENT_COLUMNS)
        }
        QuotesCommand::Download { id, to } => {
            to.save(ctx, quotes.download_attachments_zip(id)).await
        }
        QuotesCommand::Attachments(args) => attachments::run(ctx, client, args).await,
        QuotesCommand::Library(args) => attachments::run_library(ctx, client, args).await,
        QuotesCommand::Preferences(args) => preferences::run(ctx, client, args).await,
        QuotesCommand::Access { id } => ctx
            .out
            .list(&quotes.access_list(id).send().await?, ACCESS_COLUMNS),
        QuotesCommand::Share { id, email, name } => {
            let mut entry = NewAccessListEntry::new(email);
            if let Some(name) = name {
                entry = entry.account_name(name);
            }
            let list = quotes.add_access_list_entries(id, &[entry]).send().await?;
            ctx.out.list(&list, ACCESS_COLUMNS)
        }
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListQuotes) -> CliResult {
    let mut list = client.quotes().list();
    if let Some(field) = args.sort {
        let direction = if args.desc {
            Direction::Desc
        } else {
            Direction::Asc
        };
        list = list.sort(field.into(), direction);
    }
    for status in args.status {
        list = list.status(status);
    }
    if let Some(text) = args.search {
        list = list.search(text);
    }
    if let Some(account) = args.account {
        list = list.account(account);
    }
    if let Some(intent) = args.intent_type {
        list = list.intent_type(intent);
    }
    if let Some(size) = args.list.page_size {
        list = list.size(size);
    }
    if args.list.all {
        return ctx.out.stream(list.stream(), COLUMNS).await;
    }
    if let Some(page) = args.list.page {
        list = list.page(page);
    }
    let answer = list.send().await?;
    ctx.out.page(&answer.page, COLUMNS)?;
    if !ctx.out.is_json() {
        let c = answer.status_counts;
        ctx.out.note(&format!(
            "by status: {} draft, {} sent, {} accepted, {} declined, {} closed, {} expired, {} pending",
            c.draft, c.sent, c.accepted, c.declined, c.closed, c.expired, c.pending
        ));
    }
    Ok(())
}

async fn update(ctx: &Ctx, client: &pax8::Client, args: UpdateQuote) -> CliResult {
    if args.status.is_none()
        && args.expires_on.is_none()
        && args.intro_message.is_none()
        && args.terms.is_none()
        && args.published.is_none()
    {
        return Err(CliError::invalid(
            "nothing to change: give at least one of --status, --expires-on, --intro-message, --terms, --published",
        ));
    }
    let quotes = client.quotes();
    // Pax8's PUT takes every editable field: start from the quote as it is.
    let quote = quotes.get(args.id.clone()).send().await?;
    let mut change = QuoteUpdate::from_quote(&quote)?;
    if let Some(status) = args.status {
        change = change.status(status);
    }
    if let Some(day) = args.expires_on {
        change = change.expires_on(Timestamp::from_date_time(day.midnight().assume_utc()));
    }
    if let Some(text) = args.intro_message {
        change = change.intro_message(text);
    }
    if let Some(text) = args.terms {
        change = change.terms_and_disclaimers(text);
    }
    if let Some(published) = args.published {
        change = change.published(published);
    }
    ctx.out
        .record(&quotes.update(args.id, &change).send().await?)
}

/// Files to upload, each read whole (a file that cannot be read stops the command before any
/// request).
fn uploads(files: &[PathBuf]) -> CliResult<Vec<Upload>> {
    files.iter().map(|path| upload(path)).collect()
}

/// A file to upload, its media type from its extension.
fn upload(path: &std::path::Path) -> CliResult<Upload> {
    let data = std::fs::read(path)
        .map_err(|e| CliError::other(format!("cannot read {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CliError::invalid(format!("{}: not a file name", path.display())))?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let media_type = match extension.as_deref() {
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    };
    Ok(Upload::new(name, media_type, data))
}

/// Writes bytes to `path`, or to stdout for `-`.
fn write_output(path: &std::path::Path, data: &[u8]) -> CliResult {
    use std::io::Write;
    if path.as_os_str() == "-" {
        return std::io::stdout()
            .lock()
            .write_all(data)
            .map_err(|e| CliError::other(format!("cannot write to stdout: {e}")));
    }
    std::fs::write(path, data)
        .map_err(|e| CliError::other(format!("cannot write {}: {e}", path.display())))
}
