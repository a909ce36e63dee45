//! The reminder scheduler: a plain tokio interval in every app instance. Each run works out the
//! reminders due (today's, and any a downtime made it miss) and claims each by creating a
//! record keyed by the reminder itself before telling anyone — several instances, or a run
//! repeated after a restart, never send one twice. A claimed reminder is an audit event on its
//! task, which the lead unit's inbox shows, in the same transaction.

use super::db::{Db, corrupt, key_string, record, tasks::MilestoneRow};
use crate::domain::calendar::WorkCalendar;
use crate::domain::light::Checkpoint;
use crate::domain::reminder::{ActionFacts, Facts, MeetingFacts, Reminder, ReminderFacts, due};
use crate::domain::{ActionItemId, MeetingId, TaskId, TaskStatus, UnitId};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct FactsRow {
    id: RecordId,
    status: String,
    milestones: Vec<MilestoneRow>,
    deadline: NaiveDate,
    report_day: Option<i64>,
}

#[derive(Debug, SurrealValue)]
struct LastReport {
    task: RecordId,
    at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct ActionRow {
    id: RecordId,
    task: RecordId,
    unit: RecordId,
    due: NaiveDate,
}

#[derive(Debug, SurrealValue)]
struct MeetingRow {
    id: RecordId,
    day: NaiveDate,
    created_at: DateTime<Utc>,
    tasks: Vec<RecordId>,
}

/// The facts of every task under way in a running plan, the 交办事项 not yet answered and the
/// 调度会 still to be held: one round trip.
async fn facts(db: &Db) -> Result<Facts, AppError> {
    let mut response = db
        .query(
            "SELECT id, status, milestones, deadline, plan.report_day AS report_day FROM task
               WHERE status IN ['in_progress', 'returned']
                 AND plan.status IN ['published', 'running'];
             SELECT task, time::max(at) AS at FROM progress_report
               WHERE status = 'submitted' AND part != 'co' GROUP BY task;
             SELECT id, task, unit, due FROM action_item WHERE status = 'open';
             SELECT id, day, created_at, agenda.task AS tasks FROM meeting WHERE status = 'planned';",
        )
        .await?;
    let rows: Vec<FactsRow> = response.take(0)?;
    let last: Vec<LastReport> = response.take(1)?;
    let actions: Vec<ActionRow> = response.take(2)?;
    let meetings: Vec<MeetingRow> = response.take(3)?;
    let last: std::collections::HashMap<String, NaiveDate> = last
        .into_iter()
        .map(|l| (key_string(&l.task), super::clock::china_date(l.at)))
        .collect();
    let tasks = rows
        .into_iter()
        .map(|r| {
            let key = key_string(&r.id);
            let mut milestones = r
                .milestones
                .into_iter()
                .map(|m| m.into_domain().map(|m| (m.due, Checkpoint::of(&m))))
                .collect::<Result<Vec<_>, _>>()?;
            milestones.sort_by_key(|(due, _)| *due);
            Ok(ReminderFacts {
                task: TaskId::parse(&key).ok_or_else(|| corrupt("task.id", &r.id))?,
                status: TaskStatus::parse(&r.status)
                    .ok_or_else(|| corrupt("task.status", &r.status))?,
                milestones: milestones.into_iter().map(|(_, c)| c).collect(),
                deadline: r.deadline,
                last_report: last.get(&key).copied(),
                report_day: r
                    .report_day
                    .map(|d| u8::try_from(d).map_err(|_| corrupt("plan.report_day", d)))
                    .transpose()?
                    .unwrap_or(crate::domain::plan::DEFAULT_REPORT_DAY),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let actions = actions
        .into_iter()
        .map(|a| {
            Ok(ActionFacts {
                id: ActionItemId::parse(&key_string(&a.id))
                    .ok_or_else(|| corrupt("action_item.id", &a.id))?,
                task: TaskId::parse(&key_string(&a.task))
                    .ok_or_else(|| corrupt("action_item.task", &a.task))?,
                unit: UnitId::parse(&key_string(&a.unit))
                    .ok_or_else(|| corrupt("action_item.unit", &a.unit))?,
                due: a.due,
            })
        })
        .collect::<Result<_, AppError>>()?;
    // A meeting's agenda tasks under way (the others have nothing to report).
    let meetings = meetings
        .into_iter()
        .map(|m| {
            let agenda: std::collections::HashSet<String> =
                m.tasks.iter().map(key_string).collect();
            Ok(MeetingFacts {
                id: MeetingId::parse(&key_string(&m.id))
                    .ok_or_else(|| corrupt("meeting.id", &m.id))?,
                day: m.day,
                called_on: super::clock::china_date(m.created_at),
                tasks: tasks
                    .iter()
                    .filter(|t| agenda.contains(t.task.as_str()))
                    .cloned()
                    .collect(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Facts {
        tasks,
        actions,
        meetings,
    })
}

/// Claims the reminder and records it, at once: the record's id is the reminder's key, so a
/// second claim fails and sends nothing.
const CLAIM: &str = "
BEGIN TRANSACTION;
CREATE type::record('reminder', $key) CONTENT { task: $task, day: $on, kind: $kind };
CREATE audit_event CONTENT {
    actor: '系统提醒', entity: $task, action: 'reminder', summary: $summary,
    after: { reminder: $key, kind: $kind, unit: $unit }
};
COMMIT TRANSACTION;
";

/// One run on `today`: every reminder due is claimed and recorded once. Returns how many this
/// run sent (those another instance, or an earlier run, sent already are not counted).
pub async fn run_once(
    db: &Db,
    today: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Result<usize, AppError> {
    let reminders: Vec<Reminder> = due(&facts(db).await?, today, ahead, calendar);
    let mut sent = 0;
    for r in reminders {
        let kind = serde_json::to_value(r.kind)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let result = db
            .query(CLAIM)
            .bind(("key", r.key.clone()))
            .bind(("task", record("task", r.task.as_str())))
            .bind(("unit", r.unit.as_ref().map(|u| record("unit", u.as_str()))))
            .bind(("on", r.on))
            .bind(("kind", kind))
            .bind(("summary", crate::ui::messages::reminder(r.kind)))
            .await
            .and_then(surrealdb::IndexedResults::check);
        match result {
            Ok(_) => sent += 1,
            // Already claimed (by another instance or an earlier run): nothing to do.
            Err(err) if already_claimed(&err) => {}
            // Two instances at once: the loser's transaction fails as a whole, and which
            // statement reports it varies. The winner's record is there now.
            Err(_) if claimed(db, &r.key).await? => {}
            Err(err) => {
                tracing::error!(error = %err, key = %r.key, "a reminder could not be recorded");
                return Err(AppError::Internal);
            }
        }
    }
    Ok(sent)
}

/// Whether the reminder's record exists (someone claimed it).
async fn claimed(db: &Db, key: &str) -> Result<bool, AppError> {
    let exists: Option<bool> = db
        .query("RETURN record::exists(type::record('reminder', $key))")
        .bind(("key", key.to_owned()))
        .await?
        .take(0)?;
    Ok(exists.unwrap_or(false))
}

fn already_claimed(err: &surrealdb::Error) -> bool {
    let text = err.to_string();
    text.contains("already exists") || super::db::write::classify(err) == Some(AppError::Conflict)
}

/// Runs the scheduler for the life of the process: at once (catching up on what a downtime
/// missed), then every `every`.
pub fn spawn(state: super::AppState, every: std::time::Duration, ahead: Vec<u32>) {
    // One session of its own: the runs follow one another.
    let db = state.db.dedicated();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let today = state.clock.today();
            // Another instance may have installed a year's holidays since the last run.
            if let Err(err) = super::calendar::load(&db).await {
                tracing::warn!(error = ?err, "holiday calendars could not be read; keeping the last");
            }
            let calendar = super::calendar::current();
            match super::lights::sweep(&db, today).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(changed = n, %today, "task lights stored"),
                Err(err) => tracing::warn!(error = ?err, "light sweep failed; next run retries"),
            }
            match super::db::supervision::escalate_overdue(&db, today, &calendar).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(escalated = n, %today, "unanswered notices escalated"),
                Err(err) => tracing::warn!(error = ?err, "escalation failed; next run retries"),
            }
            match run_once(&db, today, &ahead, &calendar).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, %today, "reminders sent"),
                Err(err) => tracing::warn!(error = ?err, "reminder run failed; next run retries"),
            }
        }
    });
}
