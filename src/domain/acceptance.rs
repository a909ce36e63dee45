//! 验收销号: the office checks a task submitted for acceptance against each of its 验收标准
//! (达标 / 未达标 with a comment). All met: the task is 已销号. Any not met: 退回整改 with the
//! reasons and a 整改时限; the task goes back to work, and every round stays on record.

use super::error::{Errors, FieldError, Problem};
use super::fields::{date, text};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest comment on one criterion, in characters.
pub const COMMENT_MAX: u32 = 300;

/// The review as the form delivers it: per criterion `met` or `unmet` and a comment, and the
/// 整改时限 when something is not met.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub verdicts: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub rectify_by: String,
}

/// One criterion's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub met: bool,
    pub note: String,
}

/// A checked review: one verdict per criterion; a 整改时限 exactly when one is not met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdicts: Vec<Verdict>,
    pub rectify_by: Option<NaiveDate>,
}

impl Review {
    /// Checks a review of a task with `criteria` criteria on `today`: every criterion judged,
    /// each 未达标 with a comment saying what is missing, and then a 整改时限 after today.
    /// Every problem is reported.
    pub fn parse(
        form: &ReviewForm,
        criteria: usize,
        today: NaiveDate,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut verdicts = Vec::with_capacity(criteria);
        for i in 0..criteria {
            let raw = form.verdicts.get(i).map(|v| v.trim()).unwrap_or_default();
            let note = form.notes.get(i).map(String::as_str).unwrap_or_default();
            let met = match raw {
                "met" => Some(true),
                "unmet" => Some(false),
                "" => {
                    errors.push(FieldError::at("verdicts", i, Problem::Required));
                    None
                }
                _ => {
                    errors.push(FieldError::at("verdicts", i, Problem::UnknownValue));
                    None
                }
            };
            let min = u32::from(met == Some(false));
            let note = errors
                .take(text(note, min, COMMENT_MAX).map_err(|p| FieldError::at("notes", i, p)));
            if let (Some(met), Some(note)) = (met, note) {
                verdicts.push(Verdict { met, note });
            }
        }
        if form.verdicts.len() > criteria {
            errors.push(FieldError::new(
                "verdicts",
                Problem::TooMany {
                    max: u32::try_from(criteria).unwrap_or(u32::MAX),
                },
            ));
        }
        let any_unmet = form
            .verdicts
            .iter()
            .take(criteria)
            .any(|v| v.trim() == "unmet");
        let rectify_by = if !any_unmet {
            None
        } else {
            match date(&form.rectify_by) {
                Ok(d) if d <= today => {
                    errors.push(FieldError::new("rectify_by", Problem::NotInFuture));
                    None
                }
                Ok(d) => Some(d),
                Err(p) => {
                    errors.push(FieldError::new("rectify_by", p));
                    None
                }
            }
        };
        errors.finish(|| {
            (verdicts.len() == criteria).then_some(Self {
                verdicts,
                rectify_by,
            })
        })
    }

    /// Whether every criterion is met (验收销号) rather than any not (退回整改).
    pub fn passed(&self) -> bool {
        self.verdicts.iter().all(|v| v.met)
    }
}

/// 自查 as the form delivers it: per criterion, how the unit met it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheckForm {
    #[serde(default)]
    pub checks: Vec<String>,
}

/// Checks the 自查 of a task with `criteria` criteria, submitted for acceptance: one statement
/// per criterion (2–300 characters), each problem reported with its position.
pub fn self_checks(form: &SelfCheckForm, criteria: usize) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Errors::default();
    let mut checks = Vec::with_capacity(criteria);
    for i in 0..criteria {
        let raw = form.checks.get(i).map(String::as_str).unwrap_or_default();
        if let Some(t) =
            errors.take(text(raw, 2, COMMENT_MAX).map_err(|p| FieldError::at("checks", i, p)))
        {
            checks.push(t);
        }
    }
    if form.checks.len() > criteria {
        errors.push(FieldError::new(
            "checks",
            Problem::TooMany {
                max: u32::try_from(criteria).unwrap_or(u32::MAX),
            },
        ));
    }
    errors.finish(|| (checks.len() == criteria).then_some(checks))
}

