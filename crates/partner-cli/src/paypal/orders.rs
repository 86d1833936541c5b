//! `partner paypal orders ...`: orders taken on behalf of a seller.

use clap::{Args, Subcommand, ValueEnum};
use paypal_partner::orders::{DisbursementMode, OrderRequest, PurchaseUnitRequest};
use paypal_partner::{IdempotencyKey, MerchantId, Money, OrderId};
use rust_decimal::Decimal;

use super::request_id;
use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner paypal orders`.
#[derive(Debug, Args)]
pub(crate) struct OrdersArgs {
    #[command(subcommand)]
    command: OrdersCommand,
}

#[derive(Debug, Subcommand)]
enum OrdersCommand {
    /// Create an order paid to a seller, with your platform fee, and print it; the buyer approves
    /// it at its `approve` link (printed on stderr), then `orders capture` (or `authorize`) takes
    /// the money.
    ///
    /// The amount and the fee are checked before anything is sent: at most two decimals (none for
    /// HUF, JPY, TWD), the fee in the order's currency and not above the amount.
    Create(CreateOrder),
    /// One order, with its purchase units and payments.
    Get {
        /// The order id.
        id: OrderId,
        /// The seller's PayPal merchant id: read the order as that seller (`PayPal-Auth-Assertion`).
        #[arg(long, value_name = "MERCHANT_ID")]
        seller: Option<MerchantId>,
    },
    /// Capture an approved `CAPTURE` order: the buyer pays, the seller is paid (less your fee).
    /// Prints the order with its capture (`purchase_units[].payments.captures[].id`, for
    /// `captures get` and `captures refund`).
    Capture(OrderAction),
    /// Authorize an approved `AUTHORIZE` order: the money is held for the seller, to be captured
    /// later. Prints the order with its authorization.
    Authorize(OrderAction),
}

#[derive(Debug, Args)]
struct CreateOrder {
    /// The seller's PayPal merchant id: the payee, and who the order is created for
    /// (`PayPal-Auth-Assertion`).
    #[arg(long, value_name = "MERCHANT_ID")]
    seller: MerchantId,
    /// The amount the buyer pays, in the currency's units (`10.00`).
    #[arg(long)]
    amount: Decimal,
    /// The currency (ISO 4217, in capitals: `USD`).
    #[arg(long, value_name = "CODE")]
    currency: String,
    /// Your platform fee, taken from the seller's share, in the same currency (`1.00`).
    #[arg(long, value_name = "AMOUNT")]
    platform_fee: Option<Decimal>,
    /// `capture`: take the money when the buyer approves; `authorize`: hold it, capture later.
    #[arg(long, value_enum, default_value_t = Intent::Capture)]
    intent: Intent,
    /// When the seller gets the funds: `instant` (at capture, PayPal's default) or `delayed` (held
    /// until you release them).
    #[arg(long, value_enum)]
    disbursement: Option<Disbursement>,
    /// What the buyer is paying for (at most 127 characters).
    #[arg(long)]
    description: Option<String>,
    /// Your invoice id for the order (at most 127 characters; PayPal refuses it twice).
    #[arg(long)]
    invoice_id: Option<String>,
    /// Your own id for the order, returned in reports and webhooks (at most 127 characters).
    #[arg(long)]
    custom_id: Option<String>,
    /// Sent as `PayPal-Request-Id` (1 to 108 visible ASCII characters; generated when absent): a
    /// create that failed or timed out, repeated with the same id, is not applied twice (PayPal
    /// remembers an order's request id for 6 hours).
    #[arg(long, visible_alias = "idempotency-key", value_parser = request_id, value_name = "ID")]
    request_id: Option<IdempotencyKey>,
}

#[derive(Debug, Args)]
struct OrderAction {
    /// The order id.
    id: OrderId,
    /// The seller's PayPal merchant id: act as that seller (`PayPal-Auth-Assertion`).
    #[arg(long, value_name = "MERCHANT_ID")]
    seller: Option<MerchantId>,
    /// Sent as `PayPal-Request-Id` (1 to 108 visible ASCII characters; generated when absent):
    /// repeating a call that failed or timed out with the same id is not applied twice.
    #[arg(long, visible_alias = "idempotency-key", value_parser = request_id, value_name = "ID")]
    request_id: Option<IdempotencyKey>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Intent {
    Capture,
    Authorize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Disbursement {
    Instant,
    Delayed,
}

impl From<Disbursement> for DisbursementMode {
    fn from(mode: Disbursement) -> Self {
        match mode {
            Disbursement::Instant => DisbursementMode::Instant,
            Disbursement::Delayed => DisbursementMode::Delayed,
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, client: &paypal_partner::Client, args: OrdersArgs) -> CliResult {
    let orders = client.orders();
    match args.command {
        OrdersCommand::Create(args) => create(ctx, client, args).await,
        OrdersCommand::Get { id, seller } => {
            let mut call = orders.get(id);
            if let Some(seller) = seller {
                call = call.on_behalf_of(seller);
            }
            ctx.out.record(&call.send().await?)
        }
        OrdersCommand::Capture(action) => {
            let mut call = orders.capture(action.id);
            if let Some(seller) = action.seller {
                call = call.on_behalf_of(seller);
            }
            if let Some(key) = action.request_id {
                call = call.idempotency_key(key);
            }
            ctx.out.record(&call.send().await?)
        }
        OrdersCommand::Authorize(action) => {
            let mut call = orders.authorize(action.id);
            if let Some(seller) = action.seller {
                call = call.on_behalf_of(seller);
            }
            if let Some(key) = action.request_id {
                call = call.idempotency_key(key);
            }
            ctx.out.record(&call.send().await?)
        }
    }
}

async fn create(ctx: &Ctx, client: &paypal_partner::Client, args: CreateOrder) -> CliResult {
    let mut unit = PurchaseUnitRequest::new(Money::new(args.currency.clone(), args.amount))
        .payee_merchant_id(args.seller.clone());
    if let Some(fee) = args.platform_fee {
        unit = unit.platform_fee(Money::new(args.currency, fee));
    }
    if let Some(mode) = args.disbursement {
        unit = unit.disbursement_mode(mode.into());
    }
    if let Some(text) = args.description {
        unit = unit.description(text);
    }
    if let Some(id) = args.invoice_id {
        unit = unit.invoice_id(id);
    }
    if let Some(id) = args.custom_id {
        unit = unit.custom_id(id);
    }
    let order = match args.intent {
        Intent::Capture => OrderRequest::capture(unit),
        Intent::Authorize => OrderRequest::authorize(unit),
    }
    .build()?;
    let mut call = client.orders().create(&order).on_behalf_of(args.seller);
    if let Some(key) = args.request_id {
        call = call.idempotency_key(key);
    }
    let created = call.send().await?;
    ctx.out.record(&created)?;
    match created.approve_url() {
        Some(url) => ctx.out.note(&format!(
            "created order {}: the buyer approves it at {url}",
            created.id
        )),
        None => ctx.out.note(&format!("created order {}", created.id)),
    }
    Ok(())
}
