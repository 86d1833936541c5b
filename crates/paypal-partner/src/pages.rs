//! Pages: the family's [`Page`] and the walk behind each list builder's `.stream()`.
//!
//! PayPal lists are paged two ways: by `links` (a `rel=next` link carries the query of the next page,
//! as in event notifications and referenced payout batches), or by number (`page`, `page_size` and,
//! with `total_required=true`, `total_pages`, as in payout batches). Number-paged lists use
//! [`partner_core::pagination::page_number_stream`]; link-paged lists follow their links with the checks below.
//!
//! A `next` link is never followed blindly: it must name the same endpoint as the list (only its query
//! is taken, and the request goes to the client's own base, so a link can never send the token to
//! another host), and it must differ from the page just fetched. A link that fails either check ends
//! the stream with an error instead of a request elsewhere or an endless loop.
//!
//! Link-paged lists have no `.prefetch(n)`: each page's address comes from the page before, so pages
//! can only be fetched one after the other. Number-paged lists (payout batch items) prefetch as
//! every list of the family does once the first page states the total.

use std::future::Future;

use futures_util::Stream;
use futures_util::{StreamExt, stream};
use partner_core::error::{TransportError, TransportErrorKind};
use partner_core::url::Url;

use crate::Error;
use crate::links::{self, Link};

pub use partner_core::pagination::Page;

/// The most pages a link-following stream fetches (PayPal caps result sets well below this): a bound
/// against a server that keeps answering with fresh `next` links.
pub const MAX_LINK_PAGES: u64 = 10_000;

/// One fetched page of a link-paged list: its items and its `links`.
pub(crate) struct LinkedPage<T> {
    pub(crate) items: Vec<T>,
    pub(crate) links: Vec<Link>,
}

/// The error ending a walk whose `next` link cannot be followed. Nothing was sent for it, and
/// repeating would fail the same way, hence a `Request` transport error (never retried).
fn refused_link(reason: &str) -> Error {
    Error::Transport(TransportError::new(
        TransportErrorKind::Request,
        format!("pagination stopped: PayPal's `next` link {reason}"),
    ))
}

/// The URL of the page after `current`, read from `links`: `Ok(None)` when there is no `next` link.
///
/// # Errors
///
/// A `Request` transport error when the link is not a URL, is on a host other than the base's or
/// PayPal's, names another endpoint than `list`, or names `current` again.
pub(crate) fn next_url(
    base: &Url,
    list: &Url,
    current: &Url,
    links: &[Link],
) -> Result<Option<Url>, Error> {
    let Some(href) = links::find(links, "next") else {
        return Ok(None);
    };
    // PayPal writes absolute links; a relative one is read against the list's URL.
    let link = list.join(href).map_err(|_| refused_link("is not a URL"))?;
    let same_host = link.host_str() == base.host_str() && link.port() == base.port();
    let paypal_host = link.scheme() == "https"
        && link
            .host_str()
            .is_some_and(|h| h == "paypal.com" || h.ends_with(".paypal.com"));
    if !(same_host || paypal_host) {
        return Err(refused_link("leaves the API base"));
    }
    if link.path() != list.path() {
        return Err(refused_link("names another endpoint than the list"));
    }
    // The request goes to the list's own URL on the client's base; only the query is PayPal's.
    let mut next = list.clone();
    next.set_query(link.query());
    if &next == current {
        return Err(refused_link("names the page just fetched"));
    }
    Ok(Some(next))
}

/// Every item of a link-paged list: fetches `first`, then each `next` link (checked by [`next_url`]),
/// until a page has no `next` link or no items, or after `max_pages` pages. An error is yielded after
/// the items already received and ends the stream.
pub(crate) fn link_stream<T, F, Fut>(
    base: Url,
    first: Url,
    max_pages: u64,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: Send + 'static,
    F: Fn(Url) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<LinkedPage<T>, Error>> + Send + 'static,
{
    let list = first.clone();
    let max_pages = max_pages.max(1);
    stream::unfold((Some(first), 0u64), move |(url, fetched)| {
        let base = base.clone();
        let list = list.clone();
        let url = url.filter(|_| fetched < max_pages);
        let call = url.clone().map(&fetch);
        async move {
            let (url, call) = (url?, call?);
            let page = match call.await {
                Ok(page) => page,
                Err(err) => return Some((vec![Err(err)], (None, fetched))),
            };
            let mut out: Vec<Result<T, Error>> = Vec::with_capacity(page.items.len() + 1);
            let empty = page.items.is_empty();
            out.extend(page.items.into_iter().map(Ok));
            // The last allowed page's links are not read: the walk ends there either way.
            let next = if empty || fetched + 1 >= max_pages {
                None
            } else {
                match next_url(&base, &list, &url, &page.links) {
                    Ok(next) => next,
                    Err(err) => {
                        out.push(Err(err));
                        None
                    }
                }
            };
            Some((out, (next, fetched + 1)))
        }
    })
    .flat_map(stream::iter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str) -> Vec<Link> {
        serde_json::from_value(serde_json::json!([{"href": href, "rel": "next", "method": "GET"}]))
            .unwrap()
    }

    #[test]
    fn next_links_are_checked_and_rebased() {
        let base = Url::parse("https://api-m.sandbox.paypal.com/").unwrap();
        let list = base.join("v1/notifications/webhooks-events").unwrap();
        let current = base
            .join("v1/notifications/webhooks-events?page_size=2")
            .unwrap();
        // PayPal's links name `api.sandbox.paypal.com`: followed, on the client's own base.
        let next = next_url(
            &base,
            &list,
            &current,
            &link("https://api.sandbox.paypal.com/v1/notifications/webhooks-events?page_size=2&start_time=x"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            next.as_str(),
            "https://api-m.sandbox.paypal.com/v1/notifications/webhooks-events?page_size=2&start_time=x"
        );
        assert_eq!(next_url(&base, &list, &current, &[]).unwrap(), None);
        for bad in [
            "https://evil.example/v1/notifications/webhooks-events?page_size=2",
            "https://paypal.com.evil.example/v1/notifications/webhooks-events",
            "http://api.paypal.com/v1/notifications/webhooks-events?x=1",
            "https://api-m.sandbox.paypal.com/v1/oauth2/token",
            "https://api-m.sandbox.paypal.com/v1/notifications/webhooks-events?page_size=2",
        ] {
            let err = next_url(&base, &list, &current, &link(bad)).unwrap_err();
            assert!(
                matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Request),
                "{bad}: {err:?}"
            );
        }
    }
}
