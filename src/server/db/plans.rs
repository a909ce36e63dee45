//! Plan queries.

use super::{Db, key_string};
use crate::domain::{
    Board, BoardTask, Percent, PlanId, PlanStatus, PlanSummary, TaskId, TaskStatus,
};
use crate::error::AppError;
use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

/// The projection every plan heading is read with.
pub(crate) const PLAN_FIELDS: &str = "id, year, title, issuer.name AS issuer, status, categories";

#[derive(Debug, SurrealValue)]
pub(crate) struct PlanRow {
    id: RecordId,
    year: i64,
    title: String,
    issuer: Option<String>,
    status: String,
    categories: Vec<String>,
}

impl PlanRow {
    pub(crate) fn into_domain(self) -> Result<PlanSummary, AppError> {
        let status =
            PlanStatus::parse(&self.status).ok_or_else(|| corrupt("plan.status", &self.status))?;
        Ok(PlanSummary {
            id: PlanId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("plan.id", &self.id))?,
            year: i32::try_from(self.year).map_err(|_| corrupt("plan.year", self.year))?,
            title: self.title,
            issuer: self.issuer.unwrap_or_default(),
            status,
            categories: self.categories,
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
    deadline: NaiveDate,
    status: String,
    percent: i64,
    focus: bool,
}

impl BoardTaskRow {
    fn into_domain(self) -> Result<BoardTask, AppError> {
        Ok(BoardTask {
            id: TaskId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("task.id", &self.id))?,
            number: u32::try_from(self.number).map_err(|_| corrupt("task.number", self.number))?,
            title: self.title,
            category: self.category,
            lead_unit: self.lead_unit,
            deadline: self.deadline,
            status: TaskStatus::parse(&self.status)
                .ok_or_else(|| corrupt("task.status", &self.status))?,
            percent: Percent::parse(self.percent)
                .map_err(|_| corrupt("task.percent", self.percent))?,
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

/// The current plan — the newest one that is not a draft — with all its tasks in number order,
/// or `None` if no plan has been published. One round trip for the plan and its tasks.
pub async fn current_board(db: &Db) -> Result<Option<Board>, AppError> {
    let mut response = db
        .query(format!(
            "LET $plan = (SELECT {PLAN_FIELDS} FROM plan WHERE status != 'draft' ORDER BY year DESC LIMIT 1)[0];
             RETURN $plan;
             SELECT id, number, title, category, lead_unit.name AS lead_unit, deadline, status, percent, focus
               FROM task WHERE plan = $plan.id ORDER BY number;"
        ))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let rows: Vec<BoardTaskRow> = response.take(2)?;
    Ok(Some(Board {
        plan: plan.into_domain()?,
        tasks: rows
            .into_iter()
            .map(BoardTaskRow::into_domain)
            .collect::<Result<_, _>>()?,
    }))
}
