//! Tasks (重点任务): status, validated fields and the shapes the pages read.

use super::ids::TaskId;
use super::light::Light;
use super::plan::PlanSummary;
use super::report::ProgressReport;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a task stands in its life: 待认领 → 已认领 → 推进中 → 待验收 → 已销号,
/// with 退回整改 and 已撤销 on the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 待认领: posted, nobody has claimed it yet.
    Open,
    /// 已认领: a unit claimed it; the office has not started it yet.
    Claimed,
    /// 推进中: owned and being worked on.
    InProgress,
    /// 待验收: the owner says it is done; waiting for acceptance.
    Submitted,
    /// 已销号: accepted and closed.
    Accepted,
    /// 退回整改: acceptance refused, back to the owner with reasons.
    Returned,
    /// 已撤销: withdrawn from the plan.
    Cancelled,
}

impl TaskStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [TaskStatus; 7] = [
        TaskStatus::Open,
        TaskStatus::Claimed,
        TaskStatus::InProgress,
        TaskStatus::Submitted,
        TaskStatus::Accepted,
        TaskStatus::Returned,
        TaskStatus::Cancelled,
    ];

    /// The code name stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Claimed => "claimed",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Submitted => "submitted",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Returned => "returned",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a code name; `None` for anything else.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether progress may be reported: only while the work is under way.
    pub fn accepts_reports(self) -> bool {
        matches!(self, TaskStatus::InProgress | TaskStatus::Returned)
    }

    /// The label users read.
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Open => "待认领",
            TaskStatus::Claimed => "已认领",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Submitted => "待验收",
            TaskStatus::Accepted => "已销号",
            TaskStatus::Returned => "退回整改",
            TaskStatus::Cancelled => "已撤销",
        }
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A task title: trimmed, 2 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskTitle(String);

impl TaskTitle {
    /// Shortest title accepted, in characters.
    pub const MIN_CHARS: usize = 2;
    /// Longest title accepted, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Trims and checks the length (in characters, not bytes: titles are Chinese).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let title = raw.trim();
        let chars = title.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!("任务名称至少 {} 个字", Self::MIN_CHARS));
        }
        if chars > Self::MAX_CHARS {
            return Err(format!("任务名称最多 {} 个字", Self::MAX_CHARS));
        }
        Ok(Self(title.to_owned()))
    }

    /// The title text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A completion percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(u8);

impl Percent {
    /// Checks the range.
    pub fn parse(value: i64) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Self)
            .ok_or_else(|| format!("完成进度须在 0 到 100 之间,收到 {value}"))
    }

    /// The value, 0..=100.
    pub fn value(self) -> u8 {
        self.0
    }
}

/// Days after the end of the plan year that a deadline may still fall on.
pub const DEADLINE_GRACE_DAYS: i64 = 90;

/// 完成时限: a date within the plan year (plus [`DEADLINE_GRACE_DAYS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Deadline(NaiveDate);

impl Deadline {
    /// Checks the date against the plan year.
    pub fn parse(date: NaiveDate, plan_year: i32) -> Result<Self, String> {
        let first = NaiveDate::from_ymd_opt(plan_year, 1, 1);
        let last = NaiveDate::from_ymd_opt(plan_year, 12, 31)
            .map(|d| d + chrono::Duration::days(DEADLINE_GRACE_DAYS));
        match (first, last) {
            (Some(first), Some(last)) if date >= first && date <= last => Ok(Self(date)),
            _ => Err(format!("完成时限 {date} 须在 {plan_year} 年度内")),
        }
    }

    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// One dated goal of a task (推进目标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is to be reached.
    pub title: String,
    /// When it is due.
    pub due: NaiveDate,
    /// When it was reached, if it was.
    pub done_on: Option<NaiveDate>,
}

impl Milestone {
    /// Whether it has been reached.
    pub fn done(&self) -> bool {
        self.done_on.is_some()
    }
}

