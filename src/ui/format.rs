//! Formatting shared by the pages.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// `2022-08-20` → `2022年8月20日`, the way Chinese documents write dates.
pub fn date_zh(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The calendar date of an instant in China Standard Time (UTC+8, no daylight saving).
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::hours(8)).date_naive()
}

/// Units joined the way Chinese lists are written: `葵涌街道党建办、南澳街道党建办`.
pub fn join_zh(items: &[String]) -> String {
    items.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_without_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2022, 8, 20).expect("date");
        assert_eq!(date_zh(d), "2022年8月20日");
    }

    #[test]
    fn china_date_crosses_midnight_at_16_utc() {
        let at = |h| {
            NaiveDate::from_ymd_opt(2022, 7, 28)
                .expect("d")
                .and_hms_opt(h, 0, 0)
                .expect("t")
                .and_utc()
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

    #[test]
    fn joins_with_enumeration_comma() {
        assert_eq!(join_zh(&["甲".into(), "乙".into()]), "甲、乙");
        assert_eq!(join_zh(&[]), "");
    }
}
