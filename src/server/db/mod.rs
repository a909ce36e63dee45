//! The SurrealDB side: connection, migrations, and one module of queries per aggregate.
//!
//! Rows derive `SurrealValue` and never leave this module tree: each query converts its rows
//! into `crate::domain` types before returning.

pub mod acceptance;
pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod channels;
pub mod claims;
pub mod comments;
pub mod displays;
pub mod duties;
pub mod findings;
pub mod ledger;
pub mod meetings;
pub mod migrations;
pub mod notices;
pub mod people;
pub mod plans;
pub mod points;
pub mod pool;
pub mod quarter;
pub mod reports;
pub mod requests;
pub mod scores;
pub mod supervision;
pub mod tasks;
pub mod units;
pub mod workbench;
pub(crate) mod write;

use super::Config;
use crate::error::AppError;
use surrealdb::IndexedResults;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::opt::auth::Root;
use surrealdb::types::{RecordId, RecordIdKey, SurrealValue};

/// A connection to whichever engine `JIEBANG_DB` named.
pub type Db = Surreal<Any>;

/// Connects, signs in if credentials are configured, and selects namespace and database
/// (defining them first: a fresh SurrealDB server has neither).
pub async fn connect(config: &Config) -> surrealdb::Result<Db> {
    let db = surrealdb::engine::any::connect(config.db_url.as_str()).await?;
    if let Some((username, password)) = &config.db_credentials {
        db.signin(Root {
            username: username.clone(),
            password: password.clone(),
        })
        .await?;
    }
    db.query(format!(
        "DEFINE NAMESPACE IF NOT EXISTS `{ns}`; USE NS `{ns}`; DEFINE DATABASE IF NOT EXISTS `{db}`;",
        ns = config.db_namespace.replace('`', ""),
        db = config.db_name.replace('`', ""),
    ))
    .await?
    .check()?;
    db.use_ns(config.db_namespace.as_str())
        .use_db(config.db_name.as_str())
        .await?;
    Ok(db)
}

/// Logs a stored value the domain cannot represent. The schema's ASSERTs should make this
/// impossible; if it happens anyway the user gets a generic error, the log gets the details.
pub(crate) fn corrupt(field: &str, value: impl std::fmt::Debug) -> AppError {
    tracing::error!(field, value = ?value, "stored value violates the domain");
    AppError::Internal
}

/// A record id of `table` for a domain id.
pub(crate) fn record(table: &'static str, key: &str) -> RecordId {
    RecordId::new(table, key)
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    match db.query("RETURN 1").await.and_then(|r| r.check()) {
        Ok(_) => true,
        Err(err) => {
            tracing::warn!(error = %err, "database ping failed");
            false
        }
    }
}

/// The key of a record id as the string the browser sees.
pub(crate) fn key_string(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// What a transactional write `RETURN`s: every write ends `RETURN …; COMMIT TRANSACTION;`,
/// and `BEGIN`/`COMMIT` count as statements, so it is the second-to-last result.
pub(crate) fn take_returned<T: SurrealValue>(
    results: &mut IndexedResults,
) -> Result<Option<T>, AppError> {
    let index = results
        .num_statements()
        .checked_sub(2)
        .ok_or(AppError::Internal)?;
    Ok(results.take(index)?)
}
