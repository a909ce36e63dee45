//! 延期申请, 调整申请 and 撤项申请: filed by the lead unit's head, reviewed by the office (初审),
//! decided by the leader (审定); each step one transaction with its audit event. Approving a 延期
//! moves the task's deadline and keeps the first one as `original_deadline`; approving an 调整
//! replaces the task's 推进目标 / 验收标准 and records the change in its 调整 history.

use super::plans::CriterionRow;
use super::tasks::MilestoneRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::extension::{
    AdjustmentInput, ExtensionInput, ExtensionRequest, GoalsProposal, RequestKind, RequestStatus,
};
use crate::domain::fields::text;
use crate::domain::policy;
use crate::domain::task::{Adjustment, Criterion, GoalsForm, Milestone};
use crate::domain::{Actor, Entity, FieldError, PlanStatus, Reason, Refusal, RequestId, TaskId};
use crate::error::AppError;
use crate::ui::format::date_zh;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// How often a step is tried again when something changed between the check and the write.
const ATTEMPTS: u32 = 5;

/// The projection requests are read with.
pub(crate) const REQUEST_FIELDS: &str = "id, task, unit.name AS unit_name, by, at, old_deadline, \
     new_deadline, reason, percent, status, reviewed_by, review_note, decided_by, decision_note, kind, \
     change_json";

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
    change_json: Option<String>,
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
            change: self
                .change_json
                .as_deref()
                .map(|json| {
                    serde_json::from_str::<Adjustment>(json)
                        .map_err(|_| corrupt("extension_request.change_json", json))
                })
                .transpose()?,
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
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
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
    proposal_json: Option<String>,
    change_json: Option<String>,
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

/// What a unit asks for, as its form sent it.
enum Ask<'a> {
    /// A later 完成时限.
    Extension { new_deadline: &'a str },
    /// Withdrawing the task.
    Cancel,
    /// Changed 推进目标 / 验收标准.
    Adjust { goals: &'a GoalsForm },
}

impl Ask<'_> {
    fn kind(&self) -> RequestKind {
        match self {
            Self::Extension { .. } => RequestKind::Extension,
            Self::Cancel => RequestKind::Cancel,
            Self::Adjust { .. } => RequestKind::Adjust,
        }
    }
}

/// Files a 延期申请 for a task of the actor's unit (as the form sent it: the new date and why).
pub async fn request_extension(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    new_deadline: &str,
    reason: &str,
) -> Result<RequestId, AppError> {
    file_request(db, actor, task, Ask::Extension { new_deadline }, reason).await
}

/// Files a 撤项申请 for a task of the actor's unit, with why.
pub async fn request_cancellation(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    reason: &str,
) -> Result<RequestId, AppError> {
    file_request(db, actor, task, Ask::Cancel, reason).await
}

/// Files a 调整申请 for a task of the actor's unit: its 推进目标 and 验收标准 as they should
/// stand, and why.
pub async fn request_adjustment(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    goals: &GoalsForm,
    reason: &str,
) -> Result<RequestId, AppError> {
    file_request(db, actor, task, Ask::Adjust { goals }, reason).await
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Internal)
}

