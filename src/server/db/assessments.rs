//! 自评 → 点评 → 考核 of a task: read with the task it belongs to, written one step at a time
//! over the version the writer saw, each step an audit event on the task.

use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::assessment::{Assessment, ReviewInput, SelfAssessment, Stage, Step, check_step};
use crate::domain::score::{Judged, JudgedScores, Points};
use crate::domain::{Actor, Entity, PlanId, TaskId, UnitId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct AssessmentRow {
    remarks: Option<String>,
    self_quality: Option<i64>,
    self_innovation: Option<i64>,
    self_by: Option<String>,
    self_at: Option<DateTime<Utc>>,
    quality: Option<i64>,
    innovation: Option<i64>,
    note: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    confirmed_by: Option<String>,
    confirmed_at: Option<DateTime<Utc>>,
    version: i64,
}

impl AssessmentRow {
    fn into_domain(self) -> Result<Assessment, AppError> {
        Ok(Assessment {
            remarks: self.remarks.unwrap_or_default(),
            self_quality: self.self_quality.map(Points),
            self_innovation: self.self_innovation.map(Points),
            self_by: self.self_by,
            self_at: self.self_at,
            quality: self.quality.map(Points),
            innovation: self.innovation.map(Points),
            note: self.note.unwrap_or_default(),
            reviewed_by: self.reviewed_by,
            reviewed_at: self.reviewed_at,
            confirmed_by: self.confirmed_by,
            confirmed_at: self.confirmed_at,
            version: u32::try_from(self.version)
                .map_err(|_| corrupt("assessment.version", self.version))?,
        })
    }
}

/// What an assessment is about: the task, its plan and its lead unit.
#[derive(Debug, Clone)]
pub struct Subject {
    pub number: u32,
    pub title: String,
    pub plan: PlanId,
    pub lead: Option<(UnitId, String)>,
}

#[derive(Debug, SurrealValue)]
struct SubjectRow {
    number: i64,
    title: String,
    plan: RecordId,
    lead_unit: Option<RecordId>,
    lead_name: Option<String>,
}

/// Task `task` with its assessment (the default, version 0, before any step); `None` if there
/// is no such task.
pub async fn get(db: &Db, task: &TaskId) -> Result<Option<(Subject, Assessment)>, AppError> {
    let mut response = db
        .query(
            "SELECT number, title, plan, lead_unit, lead_unit.name AS lead_name FROM ONLY $task;
             SELECT * FROM ONLY $id;",
        )
        .bind(("task", record("task", task.as_str())))
        .bind(("id", record("assessment", task.as_str())))
        .await?;
    let subject: Option<SubjectRow> = response.take(0)?;
    let Some(s) = subject else {
        return Ok(None);
    };
    let row: Option<AssessmentRow> = response.take(1)?;
    let assessment = row
        .map(AssessmentRow::into_domain)
        .transpose()?
        .unwrap_or_default();
    let lead = match (s.lead_unit, s.lead_name) {
        (Some(id), Some(name)) => Some((
            UnitId::parse(&key_string(&id)).ok_or_else(|| corrupt("task.lead_unit", &id))?,
            name,
        )),
        _ => None,
    };
    Ok(Some((
        Subject {
            number: u32::try_from(s.number).map_err(|_| corrupt("task.number", s.number))?,
            title: s.title,
            plan: PlanId::parse(&key_string(&s.plan))
                .ok_or_else(|| corrupt("task.plan", &s.plan))?,
            lead,
        },
        assessment,
    )))
}

#[derive(Debug, SurrealValue)]
struct JudgedRow {
    task: RecordId,
    quality: Option<i64>,
    innovation: Option<i64>,
}

/// The confirmed judged scores of plan `plan`'s tasks.
pub async fn judged(db: &Db, plan: &PlanId) -> Result<Judged, AppError> {
    let rows: Vec<JudgedRow> = db
        .query(
            "SELECT task, quality, innovation FROM assessment
                WHERE plan = $plan AND confirmed_at != NONE",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .await?
        .take(0)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                TaskId::parse(&key_string(&r.task))
                    .ok_or_else(|| corrupt("assessment.task", &r.task))?,
                JudgedScores {
                    quality: r.quality.map(Points),
                    innovation: r.innovation.map(Points),
                },
            ))
        })
        .collect()
}

