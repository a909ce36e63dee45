//! Progress reports (进度填报) and the audit trail (留痕).

use super::error::{Errors, FieldError, Problem};
use super::fields::text;
use super::ids::{ReportId, TaskId};
use super::task::Percent;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest text accepted in one report field, in characters.
pub const REPORT_TEXT_MAX: u32 = 2000;
/// Most evidence items one report may carry.
pub const EVIDENCE_MAX: u32 = 20;

/// One piece of evidence (佐证材料): a name and where to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub name: String,
    /// A link or file reference; empty when the material is on paper.
    pub location: String,
}

/// A report as the form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    pub percent: String,
    /// 工作进展.
    pub done: String,
    /// 存在问题.
    #[serde(default)]
    pub problems: String,
    /// 下步打算.
    #[serde(default)]
    pub next_steps: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Id of the report this one corrects, or empty.
    #[serde(default)]
    pub corrects: String,
}

/// A validated new report, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReport {
    pub percent: Percent,
    pub done: String,
    pub problems: String,
    pub next_steps: String,
    pub evidence: Vec<Evidence>,
    /// The report this one corrects, if it is a correction.
    pub corrects: Option<ReportId>,
}

impl NewReport {
    /// Checks a report as entered: percent in range, 工作进展 filled in, texts within limits,
    /// evidence named. Every problem is reported.
    pub fn parse(form: &ReportForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let at = |f: &'static str| move |p: Problem| FieldError::new(f, p);
        let percent = errors.take(Percent::parse_text(&form.percent).map_err(at("percent")));
        let done = errors.take(text(&form.done, 1, REPORT_TEXT_MAX).map_err(at("done")));
        let problems =
            errors.take(text(&form.problems, 0, REPORT_TEXT_MAX).map_err(at("problems")));
        let next_steps =
            errors.take(text(&form.next_steps, 0, REPORT_TEXT_MAX).map_err(at("next_steps")));
        if form.evidence.len() > EVIDENCE_MAX as usize {
            errors.push(FieldError::new(
                "evidence",
                Problem::TooMany { max: EVIDENCE_MAX },
            ));
        }
        let mut evidence = Vec::new();
        for (i, e) in form.evidence.iter().enumerate().take(EVIDENCE_MAX as usize) {
            let name =
                errors.take(text(&e.name, 1, 200).map_err(|p| FieldError::at("evidence", i, p)));
            let location = errors
                .take(text(&e.location, 0, 500).map_err(|p| FieldError::at("evidence", i, p)));
            if let (Some(name), Some(location)) = (name, location) {
                evidence.push(Evidence { name, location });
            }
        }
        let corrects = match form.corrects.trim() {
            "" => None,
            raw => errors.take(
                ReportId::parse(raw).ok_or_else(|| FieldError::new("corrects", Problem::BadFormat)),
            ),
        };
        errors.finish(|| {
            Some(Self {
                percent: percent?,
                done: done?,
                problems: problems?,
                next_steps: next_steps?,
                evidence,
                corrects,
            })
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
    /// The calendar day of `at` in China Standard Time, as the 台账 dates it.
    pub day: NaiveDate,
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

    fn form(percent: &str, done: &str) -> ReportForm {
        ReportForm {
            percent: percent.into(),
            done: done.into(),
            ..Default::default()
        }
    }

    #[test]
    fn report_requires_done_work_and_valid_percent() {
        assert!(NewReport::parse(&form("50", "完成摸底")).is_ok());
        assert_eq!(
            NewReport::parse(&form("50", "  ")),
            Err(vec![FieldError::new("done", Problem::Required)])
        );
        assert_eq!(
            NewReport::parse(&form("abc", "")),
            Err(vec![
                FieldError::new("percent", Problem::NotANumber),
                FieldError::new("done", Problem::Required)
            ])
        );
        assert_eq!(
            NewReport::parse(&form("255", "x")),
            Err(vec![FieldError::new(
                "percent",
                Problem::OutOfRange { min: 0, max: 100 }
            )])
        );
        let long = ReportForm {
            problems: "字".repeat(REPORT_TEXT_MAX as usize + 1),
            ..form("50", "x")
        };
        assert_eq!(
            NewReport::parse(&long),
            Err(vec![FieldError::new(
                "problems",
                Problem::TooLong { max: 2000 }
            )])
        );
        let unnamed = ReportForm {
            evidence: vec![Evidence {
                name: " ".into(),
                location: String::new(),
            }],
            ..form("50", "x")
        };
        assert_eq!(
            NewReport::parse(&unnamed),
            Err(vec![FieldError::at("evidence", 0, Problem::Required)])
        );
    }
}
