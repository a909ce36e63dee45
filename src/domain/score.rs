//! 量化考评: the year's result of each unit, computed from the record and defensible line by
//! line. A plan's 考评细则 ([`Rubric`]) weighs the items of a task's score (按期完成, 完成质量,
//! 报送及时, 创新特色 — 100 points in all) and sets the deductions (红灯天数 beyond a grace
//! period, 逾期未报, 退回整改, 红色督办单). The automatic items are worked out here from the
//! facts of each task as of a day ([`TaskFacts`]); the judged ones are given by people. A unit's
//! score is the weighted mean of its tasks' scores (a 重中之重 task weighs more; a task it only
//! co-operates on counts with the rubric's share), and units are ranked on it.
//!
//! Points are kept in hundredths ([`Points`]) so sums and ranks are exact. Rounding: every
//! item and every mean is rounded half up to 0.01 once, where it is computed.

use super::error::{Errors, FieldError, Problem};
use super::ids::{TaskId, UnitId};
use super::light::{Checkpoint, Schedule, expected_percent};
use super::task::TaskStatus;
use super::unit::UnitKind;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A score in hundredths of a point: `Points(4050)` is 40.50.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Self = Self(0);

    /// Whole points.
    pub const fn whole(points: i64) -> Self {
        Self(points * 100)
    }

    /// `self × num / den`, rounded half up to 0.01 (`den` > 0, values not negative).
    pub fn share(self, num: i64, den: i64) -> Self {
        Self(div_round(self.0 * num, den))
    }

    /// Parses a form value: a number with at most two decimals, within `0..=max` whole points.
    pub fn parse(raw: &str, max: i64) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(frac.is_empty() || digits(frac)) || whole.len() > 6 {
            return Err(Problem::NotANumber);
        }
        if frac.len() > 2 {
            return Err(Problem::BadFormat);
        }
        let whole: i64 = whole.parse().map_err(|_| Problem::NotANumber)?;
        let cents: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| Problem::NotANumber)?;
        let value = whole * 100 + cents;
        if value > max * 100 {
            return Err(Problem::OutOfRange { min: 0, max });
        }
        Ok(Self(value))
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.abs();
        write!(f, "{sign}{}.{:02}", v / 100, v % 100)
    }
}

impl std::ops::Add for Points {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        Self(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        Self(iter.map(|p| p.0).sum())
    }
}

/// `num / den` rounded half up (both not negative, `den` > 0).
fn div_round(num: i64, den: i64) -> i64 {
    if den <= 0 {
        return 0;
    }
    (2 * num + den) / (2 * den)
}

/// 考评细则: a plan's weights and deductions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// 按期完成: full marks for a task finished (handed in for the acceptance it passed) by its
    /// original 完成时限.
    pub on_time: u8,
    /// 完成质量 (judged).
    pub quality: u8,
    /// 报送及时: the share of monthly reports 报送ed by the plan's 报送日.
    pub reporting: u8,
    /// 创新特色 (judged).
    pub innovation: u8,
    /// Percent of 按期完成 given to a task finished after its original 完成时限.
    pub late_share: u8,
    /// Red-light days of a task not deducted for.
    pub red_grace_days: u16,
    /// Deducted per red-light day beyond the grace period.
    pub red_day: Points,
    /// Deducted per month not reported at all (逾期未报).
    pub missed_report: Points,
    /// Deducted per 退回整改.
    pub returned: Points,
    /// Deducted per 红色督办单.
    pub red_sheet: Points,
    /// Weight of a 重中之重 task, in percent of an ordinary one.
    pub key_weight: u16,
    /// Weight of a task a unit co-operates on (配合单位), in percent of one it leads.
    pub co_share: u8,
}

impl Default for Rubric {
    fn default() -> Self {
        Self {
            on_time: 40,
            quality: 40,
            reporting: 10,
            innovation: 10,
            late_share: 50,
            red_grace_days: 10,
            red_day: Points(10),
            missed_report: Points(50),
            returned: Points::whole(1),
            red_sheet: Points::whole(2),
            key_weight: 150,
            co_share: 30,
        }
    }
}

/// The 考评细则 form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricForm {
    pub on_time: String,
    pub quality: String,
    pub reporting: String,
    pub innovation: String,
    pub late_share: String,
    pub red_grace_days: String,
    pub red_day: String,
    pub missed_report: String,
    pub returned: String,
    pub red_sheet: String,
    pub key_weight: String,
    pub co_share: String,
}

impl RubricForm {
    /// The form filled with `r`.
    pub fn of(r: &Rubric) -> Self {
        Self {
            on_time: r.on_time.to_string(),
            quality: r.quality.to_string(),
            reporting: r.reporting.to_string(),
            innovation: r.innovation.to_string(),
            late_share: r.late_share.to_string(),
            red_grace_days: r.red_grace_days.to_string(),
            red_day: r.red_day.to_string(),
            missed_report: r.missed_report.to_string(),
            returned: r.returned.to_string(),
            red_sheet: r.red_sheet.to_string(),
            key_weight: r.key_weight.to_string(),
            co_share: r.co_share.to_string(),
        }
    }
}

