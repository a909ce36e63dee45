//! Dates as the office reads them: China Standard Time (Asia/Shanghai), or a pinned day.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;

/// Where "today" comes from: the calendar in China Standard Time, or a pinned date (the demo
/// runs as of the 2022-07-29 专题调度会; tests pin dates to stay deterministic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(NaiveDate),
}

impl Clock {
    /// Today's date.
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::Fixed(date) => date,
            Clock::System => china_date(Utc::now()),
        }
    }
}

/// The calendar day of an instant in Asia/Shanghai.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Shanghai).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_date_crosses_midnight_at_16_utc() {
        let at = |h| {
            NaiveDate::from_ymd_opt(2022, 7, 28)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .map(|t| t.and_utc())
                .expect("time")
        };
        assert_eq!(
            china_date(at(15)),
            NaiveDate::from_ymd_opt(2022, 7, 28).expect("d")
        );
        assert_eq!(
            china_date(at(16)),
            NaiveDate::from_ymd_opt(2022, 7, 29).expect("d")
        );
    }
}
