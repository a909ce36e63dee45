//! What can be wrong, as codes with parameters. The domain never words a message: the UI's
//! catalogue (`crate::ui::messages`) turns these into text, so other languages can follow.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// Required and left empty.
    Required,
    /// Fewer than `min` characters.
    TooShort { min: u32 },
    /// More than `max` characters.
    TooLong { max: u32 },
    /// More than `max` entries in a list.
    TooMany { max: u32 },
    /// Not a whole number.
    NotANumber,
    /// A number outside `min..=max`.
    OutOfRange { min: i64, max: i64 },
    /// Not a date (`YYYY-MM-DD`).
    NotADate,
    /// A date outside the plan year (plus its grace period).
    OutsideYear { year: i32 },
    /// A date after the task's deadline.
    AfterDeadline,
    /// Dates not in order.
    OutOfOrder,
    /// Not one of the allowed values (an unknown code, or a category the plan does not list).
    UnknownValue,
    /// Characters or shape not allowed (user names, phones, e-mail addresses, ids).
    BadFormat,
    /// The same value twice where it must be unique, or a unit both lead and co-unit.
    Duplicate,
    /// A password without both letters and digits.
    WeakPassword,
    /// A unit role (unit head, liaison) without a unit.
    UnitRequired,
    /// A reference to a record that does not exist (unit, person, report).
    NoSuchRecord,
    /// Yellow threshold not below the red one.
    ThresholdOrder,
    /// A milestone's target percent (节点目标值) below an earlier milestone's.
    TargetBelowPrevious,
    /// A date before another it may not precede (揭榜 window end before its start).
    BeforeStart,
    /// A date before the meeting that sets it (a 交办事项 due, a deadline the meeting fixes).
    BeforeMeeting,
    /// A 完成时限 before one of the task's 推进目标.
    BeforeGoals,
    /// A 整改时限 before the day the problem was found.
    BeforeFound,
    /// An uploaded file is empty.
    EmptyFile,
    /// One file is over the limit.
    FileTooLarge { max_mb: u32 },
    /// One report's files together are over the limit.
    FilesTooLarge { max_mb: u32 },
    /// Not a kind of file evidence may be (by its extension).
    FileTypeNotAllowed,
    /// The content is not what the file's name says it is.
    FileTypeMismatch,
    /// A date after today where only past days make sense.
    InFuture,
    /// A date today or earlier where a day to come is needed (a 整改时限).
    NotInFuture,
    /// A date not later than the one it is to replace (a 延期 to the same day or earlier).
    NotLater,
    /// A change that changes nothing (a 调整申请 with the goals as they stand).
    Unchanged,
    /// The weights of a 考评细则's items add up to `sum`, not 100.
    WeightsNotHundred { sum: i64 },
}

/// One field's problem. `field` names the form field (`title`, `percent`, `milestones` …);
/// `index` the row (0-based) within a list field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    pub problem: Problem,
}

impl FieldError {
    /// A problem with a whole field.
    pub fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: field.to_owned(),
            index: None,
            problem,
        }
    }

    /// A problem with one row of a list field.
    pub fn at(field: &str, index: usize, problem: Problem) -> Self {
        Self {
            field: field.to_owned(),
            index: u32::try_from(index).ok(),
            problem,
        }
    }
}

/// Collects field errors while a form is parsed, so all of them are reported at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// Records `result`'s error (if any) and gives back its value.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Records a problem.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` if nothing was recorded, else every recorded error.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty()
            && let Some(v) = value()
        {
            return Ok(v);
        }
        Err(self.0)
    }
}

/// Marks a parse error inside a deserializer's message. A server function whose arguments
/// fail to decode gets only the message text; the marker lets it recover the field error
/// instead of showing serde's English.
pub const DECODE_MARKER: &str = "jiebang-field-error:";

