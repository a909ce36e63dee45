//! Running writes: one transaction per change, errors classified into [`AppError`]s.
//!
//! Write queries signal the two generic failures with `THROW "jiebang:conflict"` and
//! `THROW "jiebang:not_found"`; a thrown error fails the whole transaction, so the change and
//! its audit event roll back together. Who may write what is decided before, by
//! `domain::policy`, on the same version the write then requires.

use super::{Db, key_string, take_returned};
use crate::domain::{Actor, Entity, Refusal};
use crate::error::AppError;
use std::future::IntoFuture;
use std::time::Duration;
use surrealdb::IndexedResults;
use surrealdb::types::{QueryError, RecordId, SurrealValue};

/// How often a write that lost a storage-level race is run again. Every write here either
/// applies whole or not at all, so running a refused one again is safe; a version check
/// inside it turns a real lost update into [`AppError::Conflict`].
const ATTEMPTS: u32 = 5;

/// What a failed statement means for the caller.
pub(crate) fn classify(err: &surrealdb::Error) -> Option<AppError> {
    if err.query_details() == Some(&QueryError::TransactionConflict) {
        return Some(AppError::Conflict);
    }
    if crate::error::is_storage_full(err.message()) {
        tracing::error!(error = %err, "the disk is full: a write was refused");
        return Some(AppError::StorageFull);
    }
    if err.is_thrown() {
        // `THROW 'x'` reaches us as "An error occurred: x".
        let thrown = err.message().rsplit(": ").next().unwrap_or_default();
        return match thrown {
            "jiebang:conflict" => Some(AppError::Conflict),
            "jiebang:not_found" => Some(AppError::NotFound(Entity::Page)),
            "jiebang:append_only" => Some(AppError::Refused(Refusal::AppendOnly)),
            "jiebang:plan_not_draft" => Some(AppError::Refused(Refusal::PlanNotDraft)),
            _ => None,
        };
    }
    // Unique indexes users can run into. The SDK gives these no kind of their own, so the
    // index name in the message is all there is.
    let unique: [(&str, Refusal); 4] = [
        ("`account_username`", Refusal::UsernameTaken),
        ("`task_plan_number`", Refusal::NumberTaken),
        ("`unit_name`", Refusal::UnitNameTaken),
        ("`plan_year_title`", Refusal::PlanTitleTaken),
    ];
    unique
        .into_iter()
        .find(|(index, _)| err.message().contains(index))
        .map(|(_, refusal)| AppError::Refused(refusal))
}

impl From<surrealdb::Error> for AppError {
    fn from(err: surrealdb::Error) -> Self {
        classify(&err).unwrap_or_else(|| {
            tracing::error!(error = %err, kind = err.kind_str(), "database error");
            AppError::Internal
        })
    }
}

/// Whether running the query again may succeed: it lost a race at commit.
fn retryable(err: &surrealdb::Error) -> bool {
    err.query_details() == Some(&QueryError::TransactionConflict)
}

/// The first meaningful error of a failed query: a thrown marker or index name wins over the
/// "not executed" rows a failed transaction leaves on its other statements.
fn first_failure(errors: &[surrealdb::Error]) -> (AppError, bool) {
    let retry = errors.iter().any(retryable);
    let known = errors
        .iter()
        .filter(|e| !retryable(e))
        .find_map(classify)
        .or_else(|| retry.then_some(AppError::Conflict));
    match known {
        Some(err) => (err, retry),
        None => {
            let messages: Vec<&str> = errors.iter().map(surrealdb::Error::message).collect();
            tracing::error!(errors = ?messages, "write failed");
            (AppError::Internal, false)
        }
    }
}

/// Runs a query built by `make`, and fails if any of its statements failed. A transaction that
/// lost a commit race is built and run again (up to [`ATTEMPTS`] times).
pub(crate) async fn execute<F, Q>(make: F) -> Result<IndexedResults, AppError>
where
    F: Fn() -> Q,
    Q: IntoFuture<Output = surrealdb::Result<IndexedResults>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (error, retry) = match make().await {
            Ok(mut results) => {
                let errors = results.take_errors();
                if errors.is_empty() {
                    return Ok(results);
                }
                let errors: Vec<surrealdb::Error> = errors.into_values().collect();
                first_failure(&errors)
            }
            Err(err) => {
                let retry = retryable(&err);
                (AppError::from(err), retry)
            }
        };
        if !retry || attempt >= ATTEMPTS || error != AppError::Conflict {
            return Err(error);
        }
        // A short, growing pause lets the winner finish.
        tokio::time::sleep(Duration::from_millis(u64::from(attempt) * 3)).await;
    }
}

/// The write every versioned change goes through: check existence and version, merge the
/// new content, record the audit event — all in one transaction. `{also}` is where a change's
/// own further statements go ([`Also`]).
const VERSIONED_UPDATE: &str = "
BEGIN TRANSACTION;
LET $before = (SELECT * FROM ONLY $id);
IF !$before { THROW 'jiebang:not_found' };
IF $before.version != $version { THROW 'jiebang:conflict' };
LET $after = (UPDATE ONLY $id MERGE $content RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $actor, entity: $id, action: $action, summary: $summary, before: $before, after: $after
};
{also}
RETURN $after.version;
COMMIT TRANSACTION;
";

