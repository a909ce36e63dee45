//! Task queries and changes: detail, create, edit, status transitions.

use super::acceptance::ROUND_FIELDS;
use super::comments::COMMENT_FIELDS;
use super::plans::{CriterionRow, PLAN_FIELDS, PlanRow, Standing, get_plan};
use super::reports::{REPORT_FIELDS, ReportRow};
use super::requests::REQUEST_FIELDS;
use super::supervision::SUPERVISION_FIELDS;
use super::write::{Also, Versioned, execute, missing, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::light::Checkpoint;
use crate::domain::policy::{self, Capability, LeadChange, TaskFacts};
use crate::domain::task::Goals;
use crate::domain::workflow;
use crate::domain::{
    Actor, Adjustment, AdjustmentRecord, Criterion, Entity, FieldError, Milestone, MilestoneForm,
    MoveDetails, Percent, PersonId, PlanId, PlanStatus, Problem, Refusal, Responsibility,
    TaskDetail, TaskEditView, TaskForm, TaskId, TaskInput, TaskStatus, Transition, UnitId,
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
    pub(crate) target: Option<i64>,
}

impl MilestoneRow {
    pub(crate) fn of(m: &Milestone) -> Self {
        Self {
            title: m.title.clone(),
            due: m.due,
            done_on: m.done_on,
            target: m.target.map(|t| i64::from(t.value())),
        }
    }

    pub(crate) fn into_domain(self) -> Result<Milestone, AppError> {
        Ok(Milestone {
            target: self
                .target
                .map(|t| Percent::parse(t).map_err(|_| corrupt("task.milestones.target", t)))
                .transpose()?,
            title: self.title,
            due: self.due,
            done_on: self.done_on,
        })
    }
}

#[derive(Debug, SurrealValue)]
struct AdjustmentRow {
    at: chrono::DateTime<chrono::Utc>,
    author: String,
    reason: String,
    change_json: String,
}

impl AdjustmentRow {
    fn into_domain(self) -> Result<AdjustmentRecord, AppError> {
        Ok(AdjustmentRecord {
            change: serde_json::from_str(&self.change_json)
                .map_err(|_| corrupt("task_adjustment.change_json", &self.change_json))?,
            day: crate::server::clock::china_date(self.at),
            at: self.at,
            author: self.author,
            reason: self.reason,
        })
    }
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
    co_unit_ids: Vec<RecordId>,
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
    lead_reports_direct: Option<bool>,
    assigned_on: Option<NaiveDate>,
    original_deadline: Option<NaiveDate>,
    signoff_pending: Option<bool>,
    started_on: Option<NaiveDate>,
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
                    lead_unit AS lead_unit_id, lead_unit.name AS lead_unit, co_units.*.name AS co_units, co_units AS co_unit_ids,
                    owner.name AS owner, post, supervisor.name AS supervisor, deadline,
                    milestones, criteria, status, percent, key, focus, version, plan,
                    lead_unit.reports_direct AS lead_reports_direct, assigned_on, original_deadline,
                    signoff_pending, started_on
                  FROM ONLY $id);
             RETURN $task;
             SELECT {PLAN_FIELDS} FROM plan WHERE id = $task.plan;
             SELECT {REPORT_FIELDS} FROM progress_report WHERE task = $id ORDER BY at;
             SELECT at, author, reason, change_json FROM task_adjustment WHERE task = $id ORDER BY at;
             SELECT at, actor, entity, action, summary FROM audit_event WHERE entity = $id ORDER BY at;
             SELECT {ROUND_FIELDS} FROM acceptance_round WHERE task = $id ORDER BY round;
             SELECT {REQUEST_FIELDS} FROM extension_request WHERE task = $id ORDER BY at;
             SELECT {COMMENT_FIELDS} FROM task_comment WHERE task = $id ORDER BY at;
             SELECT {SUPERVISION_FIELDS} FROM supervision WHERE task = $id ORDER BY at;"
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
    // Read oldest first by their (task, at) indexes and turned newest first here: SurrealDB
    // 3.3 walks an index backwards (`ORDER BY … DESC`) in time that grows with the whole
    // store (30–60 ms each at 10,000 tasks, under 1 ms forwards).
    fn newest_first<T>(mut rows: Vec<T>) -> Vec<T> {
        rows.reverse();
        rows
    }
    let reports: Vec<ReportRow> = newest_first(response.take(3)?);
    let adjustments: Vec<AdjustmentRow> = newest_first(response.take(4)?);
    let history: Vec<super::audit::AuditRow> = newest_first(response.take(5)?);
    let rounds: Vec<super::acceptance::RoundRow> = newest_first(response.take(6)?);
    let requests: Vec<super::requests::RequestRow> = newest_first(response.take(7)?);
    let comments: Vec<super::comments::CommentRow> = response.take(8)?;
    let supervisions: Vec<super::supervision::SupervisionRow> = newest_first(response.take(9)?);
    let mut milestones: Vec<Milestone> = task
        .milestones
        .into_iter()
        .map(MilestoneRow::into_domain)
        .collect::<Result<_, _>>()?;
    milestones.sort_by_key(|m| m.due);
    let checkpoints: Vec<Checkpoint> = milestones.iter().map(Checkpoint::of).collect();
    let Standing {
        status,
        percent,
        expected,
        light,
        reason,
    } = Standing::assess(
        &plan,
        &task.status,
        task.percent,
        &checkpoints,
        task.started_on,
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
            co_unit_ids: task
                .co_unit_ids
                .iter()
                .map(super::units::unit_id)
                .collect::<Result<_, _>>()?,
            owner: task.owner,
            post: task.post,
            supervisor: task.supervisor,
        },
        deadline: task.deadline,
        milestones,
        criteria: task.criteria.into_iter().map(Criterion::from).collect(),
        status,
        percent,
        expected,
        light,
        reason,
        as_of: today,
        key: task.key,
        focus: task.focus,
        version: version(task.version)?,
        reports: reports
            .into_iter()
            .map(ReportRow::into_domain)
            .collect::<Result<_, _>>()?,
        adjustments: adjustments
            .into_iter()
            .map(AdjustmentRow::into_domain)
            .collect::<Result<_, _>>()?,
        claims: Vec::new(),
        reader: None,
        lead_reports_direct: task.lead_reports_direct.unwrap_or(false),
        days_waiting: crate::domain::workflow::days_waiting(status, task.assigned_on, today),
        history: history
            .into_iter()
            .map(super::audit::AuditRow::into_domain)
            .collect(),
        acceptance: rounds
            .into_iter()
            .map(super::acceptance::RoundRow::into_domain)
            .collect::<Result<_, _>>()?,
        extensions: requests
            .into_iter()
            .map(super::requests::RequestRow::into_domain)
            .collect::<Result<_, _>>()?,
        original_deadline: task.original_deadline,
        people: Vec::new(),
        supervisions: supervisions
            .into_iter()
            .map(super::supervision::SupervisionRow::into_domain)
            .collect::<Result<_, _>>()?,
        awaiting_signoff: task.signoff_pending.unwrap_or(false),
        comments: comments
            .into_iter()
            .map(super::comments::CommentRow::into_domain)
            .collect::<Result<_, _>>()?,
        plan,
    }))
}

