//! Tasks (重点任务): status, validated fields, and the task form parsed into them.

use super::error::{Errors, FieldError, ParseError, Problem, for_serde};
use super::fields::{date, optional_id, text, whole_number};
use super::ids::{PersonId, UnitId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a task stands in its life: 待揭榜 → 待挂牌 (or 交办 → 待签收) → 推进中 → 待验收 →
/// 已销号, with 退回整改 and 已撤项 on the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum TaskStatus {
    /// 待揭榜: posted, nobody has claimed it yet.
    Open,
    /// 待挂牌: a unit claimed it; the office has not confirmed it yet.
    Claimed,
    /// 待签收: assigned to a unit (交办, or published with a lead unit); the unit has not
    /// acknowledged it yet.
    Assigned,
    /// 推进中: owned and being worked on.
    InProgress,
    /// 待验收: the owner says it is done; waiting for acceptance.
    Submitted,
    /// 已销号: accepted and closed.
    Accepted,
    /// 退回整改: acceptance refused, back to the owner with reasons.
    Returned,
    /// 已撤项: withdrawn from the plan.
    Cancelled,
}

impl TaskStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [TaskStatus; 8] = [
        TaskStatus::Open,
        TaskStatus::Claimed,
        TaskStatus::Assigned,
        TaskStatus::InProgress,
        TaskStatus::Submitted,
        TaskStatus::Accepted,
        TaskStatus::Returned,
        TaskStatus::Cancelled,
    ];

    /// The code name stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Claimed => "claimed",
            TaskStatus::Assigned => "assigned",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Submitted => "submitted",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Returned => "returned",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a code name; `None` for anything else.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether progress may be reported: only while the work is under way.
    pub fn accepts_reports(self) -> bool {
        matches!(self, TaskStatus::InProgress | TaskStatus::Returned)
    }

    /// Done from the unit's side (待验收, 已销号): boards show these in their own colour, not
    /// with a light.
    pub fn is_finished(self) -> bool {
        matches!(self, TaskStatus::Submitted | TaskStatus::Accepted)
    }
}

impl TryFrom<String> for TaskStatus {
    type Error = ParseError;
    fn try_from(code: String) -> Result<Self, ParseError> {
        for_serde("status", Self::parse(&code).ok_or(Problem::UnknownValue))
    }
}

/// A task title: trimmed, 2 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaskTitle(String);

impl TaskTitle {
    /// Shortest title accepted, in characters.
    pub const MIN_CHARS: u32 = 2;
    /// Longest title accepted, in characters.
    pub const MAX_CHARS: u32 = 100;

    /// Trims and checks the length (in characters, not bytes: titles are Chinese).
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        text(raw, Self::MIN_CHARS, Self::MAX_CHARS).map(Self)
    }

    /// The title text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TaskTitle {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, ParseError> {
        for_serde("title", Self::parse(&raw))
    }
}

impl From<TaskTitle> for String {
    fn from(t: TaskTitle) -> String {
        t.0
    }
}

/// A completion percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Percent(u8);

impl Percent {
    /// Checks the range.
    pub fn parse(value: i64) -> Result<Self, Problem> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Self)
            .ok_or(Problem::OutOfRange { min: 0, max: 100 })
    }

    /// Parses what a form field holds.
    pub fn parse_text(raw: &str) -> Result<Self, Problem> {
        whole_number(raw, 0, 100).and_then(Self::parse)
    }

    /// The value, 0..=100.
    pub fn value(self) -> u8 {
        self.0
    }
}

/// Accepts a number (JSON) or its text (forms), always through [`Percent::parse`].
impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Percent;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a percentage")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Percent, E> {
                for_serde("percent", Percent::parse(v)).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Percent, E> {
                let v = i64::try_from(v).unwrap_or(i64::MAX);
                for_serde("percent", Percent::parse(v)).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Percent, E> {
                for_serde("percent", Percent::parse_text(v)).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Days after the end of the plan year that a deadline may still fall on.
pub const DEADLINE_GRACE_DAYS: i64 = 90;

/// The first and last day a date of the plan year may fall on.
pub fn plan_year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).map_or(NaiveDate::MAX, |d| {
        d + chrono::Duration::days(DEADLINE_GRACE_DAYS)
    });
    (first, last)
}

