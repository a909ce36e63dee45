//! 专题调度会: the progress meeting that reviews a plan's tasks one by one (逐一分析研判).
//! The organizer prepares it (time, place, 主持, who attends and who sits in, the agenda), runs
//! it task by task recording a verdict, the meeting's requirements and 交办事项, and files its
//! 会议纪要 afterwards. This module holds the meeting's vocabulary and rules; storing it and
//! its snapshots is the server's, wording the codes the UI's.

use super::Refusal;
use super::error::{Errors, FieldError, ParseError, Problem, for_serde};
use super::fields::{date, text};
use super::ids::{ActionItemId, MeetingId, PlanId, TaskId, UnitId};
use super::views::LedgerRow;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest meeting title, place or 主持 name, in characters.
pub const TITLE_MAX: u32 = 60;
pub const PLACE_MAX: u32 = 60;
pub const HOST_MAX: u32 = 30;
/// 参会 / 列席 as written in the minutes' heading (units and people, free text).
pub const ATTENDEES_MAX: u32 = 400;
/// One 交办事项's content.
pub const ACTION_MAX: u32 = 300;
/// An agenda holds at most this many tasks (a plan's list, with room to spare).
pub const AGENDA_MAX: u32 = 300;

/// Where a meeting stands. Only forward: 筹备中 → 进行中 → 已召开 → 纪要已印发.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// 筹备中: announced; attendees see it and its pre-read.
    Planned,
    /// 进行中: the presenter is stepping through the agenda; records are being taken.
    InProgress,
    /// 已召开: over; the minutes are being drafted.
    Held,
    /// 纪要已印发: the minutes are published and no longer change.
    Published,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 4] =
        [Self::Planned, Self::InProgress, Self::Held, Self::Published];

    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Held => "held",
            Self::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status a meeting moves to next, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Planned => Some(Self::InProgress),
            Self::InProgress => Some(Self::Held),
            Self::Held => Some(Self::Published),
            Self::Published => None,
        }
    }

    /// Whether the agenda and the meeting's particulars may still be edited.
    pub fn agenda_editable(self) -> bool {
        self == Self::Planned
    }

    /// Whether the minutes may be edited and published: after the meeting, until published.
    pub fn minutes_editable(self) -> bool {
        self == Self::Held
    }

    /// Whether per-task records (verdict, 会议要求, 交办事项) may be written: during the
    /// meeting, and afterwards while the minutes are drafted.
    pub fn records_editable(self) -> bool {
        matches!(self, Self::InProgress | Self::Held)
    }
}

/// The meeting's 研判 of one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 正常推进.
    OnTrack,
    /// 进度滞后.
    Lagging,
    /// 存在困难.
    Difficulty,
    /// 建议调整.
    Adjust,
}

impl Verdict {
    /// In the order the minutes group them.
    pub const ALL: [Verdict; 4] = [Self::OnTrack, Self::Lagging, Self::Difficulty, Self::Adjust];

    pub fn code(self) -> &'static str {
        match self {
            Self::OnTrack => "on_track",
            Self::Lagging => "lagging",
            Self::Difficulty => "difficulty",
            Self::Adjust => "adjust",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// One agenda entry: a task, and whether the meeting studies it in depth (重点研究).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub task: TaskId,
    pub focus: bool,
}

/// The order in which the meeting takes the tasks: each task once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<AgendaItem>", into = "Vec<AgendaItem>")]
pub struct Agenda(Vec<AgendaItem>);

impl Agenda {
    /// The default agenda: the plan's tasks as given (in number order), those marked 重点研究
    /// flagged where they stand.
    pub fn in_order(tasks: &[TaskId], focus: &[TaskId]) -> Result<Self, Problem> {
        Self::parse(
            tasks
                .iter()
                .map(|task| AgendaItem {
                    task: task.clone(),
                    focus: focus.contains(task),
                })
                .collect(),
        )
    }

    /// An agenda as given: not empty, not too long, no task twice.
    pub fn parse(items: Vec<AgendaItem>) -> Result<Self, Problem> {
        if items.is_empty() {
            return Err(Problem::Required);
        }
        if items.len() > AGENDA_MAX as usize {
            return Err(Problem::TooMany { max: AGENDA_MAX });
        }
        for (i, item) in items.iter().enumerate() {
            if items[..i].iter().any(|earlier| earlier.task == item.task) {
                return Err(Problem::Duplicate);
            }
        }
        Ok(Self(items))
    }

    pub fn items(&self) -> &[AgendaItem] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The position (0-based) of a task on the agenda.
    pub fn position(&self, task: &TaskId) -> Option<usize> {
        self.0.iter().position(|i| &i.task == task)
    }

