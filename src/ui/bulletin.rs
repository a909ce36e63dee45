//! The words of the 督办通报, shared by its page and its workbook.

use crate::domain::bulletin::Bulletin;
use crate::domain::supervision::Supervision;
use crate::ui::format::date_zh;
use crate::ui::messages;
use chrono::{Datelike, NaiveDate};

/// 2022年度党建重点任务督办通报
pub fn title(b: &Bulletin) -> String {
    format!("{}督办通报", b.plan.title)
}

/// 2022年第7期(截至2022年7月29日)
pub fn issue_line(b: &Bulletin) -> String {
    format!(
        "{}年第{}期(截至{})",
        b.as_of.year(),
        b.issue,
        date_zh(b.as_of)
    )
}

/// One 催办 or 督办单 as the bulletin lists it: when, what, its number, what was asked, and
/// whether the unit answered.
pub fn pressed_line(s: &Supervision, as_of: NaiveDate) -> String {
    let number = s
        .number
        .map(|n| format!("(督办〔{}〕{n}号)", s.year))
        .unwrap_or_default();
    let state = if s.feedback.is_some() {
        "已反馈".to_owned()
    } else if s.overdue(as_of) {
        "逾期未反馈".to_owned()
    } else {
        format!("待反馈,{}前", date_zh(s.feedback_by))
    };
    format!(
        "{} {}{number}:{}【{state}】",
        date_zh(s.day),
        messages::supervision_kind(s.kind),
        s.requirement
    )
}

/// The file name of the workbook.
pub fn file_stem(b: &Bulletin) -> String {
    format!("{}_{}", title(b), b.as_of.format("%Y%m%d"))
}
