//! 整改清单: a problem found — at a 督查, by a 调度会, in a failed 验收, in 上级督导反馈 or by the
//! unit itself — becomes an item with a responsible unit and person, 整改措施 and a 整改时限, and is
//! followed until the office 销号s it. The unit reports 整改进展 with evidence and asks for 销号;
//! the office 销号s or sends it back (退回重改). Nothing reported is changed: every step is an
//! entry of the item's record.

use super::error::{Errors, FieldError, Problem, Refusal};
use super::fields::{date, date_any, text};
use super::ids::{FindingId, TaskId, UnitId};
use super::light::Light;
use super::report::EvidenceFile;
use super::views::PlanRef;
use super::{Actor, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 督查检查: a 督查 visit.
    Inspection,
    /// 调度会议定: a 专题调度会's decision.
    Meeting,
    /// 验收未通过: a task's acceptance that failed (退回整改).
    Acceptance,
    /// 上级督导反馈: the higher level's inspection feedback.
    Superior,
    /// 自查发现: found by the unit itself.
    SelfCheck,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Self::Inspection,
        Self::Meeting,
        Self::Acceptance,
        Self::Superior,
        Self::SelfCheck,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::Meeting => "meeting",
            Self::Acceptance => "acceptance",
            Self::Superior => "superior",
            Self::SelfCheck => "self_check",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The source a findings list's 来源 cell names, as offices write it (督查 / 调度会 /
    /// 验收 / 上级督导 / 自查, in any of their usual phrasings).
    pub fn from_cell(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        let has = |words: &[&str]| words.iter().any(|w| cell.contains(w));
        if let Some(s) = Self::parse(cell) {
            return Some(s);
        }
        if has(&["上级", "督导", "巡视", "巡察"]) {
            Some(Self::Superior)
        } else if has(&["验收"]) {
            Some(Self::Acceptance)
        } else if has(&["调度", "会议", "会上"]) {
            Some(Self::Meeting)
        } else if has(&["自查", "自评"]) {
            Some(Self::SelfCheck)
        } else if has(&["督查", "检查", "督办"]) {
            Some(Self::Inspection)
        } else {
            None
        }
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 整改中.
    Rectifying,
    /// 待销号: the unit reports it done and asks for 销号.
    Submitted,
    /// 退回重改: the office found the rectification not done.
    Returned,
    /// 已销号.
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Self::Rectifying,
        Self::Submitted,
        Self::Returned,
        Self::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Rectifying => "rectifying",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still the unit's to work on (整改中 or 退回重改).
    pub fn in_hand(self) -> bool {
        matches!(self, Self::Rectifying | Self::Returned)
    }
}

/// Days before its 整改时限 an item still in hand turns yellow.
pub const DUE_SOON_DAYS: i64 = 7;

/// An item's light on `today`: none once 销号ed; red past its 整改时限 while still in hand;
/// yellow within [`DUE_SOON_DAYS`] of it; green otherwise (and while the office decides on a
/// request for 销号 — the unit has done its part).
pub fn light(status: Status, deadline: NaiveDate, today: NaiveDate) -> Option<Light> {
    match status {
        Status::Closed => None,
        Status::Submitted => Some(Light::Green),
        Status::Rectifying | Status::Returned if today > deadline => Some(Light::Red),
        Status::Rectifying | Status::Returned if (deadline - today).num_days() <= DUE_SOON_DAYS => {
            Some(Light::Yellow)
        }
        Status::Rectifying | Status::Returned => Some(Light::Green),
    }
}

/// Longest 问题 description.
pub const PROBLEM_MAX: u32 = 500;
/// Longest 整改措施.
pub const MEASURES_MAX: u32 = 1000;
/// Longest 整改进展 and decision note.
pub const NOTE_MAX: u32 = 1000;

/// A new item as the form (or a row of an imported list) delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingForm {
    pub problem: String,
    /// A [`Source`] code.
    pub source: String,
    /// The responsible unit's id.
    pub unit: String,
    /// 责任人, by name.
    pub person: String,
    pub measures: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    /// `YYYY-MM-DD`; empty: today.
    pub found_on: String,
    /// The task it concerns, if any (its id).
    #[serde(default)]
    pub task: String,
}

