//! Limit/offset paging: one page per `.send()`, every item with `.stream()`.
//!
//! Procuret states the full list's length only inside each object (`disposition.count`), so a page
//! reports it as `total_items`. Pages are walked one after the other while they come back full;
//! with [`prefetch`](crate::instalment_links::ListInstalmentLinks::prefetch) above 1 the stated count
//! also fixes how many pages there are, and the rest are fetched that many at a time.

use std::future::Future;

use futures_core::Stream;
use partner_core::Error;
use partner_core::pagination::{PaginationOptions, page_number_stream};

use crate::Page;
use crate::disposition::Disposition;

/// The default page size, as in Procuret's libraries.
pub(crate) const DEFAULT_LIMIT: u64 = 20;

/// An object of a list, which carries the list's metadata.
pub(crate) trait Listed {
    fn disposition(&self) -> Option<&Disposition>;
}

/// Where a list starts and how it is walked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) limit: u64,
    pub(crate) offset: u64,
    pub(crate) prefetch: usize,
}

impl Window {
    pub(crate) fn new() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            offset: 0,
            prefetch: 1,
        }
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.limit == 0 {
            return Err(Error::invalid_input("limit", "must be at least 1"));
        }
        Ok(())
    }

    /// The `number`th page (0-based, counted from the window's offset) of `items`.
    pub(crate) fn page<T: Listed>(&self, items: Vec<T>, number: u64) -> Page<T> {
        let total_items = items
            .first()
            .and_then(|item| item.disposition())
            .and_then(|d| d.count);
        // The stated count decides when the walk ends only when the caller asked for concurrent
        // pages; a sequential walk goes on while pages come back full, whatever the count says.
        let total_pages = match (total_items, self.prefetch > 1) {
            (Some(count), true) => Some(count.saturating_sub(self.offset).div_ceil(self.limit)),
            _ => None,
        };
        Page::new(items, number, self.limit, total_pages, total_items)
    }

    /// Every page from the offset on; `fetch(offset)` gets the items at one offset.
    pub(crate) fn pages<T, F, Fut>(
        self,
        fetch: F,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + Send
    where
        T: Listed + Send + 'static,
        F: Fn(u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<T>, Error>> + Send + 'static,
    {
        page_number_stream(
            move |number| {
                let items = fetch(
                    self.offset
                        .saturating_add(number.saturating_mul(self.limit)),
                );
                async move { Ok(self.page(items.await?, number)) }
            },
            PaginationOptions::default().prefetch(self.prefetch),
        )
    }
}
