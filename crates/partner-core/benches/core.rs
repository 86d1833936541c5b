//! Benchmarks of the runtime on loopback (`cargo xtask bench`; numbers in docs/performance.md).
//!
//! - `get_decode`: one GET of a ~2 KiB JSON document and its decoding, through `ApiClient` (bearer
//!   token from the cache, rate limiter off, tracing span) against plain reqwest + serde_json;
//! - `token_cache`: 64 tasks asking a warm token cache for the token at once;
//! - `paging`: 10 pages from a server that answers after 20 ms, with prefetch off (1) and on (5).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::routing::{get, post};
use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::TryStreamExt;
use partner_core::auth::{ClientCredentials, TokenCacheConfig};
use partner_core::pagination::{NumberedPage, PaginationOptions, items, page_number_stream};
use partner_core::{ApiClient, Request};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Company {
    id: String,
    name: String,
    city: String,
    status: String,
    #[serde(rename = "billOnBehalfOfEnabled")]
    bill_on_behalf_of_enabled: bool,
}

#[derive(Debug, Deserialize)]
struct CompanyPage {
    content: Vec<Company>,
    page: PageMeta,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PageMeta {
    number: u64,
    size: u64,
    #[serde(rename = "totalPages")]
    total_pages: u64,
}

fn company_page(number: u64, size: u64, total_pages: u64) -> serde_json::Value {
    let content: Vec<_> = (0..size)
        .map(|i| {
            serde_json::json!({
                "id": format!("c-{number}-{i}"), "name": format!("Company {i}"), "city": "Denver",
                "status": "Active", "billOnBehalfOfEnabled": true, "extra": {"unknown": [1, 2, 3]}
            })
        })
        .collect();
    serde_json::json!({"content": content, "page": {"number": number, "size": size, "totalPages": total_pages, "totalElements": size * total_pages}})
}

#[derive(Deserialize)]
struct PageQuery {
    page: u64,
}

async fn start_server() -> String {
    let body = Arc::new(company_page(0, 12, 1));
    let app = Router::new()
        .route(
            "/token",
            post(|| async {
                axum::Json(serde_json::json!({"access_token": "bench", "expires_in": 86400}))
            }),
        )
        .route(
            "/companies",
            get(move || {
                let body = body.clone();
                async move { axum::Json((*body).clone()) }
            }),
        )
        .route(
            "/slow-pages",
            get(|Query(q): Query<PageQuery>| async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                axum::Json(company_page(q.page, 5, 10))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on(start_server());
    let base_url: url::Url = base.parse().unwrap();

    let tokens =
        ClientCredentials::json_body(base_url.join("/token").unwrap(), "id", "secret".into());
    let core = ApiClient::builder("bench/1.0")
        .auth_origin(base_url.clone())
        .oauth2(Arc::new(tokens), TokenCacheConfig::default())
        .build()
        .unwrap();
    let unauthenticated = ApiClient::builder("bench/1.0").build().unwrap();
    let raw = reqwest::Client::new();
    let companies = base_url.join("/companies").unwrap();

    let mut group = c.benchmark_group("get_decode");
    group.bench_function("partner_core", |b| {
        b.to_async(&rt).iter(|| async {
            let page: CompanyPage = core
                .send_json(Request::get(companies.clone()))
                .await
                .unwrap();
            assert_eq!(page.content.len(), 12);
        })
    });
    group.bench_function("partner_core_no_auth", |b| {
        b.to_async(&rt).iter(|| async {
            let page: CompanyPage = unauthenticated
                .send_json(Request::get(companies.clone()))
                .await
                .unwrap();
            assert_eq!(page.content.len(), 12);
        })
    });
    let transport = partner_core::transport::ReqwestTransport::new().unwrap();
    group.bench_function("transport_only", |b| {
        use partner_core::transport::Transport as _;
        b.to_async(&rt).iter(|| async {
            let request = http::Request::get(companies.as_str())
                .body(bytes::Bytes::new())
                .unwrap();
            let response = transport.send(request, 1 << 24).await.unwrap();
            let page: CompanyPage = serde_json::from_slice(response.body()).unwrap();
            assert_eq!(page.content.len(), 12);
        })
    });
    group.bench_function("raw_reqwest_with_timeout", |b| {
        b.to_async(&rt).iter(|| async {
            let bytes = raw
                .get(companies.clone())
                .header("authorization", "Bearer bench")
                .timeout(Duration::from_secs(30))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let page: CompanyPage = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(page.content.len(), 12);
        })
    });
    group.bench_function("raw_reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let bytes = raw
                .get(companies.clone())
                .header("authorization", "Bearer bench")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let page: CompanyPage = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(page.content.len(), 12);
        })
    });
    group.finish();

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
        let url = base_url.join("/slow-pages").unwrap();
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
                                Ok(NumberedPage::new(
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
