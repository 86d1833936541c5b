//! `partner pax8 contacts ...`: the contacts of one company.

use clap::{Args, Subcommand};
use pax8::{CompanyId, ContactId, ContactKind, NewContact};

use super::listing;
use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

/// The columns of a list of contacts (also under a created company).
pub(super) const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("first name", "/firstName"),
    col("last name", "/lastName"),
    col("email", "/email"),
    col("phone", "/phone"),
    col("roles", "/types"),
];

/// `partner pax8 contacts`.
#[derive(Debug, Args)]
pub(crate) struct ContactsArgs {
    #[command(subcommand)]
    command: ContactsCommand,
}

#[derive(Debug, Subcommand)]
enum ContactsCommand {
    /// List a company's contacts, newest first.
    List {
        #[command(flatten)]
        company: CompanyArg,
        #[command(flatten)]
        list: ListArgs,
    },
    /// One contact.
    Get {
        #[command(flatten)]
        company: CompanyArg,
        /// The contact's id.
        id: ContactId,
    },
    /// Add a contact to a company.
    ///
    /// A company is `Active` (and can order) only once it has a primary Admin, a primary Billing
    /// and a primary Technical contact; one contact may hold all three roles
    /// (`--primary Admin --primary Billing --primary Technical`).
    Create(CreateContact),
    /// Change only the given fields of a contact.
    ///
    /// Pax8 replaces a contact as a whole (PUT), so the current contact is fetched first and sent
    /// back with the given fields changed. Roles given with --role/--primary replace all its roles.
    Update(UpdateContact),
    /// Delete a contact.
    Delete {
        #[command(flatten)]
        company: CompanyArg,
        /// The contact's id.
        id: ContactId,
    },
}

/// The company whose contacts these are.
#[derive(Debug, Args)]
struct CompanyArg {
    /// The company's id.
    #[arg(long)]
    company_id: CompanyId,
}

/// The roles a contact holds, as flags.
#[derive(Debug, Args)]
struct Roles {
    /// A role the contact holds without being the company's primary contact for it: Admin,
    /// Billing or Technical (repeatable).
    #[arg(long = "role", value_name = "KIND", value_parser = known::<ContactKind>)]
    roles: Vec<ContactKind>,
    /// A role for which the contact is the company's primary contact: Admin, Billing or Technical
    /// (repeatable).
    #[arg(long = "primary", value_name = "KIND", value_parser = known::<ContactKind>)]
    primary: Vec<ContactKind>,
}

impl Roles {
    fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.primary.is_empty()
    }

    /// The roles as `(kind, primary)`, refusing a role given both ways.
    fn pairs(self) -> CliResult<Vec<(ContactKind, bool)>> {
        if let Some(both) = self.roles.iter().find(|kind| self.primary.contains(kind)) {
            return Err(CliError::invalid(format!(
                "--role {both} and --primary {both}: give a role once, with --primary if the \
                 contact is the primary one"
            )));
        }
        let primary = self.primary.into_iter().map(|kind| (kind, true));
        Ok(primary
            .chain(self.roles.into_iter().map(|kind| (kind, false)))
            .collect())
    }
}

#[derive(Debug, Args)]
struct CreateContact {
    #[command(flatten)]
    company: CompanyArg,
    /// First name.
    #[arg(long)]
    first_name: String,
    /// Last name.
    #[arg(long)]
    last_name: String,
    /// Email address.
    #[arg(long)]
    email: String,
    /// Phone number, as you want it shown (`+1 303 555 0100`).
    #[arg(long)]
    phone: String,
    #[command(flatten)]
    roles: Roles,
}

#[derive(Debug, Args)]
struct UpdateContact {
    #[command(flatten)]
    company: CompanyArg,
    /// The contact's id.
    id: ContactId,
    /// New first name.
    #[arg(long)]
    first_name: Option<String>,
    /// New last name.
    #[arg(long)]
    last_name: Option<String>,
    /// New email address.
    #[arg(long)]
    email: Option<String>,
    /// New phone number.
    #[arg(long)]
    phone: Option<String>,
    #[command(flatten)]
    roles: Roles,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: ContactsArgs) -> CliResult {
    match args.command {
        ContactsCommand::List { company, list } => {
            let builder = client.companies().contacts(company.company_id).list();
            listing::print(ctx, builder, &list, COLUMNS).await
        }
        ContactsCommand::Get { company, id } => {
            let contact = client
                .companies()
                .contacts(company.company_id)
                .get(id)
                .send()
                .await?;
            ctx.out.record(&contact)
        }
        ContactsCommand::Create(args) => create(ctx, client, args).await,
        ContactsCommand::Update(args) => update(ctx, client, args).await,
        ContactsCommand::Delete { company, id } => {
            client
                .companies()
                .contacts(company.company_id)
                .delete(id.clone())
                .send()
                .await?;
            ctx.out.note(&format!("deleted contact {id}"));
            Ok(())
        }
    }
}

async fn create(ctx: &Ctx, client: &pax8::Client, args: CreateContact) -> CliResult {
    let mut builder = NewContact::builder(args.first_name, args.last_name, args.email, args.phone);
    for (kind, primary) in args.roles.pairs()? {
        builder = builder.role(kind, primary);
    }
    let contact = builder.build()?;
    let created = client
        .companies()
        .contacts(args.company.company_id)
        .create(&contact)
        .send()
        .await?;
    ctx.out.record(&created)?;
    ctx.out.note(&format!("created contact {}", created.id));
    Ok(())
}

async fn update(ctx: &Ctx, client: &pax8::Client, args: UpdateContact) -> CliResult {
    let UpdateContact {
        company,
        id,
        first_name,
        last_name,
        email,
        phone,
        roles,
    } = args;
    if first_name.is_none()
        && last_name.is_none()
        && email.is_none()
        && phone.is_none()
        && roles.is_empty()
    {
        return Err(CliError::invalid(
            "update: give at least one of --first-name, --last-name, --email, --phone, --role, \
             --primary",
        ));
    }
    let roles = if roles.is_empty() {
        None
    } else {
        Some(roles.pairs()?)
    };
    // The new values are checked as the crate checks a whole contact, before anything is sent.
    check_fields(
        first_name.as_deref(),
        last_name.as_deref(),
        email.as_deref(),
        phone.as_deref(),
    )?;
    let updated = client
        .companies()
        .contacts(company.company_id)
        .modify(id, |contact| {
            if let Some(value) = first_name {
                contact.first_name = value;
            }
            if let Some(value) = last_name {
                contact.last_name = value;
            }
            if let Some(value) = email {
                contact.email = value;
            }
            if let Some(value) = phone {
                contact.phone = value;
            }
            if let Some(roles) = roles {
                contact.types = roles
                    .into_iter()
                    .map(|(kind, primary)| pax8::ContactType::new(kind, primary))
                    .collect();
            }
        })
        .send()
        .await?;
    ctx.out.record(&updated)?;
    ctx.out.note(&format!("updated contact {}", updated.id));
    Ok(())
}

/// Checks the fields given to `update` with the crate's own contact check, filling the others
/// with valid placeholders (they come from the current contact when sent).
fn check_fields(
    first_name: Option<&str>,
    last_name: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
) -> CliResult {
    NewContact::builder(
        first_name.unwrap_or("x"),
        last_name.unwrap_or("x"),
        email.unwrap_or("x@example.com"),
        phone.unwrap_or("0"),
    )
    .build()?;
    Ok(())
}
