//! Formatting shared by the pages.

use chrono::{Datelike, NaiveDate};

/// `2022-08-20` → `2022年8月20日`, the way Chinese documents write dates.
pub fn date_zh(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A moment as a Chinese office writes it, in China Standard Time: `2022年7月29日 14:05`.
pub fn time_zh(at: chrono::DateTime<chrono::Utc>) -> String {
    // China has kept UTC+8 all year since 1991: a fixed offset, no time-zone database needed.
    let local = at.naive_utc() + chrono::Duration::hours(8);
    format!(
        "{} {:02}:{:02}",
        date_zh(local.date()),
        chrono::Timelike::hour(&local),
        chrono::Timelike::minute(&local)
    )
}

/// Encodes a value for a URL query (`?category=基层治理` → `?category=%E5%9F%BA…`).
pub fn encode_query(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The plan a page's address names (`?plan=`): `None` for none (the current plan), not found
/// for a value that cannot name one.
pub fn plan_in_address(
    raw: Option<&str>,
) -> Result<Option<crate::domain::PlanId>, crate::error::AppError> {
    match raw.map(crate::domain::PlanId::parse) {
        None => Ok(None),
        Some(Some(id)) => Ok(Some(id)),
        Some(None) => Err(crate::error::AppError::NotFound(
            crate::domain::Entity::Plan,
        )),
    }
}

/// Units joined the way Chinese lists are written: `葵涌街道党建办、南澳街道党建办`.
pub fn join_zh(items: &[String]) -> String {
    items.join("、")
}

/// A file size as people read it: `850 KB`, `3.2 MB`.
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    }
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
    fn query_values_are_encoded() {
        assert_eq!(
            encode_query("两新 党建&x"),
            "%E4%B8%A4%E6%96%B0%20%E5%85%9A%E5%BB%BA%26x"
        );
    }

    #[test]
    fn joins_with_enumeration_comma() {
        assert_eq!(join_zh(&["甲".into(), "乙".into()]), "甲、乙");
        assert_eq!(join_zh(&[]), "");
    }

    #[test]
    fn moments_read_in_china_time() {
        let at = chrono::DateTime::parse_from_rfc3339("2022-07-29T17:05:00Z")
            .expect("time")
            .with_timezone(&chrono::Utc);
        assert_eq!(time_zh(at), "2022年7月30日 01:05");
    }

    #[test]
    fn file_sizes_read_as_people_say_them() {
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(850 * 1024), "850 KB");
        assert_eq!(file_size(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
    }
}
