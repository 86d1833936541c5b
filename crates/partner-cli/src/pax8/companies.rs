//! `partner pax8 companies ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use pax8::{
    Address, Company, CompanyId, CompanySort, CompanyStatus, CompanyUpdate, ContactType,
    NewCompany, NewContact,
};
use serde::Deserialize;

use super::listing;
use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::input::read_json;
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
    /// Create a company, from flags or from a JSON document (--file).
    ///
    /// A company is `Active` only once it has primary Admin, Billing and Technical contacts: give
    /// the --contact-* flags to create one contact holding all three roles with the company, or add
    /// contacts later with `partner pax8 contacts create`. Until then it is `Inactive` and cannot
    /// order. Pax8 has no idempotency keys: if the command fails with exit code 6, list the
    /// companies before creating it again.
    Create(Box<CreateCompany>),
    /// Change only the given fields of a company (PATCH).
    ///
    /// Address flags change only the address lines given: the current address is fetched first and
    /// sent back with those lines changed, since Pax8 replaces the address as a whole. An update
    /// that changes nothing is refused before anything is sent.
    Update(Box<UpdateCompany>),
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
    /// Only companies in this state or province.
    #[arg(long = "state")]
    state_or_province: Option<String>,
    /// Only companies with this postal code.
    #[arg(long)]
    postal_code: Option<String>,
    /// Only companies that may (true) or may not (false) order by themselves.
    #[arg(long)]
    self_service_allowed: Option<bool>,
    /// Only companies Pax8 bills (true) or does not bill (false) on your behalf.
    #[arg(long)]
    bill_on_behalf_of_enabled: Option<bool>,
    /// Only companies whose self-service orders need (true) or do not need (false) approval.
    #[arg(long)]
    order_approval_required: Option<bool>,
}

/// The address lines, each optional (required ones are checked by `create`).
#[derive(Debug, Clone, Args)]
struct AddressFlags {
    /// Street, first line.
    #[arg(long)]
    street: Option<String>,
    /// Street, second line.
    #[arg(long)]
    street2: Option<String>,
    /// City.
    #[arg(long)]
    city: Option<String>,
    /// State or province.
    #[arg(long = "state")]
    state_or_province: Option<String>,
    /// Postal code.
    #[arg(long)]
    postal_code: Option<String>,
    /// Country, as an ISO 3166-1 alpha-2 code in capitals (`US`, `GB`).
    #[arg(long)]
    country: Option<String>,
}

impl AddressFlags {
    fn is_empty(&self) -> bool {
        [
            &self.street,
            &self.street2,
            &self.city,
            &self.state_or_province,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|line| line.is_none())
    }

    /// `address` with the lines given here replaced.
    fn apply_to(self, mut address: Address) -> Address {
        let lines = [
            (self.street, &mut address.street),
            (self.street2, &mut address.street2),
            (self.city, &mut address.city),
            (self.state_or_province, &mut address.state_or_province),
            (self.postal_code, &mut address.postal_code),
            (self.country, &mut address.country),
        ];
        for (given, line) in lines {
            if given.is_some() {
                *line = given;
            }
        }
        address
    }
}

/// The fields of a company other than its address, each optional.
#[derive(Debug, Args)]
struct CompanyFields {
    /// The company's name.
    #[arg(long)]
    name: Option<String>,
    /// The main phone number, as you want it shown (`+1 303 555 0100`).
    #[arg(long)]
    phone: Option<String>,
    /// The website (`https://example.com`).
    #[arg(long)]
    website: Option<String>,
    /// Your own reference for the company (some partners keep the Microsoft tenant id here).
    #[arg(long)]
    external_id: Option<String>,
    /// Whether the company may order by itself: true or false (create: false when absent).
    #[arg(long, value_name = "BOOL")]
    self_service_allowed: Option<bool>,
    /// Whether Pax8 bills the company on your behalf: true or false (create: false when absent).
    #[arg(long, value_name = "BOOL")]
    bill_on_behalf_of_enabled: Option<bool>,
    /// Whether the company's self-service orders need your approval: true or false (create: false
    /// when absent).
    #[arg(long, value_name = "BOOL")]
    order_approval_required: Option<bool>,
}