async fn file_request(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    ask: Ask<'_>,
    reason: &str,
) -> Result<RequestId, AppError> {
    let task_id = record("task", task.as_str());
    let kind = ask.kind();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let now: Option<TaskNow> = db
            .query(
                "SELECT plan.status AS plan_status, plan.year AS year, status, lead_unit, deadline,
                        percent, milestones, criteria,
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
        // A 撤项申请 or 调整申请 leaves the deadline as it is.
        let (new, reason, proposal, summary) = match &ask {
            Ask::Extension { new_deadline } => {
                let input = ExtensionInput::parse(new_deadline, reason, now.deadline, year)?;
                let new = input.new_deadline.date();
                let summary = format!(
                    "申请延期:完成时限 {} → {}。理由:{}",
                    date_zh(now.deadline),
                    date_zh(new),
                    input.reason.as_str()
                );
                (new, input.reason, None, summary)
            }
            Ask::Cancel => {
                let reason = Reason::parse(reason)?;
                let summary = format!("申请撤项。理由:{}", reason.as_str());
                (now.deadline, reason, None, summary)
            }
            Ask::Adjust { goals } => {
                let (milestones, criteria) = goals_of(now.milestones, now.criteria)?;
                let input = AdjustmentInput::parse(
                    goals,
                    reason,
                    now.deadline,
                    &milestones,
                    &criteria,
                    year,
                )?;
                let summary = format!(
                    "申请调整{}。理由:{}",
                    changed_goals(&input.change),
                    input.reason.as_str()
                );
                let jsons = (to_json(&input.proposal)?, to_json(&input.change)?);
                (now.deadline, input.reason, Some(jsons), summary)
            }
        };
        let unit = lead.ok_or(Refusal::NotOwnUnit)?;
        let (proposal_json, change_json) = proposal.unzip();
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
            proposal_json,
            change_json,
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

/// A task's stored goals in domain terms.
fn goals_of(
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
) -> Result<(Vec<Milestone>, Vec<Criterion>), AppError> {
    let milestones = milestones
        .into_iter()
        .map(MilestoneRow::into_domain)
        .collect::<Result<_, _>>()?;
    Ok((milestones, criteria.into_iter().map(Into::into).collect()))
}

/// "推进目标和验收标准", "推进目标" or "验收标准": what an 调整 touches.
fn changed_goals(change: &Adjustment) -> &'static str {
    match (change.milestones.is_some(), change.criteria.is_some()) {
        (true, true) => "推进目标和验收标准",
        (true, false) => "推进目标",
        _ => "验收标准",
    }
}

#[derive(Debug, SurrealValue)]
struct RequestNow {
    status: String,
    old_deadline: NaiveDate,
    new_deadline: NaiveDate,
    kind: Option<String>,
    task: RecordId,
    by: String,
    reason: String,
    proposal_json: Option<String>,
}

/// The goals an approved 调整申请 writes, checked against the task's version.
#[derive(Debug, Clone, SurrealValue)]
struct ApplyGoals {
    version: i64,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
    author: String,
    reason: String,
    change: String,
}

#[derive(Debug, SurrealValue)]
struct TaskGoals {
    version: i64,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
}

/// What approving a 调整申请 writes: the proposal over the task as it stands now.
async fn goals_to_apply(db: &Db, actor: &Actor, now: &RequestNow) -> Result<ApplyGoals, AppError> {
    let json = now.proposal_json.as_deref().unwrap_or_default();
    let proposal: GoalsProposal =
        serde_json::from_str(json).map_err(|_| corrupt("extension_request.proposal_json", json))?;
    let task: Option<TaskGoals> = db
        .query("SELECT version, milestones, criteria FROM ONLY $task")
        .bind(("task", now.task.clone()))
        .await?
        .take(0)?;
    let task = task.ok_or(AppError::NotFound(Entity::Task))?;
    let (milestones, criteria) = goals_of(task.milestones, task.criteria)?;
    let (after_milestones, after_criteria) = proposal.apply(&milestones, &criteria);
    let change = Adjustment::between(
        crate::domain::task::Goals {
            deadline: None,
            milestones,
            criteria: criteria.iter().map(|c| c.text.clone()).collect(),
        },
        crate::domain::task::Goals {
            deadline: None,
            milestones: after_milestones.clone(),
            criteria: after_criteria.iter().map(|c| c.text.clone()).collect(),
        },
    );
    Ok(ApplyGoals {
        version: task.version,
        milestones: after_milestones.iter().map(MilestoneRow::of).collect(),
        criteria: after_criteria.iter().map(CriterionRow::of).collect(),
        author: format!("{}(申请)、{}(审定)", now.by, actor.name),
        reason: now.reason.clone(),
        change: to_json(&change)?,
    })
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
IF $to = 'approved' AND $r.kind = 'adjust' {
    LET $t = (SELECT version, plan FROM ONLY $r.task);
    IF $t.version != $apply.version { THROW 'jiebang:conflict' };
    UPDATE $r.task SET milestones = $apply.milestones, criteria = $apply.criteria, version += 1;
    UPDATE $t.plan SET version += 1;
    CREATE task_adjustment CONTENT {
        task: $r.task, author: $apply.author, reason: $apply.reason, change_json: $apply.change
    };
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
        .query(
            "SELECT status, old_deadline, new_deadline, kind, task, by, reason, proposal_json
               FROM ONLY $request",
        )
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
        (RequestStatus::Approved, RequestKind::Adjust) => "批准调整",
        (_, RequestKind::Extension) => "不同意延期",
        (_, RequestKind::Cancel) => "不同意撤项",
        (_, RequestKind::Adjust) => "不同意调整",
    };
    let mut summary = match kind {
        RequestKind::Extension => format!(
            "延期申请{step}:{verdict}(完成时限 {} → {})",
            date_zh(now.old_deadline),
            date_zh(now.new_deadline)
        ),
        RequestKind::Cancel => format!("撤项申请{step}:{verdict}"),
        RequestKind::Adjust => format!("调整申请{step}:{verdict}"),
    };
    if !note.is_empty() {
        summary.push_str(&format!("。意见:{note}"));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        // Approving an 调整 writes the proposal over the task as it stands at this attempt.
        let apply = match (to, kind) {
            (RequestStatus::Approved, RequestKind::Adjust) => {
                Some(goals_to_apply(db, actor, &now).await?)
            }
            _ => None,
        };
        let result = execute(|| {
            db.query(HANDLE_REQUEST)
                .bind(("apply", apply.clone()))
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
