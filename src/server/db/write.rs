//! Running writes: one transaction per change, errors turned into [`AppError`]s.
//!
//! Write queries signal expected failures with `THROW "jiebang:<marker>"`; a thrown error
//! fails the whole transaction, so the change and its audit event roll back together.

use super::{Db, key_string, take_returned};
use crate::domain::Actor;
use crate::error::AppError;
use std::future::IntoFuture;
use surrealdb::IndexedResults;
use surrealdb::types::{RecordId, SurrealValue};

/// Markers thrown by write queries, and the errors they stand for.
fn classify(message: &str) -> Option<AppError> {
    type Make = fn() -> AppError;
    let known: [(&str, Make); 6] = [
        ("jiebang:conflict", || AppError::Conflict),
        ("jiebang:not_found", || AppError::NotFound("该记录".into())),
        ("jiebang:append_only", || {
            AppError::Invalid("已提交的记录不能修改或删除,如需更正请另行填报".into())
        }),
        ("jiebang:not_reportable", || {
            AppError::Invalid("只有推进中或退回整改的任务可以填报进度".into())
        }),
        ("jiebang:bad_correction", || {
            AppError::Invalid("更正只能针对本任务的填报".into())
        }),
        ("jiebang:forbidden", || AppError::Forbidden),
    ];
    if let Some((_, make)) = known.iter().find(|(marker, _)| message.contains(marker)) {
        return Some(make());
    }
    // Unique indexes that users can run into.
    let unique: [(&str, &str); 5] = [
        ("account_username", "用户名已被使用"),
        ("task_plan_number", "本清单中已有相同编号的任务"),
        ("unit_name", "已有同名单位"),
        ("plan_year_title", "该年度已有同名任务清单"),
        ("migration_version", "迁移已执行"),
    ];
    unique
        .iter()
        .find(|(index, _)| message.contains(index))
        .map(|(_, text)| AppError::Invalid((*text).to_owned()))
}

/// Awaits a query and fails if any of its statements failed.
pub(crate) async fn execute<Q>(query: Q) -> Result<IndexedResults, AppError>
where
    Q: IntoFuture<Output = surrealdb::Result<IndexedResults>>,
{
    let mut results = query.await?;
    let errors = results.take_errors();
    if errors.is_empty() {
        return Ok(results);
    }
    let messages: Vec<String> = errors.values().map(ToString::to_string).collect();
    if let Some(err) = messages.iter().find_map(|m| classify(m)) {
        return Err(err);
    }
    tracing::error!(errors = ?messages, "write failed");
    Err(AppError::Internal)
}

/// The write every versioned change goes through: check existence and version, merge the
/// new content, record the audit event — all in one transaction.
pub(crate) const VERSIONED_UPDATE: &str = "
BEGIN TRANSACTION;
LET $before = (SELECT * FROM ONLY $id);
IF !$before { THROW 'jiebang:not_found' };
IF $before.version != $version { THROW 'jiebang:conflict' };
LET $after = (UPDATE ONLY $id MERGE $content RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $actor, entity: $id, action: $action, summary: $summary, before: $before, after: $after
};
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
pub(crate) async fn create_audited<C: SurrealValue>(
    db: &Db,
    table: &'static str,
    content: C,
    actor: &Actor,
    summary: String,
) -> Result<String, AppError> {
    create_audited_with(db, AUDITED_CREATE, table, content, actor, summary).await
}

/// [`create_audited`] with a variant of [`AUDITED_CREATE`] (same parameters and `RETURN`).
pub(crate) async fn create_audited_with<C: SurrealValue>(
    db: &Db,
    query: &str,
    table: &'static str,
    content: C,
    actor: &Actor,
    summary: String,
) -> Result<String, AppError> {
    let mut res = execute(
        db.query(query.to_owned())
            .bind(("table", table))
            .bind(("content", content))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary)),
    )
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.map(|id| key_string(&id)).ok_or(AppError::Internal)
}

/// Merges `content` (which carries the next version) into `id` if its version is still
/// `expected_version`, with an audit event of `action`, in one transaction; returns the new
/// version. A stale version is [`AppError::Conflict`] and changes nothing.
pub(crate) async fn update_versioned<C: SurrealValue>(
    db: &Db,
    id: RecordId,
    expected_version: u32,
    content: C,
    actor: &Actor,
    action: &'static str,
    summary: String,
) -> Result<u32, AppError> {
    update_versioned_with(
        db,
        VERSIONED_UPDATE,
        id,
        expected_version,
        content,
        actor,
        action,
        summary,
    )
    .await
}

/// [`update_versioned`] with a variant of [`VERSIONED_UPDATE`] (same parameters and `RETURN`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn update_versioned_with<C: SurrealValue>(
    db: &Db,
    query: &str,
    id: RecordId,
    expected_version: u32,
    content: C,
    actor: &Actor,
    action: &'static str,
    summary: String,
) -> Result<u32, AppError> {
    let mut res = execute(
        db.query(query.to_owned())
            .bind(("id", id))
            .bind(("version", i64::from(expected_version)))
            .bind(("content", content))
            .bind(("actor", actor.name.clone()))
            .bind(("action", action))
            .bind(("summary", summary)),
    )
    .await?;
    let v: Option<i64> = take_returned(&mut res)?;
    v.map(version).transpose()?.ok_or(AppError::Internal)
}

/// A stored version number as the domain's `u32`.
pub(crate) fn version(v: i64) -> Result<u32, AppError> {
    u32::try_from(v).map_err(|_| super::plans::corrupt("version", v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_map_to_errors() {
        assert_eq!(
            classify("An error occurred: jiebang:conflict"),
            Some(AppError::Conflict)
        );
        assert!(matches!(
            classify("x jiebang:append_only"),
            Some(AppError::Invalid(_))
        ));
        assert!(matches!(
            classify("Database index `task_plan_number` already contains [plan:x, 3]"),
            Some(AppError::Invalid(m)) if m.contains("相同编号")
        ));
        assert_eq!(
            classify("The query was not executed due to a failed transaction"),
            None
        );
    }
}
