//! What every Pax8 list command does once its filters are set: `--page-size`, then one page, or
//! every page with `--all`. Each of the crate's list builders has the same paging methods, so one
//! function serves them all.

use std::future::Future;

use futures_util::Stream;
use pax8::{Direction, Error, Page};
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::CliResult;
use crate::list_args::ListArgs;
use crate::output::Column;

/// A Pax8 list builder: the crate's `paging_methods!`, `send` and `stream`.
pub(super) trait Pax8List: Sized {
    type Item: Serialize;
    fn size(self, size: u32) -> Self;
    fn page(self, page: u64) -> Self;
    fn send(self) -> impl Future<Output = Result<Page<Self::Item>, Error>>;
    fn stream(self) -> impl Stream<Item = Result<Self::Item, Error>>;
}

macro_rules! pax8_lists {
    ($($list:ty => $item:ty),+ $(,)?) => {$(
        impl Pax8List for $list {
            type Item = $item;
            fn size(self, size: u32) -> Self {
                <$list>::size(self, size)
            }
            fn page(self, page: u64) -> Self {
                <$list>::page(self, page)
            }
            fn send(self) -> impl Future<Output = Result<Page<$item>, Error>> {
                <$list>::send(self)
            }
            fn stream(self) -> impl Stream<Item = Result<$item, Error>> {
                <$list>::stream(self)
            }
        }
    )+};
}

pax8_lists! {
    pax8::companies::ListCompanies => pax8::Company,
    pax8::contacts::ListContacts => pax8::Contact,
    pax8::products::ListProducts => pax8::Product,
    pax8::orders::ListOrders => pax8::Order,
    pax8::subscriptions::ListSubscriptions => pax8::Subscription,
    pax8::usage::ListUsageSummaries => pax8::UsageSummary,
    pax8::usage::ListUsageLines => pax8::UsageLine,
    pax8::invoices::ListInvoices => pax8::Invoice,
    pax8::invoices::ListInvoiceItems => pax8::InvoiceItem,
    pax8::webhooks::ListTopicDefinitions => pax8::webhooks::TopicDefinition,
    pax8::webhooks::ListWebhookLogs => pax8::webhooks::WebhookLog,
}

/// Prints the page `args` asks for, or every item with `--all`.
pub(super) async fn print<L: Pax8List>(
    ctx: &Ctx,
    mut list: L,
    args: &ListArgs,
    columns: &[Column],
) -> CliResult {
    if let Some(size) = args.page_size {
        list = list.size(size);
    }
    if args.all {
        return ctx.out.stream(list.stream(), columns).await;
    }
    if let Some(page) = args.page {
        list = list.page(page);
    }
    ctx.out.page(&list.send().await?, columns)
}

/// `--desc` as a sort direction.
pub(super) fn direction(desc: bool) -> Direction {
    if desc {
        Direction::Desc
    } else {
        Direction::Asc
    }
}
