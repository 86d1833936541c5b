//! Pages: Pax8's `{content, page{size,totalElements,totalPages,number}}` envelope read into the core's
//! [`Page`], sort directions, and the `.send()` / `.stream()` plumbing every list builder shares.

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::future::Either;
use futures_util::stream;
use partner_core::pagination::{self, PaginationOptions};
use partner_core::url::Url;
use partner_core::{Error, Request, RequestOptions};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;

/// The largest page Pax8 serves.
pub const MAX_PAGE_SIZE: u32 = 200;

pub use partner_core::pagination::Page;

/// The wire envelope: `{"content":[…],"page":{…}}`, or the webhooks API's topic-definitions form,
/// which puts the page fields next to `content`.
struct Envelope<T> {
    content: Vec<T>,
    page: Option<PageInfo>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The flat form's fields are spelled out rather than `#[serde(flatten)]`ed: flatten buffers
        // the whole object, and a decode error inside `content` would lose its JSON path.
        #[derive(Deserialize)]
        #[serde(bound = "T: Deserialize<'de>", rename_all = "camelCase")]
        struct Wire<T> {
            #[serde(default = "Vec::new", deserialize_with = "crate::nullable::vec")]
            content: Vec<T>,
            #[serde(default)]
            page: Option<PageInfo>,
            #[serde(default, deserialize_with = "count")]
            size: u64,
            #[serde(default, deserialize_with = "count")]
            total_elements: u64,
            #[serde(default, deserialize_with = "count")]
            total_pages: u64,
            #[serde(default, deserialize_with = "count")]
            number: u64,
        }
        let wire = Wire::<T>::deserialize(deserializer)?;
        let flat = PageInfo {
            size: wire.size,
            total_elements: wire.total_elements,
            total_pages: wire.total_pages,
            number: wire.number,
        };
        let page = wire.page.or(Some(flat)).filter(PageInfo::is_set);
        Ok(Envelope {
            content: wire.content,
            page,
        })
    }
}

/// Pax8's page metadata. `number` is 0-based.
///
/// The specs type these as int32 (int64 for `totalElements`), and the partner spec leaves them
/// untyped with `size` a float; each is read from any JSON number, so `10.0` is 10 and a negative or
/// fractional count (never seen, but allowed by the spec) reads as 0, "not stated", rather than
/// failing the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct PageInfo {
    #[serde(deserialize_with = "count")]
    size: u64,
    #[serde(deserialize_with = "count")]
    total_elements: u64,
    #[serde(deserialize_with = "count")]
    total_pages: u64,
    #[serde(deserialize_with = "count")]
    number: u64,
}

/// A count from any JSON number (or `null`): a whole non-negative value, else 0.
fn count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let number = Option::<serde_json::Number>::deserialize(deserializer)?;
    Ok(number.map_or(0, |n| {
        n.as_u64().unwrap_or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64)
                .map_or(0, |f| f as u64)
        })
    }))
}

impl PageInfo {
    fn is_set(&self) -> bool {
        self.total_pages > 0 || self.total_elements > 0 || self.size > 0
    }
}

impl<T> Envelope<T> {
    /// The core's page: Pax8's metadata when it sent some; else page `asked`, with unknown totals
    /// (a stream then goes on only while pages are full).
    fn into_page(self, asked: u64, size: Option<u32>) -> Page<T> {
        let len = self.content.len() as u64;
        let meta_size = self.page.map(|info| info.size).filter(|size| *size > 0);
        let page_size = size.map(u64::from).or(meta_size).unwrap_or(len.max(1));
        match self.page {
            Some(info) => Page::new(
                self.content,
                info.number,
                page_size,
                Some(info.total_pages),
                Some(info.total_elements),
            ),
            None => Page::new(self.content, asked, page_size, None, None),
        }
    }
}

/// Lists that answer `{"content":[…]}` without page metadata (provision details, pricing, history).
#[derive(Deserialize)]
pub(crate) struct Content<T> {
    #[serde(default = "Vec::new")]
    pub(crate) content: Vec<T>,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl Direction {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }
}

/// The `/v1` `sort` parameter: `field,asc` (Spring style).
pub(crate) fn sort_param(field: &str, direction: Direction) -> String {
    format!("{field},{}", direction.as_str())
}

/// Page number, size and streaming options of a list builder.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Paging {
    pub(crate) page: Option<u64>,
    pub(crate) size: Option<u32>,
    pub(crate) prefetch: Option<usize>,
    pub(crate) max_pages: Option<u64>,
}

