//! 专题调度会: meetings, what they record about each task, and their 交办事项.
//!
//! Rules (which stage takes which record, what an agenda is) are the domain's
//! (`domain::meeting`); here they are read, checked against the stored stage, and written in
//! one transaction with the audit event that names the meeting.

use super::write::{execute, version};
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::meeting::{
    ActionItem, ActionItemInput, ActionStatus, Agenda, AgendaChoice, AgendaEdit, AgendaItem,
    AgendaRow, Instruction, Meeting, MeetingInput, MeetingStatus, MeetingSummary, MeetingView,
    PreviousMeeting, RecordForm, RecordInput, TaskRecord, Verdict, may_advance, may_edit_agenda,
    may_present, may_record,
};
use crate::domain::views::LedgerRow;
use crate::domain::{
    ActionItemId, Actor, Entity, MeetingId, PlanId, PlanStatus, Refusal, TaskId, TaskStatus, UnitId,
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct AgendaEntry {
    task: RecordId,
    focus: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewMeeting {
    plan: RecordId,
    title: String,
    day: NaiveDate,
    time: String,
    place: String,
    host: String,
    attendees: String,
    observers: String,
    status: String,
    agenda: Vec<AgendaEntry>,
    created_by: String,
}

#[derive(Debug, SurrealValue)]
struct PlanTaskRow {
    id: RecordId,
    focus: bool,
}

#[derive(Debug, SurrealValue)]
struct PlanStatusRow {
    status: String,
}

/// Creates a meeting on a published plan's tasks, in number order (cancelled tasks left out;
/// 重点讨论 tasks flagged 重点研究 where they stand).
pub async fn create(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    input: &MeetingInput,
) -> Result<MeetingId, AppError> {
    let plan_id = record("plan", plan.as_str());
    let mut res = db
        .query(
            "SELECT status FROM ONLY $plan;
             SELECT id, focus, number FROM task
               WHERE plan = $plan AND status != 'cancelled' ORDER BY number;",
        )
        .bind(("plan", plan_id.clone()))
        .await?;
    let status: Option<PlanStatusRow> = res.take(0)?;
    // A draft has not been posted: there is nothing to review yet.
    status
        .and_then(|s| PlanStatus::parse(&s.status))
        .filter(|s| *s != PlanStatus::Draft)
        .ok_or(AppError::NotFound(Entity::Plan))?;
    let tasks: Vec<PlanTaskRow> = res.take(1)?;
    let ids: Vec<TaskId> = tasks
        .iter()
        .map(|t| TaskId::parse(&key_string(&t.id)).ok_or_else(|| corrupt("task.id", &t.id)))
        .collect::<Result<_, _>>()?;
    let focus: Vec<TaskId> = ids
        .iter()
        .zip(&tasks)
        .filter(|(_, t)| t.focus)
        .map(|(id, _)| id.clone())
        .collect();
    let agenda = Agenda::in_order(&ids, &focus).map_err(|p| AppError::field("agenda", p))?;
    let content = NewMeeting {
        plan: plan_id,
        title: input.title.clone(),
        day: input.date,
        time: input.time.format("%H:%M").to_string(),
        place: input.place.clone(),
        host: input.host.clone(),
        attendees: input.attendees.clone(),
        observers: input.observers.clone(),
        status: MeetingStatus::Planned.code().to_owned(),
        agenda: agenda_entries(&agenda),
        created_by: actor.name.clone(),
    };
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $meeting = (CREATE ONLY meeting CONTENT $content RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'meeting_created',
                 summary: string::concat('筹备专题调度会:', $content.title)
             };
             RETURN $meeting;
             COMMIT TRANSACTION;",
        )
        .bind(("content", content.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    let id = id.ok_or(AppError::Internal)?;
    MeetingId::parse(&key_string(&id)).ok_or_else(|| corrupt("meeting.id", &id))
}

fn agenda_entries(agenda: &Agenda) -> Vec<AgendaEntry> {
    agenda
        .items()
        .iter()
        .map(|item| AgendaEntry {
            task: record("task", item.task.as_str()),
            focus: item.focus,
        })
        .collect()
}

const SUMMARY_FIELDS: &str = "id, title, day, time, place, host, status, plan, plan.title AS plan_title, \
     array::len(agenda) AS tasks, version, attendees, observers, agenda, created_by, started_at, ended_at, \
     overview, number, published_at, presenting, \
     count(SELECT id FROM meeting_record WHERE meeting = $parent.id AND verdict != NONE) AS judged";

#[derive(Debug, SurrealValue)]
struct MeetingRow {
    id: RecordId,
    title: String,
    day: NaiveDate,
    time: String,
    place: String,
    host: String,
    status: String,
    plan: RecordId,
    plan_title: String,
    tasks: i64,
    judged: i64,
    version: i64,
    attendees: String,
    observers: String,
    agenda: Vec<AgendaEntry>,
    created_by: String,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    overview: String,
    number: Option<i64>,
    published_at: Option<DateTime<Utc>>,
    presenting: Option<RecordId>,
}

impl MeetingRow {
    fn into_domain(self) -> Result<Meeting, AppError> {
        let count = |n: i64, field: &str| u32::try_from(n).map_err(|_| corrupt(field, n));
        Ok(Meeting {
            summary: MeetingSummary {
                id: MeetingId::parse(&key_string(&self.id))
                    .ok_or_else(|| corrupt("meeting.id", &self.id))?,
                title: self.title,
                date: self.day,
                time: NaiveTime::parse_from_str(&self.time, "%H:%M")
                    .map_err(|_| corrupt("meeting.time", &self.time))?,
                place: self.place,
                host: self.host,
                status: MeetingStatus::parse(&self.status)
                    .ok_or_else(|| corrupt("meeting.status", &self.status))?,
                plan: PlanId::parse(&key_string(&self.plan))
                    .ok_or_else(|| corrupt("meeting.plan", &self.plan))?,
                plan_title: self.plan_title,
                tasks: count(self.tasks, "meeting.tasks")?,
                judged: count(self.judged, "meeting.judged")?,
                version: version(self.version)?,
            },
            attendees: self.attendees,
            observers: self.observers,
            agenda: stored_agenda(&self.agenda)?,
            created_by: self.created_by,
            started_at: self.started_at,
            ended_at: self.ended_at,
            overview: self.overview,
            number: self
                .number
                .map(|n| u32::try_from(n).map_err(|_| corrupt("meeting.number", n)))
                .transpose()?,
            published_at: self.published_at,
            presenting: self
                .presenting
                .map(|t| {
                    TaskId::parse(&key_string(&t)).ok_or_else(|| corrupt("meeting.presenting", &t))
                })
                .transpose()?,
        })
    }
}

/// Every meeting, the latest first.
pub async fn list(db: &Db) -> Result<Vec<MeetingSummary>, AppError> {
    let rows: Vec<MeetingRow> = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM meeting ORDER BY day DESC, time DESC"
        ))
        .await?
        .take(0)?;
    rows.into_iter()
        .map(|r| r.into_domain().map(|m| m.summary))
        .collect()
}

#[derive(Debug, SurrealValue)]
struct RecordRow {
    task: RecordId,
    snapshot: Option<String>,
    verdict: Option<String>,
    requirements: String,
    deadline: Option<NaiveDate>,
    recorded_by: Option<String>,
    recorded_at: Option<DateTime<Utc>>,
}

const ACTION_FIELDS: &str = "id, task, unit, unit.name AS unit_name, content, due, status, feedback, \
     answered_by, created_at";

#[derive(Debug, SurrealValue)]
struct InstructionRow {
    id: RecordId,
    task: RecordId,
    author: String,
    body: String,
    at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct ActionRow {
    id: RecordId,
    task: RecordId,
    unit: RecordId,
    unit_name: String,
    content: String,
    due: NaiveDate,
    status: String,
    feedback: String,
    answered_by: Option<String>,
}

impl ActionRow {
    fn into_domain(self) -> Result<ActionItem, AppError> {
        Ok(ActionItem {
            id: ActionItemId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("action_item.id", &self.id))?,
            task: TaskId::parse(&key_string(&self.task))
                .ok_or_else(|| corrupt("action_item.task", &self.task))?,
            unit: UnitId::parse(&key_string(&self.unit))
                .ok_or_else(|| corrupt("action_item.unit", &self.unit))?,
            unit_name: self.unit_name,
            content: self.content,
            due: self.due,
            status: ActionStatus::parse(&self.status)
                .ok_or_else(|| corrupt("action_item.status", &self.status))?,
            feedback: self.feedback,
            answered_by: self.answered_by,
        })
    }
}

/// A meeting's page as of `today`: the agenda's tasks as the meeting saw them when it
/// started (as they stand now, before), what it recorded, its 交办事项, the 批示 on its tasks
/// and the meeting before it with its 交办事项. Two queries: the meeting with all of that,
/// then its plan's 台账.
pub async fn view(db: &Db, id: &MeetingId, today: NaiveDate) -> Result<MeetingView, AppError> {
    let mut res = db
        .query(format!(
            "SELECT {SUMMARY_FIELDS} FROM ONLY $meeting;
             SELECT task, snapshot, verdict, requirements, deadline, recorded_by, recorded_at
               FROM meeting_record WHERE meeting = $meeting;
             SELECT {ACTION_FIELDS} FROM action_item WHERE meeting = $meeting ORDER BY created_at;
             LET $previous = (SELECT id, day, time FROM meeting
                 WHERE plan = $meeting.plan AND id != $meeting
                   AND (day < $meeting.day OR (day = $meeting.day AND time < $meeting.time))
                 ORDER BY day DESC, time DESC LIMIT 1)[0].id;
             SELECT {SUMMARY_FIELDS} FROM meeting WHERE id = $previous;
             SELECT {ACTION_FIELDS} FROM action_item
               WHERE $previous != NONE AND meeting = $previous ORDER BY created_at;
             SELECT id, task, author, body, at FROM task_comment
               WHERE kind = 'instruction' AND task IN $meeting.agenda.task ORDER BY at;
             SELECT VALUE reply_to FROM task_comment
               WHERE kind = 'reply' AND task IN $meeting.agenda.task;"
        ))
        .bind(("meeting", record("meeting", id.as_str())))
        .await?;
    let row: Option<MeetingRow> = res.take(0)?;
    let meeting = row
        .ok_or(AppError::NotFound(Entity::Meeting))?
        .into_domain()?;
    let records: Vec<RecordRow> = res.take(1)?;
    let actions: Vec<ActionRow> = res.take(2)?;
    let actions = actions
        .into_iter()
        .map(ActionRow::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let previous: Option<MeetingRow> = res.take::<Vec<MeetingRow>>(4)?.into_iter().next();
    let previous_actions: Vec<ActionRow> = res.take(5)?;
    let previous = match previous {
        Some(row) => Some(PreviousMeeting {
            summary: row.into_domain()?.summary,
            actions: previous_actions
                .into_iter()
                .map(ActionRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?,
        }),
        None => None,
    };
    let instructions: Vec<InstructionRow> = res.take(6)?;
    let answered: Vec<Option<RecordId>> = res.take(7)?;
    let answered: std::collections::HashSet<String> =
        answered.iter().flatten().map(key_string).collect();
    let instructions = instructions
        .into_iter()
        .map(|i| {
            Ok(Instruction {
                task: TaskId::parse(&key_string(&i.task))
                    .ok_or_else(|| corrupt("task_comment.task", &i.task))?,
                answered: answered.contains(&key_string(&i.id)),
                author: i.author,
                body: i.body,
                at: i.at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let ledger = super::ledger::plan_ledger(db, &meeting.summary.plan, today)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))?;
    let mut live: HashMap<TaskId, LedgerRow> =
        ledger.rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    let mut recorded: HashMap<String, RecordRow> = records
        .into_iter()
        .map(|r| (key_string(&r.task), r))
        .collect();
    let mut rows = Vec::with_capacity(meeting.agenda.len());
    for item in meeting.agenda.items() {
        let record = recorded.remove(item.task.as_str());
        let frozen = match record.as_ref().and_then(|r| r.snapshot.as_deref()) {
            Some(json) => Some(
                serde_json::from_str::<LedgerRow>(json)
                    .map_err(|e| corrupt("meeting_record.snapshot", e))?,
            ),
            None => None,
        };
        let (task, frozen) = match frozen {
            Some(task) => (task, true),
            // A task deleted from the plan after the meeting was set up has nothing to show.
            None => match live.remove(&item.task) {
                Some(task) => (task, false),
                None => continue,
            },
        };
        let record = match record {
            Some(r) => match (r.recorded_by, r.recorded_at) {
                (Some(by), Some(at)) => Some(TaskRecord {
                    verdict: match r.verdict.as_deref() {
                        Some(code) => Some(
                            Verdict::parse(code)
                                .ok_or_else(|| corrupt("meeting_record.verdict", code))?,
                        ),
                        None => None,
                    },
                    requirements: r.requirements,
                    deadline: r.deadline,
                    recorded_by: by,
                    recorded_at: at,
                }),
                _ => None,
            },
            None => None,
        };
        rows.push(AgendaRow {
            focus: item.focus,
            task,
            frozen,
            record,
        });
    }
    // Before the meeting, the plan's other tasks can still be put on the agenda.
    let mut off_agenda: Vec<AgendaChoice> = if meeting.summary.status == MeetingStatus::Planned {
        live.into_values()
            .filter(|t| {
                meeting.agenda.position(&t.id).is_none() && t.status != TaskStatus::Cancelled
            })
            .map(|t| AgendaChoice {
                id: t.id,
                number: t.number,
                title: t.title,
            })
            .collect()
    } else {
        Vec::new()
    };
    off_agenda.sort_by_key(|c| c.number);
    Ok(MeetingView {
        meeting,
        as_of: ledger.as_of,
        rows,
        actions,
        instructions,
        previous,
        off_agenda,
    })
}

/// An agenda as stored.
fn stored_agenda(entries: &[AgendaEntry]) -> Result<Agenda, AppError> {
    let items = entries
        .iter()
        .map(|e| {
            Ok(AgendaItem {
                task: TaskId::parse(&key_string(&e.task))
                    .ok_or_else(|| corrupt("meeting.agenda", &e.task))?,
                focus: e.focus,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Agenda::parse(items).map_err(|p| corrupt("meeting.agenda", p))
}

#[derive(Debug, SurrealValue)]
struct StageRow {
    title: String,
    status: String,
    version: i64,
    day: NaiveDate,
    agenda: Vec<AgendaEntry>,
    plan: RecordId,
}

struct Stage {
    title: String,
    status: MeetingStatus,
    version: u32,
    day: NaiveDate,
    agenda: Agenda,
    plan: PlanId,
}

async fn stage(db: &Db, id: &MeetingId) -> Result<Stage, AppError> {
    let row: Option<StageRow> = db
        .query("SELECT title, status, version, day, agenda, plan FROM ONLY $meeting")
        .bind(("meeting", record("meeting", id.as_str())))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Meeting))?;
    Ok(Stage {
        title: row.title,
        status: MeetingStatus::parse(&row.status)
            .ok_or_else(|| corrupt("meeting.status", &row.status))?,
        version: version(row.version)?,
        day: row.day,
        agenda: stored_agenda(&row.agenda)?,
        plan: PlanId::parse(&key_string(&row.plan))
            .ok_or_else(|| corrupt("meeting.plan", &row.plan))?,
    })
}

/// The record id of what `meeting` records about `task` (one each).
fn record_id(meeting: &MeetingId, task: &TaskId) -> RecordId {
    record(
        "meeting_record",
        &format!("{}__{}", meeting.as_str(), task.as_str()),
    )
}

#[derive(Debug, Clone, SurrealValue)]
struct Snapshot {
    id: RecordId,
    task: RecordId,
    snapshot: String,
}

/// Moves a meeting to its next stage (`version`: the one the user saw). Starting it freezes
/// every agenda task as it stands now (percent, light, goals, deadline, criteria, latest
/// report), so the minutes show what the meeting saw even after later changes.
pub async fn advance(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    seen: u32,
    to: MeetingStatus,
    today: NaiveDate,
) -> Result<(), AppError> {
    let stage = stage(db, id).await?;
    may_advance(stage.status, to)?;
    if stage.version != seen {
        return Err(AppError::Conflict);
    }
    let snapshots = if to == MeetingStatus::InProgress {
        let ledger = super::ledger::plan_ledger(db, &stage.plan, today)
            .await?
            .ok_or(AppError::NotFound(Entity::Plan))?;
        ledger
            .rows
            .iter()
            .filter(|row| stage.agenda.position(&row.id).is_some())
            .map(|row| {
                Ok(Snapshot {
                    id: record_id(id, &row.id),
                    task: record("task", row.id.as_str()),
                    snapshot: serde_json::to_string(row).map_err(|e| corrupt("snapshot", e))?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?
    } else {
        Vec::new()
    };
    let (field, summary) = match to {
        MeetingStatus::InProgress => ("started_at", "会议开始,逐一研判"),
        _ => ("ended_at", "会议结束"),
    };
    execute(|| {
        db.query(format!(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE version FROM ONLY $meeting) != $seen {{ THROW 'jiebang:conflict' }};
             UPDATE $meeting SET status = $to, {field} = time::now(), presenting = NONE, version += 1;
             FOR $s IN $snapshots {{
                 UPSERT $s.id SET meeting = $meeting, task = $s.task, snapshot = $s.snapshot;
             }};
             CREATE audit_event CONTENT {{
                 actor: $actor, entity: $meeting, action: 'meeting_advanced',
                 summary: $summary
             }};
             COMMIT TRANSACTION;"
        ))
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("seen", i64::from(seen)))
        .bind(("to", to.code()))
        .bind(("snapshots", snapshots.clone()))
        .bind(("actor", actor.name.clone()))
        .bind(("summary", summary))
    })
    .await?;
    Ok(())
}

/// Puts agenda task `task` on the screens that follow the meeting (主持模式). Not a change of
/// the meeting's content, so its version stays; the audit event dates when each task came up.
pub async fn present(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    task: &TaskId,
) -> Result<(), AppError> {
    let stage = stage(db, id).await?;
    let position = may_present(stage.status, &stage.agenda, task)?;
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $meeting) != 'in_progress' {
                 THROW 'jiebang:conflict'
             };
             UPDATE $meeting SET presenting = $task;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'meeting_presented',
                 summary: $summary, after: { task: $task }
             };
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("task", record("task", task.as_str())))
        .bind(("actor", actor.name.clone()))
        .bind(("summary", format!("主持研判第 {position} 项")))
    })
    .await?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct AgendaTaskRow {
    plan: RecordId,
    status: String,
    number: i64,
}

/// Changes the agenda before the meeting (`seen`: the version the office saw): moves a task,
/// flags or unflags it 重点研究, takes it off, or puts another task of the plan on.
pub async fn edit_agenda(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    seen: u32,
    task: &TaskId,
    edit: AgendaEdit,
) -> Result<(), AppError> {
    let stage = stage(db, id).await?;
    may_edit_agenda(stage.status)?;
    if stage.version != seen {
        return Err(AppError::Conflict);
    }
    let agenda = stage.agenda.edited(task, edit)?;
    // Only a task of the meeting's own plan, not withdrawn, joins it.
    let target: Option<AgendaTaskRow> = db
        .query("SELECT plan, status, number FROM ONLY $task")
        .bind(("task", record("task", task.as_str())))
        .await?
        .take(0)?;
    let target = target.ok_or(AppError::NotFound(Entity::Task))?;
    if edit == AgendaEdit::Add
        && (key_string(&target.plan) != stage.plan.as_str()
            || target.status == TaskStatus::Cancelled.code())
    {
        return Err(AppError::NotFound(Entity::Task));
    }
    let summary = format!(
        "议程调整:第{}项{}",
        target.number,
        crate::ui::messages::agenda_edit(edit)
    );
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE version FROM ONLY $meeting) != $seen { THROW 'jiebang:conflict' };
             UPDATE $meeting SET agenda = $agenda, version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'meeting_agenda', summary: $summary
             };
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("seen", i64::from(seen)))
        .bind(("agenda", agenda_entries(&agenda)))
        .bind(("actor", actor.name.clone()))
        .bind(("summary", summary.clone()))
    })
    .await?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct DeadlineRow {
    deadline: NaiveDate,
    version: i64,
    goals: Vec<NaiveDate>,
}

/// Records the meeting's 研判 and 会议要求 about one agenda task (replacing the last ones:
/// they are the meeting's working notes until the minutes are published). A 完成时限 the
/// meeting fixes is applied to the task at once, with an entry in its history that names the
/// meeting; the first deadline stays on record (`original_deadline`) for evaluation.
pub async fn record_task(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    task: &TaskId,
    form: &RecordForm,
) -> Result<(), AppError> {
    let stage = stage(db, id).await?;
    let input = RecordInput::parse(form, stage.day)?;
    may_record(stage.status)?;
    if stage.agenda.position(task).is_none() {
        return Err(Refusal::NotOnAgenda.into());
    }
    let task_id = record("task", task.as_str());
    // The deadline changes only if it really moves; the task's version guards the change.
    let mut change: Option<(NaiveDate, i64)> = None;
    if let Some(new) = input.deadline {
        let row: Option<DeadlineRow> = db
            .query("SELECT deadline, version, milestones.due AS goals FROM ONLY $task")
            .bind(("task", task_id.clone()))
            .await?
            .take(0)?;
        let row = row.ok_or(AppError::NotFound(Entity::Task))?;
        input
            .check_goals(&row.goals)
            .map_err(|e| AppError::Invalid(vec![e]))?;
        if row.deadline != new {
            change = Some((row.deadline, row.version));
        }
    }
    let summary = input.deadline.map(|d| {
        format!(
            "专题调度会“{}”明确完成时限为{}",
            stage.title,
            d.format("%Y年%-m月%-d日")
        )
    });
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $meeting) != $status { THROW 'jiebang:conflict' };
             UPSERT $record SET meeting = $meeting, task = $task, verdict = $verdict,
                 requirements = $requirements, deadline = $deadline ?? deadline,
                 recorded_by = $actor, recorded_at = time::now();
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'meeting_recorded',
                 summary: string::concat('研判:', (SELECT VALUE title FROM ONLY $task))
             };
             IF $change != NONE {
                 IF (SELECT VALUE version FROM ONLY $task) != $change.version {
                     THROW 'jiebang:conflict'
                 };
                 UPDATE $task SET original_deadline = original_deadline ?? deadline,
                     deadline = $change.deadline, version += 1;
                 CREATE audit_event CONTENT {
                     actor: $actor, entity: $task, action: 'meeting_deadline', summary: $summary,
                     before: { deadline: $change.was },
                     after: { deadline: $change.deadline, meeting: $meeting }
                 };
             };
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("status", stage.status.code()))
        .bind(("record", record_id(id, task)))
        .bind(("task", task_id.clone()))
        .bind(("verdict", input.verdict.map(Verdict::code)))
        .bind(("requirements", input.requirements.clone()))
        .bind(("deadline", input.deadline))
        .bind(("actor", actor.name.clone()))
        .bind((
            "change",
            change.map(|(was, version)| DeadlineChange {
                was,
                deadline: input.deadline.unwrap_or(was),
                version,
            }),
        ))
        .bind(("summary", summary.clone().unwrap_or_default()))
    })
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
struct DeadlineChange {
    was: NaiveDate,
    deadline: NaiveDate,
    version: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct NewAction {
    meeting: RecordId,
    task: RecordId,
    unit: RecordId,
    content: String,
    due: NaiveDate,
    created_by: String,
}

/// Adds a 交办事项 to one agenda task: content, the unit that does it, by when.
pub async fn add_action(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    task: &TaskId,
    form: &crate::domain::meeting::ActionItemForm,
) -> Result<ActionItemId, AppError> {
    let stage = stage(db, id).await?;
    let input = ActionItemInput::parse(form, stage.day)?;
    may_record(stage.status)?;
    if stage.agenda.position(task).is_none() {
        return Err(Refusal::NotOnAgenda.into());
    }
    let content = NewAction {
        meeting: record("meeting", id.as_str()),
        task: record("task", task.as_str()),
        unit: record("unit", input.unit.as_str()),
        content: input.content.clone(),
        due: input.due,
        created_by: actor.name.clone(),
    };
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $meeting) != $status { THROW 'jiebang:conflict' };
             IF (SELECT VALUE active FROM ONLY $content.unit) != true { THROW 'jiebang:not_found' };
             LET $item = (CREATE ONLY action_item CONTENT $content RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $item, action: 'action_assigned',
                 summary: string::concat('会议交办:', $content.content)
             };
             RETURN $item;
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("status", stage.status.code()))
        .bind(("content", content.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await
    .map_err(|e| match e {
        // The only record that can be missing here: the unit (or it is no longer active).
        AppError::NotFound(_) => {
            AppError::field("action_unit", crate::domain::Problem::NoSuchRecord)
        }
        other => other,
    })?;
    let item: Option<RecordId> = take_returned(&mut res)?;
    let item = item.ok_or(AppError::Internal)?;
    ActionItemId::parse(&key_string(&item)).ok_or_else(|| corrupt("action_item.id", &item))
}

#[derive(Debug, SurrealValue)]
struct ActionStateRow {
    unit: RecordId,
    status: String,
}

async fn action_state(db: &Db, id: &ActionItemId) -> Result<(UnitId, ActionStatus), AppError> {
    let row: Option<ActionStateRow> = db
        .query("SELECT unit, status FROM ONLY $item")
        .bind(("item", record("action_item", id.as_str())))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Page))?;
    Ok((
        UnitId::parse(&key_string(&row.unit))
            .ok_or_else(|| corrupt("action_item.unit", &row.unit))?,
        ActionStatus::parse(&row.status)
            .ok_or_else(|| corrupt("action_item.status", &row.status))?,
    ))
}

