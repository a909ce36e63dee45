//! 验收销号 criterion by criterion: the review sets each criterion's verdict, moves the task to
//! 已销号 or 退回整改, and keeps the round — one transaction with its audit event, on the
//! version the office reviewed.

use super::plans::CriterionRow;
use super::write::{Also, Versioned, next_version, update_versioned, version};
use super::{Db, corrupt, record};
use crate::domain::acceptance::{AcceptanceRound, Review, Verdict};
use crate::domain::policy;
use crate::domain::{Actor, Entity, PlanStatus, Reason, Refusal, TaskId, TaskStatus};
use crate::error::AppError;
use crate::ui::format::date_zh;
use crate::ui::messages;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct ReviewedTask {
    plan_status: String,
    status: String,
    version: i64,
    lead_unit: Option<RecordId>,
    criteria: Vec<CriterionRow>,
    signoff_pending: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct ReviewEdit {
    status: String,
    version: i64,
    criteria: Vec<CriterionRow>,
    signoff_pending: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct SignOffEdit {
    status: String,
    version: i64,
    signoff_pending: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct RoundData {
    passed: bool,
    verdicts: Vec<CriterionVerdictRow>,
    rectify_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, SurrealValue)]
struct CriterionVerdictRow {
    text: String,
    met: bool,
    note: String,
}

/// 提请验收 with the unit's 自查 of each criterion (`checks`, already checked, one per
/// criterion as the form showed them): the task goes 待验收 on the version the unit saw.
pub async fn submit_for_acceptance(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    checks: &[String],
) -> Result<u32, AppError> {
    let (task, stored) = open_task(db, id, expected_version).await?;
    policy::check_move(actor, stored.facts(), TaskStatus::Submitted, None)?;
    if checks.len() != task.criteria.len() {
        return Err(AppError::Conflict);
    }
    let summary = format!(
        "提请验收:{} → {}(自查 {} 条验收标准)",
        messages::task_status(stored.status),
        messages::task_status(TaskStatus::Submitted),
        checks.len()
    );
    let criteria = task
        .criteria
        .into_iter()
        .zip(checks)
        .map(|(c, check)| CriterionRow {
            self_check: Some(check.clone()),
            ..c
        })
        .collect();
    let change = Versioned {
        id: record("task", id.as_str()),
        expected_version,
        content: ReviewEdit {
            status: TaskStatus::Submitted.code().to_owned(),
            version: next_version(expected_version),
            criteria,
            signoff_pending: false,
        },
        // A status move like any other: the history and the inbox read it so.
        action: "transition",
        summary,
        also: None,
    };
    update_versioned(db, actor, change).await
}

/// The task an acceptance step works on, at the version the user saw, in a plan that is up,
/// with its status and holder read back for the policy.
async fn open_task(
    db: &Db,
    id: &TaskId,
    expected_version: u32,
) -> Result<(ReviewedTask, super::tasks::StoredFacts), AppError> {
    let task: Option<ReviewedTask> = db
        .query(
            "SELECT plan.status AS plan_status, status, version, lead_unit, criteria,
                    signoff_pending ?? false AS signoff_pending FROM ONLY $id",
        )
        .bind(("id", record("task", id.as_str())))
        .await?
        .take(0)?;
    let task = task.ok_or(AppError::NotFound(Entity::Task))?;
    if version(task.version)? != expected_version {
        return Err(AppError::Conflict);
    }
    let plan_status = PlanStatus::parse(&task.plan_status)
        .ok_or_else(|| corrupt("plan.status", &task.plan_status))?;
    policy::check_plan_open(plan_status)?;
    let stored = super::tasks::StoredFacts::read(&task.status, task.lead_unit.as_ref())?;
    Ok((task, stored))
}

/// Records the office's review of a task submitted for acceptance: every criterion met → it
/// waits (still 待验收) for the leader's 审定; any not met → 退回整改 with the 整改时限.
pub async fn review_acceptance(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    review: &Review,
) -> Result<u32, AppError> {
    let (task, stored) = open_task(db, id, expected_version).await?;
    if task.signoff_pending {
        return Err(Refusal::AwaitingSignOff.into());
    }
    // The office may decide the acceptance; passed, it goes on to the leader.
    let (decided, to) = if review.passed() {
        (TaskStatus::Accepted, TaskStatus::Submitted)
    } else {
        (TaskStatus::Returned, TaskStatus::Returned)
    };
    policy::check_move(actor, stored.facts(), decided, None)?;
    // The form was made for the criteria as they were; if they changed since, review again.
    if review.verdicts.len() != task.criteria.len() {
        return Err(AppError::Conflict);
    }
    let criteria: Vec<CriterionRow> = task
        .criteria
        .iter()
        .zip(&review.verdicts)
        .map(|(c, v)| CriterionRow {
            text: c.text.clone(),
            met: Some(v.met),
            note: v.note.clone(),
            self_check: c.self_check.clone(),
        })
        .collect();
    let summary = summary(&criteria, review);
    let data = RoundData {
        passed: review.passed(),
        verdicts: criteria
            .iter()
            .map(|c| CriterionVerdictRow {
                text: c.text.clone(),
                met: c.met == Some(true),
                note: c.note.clone(),
            })
            .collect(),
        rectify_by: review.rectify_by,
    };
    let change = Versioned {
        id: record("task", id.as_str()),
        expected_version,
        content: ReviewEdit {
            status: to.code().to_owned(),
            version: next_version(expected_version),
            criteria,
            signoff_pending: review.passed(),
        },
        action: "acceptance",
        summary,
        also: Some(Also {
            sql: "LET $round = count(SELECT id FROM acceptance_round WHERE task = $id) + 1;
                  CREATE acceptance_round CONTENT {
                      task: $id, round: $round, reviewer: $actor, passed: $also.passed,
                      verdicts: $also.verdicts, rectify_by: $also.rectify_by
                  };",
            data: data.into_value(),
        }),
    };
    update_versioned(db, actor, change).await
}

/// The audit trail's account of a review.
fn summary(criteria: &[CriterionRow], review: &Review) -> String {
    if review.passed() {
        return format!(
            "验收核验通过:{} 条验收标准全部达标,报分管领导审定",
            criteria.len()
        );
    }
    let unmet: Vec<String> = criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| c.met == Some(false))
        .map(|(i, c)| format!("第 {} 条未达标({})", i + 1, c.note))
        .collect();
    let by = review.rectify_by.map(date_zh).unwrap_or_default();
    format!("退回整改:{};整改时限 {by}", unmet.join(";"))
}

/// The leader's 审定 of an acceptance the office passed: 销号 (`returned` is `None`), or back
/// to 退回整改 with the reason. On the version the leader saw, with its audit event.
pub async fn sign_off(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    returned: Option<&Reason>,
) -> Result<u32, AppError> {
    let (task, stored) = open_task(db, id, expected_version).await?;
    policy::check_sign_off(actor, stored.status, task.signoff_pending)?;
    let (to, summary) = match returned {
        None => (
            TaskStatus::Accepted,
            "审定销号:验收通过,予以销号".to_owned(),
        ),
        Some(reason) => (
            TaskStatus::Returned,
            format!("审定未通过,退回整改:{}", reason.as_str()),
        ),
    };
    let change = Versioned {
        id: record("task", id.as_str()),
        expected_version,
        content: SignOffEdit {
            status: to.code().to_owned(),
            version: next_version(expected_version),
            signoff_pending: false,
        },
        action: "signoff",
        summary,
        also: None,
    };
    update_versioned(db, actor, change).await
}

/// The projection rounds are read with.
pub(crate) const ROUND_FIELDS: &str = "round, reviewer, at, passed, verdicts, rectify_by";

#[derive(Debug, SurrealValue)]
pub(crate) struct RoundRow {
    round: i64,
    reviewer: String,
    at: DateTime<Utc>,
    passed: bool,
    verdicts: Vec<CriterionVerdictRow>,
    rectify_by: Option<NaiveDate>,
}

impl RoundRow {
    pub(crate) fn into_domain(self) -> Result<AcceptanceRound, AppError> {
        Ok(AcceptanceRound {
            round: u32::try_from(self.round)
                .map_err(|_| corrupt("acceptance_round.round", self.round))?,
            reviewer: self.reviewer,
            at: self.at,
            passed: self.passed,
            verdicts: self
                .verdicts
                .into_iter()
                .map(|v| {
                    (
                        v.text,
                        Verdict {
                            met: v.met,
                            note: v.note,
                        },
                    )
                })
                .collect(),
            rectify_by: self.rectify_by,
        })
    }
}
