//! Benchmarks of the runtime on loopback (`cargo xtask bench`; numbers in docs/performance.md).
//!
//! - `get_decode`: one GET of a ~2 KiB JSON document and its decoding, through `ApiClient` (bearer
//!   token from the cache, rate limiter off, tracing span) against plain reqwest + serde_json. The
//!   paired benchmark `overhead` measures the same paths interleaved, which is what the 10 % budget is
//!   judged on; this group gives criterion's distributions of each path alone;
//! - `token_cache`: 64 tasks asking a warm token cache for the token at once;
//! - `paging`: 10 pages from a server that answers after 20 ms, with prefetch off (1) and on (5).

mod support;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::TryStreamExt;
use partner_core::Request;
use partner_core::pagination::{Page, PaginationOptions, items, page_number_stream};
use support::{Company, CompanyPage, Path};

fn benches(c: &mut Criterion) {
    let (rt, clients) = support::start();

    let mut group = c.benchmark_group("get_decode");
    for path in Path::ALL.into_iter().rev() {
        group.bench_function(path.name(), |b| b.to_async(&rt).iter(|| clients.call(path)));
    }
    group.finish();

    let core = clients.core.clone();
    let base_url = clients.base.clone();
    let cache = core.token_cache().unwrap().clone();
    rt.block_on(cache.token()).unwrap();
    c.bench_function("token_cache/64_concurrent_warm", |b| {
        b.to_async(&rt).iter(|| {
            let cache = cache.clone();
            async move {
                let tasks: Vec<_> = (0..64)
                    .map(|_| {
                        let cache = cache.clone();
                        tokio::spawn(async move { cache.token().await.unwrap() })
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
            }
        })
    });

    let mut group = c.benchmark_group("paging_10_pages_20ms");
    group.sample_size(10);
    for prefetch in [1usize, 5] {
        let core = core.clone();
        let url = base_url.join("slow-pages").unwrap();
        group.bench_function(format!("prefetch_{prefetch}"), |b| {
            b.to_async(&rt).iter(|| {
                let (core, url) = (core.clone(), url.clone());
                async move {
                    let stream = page_number_stream(
                        move |n| {
                            let (core, url) = (core.clone(), url.clone());
                            async move {
                                let page: CompanyPage = core
                                    .send_json(Request::get(url).query_pair("page", &n.to_string()))
                                    .await?;
                                Ok(Page::new(
                                    page.content,
                                    n,
                                    5,
                                    Some(page.page.total_pages),
                                    None,
                                ))
                            }
                        },
                        PaginationOptions::default().prefetch(prefetch),
                    );
                    let all: Vec<Company> = items(stream).try_collect().await.unwrap();
                    assert_eq!(all.len(), 50);
                }
            })
        });
    }
    group.finish();
}

// criterion_group! generates an undocumented public function.
#[allow(missing_docs)]
mod generated {
    use super::*;
    criterion_group! {
    name = core;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = benches
    }
}
criterion_main!(generated::core);