/// The unit's 反馈 on a 交办事项 assigned to it: what it did (replacing an earlier answer
/// until the office closes the item).
pub async fn answer_action(
    db: &Db,
    actor: &Actor,
    id: &ActionItemId,
    feedback: &str,
) -> Result<(), AppError> {
    let text =
        crate::domain::meeting::feedback(feedback).map_err(|e| AppError::Invalid(vec![e]))?;
    let (unit, status) = action_state(db, id).await?;
    crate::domain::meeting::may_answer(actor, &unit, status)?;
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $item) = 'closed' { THROW 'jiebang:conflict' };
             UPDATE $item SET status = 'answered', feedback = $text, answered_by = $actor,
                 answered_at = time::now();
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $item, action: 'action_answered',
                 summary: string::concat('反馈交办事项:', $text)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("item", record("action_item", id.as_str())))
        .bind(("text", text.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}

/// The office closes (办结) a 交办事项.
pub async fn close_action(db: &Db, actor: &Actor, id: &ActionItemId) -> Result<(), AppError> {
    let (_, status) = action_state(db, id).await?;
    crate::domain::meeting::may_close(status)?;
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE status FROM ONLY $item) = 'closed' { THROW 'jiebang:conflict' };
             UPDATE $item SET status = 'closed', closed_by = $actor, closed_at = time::now();
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $item, action: 'action_closed',
                 summary: string::concat('交办事项办结:', (SELECT VALUE content FROM ONLY $item))
             };
             COMMIT TRANSACTION;",
        )
        .bind(("item", record("action_item", id.as_str())))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}

