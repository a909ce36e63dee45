//! 责任清单 and 述责: 定责 — the plan's party-building duties at three levels (the 党工委's 主体责任,
//! each 党组织书记's 第一责任人责任, the 班子成员's 一岗双责), each tied to the tasks that carry it
//! out; 述责 — at the year's end each unit's head reports how the unit's duties were done; 督责 —
//! the office 评议s the report. The 整改清单 and 量化考评 follow from there.

use super::error::{Errors, FieldError, Problem, Refusal};
use super::fields::text;
use super::ids::{TaskId, UnitId};
use super::views::PlanRef;
use super::{Actor, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The three levels of the 责任清单.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 党(工)委 主体责任.
    Main,
    /// 党组织书记 第一责任人责任.
    First,
    /// 班子成员 一岗双责.
    Member,
}

impl Level {
    pub const ALL: [Level; 3] = [Self::Main, Self::First, Self::Member];

    pub fn code(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::First => "first",
            Self::Member => "member",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Longest 责任内容.
pub const CONTENT_MAX: u32 = 500;

/// A duty as the office's form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyForm {
    /// A [`Level`] code.
    pub level: String,
    /// 责任主体, e.g. 新区党工委, 各单位党组织书记.
    pub holder: String,
    /// The unit it binds, if one (its id).
    #[serde(default)]
    pub unit: String,
    pub content: String,
    /// The task numbers carrying it out: `1、5、12` (any of 、 , ， and spaces between).
    #[serde(default)]
    pub tasks: String,
}

/// A checked duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyInput {
    pub level: Level,
    pub holder: String,
    pub unit: Option<UnitId>,
    pub content: String,
    /// Task numbers, in order, each once.
    pub tasks: Vec<u32>,
}

/// Most tasks one duty names.
pub const TASKS_MAX: u32 = 40;

impl DutyInput {
    pub fn parse(form: &DutyForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let level = errors.take(
            Level::parse(form.level.trim())
                .ok_or_else(|| FieldError::new("duty_level", Problem::UnknownValue)),
        );
        let holder =
            errors.take(text(&form.holder, 2, 40).map_err(|p| FieldError::new("duty_holder", p)));
        let unit = errors.take(match form.unit.trim() {
            "" => Ok(None),
            raw => UnitId::parse(raw)
                .map(Some)
                .ok_or_else(|| FieldError::new("duty_unit", Problem::BadFormat)),
        });
        let content = errors.take(
            text(&form.content, 4, CONTENT_MAX).map_err(|p| FieldError::new("duty_content", p)),
        );
        let tasks = errors.take(task_numbers(&form.tasks));
        errors.finish(|| {
            Some(Self {
                level: level?,
                holder: holder?,
                unit: unit?,
                content: content?,
                tasks: tasks?,
            })
        })
    }
}

fn task_numbers(raw: &str) -> Result<Vec<u32>, FieldError> {
    let bad = |p| FieldError::new("duty_tasks", p);
    let mut out: Vec<u32> = Vec::new();
    for part in raw
        .split(['、', ',', '，', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let n: u32 = part.parse().map_err(|_| bad(Problem::NotANumber))?;
        if n == 0 {
            return Err(bad(Problem::OutOfRange {
                min: 1,
                max: i64::from(u32::MAX),
            }));
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    if out.len() > TASKS_MAX as usize {
        return Err(bad(Problem::TooMany { max: TASKS_MAX }));
    }
    Ok(out)
}

/// A duty as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    /// 序号 within its level.
    pub number: u32,
    pub level: Level,
    pub holder: String,
    pub unit: Option<(UnitId, String)>,
    pub content: String,
    /// The tasks carrying it out: id, 序号, title.
    pub tasks: Vec<(TaskId, u32, String)>,
}

/// The office's 评议 of a 述责.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 好.
    Good,
    /// 较好.
    Fair,
    /// 一般.
    Average,
    /// 差.
    Poor,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Self::Good, Self::Fair, Self::Average, Self::Poor];

    pub fn code(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Average => "average",
            Self::Poor => "poor",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Shortest and longest 述责 report.
pub const STATEMENT_MIN: u32 = 20;
pub const STATEMENT_MAX: u32 = 3000;

/// A 述责 report, checked.
pub fn statement(raw: &str) -> Result<String, Vec<FieldError>> {
    text(raw, STATEMENT_MIN, STATEMENT_MAX).map_err(|p| vec![FieldError::new("statement", p)])
}

/// A 评议, checked: a rating, and the reason (required unless 好).
pub fn review(rating: &str, note: &str) -> Result<(Rating, String), Vec<FieldError>> {
    let mut errors = Errors::default();
    let rating = errors.take(
        Rating::parse(rating.trim())
            .ok_or_else(|| FieldError::new("rating", Problem::UnknownValue)),
    );
    let min = if rating == Some(Rating::Good) { 0 } else { 4 };
    let note = errors.take(text(note, min, 500).map_err(|p| FieldError::new("rating_note", p)));
    errors.finish(|| Some((rating?, note?)))
}

/// A unit's 述责 for a plan's year, with the office's 评议 once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub unit: UnitId,
    pub unit_name: String,
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub rating: Option<Rating>,
    pub note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub version: u32,
}

/// Whether `actor` may file (or rewrite) unit `unit`'s 述责: its head, until the office 评议s it.
pub fn may_state(actor: &Actor, unit: &UnitId, filed: Option<&Statement>) -> Result<(), Refusal> {
    if actor.role != Role::UnitHead {
        return Err(Refusal::RoleMayNotState { role: actor.role });
    }
    if actor.unit.as_ref() != Some(unit) {
        return Err(Refusal::NotOwnUnit);
    }
    if filed.is_some_and(|s| s.rating.is_some()) {
        return Err(Refusal::StatementReviewed);
    }
    Ok(())
}

/// Whether the office may 评议 a unit's 述责: once filed, once.
pub fn may_review(filed: Option<&Statement>) -> Result<(), Refusal> {
    match filed {
        None => Err(Refusal::StatementMissing),
        Some(s) if s.rating.is_some() => Err(Refusal::StatementReviewed),
        Some(_) => Ok(()),
    }
}

/// One unit's line of the 述责 table: its statement if filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub unit: UnitId,
    pub unit_name: String,
    pub statement: Option<Statement>,
}

