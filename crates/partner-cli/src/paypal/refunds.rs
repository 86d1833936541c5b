//! `partner paypal refunds ...`: refunds of captured payments.

use clap::{Args, Subcommand};
use paypal_partner::{MerchantId, RefundId};

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner paypal refunds`.
#[derive(Debug, Args)]
pub(crate) struct RefundsArgs {
    #[command(subcommand)]
    command: RefundsCommand,
}

#[derive(Debug, Subcommand)]
enum RefundsCommand {
    /// One refund: its status, amount and the seller's side (gross, PayPal fee, platform fees,
    /// net).
    Get {
        /// The refund id (from `captures refund`).
        id: RefundId,
        /// The seller's PayPal merchant id: read the refund as that seller
        /// (`PayPal-Auth-Assertion`).
        #[arg(long, value_name = "MERCHANT_ID")]
        seller: Option<MerchantId>,
    },
}

pub(crate) async fn run(
    ctx: &Ctx,
    client: &paypal_partner::Client,
    args: RefundsArgs,
) -> CliResult {
    match args.command {
        RefundsCommand::Get { id, seller } => {
            let mut call = client.refunds().get(id);
            if let Some(seller) = seller {
                call = call.on_behalf_of(seller);
            }
            ctx.out.record(&call.send().await?)
        }
    }
}