/// Saves the office's opening text of the minutes (`seen`: the meeting version it edited).
pub async fn save_minutes(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    seen: u32,
    overview: &str,
) -> Result<(), AppError> {
    let text =
        crate::domain::meeting::overview(overview).map_err(|e| AppError::Invalid(vec![e]))?;
    let stage = stage(db, id).await?;
    crate::domain::meeting::may_edit_minutes(stage.status)?;
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $m = (SELECT version, status FROM ONLY $meeting);
             IF $m.version != $seen OR $m.status != 'held' { THROW 'jiebang:conflict' };
             UPDATE $meeting SET overview = $text, version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'minutes_edited', summary: '修改会议纪要'
             };
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("seen", i64::from(seen)))
        .bind(("text", text.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}

/// 印发: publishes the minutes with the next filing number of the meeting's year; from then on
/// the meeting and its records no longer change.
pub async fn publish_minutes(
    db: &Db,
    actor: &Actor,
    id: &MeetingId,
    seen: u32,
) -> Result<u32, AppError> {
    let stage = stage(db, id).await?;
    crate::domain::meeting::may_edit_minutes(stage.status)?;
    use chrono::Datelike;
    let year = stage.day.year();
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::Internal)?,
        NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(AppError::Internal)?,
    );
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $m = (SELECT version, status FROM ONLY $meeting);
             IF $m.version != $seen OR $m.status != 'held' { THROW 'jiebang:conflict' };
             LET $number = (array::max(SELECT VALUE number FROM meeting
                 WHERE number != NONE AND day >= $from AND day < $to) ?? 0) + 1;
             UPDATE $meeting SET status = 'published', number = $number,
                 published_at = time::now(), version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $meeting, action: 'minutes_published',
                 summary: string::concat('印发会议纪要(第', <string> $number, '期)')
             };
             RETURN $number;
             COMMIT TRANSACTION;",
        )
        .bind(("meeting", record("meeting", id.as_str())))
        .bind(("seen", i64::from(seen)))
        .bind(("from", from))
        .bind(("to", to))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    let number: Option<i64> = take_returned(&mut res)?;
    number
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(AppError::Internal)
}
