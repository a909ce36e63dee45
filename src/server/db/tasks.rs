//! Task queries and changes: detail, create, edit, status transitions.

use super::plans::{CriterionRow, PLAN_FIELDS, PlanRow, corrupt, get_plan, require_organizer};
use super::reports::{REPORT_FIELDS, ReportRow};
use super::write::{create_audited, update_versioned, version};
use super::{Db, key_string};
use crate::domain::light::{self, Schedule};
use crate::domain::task::validate_milestones;
use crate::domain::workflow::check_transition;
use crate::domain::{
    Actor, Criterion, Deadline, Milestone, Percent, PersonId, PlanId, PlanStatus, Responsibility,
    TaskDetail, TaskId, TaskStatus, TaskTitle, UnitId,
};
use crate::error::AppError;
use chrono::NaiveDate;
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

#[derive(Debug, SurrealValue)]
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
        .bind(("id", RecordId::new("task", id.as_str())))
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
    let schedule = Schedule {
        start: plan.starts_on(),
        milestones: &dues,
        deadline: task.deadline,
    };
    let status =
        TaskStatus::parse(&task.status).ok_or_else(|| corrupt("task.status", &task.status))?;
    let percent =
        Percent::parse(task.percent).map_err(|_| corrupt("task.percent", task.percent))?;
    let (expected, light) = light::assess(
        status,
        percent.value(),
        &schedule,
        today,
        &plan.light_settings,
    );
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

/// A task's editable content, validated against its plan.
#[derive(Debug, Clone)]
pub struct TaskInput {
    pub number: u32,
    pub title: TaskTitle,
    pub category: String,
    pub description: String,
    pub deadline: Deadline,
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<Criterion>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    pub owner: Option<PersonId>,
    pub post: String,
    pub supervisor: Option<PersonId>,
    pub key: bool,
    pub focus: bool,
}

/// Raw task fields as a form delivers them.
#[derive(Debug, Clone, Default)]
pub struct TaskFields {
    pub number: i64,
    pub title: String,
    pub category: String,
    pub description: String,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<String>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    pub owner: Option<PersonId>,
    pub post: String,
    pub supervisor: Option<PersonId>,
    pub key: bool,
    pub focus: bool,
}

impl TaskInput {
    /// Validates fields against the plan (category list, plan year).
    pub fn parse(
        fields: TaskFields,
        plan_year: i32,
        categories: &[String],
    ) -> Result<Self, AppError> {
        let invalid = AppError::Invalid;
        let number = u32::try_from(fields.number)
            .ok()
            .filter(|n| (1..=999).contains(n))
            .ok_or_else(|| {
                AppError::Invalid(format!("任务编号须在 1–999 之间,收到 {}", fields.number))
            })?;
        let title = TaskTitle::parse(&fields.title).map_err(invalid)?;
        let category = fields.category.trim().to_owned();
        if !categories.contains(&category) {
            return Err(AppError::Invalid(format!(
                "类别“{category}”不在任务清单的类别中"
            )));
        }
        let deadline = Deadline::parse(fields.deadline, plan_year).map_err(invalid)?;
        validate_milestones(&fields.milestones, deadline, plan_year).map_err(invalid)?;
        let description = fields.description.trim().to_owned();
        if description.chars().count() > 2000 {
            return Err(AppError::Invalid("任务内容最多 2000 个字".into()));
        }
        let post = fields.post.trim().to_owned();
        if post.chars().count() > 60 {
            return Err(AppError::Invalid("岗位最多 60 个字".into()));
        }
        if let Some(lead) = &fields.lead_unit
            && fields.co_units.contains(lead)
        {
            return Err(AppError::Invalid("牵头单位不能同时是配合单位".into()));
        }
        Ok(Self {
            number,
            title,
            category,
            description,
            deadline,
            milestones: fields
                .milestones
                .into_iter()
                .map(|m| Milestone {
                    title: m.title.trim().to_owned(),
                    ..m
                })
                .collect(),
            criteria: Criterion::parse_list(&fields.criteria).map_err(invalid)?,
            lead_unit: fields.lead_unit,
            co_units: fields.co_units,
            owner: fields.owner,
            post,
            supervisor: fields.supervisor,
            key: fields.key,
            focus: fields.focus,
        })
    }

    fn content(&self) -> TaskContent {
        TaskContent {
            number: i64::from(self.number),
            title: self.title.as_str().to_owned(),
            category: self.category.clone(),
            description: self.description.clone(),
            deadline: self.deadline.date(),
            milestones: self
                .milestones
                .iter()
                .map(|m| MilestoneRow {
                    title: m.title.clone(),
                    due: m.due,
                    done_on: m.done_on,
                })
                .collect(),
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionRow {
                    text: c.text.clone(),
                    met: c.met,
                    note: c.note.clone(),
                })
                .collect(),
            lead_unit: self
                .lead_unit
                .as_ref()
                .map(|u| RecordId::new("unit", u.as_str())),
            co_units: self
                .co_units
                .iter()
                .map(|u| RecordId::new("unit", u.as_str()))
                .collect(),
            owner: self
                .owner
                .as_ref()
                .map(|p| RecordId::new("person", p.as_str())),
            post: self.post.clone(),
            supervisor: self
                .supervisor
                .as_ref()
                .map(|p| RecordId::new("person", p.as_str())),
            key: self.key,
            focus: self.focus,
        }
    }
}