/// 完成时限: a date within the plan year (plus [`DEADLINE_GRACE_DAYS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Deadline(NaiveDate);

impl Deadline {
    /// Checks the date against the plan year.
    pub fn parse(date: NaiveDate, plan_year: i32) -> Result<Self, Problem> {
        let (first, last) = plan_year_bounds(plan_year);
        if date >= first && date <= last {
            Ok(Self(date))
        } else {
            Err(Problem::OutsideYear { year: plan_year })
        }
    }

    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// One dated goal of a task (推进目标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is to be reached.
    pub title: String,
    /// When it is due.
    pub due: NaiveDate,
    /// When it was reached, if it was.
    pub done_on: Option<NaiveDate>,
    /// 节点目标值: the percent the task should stand at by `due`; `None` leaves expected
    /// progress linear between its neighbours.
    #[serde(default)]
    pub target: Option<Percent>,
}

impl Milestone {
    /// Whether it has been reached.
    pub fn done(&self) -> bool {
        self.done_on.is_some()
    }
}

/// Longest milestone or criterion text, in characters.
pub const ITEM_MAX_CHARS: u32 = 200;
/// Most milestones or criteria one task may have.
pub const ITEMS_MAX: u32 = 30;

/// One acceptance criterion (验收标准) and, once reviewed, whether it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub text: String,
    /// `None` until acceptance review (待核验); then met or not.
    pub met: Option<bool>,
    /// The reviewer's note.
    pub note: String,
    /// The unit's 自查 when it last submitted the task for acceptance (empty before).
    #[serde(default)]
    pub self_check: String,
}

/// 定人定岗定责: who answers for a task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Responsibility {
    /// 牵头单位 (its id, for deciding who may act).
    pub lead_unit_id: Option<UnitId>,
    /// 牵头单位.
    pub lead_unit: Option<String>,
    /// 配合单位.
    pub co_units: Vec<String>,
    /// 配合单位 (their ids, for deciding who may add their part).
    #[serde(default)]
    pub co_unit_ids: Vec<UnitId>,
    /// 责任人.
    pub owner: Option<String>,
    /// 岗位.
    pub post: String,
    /// 分管领导.
    pub supervisor: Option<String>,
}

/// One 推进目标 row as a form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneForm {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// `YYYY-MM-DD`, empty while not reached.
    #[serde(default)]
    pub done_on: String,
    /// 节点目标值, 0–100, or empty.
    #[serde(default)]
    pub target: String,
}

/// A task as a form (or an import row, or the demo seed) delivers it: text, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForm {
    pub number: String,
    pub title: String,
    pub category: String,
    #[serde(default)]
    pub description: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    #[serde(default)]
    pub milestones: Vec<MilestoneForm>,
    /// One criterion per entry; blank entries are dropped.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Unit id; empty means the task goes up for 揭榜.
    #[serde(default)]
    pub lead_unit: String,
    #[serde(default)]
    pub co_units: Vec<String>,
    /// Person id, or empty.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub post: String,
    /// Person id, or empty.
    #[serde(default)]
    pub supervisor: String,
    #[serde(default)]
    pub key: bool,
    #[serde(default)]
    pub focus: bool,
}

/// A task's content, every field checked against its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInput {
    pub number: u32,
    pub title: TaskTitle,
    pub category: String,
    pub description: String,
    pub deadline: Deadline,
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<Criterion>,
    pub lead_unit: Option<UnitId>,
    pub co_units: Vec<UnitId>,
    pub owner: Option<PersonId>,
    pub post: String,
    pub supervisor: Option<PersonId>,
    pub key: bool,
    pub focus: bool,
}

/// Highest task number (a province-wide list may run to thousands).
pub const MAX_TASK_NUMBER: i64 = 99_999;
/// Longest task description, in characters.
pub const DESCRIPTION_MAX_CHARS: u32 = 2000;
/// Longest post (岗位), in characters.
pub const POST_MAX_CHARS: u32 = 60;

