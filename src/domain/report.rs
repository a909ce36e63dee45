//! Progress reports (进度填报) and the audit trail (留痕).

use super::ids::{ReportId, TaskId};
use super::task::Percent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest text accepted in one report field, in characters.
pub const REPORT_TEXT_MAX: usize = 2000;

/// A report text field (已完成工作 / 存在问题 / 下步计划): trimmed, at most 2000 characters;
/// may be empty except where the report requires it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportText(String);

impl ReportText {
    /// Trims and checks the length.
    pub fn parse(raw: &str, what: &str) -> Result<Self, String> {
        let text = raw.trim();
        if text.chars().count() > REPORT_TEXT_MAX {
            return Err(format!("{what}最多 {REPORT_TEXT_MAX} 个字"));
        }
        Ok(Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One piece of evidence (佐证材料): a name and where to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub name: String,
    /// A link or file reference; empty when the material is on paper.
    pub location: String,
}

/// A validated new report, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReport {
    pub percent: Percent,
    pub done: ReportText,
    pub problems: ReportText,
    pub next_steps: ReportText,
    pub evidence: Vec<Evidence>,
    /// The report this one corrects, if it is a correction.
    pub corrects: Option<ReportId>,
}

impl NewReport {
    /// Checks a report as entered: percent in range, the done-work field filled in, texts
    /// within limits, evidence named.
    pub fn parse(
        percent: i64,
        done: &str,
        problems: &str,
        next_steps: &str,
        evidence: Vec<Evidence>,
        corrects: Option<ReportId>,
    ) -> Result<Self, String> {
        let done = ReportText::parse(done, "已完成工作")?;
        if done.is_empty() {
            return Err("请填写已完成工作".to_owned());
        }
        if evidence.len() > 20 {
            return Err("佐证材料最多 20 项".to_owned());
        }
        if evidence.iter().any(|e| e.name.trim().is_empty()) {
            return Err("佐证材料须有名称".to_owned());
        }
        if evidence
            .iter()
            .any(|e| e.name.trim().chars().count() > 200 || e.location.trim().chars().count() > 500)
        {
            return Err("佐证材料名称最多 200 个字,位置最多 500 个字".to_owned());
        }
        Ok(Self {
            percent: Percent::parse(percent)?,
            done,
            problems: ReportText::parse(problems, "存在问题")?,
            next_steps: ReportText::parse(next_steps, "下步计划")?,
            evidence,
            corrects,
        })
    }
}

/// A stored report. Reports are never edited: a correction is a new report naming the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub id: ReportId,
    pub task: TaskId,
    pub author: String,
    pub at: DateTime<Utc>,
    pub percent: Percent,
    pub done: String,
    pub problems: String,
    pub next_steps: String,
    pub evidence: Vec<Evidence>,
    pub corrects: Option<ReportId>,
}

/// One entry of the audit trail: who changed what, when, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// The changed record, as `table:key`.
    pub entity: String,
    /// What was done (`create`, `update`, `transition`, `report` …).
    pub action: String,
    /// A human-readable account of the change.
    pub summary: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_requires_done_work_and_valid_percent() {
        assert!(NewReport::parse(50, "完成摸底", "", "", vec![], None).is_ok());
        assert_eq!(
            NewReport::parse(50, "  ", "", "", vec![], None),
            Err("请填写已完成工作".to_owned())
        );
        assert!(NewReport::parse(101, "x", "", "", vec![], None).is_err());
        let long = "字".repeat(REPORT_TEXT_MAX + 1);
        assert!(NewReport::parse(50, "x", &long, "", vec![], None).is_err());
        let unnamed = vec![Evidence {
            name: " ".into(),
            location: String::new(),
        }];
        assert!(NewReport::parse(50, "x", "", "", unnamed, None).is_err());
    }
}
