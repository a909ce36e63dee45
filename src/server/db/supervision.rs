//! 催办 and 三色督办单: sent by the office with the facts of the day, answered once by the
//! unit; each step one transaction with its audit event (which the inbox reads).

use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::supervision::{
    NoticeSheet, Supervision, SupervisionInput, SupervisionKind, feedback,
};
use crate::domain::{Actor, Entity, SupervisionId, TaskId, UnitId, policy};
use crate::error::AppError;
use crate::ui::format::date_zh;
use crate::ui::messages;
use chrono::{DateTime, NaiveDate, Utc};
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

/// The projection a 催办 or 督办单 is read with.
pub(crate) const SUPERVISION_FIELDS: &str = "id, task, kind, year, number, unit.name AS unit_name, \
     issued_by, at, issued_on, facts, requirement, feedback_by, feedback, answered_by, answered_at";

#[derive(Debug, SurrealValue)]
pub(crate) struct SupervisionRow {
    id: RecordId,
    task: RecordId,
    kind: String,
    year: i64,
    number: Option<i64>,
    unit_name: Option<String>,
    issued_by: String,
    at: DateTime<Utc>,
    issued_on: NaiveDate,
    facts: String,
    requirement: String,
    feedback_by: NaiveDate,
    feedback: Option<String>,
    answered_by: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

impl SupervisionRow {
    pub(crate) fn into_domain(self) -> Result<Supervision, AppError> {
        Ok(Supervision {
            id: SupervisionId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("supervision.id", &self.id))?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("supervision.task", &self.task))?,
            kind: SupervisionKind::parse(&self.kind)
                .ok_or_else(|| corrupt("supervision.kind", &self.kind))?,
            year: i32::try_from(self.year).map_err(|_| corrupt("supervision.year", self.year))?,
            number: self
                .number
                .map(|n| u32::try_from(n).map_err(|_| corrupt("supervision.number", n)))
                .transpose()?,
            unit_name: self.unit_name.unwrap_or_default(),
            issued_by: self.issued_by,
            day: self.issued_on,
            at: self.at,
            facts: self.facts,
            requirement: self.requirement,
            feedback_by: self.feedback_by,
            feedback: self.feedback,
            answered_by: self.answered_by,
            answered_at: self.answered_at,
        })
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct NewSupervision {
    task: RecordId,
    unit: RecordId,
    kind: String,
    year: i64,
    issued_by: String,
    issued_on: NaiveDate,
    facts: String,
    requirement: String,
    feedback_by: NaiveDate,
}

/// A notice takes the next number of its year from the counter (one record per year, so two
/// notices sent at once are serialized); a 催办 has none. The task must still be under way.
const ISSUE: &str = "
BEGIN TRANSACTION;
IF !((SELECT VALUE status FROM ONLY $content.task) IN ['in_progress', 'returned']) {
    THROW 'jiebang:conflict'
};
LET $number = IF $notice {
    (UPSERT ONLY type::record('supervision_counter', $content.year) SET n += 1 RETURN AFTER).n
} ELSE { NONE };
LET $s = (CREATE ONLY supervision SET task = $content.task, unit = $content.unit,
    kind = $content.kind, year = $content.year, number = $number,
    issued_by = $content.issued_by, issued_on = $content.issued_on, facts = $content.facts,
    requirement = $content.requirement, feedback_by = $content.feedback_by RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $content.issued_by, entity: $content.task, action: 'supervise',
    summary: $summary, after: { supervision: $s.id, kind: $content.kind, number: $number }
};
RETURN $s.id;
COMMIT TRANSACTION;
";

/// Sends a 催办 or 督办单 on a task, with the facts as they stand `today` (light, its reason,
/// percent against 序时进度).
pub async fn issue(
    db: &Db,
    actor: &Actor,
    task: &TaskId,
    input: &SupervisionInput,
    today: NaiveDate,
) -> Result<SupervisionId, AppError> {
    let detail = super::tasks::detail(db, task, today)
        .await?
        .ok_or(AppError::NotFound(Entity::Task))?;
    policy::check_supervise(actor, detail.status)?;
    send(db, &actor.name, &detail, input, today, None).await
}

/// Writes a 催办 or 督办单 on the task `detail` shows; `key`, when given, is its record's id (an
/// escalation is keyed by the notice it escalates, so it happens once).
async fn send(
    db: &Db,
    issued_by: &str,
    detail: &crate::domain::TaskDetail,
    input: &SupervisionInput,
    today: NaiveDate,
    key: Option<String>,
) -> Result<SupervisionId, AppError> {
    let unit = detail
        .responsibility
        .lead_unit_id
        .clone()
        .ok_or(AppError::NotFound(Entity::Task))?;
    let mut facts = format!(
        "截至{},该任务完成进度 {}%,序时进度 {}%",
        date_zh(today),
        detail.percent.value(),
        detail.expected
    );
    if let Some(light) = detail.light {
        facts.push_str(&format!(",{}", messages::light(light)));
        if let Some(reason) = detail.reason {
            facts.push_str(&format!(":{}", messages::light_reason(reason)));
        }
    }
    facts.push_str(&format!("。完成时限 {}。", date_zh(detail.deadline)));
    let word = messages::supervision_kind(input.kind);
    let summary = format!(
        "{word}:{}(反馈时限 {})",
        input.requirement,
        date_zh(input.feedback_by)
    );
    let content = NewSupervision {
        task: record("task", detail.id.as_str()),
        unit: record("unit", unit.as_str()),
        kind: input.kind.code().to_owned(),
        year: i64::from(detail.plan.year),
        issued_by: issued_by.to_owned(),
        issued_on: today,
        facts,
        requirement: input.requirement.clone(),
        feedback_by: input.feedback_by,
    };
    let sql = match &key {
        Some(_) => ISSUE.replace(
            "CREATE ONLY supervision SET",
            "CREATE ONLY type::record('supervision', $key) SET",
        ),
        None => ISSUE.to_owned(),
    };
    let mut res = execute(|| {
        db.query(sql.as_str())
            .bind(("content", content.clone()))
            .bind(("notice", input.kind.is_notice()))
            .bind(("summary", summary.clone()))
            .bind(("key", key.clone()))
    })
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.and_then(|id| SupervisionId::parse(&key_string(&id)))
        .ok_or(AppError::Internal)
}

#[derive(Debug, SurrealValue)]
struct Unanswered {
    id: RecordId,
    task: RecordId,
    kind: String,
    year: i64,
    number: Option<i64>,
    requirement: String,
}

/// Whether a 催办 or 督办单 with this record key exists.
async fn exists(db: &Db, key: &str) -> Result<bool, AppError> {
    let found: Option<RecordId> = db
        .query("SELECT VALUE id FROM ONLY type::record('supervision', $key)")
        .bind(("key", key.to_owned()))
        .await?
        .take(0)?;
    Ok(found.is_some())
}

/// Working days a unit gets to answer an escalated notice.
const ESCALATED_FEEDBACK_DAYS: u32 = 5;

/// Escalates every 督办单 left unanswered past its 反馈时限 to the next colour (蓝 → 黄 → 红),
/// sent by the system with the facts of `today`. Each escalation is keyed by the notice it
/// escalates, so several instances, or runs on later days, escalate it once. Returns how many
/// this run sent.
pub async fn escalate_overdue(
    db: &Db,
    today: NaiveDate,
    calendar: &crate::domain::calendar::WorkCalendar,
) -> Result<usize, AppError> {
    let overdue: Vec<Unanswered> = db
        .query(
            "SELECT id, task, kind, year, number, requirement FROM supervision
               WHERE feedback = NONE AND feedback_by < $today AND kind IN ['blue', 'yellow']
                 AND task.status IN ['in_progress', 'returned'];",
        )
        .bind(("today", today))
        .await?
        .take(0)?;
    let mut sent = 0;
    for n in overdue {
        let kind =
            SupervisionKind::parse(&n.kind).ok_or_else(|| corrupt("supervision.kind", &n.kind))?;
        let Some(next) = kind.escalated() else {
            continue;
        };
        let task = TaskId::parse(&key_string(&n.task))
            .ok_or_else(|| corrupt("supervision.task", &n.task))?;
        let Some(detail) = super::tasks::detail(db, &task, today).await? else {
            continue;
        };
        let number = n
            .number
            .map(|x| format!("(督办〔{}〕{x}号)", n.year))
            .unwrap_or_default();
        let mut requirement = format!(
            "{}{number}逾期未反馈,升级督办。原要求:{}",
            messages::supervision_kind(kind),
            n.requirement
        );
        if requirement.chars().count() > 1000 {
            requirement = requirement.chars().take(1000).collect();
        }
        let input = SupervisionInput {
            kind: next,
            requirement,
            feedback_by: calendar.add_working_days(today, ESCALATED_FEEDBACK_DAYS),
        };
        let key = format!("escalated-{}", key_string(&n.id));
        // Escalated already, by an earlier run or another instance.
        if exists(db, &key).await? {
            continue;
        }
        match send(
            db,
            "系统(逾期未反馈自动升级)",
            &detail,
            &input,
            today,
            Some(key.clone()),
        )
        .await
        {
            Ok(_) => sent += 1,
            // Another instance escalated it a moment ago: its record holds the key.
            Err(_) if exists(db, &key).await? => {}
            Err(err) => return Err(err),
        }
    }
    Ok(sent)
}

#[derive(Debug, SurrealValue)]
struct AnswerTarget {
    unit: RecordId,
    kind: String,
    answered: bool,
}

const ANSWER: &str = "
BEGIN TRANSACTION;
IF (SELECT VALUE feedback FROM ONLY $id) != NONE { THROW 'jiebang:conflict' };
LET $s = (UPDATE ONLY $id SET feedback = $feedback, answered_by = $actor,
    answered_at = time::now() RETURN AFTER);
CREATE audit_event CONTENT {
    actor: $actor, entity: $s.task, action: 'supervise_answered', summary: $summary,
    after: { supervision: $id }
};
COMMIT TRANSACTION;
";

/// The unit's 反馈 to a 催办 or 督办单 (written once).
pub async fn answer(
    db: &Db,
    actor: &Actor,
    id: &SupervisionId,
    text: &str,
) -> Result<(), AppError> {
    let sid = record("supervision", id.as_str());
    let target: Option<AnswerTarget> = db
        .query("SELECT unit, kind, feedback != NONE AS answered FROM ONLY $id")
        .bind(("id", sid.clone()))
        .await?
        .take(0)?;
    let target = target.ok_or(AppError::NotFound(Entity::Page))?;
    let unit = UnitId::parse(&key_string(&target.unit))
        .ok_or_else(|| corrupt("supervision.unit", &target.unit))?;
    policy::check_answer_supervision(actor, &unit, target.answered)?;
    let text = feedback(text)?;
    let kind = SupervisionKind::parse(&target.kind)
        .ok_or_else(|| corrupt("supervision.kind", &target.kind))?;
    let summary = format!("反馈{}:{text}", messages::supervision_kind(kind));
    let result = execute(|| {
        db.query(ANSWER)
            .bind(("id", sid.clone()))
            .bind(("feedback", text.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.clone()))
    })
    .await;
    match result {
        Ok(_) => Ok(()),
        // Someone of the unit answered meanwhile.
        Err(AppError::Conflict) => Err(crate::domain::Refusal::SupervisionAnswered.into()),
        Err(err) => Err(err),
    }
}

#[derive(Debug, SurrealValue)]
struct SheetRow {
    #[surreal(flatten)]
    notice: SupervisionRow,
    task_number: i64,
    task_title: String,
    deadline: NaiveDate,
    issuer: Option<String>,
    supervisor: Option<String>,
}

/// A 督办单 as printed, for a reader who may read the task (everyone signed in may).
pub async fn sheet(
    db: &Db,
    id: &SupervisionId,
    today: NaiveDate,
) -> Result<Option<NoticeSheet>, AppError> {
    let row: Option<SheetRow> = db
        .query(format!(
            "SELECT {SUPERVISION_FIELDS}, task.number AS task_number, task.title AS task_title,
                    task.deadline AS deadline, task.plan.issuer.name AS issuer,
                    task.supervisor.name AS supervisor
               FROM ONLY $id"
        ))
        .bind(("id", record("supervision", id.as_str())))
        .await?
        .take(0)?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(NoticeSheet {
        task_number: u32::try_from(row.task_number)
            .map_err(|_| corrupt("task.number", row.task_number))?,
        task_title: row.task_title,
        deadline: row.deadline,
        issuer: row.issuer.unwrap_or_default(),
        supervisor: row.supervisor,
        as_of: today,
        notice: row.notice.into_domain()?,
    }))
}

/// The 督办通报 of a published plan (`None`: the current one) as of `today`: the board and the
/// plan's supervision record, two round trips.
pub async fn bulletin(
    db: &Db,
    plan: Option<&crate::domain::PlanId>,
    today: NaiveDate,
) -> Result<Option<crate::domain::bulletin::Bulletin>, AppError> {
    let Some(board) = super::plans::board(db, plan, today).await? else {
        return Ok(None);
    };
    let rows: Vec<SupervisionRow> = db
        .query(format!(
            "SELECT {SUPERVISION_FIELDS} FROM supervision WHERE task.plan = $plan ORDER BY at"
        ))
        .bind(("plan", record("plan", board.plan.id.as_str())))
        .await?
        .take(0)?;
    let record = rows
        .into_iter()
        .map(SupervisionRow::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(crate::domain::bulletin::compile(&board, &record)))
}