impl TaskInput {
    /// Checks every field against the plan (its year and categories) and reports every problem.
    /// `published`: a task of a published plan needs at least one acceptance criterion.
    pub fn parse(
        form: &TaskForm,
        plan_year: i32,
        categories: &[String],
        published: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let field = |name: &'static str| move |p: Problem| FieldError::new(name, p);
        let number = errors.take(
            whole_number(&form.number, 1, MAX_TASK_NUMBER)
                .map(|n| u32::try_from(n).unwrap_or(1))
                .map_err(field("number")),
        );
        let title = errors.take(TaskTitle::parse(&form.title).map_err(field("title")));
        let category = form.category.trim().to_owned();
        if category.is_empty() {
            errors.push(FieldError::new("category", Problem::Required));
        } else if !categories.contains(&category) {
            errors.push(FieldError::new("category", Problem::UnknownValue));
        }
        let description = errors
            .take(text(&form.description, 0, DESCRIPTION_MAX_CHARS).map_err(field("description")));
        let deadline = errors.take(
            date(&form.deadline)
                .and_then(|d| Deadline::parse(d, plan_year))
                .map_err(field("deadline")),
        );
        let milestones = parse_milestones(
            &form.milestones,
            deadline.map(Deadline::date),
            plan_year,
            &mut errors,
        );
        let criteria = parse_criteria(&form.criteria, published, &mut errors);
        let lead_unit = errors
            .take(optional_id("lead_unit", &form.lead_unit, UnitId::parse))
            .flatten();
        let mut co_units: Vec<UnitId> = Vec::new();
        for (i, raw) in form.co_units.iter().enumerate() {
            match optional_id("co_units", raw, UnitId::parse) {
                Ok(None) => {}
                Ok(Some(u)) if co_units.contains(&u) || lead_unit.as_ref() == Some(&u) => {
                    errors.push(FieldError::at("co_units", i, Problem::Duplicate));
                }
                Ok(Some(u)) => co_units.push(u),
                Err(_) => errors.push(FieldError::at("co_units", i, Problem::BadFormat)),
            }
        }
        let owner = errors
            .take(optional_id("owner", &form.owner, PersonId::parse))
            .flatten();
        let supervisor = errors
            .take(optional_id("supervisor", &form.supervisor, PersonId::parse))
            .flatten();
        let post = errors.take(text(&form.post, 0, POST_MAX_CHARS).map_err(field("post")));
        errors.finish(|| {
            Some(Self {
                number: number?,
                title: title?,
                category,
                description: description?,
                deadline: deadline?,
                milestones,
                criteria,
                lead_unit,
                co_units,
                owner,
                post: post?,
                supervisor,
                key: form.key,
                focus: form.focus,
            })
        })
    }
}

/// 推进目标 and 验收标准 as a 调整申请 proposes them, rows as the task form names them
/// (`goals[milestones][0][due]`, `goals[criteria][0]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalsForm {
    #[serde(default)]
    pub milestones: Vec<MilestoneForm>,
    #[serde(default)]
    pub criteria: Vec<String>,
}

impl GoalsForm {
    /// The form as it starts out: the goals as they stand.
    pub fn of(milestones: &[Milestone], criteria: &[Criterion]) -> Self {
        Self {
            milestones: milestones
                .iter()
                .map(|m| MilestoneForm {
                    title: m.title.clone(),
                    due: m.due.to_string(),
                    done_on: m.done_on.map(|d| d.to_string()).unwrap_or_default(),
                    target: m.target.map(|t| t.value().to_string()).unwrap_or_default(),
                })
                .collect(),
            criteria: criteria.iter().map(|c| c.text.clone()).collect(),
        }
    }
}

/// A task's 推进目标 and 验收标准, checked as the task form checks them (within the plan year,
/// not after the deadline, at least one criterion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalsInput {
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<Criterion>,
}

impl GoalsInput {
    pub fn parse(
        form: &GoalsForm,
        deadline: NaiveDate,
        plan_year: i32,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let milestones = parse_milestones(&form.milestones, Some(deadline), plan_year, &mut errors);
        let criteria = parse_criteria(&form.criteria, true, &mut errors);
        errors.finish(|| {
            Some(Self {
                milestones,
                criteria,
            })
        })
    }
}

