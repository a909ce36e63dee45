//! 提醒: before each milestone and deadline (a number of working days ahead, e.g. 5 and 1),
//! before the monthly report is due and the day after it is missed (逾期未报), to the lead
//! unit; before a 调度会, to the lead units of its agenda tasks not reported on since it was
//! called; before a 会议交办事项 is due and the day after, while the unit has not answered it,
//! to that unit. Which reminders fall on a day is decided here; each has a key that names it once and
//! for all, so a reminder is sent once however many app instances look, and a day missed while
//! the app was down can be looked at again later without sending anything twice.

use super::calendar::WorkCalendar;
use super::ids::{ActionItemId, MeetingId, TaskId, UnitId};
use super::light::Checkpoint;
use super::task::TaskStatus;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Working days ahead of a milestone or deadline that reminders go out, unless configured.
pub const DEFAULT_AHEAD: [u32; 2] = [5, 1];
/// How many days back a run looks for reminders it missed (the app was down).
pub const CATCH_UP_DAYS: i64 = 7;

/// What the rule needs to know about a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderFacts {
    pub task: TaskId,
    pub status: TaskStatus,
    pub milestones: Vec<Checkpoint>,
    pub deadline: NaiveDate,
    /// The day of its latest 报送ed report.
    pub last_report: Option<NaiveDate>,
    /// The plan's 每月报送日.
    pub report_day: u8,
}

/// A 会议交办事项 the unit has not yet answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFacts {
    pub id: ActionItemId,
    pub task: TaskId,
    pub unit: UnitId,
    pub due: NaiveDate,
}

/// A 调度会 still to be held: the day it was called, and its agenda tasks with what their
/// reminders need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    pub id: MeetingId,
    pub day: NaiveDate,
    pub called_on: NaiveDate,
    pub tasks: Vec<ReminderFacts>,
}

/// Everything reminders are worked out from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub tasks: Vec<ReminderFacts>,
    pub actions: Vec<ActionFacts>,
    pub meetings: Vec<MeetingFacts>,
}

/// What a reminder says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReminderKind {
    /// 节点`number` is due on `due`, `working_days` working days away.
    Milestone {
        number: u32,
        due: NaiveDate,
        working_days: u32,
    },
    /// The 完成时限 is `working_days` working days away.
    Deadline { due: NaiveDate, working_days: u32 },
    /// This month's report is due by `due` and not yet 报送ed.
    ReportDue { due: NaiveDate },
    /// This month's report was due by `due` and was not 报送ed (逾期未报).
    ReportOverdue { due: NaiveDate },
    /// A 调度会 on `day`, `working_days` working days away, will review the task, and nothing
    /// was reported since it was called.
    MeetingAhead { day: NaiveDate, working_days: u32 },
    /// A 会议交办事项 is due on `due`, `working_days` working days away.
    ActionDue { due: NaiveDate, working_days: u32 },
    /// A 会议交办事项 was due on `due` and is not answered.
    ActionOverdue { due: NaiveDate },
}

/// One reminder: its key (the same whoever computes it, whenever), its task, the day it
/// falls on, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub key: String,
    pub task: TaskId,
    /// Whom it is for when not the task's lead unit (a 交办事项's unit).
    pub unit: Option<UnitId>,
    pub on: NaiveDate,
    pub kind: ReminderKind,
}

fn under_way(status: TaskStatus) -> bool {
    matches!(status, TaskStatus::InProgress | TaskStatus::Returned)
}

