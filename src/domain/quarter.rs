//! 季度报送: the quarter's pack an office sends up and files — where every task stands, the
//! 调度会 held, the 催办 and 督办单 issued, how 整改 stands, and the 量化考评 so far. Compiled
//! from the records; nothing here is stored.

use super::error::Problem;
use super::meeting::MeetingSummary;
use super::rectify::Finding;
use super::score::UnitScore;
use super::supervision::Supervision;
use super::views::{BoardTask, PlanRef, Tally};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The first and last day of quarter `q` (1–4) of `year`.
pub fn bounds(year: i32, q: u8) -> Option<(NaiveDate, NaiveDate)> {
    let first_month = u32::from(q.checked_sub(1)?) * 3 + 1;
    if q > 4 {
        return None;
    }
    let from = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let next = if q == 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, first_month + 3, 1)?
    };
    Some((from, next.pred_opt()?))
}

/// The quarter the address names (`1`–`4`; empty: the quarter of `today` within `year`, the
/// last one once the year is over, the first before it starts).
pub fn parse(raw: &str, year: i32, today: NaiveDate) -> Result<u8, Problem> {
    match raw.trim() {
        "" => Ok(if today.year() < year {
            1
        } else if today.year() > year {
            4
        } else {
            u8::try_from((today.month() - 1) / 3 + 1).unwrap_or(4)
        }),
        raw => match raw.parse::<u8>() {
            Ok(q @ 1..=4) => Ok(q),
            _ => Err(Problem::OutOfRange { min: 1, max: 4 }),
        },
    }
}

/// How the 整改清单 stood over the quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingTally {
    /// Found within the quarter.
    pub found: u32,
    /// 销号ed within the quarter.
    pub closed: u32,
    /// Still in hand (整改中 / 退回重改) at the pack's day.
    pub in_hand: u32,
    /// Waiting for 销号 at the pack's day.
    pub submitted: u32,
    /// Past their 整改时限 at the pack's day.
    pub overdue: u32,
}

/// Counts the items of the list: what the quarter `from..=to` found and closed, and how the
/// rest stands on `as_of`.
pub fn finding_tally(
    findings: &[Finding],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> FindingTally {
    use super::rectify::Status;
    let mut t = FindingTally::default();
    let within = |d: NaiveDate| d >= from && d <= to;
    for f in findings {
        if within(f.found_on) {
            t.found += 1;
        }
        if f.closed_on.is_some_and(within) {
            t.closed += 1;
        }
        match f.status {
            Status::Rectifying | Status::Returned => t.in_hand += 1,
            Status::Submitted => t.submitted += 1,
            Status::Closed => {}
        }
        if f.overdue(as_of) {
            t.overdue += 1;
        }
    }
    t
}

/// The quarter's pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterPack {
    pub plan: PlanRef,
    pub quarter: u8,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the pack speaks for: the quarter's last day, or today while it runs.
    pub as_of: NaiveDate,
    /// The day it was compiled: tasks' progress and lights are as they stand then.
    pub today: NaiveDate,
    pub totals: Tally,
    pub tasks: Vec<BoardTask>,
    /// 调度会 held within the quarter, in date order.
    pub meetings: Vec<MeetingSummary>,
    /// 催办 and 督办单 issued within the quarter, in date order.
    pub supervisions: Vec<Supervision>,
    pub findings: FindingTally,
    /// Items found or still open within the quarter, by 序号.
    pub open_findings: Vec<Finding>,
    /// 量化考评 as of `as_of`, in rank order.
    pub scores: Vec<UnitScore>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn quarters_cover_the_year() {
        assert_eq!(bounds(2022, 1), Some((d(2022, 1, 1), d(2022, 3, 31))));
        assert_eq!(bounds(2022, 3), Some((d(2022, 7, 1), d(2022, 9, 30))));
        assert_eq!(bounds(2022, 4), Some((d(2022, 10, 1), d(2022, 12, 31))));
        assert_eq!(bounds(2022, 0), None);
        assert_eq!(bounds(2022, 5), None);
        assert_eq!(parse("", 2022, d(2022, 7, 29)), Ok(3));
        assert_eq!(parse("", 2022, d(2023, 1, 5)), Ok(4));
        assert_eq!(parse("", 2022, d(2021, 12, 5)), Ok(1));
        assert_eq!(parse("2", 2022, d(2022, 7, 29)), Ok(2));
        assert_eq!(
            parse("5", 2022, d(2022, 7, 29)),
            Err(Problem::OutOfRange { min: 1, max: 4 })
        );
    }

    #[test]
    fn findings_are_counted_for_the_quarter() {
        use super::super::rectify::{Source, Status};
        use super::super::{FindingId, UnitId};
        let f =
            |found: NaiveDate, deadline: NaiveDate, status, closed: Option<NaiveDate>| Finding {
                id: FindingId::parse("f").expect("id"),
                number: 1,
                problem: String::new(),
                source: Source::Inspection,
                unit: UnitId::parse("u").expect("id"),
                unit_name: String::new(),
                person: String::new(),
                measures: String::new(),
                deadline,
                found_on: found,
                task: None,
                status,
                returned: 0,
                closed_on: closed,
                version: 1,
                light: None,
            };
        let items = [
            // Found in Q2, closed in Q3.
            f(
                d(2022, 5, 10),
                d(2022, 6, 30),
                Status::Closed,
                Some(d(2022, 7, 5)),
            ),
            // Found in Q3, overdue on 7-29.
            f(d(2022, 7, 1), d(2022, 7, 25), Status::Rectifying, None),
            // Found in Q2, waiting for 销号.
            f(d(2022, 6, 28), d(2022, 7, 31), Status::Submitted, None),
        ];
        assert_eq!(
            finding_tally(&items, d(2022, 7, 1), d(2022, 9, 30), d(2022, 7, 29)),
            FindingTally {
                found: 1,
                closed: 1,
                in_hand: 1,
                submitted: 1,
                overdue: 1
            }
        );
    }
}
