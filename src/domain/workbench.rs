//! 工作台: what is waiting for one signed-in person, by role. A unit sees the tasks it leads
//! and those it co-operates on, what it must 签收, report (待填报 / 逾期未报), rework or
//! approve, and how its claims and requests were decided; the office sees claims to decide,
//! requests to review, acceptances to check, 揭榜超期 and 待签收; a leader the requests
//! awaiting 审定 and the replies to 批示.
//!
//! The shelves are worked out here from plain facts, so the rule of who sees what is one
//! function the page, the tests and later the notices share.

use super::claim::ClaimStatus;
use super::extension::{RequestKind, RequestStatus};
use super::ids::{MeetingId, PlanId, TaskId, UnitId};
use super::light::Light;
use super::meeting::ActionStatus;
use super::report::ReportStatus;
use super::task::TaskStatus;
use super::views::{BoardTask, PlanRef};
use super::workflow::Role;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a decided claim or request stays on the unit's 工作台.
const DECIDED_SHOWN_DAYS: i64 = 30;

/// One task as the 工作台 sees it: the board's view plus who holds it and when it last
/// reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFact {
    pub plan: PlanId,
    pub task: BoardTask,
    pub lead: Option<UnitId>,
    pub co: Vec<UnitId>,
    /// The day of the latest 报送ed report.
    pub last_report: Option<NaiveDate>,
    /// The plan's 每月报送日.
    pub report_day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFact {
    pub task: TaskId,
    pub unit: UnitId,
    pub unit_name: String,
    pub status: ClaimStatus,
    pub reason: String,
    /// Filed, or decided once decided.
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFact {
    pub task: TaskId,
    pub kind: RequestKind,
    pub unit: UnitId,
    pub unit_name: String,
    pub status: RequestStatus,
    pub new_deadline: NaiveDate,
    /// The latest reviewer's or decider's note.
    pub note: String,
    /// Filed, or last handled.
    pub on: NaiveDate,
}

/// A report not (yet) counted: a draft waiting for the head, or one sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFact {
    pub task: TaskId,
    pub unit: Option<UnitId>,
    pub author: String,
    pub status: ReportStatus,
    pub note: String,
    pub on: NaiveDate,
}

/// A 落实情况 reply to a leader's 批示.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyFact {
    pub task: TaskId,
    pub author: String,
    pub body: String,
    pub on: NaiveDate,
}

/// A 交办事项 of a 专题调度会 not yet closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFact {
    pub task: TaskId,
    pub unit: UnitId,
    pub meeting: MeetingId,
    pub meeting_title: String,
    pub content: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
}

/// A 专题调度会 still to be held: when, since when it is known, and its agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub id: MeetingId,
    pub title: String,
    pub day: NaiveDate,
    /// The day it was called (set up): reports from then on are what it will see.
    pub called_on: NaiveDate,
    /// The agenda's tasks and whether each is 重点研究.
    pub agenda: Vec<(TaskId, bool)>,
}

/// Everything the 工作台 is worked out from: the current plan's tasks and what waits on them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkFacts {
    pub tasks: Vec<TaskFact>,
    pub claims: Vec<ClaimFact>,
    pub requests: Vec<RequestFact>,
    pub reports: Vec<ReportFact>,
    pub replies: Vec<ReplyFact>,
    pub actions: Vec<ActionFact>,
    pub meetings: Vec<MeetingFact>,
}

impl WorkFacts {
    /// The tasks the facts besides the tasks name (claims, requests, reports, replies,
    /// 交办事项, agendas): the 工作台 may list any of them.
    pub fn named_tasks(&self) -> std::collections::BTreeSet<TaskId> {
        let mut named = std::collections::BTreeSet::new();
        named.extend(self.claims.iter().map(|c| c.task.clone()));
        named.extend(self.requests.iter().map(|r| r.task.clone()));
        named.extend(self.reports.iter().map(|r| r.task.clone()));
        named.extend(self.replies.iter().map(|r| r.task.clone()));
        named.extend(self.actions.iter().map(|a| a.task.clone()));
        for m in &self.meetings {
            named.extend(m.agenda.iter().map(|(t, _)| t.clone()));
        }
        named
    }
}