/// The reminders of a task that fall on `day` (reminders go out on working days only).
pub fn falling_on(
    t: &ReminderFacts,
    day: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    if !under_way(t.status) || !calendar.is_working_day(day) {
        return out;
    }
    let reminder = |key: String, kind| Reminder {
        key: format!("{}/{key}", t.task),
        task: t.task.clone(),
        unit: None,
        on: day,
        kind,
    };
    for (i, m) in t.milestones.iter().enumerate() {
        if m.reached || m.due < day {
            continue;
        }
        let working_days = calendar.working_days_between(day, m.due);
        if ahead.contains(&working_days) {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            out.push(reminder(
                format!("m{number}/{}/{working_days}", m.due),
                ReminderKind::Milestone {
                    number,
                    due: m.due,
                    working_days,
                },
            ));
        }
    }
    if t.deadline >= day {
        let working_days = calendar.working_days_between(day, t.deadline);
        if ahead.contains(&working_days) {
            out.push(reminder(
                format!("d/{}/{working_days}", t.deadline),
                ReminderKind::Deadline {
                    due: t.deadline,
                    working_days,
                },
            ));
        }
    }
    // The monthly report: a reminder the working day before it is due, and one the first
    // working day after, if it is still missing.
    let reported_in = |month_start: NaiveDate| t.last_report.is_some_and(|d| d >= month_start);
    if let Some(due) = day.with_day(u32::from(t.report_day))
        && let Some(month_start) = day.with_day(1)
        && !reported_in(month_start)
        && day < due
        && calendar.working_days_between(day, due) == 1
    {
        out.push(reminder(
            format!("r/{}-{:02}/due", due.year(), due.month()),
            ReminderKind::ReportDue { due },
        ));
    }
    if let Some(due) = day.with_day(u32::from(t.report_day))
        && let Some(month_start) = day.with_day(1)
        && !reported_in(month_start)
        && day > due
        && calendar.working_days_between(due, day) == 1
    {
        out.push(reminder(
            format!("r/{}-{:02}/overdue", due.year(), due.month()),
            ReminderKind::ReportOverdue { due },
        ));
    }
    out
}