    /// The 重点研究 tasks, in agenda order.
    pub fn focus(&self) -> impl Iterator<Item = &TaskId> {
        self.0.iter().filter(|i| i.focus).map(|i| &i.task)
    }

    /// Moves a task to `to` (0-based, clamped to the end), keeping the others' order: the
    /// host places the 重点研究 items where the meeting should take them.
    pub fn moved(&self, task: &TaskId, to: usize) -> Option<Self> {
        let from = self.position(task)?;
        let mut items = self.0.clone();
        let item = items.remove(from);
        items.insert(to.min(items.len()), item);
        Some(Self(items))
    }
}

/// A change the office makes to the agenda before the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaEdit {
    /// 上移 / 下移 one place.
    Up,
    Down,
    /// 移到最前: the meeting takes it first.
    First,
    /// 设为重点研究 / 取消重点研究.
    Focus,
    Unfocus,
    /// 移出议程.
    Remove,
    /// 加入议程 (at the end).
    Add,
}

impl AgendaEdit {
    /// What a task already on the agenda may undergo, in the order a menu offers them.
    pub const ON_AGENDA: [AgendaEdit; 6] = [
        Self::Up,
        Self::Down,
        Self::First,
        Self::Focus,
        Self::Unfocus,
        Self::Remove,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
            Self::First => "first",
            Self::Focus => "focus",
            Self::Unfocus => "unfocus",
            Self::Remove => "remove",
            Self::Add => "add",
        }
    }
}

impl Agenda {
    /// The agenda after `edit` of `task`. Moving past either end leaves the order as it is;
    /// the last task cannot be removed.
    pub fn edited(&self, task: &TaskId, edit: AgendaEdit) -> Result<Self, Refusal> {
        let at = self.position(task);
        let mut items = self.0.clone();
        match (edit, at) {
            (AgendaEdit::Add, Some(_)) => return Err(Refusal::AlreadyOnAgenda),
            (AgendaEdit::Add, None) => items.push(AgendaItem {
                task: task.clone(),
                focus: false,
            }),
            (_, None) => return Err(Refusal::NotOnAgenda),
            (AgendaEdit::Up, Some(i)) => items.swap(i, i.saturating_sub(1)),
            (AgendaEdit::Down, Some(i)) => {
                let below = (i + 1).min(items.len() - 1);
                items.swap(i, below);
            }
            (AgendaEdit::First, Some(i)) => {
                let item = items.remove(i);
                items.insert(0, item);
            }
            (AgendaEdit::Focus | AgendaEdit::Unfocus, Some(i)) => {
                items[i].focus = edit == AgendaEdit::Focus;
            }
            (AgendaEdit::Remove, Some(_)) if items.len() == 1 => return Err(Refusal::AgendaEmpty),
            (AgendaEdit::Remove, Some(i)) => {
                items.remove(i);
            }
        }
        // Still each task once, and not longer than an agenda may be.
        Self::parse(items).map_err(|_| Refusal::AlreadyOnAgenda)
    }
}

/// Whether the agenda of a meeting at `status` may be changed: until it starts.
pub fn may_edit_agenda(status: MeetingStatus) -> Result<(), Refusal> {
    if status == MeetingStatus::Planned {
        Ok(())
    } else {
        Err(Refusal::MeetingNotOpen { status })
    }
}

impl TryFrom<Vec<AgendaItem>> for Agenda {
    type Error = ParseError;

    fn try_from(items: Vec<AgendaItem>) -> Result<Self, ParseError> {
        for_serde("agenda", Self::parse(items))
    }
}

impl From<Agenda> for Vec<AgendaItem> {
    fn from(agenda: Agenda) -> Self {
        agenda.0
    }
}

/// A meeting's particulars as the form delivers them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingForm {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, as `<input type=time>` sends it.
    pub time: String,
    pub place: String,
    /// 主持.
    pub host: String,
    /// 参会.
    #[serde(default)]
    pub attendees: String,
    /// 列席.
    #[serde(default)]
    pub observers: String,
}

/// Checked particulars, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    pub title: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub place: String,
    pub host: String,
    pub attendees: String,
    pub observers: String,
}

impl MeetingInput {
    /// Checks every field and reports every problem at once.
    pub fn parse(form: &MeetingForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let field = |name: &'static str, raw: &str, min: u32, max: u32| {
            text(raw, min, max).map_err(|p| FieldError::new(name, p))
        };
        let title = errors.take(field("meeting_title", &form.title, 2, TITLE_MAX));
        let day = errors.take(date(&form.date).map_err(|p| FieldError::new("meeting_date", p)));
        let time =
            errors.take(clock_time(&form.time).map_err(|p| FieldError::new("meeting_time", p)));
        let place = errors.take(field("meeting_place", &form.place, 1, PLACE_MAX));
        let host = errors.take(field("meeting_host", &form.host, 1, HOST_MAX));
        let attendees = errors.take(field("attendees", &form.attendees, 0, ATTENDEES_MAX));
        let observers = errors.take(field("observers", &form.observers, 0, ATTENDEES_MAX));
        errors.finish(|| {
            Some(Self {
                title: title?,
                date: day?,
                time: time?,
                place: place?,
                host: host?,
                attendees: attendees?,
                observers: observers?,
            })
        })
    }
}

