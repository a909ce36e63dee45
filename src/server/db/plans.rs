//! Plans (年度重点任务清单): the board query, creation, edits and status changes.

use super::write::{Also, Versioned, create_audited, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record};
use crate::domain::light::{self, Checkpoint, Schedule};
use crate::domain::plan::{ClaimWindow, TaskCheck, publish_issues};
use crate::domain::policy::Capability;
use crate::domain::views::NodeMark;
use crate::domain::{
    Actor, Board, BoardScope, BoardTask, Criterion, Entity, LightSettings, Percent, PlanId,
    PlanInput, PlanStatus, PlanSummary, Refusal, TaskId, TaskStatus,
};
use crate::error::AppError;
use crate::server::authz::require_actor;
use crate::ui::messages;
use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

/// The projection every plan heading is read with.
pub(crate) const PLAN_FIELDS: &str = "id, year, title, issuer.name AS issuer, status, categories, light, claim_window, report_day, \
     version";

#[derive(Debug, Clone, Copy, SurrealValue)]
pub(crate) struct ClaimWindowRow {
    from: NaiveDate,
    to: NaiveDate,
}

impl From<ClaimWindowRow> for ClaimWindow {
    fn from(w: ClaimWindowRow) -> Self {
        Self {
            from: w.from,
            to: w.to,
        }
    }
}

