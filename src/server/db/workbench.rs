//! The facts a 工作台 is worked out from, read in two round trips: the current plans, claims,
//! requests, reports not counted yet, recent 落实情况 replies, 交办事项 and meetings ahead;
//! then the tasks they need (with holders and the last 报送ed report). Which of them a person
//! sees, and which tasks that needs, is `domain::workbench`'s rule.

use super::plans::{BOARD_TASK_FIELDS, BoardTaskRow, PLAN_FIELDS, PlanRow};
use super::{Db, corrupt, key_string, record};
use crate::domain::meeting::ActionStatus;
use crate::domain::workbench::{
    ActionFact, ClaimFact, MeetingFact, ReplyFact, ReportFact, RequestFact, TaskFact, WorkFacts,
    Workbench, assemble, listed_statuses,
};
use crate::domain::{
    ClaimStatus, MeetingId, PlanId, PlanRef, PlanSummary, Role, TaskId, UnitId,
    extension::{RequestKind, RequestStatus},
    report::ReportStatus,
};
use crate::error::AppError;
use crate::server::clock::china_date;
use chrono::{DateTime, NaiveDate, Utc};
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

#[derive(Debug, SurrealValue)]
struct WorkTaskRow {
    #[surreal(flatten)]
    board: BoardTaskRow,
    plan: RecordId,
    lead: Option<RecordId>,
    co: Vec<RecordId>,
}