/// A checked new item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingInput {
    pub problem: String,
    pub source: Source,
    pub unit: UnitId,
    pub person: String,
    pub measures: String,
    pub deadline: NaiveDate,
    pub found_on: NaiveDate,
    pub task: Option<TaskId>,
}

impl FindingInput {
    /// Checks every field (all problems at once): texts within their lengths, a known source,
    /// found not after `today`, the 整改时限 not before it was found.
    pub fn parse(form: &FindingForm, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        Self::parse_with(form, today, date)
    }

    /// As [`FindingInput::parse`], the dates read as a spreadsheet may write them
    /// (2022/7/1, 2022年7月1日, 2022.7.1).
    pub fn parse_cells(form: &FindingForm, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        Self::parse_with(form, today, date_any)
    }

    fn parse_with(
        form: &FindingForm,
        today: NaiveDate,
        read_date: fn(&str) -> Result<NaiveDate, Problem>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let problem = errors.take(
            text(&form.problem, 4, PROBLEM_MAX).map_err(|p| FieldError::new("finding_problem", p)),
        );
        let source = errors.take(match form.source.trim() {
            "" => Err(FieldError::new("finding_source", Problem::Required)),
            raw => Source::from_cell(raw)
                .ok_or_else(|| FieldError::new("finding_source", Problem::UnknownValue)),
        });
        let unit = errors.take(match form.unit.trim() {
            "" => Err(FieldError::new("finding_unit", Problem::Required)),
            raw => UnitId::parse(raw)
                .ok_or_else(|| FieldError::new("finding_unit", Problem::BadFormat)),
        });
        let person = errors
            .take(text(&form.person, 2, 40).map_err(|p| FieldError::new("finding_person", p)));
        let measures = errors.take(
            text(&form.measures, 4, MEASURES_MAX).map_err(|p| FieldError::new("measures", p)),
        );
        let found_on = errors.take(match form.found_on.trim() {
            "" => Ok(today),
            raw => read_date(raw)
                .and_then(|d| {
                    if d > today {
                        Err(Problem::InFuture)
                    } else {
                        Ok(d)
                    }
                })
                .map_err(|p| FieldError::new("found_on", p)),
        });
        let deadline = errors.take(
            read_date(&form.deadline)
                .and_then(|d| match found_on {
                    Some(found) if d < found => Err(Problem::BeforeFound),
                    _ => Ok(d),
                })
                .map_err(|p| FieldError::new("finding_deadline", p)),
        );
        let task = errors.take(match form.task.trim() {
            "" => Ok(None),
            raw => TaskId::parse(raw)
                .map(Some)
                .ok_or_else(|| FieldError::new("finding_task", Problem::BadFormat)),
        });
        errors.finish(|| {
            Some(Self {
                problem: problem?,
                source: source?,
                unit: unit?,
                person: person?,
                measures: measures?,
                deadline: deadline?,
                found_on: found_on?,
                task: task?,
            })
        })
    }
}

/// A unit's 整改进展 as posted: what was done and whether it asks for 销号.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressForm {
    pub text: String,
    /// `"on"` (a ticked box): 整改完成, 申请销号.
    #[serde(default)]
    pub finished: String,
}

/// A checked 整改进展.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressInput {
    pub text: String,
    pub finished: bool,
}

impl ProgressInput {
    pub fn parse(form: &ProgressForm) -> Result<Self, Vec<FieldError>> {
        let text =
            text(&form.text, 4, NOTE_MAX).map_err(|p| vec![FieldError::new("progress_text", p)])?;
        Ok(Self {
            text,
            finished: matches!(form.finished.trim(), "on" | "true" | "1"),
        })
    }
}

/// The office's answer to a request for 销号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 销号: rectified.
    Close,
    /// 退回重改: not yet; the reason says what is missing.
    Return,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::Return => "return",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Close, Self::Return]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// A checked decision: 销号 with an optional note, or 退回 with the reason (required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub note: String,
}