impl Rubric {
    /// Every item's weight within 0..=100 and together exactly 100; shares in percent;
    /// deductions at most 20 points each.
    pub fn parse(form: &RubricForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut number = |field: &str, raw: &str, min: i64, max: i64| {
            errors.take(
                super::fields::whole_number(raw, min, max).map_err(|p| FieldError::new(field, p)),
            )
        };
        let on_time = number("on_time", &form.on_time, 0, 100);
        let quality = number("quality", &form.quality, 0, 100);
        let reporting = number("reporting", &form.reporting, 0, 100);
        let innovation = number("innovation", &form.innovation, 0, 100);
        let late_share = number("late_share", &form.late_share, 0, 100);
        let grace = number("red_grace_days", &form.red_grace_days, 0, 366);
        let key_weight = number("key_weight", &form.key_weight, 100, 300);
        let co_share = number("co_share", &form.co_share, 0, 100);
        let mut deduction = |field: &str, raw: &str| {
            errors.take(Points::parse(raw, 20).map_err(|p| FieldError::new(field, p)))
        };
        let red_day = deduction("red_day", &form.red_day);
        let missed_report = deduction("missed_report", &form.missed_report);
        let returned = deduction("returned", &form.returned);
        let red_sheet = deduction("red_sheet", &form.red_sheet);
        if let (Some(a), Some(b), Some(c), Some(d)) = (on_time, quality, reporting, innovation)
            && a + b + c + d != 100
        {
            errors.push(FieldError::new(
                "on_time",
                Problem::WeightsNotHundred { sum: a + b + c + d },
            ));
        }
        let small = |v: Option<i64>| v.and_then(|v| u8::try_from(v).ok());
        errors.finish(|| {
            Some(Self {
                on_time: small(on_time)?,
                quality: small(quality)?,
                reporting: small(reporting)?,
                innovation: small(innovation)?,
                late_share: small(late_share)?,
                red_grace_days: grace.and_then(|v| u16::try_from(v).ok())?,
                red_day: red_day?,
                missed_report: missed_report?,
                returned: returned?,
                red_sheet: red_sheet?,
                key_weight: key_weight.and_then(|v| u16::try_from(v).ok())?,
                co_share: small(co_share)?,
            })
        })
    }
}

/// What the score of a task is computed from: the facts of its year, all of them, dated —
/// [`score_plan`] reads only those on or before the day scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub task: TaskId,
    pub number: u32,
    pub title: String,
    /// 重中之重.
    pub key: bool,
    pub lead: UnitId,
    pub co_units: Vec<UnitId>,
    /// When work started (挂牌 or 签收), else the plan's first day.
    pub start: NaiveDate,
    /// The first 完成时限 (an approved 延期 does not move it for evaluation).
    pub deadline: NaiveDate,
    pub milestones: Vec<Checkpoint>,
    /// The status before the first recorded change of status.
    pub initial: TaskStatus,
    /// Each change of status, on its day, in order.
    pub moves: Vec<(NaiveDate, TaskStatus)>,
    /// The lead unit's 报送ed reports: day and percent.
    pub reports: Vec<(NaiveDate, u8)>,
    /// Each change of light: day, and whether it turned red (else it turned another colour).
    pub lights: Vec<(NaiveDate, bool)>,
    /// 红色督办单 issued on the task: day and the unit it was issued to.
    pub red_sheets: Vec<(NaiveDate, UnitId)>,
}

impl TaskFacts {
    /// A task loaded finished (待验收 or 已销号) without the record of getting there — an
    /// import, the demo — is taken as handed in (and 销号ed) on the day of its last report,
    /// the nearest day the record gives.
    pub fn settle_unrecorded(&mut self, current: TaskStatus) {
        if !self.moves.is_empty()
            || !matches!(current, TaskStatus::Submitted | TaskStatus::Accepted)
        {
            return;
        }
        let day = self
            .reports
            .iter()
            .map(|(d, _)| *d)
            .max()
            .unwrap_or(self.start);
        self.initial = TaskStatus::InProgress;
        self.moves.push((day, TaskStatus::Submitted));
        if current == TaskStatus::Accepted {
            self.moves.push((day, TaskStatus::Accepted));
        }
    }
}

/// A plan's ranking as of a day, as the 考评 page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranking {
    pub plan: super::views::PlanRef,
    pub as_of: NaiveDate,
    pub group: RankGroup,
    pub rubric: Rubric,
    /// 0 while the plan uses the default rubric.
    pub rubric_version: u32,
    /// The plan's 报送日.
    pub report_day: u8,
    pub scores: Vec<UnitScore>,
    /// The reader sees its own unit's score only (a unit head or liaison).
    pub own_only: bool,
}

/// A unit as the ranking names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedUnit {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
}

/// The judged items of a task given so far (完成质量, 创新特色), by task.
pub type Judged = BTreeMap<TaskId, JudgedScores>;