/// A failed `parse()`, as `TryFrom` reports it to serde.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub FieldError);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        // `field|index|problem-json`: parsed back by `ParseError::find`.
        let problem = serde_json_lite(&p.problem);
        write!(
            f,
            "{DECODE_MARKER}{}|{}|{problem}",
            p.field,
            p.index.map(|i| i.to_string()).unwrap_or_default()
        )
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// The field error encoded in a decoding failure's message, if one of ours caused it.
    pub fn find(message: &str) -> Option<FieldError> {
        let rest = &message[message.find(DECODE_MARKER)? + DECODE_MARKER.len()..];
        let mut parts = rest.splitn(3, '|');
        let field = parts.next()?.to_owned();
        let index = parts.next()?;
        let problem = parse_problem(parts.next()?)?;
        Some(FieldError {
            field,
            index: index.parse().ok(),
            problem,
        })
    }
}

/// The problem as `code` or `code:a,b` (a tiny, dependency-free encoding: the domain is
/// compiled for the browser too and does not carry a JSON library).
fn serde_json_lite(problem: &Problem) -> String {
    match problem {
        Problem::TooShort { min } => format!("too_short:{min}"),
        Problem::TooLong { max } => format!("too_long:{max}"),
        Problem::TooMany { max } => format!("too_many:{max}"),
        Problem::OutOfRange { min, max } => format!("out_of_range:{min},{max}"),
        Problem::OutsideYear { year } => format!("outside_year:{year}"),
        Problem::FileTooLarge { max_mb } => format!("file_too_large:{max_mb}"),
        Problem::FilesTooLarge { max_mb } => format!("files_too_large:{max_mb}"),
        Problem::WeightsNotHundred { sum } => format!("weights_not_hundred:{sum}"),
        other => simple_code(other).to_owned(),
    }
}

fn simple_code(problem: &Problem) -> &'static str {
    match problem {
        Problem::Required => "required",
        Problem::NotANumber => "not_a_number",
        Problem::NotADate => "not_a_date",
        Problem::AfterDeadline => "after_deadline",
        Problem::OutOfOrder => "out_of_order",
        Problem::UnknownValue => "unknown_value",
        Problem::BadFormat => "bad_format",
        Problem::Duplicate => "duplicate",
        Problem::WeakPassword => "weak_password",
        Problem::UnitRequired => "unit_required",
        Problem::NoSuchRecord => "no_such_record",
        Problem::ThresholdOrder => "threshold_order",
        Problem::TargetBelowPrevious => "target_below_previous",
        Problem::BeforeStart => "before_start",
        Problem::BeforeMeeting => "before_meeting",
        Problem::BeforeGoals => "before_goals",
        Problem::BeforeFound => "before_found",
        Problem::EmptyFile => "empty_file",
        Problem::FileTypeNotAllowed => "file_type_not_allowed",
        Problem::FileTypeMismatch => "file_type_mismatch",
        Problem::InFuture => "in_future",
        Problem::NotInFuture => "not_in_future",
        Problem::NotLater => "not_later",
        Problem::Unchanged => "unchanged",
        Problem::FileTooLarge { .. }
        | Problem::FilesTooLarge { .. }
        | Problem::TooShort { .. }
        | Problem::TooLong { .. }
        | Problem::TooMany { .. }
        | Problem::OutOfRange { .. }
        | Problem::OutsideYear { .. }
        | Problem::WeightsNotHundred { .. } => "",
    }
}

fn parse_problem(raw: &str) -> Option<Problem> {
    // The message may go on after the marker (serde appends context); stop at whitespace.
    let raw = raw.split_whitespace().next().unwrap_or_default();
    let (code, args) = raw.split_once(':').unwrap_or((raw, ""));
    let nums: Vec<i64> = args.split(',').filter_map(|a| a.parse().ok()).collect();
    let small = |i: usize| nums.get(i).and_then(|n| u32::try_from(*n).ok());
    Some(match code {
        "too_short" => Problem::TooShort { min: small(0)? },
        "too_long" => Problem::TooLong { max: small(0)? },
        "too_many" => Problem::TooMany { max: small(0)? },
        "out_of_range" => Problem::OutOfRange {
            min: *nums.first()?,
            max: *nums.get(1)?,
        },
        "outside_year" => Problem::OutsideYear {
            year: i32::try_from(*nums.first()?).ok()?,
        },
        "file_too_large" => Problem::FileTooLarge { max_mb: small(0)? },
        "files_too_large" => Problem::FilesTooLarge { max_mb: small(0)? },
        "weights_not_hundred" => Problem::WeightsNotHundred {
            sum: *nums.first()?,
        },
        other => [
            Problem::Required,
            Problem::NotANumber,
            Problem::NotADate,
            Problem::AfterDeadline,
            Problem::OutOfOrder,
            Problem::UnknownValue,
            Problem::BadFormat,
            Problem::Duplicate,
            Problem::WeakPassword,
            Problem::UnitRequired,
            Problem::NoSuchRecord,
            Problem::ThresholdOrder,
            Problem::TargetBelowPrevious,
            Problem::BeforeStart,
            Problem::BeforeMeeting,
            Problem::BeforeGoals,
            Problem::BeforeFound,
            Problem::EmptyFile,
            Problem::FileTypeNotAllowed,
            Problem::FileTypeMismatch,
            Problem::InFuture,
            Problem::NotInFuture,
            Problem::NotLater,
            Problem::Unchanged,
        ]
        .into_iter()
        .find(|p| simple_code(p) == other)?,
    })
}