/// The statuses whose every task a `role`'s shelves may list, whoever holds them. With the
/// tasks of the person's unit (lead or co) and those [`WorkFacts::named_tasks`] names, they
/// are all the tasks [`assemble`] can show: the 工作台 of a 10,000-task plan reads no other.
pub fn listed_statuses(role: Role) -> Vec<TaskStatus> {
    let mut statuses = Vec::new();
    for shelf in Shelf::for_role(role) {
        let listed: &[TaskStatus] = match shelf {
            Shelf::AcceptanceToCheck | Shelf::SignOff => &[TaskStatus::Submitted],
            // 揭榜超期 is a task still 待揭榜.
            Shelf::ClaimOverdue => &[TaskStatus::Open],
            Shelf::AwaitingSign => &[TaskStatus::Assigned],
            _ => &[],
        };
        for s in listed {
            if !statuses.contains(s) {
                statuses.push(*s);
            }
        }
    }
    statuses
}

/// Whether the 工作台 of `role` acting for `unit` needs `task` read (see [`listed_statuses`]).
pub fn needs_task(
    statuses: &[TaskStatus],
    unit: Option<&UnitId>,
    named: &std::collections::BTreeSet<TaskId>,
    task: &TaskFact,
) -> bool {
    statuses.contains(&task.task.status)
        || unit.is_some_and(|u| task.lead.as_ref() == Some(u) || task.co.contains(u))
        || named.contains(&task.task.id)
}

/// The lists of a 工作台, in the order a page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shelf {
    /// Unit: 待签收 (交办 to the unit).
    ToSign,
    /// Unit: 会议交办事项 — what a 专题调度会 assigned it, until the office closes them.
    MeetingActions,
    /// Office: 会议交办事项 the units have answered, waiting to be closed.
    ActionsAnswered,
    /// 会前准备: the tasks a coming 专题调度会 will review — a unit's own; for the office and
    /// leaders the 重点研究 ones and those lit red or yellow (the pre-read).
    MeetingPrep,
    /// Unit head: liaisons' reports waiting to be 报送ed.
    DraftsToApprove,
    /// Unit: reports sent back by the head.
    ReportsReturned,
    /// Unit: tasks sent back at acceptance (退回整改).
    Returned,
    /// Unit: tasks that owe this month's report (待填报 / 逾期未报).
    ReportDue,
    /// Unit: its claims waiting or recently decided.
    MyClaims,
    /// Unit: its requests waiting or recently decided.
    MyRequests,
    /// Unit: tasks it leads.
    Lead,
    /// Unit: tasks it co-operates on (配合).
    Co,
    /// Office: tasks with claims to decide (待挂牌).
    ClaimsToDecide,
    /// Office: requests waiting for 初审.
    RequestsToReview,
    /// Office: tasks waiting for acceptance (待验收).
    AcceptanceToCheck,
    /// Office: 揭榜超期.
    ClaimOverdue,
    /// Office: 待签收 across the plan, with the days waited.
    AwaitingSign,
    /// Leader: acceptances the office passed, waiting for 审定 (销号).
    SignOff,
    /// Leader: requests waiting for 审定.
    RequestsToDecide,
    /// Leader: recent 落实情况 replies to 批示.
    Replies,
}

/// Why an item is on its shelf, beyond the task's own status and light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkNote {
    /// The task itself is the item.
    Task,
    /// This month's report is due by `due`; `overdue`: 逾期未报.
    ReportDue { due: NaiveDate, overdue: bool },
    Report {
        author: String,
        status: ReportStatus,
        note: String,
        on: NaiveDate,
    },
    Claim {
        unit: String,
        status: ClaimStatus,
        reason: String,
        on: NaiveDate,
    },
    Request {
        unit: String,
        #[serde(default)]
        kind: RequestKind,
        status: RequestStatus,
        new_deadline: NaiveDate,
        note: String,
        on: NaiveDate,
    },
    Reply {
        author: String,
        body: String,
        on: NaiveDate,
    },
    /// A coming meeting will review the task; `reported`: its latest report, `since_called`
    /// whether that came after the meeting was called.
    MeetingAhead {
        meeting: MeetingId,
        meeting_title: String,
        day: NaiveDate,
        focus: bool,
        reported: Option<NaiveDate>,
        since_called: bool,
    },
    /// A meeting's 交办事项 about the task.
    Action {
        meeting: MeetingId,
        meeting_title: String,
        content: String,
        due: NaiveDate,
        status: ActionStatus,
        /// Past its due date and not closed.
        overdue: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    /// The plan the task is on (several can run at once, e.g. last year's and this year's).
    pub plan: PlanId,
    pub task: BoardTask,
    pub note: WorkNote,
}