impl Decision {
    pub fn parse(verdict: &str, note: &str) -> Result<Self, Vec<FieldError>> {
        let verdict = Verdict::parse(verdict.trim())
            .ok_or_else(|| vec![FieldError::new("finding_verdict", Problem::UnknownValue)])?;
        let min = match verdict {
            Verdict::Close => 0,
            Verdict::Return => 4,
        };
        let note =
            text(note, min, NOTE_MAX).map_err(|p| vec![FieldError::new("finding_note", p)])?;
        Ok(Self { verdict, note })
    }
}

/// Whether `actor` may report 整改进展 on an item of `unit` standing at `status`: a head or
/// liaison of that unit, while the item is in hand.
pub fn may_report(actor: &Actor, unit: &UnitId, status: Status) -> Result<(), Refusal> {
    let own =
        matches!(actor.role, Role::UnitHead | Role::Liaison) && actor.unit.as_ref() == Some(unit);
    if !own {
        return Err(Refusal::NotYourFinding);
    }
    match status {
        Status::Closed => Err(Refusal::FindingClosed),
        Status::Submitted => Err(Refusal::FindingAwaitingClose),
        Status::Rectifying | Status::Returned => Ok(()),
    }
}

/// Whether the office may decide (销号 / 退回) an item at `status`: only a request for 销号.
pub fn may_decide(status: Status) -> Result<(), Refusal> {
    match status {
        Status::Submitted => Ok(()),
        Status::Closed => Err(Refusal::FindingClosed),
        Status::Rectifying | Status::Returned => Err(Refusal::FindingNotSubmitted),
    }
}

/// The status after a unit's report.
pub fn after_report(status: Status, finished: bool) -> Status {
    if finished { Status::Submitted } else { status }
}

/// The status after the office's decision.
pub fn after_decision(verdict: Verdict) -> Status {
    match verdict {
        Verdict::Close => Status::Closed,
        Verdict::Return => Status::Returned,
    }
}

/// An item of the list as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    /// 序号 within the plan's list.
    pub number: u32,
    pub problem: String,
    pub source: Source,
    pub unit: UnitId,
    pub unit_name: String,
    pub person: String,
    pub measures: String,
    pub deadline: NaiveDate,
    pub found_on: NaiveDate,
    /// The task it concerns: id, 序号, title.
    pub task: Option<(TaskId, u32, String)>,
    pub status: Status,
    /// How often it was sent back.
    pub returned: u32,
    pub closed_on: Option<NaiveDate>,
    pub version: u32,
    pub light: Option<Light>,
}

impl Finding {
    /// Past its 整改时限 while still the unit's to work on.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status.in_hand() && today > self.deadline
    }
}

/// What an entry of an item's record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 整改进展.
    Progress,
    /// 整改完成, 申请销号.
    Submit,
    /// 销号.
    Close,
    /// 退回重改.
    Return,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [Self::Progress, Self::Submit, Self::Close, Self::Return];

    pub fn code(self) -> &'static str {
        match self {
            Self::Progress => "progress",
            Self::Submit => "submit",
            Self::Close => "close",
            Self::Return => "return",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One entry of an item's record, never changed once written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the record, from 1.
    pub n: u32,
    pub kind: EntryKind,
    pub text: String,
    pub files: Vec<EvidenceFile>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The counts on top of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: u32,
    /// 整改中 and 退回重改.
    pub in_hand: u32,
    pub overdue: u32,
    pub submitted: u32,
    pub closed: u32,
}

/// The counts of `findings` on `today`.
pub fn tally(findings: &[Finding], today: NaiveDate) -> Tally {
    let mut t = Tally::default();
    for f in findings {
        t.total += 1;
        match f.status {
            Status::Rectifying | Status::Returned => t.in_hand += 1,
            Status::Submitted => t.submitted += 1,
            Status::Closed => t.closed += 1,
        }
        if f.overdue(today) {
            t.overdue += 1;
        }
    }
    t
}

