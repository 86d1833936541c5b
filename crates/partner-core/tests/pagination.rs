//! Pagination streams: loop guards, prefetch order and concurrency, errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use partner_core::Error;
use partner_core::pagination::{Page, PaginationOptions, items, page_number_stream};

fn page(number: u64, total_pages: Option<u64>, size: u64, len: u64) -> Page<u64> {
    Page::new(
        (0..len).map(|i| number * 100 + i).collect(),
        number,
        size,
        total_pages,
        None,
    )
}

#[tokio::test]
async fn walks_every_page_by_total() {
    let calls = Arc::new(AtomicU64::new(0));
    let c = calls.clone();
    let all: Vec<u64> = items(page_number_stream(
        move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(page(n, Some(3), 2, 2)) }
        },
        PaginationOptions::default(),
    ))
    .try_collect()
    .await
    .unwrap();
    assert_eq!(all, vec![0, 1, 100, 101, 200, 201]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn without_a_total_it_stops_at_a_short_page() {
    let all: Vec<u64> = items(page_number_stream(
        |n| async move { Ok(page(n, None, 3, if n < 2 { 3 } else { 1 })) },
        PaginationOptions::default(),
    ))
    .try_collect()
    .await
    .unwrap();
    assert_eq!(all.len(), 7);
}

#[tokio::test]
async fn an_empty_page_stops_a_provider_that_lies_about_the_total() {
    let calls = Arc::new(AtomicU64::new(0));
    let c = calls.clone();
    let all: Vec<u64> = items(page_number_stream(
        move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(page(n, Some(1_000_000), 2, if n == 0 { 2 } else { 0 })) }
        },
        PaginationOptions::default(),
    ))
    .try_collect()
    .await
    .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn max_pages_bounds_an_endless_list() {
    let all: Vec<u64> = items(page_number_stream(
        |n| async move { Ok(page(n, None, 1, 1)) },
        PaginationOptions::default().max_pages(5),
    ))
    .try_collect()
    .await
    .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let results: Vec<Result<Page<u64>, Error>> = page_number_stream(
        |n| async move {
            if n == 1 {
                Err(Error::invalid_input("page", "boom"))
            } else {
                Ok(page(n, None, 1, 1))
            }
        },
        PaginationOptions::default(),
    )
    .collect()
    .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(results[1].is_err());
}

#[tokio::test(start_paused = true)]
async fn prefetched_pages_are_yielded_in_order_and_fetched_concurrently() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (f, p) = (in_flight.clone(), peak.clone());
    let started = tokio::time::Instant::now();
    let pages: Vec<u64> = page_number_stream(
        move |n| {
            let (f, p) = (f.clone(), p.clone());
            async move {
                let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(now, Ordering::SeqCst);
                // Later pages answer faster, so out-of-order completion is certain.
                tokio::time::sleep(Duration::from_millis(100 - n)).await;
                f.fetch_sub(1, Ordering::SeqCst);
                Ok(page(n, Some(9), 1, 1))
            }
        },
        PaginationOptions::default().prefetch(4),
    )
    .map_ok(|p| p.number)
    .try_collect()
    .await
    .unwrap();
    assert_eq!(pages, (0..9).collect::<Vec<_>>());
    assert_eq!(peak.load(Ordering::SeqCst), 4);
    // 1 page alone, then 8 pages 4 at a time: about 3 round trips instead of 9.
    assert!(
        started.elapsed() < Duration::from_millis(100 * 4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn prefetch_respects_max_pages() {
    let pages: Vec<u64> = page_number_stream(
        |n| async move { Ok(page(n, Some(50), 1, 1)) },
        PaginationOptions::default().prefetch(8).max_pages(10),
    )
    .map_ok(|p| p.number)
    .try_collect()
    .await
    .unwrap();
    assert_eq!(pages.len(), 10);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_parameter_is_not_walked_forever() {
    for prefetch in [1, 4] {
        let calls = Arc::new(AtomicU64::new(0));
        let c = calls.clone();
        // Always page 0 of 5, whatever was asked for, with a full page each time.
        let all: Vec<u64> = items(page_number_stream(
            move |_requested| {
                c.fetch_add(1, Ordering::SeqCst);
                async move { Ok(page(0, Some(5), 2, 2)) }
            },
            PaginationOptions::default().prefetch(prefetch),
        ))
        .try_collect()
        .await
        .unwrap();
        assert_eq!(
            all,
            vec![0, 1],
            "prefetch {prefetch}: the repeated page is not yielded again"
        );
        assert!(calls.load(Ordering::SeqCst) <= 5, "prefetch {prefetch}");
    }
    // Without a total, a full page keeps the walk going: only the number check stops it.
    let calls = Arc::new(AtomicU64::new(0));
    let c = calls.clone();
    let all: Vec<u64> = items(page_number_stream(
        move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(page(0, None, 2, 2)) }
        },
        PaginationOptions::default(),
    ))
    .try_collect()
    .await
    .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