/// Which kind of record a "not found" is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Plan,
    Task,
    Unit,
    Person,
    Account,
    Report,
    Page,
    File,
    Request,
    /// A 大屏 display link.
    Display,
    /// A 专题调度会.
    Meeting,
    /// An item of the 整改清单.
    Finding,
}

/// A domain rule that refuses a change (as opposed to a malformed value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Refusal {
    /// No such move from this status.
    NoSuchMove {
        from: super::task::TaskStatus,
        to: super::task::TaskStatus,
    },
    /// The move exists but the actor's role may not make it.
    RoleMayNotMove {
        role: super::workflow::Role,
        transition: super::workflow::Transition,
    },
    /// The role may not file progress reports.
    RoleMayNotReport { role: super::workflow::Role },
    /// The task belongs to another unit.
    NotOwnUnit,
    /// A unit role acts only for its unit, and this account has none.
    NoUnit,
    /// 交办 needs the unit it assigns the task to.
    AssigneeRequired,
    /// Progress is reported only while the work is under way.
    NotReportable { status: super::task::TaskStatus },
    /// A correction must name a report of the same task.
    BadCorrection,
    /// Closed plans take no new tasks.
    PlanClosed,
    /// The plan is a draft or archived: its tasks neither move nor take reports.
    PlanNotOpen { status: super::plan::PlanStatus },
    /// Only a draft plan's tasks can be replaced by an import.
    PlanNotDraft,
    /// The plan cannot move between these statuses.
    NoSuchPlanMove {
        from: super::plan::PlanStatus,
        to: super::plan::PlanStatus,
    },
    /// The plan cannot go up yet: every reason.
    NotPublishable {
        issues: Vec<super::plan::PublishIssue>,
    },
    /// A task number is already used in the plan.
    NumberTaken,
    /// A unit of the same name exists.
    UnitNameTaken,
    /// A user name is already used.
    UsernameTaken,
    /// A plan of that year and title exists.
    PlanTitleTaken,
    /// A unit cannot be its own parent.
    OwnParent,
    /// An administrator cannot disable their own account.
    DisableSelf,
    /// Stored history (reports, audit events) is never changed.
    AppendOnly,
    /// The demo plan goes only into an empty database.
    NotEmpty,
    /// Only a task nobody holds, 待揭榜 or 待挂牌, can be claimed.
    NotClaimable { status: super::task::TaskStatus },
    /// The plan's 揭榜 window is not open today.
    OutsideClaimWindow { window: super::plan::ClaimWindow },
    /// The unit already has a claim of this task waiting for the office.
    AlreadyClaimed,
    /// The claim was already withdrawn or decided.
    ClaimDecided,
    /// Only a unit head 报送s or sends back the unit's reports.
    RoleMayNotReview { role: super::workflow::Role },
    /// The report was already 报送ed or sent back.
    ReportDecided,
    /// 验收销号 and 退回整改 are decided criterion by criterion (the acceptance review).
    ReviewByCriteria,
    /// 提请验收 comes with a 自查 of every criterion (the submission form).
    SelfCheckRequired,
    /// A co-unit reports its own part (配合单位报送), not the task's percent.
    CoReportOnly,
    /// The office's review passed; the task waits for the leader's 审定, not another review.
    AwaitingSignOff,
    /// Only a leader gives the 审定 of an acceptance.
    RoleMayNotSignOff { role: super::workflow::Role },
    /// Nothing waits for a 审定 on this task.
    NotAwaitingSignOff,
    /// The task already has a request waiting.
    RequestPending,
    /// The request was already decided.
    RequestDecided,
    /// This role does not take this step of a request.
    RoleMayNotHandleRequest { role: super::workflow::Role },
    /// Extensions are for tasks under way.
    NotExtendable { status: super::task::TaskStatus },
    /// This role does not write this kind of entry (批示 are the leaders').
    RoleMayNotComment { role: super::workflow::Role },
    /// A reply (落实情况) answers a 批示 of the same task.
    ReplyNeedsInstruction,
    /// Only the office 催办s and issues 督办单.
    RoleMayNotSupervise { role: super::workflow::Role },
    /// Only a task under way is pressed (催办, 督办).
    NotSupervisable { status: super::task::TaskStatus },
    /// The 督办单 has its 反馈 already.
    SupervisionAnswered,
    /// The meeting is not at a stage where this can be done (records are taken while it
    /// runs and while its minutes are drafted; the agenda is fixed once it starts).
    MeetingNotOpen {
        status: super::meeting::MeetingStatus,
    },
    /// The task is not on the meeting's agenda.
    NotOnAgenda,
    /// The task is on the agenda already.
    AlreadyOnAgenda,
    /// The last task cannot leave the agenda (a meeting reviews at least one).
    AgendaEmpty,
    /// The 交办事项 is closed (办结): it takes no more 反馈.
    ActionClosed,
    /// Only the unit a 交办事项 is assigned to answers it (and only unit heads and liaisons).
    NotYourAction,
    /// The role does not take this step of 自评 → 点评 → 考核.
    RoleMayNotAssess {
        role: super::workflow::Role,
        step: super::assessment::Step,
    },
    /// The scores are confirmed (考核): frozen; only the office corrects them, with a reason.
    AssessmentConfirmed,
    /// The leader confirms scores the office has reviewed (点评), not before.
    AssessmentNotReviewed,
    /// Only the responsible unit (its head or liaison) reports 整改进展 on an item.
    NotYourFinding,
    /// The item is 销号ed: it takes no more reports or decisions.
    FindingClosed,
    /// The unit asked for 销号; the office decides before more is reported.
    FindingAwaitingClose,
    /// 销号 and 退回 answer a unit's request for 销号, and there is none.
    FindingNotSubmitted,
    /// Only a unit's head files its 述责.
    RoleMayNotState { role: super::workflow::Role },
    /// The office has given its 评议: the 述责 is final.
    StatementReviewed,
    /// The unit has not filed its 述责 yet.
    StatementMissing,
    /// Only a leader approves 积分 awards and deductions.
    RoleMayNotApprovePoints { role: super::workflow::Role },
    /// The 积分 entry was approved or declined already.
    PointsDecided,
}