/// Checks a task's milestones: titles filled in (at most 200 characters), dates in order,
/// none before the plan year or after the deadline, done dates not before the plan year.
pub fn validate_milestones(
    milestones: &[Milestone],
    deadline: Deadline,
    plan_year: i32,
) -> Result<(), String> {
    let year_start = NaiveDate::from_ymd_opt(plan_year, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut previous: Option<NaiveDate> = None;
    for (i, m) in milestones.iter().enumerate() {
        let n = i + 1;
        let chars = m.title.trim().chars().count();
        if chars == 0 {
            return Err(format!("第 {n} 个推进目标内容为空"));
        }
        if chars > 200 {
            return Err(format!("第 {n} 个推进目标最多 200 个字"));
        }
        if m.due > deadline.date() {
            return Err(format!(
                "第 {n} 个推进目标日期 {} 晚于完成时限 {}",
                m.due,
                deadline.date()
            ));
        }
        if m.due < year_start {
            return Err(format!(
                "第 {n} 个推进目标日期 {} 早于 {plan_year} 年度",
                m.due
            ));
        }
        if previous.is_some_and(|p| m.due < p) {
            return Err("推进目标须按日期先后排列".to_owned());
        }
        if m.done_on.is_some_and(|d| d < year_start) {
            return Err(format!("第 {n} 个推进目标的完成日期早于 {plan_year} 年度"));
        }
        previous = Some(m.due);
    }
    Ok(())
}

/// One acceptance criterion (验收标准) and, once reviewed, whether it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub text: String,
    /// `None` until acceptance review; then met or not.
    pub met: Option<bool>,
    /// The reviewer's note.
    pub note: String,
}

impl Criterion {
    /// Checks a list of criteria as entered: blank lines dropped, each at most 200 characters.
    pub fn parse_list<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Self>, String> {
        texts
            .iter()
            .map(|t| t.as_ref().trim())
            .filter(|t| !t.is_empty())
            .enumerate()
            .map(|(i, t)| {
                if t.chars().count() > 200 {
                    Err(format!("第 {} 条验收标准最多 200 个字", i + 1))
                } else {
                    Ok(Self {
                        text: t.to_owned(),
                        met: None,
                        note: String::new(),
                    })
                }
            })
            .collect()
    }
}

/// A task may be published only with at least one acceptance criterion.
pub fn check_publishable(number: u32, criteria: &[Criterion]) -> Result<(), String> {
    if criteria.is_empty() {
        Err(format!("第 {number} 项任务至少需要一条验收标准才能发布"))
    } else {
        Ok(())
    }
}

/// 定人定岗定责: who answers for a task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Responsibility {
    /// 牵头单位 (its id, for deciding who may act).
    pub lead_unit_id: Option<super::ids::UnitId>,
    /// 牵头单位.
    pub lead_unit: Option<String>,
    /// 配合单位.
    pub co_units: Vec<String>,
    /// 责任人.
    pub owner: Option<String>,
    /// 岗位.
    pub post: String,
    /// 分管领导.
    pub supervisor: Option<String>,
}

/// A task as one cell of the plan board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardTask {
    pub id: TaskId,
    /// Position on the plan's list, 1..N.
    pub number: u32,
    pub title: String,
    pub category: String,
    /// 牵头单位, if fixed yet.
    pub lead_unit: Option<String>,
    /// 责任人, if fixed yet.
    pub owner: Option<String>,
    /// 完成时限.
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 序时进度 on the board's date.
    pub expected: u8,
    /// 红黄绿灯 on the board's date (`None` for cancelled tasks).
    pub light: Option<Light>,
    /// 重点任务.
    pub key: bool,
    /// 重点讨论.
    pub focus: bool,
}