/// One round of acceptance as the task page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceRound {
    /// 1, 2, …: the how-many-th review of this task.
    pub round: u32,
    pub reviewer: String,
    pub at: DateTime<Utc>,
    pub passed: bool,
    /// Each criterion's text as it stood, with its verdict.
    pub verdicts: Vec<(String, Verdict)>,
    pub rectify_by: Option<NaiveDate>,
}

#[cfg(test)]
mod self_check_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn form(checks: &[&str]) -> SelfCheckForm {
        SelfCheckForm {
            checks: checks.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn every_criterion_needs_its_self_check() {
        assert_eq!(
            self_checks(&form(&[" 已建成3个驿站 ", "台账齐全"]), 2),
            Ok(vec!["已建成3个驿站".to_owned(), "台账齐全".to_owned()])
        );
        let errors = self_checks(&form(&["", "好"]), 3).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::at("checks", 0, Problem::Required),
                FieldError::at("checks", 1, Problem::TooShort { min: 2 }),
                FieldError::at("checks", 2, Problem::Required),
            ]
        );
        let long = "长".repeat(301);
        assert_eq!(
            self_checks(&form(&[long.as_str()]), 1),
            Err(vec![FieldError::at(
                "checks",
                0,
                Problem::TooLong { max: 300 }
            )])
        );
        assert!(self_checks(&form(&["已完成", "已完成"]), 1).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 7, 29).expect("date")
    }

    fn form(verdicts: &[&str], notes: &[&str], rectify_by: &str) -> ReviewForm {
        ReviewForm {
            verdicts: verdicts.iter().map(|s| (*s).to_owned()).collect(),
            notes: notes.iter().map(|s| (*s).to_owned()).collect(),
            rectify_by: rectify_by.to_owned(),
        }
    }

    #[test]
    fn all_met_passes_without_a_deadline() {
        let review = Review::parse(&form(&["met", "met"], &["", "台账齐全"], ""), 2, today())
            .expect("valid");
        assert!(review.passed());
        assert_eq!(review.rectify_by, None);
        assert_eq!(review.verdicts[1].note, "台账齐全");
    }

    #[test]
    fn a_criterion_not_met_needs_a_comment_and_a_deadline() {
        let review = Review::parse(
            &form(
                &["met", "unmet"],
                &["", "缺少3个小区的会议记录"],
                "2022-08-31",
            ),
            2,
            today(),
        )
        .expect("valid");
        assert!(!review.passed());
        assert_eq!(review.rectify_by, NaiveDate::from_ymd_opt(2022, 8, 31));
        assert_eq!(
            Review::parse(
                &form(&["met", "unmet"], &["", " "], "2022-07-29"),
                2,
                today()
            ),
            Err(vec![
                FieldError::at("notes", 1, Problem::Required),
                FieldError::new("rectify_by", Problem::NotInFuture),
            ])
        );
        assert_eq!(
            Review::parse(&form(&["unmet"], &["缺台账"], ""), 1, today()),
            Err(vec![FieldError::new("rectify_by", Problem::Required)])
        );
    }

    #[test]
    fn every_criterion_is_judged() {
        assert_eq!(
            Review::parse(&form(&["met", "", "maybe"], &[], ""), 3, today()),
            Err(vec![
                FieldError::at("verdicts", 1, Problem::Required),
                FieldError::at("verdicts", 2, Problem::UnknownValue),
            ])
        );
        assert_eq!(
            Review::parse(&form(&["met"], &[], ""), 2, today()),
            Err(vec![FieldError::at("verdicts", 1, Problem::Required)])
        );
    }
}
