//! Plans (年度重点任务清单): status, heading and the plan form.

use super::error::{Errors, FieldError, ParseError, Problem, for_serde};
use super::fields::{date, text, whole_number};
use super::ids::{PlanId, UnitId};
use super::light::LightSettings;
use super::task::TaskTitle;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The life of a plan: 草稿 → 揭榜中 → 推进中 → 已归档.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum PlanStatus {
    /// 草稿: being written, not visible to units.
    Draft,
    /// 揭榜中: published; units may claim tasks.
    Published,
    /// 推进中: claims settled, work under way.
    Running,
    /// 已归档: the year is over.
    Closed,
}

impl PlanStatus {
    /// Every status, in order.
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Draft,
        PlanStatus::Published,
        PlanStatus::Running,
        PlanStatus::Closed,
    ];

    /// The code name stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Published => "published",
            PlanStatus::Running => "running",
            PlanStatus::Closed => "closed",
        }
    }

    /// Parses a code name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The moves a plan may make: 草稿 → 揭榜中 → 推进中 → 已归档.
    pub fn may_become(self, to: PlanStatus) -> bool {
        matches!(
            (self, to),
            (PlanStatus::Draft, PlanStatus::Published)
                | (PlanStatus::Published, PlanStatus::Running)
                | (PlanStatus::Running, PlanStatus::Closed)
        )
    }
}

impl TryFrom<String> for PlanStatus {
    type Error = ParseError;
    fn try_from(code: String) -> Result<Self, ParseError> {
        for_serde("status", Self::parse(&code).ok_or(Problem::UnknownValue))
    }
}

/// A plan's heading data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: PlanId,
    pub year: i32,
    pub title: String,
    /// The issuing unit (e.g. 新区组织人事局).
    pub issuer: String,
    pub status: PlanStatus,
    /// Categories in their display order.
    pub categories: Vec<String>,
    /// Thresholds of the red/yellow/green rule.
    pub light_settings: LightSettings,
    /// 揭榜 window: when units may claim tasks.
    #[serde(default)]
    pub claim_window: Option<ClaimWindow>,
    /// 报送周期: units report each month by this day.
    #[serde(default = "default_report_day")]
    pub report_day: u8,
    /// Optimistic-concurrency version.
    pub version: u32,
}

/// 揭榜时间: the first and last day units may claim tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl ClaimWindow {
    /// Both dates or neither; `from` not after `to`; both within the plan year.
    pub fn parse_form(
        from: &str,
        to: &str,
        plan_year: Option<i32>,
        errors: &mut Errors,
    ) -> Option<Option<Self>> {
        if from.trim().is_empty() && to.trim().is_empty() {
            return Some(None);
        }
        let within = |field: &'static str, raw: &str| {
            date(raw)
                .and_then(|d| match plan_year {
                    Some(y) if d.year() != y => Err(Problem::OutsideYear { year: y }),
                    _ => Ok(d),
                })
                .map_err(|p| FieldError::new(field, p))
        };
        let from = errors.take(within("claim_from", from));
        let to = errors.take(within("claim_to", to).and_then(|to| {
            if from.is_some_and(|f| to < f) {
                Err(FieldError::new("claim_to", Problem::BeforeStart))
            } else {
                Ok(to)
            }
        }));
        Some(Some(Self {
            from: from?,
            to: to?,
        }))
    }
}

/// The day of the month by which units report unless a plan says otherwise ("每月25日前报送").
pub const DEFAULT_REPORT_DAY: u8 = 25;
/// Latest report day a plan may set: every month has it.
pub const REPORT_DAY_MAX: i64 = 28;

fn default_report_day() -> u8 {
    DEFAULT_REPORT_DAY
}

impl PlanSummary {
    /// When work on the plan starts counting for 序时进度: 1 January of the plan year.
    pub fn starts_on(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// Earliest and latest plan year accepted.
pub const YEARS: (i64, i64) = (2000, 2100);
/// Longest category name, in characters.
pub const CATEGORY_MAX_CHARS: u32 = 20;
/// Most categories a plan may have.
pub const CATEGORIES_MAX: u32 = 30;

/// A plan as a form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    pub year: String,
    pub title: String,
    /// Unit id of the issuing unit.
    pub issuer: String,
    /// Categories in display order; blank and repeated entries are dropped.
    pub categories: Vec<String>,
    pub yellow_behind: String,
    pub red_behind: String,
    pub due_soon_days: String,
    /// 揭榜 window, `YYYY-MM-DD` each; both empty for none.
    #[serde(default)]
    pub claim_from: String,
    #[serde(default)]
    pub claim_to: String,
    /// 每月报送日, 1–28; empty for the default.
    #[serde(default)]
    pub report_day: String,
}

/// A plan's heading and settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    pub year: i32,
    pub title: TaskTitle,
    pub issuer: UnitId,
    pub categories: Vec<String>,
    pub light: LightSettings,
    pub claim_window: Option<ClaimWindow>,
    pub report_day: u8,
}

