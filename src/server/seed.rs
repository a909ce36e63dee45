//! The demo plan (大鹏新区 2022 年度基层党建重点任务) and the loader that puts it into an empty
//! database. The data file is compiled in, so the binary can seed anywhere.

use super::db::Db;
use crate::domain::{Percent, PlanStatus, TaskStatus, TaskTitle};
use crate::error::AppError;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

/// The demo data file.
pub const DEMO_TOML: &str = include_str!("../../seeds/dapeng_2022.toml");

/// A whole seed file: one plan, the units it mentions and its tasks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    pub accounts: Vec<SeedAccount>,
    pub people: Vec<SeedPerson>,
    pub plan: SeedPlan,
    pub units: Vec<SeedUnit>,
    pub tasks: Vec<SeedTask>,
}

/// A demo account; all share [`DEMO_PASSWORD`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    pub username: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub unit: Option<String>,
}

/// The password of every demo account (documented in README.md). Demo data only.
pub const DEMO_PASSWORD: &str = "jiebang2022";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPerson {
    pub key: String,
    pub name: String,
    /// Key of the person's unit.
    pub unit: String,
    pub post: String,
    /// `leader` (分管领导), `head` (单位负责人) or `liaison` (联络员).
    pub role: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPlan {
    pub key: String,
    pub year: i32,
    pub title: String,
    /// Key of the issuing unit.
    pub issuer: String,
    pub status: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUnit {
    pub key: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent: Option<String>,
    /// Key of the unit's supervising leader (分管领导).
    #[serde(default)]
    pub leader: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTask {
    pub number: u32,
    pub title: String,
    pub category: String,
    /// Key of the lead unit (牵头单位).
    #[serde(default)]
    pub lead: Option<String>,
    /// Keys of the co-operating units (配合单位).
    #[serde(default)]
    pub co: Vec<String>,
    pub deadline: NaiveDate,
    pub status: String,
    pub percent: i64,
    #[serde(default)]
    pub focus: bool,
    #[serde(default)]
    pub description: String,
    /// 存在问题 of the latest report, when there is something to say.
    #[serde(default)]
    pub problems: String,
    pub milestones: Vec<SeedMilestone>,
    pub criteria: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedMilestone {
    pub title: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub done: bool,
}

use crate::domain::task::DEADLINE_GRACE_DAYS;

/// The demo's reports are filed up to this day, the eve of the 2022-07-29 专题调度会.
const LAST_REPORT_DAY: (i32, u32, u32) = (2022, 7, 25);

impl SeedFile {
    /// Parses and checks a seed file; every problem is reported, not just the first.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: SeedFile = toml::from_str(text).map_err(|e| format!("种子文件格式错误:{e}"))?;
        let problems = file.problems();
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The person of a unit with a role (`head`, `liaison`).
    fn person(&self, unit: &str, role: &str) -> Option<&SeedPerson> {
        self.people
            .iter()
            .find(|p| p.unit == unit && p.role == role)
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let unit_keys: HashSet<&str> = self.units.iter().map(|u| u.key.as_str()).collect();
        if unit_keys.len() != self.units.len() {
            out.push("单位 key 重复".to_owned());
        }
        for unit in &self.units {
            if !matches!(
                unit.kind.as_str(),
                "office" | "section" | "street" | "other"
            ) {
                out.push(format!("单位 {} 的类型 {} 无效", unit.key, unit.kind));
            }
            if let Some(parent) = &unit.parent
                && !unit_keys.contains(parent.as_str())
            {
                out.push(format!("单位 {} 的上级 {parent} 不存在", unit.key));
            }
        }
        let person_keys: HashSet<&str> = self.people.iter().map(|p| p.key.as_str()).collect();
        if person_keys.len() != self.people.len() {
            out.push("人员 key 重复".to_owned());
        }
        for person in &self.people {
            if !unit_keys.contains(person.unit.as_str()) {
                out.push(format!("人员 {} 的单位 {} 不存在", person.key, person.unit));
            }
            if !matches!(person.role.as_str(), "leader" | "head" | "liaison") {
                out.push(format!("人员 {} 的角色 {} 无效", person.key, person.role));
            }
        }
        for unit in &self.units {
            if let Some(leader) = &unit.leader
                && !self
                    .people
                    .iter()
                    .any(|p| &p.key == leader && p.role == "leader")
            {
                out.push(format!("单位 {} 的分管领导 {leader} 不存在", unit.key));
            }
        }
        for account in &self.accounts {
            let role = crate::domain::Role::parse(&account.role);
            let unit = account
                .unit
                .as_deref()
                .and_then(crate::domain::UnitId::parse);
            if account
                .unit
                .as_deref()
                .is_some_and(|u| !unit_keys.contains(u))
            {
                out.push(format!("账号 {} 的单位不存在", account.username));
            }
            match role {
                Some(role) => {
                    if let Err(e) = crate::server::auth::AccountInput::parse(
                        &account.username,
                        &account.name,
                        role,
                        unit,
                    ) {
                        out.push(format!("账号 {}:{e}", account.username));
                    }
                }
                None => out.push(format!(
                    "账号 {} 的角色 {} 无效",
                    account.username, account.role
                )),
            }
        }
        if PlanStatus::parse(&self.plan.status).is_none() {
            out.push(format!("清单状态 {} 无效", self.plan.status));
        }
        if !unit_keys.contains(self.plan.issuer.as_str()) {
            out.push(format!("发榜单位 {} 不存在", self.plan.issuer));
        }
        let year_start = NaiveDate::from_ymd_opt(self.plan.year, 1, 1);
        let latest = NaiveDate::from_ymd_opt(self.plan.year, 12, 31)
            .map(|d| d + chrono::Duration::days(DEADLINE_GRACE_DAYS));
        let mut numbers = HashSet::new();
        for task in &self.tasks {
            let n = task.number;
            if !numbers.insert(n) {
                out.push(format!("任务编号 {n} 重复"));
            }
            if let Err(e) = TaskTitle::parse(&task.title) {
                out.push(format!("任务 {n}:{e}"));
            }
            if !self.plan.categories.contains(&task.category) {
                out.push(format!("任务 {n}:类别 {} 不在清单类别中", task.category));
            }
            if TaskStatus::parse(&task.status).is_none() {
                out.push(format!("任务 {n}:状态 {} 无效", task.status));
            }
            if let Err(e) = Percent::parse(task.percent) {
                out.push(format!("任务 {n}:{e}"));
            }
            if let Some(lead) = &task.lead {
                for role in ["head", "liaison"] {
                    if self.person(lead, role).is_none() {
                        out.push(format!("任务 {n}:牵头单位 {lead} 没有{role}"));
                    }
                }
            }
            for key in task.lead.iter().chain(&task.co) {
                if !unit_keys.contains(key.as_str()) {
                    out.push(format!("任务 {n}:单位 {key} 不存在"));
                }
            }
            if year_start.is_some_and(|s| task.deadline < s)
                || latest.is_some_and(|l| task.deadline > l)
            {
                out.push(format!(
                    "任务 {n}:完成时限 {} 不在 {} 年度内",
                    task.deadline, self.plan.year
                ));
            }
            if task.criteria.iter().all(|c| c.trim().is_empty()) {
                out.push(format!("任务 {n}:至少需要一条验收标准"));
            }
            let mut previous: Option<NaiveDate> = None;
            for m in &task.milestones {
                if m.title.trim().is_empty() {
                    out.push(format!("任务 {n}:推进目标内容为空"));
                }
                if m.due > task.deadline {
                    out.push(format!("任务 {n}:推进目标日期 {} 晚于完成时限", m.due));
                }
                if previous.is_some_and(|p| m.due < p) {
                    out.push(format!("任务 {n}:推进目标须按日期排列"));
                }
                if m.due.year() < self.plan.year {
                    out.push(format!("任务 {n}:推进目标日期 {} 早于清单年度", m.due));
                }
                previous = Some(m.due);
            }
        }
        let mut sorted: Vec<u32> = numbers.into_iter().collect();
        sorted.sort_unstable();
        if sorted
            .iter()
            .copied()
            .ne(1..=u32::try_from(sorted.len()).unwrap_or(0))
        {
            out.push("任务编号须从 1 开始连续编号".to_owned());
        }
        out
    }
}

#[derive(Debug, SurrealValue)]
struct UnitInsert {
    id: RecordId,
    name: String,
    kind: String,
    parent: Option<RecordId>,
}

#[derive(Debug, SurrealValue)]
struct AccountInsert {
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    unit: Option<RecordId>,
}

#[derive(Debug, SurrealValue)]
struct PersonInsert {
    id: RecordId,
    name: String,
    unit: RecordId,
    post: String,
    phone: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct PlanInsert {
    id: RecordId,
    year: i64,
    title: String,
    issuer: RecordId,
    status: String,
    categories: Vec<String>,
}

#[derive(Debug, SurrealValue)]
struct MilestoneInsert {
    title: String,
    due: NaiveDate,
    done_on: Option<NaiveDate>,
}

#[derive(Debug, SurrealValue)]
struct CriterionInsert {
    text: String,
}

#[derive(Debug, SurrealValue)]
struct TaskInsert {
    id: RecordId,
    plan: RecordId,
    number: i64,
    title: String,
    category: String,
    description: String,
    lead_unit: Option<RecordId>,
    co_units: Vec<RecordId>,
    owner: Option<RecordId>,
    post: String,
    supervisor: Option<RecordId>,
    deadline: NaiveDate,
    milestones: Vec<MilestoneInsert>,
    criteria: Vec<CriterionInsert>,
    status: String,
    percent: i64,
    focus: bool,
}

#[derive(Debug, SurrealValue)]
struct ReportInsert {
    task: RecordId,
    author: String,
    at: DateTime<Utc>,
    percent: i64,
    done: String,
    problems: String,
    next_steps: String,
}

/// What a seed run inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub accounts: usize,
    pub units: usize,
    pub people: usize,
    pub tasks: usize,
    pub reports: usize,
}

/// Whether the database holds no plan yet.
pub async fn is_empty(db: &Db) -> Result<bool, AppError> {
    let ids: Vec<RecordId> = db
        .query("SELECT VALUE id FROM plan LIMIT 1")
        .await?
        .take(0)?;
    Ok(ids.is_empty())
}

/// 09:00 China Standard Time on `date`, as UTC.
fn morning(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(1, 0, 0)
        .map_or_else(Utc::now, |t| t.and_utc())
}

impl SeedFile {
    /// The demo's report history of one task: one report when each reached milestone was
    /// reached, and a latest one before the meeting with the task's current percent. Tasks not
    /// yet under way (open, claimed) have none.
    fn reports_for(&self, task: &SeedTask, id: &RecordId) -> Vec<ReportInsert> {
        let started = matches!(
            task.status.as_str(),
            "in_progress" | "submitted" | "accepted" | "returned"
        );
        let Some(author) = task.lead.as_deref().and_then(|l| self.person(l, "liaison")) else {
            return Vec::new();
        };
        if !started || task.percent == 0 {
            return Vec::new();
        }
        let last_day =
            NaiveDate::from_ymd_opt(LAST_REPORT_DAY.0, LAST_REPORT_DAY.1, LAST_REPORT_DAY.2)
                .unwrap_or(task.deadline);
        let reached: Vec<&SeedMilestone> = task.milestones.iter().filter(|m| m.done).collect();
        let next = task.milestones.iter().find(|m| !m.done);
        let next_steps = |after: usize| {
            task.milestones
                .iter()
                .filter(|m| !m.done)
                .chain(task.milestones.iter().filter(|m| m.done).skip(after))
                .next()
                .map(|m| format!("{}(目标日期 {})。", m.title, m.due))
                .unwrap_or_else(|| "做好验收准备,整理佐证材料。".to_owned())
        };
        let steps = reached.len() as i64 + 1;
        let mut reports: Vec<ReportInsert> = reached
            .iter()
            .enumerate()
            .filter(|(_, m)| m.due < last_day)
            .map(|(i, m)| ReportInsert {
                task: id.clone(),
                author: author.name.clone(),
                at: morning(m.due),
                percent: task.percent * (i as i64 + 1) / steps,
                done: format!("已完成“{}”。", m.title),
                problems: String::new(),
                next_steps: next_steps(i + 1),
            })
            .collect();
        let done = if reached.is_empty() {
            "完成前期调研和方案准备,各项工作有序推进。".to_owned()
        } else {
            format!(
                "截至7月下旬,已完成:{}。",
                reached
                    .iter()
                    .map(|m| m.title.as_str())
                    .collect::<Vec<_>>()
                    .join(";")
            )
        };
        reports.push(ReportInsert {
            task: id.clone(),
            author: author.name.clone(),
            at: morning(last_day),
            percent: task.percent,
            done,
            problems: task.problems.clone(),
            next_steps: next
                .map(|m| format!("{}(目标日期 {})。", m.title, m.due))
                .unwrap_or_else(|| "做好验收准备,整理佐证材料。".to_owned()),
        });
        reports
    }
}

/// Loads a seed file into an empty database in one transaction: all of it or nothing.
pub async fn load(db: &Db, file: &SeedFile) -> Result<SeedReport, AppError> {
    if !is_empty(db).await? {
        return Err(AppError::Invalid(
            "数据库中已有任务清单,演示数据只能载入空数据库".into(),
        ));
    }
    let unit = |key: &str| RecordId::new("unit", key);
    let person = |key: &str| RecordId::new("person", key);
    let plan_id = RecordId::new("plan", file.plan.key.as_str());
    let units: Vec<UnitInsert> = file
        .units
        .iter()
        .map(|u| UnitInsert {
            id: unit(&u.key),
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent: u.parent.as_deref().map(unit),
        })
        .collect();
    let people: Vec<PersonInsert> = file
        .people
        .iter()
        .map(|p| PersonInsert {
            id: person(&p.key),
            name: p.name.clone(),
            unit: unit(&p.unit),
            post: p.post.clone(),
            phone: p.phone.clone(),
        })
        .collect();
    // One salted hash per account: hashing is the slow part, so do it off the async workers.
    let specs: Vec<(String, String, String, Option<String>)> = file
        .accounts
        .iter()
        .map(|a| {
            (
                a.username.clone(),
                a.name.clone(),
                a.role.clone(),
                a.unit.clone(),
            )
        })
        .collect();
    let accounts: Vec<AccountInsert> = tokio::task::spawn_blocking(move || {
        specs
            .into_iter()
            .map(|(username, display_name, role, unit)| {
                Ok(AccountInsert {
                    username,
                    display_name,
                    password_hash: crate::server::auth::hash_password(DEMO_PASSWORD)?,
                    role,
                    unit: unit.map(|u| RecordId::new("unit", u)),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|_| AppError::Internal)??;
    let plan = PlanInsert {
        id: plan_id.clone(),
        year: i64::from(file.plan.year),
        title: file.plan.title.clone(),
        issuer: unit(&file.plan.issuer),
        status: file.plan.status.clone(),
        categories: file.plan.categories.clone(),
    };
    let mut tasks = Vec::with_capacity(file.tasks.len());
    let mut reports = Vec::new();
    for t in &file.tasks {
        let id = RecordId::new("task", format!("{}-{:02}", file.plan.key, t.number));
        let head = t.lead.as_deref().and_then(|l| file.person(l, "head"));
        let leader = t
            .lead
            .as_deref()
            .and_then(|l| file.units.iter().find(|u| u.key == l))
            .and_then(|u| u.leader.as_deref());
        reports.extend(file.reports_for(t, &id));
        tasks.push(TaskInsert {
            id,
            plan: plan_id.clone(),
            number: i64::from(t.number),
            title: t.title.trim().to_owned(),
            category: t.category.clone(),
            description: t.description.clone(),
            lead_unit: t.lead.as_deref().map(unit),
            co_units: t.co.iter().map(|k| unit(k)).collect(),
            owner: head.map(|h| person(&h.key)),
            post: head.map(|h| h.post.clone()).unwrap_or_default(),
            supervisor: leader.map(person),
            deadline: t.deadline,
            milestones: t
                .milestones
                .iter()
                .map(|m| MilestoneInsert {
                    title: m.title.clone(),
                    due: m.due,
                    done_on: m.done.then_some(m.due),
                })
                .collect(),
            criteria: t
                .criteria
                .iter()
                .map(|c| CriterionInsert { text: c.clone() })
                .collect(),
            status: t.status.clone(),
            percent: t.percent,
            focus: t.focus,
        });
    }
    let report = SeedReport {
        accounts: accounts.len(),
        units: units.len(),
        people: people.len(),
        tasks: tasks.len(),
        reports: reports.len(),
    };
    super::db::write::execute(
        db.query(
            "BEGIN TRANSACTION;
             INSERT INTO unit $units;
             INSERT INTO person $people;
             INSERT INTO account $accounts;
             INSERT INTO plan $plan;
             INSERT INTO task $tasks;
             INSERT INTO progress_report $reports;
             CREATE audit_event CONTENT {
                 actor: '系统', entity: $plan_id, action: 'seed', summary: $summary
             };
             COMMIT TRANSACTION;",
        )
        .bind(("units", units))
        .bind(("people", people))
        .bind(("accounts", accounts))
        .bind(("plan", plan))
        .bind(("plan_id", plan_id))
        .bind(("tasks", tasks))
        .bind(("reports", reports))
        .bind((
            "summary",
            format!(
                "载入演示数据:{} 个单位,{} 名人员,{} 项任务,{} 条进度填报",
                report.units, report.people, report.tasks, report.reports
            ),
        )),
    )
    .await?;
    tracing::info!(
        units = report.units,
        tasks = report.tasks,
        reports = report.reports,
        "demo plan loaded"
    );
    Ok(report)
}

/// Loads the compiled-in demo plan.
pub async fn load_demo(db: &Db) -> Result<SeedReport, AppError> {
    let file = SeedFile::parse(DEMO_TOML).map_err(|e| {
        tracing::error!(error = %e, "demo seed file is invalid");
        AppError::Internal
    })?;
    load(db, &file).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_file_is_valid_and_complete() {
        let file = SeedFile::parse(DEMO_TOML).expect("demo seed parses and validates");
        assert_eq!(file.tasks.len(), 40);
        assert_eq!(file.plan.year, 2022);
        let titles: Vec<&str> = file.tasks.iter().map(|t| t.title.as_str()).collect();
        for named in [
            "支部建在小区上",
            "两新党组织引领非公企业纾困解难",
            "流动课堂",
            "土洋社区“红色村”",
            "华大海洋",
            "流动党员教育管理指引",
            "三会一课",
            "一图全懂",
            "大工委",
            "双报到",
            "党群服务中心规范管理",
            "我为企业解难题",
            "微心愿",
            "安心行动",
        ] {
            assert!(
                titles.iter().any(|t| t.contains(named)),
                "missing task {named}"
            );
        }
        let community = &file.tasks[0];
        assert!(community.milestones.iter().any(|m| {
            m.due == NaiveDate::from_ymd_opt(2022, 8, 20).expect("date")
                && m.title.contains("6个试点小区")
        }));
        assert!(
            file.tasks
                .iter()
                .all(|t| !t.criteria.is_empty() && !t.milestones.is_empty())
        );
    }

    #[test]
    fn problems_are_reported() {
        let bad = DEMO_TOML
            .replacen("number = 2\n", "number = 1\n", 1)
            .replacen("percent = 45", "percent = 145", 1)
            .replacen("lead = \"lxk\"", "lead = \"nobody\"", 1);
        let err = SeedFile::parse(&bad).expect_err("invalid seed must be refused");
        assert!(err.contains("任务编号 1 重复"), "{err}");
        assert!(err.contains("0 到 100"), "{err}");
        assert!(err.contains("nobody"), "{err}");
    }

    #[test]
    fn milestone_after_deadline_is_refused() {
        let bad = DEMO_TOML.replacen("due = \"2022-12-31\" }", "due = \"2023-01-05\" }", 1);
        let err = SeedFile::parse(&bad).expect_err("refused");
        assert!(err.contains("晚于完成时限"), "{err}");
    }
}
