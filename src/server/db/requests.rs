//! 延期申请: filed by the lead unit's head, reviewed by the office (初审), decided by the leader
//! (审定); each step one transaction with its audit event. Approval moves the task's deadline
//! and keeps the first one as `original_deadline`.

use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::extension::{ExtensionInput, ExtensionRequest, RequestKind, RequestStatus};
use crate::domain::fields::text;
use crate::domain::policy;
use crate::domain::{Actor, Entity, FieldError, PlanStatus, Reason, Refusal, RequestId, TaskId};
use crate::error::AppError;
use crate::ui::format::date_zh;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// How often a step is tried again when something changed between the check and the write.
const ATTEMPTS: u32 = 5;

/// The projection requests are read with.
pub(crate) const REQUEST_FIELDS: &str = "id, task, unit.name AS unit_name, by, at, old_deadline, \
     new_deadline, reason, percent, status, reviewed_by, review_note, decided_by, decision_note, kind";

#[derive(Debug, SurrealValue)]
pub(crate) struct RequestRow {
    id: RecordId,
    task: RecordId,
    unit_name: Option<String>,
    by: String,
    at: DateTime<Utc>,
    old_deadline: NaiveDate,
    new_deadline: NaiveDate,
    reason: String,
    percent: i64,
    status: String,
    reviewed_by: Option<String>,
    review_note: String,
    decided_by: Option<String>,
    decision_note: String,
    kind: Option<String>,
}

impl RequestRow {
    pub(crate) fn into_domain(self) -> Result<ExtensionRequest, AppError> {
        let kind = self.kind.as_deref().unwrap_or("extension");
        Ok(ExtensionRequest {
            kind: RequestKind::parse(kind)
                .ok_or_else(|| corrupt("extension_request.kind", kind))?,
            id: RequestId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("extension_request.id", &self.id))?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("extension_request.task", &self.task))?,
            unit_name: self.unit_name.unwrap_or_default(),
            by: self.by,
            at: self.at,
            old_deadline: self.old_deadline,
            new_deadline: self.new_deadline,
            reason: self.reason,
            percent: u8::try_from(self.percent)
                .map_err(|_| corrupt("extension_request.percent", self.percent))?,
            status: RequestStatus::parse(&self.status)
                .ok_or_else(|| corrupt("extension_request.status", &self.status))?,
            reviewed_by: self.reviewed_by,
            review_note: self.review_note,
            decided_by: self.decided_by,
            decision_note: self.decision_note,
        })
    }
}