impl PlanInput {
    /// Checks every field and reports every problem.
    pub fn parse(form: &PlanForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let year = errors.take(
            whole_number(&form.year, YEARS.0, YEARS.1)
                .map(|y| i32::try_from(y).unwrap_or_default())
                .map_err(|p| FieldError::new("year", p)),
        );
        let title =
            errors.take(TaskTitle::parse(&form.title).map_err(|p| FieldError::new("title", p)));
        let issuer = errors.take(UnitId::parse(form.issuer.trim()).ok_or_else(|| {
            let p = if form.issuer.trim().is_empty() {
                Problem::Required
            } else {
                Problem::BadFormat
            };
            FieldError::new("issuer", p)
        }));
        let mut categories: Vec<String> = Vec::new();
        for (i, raw) in form.categories.iter().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(c) = errors.take(
                text(raw, 1, CATEGORY_MAX_CHARS).map_err(|p| FieldError::at("categories", i, p)),
            ) && !categories.contains(&c)
            {
                categories.push(c);
            }
        }
        if categories.is_empty() {
            errors.push(FieldError::new("categories", Problem::Required));
        } else if categories.len() > CATEGORIES_MAX as usize {
            errors.push(FieldError::new(
                "categories",
                Problem::TooMany {
                    max: CATEGORIES_MAX,
                },
            ));
        }
        let light = LightSettings::parse_form(
            &form.yellow_behind,
            &form.red_behind,
            &form.due_soon_days,
            &mut errors,
        );
        let claim_window =
            ClaimWindow::parse_form(&form.claim_from, &form.claim_to, year, &mut errors);
        let report_day = if form.report_day.trim().is_empty() {
            Some(DEFAULT_REPORT_DAY)
        } else {
            errors.take(
                whole_number(&form.report_day, 1, REPORT_DAY_MAX)
                    .map(|d| u8::try_from(d).unwrap_or(DEFAULT_REPORT_DAY))
                    .map_err(|p| FieldError::new("report_day", p)),
            )
        };
        errors.finish(|| {
            Some(Self {
                year: year?,
                title: title?,
                issuer: issuer?,
                categories,
                light: light?,
                claim_window: claim_window?,
                report_day: report_day?,
            })
        })
    }
}

/// What 发榜 needs to know about one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCheck {
    pub number: u32,
    pub deadline: NaiveDate,
    pub criteria: usize,
}

/// Why a plan cannot be published yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum PublishIssue {
    /// The plan has no tasks.
    NoTasks,
    /// Task `number` has no 验收标准.
    NoCriteria { number: u32 },
    /// Task `number`'s 完成时限 is outside the plan year (and its grace period).
    DeadlineOutsideYear { number: u32 },
    /// The numbers skip `number` (they must run 1..N).
    NumberMissing { number: u32 },
}