impl Paging {
    fn check(&self) -> Result<(), Error> {
        match self.size {
            Some(0) => Err(Error::invalid_input("size", "must be at least 1")),
            Some(size) if size > MAX_PAGE_SIZE => Err(Error::invalid_input(
                "size",
                format!("must be at most {MAX_PAGE_SIZE} (Pax8's limit), got {size}"),
            )),
            _ => Ok(()),
        }
    }

    fn options(&self) -> PaginationOptions {
        let mut options = PaginationOptions::default().first_page(self.page.unwrap_or(0));
        if let Some(prefetch) = self.prefetch {
            options = options.prefetch(prefetch);
        }
        if let Some(max) = self.max_pages {
            options = options.max_pages(max);
        }
        options
    }
}

/// Adds `.page()`, `.size()`, `.prefetch()` and `.max_pages()`, and the per-call options, to a
/// builder with `paging` and `options` fields.
macro_rules! paging_methods {
    () => {
        partner_core::call_options!(options);

        /// The page to fetch with `send()`, or the first page of `stream()` (0-based; default 0).
        pub fn page(mut self, page: u64) -> Self {
            self.paging.page = Some(page);
            self
        }

        /// The page size, 1 to 200 (Pax8's default is 10). Larger sizes are refused before sending.
        pub fn size(mut self, size: u32) -> Self {
            self.paging.size = Some(size);
            self
        }

        /// How many pages `stream()` fetches concurrently once the page count is known (default 1).
        /// Items are still yielded in order.
        pub fn prefetch(mut self, pages: usize) -> Self {
            self.paging.prefetch = Some(pages);
            self
        }

        /// Stops `stream()` after this many pages.
        pub fn max_pages(mut self, pages: u64) -> Self {
            self.paging.max_pages = Some(pages);
            self
        }
    };
}
pub(crate) use paging_methods;

/// Fetches one page of `url` with `query` plus `page`/`size`.
pub(crate) async fn fetch_page<T, Q>(
    client: &Client,
    url: &Url,
    query: &Q,
    page: Option<u64>,
    size: Option<u32>,
    options: &RequestOptions,
) -> Result<Page<T>, Error>
where
    T: DeserializeOwned,
    Q: Serialize + ?Sized,
{
    let (page, ()) =
        fetch_page_with::<T, Q, ()>(client, url, query, "size", page, size, options, |_| Ok(()))
            .await?;
    Ok(page)
}

/// [`fetch_page`] with the page size sent as `size_param` (the quoting API's `limit`), and `extra`
/// read from the same answer (the quotes list's `statusCounts`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn fetch_page_with<T, Q, X>(
    client: &Client,
    url: &Url,
    query: &Q,
    size_param: &str,
    page: Option<u64>,
    size: Option<u32>,
    options: &RequestOptions,
    extra: fn(&partner_core::client::Response) -> Result<X, Error>,
) -> Result<(Page<T>, X), Error>
where
    T: DeserializeOwned,
    Q: Serialize + ?Sized,
{
    let mut request = Request::get(url.clone()).query(query)?;
    if let Some(page) = page {
        request = request.query_pair("page", &page.to_string());
    }
    if let Some(size) = size {
        request = request.query_pair(size_param, &size.to_string());
    }
    let response = client.api().execute(request.options(options)).await?;
    let envelope: Envelope<T> = response.json()?;
    let extra = extra(&response)?;
    Ok((envelope.into_page(page.unwrap_or(0), size), extra))
}

/// `send()` of a list builder: checks, then fetches one page.
pub(crate) async fn send<T, Q>(
    client: &Client,
    url: Result<Url, Error>,
    query: &Q,
    paging: Paging,
    options: RequestOptions,
) -> Result<Page<T>, Error>
where
    T: DeserializeOwned,
    Q: Serialize + ?Sized,
{
    let url = url?;
    paging.check()?;
    fetch_page::<T, Q>(client, &url, query, paging.page, paging.size, &options).await
}

/// `send()` of a list builder whose page size is `size_param` and whose answer carries `extra`.
pub(crate) async fn send_with<T, Q, X>(
    client: &Client,
    url: Result<Url, Error>,
    query: &Q,
    size_param: &str,
    paging: Paging,
    options: RequestOptions,
    extra: fn(&partner_core::client::Response) -> Result<X, Error>,
) -> Result<(Page<T>, X), Error>
where
    T: DeserializeOwned,
    Q: Serialize + ?Sized,
{
    let url = url?;
    paging.check()?;
    fetch_page_with::<T, Q, X>(
        client,
        &url,
        query,
        size_param,
        paging.page,
        paging.size,
        &options,
        extra,
    )
    .await
}