/// A time of day as typed: `9:30`, `09:30` or `09:30:00`.
pub fn clock_time(raw: &str) -> Result<NaiveTime, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .map_err(|_| Problem::BadFormat)
}

/// A 交办事项 as the form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItemForm {
    pub content: String,
    /// The responsible unit's id.
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub due: String,
}

/// A checked 交办事项: what, which unit, by when (not before the meeting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItemInput {
    pub content: String,
    pub unit: UnitId,
    pub due: NaiveDate,
}

impl ActionItemInput {
    pub fn parse(form: &ActionItemForm, meeting_day: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let content = errors.take(
            text(&form.content, 2, ACTION_MAX).map_err(|p| FieldError::new("action_content", p)),
        );
        let unit = errors.take(match form.unit.trim() {
            "" => Err(FieldError::new("action_unit", Problem::Required)),
            raw => {
                UnitId::parse(raw).ok_or_else(|| FieldError::new("action_unit", Problem::BadFormat))
            }
        });
        let due = errors.take(
            date(&form.due)
                .and_then(|d| {
                    if d < meeting_day {
                        Err(Problem::BeforeMeeting)
                    } else {
                        Ok(d)
                    }
                })
                .map_err(|p| FieldError::new("action_due", p)),
        );
        errors.finish(|| {
            Some(Self {
                content: content?,
                unit: unit?,
                due: due?,
            })
        })
    }
}

/// Where a 交办事项 stands: the unit answers (反馈), the office closes it or sends it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// 待办理.
    Open,
    /// 已反馈: the unit reported what it did; the office decides.
    Answered,
    /// 已办结.
    Closed,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [Self::Open, Self::Answered, Self::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Overdue on `today`: not closed and past its due date.
    pub fn overdue(self, due: NaiveDate, today: NaiveDate) -> bool {
        self != Self::Closed && today > due
    }
}

/// One 会议要求 / 研判 as the form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    /// A [`Verdict`] code; empty: not judged yet.
    #[serde(default)]
    pub verdict: String,
    /// 会议要求: what the meeting decided about the task.
    #[serde(default)]
    pub requirements: String,
    /// `YYYY-MM-DD`: the 完成时限 the meeting fixes; empty: left as it is.
    #[serde(default)]
    pub deadline: String,
}

/// The longest 会议要求 of one task.
pub const REQUIREMENTS_MAX: u32 = 1000;

/// A checked record of one task: a verdict (or none yet) and the meeting's requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordInput {
    pub verdict: Option<Verdict>,
    pub requirements: String,
    /// A 完成时限 the meeting fixes for the task (applied to it, in its history).
    pub deadline: Option<NaiveDate>,
}

impl RecordInput {
    /// Checks a record taken at a meeting held on `meeting_day` (a deadline it fixes cannot
    /// lie before the meeting).
    pub fn parse(form: &RecordForm, meeting_day: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let verdict = errors.take(match form.verdict.trim() {
            "" => Ok(None),
            code => Verdict::parse(code)
                .map(Some)
                .ok_or_else(|| FieldError::new("verdict", Problem::UnknownValue)),
        });
        let requirements = errors.take(
            text(&form.requirements, 0, REQUIREMENTS_MAX)
                .map_err(|p| FieldError::new("requirements", p)),
        );
        let deadline = errors.take(match form.deadline.trim() {
            "" => Ok(None),
            raw => date(raw)
                .and_then(|d| {
                    if d < meeting_day {
                        Err(Problem::BeforeMeeting)
                    } else {
                        Ok(Some(d))
                    }
                })
                .map_err(|p| FieldError::new("meeting_deadline", p)),
        });
        errors.finish(|| {
            Some(Self {
                verdict: verdict?,
                requirements: requirements?,
                deadline: deadline?,
            })
        })
    }

    /// Whether the fixed deadline leaves every 推进目标 (due on `goals`) on or before it.
    pub fn check_goals(&self, goals: &[NaiveDate]) -> Result<(), FieldError> {
        match self.deadline {
            Some(d) if goals.iter().any(|g| *g > d) => {
                Err(FieldError::new("meeting_deadline", Problem::BeforeGoals))
            }
            _ => Ok(()),
        }
    }
}

