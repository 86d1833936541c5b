//! `partner leanpub ...`: partner discounts from the Leanpub partner discount service.

use clap::{Args, Subcommand};
use leanpub_affiliate::{Acknowledgement, DiscountRequest, Environment, Recipient};
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// `partner leanpub`.
#[derive(Debug, Args)]
pub(crate) struct LeanpubArgs {
    #[command(subcommand)]
    command: LeanpubCommand,
}

#[derive(Debug, Subcommand)]
enum LeanpubCommand {
    /// Ask for a discount on a book for one recipient; print the service's answer.
    ///
    /// A rehearsal unless --production: the request says `sandboxMode: true`, no coupon is made
    /// and the email goes to the service's predefined address. An answer of code 0 only means the
    /// service scheduled the job: no coupon or email is confirmed, and it cannot be asked later.
    ///
    /// Never sent twice: the service has no idempotency key, so the request is retried only when
    /// it certainly did not arrive (a failed connection, a 429). After a timeout or a 5xx the
    /// command ends with exit code 6: find out whether the recipient got a coupon before sending
    /// it again.
    Discount(DiscountArgs),
}

#[derive(Debug, Args)]
struct DiscountArgs {
    /// The Leanpub product (book) id, e.g. `async-rust-field-guide`.
    #[arg(long)]
    product: String,
    /// The recipient's email address (where the coupon goes, in production).
    #[arg(long)]
    email: String,
    /// The recipient's first name (Latin-1 text).
    #[arg(long)]
    first_name: String,
    /// The recipient's last name (Latin-1 text).
    #[arg(long)]
    last_name: String,
    /// Which of your registered origins the request comes from, e.g. `shop.example.com` (the
    /// service refuses an origin it does not know with code 404).
    #[arg(long)]
    origin: String,
    /// Your own reference for the request (an order number), for reconciliation. The service is
    /// not documented to deduplicate on it.
    #[arg(long)]
    transaction_id: Option<String>,
    /// Send a real discount: the production service, `sandboxMode: false`. Needs a partner
    /// account cleared for production; refused with --sandbox or with LEANPUB_ENVIRONMENT set to
    /// anything but `production`. Without it, LEANPUB_ENVIRONMENT=production is refused.
    #[arg(long)]
    production: bool,
}

/// What the command prints: the service's acknowledgement.
#[derive(Debug, Serialize)]
struct DiscountResult {
    code: i64,
    status: &'static str,
    sandbox_mode: bool,
    message: Option<String>,
    request_id: Option<String>,
    aws_request_id: Option<String>,
}

impl From<Acknowledgement> for DiscountResult {
    fn from(ack: Acknowledgement) -> Self {
        DiscountResult {
            code: 0,
            status: "acknowledged: scheduled, not yet delivered",
            sandbox_mode: ack.sandbox_mode,
            message: ack.message,
            request_id: ack.request_id,
            aws_request_id: ack.aws_request_id,
        }
    }
}

/// The client: the settings' (sandbox by default) without --production; the production service
/// with it. Either way, an environment setting that says otherwise is refused before anything is
/// sent.
fn client(ctx: &Ctx, production: bool) -> CliResult<leanpub_affiliate::Client> {
    if !production {
        let refused = || {
            CliError::invalid(
                "the Leanpub environment is production: add --production to send a real \
                 discount (without it, this command only rehearses in the sandbox)",
            )
        };
        // Checked before the credentials, so that this is what a production setting hears.
        if ctx
            .setting("LEANPUB_ENVIRONMENT")
            .is_some_and(|(value, _)| value.trim().eq_ignore_ascii_case("production"))
        {
            return Err(refused());
        }
        let client = ctx.leanpub(false)?;
        if *client.environment() == Environment::Production {
            return Err(refused());
        }
        return Ok(client);
    }
    if ctx.sandbox().is_some() {
        return Err(CliError::invalid(
            "--production sends a real discount: it cannot be combined with --sandbox",
        ));
    }
    if let Some((value, _)) = ctx.setting("LEANPUB_ENVIRONMENT")
        && !value.trim().eq_ignore_ascii_case("production")
    {
        return Err(CliError::invalid(format!(
            "--production sends a real discount to the production service, but the Leanpub \
             environment is set to `{value}`: unset LEANPUB_ENVIRONMENT or drop --production"
        )));
    }
    ctx.leanpub(true)
}

pub(crate) async fn run(ctx: &Ctx, args: LeanpubArgs) -> CliResult {
    match args.command {
        LeanpubCommand::Discount(args) => discount(ctx, args).await,
    }
}

async fn discount(ctx: &Ctx, args: DiscountArgs) -> CliResult {
    let client = client(ctx, args.production)?;
    let mut body = DiscountRequest::builder()
        .product_id(args.product)
        .origin(args.origin)
        .recipient(Recipient::new(args.first_name, args.last_name, args.email));
    if let Some(transaction_id) = args.transaction_id {
        body = body.transaction_id(transaction_id);
    }
    // Checked here: a bad field is exit 2, and nothing is sent.
    let body = body.build()?;
    let ack = client.discounts().request(body).send().await?;
    if ack.sandbox_mode {
        ctx.out.note(
            "Acknowledged in sandbox mode: no coupon is made; the service emails its predefined \
             address.",
        );
    } else {
        ctx.out.note(
            "Acknowledged: the service scheduled the coupon; delivery is not confirmed and cannot \
             be checked later.",
        );
    }
    ctx.out.record(&DiscountResult::from(ack))
}