/// Which items the list shows, as the address says (each empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub status: Option<Status>,
    pub source: Option<Source>,
    pub unit: Option<UnitId>,
    /// Only those past their 整改时限.
    pub overdue: bool,
}

impl Filter {
    /// Reads the address's `status`, `source`, `unit` (unknown values are ignored: a stale
    /// bookmark shows everything rather than an error) and `status=overdue`.
    pub fn parse(status: &str, source: &str, unit: &str) -> Self {
        let overdue = status.trim() == "overdue";
        Self {
            status: Status::parse(status.trim()),
            source: Source::parse(source.trim()),
            unit: UnitId::parse(unit.trim()),
            overdue,
        }
    }

    pub fn keeps(&self, f: &Finding, today: NaiveDate) -> bool {
        self.status.is_none_or(|s| s == f.status)
            && self.source.is_none_or(|s| s == f.source)
            && self.unit.as_ref().is_none_or(|u| *u == f.unit)
            && (!self.overdue || f.overdue(today))
    }
}

/// A unit a finding can be given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: UnitId,
    pub name: String,
}

/// A task a finding can concern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskChoice {
    pub id: TaskId,
    pub number: u32,
    pub title: String,
    /// Its lead unit, to preselect.
    pub lead: Option<UnitId>,
}

/// The 整改清单 page: a plan's items as the reader may see them, on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingList {
    pub plan: PlanRef,
    pub today: NaiveDate,
    pub findings: Vec<Finding>,
    /// Only the reader's unit's items.
    pub own_only: bool,
    /// The reader keeps the list (enters, imports, decides).
    pub may_manage: bool,
    pub units: Vec<UnitChoice>,
    pub tasks: Vec<TaskChoice>,
    /// A new item drafted from a failed acceptance (`?task=`), for the office to complete.
    pub draft: Option<FindingForm>,
}

/// One item with its record, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingView {
    pub plan: PlanRef,
    pub finding: Finding,
    pub entries: Vec<Entry>,
    pub may_report: bool,
    pub may_decide: bool,
}

/// The 问题 of a failed acceptance, as a finding drafts it: the criteria not met and the
/// office's opinion.
pub fn acceptance_problem(failed: &[String], opinion: &str) -> String {
    let mut problem = String::from("验收未通过:");
    if failed.is_empty() {
        problem.push_str(opinion.trim());
    } else {
        problem.push_str(&failed.join(";"));
        if !opinion.trim().is_empty() {
            problem.push_str("。验收意见:");
            problem.push_str(opinion.trim());
        }
    }
    problem.chars().take(PROBLEM_MAX as usize).collect()
}

/// What waits on someone in the 整改清单 (the 工作台's 整改事项): for a unit, its items still in
/// hand, the nearest 整改时限 first; for the office, the requests for 销号 (oldest first), then
/// the items past their 整改时限. Nothing for other roles.
pub fn waiting_on(role: Role, findings: &[Finding], today: NaiveDate) -> Vec<Finding> {
    let mut out: Vec<Finding> = match role {
        Role::UnitHead | Role::Liaison => findings
            .iter()
            .filter(|f| f.status.in_hand())
            .cloned()
            .collect(),
        Role::Organizer => findings
            .iter()
            .filter(|f| f.status == Status::Submitted || f.overdue(today))
            .cloned()
            .collect(),
        Role::Leader | Role::Viewer | Role::Admin => Vec::new(),
    };
    out.sort_by_key(|f| (f.status != Status::Submitted, f.deadline, f.number));
    out
}

/// The columns of a findings list (整改清单) as offices head them.
const COLUMNS: &[(&str, &[&str])] = &[
    ("problem", &["问题描述", "存在问题", "问题", "反馈问题"]),
    ("source", &["问题来源", "来源"]),
    ("unit", &["责任单位", "整改责任单位"]),
    ("person", &["责任人", "整改责任人"]),
    ("measures", &["整改措施"]),
    ("deadline", &["整改时限", "完成时限"]),
    ("found_on", &["发现日期", "发现时间", "反馈日期"]),
    ("task", &["关联任务序号", "任务序号", "关联任务"]),
];