/// Whether a meeting in `status` takes records about its tasks (研判, 会议要求, 交办事项).
pub fn may_record(status: MeetingStatus) -> Result<(), Refusal> {
    if status.records_editable() {
        Ok(())
    } else {
        Err(Refusal::MeetingNotOpen { status })
    }
}

/// Whether the host may put `task` on the screens following the meeting: only while it is
/// being held, and only a task on its agenda. Answers the task's place on the agenda (from 1).
pub fn may_present(
    status: MeetingStatus,
    agenda: &Agenda,
    task: &TaskId,
) -> Result<usize, Refusal> {
    if status != MeetingStatus::InProgress {
        return Err(Refusal::MeetingNotOpen { status });
    }
    agenda
        .position(task)
        .map(|i| i + 1)
        .ok_or(Refusal::NotOnAgenda)
}

/// Whether a meeting in `from` may move on to `to` (only to the next stage; publishing the
/// minutes is its own step).
pub fn may_advance(from: MeetingStatus, to: MeetingStatus) -> Result<(), Refusal> {
    if from.next() == Some(to) && to != MeetingStatus::Published {
        Ok(())
    } else {
        Err(Refusal::MeetingNotOpen { status: from })
    }
}

/// A meeting as the list of meetings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub title: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub place: String,
    pub host: String,
    pub status: MeetingStatus,
    pub plan: PlanId,
    pub plan_title: String,
    /// Tasks on the agenda, and how many of them the meeting has judged.
    pub tasks: u32,
    pub judged: u32,
    pub version: u32,
}

/// A meeting's particulars, as its page and the minutes' heading show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub summary: MeetingSummary,
    pub attendees: String,
    pub observers: String,
    pub agenda: Agenda,
    pub created_by: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The minutes' opening text as the office wrote it (empty: the drafted one).
    pub overview: String,
    /// The minutes' filing number in the meeting's year, once published.
    pub number: Option<u32>,
    pub published_at: Option<DateTime<Utc>>,
    /// The task the host has on the screen (while the meeting is held), which followers show.
    pub presenting: Option<TaskId>,
}

/// What the meeting recorded about one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    pub verdict: Option<Verdict>,
    pub requirements: String,
    /// The 完成时限 the meeting fixed, if it did.
    pub deadline: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A 交办事项 of a meeting: which task, which unit, what, by when, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: ActionItemId,
    pub task: TaskId,
    pub unit: UnitId,
    pub unit_name: String,
    pub content: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// The unit's 办理情况, and who gave it.
    pub feedback: String,
    pub answered_by: Option<String>,
}

/// One agenda entry on the meeting's page: the task as the meeting sees it (frozen when the
/// meeting started; live before), and what the meeting recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaRow {
    pub focus: bool,
    pub task: LedgerRow,
    /// Whether `task` is the snapshot taken when the meeting started.
    pub frozen: bool,
    pub record: Option<TaskRecord>,
}

/// A leader's 批示 on an agenda task, and whether the unit has answered it (落实情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    pub task: TaskId,
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
    pub answered: bool,
}

/// The plan's meeting before this one, and what became of its 交办事项 (the pre-read's
/// "上次会议交办事项落实情况").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousMeeting {
    pub summary: MeetingSummary,
    pub actions: Vec<ActionItem>,
}

/// A task of the plan that is not on the agenda (it may be put on before the meeting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaChoice {
    pub id: TaskId,
    pub number: u32,
    pub title: String,
}

/// A meeting's page: its particulars, the agenda with each task as seen and recorded, its
/// 交办事项, the 批示 on its tasks, and the meeting before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub meeting: Meeting,
    /// The date the tasks' 序时进度 and lights are read on.
    pub as_of: NaiveDate,
    pub rows: Vec<AgendaRow>,
    pub actions: Vec<ActionItem>,
    /// Every 批示 on the agenda's tasks, oldest first.
    pub instructions: Vec<Instruction>,
    pub previous: Option<PreviousMeeting>,
    /// Before the meeting: the plan's tasks not on the agenda, in number order.
    pub off_agenda: Vec<AgendaChoice>,
}

impl MeetingView {
    /// The 批示 given while the meeting was held (from its start to its end, or until now),
    /// which its minutes record.
    pub fn instructions_at_meeting(&self) -> impl Iterator<Item = &Instruction> {
        let (from, to) = (self.meeting.started_at, self.meeting.ended_at);
        self.instructions.iter().filter(move |i| {
            from.is_some_and(|from| i.at >= from) && to.is_none_or(|to| i.at <= to)
        })
    }

    /// What the presenter shows of task `task`'s 批示: those still waiting for 落实情况, and
    /// those given at this meeting.
    pub fn instructions_shown(&self, task: &TaskId) -> Vec<&Instruction> {
        let here: Vec<&Instruction> = self.instructions_at_meeting().collect();
        self.instructions
            .iter()
            .filter(|i| &i.task == task && (!i.answered || here.contains(i)))
            .collect()
    }

