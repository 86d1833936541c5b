//! The Redis token store: keys, TTL, encryption, the refresh lock, redaction.
#![cfg(feature = "redis")]

mod redis_common;

use std::time::{Duration, SystemTime};

use partner_core::ExposeSecret;
use partner_core::auth::{AccessToken, EncryptionKey, TokenKey, TokenStore};
use partner_core::redis::{RedisConnection, RedisTokenStore};
use redis::AsyncCommands;
use redis_common::{raw, redis_url, unique};

fn key() -> TokenKey {
    TokenKey::new("https://api.example.com/v1/token", "client-id-42")
}

fn token(secret: &str, life: Duration) -> AccessToken {
    let mut token = AccessToken::new(secret, Some(SystemTime::now() + life));
    token.token_type = Some("Bearer".into());
    token
}

#[tokio::test]
async fn clear_store_round_trips_with_ttl_minus_refresh_buffer() {
    let Some(url) = redis_url() else { return };
    let ns = unique("clear");
    let store = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(&ns)
        .refresh_buffer(Duration::from_secs(60));
    let k = key();
    assert_eq!(store.load(&k).await.unwrap().map(|t| t.token_type), None);

    store
        .save(&k, &token("tok-clear", Duration::from_secs(600)))
        .await
        .unwrap();
    let loaded = store.load(&k).await.unwrap().expect("a stored token");
    assert_eq!(loaded.secret.expose_secret(), "tok-clear");
    assert_eq!(loaded.token_type.as_deref(), Some("Bearer"));

    // The Redis key: namespace + digest of (token URL, client id hash); never the client id.
    let redis_key = store.key_for(&k);
    assert_eq!(redis_key, format!("{ns}:token:{}", k.digest()));
    assert!(!redis_key.contains("client-id-42"));
    let mut conn = raw(&url).await;
    let ttl_ms: i64 = conn.pttl(&redis_key).await.unwrap();
    assert!(
        (535_000..=540_000).contains(&ttl_ms),
        "ttl {ttl_ms} ms, want 600 s - 60 s"
    );
    let bytes: Vec<u8> = conn.get(&redis_key).await.unwrap();
    assert!(
        String::from_utf8_lossy(&bytes).contains("tok-clear"),
        "clear JSON envelope"
    );

    store.remove(&k).await.unwrap();
    assert!(store.load(&k).await.unwrap().is_none());
}

#[tokio::test]
async fn token_too_close_to_expiry_is_not_shared_and_token_without_expiry_has_no_ttl() {
    let Some(url) = redis_url() else { return };
    let store = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("ttl"));
    let k = key();
    store
        .save(&k, &token("nearly-expired", Duration::from_secs(30)))
        .await
        .unwrap();
    assert!(
        store.load(&k).await.unwrap().is_none(),
        "within the refresh buffer: not stored"
    );

    store
        .save(&k, &AccessToken::new("forever", None))
        .await
        .unwrap();
    let mut conn = raw(&url).await;
    let ttl: i64 = conn.pttl(store.key_for(&k)).await.unwrap();
    assert_eq!(ttl, -1, "no expiry given, no TTL");
    assert_eq!(
        store
            .load(&k)
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose_secret(),
        "forever"
    );
}

#[tokio::test]
async fn encrypted_entries_need_the_right_key() {
    let Some(url) = redis_url() else { return };
    let ns = unique("enc");
    let right = EncryptionKey::from_bytes([7; 32]);
    let wrong = EncryptionKey::from_bytes([8; 32]);
    let connection = RedisConnection::connect(&url).await.unwrap();
    let sealed = RedisTokenStore::new(connection.clone())
        .namespace(&ns)
        .encryption_key(&right);
    let other_key = RedisTokenStore::new(connection.clone())
        .namespace(&ns)
        .encryption_key(&wrong);
    let no_key = RedisTokenStore::new(connection).namespace(&ns);
    let k = key();

    sealed
        .save(&k, &token("tok-secret", Duration::from_secs(600)))
        .await
        .unwrap();
    assert_eq!(
        sealed
            .load(&k)
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose_secret(),
        "tok-secret"
    );
    assert!(
        other_key.load(&k).await.unwrap().is_none(),
        "wrong key reads a miss"
    );
    assert!(
        no_key.load(&k).await.unwrap().is_none(),
        "no key reads a miss"
    );

    let mut conn = raw(&url).await;
    let bytes: Vec<u8> = conn.get(sealed.key_for(&k)).await.unwrap();
    assert!(bytes.starts_with(b"PTK1"));
    assert!(
        !bytes.windows(10).any(|w| w == b"tok-secret"),
        "the token is not in clear"
    );

    // An entry moved under another token key does not open (the key is bound as associated data).
    let other = TokenKey::new("https://api.example.com/v1/token", "someone-else");
    let _: () = conn.set(sealed.key_for(&other), bytes).await.unwrap();
    assert!(sealed.load(&other).await.unwrap().is_none());

    // A clear entry is not accepted by an encrypting store either.
    no_key
        .save(&k, &token("tok-clear", Duration::from_secs(600)))
        .await
        .unwrap();
    assert!(sealed.load(&k).await.unwrap().is_none());
    assert_eq!(
        no_key
            .load(&k)
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose_secret(),
        "tok-clear"
    );
}

