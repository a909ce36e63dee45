//! Progress reports (进度填报): append-only; adding one updates the task's percent.

use super::plans::corrupt;
use super::write::execute;
use super::{Db, key_string, take_returned};
use crate::domain::{Actor, Evidence, NewReport, Percent, ProgressReport, ReportId, Role, TaskId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// The projection reports are read with.
pub(crate) const REPORT_FIELDS: &str =
    "id, task, author, at, percent, done, problems, next_steps, evidence, corrects";

#[derive(Debug, SurrealValue)]
pub(crate) struct EvidenceRow {
    name: String,
    location: String,
}

#[derive(Debug, SurrealValue)]
pub(crate) struct ReportRow {
    id: RecordId,
    task: RecordId,
    author: String,
    at: DateTime<Utc>,
    percent: i64,
    done: String,
    problems: String,
    next_steps: String,
    evidence: Vec<EvidenceRow>,
    corrects: Option<RecordId>,
}

impl ReportRow {
    pub(crate) fn into_domain(self) -> Result<ProgressReport, AppError> {
        let report_id = |id: &RecordId| {
            ReportId::parse(&key_string(id)).ok_or_else(|| corrupt("report.id", id))
        };
        Ok(ProgressReport {
            id: report_id(&self.id)?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("report.task", &self.task))?,
            author: self.author,
            at: self.at,
            percent: Percent::parse(self.percent)
                .map_err(|_| corrupt("report.percent", self.percent))?,
            done: self.done,
            problems: self.problems,
            next_steps: self.next_steps,
            evidence: self
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    name: e.name,
                    location: e.location,
                })
                .collect(),
            corrects: self.corrects.as_ref().map(report_id).transpose()?,
        })
    }
}

#[derive(Debug, SurrealValue)]
struct ReportContent {
    task: RecordId,
    author: String,
    percent: i64,
    done: String,
    problems: String,
    next_steps: String,
    evidence: Vec<EvidenceRow>,
    corrects: Option<RecordId>,
}

/// Appends a report and sets the task's percent from it, with an audit event, in one
/// transaction. Only tasks under way (推进中, 退回整改) take reports; a correction must name
/// a report of the same task.
const ADD_REPORT: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, status, lead_unit FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.status NOT IN ['in_progress', 'returned'] { THROW 'jiebang:not_reportable' };
IF $unit AND $t.lead_unit != $unit { THROW 'jiebang:forbidden' };
IF $content.corrects AND $content.corrects.task != $task { THROW 'jiebang:bad_correction' };
LET $r = (CREATE ONLY progress_report CONTENT $content RETURN AFTER);
UPDATE $task SET percent = $content.percent, version += 1;
CREATE audit_event CONTENT {
    actor: $content.author, entity: $task, action: 'report', summary: $summary, after: $r
};
RETURN $r.id;
COMMIT TRANSACTION;
";

/// Files a report for a task. Unit heads and liaisons may report only on their unit's tasks;
/// organizers on any.
pub async fn add_report(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    report: &NewReport,
) -> Result<ReportId, AppError> {
    let unit = match actor.role {
        Role::UnitHead | Role::Liaison => {
            let unit = actor.unit.as_ref().ok_or(AppError::Forbidden)?;
            Some(RecordId::new("unit", unit.as_str()))
        }
        Role::Organizer => None,
        Role::Leader | Role::Viewer | Role::Admin => return Err(AppError::Forbidden),
    };
    let content = ReportContent {
        task: RecordId::new("task", task.as_str()),
        author: actor.name.clone(),
        percent: i64::from(report.percent.value()),
        done: report.done.as_str().to_owned(),
        problems: report.problems.as_str().to_owned(),
        next_steps: report.next_steps.as_str().to_owned(),
        evidence: report
            .evidence
            .iter()
            .map(|e| EvidenceRow {
                name: e.name.trim().to_owned(),
                location: e.location.trim().to_owned(),
            })
            .collect(),
        corrects: report
            .corrects
            .as_ref()
            .map(|r| RecordId::new("progress_report", r.as_str())),
    };
    let summary = match &report.corrects {
        Some(old) => format!("更正进度填报 {old}:完成进度 {}%", report.percent.value()),
        None => format!("填报进度:完成进度 {}%", report.percent.value()),
    };
    let mut res = execute(
        db.query(ADD_REPORT)
            .bind(("task", RecordId::new("task", task.as_str())))
            .bind(("unit", unit))
            .bind(("content", content))
            .bind(("summary", summary)),
    )
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.and_then(|id| ReportId::parse(&key_string(&id)))
        .ok_or(AppError::Internal)
}

/// A task's reports, newest first.
pub async fn list_reports(db: &Db, task: &TaskId) -> Result<Vec<ProgressReport>, AppError> {
    let rows: Vec<ReportRow> = db
        .query(format!(
            "SELECT {REPORT_FIELDS} FROM progress_report WHERE task = $task ORDER BY at DESC"
        ))
        .bind(("task", RecordId::new("task", task.as_str())))
        .await?
        .take(0)?;
    rows.into_iter().map(ReportRow::into_domain).collect()
}
