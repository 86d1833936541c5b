//! `partner pax8 companies ...`.

use clap::{Args, Subcommand, ValueEnum};
use pax8::{CompanyId, CompanySort, CompanyStatus, Direction};

use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::CliResult;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("name", "/name"),
    col("status", "/status"),
    col("city", "/address/city"),
    col("country", "/address/country"),
];

/// `partner pax8 companies`.
#[derive(Debug, Args)]
pub(crate) struct CompaniesArgs {
    #[command(subcommand)]
    command: CompaniesCommand,
}

#[derive(Debug, Subcommand)]
enum CompaniesCommand {
    /// List companies, with filters and a sort.
    List(ListCompanies),
    /// One company.
    Get {
        /// The company's id.
        id: CompanyId,
    },
}

#[derive(Debug, Args)]
struct ListCompanies {
    #[command(flatten)]
    list: ListArgs,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SortField>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
    /// Only companies in this city.
    #[arg(long)]
    city: Option<String>,
    /// Only companies in this country (ISO alpha-2).
    #[arg(long)]
    country: Option<String>,
    /// Only companies with this status.
    #[arg(long, value_parser = known::<CompanyStatus>)]
    status: Option<CompanyStatus>,
    /// Only companies that may (true) or may not (false) order by themselves.
    #[arg(long)]
    self_service_allowed: Option<bool>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortField {
    Name,
    City,
    Country,
    StateOrProvince,
    PostalCode,
}

impl From<SortField> for CompanySort {
    fn from(field: SortField) -> Self {
        match field {
            SortField::Name => CompanySort::Name,
            SortField::City => CompanySort::City,
            SortField::Country => CompanySort::Country,
            SortField::StateOrProvince => CompanySort::StateOrProvince,
            SortField::PostalCode => CompanySort::PostalCode,
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: CompaniesArgs) -> CliResult {
    match args.command {
        CompaniesCommand::List(args) => list(ctx, client, args).await,
        CompaniesCommand::Get { id } => ctx.out.record(&client.companies().get(id).send().await?),
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListCompanies) -> CliResult {
    let mut list = client.companies().list();
    if let Some(field) = args.sort {
        let direction = if args.desc {
            Direction::Desc
        } else {
            Direction::Asc
        };
        list = list.sort(field.into(), direction);
    }
    if let Some(city) = args.city {
        list = list.city(city);
    }
    if let Some(country) = args.country {
        list = list.country(country);
    }
    if let Some(status) = args.status {
        list = list.status(status);
    }
    if let Some(allowed) = args.self_service_allowed {
        list = list.self_service_allowed(allowed);
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
    ctx.out.page(&list.send().await?, COLUMNS)
}
