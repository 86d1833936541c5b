//! The cross-process refresh lock: `SET key fence NX PX ttl`, released by compare-and-delete.

use std::sync::LazyLock;
use std::time::Duration;

use crate::auth::{RefreshLock, StoreError};

use super::RedisConnection;

/// Deletes a key only if it still holds `ARGV[1]`. Releases the lock only if it still holds our
/// fencing value: a holder whose lock expired (and was taken by another process) must not release
/// the new holder's lock.
pub(super) static COMPARE_AND_DELETE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
    )
});

/// Tries to take the lock at `lock_key` for `ttl`.
pub(crate) async fn acquire(
    connection: &RedisConnection,
    lock_key: String,
    ttl: Duration,
) -> Result<RefreshLock, StoreError> {
    let fence = fencing_value();
    let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
    let taken = {
        let (key, fence) = (lock_key.clone(), fence.clone());
        connection
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(&key)
                    .arg(&fence)
                    .arg("NX")
                    .arg("PX")
                    .arg(ttl_ms)
                    .query_async::<Option<String>>(&mut conn)
                    .await
            })
            .await?
            .is_some()
    };
    if !taken {
        return Ok(RefreshLock::held_elsewhere());
    }
    let connection = connection.clone();
    Ok(RefreshLock::acquired(async move {
        let released = connection
            .run(|mut conn| async move {
                COMPARE_AND_DELETE
                    .key(&lock_key)
                    .arg(&fence)
                    .invoke_async::<i64>(&mut conn)
                    .await
            })
            .await;
        if let Err(err) = released {
            // The lock expires by itself; others wait at most its TTL.
            tracing::debug!(error = %err, "could not release the token refresh lock");
        }
    }))
}

/// 128 random bits, hex: unique per acquisition, so a release can tell our lock from a successor's.
fn fencing_value() -> String {
    let mut bytes = [0u8; 16];
    crate::secret::random_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
