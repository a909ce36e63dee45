//! Page-shaped read models: what the board and the task page show. They gather plans, tasks,
//! lights and reports, so they live here and the other domain modules need not know them.

use super::ids::TaskId;
use super::light::Light;
use super::plan::PlanSummary;
use super::report::ProgressReport;
use super::task::{Criterion, Milestone, Percent, Responsibility, TaskStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A published plan as the board's year switch names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRef {
    pub id: super::ids::PlanId,
    pub year: i32,
    pub title: String,
}

/// A task as one cell of the plan board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardTask {
    pub id: TaskId,
    /// Position on the plan's list, 1..N.
    pub number: u32,
    pub title: String,
    pub category: String,
    /// 牵头单位, if fixed yet.
    pub lead_unit: Option<String>,
    /// 责任人, if fixed yet.
    pub owner: Option<String>,
    /// 完成时限.
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 序时进度 on the board's date.
    pub expected: u8,
    /// 红黄绿灯 on the board's date (`None` for cancelled tasks).
    pub light: Option<Light>,
    /// Why it has that light (a task under way).
    #[serde(default)]
    pub reason: Option<super::light::LightReason>,
    /// 重中之重.
    pub key: bool,
    /// 重点讨论.
    pub focus: bool,
    /// 揭榜超期: still 待揭榜 after the plan's 揭榜 window closed.
    #[serde(default)]
    pub claim_overdue: bool,
    /// 待签收: days the task has waited for its unit's 签收.
    #[serde(default)]
    pub days_waiting: Option<i64>,
    /// 待审定: the office's review passed; the leader's 审定 is awaited.
    #[serde(default)]
    pub awaiting_signoff: bool,
    /// 推进目标 in date order: when each is due and whether it is reached.
    #[serde(default)]
    pub nodes: Vec<NodeMark>,
    /// 配合单位, by name.
    #[serde(default)]
    pub co_units: Vec<String>,
    /// The first 完成时限, when an approved 延期 moved it.
    #[serde(default)]
    pub original_deadline: Option<NaiveDate>,
    /// When work started (挂牌 or 签收); lights count from here.
    #[serde(default)]
    pub started_on: Option<NaiveDate>,
    /// Optimistic-concurrency version (a 看板 move names the version it saw).
    #[serde(default)]
    pub version: u32,
}

/// Where `date` falls in `year`: 0.0 on 1 January, 1.0 at the end of 31 December; dates
/// outside the year are held at its edges (a timeline of the plan year).
pub fn year_fraction(date: NaiveDate, year: i32) -> f64 {
    use chrono::Datelike;
    let (Some(first), Some(next)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year + 1, 1, 1),
    ) else {
        return 0.0;
    };
    if date < first {
        return 0.0;
    }
    if date >= next {
        return 1.0;
    }
    let days = (next - first).num_days() as f64;
    f64::from(date.ordinal0()) / days
}

/// One 推进目标 as the board draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeMark {
    pub due: NaiveDate,
    pub reached: bool,
    /// 节点目标值: the percent expected by `due`, if the plan says.
    #[serde(default)]
    pub target: Option<u8>,
}

impl BoardTask {
    /// How many 推进目标 are reached.
    pub fn nodes_reached(&self) -> usize {
        self.nodes.iter().filter(|n| n.reached).count()
    }

    /// The earliest 推进目标 not yet reached.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.nodes
            .iter()
            .filter(|n| !n.reached)
            .map(|n| n.due)
            .min()
    }

    /// 逾期: past its 完成时限 on `as_of` and neither handed in for acceptance, accepted nor
    /// withdrawn.
    pub fn overdue(&self, as_of: NaiveDate) -> bool {
        self.deadline < as_of
            && !matches!(
                self.status,
                TaskStatus::Submitted | TaskStatus::Accepted | TaskStatus::Cancelled
            )
    }

    /// Whether the task is still being worked on (its light means something).
    pub fn under_way(&self) -> bool {
        matches!(self.status, TaskStatus::InProgress | TaskStatus::Returned)
    }
}