#[derive(Debug, SurrealValue)]
struct EditFormRow {
    plan: RecordId,
    status: String,
    version: i64,
    #[surreal(flatten)]
    content: TaskContent,
}

/// A task as its edit form starts out; `None` if there is no such task.
pub async fn edit_view(db: &Db, id: &TaskId) -> Result<Option<TaskEditView>, AppError> {
    let row: Option<EditFormRow> = db
        .query(
            "SELECT plan, number, title, category, description, deadline, milestones, criteria,
                    lead_unit, co_units, owner, post, supervisor, key, focus, status, version
             FROM ONLY $id",
        )
        .bind(("id", record("task", id.as_str())))
        .await?
        .take(0)?;
    let Some(EditFormRow {
        plan,
        status,
        version: stored_version,
        content: row,
    }) = row
    else {
        return Ok(None);
    };
    let plan = PlanId::parse(&key_string(&plan)).ok_or_else(|| corrupt("task.plan", &plan))?;
    let plan = plan_for(db, &plan).await?;
    let key = |r: &RecordId| key_string(r);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut milestones = row.milestones;
    milestones.sort_by_key(|m| m.due);
    Ok(Some(TaskEditView {
        id: id.clone(),
        status: TaskStatus::parse(&status).ok_or_else(|| corrupt("task.status", &status))?,
        version: version(stored_version)?,
        form: TaskForm {
            number: row.number.to_string(),
            title: row.title,
            category: row.category,
            description: row.description,
            deadline: row.deadline.to_string(),
            milestones: milestones
                .into_iter()
                .map(|m| MilestoneForm {
                    title: m.title,
                    due: m.due.to_string(),
                    done_on: date(m.done_on),
                    target: m.target.map(|t| t.to_string()).unwrap_or_default(),
                })
                .collect(),
            criteria: row.criteria.into_iter().map(|c| c.text).collect(),
            lead_unit: row.lead_unit.as_ref().map(key).unwrap_or_default(),
            co_units: row.co_units.iter().map(key).collect(),
            owner: row.owner.as_ref().map(key).unwrap_or_default(),
            post: row.post,
            supervisor: row.supervisor.as_ref().map(key).unwrap_or_default(),
            key: row.key,
            focus: row.focus,
        },
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
        milestones: input.milestones.iter().map(MilestoneRow::of).collect(),
        criteria: input.criteria.iter().map(CriterionRow::of).collect(),
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

#[derive(Debug, SurrealValue)]
struct Existing {
    units: Vec<RecordId>,
    people: Vec<RecordId>,
}

/// Every unit and person a task names must exist; each one that does not is a field error.
async fn check_references(db: &Db, input: &TaskInput) -> Result<(), AppError> {
    let units: Vec<RecordId> = input
        .lead_unit
        .iter()
        .chain(&input.co_units)
        .map(|u| record("unit", u.as_str()))
        .collect();
    let people: Vec<RecordId> = input
        .owner
        .iter()
        .chain(&input.supervisor)
        .map(|p| record("person", p.as_str()))
        .collect();
    let found: Option<Existing> = db
        .query(
            "RETURN { units: (SELECT VALUE id FROM $units), people: (SELECT VALUE id FROM $people) }",
        )
        .bind(("units", units))
        .bind(("people", people))
        .await?
        .take(0)?;
    let found = found.ok_or(AppError::Internal)?;
    let unit_known = |u: &UnitId| found.units.contains(&record("unit", u.as_str()));
    let person_known = |p: &PersonId| found.people.contains(&record("person", p.as_str()));
    let mut errors = Vec::new();
    if input.lead_unit.as_ref().is_some_and(|u| !unit_known(u)) {
        errors.push(FieldError::new("lead_unit", Problem::NoSuchRecord));
    }
    for (i, u) in input.co_units.iter().enumerate() {
        if !unit_known(u) {
            errors.push(FieldError::at("co_units", i, Problem::NoSuchRecord));
        }
    }
    if input.owner.as_ref().is_some_and(|p| !person_known(p)) {
        errors.push(FieldError::new("owner", Problem::NoSuchRecord));
    }
    if input.supervisor.as_ref().is_some_and(|p| !person_known(p)) {
        errors.push(FieldError::new("supervisor", Problem::NoSuchRecord));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Adds a task to a plan, if the plan is still at the version the form was checked against
/// (so a task never slips into a plan as it is published). It starts 待揭榜, or 待签收 when a
/// published plan's task names its lead unit.
const CREATE_TASK: &str = "
BEGIN TRANSACTION;
LET $p = (SELECT status, version FROM ONLY $plan);
IF !$p { THROW 'jiebang:not_found' };
IF $p.version != $version { THROW 'jiebang:conflict' };
LET $created = (CREATE ONLY task CONTENT $content RETURN AFTER);
-- A task added to a published list with its unit waits for that unit's 签收 from today.
LET $after = IF $created.status = 'assigned' {
    (UPDATE ONLY $created.id SET assigned_on = time::now() RETURN AFTER)
} ELSE { $created };
UPDATE $plan SET version += 1;
CREATE audit_event CONTENT {
    actor: $actor, entity: $after.id, action: 'create', summary: $summary, after: $after
};
RETURN $after.id;
COMMIT TRANSACTION;
";

/// Adds a task to a plan; returns its id.
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
    check_references(db, &input).await?;
    let status = if published && input.lead_unit.is_some() {
        TaskStatus::Assigned
    } else {
        TaskStatus::Open
    };
    let row = NewTaskContent::new(
        plan,
        &input,
        status,
        Percent::parse(0).map_err(|_| AppError::Internal)?,
    );
    let text = format!("新建任务:{}. {}", input.number, input.title.as_str());
    let mut res = execute(|| {
        db.query(CREATE_TASK)
            .bind(("plan", record("plan", plan.as_str())))
            .bind(("version", i64::from(summary.version)))
            .bind(("content", row.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", text.clone()))
    })
    .await
    .map_err(missing(Entity::Plan))?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.and_then(|id| TaskId::parse(&key_string(&id)))
        .ok_or(AppError::Internal)
}

/// What an edit is compared with and keeps: the task as stored.
#[derive(Debug, SurrealValue)]
struct EditBase {
    plan: RecordId,
    number: i64,
    lead_unit: Option<RecordId>,
    deadline: NaiveDate,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<CriterionRow>,
    version: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct AdjustmentData {
    reason: String,
    change: String,
}

/// Replaces a task's content if nobody changed it since `expected_version`; returns the new
/// version. Once the plan is published the task keeps its number and holder (those move by
/// 揭榜 and 交办), and a change to its 推进目标, 完成时限 or 验收标准 is an 调整: it needs
/// `reason` and is kept before/after in the task's history, in the same transaction.
pub async fn update_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    form: &TaskForm,
    reason: &str,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let base: Option<EditBase> = db
        .query(
            "SELECT plan, number, lead_unit, deadline, milestones, criteria, version FROM ONLY $id",
        )
        .bind(("id", record("task", id.as_str())))
        .await?
        .take(0)?;
    let base = base.ok_or(AppError::NotFound(Entity::Task))?;
    if version(base.version)? != expected_version {
        return Err(AppError::Conflict);
    }
    let plan = plan_for(
        db,
        &PlanId::parse(&key_string(&base.plan)).ok_or_else(|| corrupt("task.plan", &base.plan))?,
    )
    .await?;
    if plan.status == PlanStatus::Closed {
        return Err(Refusal::PlanClosed.into());
    }
    let published = plan.status != PlanStatus::Draft;
    let mut input = TaskInput::parse(form, plan.year, &plan.categories, published)?;
    let before_milestones: Vec<Milestone> = base
        .milestones
        .into_iter()
        .map(MilestoneRow::into_domain)
        .collect::<Result<_, _>>()?;
    let before_criteria: Vec<Criterion> = base.criteria.iter().cloned().map(Into::into).collect();
    crate::domain::carry_over(
        &mut input.milestones,
        &mut input.criteria,
        &before_milestones,
        &before_criteria,
    );
    if published {
        input.number =
            u32::try_from(base.number).map_err(|_| corrupt("task.number", base.number))?;
        input.lead_unit = base
            .lead_unit
            .as_ref()
            .map(super::units::unit_id)
            .transpose()?;
    }
    check_references(db, &input).await?;
    let before = Goals {
        deadline: Some(base.deadline),
        milestones: before_milestones,
        criteria: base.criteria.iter().map(|c| c.text.clone()).collect(),
    };
    let adjustment = Adjustment::between(before, Goals::of(&input));
    let reason = adjustment
        .check_reason(published, reason)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let also = match reason {
        Some(reason) => Also {
            sql: "UPDATE $after.plan SET version += 1;
                  CREATE task_adjustment CONTENT {
                      task: $id, author: $actor, reason: $also.reason, change_json: $also.change
                  };",
            data: AdjustmentData {
                reason,
                change: serde_json::to_string(&adjustment).map_err(|_| AppError::Internal)?,
            }
            .into_value(),
        },
        None => Also {
            sql: "UPDATE $after.plan SET version += 1;",
            data: Value::None,
        },
    };
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
            action: if adjustment.is_empty() || !published {
                "update"
            } else {
                "adjust"
            },
            summary: format!("修改任务:{}. {}", input.number, input.title.as_str()),
            also: Some(also),
        },
    )
    .await
}

/// Removes a task from a draft plan (a published task is 撤项 instead, and keeps its record).
const DELETE_TASK: &str = "
BEGIN TRANSACTION;
LET $before = (SELECT *, plan.status AS plan_status FROM ONLY $id);
IF !$before { THROW 'jiebang:not_found' };
IF $before.version != $version { THROW 'jiebang:conflict' };
IF $before.plan_status != 'draft' { THROW 'jiebang:plan_not_draft' };
DELETE $id;
UPDATE $before.plan SET version += 1;
CREATE audit_event CONTENT {
    actor: $actor, entity: $id, action: 'delete',
    summary: string::concat('删除任务:', <string> $before.number, '. ', $before.title),
    before: $before
};
COMMIT TRANSACTION;
";

/// Deletes a task of a draft plan, if it is still at `expected_version`.
pub async fn delete_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
) -> Result<(), AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    execute(|| {
        db.query(DELETE_TASK)
            .bind(("id", record("task", id.as_str())))
            .bind(("version", i64::from(expected_version)))
            .bind(("actor", actor.name.clone()))
    })
    .await
    .map_err(missing(Entity::Task))?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct Renumbering {
    id: RecordId,
    number: i64,
}

/// Numbers a draft's tasks 1..N in their current order, closing gaps. Ascending order moves
/// every task into a slot already free, so the unique number index holds throughout.
const RENUMBER: &str = "
BEGIN TRANSACTION;
LET $p = (SELECT status, version FROM ONLY $plan);
IF !$p { THROW 'jiebang:not_found' };
IF $p.version != $version { THROW 'jiebang:conflict' };
IF $p.status != 'draft' { THROW 'jiebang:plan_not_draft' };
FOR $r IN $renumbering { UPDATE $r.id SET number = $r.number, version += 1; };
UPDATE $plan SET version += 1;
CREATE audit_event CONTENT { actor: $actor, entity: $plan, action: 'renumber', summary: $summary };
COMMIT TRANSACTION;
";

/// 重新编号: closes the gaps in a draft's task numbers; returns how many tasks moved.
pub async fn renumber_tasks(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    expected_version: u32,
) -> Result<usize, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let rows: Vec<Renumbering> = db
        .query("SELECT id, number FROM task WHERE plan = $plan ORDER BY number")
        .bind(("plan", record("plan", plan.as_str())))
        .await?
        .take(0)?;
    let moves: Vec<Renumbering> = rows
        .into_iter()
        .zip(1_i64..)
        .filter(|(r, n)| r.number != *n)
        .map(|(r, number)| Renumbering { id: r.id, number })
        .collect();
    let count = moves.len();
    let summary = format!("重新编号:{count} 项任务");
    execute(|| {
        db.query(RENUMBER)
            .bind(("plan", record("plan", plan.as_str())))
            .bind(("version", i64::from(expected_version)))
            .bind(("renumbering", moves.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.clone()))
    })
    .await
    .map_err(missing(Entity::Plan))?;
    Ok(count)
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
            .map(super::units::unit_id)
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
/// task that changed after it was made. `assignee` names the unit for 交办. (A move that must
/// say why, 退回交办, goes through [`transition_task_with`].)
pub async fn transition_task(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    to: TaskStatus,
    assignee: Option<&UnitId>,
) -> Result<u32, AppError> {
    let today = crate::server::clock::china_date(chrono::Utc::now());
    let details = MoveDetails::default();
    transition_task_with(
        db,
        actor,
        id,
        expected_version,
        to,
        assignee,
        &details,
        today,
    )
    .await
}

#[derive(Debug, Clone, SurrealValue)]
struct MoveData {
    owner: Option<RecordId>,
    post: String,
    supervisor: Option<RecordId>,
    today: NaiveDate,
}

/// What a move writes besides status and holder: 交办 fixes 责任人 and 岗位 and starts the
/// 待签收 clock; 签收 starts the work; 退回交办 / 撤回交办 clear what 交办 fixed.
fn move_writes(transition: Transition) -> Option<&'static str> {
    match transition {
        Transition::Assign => Some(
            "UPDATE $id SET owner = $also.owner, post = $also.post, assigned_on = $also.today,
                 supervisor = $also.supervisor ?? supervisor;",
        ),
        Transition::Acknowledge => Some("UPDATE $id SET started_on = $also.today;"),
        Transition::Decline => Some("UPDATE $id SET owner = NONE, post = '', assigned_on = NONE;"),
        _ => None,
    }
}

/// [`transition_task`] with what the move carries (`details`) on `today`.
#[allow(clippy::too_many_arguments)]
pub async fn transition_task_with(
    db: &Db,
    actor: &Actor,
    id: &TaskId,
    expected_version: u32,
    to: TaskStatus,
    assignee: Option<&UnitId>,
    details: &MoveDetails,
    today: NaiveDate,
) -> Result<u32, AppError> {
    let task = state(db, id).await?;
    if task.version != expected_version {
        return Err(AppError::Conflict);
    }
    policy::check_plan_open(task.plan_status)?;
    let m = policy::check_move(actor, task.facts(), to, assignee)?;
    if matches!(m.transition, Transition::Accept | Transition::Return) {
        return Err(Refusal::ReviewByCriteria.into());
    }
    if m.transition == Transition::Submit {
        return Err(Refusal::SelfCheckRequired.into());
    }
    if workflow::needs_reason(m.transition) && details.reason.is_none() {
        return Err(AppError::field("reason", Problem::Required));
    }
    if let LeadChange::Set(unit) = &m.lead
        && super::units::get_unit(db, unit).await?.is_none()
    {
        return Err(AppError::field("unit", Problem::NoSuchRecord));
    }
    // A 责任人 named at 交办 is a person of the unit the task goes to.
    let owner = match (&m.lead, &details.owner) {
        (LeadChange::Set(unit), Some(owner)) => {
            Some(super::people::check_member(db, owner, unit).await?)
        }
        _ => None,
    };
    let supervisor = match (&m.lead, &details.supervisor) {
        (LeadChange::Set(_), Some(p)) => Some(super::people::existing(db, p, "supervisor").await?),
        _ => None,
    };
    let mut summary = format!(
        "{}:{} → {}",
        messages::transition(m.transition, actor.role),
        messages::task_status(task.status),
        messages::task_status(to)
    );
    if let Some(reason) = details
        .reason
        .as_ref()
        .filter(|_| workflow::needs_reason(m.transition))
    {
        summary.push_str(&format!("。理由:{}", reason.as_str()));
    }
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
    let also = move_writes(m.transition).map(|sql| Also {
        sql,
        data: MoveData {
            owner,
            post: details.post.clone(),
            supervisor,
            today,
        }
        .into_value(),
    });
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
        also,
    };
    update_versioned(db, actor, change).await
}

/// How many 验收标准 a task has (a review form must judge each).
pub async fn criteria_count(db: &Db, id: &TaskId) -> Result<usize, AppError> {
    let n: Option<i64> = db
        .query("SELECT VALUE array::len(criteria) FROM ONLY $id")
        .bind(("id", record("task", id.as_str())))
        .await?
        .take(0)?;
    let n = n.ok_or(AppError::NotFound(Entity::Task))?;
    usize::try_from(n).map_err(|_| corrupt("task.criteria", n))
}

/// A task's status and holder as stored, read back through the domain: what the policy
/// decides on.
pub(crate) struct StoredFacts {
    pub(crate) status: TaskStatus,
    pub(crate) lead_unit: Option<UnitId>,
}

impl StoredFacts {
    pub(crate) fn read(status: &str, lead_unit: Option<&RecordId>) -> Result<Self, AppError> {
        Ok(Self {
            status: TaskStatus::parse(status).ok_or_else(|| corrupt("task.status", status))?,
            lead_unit: lead_unit.map(super::units::unit_id).transpose()?,
        })
    }

    pub(crate) fn facts(&self) -> TaskFacts<'_> {
        TaskFacts {
            status: self.status,
            lead_unit: self.lead_unit.as_ref(),
        }
    }
}