/// 完成质量 and 创新特色 of one task, as given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgedScores {
    pub quality: Option<Points>,
    pub innovation: Option<Points>,
}

/// Why a task has its 按期完成 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OnTime {
    /// Handed in on `finished` for the acceptance it passed, by the original `deadline`.
    Finished {
        finished: NaiveDate,
        accepted: NaiveDate,
        deadline: NaiveDate,
    },
    /// Handed in after the original deadline: the rubric's late share.
    Late {
        finished: NaiveDate,
        accepted: NaiveDate,
        deadline: NaiveDate,
    },
    /// Past its original deadline and not 销号ed.
    Overdue { deadline: NaiveDate },
    /// Not yet due: its progress against 序时进度.
    NotDue { percent: u8, expected: u8 },
}

/// How the lead unit reported, month by month: 报送日 by which it reported, those it
/// reported after (in the month), and those with no report that month (逾期未报).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reporting {
    pub due: u32,
    pub on_time: u32,
    pub late: Vec<NaiveDate>,
    pub missed: Vec<NaiveDate>,
}

/// One deduction on a task line, with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deduction {
    /// `days` red-light days, `grace` of them not counted.
    RedDays {
        days: u32,
        grace: u16,
        points: Points,
    },
    /// Months with no report (逾期未报), by their 报送日.
    MissedReports { due: Vec<NaiveDate>, points: Points },
    /// 退回整改, on these days.
    Returned { on: Vec<NaiveDate>, points: Points },
    /// 红色督办单 issued to the unit, on these days.
    RedSheets { on: Vec<NaiveDate>, points: Points },
}

impl Deduction {
    pub fn points(&self) -> Points {
        match self {
            Self::RedDays { points, .. }
            | Self::MissedReports { points, .. }
            | Self::Returned { points, .. }
            | Self::RedSheets { points, .. } => *points,
        }
    }
}

/// A unit's part in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Lead,
    Co,
}

/// One task in a unit's score: each item with why, the deductions, and the line's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLine {
    pub task: TaskId,
    pub number: u32,
    pub title: String,
    pub part: Part,
    /// Weight in the unit's mean, in percent of an ordinary task the unit leads.
    pub weight: u32,
    pub on_time: Points,
    pub on_time_basis: OnTime,
    pub reporting: Points,
    pub reporting_basis: Reporting,
    pub quality: Option<Points>,
    pub innovation: Option<Points>,
    pub deductions: Vec<Deduction>,
    /// Items less deductions, not below 0.
    pub score: Points,
}

/// A unit's result: its place, the weighted mean of each item and of its lines, and the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitScore {
    pub unit: RankedUnit,
    /// 1-based; units with the same total share a place.
    pub rank: u32,
    /// Another unit has the same total.
    pub tied: bool,
    pub total: Points,
    pub on_time: Points,
    pub reporting: Points,
    /// `None` while any of its tasks is not yet judged on the item.
    pub quality: Option<Points>,
    pub innovation: Option<Points>,
    pub deductions: Points,
    /// Approved 积分 awards less deductions (see `domain::points`), already in `total`.
    #[serde(default)]
    pub adjustment: Points,
    pub lines: Vec<TaskLine>,
}

impl UnitScore {
    pub fn lead_tasks(&self) -> usize {
        self.lines.iter().filter(|l| l.part == Part::Lead).count()
    }

    pub fn co_tasks(&self) -> usize {
        self.lines.iter().filter(|l| l.part == Part::Co).count()
    }
}

/// Which units a ranking compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankGroup {
    /// 科室 and 街道 together (and any other unit with tasks).
    #[default]
    All,
    /// 机关科室 (and other units that are not street offices).
    Sections,
    /// 街道.
    Streets,
}

impl RankGroup {
    pub const ALL: [Self; 3] = [Self::All, Self::Sections, Self::Streets];

