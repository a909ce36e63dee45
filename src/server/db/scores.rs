//! 量化考评's reads and the 考评细则's write: everything a plan's scores are computed from, in
//! one round trip — its tasks, the lead units' reports, each change of status and of light,
//! the 红色督办单 and the units — turned into the domain's dated facts.

use super::plans::PlanRow;
use super::tasks::MilestoneRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::light::Checkpoint;
use crate::domain::score::{RankedUnit, Rubric, TaskFacts};
use crate::domain::{Actor, Entity, PlanId, PlanSummary, TaskId, TaskStatus, UnitId, UnitKind};
use crate::error::AppError;
use crate::server::clock::china_date;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

/// A plan with what its scores are computed from.
#[derive(Debug, Clone)]
pub struct ScoreFacts {
    pub plan: PlanSummary,
    pub rubric: Rubric,
    /// 0 while the plan uses the default rubric.
    pub rubric_version: u32,
    pub tasks: Vec<TaskFacts>,
    pub units: Vec<RankedUnit>,
}

#[derive(Debug, SurrealValue)]
struct TaskRow {
    id: RecordId,
    number: i64,
    title: String,
    key: bool,
    status: String,
    lead_unit: RecordId,
    co_units: Vec<RecordId>,
    started_on: Option<NaiveDate>,
    deadline: NaiveDate,
    original_deadline: Option<NaiveDate>,
    milestones: Vec<MilestoneRow>,
}

#[derive(Debug, SurrealValue)]
struct ReportRow {
    task: RecordId,
    at: DateTime<Utc>,
    percent: i64,
}

#[derive(Debug, SurrealValue)]
struct MoveRow {
    task: RecordId,
    at: DateTime<Utc>,
    before: String,
    after: String,
}

#[derive(Debug, SurrealValue)]
struct LightRow {
    task: RecordId,
    at: DateTime<Utc>,
    kind: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct SheetRow {
    task: RecordId,
    unit: RecordId,
    issued_on: NaiveDate,
}

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
    kind: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct RubricRow {
    on_time: i64,
    quality: i64,
    reporting: i64,
    innovation: i64,
    late_share: i64,
    red_grace_days: i64,
    red_day: i64,
    missed_report: i64,
    returned: i64,
    red_sheet: i64,
    key_weight: i64,
    co_share: i64,
}

#[derive(Debug, SurrealValue)]
struct StoredRubric {
    #[surreal(flatten)]
    rubric: RubricRow,
    version: i64,
}

impl RubricRow {
    fn of(r: &Rubric) -> Self {
        Self {
            on_time: r.on_time.into(),
            quality: r.quality.into(),
            reporting: r.reporting.into(),
            innovation: r.innovation.into(),
            late_share: r.late_share.into(),
            red_grace_days: r.red_grace_days.into(),
            red_day: r.red_day.0,
            missed_report: r.missed_report.0,
            returned: r.returned.0,
            red_sheet: r.red_sheet.0,
            key_weight: r.key_weight.into(),
            co_share: r.co_share.into(),
        }
    }