impl From<ClaimWindow> for ClaimWindowRow {
    fn from(w: ClaimWindow) -> Self {
        Self {
            from: w.from,
            to: w.to,
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct LightRow {
    yellow_behind: i64,
    red_behind: i64,
    due_soon_days: i64,
}

#[derive(Debug, SurrealValue)]
pub(crate) struct PlanRow {
    id: RecordId,
    year: i64,
    title: String,
    issuer: Option<String>,
    status: String,
    categories: Vec<String>,
    light: LightRow,
    claim_window: Option<ClaimWindowRow>,
    report_day: Option<i64>,
    version: i64,
}

impl PlanRow {
    pub(crate) fn into_domain(self) -> Result<PlanSummary, AppError> {
        let status =
            PlanStatus::parse(&self.status).ok_or_else(|| corrupt("plan.status", &self.status))?;
        let l = &self.light;
        Ok(PlanSummary {
            id: PlanId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("plan.id", &self.id))?,
            year: i32::try_from(self.year).map_err(|_| corrupt("plan.year", self.year))?,
            title: self.title,
            issuer: self.issuer.unwrap_or_default(),
            status,
            categories: self.categories,
            light_settings: LightSettings::parse(l.yellow_behind, l.red_behind, l.due_soon_days)
                .map_err(|e| corrupt("plan.light", e))?,
            claim_window: self.claim_window.map(|w| ClaimWindow {
                from: w.from,
                to: w.to,
            }),
            report_day: match self.report_day {
                None => crate::domain::plan::DEFAULT_REPORT_DAY,
                Some(d) => u8::try_from(d).map_err(|_| corrupt("plan.report_day", d))?,
            },
            version: version(self.version)?,
        })
    }
}

/// The projection a task is read with for the board ([`BoardTaskRow`]).
pub(crate) const BOARD_TASK_FIELDS: &str = "id, number, title, category, lead_unit.name AS lead_unit, \
     owner.name AS owner, co_units.*.name AS co_units, deadline, original_deadline, milestones, \
     started_on, status, percent, key, focus, assigned_on, signoff_pending, version";

#[derive(Debug, SurrealValue)]
pub(crate) struct BoardTaskRow {
    pub(crate) id: RecordId,
    pub(crate) number: i64,
    title: String,
    category: String,
    lead_unit: Option<String>,
    owner: Option<String>,
    co_units: Vec<String>,
    deadline: NaiveDate,
    original_deadline: Option<NaiveDate>,
    milestones: Vec<super::tasks::MilestoneRow>,
    started_on: Option<NaiveDate>,
    status: String,
    percent: i64,
    key: bool,
    focus: bool,
    assigned_on: Option<NaiveDate>,
    signoff_pending: Option<bool>,
    version: i64,
}

impl BoardTaskRow {
    pub(crate) fn into_domain(
        self,
        plan: &PlanSummary,
        today: NaiveDate,
    ) -> Result<BoardTask, AppError> {
        let milestones: Vec<Checkpoint> = self
            .milestones
            .into_iter()
            .map(|m| m.into_domain().map(|m| Checkpoint::of(&m)))
            .collect::<Result<_, _>>()?;
        let standing = Standing::assess(
            plan,
            &self.status,
            self.percent,
            &milestones,
            self.started_on,
            self.deadline,
            today,
        )?;
        let Standing {
            status,
            percent,
            expected,
            light,
            reason,
        } = standing;
        let mut nodes: Vec<NodeMark> = milestones
            .iter()
            .map(|m| NodeMark {
                due: m.due,
                reached: m.reached,
                target: m.target,
            })
            .collect();
        nodes.sort_by_key(|n| n.due);
        Ok(BoardTask {
            nodes,
            co_units: self.co_units,
            original_deadline: self.original_deadline,
            started_on: self.started_on,
            version: u32::try_from(self.version)
                .map_err(|_| corrupt("task.version", self.version))?,
            id: TaskId::parse(&key_string(&self.id)).ok_or_else(|| corrupt("task.id", &self.id))?,
            number: u32::try_from(self.number).map_err(|_| corrupt("task.number", self.number))?,
            title: self.title,
            category: self.category,
            lead_unit: self.lead_unit,
            owner: self.owner,
            deadline: self.deadline,
            status,
            percent,
            expected,
            light,
            reason,
            key: self.key,
            focus: self.focus,
            claim_overdue: crate::domain::claim::claim_overdue(status, plan.claim_window, today),
            days_waiting: crate::domain::workflow::days_waiting(status, self.assigned_on, today),
            awaiting_signoff: status == TaskStatus::Submitted && self.signoff_pending == Some(true),
        })
    }
}

/// Where a stored task stands on a day: its status and percent read back through the domain,
/// and its 序时进度 and light. The board, the task page and the 台账 all read a task this way.
pub(crate) struct Standing {
    pub(crate) status: TaskStatus,
    pub(crate) percent: Percent,
    pub(crate) expected: u8,
    pub(crate) light: Option<crate::domain::Light>,
    pub(crate) reason: Option<crate::domain::LightReason>,
}

impl Standing {
    pub(crate) fn assess(
        plan: &PlanSummary,
        status: &str,
        percent: i64,
        milestones: &[Checkpoint],
        started_on: Option<NaiveDate>,
        deadline: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let status = TaskStatus::parse(status).ok_or_else(|| corrupt("task.status", status))?;
        let percent = Percent::parse(percent).map_err(|_| corrupt("task.percent", percent))?;
        // Lights count from the day the task was taken on (挂牌 or 签收), else the plan's start.
        let schedule = Schedule {
            start: started_on.unwrap_or_else(|| plan.starts_on()),
            milestones,
            deadline,
        };
        let a = light::assess(
            status,
            percent.value(),
            &schedule,
            today,
            &plan.light_settings,
            &crate::server::calendar::current(),
        );
        Ok(Self {
            status,
            percent,
            expected: a.expected,
            light: a.light,
            reason: a.reason,
        })
    }
}

/// The statement that binds `$plan` to the board's plan: the published (not draft) plan `$id`
/// when `$id` is set, else the current plan — the newest one that is not a draft.
pub(crate) fn board_plan_statement() -> String {
    // Not by the (year, title) index: SurrealDB 3.3 walks an index backwards (`DESC`) in time
    // that grows with the whole store (58 ms at 10,000 tasks for a single plan), and a
    // database holds one plan a year.
    format!(
        "LET $plan = IF $id {{ (SELECT {PLAN_FIELDS} FROM $id WHERE status != 'draft')[0] }}
             ELSE {{ (SELECT {PLAN_FIELDS} FROM plan WITH NOINDEX WHERE status != 'draft' ORDER BY year DESC LIMIT 1)[0] }};"
    )
}

#[derive(Debug, SurrealValue)]
struct PlanRefRow {
    id: RecordId,
    year: i64,
    title: String,
}

/// The board of a published plan (`None`: the current one, the newest published), with all its
/// tasks in number order and their lights as of `today`; `None` if there is no such plan.
/// One round trip: the plan, the other published plans and the tasks come back from one query.
pub async fn board(
    db: &Db,
    plan: Option<&PlanId>,
    today: NaiveDate,
) -> Result<Option<Board>, AppError> {
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             SELECT {BOARD_TASK_FIELDS} FROM task WHERE plan = $plan.id ORDER BY number;
             SELECT id, year, title FROM plan WHERE status != 'draft' ORDER BY year DESC, title;",
            select = board_plan_statement()
        ))
        .bind(("id", plan.map(|p| record("plan", p.as_str()))))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let plan = plan.into_domain()?;
    let rows: Vec<BoardTaskRow> = response.take(2)?;
    let tasks = rows
        .into_iter()
        .map(|r| r.into_domain(&plan, today))
        .collect::<Result<_, _>>()?;
    let plans = plan_refs(response.take(3)?)?;
    let calendar_missing = !crate::server::calendar::current().covers(plan.year);
    Ok(Some(Board::new(
        plan,
        plans,
        today,
        tasks,
        calendar_missing,
    )))
}