/// Everything the task page shows about one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub id: TaskId,
    pub plan: PlanSummary,
    pub number: u32,
    pub title: String,
    pub category: String,
    pub description: String,
    pub responsibility: Responsibility,
    /// 完成时限.
    pub deadline: NaiveDate,
    /// 推进目标, in date order.
    pub milestones: Vec<Milestone>,
    /// 验收标准, in order.
    pub criteria: Vec<Criterion>,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 序时进度 on `as_of`.
    pub expected: u8,
    pub light: Option<Light>,
    /// Why it has that light (a task under way).
    #[serde(default)]
    pub reason: Option<super::light::LightReason>,
    /// The date lights and expected progress are computed for.
    pub as_of: NaiveDate,
    pub key: bool,
    pub focus: bool,
    /// Optimistic-concurrency version; an update must name the version it read.
    pub version: u32,
    /// Progress reports, newest first.
    pub reports: Vec<ProgressReport>,
    /// 调整 of its goals after publishing, newest first.
    pub adjustments: Vec<super::task::AdjustmentRecord>,
    /// 揭榜认领 of the task as the reader may see them (a unit only its own), oldest first.
    #[serde(default)]
    pub claims: Vec<super::claim::Claim>,
    /// Who the page is for: the claims section decides its forms by the one policy.
    #[serde(default)]
    pub reader: Option<super::workflow::Actor>,
    /// Whether the lead unit's liaison reports go straight through (no head's review).
    #[serde(default)]
    pub lead_reports_direct: bool,
    /// 待签收: days the task has waited for its unit's 签收.
    #[serde(default)]
    pub days_waiting: Option<i64>,
    /// 办理记录: every recorded step on the task, newest first (留痕).
    #[serde(default)]
    pub history: Vec<super::report::AuditEvent>,
    /// 验收记录: every acceptance review, latest first.
    #[serde(default)]
    pub acceptance: Vec<super::acceptance::AcceptanceRound>,
    /// 延期申请, latest first.
    #[serde(default)]
    pub extensions: Vec<super::extension::ExtensionRequest>,
    /// 催办 and 督办单 sent on this task, newest first.
    #[serde(default)]
    pub supervisions: Vec<super::supervision::Supervision>,
    /// Whom the office may name 分管领导 when it 挂牌s this task (filled only for the office,
    /// while the task waits for 挂牌).
    #[serde(default)]
    pub people: Vec<super::unit::Person>,
    /// The first 完成时限, when an approved extension moved it (evaluation counts from it).
    #[serde(default)]
    pub original_deadline: Option<NaiveDate>,
    /// 批示, 落实情况 and comments, oldest first.
    #[serde(default)]
    pub comments: Vec<super::comment::TaskComment>,
    /// The office's review found every criterion met; the leader's 审定 is awaited.
    #[serde(default)]
    pub awaiting_signoff: bool,
}

/// A task as its edit form starts out: every field as the form holds it (ids, not names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEditView {
    pub id: TaskId,
    pub plan: PlanSummary,
    pub status: TaskStatus,
    pub version: u32,
    pub form: super::task::TaskForm,
}

/// A plan with its tasks in number order: what the board page renders. `tasks` are those in
/// the board's [`BoardScope`] (every task unless narrowed); `whole` counts the whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub plan: PlanSummary,
    /// Every published plan, newest year first, to switch the board to another year's list.
    pub plans: Vec<PlanRef>,
    /// The date lights and expected progress are computed for.
    pub as_of: NaiveDate,
    pub tasks: Vec<BoardTask>,
    /// The whole plan counted, whatever the scope: the summary strip, the category tabs and
    /// the unit choice stay the same while the tasks are narrowed.
    pub whole: BoardWhole,
    /// The plan year has no official holiday arrangement installed: working days are counted
    /// Monday to Friday, and the board says so.
    #[serde(default)]
    pub calendar_missing: bool,
}

/// Which of a plan's tasks a board carries: the board's filters but the text, which the page
/// applies as the user types. A 10,000-task plan filtered to one unit sends that unit's tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardScope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 牵头单位, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub light: Option<Light>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    /// 重中之重 only.
    #[serde(default)]
    pub key: bool,
}

impl BoardScope {
    /// Whether `task` is in this scope.
    pub fn matches(&self, task: &BoardTask) -> bool {
        in_scope(
            task,
            self.category.as_deref(),
            self.unit.as_deref(),
            self.light,
            self.status,
            self.key,
        )
    }
}

/// The one rule of a board's scope, for [`BoardScope`] and [`BoardFilter`] alike.
fn in_scope(
    task: &BoardTask,
    category: Option<&str>,
    unit: Option<&str>,
    light: Option<Light>,
    status: Option<TaskStatus>,
    key: bool,
) -> bool {
    category.is_none_or(|c| c == task.category)
        && unit.is_none_or(|u| task.lead_unit.as_deref() == Some(u))
        && light.is_none_or(|l| task.light == Some(l))
        && status.is_none_or(|s| task.status == s)
        && (!key || task.key)
}

/// A plan's tasks counted as of the board's date: what the board shows of the whole plan
/// whatever its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardWhole {
    pub tally: Tally,
    /// Tasks per category, in the plan's category order; categories that tasks use but the
    /// plan does not list come last.
    pub categories: Vec<(String, usize)>,
    /// The lead units, by name, each once, in the order tasks first name them.
    pub lead_units: Vec<String>,
    /// Tasks per light, red first, leaving out empty ones.
    pub lights: Vec<(Light, usize)>,
    /// Tasks per status, in life-cycle order, leaving out empty ones.
    pub statuses: Vec<(TaskStatus, usize)>,
}

impl BoardWhole {
    /// `tasks` (a plan's, every one) counted as of `as_of`. One pass: a plan may have
    /// thousands of tasks.
    pub fn of(plan: &PlanSummary, tasks: &[BoardTask], as_of: NaiveDate) -> Self {
        let mut categories: Vec<(String, usize)> =
            plan.categories.iter().map(|c| (c.clone(), 0)).collect();
        let mut seen = std::collections::HashSet::new();
        let mut lead_units = Vec::new();
        let mut lights = [(Light::Red, 0), (Light::Yellow, 0), (Light::Green, 0)];
        let mut statuses = TaskStatus::ALL.map(|s| (s, 0));
        let mut tally = Tally::default();
        for task in tasks {
            tally.add(task, as_of);
            match categories.iter_mut().find(|(c, _)| *c == task.category) {
                Some((_, n)) => *n += 1,
                None => categories.push((task.category.clone(), 1)),
            }
            if let Some(unit) = &task.lead_unit
                && seen.insert(unit.as_str())
            {
                lead_units.push(unit.clone());
            }
            if let Some((_, n)) = lights.iter_mut().find(|(l, _)| task.light == Some(*l)) {
                *n += 1;
            }
            if let Some((_, n)) = statuses.iter_mut().find(|(s, _)| *s == task.status) {
                *n += 1;
            }
        }
        Self {
            tally,
            categories,
            lead_units,
            lights: lights.into_iter().filter(|(_, n)| *n > 0).collect(),
            statuses: statuses.into_iter().filter(|(_, n)| *n > 0).collect(),
        }
    }
}

