//! `partner procuret ...`: sign in (`login`, `logout`), instalment links, payment series and
//! term-rate groups. One module per resource; the session every call but `login` needs is found
//! here, the same way for every command.

mod instalment_links;
mod login;
mod payment_series;
mod session_store;
mod term_rates;

use clap::{Args, Subcommand};
use partner_core::Page;
use procuret::{Client, EntityId, NewSession, Perspective, Session};

use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ExitKind};
use crate::list_args::ListArgs;
use session_store::SessionStore;

/// `partner procuret`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub(crate) struct ProcuretArgs {
    #[command(subcommand)]
    command: ProcuretCommand,
}

const AFTER_HELP: &str = "\
Sessions: every command but `login` needs a Procuret session. It is, in this order:
  - PROCURET_SESSION_ID and PROCURET_SESSION_SECRET (and PROCURET_SESSION_LIFECYCLE), when set;
  - the session `partner procuret login` stored for the profile (encrypted, in the config
    directory), if it was made for the same environment;
  - under --sandbox, a session created for this one command with the sandbox's account.
Without one, the command fails with exit code 4.

Examples:
  partner --sandbox procuret link create --amount 422.42 --email customer@example.org --invoice T055
  partner --sandbox procuret links list --page-size 5
  partner procuret login --entity-id 589121125121";

#[derive(Debug, Subcommand)]
enum ProcuretCommand {
    /// Sign in: asks for the perspective, the lifecycle, the account's email and passphrase (without
    /// echo), has Procuret send a second-factor code, asks for it, and stores the session encrypted
    /// (XChaCha20-Poly1305) in `<config dir>/procuret/<profile>.session`. stdin must be a terminal.
    ///
    /// The key is PARTNER_SESSION_KEY (base64 of 32 bytes) when set, else `<config dir>/session.key`,
    /// generated on first use. Under --sandbox the flow runs against the in-process simulator
    /// (its account and the code are shown) and the session is not stored.
    Login(login::LoginArgs),
    /// Forget the stored session of the profile (says whether there was one). The session itself
    /// stays valid at Procuret until it expires: the API has no sign-out call.
    Logout,
    /// Instalment links: create (`link create`), list, get.
    #[command(visible_alias = "link")]
    Links(instalment_links::LinksArgs),
    /// Payment series (the instalment plans of taken-up links): list, get.
    PaymentSeries(payment_series::PaymentSeriesArgs),
    /// Term-rate groups (the terms a supplier's customers may choose): get.
    TermRates(term_rates::TermRatesArgs),
}

pub(crate) async fn run(ctx: &Ctx, args: ProcuretArgs) -> CliResult {
    let command = match args.command {
        ProcuretCommand::Login(args) => return login::login(ctx, args).await,
        ProcuretCommand::Logout => return login::logout(ctx),
        command => command,
    };
    let signed = signed_in(ctx).await?;
    let result = match command {
        ProcuretCommand::Links(args) => instalment_links::run(ctx, &signed, args).await,
        ProcuretCommand::PaymentSeries(args) => {
            payment_series::run(ctx, &signed.client, args).await
        }
        ProcuretCommand::TermRates(args) => term_rates::run(ctx, &signed.client, args).await,
        // Handled above, without a session.
        ProcuretCommand::Login(_) | ProcuretCommand::Logout => Ok(()),
    };
    if signed.from_store
        && let Err(err) = &result
        && err.kind() == ExitKind::Authentication
    {
        ctx.out.note(
            "hint: Procuret refused the stored session (it may have expired or been revoked): \
             run `partner procuret login` again",
        );
    }
    result
}

/// A client with a session, and the supplier entity known for it (recorded at login, or the
/// sandbox's supplier).
#[derive(Debug)]
pub(crate) struct SignedIn {
    pub(crate) client: Client,
    pub(crate) entity_id: Option<EntityId>,
    /// Whether the session is the one `login` stored.
    pub(crate) from_store: bool,
}

