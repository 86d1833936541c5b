//! `partner pax8 products ...`: the catalogue.

use clap::{Args, Subcommand, ValueEnum};
use pax8::{CompanyId, ProductId, ProductSort};

use super::listing;
use crate::context::Ctx;
use crate::exit::CliResult;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("name", "/name"),
    col("vendor", "/vendorName"),
    col("sku", "/sku"),
    col("commitment", "/requiresCommitment"),
];

const PROVISIONING_COLUMNS: &[Column] = &[
    col("key", "/key"),
    col("label", "/label"),
    col("type", "/valueType"),
    col("choices", "/possibleValues"),
    col("description", "/description"),
];

const PRICING_COLUMNS: &[Column] = &[
    col("billing term", "/billingTerm"),
    col("commitment", "/commitmentTerm"),
    col("type", "/type"),
    col("unit", "/unitOfMeasurement"),
    col("rates", "/rates"),
];

/// `partner pax8 products`.
#[derive(Debug, Args)]
pub(crate) struct ProductsArgs {
    #[command(subcommand)]
    command: ProductsCommand,
}

#[derive(Debug, Subcommand)]
enum ProductsCommand {
    /// List the catalogue, with a search, a vendor filter and a sort.
    List(ListProducts),
    /// One product, with its long description.
    Get {
        /// The product's id.
        id: ProductId,
    },
    /// The values an order of the product must supply (`key` and the allowed values), to pass to
    /// `orders create --line ...,provision.KEY=VALUE`.
    ProvisioningDetails {
        /// The product's id.
        id: ProductId,
    },
    /// The commitment terms the product offers (their ids go in an order's `commitment=`) and the
    /// products it requires.
    Dependencies {
        /// The product's id.
        id: ProductId,
    },
    /// The product's prices: your buy rate and the suggested retail price per quantity band, for
    /// each billing term; with --company-id, that company's prices.
    Pricing {
        /// The product's id.
        id: ProductId,
        /// Price for this company (its own price list, where you set one).
        #[arg(long)]
        company_id: Option<CompanyId>,
    },
}

#[derive(Debug, Args)]
struct ListProducts {
    #[command(flatten)]
    list: ListArgs,
    /// Search names, vendors, SKUs and ids for this text.
    #[arg(long)]
    search: Option<String>,
    /// Only products of this vendor (`Microsoft`).
    #[arg(long)]
    vendor_name: Option<String>,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SortField>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortField {
    Name,
    Vendor,
}

impl From<SortField> for ProductSort {
    fn from(field: SortField) -> Self {
        match field {
            SortField::Name => ProductSort::Name,
            SortField::Vendor => ProductSort::Vendor,
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: ProductsArgs) -> CliResult {
    let products = client.products();
    match args.command {
        ProductsCommand::List(args) => list(ctx, client, args).await,
        ProductsCommand::Get { id } => ctx.out.record(&products.get(id).send().await?),
        ProductsCommand::ProvisioningDetails { id } => {
            let details = products.provision_details(id).send().await?;
            ctx.out.list(&details, PROVISIONING_COLUMNS)
        }
        ProductsCommand::Dependencies { id } => {
            ctx.out.record(&products.dependencies(id).send().await?)
        }
        ProductsCommand::Pricing { id, company_id } => {
            let prices = products.pricing(id, company_id.as_ref()).send().await?;
            ctx.out.list(&prices, PRICING_COLUMNS)
        }
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListProducts) -> CliResult {
    let mut list = client.products().list();
    if let Some(field) = args.sort {
        let direction = listing::direction(args.desc);
        list = list.sort(field.into(), direction);
    }
    if let Some(text) = args.search {
        list = list.search(text);
    }
    if let Some(vendor) = args.vendor_name {
        list = list.vendor_name(vendor);
    }
    listing::print(ctx, list, &args.list, COLUMNS).await
}
