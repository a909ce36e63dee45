//! 延期申请: the unit asks for a later 完成时限 with its reason and current progress; the
//! office reviews it first (初审), the leader decides (审定). Approved, the task's deadline
//! moves and the original one stays on record: evaluation counts from the original.

use super::error::{FieldError, Problem};
use super::fields::{Reason, date};
use super::ids::{RequestId, TaskId};
use super::task::Deadline;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a request asks: a later 完成时限 (延期), or withdrawing the task (撤项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    #[default]
    Extension,
    Cancel,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Extension => "extension",
            Self::Cancel => "cancel",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Extension, Self::Cancel]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// 待初审: waiting for the office.
    PendingReview,
    /// 待审定: the office agreed; waiting for the leader.
    PendingDecision,
    /// 已批准.
    Approved,
    /// 未批准 (by the office at 初审 or the leader at 审定).
    Rejected,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        Self::PendingReview,
        Self::PendingDecision,
        Self::Approved,
        Self::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::PendingReview => "pending_review",
            Self::PendingDecision => "pending_decision",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still waiting for someone.
    pub fn open(self) -> bool {
        matches!(self, Self::PendingReview | Self::PendingDecision)
    }
}

/// A checked request: the new deadline (later than the current one, within the plan year) and
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInput {
    pub new_deadline: Deadline,
    pub reason: Reason,
}

impl ExtensionInput {
    /// Checks a request against the task's current deadline and plan year. Every problem is
    /// reported.
    pub fn parse(
        new_deadline: &str,
        reason: &str,
        current: NaiveDate,
        plan_year: i32,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let at = |p| FieldError::new("new_deadline", p);
        let deadline = match date(new_deadline) {
            Ok(d) if d <= current => {
                errors.push(at(Problem::NotLater));
                None
            }
            Ok(d) => Deadline::parse(d, plan_year)
                .map_err(|p| errors.push(at(p)))
                .ok(),
            Err(p) => {
                errors.push(at(p));
                None
            }
        };
        let reason = Reason::parse(reason).map_err(|e| errors.push(e)).ok();
        match (deadline, reason) {
            (Some(new_deadline), Some(reason)) if errors.is_empty() => Ok(Self {
                new_deadline,
                reason,
            }),
            _ => Err(errors),
        }
    }
}

/// A stored request, as the task page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub id: RequestId,
    pub task: TaskId,
    /// 延期 or 撤项.
    #[serde(default)]
    pub kind: RequestKind,
    pub unit_name: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// 完成时限 when asked, and the one asked for.
    pub old_deadline: NaiveDate,
    pub new_deadline: NaiveDate,
    pub reason: String,
    /// 完成进度 when asked.
    pub percent: u8,
    pub status: RequestStatus,
    /// 初审: who and what they said.
    pub reviewed_by: Option<String>,
    pub review_note: String,
    /// 审定: who and what they said.
    pub decided_by: Option<String>,
    pub decision_note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).expect("date")
    }

    #[test]
    fn a_request_asks_for_a_later_date_within_the_year_with_a_reason() {
        let ok = ExtensionInput::parse("2022-12-20", "小区业委会换届,需顺延", day(11, 30), 2022)
            .expect("valid");
        assert_eq!(ok.new_deadline.date(), day(12, 20));
        assert_eq!(
            ExtensionInput::parse("2022-11-30", "", day(11, 30), 2022),
            Err(vec![
                FieldError::new("new_deadline", Problem::NotLater),
                FieldError::new("reason", Problem::Required),
            ])
        );
        assert_eq!(
            ExtensionInput::parse("2023-06-01", "跨年度实施", day(11, 30), 2022),
            Err(vec![FieldError::new(
                "new_deadline",
                Problem::OutsideYear { year: 2022 }
            )])
        );
        assert!(RequestStatus::PendingDecision.open());
        assert!(!RequestStatus::Approved.open());
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.code()), Some(s));
        }
    }
}