/// Every reason the tasks cannot go up yet (empty when they can): each task needs a deadline in
/// the plan year and at least one criterion, and the numbers run 1..N without gaps.
pub fn publish_issues(year: i32, tasks: &[TaskCheck]) -> Vec<PublishIssue> {
    if tasks.is_empty() {
        return vec![PublishIssue::NoTasks];
    }
    let (first, last) = super::task::plan_year_bounds(year);
    let mut issues = Vec::new();
    let mut numbers: Vec<u32> = tasks.iter().map(|t| t.number).collect();
    numbers.sort_unstable();
    let highest = numbers.last().copied().unwrap_or(0);
    issues.extend(
        (1..highest)
            .filter(|n| numbers.binary_search(n).is_err())
            .map(|number| PublishIssue::NumberMissing { number }),
    );
    for t in tasks {
        if t.deadline < first || t.deadline > last {
            issues.push(PublishIssue::DeadlineOutsideYear { number: t.number });
        }
        if t.criteria == 0 {
            issues.push(PublishIssue::NoCriteria { number: t.number });
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_status_codes_round_trip_and_moves() {
        for s in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(s.code()), Some(s));
        }
        assert!(PlanStatus::Draft.may_become(PlanStatus::Published));
        assert!(!PlanStatus::Draft.may_become(PlanStatus::Closed));
        assert!(!PlanStatus::Closed.may_become(PlanStatus::Draft));
    }

    fn form() -> PlanForm {
        PlanForm {
            year: "2022".into(),
            title: "2022年度基层党建重点任务".into(),
            issuer: "zzrsj".into(),
            categories: vec![
                " 组织建设 ".into(),
                "".into(),
                "组织建设".into(),
                "基层治理".into(),
            ],
            yellow_behind: "10".into(),
            red_behind: "25".into(),
            due_soon_days: "15".into(),
            claim_from: "2022-01-10".into(),
            claim_to: "2022-01-20".into(),
            report_day: String::new(),
        }
    }

    #[test]
    fn publishing_lists_every_problem() {
        let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).expect("date");
        let ok = |number| TaskCheck {
            number,
            deadline: d(12, 31),
            criteria: 1,
        };
        assert!(publish_issues(2022, &[ok(1), ok(2)]).is_empty());
        assert_eq!(publish_issues(2022, &[]), vec![PublishIssue::NoTasks]);
        let late = TaskCheck {
            deadline: NaiveDate::from_ymd_opt(2023, 6, 1).expect("date"),
            ..ok(4)
        };
        let bare = TaskCheck {
            criteria: 0,
            ..ok(1)
        };
        assert_eq!(
            publish_issues(2022, &[bare, late]),
            vec![
                PublishIssue::NumberMissing { number: 2 },
                PublishIssue::NumberMissing { number: 3 },
                PublishIssue::NoCriteria { number: 1 },
                PublishIssue::DeadlineOutsideYear { number: 4 },
            ]
        );
    }

    #[test]
    fn plan_form_parses_and_reports_all_problems() {
        let plan = PlanInput::parse(&form()).expect("valid");
        let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).expect("date");
        assert_eq!(
            plan.claim_window,
            Some(ClaimWindow {
                from: d(1, 10),
                to: d(1, 20)
            })
        );
        let open_ended = PlanForm {
            claim_from: String::new(),
            claim_to: String::new(),
            ..form()
        };
        assert_eq!(
            PlanInput::parse(&open_ended).map(|p| p.claim_window),
            Ok(None)
        );
        let backwards = PlanForm {
            claim_from: "2022-01-20".into(),
            claim_to: "2022-01-10".into(),
            ..form()
        };
        assert_eq!(
            PlanInput::parse(&backwards),
            Err(vec![FieldError::new("claim_to", Problem::BeforeStart)])
        );
        let other_year = PlanForm {
            claim_from: "2021-12-20".into(),
            ..form()
        };
        assert_eq!(
            PlanInput::parse(&other_year),
            Err(vec![FieldError::new(
                "claim_from",
                Problem::OutsideYear { year: 2022 }
            )])
        );
        assert_eq!(
            plan.categories,
            vec!["组织建设".to_owned(), "基层治理".to_owned()]
        );
        let bad = PlanForm {
            year: "1999".into(),
            title: "".into(),
            issuer: "".into(),
            categories: vec![],
            yellow_behind: "30".into(),
            red_behind: "20".into(),
            due_soon_days: "x".into(),
            claim_from: "2022-01-10".into(),
            claim_to: "".into(),
            report_day: "31".into(),
        };
        assert_eq!(
            PlanInput::parse(&bad),
            Err(vec![
                FieldError::new(
                    "year",
                    Problem::OutOfRange {
                        min: 2000,
                        max: 2100
                    }
                ),
                FieldError::new("title", Problem::Required),
                FieldError::new("issuer", Problem::Required),
                FieldError::new("categories", Problem::Required),
                FieldError::new("due_soon_days", Problem::NotANumber),
                FieldError::new("claim_to", Problem::Required),
                FieldError::new("report_day", Problem::OutOfRange { min: 1, max: 28 }),
            ])
        );
        assert_eq!(PlanInput::parse(&form()).map(|p| p.report_day), Ok(25));
        let tenth = PlanForm {
            report_day: " 10 ".into(),
            ..form()
        };
        assert_eq!(PlanInput::parse(&tenth).map(|p| p.report_day), Ok(10));
        let order = PlanForm {
            yellow_behind: "30".into(),
            red_behind: "20".into(),
            ..form()
        };
        assert_eq!(
            PlanInput::parse(&order),
            Err(vec![FieldError::new("red_behind", Problem::ThresholdOrder)])
        );
    }
}
