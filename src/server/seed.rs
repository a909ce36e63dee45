//! The demo plan (大鹏新区 2022 年度基层党建重点任务) and the loader that puts it into an empty
//! database. The data file is compiled in, so the binary can seed anywhere.

use super::db::accounts::AccountContent;
use super::db::people::{PersonContent, person_content};
use super::db::plans::{PlanContent, plan_content};
use super::db::tasks::KeyedTask;
use super::db::units::{UnitContent, unit_content};
use super::db::{Db, record};
use crate::domain::import::{Directory, parse_rows};
use crate::domain::light::LightSettings;
use crate::domain::{
    AccountForm, AccountInput, FieldError, Percent, PersonForm, PersonId, PersonInput, PlanForm,
    PlanId, PlanInput, PlanStatus, Refusal, TaskInput, TaskStatus, UnitForm, UnitId, UnitInput,
};
use crate::error::AppError;
use crate::ui::messages;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

/// The demo data file.
pub const DEMO_TOML: &str = include_str!("../../seeds/dapeng_2022.toml");
/// What happened to the demo plan in the weeks before 7-29 (claims, a 交办, an acceptance sent
/// back, a request, a 批示), loaded with it.
const DEMO_STORY: &str = include_str!("../../seeds/dapeng_2022_story.surql");

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
    /// The person (by key) the account is: a leader's, for 抄送分管领导.
    #[serde(default)]
    pub person: Option<String>,
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
    /// When it was reached, if before its due date (implies `done`).
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// 节点目标值: the percent the task should stand at by `due`.
    #[serde(default)]
    pub target: Option<u8>,
}

/// The seed's units and people by name, as an uploaded list is resolved.
struct SeedNames {
    units: HashMap<String, UnitId>,
    people: HashMap<String, PersonId>,
}

impl Directory for SeedNames {
    fn unit(&self, name: &str) -> Option<UnitId> {
        self.units.get(name).cloned()
    }
    fn person(&self, name: &str) -> Option<PersonId> {
        self.people.get(name).cloned()
    }
}

/// The demo's reports are filed up to this day, the eve of the 2022-07-29 专题调度会.
const LAST_REPORT_DAY: (i32, u32, u32) = (2022, 7, 25);

/// A seed file checked through the same domain parsers as user input: every record as it
/// will be stored.
struct Checked {
    units: Vec<(String, UnitInput)>,
    people: Vec<(String, PersonInput)>,
    accounts: Vec<AccountInput>,
    plan: PlanInput,
    status: PlanStatus,
    tasks: Vec<(TaskInput, TaskStatus, Percent)>,
}

