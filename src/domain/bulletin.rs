//! 督办通报: the plan's state as the 督查室 reports it each month (or whenever asked) — how
//! many tasks stand at each light, unit by unit, and every red and yellow task with its reason
//! and what was done to press it (催办 and 督办单, answered or not). Compiled from the board and
//! the supervision record; nothing here is stored.

use super::PlanSummary;
use super::light::Light;
use super::supervision::{Supervision, SupervisionKind};
use super::task::TaskStatus;
use super::views::{Board, BoardTask, Tally};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One lead unit's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTally {
    /// The lead unit's name; `None`: tasks without one yet (待揭榜).
    pub unit: Option<String>,
    pub tally: Tally,
}

/// A red or yellow task with everything done to press it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flagged {
    pub task: BoardTask,
    /// Its 催办 and 督办单 this year, oldest first.
    pub pressed: Vec<Supervision>,
}

/// The 督办通报.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bulletin {
    pub plan: PlanSummary,
    pub as_of: NaiveDate,
    /// 第N期: the month it reports on.
    pub issue: u32,
    /// The first day of that month: 催办 and 督办单 from here count as this issue's.
    pub period_from: NaiveDate,
    pub totals: Tally,
    /// Lead units, the most red first, then the most yellow, then by name.
    pub units: Vec<UnitTally>,
    pub red: Vec<Flagged>,
    pub yellow: Vec<Flagged>,
    /// This month's 催办 and 督办单 by kind (every kind, mildest first).
    pub pressed_this_month: Vec<(SupervisionKind, u32)>,
    /// 逾期未反馈 on `as_of`, whenever sent.
    pub unanswered: u32,
}