impl Board {
    /// The board of a plan with every task (in number order).
    pub fn new(
        plan: PlanSummary,
        plans: Vec<PlanRef>,
        as_of: NaiveDate,
        tasks: Vec<BoardTask>,
        calendar_missing: bool,
    ) -> Self {
        let whole = BoardWhole::of(&plan, &tasks, as_of);
        Self {
            plan,
            plans,
            as_of,
            tasks,
            whole,
            calendar_missing,
        }
    }

    /// The board of a plan whose tasks are `all` (in number order), carrying those in `scope`.
    pub fn scoped(
        plan: PlanSummary,
        plans: Vec<PlanRef>,
        as_of: NaiveDate,
        all: &[BoardTask],
        scope: &BoardScope,
        calendar_missing: bool,
    ) -> Self {
        let whole = BoardWhole::of(&plan, all, as_of);
        Self {
            plan,
            plans,
            as_of,
            tasks: all.iter().filter(|t| scope.matches(t)).cloned().collect(),
            whole,
            calendar_missing,
        }
    }

    /// Tasks of one category (or all when `None`) whose title, lead unit or number matches
    /// `query` (case-insensitive; empty matches everything), in number order.
    pub fn filtered<'a>(
        &'a self,
        category: Option<&'a str>,
        query: &'a str,
    ) -> impl Iterator<Item = &'a BoardTask> + 'a {
        let filter = TaskFilter::new(category, query);
        self.tasks.iter().filter(move |t| {
            filter.matches(
                t.number,
                &t.category,
                &t.title,
                t.lead_unit.as_deref(),
                t.owner.as_deref(),
            )
        })
    }

    /// How many of the plan's tasks are in each category, in the plan's category order;
    /// categories that tasks use but the plan does not list come last.
    pub fn category_counts(&self) -> Vec<(String, usize)> {
        self.whole.categories.clone()
    }

    /// The lead units of the plan's tasks, by name, each once, in the order tasks first name them.
    pub fn lead_units(&self) -> Vec<String> {
        self.whole.lead_units.clone()
    }

    /// The 按单位 view: every unit that leads or co-operates on a task, in the order the list
    /// first names them (lead units first), each with its lead and co-operating tasks tallied
    /// apart, as of the board's date.
    pub fn by_unit(&self, filter: &BoardFilter) -> Vec<UnitStanding> {
        fn line<'a>(lines: &'a mut Vec<UnitStanding>, name: &str) -> &'a mut UnitStanding {
            let at = match lines.iter().position(|l| l.unit == name) {
                Some(at) => at,
                None => {
                    lines.push(UnitStanding {
                        unit: name.to_owned(),
                        lead: Tally::default(),
                        co: Tally::default(),
                    });
                    lines.len() - 1
                }
            };
            &mut lines[at]
        }
        let tasks: Vec<&BoardTask> = self.tasks.iter().filter(|t| filter.matches(t)).collect();
        let mut lines = Vec::new();
        for task in &tasks {
            if let Some(unit) = &task.lead_unit {
                line(&mut lines, unit).lead.add(task, self.as_of);
            }
        }
        for task in &tasks {
            for unit in &task.co_units {
                line(&mut lines, unit).co.add(task, self.as_of);
            }
        }
        lines
    }

    /// The board's summary strip: the plan's every task tallied as of the board's date.
    pub fn tally(&self) -> Tally {
        self.whole.tally
    }

    /// How many of the plan's tasks show each light, red first, leaving out empty ones.
    pub fn light_counts(&self) -> Vec<(Light, usize)> {
        self.whole.lights.clone()
    }

    /// How many of the plan's tasks are in each status, in life-cycle order, leaving out
    /// empty ones.
    pub fn status_counts(&self) -> Vec<(TaskStatus, usize)> {
        self.whole.statuses.clone()
    }
}

/// Tasks counted by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: u32,
    /// Under way, by light.
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    /// 待验收.
    pub submitted: u32,
    /// 已销号.
    pub accepted: u32,
    /// 待揭榜, 待挂牌, 待签收: nobody works on them yet.
    pub waiting: u32,
    /// 已撤项.
    pub cancelled: u32,
    /// 逾期: past the 完成时限 and not handed in (counted besides the above).
    #[serde(default)]
    pub overdue: u32,
    /// The sum of the counted tasks' percents (for the mean).
    #[serde(default)]
    pub percent_total: u32,
}

impl Tally {
    /// Counts `task` as it stands on `as_of`.
    pub fn add(&mut self, task: &BoardTask, as_of: NaiveDate) {
        self.total += 1;
        self.overdue += u32::from(task.overdue(as_of));
        if task.status != TaskStatus::Cancelled {
            self.percent_total += u32::from(task.percent.value());
        }
        match task.status {
            TaskStatus::Accepted => self.accepted += 1,
            TaskStatus::Submitted => self.submitted += 1,
            TaskStatus::Open | TaskStatus::Claimed | TaskStatus::Assigned => self.waiting += 1,
            TaskStatus::Cancelled => self.cancelled += 1,
            TaskStatus::InProgress | TaskStatus::Returned => match task.light {
                Some(Light::Red) => self.red += 1,
                Some(Light::Yellow) => self.yellow += 1,
                Some(Light::Green) | None => self.green += 1,
            },
        }
    }