    /// The 交办事项 on `task`: this meeting's, and the previous meeting's not yet closed.
    pub fn actions_on(&self, task: &TaskId) -> Vec<&ActionItem> {
        let earlier = self
            .previous
            .iter()
            .flat_map(|p| &p.actions)
            .filter(|a| a.status != ActionStatus::Closed);
        earlier
            .chain(&self.actions)
            .filter(|a| &a.task == task)
            .collect()
    }
}

/// The longest opening text of the minutes.
pub const OVERVIEW_MAX: u32 = 3000;

/// Whether the minutes of a meeting at `status` may be edited or published.
pub fn may_edit_minutes(status: MeetingStatus) -> Result<(), Refusal> {
    if status.minutes_editable() {
        Ok(())
    } else {
        Err(Refusal::MeetingNotOpen { status })
    }
}

/// The minutes' opening text, checked (empty: use the drafted one).
pub fn overview(raw: &str) -> Result<String, FieldError> {
    text(raw, 0, OVERVIEW_MAX).map_err(|p| FieldError::new("overview", p))
}

/// The longest 办理情况 (a unit's 反馈 on a 交办事项).
pub const FEEDBACK_MAX: u32 = 500;

/// Whether `actor` may answer (反馈) a 交办事项 of `unit` that stands at `status`: a unit head
/// or liaison of that unit, until the office closes it (a later answer replaces the last).
pub fn may_answer(
    actor: &super::Actor,
    unit: &UnitId,
    status: ActionStatus,
) -> Result<(), Refusal> {
    use super::Role;
    let own =
        matches!(actor.role, Role::UnitHead | Role::Liaison) && actor.unit.as_ref() == Some(unit);
    if !own {
        return Err(Refusal::NotYourAction);
    }
    if status == ActionStatus::Closed {
        return Err(Refusal::ActionClosed);
    }
    Ok(())
}

/// Whether the office may close (办结) a 交办事项 at `status`.
pub fn may_close(status: ActionStatus) -> Result<(), Refusal> {
    match status {
        ActionStatus::Closed => Err(Refusal::ActionClosed),
        _ => Ok(()),
    }
}

/// A unit's 办理情况, checked.
pub fn feedback(raw: &str) -> Result<String, FieldError> {
    text(raw, 2, FEEDBACK_MAX).map_err(|p| FieldError::new("feedback_text", p))
}

