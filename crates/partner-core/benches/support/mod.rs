//! What both benchmarks share: the loopback server, its documents, and the calls being compared.

#![allow(dead_code)] // each benchmark uses a different part

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::routing::{get, post};
use http::{HeaderValue, header};
use partner_core::auth::{ClientCredentials, TokenCacheConfig};
use partner_core::transport::{ReqwestTransport, Transport as _};
use partner_core::{ApiClient, Request};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize)]
pub(crate) struct Company {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) city: String,
    pub(crate) status: String,
    #[serde(rename = "billOnBehalfOfEnabled")]
    pub(crate) bill_on_behalf_of_enabled: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CompanyPage {
    pub(crate) content: Vec<Company>,
    pub(crate) page: PageMeta,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PageMeta {
    pub(crate) number: u64,
    pub(crate) size: u64,
    #[serde(rename = "totalPages")]
    pub(crate) total_pages: u64,
}

pub(crate) fn company_page(number: u64, size: u64, total_pages: u64) -> serde_json::Value {
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

/// Serves `/token`, `/companies` (a 12-item page, ~2 KiB, serialised per request as a real API
/// would) and `/slow-pages?page=N` (5-item pages after 20 ms). Returns the base URL.
pub(crate) async fn start_server() -> Url {
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
    format!("http://{addr}/").parse().unwrap()
}

pub(crate) const USER_AGENT: &str = "bench/1.0";

/// The ways of making the same GET and decode that the benchmarks compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    /// reqwest + serde_json by hand: the same request on the wire (User-Agent, Accept, bearer token),
    /// no timeout.
    RawReqwest,
    /// The same with a 30 s per-request timeout, as the client has.
    RawReqwestWithTimeout,
    /// `partner_core`'s reqwest transport alone, then serde_json.
    TransportOnly,
    /// `ApiClient::send_json` without authentication.
    PartnerCoreNoAuth,
    /// `ApiClient::send_json` with a cached OAuth2 bearer token: the path every provider call takes.
    PartnerCore,
}

impl Path {
    pub(crate) const ALL: [Path; 5] = [
        Path::RawReqwest,
        Path::RawReqwestWithTimeout,
        Path::TransportOnly,
        Path::PartnerCoreNoAuth,
        Path::PartnerCore,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Path::RawReqwest => "raw_reqwest",
            Path::RawReqwestWithTimeout => "raw_reqwest_with_timeout",
            Path::TransportOnly => "transport_only",
            Path::PartnerCoreNoAuth => "partner_core_no_auth",
            Path::PartnerCore => "partner_core",
        }
    }
}

/// A two-worker runtime (the build machine's core count) with the server and the clients started on it.
pub(crate) fn start() -> (tokio::runtime::Runtime, Clients) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let clients = rt.block_on(Clients::start());
    (rt, clients)
}

/// Everything the calls need, built once.
pub(crate) struct Clients {
    pub(crate) base: Url,
    pub(crate) companies: Url,
    pub(crate) core: ApiClient,
    pub(crate) unauthenticated: ApiClient,
    pub(crate) transport: ReqwestTransport,
    pub(crate) raw: reqwest::Client,
}

impl Clients {
    pub(crate) async fn start() -> Self {
        let base = start_server().await;
        let tokens =
            ClientCredentials::json_body(base.join("token").unwrap(), "id", "secret".into());
        let core = ApiClient::builder(USER_AGENT)
            .auth_origin(base.clone())
            .oauth2(Arc::new(tokens), TokenCacheConfig::default())
            .build()
            .unwrap();
        core.token_cache().unwrap().token().await.unwrap();
        Clients {
            companies: base.join("companies").unwrap(),
            base,
            core,
            unauthenticated: ApiClient::builder(USER_AGENT).build().unwrap(),
            transport: ReqwestTransport::builder()
                .user_agent(USER_AGENT)
                .build()
                .unwrap(),
            raw: raw_reqwest_builder()
                .user_agent(USER_AGENT)
                .build()
                .unwrap(),
        }
    }

    /// One GET of `/companies` and its decoding along `path`.
    pub(crate) async fn call(&self, path: Path) -> CompanyPage {
        let page: CompanyPage = match path {
            Path::RawReqwest | Path::RawReqwestWithTimeout => {
                let mut request = self
                    .raw
                    .get(self.companies.clone())
                    .header(header::ACCEPT, HeaderValue::from_static("application/json"))
                    .header(
                        header::AUTHORIZATION,
                        HeaderValue::from_static("Bearer bench"),
                    );
                if path == Path::RawReqwestWithTimeout {
                    request = request.timeout(Duration::from_secs(30));
                }
                let bytes = request.send().await.unwrap().bytes().await.unwrap();
                serde_json::from_slice(&bytes).unwrap()
            }
            Path::TransportOnly => {
                let request = http::Request::get(self.companies.as_str())
                    .header(header::ACCEPT, HeaderValue::from_static("application/json"))
                    .body(bytes::Bytes::new())
                    .unwrap();
                let response = self.transport.send(request, 1 << 24).await.unwrap();
                serde_json::from_slice(response.body()).unwrap()
            }
            Path::PartnerCoreNoAuth => self
                .unauthenticated
                .send_json(Request::get(self.companies.clone()))
                .await
                .unwrap(),
            Path::PartnerCore => self
                .core
                .send_json(Request::get(self.companies.clone()))
                .await
                .unwrap(),
        };
        assert_eq!(page.content.len(), 12);
        page
    }
}

/// reqwest with the TLS setup the SDK uses: the workspace builds it without a default crypto
/// provider, so ring is installed (the transport picks the same one), to compare like with like.
fn raw_reqwest_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}
