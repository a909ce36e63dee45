//! The working-day calendar the server counts with: the official arrangements shipped with the
//! app (2022 for the demo, and the current year), or what an administrator installs instead.
//! Held once per process: every light and reminder reads it, and it changes once a year.

use crate::domain::calendar::{CalendarYear, WorkCalendar};
use std::sync::{Arc, LazyLock, RwLock};

/// The arrangements shipped with the app, one file per year.
const SHIPPED: [&str; 2] = [
    include_str!("calendars/2022.toml"),
    include_str!("calendars/2026.toml"),
];

/// The shipped arrangements, each read and checked (tests hold every file to that).
pub fn shipped() -> Vec<CalendarYear> {
    SHIPPED
        .iter()
        .filter_map(|text| match parse(text) {
            Ok(year) => Some(year),
            Err(why) => {
                tracing::error!(%why, "a shipped holiday calendar does not read");
                None
            }
        })
        .collect()
}

/// Reads one year's arrangement from its TOML text and checks it.
pub fn parse(text: &str) -> Result<CalendarYear, String> {
    let year: CalendarYear = toml::from_str(text).map_err(|e| e.to_string())?;
    year.check().map_err(|errors| format!("{errors:?}"))
}

static CALENDAR: LazyLock<RwLock<Arc<WorkCalendar>>> =
    LazyLock::new(|| RwLock::new(Arc::new(WorkCalendar::new(shipped()))));

/// The calendar as it stands.
pub fn current() -> Arc<WorkCalendar> {
    CALENDAR
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Replaces the calendar: the shipped years, overridden by `years` (an administrator's).
pub fn install(years: Vec<CalendarYear>) {
    let calendar = WorkCalendar::new(shipped().into_iter().chain(years));
    *CALENDAR
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(calendar);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_shipped_year_reads_and_counts() {
        let years = shipped();
        assert_eq!(
            years.iter().map(|y| y.year).collect::<Vec<_>>(),
            vec![2022, 2026]
        );
        let cal = current();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        // 2022: Saturday 1-29 and Sunday 1-30 worked before 春节 (1-31..2-6).
        assert!(cal.is_working_day(day(2022, 1, 29)) && cal.is_working_day(day(2022, 1, 30)));
        assert!(!cal.is_working_day(day(2022, 2, 4)));
        // 2026: 9 days of 春节 from 2-15; Saturday 2-28 worked; 国庆 from 10-1, 10-10 worked.
        assert!(!cal.is_working_day(day(2026, 2, 23)));
        assert!(cal.is_working_day(day(2026, 2, 28)));
        assert!(cal.is_working_day(day(2026, 9, 20)) && cal.is_working_day(day(2026, 10, 10)));
        assert_eq!(
            cal.working_days_between(day(2026, 9, 30), day(2026, 10, 12)),
            4
        );
    }
}
