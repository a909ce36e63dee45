//! Reading form fields: text lengths, whole numbers, dates and optional ids, as codes.

use super::error::{FieldError, Problem};
use chrono::NaiveDate;

/// Trims and checks a text's length in characters: `Required` when empty and `min > 0`.
pub fn text(raw: &str, min: u32, max: u32) -> Result<String, Problem> {
    let t = raw.trim();
    let chars = t.chars().count();
    if chars == 0 && min > 0 {
        return Err(Problem::Required);
    }
    if chars < min as usize {
        return Err(Problem::TooShort { min });
    }
    if chars > max as usize {
        return Err(Problem::TooLong { max });
    }
    Ok(t.to_owned())
}

/// A whole number typed into a form, within `min..=max`.
pub fn whole_number(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    let n: i64 = t.parse().map_err(|_| Problem::NotANumber)?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(Problem::OutOfRange { min, max })
    }
}

/// A date typed into a form (`YYYY-MM-DD`, as `<input type=date>` sends it).
pub fn date(raw: &str) -> Result<NaiveDate, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| Problem::NotADate)
}

/// An optional id field: empty is `None`; anything else must be a valid id.
pub fn optional_id<T>(
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse(raw)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, Problem::BadFormat))
}

/// A date as offices write it: `2022-08-20`, `2022/8/20`, `2022.8.20`, `2022年8月20日`
/// (spreadsheet date cells reach here already as `YYYY-MM-DD`).
pub fn date_any(raw: &str) -> Result<NaiveDate, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    let t = t
        .strip_suffix('日')
        .or_else(|| t.strip_suffix('号'))
        .unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(Problem::NotADate);
    };
    let number = |s: &str| -> Option<u32> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (number(y), number(m), number(d)) {
        (Some(y), Some(m), Some(d)) if y >= 1000 => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            .ok_or(Problem::NotADate),
        _ => Err(Problem::NotADate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_offices_write_them() {
        let d = NaiveDate::from_ymd_opt(2022, 8, 20);
        for raw in [
            "2022-08-20",
            "2022/8/20",
            "2022.8.20",
            "2022年8月20日",
            " 2022年08月20号 ",
        ] {
            assert_eq!(date_any(raw).ok(), d, "{raw}");
        }
        for bad in ["8月20日", "2022-13-01", "20/8/2022", "明年", "2022-8-20-1"] {
            assert_eq!(date_any(bad), Err(Problem::NotADate), "{bad}");
        }
        assert_eq!(date_any(" "), Err(Problem::Required));
    }
}

/// Shortest and longest reason (不予挂牌, 退回, 退回整改 …), in characters.
pub const REASON_MIN: u32 = 2;
pub const REASON_MAX: u32 = 300;

/// Why a decision went against someone (不予挂牌, 退回修改, 退回交办 …): what they read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        text(raw, REASON_MIN, REASON_MAX)
            .map(Self)
            .map_err(|p| FieldError::new("reason", p))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reason {
    type Error = super::error::ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).map_err(super::error::ParseError)
    }
}