    pub fn code(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Sections => "sections",
            Self::Streets => "streets",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn includes(self, kind: UnitKind) -> bool {
        match self {
            Self::All => true,
            Self::Streets => kind == UnitKind::Street,
            Self::Sections => kind != UnitKind::Street,
        }
    }
}

/// The status of a task at the end of `day`.
fn status_on(t: &TaskFacts, day: NaiveDate) -> TaskStatus {
    t.moves
        .iter()
        .take_while(|(d, _)| *d <= day)
        .last()
        .map_or(t.initial, |(_, s)| *s)
}

/// 按期完成 of a task as of `as_of`.
fn on_time(t: &TaskFacts, as_of: NaiveDate) -> OnTime {
    if status_on(t, as_of) == TaskStatus::Accepted {
        let moves: Vec<&(NaiveDate, TaskStatus)> =
            t.moves.iter().take_while(|(d, _)| *d <= as_of).collect();
        let accepted = moves
            .iter()
            .rev()
            .find(|(_, s)| *s == TaskStatus::Accepted)
            .map_or(as_of, |(d, _)| *d);
        // Handed in for the acceptance it passed: the last 提请验收 before it.
        let finished = moves
            .iter()
            .rev()
            .find(|(d, s)| *s == TaskStatus::Submitted && *d <= accepted)
            .map_or(accepted, |(d, _)| *d);
        let deadline = t.deadline;
        return if finished <= deadline {
            OnTime::Finished {
                finished,
                accepted,
                deadline,
            }
        } else {
            OnTime::Late {
                finished,
                accepted,
                deadline,
            }
        };
    }
    if as_of > t.deadline {
        return OnTime::Overdue {
            deadline: t.deadline,
        };
    }
    let percent = t
        .reports
        .iter()
        .filter(|(d, _)| *d <= as_of)
        .max_by_key(|(d, _)| *d)
        .map_or(0, |(_, p)| *p);
    let schedule = Schedule {
        start: t.start,
        milestones: &t.milestones,
        deadline: t.deadline,
    };
    OnTime::NotDue {
        percent,
        expected: expected_percent(&schedule, as_of),
    }
}

fn on_time_points(basis: OnTime, rubric: &Rubric) -> Points {
    let full = Points::whole(i64::from(rubric.on_time));
    match basis {
        OnTime::Finished { .. } => full,
        OnTime::Late { .. } => full.share(i64::from(rubric.late_share), 100),
        OnTime::Overdue { .. } => Points::ZERO,
        OnTime::NotDue { percent, expected } if percent < expected => {
            full.share(i64::from(percent), i64::from(expected))
        }
        OnTime::NotDue { .. } => full,
    }
}

/// The 报送日 of each month from the task's start to `as_of`, on which it was under way.
fn report_due_days(t: &TaskFacts, as_of: NaiveDate, report_day: u8) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut month = t.start.with_day(1);
    while let Some(first) = month {
        let Some(due) = first.with_day(u32::from(report_day)) else {
            break;
        };
        if due > as_of {
            break;
        }
        if due > t.start
            && matches!(
                status_on(t, due),
                TaskStatus::InProgress | TaskStatus::Returned
            )
        {
            out.push(due);
        }
        month = first.checked_add_months(chrono::Months::new(1));
    }
    out
}

fn reporting(t: &TaskFacts, as_of: NaiveDate, report_day: u8) -> Reporting {
    let mut r = Reporting::default();
    for due in report_due_days(t, as_of, report_day) {
        r.due += 1;
        let first = due.with_day(1).unwrap_or(due);
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(due)
            .min(as_of);
        let in_month =
            |from: NaiveDate, to: NaiveDate| t.reports.iter().any(|(d, _)| *d >= from && *d <= to);
        if in_month(first, due) {
            r.on_time += 1;
        } else if in_month(due, last) {
            r.late.push(due);
        } else {
            r.missed.push(due);
        }
    }
    r
}

fn reporting_points(r: &Reporting, rubric: &Rubric) -> Points {
    let full = Points::whole(i64::from(rubric.reporting));
    if r.due == 0 {
        return full;
    }
    full.share(i64::from(r.on_time), i64::from(r.due))
}

/// Days red up to and including `as_of`.
fn red_days(t: &TaskFacts, as_of: NaiveDate) -> u32 {
    let mut days = 0;
    let mut red_since: Option<NaiveDate> = None;
    for (day, red) in t.lights.iter().filter(|(d, _)| *d <= as_of) {
        if let Some(since) = red_since.take() {
            days += (*day - since).num_days();
        }
        if *red {
            red_since = Some(*day);
        }
    }
    if let Some(since) = red_since {
        days += (as_of - since).num_days() + 1;
    }
    u32::try_from(days).unwrap_or(0)
}

