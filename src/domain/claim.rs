//! 揭榜认领 and 挂牌: a unit claims a task with a pledge; several units may claim the same task
//! (竞榜); the office confirms one claim (确认挂牌) and declines the others with a reason the
//! claimant sees (不予挂牌). A claim can be withdrawn while the office has not decided.

use super::error::{Errors, FieldError, Problem};
use super::fields::{date, optional_id, text};
use super::ids::{ClaimId, PersonId, TaskId, UnitId};
use super::task::plan_year_bounds;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest pledge (承诺/工作思路), in characters.
pub const PLEDGE_MAX: u32 = 1000;
/// Longest 岗位, in characters.
pub const POST_MAX: u32 = 60;
/// Most units one claim may name as its partners (联合揭榜).
pub const CO_UNITS_MAX: u32 = 10;

/// What the office fixes when it confirms a claim (确认挂牌) beyond what the claim proposed:
/// the 分管领导 and the day the task starts (lights count from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// `None` keeps the task's 分管领导 as it is.
    pub supervisor: Option<PersonId>,
    pub start: NaiveDate,
}

impl Listing {
    /// Checks what the form sent: an optional person id; a start day (empty: `today`) within
    /// the plan year and not after the task's deadline.
    pub fn parse(
        supervisor: &str,
        start: &str,
        today: NaiveDate,
        plan_year: i32,
        deadline: NaiveDate,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let supervisor = errors.take(optional_id("supervisor", supervisor, PersonId::parse));
        let (year_start, _) = plan_year_bounds(plan_year);
        let start = if start.trim().is_empty() {
            Some(today)
        } else {
            errors.take(
                date(start)
                    .and_then(|d| {
                        if d < year_start {
                            Err(Problem::OutsideYear { year: plan_year })
                        } else if d > deadline {
                            Err(Problem::AfterDeadline)
                        } else {
                            Ok(d)
                        }
                    })
                    .map_err(|p| FieldError::new("start", p)),
            )
        };
        errors.finish(|| {
            Some(Self {
                supervisor: supervisor?,
                start: start?,
            })
        })
    }
}

/// A claim as the 揭榜 form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimForm {
    /// 承诺/工作思路.
    pub pledge: String,
    /// Proposed 责任人 (a person id), or empty.
    #[serde(default)]
    pub owner: String,
    /// Proposed 岗位.
    #[serde(default)]
    pub post: String,
    /// 联合揭榜: ids of the units that take the task on together with the claimant.
    #[serde(default)]
    pub co_units: Vec<String>,
}

/// A checked claim, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimInput {
    pub pledge: String,
    pub owner: Option<PersonId>,
    pub post: String,
    /// 联合揭榜 partners, each once, in the order given.
    pub co_units: Vec<UnitId>,
}

impl ClaimInput {
    /// Checks a claim as entered: a pledge of a few words at least, a 责任人 that can be an
    /// id, a 岗位 within limits. Every problem is reported.
    pub fn parse(form: &ClaimForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let pledge = errors
            .take(text(&form.pledge, 2, PLEDGE_MAX).map_err(|p| FieldError::new("pledge", p)));
        let owner = errors.take(optional_id("owner", &form.owner, PersonId::parse));
        let post =
            errors.take(text(&form.post, 0, POST_MAX).map_err(|p| FieldError::new("post", p)));
        let mut co_units: Vec<UnitId> = Vec::new();
        for (i, raw) in form.co_units.iter().enumerate() {
            match UnitId::parse(raw.trim()) {
                Some(u) if !co_units.contains(&u) => co_units.push(u),
                Some(_) => {}
                None => errors.push(FieldError::at("co_units", i, Problem::BadFormat)),
            }
        }
        if co_units.len() > CO_UNITS_MAX as usize {
            errors.push(FieldError::new(
                "co_units",
                Problem::TooMany { max: CO_UNITS_MAX },
            ));
        }
        errors.finish(|| {
            Some(Self {
                pledge: pledge?,
                owner: owner?,
                post: post?,
                co_units,
            })
        })
    }
}