/// The columns a findings list must have (the others may be left out).
const REQUIRED: &[&str] = &[
    "problem", "source", "unit", "person", "measures", "deadline",
];

/// The headers of a findings list, in order (each field's first name).
pub fn template_headers() -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter_map(|(_, names)| names.first().copied())
        .collect()
}

/// A findings list's rows, checked: every item in file order, or every problem with its row
/// and column. `unit` finds a unit by name, `task` a task of the plan by its 序号.
pub fn parse_rows(
    rows: &[Vec<String>],
    today: NaiveDate,
    unit: &dyn Fn(&str) -> Option<UnitId>,
    task: &dyn Fn(u32) -> Option<TaskId>,
) -> Result<Vec<FindingInput>, Vec<super::import::ImportProblem>> {
    use super::import::{ImportIssue, ImportProblem, MAX_PROBLEMS, find_header_in, row_number};
    let header_name = |field: &str| {
        COLUMNS
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, names)| names.first().copied())
            .unwrap_or("")
            .to_owned()
    };
    let Some((header_at, columns)) = find_header_in(rows, COLUMNS, &["problem", "measures"]) else {
        return Err(vec![ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::NoHeader,
        }]);
    };
    let mut problems: Vec<ImportProblem> = REQUIRED
        .iter()
        .filter(|f| !columns.iter().any(|(c, _, _)| c == *f))
        .map(|f| ImportProblem {
            row: row_number(header_at),
            column: header_name(f),
            issue: ImportIssue::MissingColumn,
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let column_of = |field: &str| columns.iter().find(|(f, _, _)| *f == field);
    let header = |field: &str| column_of(field).map_or_else(|| header_name(field), |c| c.2.clone());
    let mut items = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = row_number(i);
        let cell = |field: &str| {
            column_of(field)
                .and_then(|(_, index, _)| row.get(*index))
                .map(|c| c.trim().to_owned())
                .unwrap_or_default()
        };
        let unit_name = cell("unit");
        let unit_id = if unit_name.is_empty() {
            String::new()
        } else if let Some(id) = unit(&unit_name) {
            id.to_string()
        } else {
            problems.push(ImportProblem {
                row: at,
                column: header("unit"),
                issue: ImportIssue::UnknownUnit { name: unit_name },
            });
            continue;
        };
        let task_cell = cell("task");
        let task_id = match task_cell.parse::<u32>() {
            _ if task_cell.is_empty() => String::new(),
            Ok(n) => match task(n) {
                Some(id) => id.to_string(),
                None => {
                    problems.push(ImportProblem {
                        row: at,
                        column: header("task"),
                        issue: ImportIssue::Field {
                            problem: Problem::NoSuchRecord,
                        },
                    });
                    continue;
                }
            },
            Err(_) => {
                problems.push(ImportProblem {
                    row: at,
                    column: header("task"),
                    issue: ImportIssue::Field {
                        problem: Problem::NotANumber,
                    },
                });
                continue;
            }
        };
        let form = FindingForm {
            problem: cell("problem"),
            source: cell("source"),
            unit: unit_id,
            person: cell("person"),
            measures: cell("measures"),
            deadline: cell("deadline"),
            found_on: cell("found_on"),
            task: task_id,
        };
        match FindingInput::parse_cells(&form, today) {
            Ok(input) => items.push(input),
            Err(errors) => problems.extend(errors.into_iter().map(|e| ImportProblem {
                row: at,
                column: header(e.field.strip_prefix("finding_").unwrap_or(&e.field)),
                issue: ImportIssue::Field { problem: e.problem },
            })),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if items.is_empty() && problems.is_empty() {
        problems.push(ImportProblem {
            row: row_number(header_at + 1),
            column: String::new(),
            issue: ImportIssue::NoTasks,
        });
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    fn form() -> FindingForm {
        FindingForm {
            problem: "小区党支部阵地建设不达标".into(),
            source: "inspection".into(),
            unit: "u-kysd".into(),
            person: "刘强".into(),
            measures: "8月底前完成阵地改造".into(),
            deadline: "2022-08-31".into(),
            found_on: "2022-07-20".into(),
            task: String::new(),
        }
    }

    #[test]
    fn a_finding_is_checked_whole() {
        let ok = FindingInput::parse(&form(), d(7, 29)).expect("valid");
        assert_eq!(ok.source, Source::Inspection);
        assert_eq!(ok.deadline, d(8, 31));
        assert_eq!(ok.task, None);

        let bad = FindingForm {
            problem: "短".into(),
            source: "天上掉的".into(),
            unit: String::new(),
            person: "刘".into(),
            measures: String::new(),
            deadline: "2022-07-01".into(),
            found_on: "2022-07-20".into(),
            task: "../x".into(),
        };
        let errors = FindingInput::parse(&bad, d(7, 29)).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "finding_problem",
                "finding_source",
                "finding_unit",
                "finding_person",
                "measures",
                "finding_deadline",
                "finding_task"
            ]
        );
        assert_eq!(errors[5].problem, Problem::BeforeFound);

        let future = FindingForm {
            found_on: "2022-07-30".into(),
            ..form()
        };
        let errors = FindingInput::parse(&future, d(7, 29)).expect_err("future");
        assert_eq!(errors[0].problem, Problem::InFuture);

        // Left empty, it was found today.
        let today = FindingForm {
            found_on: String::new(),
            ..form()
        };
        assert_eq!(
            FindingInput::parse(&today, d(7, 29)).expect("ok").found_on,
            d(7, 29)
        );
        // A spreadsheet's dates.
        let cells = FindingForm {
            deadline: "2022年8月31日".into(),
            found_on: "2022/7/20".into(),
            source: "区委第二督查组检查".into(),
            ..form()
        };
        let parsed = FindingInput::parse_cells(&cells, d(7, 29)).expect("cells");
        assert_eq!((parsed.found_on, parsed.deadline), (d(7, 20), d(8, 31)));
    }

    #[test]
    fn sources_as_offices_write_them() {
        let cases = [
            ("上级督导反馈", Source::Superior),
            ("市委巡察反馈", Source::Superior),
            ("验收未通过", Source::Acceptance),
            ("专题调度会议定", Source::Meeting),
            ("单位自查", Source::SelfCheck),
            ("督查检查", Source::Inspection),
            ("meeting", Source::Meeting),
        ];
        for (cell, source) in cases {
            assert_eq!(Source::from_cell(cell), Some(source), "{cell}");
        }
        assert_eq!(Source::from_cell("其他"), None);
    }

    #[test]
    fn lights_follow_the_deadline_while_in_hand() {
        let due = d(8, 31);
        assert_eq!(light(Status::Rectifying, due, d(8, 1)), Some(Light::Green));
        // Seven days before: yellow; eight: still green.
        assert_eq!(light(Status::Rectifying, due, d(8, 23)), Some(Light::Green));
        assert_eq!(
            light(Status::Rectifying, due, d(8, 24)),
            Some(Light::Yellow)
        );
        assert_eq!(light(Status::Returned, due, d(8, 31)), Some(Light::Yellow));
        assert_eq!(light(Status::Returned, due, d(9, 1)), Some(Light::Red));
        // Asked for 销号: the unit has done its part, whatever the date.
        assert_eq!(light(Status::Submitted, due, d(9, 10)), Some(Light::Green));
        assert_eq!(light(Status::Closed, due, d(9, 10)), None);
    }

    #[test]
    fn only_the_unit_reports_and_only_a_request_is_decided() {
        let unit = UnitId::parse("u-kysd").expect("id");
        let other = UnitId::parse("u-nasd").expect("id");
        let head = Actor {
            name: "liuqiang".into(),
            role: Role::UnitHead,
            unit: Some(unit.clone()),
        };
        let office = Actor {
            name: "wangfang".into(),
            role: Role::Organizer,
            unit: None,
        };
        assert_eq!(may_report(&head, &unit, Status::Rectifying), Ok(()));
        assert_eq!(may_report(&head, &unit, Status::Returned), Ok(()));
        assert_eq!(
            may_report(&head, &other, Status::Rectifying),
            Err(Refusal::NotYourFinding)
        );
        assert_eq!(
            may_report(&office, &unit, Status::Rectifying),
            Err(Refusal::NotYourFinding)
        );
        assert_eq!(
            may_report(&head, &unit, Status::Submitted),
            Err(Refusal::FindingAwaitingClose)
        );
        assert_eq!(
            may_report(&head, &unit, Status::Closed),
            Err(Refusal::FindingClosed)
        );
        assert_eq!(may_decide(Status::Submitted), Ok(()));
        assert_eq!(
            may_decide(Status::Rectifying),
            Err(Refusal::FindingNotSubmitted)
        );
        assert_eq!(may_decide(Status::Closed), Err(Refusal::FindingClosed));
        assert_eq!(after_report(Status::Returned, false), Status::Returned);
        assert_eq!(after_report(Status::Returned, true), Status::Submitted);
        assert_eq!(after_decision(Verdict::Return), Status::Returned);
        assert_eq!(after_decision(Verdict::Close), Status::Closed);
    }

    #[test]
    fn a_return_needs_its_reason() {
        assert_eq!(
            Decision::parse("close", "").expect("close").verdict,
            Verdict::Close
        );
        let errors = Decision::parse("return", " ").expect_err("reason");
        assert_eq!(errors[0].field, "finding_note");
        assert_eq!(errors[0].problem, Problem::Required);
        assert!(Decision::parse("archive", "好的好的").is_err());
        let p = ProgressInput::parse(&ProgressForm {
            text: "已完成阵地改造并挂牌".into(),
            finished: "on".into(),
        })
        .expect("progress");
        assert!(p.finished);
        assert!(
            ProgressInput::parse(&ProgressForm {
                text: "好".into(),
                finished: String::new()
            })
            .is_err()
        );
    }

    #[test]
    fn counts_and_filters() {
        let base = Finding {
            id: FindingId::parse("f1").expect("id"),
            number: 1,
            problem: "问题".into(),
            source: Source::Inspection,
            unit: UnitId::parse("u-a").expect("id"),
            unit_name: "甲".into(),
            person: "张三".into(),
            measures: "措施".into(),
            deadline: d(7, 31),
            found_on: d(7, 1),
            task: None,
            status: Status::Rectifying,
            returned: 0,
            closed_on: None,
            version: 1,
            light: None,
        };
        let items = vec![
            base.clone(),
            Finding {
                status: Status::Returned,
                deadline: d(9, 30),
                source: Source::Acceptance,
                ..base.clone()
            },
            Finding {
                status: Status::Submitted,
                ..base.clone()
            },
            Finding {
                status: Status::Closed,
                unit: UnitId::parse("u-b").expect("id"),
                ..base.clone()
            },
        ];
        let today = d(8, 1);
        assert_eq!(
            tally(&items, today),
            Tally {
                total: 4,
                in_hand: 2,
                overdue: 1,
                submitted: 1,
                closed: 1
            }
        );
        let numbers = |role| -> Vec<(Status, NaiveDate)> {
            waiting_on(role, &items, today)
                .iter()
                .map(|f| (f.status, f.deadline))
                .collect()
        };
        // A unit: what is in hand, nearest deadline first.
        assert_eq!(
            numbers(Role::UnitHead),
            [(Status::Rectifying, d(7, 31)), (Status::Returned, d(9, 30))]
        );
        // The office: the request for 销号, then what is overdue.
        assert_eq!(
            numbers(Role::Organizer),
            [
                (Status::Submitted, d(7, 31)),
                (Status::Rectifying, d(7, 31))
            ]
        );
        assert!(numbers(Role::Leader).is_empty());
        let keep = |f: &Filter| items.iter().filter(|i| f.keeps(i, today)).count();
        assert_eq!(keep(&Filter::parse("", "", "")), 4);
        assert_eq!(keep(&Filter::parse("overdue", "", "")), 1);
        assert_eq!(keep(&Filter::parse("", "acceptance", "")), 1);
        assert_eq!(keep(&Filter::parse("", "", "u-b")), 1);
        assert_eq!(keep(&Filter::parse("bogus", "", "")), 4);
    }

    #[test]
    fn a_findings_list_is_read_row_by_row() {
        use crate::domain::import::{ImportIssue, ImportProblem};
        let unit =
            |name: &str| (name == "南澳街道党建办").then(|| UnitId::parse("nasd").expect("id"));
        let task = |n: u32| (n == 1).then(|| TaskId::parse("t-1").expect("id"));
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let rows = vec![
            row(&["2022年督查发现问题整改清单"]),
            row(&[
                "序号",
                "问题描述",
                "问题来源",
                "责任单位",
                "责任人",
                "整改措施",
                "整改时限",
                "发现日期",
                "关联任务序号",
            ]),
            row(&[
                "1",
                "公示栏未更新",
                "区委督查组检查",
                "南澳街道党建办",
                "杨帆",
                "8月15日前更新公示栏",
                "2022/8/15",
                "2022/7/12",
                "1",
            ]),
            row(&["", "", "", "", "", "", "", "", ""]),
            row(&[
                "2",
                "台账不全",
                "上级督导反馈",
                "南澳街道党建办",
                "唐欣",
                "补齐台账",
                "2022年9月30日",
                "",
                "",
            ]),
        ];
        let items = parse_rows(&rows, d(7, 29), &unit, &task).expect("valid");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].source, Source::Inspection);
        assert_eq!(items[0].task, Some(TaskId::parse("t-1").expect("id")));
        assert_eq!((items[0].found_on, items[0].deadline), (d(7, 12), d(8, 15)));
        assert_eq!((items[1].found_on, items[1].deadline), (d(7, 29), d(9, 30)));

        let bad = vec![
            rows[1].clone(),
            row(&[
                "1",
                "公示栏未更新",
                "区委督查组检查",
                "北京街道",
                "杨帆",
                "更新公示栏",
                "2022/8/15",
                "",
                "",
            ]),
            row(&[
                "2",
                "台账不全",
                "天上掉的",
                "南澳街道党建办",
                "唐欣",
                "补齐台账",
                "2022/6/1",
                "2022/7/1",
                "9",
            ]),
            row(&[
                "3",
                "台账不全",
                "自查",
                "南澳街道党建办",
                "唐欣",
                "补齐台账",
                "2022/6/1",
                "2022/7/1",
                "",
            ]),
        ];
        let problems = parse_rows(&bad, d(7, 29), &unit, &task).expect_err("refused");
        assert_eq!(
            problems,
            vec![
                ImportProblem {
                    row: 2,
                    column: "责任单位".into(),
                    issue: ImportIssue::UnknownUnit {
                        name: "北京街道".into()
                    }
                },
                ImportProblem {
                    row: 3,
                    column: "关联任务序号".into(),
                    issue: ImportIssue::Field {
                        problem: Problem::NoSuchRecord
                    }
                },
                ImportProblem {
                    row: 4,
                    column: "整改时限".into(),
                    issue: ImportIssue::Field {
                        problem: Problem::BeforeFound
                    }
                },
            ]
        );
        let missing = parse_rows(&[row(&["问题描述", "整改措施"])], d(7, 29), &unit, &task)
            .expect_err("columns");
        let columns: Vec<&str> = missing.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["问题来源", "责任单位", "责任人", "整改时限"]);
    }

    #[test]
    fn an_acceptance_drafts_its_problem() {
        assert_eq!(
            acceptance_problem(&["覆盖率达到100%".into()], "尚有2个小区未建"),
            "验收未通过:覆盖率达到100%。验收意见:尚有2个小区未建"
        );
        assert_eq!(acceptance_problem(&[], "材料不全"), "验收未通过:材料不全");
    }
}