/// Everything the task page shows about one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub id: TaskId,
    pub plan: PlanSummary,
    pub number: u32,
    pub title: String,
    pub category: String,
    pub description: String,
    pub responsibility: Responsibility,
    /// 完成时限.
    pub deadline: NaiveDate,
    /// 推进目标, in date order.
    pub milestones: Vec<Milestone>,
    /// 验收标准, in order.
    pub criteria: Vec<Criterion>,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 序时进度 on `as_of`.
    pub expected: u8,
    pub light: Option<Light>,
    /// The date lights and expected progress are computed for.
    pub as_of: NaiveDate,
    pub key: bool,
    pub focus: bool,
    /// Optimistic-concurrency version; an update must name the version it read.
    pub version: u32,
    /// Progress reports, newest first.
    pub reports: Vec<ProgressReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).expect("serialize"),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(TaskStatus::parse("done"), None);
    }

    #[test]
    fn title_counts_characters_not_bytes() {
        assert!(TaskTitle::parse("党建").is_ok());
        assert!(TaskTitle::parse(" 党 ").is_err());
        assert!(TaskTitle::parse(&"建".repeat(100)).is_ok());
        assert!(TaskTitle::parse(&"建".repeat(101)).is_err());
        assert_eq!(
            TaskTitle::parse("  支部建在小区上 ").map(|t| t.as_str().to_owned()),
            Ok("支部建在小区上".to_owned())
        );
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).expect("date")
    }

    fn milestone(m: u32, d: u32) -> Milestone {
        Milestone {
            title: "目标".into(),
            due: date(m, d),
            done_on: None,
        }
    }

    #[test]
    fn deadline_within_plan_year_plus_grace() {
        assert!(Deadline::parse(date(1, 1), 2022).is_ok());
        assert!(Deadline::parse(date(12, 31), 2022).is_ok());
        let grace_end = date(12, 31) + chrono::Duration::days(DEADLINE_GRACE_DAYS);
        assert!(Deadline::parse(grace_end, 2022).is_ok());
        assert!(Deadline::parse(grace_end + chrono::Duration::days(1), 2022).is_err());
        assert!(Deadline::parse(NaiveDate::from_ymd_opt(2021, 12, 31).expect("d"), 2022).is_err());
    }

    #[test]
    fn milestones_ordered_and_within_deadline() {
        let deadline = Deadline::parse(date(12, 31), 2022).expect("deadline");
        assert!(
            validate_milestones(
                &[milestone(5, 31), milestone(8, 20), milestone(12, 31)],
                deadline,
                2022
            )
            .is_ok()
        );
        assert!(validate_milestones(&[], deadline, 2022).is_ok());
        let err = validate_milestones(&[milestone(8, 20), milestone(5, 31)], deadline, 2022);
        assert_eq!(err, Err("推进目标须按日期先后排列".to_owned()));
        let early = Deadline::parse(date(8, 1), 2022).expect("deadline");
        assert!(validate_milestones(&[milestone(8, 20)], early, 2022).is_err());
        let before_year = Milestone {
            due: NaiveDate::from_ymd_opt(2021, 12, 1).expect("d"),
            ..milestone(1, 1)
        };
        assert!(validate_milestones(&[before_year], deadline, 2022).is_err());
        let blank = Milestone {
            title: "  ".into(),
            ..milestone(5, 1)
        };
        assert!(validate_milestones(&[blank], deadline, 2022).is_err());
    }

    #[test]
    fn criteria_drop_blank_lines_and_gate_publishing() {
        let list = Criterion::parse_list(&["  覆盖率100% ", "", "有台账"]).expect("valid");
        assert_eq!(
            list.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            vec!["覆盖率100%", "有台账"]
        );
        assert!(list.iter().all(|c| c.met.is_none()));
        assert!(Criterion::parse_list(&["字".repeat(201)]).is_err());
        assert!(check_publishable(3, &list).is_ok());
        assert_eq!(
            check_publishable(3, &[]),
            Err("第 3 项任务至少需要一条验收标准才能发布".to_owned())
        );
    }

    #[test]
    fn percent_bounds() {
        assert_eq!(Percent::parse(0).map(Percent::value), Ok(0));
        assert_eq!(Percent::parse(100).map(Percent::value), Ok(100));
        assert!(Percent::parse(101).is_err());
        assert!(Percent::parse(-1).is_err());
    }
}