/// The projection a plan's task is kept with: [`BOARD_TASK_FIELDS`] with the units and the
/// owner as records, named at each read (a unit renamed does not write its tasks).
const KEPT_TASK_FIELDS: &str = "id, number, title, category, lead_unit, owner, co_units, deadline, \
     original_deadline, milestones, started_on, status, percent, key, focus, assigned_on, \
     signoff_pending, version";

#[derive(Debug, Clone, SurrealValue)]
struct KeptTaskRow {
    id: RecordId,
    number: i64,
    title: String,
    category: String,
    lead_unit: Option<RecordId>,
    owner: Option<RecordId>,
    co_units: Vec<RecordId>,
    deadline: NaiveDate,
    original_deadline: Option<NaiveDate>,
    milestones: Vec<super::tasks::MilestoneRow>,
    started_on: Option<NaiveDate>,
    status: String,
    percent: i64,
    key: bool,
    focus: bool,
    assigned_on: Option<NaiveDate>,
    signoff_pending: Option<bool>,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct NameRow {
    id: RecordId,
    name: String,
}

/// A published plan's task rows as last read. The database stamps every write of a task
/// (`task.changed_at`), so the next read asks only for rows stamped since, a margin earlier
/// (a write stamped just before a read may commit just after it).
#[derive(Debug, Clone)]
struct KeptPlan {
    plan_version: u32,
    /// The database's clock when the rows were read.
    read_at: chrono::DateTime<chrono::Utc>,
    /// When this process read them whole.
    whole_at: std::time::Instant,
    /// In number order.
    rows: Vec<KeptTaskRow>,
    /// The rows as the board shows them (one task per row, same order), for what they were
    /// made with; rebuilt whole when that changes (another day, a unit renamed, the calendar).
    built: Option<(MadeWith, Vec<BoardTask>)>,
    /// Rows replaced since `built` was made: made again at the next read.
    stale: Vec<usize>,
}

/// What a board's tasks are made with besides their rows.
#[derive(Debug, Clone)]
struct MadeWith {
    units: std::collections::HashMap<String, String>,
    people: std::collections::HashMap<String, String>,
    calendar: std::sync::Arc<crate::domain::calendar::WorkCalendar>,
    today: NaiveDate,
}

impl MadeWith {
    fn same(&self, other: &Self) -> bool {
        self.today == other.today
            && std::sync::Arc::ptr_eq(&self.calendar, &other.calendar)
            && self.units == other.units
            && self.people == other.people
    }

