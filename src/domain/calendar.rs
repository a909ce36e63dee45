//! 工作日: the official PRC holiday calendar with its 调休 make-up workdays, one year at a time.
//! Reminders and the 临期 part of the light rule count working days, as a 督查室 does. A year
//! without a calendar falls back to Monday–Friday (and the boards say so).

use super::error::{FieldError, Problem};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One holiday of the year: 春节 from 1-31 to 2-6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A year's official arrangement (放假调休安排): its holidays and the weekend days worked
/// instead (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    /// Where it comes from (the notice's number).
    #[serde(default)]
    pub source: String,
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

/// Most holidays one year may list.
const HOLIDAYS_MAX: usize = 30;

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl CalendarYear {
    /// Checks the arrangement: every day within its year, each holiday named and not ending
    /// before it starts, each 调休 workday a weekend day outside every holiday.
    pub fn check(self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let within = |d: NaiveDate| d.year() == self.year;
        if self.holidays.len() > HOLIDAYS_MAX {
            errors.push(FieldError::new(
                "holidays",
                Problem::TooMany {
                    max: HOLIDAYS_MAX as u32,
                },
            ));
        }
        for (i, h) in self.holidays.iter().enumerate() {
            let at = |p| FieldError::at("holidays", i, p);
            if h.name.trim().is_empty() {
                errors.push(at(Problem::Required));
            } else if !within(h.from) || !within(h.to) {
                errors.push(at(Problem::OutsideYear { year: self.year }));
            } else if h.to < h.from {
                errors.push(at(Problem::OutOfOrder));
            }
        }
        for (i, d) in self.workdays.iter().enumerate() {
            let at = |p| FieldError::at("workdays", i, p);
            if !within(*d) {
                errors.push(at(Problem::OutsideYear { year: self.year }));
            } else if !weekend(*d) || self.holidays.iter().any(|h| h.from <= *d && *d <= h.to) {
                errors.push(at(Problem::BadFormat));
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// A year's arrangement as the administrator's form sends it: one holiday per line
/// (`春节 2026-02-15 2026-02-23`, or one date for a single day), the 调休 workdays separated by
/// spaces, commas or lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarForm {
    pub year: String,
    #[serde(default)]
    pub source: String,
    pub holidays: String,
    #[serde(default)]
    pub workdays: String,
}

impl CalendarForm {
    /// The form of a year as it stands, to edit.
    pub fn of(year: &CalendarYear) -> Self {
        Self {
            year: year.year.to_string(),
            source: year.source.clone(),
            holidays: year
                .holidays
                .iter()
                .map(|h| {
                    if h.from == h.to {
                        format!("{} {}", h.name, h.from)
                    } else {
                        format!("{} {} {}", h.name, h.from, h.to)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            workdays: year
                .workdays
                .iter()
                .map(NaiveDate::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// Reads and checks the form: every problem at once, each on its line.
    pub fn parse(&self) -> Result<CalendarYear, Vec<FieldError>> {
        let mut errors = Vec::new();
        let year = match super::fields::whole_number(&self.year, 2000, 2100) {
            Ok(y) => i32::try_from(y).ok(),
            Err(p) => {
                errors.push(FieldError::new("year", p));
                None
            }
        };
        let source = match super::fields::text(&self.source, 0, 200) {
            Ok(s) => s,
            Err(p) => {
                errors.push(FieldError::new("source", p));
                String::new()
            }
        };
        let lines: Vec<&str> = self
            .holidays
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            errors.push(FieldError::new("holidays", Problem::Required));
        }
        let mut holidays = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let date = |raw: &str| super::fields::date(raw).ok();
            let holiday = match parts.as_slice() {
                [name, day] => date(day).map(|d| (name, d, d)),
                [name, from, to] => date(from).zip(date(to)).map(|(f, t)| (name, f, t)),
                _ => None,
            };
            match holiday {
                Some((name, from, to)) => holidays.push(Holiday {
                    name: (*name).to_owned(),
                    from,
                    to,
                }),
                None => errors.push(FieldError::at("holidays", i, Problem::BadFormat)),
            }
        }
        let mut workdays = Vec::new();
        for (i, raw) in self
            .workdays
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、'))
            .filter(|s| !s.is_empty())
            .enumerate()
        {
            match super::fields::date(raw) {
                Ok(d) => workdays.push(d),
                Err(p) => errors.push(FieldError::at("workdays", i, p)),
            }
        }
        match year {
            Some(year) if errors.is_empty() => CalendarYear {
                year,
                source,
                holidays,
                workdays,
            }
            .check(),
            _ => Err(errors),
        }
    }
}

/// A year's arrangement as the administrator's page lists it, with who installed it
/// (`None`: shipped with the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub year: CalendarYear,
    pub updated_by: Option<String>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct YearDays {
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
}

/// The working-day calendar: the years it knows, and Monday–Friday for the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearDays>,
}

impl WorkCalendar {
    /// A calendar of the given years (a later entry for the same year replaces an earlier one).
    pub fn new(years: impl IntoIterator<Item = CalendarYear>) -> Self {
        let mut out = BTreeMap::new();
        for y in years {
            let mut days = YearDays::default();
            for h in &y.holidays {
                let mut d = h.from;
                while d <= h.to {
                    days.off.insert(d);
                    match d.succ_opt() {
                        Some(next) => d = next,
                        None => break,
                    }
                }
            }
            days.on.extend(y.workdays.iter().copied());
            out.insert(y.year, days);
        }
        Self { years: out }
    }

    /// Whether `year` has its official arrangement (otherwise Monday–Friday is assumed).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years it knows.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Whether people work on `d`: a 调休 workday, or a weekday that is not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.years.get(&d.year()) {
            Some(y) if y.on.contains(&d) => true,
            Some(y) if y.off.contains(&d) => false,
            _ => !weekend(d),
        }
    }

    /// Working days after `from` up to and including `to`; 0 when `to` is not after `from`.
    /// (Due on the next working day: 1.)
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// The `n`-th working day after `from` (`from` itself when `n` is 0).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut d = from;
        while left > 0 {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

/// The 2022 arrangement around National Day, written out from the notice (国办发明电〔2021〕11号):
/// 10-1 to 10-7 off, Saturday 10-8 and Sunday 10-9 worked. The domain's tests count with it.
#[cfg(test)]
pub(crate) fn national_day_2022() -> WorkCalendar {
    let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).expect("date");
    WorkCalendar::new([CalendarYear {
        year: 2022,
        source: "国办发明电〔2021〕11号".into(),
        holidays: vec![Holiday {
            name: "国庆节".into(),
            from: d(10, 1),
            to: d(10, 7),
        }],
        workdays: vec![d(10, 8), d(10, 9)],
    }
    .check()
    .expect("valid")])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    #[test]
    fn national_day_week_and_its_make_up_weekend() {
        let cal = national_day_2022();
        assert!(cal.covers(2022) && !cal.covers(2023));
        // Friday 9-30 worked; 10-1..10-7 off; Saturday 10-8 and Sunday 10-9 worked; Monday on.
        assert!(cal.is_working_day(d(9, 30)));
        for day in 1..=7 {
            assert!(!cal.is_working_day(d(10, day)), "10-{day}");
        }
        assert!(cal.is_working_day(d(10, 8)) && cal.is_working_day(d(10, 9)));
        // From Thursday 9-29: 9-30, then 10-8, 10-9, 10-10, 10-11.
        assert_eq!(cal.working_days_between(d(9, 29), d(10, 11)), 5);
        assert_eq!(cal.add_working_days(d(9, 29), 2), d(10, 8));
        assert_eq!(cal.add_working_days(d(9, 29), 0), d(9, 29));
        assert_eq!(cal.working_days_between(d(10, 11), d(9, 29)), 0);
        // A year it does not know: Monday to Friday.
        let sat = NaiveDate::from_ymd_opt(2023, 10, 7).expect("d");
        assert!(!cal.is_working_day(sat));
        assert!(cal.is_working_day(sat + chrono::Duration::days(2)));
    }

    #[test]
    fn an_arrangement_is_checked() {
        let bad = CalendarYear {
            year: 2022,
            source: String::new(),
            holidays: vec![
                Holiday {
                    name: " ".into(),
                    from: d(1, 1),
                    to: d(1, 3),
                },
                Holiday {
                    name: "国庆节".into(),
                    from: d(10, 7),
                    to: d(10, 1),
                },
                Holiday {
                    name: "元旦".into(),
                    from: NaiveDate::from_ymd_opt(2023, 1, 1).expect("d"),
                    to: NaiveDate::from_ymd_opt(2023, 1, 2).expect("d"),
                },
            ],
            // A Monday, and a Saturday.
            workdays: vec![d(10, 10), d(10, 8)],
        };
        assert_eq!(
            bad.check(),
            Err(vec![
                FieldError::at("holidays", 0, Problem::Required),
                FieldError::at("holidays", 1, Problem::OutOfOrder),
                FieldError::at("holidays", 2, Problem::OutsideYear { year: 2022 }),
                FieldError::at("workdays", 0, Problem::BadFormat),
            ])
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Counting and adding agree: the n-th working day after a day is n working days
            /// after it, and is itself a working day.
            #[test]
            fn adding_and_counting_agree(offset in 0i64..400, n in 0u32..40) {
                let cal = national_day_2022();
                let from = d(1, 1) + chrono::Duration::days(offset);
                let to = cal.add_working_days(from, n);
                prop_assert_eq!(cal.working_days_between(from, to), n);
                prop_assert!(n == 0 || cal.is_working_day(to));
            }

            /// A later end never has fewer working days.
            #[test]
            fn counting_is_monotone(offset in 0i64..400, a in 0i64..60, b in 0i64..60) {
                let cal = national_day_2022();
                let from = d(1, 1) + chrono::Duration::days(offset);
                let (near, far) = (a.min(b), a.max(b));
                prop_assert!(
                    cal.working_days_between(from, from + chrono::Duration::days(near))
                        <= cal.working_days_between(from, from + chrono::Duration::days(far))
                );
            }
        }
    }

    #[test]
    fn the_admin_form_reads_a_year_line_by_line() {
        let form = CalendarForm {
            year: "2027".into(),
            source: "国务院办公厅通知".into(),
            holidays: "元旦 2027-01-01\n春节 2027-02-05 2027-02-13\n\n".into(),
            workdays: "2027-02-14, 2027-02-20".into(),
        };
        let year = form.parse().unwrap();
        assert_eq!(year.year, 2027);
        assert_eq!(year.holidays.len(), 2);
        assert_eq!(year.holidays[0].from, year.holidays[0].to);
        assert_eq!(year.workdays.len(), 2);
        // What it reads back as, it writes out again.
        assert_eq!(CalendarForm::of(&year).parse().unwrap(), year);

        let bad = CalendarForm {
            year: "二〇二七".into(),
            source: String::new(),
            holidays: "春节 2027-02-05 2027-02-13\n国庆节 十月一日".into(),
            workdays: "2027-02-14 2027-02-30".into(),
        };
        assert_eq!(
            bad.parse().unwrap_err(),
            vec![
                FieldError::new("year", Problem::NotANumber),
                FieldError::at("holidays", 1, Problem::BadFormat),
                FieldError::at("workdays", 1, Problem::NotADate),
            ]
        );
        // A 调休 workday that is not a weekend day is refused by the year's own check.
        let weekday = CalendarForm {
            workdays: "2027-02-15".into(),
            ..form
        };
        assert_eq!(
            weekday.parse().unwrap_err(),
            vec![FieldError::at("workdays", 0, Problem::BadFormat)]
        );
    }
}