/// 揭榜超期: the plan's 揭榜 window has closed and the task is still 待揭榜 (nobody claimed it,
/// or every claim was withdrawn or declined).
pub fn claim_overdue(
    status: super::task::TaskStatus,
    window: Option<super::plan::ClaimWindow>,
    today: chrono::NaiveDate,
) -> bool {
    status == super::task::TaskStatus::Open && window.is_some_and(|w| today > w.to)
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// 待挂牌: waiting for the office.
    Pending,
    /// 已撤回: the unit took it back.
    Withdrawn,
    /// 已挂牌: the office confirmed it; the unit holds the task.
    Confirmed,
    /// 不予挂牌: the office declined it, with a reason.
    Declined,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Pending,
        ClaimStatus::Withdrawn,
        ClaimStatus::Confirmed,
        ClaimStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Withdrawn => "withdrawn",
            ClaimStatus::Confirmed => "confirmed",
            ClaimStatus::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A stored claim, as the task page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub task: TaskId,
    pub unit: UnitId,
    pub unit_name: String,
    pub pledge: String,
    /// Proposed 责任人's name.
    pub owner: Option<String>,
    pub post: String,
    /// 联合揭榜: the partner units' names.
    #[serde(default)]
    pub co_units: Vec<String>,
    pub status: ClaimStatus,
    /// Why it was declined (不予挂牌); empty otherwise.
    pub reason: String,
    /// Who filed it, and when.
    pub by: String,
    pub at: DateTime<Utc>,
    /// Who decided or withdrew it, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A task's claims as one reader may see them, with that reader, so the page decides their
/// forms from the same answer (and reads the session no second time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskClaims {
    pub claims: Vec<Claim>,
    pub reader: super::workflow::Actor,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reason;

    #[test]
    fn a_claim_needs_a_pledge_and_keeps_every_problem() {
        let ok = ClaimInput::parse(&ClaimForm {
            pledge: "  三个月内完成试点  ".into(),
            owner: "p-liuq".into(),
            post: "党建办主任".into(),
            co_units: vec!["nasd".into(), "dpsd".into(), "nasd".into()],
        })
        .expect("valid");
        // A partner named twice counts once.
        let partners: Vec<&str> = ok.co_units.iter().map(UnitId::as_str).collect();
        assert_eq!(partners, vec!["nasd", "dpsd"]);
        assert_eq!(ok.pledge, "三个月内完成试点");
        assert_eq!(ok.owner.as_ref().map(PersonId::as_str), Some("p-liuq"));
        let errors = ClaimInput::parse(&ClaimForm {
            pledge: " ".into(),
            owner: "not an id!".into(),
            post: "岗".repeat(61),
            co_units: vec!["unit:x; DELETE".into()],
        })
        .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["pledge", "owner", "post", "co_units"]);
        let many: Vec<String> = (0..11).map(|i| format!("u{i}")).collect();
        let errors = ClaimInput::parse(&ClaimForm {
            pledge: "联合推进".into(),
            co_units: many,
            ..Default::default()
        })
        .expect_err("too many partners");
        assert_eq!(
            errors,
            vec![FieldError::new(
                "co_units",
                Problem::TooMany { max: CO_UNITS_MAX }
            )]
        );
    }

    #[test]
    fn a_decline_needs_a_reason_of_a_few_words() {
        assert!(Reason::parse("单").is_err());
        assert!(Reason::parse(&"字".repeat(301)).is_err());
        assert_eq!(
            Reason::parse(" 已由组织科牵头 ").map(|r| r.as_str().to_owned()),
            Ok("已由组织科牵头".to_owned())
        );
    }

    #[test]
    fn a_task_nobody_claimed_by_the_windows_end_is_overdue() {
        use super::super::plan::ClaimWindow;
        use super::super::task::TaskStatus;
        let d = |m, d| chrono::NaiveDate::from_ymd_opt(2022, m, d).expect("date");
        let window = Some(ClaimWindow {
            from: d(1, 1),
            to: d(1, 31),
        });
        assert!(
            !claim_overdue(TaskStatus::Open, window, d(1, 31)),
            "the last day still counts"
        );
        assert!(claim_overdue(TaskStatus::Open, window, d(2, 1)));
        assert!(
            !claim_overdue(TaskStatus::Claimed, window, d(2, 1)),
            "a claim waits for 挂牌"
        );
        assert!(!claim_overdue(TaskStatus::InProgress, window, d(2, 1)));
        assert!(
            !claim_overdue(TaskStatus::Open, None, d(12, 31)),
            "no window, no deadline"
        );
    }

    #[test]
    fn statuses_round_trip_through_codes() {
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_listing_starts_within_the_year_and_not_after_the_deadline() {
        let day = |m, d| NaiveDate::from_ymd_opt(2022, m, d).expect("date");
        let ok = Listing::parse("p-lin", "", day(7, 29), 2022, day(12, 31)).expect("valid");
        assert_eq!(ok.start, day(7, 29));
        assert_eq!(
            ok.supervisor.map(|p| p.to_string()),
            Some("p-lin".to_owned())
        );
        let kept = Listing::parse("", "2022-08-01", day(7, 29), 2022, day(12, 31)).expect("ok");
        assert_eq!((kept.supervisor, kept.start), (None, day(8, 1)));
        assert_eq!(
            Listing::parse("x y", "2022-12-31", day(7, 29), 2022, day(10, 31)),
            Err(vec![
                FieldError::new("supervisor", Problem::BadFormat),
                FieldError::new("start", Problem::AfterDeadline),
            ])
        );
        assert_eq!(
            Listing::parse("", "2021-12-01", day(7, 29), 2022, day(10, 31)),
            Err(vec![FieldError::new(
                "start",
                Problem::OutsideYear { year: 2022 }
            )])
        );
    }
}