#[tokio::test]
async fn refresh_lock_is_exclusive_and_released_only_by_its_holder() {
    let Some(url) = redis_url() else { return };
    let store = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("lock"));
    let k = key();
    let ttl = Duration::from_secs(5);

    let first = store.lock_refresh(&k, ttl).await.unwrap();
    assert!(first.may_fetch() && first.is_shared());
    let second = store.lock_refresh(&k, ttl).await.unwrap();
    assert!(!second.may_fetch(), "held by the first");
    let mut conn = raw(&url).await;
    let pttl: i64 = conn.pttl(store.lock_key_for(&k)).await.unwrap();
    assert!((4_000..=5_000).contains(&pttl), "lock PX {pttl}");

    first.release().await;
    let third = store.lock_refresh(&k, ttl).await.unwrap();
    assert!(third.may_fetch(), "free after release");

    // The lock expired and another process took it: the late holder's release leaves it alone.
    let _: () = conn
        .set(store.lock_key_for(&k), "someone-else")
        .await
        .unwrap();
    third.release().await;
    let holder: Option<String> = conn.get(store.lock_key_for(&k)).await.unwrap();
    assert_eq!(holder.as_deref(), Some("someone-else"));

    // A lock dropped without release (a cancelled call) is released in the background.
    let _: () = conn.del(store.lock_key_for(&k)).await.unwrap();
    drop(store.lock_refresh(&k, ttl).await.unwrap());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let exists: bool = conn.exists(store.lock_key_for(&k)).await.unwrap();
    assert!(!exists);
}

#[tokio::test]
async fn debug_redacts_the_redis_password() {
    // No server is needed: an unreachable Redis is not an error, only a warning.
    let store = RedisTokenStore::connect("redis://:hunter2@127.0.0.1:1/0")
        .await
        .unwrap()
        .encryption_key(&EncryptionKey::from_bytes([1; 32]));
    let text = format!("{store:?}");
    assert!(text.contains("redis://:[REDACTED]@127.0.0.1:1/0"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!store.connection().is_available());
    // A store that cannot reach Redis fails fast instead of hanging.
    let started = std::time::Instant::now();
    assert!(store.load(&key()).await.is_err());
    assert!(started.elapsed() < Duration::from_secs(1));

    let err = RedisTokenStore::connect("http://:hunter2@nowhere")
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("hunter2"));
    let err = RedisTokenStore::connect("rediss://:hunter2@cache.example.com")
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("TLS") && !text.contains("hunter2"), "{text}");
}

#[tokio::test]
async fn entry_lifetimes_follow_the_injected_clock() {
    let Some(url) = redis_url() else { return };
    // The clock says 2030; the token expires ten minutes after that.
    let clock = partner_core::clock::ManualClock::at_unix(1_900_000_000);
    let store = RedisTokenStore::connect(&url)
        .await
        .unwrap()
        .namespace(unique("clock"))
        .refresh_buffer(Duration::from_secs(60))
        .clock(std::sync::Arc::new(clock));
    let k = key();
    let expires = std::time::UNIX_EPOCH + Duration::from_secs(1_900_000_000 + 600);
    store
        .save(&k, &AccessToken::new("tok", Some(expires)))
        .await
        .unwrap();
    let ttl_ms: i64 = raw(&url).await.pttl(store.key_for(&k)).await.unwrap();
    assert!(
        (535_000..=540_000).contains(&ttl_ms),
        "ttl {ttl_ms} ms from the injected clock"
    );
}