    /// Tasks that count toward completion (all but 撤项).
    pub fn counted(&self) -> u32 {
        self.total - self.cancelled
    }

    /// 完成率: 已销号 of the tasks that count, in whole percent.
    pub fn completion(&self) -> u32 {
        (self.accepted * 100)
            .checked_div(self.counted())
            .unwrap_or_default()
    }

    /// 平均进度: the mean percent of the tasks that count.
    pub fn progress(&self) -> u32 {
        self.percent_total
            .checked_div(self.counted())
            .unwrap_or_default()
    }

    /// Tallies `tasks` as they stand on `as_of`.
    pub fn of<'a>(tasks: impl IntoIterator<Item = &'a BoardTask>, as_of: NaiveDate) -> Self {
        let mut tally = Self::default();
        for task in tasks {
            tally.add(task, as_of);
        }
        tally
    }
}

/// One unit's line of the board's 按单位 view: the tasks it leads and those it co-operates on,
/// counted apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStanding {
    pub unit: String,
    /// 牵头 tasks.
    pub lead: Tally,
    /// 配合 tasks.
    pub co: Tally,
}

/// What the 按单位 view is sorted by (`?sort=`); larger first unless `ascending`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitSort {
    /// The order units first appear on the list.
    #[default]
    List,
    Lead,
    Co,
    Red,
    Yellow,
    Overdue,
    Completion,
    Progress,
}

impl UnitSort {
    pub const ALL: [UnitSort; 8] = [
        UnitSort::List,
        UnitSort::Lead,
        UnitSort::Co,
        UnitSort::Red,
        UnitSort::Yellow,
        UnitSort::Overdue,
        UnitSort::Completion,
        UnitSort::Progress,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitSort::List => "list",
            UnitSort::Lead => "lead",
            UnitSort::Co => "co",
            UnitSort::Red => "red",
            UnitSort::Yellow => "yellow",
            UnitSort::Overdue => "overdue",
            UnitSort::Completion => "completion",
            UnitSort::Progress => "progress",
        }
    }

    /// Reads `?sort=`; anything else is the list order.
    pub fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }

    fn key(self, line: &UnitStanding) -> u32 {
        match self {
            UnitSort::List => 0,
            UnitSort::Lead => line.lead.counted(),
            UnitSort::Co => line.co.counted(),
            UnitSort::Red => line.lead.red,
            UnitSort::Yellow => line.lead.yellow,
            UnitSort::Overdue => line.lead.overdue,
            UnitSort::Completion => line.lead.completion(),
            UnitSort::Progress => line.lead.progress(),
        }
    }

    /// Sorts `lines` by this key (ties keep list order, so the result is stable).
    pub fn sort(self, lines: &mut [UnitStanding], ascending: bool) {
        lines.sort_by(|a, b| {
            let (ka, kb) = (self.key(a), self.key(b));
            if ascending { ka.cmp(&kb) } else { kb.cmp(&ka) }
        });
    }
}

/// The board's filters (类别 and a text query), one rule for the board and the 台账 export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFilter<'a> {
    category: Option<&'a str>,
    needle: String,
}

impl<'a> TaskFilter<'a> {
    /// A category (or all when `None`) and a text (empty matches everything).
    pub fn new(category: Option<&'a str>, query: &str) -> Self {
        Self {
            category,
            needle: query.trim().to_lowercase(),
        }
    }

    /// Whether a task of this category matches, by title, lead unit, owner or number
    /// (case-insensitive).
    pub fn matches(
        &self,
        number: u32,
        category: &str,
        title: &str,
        lead_unit: Option<&str>,
        owner: Option<&str>,
    ) -> bool {
        let needle = self.needle.as_str();
        self.category.is_none_or(|c| c == category)
            && (needle.is_empty()
                || title.to_lowercase().contains(needle)
                || lead_unit.is_some_and(|u| u.contains(needle))
                || owner.is_some_and(|o| o.contains(needle))
                || number.to_string() == needle)
    }
}

/// The board's filters, as its address carries them (`?category=…&unit=…&light=red&status=…
/// &key=1&q=…&view=table`), so a filtered board can be bookmarked or put on a wall screen.
/// Values that name nothing are ignored, not errors: an old bookmark still opens a board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    pub category: Option<String>,
    /// 牵头单位, by name (as the board shows it).
    pub unit: Option<String>,
    pub light: Option<Light>,
    pub status: Option<super::task::TaskStatus>,
    /// 重中之重 only.
    pub key: bool,
    pub query: String,
    /// How the tasks are laid out (`?view=`).
    pub layout: BoardLayout,
    /// The 按单位 view's order (`?sort=…&dir=asc`).
    pub sort: UnitSort,
    pub ascending: bool,
}

/// The board's layouts (`?view=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BoardLayout {
    /// The card grid, grouped by category.
    #[default]
    Cards,
    /// 一览表: one dense row per task.
    Table,
    /// 按单位: one row per unit.
    Units,
    /// 时间轴: milestones and deadlines on the months of the year.
    Timeline,
    /// 图表: progress against 序时进度, lights by category, units, 销号.
    Charts,
    /// 看板: columns by status.
    Kanban,
}

