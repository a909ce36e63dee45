//! Task queries.

use super::plans::{PLAN_FIELDS, PlanRow, corrupt};
use super::{Db, key_string};
use crate::domain::{Milestone, Percent, TaskDetail, TaskId, TaskStatus};
use crate::error::AppError;
use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct MilestoneRow {
    title: String,
    due: NaiveDate,
    done: bool,
}

#[derive(Debug, SurrealValue)]
struct TaskDetailRow {
    id: RecordId,
    number: i64,
    title: String,
    category: String,
    description: String,
    lead_unit: Option<String>,
    co_units: Vec<String>,
    deadline: NaiveDate,
    milestones: Vec<MilestoneRow>,
    criteria: Vec<String>,
    status: String,
    percent: i64,
    focus: bool,
}

/// One task with its plan heading, or `None` if there is no such task.
pub async fn detail(db: &Db, id: &TaskId) -> Result<Option<TaskDetail>, AppError> {
    let mut response = db
        .query(format!(
            "LET $task = (SELECT id, number, title, category, description,
                    lead_unit.name AS lead_unit, co_units.*.name AS co_units, deadline,
                    milestones, criteria, status, percent, focus, plan
                  FROM ONLY $id);
             RETURN $task;
             SELECT {PLAN_FIELDS} FROM plan WHERE id = $task.plan;"
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
    let mut milestones: Vec<Milestone> = task
        .milestones
        .into_iter()
        .map(|m| Milestone {
            title: m.title,
            due: m.due,
            done: m.done,
        })
        .collect();
    milestones.sort_by_key(|m| m.due);
    Ok(Some(TaskDetail {
        id: TaskId::parse(&key_string(&task.id)).ok_or_else(|| corrupt("task.id", &task.id))?,
        plan,
        number: u32::try_from(task.number).map_err(|_| corrupt("task.number", task.number))?,
        title: task.title,
        category: task.category,
        description: task.description,
        lead_unit: task.lead_unit,
        co_units: task.co_units,
        deadline: task.deadline,
        milestones,
        criteria: task.criteria,
        status: TaskStatus::parse(&task.status)
            .ok_or_else(|| corrupt("task.status", &task.status))?,
        percent: Percent::parse(task.percent).map_err(|_| corrupt("task.percent", task.percent))?,
        focus: task.focus,
    }))
}