/// The write every creation goes through: create and record the audit event together.
pub(crate) const AUDITED_CREATE: &str = "
BEGIN TRANSACTION;
LET $after = (CREATE ONLY type::table($table) CONTENT $content RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $actor, entity: $after.id, action: 'create', summary: $summary, after: $after
};
RETURN $after.id;
COMMIT TRANSACTION;
";

/// Creates a record of `table` with `content` and its audit event, in one transaction;
/// returns the new record's key.
pub(crate) async fn create_audited<C: SurrealValue + Clone>(
    db: &Db,
    table: &'static str,
    content: C,
    actor: &Actor,
    summary: String,
) -> Result<String, AppError> {
    let mut res = execute(|| {
        db.query(AUDITED_CREATE)
            .bind(("table", table))
            .bind(("content", content.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.clone()))
    })
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.map(|id| key_string(&id)).ok_or(AppError::Internal)
}

/// One versioned change: the record, the version it was read at, the merged content (which
/// carries the next version) and how the audit trail names it.
pub(crate) struct Versioned<C> {
    pub id: RecordId,
    pub expected_version: u32,
    pub content: C,
    pub action: &'static str,
    pub summary: String,
    /// What else the change writes in the same transaction.
    pub also: Option<Also>,
}

/// Further statements of a versioned change, run after the merge in its transaction: they see
/// `$id`, `$before`, `$after`, `$actor`, and their own data as `$also`.
#[derive(Clone)]
pub(crate) struct Also {
    pub sql: &'static str,
    pub data: surrealdb::types::Value,
}

/// Merges the content into the record if its version is still the expected one, with an
/// audit event, in one transaction; returns the new version. A stale version is
/// [`AppError::Conflict`] and changes nothing.
pub(crate) async fn update_versioned<C: SurrealValue + Clone>(
    db: &Db,
    actor: &Actor,
    change: Versioned<C>,
) -> Result<u32, AppError> {
    let table = change.id.table.as_str().to_owned();
    let (also_sql, also_data) = change
        .also
        .map_or(("", surrealdb::types::Value::None), |a| (a.sql, a.data));
    let query = VERSIONED_UPDATE.replace("{also}", also_sql);
    let mut res = execute(|| {
        db.query(query.as_str())
            .bind(("also", also_data.clone()))
            .bind(("id", change.id.clone()))
            .bind(("version", i64::from(change.expected_version)))
            .bind(("content", change.content.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("action", change.action))
            .bind(("summary", change.summary.clone()))
    })
    .await
    .map_err(missing(entity_of(&table)))?;
    let v: Option<i64> = take_returned(&mut res)?;
    v.map(version).transpose()?.ok_or(AppError::Internal)
}

/// Names what a write's "not found" was about (the write only knows a record was missing).
pub(crate) fn missing(entity: Entity) -> impl Fn(AppError) -> AppError {
    move |e| match e {
        AppError::NotFound(_) => AppError::NotFound(entity),
        other => other,
    }
}

/// The kind of record a table holds, for "not found" answers.
pub(crate) fn entity_of(table: &str) -> Entity {
    match table {
        "plan" => Entity::Plan,
        "task" => Entity::Task,
        "unit" => Entity::Unit,
        "person" => Entity::Person,
        "account" => Entity::Account,
        "progress_report" => Entity::Report,
        _ => Entity::Page,
    }
}

/// The next version after `v`, as stored.
pub(crate) fn next_version(v: u32) -> i64 {
    i64::from(v) + 1
}

/// A stored version number as the domain's `u32`.
pub(crate) fn version(v: i64) -> Result<u32, AppError> {
    u32::try_from(v).map_err(|_| super::corrupt("version", v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_by_kind() {
        let conflict = surrealdb::Error::query("x".into(), QueryError::TransactionConflict);
        assert_eq!(classify(&conflict), Some(AppError::Conflict));
        assert!(retryable(&conflict));
        let thrown = surrealdb::Error::thrown("An error occurred: jiebang:conflict".into());
        assert_eq!(classify(&thrown), Some(AppError::Conflict));
        let append = surrealdb::Error::thrown("An error occurred: jiebang:append_only".into());
        assert_eq!(
            classify(&append),
            Some(AppError::Refused(Refusal::AppendOnly))
        );
        // A marker in some other kind of error is not ours.
        let internal = surrealdb::Error::internal("jiebang:conflict".into());
        assert_eq!(classify(&internal), None);
        let not_executed = surrealdb::Error::query(
            "The query was not executed due to a failed transaction".into(),
            QueryError::NotExecuted,
        );
        assert_eq!(classify(&not_executed), None);
        let index = surrealdb::Error::internal(
            "Database index `task_plan_number` already contains [plan:x, 3]".into(),
        );
        assert_eq!(
            classify(&index),
            Some(AppError::Refused(Refusal::NumberTaken))
        );
    }

    #[test]
    fn a_commit_conflict_among_not_executed_rows_is_a_retryable_conflict() {
        let rows = vec![
            surrealdb::Error::query("not executed".into(), QueryError::NotExecuted),
            surrealdb::Error::query("Cannot COMMIT".into(), QueryError::TransactionConflict),
        ];
        assert_eq!(first_failure(&rows), (AppError::Conflict, true));
        let thrown = vec![
            surrealdb::Error::query("not executed".into(), QueryError::NotExecuted),
            surrealdb::Error::thrown("An error occurred: jiebang:conflict".into()),
        ];
        assert_eq!(first_failure(&thrown), (AppError::Conflict, false));
    }
}