impl BoardLayout {
    pub const ALL: [BoardLayout; 6] = [
        BoardLayout::Cards,
        BoardLayout::Table,
        BoardLayout::Units,
        BoardLayout::Kanban,
        BoardLayout::Timeline,
        BoardLayout::Charts,
    ];

    /// The value of `?view=` (empty for the cards, the board's default).
    pub fn code(self) -> &'static str {
        match self {
            BoardLayout::Cards => "",
            BoardLayout::Table => "table",
            BoardLayout::Units => "units",
            BoardLayout::Timeline => "timeline",
            BoardLayout::Charts => "charts",
            BoardLayout::Kanban => "kanban",
        }
    }

    /// Reads `?view=`; anything else is the cards.
    pub fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .unwrap_or_default()
    }
}

impl BoardFilter {
    /// Reads the filters from the address's parameters.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let some = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            category: some("category"),
            unit: some("unit"),
            light: some("light").as_deref().and_then(Light::parse),
            status: some("status")
                .as_deref()
                .and_then(super::task::TaskStatus::parse),
            key: some("key").is_some_and(|v| v == "1" || v == "on" || v == "true"),
            query: get("q").unwrap_or_default(),
            layout: BoardLayout::parse(&some("view").unwrap_or_default()),
            sort: UnitSort::parse(&some("sort").unwrap_or_default()),
            ascending: some("dir").as_deref() == Some("asc"),
        }
    }

    /// The address's parameters for these filters (the plan left to the caller), in a fixed
    /// order, leaving out what is not set: the inverse of [`BoardFilter::from_params`].
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let mut put = |name: &'static str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                params.push((name, value));
            }
        };
        put("category", self.category.clone());
        put("unit", self.unit.clone());
        put("light", self.light.map(|l| l.code().to_owned()));
        put("status", self.status.map(|s| s.code().to_owned()));
        put("key", self.key.then(|| "1".to_owned()));
        put("q", Some(self.query.trim().to_owned()));
        put("view", Some(self.layout.code().to_owned()));
        if self.layout == BoardLayout::Units {
            put(
                "sort",
                Some(self.sort.code().to_owned()).filter(|_| self.sort != UnitSort::List),
            );
            put("dir", self.ascending.then(|| "asc".to_owned()));
        }
        params
    }

    /// Whether `task` passes every filter.
    pub fn matches(&self, task: &BoardTask) -> bool {
        TaskFilter::new(None, &self.query).matches(
            task.number,
            &task.category,
            &task.title,
            task.lead_unit.as_deref(),
            task.owner.as_deref(),
        ) && in_scope(
            task,
            self.category.as_deref(),
            self.unit.as_deref(),
            self.light,
            self.status,
            self.key,
        )
    }

    /// The tasks a board for these filters carries (all but the text).
    pub fn scope(&self) -> BoardScope {
        BoardScope {
            category: self.category.clone(),
            unit: self.unit.clone(),
            light: self.light,
            status: self.status,
            key: self.key,
        }
    }

    /// Whether anything beyond the category is filtered (the board offers to clear it).
    pub fn narrowed(&self) -> bool {
        self.unit.is_some()
            || self.light.is_some()
            || self.status.is_some()
            || self.key
            || !self.query.trim().is_empty()
    }
}

/// The latest progress report of a task, as the 台账 quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestReport {
    /// 工作进展.
    pub done: String,
    /// 存在问题.
    pub problems: String,
    /// 下步打算.
    pub next_steps: String,
}

/// One task as a row of the 台账 (the ledger an office files and prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub id: TaskId,
    /// Optimistic-concurrency version (the plan page's 删除 names it).
    pub version: u32,
    pub number: u32,
    /// 重中之重.
    pub key: bool,
    pub category: String,
    pub title: String,
    pub responsibility: Responsibility,
    pub milestones: Vec<Milestone>,
    pub deadline: NaiveDate,
    pub criteria: Vec<Criterion>,
    pub status: TaskStatus,
    pub percent: Percent,
    /// 序时进度 on the ledger's date.
    pub expected: u8,
    pub light: Option<Light>,
    pub latest: Option<LatestReport>,
}

/// A plan's 台账 as of a date: every task, in number order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub plan: PlanSummary,
    pub as_of: NaiveDate,
    pub rows: Vec<LedgerRow>,
}

impl Ledger {
    /// Keeps the rows the board's filters keep.
    pub fn retain(&mut self, filter: &TaskFilter<'_>) {
        self.rows.retain(|r| {
            filter.matches(
                r.number,
                &r.category,
                &r.title,
                r.responsibility.lead_unit.as_deref(),
                r.responsibility.owner.as_deref(),
            )
        });
    }
}

/// A submitted progress report as the trend reads it: which task, on what day, what percent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMark {
    pub task: TaskId,
    pub day: NaiveDate,
    pub percent: u8,
}

/// One point of the plan's trend: where the list stood at the end of a month (the last point:
/// on the board's date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub day: NaiveDate,
    /// The mean reported percent of the tasks that count (0 for a task not reported on yet).
    pub actual: u8,
    /// The mean 序时进度 of the same tasks on that day.
    pub expected: u8,
    /// 已销号 by then, and tasks whose 完成时限 had come by then (the plan).
    pub accepted: u32,
    pub due: u32,
}