/// One person's 工作台.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workbench {
    pub role: Role,
    /// The plans it covers: every published one not closed, newest first.
    pub plans: Vec<PlanRef>,
    pub as_of: NaiveDate,
    /// Every shelf of the role, empty ones included (the page says "无").
    pub shelves: Vec<(Shelf, Vec<WorkItem>)>,
}

impl Workbench {
    /// The items on `shelf`.
    pub fn shelf(&self, shelf: Shelf) -> &[WorkItem] {
        self.shelves
            .iter()
            .find(|(s, _)| *s == shelf)
            .map_or(&[], |(_, items)| items.as_slice())
    }

    /// How many things wait for this person's action (the shelves that ask for one).
    pub fn waiting(&self) -> usize {
        self.shelves
            .iter()
            .filter(|(s, _)| s.asks_action())
            .map(|(_, items)| items.len())
            .sum()
    }
}

impl Shelf {
    /// The shelves a role's 工作台 has, in page order.
    pub fn for_role(role: Role) -> &'static [Shelf] {
        match role {
            Role::UnitHead => &[
                Shelf::ToSign,
                Shelf::MeetingActions,
                Shelf::MeetingPrep,
                Shelf::DraftsToApprove,
                Shelf::Returned,
                Shelf::ReportDue,
                Shelf::MyClaims,
                Shelf::MyRequests,
                Shelf::Lead,
                Shelf::Co,
            ],
            Role::Liaison => &[
                Shelf::ReportsReturned,
                Shelf::Returned,
                Shelf::ReportDue,
                Shelf::ToSign,
                Shelf::MeetingActions,
                Shelf::MeetingPrep,
                Shelf::Lead,
                Shelf::Co,
            ],
            Role::Organizer => &[
                Shelf::ClaimsToDecide,
                Shelf::RequestsToReview,
                Shelf::AcceptanceToCheck,
                Shelf::AwaitingSign,
                Shelf::ActionsAnswered,
                Shelf::ClaimOverdue,
                Shelf::MeetingPrep,
            ],
            Role::Leader => &[
                Shelf::SignOff,
                Shelf::RequestsToDecide,
                Shelf::MeetingPrep,
                Shelf::Replies,
            ],
            Role::Viewer | Role::Admin => &[],
        }
    }

    /// Whether the items ask this person to do something (rather than inform).
    pub fn asks_action(self) -> bool {
        !matches!(
            self,
            Shelf::MyClaims
                | Shelf::MyRequests
                | Shelf::Lead
                | Shelf::Co
                | Shelf::Replies
                | Shelf::MeetingPrep
        )
    }
}

/// This month's report duty of a task under way: due by the plan's `report_day` of the month
/// of `today`, met by a report 报送ed in that month. `None` when met or not owed (not under
/// way).
pub fn report_due(
    status: TaskStatus,
    last_report: Option<NaiveDate>,
    report_day: u8,
    today: NaiveDate,
) -> Option<WorkNote> {
    if !matches!(status, TaskStatus::InProgress | TaskStatus::Returned) {
        return None;
    }
    let month_start = today.with_day(1)?;
    if last_report.is_some_and(|d| d >= month_start) {
        return None;
    }
    let due = today.with_day(u32::from(report_day))?;
    Some(WorkNote::ReportDue {
        due,
        overdue: today > due,
    })
}

