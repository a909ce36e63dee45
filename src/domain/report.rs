//! Progress reports (进度填报) and the audit trail (留痕).

use super::error::{Errors, FieldError, Problem};
use super::fields::text;
use super::ids::{ReportId, TaskId, UnitId};
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

/// Where a report stands. A liaison's report waits for the unit head (待审核) unless the unit
/// lets it go straight through; the head 报送 it or sends it back (退回修改). Only a 报送ed
/// report counts: it sets the task's percent and is seen outside the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
    Returned,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 3] = [Self::Draft, Self::Submitted, Self::Returned];

    /// Code name (database, forms).
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
        }
    }

    /// Parses a code name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Whose part a report is: the lead unit's (it counts for the task's percent and milestones)
/// or a co-unit's (配合单位报送: what it did for the task, in the lead unit's report cycle; it
/// moves nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportPart {
    #[default]
    Lead,
    Co,
}

impl ReportPart {
    pub fn code(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Co => "co",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Lead, Self::Co]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// An evidence file stored with a report: its safe name, type, size and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// SHA-256 of the content, hex: where the file is stored.
    pub sha256: String,
}

/// A milestone a report says was reached (by its position in the task's list), and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reached {
    pub index: u32,
    pub on: NaiveDate,
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
    /// Milestones ticked as reached: (position, date as entered).
    #[serde(default)]
    pub reached: Vec<(u32, String)>,
    /// `co` for a co-unit's part (配合单位报送); empty for the lead unit's report.
    #[serde(default)]
    pub part: String,
}

/// A validated new report, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReport {
    /// The lead unit's percent; a co-unit's part gives none.
    pub percent: Option<Percent>,
    pub part: ReportPart,
    pub done: String,
    pub problems: String,
    pub next_steps: String,
    pub evidence: Vec<Evidence>,
    /// The report this one corrects, if it is a correction.
    pub corrects: Option<ReportId>,
    /// Milestones reached, by position, each with a date no later than the day of the report.
    pub reached: Vec<Reached>,
}

impl NewReport {
    /// Checks a report as entered on `today`: percent in range, 工作进展 filled in, texts within
    /// limits, evidence named, reached milestones dated (not in the future). Every problem is
    /// reported. (Whether a reached milestone exists and is still open is checked against the
    /// task: [`check_reached`].)
    pub fn parse(form: &ReportForm, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let at = |f: &'static str| move |p: Problem| FieldError::new(f, p);
        let part = match form.part.trim() {
            "" => Some(ReportPart::Lead),
            raw => errors.take(
                ReportPart::parse(raw)
                    .ok_or_else(|| FieldError::new("part", Problem::UnknownValue)),
            ),
        };
        // A co-unit reports what it did; the task's percent and milestones are the lead's.
        let co = part == Some(ReportPart::Co);
        let percent = if co {
            Some(None)
        } else {
            errors
                .take(Percent::parse_text(&form.percent).map_err(at("percent")))
                .map(Some)
        };
        if co && !form.reached.is_empty() {
            errors.push(FieldError::new("reached", Problem::UnknownValue));
        }
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
        let mut reached = Vec::new();
        for (index, raw) in &form.reached {
            let at = |p| FieldError::at("reached_on", *index as usize, p);
            match super::fields::date(raw) {
                Ok(on) if on > today => errors.push(at(Problem::InFuture)),
                Ok(on) => reached.push(Reached { index: *index, on }),
                Err(p) => errors.push(at(p)),
            }
        }
        reached.sort_by_key(|r| r.index);
        reached.dedup_by_key(|r| r.index);
        errors.finish(|| {
            Some(Self {
                percent: percent?,
                part: part?,
                done: done?,
                problems: problems?,
                next_steps: next_steps?,
                evidence,
                corrects,
                reached,
            })
        })
    }
}