/// Parses a `TryFrom` argument through `parse`, wrapping the field error for serde.
pub(crate) fn for_serde<T>(field: &str, result: Result<T, Problem>) -> Result<T, ParseError> {
    result.map_err(|p| ParseError(FieldError::new(field, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_round_trip_through_messages() {
        let cases = [
            FieldError::new("percent", Problem::OutOfRange { min: 0, max: 100 }),
            FieldError::new("title", Problem::TooLong { max: 100 }),
            FieldError::at("milestones", 2, Problem::NotADate),
            FieldError::new("to", Problem::UnknownValue),
            FieldError::new("year", Problem::OutsideYear { year: 2022 }),
        ];
        for case in cases {
            let message = format!("failed with reason: {} at line 1", ParseError(case.clone()));
            assert_eq!(ParseError::find(&message), Some(case));
        }
        assert_eq!(ParseError::find("invalid digit found in string"), None);
    }

    #[test]
    fn errors_collects_all() {
        let mut errors = Errors::default();
        let a: Option<u8> = errors.take(Err(FieldError::new("a", Problem::Required)));
        let b = errors.take(Ok::<u8, FieldError>(1));
        errors.push(FieldError::new("c", Problem::BadFormat));
        assert_eq!((a, b), (None, Some(1)));
        let result = errors.finish(|| Some(()));
        assert_eq!(result.map_err(|e| e.len()), Err(2));
    }
}
