//! Helpers of the Redis integration tests (`tests/redis_*.rs`).
#![allow(dead_code, unreachable_pub)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use httpmock::Method::{GET, POST};
use httpmock::{Mock, MockServer};
use partner_core::auth::{ClientCredentials, TokenCacheConfig, TokenKey, TokenStore};
use partner_core::rate_limit::RateLimiter;
use partner_core::{ApiClient, Request};

pub const CLIENT_ID: &str = "fleet-client";
pub const TOKEN: &str = "shared-token-1";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The Redis to test against, from `REDIS_URL`. `None` (the test prints why and passes) only outside
/// CI: under `CI=true` a missing `REDIS_URL` fails the test, so CI cannot silently skip them.
pub fn redis_url() -> Option<String> {
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if in_ci() => panic!("CI=true but REDIS_URL is not set: the Redis tests must run in CI"),
        _ => {
            eprintln!(
                "skipping: REDIS_URL is not set (run `redis-server --port 6390 --save '' --appendonly no --daemonize yes` \
                 and set REDIS_URL=redis://127.0.0.1:6390)"
            );
            None
        }
    }
}

/// A namespace no other test (or run) uses, so tests can run in parallel against one server.
pub fn unique(prefix: &str) -> String {
    format!("test-{prefix}-{:016x}", fastrand::u64(..))
}

/// A raw connection for inspecting and tampering with Redis behind the library's back.
pub async fn raw(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .expect("connect to REDIS_URL")
}

/// The mock provider: a token endpoint (slow, so that other processes really wait for it) and an
/// API endpoint that wants that token.
pub struct Provider {
    pub server: MockServer,
}

impl Provider {
    pub async fn start() -> Self {
        Self {
            server: MockServer::start_async().await,
        }
    }

    pub async fn token_mock(&self, token: &str, delay: Duration) -> Mock<'_> {
        let body =
            serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600});
        self.server
            .mock_async(|when, then| {
                when.method(POST).path("/token");
                then.status(200).delay(delay).json_body(body);
            })
            .await
    }

    pub async fn api_mock(&self, token: &str) -> Mock<'_> {
        let auth = format!("Bearer {token}");
        self.server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/things")
                    .header("authorization", auth);
                then.status(200).json_body(serde_json::json!({"ok": true}));
            })
            .await
    }

    pub fn token_key(&self) -> TokenKey {
        TokenKey::new(self.server.url("/token").as_str(), CLIENT_ID)
    }

    /// A client as one process of the fleet would build it.
    pub fn client(
        &self,
        store: Option<Arc<dyn TokenStore>>,
        limiter: Option<Arc<dyn RateLimiter>>,
    ) -> ApiClient {
        let source = ClientCredentials::json_body(
            self.server.url("/token").parse().unwrap(),
            CLIENT_ID,
            "client-secret".to_owned().into(),
        );
        let mut config = TokenCacheConfig::default();
        if let Some(store) = store {
            config = config.with_store(store);
        }
        let mut builder = ApiClient::builder("redis-tests/1.0")
            .auth_origin(self.server.base_url().parse().unwrap())
            .oauth2(Arc::new(source), config);
        if let Some(limiter) = limiter {
            builder = builder.rate_limiter(limiter);
        }
        builder.build().unwrap()
    }

    pub async fn call(&self, client: &ApiClient) -> Result<(), partner_core::Error> {
        client
            .execute(Request::get(self.server.url("/things").parse().unwrap()))
            .await
            .map(drop)
    }
}

/// A `redis-server` of the test's own, on a free loopback port, that the test may stop and start.
pub struct OwnRedis {
    pub port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    /// Starts one; `None` (with the reason printed) when the binary is missing outside CI.
    pub fn start() -> Option<Self> {
        if Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_err()
        {
            if in_ci() {
                panic!("CI=true but redis-server is not installed");
            }
            eprintln!(
                "skipping: the redis-server binary is not installed (apt-get install redis-server)"
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = Self { port, child: None };
        redis.restart();
        Some(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on the same port and waits until it answers.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(client) = redis::Client::open(self.url())
                && let Ok(mut conn) = client.get_connection()
                && redis::cmd("PING").query::<String>(&mut conn).is_ok()
            {
                return;
            }
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (as a crash would) and waits for it to be gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