impl Board {
    /// The plan's progress month by month, from January to the board's date: the reported
    /// percent against 序时进度, and 销号 against the deadlines. `reports` are the submitted
    /// reports; `accepted` the day each 已销号 task was signed off.
    pub fn trend(
        &self,
        reports: &[ReportMark],
        accepted: &[(TaskId, NaiveDate)],
    ) -> Vec<TrendPoint> {
        use chrono::Datelike;
        let year = self.plan.year;
        let counted: Vec<&BoardTask> = self
            .tasks
            .iter()
            .filter(|t| t.status != TaskStatus::Cancelled)
            .collect();
        let mut days: Vec<NaiveDate> = (1..=12u32)
            .filter_map(|m| {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, m + 1, 1)
                };
                next.and_then(|d| d.pred_opt())
            })
            .filter(|d| *d < self.as_of)
            .collect();
        if self.as_of.year() == year {
            days.push(self.as_of);
        }
        let n = counted.len().max(1) as u32;
        days.into_iter()
            .map(|day| {
                let mut actual = 0u32;
                let mut expected = 0u32;
                for task in &counted {
                    actual += reports
                        .iter()
                        .filter(|r| r.task == task.id && r.day <= day)
                        .max_by_key(|r| r.day)
                        .map_or(0, |r| u32::from(r.percent));
                    let checkpoints: Vec<super::light::Checkpoint> = task
                        .nodes
                        .iter()
                        .map(|n| super::light::Checkpoint {
                            due: n.due,
                            target: n.target,
                            reached: n.reached,
                        })
                        .collect();
                    let schedule = super::light::Schedule {
                        start: task.started_on.unwrap_or_else(|| self.plan.starts_on()),
                        milestones: &checkpoints,
                        deadline: task.deadline,
                    };
                    expected += u32::from(super::light::expected_percent(&schedule, day));
                }
                let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                TrendPoint {
                    day,
                    actual: u8::try_from(actual / n).unwrap_or(100),
                    expected: u8::try_from(expected / n).unwrap_or(100),
                    accepted: count(accepted.iter().filter(|(_, d)| *d <= day).count()),
                    // The plan is the deadlines as first set: a 延期 does not move it.
                    due: count(
                        counted
                            .iter()
                            .filter(|t| t.original_deadline.unwrap_or(t.deadline) <= day)
                            .count(),
                    ),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::light::LightSettings;
    use crate::domain::{PlanId, PlanStatus};

    fn task(number: u32, title: &str, category: &str, status: TaskStatus) -> BoardTask {
        BoardTask {
            id: TaskId::parse(&format!("t{number}")).expect("id"),
            number,
            title: title.into(),
            category: category.into(),
            lead_unit: Some("组织科".into()),
            owner: Some("王芳".into()),
            deadline: NaiveDate::from_ymd_opt(2022, 12, 31).expect("date"),
            status,
            percent: Percent::parse(10).expect("percent"),
            expected: 50,
            light: Some(if number.is_multiple_of(2) {
                Light::Red
            } else {
                Light::Green
            }),
            reason: None,
            key: false,
            focus: false,
            claim_overdue: false,
            days_waiting: None,
            awaiting_signoff: false,
            nodes: Vec::new(),
            co_units: Vec::new(),
            original_deadline: None,
            started_on: None,
            version: 1,
        }
    }

    fn board() -> Board {
        Board::new(
            PlanSummary {
                id: PlanId::parse("p").expect("id"),
                year: 2022,
                title: "t".into(),
                issuer: "i".into(),
                status: PlanStatus::Running,
                categories: vec!["组织建设".into(), "基层治理".into(), "红色教育".into()],
                light_settings: LightSettings::default(),
                claim_window: None,
                report_day: 25,
                version: 1,
            },
            Vec::new(),
            NaiveDate::from_ymd_opt(2022, 7, 29).expect("date"),
            vec![
                task(1, "支部建在小区上", "基层治理", TaskStatus::InProgress),
                task(2, "流动党员教育管理指引", "组织建设", TaskStatus::Claimed),
                task(3, "双报到", "基层治理", TaskStatus::InProgress),
                task(4, "Other", "两新党建", TaskStatus::Open),
            ],
            false,
        )
    }

    #[test]
    fn filter_by_category_and_text() {
        let b = board();
        let numbers =
            |c: Option<&str>, q: &str| b.filtered(c, q).map(|t| t.number).collect::<Vec<_>>();
        assert_eq!(numbers(None, ""), vec![1, 2, 3, 4]);
        assert_eq!(numbers(Some("基层治理"), ""), vec![1, 3]);
        assert_eq!(numbers(None, "小区"), vec![1]);
        assert_eq!(numbers(Some("组织建设"), "小区"), Vec::<u32>::new());
        assert_eq!(numbers(None, "3"), vec![3]);
        assert_eq!(numbers(None, "other"), vec![4]);
        assert_eq!(numbers(None, "组织科"), vec![1, 2, 3, 4]);
        assert_eq!(numbers(None, "王芳"), vec![1, 2, 3, 4]);
    }

    #[test]
    fn category_counts_follow_plan_order_then_extras() {
        assert_eq!(
            board().category_counts(),
            vec![
                ("组织建设".to_owned(), 1),
                ("基层治理".to_owned(), 2),
                ("红色教育".to_owned(), 0),
                ("两新党建".to_owned(), 1),
            ]
        );
    }

    #[test]
    fn a_scoped_board_carries_the_scope_and_counts_the_whole_plan() {
        let mut tasks = board().tasks;
        tasks[2].lead_unit = Some("葵涌街道党建办".into());
        tasks[2].key = true;
        let whole = Board::new(
            board().plan,
            Vec::new(),
            board().as_of,
            tasks.clone(),
            false,
        );
        let scoped = |scope: BoardScope| {
            Board::scoped(
                board().plan,
                Vec::new(),
                board().as_of,
                &tasks,
                &scope,
                false,
            )
        };
        let numbers = |b: &Board| b.tasks.iter().map(|t| t.number).collect::<Vec<_>>();
        let unit = scoped(BoardScope {
            unit: Some("葵涌街道党建办".into()),
            ..BoardScope::default()
        });
        assert_eq!(numbers(&unit), vec![3]);
        // The summary, the tabs and the unit choice are those of the whole plan.
        assert_eq!(unit.whole, whole.whole);
        assert_eq!(unit.tally().total, 4);
        assert_eq!(
            unit.lead_units(),
            vec!["组织科".to_owned(), "葵涌街道党建办".to_owned()]
        );
        let red_in_governance = scoped(BoardScope {
            category: Some("基层治理".into()),
            light: Some(Light::Red),
            ..BoardScope::default()
        });
        assert_eq!(numbers(&red_in_governance), Vec::<u32>::new());
        let green_in_governance = scoped(BoardScope {
            category: Some("基层治理".into()),
            light: Some(Light::Green),
            ..BoardScope::default()
        });
        assert_eq!(numbers(&green_in_governance), vec![1, 3]);
        let key = scoped(BoardScope {
            key: true,
            ..BoardScope::default()
        });
        assert_eq!(numbers(&key), vec![3]);
        assert_eq!(numbers(&scoped(BoardScope::default())), vec![1, 2, 3, 4]);
    }

    #[test]
    fn light_counts_red_first() {
        assert_eq!(
            board().light_counts(),
            vec![(Light::Red, 2), (Light::Green, 2)]
        );
    }

    #[test]
    fn status_counts_skip_empty() {
        assert_eq!(
            board().status_counts(),
            vec![
                (TaskStatus::Open, 1),
                (TaskStatus::Claimed, 1),
                (TaskStatus::InProgress, 2)
            ]
        );
    }

    #[test]
    fn board_filters_combine_and_ignore_what_names_nothing() {
        let mut a = task(1, "支部建在小区上", "组织建设", TaskStatus::InProgress);
        a.lead_unit = Some("葵涌街道党建办".into());
        a.light = Some(Light::Red);
        a.key = true;
        let mut b = task(2, "党员积分管理", "党员队伍", TaskStatus::InProgress);
        b.lead_unit = Some("南澳街道党建办".into());
        b.light = Some(Light::Yellow);
        let mut c = task(3, "红色村试点", "组织建设", TaskStatus::Accepted);
        c.lead_unit = Some("葵涌街道党建办".into());
        c.light = Some(Light::Green);
        let tasks = [a, b, c];
        let pick = |pairs: &[(&str, &str)]| -> Vec<u32> {
            let filter = BoardFilter::from_params(|k| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            });
            tasks
                .iter()
                .filter(|t| filter.matches(t))
                .map(|t| t.number)
                .collect()
        };
        assert_eq!(pick(&[]), [1, 2, 3]);
        assert_eq!(pick(&[("unit", "葵涌街道党建办")]), [1, 3]);
        assert_eq!(pick(&[("unit", "葵涌街道党建办"), ("light", "green")]), [3]);
        assert_eq!(
            pick(&[("status", "in_progress"), ("category", "组织建设")]),
            [1]
        );
        assert_eq!(pick(&[("key", "1")]), [1]);
        assert_eq!(pick(&[("q", "积分")]), [2]);
        // Unknown values filter nothing; a unit nobody leads matches nothing.
        assert_eq!(pick(&[("light", "purple"), ("status", "done")]), [1, 2, 3]);
        assert!(pick(&[("unit", "不存在的单位")]).is_empty());
        assert_eq!(
            BoardFilter::from_params(|k| (k == "view").then(|| "table".to_owned())).layout,
            BoardLayout::Table
        );
    }

    #[test]
    fn trend_follows_reports_and_acceptance_month_by_month() {
        let b = board();
        let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).expect("date");
        let id = |n: u32| TaskId::parse(&format!("t{n}")).expect("id");
        let reports = [
            ReportMark {
                task: id(1),
                day: d(3, 15),
                percent: 20,
            },
            ReportMark {
                task: id(1),
                day: d(6, 20),
                percent: 40,
            },
            ReportMark {
                task: id(2),
                day: d(7, 29),
                percent: 80,
            },
        ];
        let trend = b.trend(&reports, &[(id(3), d(6, 30))]);
        let days: Vec<NaiveDate> = trend.iter().map(|p| p.day).collect();
        assert_eq!(
            days,
            [
                d(1, 31),
                d(2, 28),
                d(3, 31),
                d(4, 30),
                d(5, 31),
                d(6, 30),
                d(7, 29)
            ],
            "month ends before the board's date, then the date itself"
        );
        let actual: Vec<u8> = trend.iter().map(|p| p.actual).collect();
        // Four tasks count: 20/4 from March, 40/4 from June, and task 2's 80 on 7-29.
        assert_eq!(actual, [0, 0, 5, 5, 5, 10, 30]);
        let accepted: Vec<u32> = trend.iter().map(|p| p.accepted).collect();
        assert_eq!(accepted, [0, 0, 0, 0, 0, 1, 1]);
        assert!(trend.iter().all(|p| p.due == 0), "every deadline is 12-31");
        assert!(trend.windows(2).all(|w| w[0].expected <= w[1].expected));
        // No milestones: 序时进度 runs straight from 1-1 to 12-31 (209 of 364 days on 7-29).
        assert!(
            (56..=58).contains(&trend[6].expected),
            "{}",
            trend[6].expected
        );
    }

    #[test]
    fn year_fraction_runs_from_new_year_to_the_years_end() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(year_fraction(d(2022, 1, 1), 2022), 0.0);
        assert_eq!(year_fraction(d(2022, 7, 2), 2022), 182.0 / 365.0);
        assert_eq!(
            year_fraction(d(2024, 12, 31), 2024),
            365.0 / 366.0,
            "leap year"
        );
        assert_eq!(year_fraction(d(2021, 12, 31), 2022), 0.0);
        assert_eq!(year_fraction(d(2023, 1, 1), 2022), 1.0);
    }

    #[test]
    fn overdue_is_past_the_deadline_and_not_handed_in() {
        let mut t = task(1, "t", "c", TaskStatus::InProgress);
        let due = t.deadline;
        let after = due.succ_opt().expect("date");
        assert!(!t.overdue(due), "on the day itself it is not late yet");
        assert!(t.overdue(after));
        for (status, late) in [
            (TaskStatus::Open, true),
            (TaskStatus::Assigned, true),
            (TaskStatus::Returned, true),
            (TaskStatus::Submitted, false),
            (TaskStatus::Accepted, false),
            (TaskStatus::Cancelled, false),
        ] {
            t.status = status;
            assert_eq!(t.overdue(after), late, "{status:?}");
        }
    }

    #[test]
    fn units_count_lead_and_co_tasks_apart() {
        let mut b = board();
        b.as_of = NaiveDate::from_ymd_opt(2023, 1, 5).expect("date");
        // 1: 组织科 leads, 党建办 helps, red and late; 2: 党建办 leads (claimed, waiting);
        // 3: 组织科 leads, green, 60%; 4: nobody leads yet, 宣传科 would help.
        b.tasks[0].co_units = vec!["党建办".into()];
        b.tasks[0].light = Some(Light::Red);
        b.tasks[2].light = Some(Light::Green);
        b.tasks[1].light = None;
        b.tasks[3].light = None;
        b.tasks[1].lead_unit = Some("党建办".into());
        b.tasks[2].percent = Percent::parse(60).expect("percent");
        b.tasks[3].lead_unit = None;
        b.tasks[3].co_units = vec!["宣传科".into()];
        let lines = b.by_unit(&BoardFilter::default());
        let names: Vec<&str> = lines.iter().map(|l| l.unit.as_str()).collect();
        assert_eq!(
            names,
            ["组织科", "党建办", "宣传科"],
            "lead units first, in list order"
        );
        let zzk = &lines[0];
        assert_eq!((zzk.lead.total, zzk.lead.red, zzk.lead.green), (2, 1, 1));
        assert_eq!(zzk.lead.overdue, 2, "both past 2022-12-31");
        assert_eq!(zzk.lead.progress(), 35, "(10 + 60) / 2");
        assert_eq!(zzk.co.total, 0);
        let djb = &lines[1];
        assert_eq!(
            (djb.lead.total, djb.lead.waiting, djb.co.total, djb.co.red),
            (1, 1, 1, 1)
        );
        assert_eq!((lines[2].lead.total, lines[2].co.total), (0, 1));

        let mut sorted = lines.clone();
        UnitSort::Co.sort(&mut sorted, false);
        assert_eq!(
            sorted[2].unit, "组织科",
            "no co-operation sorts last, ties keep list order"
        );
        assert_eq!(sorted[0].unit, "党建办");
        UnitSort::Lead.sort(&mut sorted, true);
        assert_eq!(sorted[0].unit, "宣传科");
        // The filters apply: only the red task leaves 组织科 one red lead and 党建办 one red co.
        let red = BoardFilter {
            light: Some(Light::Red),
            ..BoardFilter::default()
        };
        let lines = b.by_unit(&red);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].lead.total, lines[1].co.total), (1, 1));
    }

    #[test]
    fn filter_params_read_back_as_the_same_filter() {
        let filter = BoardFilter {
            category: Some("组织建设".into()),
            unit: Some("组织科".into()),
            light: Some(Light::Yellow),
            status: Some(TaskStatus::InProgress),
            key: true,
            query: "小区".into(),
            layout: BoardLayout::Units,
            sort: UnitSort::Red,
            ascending: true,
        };
        let params = filter.params();
        let back = BoardFilter::from_params(|k| {
            params
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, filter);
        assert!(
            BoardFilter::default().params().is_empty(),
            "the plain board is `/`"
        );
        // The order only means something in the unit view.
        let table = BoardFilter {
            layout: BoardLayout::Table,
            sort: UnitSort::Red,
            ..BoardFilter::default()
        };
        assert_eq!(table.params(), [("view", "table".to_owned())]);
    }
}