fn times(each: Points, n: usize) -> Points {
    Points(each.0.saturating_mul(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// The lead unit's deductions on a task (the red sheets are the unit's own on any task).
fn lead_deductions(
    t: &TaskFacts,
    as_of: NaiveDate,
    rubric: &Rubric,
    reporting: &Reporting,
) -> Vec<Deduction> {
    let mut out = Vec::new();
    let days = red_days(t, as_of);
    let over = days.saturating_sub(u32::from(rubric.red_grace_days));
    if over > 0 {
        out.push(Deduction::RedDays {
            days,
            grace: rubric.red_grace_days,
            points: times(rubric.red_day, over as usize),
        });
    }
    if !reporting.missed.is_empty() {
        out.push(Deduction::MissedReports {
            due: reporting.missed.clone(),
            points: times(rubric.missed_report, reporting.missed.len()),
        });
    }
    // 退回整改: each move from 待验收 back to 退回整改 (the office's review or the leader's 审定).
    let mut previous = t.initial;
    let mut returned = Vec::new();
    for (day, status) in t.moves.iter().take_while(|(d, _)| *d <= as_of) {
        if previous == TaskStatus::Submitted && *status == TaskStatus::Returned {
            returned.push(*day);
        }
        previous = *status;
    }
    if !returned.is_empty() {
        out.push(Deduction::Returned {
            points: times(rubric.returned, returned.len()),
            on: returned,
        });
    }
    out
}

fn red_sheets(
    t: &TaskFacts,
    unit: &UnitId,
    as_of: NaiveDate,
    rubric: &Rubric,
) -> Option<Deduction> {
    let on: Vec<NaiveDate> = t
        .red_sheets
        .iter()
        .filter(|(d, u)| *d <= as_of && u == unit)
        .map(|(d, _)| *d)
        .collect();
    (!on.is_empty()).then(|| Deduction::RedSheets {
        points: times(rubric.red_sheet, on.len()),
        on,
    })
}

/// Weighted mean of `values` (weight, points), rounded half up; `None` without weight.
fn mean(values: impl Iterator<Item = (u32, Points)>) -> Points {
    let (mut num, mut den) = (0_i64, 0_i64);
    for (w, p) in values {
        num += i64::from(w) * p.0;
        den += i64::from(w);
    }
    Points(div_round(num, den))
}

/// Scores every unit with tasks on the plan as of `as_of` and ranks those of `group`.
/// `tasks` are the plan's tasks under way or finished (not 撤项, with a lead unit).
pub fn score_plan(
    tasks: &[TaskFacts],
    units: &[RankedUnit],
    judged: &Judged,
    rubric: &Rubric,
    report_day: u8,
    as_of: NaiveDate,
    group: RankGroup,
) -> Vec<UnitScore> {
    let mut lines: BTreeMap<&UnitId, Vec<TaskLine>> = BTreeMap::new();
    // Only tasks the unit had taken on by the day (挂牌 or 签收) are scored.
    let taken_on = |t: &&TaskFacts| {
        !matches!(
            status_on(t, as_of),
            TaskStatus::Open | TaskStatus::Claimed | TaskStatus::Assigned | TaskStatus::Cancelled
        )
    };
    for t in tasks.iter().filter(taken_on) {
        let basis = on_time(t, as_of);
        let on_time = on_time_points(basis, rubric);
        let reporting_basis = reporting(t, as_of, report_day);
        let reporting = reporting_points(&reporting_basis, rubric);
        let given = judged.get(&t.task).copied().unwrap_or_default();
        let items = on_time
            + reporting
            + given.quality.unwrap_or_default()
            + given.innovation.unwrap_or_default();
        let task_weight = if t.key {
            u32::from(rubric.key_weight)
        } else {
            100
        };
        let line = |part: Part, unit: &UnitId| {
            let mut deductions = match part {
                Part::Lead => lead_deductions(t, as_of, rubric, &reporting_basis),
                Part::Co => Vec::new(),
            };
            deductions.extend(red_sheets(t, unit, as_of, rubric));
            let off: Points = deductions.iter().map(Deduction::points).sum();
            TaskLine {
                task: t.task.clone(),
                number: t.number,
                title: t.title.clone(),
                part,
                weight: match part {
                    Part::Lead => task_weight,
                    Part::Co => task_weight * u32::from(rubric.co_share) / 100,
                },
                on_time,
                on_time_basis: basis,
                reporting,
                reporting_basis: reporting_basis.clone(),
                quality: given.quality,
                innovation: given.innovation,
                score: Points((items - off).0.max(0)),
                deductions,
            }
        };
        lines
            .entry(&t.lead)
            .or_default()
            .push(line(Part::Lead, &t.lead));
        for co in t.co_units.iter().filter(|u| **u != t.lead) {
            lines.entry(co).or_default().push(line(Part::Co, co));
        }
    }
    let mut scores: Vec<UnitScore> = units
        .iter()
        .filter(|u| group.includes(u.kind))
        .filter_map(|u| {
            let lines = lines.remove(&u.id)?;
            let weighted =
                |f: &dyn Fn(&TaskLine) -> Points| mean(lines.iter().map(|l| (l.weight, f(l))));
            let judged_mean = |f: &dyn Fn(&TaskLine) -> Option<Points>| {
                lines
                    .iter()
                    .map(f)
                    .collect::<Option<Vec<_>>>()
                    .map(|_| weighted(&|l| f(l).unwrap_or_default()))
            };
            Some(UnitScore {
                unit: u.clone(),
                rank: 0,
                tied: false,
                total: weighted(&|l| l.score),
                on_time: weighted(&|l| l.on_time),
                reporting: weighted(&|l| l.reporting),
                quality: judged_mean(&|l| l.quality),
                innovation: judged_mean(&|l| l.innovation),
                deductions: weighted(&|l| l.deductions.iter().map(Deduction::points).sum()),
                adjustment: Points(0),
                lines,
            })
        })
        .collect();
    rank(&mut scores);
    scores
}

/// Orders by total, highest first (ties by name), and gives places: equal totals share one
/// (1, 1, 3).
pub(crate) fn rank(scores: &mut [UnitScore]) {
    scores.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.unit.name.cmp(&b.unit.name))
    });
    let totals: Vec<Points> = scores.iter().map(|s| s.total).collect();
    for (i, s) in scores.iter_mut().enumerate() {
        let first = totals.iter().position(|t| *t == s.total).unwrap_or(i);
        s.rank = u32::try_from(first + 1).unwrap_or(u32::MAX);
        s.tied = totals.iter().filter(|t| **t == s.total).count() > 1;
    }
    for s in scores.iter_mut() {
        s.lines.sort_by_key(|l| (l.part == Part::Co, l.number));
    }
}

