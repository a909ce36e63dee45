//! Claims (揭榜认领): filed, withdrawn, confirmed (确认挂牌) or declined (不予挂牌), each in one
//! transaction with its audit event, if the task is still at the version the policy was
//! checked on.

use super::plans::ClaimWindowRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::claim::Listing;
use crate::domain::policy;
use crate::domain::{
    Actor, Claim, ClaimId, ClaimInput, ClaimStatus, Entity, FieldError, Problem, Reason, TaskId,
    TaskStatus, UnitId,
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// How often a claim write is tried again when the task changed between the policy check and
/// the write (another unit claimed at the same moment): each try checks the policy afresh.
const ATTEMPTS: u32 = 5;

const CLAIM_FIELDS: &str = "id, task, unit, unit.name AS unit_name, pledge, owner.name AS owner, \
     post, (co_units ?? []).*.name AS co_units, status, reason, by, at, decided_by, decided_at";

#[derive(Debug, SurrealValue)]
struct ClaimRow {
    id: RecordId,
    task: RecordId,
    unit: RecordId,
    unit_name: Option<String>,
    pledge: String,
    owner: Option<String>,
    post: String,
    co_units: Vec<String>,
    status: String,
    reason: String,
    by: String,
    at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl ClaimRow {
    fn into_domain(self) -> Result<Claim, AppError> {
        Ok(Claim {
            id: ClaimId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("claim.id", &self.id))?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("claim.task", &self.task))?,
            unit: UnitId::parse(&key_string(&self.unit))
                .ok_or_else(|| corrupt("claim.unit", &self.unit))?,
            unit_name: self.unit_name.unwrap_or_default(),
            pledge: self.pledge,
            owner: self.owner,
            post: self.post,
            co_units: self.co_units,
            status: ClaimStatus::parse(&self.status)
                .ok_or_else(|| corrupt("claim.status", &self.status))?,
            reason: self.reason,
            by: self.by,
            at: self.at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
        })
    }
}

/// A task's claims, oldest first (the order they came in). Unit roles see only their unit's.
pub async fn claims_for_task(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
) -> Result<Vec<Claim>, AppError> {
    let own_only = actor.role.acts_for_unit();
    let rows: Vec<ClaimRow> = db
        .query(format!(
            "SELECT {CLAIM_FIELDS} FROM task_claim WHERE task = $task AND (!$own_only OR unit = $unit) ORDER BY at"
        ))
        .bind(("task", record("task", task.as_str())))
        .bind(("own_only", own_only))
        .bind((
            "unit",
            actor.unit.as_ref().map(|u| record("unit", u.as_str())),
        ))
        .await?
        .take(0)?;
    rows.into_iter().map(ClaimRow::into_domain).collect()
}

