//! Task queries and changes: detail, create, edit, status transitions.

use super::plans::{CriterionRow, PLAN_FIELDS, PlanRow, Standing, get_plan};
use super::reports::{REPORT_FIELDS, ReportRow};
use super::write::{Versioned, create_audited, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record};
use crate::domain::policy::{self, Capability, LeadChange, TaskFacts};
use crate::domain::{
    Actor, Criterion, Entity, Milestone, Percent, PlanId, PlanStatus, Problem, Refusal,
    Responsibility, TaskDetail, TaskForm, TaskId, TaskInput, TaskStatus, UnitId,
};
use crate::error::AppError;
use crate::server::authz::require_actor;
use crate::ui::messages;
use chrono::NaiveDate;
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct MilestoneRow {
    pub(crate) title: String,
    pub(crate) due: NaiveDate,
    pub(crate) done_on: Option<NaiveDate>,
}

#[derive(Debug, SurrealValue)]
struct TaskDetailRow {
    id: RecordId,
    number: i64,
    title: String,
    category: String,
    description: String,
    lead_unit_id: Option<RecordId>,
    lead_unit: Option<String>,
    co_units: Vec<String>,
    owner: Option<String>,
    post: String,
    supervisor: Option<String>,
    deadline: NaiveDate,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
    status: String,
    percent: i64,
    key: bool,
    focus: bool,
    version: i64,
}

/// One task with its plan heading and reports, lights as of `today`; `None` if no such task.
/// One round trip.
pub async fn detail(
    db: &Db,
    id: &TaskId,
    today: NaiveDate,
) -> Result<Option<TaskDetail>, AppError> {
    let mut response = db
        .query(format!(
            "LET $task = (SELECT id, number, title, category, description,
                    lead_unit AS lead_unit_id, lead_unit.name AS lead_unit, co_units.*.name AS co_units,
                    owner.name AS owner, post, supervisor.name AS supervisor, deadline,
                    milestones, criteria, status, percent, key, focus, version, plan
                  FROM ONLY $id);
             RETURN $task;
             SELECT {PLAN_FIELDS} FROM plan WHERE id = $task.plan;
             SELECT {REPORT_FIELDS} FROM progress_report WHERE task = $id ORDER BY at DESC;"
        ))
        .bind(("id", record("task", id.as_str())))
        .await?;
    let task: Option<TaskDetailRow> = response.take(1)?;
    let Some(task) = task else {
        return Ok(None);
    };
    let plan: Option<PlanRow> = response.take::<Vec<PlanRow>>(2)?.into_iter().next();
    let plan = plan
        .ok_or_else(|| corrupt("task.plan", &task.id))?
        .into_domain()?;
    let reports: Vec<ReportRow> = response.take(3)?;
    let mut milestones: Vec<Milestone> = task
        .milestones
        .into_iter()
        .map(|m| Milestone {
            title: m.title,
            due: m.due,
            done_on: m.done_on,
        })
        .collect();
    milestones.sort_by_key(|m| m.due);
    let dues: Vec<NaiveDate> = milestones.iter().map(|m| m.due).collect();
    let Standing {
        status,
        percent,
        expected,
        light,
    } = Standing::assess(
        &plan,
        &task.status,
        task.percent,
        &dues,
        task.deadline,
        today,
    )?;
    Ok(Some(TaskDetail {
        id: TaskId::parse(&key_string(&task.id)).ok_or_else(|| corrupt("task.id", &task.id))?,
        number: u32::try_from(task.number).map_err(|_| corrupt("task.number", task.number))?,
        title: task.title,
        category: task.category,
        description: task.description,
        responsibility: Responsibility {
            lead_unit_id: task
                .lead_unit_id
                .as_ref()
                .and_then(|u| UnitId::parse(&key_string(u))),
            lead_unit: task.lead_unit,
            co_units: task.co_units,
            owner: task.owner,
            post: task.post,
            supervisor: task.supervisor,
        },
        deadline: task.deadline,
        milestones,
        criteria: task
            .criteria
            .into_iter()
            .map(|c| Criterion {
                text: c.text,
                met: c.met,
                note: c.note,
            })
            .collect(),
        status,
        percent,
        expected,
        light,
        as_of: today,
        key: task.key,
        focus: task.focus,
        version: version(task.version)?,
        reports: reports
            .into_iter()
            .map(ReportRow::into_domain)
            .collect::<Result<_, _>>()?,
        plan,
    }))
}

