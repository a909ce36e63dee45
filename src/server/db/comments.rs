//! 批示, 落实情况 and comments under a task: each written once with its audit event.

use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::comment::{CommentKind, TaskComment};
use crate::domain::policy;
use crate::domain::{Actor, CommentId, Entity, TaskId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// The projection entries are read with.
pub(crate) const COMMENT_FIELDS: &str =
    "id, task, kind, author, unit.name AS unit_name, body, reply_to, at";

#[derive(Debug, SurrealValue)]
pub(crate) struct CommentRow {
    id: RecordId,
    task: RecordId,
    kind: String,
    author: String,
    unit_name: Option<String>,
    body: String,
    reply_to: Option<RecordId>,
    at: DateTime<Utc>,
}

impl CommentRow {
    pub(crate) fn into_domain(self) -> Result<TaskComment, AppError> {
        let id = |r: &RecordId| {
            CommentId::parse(&key_string(r)).ok_or_else(|| corrupt("task_comment.id", r))
        };
        Ok(TaskComment {
            id: id(&self.id)?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("task_comment.task", &self.task))?,
            kind: CommentKind::parse(&self.kind)
                .ok_or_else(|| corrupt("task_comment.kind", &self.kind))?,
            author: self.author,
            unit_name: self.unit_name,
            body: self.body,
            reply_to: self.reply_to.as_ref().map(id).transpose()?,
            at: self.at,
        })
    }
}

#[derive(Debug, SurrealValue)]
struct Target {
    status: String,
    lead_unit: Option<RecordId>,
    instruction: Option<bool>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewComment {
    task: RecordId,
    kind: String,
    author: String,
    unit: Option<RecordId>,
    body: String,
    reply_to: Option<RecordId>,
}

const ADD_COMMENT: &str = "
BEGIN TRANSACTION;
LET $c = (CREATE ONLY task_comment CONTENT $content RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $content.author, entity: $content.task, action: $content.kind, summary: $summary,
    after: $c
};
RETURN $c.id;
COMMIT TRANSACTION;
";

/// Writes an entry of `kind` under a task (`body` already checked); a reply names the 批示 it
/// answers.
pub async fn add_comment(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    kind: CommentKind,
    body: &str,
    reply_to: Option<&CommentId>,
) -> Result<CommentId, AppError> {
    let task_id = record("task", task.as_str());
    let reply_id = reply_to.map(|c| record("task_comment", c.as_str()));
    let target: Option<Target> = db
        .query(
            "SELECT status, lead_unit,
                    (IF $reply { $reply.task = $parent.id AND $reply.kind = 'instruction' }
                     ELSE { false }) AS instruction
               FROM ONLY $task",
        )
        .bind(("task", task_id.clone()))
        .bind(("reply", reply_id.clone()))
        .await?
        .take(0)?;
    let target = target.ok_or(AppError::NotFound(Entity::Task))?;
    let stored = super::tasks::StoredFacts::read(&target.status, target.lead_unit.as_ref())?;
    policy::check_comment(
        actor,
        kind,
        stored.facts(),
        target.instruction.unwrap_or(false),
    )?;
    let label = match kind {
        CommentKind::Instruction => "领导批示",
        CommentKind::Reply => "回复落实情况",
        CommentKind::Comment => "发表意见",
    };
    let summary = format!("{label}:{body}");
    let content = NewComment {
        task: task_id,
        kind: kind.code().to_owned(),
        author: actor.name.clone(),
        unit: actor.unit.as_ref().map(|u| record("unit", u.as_str())),
        body: body.to_owned(),
        reply_to: reply_id.filter(|_| kind == CommentKind::Reply),
    };
    let mut res = execute(|| {
        db.query(ADD_COMMENT)
            .bind(("content", content.clone()))
            .bind(("summary", summary.clone()))
    })
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.and_then(|id| CommentId::parse(&key_string(&id)))
        .ok_or(AppError::Internal)
}