#[derive(Debug, SurrealValue)]
struct TaskContent {
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

#[derive(Debug, SurrealValue)]
struct NewTaskContent {
    plan: RecordId,
    status: String,
    percent: i64,
    version: i64,
    #[surreal(flatten)]
    content: TaskContent,
}

#[derive(Debug, SurrealValue)]
struct TaskEdit {
    version: i64,
    #[surreal(flatten)]
    content: TaskContent,
}

/// Adds a task to a plan; it starts open (待认领).
pub async fn create_task(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    fields: TaskFields,
) -> Result<TaskId, AppError> {
    require_organizer(actor)?;
    let plan_summary = get_plan(db, plan)
        .await?
        .ok_or_else(|| AppError::NotFound("该任务清单".into()))?;
    if plan_summary.status == PlanStatus::Closed {
        return Err(AppError::Invalid("任务清单已归档,不能再添加任务".into()));
    }
    let input = TaskInput::parse(fields, plan_summary.year, &plan_summary.categories)?;
    if plan_summary.status != PlanStatus::Draft {
        crate::domain::task::check_publishable(input.number, &input.criteria)
            .map_err(AppError::Invalid)?;
    }
    let content = NewTaskContent {
        plan: RecordId::new("plan", plan.as_str()),
        status: TaskStatus::Open.code().to_owned(),
        percent: 0,
        version: 1,
        content: input.content(),
    };
    let key = create_audited(
        db,
        "task",
        content,
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
    fields: TaskFields,
) -> Result<u32, AppError> {
    require_organizer(actor)?;
    let plan = status_row(db, id).await?.plan;
    let plan = get_plan(
        db,
        &PlanId::parse(&key_string(&plan)).ok_or(AppError::Internal)?,
    )
    .await?
    .ok_or_else(|| corrupt("task.plan", &plan))?;
    let input = TaskInput::parse(fields, plan.year, &plan.categories)?;
    if plan.status != PlanStatus::Draft {
        crate::domain::task::check_publishable(input.number, &input.criteria)
            .map_err(AppError::Invalid)?;
    }
    update_versioned(
        db,
        RecordId::new("task", id.as_str()),
        expected_version,
        TaskEdit {
            version: i64::from(expected_version) + 1,
            content: input.content(),
        },
        actor,
        "update",
        format!("修改任务:{}. {}", input.number, input.title.as_str()),
    )
    .await
}

#[derive(Debug, SurrealValue)]
struct StatusRow {
    plan: RecordId,
    status: String,
    version: i64,
    lead_unit: Option<RecordId>,
}

/// The few fields that decide who may change a task; `NotFound` if there is no such task.
async fn status_row(db: &Db, id: &TaskId) -> Result<StatusRow, AppError> {
    let row: Option<StatusRow> = db
        .query("SELECT plan, status, version, lead_unit FROM ONLY $id")
        .bind(("id", RecordId::new("task", id.as_str())))
        .await?
        .take(0)?;
    row.ok_or_else(|| AppError::NotFound("该任务".into()))
}

#[derive(Debug, SurrealValue)]
struct TransitionEdit {
    status: String,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct ClaimEdit {
    status: String,
    version: i64,
    lead_unit: RecordId,
}

/// Moves a task to `to` if the workflow allows it for the actor's role (and, for unit roles,
/// the task is their unit's), and nobody changed the task since `expected_version`.
pub async fn transition_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    to: TaskStatus,
) -> Result<u32, AppError> {
    let record = RecordId::new("task", id.as_str());
    let row = status_row(db, id).await?;
    if version(row.version)? != expected_version {
        return Err(AppError::Conflict);
    }
    let from = TaskStatus::parse(&row.status).ok_or_else(|| corrupt("task.status", &row.status))?;
    let transition = check_transition(from, to, actor.role).map_err(|e| match e {
        crate::domain::TransitionError::Forbidden { .. } => AppError::Forbidden,
        other => AppError::Invalid(other.to_string()),
    })?;
    // Unit roles act only on their own unit's tasks; an open task has no unit yet and may be
    // claimed by any unit.
    if matches!(
        actor.role,
        crate::domain::Role::UnitHead | crate::domain::Role::Liaison
    ) && from != TaskStatus::Open
    {
        let own = match (&row.lead_unit, &actor.unit) {
            (Some(lead), Some(unit)) => key_string(lead) == unit.as_str(),
            _ => false,
        };
        if !own {
            return Err(AppError::Forbidden);
        }
    }
    let summary = format!("{}:{} → {}", transition.label(), from.label(), to.label());
    let status = to.code().to_owned();
    let next = i64::from(expected_version) + 1;
    if from == TaskStatus::Open && to == TaskStatus::Claimed {
        // 揭榜认领: the claiming unit becomes the lead unit.
        let unit = actor
            .unit
            .as_ref()
            .ok_or_else(|| AppError::Invalid("认领须以单位身份进行".into()))?;
        let content = ClaimEdit {
            status,
            version: next,
            lead_unit: RecordId::new("unit", unit.as_str()),
        };
        update_versioned(
            db,
            record,
            expected_version,
            content,
            actor,
            "transition",
            summary,
        )
        .await
    } else {
        let content = TransitionEdit {
            status,
            version: next,
        };
        update_versioned(
            db,
            record,
            expected_version,
            content,
            actor,
            "transition",
            summary,
        )
        .await
    }
}

/// A task's lead unit (`None` while unclaimed); `NotFound` if there is no such task.
pub async fn lead_unit(db: &Db, id: &TaskId) -> Result<Option<UnitId>, AppError> {
    Ok(status_row(db, id)
        .await?
        .lead_unit
        .as_ref()
        .and_then(|u| UnitId::parse(&key_string(u))))
}
