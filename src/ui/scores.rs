//! 量化考评's words that the page and the .xlsx workbook share, so both read the same.

use crate::domain::score::{Part, Points, UnitScore};

/// 待评, for a judged item not yet confirmed.
pub const NOT_JUDGED: &str = "待评";

/// A unit's place: 3, or 3(并列) when another unit has the same total.
pub fn place(s: &UnitScore) -> String {
    if s.tied {
        format!("{}(并列)", s.rank)
    } else {
        s.rank.to_string()
    }
}

/// A judged item's points, or 待评.
pub fn judged(points: Option<Points>) -> String {
    points.map_or_else(|| NOT_JUDGED.to_owned(), |p| p.to_string())
}

/// 牵头 or 配合.
pub fn part(part: Part) -> &'static str {
    match part {
        Part::Lead => "牵头",
        Part::Co => "配合",
    }
}