/// The tasks of an agenda grouped by verdict, in the order the minutes list them; tasks not
/// yet judged come last under `None`. Within a group, agenda order.
pub fn by_verdict(
    agenda: &Agenda,
    verdict_of: impl Fn(&TaskId) -> Option<Verdict>,
) -> Vec<(Option<Verdict>, Vec<&AgendaItem>)> {
    let mut groups: Vec<(Option<Verdict>, Vec<&AgendaItem>)> = Verdict::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .map(|v| (v, Vec::new()))
        .collect();
    for item in agenda.items() {
        let v = verdict_of(&item.task);
        if let Some((_, list)) = groups.iter_mut().find(|(g, _)| *g == v) {
            list.push(item);
        }
    }
    groups.retain(|(_, list)| !list.is_empty());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(n: u32) -> TaskId {
        TaskId::parse(&format!("t{n}")).expect("a task id")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn records_are_taken_while_the_meeting_runs_and_its_minutes_are_drafted() {
        use MeetingStatus::*;
        assert_eq!(
            may_record(Planned),
            Err(Refusal::MeetingNotOpen { status: Planned })
        );
        assert_eq!(may_record(InProgress), Ok(()));
        assert_eq!(may_record(Held), Ok(()));
        assert_eq!(
            may_record(Published),
            Err(Refusal::MeetingNotOpen { status: Published })
        );
        assert_eq!(may_advance(Planned, InProgress), Ok(()));
        assert_eq!(may_advance(InProgress, Held), Ok(()));
        // Publishing is the minutes' own step; nothing goes back or skips.
        assert!(may_advance(Held, Published).is_err());
        assert!(may_advance(Planned, Held).is_err());
        assert!(may_advance(Held, InProgress).is_err());
    }

    #[test]
    fn the_office_arranges_the_agenda_before_the_meeting() {
        let t = |n: u32| TaskId::parse(&format!("t{n}")).expect("id");
        let order = |a: &Agenda| -> Vec<String> {
            a.items()
                .iter()
                .map(|i| format!("{}{}", i.task, if i.focus { "*" } else { "" }))
                .collect()
        };
        let agenda = Agenda::in_order(&[t(1), t(2), t(3)], &[t(1)]).expect("agenda");
        let up = agenda.edited(&t(3), AgendaEdit::Up).expect("up");
        assert_eq!(order(&up), ["t1*", "t3", "t2"]);
        assert_eq!(
            order(&agenda.edited(&t(1), AgendaEdit::Up).expect("top stays")),
            ["t1*", "t2", "t3"]
        );
        assert_eq!(
            order(&agenda.edited(&t(3), AgendaEdit::Down).expect("end stays")),
            ["t1*", "t2", "t3"]
        );
        let first = agenda.edited(&t(3), AgendaEdit::First).expect("first");
        assert_eq!(order(&first), ["t3", "t1*", "t2"]);
        let focus = first.edited(&t(2), AgendaEdit::Focus).expect("focus");
        assert_eq!(order(&focus), ["t3", "t1*", "t2*"]);
        let unfocus = focus.edited(&t(1), AgendaEdit::Unfocus).expect("unfocus");
        assert_eq!(order(&unfocus), ["t3", "t1", "t2*"]);
        let removed = unfocus.edited(&t(3), AgendaEdit::Remove).expect("remove");
        assert_eq!(order(&removed), ["t1", "t2*"]);
        let added = removed.edited(&t(3), AgendaEdit::Add).expect("add");
        assert_eq!(order(&added), ["t1", "t2*", "t3"]);
        assert_eq!(
            added.edited(&t(2), AgendaEdit::Add),
            Err(Refusal::AlreadyOnAgenda)
        );
        assert_eq!(
            added.edited(&t(9), AgendaEdit::Up),
            Err(Refusal::NotOnAgenda)
        );
        let one = Agenda::in_order(&[t(1)], &[]).expect("agenda");
        assert_eq!(
            one.edited(&t(1), AgendaEdit::Remove),
            Err(Refusal::AgendaEmpty)
        );
        assert_eq!(may_edit_agenda(MeetingStatus::Planned), Ok(()));
        assert!(may_edit_agenda(MeetingStatus::InProgress).is_err());
    }

    #[test]
    fn only_a_meeting_under_way_puts_its_own_tasks_on_the_screen() {
        use MeetingStatus::*;
        let tasks: Vec<TaskId> = ["p-1", "p-2", "p-3"]
            .iter()
            .map(|k| TaskId::parse(k).expect("id"))
            .collect();
        let agenda = Agenda::in_order(&tasks, &[]).expect("agenda");
        let third = TaskId::parse("p-3").expect("id");
        assert_eq!(may_present(InProgress, &agenda, &third), Ok(3));
        let stranger = TaskId::parse("p-9").expect("id");
        assert_eq!(
            may_present(InProgress, &agenda, &stranger),
            Err(Refusal::NotOnAgenda)
        );
        for status in [Planned, Held, Published] {
            assert_eq!(
                may_present(status, &agenda, &third),
                Err(Refusal::MeetingNotOpen { status })
            );
        }
    }

    #[test]
    fn a_record_may_leave_the_verdict_open_but_not_name_an_unknown_one() {
        let meeting = day("2022-07-29");
        let ok = RecordInput::parse(
            &RecordForm {
                verdict: "lagging".into(),
                requirements: " 8月20日前完成6个试点小区 ".into(),
                deadline: "2022-11-30".into(),
            },
            meeting,
        )
        .expect("valid");
        assert_eq!(ok.verdict, Some(Verdict::Lagging));
        assert_eq!(ok.requirements, "8月20日前完成6个试点小区");
        assert_eq!(ok.deadline, Some(day("2022-11-30")));
        let open = RecordInput::parse(&RecordForm::default(), meeting).expect("valid");
        assert_eq!((open.verdict, open.deadline), (None, None));
        let bad = RecordInput::parse(
            &RecordForm {
                verdict: "fine".into(),
                requirements: "要".repeat(REQUIREMENTS_MAX as usize + 1),
                deadline: "2022-07-28".into(),
            },
            meeting,
        )
        .expect_err("refused");
        assert_eq!(
            bad,
            vec![
                FieldError::new("verdict", Problem::UnknownValue),
                FieldError::new(
                    "requirements",
                    Problem::TooLong {
                        max: REQUIREMENTS_MAX
                    }
                ),
                FieldError::new("meeting_deadline", Problem::BeforeMeeting),
            ]
        );
        // A deadline before one of the task's goals would leave the goal after the deadline.
        assert_eq!(
            ok.check_goals(&[day("2022-08-20"), day("2022-12-31")]),
            Err(FieldError::new("meeting_deadline", Problem::BeforeGoals))
        );
        assert_eq!(
            ok.check_goals(&[day("2022-08-20"), day("2022-11-30")]),
            Ok(())
        );
    }

    #[test]
    fn status_moves_only_forward_and_published_is_final() {
        assert_eq!(
            MeetingStatus::Planned.next(),
            Some(MeetingStatus::InProgress)
        );
        assert_eq!(MeetingStatus::InProgress.next(), Some(MeetingStatus::Held));
        assert_eq!(MeetingStatus::Held.next(), Some(MeetingStatus::Published));
        assert_eq!(MeetingStatus::Published.next(), None);
        assert!(MeetingStatus::Planned.agenda_editable());
        assert!(!MeetingStatus::InProgress.agenda_editable());
        assert!(!MeetingStatus::Planned.records_editable());
        assert!(MeetingStatus::InProgress.records_editable());
        assert!(MeetingStatus::Held.records_editable());
        assert!(!MeetingStatus::Published.records_editable());
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.code()), Some(s));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.code()), Some(v));
        }
        assert_eq!(Verdict::parse("great"), None);
    }

    #[test]
    fn default_agenda_keeps_number_order_and_flags_focus() {
        let tasks: Vec<TaskId> = (1..=40).map(t).collect();
        let agenda = Agenda::in_order(&tasks, &[t(1), t(7)]).expect("an agenda");
        assert_eq!(agenda.len(), 40);
        assert_eq!(
            agenda.items()[0],
            AgendaItem {
                task: t(1),
                focus: true
            }
        );
        assert_eq!(
            agenda.items()[1],
            AgendaItem {
                task: t(2),
                focus: false
            }
        );
        assert_eq!(
            agenda.focus().cloned().collect::<Vec<_>>(),
            vec![t(1), t(7)]
        );
    }

    #[test]
    fn agenda_refuses_empty_and_repeated_tasks_also_when_deserialized() {
        assert_eq!(Agenda::in_order(&[], &[]), Err(Problem::Required));
        assert_eq!(
            Agenda::in_order(&[t(1), t(2), t(1)], &[]),
            Err(Problem::Duplicate)
        );
        let json = r#"[{"task":"t1","focus":false},{"task":"t1","focus":true}]"#;
        assert!(serde_json::from_str::<Agenda>(json).is_err());
        let json = r#"[{"task":"t1","focus":false},{"task":"t2","focus":true}]"#;
        let agenda: Agenda = serde_json::from_str(json).expect("a valid agenda");
        assert_eq!(agenda.focus().cloned().collect::<Vec<_>>(), vec![t(2)]);
    }

    #[test]
    fn moving_a_task_places_it_and_keeps_the_rest_in_order() {
        let agenda = Agenda::in_order(&[t(1), t(2), t(3), t(4)], &[t(3)]).expect("an agenda");
        let moved = agenda.moved(&t(3), 0).expect("on the agenda");
        let order: Vec<TaskId> = moved.items().iter().map(|i| i.task.clone()).collect();
        assert_eq!(order, vec![t(3), t(1), t(2), t(4)]);
        assert!(moved.items()[0].focus);
        let last = agenda.moved(&t(1), 99).expect("on the agenda");
        assert_eq!(last.items().last().map(|i| i.task.clone()), Some(t(1)));
        assert_eq!(agenda.moved(&t(9), 0), None);
    }

    #[test]
    fn meeting_form_reports_every_problem() {
        let errors = MeetingInput::parse(&MeetingForm {
            title: "会".into(),
            date: "2022-13-01".into(),
            time: "25:00".into(),
            place: " ".into(),
            host: "".into(),
            attendees: "".into(),
            observers: "".into(),
        })
        .expect_err("bad form");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "meeting_title",
                "meeting_date",
                "meeting_time",
                "meeting_place",
                "meeting_host"
            ]
        );
        assert_eq!(errors[0].problem, Problem::TooShort { min: 2 });
        assert_eq!(errors[1].problem, Problem::NotADate);
        assert_eq!(errors[2].problem, Problem::BadFormat);
        assert_eq!(errors[3].problem, Problem::Required);
    }

    #[test]
    fn the_seed_meeting_parses() {
        let input = MeetingInput::parse(&MeetingForm {
            title: "基层党建重点任务专题调度会".into(),
            date: "2022-07-29".into(),
            time: "9:30".into(),
            place: "新区组织人事局三楼会议室".into(),
            host: "林晓华".into(),
            attendees: "组织科、基层治理科、各街道党建办".into(),
            observers: "".into(),
        })
        .expect("a valid meeting");
        assert_eq!(input.date, day("2022-07-29"));
        assert_eq!(
            input.time,
            NaiveTime::from_hms_opt(9, 30, 0).expect("a time")
        );
    }

    #[test]
    fn action_item_is_due_on_or_after_the_meeting() {
        let meeting = day("2022-07-29");
        let form = |due: &str| ActionItemForm {
            content: "8月20日前完成6个试点小区党支部组建".into(),
            unit: "u1".into(),
            due: due.into(),
        };
        let ok = ActionItemInput::parse(&form("2022-08-20"), meeting).expect("valid");
        assert_eq!(ok.due, day("2022-08-20"));
        assert!(ActionItemInput::parse(&form("2022-07-29"), meeting).is_ok());
        let early = ActionItemInput::parse(&form("2022-07-28"), meeting).expect_err("too early");
        assert_eq!(
            early,
            vec![FieldError::new("action_due", Problem::BeforeMeeting)]
        );
        let mut no_unit = form("2022-08-20");
        no_unit.unit = " ".into();
        let errors = ActionItemInput::parse(&no_unit, meeting).expect_err("no unit");
        assert_eq!(
            errors,
            vec![FieldError::new("action_unit", Problem::Required)]
        );
    }

    #[test]
    fn only_the_assigned_unit_answers_until_the_office_closes() {
        use crate::domain::{Actor, Role};
        let kuiyong = UnitId::parse("kysd").expect("id");
        let actor = |role, unit: Option<&str>| Actor {
            name: "某人".into(),
            role,
            unit: unit.map(|u| UnitId::parse(u).expect("id")),
        };
        let head = actor(Role::UnitHead, Some("kysd"));
        assert_eq!(may_answer(&head, &kuiyong, ActionStatus::Open), Ok(()));
        assert_eq!(may_answer(&head, &kuiyong, ActionStatus::Answered), Ok(()));
        assert_eq!(
            may_answer(&head, &kuiyong, ActionStatus::Closed),
            Err(Refusal::ActionClosed)
        );
        assert_eq!(
            may_answer(
                &actor(Role::Liaison, Some("nasd")),
                &kuiyong,
                ActionStatus::Open
            ),
            Err(Refusal::NotYourAction)
        );
        // The office closes items; it does not answer them for the unit.
        assert_eq!(
            may_answer(
                &actor(Role::Organizer, Some("kysd")),
                &kuiyong,
                ActionStatus::Open
            ),
            Err(Refusal::NotYourAction)
        );
        assert_eq!(may_close(ActionStatus::Answered), Ok(()));
        assert_eq!(may_close(ActionStatus::Closed), Err(Refusal::ActionClosed));
        assert!(feedback(" 已完成 ").is_ok());
        assert_eq!(
            feedback("好"),
            Err(FieldError::new(
                "feedback_text",
                Problem::TooShort { min: 2 }
            ))
        );
    }

    #[test]
    fn overdue_action_items() {
        let due = day("2022-08-20");
        assert!(!ActionStatus::Open.overdue(due, day("2022-08-20")));
        assert!(ActionStatus::Open.overdue(due, day("2022-08-21")));
        assert!(ActionStatus::Answered.overdue(due, day("2022-08-21")));
        assert!(!ActionStatus::Closed.overdue(due, day("2022-09-01")));
    }

    #[test]
    fn minutes_group_by_verdict_in_agenda_order() {
        let agenda = Agenda::in_order(&[t(1), t(2), t(3), t(4), t(5)], &[]).expect("an agenda");
        let verdict = |task: &TaskId| match task.as_str() {
            "t2" | "t5" => Some(Verdict::Lagging),
            "t4" => None,
            _ => Some(Verdict::OnTrack),
        };
        let groups = by_verdict(&agenda, verdict);
        let shape: Vec<(Option<Verdict>, Vec<TaskId>)> = groups
            .iter()
            .map(|(v, items)| (*v, items.iter().map(|i| i.task.clone()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some(Verdict::OnTrack), vec![t(1), t(3)]),
                (Some(Verdict::Lagging), vec![t(2), t(5)]),
                (None, vec![t(4)]),
            ]
        );
    }

    proptest! {
        /// Whatever the host does to the order, the agenda holds the same tasks, each once.
        #[test]
        fn moves_keep_every_task_once(n in 1u32..60, moves in proptest::collection::vec((0u32..60, 0usize..70), 0..20)) {
            let tasks: Vec<TaskId> = (1..=n).map(t).collect();
            let mut agenda = Agenda::in_order(&tasks, &[]).expect("an agenda");
            for (task, to) in moves {
                if let Some(next) = agenda.moved(&t(task % n + 1), to) {
                    agenda = next;
                }
            }
            let mut seen: Vec<TaskId> = agenda.items().iter().map(|i| i.task.clone()).collect();
            prop_assert_eq!(seen.len(), n as usize);
            seen.sort_by_key(|id| id.as_str().to_owned());
            seen.dedup();
            prop_assert_eq!(seen.len(), n as usize);
            prop_assert!(Agenda::parse(agenda.items().to_vec()).is_ok());
        }
    }
}