/// What a form does not carry stays as it was: a milestone kept (same goal, same date) stays
/// reached, a criterion kept (same text) keeps its verdict and 自查.
pub fn carry_over(
    milestones: &mut [Milestone],
    criteria: &mut [Criterion],
    before_milestones: &[Milestone],
    before_criteria: &[Criterion],
) {
    for m in milestones {
        if let Some(old) = before_milestones
            .iter()
            .find(|o| o.title == m.title && o.due == m.due)
        {
            m.done_on = old.done_on;
        }
    }
    for c in criteria {
        if let Some(old) = before_criteria.iter().find(|o| o.text == c.text) {
            c.met = old.met;
            c.note.clone_from(&old.note);
            c.self_check.clone_from(&old.self_check);
        }
    }
}

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Change<T> {
    /// `Some` when the value changed.
    fn of(before: T, after: T) -> Option<Self> {
        (before != after).then_some(Self { before, after })
    }
}

/// A task's goals as they stand: what an 调整 (adjustment) is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Goals {
    pub deadline: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<String>,
}

impl Goals {
    /// The goals a checked form sets.
    pub fn of(input: &TaskInput) -> Self {
        Self {
            deadline: Some(input.deadline.date()),
            milestones: input.milestones.clone(),
            criteria: input.criteria.iter().map(|c| c.text.clone()).collect(),
        }
    }
}

/// 调整: what a change to a published task did to its 推进目标, 完成时限 and 验收标准 —
/// each before and after, kept in the task's history (留痕).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Adjustment {
    pub deadline: Option<Change<NaiveDate>>,
    pub milestones: Option<Change<Vec<Milestone>>>,
    pub criteria: Option<Change<Vec<String>>>,
}

/// Shortest and longest reason for an adjustment, in characters.
pub const REASON_CHARS: (u32, u32) = (2, 300);

impl Adjustment {
    /// What changed from `before` to `after`.
    pub fn between(before: Goals, after: Goals) -> Self {
        Self {
            deadline: before
                .deadline
                .zip(after.deadline)
                .and_then(|(b, a)| Change::of(b, a)),
            milestones: Change::of(before.milestones, after.milestones),
            criteria: Change::of(before.criteria, after.criteria),
        }
    }

    /// Nothing the office answers for changed.
    pub fn is_empty(&self) -> bool {
        self.deadline.is_none() && self.milestones.is_none() && self.criteria.is_none()
    }

    /// The reason the change needs: none for a draft's task or when no goal changed;
    /// otherwise [`REASON_CHARS`] characters saying why.
    pub fn check_reason(
        &self,
        published: bool,
        reason: &str,
    ) -> Result<Option<String>, FieldError> {
        if !published || self.is_empty() {
            return Ok(None);
        }
        text(reason, REASON_CHARS.0, REASON_CHARS.1)
            .map(Some)
            .map_err(|p| FieldError::new("reason", p))
    }
}

/// One adjustment as the task's history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentRecord {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The calendar day of `at` in China Standard Time.
    pub day: NaiveDate,
    pub author: String,
    pub reason: String,
    pub change: Adjustment,
}

