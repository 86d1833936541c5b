//! Token stores: file permissions, corrupt and foreign files, concurrent writers, encryption.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use partner_core::ExposeSecret;
use partner_core::auth::{
    AccessToken, EncryptedFileTokenStore, EncryptionKey, FileTokenStore, MemoryTokenStore,
    TokenKey, TokenStore,
};

fn key() -> TokenKey {
    TokenKey::new("https://auth.test/token", "client-1")
}

fn token(secret: &str) -> AccessToken {
    AccessToken::new(secret, Some(SystemTime::now() + Duration::from_secs(3600)))
}

#[tokio::test]
async fn file_store_round_trips_and_hides_the_client_id_in_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("nested"));
    assert!(store.load(&key()).await.unwrap().is_none());
    store.save(&key(), &token("tok")).await.unwrap();
    let loaded = store.load(&key()).await.unwrap().unwrap();
    assert_eq!(loaded.secret.expose_secret(), "tok");
    let name = store
        .path_for(&key())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(!name.contains("client-1"), "{name}");
    store.remove(&key()).await.unwrap();
    assert!(store.load(&key()).await.unwrap().is_none());
    store.remove(&key()).await.unwrap(); // removing twice is fine
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_writes_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path());
    store.save(&key(), &token("tok")).await.unwrap();
    let mode = std::fs::metadata(store.path_for(&key()))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
}

#[tokio::test]
async fn corrupt_foreign_and_empty_files_are_misses() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path());
    let path = store.path_for(&key());
    for garbage in [&b""[..], b"{", b"\xff\xfe\x00", b"{\"version\":1}", b"null"] {
        std::fs::write(&path, garbage).unwrap();
        assert!(store.load(&key()).await.unwrap().is_none(), "{garbage:?}");
    }
    // A valid file that belongs to another client id is a miss too.
    let other = TokenKey::new("https://auth.test/token", "client-2");
    store.save(&other, &token("not yours")).await.unwrap();
    std::fs::copy(store.path_for(&other), &path).unwrap();
    assert!(store.load(&key()).await.unwrap().is_none());
}

#[tokio::test]
async fn concurrent_writers_never_leave_a_torn_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FileTokenStore::new(dir.path()));
    let mut tasks = vec![];
    for i in 0..32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..10 {
                store
                    .save(
                        &key(),
                        &token(&format!("token-{i}-{j}-{}", "x".repeat(500))),
                    )
                    .await
                    .unwrap();
                // Every read sees a whole token from some writer.
                let seen = store.load(&key()).await.unwrap().expect("a whole file");
                assert!(seen.secret.expose_secret().starts_with("token-"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files were cleaned up");
}

#[tokio::test]
async fn encrypted_store_round_trips_and_is_not_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let key_a = EncryptionKey::from_bytes([7; 32]);
    let store = EncryptedFileTokenStore::new(dir.path(), &key_a);
    store
        .save(&key(), &token("very-secret-token"))
        .await
        .unwrap();
    let bytes = std::fs::read(store.path_for(&key())).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("very-secret-token"));
    assert_eq!(
        store
            .load(&key())
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose_secret(),
        "very-secret-token"
    );
}

#[tokio::test]
async fn encrypted_store_with_a_wrong_key_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    EncryptedFileTokenStore::new(dir.path(), &EncryptionKey::from_bytes([1; 32]))
        .save(&key(), &token("t"))
        .await
        .unwrap();
    let wrong = EncryptedFileTokenStore::new(dir.path(), &EncryptionKey::from_bytes([2; 32]));
    assert!(wrong.load(&key()).await.unwrap().is_none());
}

#[tokio::test]
async fn encrypted_store_detects_every_flipped_byte() {
    let dir = tempfile::tempdir().unwrap();
    let store = EncryptedFileTokenStore::new(dir.path(), &EncryptionKey::from_bytes([3; 32]));
    store.save(&key(), &token("t")).await.unwrap();
    let path = store.path_for(&key());
    let original = std::fs::read(&path).unwrap();
    for i in 0..original.len() {
        let mut tampered = original.clone();
        tampered[i] ^= 0x01;
        std::fs::write(&path, &tampered).unwrap();
        assert!(
            store.load(&key()).await.unwrap().is_none(),
            "flipping byte {i} went unnoticed"
        );
    }
    std::fs::write(&path, &original).unwrap();
    assert!(store.load(&key()).await.unwrap().is_some());
}

#[tokio::test]
async fn an_encrypted_entry_cannot_be_moved_to_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = EncryptedFileTokenStore::new(dir.path(), &EncryptionKey::from_bytes([4; 32]));
    let other = TokenKey::new("https://auth.test/token", "client-2");
    store.save(&other, &token("t")).await.unwrap();
    std::fs::copy(store.path_for(&other), store.path_for(&key())).unwrap();
    assert!(store.load(&key()).await.unwrap().is_none());
}

#[test]
fn encryption_keys_from_base64() {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    assert!(EncryptionKey::from_base64(&text).is_ok());
    assert!(EncryptionKey::from_base64("c2hvcnQ=").is_err());
    assert!(EncryptionKey::from_base64("not base64!").is_err());
    assert!(!format!("{:?}", EncryptionKey::from_bytes([9; 32])).contains('9'));
}

#[tokio::test]
async fn memory_store_is_shared_by_clones() {
    let a = MemoryTokenStore::new();
    let b = a.clone();
    a.save(&key(), &token("m")).await.unwrap();
    assert_eq!(
        b.load(&key())
            .await
            .unwrap()
            .unwrap()
            .secret
            .expose_secret(),
        "m"
    );
}

#[tokio::test]
async fn expiry_survives_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path());
    let at = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    store
        .save(&key(), &AccessToken::new("x", Some(at)))
        .await
        .unwrap();
    assert_eq!(
        store.load(&key()).await.unwrap().unwrap().expires_at,
        Some(at)
    );
}
