//! 积分: besides what the 考评细则 computes, the office proposes awards (加分, e.g. 经验被上级推广)
//! and deductions (减分, e.g. 被上级通报) for a unit, each with its reason and day; a leader
//! approves (or declines) each. Approved entries up to a day are added to the unit's total
//! in the ranking; the 积分台账 shows every unit's running balance.

use super::error::{Errors, FieldError, Problem, Refusal};
use super::fields::{date, text};
use super::ids::UnitId;
use super::score::{Points, UnitScore};
use super::{Actor, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// 加分 or 减分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Award,
    Deduction,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Award => "award",
            Self::Deduction => "deduction",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Award, Self::Deduction]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待审批.
    Proposed,
    /// 已批准: counts.
    Approved,
    /// 不予批准.
    Declined,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Proposed, Self::Approved, Self::Declined]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Most points one entry moves.
pub const ENTRY_MAX: i64 = 10;

/// An entry as the office's form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForm {
    pub unit: String,
    /// A [`Kind`] code.
    pub kind: String,
    /// `1.5`: points, at most two decimals.
    pub points: String,
    pub reason: String,
    /// `YYYY-MM-DD`: the day it counts from.
    pub on: String,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    pub unit: UnitId,
    pub kind: Kind,
    pub points: Points,
    pub reason: String,
    pub on: NaiveDate,
}

impl EntryInput {
    /// Checks every field: a unit, a kind, 0.01–10 points, a reason, a day of the plan year
    /// not after `today`.
    pub fn parse(form: &EntryForm, year: i32, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let unit = errors.take(match form.unit.trim() {
            "" => Err(FieldError::new("points_unit", Problem::Required)),
            raw => {
                UnitId::parse(raw).ok_or_else(|| FieldError::new("points_unit", Problem::BadFormat))
            }
        });
        let kind = errors.take(
            Kind::parse(form.kind.trim())
                .ok_or_else(|| FieldError::new("points_kind", Problem::UnknownValue)),
        );
        let points = errors.take(
            Points::parse(&form.points, ENTRY_MAX)
                .and_then(|p| {
                    if p.0 == 0 {
                        Err(Problem::OutOfRange {
                            min: 0,
                            max: ENTRY_MAX,
                        })
                    } else {
                        Ok(p)
                    }
                })
                .map_err(|p| FieldError::new("points_value", p)),
        );
        let reason = errors
            .take(text(&form.reason, 4, 200).map_err(|p| FieldError::new("points_reason", p)));
        let on = errors.take(
            date(&form.on)
                .and_then(|d| {
                    if d > today {
                        Err(Problem::InFuture)
                    } else if d.format("%Y").to_string() != year.to_string() {
                        Err(Problem::OutsideYear { year })
                    } else {
                        Ok(d)
                    }
                })
                .map_err(|p| FieldError::new("points_on", p)),
        );
        errors.finish(|| {
            Some(Self {
                unit: unit?,
                kind: kind?,
                points: points?,
                reason: reason?,
                on: on?,
            })
        })
    }
}

/// An entry as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its key (for the leader's decision).
    pub key: String,
    pub unit: UnitId,
    pub unit_name: String,
    pub kind: Kind,
    /// Positive.
    pub points: Points,
    pub reason: String,
    pub on: NaiveDate,
    pub proposed_by: String,
    pub status: Status,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: String,
    pub version: u32,
}

impl Entry {
    /// The entry's effect on a total: plus for an award, minus for a deduction.
    pub fn signed(&self) -> Points {
        match self.kind {
            Kind::Award => self.points,
            Kind::Deduction => Points(-self.points.0),
        }
    }
}

/// Whether `actor` may approve or decline an entry standing at `status`: a leader, once.
pub fn may_decide(actor: &Actor, status: Status) -> Result<(), Refusal> {
    if actor.role != Role::Leader {
        return Err(Refusal::RoleMayNotApprovePoints { role: actor.role });
    }
    if status != Status::Proposed {
        return Err(Refusal::PointsDecided);
    }
    Ok(())
}

/// Adds the approved entries dated up to `as_of` to each unit's total and ranks again. A
/// unit's adjustment is the sum of its entries; totals may go below zero only by deductions.
pub fn apply(scores: &mut [UnitScore], entries: &[Entry], as_of: NaiveDate) {
    for s in scores.iter_mut() {
        let adjustment: Points = entries
            .iter()
            .filter(|e| e.status == Status::Approved && e.on <= as_of && e.unit == s.unit.id)
            .map(Entry::signed)
            .sum();
        s.adjustment = adjustment;
        s.total = Points(s.total.0 + adjustment.0);
    }
    super::score::rank(scores);
}

/// A unit's line of the 积分台账: its entries in date order with the balance after each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub unit: UnitId,
    pub unit_name: String,
    /// Approved entries, oldest first, each with the running sum of approved adjustments.
    pub entries: Vec<(Entry, Points)>,
    pub total: Points,
}