/// The client of a command that needs a session: see [`AFTER_HELP`] for where it comes from.
async fn signed_in(ctx: &Ctx) -> CliResult<SignedIn> {
    let client = ctx.procuret_builder().build()?;
    if let Some(sandbox) = ctx.sandbox() {
        let procuret = sandbox.procuret();
        let session = sandbox_session(&client, procuret).await?;
        let supplier = i64::try_from(procuret.credentials().supplier_id).ok();
        return Ok(SignedIn {
            client: client.with_session(session)?,
            entity_id: supplier.map(EntityId::new),
            from_store: false,
        });
    }
    // PROCURET_SESSION_ID/SECRET win, as in the crate's from_env.
    if client.session().is_some() {
        return Ok(SignedIn {
            client,
            entity_id: None,
            from_store: false,
        });
    }
    let store = SessionStore::new(ctx.config_dir(), ctx.profile_name())?;
    let Some(stored) = store.load()? else {
        return Err(CliError::new(
            ExitKind::Authentication,
            "not signed in: run `partner procuret login` (or set PROCURET_SESSION_ID and \
             PROCURET_SESSION_SECRET)",
        ));
    };
    let environment = environment_of(&client)?;
    if stored.environment != environment {
        return Err(CliError::invalid(format!(
            "the stored session was made for {}, not {environment}: run `partner procuret login` \
             for this environment, or select the session's own (--environment or \
             PROCURET_ENVIRONMENT)",
            stored.environment
        )));
    }
    Ok(SignedIn {
        client: client.with_session(stored.session)?,
        entity_id: stored.entity_id,
        from_store: true,
    })
}

/// What identifies the environment a session belongs to: its API root.
fn environment_of(client: &Client) -> CliResult<String> {
    Ok(client.environment().base_url()?.to_string())
}

/// A session with the sandbox's supplier account, made without prompting: the code the simulator
/// "sent" is read back from it.
async fn sandbox_session(
    client: &Client,
    procuret: &partner_sandbox::procuret::ProcuretSandbox,
) -> CliResult<Session> {
    let account = procuret.credentials();
    client
        .second_factor_code()
        .email(account.email)
        .passphrase(account.secret)
        .perspective(Perspective::Supplier)
        .send()
        .await?;
    let code = procuret
        .last_second_factor_code(account.email)
        .ok_or_else(|| CliError::other("the sandbox sent no second-factor code"))?;
    let new_session = NewSession::builder()
        .email(account.email)
        .passphrase(account.secret)
        .perspective(Perspective::Supplier)
        .code(code)
        .build()?;
    Ok(client.sessions().create(&new_session).send().await?)
}

/// A clap parser for entity ids (the crate's integer ids have no `FromStr`): a positive integer.
pub(crate) fn entity_id(text: &str) -> Result<EntityId, String> {
    match text.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(EntityId::new(id)),
        _ => Err("expected an entity id: a positive integer such as 589121125121".to_owned()),
    }
}

/// Procuret's page size when none is given (as in its libraries).
const DEFAULT_PAGE_SIZE: u64 = 20;

/// Procuret pages by limit and offset: `--page N` (from 0) starts at N × the page size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) limit: u64,
    pub(crate) offset: u64,
    pub(crate) number: u64,
}

impl Window {
    pub(crate) fn of(list: &ListArgs) -> CliResult<Window> {
        let limit = list.page_size.map_or(DEFAULT_PAGE_SIZE, u64::from);
        if limit == 0 {
            return Err(CliError::invalid("--page-size must be at least 1"));
        }
        let number = list.page.unwrap_or(0);
        let offset = number
            .checked_mul(limit)
            .ok_or_else(|| CliError::invalid("--page is too large"))?;
        Ok(Window {
            limit,
            offset,
            number,
        })
    }

    /// `page` (which the crate numbers from its offset, so always 0) renumbered as asked.
    pub(crate) fn renumber<T>(&self, page: Page<T>) -> Page<T> {
        let Page {
            items,
            size,
            total_pages,
            total_items,
            ..
        } = page;
        Page::new(items, self.number, size, total_pages, total_items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids_are_positive_integers() {
        assert_eq!(entity_id("589121125121").unwrap().get(), 589121125121);
        assert!(entity_id("0").is_err());
        assert!(entity_id("-4").is_err());
        assert!(entity_id("acme").unwrap_err().contains("positive integer"));
    }

    #[test]
    fn pages_are_offsets() {
        let list = |page, page_size| ListArgs {
            page,
            page_size,
            all: false,
        };
        let window = Window::of(&list(Some(3), Some(5))).unwrap();
        assert_eq!((window.limit, window.offset, window.number), (5, 15, 3));
        let window = Window::of(&list(None, None)).unwrap();
        assert_eq!((window.limit, window.offset), (DEFAULT_PAGE_SIZE, 0));
        assert!(Window::of(&list(None, Some(0))).is_err());
        assert!(Window::of(&list(Some(u64::MAX), Some(2))).is_err());
    }
}