    fn name(names: &std::collections::HashMap<String, String>, id: &RecordId) -> Option<String> {
        // Keyed by the record key: a RecordId as a map key trips clippy's mutable_key_type.
        names.get(&key_string(id)).cloned()
    }

    /// A kept row as the board shows it.
    fn task(&self, r: &KeptTaskRow, plan: &PlanSummary) -> Result<BoardTask, AppError> {
        BoardTaskRow {
            id: r.id.clone(),
            number: r.number,
            title: r.title.clone(),
            category: r.category.clone(),
            lead_unit: r
                .lead_unit
                .as_ref()
                .and_then(|u| Self::name(&self.units, u)),
            owner: r.owner.as_ref().and_then(|p| Self::name(&self.people, p)),
            co_units: r
                .co_units
                .iter()
                .filter_map(|u| Self::name(&self.units, u))
                .collect(),
            deadline: r.deadline,
            original_deadline: r.original_deadline,
            milestones: r.milestones.clone(),
            started_on: r.started_on,
            status: r.status.clone(),
            percent: r.percent,
            key: r.key,
            focus: r.focus,
            assigned_on: r.assigned_on,
            signoff_pending: r.signoff_pending,
            version: r.version,
        }
        .into_domain(plan, self.today)
    }
}

impl KeptPlan {
    /// The board's tasks: only the rows replaced since made again, unless what they are made
    /// with changed.
    fn tasks(&mut self, plan: &PlanSummary, names: &MadeWith) -> Result<&[BoardTask], AppError> {
        let stale = std::mem::take(&mut self.stale);
        let built = self.built.take().filter(|(made, _)| made.same(names));
        let tasks = match built {
            Some((made, mut tasks)) => {
                for i in stale {
                    if let (Some(row), Some(task)) = (self.rows.get(i), tasks.get_mut(i)) {
                        *task = names.task(row, plan)?;
                    }
                }
                (made, tasks)
            }
            None => (
                names.clone(),
                self.rows
                    .iter()
                    .map(|r| names.task(r, plan))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(&self.built.insert(tasks).1)
    }
}

/// How much earlier than the last read the next one looks for written rows: a write stamps
/// its rows before it commits, and a write's transaction takes milliseconds.
const KEPT_MARGIN: std::time::Duration = std::time::Duration::from_secs(5);
/// How long rows are kept before they are read whole again, whatever the stamps say: bounds
/// what a clock set back could hide.
const KEPT_WHOLE: std::time::Duration = std::time::Duration::from_secs(300);

/// Boards of published plans with their task rows kept between reads (see [`KeptPlan`]):
/// a 10,000-task plan is read whole once, then only what was written. One per process.
#[derive(Debug)]
pub struct KeptBoards {
    plans: std::sync::Mutex<std::collections::HashMap<String, KeptPlan>>,
    margin: chrono::TimeDelta,
    rows_read: std::sync::atomic::AtomicU64,
}

impl Default for KeptBoards {
    fn default() -> Self {
        Self::with_margin(KEPT_MARGIN)
    }
}

impl KeptBoards {
    /// Kept boards whose reads look `margin` further back than the last read.
    pub fn with_margin(margin: std::time::Duration) -> Self {
        Self {
            plans: std::sync::Mutex::default(),
            margin: chrono::TimeDelta::from_std(margin).unwrap_or(chrono::TimeDelta::MAX),
            rows_read: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// How many task rows these boards have read from the database so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn keep(&self, plan: String, kept: KeptPlan) {
        if let Ok(mut plans) = self.plans.lock() {
            plans.insert(plan, kept);
        }
    }

    /// The board from the kept rows with `read` (rows written since) merged in, or `None`
    /// when nothing usable is kept for the plan. Only the tasks in `scope` are copied out.
    fn merged(
        &self,
        key: &str,
        shown: &Shown<'_>,
        read: &[KeptTaskRow],
        read_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Board>, AppError> {
        // Only this cache is behind the lock; a panic while it was held leaves at worst a
        // stale entry, which `tasks` rebuilds or a whole read replaces.
        let mut plans = self
            .plans
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(kept) = plans.get_mut(key) else {
            return Ok(None);
        };
        if kept.plan_version != shown.plan.version || kept.whole_at.elapsed() >= KEPT_WHOLE {
            return Ok(None);
        }
        for row in read {
            match kept.rows.iter().position(|r| r.id == row.id) {
                Some(i) if kept.rows[i].number == row.number => {
                    kept.rows[i] = row.clone();
                    kept.stale.push(i);
                }
                Some(i) => {
                    kept.rows[i] = row.clone();
                    kept.built = None;
                }
                None => {
                    kept.rows.push(row.clone());
                    kept.built = None;
                }
            }
        }
        if kept.built.is_none() {
            kept.rows.sort_by_key(|r| r.number);
        }
        kept.read_at = read_at;
        let all = kept.tasks(&shown.plan, &shown.names)?;
        Ok(Some(shown.board(all)))
    }

    /// The stamps after which rows are read back, per kept plan.
    fn since(&self) -> std::collections::BTreeMap<String, chrono::DateTime<chrono::Utc>> {
        self.plans.lock().map_or_else(
            |_| std::collections::BTreeMap::new(),
            |plans| {
                plans
                    .iter()
                    .filter(|(_, k)| k.whole_at.elapsed() < KEPT_WHOLE)
                    .map(|(p, k)| (p.clone(), k.read_at - self.margin))
                    .collect()
            },
        )
    }

    /// The same as [`board`] narrowed to `scope`, from the kept rows and those written since.
    /// One round trip; two when the plan itself changed (its rows are then read whole).
    pub async fn board(
        &self,
        db: &Db,
        plan: Option<&PlanId>,
        today: NaiveDate,
        scope: &BoardScope,
    ) -> Result<Option<Board>, AppError> {
        let since = self.since();
        let mut response = db
            .query(format!(
                "{select}
                 RETURN $plan;
                 SELECT id, year, title FROM plan WHERE status != 'draft' ORDER BY year DESC, title;
                 RETURN time::now();
                 SELECT id, name FROM unit;
                 SELECT id, name FROM person;
                 LET $after = IF $plan {{ $since[<string> record::id($plan.id)] }} ELSE {{ NONE }};
                 IF $after = NONE {{
                     SELECT {KEPT_TASK_FIELDS} FROM task WHERE plan = $plan.id
                 }} ELSE {{
                     SELECT {KEPT_TASK_FIELDS} FROM task WITH INDEX task_changed_at WHERE changed_at >= $after AND plan = $plan.id
                 }};",
                select = board_plan_statement()
            ))
            .bind(("id", plan.map(|p| record("plan", p.as_str()))))
            .bind(("since", since.clone()))
            .await?;
        let plan: Option<PlanRow> = response.take(1)?;
        let Some(plan) = plan else {
            return Ok(None);
        };
        let plan = plan.into_domain()?;
        let plans: Vec<PlanRefRow> = response.take(2)?;
        let read_at: Option<chrono::DateTime<chrono::Utc>> = response.take(3)?;
        let read_at = read_at.ok_or_else(|| corrupt("time::now()", "NONE"))?;
        let names = |rows: Vec<NameRow>| {
            rows.into_iter()
                .map(|r| (key_string(&r.id), r.name))
                .collect::<std::collections::HashMap<_, _>>()
        };
        let units = names(response.take(4)?);
        let people = names(response.take(5)?);
        let read: Vec<KeptTaskRow> = response.take(7)?;
        self.rows_read
            .fetch_add(read.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let key = plan.id.as_str().to_owned();
        // Rows written since were read when this plan's rows were kept (and not too long).
        let delta = since.contains_key(&key);
        let calendar = crate::server::calendar::current();
        let shown = Shown {
            calendar_missing: !calendar.covers(plan.year),
            plans: plan_refs(plans)?,
            plan,
            names: MadeWith {
                units,
                people,
                calendar,
                today,
            },
            scope,
        };
        if delta && let Some(board) = self.merged(&key, &shown, &read, read_at)? {
            return Ok(Some(board));
        }
        // Nothing kept, kept too long, or the plan changed: rows read since are not enough,
        // read them whole.
        let (mut rows, read_at) = if delta {
            let mut again = db
                .query(format!(
                    "SELECT {KEPT_TASK_FIELDS} FROM task WHERE plan = $plan; RETURN time::now();"
                ))
                .bind(("plan", record("plan", shown.plan.id.as_str())))
                .await?;
            let rows: Vec<KeptTaskRow> = again.take(0)?;
            self.rows_read
                .fetch_add(rows.len() as u64, std::sync::atomic::Ordering::Relaxed);
            let at: Option<chrono::DateTime<chrono::Utc>> = again.take(1)?;
            (rows, at.unwrap_or(read_at))
        } else {
            (read, read_at)
        };
        rows.sort_by_key(|r| r.number);
        let mut kept = KeptPlan {
            plan_version: shown.plan.version,
            read_at,
            whole_at: std::time::Instant::now(),
            rows,
            built: None,
            stale: Vec::new(),
        };
        let board = shown.board(kept.tasks(&shown.plan, &shown.names)?);
        self.keep(key, kept);
        Ok(Some(board))
    }
}

/// A board being read: everything but its tasks, and which of them it shows.
struct Shown<'a> {
    plan: PlanSummary,
    plans: Vec<crate::domain::PlanRef>,
    names: MadeWith,
    calendar_missing: bool,
    scope: &'a BoardScope,
}

impl Shown<'_> {
    /// The board of the plan whose tasks are `all`.
    fn board(&self, all: &[BoardTask]) -> Board {
        Board::scoped(
            self.plan.clone(),
            self.plans.clone(),
            self.names.today,
            all,
            self.scope,
            self.calendar_missing,
        )
    }
}

fn plan_refs(plans: Vec<PlanRefRow>) -> Result<Vec<crate::domain::PlanRef>, AppError> {
    plans
        .into_iter()
        .map(|r| {
            Ok(crate::domain::PlanRef {
                id: PlanId::parse(&key_string(&r.id)).ok_or_else(|| corrupt("plan.id", &r.id))?,
                year: i32::try_from(r.year).map_err(|_| corrupt("plan.year", r.year))?,
                title: r.title,
            })
        })
        .collect()
}

#[derive(Debug, SurrealValue)]
struct ReportMarkRow {
    task: RecordId,
    percent: i64,
    at: chrono::DateTime<chrono::Utc>,
}

/// The board's plan month by month (see [`Board::trend`]); `None` if there is no such plan.
/// Two round trips: the board, then the plan's submitted reports and its 销号 events.
pub async fn trend(
    db: &Db,
    plan: Option<&PlanId>,
    today: NaiveDate,
) -> Result<Option<Vec<crate::domain::views::TrendPoint>>, AppError> {
    use crate::domain::views::ReportMark;
    use crate::server::clock::china_date;
    let Some(board) = self::board(db, plan, today).await? else {
        return Ok(None);
    };
    let mut response = db
        .query(
            "SELECT task, percent, at FROM progress_report WHERE task.plan = $plan AND status = 'submitted';
             SELECT entity AS task, at FROM audit_event
                WHERE after.status = 'accepted' AND record::tb(entity) = 'task' AND entity.plan = $plan;",
        )
        .bind(("plan", record("plan", board.plan.id.as_str())))
        .await?;
    let task_id = |id: &RecordId| {
        TaskId::parse(&key_string(id)).ok_or_else(|| corrupt("progress_report.task", id))
    };
    let reports: Vec<ReportMarkRow> = response.take(0)?;
    let reports = reports
        .into_iter()
        .map(|r| {
            Ok(ReportMark {
                task: task_id(&r.task)?,
                day: china_date(r.at),
                percent: u8::try_from(r.percent)
                    .map_err(|_| corrupt("progress_report.percent", r.percent))?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    #[derive(Debug, SurrealValue)]
    struct AcceptedRow {
        task: RecordId,
        at: chrono::DateTime<chrono::Utc>,
    }
    let events: Vec<AcceptedRow> = response.take(1)?;
    let mut accepted: Vec<(TaskId, NaiveDate)> = Vec::new();
    for event in events {
        accepted.push((task_id(&event.task)?, china_date(event.at)));
    }
    // A task recorded as 已销号 without its event (loaded, not signed off here) counts from
    // its last report, the nearest day the record gives.
    for task in board
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Accepted)
    {
        if !accepted.iter().any(|(id, _)| *id == task.id) {
            let day = reports
                .iter()
                .filter(|r| r.task == task.id)
                .map(|r| r.day)
                .max()
                .unwrap_or(today);
            accepted.push((task.id.clone(), day));
        }
    }
    Ok(Some(board.trend(&reports, &accepted)))
}

/// Every plan, newest year first.
pub async fn list_plans(db: &Db) -> Result<Vec<PlanSummary>, AppError> {
    let rows: Vec<PlanRow> = db
        .query(format!(
            "SELECT {PLAN_FIELDS} FROM plan ORDER BY year DESC, title"
        ))
        .await?
        .take(0)?;
    rows.into_iter().map(PlanRow::into_domain).collect()
}

/// One plan's heading.
pub async fn get_plan(db: &Db, id: &PlanId) -> Result<Option<PlanSummary>, AppError> {
    let row: Option<PlanRow> = db
        .query(format!("SELECT {PLAN_FIELDS} FROM ONLY $id"))
        .bind(("id", record("plan", id.as_str())))
        .await?
        .take(0)?;
    row.map(PlanRow::into_domain).transpose()
}

/// A plan's stored content.
pub(crate) fn plan_content(input: &PlanInput, status: PlanStatus, version: i64) -> PlanContent {
    PlanContent {
        year: i64::from(input.year),
        title: input.title.as_str().to_owned(),
        issuer: record("unit", input.issuer.as_str()),
        status: status.code().to_owned(),
        categories: input.categories.clone(),
        light: LightRow {
            yellow_behind: i64::from(input.light.yellow_behind),
            red_behind: i64::from(input.light.red_behind),
            due_soon_days: i64::from(input.light.due_soon_days),
        },
        claim_window: input.claim_window.map(ClaimWindowRow::from),
        report_day: i64::from(input.report_day),
        version,
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct PlanContent {
    year: i64,
    title: String,
    issuer: RecordId,
    status: String,
    categories: Vec<String>,
    light: LightRow,
    claim_window: Option<ClaimWindowRow>,
    report_day: i64,
    version: i64,
}

#[derive(Debug, Clone, SurrealValue)]
struct PlanEdit {
    year: i64,
    title: String,
    issuer: RecordId,
    categories: Vec<String>,
    light: LightRow,
    claim_window: Option<ClaimWindowRow>,
    report_day: i64,
    version: i64,
}

/// The issuing unit must exist.
async fn check_issuer(db: &Db, input: &PlanInput) -> Result<(), AppError> {
    if super::units::get_unit(db, &input.issuer).await?.is_none() {
        return Err(AppError::field(
            "issuer",
            crate::domain::Problem::NoSuchRecord,
        ));
    }
    Ok(())
}

/// Creates a plan as a draft (草稿).
pub async fn create_plan(db: &Db, actor: &Actor, input: &PlanInput) -> Result<PlanId, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    check_issuer(db, input).await?;
    let key = create_audited(
        db,
        "plan",
        plan_content(input, PlanStatus::Draft, 1),
        actor,
        format!("新建任务清单:{}", input.title.as_str()),
    )
    .await?;
    PlanId::parse(&key).ok_or(AppError::Internal)
}

/// Edits a plan's heading and settings; returns the new version.
pub async fn update_plan(
    db: &Db,
    actor: &Actor,
    id: &PlanId,
    expected_version: u32,
    input: &PlanInput,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    check_issuer(db, input).await?;
    let c = plan_content(input, PlanStatus::Draft, next_version(expected_version));
    let edit = PlanEdit {
        year: c.year,
        title: c.title,
        issuer: c.issuer,
        categories: c.categories,
        light: c.light,
        claim_window: c.claim_window,
        report_day: c.report_day,
        version: c.version,
    };
    update_versioned(
        db,
        actor,
        Versioned {
            id: record("plan", id.as_str()),
            expected_version,
            content: edit,
            action: "update",
            summary: format!("修改任务清单:{}", input.title.as_str()),
            also: None,
        },
    )
    .await
}

#[derive(Debug, Clone, SurrealValue)]
struct StatusEdit {
    status: String,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct CriteriaCount {
    number: i64,
    deadline: NaiveDate,
    criteria: i64,
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct CriterionRow {
    pub(crate) text: String,
    pub(crate) met: Option<bool>,
    pub(crate) note: String,
    pub(crate) self_check: Option<String>,
}

impl CriterionRow {
    pub(crate) fn of(c: &Criterion) -> Self {
        Self {
            text: c.text.clone(),
            met: c.met,
            note: c.note.clone(),
            self_check: (!c.self_check.is_empty()).then(|| c.self_check.clone()),
        }
    }
}

impl From<CriterionRow> for Criterion {
    fn from(c: CriterionRow) -> Self {
        Self {
            text: c.text,
            met: c.met,
            note: c.note,
            self_check: c.self_check.unwrap_or_default(),
        }
    }
}

/// Moves a plan along 草稿 → 揭榜中 → 推进中 → 已归档. Publishing (发榜) needs tasks, each
/// with at least one acceptance criterion.
pub async fn transition_plan(
    db: &Db,
    actor: &Actor,
    id: &PlanId,
    expected_version: u32,
    to: PlanStatus,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let plan = get_plan(db, id)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))?;
    if plan.version != expected_version {
        return Err(AppError::Conflict);
    }
    if !plan.status.may_become(to) {
        return Err(Refusal::NoSuchPlanMove {
            from: plan.status,
            to,
        }
        .into());
    }
    if to == PlanStatus::Published {
        let rows: Vec<CriteriaCount> = db
            .query("SELECT number, deadline, array::len(criteria) AS criteria FROM task WHERE plan = $plan ORDER BY number")
            .bind(("plan", record("plan", id.as_str())))
            .await?
            .take(0)?;
        let checks = rows
            .iter()
            .map(|r| {
                Ok(TaskCheck {
                    number: u32::try_from(r.number)
                        .map_err(|_| corrupt("task.number", r.number))?,
                    deadline: r.deadline,
                    criteria: usize::try_from(r.criteria).unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let issues = publish_issues(plan.year, &checks);
        if !issues.is_empty() {
            return Err(Refusal::NotPublishable { issues }.into());
        }
    }
    update_versioned(
        db,
        actor,
        Versioned {
            id: record("plan", id.as_str()),
            expected_version,
            content: StatusEdit {
                status: to.code().to_owned(),
                version: next_version(expected_version),
            },
            action: "transition",
            summary: format!(
                "任务清单状态:{} → {}",
                messages::plan_status(plan.status),
                messages::plan_status(to)
            ),
            // 发榜: a task the list already gives to a unit waits for that unit's 签收.
            also: (to == PlanStatus::Published).then(|| Also {
                sql: "UPDATE task SET status = 'assigned', assigned_on = time::now(), version += 1
                      WHERE plan = $id AND status = 'open' AND lead_unit != NONE;",
                data: surrealdb::types::Value::None,
            }),
        },
    )
    .await
}