/// Compiles the bulletin from the board (as of its date) and the plan's supervision record.
pub fn compile(board: &Board, supervisions: &[Supervision]) -> Bulletin {
    let as_of = board.as_of;
    let period_from = as_of.with_day(1).unwrap_or(as_of);
    let mut totals = Tally::default();
    let mut units: Vec<UnitTally> = Vec::new();
    for task in &board.tasks {
        totals.add(task, as_of);
        match units.iter_mut().find(|u| u.unit == task.lead_unit) {
            Some(line) => line.tally.add(task, as_of),
            None => {
                let mut tally = Tally::default();
                tally.add(task, as_of);
                units.push(UnitTally {
                    unit: task.lead_unit.clone(),
                    tally,
                });
            }
        }
    }
    units.sort_by(|a, b| {
        (b.tally.red, b.tally.yellow)
            .cmp(&(a.tally.red, a.tally.yellow))
            // Units before the line of tasks without one; then by name.
            .then_with(|| a.unit.is_none().cmp(&b.unit.is_none()))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let flagged = |light: Light| -> Vec<Flagged> {
        board
            .tasks
            .iter()
            .filter(|t| {
                matches!(t.status, TaskStatus::InProgress | TaskStatus::Returned)
                    && t.light == Some(light)
            })
            .map(|t| {
                let mut pressed: Vec<Supervision> = supervisions
                    .iter()
                    .filter(|s| s.task == t.id)
                    .cloned()
                    .collect();
                pressed.sort_by_key(|s| s.at);
                Flagged {
                    task: t.clone(),
                    pressed,
                }
            })
            .collect()
    };
    let this_month = |kind: SupervisionKind| {
        let n = supervisions
            .iter()
            .filter(|s| s.kind == kind && s.day >= period_from && s.day <= as_of)
            .count();
        (kind, u32::try_from(n).unwrap_or(u32::MAX))
    };
    Bulletin {
        plan: board.plan.clone(),
        as_of,
        issue: as_of.month(),
        period_from,
        totals,
        units,
        red: flagged(Light::Red),
        yellow: flagged(Light::Yellow),
        pressed_this_month: SupervisionKind::ALL.into_iter().map(this_month).collect(),
        unanswered: u32::try_from(supervisions.iter().filter(|s| s.overdue(as_of)).count())
            .unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::domain::ids::{SupervisionId, TaskId};
    use crate::domain::{Percent, PlanId, PlanStatus};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).unwrap()
    }

    fn task(n: u32, unit: Option<&str>, status: TaskStatus, light: Option<Light>) -> BoardTask {
        BoardTask {
            id: TaskId::parse(&format!("t-{n}")).unwrap(),
            number: n,
            title: format!("任务{n}"),
            category: "组织建设".into(),
            lead_unit: unit.map(str::to_owned),
            owner: None,
            deadline: d(12, 31),
            status,
            percent: Percent::parse(40).unwrap(),
            expected: 50,
            light,
            reason: None,
            key: false,
            focus: false,
            claim_overdue: false,
            days_waiting: None,
            awaiting_signoff: false,
            nodes: Vec::new(),
            co_units: Vec::new(),
            original_deadline: None,
            started_on: None,
            version: 1,
        }
    }

    fn pressed(
        n: u32,
        task: u32,
        kind: SupervisionKind,
        day: NaiveDate,
        answered: bool,
    ) -> Supervision {
        Supervision {
            id: SupervisionId::parse(&format!("s-{n}")).unwrap(),
            task: TaskId::parse(&format!("t-{task}")).unwrap(),
            kind,
            year: 2022,
            number: kind.is_notice().then_some(n),
            unit_name: "葵涌街道党建办".into(),
            issued_by: "组织科 王芳".into(),
            at: day.and_hms_opt(9, 0, 0).unwrap().and_utc(),
            day,
            facts: String::new(),
            requirement: "请报送整改措施".into(),
            feedback_by: day + chrono::Duration::days(7),
            feedback: answered.then(|| "已落实".to_owned()),
            answered_by: None,
            answered_at: None,
        }
    }

    fn board(tasks: Vec<BoardTask>) -> Board {
        Board::new(
            PlanSummary {
                id: PlanId::parse("p").unwrap(),
                year: 2022,
                title: "2022年度党建重点任务".into(),
                issuer: "组织人事局".into(),
                status: PlanStatus::Running,
                categories: vec!["组织建设".into()],
                light_settings: Default::default(),
                claim_window: None,
                report_day: 25,
                version: 1,
            },
            vec![],
            d(7, 29),
            tasks,
            false,
        )
    }

    #[test]
    fn counts_by_light_and_unit_worst_first_with_the_pressing_behind_each_task() {
        use Light::*;
        use TaskStatus::*;
        let b = board(vec![
            task(1, Some("葵涌"), InProgress, Some(Red)),
            task(2, Some("葵涌"), InProgress, Some(Yellow)),
            task(3, Some("南澳"), InProgress, Some(Green)),
            task(4, Some("南澳"), Accepted, Some(Green)),
            task(5, Some("大鹏"), Returned, Some(Yellow)),
            task(6, None, Open, None),
            task(7, Some("南澳"), Submitted, Some(Green)),
            task(8, Some("大鹏"), Cancelled, None),
        ]);
        let record = vec![
            pressed(1, 1, SupervisionKind::Yellow, d(7, 5), true),
            pressed(2, 1, SupervisionKind::Urge, d(6, 20), false),
            pressed(3, 2, SupervisionKind::Blue, d(7, 20), false),
            pressed(4, 3, SupervisionKind::Urge, d(7, 28), true),
        ];
        let bulletin = compile(&b, &record);
        assert_eq!(
            bulletin.totals,
            Tally {
                total: 8,
                green: 1,
                yellow: 2,
                red: 1,
                submitted: 1,
                accepted: 1,
                waiting: 1,
                cancelled: 1,
                overdue: 0,
                // Seven tasks that count, each at 40%.
                percent_total: 280,
            }
        );
        assert_eq!(bulletin.totals.completion(), 14, "1 of 7 that count");
        let order: Vec<Option<&str>> = bulletin.units.iter().map(|u| u.unit.as_deref()).collect();
        assert_eq!(order, [Some("葵涌"), Some("大鹏"), Some("南澳"), None]);
        assert_eq!(bulletin.red.len(), 1);
        let days: Vec<NaiveDate> = bulletin.red[0].pressed.iter().map(|s| s.day).collect();
        assert_eq!(days, [d(6, 20), d(7, 5)], "oldest first");
        let yellow: Vec<u32> = bulletin.yellow.iter().map(|f| f.task.number).collect();
        assert_eq!(yellow, [2, 5]);
        assert_eq!(bulletin.issue, 7);
        // July's: one yellow notice, one blue, one 催办 (June's does not count).
        assert_eq!(
            bulletin.pressed_this_month,
            vec![
                (SupervisionKind::Urge, 1),
                (SupervisionKind::Blue, 1),
                (SupervisionKind::Yellow, 1),
                (SupervisionKind::Red, 0),
            ]
        );
        // Unanswered past their date on 7-29: the June 催办 (due 6-27) and the blue notice (7-27).
        assert_eq!(bulletin.unanswered, 2);
    }
}
