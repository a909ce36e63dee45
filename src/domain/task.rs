//! Tasks (重点任务): status, validated fields and the shapes the pages read.

use super::ids::TaskId;
use super::plan::PlanSummary;
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

/// One dated goal of a task (推进目标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is to be reached.
    pub title: String,
    /// When it is due.
    pub due: NaiveDate,
    /// Whether it has been reached.
    pub done: bool,
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
    /// 完成时限.
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub percent: Percent,
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
    /// 牵头单位.
    pub lead_unit: Option<String>,
    /// 配合单位.
    pub co_units: Vec<String>,
    /// 完成时限.
    pub deadline: NaiveDate,
    /// 推进目标, in date order.
    pub milestones: Vec<Milestone>,
    /// 验收标准, in order.
    pub criteria: Vec<String>,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 重点讨论.
    pub focus: bool,
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

    #[test]
    fn percent_bounds() {
        assert_eq!(Percent::parse(0).map(Percent::value), Ok(0));
        assert_eq!(Percent::parse(100).map(Percent::value), Ok(100));
        assert!(Percent::parse(101).is_err());
        assert!(Percent::parse(-1).is_err());
    }
}
