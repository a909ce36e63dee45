//! Formatting shared by the pages.

use chrono::{Datelike, NaiveDate};

/// `2022-08-20` → `2022年8月20日`, the way Chinese documents write dates.
pub fn date_zh(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
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
    fn joins_with_enumeration_comma() {
        assert_eq!(join_zh(&["甲".into(), "乙".into()]), "甲、乙");
        assert_eq!(join_zh(&[]), "");
    }
}