#[derive(Debug, SurrealValue)]
struct TaskNow {
    plan_status: String,
    year: i64,
    status: String,
    lead_unit: Option<RecordId>,
    deadline: NaiveDate,
    percent: i64,
    pending: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewRequest {
    task: RecordId,
    unit: RecordId,
    by: String,
    old_deadline: NaiveDate,
    new_deadline: NaiveDate,
    reason: String,
    percent: i64,
    status: String,
    kind: String,
}

const FILE_REQUEST: &str = "
BEGIN TRANSACTION;
IF count(SELECT id FROM extension_request WHERE task = $content.task
        AND status IN ['pending_review', 'pending_decision']) > 0 {
    THROW 'jiebang:conflict'
};
LET $r = (CREATE ONLY extension_request CONTENT $content RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $content.by, entity: $content.task, action: 'extension_request', summary: $summary,
    after: $r
};
RETURN $r.id;
COMMIT TRANSACTION;
";

/// Files a 延期申请 for a task of the actor's unit (as the form sent it: the new date and why).
pub async fn request_extension(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    new_deadline: &str,
    reason: &str,
) -> Result<RequestId, AppError> {
    file_request(
        db,
        actor,
        task,
        RequestKind::Extension,
        new_deadline,
        reason,
    )
    .await
}

/// Files a 撤项申请 for a task of the actor's unit, with why.
pub async fn request_cancellation(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    reason: &str,
) -> Result<RequestId, AppError> {
    file_request(db, actor, task, RequestKind::Cancel, "", reason).await
}

async fn file_request(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    kind: RequestKind,
    new_deadline: &str,
    reason: &str,
) -> Result<RequestId, AppError> {
    let task_id = record("task", task.as_str());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let now: Option<TaskNow> = db
            .query(
                "SELECT plan.status AS plan_status, plan.year AS year, status, lead_unit, deadline,
                        percent,
                        count(SELECT id FROM extension_request WHERE task = $parent.id
                            AND status IN ['pending_review', 'pending_decision']) AS pending
                   FROM ONLY $task",
            )
            .bind(("task", task_id.clone()))
            .await?
            .take(0)?;
        let now = now.ok_or(AppError::NotFound(Entity::Task))?;
        let plan_status = PlanStatus::parse(&now.plan_status)
            .ok_or_else(|| corrupt("plan.status", &now.plan_status))?;
        policy::check_plan_open(plan_status)?;
        let stored = super::tasks::StoredFacts::read(&now.status, now.lead_unit.as_ref())?;
        policy::check_request_extension(actor, stored.facts(), now.pending > 0)?;
        let lead = stored.lead_unit;
        let year = i32::try_from(now.year).map_err(|_| corrupt("plan.year", now.year))?;
        // A 撤项申请 leaves the deadline as it is; it needs only its reason.
        let (new, reason) = match kind {
            RequestKind::Extension => {
                let input = ExtensionInput::parse(new_deadline, reason, now.deadline, year)?;
                (input.new_deadline.date(), input.reason)
            }
            RequestKind::Cancel => (now.deadline, Reason::parse(reason)?),
        };
        let unit = lead.ok_or(Refusal::NotOwnUnit)?;
        let content = NewRequest {
            task: task_id.clone(),
            unit: record("unit", unit.as_str()),
            by: actor.name.clone(),
            old_deadline: now.deadline,
            new_deadline: new,
            reason: reason.as_str().to_owned(),
            percent: now.percent,
            status: RequestStatus::PendingReview.code().to_owned(),
            kind: kind.code().to_owned(),
        };
        let summary = match kind {
            RequestKind::Extension => format!(
                "申请延期:完成时限 {} → {}。理由:{}",
                date_zh(now.deadline),
                date_zh(new),
                reason.as_str()
            ),
            RequestKind::Cancel => format!("申请撤项。理由:{}", reason.as_str()),
        };
        let result = execute(|| {
            db.query(FILE_REQUEST)
                .bind(("content", content.clone()))
                .bind(("summary", summary.clone()))
        })
        .await;
        match result {
            Ok(mut res) => {
                let id: Option<RecordId> = take_returned(&mut res)?;
                return id
                    .and_then(|id| RequestId::parse(&key_string(&id)))
                    .ok_or(AppError::Internal);
            }
            Err(AppError::Conflict) if attempt < ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

#[derive(Debug, SurrealValue)]
struct RequestNow {
    status: String,
    old_deadline: NaiveDate,
    new_deadline: NaiveDate,
    kind: Option<String>,
}

/// One step on a request: as the office (初审) or the leader (审定), agree (`approve`) or not,
/// with a note (required when not). The leader's approval moves the task's deadline.
const HANDLE_REQUEST: &str = "
BEGIN TRANSACTION;
LET $r = (SELECT id, status, task, new_deadline, kind ?? 'extension' AS kind FROM ONLY $request);
IF !$r { THROW 'jiebang:not_found' };
IF $r.status != $from { THROW 'jiebang:conflict' };
IF $from = 'pending_review' {
    UPDATE $request SET status = $to, reviewed_by = $actor, reviewed_at = time::now(),
        review_note = $note;
} ELSE {
    UPDATE $request SET status = $to, decided_by = $actor, decided_at = time::now(),
        decision_note = $note;
};
IF $to = 'approved' AND $r.kind = 'extension' {
    UPDATE $r.task SET original_deadline = original_deadline ?? deadline,
        deadline = $r.new_deadline, version += 1;
};
IF $to = 'approved' AND $r.kind = 'cancel' {
    UPDATE $r.task SET status = 'cancelled', version += 1;
};
CREATE audit_event CONTENT {
    actor: $actor, entity: $r.task, action: 'extension_decision', summary: $summary,
    after: { request: $request, status: $to }
};
RETURN $to;
COMMIT TRANSACTION;
";

/// The office's 初审 or the leader's 审定 of a request.
pub async fn handle_request(
    db: &Db,
    actor: &Actor,
    request: &RequestId,
    approve: bool,
    note: &str,
) -> Result<RequestStatus, AppError> {
    let note = if approve {
        text(note, 0, 300).map_err(|p| AppError::field("note", p))?
    } else {
        Reason::parse(note)
            .map_err(|e| {
                AppError::Invalid(vec![FieldError {
                    field: "note".into(),
                    ..e
                }])
            })?
            .as_str()
            .to_owned()
    };
    let request_id = record("extension_request", request.as_str());
    let now: Option<RequestNow> = db
        .query("SELECT status, old_deadline, new_deadline, kind FROM ONLY $request")
        .bind(("request", request_id.clone()))
        .await?
        .take(0)?;
    let now = now.ok_or(AppError::NotFound(Entity::Request))?;
    let from = RequestStatus::parse(&now.status)
        .ok_or_else(|| corrupt("extension_request.status", &now.status))?;
    policy::check_handle_request(actor, from)?;
    let to = match (from, approve) {
        (RequestStatus::PendingReview, true) => RequestStatus::PendingDecision,
        (RequestStatus::PendingDecision, true) => RequestStatus::Approved,
        _ => RequestStatus::Rejected,
    };
    let step = if from == RequestStatus::PendingReview {
        "初审"
    } else {
        "审定"
    };
    let kind = now.kind.as_deref().unwrap_or("extension");
    let kind = RequestKind::parse(kind).ok_or_else(|| corrupt("extension_request.kind", kind))?;
    let verdict = match (to, kind) {
        (RequestStatus::PendingDecision, _) => "同意,报分管领导审定",
        (RequestStatus::Approved, RequestKind::Extension) => "批准延期",
        (RequestStatus::Approved, RequestKind::Cancel) => "批准撤项",
        (_, RequestKind::Extension) => "不同意延期",
        (_, RequestKind::Cancel) => "不同意撤项",
    };
    let mut summary = match kind {
        RequestKind::Extension => format!(
            "延期申请{step}:{verdict}(完成时限 {} → {})",
            date_zh(now.old_deadline),
            date_zh(now.new_deadline)
        ),
        RequestKind::Cancel => format!("撤项申请{step}:{verdict}"),
    };
    if !note.is_empty() {
        summary.push_str(&format!("。意见:{note}"));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = execute(|| {
            db.query(HANDLE_REQUEST)
                .bind(("request", request_id.clone()))
                .bind(("from", from.code().to_owned()))
                .bind(("to", to.code().to_owned()))
                .bind(("actor", actor.name.clone()))
                .bind(("note", note.clone()))
                .bind(("summary", summary.clone()))
        })
        .await;
        match result {
            Ok(_) => return Ok(to),
            // Someone else took this step meanwhile: the request is no longer where it was.
            Err(AppError::Conflict) => {
                let status: Option<String> = db
                    .query("SELECT VALUE status FROM ONLY $request")
                    .bind(("request", request_id.clone()))
                    .await?
                    .take(0)?;
                if status.as_deref() != Some(from.code()) {
                    return Err(Refusal::RequestDecided.into());
                }
                if attempt >= ATTEMPTS {
                    return Err(AppError::Conflict);
                }
            }
            Err(err) => return Err(err),
        }
    }
}