/// Works out the 工作台 of a person with `role` acting for `unit` (unit roles), from the
/// current plan's facts on `today`.
pub fn assemble(
    role: Role,
    unit: Option<&UnitId>,
    plans: Vec<PlanRef>,
    facts: &WorkFacts,
    today: NaiveDate,
) -> Workbench {
    let task_of = |id: &TaskId| facts.tasks.iter().find(|t| &t.task.id == id);
    let mine = |t: &TaskFact| unit.is_some() && t.lead.as_ref() == unit;
    let recent = |on: NaiveDate| (today - on).num_days() <= DECIDED_SHOWN_DAYS;
    let item = |t: &TaskFact, note: WorkNote| WorkItem {
        plan: t.plan.clone(),
        task: t.task.clone(),
        note,
    };
    let tasks_where = |pred: &dyn Fn(&TaskFact) -> bool| -> Vec<WorkItem> {
        facts
            .tasks
            .iter()
            .filter(|t| pred(t))
            .map(|t| item(t, WorkNote::Task))
            .collect()
    };
    let shelves = Shelf::for_role(role)
        .iter()
        .map(|&shelf| {
            let items = match shelf {
                Shelf::ToSign => tasks_where(&|t| mine(t) && t.task.status == TaskStatus::Assigned),
                Shelf::Returned => {
                    tasks_where(&|t| mine(t) && t.task.status == TaskStatus::Returned)
                }
                Shelf::ReportDue => facts
                    .tasks
                    .iter()
                    .filter(|t| mine(t))
                    .filter_map(|t| {
                        report_due(t.task.status, t.last_report, t.report_day, today)
                            .map(|n| item(t, n))
                    })
                    .collect(),
                Shelf::Lead => tasks_where(&|t| mine(t)),
                Shelf::Co => tasks_where(&|t| unit.is_some_and(|u| t.co.contains(u))),
                Shelf::DraftsToApprove | Shelf::ReportsReturned => {
                    let wanted = if shelf == Shelf::DraftsToApprove {
                        ReportStatus::Draft
                    } else {
                        ReportStatus::Returned
                    };
                    facts
                        .reports
                        .iter()
                        .filter(|r| r.status == wanted && unit.is_some() && r.unit.as_ref() == unit)
                        .filter(|r| wanted == ReportStatus::Draft || recent(r.on))
                        .filter_map(|r| {
                            let note = WorkNote::Report {
                                author: r.author.clone(),
                                status: r.status,
                                note: r.note.clone(),
                                on: r.on,
                            };
                            task_of(&r.task).map(|t| item(t, note))
                        })
                        .collect()
                }
                Shelf::MyClaims | Shelf::ClaimsToDecide => facts
                    .claims
                    .iter()
                    .filter(|c| {
                        if shelf == Shelf::ClaimsToDecide {
                            c.status == ClaimStatus::Pending
                        } else {
                            unit == Some(&c.unit)
                                && (c.status == ClaimStatus::Pending
                                    || (c.status != ClaimStatus::Withdrawn && recent(c.on)))
                        }
                    })
                    .filter_map(|c| {
                        let note = WorkNote::Claim {
                            unit: c.unit_name.clone(),
                            status: c.status,
                            reason: c.reason.clone(),
                            on: c.on,
                        };
                        task_of(&c.task).map(|t| item(t, note))
                    })
                    .collect(),
                Shelf::MyRequests | Shelf::RequestsToReview | Shelf::RequestsToDecide => facts
                    .requests
                    .iter()
                    .filter(|r| match shelf {
                        Shelf::RequestsToReview => r.status == RequestStatus::PendingReview,
                        Shelf::RequestsToDecide => r.status == RequestStatus::PendingDecision,
                        _ => unit == Some(&r.unit) && (r.status.open() || recent(r.on)),
                    })
                    .filter_map(|r| {
                        let note = WorkNote::Request {
                            unit: r.unit_name.clone(),
                            kind: r.kind,
                            status: r.status,
                            new_deadline: r.new_deadline,
                            note: r.note.clone(),
                            on: r.on,
                        };
                        task_of(&r.task).map(|t| item(t, note))
                    })
                    .collect(),
                Shelf::AcceptanceToCheck => tasks_where(&|t| {
                    t.task.status == TaskStatus::Submitted && !t.task.awaiting_signoff
                }),
                Shelf::SignOff => tasks_where(&|t| t.task.awaiting_signoff),
                Shelf::ClaimOverdue => tasks_where(&|t| t.task.claim_overdue),
                Shelf::AwaitingSign => tasks_where(&|t| t.task.status == TaskStatus::Assigned),
                Shelf::MeetingActions | Shelf::ActionsAnswered => facts
                    .actions
                    .iter()
                    .filter(|a| match shelf {
                        Shelf::ActionsAnswered => a.status == ActionStatus::Answered,
                        _ => unit == Some(&a.unit) && a.status != ActionStatus::Closed,
                    })
                    .filter_map(|a| {
                        let note = WorkNote::Action {
                            meeting: a.meeting.clone(),
                            meeting_title: a.meeting_title.clone(),
                            content: a.content.clone(),
                            due: a.due,
                            status: a.status,
                            overdue: a.status.overdue(a.due, today),
                        };
                        task_of(&a.task).map(|t| item(t, note))
                    })
                    .collect(),
                Shelf::MeetingPrep => facts
                    .meetings
                    .iter()
                    .filter(|m| m.day >= today)
                    .flat_map(|m| {
                        m.agenda.iter().filter_map(move |(id, focus)| {
                            let t = task_of(id)?;
                            let shown = if unit.is_some() {
                                mine(t)
                            } else {
                                *focus
                                    || (!t.task.status.is_finished()
                                        && matches!(t.task.light, Some(Light::Red | Light::Yellow)))
                            };
                            shown.then(|| {
                                let note = WorkNote::MeetingAhead {
                                    meeting: m.id.clone(),
                                    meeting_title: m.title.clone(),
                                    day: m.day,
                                    focus: *focus,
                                    reported: t.last_report,
                                    since_called: t.last_report.is_some_and(|d| d >= m.called_on),
                                };
                                item(t, note)
                            })
                        })
                    })
                    .collect(),
                Shelf::Replies => facts
                    .replies
                    .iter()
                    .filter(|r| recent(r.on))
                    .filter_map(|r| {
                        let note = WorkNote::Reply {
                            author: r.author.clone(),
                            body: r.body.clone(),
                            on: r.on,
                        };
                        task_of(&r.task).map(|t| item(t, note))
                    })
                    .collect(),
            };
            (shelf, items)
        })
        .collect();
    Workbench {
        role,
        plans,
        as_of: today,
        shelves,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::domain::task::Percent;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).unwrap()
    }

    fn unit(s: &str) -> UnitId {
        UnitId::parse(s).unwrap()
    }

    fn task(n: u32, status: TaskStatus, lead: Option<&str>, co: &[&str]) -> TaskFact {
        TaskFact {
            plan: PlanId::parse("p").unwrap(),
            task: BoardTask {
                id: TaskId::parse(&format!("t{n}")).unwrap(),
                number: n,
                title: format!("任务{n}"),
                category: "组织建设".into(),
                lead_unit: lead.map(str::to_owned),
                owner: None,
                deadline: day(12, 31),
                status,
                percent: Percent::parse(0).unwrap(),
                expected: 0,
                light: None,
                reason: None,
                key: false,
                focus: false,
                claim_overdue: n == 9,
                days_waiting: None,
                awaiting_signoff: false,
                nodes: Vec::new(),
                co_units: Vec::new(),
                original_deadline: None,
                started_on: None,
                version: 1,
            },
            lead: lead.map(unit),
            co: co.iter().copied().map(unit).collect(),
            last_report: None,
            report_day: 25,
        }
    }

    fn numbers(bench: &Workbench, shelf: Shelf) -> Vec<u32> {
        bench.shelf(shelf).iter().map(|i| i.task.number).collect()
    }

    fn facts() -> WorkFacts {
        let mut reported = task(3, TaskStatus::InProgress, Some("ky"), &[]);
        reported.last_report = Some(day(7, 2));
        let mut stale = task(4, TaskStatus::InProgress, Some("ky"), &[]);
        stale.last_report = Some(day(6, 20));
        WorkFacts {
            tasks: vec![
                task(1, TaskStatus::Assigned, Some("ky"), &[]),
                task(2, TaskStatus::Returned, Some("ky"), &["na"]),
                reported,
                stale,
                task(5, TaskStatus::InProgress, Some("na"), &["ky"]),
                task(6, TaskStatus::Claimed, None, &[]),
                task(7, TaskStatus::Submitted, Some("na"), &[]),
                task(8, TaskStatus::Assigned, Some("na"), &[]),
                task(9, TaskStatus::Open, None, &[]),
            ],
            claims: vec![
                ClaimFact {
                    task: TaskId::parse("t6").unwrap(),
                    unit: unit("ky"),
                    unit_name: "葵涌".into(),
                    status: ClaimStatus::Pending,
                    reason: String::new(),
                    on: day(7, 20),
                },
                ClaimFact {
                    task: TaskId::parse("t6").unwrap(),
                    unit: unit("na"),
                    unit_name: "南澳".into(),
                    status: ClaimStatus::Declined,
                    reason: "已有单位牵头".into(),
                    on: day(7, 21),
                },
                // Decided long ago: off the unit's 工作台.
                ClaimFact {
                    task: TaskId::parse("t9").unwrap(),
                    unit: unit("na"),
                    unit_name: "南澳".into(),
                    status: ClaimStatus::Declined,
                    reason: "x".into(),
                    on: day(3, 1),
                },
            ],
            requests: vec![
                RequestFact {
                    task: TaskId::parse("t5").unwrap(),
                    kind: RequestKind::Extension,
                    unit: unit("na"),
                    unit_name: "南澳".into(),
                    status: RequestStatus::PendingDecision,
                    new_deadline: day(12, 31),
                    note: "同意".into(),
                    on: day(7, 25),
                },
                RequestFact {
                    task: TaskId::parse("t2").unwrap(),
                    kind: RequestKind::Cancel,
                    unit: unit("ky"),
                    unit_name: "葵涌".into(),
                    status: RequestStatus::PendingReview,
                    new_deadline: day(12, 31),
                    note: String::new(),
                    on: day(7, 26),
                },
            ],
            reports: vec![ReportFact {
                task: TaskId::parse("t3").unwrap(),
                unit: Some(unit("ky")),
                author: "蒋琳".into(),
                status: ReportStatus::Draft,
                note: String::new(),
                on: day(7, 27),
            }],
            replies: vec![ReplyFact {
                task: TaskId::parse("t5").unwrap(),
                author: "南澳 杨帆".into(),
                body: "已落实".into(),
                on: day(7, 28),
            }],
            actions: Vec::new(),
            meetings: Vec::new(),
        }
    }

    /// Every role's 工作台 from only the tasks it needs read equals the one from every task.
    fn same_from_the_tasks_needed(facts: &WorkFacts, today: NaiveDate) {
        let named = facts.named_tasks();
        for role in Role::ALL {
            let statuses = listed_statuses(role);
            for u in [None, Some(unit("ky")), Some(unit("na")), Some(unit("xx"))] {
                let needed = WorkFacts {
                    tasks: facts
                        .tasks
                        .iter()
                        .filter(|t| needs_task(&statuses, u.as_ref(), &named, t))
                        .cloned()
                        .collect(),
                    ..facts.clone()
                };
                assert_eq!(
                    assemble(role, u.as_ref(), Vec::new(), &needed, today),
                    assemble(role, u.as_ref(), Vec::new(), facts, today),
                    "{role:?} for {u:?}"
                );
            }
        }
    }

    #[test]
    fn the_tasks_needed_give_the_same_workbench_as_every_task() {
        let mut facts = facts();
        same_from_the_tasks_needed(&facts, day(7, 29));
        // With a 揭榜 window closed, a meeting ahead, 交办事项 and an acceptance passed.
        for t in &mut facts.tasks {
            t.task.claim_overdue = t.task.status == TaskStatus::Open;
            t.task.light = Some(if t.task.number % 3 == 0 {
                Light::Red
            } else {
                Light::Yellow
            });
        }
        facts.tasks[6].task.awaiting_signoff = true;
        facts
            .tasks
            .push(task(10, TaskStatus::Submitted, Some("xx"), &[]));
        facts
            .tasks
            .push(task(11, TaskStatus::InProgress, Some("xx"), &["na"]));
        facts.meetings = vec![MeetingFact {
            id: MeetingId::parse("m").unwrap(),
            title: "专题调度会".into(),
            day: day(8, 5),
            called_on: day(7, 1),
            agenda: (1..=11)
                .map(|n| (TaskId::parse(&format!("t{n}")).unwrap(), n % 2 == 0))
                .collect(),
        }];
        facts.actions = vec![ActionFact {
            task: TaskId::parse("t11").unwrap(),
            unit: unit("xx"),
            meeting: MeetingId::parse("m").unwrap(),
            meeting_title: "专题调度会".into(),
            content: "加快推进".into(),
            due: day(8, 1),
            status: ActionStatus::Answered,
        }];
        same_from_the_tasks_needed(&facts, day(7, 29));
        // Most tasks of a big plan are in progress and someone else's: not read.
        let named = facts.named_tasks();
        let far = task(12, TaskStatus::InProgress, Some("zz"), &[]);
        for role in Role::ALL {
            assert!(!needs_task(
                &listed_statuses(role),
                Some(&unit("ky")),
                &named,
                &far
            ));
        }
    }

    #[test]
    fn a_coming_meeting_is_read_ahead_by_whom_it_concerns() {
        let mut facts = facts();
        facts.tasks[4].task.light = Some(Light::Red); // task 5, 南澳's
        facts.tasks[6].task.light = Some(Light::Yellow); // task 7, submitted: not lagging
        facts.tasks[6].task.status = TaskStatus::Accepted;
        let agenda = (1..=9)
            .map(|n| (TaskId::parse(&format!("t{n}")).unwrap(), n == 2))
            .collect();
        facts.meetings = vec![
            MeetingFact {
                id: MeetingId::parse("m2").unwrap(),
                title: "专题调度会".into(),
                day: day(8, 5),
                called_on: day(7, 1),
                agenda,
            },
            // Held already (the day is past): nothing to prepare.
            MeetingFact {
                id: MeetingId::parse("m1").unwrap(),
                title: "上次调度会".into(),
                day: day(7, 1),
                called_on: day(6, 20),
                agenda: vec![(TaskId::parse("t8").unwrap(), false)],
            },
        ];
        let head = assemble(
            Role::UnitHead,
            Some(&unit("ky")),
            Vec::new(),
            &facts,
            day(7, 29),
        );
        // 葵涌's own tasks on the agenda; 3 reported after the meeting was called, 4 not.
        assert_eq!(numbers(&head, Shelf::MeetingPrep), vec![1, 2, 3, 4]);
        let since = |b: &Workbench, i: usize| match &b.shelf(Shelf::MeetingPrep)[i].note {
            WorkNote::MeetingAhead { since_called, .. } => *since_called,
            other => panic!("{other:?}"),
        };
        assert!(since(&head, 2) && !since(&head, 3));
        // A pre-read informs; it adds nothing to what waits.
        let without = assemble(
            Role::UnitHead,
            Some(&unit("ky")),
            Vec::new(),
            &WorkFacts {
                meetings: Vec::new(),
                ..facts.clone()
            },
            day(7, 29),
        );
        assert_eq!(head.waiting(), without.waiting());
        // The office and leaders: 重点研究 (2) and what is lit red or yellow and not finished (5).
        for role in [Role::Organizer, Role::Leader] {
            let b = assemble(role, None, Vec::new(), &facts, day(7, 29));
            assert_eq!(numbers(&b, Shelf::MeetingPrep), vec![2, 5], "{role:?}");
        }
        // After the meeting's day nothing is left to prepare.
        let later = assemble(Role::Organizer, None, Vec::new(), &facts, day(8, 6));
        assert!(later.shelf(Shelf::MeetingPrep).is_empty());
    }

    #[test]
    fn meeting_actions_wait_on_their_unit_until_closed_and_answered_ones_on_the_office() {
        let action = |task: &str, unit_key: &str, due: NaiveDate, status| ActionFact {
            task: TaskId::parse(task).unwrap(),
            unit: unit(unit_key),
            meeting: MeetingId::parse("m1").unwrap(),
            meeting_title: "专题调度会".into(),
            content: "交办".into(),
            due,
            status,
        };
        let mut facts = facts();
        facts.actions = vec![
            action("t5", "ky", day(7, 20), ActionStatus::Open),
            action("t2", "ky", day(8, 20), ActionStatus::Answered),
            action("t3", "ky", day(7, 1), ActionStatus::Closed),
            action("t7", "na", day(8, 20), ActionStatus::Answered),
        ];
        let head = assemble(
            Role::UnitHead,
            Some(&unit("ky")),
            Vec::new(),
            &facts,
            day(7, 29),
        );
        // Its own, open or answered (on co-operated tasks too), not the closed one.
        assert_eq!(numbers(&head, Shelf::MeetingActions), vec![5, 2]);
        assert!(matches!(
            head.shelf(Shelf::MeetingActions)[0].note,
            WorkNote::Action { overdue: true, .. }
        ));
        assert_eq!(head.waiting(), 7);
        let liaison = assemble(
            Role::Liaison,
            Some(&unit("na")),
            Vec::new(),
            &facts,
            day(7, 29),
        );
        assert_eq!(numbers(&liaison, Shelf::MeetingActions), vec![7]);
        let office = assemble(Role::Organizer, None, Vec::new(), &facts, day(7, 29));
        assert_eq!(numbers(&office, Shelf::ActionsAnswered), vec![2, 7]);
        assert!(office.shelf(Shelf::MeetingActions).is_empty());
    }

    #[test]
    fn a_unit_head_sees_what_waits_on_the_unit() {
        let b = assemble(
            Role::UnitHead,
            Some(&unit("ky")),
            Vec::new(),
            &facts(),
            day(7, 29),
        );
        assert_eq!(numbers(&b, Shelf::ToSign), vec![1]);
        assert_eq!(numbers(&b, Shelf::Returned), vec![2]);
        assert_eq!(numbers(&b, Shelf::DraftsToApprove), vec![3]);
        // Task 3 reported in July; 2 (returned) and 4 did not, and the 25th has passed.
        assert_eq!(numbers(&b, Shelf::ReportDue), vec![2, 4]);
        assert!(matches!(
            b.shelf(Shelf::ReportDue)[0].note,
            WorkNote::ReportDue { overdue: true, .. }
        ));
        assert_eq!(numbers(&b, Shelf::MyClaims), vec![6]);
        assert_eq!(numbers(&b, Shelf::MyRequests), vec![2]);
        assert_eq!(numbers(&b, Shelf::Lead), vec![1, 2, 3, 4]);
        assert_eq!(numbers(&b, Shelf::Co), vec![5]);
        // 签收, the draft, the returned task and two reports owed.
        assert_eq!(b.waiting(), 5);
    }

    #[test]
    fn another_unit_sees_its_own_and_its_declined_claim() {
        let b = assemble(
            Role::UnitHead,
            Some(&unit("na")),
            Vec::new(),
            &facts(),
            day(7, 29),
        );
        assert_eq!(numbers(&b, Shelf::ToSign), vec![8]);
        assert_eq!(numbers(&b, Shelf::DraftsToApprove), Vec::<u32>::new());
        assert_eq!(numbers(&b, Shelf::MyClaims), vec![6]);
        assert!(matches!(
            &b.shelf(Shelf::MyClaims)[0].note,
            WorkNote::Claim { status: ClaimStatus::Declined, reason, .. } if reason == "已有单位牵头"
        ));
        assert_eq!(numbers(&b, Shelf::Co), vec![2]);
    }

    #[test]
    fn the_office_and_the_leader_see_their_decisions() {
        let office = assemble(Role::Organizer, None, Vec::new(), &facts(), day(7, 29));
        assert_eq!(numbers(&office, Shelf::ClaimsToDecide), vec![6]);
        assert_eq!(numbers(&office, Shelf::RequestsToReview), vec![2]);
        assert_eq!(numbers(&office, Shelf::AcceptanceToCheck), vec![7]);
        assert_eq!(numbers(&office, Shelf::AwaitingSign), vec![1, 8]);
        assert_eq!(numbers(&office, Shelf::ClaimOverdue), vec![9]);
        let leader = assemble(Role::Leader, None, Vec::new(), &facts(), day(7, 29));
        assert_eq!(numbers(&leader, Shelf::SignOff), Vec::<u32>::new());
        assert_eq!(numbers(&leader, Shelf::RequestsToDecide), vec![5]);
        assert_eq!(numbers(&leader, Shelf::Replies), vec![5]);
        assert_eq!(leader.waiting(), 1);
        let viewer = assemble(Role::Viewer, None, Vec::new(), &facts(), day(7, 29));
        assert!(viewer.shelves.is_empty());
    }

    #[test]
    fn an_acceptance_the_office_passed_waits_for_the_leader_not_the_office() {
        let mut f = facts();
        f.tasks[6].task.awaiting_signoff = true;
        let office = assemble(Role::Organizer, None, Vec::new(), &f, day(7, 29));
        assert_eq!(
            numbers(&office, Shelf::AcceptanceToCheck),
            Vec::<u32>::new()
        );
        let leader = assemble(Role::Leader, None, Vec::new(), &f, day(7, 29));
        assert_eq!(numbers(&leader, Shelf::SignOff), vec![7]);
        assert_eq!(leader.waiting(), 2);
    }

    #[test]
    fn a_liaison_sees_no_drafts_to_approve_but_reports_sent_back() {
        let mut f = facts();
        f.reports[0].status = ReportStatus::Returned;
        f.reports[0].note = "数据不实".into();
        let b = assemble(Role::Liaison, Some(&unit("ky")), Vec::new(), &f, day(7, 29));
        assert_eq!(numbers(&b, Shelf::ReportsReturned), vec![3]);
        assert!(!b.shelves.iter().any(|(s, _)| *s == Shelf::DraftsToApprove));
    }

    #[test]
    fn the_monthly_report_is_due_by_the_plans_report_day() {
        let s = TaskStatus::InProgress;
        assert_eq!(
            report_due(s, None, 25, day(7, 10)),
            Some(WorkNote::ReportDue {
                due: day(7, 25),
                overdue: false
            })
        );
        assert_eq!(
            report_due(s, Some(day(6, 30)), 25, day(7, 26)),
            Some(WorkNote::ReportDue {
                due: day(7, 25),
                overdue: true
            })
        );
        assert_eq!(report_due(s, Some(day(7, 1)), 25, day(7, 26)), None);
        assert_eq!(
            report_due(TaskStatus::Submitted, None, 25, day(7, 26)),
            None
        );
        // A plan that reports by the 10th: on 7-26 the month's report is overdue.
        assert_eq!(
            report_due(s, Some(day(6, 30)), 10, day(7, 26)),
            Some(WorkNote::ReportDue {
                due: day(7, 10),
                overdue: true
            })
        );
        assert_eq!(report_due(TaskStatus::Assigned, None, 25, day(7, 26)), None);
    }
}
