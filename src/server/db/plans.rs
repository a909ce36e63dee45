//! Plans (年度重点任务清单): the board query, creation, edits and status changes.

use super::write::{create_audited, update_versioned, version};
use super::{Db, key_string};
use crate::domain::light::{self, Schedule};
use crate::domain::task::check_publishable;
use crate::domain::{
    Actor, Board, BoardTask, Criterion, LightSettings, Percent, PlanId, PlanStatus, PlanSummary,
    Role, TaskId, TaskStatus, UnitId,
};
use crate::error::AppError;
use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

/// The projection every plan heading is read with.
pub(crate) const PLAN_FIELDS: &str =
    "id, year, title, issuer.name AS issuer, status, categories, light, version";

#[derive(Debug, SurrealValue)]
pub(crate) struct LightRow {
    yellow_behind: i64,
    red_behind: i64,
    due_soon_days: i64,
}

#[derive(Debug, SurrealValue)]
pub(crate) struct PlanRow {
    id: RecordId,
    year: i64,
    title: String,
    issuer: Option<String>,
    status: String,
    categories: Vec<String>,
    light: LightRow,
    version: i64,
}

impl PlanRow {
    pub(crate) fn into_domain(self) -> Result<PlanSummary, AppError> {
        let status =
            PlanStatus::parse(&self.status).ok_or_else(|| corrupt("plan.status", &self.status))?;
        let l = &self.light;
        Ok(PlanSummary {
            id: PlanId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("plan.id", &self.id))?,
            year: i32::try_from(self.year).map_err(|_| corrupt("plan.year", self.year))?,
            title: self.title,
            issuer: self.issuer.unwrap_or_default(),
            status,
            categories: self.categories,
            light_settings: LightSettings::parse(l.yellow_behind, l.red_behind, l.due_soon_days)
                .map_err(|e| corrupt("plan.light", e))?,
            version: version(self.version)?,
        })
    }
}

#[derive(Debug, SurrealValue)]
struct BoardTaskRow {
    id: RecordId,
    number: i64,
    title: String,
    category: String,
    lead_unit: Option<String>,
    owner: Option<String>,
    deadline: NaiveDate,
    milestone_dues: Vec<NaiveDate>,
    status: String,
    percent: i64,
    key: bool,
    focus: bool,
}

impl BoardTaskRow {
    fn into_domain(self, plan: &PlanSummary, today: NaiveDate) -> Result<BoardTask, AppError> {
        let status =
            TaskStatus::parse(&self.status).ok_or_else(|| corrupt("task.status", &self.status))?;
        let percent =
            Percent::parse(self.percent).map_err(|_| corrupt("task.percent", self.percent))?;
        let schedule = Schedule {
            start: plan.starts_on(),
            milestones: &self.milestone_dues,
            deadline: self.deadline,
        };
        let (expected, light) = light::assess(
            status,
            percent.value(),
            &schedule,
            today,
            &plan.light_settings,
        );
        Ok(BoardTask {
            id: TaskId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("task.id", &self.id))?,
            number: u32::try_from(self.number).map_err(|_| corrupt("task.number", self.number))?,
            title: self.title,
            category: self.category,
            lead_unit: self.lead_unit,
            owner: self.owner,
            deadline: self.deadline,
            status,
            percent,
            expected,
            light,
            key: self.key,
            focus: self.focus,
        })
    }
}

/// Logs a stored value the domain cannot represent. The schema's ASSERTs should make this
/// impossible; if it happens anyway the user gets a generic error, the log gets the details.
pub(crate) fn corrupt(field: &str, value: impl std::fmt::Debug) -> AppError {
    tracing::error!(field, value = ?value, "stored value violates the domain");
    AppError::Internal
}

/// The current plan — the newest one that is not a draft — with all its tasks in number order
/// and their lights as of `today`, or `None` if no plan has been published.
/// One round trip: the plan and its tasks come back from one query.
pub async fn current_board(db: &Db, today: NaiveDate) -> Result<Option<Board>, AppError> {
    let mut response = db
        .query(format!(
            "LET $plan = (SELECT {PLAN_FIELDS} FROM plan WHERE status != 'draft' ORDER BY year DESC LIMIT 1)[0];
             RETURN $plan;
             SELECT id, number, title, category, lead_unit.name AS lead_unit, owner.name AS owner,
                    deadline, milestones.*.due AS milestone_dues, status, percent, key, focus
               FROM task WHERE plan = $plan.id ORDER BY number;"
        ))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let plan = plan.into_domain()?;
    let rows: Vec<BoardTaskRow> = response.take(2)?;
    let tasks = rows
        .into_iter()
        .map(|r| r.into_domain(&plan, today))
        .collect::<Result<_, _>>()?;
    Ok(Some(Board {
        plan,
        as_of: today,
        tasks,
    }))
}

/// One plan's heading.
pub async fn get_plan(db: &Db, id: &PlanId) -> Result<Option<PlanSummary>, AppError> {
    let row: Option<PlanRow> = db
        .query(format!("SELECT {PLAN_FIELDS} FROM ONLY $id"))
        .bind(("id", RecordId::new("plan", id.as_str())))
        .await?
        .take(0)?;
    row.map(PlanRow::into_domain).transpose()
}

/// A plan as entered in a form, validated.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub year: i32,
    pub title: String,
    pub issuer: UnitId,
    pub categories: Vec<String>,
    pub light: LightSettings,
}

