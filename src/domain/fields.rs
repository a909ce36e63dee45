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
