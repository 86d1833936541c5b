//! A fleet in one program: `WORKERS` clients, each with its own token cache and Redis connection as
//! separate processes would have, share one token and one request budget through Redis.
//!
//! ```sh
//! REDIS_URL=redis://127.0.0.1:6379 TOKEN_URL=https://api.example.com/v1/token \
//! CLIENT_ID=... CLIENT_SECRET=... API_URL=https://api.example.com/v1/companies \
//! WORKERS=4 CALLS=25 PER_MINUTE=1000 cargo run -p partner-core --features redis --example redis_fleet
//! ```
//!
//! Optional: `TOKEN_CACHE_KEY` (base64 of 32 bytes) encrypts the token in Redis.

use std::sync::Arc;
use std::time::Instant;

use partner_core::auth::{ClientCredentials, EncryptionKey, TokenCacheConfig};
use partner_core::rate_limit::Quota;
use partner_core::redis::{RedisConnection, RedisRateLimiter, RedisTokenStore};
use partner_core::{ApiClient, Request};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

fn env_or(name: &str, default: u32) -> Result<u32, String> {
    match std::env::var(name) {
        Ok(v) => v.parse().map_err(|_| format!("{name} must be a number")),
        Err(_) => Ok(default),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let redis_url = env("REDIS_URL")?;
    let token_url: partner_core::url::Url = env("TOKEN_URL")?.parse()?;
    let api_url: partner_core::url::Url = env("API_URL")?.parse()?;
    let client_id = env("CLIENT_ID")?;
    let client_secret = env("CLIENT_SECRET")?;
    let workers = env_or("WORKERS", 4)?;
    let calls = env_or("CALLS", 25)?;
    let quota = Quota::per_minute(env_or("PER_MINUTE", 1000)?);
    let key = match std::env::var("TOKEN_CACHE_KEY") {
        Ok(text) => Some(EncryptionKey::from_base64(&text)?),
        Err(_) => None,
    };

    let started = Instant::now();
    let mut tasks = vec![];
    for worker in 0..workers {
        let redis = RedisConnection::connect(&redis_url).await?;
        let mut store = RedisTokenStore::new(redis.clone()).namespace("redis-fleet-example");
        if let Some(key) = &key {
            store = store.encryption_key(key);
        }
        let limiter = RedisRateLimiter::new(
            redis,
            format!("example:{}", api_url.host_str().unwrap_or("api")),
            quota,
        )
        .fallback_quota(Quota::per_minute((quota.max() / workers).max(1)));
        let source = ClientCredentials::basic_form(
            token_url.clone(),
            client_id.clone(),
            client_secret.clone().into(),
        );
        let client = ApiClient::builder("redis-fleet-example/0.1")
            .auth_origin(api_url.clone())
            .oauth2(
                Arc::new(source),
                TokenCacheConfig::default().with_store(Arc::new(store)),
            )
            .rate_limiter(Arc::new(limiter))
            .build()?;
        let url = api_url.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..calls {
                match client.execute(Request::get(url.clone())).await {
                    Ok(_) => ok += 1,
                    Err(err) => eprintln!("worker {worker}: {err}"),
                }
            }
            ok
        }));
    }
    let mut ok = 0;
    for task in tasks {
        ok += task.await?;
    }
    println!(
        "{ok} of {} calls succeeded in {:?} ({} workers, one shared token, {quota:?})",
        workers * calls,
        started.elapsed(),
        workers
    );
    Ok(())
}