/// When a task's latest 报送ed report was filed, if any.
#[derive(Debug, SurrealValue)]
struct LastReportRow {
    task: RecordId,
    at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
struct ClaimFactRow {
    task: RecordId,
    unit: RecordId,
    unit_name: Option<String>,
    status: String,
    reason: String,
    at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
struct RequestFactRow {
    task: RecordId,
    kind: Option<String>,
    unit: RecordId,
    unit_name: Option<String>,
    status: String,
    new_deadline: NaiveDate,
    review_note: String,
    decision_note: String,
    at: DateTime<Utc>,
    reviewed_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
struct ReportFactRow {
    task: RecordId,
    unit: Option<RecordId>,
    author: String,
    status: String,
    review_note: String,
    at: DateTime<Utc>,
    reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
struct ActionFactRow {
    task: RecordId,
    unit: RecordId,
    meeting: RecordId,
    meeting_title: String,
    content: String,
    due: NaiveDate,
    status: String,
}

#[derive(Debug, SurrealValue)]
struct AgendaFactRow {
    task: RecordId,
    focus: bool,
}

#[derive(Debug, SurrealValue)]
struct MeetingFactRow {
    id: RecordId,
    title: String,
    day: NaiveDate,
    created_at: DateTime<Utc>,
    agenda: Vec<AgendaFactRow>,
}

#[derive(Debug, SurrealValue)]
struct ReplyFactRow {
    task: RecordId,
    author: String,
    body: String,
    at: DateTime<Utc>,
}

fn task_id(id: &RecordId, field: &str) -> Result<TaskId, AppError> {
    TaskId::parse(&key_string(id)).ok_or_else(|| corrupt(field, id))
}

fn unit_id(id: &RecordId, field: &str) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt(field, id))
}

/// The 工作台 of a person with `role` acting for `unit`, on `today`, over every published plan
/// that is not closed (newest first; tasks in number order within their plan).
pub async fn workbench(
    db: &Db,
    role: Role,
    unit: Option<&UnitId>,
    today: NaiveDate,
) -> Result<Workbench, AppError> {
    // The facts first: which tasks the 工作台 needs read follows from them (a plan of
    // 10,000 tasks reads only the unit's, those in a status the role's shelves list, and
    // those the facts name).
    let mut response = db
        .query(format!(
            "LET $plans = (SELECT {PLAN_FIELDS} FROM plan WHERE status IN ['published', 'running']
                            ORDER BY year DESC, title);
             RETURN $plans;
             SELECT task, unit, unit.name AS unit_name, status, reason, at, decided_at
               FROM task_claim WHERE task.plan IN $plans.id AND status != 'withdrawn' ORDER BY at;
             SELECT task, kind, unit, unit.name AS unit_name, status, new_deadline, review_note,
                    decision_note, at, reviewed_at, decided_at
               FROM extension_request WHERE task.plan IN $plans.id ORDER BY at;
             SELECT task, unit, author, status, review_note, at, reviewed_at
               FROM progress_report WHERE unit = $unit AND status IN ['draft', 'returned']
               ORDER BY at;
             SELECT task, author, body, at FROM task_comment
               WHERE kind = 'reply' AND task.plan IN $plans.id ORDER BY at DESC LIMIT 20;
             SELECT task, unit, meeting, meeting.title AS meeting_title, content, due, status
               FROM action_item WHERE status != 'closed' AND task.plan IN $plans.id ORDER BY due;
             SELECT id, title, day, created_at, agenda FROM meeting
               WHERE status = 'planned' AND plan IN $plans.id ORDER BY day;"
        ))
        .bind(("unit", unit.map(|u| record("unit", u.as_str()))))
        .await?;
    let plans: Vec<PlanRow> = response.take(1)?;
    let plans: Vec<PlanSummary> = plans
        .into_iter()
        .map(PlanRow::into_domain)
        .collect::<Result<_, _>>()?;
    let claims: Vec<ClaimFactRow> = response.take(2)?;
    let requests: Vec<RequestFactRow> = response.take(3)?;
    let reports: Vec<ReportFactRow> = response.take(4)?;
    let replies: Vec<ReplyFactRow> = response.take(5)?;
    let actions: Vec<ActionFactRow> = response.take(6)?;
    let meetings: Vec<MeetingFactRow> = response.take(7)?;
    let mut facts = facts(claims, requests, reports, replies, actions, meetings)?;
    let named: Vec<RecordId> = facts
        .named_tasks()
        .iter()
        .map(|t| record("task", t.as_str()))
        .collect();
    let statuses: Vec<&str> = listed_statuses(role).iter().map(|s| s.code()).collect();
    // `needs_task`, as a query: each part by an index (the unit's lead tasks, those in each
    // listed status; the co-operating ones by a scan that skips undecoded rows), then the
    // latest 报送ed report of each by the reports' (task, at) index.
    let mut response = db
        .query(format!(
            "LET $mine = IF $unit {{ array::union(
                   (SELECT VALUE id FROM task WHERE plan IN $plans AND lead_unit = $unit),
                   (SELECT VALUE id FROM task WHERE co_units CONTAINS $unit)) }} ELSE {{ [] }};
             LET $listed = array::flatten($statuses.map(|$s|
                   (SELECT VALUE id FROM task WHERE plan IN $plans AND status = $s)));
             LET $ids = array::union(array::union($mine, $listed), $named);
             SELECT {BOARD_TASK_FIELDS}, plan, lead_unit AS lead, co_units AS co
               FROM $ids WHERE plan IN $plans ORDER BY number;
             RETURN $ids.map(|$t| {{ task: $t, at: time::max(SELECT VALUE at FROM progress_report
                   WHERE task = $t AND status = 'submitted' AND part != 'co') }});"
        ))
        .bind((
            "plans",
            plans
                .iter()
                .map(|p| record("plan", p.id.as_str()))
                .collect::<Vec<_>>(),
        ))
        .bind(("statuses", statuses))
        .bind(("named", named))
        .bind(("unit", unit.map(|u| record("unit", u.as_str()))))
        .await?;
    let mut tasks: Vec<WorkTaskRow> = response.take(3)?;
    // Newest plan first, then by number (the query orders by number only).
    let rank = |r: &WorkTaskRow| {
        let key = key_string(&r.plan);
        plans.iter().position(|p| p.id.as_str() == key)
    };
    tasks.sort_by_key(|r| (rank(r), r.board.number));
    let last: Vec<LastReportRow> = response.take(4)?;
    let last: std::collections::HashMap<String, DateTime<Utc>> = last
        .into_iter()
        .filter_map(|l| Some((key_string(&l.task), l.at?)))
        .collect();
    let last_report = |task: &RecordId| last.get(&key_string(task)).copied().map(china_date);
    facts.tasks = tasks
        .into_iter()
        .map(|r| {
            let key = key_string(&r.plan);
            let plan = plans
                .iter()
                .find(|p| p.id.as_str() == key)
                .ok_or_else(|| corrupt("task.plan", &r.plan))?;
            Ok(TaskFact {
                plan: PlanId::parse(&key).ok_or_else(|| corrupt("task.plan", &r.plan))?,
                lead: r
                    .lead
                    .as_ref()
                    .map(|u| unit_id(u, "task.lead_unit"))
                    .transpose()?,
                co: r
                    .co
                    .iter()
                    .map(|u| unit_id(u, "task.co_units"))
                    .collect::<Result<_, _>>()?,
                last_report: last_report(&r.board.id),
                report_day: plan.report_day,
                task: r.board.into_domain(plan, today)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let refs = plans
        .into_iter()
        .map(|p| PlanRef {
            id: p.id,
            year: p.year,
            title: p.title,
        })
        .collect();
    Ok(assemble(role, unit, refs, &facts, today))
}

/// The facts but the tasks, from their rows.
fn facts(
    claims: Vec<ClaimFactRow>,
    requests: Vec<RequestFactRow>,
    reports: Vec<ReportFactRow>,
    replies: Vec<ReplyFactRow>,
    actions: Vec<ActionFactRow>,
    meetings: Vec<MeetingFactRow>,
) -> Result<WorkFacts, AppError> {
    Ok(WorkFacts {
        tasks: Vec::new(),
        claims: claims
            .into_iter()
            .map(|r| {
                Ok(ClaimFact {
                    task: task_id(&r.task, "task_claim.task")?,
                    unit: unit_id(&r.unit, "task_claim.unit")?,
                    unit_name: r.unit_name.unwrap_or_default(),
                    status: ClaimStatus::parse(&r.status)
                        .ok_or_else(|| corrupt("task_claim.status", &r.status))?,
                    reason: r.reason,
                    on: china_date(r.decided_at.unwrap_or(r.at)),
                })
            })
            .collect::<Result<_, AppError>>()?,
        requests: requests
            .into_iter()
            .map(|r| {
                let note = if r.decision_note.is_empty() {
                    r.review_note
                } else {
                    r.decision_note
                };
                let kind = r.kind.as_deref().unwrap_or("extension");
                Ok(RequestFact {
                    kind: RequestKind::parse(kind)
                        .ok_or_else(|| corrupt("extension_request.kind", kind))?,
                    task: task_id(&r.task, "extension_request.task")?,
                    unit: unit_id(&r.unit, "extension_request.unit")?,
                    unit_name: r.unit_name.unwrap_or_default(),
                    status: RequestStatus::parse(&r.status)
                        .ok_or_else(|| corrupt("extension_request.status", &r.status))?,
                    new_deadline: r.new_deadline,
                    note,
                    on: china_date(r.decided_at.or(r.reviewed_at).unwrap_or(r.at)),
                })
            })
            .collect::<Result<_, AppError>>()?,
        reports: reports
            .into_iter()
            .map(|r| {
                Ok(ReportFact {
                    task: task_id(&r.task, "progress_report.task")?,
                    unit: r
                        .unit
                        .as_ref()
                        .map(|u| unit_id(u, "progress_report.unit"))
                        .transpose()?,
                    author: r.author,
                    status: ReportStatus::parse(&r.status)
                        .ok_or_else(|| corrupt("progress_report.status", &r.status))?,
                    note: r.review_note,
                    on: china_date(r.reviewed_at.unwrap_or(r.at)),
                })
            })
            .collect::<Result<_, AppError>>()?,
        replies: replies
            .into_iter()
            .map(|r| {
                Ok(ReplyFact {
                    task: task_id(&r.task, "task_comment.task")?,
                    author: r.author,
                    body: r.body,
                    on: china_date(r.at),
                })
            })
            .collect::<Result<_, AppError>>()?,
        actions: actions
            .into_iter()
            .map(|r| {
                Ok(ActionFact {
                    task: task_id(&r.task, "action_item.task")?,
                    unit: unit_id(&r.unit, "action_item.unit")?,
                    meeting: MeetingId::parse(&key_string(&r.meeting))
                        .ok_or_else(|| corrupt("action_item.meeting", &r.meeting))?,
                    meeting_title: r.meeting_title,
                    content: r.content,
                    due: r.due,
                    status: ActionStatus::parse(&r.status)
                        .ok_or_else(|| corrupt("action_item.status", &r.status))?,
                })
            })
            .collect::<Result<_, AppError>>()?,
        meetings: meetings
            .into_iter()
            .map(|m| {
                Ok(MeetingFact {
                    id: MeetingId::parse(&key_string(&m.id))
                        .ok_or_else(|| corrupt("meeting.id", &m.id))?,
                    title: m.title,
                    day: m.day,
                    called_on: china_date(m.created_at),
                    agenda: m
                        .agenda
                        .iter()
                        .map(|a| Ok((task_id(&a.task, "meeting.agenda")?, a.focus)))
                        .collect::<Result<_, AppError>>()?,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}
