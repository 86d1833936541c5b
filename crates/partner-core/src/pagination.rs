//! [`Page`], what every list call of every provider crate returns, and the lazy stream of every item
//! behind each list builder's `.stream()`.
//!
//! Lists are page-numbered: `page`/`size` parameters and, usually, a total page count in the answer
//! (Pax8), or `limit`/`offset` with no total (Procuret). Once the total is known from the first page,
//! [`page_number_stream`] can fetch later pages ahead with a bounded concurrency
//! ([`PaginationOptions::prefetch`]) while items are still yielded in order. It guards against endless
//! loops: it stops on an empty page, on a page that is not the one asked for, and after
//! [`PaginationOptions::max_pages`].
//!
//! ```
//! use partner_core::pagination::Page;
//!
//! let page = Page::new(vec!["a", "b"], 0, 2, Some(3), Some(5));
//! assert!(page.has_next());
//! assert_eq!(page.items(), ["a", "b"]);
//! ```
use std::future::Future;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};

use crate::error::Error;

/// One page of a list: its items, where it is, and whether another follows
/// ([`has_next`](Self::has_next)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// This page's 0-based index (a provider that counts from 1 subtracts 1). Streams check it
    /// against the page they asked for.
    pub number: u64,
    /// The page size that was asked for.
    pub size: u64,
    /// How many pages there are, when the provider says.
    pub total_pages: Option<u64>,
    /// How many items there are, when the provider says.
    pub total_items: Option<u64>,
}

impl<T> Page<T> {
    /// A page.
    pub fn new(
        items: Vec<T>,
        number: u64,
        size: u64,
        total_pages: Option<u64>,
        total_items: Option<u64>,
    ) -> Self {
        Self {
            items,
            number,
            size,
            total_pages,
            total_items,
        }
    }

    /// The items of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Whether a page follows this one: per the total when known, else when this page was full.
    pub fn has_next(&self) -> bool {
        if self.items.is_empty() {
            return false;
        }
        match self.total_pages {
            Some(total) => self.number + 1 < total,
            None => self.items.len() as u64 >= self.size,
        }
    }
}

/// How a stream walks the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationOptions {
    /// The first page number (page-number style only).
    pub first_page: u64,
    /// Stop after this many pages, whatever the provider says.
    pub max_pages: u64,
    /// How many pages may be in flight at once once the total is known (1 = one after the other).
    pub prefetch: usize,
}

impl Default for PaginationOptions {
    fn default() -> Self {
        Self {
            first_page: 0,
            max_pages: 10_000,
            prefetch: 1,
        }
    }
}

impl PaginationOptions {
    /// Sets the first page number.
    pub fn first_page(mut self, page: u64) -> Self {
        self.first_page = page;
        self
    }

    /// Sets the page bound.
    pub fn max_pages(mut self, max: u64) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// Sets how many pages are fetched concurrently once the total is known.
    pub fn prefetch(mut self, concurrency: usize) -> Self {
        self.prefetch = concurrency.max(1);
        self
    }
}

/// A stream of every page of a page-numbered list, fetched with `fetch(page_number)`.
///
/// The first page is fetched alone. If it states the total page count and `prefetch > 1`, the
/// remaining pages are fetched up to `prefetch` at a time and yielded in page order; otherwise pages
/// are fetched one after the other until [`Page::has_next`] says stop. An error ends the stream
/// after it is yielded.
pub fn page_number_stream<T, F, Fut>(
    fetch: F,
    options: PaginationOptions,
) -> impl Stream<Item = Result<Page<T>, Error>> + Send
where
    T: Send + 'static,
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let fetch = Arc::new(fetch);
    let first = options.first_page;
    let max_pages = options.max_pages.max(1);
    let prefetch = options.prefetch.max(1);

    stream::once({
        let fetch = fetch.clone();
        async move { fetch(first).await }
    })
    .map(move |first_page| {
        let fetch = fetch.clone();
        match first_page {
            Err(err) => stream::iter(vec![Err(err)]).boxed(),
            Ok(page) => {
                // The walk goes by the page numbers it asks for, never by the ones the server reports
                // (a server that ignores `page` would otherwise be walked forever), and stops when a
                // reported number is not the one asked for.
                let answers = move |requested: u64, page: &Page<T>| {
                    let ok = page.number == requested;
                    if !ok {
                        tracing::warn!(
                            requested,
                            reported = page.number,
                            "pagination stopped: the provider answered another page"
                        );
                    }
                    ok
                };
                let last_allowed = first.saturating_add(max_pages); // exclusive
                match page.total_pages {
                    Some(total) if prefetch > 1 && page.has_next() => {
                        let end = total.min(last_allowed);
                        let rest = stream::iter((first + 1)..end)
                            .map(move |n| {
                                let fetch = fetch.clone();
                                async move { (n, fetch(n).await) }
                            })
                            .buffered(prefetch)
                            .scan(false, move |done, (n, result)| {
                                let out = match result {
                                    _ if *done => None,
                                    Ok(p) if p.items.is_empty() || !answers(n, &p) => None,
                                    Ok(p) => Some(Ok(p)),
                                    Err(e) => {
                                        *done = true;
                                        Some(Err(e))
                                    }
                                };
                                futures_util::future::ready(out)
                            });
                        stream::iter(vec![Ok(page)]).chain(rest).boxed()
                    }
                    _ => {
                        // Yield the page in hand before fetching the next, so a failed fetch loses
                        // nothing that was already received.
                        let next_step = move |requested: u64, page: &Page<T>| {
                            let more = match page.total_pages {
                                _ if page.items.is_empty() => false,
                                Some(total) => requested.saturating_add(1) < total,
                                None => page.items.len() as u64 >= page.size,
                            };
                            if more && requested + 1 < last_allowed {
                                Step::Fetch(requested + 1)
                            } else {
                                Step::Done
                            }
                        };
                        stream::unfold(Step::Yield(first, page), move |step| {
                            let fetch = fetch.clone();
                            async move {
                                match step {
                                    Step::Done => None,
                                    Step::Yield(requested, page) => {
                                        let next = next_step(requested, &page);
                                        Some((Ok(page), next))
                                    }
                                    Step::Fetch(number) => match fetch(number).await {
                                        Ok(page)
                                            if page.items.is_empty() || !answers(number, &page) =>
                                        {
                                            None
                                        }
                                        Ok(page) => {
                                            let next = next_step(number, &page);
                                            Some((Ok(page), next))
                                        }
                                        Err(err) => Some((Err(err), Step::Done)),
                                    },
                                }
                            }
                        })
                        .boxed()
                    }
                }
            }
        }
    })
    .flatten()
}

/// Where a sequential walk stands.
enum Step<T> {
    /// A page in hand, and the number that was asked for to get it.
    Yield(u64, Page<T>),
    Fetch(u64),
    Done,
}

/// Flattens a stream of pages into a stream of items.
pub fn items<T, P, S>(pages: S) -> impl Stream<Item = Result<T, Error>> + Send
where
    S: Stream<Item = Result<P, Error>> + Send,
    P: IntoIterator<Item = T> + Send,
    P::IntoIter: Send,
    T: Send,
{
    pages
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