fn content(input: &TaskInput) -> TaskContent {
    TaskContent {
        number: i64::from(input.number),
        title: input.title.as_str().to_owned(),
        category: input.category.clone(),
        description: input.description.clone(),
        deadline: input.deadline.date(),
        milestones: input
            .milestones
            .iter()
            .map(|m| MilestoneRow {
                title: m.title.clone(),
                due: m.due,
                done_on: m.done_on,
            })
            .collect(),
        criteria: input
            .criteria
            .iter()
            .map(|c| CriterionRow {
                text: c.text.clone(),
                met: c.met,
                note: c.note.clone(),
            })
            .collect(),
        lead_unit: input.lead_unit.as_ref().map(|u| record("unit", u.as_str())),
        co_units: input
            .co_units
            .iter()
            .map(|u| record("unit", u.as_str()))
            .collect(),
        owner: input.owner.as_ref().map(|p| record("person", p.as_str())),
        post: input.post.clone(),
        supervisor: input
            .supervisor
            .as_ref()
            .map(|p| record("person", p.as_str())),
        key: input.key,
        focus: input.focus,
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct TaskContent {
    number: i64,
    title: String,
    category: String,
    description: String,
    deadline: NaiveDate,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
    lead_unit: Option<RecordId>,
    co_units: Vec<RecordId>,
    owner: Option<RecordId>,
    post: String,
    supervisor: Option<RecordId>,
    key: bool,
    focus: bool,
}

/// A new task's row: its content plus where it starts (待揭榜, or already held — the demo
/// seed brings tasks mid-year).
#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct NewTaskContent {
    pub(crate) plan: RecordId,
    pub(crate) status: String,
    pub(crate) percent: i64,
    pub(crate) version: i64,
    #[surreal(flatten)]
    pub(crate) content: TaskContent,
}

impl NewTaskContent {
    /// A checked task of `plan`, starting in `status` at `percent`.
    pub(crate) fn new(
        plan: &PlanId,
        input: &TaskInput,
        status: TaskStatus,
        percent: Percent,
    ) -> Self {
        Self {
            plan: record("plan", plan.as_str()),
            status: status.code().to_owned(),
            percent: i64::from(percent.value()),
            version: 1,
            content: content(input),
        }
    }
}

/// A new task with its id, for inserting a whole list at once (the demo seed, an import).
#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct KeyedTask {
    pub(crate) id: RecordId,
    #[surreal(flatten)]
    pub(crate) content: NewTaskContent,
}

impl KeyedTask {
    /// Task `number` of `plan`, keyed `<plan>-<number>` so a list's tasks have stable ids.
    pub(crate) fn new(
        plan: &PlanId,
        input: &TaskInput,
        status: TaskStatus,
        percent: Percent,
    ) -> Self {
        Self {
            id: record("task", &format!("{}-{:02}", plan.as_str(), input.number)),
            content: NewTaskContent::new(plan, input, status, percent),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct TaskEdit {
    version: i64,
    #[surreal(flatten)]
    content: TaskContent,
}

/// The plan a task form is checked against; `NotFound` if there is none.
async fn plan_for(db: &Db, plan: &PlanId) -> Result<crate::domain::PlanSummary, AppError> {
    get_plan(db, plan)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))
}

/// Adds a task to a plan; it starts 待揭榜.
pub async fn create_task(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    form: &TaskForm,
) -> Result<TaskId, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let summary = plan_for(db, plan).await?;
    if summary.status == PlanStatus::Closed {
        return Err(Refusal::PlanClosed.into());
    }
    let published = summary.status != PlanStatus::Draft;
    let input = TaskInput::parse(form, summary.year, &summary.categories, published)?;
    let row = NewTaskContent::new(
        plan,
        &input,
        TaskStatus::Open,
        Percent::parse(0).map_err(|_| AppError::Internal)?,
    );
    let key = create_audited(
        db,
        "task",
        row,
        actor,
        format!("新建任务:{}. {}", input.number, input.title.as_str()),
    )
    .await?;
    TaskId::parse(&key).ok_or(AppError::Internal)
}

