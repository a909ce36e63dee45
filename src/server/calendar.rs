//! The working-day calendar the server counts with: the official arrangements shipped with the
//! app (2022 for the demo, and the current year), or what an administrator installs instead.
//! Held once per process: every light and reminder reads it, and it changes once a year.

use super::db::{Db, corrupt};
use crate::domain::Actor;
use crate::domain::calendar::{CalendarEntry, CalendarYear, WorkCalendar};
use crate::error::AppError;
use std::sync::{Arc, LazyLock, RwLock};
use surrealdb::types::SurrealValue;

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

#[derive(Debug, SurrealValue)]
struct StoredYear {
    data: String,
    updated_by: String,
    updated_at: chrono::DateTime<chrono::Utc>,
}

/// The years an administrator installed, checked again as they are read.
async fn stored(db: &Db) -> Result<Vec<CalendarEntry>, AppError> {
    let rows: Vec<StoredYear> = db
        .query("SELECT data, updated_by, updated_at FROM work_calendar ORDER BY year")
        .await?
        .take(0)?;
    rows.into_iter()
        .map(|r| {
            let year: CalendarYear = serde_json::from_str(&r.data)
                .map_err(|_| corrupt("work_calendar.data", &r.data))?;
            let year = year.check().map_err(|e| corrupt("work_calendar.data", e))?;
            Ok(CalendarEntry {
                year,
                updated_by: Some(r.updated_by),
                updated_at: Some(r.updated_at),
            })
        })
        .collect()
}

/// Installs what the administrators stored over the shipped years: at start-up, after a
/// change, and on each scheduler run (so every instance follows a change made on another).
pub async fn load(db: &Db) -> Result<(), AppError> {
    let years = stored(db).await?.into_iter().map(|e| e.year).collect();
    install(years);
    Ok(())
}

/// Every year known: the shipped ones, each replaced by an administrator's where there is one.
pub async fn entries(db: &Db) -> Result<Vec<CalendarEntry>, AppError> {
    let mut entries: Vec<CalendarEntry> = stored(db).await?;
    for year in shipped() {
        if !entries.iter().any(|e| e.year.year == year.year) {
            entries.push(CalendarEntry {
                year,
                updated_by: None,
                updated_at: None,
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.year.year));
    Ok(entries)
}

/// Stores a year's arrangement (replacing the shipped one, or an earlier change), with an
/// audit event, and installs it.
pub async fn save(db: &Db, actor: &Actor, year: &CalendarYear) -> Result<(), AppError> {
    let data = serde_json::to_string(year).map_err(|_| AppError::Internal)?;
    let days: i64 = year
        .holidays
        .iter()
        .map(|h| (h.to - h.from).num_days() + 1)
        .sum();
    let summary = format!(
        "更新{}年节假日安排:{}个节日共{days}天,调休上班{}天",
        year.year,
        year.holidays.len(),
        year.workdays.len()
    );
    super::db::write::execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             UPSERT type::record('work_calendar', $year) CONTENT {
                 year: $year, data: $data, updated_by: $actor, updated_at: time::now()
             };
             CREATE audit_event CONTENT {
                 actor: $actor, entity: type::record('work_calendar', $year),
                 action: 'calendar_saved', summary: $summary
             };
             COMMIT TRANSACTION;",
        )
        .bind(("year", i64::from(year.year)))
        .bind(("data", data.clone()))
        .bind(("actor", actor.name.clone()))
        .bind(("summary", summary.clone()))
    })
    .await?;
    load(db).await
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
