//! Limit/offset paging as a stream: Procuret states no total, so pages are fetched one after the
//! other while they come back full.

use std::future::Future;

use futures_core::Stream;
use partner_core::Error;
use partner_core::pagination::{Page, PaginationOptions, page_number_stream};

/// The default page size, as in Procuret's libraries.
pub(crate) const DEFAULT_LIMIT: u64 = 20;

/// Every page from `start`, `limit` items at a time; `fetch(offset)` gets one page.
pub(crate) fn offset_pages<T, F, Fut>(
    start: u64,
    limit: u64,
    fetch: F,
) -> impl Stream<Item = Result<Page<T>, Error>> + Send
where
    T: Send + 'static,
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>, Error>> + Send + 'static,
{
    page_number_stream(
        move |page| {
            let items = fetch(start + page * limit);
            async move { Ok(Page::new(items.await?, page, limit, None, None)) }
        },
        PaginationOptions::default(),
    )
}

pub(crate) fn check_limit(limit: u64) -> Result<(), Error> {
    if limit == 0 {
        return Err(Error::invalid_input("limit", "must be at least 1"));
    }
    Ok(())
}
