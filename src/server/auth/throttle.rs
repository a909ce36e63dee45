//! Sign-in throttling: failures per account name and per address within a window, kept in
//! the database so every app instance sees them.

use crate::error::AppError;
use crate::server::db::Db;
use chrono::{DateTime, Duration, Utc};
use surrealdb::types::SurrealValue;

/// Failed sign-ins within [`THROTTLE_WINDOW_MINUTES`] after which an account is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins within the window after which an address is refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// The throttling window.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// The throttle keys of one attempt.
pub struct Keys {
    pub account: String,
    pub address: String,
}

impl Keys {
    /// Keys for a (normalised) user name and a client address.
    pub fn new(username: &str, address: &str) -> Self {
        Self {
            account: format!("account:{username}"),
            address: format!("address:{address}"),
        }
    }
}

#[derive(Debug, SurrealValue)]
struct Counts {
    account: i64,
    address: i64,
}

/// Whether this attempt must be refused before the password is even checked. One round trip;
/// both counts use the `key, at` index.
pub async fn refused(db: &Db, keys: &Keys, now: DateTime<Utc>) -> Result<bool, AppError> {
    let counts: Option<Counts> = db
        .query(
            "RETURN {
                account: count(SELECT id FROM login_failure WHERE key = $account AND at > $since),
                address: count(SELECT id FROM login_failure WHERE key = $address AND at > $since)
            };",
        )
        .bind(("account", keys.account.clone()))
        .bind(("address", keys.address.clone()))
        .bind(("since", window_start(now)))
        .await?
        .take(0)?;
    Ok(counts.is_some_and(|c| {
        c.account >= MAX_FAILURES_PER_ACCOUNT || c.address >= MAX_FAILURES_PER_ADDRESS
    }))
}

/// Records a failed attempt for both keys.
pub async fn record_failure(db: &Db, keys: &Keys) -> Result<(), AppError> {
    db.query("CREATE login_failure SET key = $a; CREATE login_failure SET key = $b;")
        .bind(("a", keys.account.clone()))
        .bind(("b", keys.address.clone()))
        .await?
        .check()?;
    Ok(())
}

/// A successful sign-in clears the account's failures.
pub async fn forget(db: &Db, keys: &Keys) -> Result<(), AppError> {
    db.query("DELETE login_failure WHERE key = $key")
        .bind(("key", keys.account.clone()))
        .await?
        .check()?;
    Ok(())
}

/// Drops failures older than the window (periodic clean-up; uses the `at` index).
pub async fn prune(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("DELETE login_failure WHERE at < $since")
        .bind(("since", window_start(now)))
        .await?
        .check()?;
    Ok(())
}

fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(THROTTLE_WINDOW_MINUTES)
}