/// Replaces a task's editable content if nobody changed it since `expected_version`;
/// returns the new version.
pub async fn update_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    form: &TaskForm,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let plan = status_row(db, id).await?.plan;
    let plan = plan_for(
        db,
        &PlanId::parse(&key_string(&plan)).ok_or_else(|| corrupt("task.plan", &plan))?,
    )
    .await?;
    let published = plan.status != PlanStatus::Draft;
    let input = TaskInput::parse(form, plan.year, &plan.categories, published)?;
    update_versioned(
        db,
        actor,
        Versioned {
            id: record("task", id.as_str()),
            expected_version,
            content: TaskEdit {
                version: next_version(expected_version),
                content: content(&input),
            },
            action: "update",
            summary: format!("修改任务:{}. {}", input.number, input.title.as_str()),
        },
    )
    .await
}

#[derive(Debug, SurrealValue)]
struct StatusRow {
    plan: RecordId,
    plan_status: String,
    status: String,
    version: i64,
    lead_unit: Option<RecordId>,
}

/// A task's status, holder and version, as the policy needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// The status of the task's plan (tasks act only while it is up).
    pub plan_status: PlanStatus,
    pub status: TaskStatus,
    pub lead_unit: Option<UnitId>,
    pub version: u32,
}

impl TaskState {
    /// The facts the policy decides on.
    pub fn facts(&self) -> TaskFacts<'_> {
        TaskFacts {
            status: self.status,
            lead_unit: self.lead_unit.as_ref(),
        }
    }
}

/// The few fields that decide who may change a task; `NotFound` if there is no such task.
async fn status_row(db: &Db, id: &TaskId) -> Result<StatusRow, AppError> {
    let row: Option<StatusRow> = db
        .query("SELECT plan, plan.status AS plan_status, status, version, lead_unit FROM ONLY $id")
        .bind(("id", record("task", id.as_str())))
        .await?
        .take(0)?;
    row.ok_or(AppError::NotFound(Entity::Task))
}

/// A task's status, lead unit and version; `NotFound` if there is no such task.
pub async fn state(db: &Db, id: &TaskId) -> Result<TaskState, AppError> {
    let row = status_row(db, id).await?;
    Ok(TaskState {
        plan_status: PlanStatus::parse(&row.plan_status)
            .ok_or_else(|| corrupt("plan.status", &row.plan_status))?,
        status: TaskStatus::parse(&row.status)
            .ok_or_else(|| corrupt("task.status", &row.status))?,
        lead_unit: row
            .lead_unit
            .as_ref()
            .map(|u| UnitId::parse(&key_string(u)).ok_or_else(|| corrupt("task.lead_unit", u)))
            .transpose()?,
        version: version(row.version)?,
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct TransitionEdit {
    status: String,
    version: i64,
    /// `None` removes the holder (the task goes back up for 揭榜).
    lead_unit: Option<RecordId>,
}

/// Moves a task to `to` if the policy allows it for the actor on the task as it stands at
/// `expected_version`; the write requires that version, so a decision is never applied to a
/// task that changed after it was made. `assignee` names the unit for 交办.
pub async fn transition_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    to: TaskStatus,
    assignee: Option<&UnitId>,
) -> Result<u32, AppError> {
    let task = state(db, id).await?;
    if task.version != expected_version {
        return Err(AppError::Conflict);
    }
    policy::check_plan_open(task.plan_status)?;
    let m = policy::check_move(actor, task.facts(), to, assignee)?;
    if let LeadChange::Set(unit) = &m.lead
        && super::units::get_unit(db, unit).await?.is_none()
    {
        return Err(AppError::field("unit", Problem::NoSuchRecord));
    }
    let summary = format!(
        "{}:{} → {}",
        messages::transition(m.transition, actor.role),
        messages::task_status(task.status),
        messages::task_status(to)
    );
    let status = to.code().to_owned();
    let version = next_version(expected_version);
    let id = record("task", id.as_str());
    // The holder the move leaves: the one read (the version check makes it current), or the
    // one the move sets or clears.
    let lead_unit = match m.lead {
        LeadChange::Keep => task.lead_unit.as_ref().map(|u| record("unit", u.as_str())),
        LeadChange::Set(unit) => Some(record("unit", unit.as_str())),
        LeadChange::Clear => None,
    };
    let change = Versioned {
        id,
        expected_version,
        content: TransitionEdit {
            status,
            version,
            lead_unit,
        },
        action: "transition",
        summary,
    };
    update_versioned(db, actor, change).await
}