/// One contact created with the company, primary for the Admin, Billing and Technical roles.
#[derive(Debug, Args)]
struct PrimaryContact {
    /// The primary contact's first name (with --contact-last-name, --contact-email and
    /// --contact-phone).
    #[arg(long)]
    contact_first_name: Option<String>,
    /// The primary contact's last name.
    #[arg(long)]
    contact_last_name: Option<String>,
    /// The primary contact's email address.
    #[arg(long)]
    contact_email: Option<String>,
    /// The primary contact's phone number.
    #[arg(long)]
    contact_phone: Option<String>,
}

impl PrimaryContact {
    /// The contact, if any flag was given; all four are then required.
    fn build(self) -> CliResult<Option<NewContact>> {
        let PrimaryContact {
            contact_first_name,
            contact_last_name,
            contact_email,
            contact_phone,
        } = self;
        if contact_first_name.is_none()
            && contact_last_name.is_none()
            && contact_email.is_none()
            && contact_phone.is_none()
        {
            return Ok(None);
        }
        let required = |value: Option<String>, flag: &str| {
            value.ok_or_else(|| {
                CliError::invalid(format!(
                    "{flag} is required with the other --contact-* flags"
                ))
            })
        };
        let contact = NewContact::builder(
            required(contact_first_name, "--contact-first-name")?,
            required(contact_last_name, "--contact-last-name")?,
            required(contact_email, "--contact-email")?,
            required(contact_phone, "--contact-phone")?,
        )
        .primary_for_all()
        .build()?;
        Ok(Some(contact))
    }
}

#[derive(Debug, Args)]
struct CreateCompany {
    #[command(flatten)]
    fields: CompanyFields,
    #[command(flatten)]
    address: AddressFlags,
    #[command(flatten)]
    contact: PrimaryContact,
    /// Read the company from this JSON file (`-` for stdin) instead of flags, in Pax8's own shape:
    /// `{"name", "address": {"street", "city", "postalCode", "country", ...}, "phone", "website",
    /// "externalId", "selfServiceAllowed", "billOnBehalfOfEnabled", "orderApprovalRequired",
    /// "contacts": [{"firstName", "lastName", "email", "phone", "types": [{"type": "Admin",
    /// "primary": true}]}]}` (the three booleans default to false).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["CompanyFields", "AddressFlags", "PrimaryContact"]
    )]
    file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct UpdateCompany {
    /// The company's id.
    id: CompanyId,
    #[command(flatten)]
    fields: CompanyFields,
    #[command(flatten)]
    address: AddressFlags,
}

/// A company in a `--file` document: Pax8's JSON shape for `POST /companies`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CompanyDocument {
    name: String,
    address: Address,
    phone: String,
    website: String,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    self_service_allowed: bool,
    #[serde(default)]
    bill_on_behalf_of_enabled: bool,
    #[serde(default)]
    order_approval_required: bool,
    #[serde(default)]
    contacts: Vec<ContactDocument>,
}

/// A contact in a `--file` document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContactDocument {
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    #[serde(default)]
    types: Vec<ContactType>,
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
        CompaniesCommand::Create(args) => create(ctx, client, *args).await,
        CompaniesCommand::Update(args) => update(ctx, client, *args).await,
    }
}

async fn create(ctx: &Ctx, client: &pax8::Client, args: CreateCompany) -> CliResult {
    let company = match args.file {
        Some(path) => from_document(read_json(&path, "--file")?)?,
        None => from_flags(args.fields, args.address, args.contact)?,
    };
    let created = client.companies().create(&company).send().await?;
    print_company(ctx, &created)?;
    note_created(ctx, &created);
    Ok(())
}

/// A company: one JSON object with `--json`; else its fields, then the contacts Pax8 returned with
/// it (after a create) as a table.
fn print_company(ctx: &Ctx, company: &Company) -> CliResult {
    if ctx.out.is_json() || company.contacts.is_empty() {
        return ctx.out.record(company);
    }
    let mut fields = serde_json::to_value(company)
        .map_err(|e| CliError::other(format!("cannot print the company: {e}")))?;
    if let Some(map) = fields.as_object_mut() {
        map.remove("contacts");
    }
    ctx.out.record(&fields)?;
    ctx.out.list(&company.contacts, super::contacts::COLUMNS)
}

fn from_document(doc: CompanyDocument) -> CliResult<NewCompany> {
    let mut builder = NewCompany::builder(doc.name, doc.address, doc.phone, doc.website)
        .self_service_allowed(doc.self_service_allowed)
        .bill_on_behalf_of_enabled(doc.bill_on_behalf_of_enabled)
        .order_approval_required(doc.order_approval_required);
    if let Some(id) = doc.external_id {
        builder = builder.external_id(id);
    }
    for contact in doc.contacts {
        let mut new = NewContact::builder(
            contact.first_name,
            contact.last_name,
            contact.email,
            contact.phone,
        );
        for role in contact.types {
            new = new.role(role.kind, role.primary);
        }
        builder = builder.contact(new.build()?);
    }
    Ok(builder.build()?)
}

