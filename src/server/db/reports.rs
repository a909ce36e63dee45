//! Progress reports (进度填报): append-only. A liaison's report waits for the unit head (draft)
//! unless the unit lets it through; a 报送ed report sets the task's percent and the milestones
//! it says were reached.

use super::tasks::MilestoneRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::policy;
use crate::domain::report::{EvidenceFile, Reached, ReportPart, ReportStatus, check_reached};
use crate::domain::{
    Actor, Entity, Evidence, NewReport, Percent, PlanStatus, Problem, ProgressReport, Reason,
    Refusal, ReportId, TaskId, TaskStatus, UnitId,
};
use crate::error::AppError;
use crate::server::clock::china_date;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// The projection reports are read with.
pub(crate) const REPORT_FIELDS: &str = "id, task, author, at, percent, done, problems, \
     next_steps, evidence, corrects, status, unit, unit.name AS unit_name, files, reached, \
     reviewed_by, review_note, part";

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct EvidenceRow {
    name: String,
    location: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct FileRow {
    name: String,
    content_type: String,
    size: i64,
    sha256: String,
}

impl FileRow {
    pub(crate) fn of(f: &EvidenceFile) -> Self {
        Self {
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size: i64::try_from(f.size).unwrap_or(i64::MAX),
            sha256: f.sha256.clone(),
        }
    }

    pub(crate) fn into_domain(self) -> Result<EvidenceFile, AppError> {
        Ok(EvidenceFile {
            size: u64::try_from(self.size).map_err(|_| corrupt("report.files.size", self.size))?,
            name: self.name,
            content_type: self.content_type,
            sha256: self.sha256,
        })
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct ReachedRow {
    index: i64,
    on: NaiveDate,
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
    status: Option<String>,
    unit: Option<RecordId>,
    files: Option<Vec<FileRow>>,
    reached: Option<Vec<ReachedRow>>,
    reviewed_by: Option<String>,
    review_note: Option<String>,
    unit_name: Option<String>,
    part: Option<String>,
}

impl ReportRow {
    pub(crate) fn into_domain(self) -> Result<ProgressReport, AppError> {
        let report_id = |id: &RecordId| {
            ReportId::parse(&key_string(id)).ok_or_else(|| corrupt("report.id", id))
        };
        let status = self.status.as_deref().unwrap_or("submitted");
        let part = self.part.as_deref().unwrap_or("lead");
        Ok(ProgressReport {
            part: ReportPart::parse(part).ok_or_else(|| corrupt("report.part", part))?,
            unit_name: self.unit_name,
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
            status: ReportStatus::parse(status).ok_or_else(|| corrupt("report.status", status))?,
            unit: self.unit.as_ref().map(super::units::unit_id).transpose()?,
            files: self
                .files
                .unwrap_or_default()
                .into_iter()
                .map(FileRow::into_domain)
                .collect::<Result<_, _>>()?,
            reached: self
                .reached
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    Ok(Reached {
                        index: u32::try_from(r.index)
                            .map_err(|_| corrupt("report.reached.index", r.index))?,
                        on: r.on,
                    })
                })
                .collect::<Result<_, AppError>>()?,
            reviewed_by: self.reviewed_by,
            review_note: self.review_note.unwrap_or_default(),
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
    status: String,
    unit: Option<RecordId>,
    files: Vec<FileRow>,
    reached: Vec<ReachedRow>,
    part: String,
}

/// What a report changes on its task when it counts (报送): the percent and the milestones.
#[derive(Debug, Clone, SurrealValue)]
struct TaskEffect {
    percent: i64,
    milestones: Vec<MilestoneRow>,
}

/// The task as filing or reviewing a report needs it.
#[derive(Debug, SurrealValue)]
struct TaskRow {
    plan_status: String,
    status: String,
    version: i64,
    percent: i64,
    lead_unit: Option<RecordId>,
    co_units: Vec<RecordId>,
    direct: Option<bool>,
    milestones: Vec<MilestoneRow>,
}

struct TaskNow {
    plan_status: PlanStatus,
    status: TaskStatus,
    version: u32,
    percent: i64,
    lead_unit: Option<UnitId>,
    co_units: Vec<UnitId>,
    direct: bool,
    milestones: Vec<MilestoneRow>,
}

impl TaskNow {
    fn facts(&self) -> policy::TaskFacts<'_> {
        policy::TaskFacts {
            status: self.status,
            lead_unit: self.lead_unit.as_ref(),
        }
    }

    /// The task's percent and milestones once `percent` and `reached` count. A milestone
    /// reached meanwhile keeps its first date.
    fn effect(&self, percent: Percent, reached: &[Reached]) -> TaskEffect {
        let mut milestones = self.milestones.clone();
        for r in reached {
            if let Some(m) = milestones.get_mut(r.index as usize)
                && m.done_on.is_none()
            {
                m.done_on = Some(r.on);
            }
        }
        TaskEffect {
            percent: i64::from(percent.value()),
            milestones,
        }
    }
}

async fn task_now(db: &Db, task: &TaskId) -> Result<TaskNow, AppError> {
    let row: Option<TaskRow> = db
        .query(
            "SELECT plan.status AS plan_status, status, version, percent, lead_unit, co_units,
                    lead_unit.reports_direct AS direct, milestones
               FROM ONLY $task",
        )
        .bind(("task", record("task", task.as_str())))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Task))?;
    Ok(TaskNow {
        plan_status: PlanStatus::parse(&row.plan_status)
            .ok_or_else(|| corrupt("plan.status", &row.plan_status))?,
        status: TaskStatus::parse(&row.status)
            .ok_or_else(|| corrupt("task.status", &row.status))?,
        version: super::write::version(row.version)?,
        percent: row.percent,
        co_units: row
            .co_units
            .iter()
            .map(super::units::unit_id)
            .collect::<Result<_, _>>()?,
        lead_unit: row
            .lead_unit
            .as_ref()
            .map(super::units::unit_id)
            .transpose()?,
        direct: row.direct.unwrap_or(false),
        milestones: row.milestones,
    })
}

/// Appends a report, and when it counts at once sets the task's percent and milestones, with
/// an audit event, in one transaction — if the task is still at the version the policy was
/// checked on.
const ADD_REPORT: &str = "
BEGIN TRANSACTION;
LET $t = (SELECT id, version FROM ONLY $task);
IF !$t { THROW 'jiebang:not_found' };
IF $t.version != $version { THROW 'jiebang:conflict' };
LET $r = (CREATE ONLY progress_report CONTENT $content RETURN AFTER);
IF $effect {
    UPDATE $task SET percent = $effect.percent, milestones = $effect.milestones, version += 1;
};
CREATE audit_event CONTENT {
    actor: $content.author, entity: $task,
    action: IF $content.status = 'draft' { 'report_draft' } ELSE { 'report' },
    summary: $summary, after: $r
};
RETURN $r.id;
COMMIT TRANSACTION;
";

/// How often a write is tried again when the task changed between the policy check and the
/// write (someone else reported at the same moment): each try checks the policy afresh.
const REPORT_ATTEMPTS: u32 = 5;

/// Files a report for a task, if the policy lets `actor` report on it now; `files` are
/// already stored (see [`crate::server::files`]). Returns the report and the status it got.
pub async fn add_report(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    report: &NewReport,
    files: &[EvidenceFile],
) -> Result<(ReportId, ReportStatus), AppError> {
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
    let mut attempt = 0;
    loop {
        attempt += 1;
        let now = task_now(db, task).await?;
        policy::check_plan_open(now.plan_status)?;
        let part = policy::report_part(actor, now.facts(), &now.co_units)?;
        // A co-unit's part and the lead's report go through different forms.
        let percent = match (part, report.part) {
            (ReportPart::Lead, ReportPart::Lead) => Some(report.percent.ok_or(AppError::Internal)?),
            (ReportPart::Co, ReportPart::Co) => None,
            (ReportPart::Co, ReportPart::Lead) => return Err(Refusal::CoReportOnly.into()),
            // The lead unit (or the office) reports the task itself, not a co-unit's part.
            (ReportPart::Lead, ReportPart::Co) => {
                return Err(AppError::field("part", Problem::UnknownValue));
            }
        };
        let done: Vec<bool> = now.milestones.iter().map(|m| m.done_on.is_some()).collect();
        check_reached(&report.reached, &done).map_err(AppError::Invalid)?;
        // The co-unit's part goes straight into the lead unit's cycle.
        let status = match part {
            ReportPart::Lead => policy::filed_report_status(actor, now.direct),
            ReportPart::Co => ReportStatus::Submitted,
        };
        let counts = status == ReportStatus::Submitted && part == ReportPart::Lead;
        let content = ReportContent {
            task: task_id.clone(),
            author: actor.name.clone(),
            percent: percent.map_or(now.percent, |p| i64::from(p.value())),
            part: part.code().to_owned(),
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
            status: status.code().to_owned(),
            unit: actor.unit.as_ref().map(|u| record("unit", u.as_str())),
            files: files.iter().map(FileRow::of).collect(),
            reached: report
                .reached
                .iter()
                .map(|r| ReachedRow {
                    index: i64::from(r.index),
                    on: r.on,
                })
                .collect(),
        };
        let effect = percent
            .filter(|_| counts)
            .map(|p| now.effect(p, &report.reached));
        let summary = summary(report, files.len(), status);
        let result = execute(|| {
            db.query(ADD_REPORT)
                .bind(("task", task_id.clone()))
                .bind(("version", i64::from(now.version)))
                .bind(("content", content.clone()))
                .bind(("effect", effect.clone()))
                .bind(("summary", summary.clone()))
        })
        .await;
        match result {
            Ok(mut res) => {
                let id: Option<RecordId> = take_returned(&mut res)?;
                let id = id
                    .and_then(|id| ReportId::parse(&key_string(&id)))
                    .ok_or(AppError::Internal)?;
                return Ok((id, status));
            }
            Err(AppError::Conflict) if attempt < REPORT_ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

/// The audit trail's account of a new report.
fn summary(report: &NewReport, files: usize, status: ReportStatus) -> String {
    let Some(percent) = report.percent else {
        let mut text = format!("配合单位报送:{}", report.done);
        if files > 0 {
            text.push_str(&format!(",佐证材料 {files} 个"));
        }
        return text;
    };
    let what = match (&report.corrects, status) {
        (Some(_), _) => "更正此前的进度报送".to_owned(),
        (None, ReportStatus::Draft) => "起草进度报送(待单位负责人审核)".to_owned(),
        (None, _) => "报送进度".to_owned(),
    };
    let mut text = format!("{what}:完成进度 {}%", percent.value());
    if !report.reached.is_empty() {
        text.push_str(&format!(",达成推进目标 {} 项", report.reached.len()));
    }
    if files > 0 {
        text.push_str(&format!(",佐证材料 {files} 个"));
    }
    text
}

#[derive(Debug, SurrealValue)]
struct DraftRow {
    task: RecordId,
    author: String,
    status: String,
    unit: Option<RecordId>,
    percent: i64,
    reached: Option<Vec<ReachedRow>>,
}

/// The unit head's decision on a liaison's draft: 报送 it (it counts from now: the task's
/// percent and milestones follow), or send it back with a reason. Once, in one transaction
/// with its audit event; 报送 requires the task at the version the policy was checked on.
const REVIEW_REPORT: &str = "
BEGIN TRANSACTION;
LET $r = (SELECT id, status, task FROM ONLY $report);
IF !$r { THROW 'jiebang:not_found' };
IF $r.status != 'draft' { THROW 'jiebang:conflict' };
IF $effect {
    LET $t = (SELECT version FROM ONLY $r.task);
    IF $t.version != $version { THROW 'jiebang:conflict' };
    UPDATE $r.task SET percent = $effect.percent, milestones = $effect.milestones, version += 1;
};
UPDATE $report SET status = $status, reviewed_by = $actor, reviewed_at = time::now(),
    review_note = $note;
CREATE audit_event CONTENT {
    actor: $actor, entity: $r.task, action: $action, summary: $summary,
    after: { report: $report, status: $status }
};
RETURN $status;
COMMIT TRANSACTION;
";

/// 报送 (`returned` is `None`) or 退回修改 (with the reason) a draft report of the actor's unit.
pub async fn review_report(
    db: &Db,
    actor: &Actor,
    report: &ReportId,
    returned: Option<&Reason>,
) -> Result<ReportStatus, AppError> {
    let report_id = record("progress_report", report.as_str());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let draft: Option<DraftRow> = db
            .query("SELECT task, author, status, unit, percent, reached FROM ONLY $report")
            .bind(("report", report_id.clone()))
            .await?
            .take(0)?;
        let draft = draft.ok_or(AppError::NotFound(Entity::Report))?;
        let status = ReportStatus::parse(&draft.status)
            .ok_or_else(|| corrupt("report.status", &draft.status))?;
        let unit = draft.unit.as_ref().map(super::units::unit_id).transpose()?;
        policy::check_review_report(actor, status, unit.as_ref())?;
        let task = TaskId::parse(&key_string(&draft.task))
            .ok_or_else(|| corrupt("report.task", &draft.task))?;
        let (new_status, effect, version) = match returned {
            Some(_) => (ReportStatus::Returned, None, 0),
            None => {
                let now = task_now(db, &task).await?;
                policy::check_plan_open(now.plan_status)?;
                policy::check_report(actor, now.facts())?;
                let percent = Percent::parse(draft.percent)
                    .map_err(|_| corrupt("report.percent", draft.percent))?;
                let reached: Vec<Reached> = draft
                    .reached
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|r| {
                        Some(Reached {
                            index: u32::try_from(r.index).ok()?,
                            on: r.on,
                        })
                    })
                    .collect();
                let effect = now.effect(percent, &reached);
                (ReportStatus::Submitted, Some(effect), now.version)
            }
        };
        let (action, summary) = match returned {
            Some(reason) => (
                "report_returned",
                format!(
                    "退回修改{}起草的进度报告(完成进度 {}%):{}",
                    draft.author,
                    draft.percent,
                    reason.as_str()
                ),
            ),
            None => (
                "report_approved",
                format!(
                    "审核报送{}起草的进度报告:完成进度 {}%",
                    draft.author, draft.percent
                ),
            ),
        };
        let result = execute(|| {
            db.query(REVIEW_REPORT)
                .bind(("report", report_id.clone()))
                .bind(("status", new_status.code().to_owned()))
                .bind(("effect", effect.clone()))
                .bind(("version", i64::from(version)))
                .bind(("actor", actor.name.clone()))
                .bind((
                    "note",
                    returned.map(|r| r.as_str().to_owned()).unwrap_or_default(),
                ))
                .bind(("action", action.to_owned()))
                .bind(("summary", summary.clone()))
        })
        .await;
        match result {
            Ok(_) => return Ok(new_status),
            Err(AppError::Conflict) if attempt < REPORT_ATTEMPTS => continue,
            Err(err) => return Err(err),
        }
    }
}

/// A task's reports, newest first.
pub async fn list_reports(db: &Db, task: &TaskId) -> Result<Vec<ProgressReport>, AppError> {
    // Oldest first by the (task, at) index, turned here: see `tasks::detail`.
    let rows: Vec<ReportRow> = db
        .query(format!(
            "SELECT {REPORT_FIELDS} FROM progress_report WHERE task = $task ORDER BY at"
        ))
        .bind(("task", record("task", task.as_str())))
        .await?
        .take(0)?;
    rows.into_iter().rev().map(ReportRow::into_domain).collect()
}

/// Every 报送ed report on the tasks of a plan, oldest first (drafts and sent-back drafts stay
/// inside their units).
pub async fn plan_reports(
    db: &Db,
    plan: &crate::domain::PlanId,
) -> Result<Vec<ProgressReport>, AppError> {
    let rows: Vec<ReportRow> = db
        .query(format!(
            "SELECT {REPORT_FIELDS} FROM progress_report
              WHERE task.plan = $plan AND status = 'submitted' ORDER BY at"
        ))
        .bind(("plan", record("plan", plan.as_str())))
        .await?
        .take(0)?;
    rows.into_iter().map(ReportRow::into_domain).collect()
}

/// The `index`-th file of a report, if `reader` may read the report; `Forbidden` otherwise.
pub async fn report_file(
    db: &Db,
    reader: &Actor,
    report: &ReportId,
    index: usize,
) -> Result<EvidenceFile, AppError> {
    let row: Option<ReportRow> = db
        .query(format!("SELECT {REPORT_FIELDS} FROM ONLY $report"))
        .bind(("report", record("progress_report", report.as_str())))
        .await?
        .take(0)?;
    let report = row
        .ok_or(AppError::NotFound(Entity::Report))?
        .into_domain()?;
    if !policy::may_read_report(reader, report.status, report.unit.as_ref()) {
        return Err(AppError::Forbidden);
    }
    report
        .files
        .into_iter()
        .nth(index)
        .ok_or(AppError::NotFound(Entity::File))
}