/// Every unit's running balance of approved entries, units in name order.
pub fn balances(entries: &[Entry]) -> Vec<Balance> {
    let mut approved: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.status == Status::Approved)
        .collect();
    approved.sort_by(|a, b| {
        (a.unit_name.as_str(), a.on, a.key.as_str()).cmp(&(
            b.unit_name.as_str(),
            b.on,
            b.key.as_str(),
        ))
    });
    let mut out: Vec<Balance> = Vec::new();
    for e in approved {
        if out.last().is_none_or(|b| b.unit != e.unit) {
            out.push(Balance {
                unit: e.unit.clone(),
                unit_name: e.unit_name.clone(),
                entries: Vec::new(),
                total: Points(0),
            });
        }
        if let Some(b) = out.last_mut() {
            b.total = Points(b.total.0 + e.signed().0);
            b.entries.push((e.clone(), b.total));
        }
    }
    out
}

/// The 积分台账 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub plan: super::views::PlanRef,
    pub today: NaiveDate,
    /// Every entry the reader may see, newest first.
    pub entries: Vec<Entry>,
    pub balances: Vec<Balance>,
    /// The reader proposes entries (the office).
    pub may_propose: bool,
    /// The reader approves them (a leader).
    pub may_decide: bool,
    pub units: Vec<(UnitId, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    fn entry(unit: &str, kind: Kind, cents: i64, on: NaiveDate, status: Status) -> Entry {
        Entry {
            key: format!("{unit}-{on}-{cents}"),
            unit: UnitId::parse(unit).expect("id"),
            unit_name: unit.to_owned(),
            kind,
            points: Points(cents),
            reason: "经验被上级推广".into(),
            on,
            proposed_by: "王芳".into(),
            status,
            decided_by: None,
            decided_at: None,
            note: String::new(),
            version: 1,
        }
    }

    #[test]
    fn an_entry_is_checked_whole() {
        let form = EntryForm {
            unit: "dpsd".into(),
            kind: "award".into(),
            points: "1.5".into(),
            reason: "“红色驿站”经验被市委组织部推广".into(),
            on: "2022-07-20".into(),
        };
        let ok = EntryInput::parse(&form, 2022, d(7, 29)).expect("valid");
        assert_eq!((ok.kind, ok.points), (Kind::Award, Points(150)));
        let bad = EntryForm {
            unit: String::new(),
            kind: "gift".into(),
            points: "10.01".into(),
            reason: "好".into(),
            on: "2022-08-01".into(),
        };
        let errors = EntryInput::parse(&bad, 2022, d(7, 29)).expect_err("refused");
        let fields: Vec<(&str, Problem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("points_unit", Problem::Required),
                ("points_kind", Problem::UnknownValue),
                ("points_value", Problem::OutOfRange { min: 0, max: 10 }),
                ("points_reason", Problem::TooShort { min: 4 }),
                ("points_on", Problem::InFuture),
            ]
        );
        let zero = EntryForm {
            points: "0".into(),
            on: "2021-12-31".into(),
            ..form
        };
        let errors = EntryInput::parse(&zero, 2022, d(7, 29)).expect_err("refused");
        assert_eq!(errors[0].field, "points_value");
        assert_eq!(errors[1].problem, Problem::OutsideYear { year: 2022 });
    }

    #[test]
    fn only_a_leader_decides_and_only_once() {
        let leader = Actor {
            name: "林晓华".into(),
            role: Role::Leader,
            unit: None,
        };
        let office = Actor {
            role: Role::Organizer,
            ..leader.clone()
        };
        assert_eq!(may_decide(&leader, Status::Proposed), Ok(()));
        assert_eq!(
            may_decide(&office, Status::Proposed),
            Err(Refusal::RoleMayNotApprovePoints {
                role: Role::Organizer
            })
        );
        assert_eq!(
            may_decide(&leader, Status::Approved),
            Err(Refusal::PointsDecided)
        );
    }

    #[test]
    fn balances_run_over_approved_entries_only() {
        let entries = [
            entry("a", Kind::Award, 150, d(3, 1), Status::Approved),
            entry("a", Kind::Deduction, 50, d(5, 1), Status::Approved),
            entry("a", Kind::Award, 500, d(6, 1), Status::Proposed),
            entry("b", Kind::Deduction, 200, d(4, 1), Status::Approved),
            entry("b", Kind::Award, 100, d(4, 2), Status::Declined),
        ];
        let b = balances(&entries);
        let runs: Vec<(String, Vec<i64>, i64)> = b
            .iter()
            .map(|b| {
                (
                    b.unit_name.clone(),
                    b.entries.iter().map(|(_, run)| run.0).collect(),
                    b.total.0,
                )
            })
            .collect();
        assert_eq!(
            runs,
            [
                ("a".to_owned(), vec![150, 100], 100),
                ("b".to_owned(), vec![-200], -200)
            ]
        );
    }
}