fn from_flags(
    fields: CompanyFields,
    address: AddressFlags,
    contact: PrimaryContact,
) -> CliResult<NewCompany> {
    let required = |value: Option<String>, flag: &str| {
        value.ok_or_else(|| CliError::invalid(format!("{flag} is required (or give --file)")))
    };
    let name = required(fields.name, "--name")?;
    let street = required(address.street, "--street")?;
    let city = required(address.city, "--city")?;
    let postal_code = required(address.postal_code, "--postal-code")?;
    let country = required(address.country, "--country")?;
    let phone = required(fields.phone, "--phone")?;
    let website = required(fields.website, "--website")?;
    let mut full_address = Address::new(street, city, postal_code, country);
    if let Some(street2) = address.street2 {
        full_address = full_address.street2(street2);
    }
    if let Some(state) = address.state_or_province {
        full_address = full_address.state_or_province(state);
    }
    let mut builder = NewCompany::builder(name, full_address, phone, website)
        .self_service_allowed(fields.self_service_allowed.unwrap_or(false))
        .bill_on_behalf_of_enabled(fields.bill_on_behalf_of_enabled.unwrap_or(false))
        .order_approval_required(fields.order_approval_required.unwrap_or(false));
    if let Some(id) = fields.external_id {
        builder = builder.external_id(id);
    }
    if let Some(contact) = contact.build()? {
        builder = builder.contact(contact);
    }
    Ok(builder.build()?)
}

fn note_created(ctx: &Ctx, company: &Company) {
    ctx.out.note(&format!("created company {}", company.id));
    if company.status == Some(CompanyStatus::Inactive) {
        ctx.out.note(&format!(
            "it stays Inactive (it cannot order) until it has primary Admin, Billing and Technical \
             contacts: partner pax8 contacts create --company-id {} ...",
            company.id
        ));
    }
}

async fn update(ctx: &Ctx, client: &pax8::Client, args: UpdateCompany) -> CliResult {
    let UpdateCompany {
        id,
        fields,
        address,
    } = args;
    let mut builder = CompanyUpdate::builder();
    if let Some(name) = fields.name {
        builder = builder.name(name);
    }
    if let Some(phone) = fields.phone {
        builder = builder.phone(phone);
    }
    if let Some(website) = fields.website {
        builder = builder.website(website);
    }
    if let Some(external_id) = fields.external_id {
        builder = builder.external_id(external_id);
    }
    if let Some(allowed) = fields.self_service_allowed {
        builder = builder.self_service_allowed(allowed);
    }
    if let Some(enabled) = fields.bill_on_behalf_of_enabled {
        builder = builder.bill_on_behalf_of_enabled(enabled);
    }
    if let Some(required) = fields.order_approval_required {
        builder = builder.order_approval_required(required);
    }
    let update = if address.is_empty() {
        builder.build()?
    } else {
        // Checked with only the given lines first, so bad input is refused before the GET.
        builder
            .clone()
            .address(address.clone().apply_to(Address::default()))
            .build()?;
        let current = client.companies().get(id.clone()).send().await?;
        builder
            .address(address.apply_to(current.address.unwrap_or_default()))
            .build()?
    };
    let updated = client.companies().update(id, &update).send().await?;
    ctx.out.record(&updated)?;
    ctx.out.note(&format!("updated company {}", updated.id));
    Ok(())
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListCompanies) -> CliResult {
    let mut list = client.companies().list();
    if let Some(field) = args.sort {
        let direction = listing::direction(args.desc);
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
    if let Some(state) = args.state_or_province {
        list = list.state_or_province(state);
    }
    if let Some(postal_code) = args.postal_code {
        list = list.postal_code(postal_code);
    }
    if let Some(allowed) = args.self_service_allowed {
        list = list.self_service_allowed(allowed);
    }
    if let Some(enabled) = args.bill_on_behalf_of_enabled {
        list = list.bill_on_behalf_of_enabled(enabled);
    }
    if let Some(required) = args.order_approval_required {
        list = list.order_approval_required(required);
    }
    listing::print(ctx, list, &args.list, COLUMNS).await
}
