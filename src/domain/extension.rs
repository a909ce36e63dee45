//! 延期申请, 调整申请 and 撤项申请: the unit asks for a later 完成时限, for changed 推进目标 /
//! 验收标准, or for the task to be withdrawn, with its reason and current progress; the office
//! reviews it first (初审), the leader decides (审定). Approved, a task's deadline moves and the
//! original one stays on record: evaluation counts from the original.

use super::error::{FieldError, Problem};
use super::fields::{Reason, date};
use super::ids::{RequestId, TaskId};
use super::task::{
    Adjustment, Criterion, Deadline, Goals, GoalsForm, GoalsInput, Milestone, carry_over,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a request asks: a later 完成时限 (延期), changed 推进目标 / 验收标准 (调整), or
/// withdrawing the task (撤项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    #[default]
    Extension,
    Cancel,
    Adjust,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Extension => "extension",
            Self::Cancel => "cancel",
            Self::Adjust => "adjust",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Extension, Self::Cancel, Self::Adjust]
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

/// The goals a 调整申请 proposes, as they would stand once approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalsProposal {
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<String>,
}

impl GoalsProposal {
    /// The goals after approval: the proposal, with what it keeps of the task as it stands
    /// then (reached milestones, checked criteria) carried over.
    pub fn apply(
        &self,
        milestones: &[Milestone],
        criteria: &[Criterion],
    ) -> (Vec<Milestone>, Vec<Criterion>) {
        let mut after_milestones = self.milestones.clone();
        let mut after_criteria: Vec<Criterion> = self
            .criteria
            .iter()
            .map(|text| Criterion {
                text: text.clone(),
                met: None,
                note: String::new(),
                self_check: String::new(),
            })
            .collect();
        carry_over(
            &mut after_milestones,
            &mut after_criteria,
            milestones,
            criteria,
        );
        (after_milestones, after_criteria)
    }
}

/// A checked 调整申请: the proposed goals, what they change, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentInput {
    pub proposal: GoalsProposal,
    pub change: Adjustment,
    pub reason: Reason,
}

impl AdjustmentInput {
    /// Checks the proposed goals as the task form would (within the plan year, not after the
    /// deadline, at least one criterion) against the task's goals as they stand. A proposal
    /// that changes nothing is refused. A unit cannot mark a milestone reached this way: that
    /// is what a report does.
    pub fn parse(
        form: &GoalsForm,
        reason: &str,
        deadline: NaiveDate,
        milestones: &[Milestone],
        criteria: &[Criterion],
        plan_year: i32,
    ) -> Result<Self, Vec<FieldError>> {
        let goals = GoalsInput::parse(form, deadline, plan_year);
        let reason = Reason::parse(reason);
        let (goals, reason) = match (goals, reason) {
            (Ok(goals), Ok(reason)) => (goals, reason),
            (goals, reason) => {
                let mut errors = goals.err().unwrap_or_default();
                errors.extend(reason.err());
                return Err(errors);
            }
        };
        let proposal = GoalsProposal {
            milestones: goals
                .milestones
                .into_iter()
                .map(|m| Milestone { done_on: None, ..m })
                .collect(),
            criteria: goals.criteria.into_iter().map(|c| c.text).collect(),
        };
        let (after_milestones, after_criteria) = proposal.apply(milestones, criteria);
        let change = Adjustment::between(
            Goals {
                deadline: None,
                milestones: milestones.to_vec(),
                criteria: criteria.iter().map(|c| c.text.clone()).collect(),
            },
            Goals {
                deadline: None,
                milestones: after_milestones,
                criteria: after_criteria.into_iter().map(|c| c.text).collect(),
            },
        );
        if change.is_empty() {
            return Err(vec![FieldError::new("goals", Problem::Unchanged)]);
        }
        Ok(Self {
            proposal,
            change,
            reason,
        })
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
    /// A 调整申请's changes, before and after, as they stood when it was filed.
    #[serde(default)]
    pub change: Option<Adjustment>,
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

    #[test]
    fn an_adjustment_changes_something_and_cannot_mark_a_milestone_reached() {
        use crate::domain::task::MilestoneForm;
        let reached = Milestone {
            title: "制定方案".into(),
            due: day(3, 31),
            done_on: Some(day(3, 20)),
            target: None,
        };
        let checked = Criterion {
            text: "有台账".into(),
            met: Some(true),
            note: "台账齐全".into(),
            self_check: "已建立".into(),
        };
        let row = |title: &str, due: &str, done_on: &str| MilestoneForm {
            title: title.into(),
            due: due.into(),
            done_on: done_on.into(),
            target: String::new(),
        };
        let form = |rows: Vec<MilestoneForm>, criteria: &[&str]| GoalsForm {
            milestones: rows,
            criteria: criteria.iter().map(|c| (*c).to_owned()).collect(),
        };
        let parse = |f: &GoalsForm| {
            AdjustmentInput::parse(
                f,
                "按调度会要求",
                day(12, 31),
                std::slice::from_ref(&reached),
                std::slice::from_ref(&checked),
                2022,
            )
        };
        let same = form(vec![row("制定方案", "2022-03-31", "")], &["有台账"]);
        assert_eq!(
            parse(&same),
            Err(vec![FieldError::new("goals", Problem::Unchanged)])
        );
        // A new milestone sent as reached is proposed as not reached; the kept one stays
        // reached and the kept criterion keeps its verdict.
        let more = form(
            vec![
                row("制定方案", "2022-03-31", ""),
                row("完成试点", "2022-08-20", "2022-08-01"),
            ],
            &["有台账", "覆盖率100%"],
        );
        let input = parse(&more).expect("valid");
        assert!(
            input
                .proposal
                .milestones
                .iter()
                .all(|m| m.done_on.is_none())
        );
        let (milestones, criteria) = input.proposal.apply(
            std::slice::from_ref(&reached),
            std::slice::from_ref(&checked),
        );
        assert_eq!(milestones[0].done_on, Some(day(3, 20)));
        assert_eq!(milestones[1].done_on, None);
        assert_eq!(criteria[0], checked);
        assert_eq!(criteria[1].met, None);
        assert!(input.change.milestones.is_some() && input.change.criteria.is_some());
        assert!(input.change.deadline.is_none());
        assert_eq!(
            parse(&form(vec![row("制定方案", "2023-03-31", "")], &[])),
            Err(vec![
                FieldError::at("milestones", 0, Problem::AfterDeadline),
                FieldError::new("criteria", Problem::Required),
            ])
        );
        assert_eq!(RequestKind::parse("adjust"), Some(RequestKind::Adjust));
    }
}
