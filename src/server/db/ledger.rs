//! The 台账: the current plan's tasks with responsibility, goals, criteria, standing and the
//! latest report, in one round trip.

use super::plans::{CriterionRow, PLAN_FIELDS, PlanRow, Standing, board_plan_statement};
use super::tasks::MilestoneRow;
use super::{Db, corrupt, key_string};
use crate::domain::{
    Criterion, LatestReport, Ledger, LedgerRow, Milestone, Responsibility, UnitId,
};
use crate::error::AppError;
use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

/// A 报送ed report, newest first: the first one of each task is its latest.
#[derive(Debug, SurrealValue)]
struct LatestRow {
    task: RecordId,
    done: String,
    problems: String,
    next_steps: String,
    /// Read for the order only.
    #[allow(dead_code)]
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, SurrealValue)]
struct LedgerTaskRow {
    id: RecordId,
    version: i64,
    number: i64,
    key: bool,
    title: String,
    category: String,
    lead_unit_id: Option<RecordId>,
    lead_unit: Option<String>,
    co_units: Vec<String>,
    co_unit_ids: Vec<RecordId>,
    owner: Option<String>,
    post: String,
    supervisor: Option<String>,
    deadline: NaiveDate,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
    status: String,
    percent: i64,
    started_on: Option<NaiveDate>,
}

/// The 台账 of a published plan (`None`: the current one) as of `today`, as the board shows
/// it; `None` if there is no such published plan.
pub async fn board_ledger(
    db: &Db,
    plan: Option<&crate::domain::PlanId>,
    today: NaiveDate,
) -> Result<Option<Ledger>, AppError> {
    ledger(
        db,
        board_plan_statement(),
        plan.map(|p| super::record("plan", p.as_str())),
        today,
    )
    .await
}

/// One plan's 台账 (drafts too) as of `today`; `None` if there is no such plan.
pub async fn plan_ledger(
    db: &Db,
    plan: &crate::domain::PlanId,
    today: NaiveDate,
) -> Result<Option<Ledger>, AppError> {
    let select = format!("LET $plan = (SELECT {PLAN_FIELDS} FROM ONLY $id);");
    ledger(
        db,
        select,
        Some(super::record("plan", plan.as_str())),
        today,
    )
    .await
}

/// The 台账 of the plan `select` binds to `$plan` (with `$id` bound to `id`).
async fn ledger(
    db: &Db,
    select: String,
    id: Option<RecordId>,
    today: NaiveDate,
) -> Result<Option<Ledger>, AppError> {
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             SELECT id, version, number, key, title, category, lead_unit AS lead_unit_id, lead_unit.name AS lead_unit,
                    co_units.*.name AS co_units, co_units AS co_unit_ids, owner.name AS owner, post,
                    supervisor.name AS supervisor, deadline, milestones, criteria, status, percent, started_on
               FROM task WHERE plan = $plan.id ORDER BY number;
             SELECT task, done, problems, next_steps, at FROM progress_report
               WHERE status = 'submitted' AND task.plan = $plan.id ORDER BY at DESC;"
        ))
        .bind(("id", id))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let plan = plan.into_domain()?;
    let rows: Vec<LedgerTaskRow> = response.take(2)?;
    // The latest report of every task in one pass over the plan's reports (a query per task
    // made the 台账 of a 1,000-task plan take 45 s).
    let reports: Vec<LatestRow> = response.take(3)?;
    let mut latest: std::collections::HashMap<String, LatestRow> =
        std::collections::HashMap::with_capacity(rows.len());
    for report in reports {
        latest.entry(key_string(&report.task)).or_insert(report);
    }
    let rows = rows
        .into_iter()
        .map(|row| {
            let mut milestones: Vec<Milestone> = row
                .milestones
                .into_iter()
                .map(super::tasks::MilestoneRow::into_domain)
                .collect::<Result<_, _>>()?;
            milestones.sort_by_key(|m| m.due);
            let checkpoints: Vec<crate::domain::Checkpoint> = milestones
                .iter()
                .map(crate::domain::Checkpoint::of)
                .collect();
            let standing = Standing::assess(
                &plan,
                &row.status,
                row.percent,
                &checkpoints,
                row.started_on,
                row.deadline,
                today,
            )?;
            Ok(LedgerRow {
                id: crate::domain::TaskId::parse(&key_string(&row.id))
                    .ok_or_else(|| corrupt("task.id", &row.id))?,
                version: super::write::version(row.version)?,
                key: row.key,
                number: u32::try_from(row.number)
                    .map_err(|_| corrupt("task.number", row.number))?,
                category: row.category,
                title: row.title,
                responsibility: Responsibility {
                    lead_unit_id: row
                        .lead_unit_id
                        .as_ref()
                        .and_then(|u| UnitId::parse(&key_string(u))),
                    lead_unit: row.lead_unit,
                    co_units: row.co_units,
                    co_unit_ids: row
                        .co_unit_ids
                        .iter()
                        .map(super::units::unit_id)
                        .collect::<Result<_, _>>()?,
                    owner: row.owner,
                    post: row.post,
                    supervisor: row.supervisor,
                },
                milestones,
                deadline: row.deadline,
                criteria: row.criteria.into_iter().map(Criterion::from).collect(),
                status: standing.status,
                percent: standing.percent,
                expected: standing.expected,
                light: standing.light,
                latest: latest.remove(&key_string(&row.id)).map(|l| LatestReport {
                    done: l.done,
                    problems: l.problems,
                    next_steps: l.next_steps,
                }),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Some(Ledger {
        plan,
        as_of: today,
        rows,
    }))
}
