//! Reading the audit trail (留痕). Events are written by the changes themselves, in the same
//! transaction; nothing here writes.

use super::Db;
use crate::domain::AuditEvent;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
pub(crate) struct AuditRow {
    at: DateTime<Utc>,
    actor: String,
    entity: RecordId,
    action: String,
    summary: String,
}

impl AuditRow {
    pub(crate) fn into_domain(self) -> AuditEvent {
        AuditEvent {
            at: self.at,
            actor: self.actor,
            entity: format!(
                "{}:{}",
                self.entity.table.as_str(),
                super::key_string(&self.entity)
            ),
            action: self.action,
            summary: self.summary,
        }
    }
}

/// Every event recorded for one record (`table`, `key`), oldest first.
pub async fn events_for(db: &Db, table: &str, key: &str) -> Result<Vec<AuditEvent>, AppError> {
    let rows: Vec<AuditRow> = db
        .query("SELECT at, actor, entity, action, summary FROM audit_event WHERE entity = $entity ORDER BY at")
        .bind(("entity", RecordId::new(table, key)))
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(AuditRow::into_domain).collect())
}
