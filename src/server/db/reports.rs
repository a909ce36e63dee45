//! Progress reports (进度填报): append-only; adding one updates the task's percent.

use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::policy;
use crate::domain::{
    Actor, Evidence, NewReport, Percent, ProgressReport, Refusal, ReportId, TaskId,
};
use crate::error::AppError;
use crate::server::clock::china_date;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// The projection reports are read with.
pub(crate) const REPORT_FIELDS: &str =
    "id, task, author, at, percent, done, problems, next_steps, evidence, corrects";

#[derive(Debug, Clone, SurrealValue)]
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
            day: china_date(self.at),
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

#[derive(Debug, Clone, SurrealValue)]
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
/// transaction — if the task is still at the version the policy was checked on. A correction
/// must name a report of the same task.
const ADD_REPORT: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, version FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.version != $version { THROW 'jiebang:conflict' };
LET $r = (CREATE ONLY progress_report CONTENT $content RETURN AFTER);
UPDATE $task SET percent = $content.percent, version += 1;
CREATE audit_event CONTENT {
    actor: $content.author, entity: $task, action: 'report', summary: $summary, after: $r
};
RETURN $r.id;
COMMIT TRANSACTION;
";

/// How often a report is tried again when the task changed between the policy check and the
/// write (someone else reported at the same moment): each try checks the policy afresh.
const REPORT_ATTEMPTS: u32 = 5;

/// Files a report for a task, if the policy lets `actor` report on it now.
pub async fn add_report(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    report: &NewReport,
) -> Result<ReportId, AppError> {
    let task_id = record("task", task.as_str());
    if let Some(old) = &report.corrects {
        let of: Option<RecordId> = db
            .query("SELECT VALUE task FROM ONLY $old")
            .bind(("old", record("progress_report", old.as_str())))
            .await?
            .take(0)?;
        if of.as_ref() != Some(&task_id) {
            return Err(Refusal::BadCorrection.into());
        }
    }
    let content = ReportContent {
        task: task_id.clone(),
        author: actor.name.clone(),
        percent: i64::from(report.percent.value()),
        done: report.done.clone(),
        problems: report.problems.clone(),
        next_steps: report.next_steps.clone(),
        evidence: report
            .evidence
            .iter()
            .map(|e| EvidenceRow {
                name: e.name.clone(),
                location: e.location.clone(),
            })
            .collect(),
        corrects: report
            .corrects
            .as_ref()
            .map(|r| record("progress_report", r.as_str())),
    };
    let summary = match &report.corrects {
        Some(old) => format!("更正进度报送 {old}:完成进度 {}%", report.percent.value()),
        None => format!("报送进度:完成进度 {}%", report.percent.value()),
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let state = super::tasks::state(db, task).await?;
        policy::check_plan_open(state.plan_status)?;
        policy::check_report(actor, state.facts())?;
        let result = execute(|| {
            db.query(ADD_REPORT)
                .bind(("task", task_id.clone()))
                .bind(("version", i64::from(state.version)))
                .bind(("content", content.clone()))
                .bind(("summary", summary.clone()))
        })
        .await;
        match result {
            Ok(mut res) => {
                let id: Option<RecordId> = take_returned(&mut res)?;
                return id
                    .and_then(|id| ReportId::parse(&key_string(&id)))
                    .ok_or(AppError::Internal);
            }
            Err(AppError::Conflict) if attempt < REPORT_ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

/// A task's reports, newest first.
pub async fn list_reports(db: &Db, task: &TaskId) -> Result<Vec<ProgressReport>, AppError> {
    let rows: Vec<ReportRow> = db
        .query(format!(
            "SELECT {REPORT_FIELDS} FROM progress_report WHERE task = $task ORDER BY at DESC"
        ))
        .bind(("task", record("task", task.as_str())))
        .await?
        .take(0)?;
    rows.into_iter().map(ReportRow::into_domain).collect()
}