impl SeedFile {
    /// Parses and checks a seed file; every problem is reported, not just the first.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: SeedFile = toml::from_str(text).map_err(|e| format!("种子文件格式错误:{e}"))?;
        file.check()
            .map(|_| file)
            .map_err(|problems| problems.join("\n"))
    }

    /// The person of a unit with a role (`head`, `liaison`).
    fn person(&self, unit: &str, role: &str) -> Option<&SeedPerson> {
        self.people
            .iter()
            .find(|p| p.unit == unit && p.role == role)
    }

    /// The task list as an office's spreadsheet holds it, written out as CSV: names, not keys;
    /// 推进目标 and 验收标准 one per line. 责任人 is the lead unit's head (with the head's post),
    /// 分管领导 the lead unit's leader.
    fn task_sheet(&self) -> Result<Vec<u8>, String> {
        let unit_name = |key: &str| {
            self.units
                .iter()
                .find(|u| u.key == key)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| key.to_owned())
        };
        let person_name = |key: &str| {
            self.people
                .iter()
                .find(|p| p.key == key)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| key.to_owned())
        };
        let mut csv = csv::Writer::from_writer(Vec::new());
        // The template's own columns, so the seed's sheet is the one an office would fill in.
        let header = crate::domain::import::template_headers();
        csv.write_record(header).map_err(|e| e.to_string())?;
        for t in &self.tasks {
            let head = t.lead.as_deref().and_then(|l| self.person(l, "head"));
            let leader = t
                .lead
                .as_deref()
                .and_then(|l| self.units.iter().find(|u| u.key == l))
                .and_then(|u| u.leader.as_deref())
                .map(person_name)
                .unwrap_or_default();
            let milestones = t
                .milestones
                .iter()
                .map(|m| {
                    let done = match (m.done_on, m.done) {
                        (Some(on), _) => format!("({on}完成)"),
                        (None, true) => format!("({}完成)", m.due),
                        (None, false) => String::new(),
                    };
                    let target = m.target.map(|t| format!("(目标{t}%)")).unwrap_or_default();
                    format!("{} {}{target}{done}", m.due, m.title)
                })
                .collect::<Vec<_>>()
                .join("\n");
            let co =
                t.co.iter()
                    .map(|k| unit_name(k))
                    .collect::<Vec<_>>()
                    .join("、");
            csv.write_record([
                t.number.to_string(),
                t.category.clone(),
                t.title.clone(),
                t.description.clone(),
                t.lead.as_deref().map(unit_name).unwrap_or_default(),
                co,
                head.map(|h| h.name.clone()).unwrap_or_default(),
                head.map(|h| h.post.clone()).unwrap_or_default(),
                leader,
                milestones,
                t.deadline.to_string(),
                t.criteria.join("\n"),
                String::new(), // 重中之重
            ])
            .map_err(|e| e.to_string())?;
        }
        csv.into_inner().map_err(|e| e.to_string())
    }

    /// The tasks through the import path an uploaded list takes: the sheet is read by
    /// `import::read_rows` and checked by `domain::import::parse_rows`, names resolved to the
    /// seed's keys.
    fn import_tasks(&self) -> Result<Vec<TaskInput>, Vec<String>> {
        let sheet = self
            .task_sheet()
            .map_err(|e| vec![format!("任务清单:{e}")])?;
        let rows = super::import::read_rows(&sheet)
            .map_err(|p| vec![messages::import_problem(&p)])?
            .rows;
        let directory = SeedNames {
            units: self
                .units
                .iter()
                .filter_map(|u| Some((u.name.clone(), UnitId::parse(&u.key)?)))
                .collect(),
            people: self
                .people
                .iter()
                .filter_map(|p| Some((p.name.clone(), PersonId::parse(&p.key)?)))
                .collect(),
        };
        let mut inputs = parse_rows(&rows, self.plan.year, &self.plan.categories, &directory)
            .map_err(|problems| {
                problems
                    .iter()
                    .map(messages::import_problem)
                    .collect::<Vec<_>>()
            })?;
        // 重点研究 belongs to a meeting, not to the list.
        for (input, t) in inputs.iter_mut().zip(&self.tasks) {
            input.focus = t.focus;
        }
        Ok(inputs)
    }

    /// Everything through the domain's parsers, plus what only a seed file can get wrong:
    /// references between its keys and the numbering.
    fn check(&self) -> Result<Checked, Vec<String>> {
        let mut out = Vec::new();
        let mut field_problems = |what: String, errors: Vec<FieldError>| {
            for e in errors {
                out.push(format!("{what}:{}", messages::field_error(&e)));
            }
        };
        let mut units = Vec::new();
        for u in &self.units {
            let form = UnitForm {
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent: u.parent.clone().unwrap_or_default(),
            };
            match UnitInput::parse(&form) {
                Ok(input) => units.push((u.key.clone(), input)),
                Err(e) => field_problems(format!("单位 {}", u.key), e),
            }
        }
        let mut people = Vec::new();
        for p in &self.people {
            let form = PersonForm {
                name: p.name.clone(),
                unit: p.unit.clone(),
                post: p.post.clone(),
                phone: p.phone.clone().unwrap_or_default(),
                email: String::new(),
            };
            match PersonInput::parse(&form) {
                Ok(input) => people.push((p.key.clone(), input)),
                Err(e) => field_problems(format!("人员 {}", p.key), e),
            }
        }
        let mut accounts = Vec::new();
        for a in &self.accounts {
            let form = AccountForm {
                username: a.username.clone(),
                display_name: a.name.clone(),
                role: a.role.clone(),
                unit: a.unit.clone().unwrap_or_default(),
                person: a.person.clone().unwrap_or_default(),
            };
            match AccountInput::parse(&form) {
                Ok(input) => accounts.push(input),
                Err(e) => field_problems(format!("账号 {}", a.username), e),
            }
        }
        let defaults = LightSettings::default();
        let plan_form = PlanForm {
            year: self.plan.year.to_string(),
            title: self.plan.title.clone(),
            issuer: self.plan.issuer.clone(),
            categories: self.plan.categories.clone(),
            yellow_behind: defaults.yellow_behind.to_string(),
            red_behind: defaults.red_behind.to_string(),
            due_soon_days: defaults.due_soon_days.to_string(),
            claim_from: String::new(),
            claim_to: String::new(),
            report_day: String::new(),
        };
        let plan = PlanInput::parse(&plan_form)
            .map_err(|e| field_problems("任务清单".to_owned(), e))
            .ok();
        let status = PlanStatus::parse(&self.plan.status);
        let mut tasks = Vec::new();
        // Where each task stands mid-year: checked whether or not the list itself imports.
        let standing: Vec<Option<(TaskStatus, Percent)>> = self
            .tasks
            .iter()
            .map(|t| {
                let percent = Percent::parse(t.percent)
                    .map_err(|p| {
                        field_problems(
                            format!("任务 {}", t.number),
                            vec![FieldError::new("percent", p)],
                        )
                    })
                    .ok();
                TaskStatus::parse(&t.status).zip(percent)
            })
            .collect();
        match self.import_tasks() {
            Ok(inputs) => {
                for (input, standing) in inputs.into_iter().zip(standing) {
                    if let Some((status, percent)) = standing {
                        tasks.push((input, status, percent));
                    }
                }
            }
            Err(problems) => out.extend(problems),
        }
        out.extend(self.reference_problems());
        match (plan, status) {
            (Some(plan), Some(status)) if out.is_empty() => Ok(Checked {
                units,
                people,
                accounts,
                plan,
                status,
                tasks,
            }),
            _ => {
                if status.is_none() {
                    out.push(format!("清单状态 {} 无效", self.plan.status));
                }
                Err(out)
            }
        }
    }

    /// Keys that name nothing, repeated keys and numbers, roles a seed file may use.
    fn reference_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let unit_keys: HashSet<&str> = self.units.iter().map(|u| u.key.as_str()).collect();
        if unit_keys.len() != self.units.len() {
            out.push("单位 key 重复".to_owned());
        }
        let unit_exists = |k: &str| unit_keys.contains(k);
        for unit in &self.units {
            if let Some(parent) = unit.parent.as_deref().filter(|p| !unit_exists(p)) {
                out.push(format!("单位 {} 的上级 {parent} 不存在", unit.key));
            }
            if let Some(leader) = &unit.leader
                && !self
                    .people
                    .iter()
                    .any(|p| &p.key == leader && p.role == "leader")
            {
                out.push(format!("单位 {} 的分管领导 {leader} 不存在", unit.key));
            }
        }
        let person_keys: HashSet<&str> = self.people.iter().map(|p| p.key.as_str()).collect();
        if person_keys.len() != self.people.len() {
            out.push("人员 key 重复".to_owned());
        }
        for person in &self.people {
            if !unit_exists(&person.unit) {
                out.push(format!("人员 {} 的单位 {} 不存在", person.key, person.unit));
            }
            if !matches!(person.role.as_str(), "leader" | "head" | "liaison") {
                out.push(format!("人员 {} 的角色 {} 无效", person.key, person.role));
            }
        }
        for account in &self.accounts {
            if account.unit.as_deref().is_some_and(|u| !unit_exists(u)) {
                out.push(format!("账号 {} 的单位不存在", account.username));
            }
        }
        if !unit_exists(&self.plan.issuer) {
            out.push(format!("发榜单位 {} 不存在", self.plan.issuer));
        }
        let mut numbers = HashSet::new();
        for task in &self.tasks {
            let n = task.number;
            if !numbers.insert(n) {
                out.push(format!("任务编号 {n} 重复"));
            }
            if TaskStatus::parse(&task.status).is_none() {
                out.push(format!("任务 {n}:状态 {} 无效", task.status));
            }
            if let Some(lead) = &task.lead {
                for role in ["head", "liaison"] {
                    if self.person(lead, role).is_none() {
                        out.push(format!("任务 {n}:牵头单位 {lead} 没有{role}"));
                    }
                }
            }
            for key in task.lead.iter().chain(&task.co) {
                if !unit_exists(key) {
                    out.push(format!("任务 {n}:单位 {key} 不存在"));
                }
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

#[derive(Debug, Clone, SurrealValue)]
struct UnitInsert {
    id: RecordId,
    #[surreal(flatten)]
    content: UnitContent,
}

#[derive(Debug, Clone, SurrealValue)]
struct PersonInsert {
    id: RecordId,
    #[surreal(flatten)]
    content: PersonContent,
}

#[derive(Debug, Clone, SurrealValue)]
struct AccountInsert {
    id: RecordId,
    #[surreal(flatten)]
    content: AccountContent,
}

#[derive(Debug, Clone, SurrealValue)]
struct CredentialInsert {
    id: RecordId,
    account: RecordId,
    password_hash: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct PlanInsert {
    id: RecordId,
    #[surreal(flatten)]
    content: PlanContent,
}

#[derive(Debug, Clone, SurrealValue)]
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
        // A finished task's last milestone report is its 100%; it reports no more after.
        let finished = task.status == "accepted";
        let steps = reached.len() as i64 + i64::from(!finished);
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
        if finished {
            return reports;
        }
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
    load_with_story(db, file, "").await
}

/// [`load`], with `story` (SurrealQL statements about the loaded records) run in the same
/// transaction.
async fn load_with_story(db: &Db, file: &SeedFile, story: &str) -> Result<SeedReport, AppError> {
    if !is_empty(db).await? {
        return Err(Refusal::NotEmpty.into());
    }
    let checked = file.check().map_err(|problems| {
        tracing::error!(problems = ?problems, "seed file is invalid");
        AppError::Internal
    })?;
    let units: Vec<UnitInsert> = checked
        .units
        .iter()
        .map(|(key, u)| UnitInsert {
            id: record("unit", key),
            content: unit_content(u, 1),
        })
        .collect();
    let people: Vec<PersonInsert> = checked
        .people
        .iter()
        .map(|(key, p)| PersonInsert {
            id: record("person", key),
            content: person_content(p, 1),
        })
        .collect();
    // One salted hash per account: hashing is the slow part, so do it off the async workers.
    let count = checked.accounts.len();
    let hashes: Vec<String> = tokio::task::spawn_blocking(move || {
        (0..count)
            .map(|_| super::auth::hash_password(DEMO_PASSWORD))
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|_| AppError::Internal)??;
    let mut accounts = Vec::with_capacity(count);
    let mut credentials = Vec::with_capacity(count);
    for (a, password_hash) in checked.accounts.iter().zip(hashes) {
        let id = record("account", a.username.as_str());
        credentials.push(CredentialInsert {
            id: record("credential", a.username.as_str()),
            account: id.clone(),
            password_hash,
        });
        accounts.push(AccountInsert {
            id,
            content: AccountContent::new(a, true, 1),
        });
    }
    let plan_key = PlanId::parse(&file.plan.key).ok_or(AppError::Internal)?;
    let plan_id = record("plan", plan_key.as_str());
    let plan = PlanInsert {
        id: plan_id.clone(),
        content: plan_content(&checked.plan, checked.status, 1),
    };
    let mut tasks = Vec::with_capacity(checked.tasks.len());
    let mut reports = Vec::new();
    for ((input, status, percent), seed_task) in checked.tasks.iter().zip(&file.tasks) {
        let task = KeyedTask::new(&plan_key, input, *status, *percent);
        reports.extend(file.reports_for(seed_task, &task.id));
        tasks.push(task);
    }
    let report = SeedReport {
        accounts: accounts.len(),
        units: units.len(),
        people: people.len(),
        tasks: tasks.len(),
        reports: reports.len(),
    };
    let summary = format!(
        "载入演示数据:{} 个单位,{} 名人员,{} 项任务,{} 条进度报送",
        report.units, report.people, report.tasks, report.reports
    );
    let query = format!(
        "BEGIN TRANSACTION;
             INSERT INTO unit $units;
             INSERT INTO person $people;
             INSERT INTO account $accounts;
             INSERT INTO credential $credentials;
             INSERT INTO plan $plan;
             INSERT INTO task $tasks;
             INSERT INTO progress_report $reports;
             CREATE audit_event CONTENT {{
                 actor: '系统', entity: $plan_id, action: 'seed', summary: $summary
             }};
             {story}
             COMMIT TRANSACTION;"
    );
    super::db::write::execute(|| {
        db.query(query.as_str())
            .bind(("units", units.clone()))
            .bind(("people", people.clone()))
            .bind(("accounts", accounts.clone()))
            .bind(("credentials", credentials.clone()))
            .bind(("plan", plan.clone()))
            .bind(("plan_id", plan_id.clone()))
            .bind(("tasks", tasks.clone()))
            .bind(("reports", reports.clone()))
            .bind(("summary", summary.clone()))
    })
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
    let report = load_with_story(db, &file, DEMO_STORY).await?;
    demo_meeting(db).await?;
    Ok(report)
}

/// Seed 003's 专题调度会 of 2022-07-29, held and its minutes published: every task judged by
/// how it stood that day, the two projects studied in depth with the seed's requirements, and
/// their 交办事项 — so a visitor finds finished minutes at once.
async fn demo_meeting(db: &Db) -> Result<(), AppError> {
    use super::db::meetings;
    use crate::domain::meeting::{
        ActionItemForm, MeetingForm, MeetingInput, MeetingStatus, RecordForm,
    };
    use crate::domain::{Actor, Light, MeetingId, PlanId, Role, TaskId, UnitId};
    let day = chrono::NaiveDate::from_ymd_opt(2022, 7, 29).ok_or(AppError::Internal)?;
    let office = Actor {
        name: "王芳".to_owned(),
        role: Role::Organizer,
        unit: UnitId::parse("zzk"),
    };
    let plan = PlanId::parse("dapeng-2022").ok_or(AppError::Internal)?;
    let input = MeetingInput::parse(&MeetingForm {
        title: "2022年基层党建重点任务专题调度会".to_owned(),
        date: "2022-07-29".to_owned(),
        time: "09:00".to_owned(),
        place: "新区组织人事局三楼会议室".to_owned(),
        host: "林晓华".to_owned(),
        attendees: "组织人事局相关科室负责同志,各街道党工委分管领导、党建办负责同志".to_owned(),
        observers: String::new(),
    })?;
    let id: MeetingId = meetings::create(db, &office, &plan, &input).await?;
    meetings::advance(db, &office, &id, 1, MeetingStatus::InProgress, day).await?;
    // 逐一分析研判: each task judged by how it stood that day.
    let view = meetings::view(db, &id, day).await?;
    let focus: [(&str, &str, &str); 2] = [
        (
            "dapeng-2022-01",
            "lagging",
            "8月20日前完成6个试点小区“小区党组织+业主委员会+物业服务企业”机制建设,年底前实现全区物业小区党的组织和工作全覆盖。",
        ),
        (
            "dapeng-2022-02",
            "difficulty",
            "重点关注小微企业融资难问题,落实“两稳一保”要求,推动两新党组织引领企业纾困解难。",
        ),
    ];
    for row in &view.rows {
        let (verdict, requirements) = match focus.iter().find(|(t, ..)| *t == row.task.id.as_str())
        {
            Some((_, v, r)) => ((*v).to_owned(), (*r).to_owned()),
            None => (
                match row.task.light {
                    Some(Light::Red) => "difficulty",
                    Some(Light::Yellow) => "lagging",
                    _ => "on_track",
                }
                .to_owned(),
                String::new(),
            ),
        };
        let form = RecordForm {
            verdict,
            requirements,
            deadline: String::new(),
        };
        meetings::record_task(db, &office, &id, &row.task.id, &form).await?;
    }
    let actions = [
        (
            "dapeng-2022-01",
            "kysd",
            "8月20日前完成坝光新村、金众云山栖两个试点小区机制建设",
        ),
        (
            "dapeng-2022-01",
            "dpsd",
            "8月20日前完成海语山林、东部明珠雅苑两个试点小区机制建设",
        ),
        (
            "dapeng-2022-01",
            "nasd",
            "8月20日前完成璞岸花园、枫浪山花园两个试点小区机制建设",
        ),
        (
            "dapeng-2022-02",
            "lxk",
            "9月30日前建立企业融资难问题清单,逐一对接金融机构",
        ),
    ];
    for (task, unit, content) in actions {
        let task = TaskId::parse(task).ok_or(AppError::Internal)?;
        let due = if unit == "lxk" {
            "2022-09-30"
        } else {
            "2022-08-20"
        };
        meetings::add_action(
            db,
            &office,
            &id,
            &task,
            &ActionItemForm {
                content: content.to_owned(),
                unit: unit.to_owned(),
                due: due.to_owned(),
            },
        )
        .await?;
    }
    meetings::advance(db, &office, &id, 2, MeetingStatus::Held, day).await?;
    meetings::publish_minutes(db, &office, &id, 3).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_file_is_valid_and_complete() {
        let file = SeedFile::parse(DEMO_TOML).expect("demo seed parses and validates");
        assert_eq!(file.tasks.len(), 42);
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
        // Task 1: the six pilot 小区 by 8-20, each its own milestone naming its 街道; full
        // coverage "在2022年12月前", i.e. by 11-30.
        let community = &file.tasks[0];
        let pilots = [
            "坝光新村",
            "金众云山栖",
            "海语山林",
            "璞岸花园",
            "东部明珠雅苑",
            "枫浪山花园",
        ];
        for pilot in pilots {
            let m: Vec<_> = community
                .milestones
                .iter()
                .filter(|m| m.title.contains(pilot))
                .collect();
            assert_eq!(m.len(), 1, "{pilot}");
            assert_eq!(
                m[0].due,
                NaiveDate::from_ymd_opt(2022, 8, 20).expect("date")
            );
            assert!(
                ["葵涌街道", "大鹏街道", "南澳街道"]
                    .iter()
                    .any(|street| m[0].title.contains(street)),
                "{pilot} names its 街道"
            );
        }
        assert!(community.milestones.iter().any(|m| {
            m.due == NaiveDate::from_ymd_opt(2022, 11, 30).expect("date")
                && m.title.contains("全覆盖")
        }));
        assert!(
            file.tasks
                .iter()
                .all(|t| !t.criteria.is_empty() && !t.milestones.is_empty())
        );
    }

    /// Seed 003 as a cadre reads it: on 7-29 all 40 tasks had been claimed and 挂牌 at the start
    /// of the year and were under way (only the two added in July still wait); the people are invented, not the
    /// article's reporter and correspondents, and their phone numbers cannot be dialled; a
    /// street's 分管领导 is its own 党工委副书记.
    #[test]
    fn the_demo_reads_as_the_office_would_have_it() {
        let file = SeedFile::parse(DEMO_TOML).expect("valid");
        let waiting: Vec<u32> = file
            .tasks
            .iter()
            .filter(|t| !matches!(t.status.as_str(), "in_progress" | "submitted" | "accepted"))
            .map(|t| t.number)
            .collect();
        // The 40 of January are under way; the two added in July wait (认领, 签收).
        assert_eq!(waiting, vec![41, 42], "tasks not under way on 7-29");
        for named in ["张丽", "徐建泉", "艾冰梅"] {
            assert!(file.people.iter().all(|p| p.name != named), "{named}");
        }
        for phone in file.people.iter().filter_map(|p| p.phone.as_deref()) {
            assert!(phone.starts_with("0755-0000-"), "{phone}");
        }
        for street in file.units.iter().filter(|u| u.kind == "street") {
            let leader = street
                .leader
                .as_deref()
                .and_then(|key| file.people.iter().find(|p| p.key == key))
                .expect("a street has a 分管领导");
            assert_eq!(leader.unit, street.key);
            assert!(leader.post.ends_with("党工委副书记"), "{}", leader.post);
        }
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

    /// Seed 003: the 7-29 meeting studied tasks 1 and 2 in depth (支部建在小区上; 两新党组织引领
    /// 非公企业纾困解难), no others.
    #[test]
    fn only_the_meetings_two_projects_are_in_depth_items() {
        let file = SeedFile::parse(DEMO_TOML).expect("valid");
        let focus: Vec<u32> = file
            .tasks
            .iter()
            .filter(|t| t.focus)
            .map(|t| t.number)
            .collect();
        assert_eq!(focus, vec![1, 2]);
    }

    #[test]
    fn milestone_after_deadline_is_refused() {
        let bad = DEMO_TOML.replacen("due = \"2022-12-31\" }", "due = \"2023-01-05\" }", 1);
        let err = SeedFile::parse(&bad).expect_err("refused");
        assert!(err.contains("晚于完成时限"), "{err}");
    }
}