/// The 责任清单 page: the duties by level, and the 述责 as the reader may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyBoard {
    pub plan: PlanRef,
    pub duties: Vec<Duty>,
    /// Every unit's 述责 line (a unit: its own only).
    pub statements: Vec<StatementLine>,
    pub own_only: bool,
    /// The reader keeps the list and 评议s.
    pub may_manage: bool,
    /// The reader's unit's line, when the reader may file it.
    pub may_state: Option<UnitId>,
    /// Units the office's form offers.
    pub units: Vec<(UnitId, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duty_is_checked_whole() {
        let form = DutyForm {
            level: "first".into(),
            holder: "各单位党组织书记".into(),
            unit: String::new(),
            content: "履行抓党建第一责任人职责,每季度专题研究党建工作".into(),
            tasks: "1、5,12 5".into(),
        };
        let duty = DutyInput::parse(&form).expect("valid");
        assert_eq!(duty.level, Level::First);
        assert_eq!(duty.tasks, [1, 5, 12], "in order, each once");
        let bad = DutyForm {
            level: "boss".into(),
            holder: "书".into(),
            unit: "../x".into(),
            content: String::new(),
            tasks: "1、二".into(),
        };
        let fields: Vec<String> = DutyInput::parse(&bad)
            .expect_err("refused")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "duty_level",
                "duty_holder",
                "duty_unit",
                "duty_content",
                "duty_tasks"
            ]
        );
    }

    #[test]
    fn only_the_head_states_until_the_office_reviews() {
        let unit = UnitId::parse("kysd").expect("id");
        let actor = |role, unit: Option<&UnitId>| Actor {
            name: "x".into(),
            role,
            unit: unit.cloned(),
        };
        let head = actor(Role::UnitHead, Some(&unit));
        assert_eq!(may_state(&head, &unit, None), Ok(()));
        assert_eq!(
            may_state(&actor(Role::Liaison, Some(&unit)), &unit, None),
            Err(Refusal::RoleMayNotState {
                role: Role::Liaison
            })
        );
        let other = UnitId::parse("nasd").expect("id");
        assert_eq!(may_state(&head, &other, None), Err(Refusal::NotOwnUnit));
        let mut filed = Statement {
            unit: unit.clone(),
            unit_name: "葵涌街道党建办".into(),
            text: "述责".into(),
            by: "刘强".into(),
            at: DateTime::<Utc>::default(),
            rating: None,
            note: String::new(),
            reviewed_by: None,
            reviewed_at: None,
            version: 1,
        };
        assert_eq!(may_state(&head, &unit, Some(&filed)), Ok(()), "rewritten");
        assert_eq!(may_review(None), Err(Refusal::StatementMissing));
        assert_eq!(may_review(Some(&filed)), Ok(()));
        filed.rating = Some(Rating::Fair);
        assert_eq!(
            may_state(&head, &unit, Some(&filed)),
            Err(Refusal::StatementReviewed)
        );
        assert_eq!(may_review(Some(&filed)), Err(Refusal::StatementReviewed));
    }

    #[test]
    fn a_rating_below_good_says_why() {
        assert_eq!(review("good", ""), Ok((Rating::Good, String::new())));
        let errors = review("average", "").expect_err("why");
        assert_eq!(errors[0].field, "rating_note");
        assert!(review("great", "很好很好").is_err());
        assert!(statement("太短").is_err());
    }
}