/// `stream()` of a list builder: every item of every page, starting at `paging.page`.
pub(crate) fn stream<T, Q>(
    client: Client,
    url: Result<Url, Error>,
    query: Q,
    paging: Paging,
    options: RequestOptions,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
    Q: Serialize + Send + Sync + 'static,
{
    stream_with(client, url, query, "size", paging, options)
}

/// [`stream`] with the page size sent as `size_param` (the quoting API's `limit`).
pub(crate) fn stream_with<T, Q>(
    client: Client,
    url: Result<Url, Error>,
    query: Q,
    size_param: &'static str,
    paging: Paging,
    options: RequestOptions,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
    Q: Serialize + Send + Sync + 'static,
{
    let url = match url.and_then(|url| paging.check().map(|()| url)) {
        Ok(url) => url,
        Err(err) => return Either::Left(stream::iter([Err(err)])),
    };
    let query = std::sync::Arc::new(query);
    let size = paging.size;
    let fetch = move |number: u64| {
        let client = client.clone();
        let url = url.clone();
        let query = query.clone();
        let options = options.clone();
        async move {
            let (page, ()) = fetch_page_with::<T, Q, ()>(
                &client,
                &url,
                &*query,
                size_param,
                Some(number),
                size,
                &options,
                |_| Ok(()),
            )
            .await?;
            Ok(page)
        }
    };
    let pages = pagination::page_number_stream(fetch, paging.options());
    Either::Right(pagination::items(pages.boxed()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_core::error::DecodeError;

    fn page(json: &str, asked: u64, size: Option<u32>) -> Page<u32> {
        serde_json::from_str::<Envelope<u32>>(json)
            .unwrap()
            .into_page(asked, size)
    }

    #[test]
    fn page_decodes_and_knows_whether_more_follow() {
        let first = page(
            r#"{"content":[1,2],"page":{"size":2,"totalElements":3,"totalPages":2,"number":0}}"#,
            0,
            Some(2),
        );
        assert!(first.has_next());
        assert_eq!((first.total_items, first.total_pages), (Some(3), Some(2)));
        let empty = page(
            r#"{"content":[],"page":{"size":10,"totalElements":0,"totalPages":0,"number":0}}"#,
            0,
            None,
        );
        assert!(!empty.has_next());
        let flat = page(
            r#"{"content":[1],"number":0,"size":1,"totalElements":2,"totalPages":2}"#,
            0,
            None,
        );
        assert!(flat.has_next());
        assert_eq!(flat.total_items, Some(2));
    }

    #[test]
    fn page_numbers_are_read_from_any_json_number() {
        // The partner spec types `size` as a float; the webhooks spec says int32, which may be negative.
        let float = page(
            r#"{"content":[1,2],"page":{"size":2.0,"totalElements":3.0,"totalPages":2,"number":0.0}}"#,
            0,
            None,
        );
        assert_eq!(
            (float.size, float.total_items, float.total_pages),
            (2, Some(3), Some(2))
        );
        assert!(float.has_next());
        let odd = page(
            r#"{"content":[1],"page":{"size":-1,"totalElements":null,"totalPages":1.5,"number":-3}}"#,
            7,
            Some(1),
        );
        // Nothing usable was stated: the page is the one asked for, with unknown totals.
        assert_eq!((odd.number, odd.size, odd.total_pages), (7, 1, None));
        let text = serde_json::from_str::<Envelope<u32>>(r#"{"content":[],"page":{"size":"2"}}"#);
        assert!(text.is_err(), "a count in a string is not a number");
    }

    #[test]
    fn a_decode_error_in_either_form_keeps_its_json_path() {
        for json in [
            r#"{"content":[1,"two"],"page":{"size":2,"number":0}}"#,
            r#"{"content":[1,"two"],"size":2,"number":0}"#,
        ] {
            let Err(err) = DecodeError::decode_json::<Envelope<u32>>(json.as_bytes(), None) else {
                panic!("{json} decoded");
            };
            assert_eq!(err.path, "content[1]", "{json}");
        }
    }

    #[test]
    fn a_page_without_metadata_goes_on_only_when_full() {
        let full = page(r#"{"content":[1,2]}"#, 4, Some(2));
        assert_eq!((full.number, full.total_pages), (4, None));
        assert!(full.has_next());
        let short = page(r#"{"content":[1]}"#, 4, Some(2));
        assert!(!short.has_next());
    }

    #[test]
    fn sizes_are_checked() {
        let ok = Paging {
            size: Some(200),
            ..Paging::default()
        };
        assert!(ok.check().is_ok());
        let big = Paging {
            size: Some(201),
            ..Paging::default()
        };
        assert!(big.check().unwrap_err().to_string().contains("200"));
        let zero = Paging {
            size: Some(0),
            ..Paging::default()
        };
        assert!(zero.check().is_err());
    }
}
