//! 催办 and 三色督办单: the office presses a lagging task. A 催办 is a note with a date for the
//! unit's 反馈; a 督办单 is a numbered notice that escalates by colour — 蓝色 (提醒, a
//! deadline near), 黄色 (督办, behind), 红色 (通报, overdue) — printed on A4 and sent to the lead
//! unit's head and the task's 分管领导. The unit's 反馈 closes it; one left unanswered past its
//! date is 逾期未反馈 and may be escalated to the next colour.

use super::error::{Errors, FieldError, Problem};
use super::fields::{date, text};
use super::ids::{SupervisionId, TaskId};
use super::task::TaskStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What the office sends, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum SupervisionKind {
    /// 催办: a note.
    Urge,
    /// 蓝色督办单 (提醒).
    Blue,
    /// 黄色督办单 (督办).
    Yellow,
    /// 红色督办单 (通报).
    Red,
}

impl SupervisionKind {
    pub const ALL: [Self; 4] = [Self::Urge, Self::Blue, Self::Yellow, Self::Red];

    pub fn code(self) -> &'static str {
        match self {
            Self::Urge => "urge",
            Self::Blue => "blue",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether it is a numbered 督办单 (not a 催办).
    pub fn is_notice(self) -> bool {
        self != Self::Urge
    }

    /// The next colour up, for a notice left unanswered (红色 is the last).
    pub fn escalated(self) -> Option<Self> {
        match self {
            Self::Urge => Some(Self::Blue),
            Self::Blue => Some(Self::Yellow),
            Self::Yellow => Some(Self::Red),
            Self::Red => None,
        }
    }
}

impl TryFrom<String> for SupervisionKind {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code).ok_or_else(|| format!("unknown supervision kind `{code}`"))
    }
}

/// Longest 督办要求 or 反馈, in characters.
pub const TEXT_MAX: u32 = 1000;
/// Latest 反馈时限, in days from today.
pub const FEEDBACK_DAYS_MAX: i64 = 90;

/// A checked 催办 or 督办单 as the office's form sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionInput {
    pub kind: SupervisionKind,
    /// 督办要求: what the unit must do.
    pub requirement: String,
    /// 反馈时限: by when the unit answers.
    pub feedback_by: NaiveDate,
}

impl SupervisionInput {
    /// Checks the form: the requirement said (2–1000 characters), the feedback date after today
    /// and within [`FEEDBACK_DAYS_MAX`] days.
    pub fn parse(
        kind: SupervisionKind,
        requirement: &str,
        feedback_by: &str,
        today: NaiveDate,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let requirement = errors
            .take(text(requirement, 2, TEXT_MAX).map_err(|p| FieldError::new("requirement", p)));
        let feedback_by = errors.take(
            date(feedback_by)
                .and_then(|d| {
                    if d <= today {
                        Err(Problem::NotInFuture)
                    } else if (d - today).num_days() > FEEDBACK_DAYS_MAX {
                        Err(Problem::OutOfRange {
                            min: 1,
                            max: FEEDBACK_DAYS_MAX,
                        })
                    } else {
                        Ok(d)
                    }
                })
                .map_err(|p| FieldError::new("feedback_by", p)),
        );
        errors.finish(|| {
            Some(Self {
                kind,
                requirement: requirement?,
                feedback_by: feedback_by?,
            })
        })
    }
}

/// The unit's 反馈, checked: 2–1000 characters.
pub fn feedback(raw: &str) -> Result<String, FieldError> {
    text(raw, 2, TEXT_MAX).map_err(|p| FieldError::new("feedback", p))
}

/// Whether a task can be pressed: only while its unit works on it.
pub fn may_be_supervised(status: TaskStatus) -> bool {
    matches!(status, TaskStatus::InProgress | TaskStatus::Returned)
}

/// A 催办 or 督办单 as the task page and the printed notice show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    pub id: SupervisionId,
    pub task: TaskId,
    pub kind: SupervisionKind,
    /// 督办〔2022〕3号 for a notice: the year and its number in the year; none for a 催办.
    pub year: i32,
    pub number: Option<u32>,
    /// 主送: the lead unit when it was sent.
    pub unit_name: String,
    pub issued_by: String,
    pub at: DateTime<Utc>,
    /// The office's day it was sent on: the date the notice bears.
    pub day: NaiveDate,
    /// 督办事项: the facts as the system saw them (light, reason, progress).
    pub facts: String,
    pub requirement: String,
    pub feedback_by: NaiveDate,
    /// The unit's 反馈, once given.
    pub feedback: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl Supervision {
    /// Past its 反馈时限 and not answered (逾期未反馈) on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.feedback.is_none() && today > self.feedback_by
    }
}

/// A printed 督办单 with the task it presses (the notice page reads this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSheet {
    pub notice: Supervision,
    pub task_number: u32,
    pub task_title: String,
    pub deadline: NaiveDate,
    /// The office that sends it (the plan's issuer).
    pub issuer: String,
    /// 抄送: the task's 分管领导.
    pub supervisor: Option<String>,
    pub as_of: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    #[test]
    fn a_notice_says_what_and_by_when() {
        let ok = SupervisionInput::parse(
            SupervisionKind::Yellow,
            "请于8月5日前报送整改措施",
            "2022-08-05",
            d(7, 29),
        )
        .expect("valid");
        assert_eq!(ok.feedback_by, d(8, 5));
        assert_eq!(
            SupervisionInput::parse(SupervisionKind::Blue, " ", "2022-07-29", d(7, 29)),
            Err(vec![
                FieldError::new("requirement", Problem::Required),
                FieldError::new("feedback_by", Problem::NotInFuture),
            ])
        );
        assert_eq!(
            SupervisionInput::parse(SupervisionKind::Red, "限期整改", "2022-12-30", d(7, 29)),
            Err(vec![FieldError::new(
                "feedback_by",
                Problem::OutOfRange { min: 1, max: 90 }
            )])
        );
        assert!(feedback("已落实").is_ok());
        assert!(feedback("").is_err());
    }

    #[test]
    fn colours_escalate_to_red_and_stop() {
        assert_eq!(
            SupervisionKind::Blue.escalated(),
            Some(SupervisionKind::Yellow)
        );
        assert_eq!(
            SupervisionKind::Yellow.escalated(),
            Some(SupervisionKind::Red)
        );
        assert_eq!(SupervisionKind::Red.escalated(), None);
        assert!(!SupervisionKind::Urge.is_notice());
        for k in SupervisionKind::ALL {
            assert_eq!(SupervisionKind::parse(k.code()), Some(k));
        }
        assert!(may_be_supervised(TaskStatus::Returned));
        assert!(!may_be_supervised(TaskStatus::Accepted));
    }
}