#[derive(Debug, SurrealValue)]
struct ClaimFacts {
    plan_status: String,
    window: Option<ClaimWindowRow>,
    pending: Vec<RecordId>,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewClaim {
    task: RecordId,
    unit: RecordId,
    pledge: String,
    owner: Option<RecordId>,
    post: String,
    co_units: Vec<RecordId>,
    by: String,
    status: String,
}

const FILE_CLAIM: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, version FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.version != $version { THROW 'jiebang:conflict' };
LET $c = (CREATE ONLY task_claim CONTENT $content RETURN AFTER);
UPDATE $task SET status = 'claimed', version += 1;
CREATE audit_event CONTENT {
    actor: $content.by, entity: $task, action: 'claim', summary: $summary, after: $c
};
RETURN $c.id;
COMMIT TRANSACTION;
";

/// Files a claim of `task` for the actor's unit (揭榜认领), if the policy lets them now: the
/// task goes to 待挂牌. The proposed 责任人 must be a person of the claiming unit.
pub async fn file_claim(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    input: &ClaimInput,
    today: NaiveDate,
) -> Result<ClaimId, AppError> {
    let task_id = record("task", task.as_str());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let state = super::tasks::state(db, task).await?;
        let facts: Option<ClaimFacts> = db
            .query(
                "SELECT plan.status AS plan_status, plan.claim_window AS window,
                        (SELECT VALUE unit FROM task_claim WHERE task = $parent.id AND status = 'pending') AS pending
                   FROM ONLY $task",
            )
            .bind(("task", task_id.clone()))
            .await?
            .take(0)?;
        let facts = facts.ok_or(AppError::NotFound(Entity::Task))?;
        policy::check_plan_open(state.plan_status)?;
        let pending: Vec<UnitId> = facts
            .pending
            .iter()
            .filter_map(|u| UnitId::parse(&key_string(u)))
            .collect();
        let unit = policy::check_claim(
            actor,
            state.facts(),
            facts.window.map(Into::into),
            today,
            &pending,
        )?;
        let unit_id = record("unit", unit.as_str());
        let owner = match &input.owner {
            Some(owner) => Some(super::people::check_member(db, owner, unit).await?),
            None => None,
        };
        let co_units = partners(db, &input.co_units, unit).await?;
        let content = NewClaim {
            task: task_id.clone(),
            unit: unit_id,
            pledge: input.pledge.clone(),
            owner,
            post: input.post.clone(),
            co_units,
            by: actor.name.clone(),
            status: ClaimStatus::Pending.code().to_owned(),
        };
        let result = execute(|| {
            db.query(FILE_CLAIM)
                .bind(("task", task_id.clone()))
                .bind(("version", i64::from(state.version)))
                .bind(("content", content.clone()))
                .bind(("summary", "揭榜认领".to_owned()))
        })
        .await;
        match result {
            Ok(mut res) => {
                let id: Option<RecordId> = super::take_returned(&mut res)?;
                return id
                    .and_then(|id| ClaimId::parse(&key_string(&id)))
                    .ok_or(AppError::Internal);
            }
            Err(AppError::Conflict) if attempt < ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

/// The 联合揭榜 partners of a claim by `claimant`: existing, active units other than the
/// claimant (named anyway, it is simply the claimant).
async fn partners(
    db: &Db,
    co_units: &[UnitId],
    claimant: &UnitId,
) -> Result<Vec<RecordId>, AppError> {
    let wanted: Vec<RecordId> = co_units
        .iter()
        .filter(|u| *u != claimant)
        .map(|u| record("unit", u.as_str()))
        .collect();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found: Vec<RecordId> = db
        .query("SELECT VALUE id FROM $units WHERE active = true")
        .bind(("units", wanted.clone()))
        .await?
        .take(0)?;
    if let Some(i) = wanted.iter().position(|u| !found.contains(u)) {
        return Err(AppError::Invalid(vec![FieldError::at(
            "co_units",
            i,
            Problem::NoSuchRecord,
        )]));
    }
    Ok(wanted)
}

#[derive(Debug, SurrealValue)]
struct ClaimState {
    task: RecordId,
    unit: RecordId,
    status: String,
    task_status: String,
    task_version: i64,
    plan_status: String,
    year: i64,
    deadline: NaiveDate,
}

struct Decision {
    task: TaskId,
    unit: UnitId,
    claim_status: ClaimStatus,
    task_status: TaskStatus,
    task_version: i64,
    year: i32,
    deadline: NaiveDate,
}

/// The facts a decision on a claim rests on; `NotFound` if there is no such claim.
async fn decision(db: &Db, claim: &ClaimId) -> Result<Decision, AppError> {
    let row: Option<ClaimState> = db
        .query(
            "SELECT task, unit, status, task.status AS task_status, task.version AS task_version,
                    task.plan.status AS plan_status, task.plan.year AS year,
                    task.deadline AS deadline
               FROM ONLY $claim",
        )
        .bind(("claim", record("task_claim", claim.as_str())))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Page))?;
    let plan_status = crate::domain::PlanStatus::parse(&row.plan_status)
        .ok_or_else(|| corrupt("plan.status", &row.plan_status))?;
    policy::check_plan_open(plan_status)?;
    Ok(Decision {
        task: TaskId::parse(&key_string(&row.task))
            .ok_or_else(|| corrupt("claim.task", &row.task))?,
        unit: UnitId::parse(&key_string(&row.unit))
            .ok_or_else(|| corrupt("claim.unit", &row.unit))?,
        claim_status: ClaimStatus::parse(&row.status)
            .ok_or_else(|| corrupt("claim.status", &row.status))?,
        task_status: TaskStatus::parse(&row.task_status)
            .ok_or_else(|| corrupt("task.status", &row.task_status))?,
        task_version: row.task_version,
        year: i32::try_from(row.year).map_err(|_| corrupt("plan.year", row.year))?,
        deadline: row.deadline,
    })
}

/// Closes a waiting claim (withdrawn or declined); the task goes back to 待揭榜 when no claim
/// is left waiting.
const CLOSE_CLAIM: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, version FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.version != $version { THROW 'jiebang:conflict' };
UPDATE $claim SET status = $status, reason = $reason, decided_by = $actor, decided_at = time::now();
LET $left = (SELECT VALUE id FROM task_claim WHERE task = $task AND status = 'pending');
UPDATE $task SET status = IF array::len($left) = 0 { 'open' } ELSE { 'claimed' }, version += 1;
CREATE audit_event CONTENT {
    actor: $actor, entity: $task, action: $action, summary: $summary, after: { claim: $claim, reason: $reason }
};
COMMIT TRANSACTION;
";

/// 撤回认领: the claiming unit's head takes a waiting claim back.
pub async fn withdraw_claim(db: &Db, actor: &Actor, claim: &ClaimId) -> Result<(), AppError> {
    let d = decision(db, claim).await?;
    policy::check_withdraw(actor, &d.unit, d.claim_status)?;
    close(db, actor, claim, &d, ClaimStatus::Withdrawn, "", "撤回认领").await
}

/// 不予挂牌: the office declines a waiting claim, with a reason the claimant sees.
pub async fn decline_claim(
    db: &Db,
    actor: &Actor,
    claim: &ClaimId,
    reason: &Reason,
) -> Result<(), AppError> {
    let d = decision(db, claim).await?;
    policy::check_decide(actor, d.claim_status, d.task_status)?;
    let summary = format!("不予挂牌:{}", reason.as_str());
    close(
        db,
        actor,
        claim,
        &d,
        ClaimStatus::Declined,
        reason.as_str(),
        &summary,
    )
    .await
}

async fn close(
    db: &Db,
    actor: &Actor,
    claim: &ClaimId,
    d: &Decision,
    status: ClaimStatus,
    reason: &str,
    summary: &str,
) -> Result<(), AppError> {
    execute(|| {
        db.query(CLOSE_CLAIM)
            .bind(("task", record("task", d.task.as_str())))
            .bind(("version", d.task_version))
            .bind(("claim", record("task_claim", claim.as_str())))
            .bind(("status", status.code().to_owned()))
            .bind(("reason", reason.to_owned()))
            .bind(("actor", actor.name.clone()))
            .bind(("action", status.code().to_owned()))
            .bind(("summary", summary.to_owned()))
    })
    .await
    .map(|_| ())
}

/// Confirms one claim and declines the others still waiting (with `others_reason`); the task
/// goes 推进中 with 定人定岗定责: the claim's unit leads, its proposed 责任人 and 岗位 are set,
/// the office's 分管领导 (when it names one) and the start day are kept.
const CONFIRM_CLAIM: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, version FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.version != $version { THROW 'jiebang:conflict' };
LET $c = (UPDATE ONLY $claim SET status = 'confirmed', decided_by = $actor, decided_at = time::now() RETURN AFTER);
LET $declined = (UPDATE task_claim SET status = 'declined', reason = $others_reason, decided_by = $actor,
    decided_at = time::now() WHERE task = $task AND status = 'pending' RETURN AFTER);
UPDATE $task SET status = 'in_progress', lead_unit = $c.unit, owner = $c.owner, post = $c.post,
    co_units = array::union(co_units, $c.co_units ?? []), started_on = $start,
    supervisor = $supervisor ?? supervisor, version += 1;
CREATE audit_event CONTENT {
    actor: $actor, entity: $task, action: 'confirm', summary: $summary, after: $c
};
-- Each claim declined along the way is a decision of its own in the trail (and the
-- claimant's inbox), as when declined one by one.
FOR $d IN $declined {
    CREATE audit_event CONTENT {
        actor: $actor, entity: $task, action: 'declined',
        summary: string::concat('不予挂牌:', $others_reason), after: { claim: $d.id, reason: $others_reason }
    };
};
COMMIT TRANSACTION;
";

/// 确认挂牌: the office confirms a waiting claim; other waiting claims of the task are declined
/// with `others_reason`, which is required when there are any.
pub async fn confirm_claim(
    db: &Db,
    actor: &Actor,
    claim: &ClaimId,
    others_reason: Option<&Reason>,
    today: NaiveDate,
) -> Result<(), AppError> {
    confirm_claim_with(db, actor, claim, others_reason, today, ("", "")).await
}

/// [`confirm_claim`] with the office's choices as the form sent them: the 分管领导 (a person
/// id, or empty to keep the task's) and the start day (empty: today).
pub async fn confirm_claim_with(
    db: &Db,
    actor: &Actor,
    claim: &ClaimId,
    others_reason: Option<&Reason>,
    today: NaiveDate,
    (supervisor, start): (&str, &str),
) -> Result<(), AppError> {
    let d = decision(db, claim).await?;
    policy::check_decide(actor, d.claim_status, d.task_status)?;
    let listing = Listing::parse(supervisor, start, today, d.year, d.deadline)?;
    let supervisor = match &listing.supervisor {
        Some(p) => Some(super::people::existing(db, p, "supervisor").await?),
        None => None,
    };
    let others: Vec<RecordId> = db
        .query("SELECT VALUE id FROM task_claim WHERE task = $task AND status = 'pending' AND id != $claim")
        .bind(("task", record("task", d.task.as_str())))
        .bind(("claim", record("task_claim", claim.as_str())))
        .await?
        .take(0)?;
    let reason = match (others.is_empty(), others_reason) {
        (true, _) => String::new(),
        (false, Some(r)) => r.as_str().to_owned(),
        (false, None) => return Err(AppError::field("reason", Problem::Required)),
    };
    execute(|| {
        db.query(CONFIRM_CLAIM)
            .bind(("task", record("task", d.task.as_str())))
            .bind(("version", d.task_version))
            .bind(("claim", record("task_claim", claim.as_str())))
            .bind(("others_reason", reason.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("start", listing.start))
            .bind(("supervisor", supervisor.clone()))
            .bind(("summary", "确认挂牌".to_owned()))
    })
    .await
    .map(|_| ())
}