#[derive(Debug, Clone, SurrealValue)]
struct SelfContent {
    task: RecordId,
    plan: RecordId,
    remarks: String,
    self_quality: Option<i64>,
    self_innovation: Option<i64>,
    self_by: String,
    self_at: DateTime<Utc>,
    version: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct ReviewContent {
    task: RecordId,
    plan: RecordId,
    quality: i64,
    innovation: i64,
    note: String,
    reviewed_by: String,
    reviewed_at: DateTime<Utc>,
    version: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct ConfirmContent {
    confirmed_by: String,
    confirmed_at: DateTime<Utc>,
    version: i64,
}

const STEP: &str = "
BEGIN TRANSACTION;
LET $before = (SELECT * FROM ONLY $id);
IF ($before.version ?? 0) != $version { THROW 'jiebang:conflict' };
UPSERT $id MERGE $content;
IF $reopen { UPDATE $id UNSET confirmed_by, confirmed_at };
LET $after = (SELECT * FROM ONLY $id);
CREATE audit_event CONTENT {
    actor: $actor, entity: $task, action: $action, summary: $summary, before: $before, after: $after
};
RETURN $after.version;
COMMIT TRANSACTION;
";

/// One step of 自评 → 点评 → 考核 on task `task` (read with [`get`] as `subject` and `stored`),
/// over `expected_version` (0: none yet): checked by the policy against the stage as read,
/// written with its audit event — refused as a conflict if the record moved meanwhile.
pub async fn take_step(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    (subject, stored): (&Subject, &Assessment),
    expected_version: u32,
    step: StepInput,
) -> Result<u32, AppError> {
    let Some((lead, _)) = &subject.lead else {
        return Err(AppError::NotFound(Entity::Task));
    };
    if stored.version != expected_version {
        return Err(AppError::Conflict);
    }
    let stage = stored.stage();
    check_step(actor, step.step(), lead, stage)?;
    let task_id = record("task", task.as_str());
    let plan_id = record("plan", subject.plan.as_str());
    let version = i64::from(expected_version) + 1;
    let now = Utc::now();
    let (action, summary, content, reopen) = match &step {
        StepInput::SelfAssess(s) => (
            "self_assessment",
            format!(
                "考评自评:{}{}",
                s.remarks,
                proposed(s.quality, s.innovation)
            ),
            SelfContent {
                task: task_id.clone(),
                plan: plan_id,
                remarks: s.remarks.clone(),
                self_quality: s.quality.map(|p| p.0),
                self_innovation: s.innovation.map(|p| p.0),
                self_by: actor.name.clone(),
                self_at: now,
                version,
            }
            .into_value(),
            false,
        ),
        StepInput::Review(r) => (
            "assessment_review",
            match &r.reason {
                None => format!(
                    "考评点评:完成质量 {} 分、创新特色 {} 分。{}",
                    r.quality, r.innovation, r.note
                ),
                Some(reason) => format!(
                    "更正考评得分:完成质量 {} 分、创新特色 {} 分。{}(更正理由:{reason})",
                    r.quality, r.innovation, r.note
                ),
            },
            ReviewContent {
                task: task_id.clone(),
                plan: plan_id,
                quality: r.quality.0,
                innovation: r.innovation.0,
                note: r.note.clone(),
                reviewed_by: actor.name.clone(),
                reviewed_at: now,
                version,
            }
            .into_value(),
            stage == Stage::Confirmed,
        ),
        StepInput::Confirm => (
            "assessment_confirm",
            format!(
                "考核确认:完成质量 {} 分、创新特色 {} 分",
                stored.quality.unwrap_or_default(),
                stored.innovation.unwrap_or_default()
            ),
            ConfirmContent {
                confirmed_by: actor.name.clone(),
                confirmed_at: now,
                version,
            }
            .into_value(),
            false,
        ),
    };
    let mut response = execute(|| {
        db.query(STEP)
            .bind(("id", record("assessment", task.as_str())))
            .bind(("task", task_id.clone()))
            .bind(("version", i64::from(expected_version)))
            .bind(("content", content.clone()))
            .bind(("reopen", reopen))
            .bind(("actor", actor.name.clone()))
            .bind(("action", action))
            .bind(("summary", summary.clone()))
    })
    .await?;
    let version: Option<i64> = take_returned(&mut response)?;
    version
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(AppError::Internal)
}

/// 建议得分 in a 自评's summary, when the unit proposed any.
fn proposed(quality: Option<Points>, innovation: Option<Points>) -> String {
    match (quality, innovation) {
        (None, None) => String::new(),
        (q, i) => format!(
            "(自评建议:完成质量 {} 分、创新特色 {} 分)",
            q.map_or_else(|| "—".to_owned(), |p| p.to_string()),
            i.map_or_else(|| "—".to_owned(), |p| p.to_string())
        ),
    }
}

/// A step with what it records.
#[derive(Debug, Clone)]
pub enum StepInput {
    SelfAssess(SelfAssessment),
    Review(ReviewInput),
    Confirm,
}

impl StepInput {
    fn step(&self) -> Step {
        match self {
            Self::SelfAssess(_) => Step::SelfAssess,
            Self::Review(_) => Step::Review,
            Self::Confirm => Step::Confirm,
        }
    }
}