    fn into_domain(self) -> Result<Rubric, AppError> {
        use crate::domain::score::Points;
        let small = |field: &str, v: i64| u8::try_from(v).map_err(|_| corrupt(field, v));
        let wide = |field: &str, v: i64| u16::try_from(v).map_err(|_| corrupt(field, v));
        Ok(Rubric {
            on_time: small("rubric.on_time", self.on_time)?,
            quality: small("rubric.quality", self.quality)?,
            reporting: small("rubric.reporting", self.reporting)?,
            innovation: small("rubric.innovation", self.innovation)?,
            late_share: small("rubric.late_share", self.late_share)?,
            red_grace_days: wide("rubric.red_grace_days", self.red_grace_days)?,
            red_day: Points(self.red_day),
            missed_report: Points(self.missed_report),
            returned: Points(self.returned),
            red_sheet: Points(self.red_sheet),
            key_weight: wide("rubric.key_weight", self.key_weight)?,
            co_share: small("rubric.co_share", self.co_share)?,
        })
    }
}

const FACTS: &str = "
LET $tasks = SELECT VALUE id FROM task WHERE plan = $plan;
SELECT id, number, title, key, status, lead_unit, co_units, started_on, deadline,
    original_deadline, milestones
    FROM task WHERE plan = $plan AND status != 'cancelled' AND lead_unit != NONE ORDER BY number;
SELECT task, at, percent FROM progress_report
    WHERE task IN $tasks AND status = 'submitted' AND (part ?? 'lead') = 'lead';
SELECT entity AS task, at, before.status AS before, after.status AS after FROM audit_event
    WHERE entity IN $tasks AND before.status != NONE AND after.status != NONE
        AND before.status != after.status ORDER BY at;
SELECT entity AS task, at, after.kind AS kind FROM audit_event
    WHERE entity IN $tasks AND action = 'light' ORDER BY at;
SELECT task, unit, issued_on FROM supervision WHERE task IN $tasks AND kind = 'red';
SELECT id, name, kind FROM unit WHERE active = true ORDER BY name;
";

/// The published plan `id` (`None`: the current one) with everything its scores are computed
/// from; `None` if there is no such plan.
pub async fn facts(db: &Db, id: Option<&PlanId>) -> Result<Option<ScoreFacts>, AppError> {
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             LET $p = $plan.id;
             SELECT * FROM rubric WHERE plan = $p;
             LET $plan = $p;
             {FACTS}",
            select = super::plans::board_plan_statement()
        ))
        .bind(("id", id.map(|p| record("plan", p.as_str()))))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let plan = plan.into_domain()?;
    let stored: Vec<StoredRubric> = response.take(3)?;
    let (rubric, rubric_version) = match stored.into_iter().next() {
        None => (Rubric::default(), 0),
        Some(s) => (
            s.rubric.into_domain()?,
            u32::try_from(s.version).map_err(|_| corrupt("rubric.version", s.version))?,
        ),
    };
    // 4: LET $plan, 5: LET $tasks.
    let tasks: Vec<TaskRow> = response.take(6)?;
    let reports: Vec<ReportRow> = response.take(7)?;
    let moves: Vec<MoveRow> = response.take(8)?;
    let lights: Vec<LightRow> = response.take(9)?;
    let sheets: Vec<SheetRow> = response.take(10)?;
    let units: Vec<UnitRow> = response.take(11)?;

    let mut by_task: HashMap<String, TaskFacts> = HashMap::with_capacity(tasks.len());
    let mut order = Vec::with_capacity(tasks.len());
    let mut current: HashMap<String, TaskStatus> = HashMap::new();
    for t in tasks {
        let key = key_string(&t.id);
        let status = status(&t.status)?;
        let milestones = t
            .milestones
            .into_iter()
            .map(|m| m.into_domain().map(|m| Checkpoint::of(&m)))
            .collect::<Result<Vec<_>, _>>()?;
        let facts = TaskFacts {
            task: TaskId::parse(&key).ok_or_else(|| corrupt("task.id", &t.id))?,
            number: u32::try_from(t.number).map_err(|_| corrupt("task.number", t.number))?,
            title: t.title,
            key: t.key,
            lead: unit_id(&t.lead_unit)?,
            co_units: t.co_units.iter().map(unit_id).collect::<Result<_, _>>()?,
            start: t.started_on.unwrap_or_else(|| plan.starts_on()),
            deadline: t.original_deadline.unwrap_or(t.deadline),
            milestones,
            initial: status,
            moves: Vec::new(),
            reports: Vec::new(),
            lights: Vec::new(),
            red_sheets: Vec::new(),
        };
        current.insert(key.clone(), status);
        order.push(key.clone());
        by_task.insert(key, facts);
    }
    for r in reports {
        if let Some(t) = by_task.get_mut(&key_string(&r.task)) {
            let percent = u8::try_from(r.percent)
                .map_err(|_| corrupt("progress_report.percent", r.percent))?;
            t.reports.push((china_date(r.at), percent));
        }
    }
    for m in moves {
        if let Some(t) = by_task.get_mut(&key_string(&m.task)) {
            if t.moves.is_empty() {
                t.initial = status(&m.before)?;
            }
            t.moves.push((china_date(m.at), status(&m.after)?));
        }
    }
    for l in lights {
        if let Some(t) = by_task.get_mut(&key_string(&l.task)) {
            t.lights
                .push((china_date(l.at), l.kind.as_deref() == Some("red")));
        }
    }
    for s in sheets {
        if let Some(t) = by_task.get_mut(&key_string(&s.task)) {
            t.red_sheets.push((s.issued_on, unit_id(&s.unit)?));
        }
    }
    let mut tasks = Vec::with_capacity(order.len());
    for key in order {
        if let Some(mut t) = by_task.remove(&key) {
            if let Some(status) = current.get(&key) {
                t.settle_unrecorded(*status);
            }
            tasks.push(t);
        }
    }
    let units = units
        .into_iter()
        .map(|u| {
            Ok(RankedUnit {
                id: unit_id(&u.id)?,
                kind: UnitKind::parse(&u.kind).ok_or_else(|| corrupt("unit.kind", &u.kind))?,
                name: u.name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Some(ScoreFacts {
        plan,
        rubric,
        rubric_version,
        tasks,
        units,
    }))
}

/// Plan `plan`'s (`None`: the current plan's) ranking as `user` may read it: as of `as_of`
/// (empty: `today`, held within the plan year) among `group` (empty: all units). The office,
/// leaders and observers see every unit; a unit its own score and place.
pub async fn ranking(
    db: &Db,
    user: &crate::domain::CurrentUser,
    today: NaiveDate,
    plan: Option<&PlanId>,
    as_of: &str,
    group: &str,
) -> Result<crate::domain::score::Ranking, AppError> {
    use crate::domain::policy::{UnitSight, unit_sight};
    use crate::domain::score::{RankGroup, Ranking, parse_as_of, score_plan};
    use crate::domain::{PlanRef, Problem};
    let sight = unit_sight(user.role, user.unit.as_ref());
    if sight == UnitSight::Nothing {
        return Err(AppError::Forbidden);
    }
    let group = match group.trim() {
        "" => RankGroup::All,
        code => {
            RankGroup::parse(code).ok_or_else(|| AppError::field("group", Problem::UnknownValue))?
        }
    };
    let facts = facts(db, plan)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))?;
    let year = facts.plan.year;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::Internal)?;
    let as_of = parse_as_of(as_of, year, today.clamp(facts.plan.starts_on(), year_end))
        .map_err(|p| AppError::field("as_of", p))?;
    let judged = super::assessments::judged(db, &facts.plan.id).await?;
    let mut scores = score_plan(
        &facts.tasks,
        &facts.units,
        &judged,
        &facts.rubric,
        facts.plan.report_day,
        as_of,
        group,
    );
    // 积分 awards and deductions approved by a leader, up to the day.
    let entries = super::points::approved(db, &facts.plan.id).await?;
    crate::domain::points::apply(&mut scores, &entries, as_of);
    let own_only = match &sight {
        UnitSight::Own(unit) => {
            scores.retain(|s| s.unit.id == *unit);
            true
        }
        _ => false,
    };
    Ok(Ranking {
        plan: PlanRef {
            id: facts.plan.id.clone(),
            year,
            title: facts.plan.title.clone(),
        },
        as_of,
        group,
        rubric: facts.rubric,
        rubric_version: facts.rubric_version,
        report_day: facts.plan.report_day,
        scores,
        own_only,
    })
}

