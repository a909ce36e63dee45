//! 大屏: a read-only board for a meeting-room screen, opened by a display link the office
//! creates and can revoke — no sign-in prompt in the middle of a meeting. The screen cycles
//! through the categories (or the lead units) every few seconds, in large type.

use super::error::{Errors, FieldError, Problem};
use super::fields::text;
use super::ids::PlanId;
use super::views::{Board, BoardTask, Tally};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the screen turns through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WallCycle {
    /// 按类别: one category per screen.
    #[default]
    Category,
    /// 按牵头单位: one lead unit per screen.
    Unit,
}

impl WallCycle {
    pub const ALL: [WallCycle; 2] = [WallCycle::Category, WallCycle::Unit];

    pub fn code(self) -> &'static str {
        match self {
            WallCycle::Category => "category",
            WallCycle::Unit => "unit",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Seconds per screen: long enough to read, short enough to get round a 40-task list.
pub const SECONDS_MIN: u32 = 5;
pub const SECONDS_MAX: u32 = 300;
const LABEL_MAX: u32 = 40;

/// The office's form for a new display link, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayForm {
    /// Where the screen hangs: 三楼会议室.
    pub label: String,
    /// A published plan's id; empty for whichever plan is current.
    #[serde(default)]
    pub plan: String,
    pub cycle: String,
    pub seconds: String,
}

/// A display link, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayInput {
    pub label: String,
    pub plan: Option<PlanId>,
    pub cycle: WallCycle,
    pub seconds: u32,
}

impl DisplayInput {
    pub fn parse(form: &DisplayForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let label =
            errors.take(text(&form.label, 1, LABEL_MAX).map_err(|p| FieldError::new("label", p)));
        let plan = match form.plan.trim() {
            "" => Some(None),
            raw => errors.take(
                PlanId::parse(raw)
                    .map(Some)
                    .ok_or_else(|| FieldError::new("plan", Problem::UnknownValue)),
            ),
        };
        let cycle = errors.take(
            WallCycle::parse(form.cycle.trim())
                .ok_or_else(|| FieldError::new("cycle", Problem::UnknownValue)),
        );
        let seconds = errors.take(
            form.seconds
                .trim()
                .parse::<u32>()
                .map_err(|_| FieldError::new("seconds", Problem::NotANumber))
                .and_then(|s| {
                    (SECONDS_MIN..=SECONDS_MAX)
                        .contains(&s)
                        .then_some(s)
                        .ok_or_else(|| {
                            FieldError::new(
                                "seconds",
                                Problem::OutOfRange {
                                    min: SECONDS_MIN.into(),
                                    max: SECONDS_MAX.into(),
                                },
                            )
                        })
                }),
        );
        errors.finish(|| {
            Some(Self {
                label: label?,
                plan: plan?,
                cycle: cycle?,
                seconds: seconds?,
            })
        })
    }
}

/// A display link as the office's list shows it (the link itself is shown once, when made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayLink {
    pub id: String,
    pub label: String,
    /// The plan's title; `None`: the current plan.
    pub plan: Option<String>,
    pub cycle: WallCycle,
    pub seconds: u32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a screen shows: the board, and how to turn through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wall {
    pub label: String,
    pub cycle: WallCycle,
    pub seconds: u32,
    pub board: Board,
}

/// One screenful: a category's (or a lead unit's) tasks, with its tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallPage {
    pub title: String,
    pub tally: Tally,
    pub tasks: Vec<BoardTask>,
}

impl Wall {
    /// The screens in turn: categories in the plan's order, or lead units in the order the
    /// list first names them (tasks without a lead unit last, as 待揭榜); empty ones left out.
    pub fn pages(&self) -> Vec<WallPage> {
        let board = &self.board;
        let keys: Vec<Option<String>> = match self.cycle {
            WallCycle::Category => board
                .category_counts()
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(c, _)| Some(c))
                .collect(),
            WallCycle::Unit => {
                let mut keys: Vec<Option<String>> =
                    board.lead_units().into_iter().map(Some).collect();
                if board.tasks.iter().any(|t| t.lead_unit.is_none()) {
                    keys.push(None);
                }
                keys
            }
        };
        keys.into_iter()
            .map(|key| {
                let tasks: Vec<BoardTask> = board
                    .tasks
                    .iter()
                    .filter(|t| match (self.cycle, &key) {
                        (WallCycle::Category, Some(c)) => t.category == *c,
                        (WallCycle::Unit, unit) => t.lead_unit == *unit,
                        (WallCycle::Category, None) => false,
                    })
                    .cloned()
                    .collect();
                WallPage {
                    title: key.unwrap_or_else(|| "待揭榜".to_owned()),
                    tally: Tally::of(&tasks, board.as_of),
                    tasks,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(label: &str, plan: &str, cycle: &str, seconds: &str) -> DisplayForm {
        DisplayForm {
            label: label.into(),
            plan: plan.into(),
            cycle: cycle.into(),
            seconds: seconds.into(),
        }
    }

    #[test]
    fn a_display_link_needs_a_label_a_cycle_and_sensible_seconds() {
        let ok = DisplayInput::parse(&form(" 三楼会议室 ", "", "unit", "20")).expect("valid");
        assert_eq!(ok.label, "三楼会议室");
        assert_eq!((ok.plan, ok.cycle, ok.seconds), (None, WallCycle::Unit, 20));
        let errors = DisplayInput::parse(&form("", "no such id!", "weekly", "2")).unwrap_err();
        let fields: Vec<(&str, &Problem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect();
        assert_eq!(
            fields,
            [
                ("label", &Problem::Required),
                ("plan", &Problem::UnknownValue),
                ("cycle", &Problem::UnknownValue),
                ("seconds", &Problem::OutOfRange { min: 5, max: 300 }),
            ]
        );
        let errors = DisplayInput::parse(&form("屏", "", "category", "半分钟")).unwrap_err();
        assert_eq!(errors[0].problem, Problem::NotANumber);
    }
}