/// The last day of each quarter of `year`: the days a period's 考评 is taken on (一季度末 …
/// 年度末).
pub fn quarter_ends(year: i32) -> Vec<NaiveDate> {
    [(3, 31), (6, 30), (9, 30), (12, 31)]
        .into_iter()
        .filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .collect()
}

/// Parses the ranking's 截至日期 (empty: `default`), held within the plan year's bounds.
pub fn parse_as_of(raw: &str, year: i32, default: NaiveDate) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(default);
    }
    let day = super::fields::date(raw)?;
    // The days of the plan year (and its grace period after the year's end).
    let (first, last) = super::task::plan_year_bounds(year);
    if day < first || day > last {
        return Err(Problem::OutsideYear { year });
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    fn unit(key: &str) -> UnitId {
        UnitId::parse(key).expect("unit")
    }

    fn task(n: u32, lead: &str) -> TaskFacts {
        TaskFacts {
            task: TaskId::parse(&format!("t-{n}")).expect("task"),
            number: n,
            title: format!("任务{n}"),
            key: false,
            lead: unit(lead),
            co_units: Vec::new(),
            start: d(1, 1),
            deadline: d(6, 30),
            milestones: Vec::new(),
            initial: TaskStatus::InProgress,
            moves: Vec::new(),
            reports: Vec::new(),
            lights: Vec::new(),
            red_sheets: Vec::new(),
        }
    }

    fn units() -> Vec<RankedUnit> {
        [
            ("a", "甲科", UnitKind::Section),
            ("b", "乙街道", UnitKind::Street),
            ("c", "丙科", UnitKind::Section),
        ]
        .into_iter()
        .map(|(k, n, kind)| RankedUnit {
            id: unit(k),
            name: n.to_owned(),
            kind,
        })
        .collect()
    }

    fn monthly(to_month: u32, day: u32) -> Vec<(NaiveDate, u8)> {
        (1..=to_month).map(|m| (d(m, day), 10)).collect()
    }

    fn score(tasks: &[TaskFacts], as_of: NaiveDate) -> Vec<UnitScore> {
        score_plan(
            tasks,
            &units(),
            &Judged::new(),
            &Rubric::default(),
            25,
            as_of,
            RankGroup::All,
        )
    }

    #[test]
    fn points_round_half_up_and_print_two_decimals() {
        assert_eq!(Points::whole(10).share(1, 3), Points(333));
        assert_eq!(Points::whole(10).share(2, 3), Points(667));
        assert_eq!(Points(1).share(1, 2), Points(1), "0.005 rounds up");
        assert_eq!(Points(4050).to_string(), "40.50");
        assert_eq!(Points(-5).to_string(), "-0.05");
        assert_eq!(Points::parse("0.1", 20), Ok(Points(10)));
        assert_eq!(Points::parse("2", 20), Ok(Points(200)));
        assert_eq!(Points::parse("0.05", 20), Ok(Points(5)));
        assert_eq!(Points::parse("0.005", 20), Err(Problem::BadFormat));
        assert_eq!(Points::parse("-1", 20), Err(Problem::NotANumber));
        assert_eq!(
            Points::parse("21", 20),
            Err(Problem::OutOfRange { min: 0, max: 20 })
        );
        assert_eq!(Points::parse("", 20), Err(Problem::Required));
    }

    #[test]
    fn finished_by_the_original_deadline_gets_full_marks() {
        let mut t = task(1, "a");
        t.moves = vec![
            (d(6, 28), TaskStatus::Submitted),
            (d(7, 8), TaskStatus::Accepted),
        ];
        t.reports = monthly(6, 20);
        let s = score(&[t], d(12, 31));
        let line = &s[0].lines[0];
        assert_eq!(
            line.on_time_basis,
            OnTime::Finished {
                finished: d(6, 28),
                accepted: d(7, 8),
                deadline: d(6, 30)
            }
        );
        assert_eq!(line.on_time, Points::whole(40));
        // Jan–Jun 报送日 25th: all six reported on the 20th; none due after it was handed in.
        assert_eq!(line.reporting_basis.due, 6);
        assert_eq!(line.reporting, Points::whole(10));
        assert_eq!(line.score, Points::whole(50), "judged items not yet given");
    }

    #[test]
    fn handed_in_after_the_original_deadline_gets_the_late_share() {
        // The deadline was extended to 9-30, but evaluation counts from the original 6-30.
        let mut t = task(1, "a");
        t.moves = vec![
            (d(9, 20), TaskStatus::Submitted),
            (d(9, 28), TaskStatus::Accepted),
        ];
        t.reports = monthly(9, 25);
        let s = score(&[t], d(12, 31));
        let line = &s[0].lines[0];
        assert!(matches!(line.on_time_basis, OnTime::Late { .. }));
        assert_eq!(line.on_time, Points::whole(20), "50% of 40");
        // Jan–Aug: September's 报送日 fell while it waited for acceptance.
        assert_eq!(line.reporting_basis.due, 8);
        assert_eq!(
            line.reporting_basis.on_time, 8,
            "the 25th itself is on time"
        );
    }

    #[test]
    fn overdue_gets_nothing_and_not_due_is_prorated_against_expected_progress() {
        let t = task(1, "a");
        let s = score(std::slice::from_ref(&t), d(7, 1));
        assert_eq!(
            s[0].lines[0].on_time_basis,
            OnTime::Overdue { deadline: d(6, 30) }
        );
        assert_eq!(s[0].lines[0].on_time, Points::ZERO);

        // Deadline 12-31 (a 365-day span): on 7-2 (day 182) 序时进度 is floor(182/364·100) = 50.
        let mut t = task(1, "a");
        t.deadline = d(12, 31);
        t.reports = vec![(d(6, 20), 40)];
        let s = score(&[t], d(7, 2));
        assert_eq!(
            s[0].lines[0].on_time_basis,
            OnTime::NotDue {
                percent: 40,
                expected: 50
            }
        );
        assert_eq!(s[0].lines[0].on_time, Points::whole(32), "40 × 40/50");
    }

    #[test]
    fn reporting_counts_on_time_late_and_missed_months() {
        let mut t = task(1, "a");
        t.deadline = d(12, 31);
        // Jan on time; Feb late (26th); Mar nothing; Apr on time; as of 4-30: 4 due.
        t.reports = vec![(d(1, 10), 5), (d(2, 26), 10), (d(4, 25), 20)];
        let s = score(&[t], d(4, 30));
        let line = &s[0].lines[0];
        assert_eq!(
            line.reporting_basis,
            Reporting {
                due: 4,
                on_time: 2,
                late: vec![d(2, 25)],
                missed: vec![d(3, 25)]
            }
        );
        assert_eq!(line.reporting, Points::whole(5));
        assert_eq!(
            line.deductions,
            vec![Deduction::MissedReports {
                due: vec![d(3, 25)],
                points: Points(50)
            }]
        );
    }

    #[test]
    fn no_report_is_due_before_the_start_or_while_waiting_for_acceptance() {
        let mut t = task(1, "a");
        t.start = d(3, 26);
        t.deadline = d(12, 31);
        t.moves = vec![(d(5, 10), TaskStatus::Submitted)];
        t.reports = vec![(d(4, 20), 50)];
        let s = score(&[t], d(8, 31));
        // Only April's 报送日 (4-25) falls while it was under way.
        assert_eq!(s[0].lines[0].reporting_basis.due, 1);
        assert_eq!(s[0].lines[0].reporting, Points::whole(10));
    }

    #[test]
    fn red_days_beyond_grace_returns_and_red_sheets_are_deducted() {
        let mut t = task(1, "a");
        t.deadline = d(12, 31);
        t.reports = monthly(6, 1);
        // Red 5-1..5-20 (20 days), yellow, red again 6-21..6-30 (10 days): 30 days, 20 over.
        t.lights = vec![(d(5, 1), true), (d(5, 21), false), (d(6, 21), true)];
        t.moves = vec![
            (d(3, 1), TaskStatus::Submitted),
            (d(3, 5), TaskStatus::Returned),
            (d(4, 1), TaskStatus::Submitted),
            (d(4, 6), TaskStatus::Returned),
        ];
        t.red_sheets = vec![(d(6, 1), unit("a")), (d(8, 1), unit("a"))];
        let s = score(&[t], d(6, 30));
        let line = &s[0].lines[0];
        assert_eq!(
            line.deductions,
            vec![
                Deduction::RedDays {
                    days: 30,
                    grace: 10,
                    points: Points(200)
                },
                Deduction::Returned {
                    on: vec![d(3, 5), d(4, 6)],
                    points: Points::whole(2)
                },
                Deduction::RedSheets {
                    on: vec![d(6, 1)],
                    points: Points::whole(2)
                },
            ],
            "the sheet of 8-1 is after the day scored"
        );
        assert_eq!(line.score, line.on_time + line.reporting - Points::whole(6));
    }

    #[test]
    fn a_units_score_is_the_weighted_mean_with_key_tasks_and_co_shares() {
        // a leads t1 (重中之重, finished on time: 40 + 10 = 50) and t2 (overdue, all reported:
        // 0 + 10 = 10); b leads t3 (same as t2: 10) and co-operates on t1 (50).
        let mut t1 = task(1, "a");
        t1.key = true;
        t1.co_units = vec![unit("b")];
        t1.moves = vec![
            (d(6, 1), TaskStatus::Submitted),
            (d(6, 2), TaskStatus::Accepted),
        ];
        t1.reports = monthly(5, 20);
        let mut t2 = task(2, "a");
        t2.reports = monthly(12, 20);
        let mut t3 = task(3, "b");
        t3.reports = monthly(12, 20);
        let s = score(&[t1, t2, t3], d(12, 31));
        let a = s.iter().find(|u| u.unit.id == unit("a")).expect("a");
        let b = s.iter().find(|u| u.unit.id == unit("b")).expect("b");
        // a: (150·50 + 100·10) / 250 = 34.00; b: (100·10 + 45·50) / 145 = 22.413… → 22.41.
        assert_eq!(a.total, Points::whole(34));
        assert_eq!(b.total, Points(2241));
        assert_eq!(b.lines[1].weight, 45, "150 × 30%");
        assert_eq!((a.rank, b.rank), (1, 2));
        assert_eq!(a.quality, None, "not judged yet");
        assert!(
            s.iter().all(|u| u.unit.id != unit("c")),
            "no tasks, not ranked"
        );
    }

    #[test]
    fn equal_totals_share_a_place_and_groups_rank_apart() {
        let mut ta = task(1, "a");
        ta.reports = monthly(12, 20);
        let mut tb = task(2, "b");
        tb.reports = monthly(12, 20);
        let mut tc = task(3, "c");
        tc.reports = monthly(11, 20);
        let s = score(&[ta.clone(), tb.clone(), tc.clone()], d(12, 31));
        let places: Vec<(&str, u32, bool)> = s
            .iter()
            .map(|u| (u.unit.name.as_str(), u.rank, u.tied))
            .collect();
        assert_eq!(
            places,
            vec![("乙街道", 1, true), ("甲科", 1, true), ("丙科", 3, false)]
        );
        let sections = score_plan(
            &[ta, tb, tc],
            &units(),
            &Judged::new(),
            &Rubric::default(),
            25,
            d(12, 31),
            RankGroup::Sections,
        );
        let places: Vec<(&str, u32)> = sections
            .iter()
            .map(|u| (u.unit.name.as_str(), u.rank))
            .collect();
        assert_eq!(places, vec![("甲科", 1), ("丙科", 2)]);
    }

    #[test]
    fn judged_items_count_once_given() {
        let mut t = task(1, "a");
        t.reports = monthly(12, 20);
        let mut judged = Judged::new();
        judged.insert(
            t.task.clone(),
            JudgedScores {
                quality: Some(Points(3550)),
                innovation: Some(Points(800)),
            },
        );
        let s = score_plan(
            &[t],
            &units(),
            &judged,
            &Rubric::default(),
            25,
            d(12, 31),
            RankGroup::All,
        );
        assert_eq!(s[0].total, Points(1000 + 3550 + 800));
        assert_eq!(s[0].quality, Some(Points(3550)));
    }

    #[test]
    fn tasks_not_yet_taken_on_are_not_scored() {
        let mut t = task(1, "a");
        t.initial = TaskStatus::Assigned;
        t.moves = vec![(d(8, 1), TaskStatus::InProgress)];
        assert!(
            score(std::slice::from_ref(&t), d(7, 31)).is_empty(),
            "待签收 on 7-31"
        );
        assert_eq!(score(&[t], d(8, 31)).len(), 1, "签收ed 8-1");
    }

    #[test]
    fn a_task_loaded_finished_counts_from_its_last_report() {
        let mut t = task(1, "a");
        t.initial = TaskStatus::Accepted;
        t.reports = vec![(d(3, 31), 50), (d(6, 20), 100)];
        t.settle_unrecorded(TaskStatus::Accepted);
        let s = score(&[t], d(12, 31));
        assert!(matches!(
            s[0].lines[0].on_time_basis,
            OnTime::Finished { finished, .. } if finished == d(6, 20)
        ));
        // Jan–May due (handed in 6-20): March reported late, the other four missed.
        assert_eq!(s[0].lines[0].reporting_basis.missed.len(), 4);
    }

    #[test]
    fn the_rubric_form_is_checked_as_a_whole() {
        let good = RubricForm::of(&Rubric::default());
        assert_eq!(Rubric::parse(&good), Ok(Rubric::default()));
        let bad = RubricForm {
            on_time: "50".into(),
            red_day: "abc".into(),
            co_share: "120".into(),
            ..good
        };
        let errors = Rubric::parse(&bad).expect_err("refused");
        let fields: Vec<(&str, &Problem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("co_share", &Problem::OutOfRange { min: 0, max: 100 }),
                ("red_day", &Problem::NotANumber),
                ("on_time", &Problem::WeightsNotHundred { sum: 110 }),
            ]
        );
    }

    #[test]
    fn quarters_end_on_their_last_day() {
        assert_eq!(
            quarter_ends(2022),
            vec![d(3, 31), d(6, 30), d(9, 30), d(12, 31)]
        );
    }

    #[test]
    fn as_of_must_fall_in_the_plan_year() {
        assert_eq!(parse_as_of("", 2022, d(7, 29)), Ok(d(7, 29)));
        assert_eq!(parse_as_of("2022-12-31", 2022, d(7, 29)), Ok(d(12, 31)));
        assert_eq!(
            parse_as_of("2021-12-31", 2022, d(7, 29)),
            Err(Problem::OutsideYear { year: 2022 })
        );
        assert_eq!(parse_as_of("12/31", 2022, d(7, 29)), Err(Problem::NotADate));
    }
}