impl PlanInput {
    /// Validates raw values.
    pub fn parse(
        year: i64,
        title: &str,
        issuer: UnitId,
        categories: &[String],
        light: LightSettings,
    ) -> Result<Self, AppError> {
        let year = i32::try_from(year)
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(format!("年度 {year} 不在 2000–2100 之间")))?;
        let title = crate::domain::TaskTitle::parse(title)
            .map_err(|_| AppError::Invalid("清单名称须为 2–100 个字".into()))?;
        let mut cats: Vec<String> = Vec::new();
        for c in categories
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            if c.chars().count() > 20 {
                return Err(AppError::Invalid(format!("类别“{c}”最多 20 个字")));
            }
            if !cats.iter().any(|x| x == c) {
                cats.push(c.to_owned());
            }
        }
        if cats.is_empty() {
            return Err(AppError::Invalid("至少需要一个任务类别".into()));
        }
        Ok(Self {
            year,
            title: title.as_str().to_owned(),
            issuer,
            categories: cats,
            light,
        })
    }

    fn content(&self, status: PlanStatus, version: i64) -> PlanContent {
        PlanContent {
            year: i64::from(self.year),
            title: self.title.clone(),
            issuer: RecordId::new("unit", self.issuer.as_str()),
            status: status.code().to_owned(),
            categories: self.categories.clone(),
            light: LightRow {
                yellow_behind: i64::from(self.light.yellow_behind),
                red_behind: i64::from(self.light.red_behind),
                due_soon_days: i64::from(self.light.due_soon_days),
            },
            version,
        }
    }
}

#[derive(Debug, SurrealValue)]
struct PlanContent {
    year: i64,
    title: String,
    issuer: RecordId,
    status: String,
    categories: Vec<String>,
    light: LightRow,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct PlanEdit {
    year: i64,
    title: String,
    issuer: RecordId,
    categories: Vec<String>,
    light: LightRow,
    version: i64,
}

/// Creates a plan in draft.
pub async fn create_plan(db: &Db, actor: &Actor, input: &PlanInput) -> Result<PlanId, AppError> {
    require_organizer(actor)?;
    let key = create_audited(
        db,
        "plan",
        input.content(PlanStatus::Draft, 1),
        actor,
        format!("新建任务清单:{}", input.title),
    )
    .await?;
    PlanId::parse(&key).ok_or(AppError::Internal)
}

/// Edits a plan's heading and settings; returns the new version.
pub async fn update_plan(
    db: &Db,
    actor: &Actor,
    id: &PlanId,
    expected_version: u32,
    input: &PlanInput,
) -> Result<u32, AppError> {
    require_organizer(actor)?;
    let c = input.content(PlanStatus::Draft, i64::from(expected_version) + 1);
    let edit = PlanEdit {
        year: c.year,
        title: c.title,
        issuer: c.issuer,
        categories: c.categories,
        light: c.light,
        version: c.version,
    };
    update_versioned(
        db,
        RecordId::new("plan", id.as_str()),
        expected_version,
        edit,
        actor,
        "update",
        format!("修改任务清单:{}", input.title),
    )
    .await
}

#[derive(Debug, SurrealValue)]
struct StatusEdit {
    status: String,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct CriteriaRow {
    number: i64,
    criteria: Vec<CriterionRow>,
}

#[derive(Debug, SurrealValue)]
pub(crate) struct CriterionRow {
    pub(crate) text: String,
    pub(crate) met: Option<bool>,
    pub(crate) note: String,
}

/// Moves a plan along 草拟 → 揭榜中 → 推进中 → 已归档. Publishing (发榜) needs every task to
/// have at least one acceptance criterion.
pub async fn transition_plan(
    db: &Db,
    actor: &Actor,
    id: &PlanId,
    expected_version: u32,
    to: PlanStatus,
) -> Result<u32, AppError> {
    require_organizer(actor)?;
    let plan = get_plan(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("该任务清单".into()))?;
    if plan.version != expected_version {
        return Err(AppError::Conflict);
    }
    let allowed = matches!(
        (plan.status, to),
        (PlanStatus::Draft, PlanStatus::Published)
            | (PlanStatus::Published, PlanStatus::Running)
            | (PlanStatus::Running, PlanStatus::Closed)
    );
    if !allowed {
        return Err(AppError::Invalid(format!(
            "任务清单不能从“{}”变为“{}”",
            plan.status.label(),
            to.label()
        )));
    }
    if to == PlanStatus::Published {
        let rows: Vec<CriteriaRow> = db
            .query("SELECT number, criteria FROM task WHERE plan = $plan ORDER BY number")
            .bind(("plan", RecordId::new("plan", id.as_str())))
            .await?
            .take(0)?;
        if rows.is_empty() {
            return Err(AppError::Invalid("任务清单中还没有任务,不能发榜".into()));
        }
        for row in &rows {
            let criteria: Vec<Criterion> = row
                .criteria
                .iter()
                .map(|c| Criterion {
                    text: c.text.clone(),
                    met: c.met,
                    note: c.note.clone(),
                })
                .collect();
            check_publishable(u32::try_from(row.number).unwrap_or(0), &criteria)
                .map_err(AppError::Invalid)?;
        }
    }
    update_versioned(
        db,
        RecordId::new("plan", id.as_str()),
        expected_version,
        StatusEdit {
            status: to.code().to_owned(),
            version: i64::from(expected_version) + 1,
        },
        actor,
        "transition",
        format!("任务清单状态:{} → {}", plan.status.label(), to.label()),
    )
    .await
}

/// Plans and their tasks are the organizing office's to change.
pub(crate) fn require_organizer(actor: &Actor) -> Result<(), AppError> {
    if actor.role == Role::Organizer {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