/// Milestones: text filled in, dates in order, within the plan year and not after the deadline.
fn parse_milestones(
    rows: &[MilestoneForm],
    deadline: Option<NaiveDate>,
    plan_year: i32,
    errors: &mut Errors,
) -> Vec<Milestone> {
    let (year_start, _) = plan_year_bounds(plan_year);
    let rows: Vec<&MilestoneForm> = rows
        .iter()
        .filter(|m| !(m.title.trim().is_empty() && m.due.trim().is_empty()))
        .collect();
    if rows.len() > ITEMS_MAX as usize {
        errors.push(FieldError::new(
            "milestones",
            Problem::TooMany { max: ITEMS_MAX },
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    // 节点目标值 never go down from one milestone to the next.
    let mut previous_target: Option<Percent> = None;
    for (i, row) in rows.into_iter().enumerate() {
        let at = |p: Problem| FieldError::at("milestones", i, p);
        let title = errors.take(text(&row.title, 1, ITEM_MAX_CHARS).map_err(at));
        let due = errors.take(date(&row.due).map_err(at).and_then(|due| {
            if due < year_start {
                Err(at(Problem::OutsideYear { year: plan_year }))
            } else if deadline.is_some_and(|d| due > d) {
                Err(at(Problem::AfterDeadline))
            } else if previous.is_some_and(|p| due < p) {
                Err(at(Problem::OutOfOrder))
            } else {
                Ok(due)
            }
        }));
        let done_on = if row.done_on.trim().is_empty() {
            None
        } else {
            errors.take(date(&row.done_on).map_err(at).and_then(|d| {
                if d < year_start {
                    Err(at(Problem::OutsideYear { year: plan_year }))
                } else {
                    Ok(d)
                }
            }))
        };
        let target = if row.target.trim().is_empty() {
            None
        } else {
            errors
                .take(Percent::parse_text(&row.target).map_err(at).and_then(|t| {
                    if previous_target.is_some_and(|p| t < p) {
                        Err(at(Problem::TargetBelowPrevious))
                    } else {
                        Ok(t)
                    }
                }))
                .inspect(|t| previous_target = Some(*t))
        };
        if let Some(due) = due {
            previous = Some(due);
            if let Some(title) = title {
                out.push(Milestone {
                    title,
                    due,
                    done_on,
                    target,
                });
            }
        }
    }
    out
}

/// Criteria as entered: blank lines dropped, each at most [`ITEM_MAX_CHARS`].
fn parse_criteria(rows: &[String], published: bool, errors: &mut Errors) -> Vec<Criterion> {
    let texts: Vec<&str> = rows
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if texts.len() > ITEMS_MAX as usize {
        errors.push(FieldError::new(
            "criteria",
            Problem::TooMany { max: ITEMS_MAX },
        ));
        return Vec::new();
    }
    if texts.is_empty() && published {
        errors.push(FieldError::new("criteria", Problem::Required));
    }
    texts
        .into_iter()
        .enumerate()
        .filter_map(|(i, t)| {
            errors.take(
                text(t, 1, ITEM_MAX_CHARS)
                    .map(|text| Criterion {
                        text,
                        met: None,
                        note: String::new(),
                        self_check: String::new(),
                    })
                    .map_err(|p| FieldError::at("criteria", i, p)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.code()), Some(s));
            let json = serde_json::to_string(&s).expect("serialize");
            assert_eq!(json, format!("\"{}\"", s.code()));
            assert_eq!(serde_json::from_str::<TaskStatus>(&json).ok(), Some(s));
        }
        assert_eq!(TaskStatus::parse("done"), None);
        let err = serde_json::from_str::<TaskStatus>("\"done\"").expect_err("unknown");
        assert_eq!(
            ParseError::find(&err.to_string()),
            Some(FieldError::new("status", Problem::UnknownValue))
        );
    }

    #[test]
    fn title_counts_characters_not_bytes() {
        assert!(TaskTitle::parse("党建").is_ok());
        assert_eq!(TaskTitle::parse(" 党 "), Err(Problem::TooShort { min: 2 }));
        assert_eq!(TaskTitle::parse("  "), Err(Problem::Required));
        assert!(TaskTitle::parse(&"建".repeat(100)).is_ok());
        assert_eq!(
            TaskTitle::parse(&"建".repeat(101)),
            Err(Problem::TooLong { max: 100 })
        );
        assert_eq!(
            TaskTitle::parse("  支部建在小区上 ").map(|t| t.as_str().to_owned()),
            Ok("支部建在小区上".to_owned())
        );
        assert!(serde_json::from_str::<TaskTitle>("\"x\"").is_err());
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).expect("date")
    }

    #[test]
    fn deadline_within_plan_year_plus_grace() {
        assert!(Deadline::parse(date(1, 1), 2022).is_ok());
        assert!(Deadline::parse(date(12, 31), 2022).is_ok());
        let grace_end = date(12, 31) + chrono::Duration::days(DEADLINE_GRACE_DAYS);
        assert!(Deadline::parse(grace_end, 2022).is_ok());
        assert!(Deadline::parse(grace_end + chrono::Duration::days(1), 2022).is_err());
        assert!(Deadline::parse(NaiveDate::from_ymd_opt(2021, 12, 31).expect("d"), 2022).is_err());
    }

    fn form() -> TaskForm {
        TaskForm {
            number: "3".into(),
            title: " 支部建在小区上 ".into(),
            category: "基层治理".into(),
            deadline: "2022-12-31".into(),
            milestones: vec![
                MilestoneForm {
                    title: "6个试点小区".into(),
                    due: "2022-08-20".into(),
                    done_on: String::new(),
                    target: "60".into(),
                },
                MilestoneForm {
                    title: "物业小区全覆盖".into(),
                    due: "2022-12-31".into(),
                    done_on: String::new(),
                    target: String::new(),
                },
            ],
            criteria: vec!["  覆盖率100% ".into(), "".into(), "有台账".into()],
            lead_unit: "kysd".into(),
            co_units: vec!["nasd".into()],
            ..Default::default()
        }
    }

    fn cats() -> Vec<String> {
        vec!["基层治理".into(), "组织建设".into()]
    }

    #[test]
    fn a_good_form_parses() {
        let input = TaskInput::parse(&form(), 2022, &cats(), true).expect("valid");
        assert_eq!(input.number, 3);
        assert_eq!(input.title.as_str(), "支部建在小区上");
        assert_eq!(input.milestones.len(), 2);
        assert_eq!(input.milestones[0].target.map(Percent::value), Some(60));
        assert_eq!(input.milestones[1].target, None);
        assert_eq!(
            input
                .criteria
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            vec!["覆盖率100%", "有台账"]
        );
        assert_eq!(input.lead_unit, UnitId::parse("kysd"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = TaskForm {
            number: "abc".into(),
            title: "x".into(),
            category: "其他".into(),
            deadline: "2023-05-01".into(),
            milestones: vec![
                MilestoneForm {
                    title: "".into(),
                    due: "2022-09-01".into(),
                    done_on: String::new(),
                    target: "50".into(),
                },
                MilestoneForm {
                    title: "早".into(),
                    due: "2022-08-01".into(),
                    done_on: String::new(),
                    target: "40".into(),
                },
                MilestoneForm {
                    title: "坏日期".into(),
                    due: "8月".into(),
                    done_on: String::new(),
                    target: "120".into(),
                },
            ],
            criteria: vec![],
            lead_unit: "kysd".into(),
            co_units: vec!["kysd".into()],
            ..Default::default()
        };
        let errors = TaskInput::parse(&bad, 2022, &cats(), true).expect_err("invalid");
        let expected = vec![
            FieldError::new("number", Problem::NotANumber),
            FieldError::new("title", Problem::TooShort { min: 2 }),
            FieldError::new("category", Problem::UnknownValue),
            FieldError::new("deadline", Problem::OutsideYear { year: 2022 }),
            FieldError::at("milestones", 0, Problem::Required),
            FieldError::at("milestones", 1, Problem::OutOfOrder),
            FieldError::at("milestones", 1, Problem::TargetBelowPrevious),
            FieldError::at("milestones", 2, Problem::NotADate),
            FieldError::at("milestones", 2, Problem::OutOfRange { min: 0, max: 100 }),
            FieldError::new("criteria", Problem::Required),
            FieldError::at("co_units", 0, Problem::Duplicate),
        ];
        assert_eq!(errors, expected);
    }

    #[test]
    fn milestones_within_year_and_deadline() {
        let mut f = form();
        f.deadline = "2022-08-01".into();
        let errors = TaskInput::parse(&f, 2022, &cats(), false).expect_err("late milestone");
        assert!(errors.contains(&FieldError::at("milestones", 0, Problem::AfterDeadline)));
        let mut f = form();
        f.milestones[0].due = "2021-12-01".into();
        let errors = TaskInput::parse(&f, 2022, &cats(), false).expect_err("early milestone");
        assert_eq!(
            errors,
            vec![FieldError::at(
                "milestones",
                0,
                Problem::OutsideYear { year: 2022 }
            )]
        );
    }

    #[test]
    fn drafts_may_lack_criteria_published_tasks_may_not() {
        let mut f = form();
        f.criteria.clear();
        assert!(TaskInput::parse(&f, 2022, &cats(), false).is_ok());
        assert_eq!(
            TaskInput::parse(&f, 2022, &cats(), true),
            Err(vec![FieldError::new("criteria", Problem::Required)])
        );
        f.criteria = vec!["字".repeat(201)];
        assert_eq!(
            TaskInput::parse(&f, 2022, &cats(), false),
            Err(vec![FieldError::at(
                "criteria",
                0,
                Problem::TooLong { max: 200 }
            )])
        );
    }

    #[test]
    fn adjustments_name_what_changed_and_need_a_reason_once_published() {
        let before = TaskInput::parse(&form(), 2022, &cats(), true).expect("valid");
        let mut later = form();
        later.deadline = "2022-12-20".into();
        later.milestones[1].due = "2022-12-20".into();
        let after = TaskInput::parse(&later, 2022, &cats(), true).expect("valid");
        let adj = Adjustment::between(Goals::of(&before), Goals::of(&after));
        assert_eq!(
            adj.deadline,
            Some(Change {
                before: date(12, 31),
                after: date(12, 20)
            })
        );
        assert_eq!(
            adj.milestones
                .as_ref()
                .map(|c| (c.before[1].due, c.after[1].due)),
            Some((date(12, 31), date(12, 20)))
        );
        assert_eq!(adj.criteria, None);
        assert_eq!(
            adj.check_reason(true, " "),
            Err(FieldError::new("reason", Problem::Required))
        );
        assert_eq!(
            adj.check_reason(true, " 调度会研究决定提前 "),
            Ok(Some("调度会研究决定提前".to_owned()))
        );
        // A draft changes freely; so does a published task whose goals stay the same.
        assert_eq!(adj.check_reason(false, ""), Ok(None));
        let same = Adjustment::between(Goals::of(&before), Goals::of(&before));
        assert!(same.is_empty());
        assert_eq!(same.check_reason(true, ""), Ok(None));
    }

    #[test]
    fn percent_bounds_and_decoding() {
        assert_eq!(Percent::parse(0).map(Percent::value), Ok(0));
        assert_eq!(Percent::parse(100).map(Percent::value), Ok(100));
        assert_eq!(
            Percent::parse(101),
            Err(Problem::OutOfRange { min: 0, max: 100 })
        );
        assert!(Percent::parse(-1).is_err());
        assert_eq!(Percent::parse_text(" 45 ").map(Percent::value), Ok(45));
        assert_eq!(Percent::parse_text("abc"), Err(Problem::NotANumber));
        assert_eq!(
            serde_json::from_str::<Percent>("45")
                .map(Percent::value)
                .ok(),
            Some(45)
        );
        assert_eq!(
            serde_json::from_str::<Percent>("\"45\"")
                .map(Percent::value)
                .ok(),
            Some(45)
        );
        for bad in ["255", "-1", "\"abc\""] {
            let err = serde_json::from_str::<Percent>(bad).expect_err(bad);
            assert!(ParseError::find(&err.to_string()).is_some(), "{bad}: {err}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any whole number typed into the percent field is accepted exactly when it is
            /// 0–100, and whatever else is typed is refused with a code, never a panic.
            #[test]
            fn percent_text(n in -1000i64..1000, junk in "\\PC{0,12}") {
                let parsed = Percent::parse_text(&n.to_string());
                prop_assert_eq!(parsed.is_ok(), (0..=100).contains(&n));
                if let Ok(p) = parsed {
                    prop_assert_eq!(i64::from(p.value()), n);
                }
                if junk.trim().parse::<i64>().is_err() {
                    prop_assert!(Percent::parse_text(&junk).is_err());
                }
            }

            /// Titles are accepted exactly when 2–100 characters after trimming.
            #[test]
            fn title_length(raw in "\\PC{0,120}") {
                let chars = raw.trim().chars().count();
                prop_assert_eq!(TaskTitle::parse(&raw).is_ok(), (2..=100).contains(&chars));
            }
        }
    }
}
