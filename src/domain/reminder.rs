//! 提醒: before each milestone and deadline (a number of working days ahead, e.g. 5 and 1),
//! before the monthly report is due and the day after it is missed (逾期未报), to the lead
//! unit. Which reminders fall on a day is decided here; each has a key that names it once and
//! for all, so a reminder is sent once however many app instances look, and a day missed while
//! the app was down can be looked at again later without sending anything twice.

use super::calendar::WorkCalendar;
use super::ids::TaskId;
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
}

/// One reminder: its key (the same whoever computes it, whenever), its task, the day it
/// falls on, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub key: String,
    pub task: TaskId,
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

/// The reminders a run on `today` sends: those falling on today and, for the days it may have
/// missed ([`CATCH_UP_DAYS`] back), those still worth sending today (not yet past what they
/// announce). Sending them is claimed by key, so looking twice sends nothing twice.
pub fn due(
    tasks: &[ReminderFacts],
    today: NaiveDate,
    ahead: &[u32],
    calendar: &WorkCalendar,
) -> Vec<Reminder> {
    let mut out: Vec<Reminder> = Vec::new();
    for back in (0..=CATCH_UP_DAYS).rev() {
        let day = today - chrono::Duration::days(back);
        for t in tasks {
            for r in falling_on(t, day, ahead, calendar) {
                let still = match r.kind {
                    ReminderKind::Milestone { due, .. } | ReminderKind::Deadline { due, .. } => {
                        due >= today
                    }
                    ReminderKind::ReportDue { due } => due >= today,
                    // Still missing: the facts are today's.
                    ReminderKind::ReportOverdue { .. } => true,
                };
                if still && !out.iter().any(|o| o.key == r.key) {
                    out.push(r);
                }
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
        let on_29 = due(std::slice::from_ref(&t), d(7, 29), &DEFAULT_AHEAD, &cal);
        assert_eq!(on_29.len(), 1);
        // Down from 7-30 to 8-4; the run on 8-4 sends the 1-ahead one; the 5-ahead one of
        // 7-29 is found again with the same key (already sent: the store refuses it).
        let on_4 = due(std::slice::from_ref(&t), d(8, 4), &DEFAULT_AHEAD, &cal);
        let keys: Vec<&str> = on_4.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["t1/m1/2022-08-05/5", "t1/m1/2022-08-05/1"]);
        // After the milestone's day nothing about it is sent any more.
        assert!(due(std::slice::from_ref(&t), d(8, 8), &DEFAULT_AHEAD, &cal).is_empty());
    }
}
