//! Lazy streams over paged list endpoints.
//!
//! Two styles cover the providers:
//! - **page numbers** ([`page_number_stream`]): `page`/`size` parameters and, usually, a total page
//!   count in the answer (Pax8), or `limit`/`offset` with no total (Procuret). Once the total is known
//!   from the first page, later pages can be fetched ahead with a bounded concurrency while items are
//!   still yielded in order;
//! - **cursors or links** ([`cursor_stream`]): each page names the next.
//!
//! Both guard against endless loops: they stop on an empty page, on a repeated cursor, and after
//! [`PaginationOptions::max_pages`].
//!
//! A provider wraps these in its list builders' `.stream()`.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};

use crate::error::Error;

/// One page of a page-numbered list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NumberedPage<T> {
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

impl<T> NumberedPage<T> {
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

/// One page of a cursor- or link-paginated list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor (or URL) of the next page; `None` on the last.
    pub next: Option<String>,
}

impl<T> CursorPage<T> {
    /// A page.
    pub fn new(items: Vec<T>, next: Option<String>) -> Self {
        Self { items, next }
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
/// are fetched one after the other until [`NumberedPage::has_next`] says stop. An error ends the stream
/// after it is yielded.
pub fn page_number_stream<T, F, Fut>(
    fetch: F,
    options: PaginationOptions,
) -> impl Stream<Item = Result<NumberedPage<T>, Error>> + Send
where
    T: Send + 'static,
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<NumberedPage<T>, Error>> + Send + 'static,
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
                let answers = move |requested: u64, page: &NumberedPage<T>| {
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
                        let next_step = move |requested: u64, page: &NumberedPage<T>| {
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
    Yield(u64, NumberedPage<T>),
    Fetch(u64),
    Done,
}

fn stop_after_error<S, T>(pages: S) -> impl Stream<Item = Result<T, Error>> + Send
where
    S: Stream<Item = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    pages.scan(false, |done, item| {
        if *done {
            return futures_util::future::ready(None);
        }
        if item.is_err() {
            *done = true;
        }
        futures_util::future::ready(Some(item))
    })
}

/// A stream of every page of a cursor-paginated list, fetched with `fetch(cursor)` (`None` first).
///
/// Stops when a page has no next cursor, when a page is empty, when a cursor repeats, or after
/// `max_pages`.
pub fn cursor_stream<T, F, Fut>(
    fetch: F,
    options: PaginationOptions,
) -> impl Stream<Item = Result<CursorPage<T>, Error>> + Send
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<CursorPage<T>, Error>> + Send + 'static,
{
    struct State<F> {
        fetch: Arc<F>,
        next: Option<Option<String>>,
        seen: HashSet<String>,
        pages: u64,
        max_pages: u64,
    }
    let state = State {
        fetch: Arc::new(fetch),
        next: Some(None),
        seen: HashSet::new(),
        pages: 0,
        max_pages: options.max_pages.max(1),
    };
    let pages = stream::try_unfold(state, |mut state| async move {
        let Some(cursor) = state.next.take() else {
            return Ok(None);
        };
        if state.pages >= state.max_pages {
            return Ok(None);
        }
        let page = (state.fetch)(cursor).await?;
        state.pages += 1;
        if page.items.is_empty() {
            return Ok(None);
        }
        state.next = match &page.next {
            Some(next) if state.seen.insert(next.clone()) => Some(Some(next.clone())),
            Some(_) => {
                tracing::warn!("pagination stopped: the provider repeated a cursor");
                None
            }
            None => None,
        };
        Ok(Some((page, state)))
    });
    stop_after_error(pages.boxed())
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

impl<T> IntoIterator for NumberedPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<T> IntoIterator for CursorPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