/// The reminder before meeting `m` for one of its agenda tasks that fall on `day`: the
/// configured working days ahead, if the task is under way and not reported on since the
/// meeting was called.
pub fn meeting_falling_on(
    m: &MeetingFacts,
    t: &ReminderFacts,
    day: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Option<Reminder> {
    let reported = t.last_report.is_some_and(|d| d >= m.called_on);
    if !under_way(t.status) || reported || !calendar.is_working_day(day) || m.day <= day {
        return None;
    }
    let working_days = calendar.working_days_between(day, m.day);
    ahead.contains(&working_days).then(|| Reminder {
        key: format!("{}/meeting/{}/{working_days}", t.task, m.id),
        task: t.task.clone(),
        unit: None,
        on: day,
        kind: ReminderKind::MeetingAhead {
            day: m.day,
            working_days,
        },
    })
}

/// The reminder of an unanswered 交办事项 that falls on `day`: the configured working days
/// ahead of its due date, and the first working day after it.
pub fn action_falling_on(
    a: &ActionFacts,
    day: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Option<Reminder> {
    if !calendar.is_working_day(day) {
        return None;
    }
    let reminder = |key: String, kind| Reminder {
        key: format!("{}/action/{}/{key}", a.task, a.id),
        task: a.task.clone(),
        unit: Some(a.unit.clone()),
        on: day,
        kind,
    };
    if a.due >= day {
        let working_days = calendar.working_days_between(day, a.due);
        ahead.contains(&working_days).then(|| {
            reminder(
                format!("{working_days}"),
                ReminderKind::ActionDue {
                    due: a.due,
                    working_days,
                },
            )
        })
    } else {
        (calendar.working_days_between(a.due, day) == 1)
            .then(|| reminder("overdue".into(), ReminderKind::ActionOverdue { due: a.due }))
    }
}

impl Facts {
    /// Every reminder that falls on `day`.
    pub fn falling_on(
        &self,
        day: NaiveDate,
        ahead: &[u32],
        calendar: &WorkCalendar,
    ) -> Vec<Reminder> {
        let tasks = self
            .tasks
            .iter()
            .flat_map(|t| falling_on(t, day, ahead, calendar));
        let meetings = self.meetings.iter().flat_map(|m| {
            m.tasks
                .iter()
                .filter_map(move |t| meeting_falling_on(m, t, day, ahead, calendar))
        });
        let actions = self
            .actions
            .iter()
            .filter_map(|a| action_falling_on(a, day, ahead, calendar));
        tasks.chain(meetings).chain(actions).collect()
    }
}

/// The reminders a run on `today` sends: those falling on today and, for the days it may have
/// missed ([`CATCH_UP_DAYS`] back), those still worth sending today (not yet past what they
/// announce). Sending them is claimed by key, so looking twice sends nothing twice.
pub fn due(
    facts: &Facts,
    today: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Vec<Reminder> {
    let mut out: Vec<Reminder> = Vec::new();
    for back in (0..=CATCH_UP_DAYS).rev() {
        let day = today - chrono::Duration::days(back);
        for r in facts.falling_on(day, ahead, calendar) {
            let still = match r.kind {
                ReminderKind::Milestone { due, .. }
                | ReminderKind::Deadline { due, .. }
                | ReminderKind::ActionDue { due, .. } => due >= today,
                ReminderKind::ReportDue { due } => due >= today,
                ReminderKind::MeetingAhead { day, .. } => day > today,
                // Still missing, still unanswered: the facts are today's.
                ReminderKind::ReportOverdue { .. } | ReminderKind::ActionOverdue { .. } => true,
            };
            if still && !out.iter().any(|o| o.key == r.key) {
                out.push(r);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    fn calendar() -> WorkCalendar {
        crate::domain::calendar::national_day_2022()
    }

    fn task(milestones: Vec<Checkpoint>, last_report: Option<NaiveDate>) -> ReminderFacts {
        ReminderFacts {
            task: TaskId::parse("t1").expect("id"),
            status: TaskStatus::InProgress,
            milestones,
            deadline: d(12, 30),
            last_report,
            report_day: 25,
        }
    }

    fn point(due: NaiveDate, reached: bool) -> Checkpoint {
        Checkpoint {
            due,
            target: None,
            reached,
        }
    }

    #[test]
    fn milestones_are_announced_five_and_one_working_days_ahead() {
        // Due Wednesday 10-12: 5 working days ahead is Friday 9-30 (10-8, 10-9 worked, National
        // Day off), 1 ahead is Tuesday 10-11.
        let t = task(vec![point(d(10, 12), false)], Some(d(9, 20)));
        let cal = calendar();
        let on = |day| falling_on(&t, day, &DEFAULT_AHEAD, &cal);
        let kinds = |day| on(day).into_iter().map(|r| r.kind).collect::<Vec<_>>();
        assert_eq!(
            kinds(d(9, 30)),
            vec![ReminderKind::Milestone {
                number: 1,
                due: d(10, 12),
                working_days: 5
            }]
        );
        assert_eq!(on(d(10, 11))[0].key, "t1/m1/2022-10-12/1");
        assert!(on(d(10, 3)).is_empty(), "a holiday sends nothing");
        assert!(on(d(10, 10)).is_empty(), "2 working days ahead: nothing");
        // A reached milestone is not announced.
        let done = task(vec![point(d(10, 12), true)], Some(d(9, 20)));
        assert!(falling_on(&done, d(9, 30), &DEFAULT_AHEAD, &cal).is_empty());
    }

    #[test]
    fn the_monthly_report_is_reminded_before_and_after() {
        let cal = calendar();
        // July 2022: the 25th is a Monday; Friday 7-22 is the working day before it.
        let t = task(Vec::new(), Some(d(6, 20)));
        assert_eq!(
            falling_on(&t, d(7, 22), &DEFAULT_AHEAD, &cal)[0].kind,
            ReminderKind::ReportDue { due: d(7, 25) }
        );
        assert_eq!(
            falling_on(&t, d(7, 26), &DEFAULT_AHEAD, &cal)[0].key,
            "t1/r/2022-07/overdue"
        );
        // Reported this month: neither.
        let reported = task(Vec::new(), Some(d(7, 20)));
        assert!(falling_on(&reported, d(7, 22), &DEFAULT_AHEAD, &cal).is_empty());
        assert!(falling_on(&reported, d(7, 26), &DEFAULT_AHEAD, &cal).is_empty());
    }

    #[test]
    fn a_run_after_an_outage_catches_up_once() {
        let cal = calendar();
        // Milestone due Friday 8-5: 5 ahead is Friday 7-29, 1 ahead Thursday 8-4.
        let t = task(vec![point(d(8, 5), false)], Some(d(7, 20)));
        let facts = Facts {
            tasks: vec![t],
            ..Facts::default()
        };
        let on_29 = due(&facts, d(7, 29), &DEFAULT_AHEAD, &cal);
        assert_eq!(on_29.len(), 1);
        // Down from 7-30 to 8-4; the run on 8-4 sends the 1-ahead one; the 5-ahead one of
        // 7-29 is found again with the same key (already sent: the store refuses it).
        let on_4 = due(&facts, d(8, 4), &DEFAULT_AHEAD, &cal);
        let keys: Vec<&str> = on_4.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["t1/m1/2022-08-05/5", "t1/m1/2022-08-05/1"]);
        // After the milestone's day nothing about it is sent any more.
        assert!(due(&facts, d(8, 8), &DEFAULT_AHEAD, &cal).is_empty());
    }

    #[test]
    fn a_meeting_is_announced_to_tasks_not_reported_on_since_it_was_called() {
        let cal = calendar();
        // Called Monday 7-18 for Friday 7-29: 5 working days ahead is Friday 7-22, 1 ahead
        // Thursday 7-28.
        let meeting = |tasks| MeetingFacts {
            id: MeetingId::parse("m1").expect("id"),
            day: d(7, 29),
            called_on: d(7, 18),
            tasks,
        };
        let stale = task(Vec::new(), Some(d(7, 10)));
        let m = meeting(vec![stale.clone()]);
        let r = meeting_falling_on(&m, &stale, d(7, 28), &DEFAULT_AHEAD, &cal).expect("due");
        assert_eq!(r.key, "t1/meeting/m1/1");
        assert_eq!(
            r.kind,
            ReminderKind::MeetingAhead {
                day: d(7, 29),
                working_days: 1
            }
        );
        assert!(meeting_falling_on(&m, &stale, d(7, 22), &DEFAULT_AHEAD, &cal).is_some());
        assert!(meeting_falling_on(&m, &stale, d(7, 25), &DEFAULT_AHEAD, &cal).is_none());
        // Reported after it was called, or not under way: nothing to remind.
        let fresh = task(Vec::new(), Some(d(7, 20)));
        assert!(meeting_falling_on(&m, &fresh, d(7, 28), &DEFAULT_AHEAD, &cal).is_none());
        let mut waiting = stale.clone();
        waiting.status = TaskStatus::Assigned;
        assert!(meeting_falling_on(&m, &waiting, d(7, 28), &DEFAULT_AHEAD, &cal).is_none());
        // The meeting day and after: nothing.
        assert!(meeting_falling_on(&m, &stale, d(7, 29), &DEFAULT_AHEAD, &cal).is_none());
    }

    #[test]
    fn an_unanswered_action_item_is_reminded_to_its_unit_before_and_after_it_is_due() {
        let cal = calendar();
        let unit = UnitId::parse("kysd").expect("unit");
        let item = ActionFacts {
            id: ActionItemId::parse("a1").expect("id"),
            task: TaskId::parse("t1").expect("id"),
            unit: unit.clone(),
            due: d(8, 19),
        };
        // Due Friday 8-19: 5 working days ahead is Friday 8-12, 1 ahead Thursday 8-18; the
        // first working day after is Monday 8-22.
        let on = |day| action_falling_on(&item, day, &DEFAULT_AHEAD, &cal);
        assert_eq!(
            on(d(8, 12)).map(|r| r.kind),
            Some(ReminderKind::ActionDue {
                due: d(8, 19),
                working_days: 5
            })
        );
        let after = on(d(8, 22)).expect("overdue");
        assert_eq!(after.key, "t1/action/a1/overdue");
        assert_eq!(after.unit, Some(unit));
        assert_eq!(after.kind, ReminderKind::ActionOverdue { due: d(8, 19) });
        assert!(on(d(8, 16)).is_none());
        assert!(on(d(8, 20)).is_none(), "a Saturday sends nothing");
        assert!(on(d(8, 23)).is_none(), "overdue is said once");
        // A run on 8-23 after an outage still sends the overdue one; nothing before it.
        let facts = Facts {
            actions: vec![item.clone()],
            ..Facts::default()
        };
        let keys: Vec<String> = due(&facts, d(8, 23), &DEFAULT_AHEAD, &cal)
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, vec!["t1/action/a1/overdue".to_owned()]);
    }
}