/// Plan `plan`'s 考评细则 (the defaults until the office saves its own).
pub async fn rubric(db: &Db, plan: &PlanId) -> Result<Rubric, AppError> {
    let rows: Vec<StoredRubric> = db
        .query("SELECT * FROM rubric WHERE plan = $plan")
        .bind(("plan", record("plan", plan.as_str())))
        .await?
        .take(0)?;
    rows.into_iter()
        .next()
        .map_or(Ok(Rubric::default()), |r| r.rubric.into_domain())
}

fn status(code: &str) -> Result<TaskStatus, AppError> {
    TaskStatus::parse(code).ok_or_else(|| corrupt("task.status", code))
}

fn unit_id(id: &RecordId) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt("unit.id", id))
}

/// Saves plan `plan`'s 考评细则 over the version the organizer saw (0: the defaults, never
/// saved), with its audit event on the plan; answers the new version.
pub async fn save_rubric(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    expected_version: u32,
    rubric: &Rubric,
) -> Result<u32, AppError> {
    let summary = format!(
        "修改考评细则:按期完成 {} 分、完成质量 {} 分、报送及时 {} 分、创新特色 {} 分;逾期完成得 {}%;红灯超过 {} 天每天扣 {} 分,逾期未报每次扣 {} 分,退回整改每次扣 {} 分,红色督办单每张扣 {} 分;重中之重权重 {}%,配合单位计 {}%",
        rubric.on_time,
        rubric.quality,
        rubric.reporting,
        rubric.innovation,
        rubric.late_share,
        rubric.red_grace_days,
        rubric.red_day,
        rubric.missed_report,
        rubric.returned,
        rubric.red_sheet,
        rubric.key_weight,
        rubric.co_share,
    );
    let mut response = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $plan) IN [NONE, 'draft'] { THROW 'jiebang:not_found' };
             LET $before = (SELECT * FROM ONLY $id);
             IF ($before.version ?? 0) != $version { THROW 'jiebang:conflict' };
             LET $after = (UPSERT ONLY $id CONTENT $content RETURN AFTER);
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $plan, action: 'rubric', summary: $summary,
                 before: $before, after: $after
             };
             RETURN $after.version;
             COMMIT TRANSACTION;",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("id", record("rubric", plan.as_str())))
        .bind(("version", i64::from(expected_version)))
        .bind(("content", RubricContent {
            plan: record("plan", plan.as_str()),
            version: i64::from(expected_version) + 1,
            rubric: RubricRow::of(rubric),
        }))
        .bind(("actor", actor.name.clone()))
        .bind(("summary", summary.clone()))
    })
    .await
    .map_err(|e| match e {
        AppError::NotFound(_) => AppError::NotFound(Entity::Plan),
        other => other,
    })?;
    let version: Option<i64> = super::take_returned(&mut response)?;
    version
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(AppError::Internal)
}

#[derive(Debug, Clone, SurrealValue)]
struct RubricContent {
    plan: RecordId,
    version: i64,
    #[surreal(flatten)]
    rubric: RubricRow,
}