/// Checks reached milestones against the task's (`done`: whether each is reached already):
/// each must exist and still be open.
pub fn check_reached(reached: &[Reached], done: &[bool]) -> Result<(), Vec<FieldError>> {
    let problems: Vec<FieldError> = reached
        .iter()
        .filter_map(|r| match done.get(r.index as usize) {
            None => Some(FieldError::at(
                "reached",
                r.index as usize,
                Problem::NoSuchRecord,
            )),
            Some(true) => Some(FieldError::at(
                "reached",
                r.index as usize,
                Problem::Duplicate,
            )),
            Some(false) => None,
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
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
    pub status: ReportStatus,
    /// The unit the author reported for (none for the office).
    pub unit: Option<UnitId>,
    pub files: Vec<EvidenceFile>,
    pub reached: Vec<Reached>,
    /// Who 报送ed or sent back a draft, and the note sent back.
    pub reviewed_by: Option<String>,
    pub review_note: String,
    /// The lead unit's report, or a co-unit's part (配合单位报送: its percent is the task's
    /// at the time, not the co-unit's claim).
    #[serde(default)]
    pub part: ReportPart,
    /// The unit's name, for a co-unit's part.
    #[serde(default)]
    pub unit_name: Option<String>,
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

    impl NewReport {
        fn parse_today(form: &ReportForm) -> Result<Self, Vec<FieldError>> {
            Self::parse(form, today())
        }
    }

    fn form(percent: &str, done: &str) -> ReportForm {
        ReportForm {
            percent: percent.into(),
            done: done.into(),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 7, 29).expect("date")
    }

    #[test]
    fn reached_milestones_need_a_date_not_in_the_future() {
        let with = |reached: Vec<(u32, &str)>| {
            NewReport::parse(
                &ReportForm {
                    reached: reached
                        .into_iter()
                        .map(|(i, d)| (i, d.to_owned()))
                        .collect(),
                    ..form("50", "x")
                },
                today(),
            )
        };
        let ok = with(vec![
            (1, "2022-07-20"),
            (0, "2022-07-29"),
            (1, "2022-07-21"),
        ])
        .expect("ok");
        let on = |m, d| NaiveDate::from_ymd_opt(2022, m, d).expect("date");
        assert_eq!(
            ok.reached,
            vec![
                Reached {
                    index: 0,
                    on: on(7, 29)
                },
                Reached {
                    index: 1,
                    on: on(7, 20)
                }
            ]
        );
        assert_eq!(
            with(vec![(2, "2022-07-30"), (3, ""), (4, "七月")]),
            Err(vec![
                FieldError::at("reached_on", 2, Problem::InFuture),
                FieldError::at("reached_on", 3, Problem::Required),
                FieldError::at("reached_on", 4, Problem::NotADate),
            ])
        );
        let r = |index| Reached {
            index,
            on: on(7, 1),
        };
        assert_eq!(check_reached(&[r(0)], &[false, true]), Ok(()));
        assert_eq!(
            check_reached(&[r(1), r(2)], &[false, true]),
            Err(vec![
                FieldError::at("reached", 1, Problem::Duplicate),
                FieldError::at("reached", 2, Problem::NoSuchRecord),
            ])
        );
    }

    #[test]
    fn report_requires_done_work_and_valid_percent() {
        assert!(NewReport::parse_today(&form("50", "完成摸底")).is_ok());
        assert_eq!(
            NewReport::parse_today(&form("50", "  ")),
            Err(vec![FieldError::new("done", Problem::Required)])
        );
        assert_eq!(
            NewReport::parse_today(&form("abc", "")),
            Err(vec![
                FieldError::new("percent", Problem::NotANumber),
                FieldError::new("done", Problem::Required)
            ])
        );
        assert_eq!(
            NewReport::parse_today(&form("255", "x")),
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
            NewReport::parse_today(&long),
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
            NewReport::parse_today(&unnamed),
            Err(vec![FieldError::at("evidence", 0, Problem::Required)])
        );
    }
}
