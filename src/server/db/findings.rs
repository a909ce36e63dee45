//! The 整改清单: items per plan, each with its append-only record. Every write checks the
//! version the writer saw and adds its audit event in the same transaction.

use super::acceptance::{ROUND_FIELDS, RoundRow};
use super::plans::PlanRow;
use super::reports::FileRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::policy::UnitSight;
use crate::domain::rectify::{
    Decision, Entry, EntryKind, Finding, FindingForm, FindingInput, FindingList, ProgressInput,
    Source, Status, TaskChoice, UnitChoice, Verdict, acceptance_problem, after_decision,
    after_report, light,
};
use crate::domain::report::EvidenceFile;
use crate::domain::{Actor, Entity, FindingId, PlanId, PlanRef, Problem, TaskId, UnitId};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

const FIELDS: &str = "id, number, problem, source, unit, unit.name AS unit_name, person, measures, \
     deadline, found_on, task, task.number AS task_number, task.title AS task_title, status, \
     returned, closed_on, version";

#[derive(Debug, SurrealValue)]
struct FindingRow {
    id: RecordId,
    number: i64,
    problem: String,
    source: String,
    unit: RecordId,
    unit_name: Option<String>,
    person: String,
    measures: String,
    deadline: NaiveDate,
    found_on: NaiveDate,
    task: Option<RecordId>,
    task_number: Option<i64>,
    task_title: Option<String>,
    status: String,
    returned: i64,
    closed_on: Option<NaiveDate>,
    version: i64,
}

impl FindingRow {
    fn into_domain(self, today: NaiveDate) -> Result<Finding, AppError> {
        let status =
            Status::parse(&self.status).ok_or_else(|| corrupt("finding.status", &self.status))?;
        let task = match (self.task, self.task_number, self.task_title) {
            (Some(id), Some(n), Some(title)) => Some((
                TaskId::parse(&key_string(&id)).ok_or_else(|| corrupt("finding.task", &id))?,
                u32::try_from(n).map_err(|_| corrupt("task.number", n))?,
                title,
            )),
            _ => None,
        };
        Ok(Finding {
            id: FindingId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("finding.id", &self.id))?,
            number: u32::try_from(self.number)
                .map_err(|_| corrupt("finding.number", self.number))?,
            problem: self.problem,
            source: Source::parse(&self.source)
                .ok_or_else(|| corrupt("finding.source", &self.source))?,
            unit: UnitId::parse(&key_string(&self.unit))
                .ok_or_else(|| corrupt("finding.unit", &self.unit))?,
            unit_name: self.unit_name.unwrap_or_default(),
            person: self.person,
            measures: self.measures,
            deadline: self.deadline,
            found_on: self.found_on,
            task,
            status,
            returned: u32::try_from(self.returned)
                .map_err(|_| corrupt("finding.returned", self.returned))?,
            closed_on: self.closed_on,
            version: u32::try_from(self.version)
                .map_err(|_| corrupt("finding.version", self.version))?,
            light: light(status, self.deadline, today),
        })
    }
}

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
}

#[derive(Debug, SurrealValue)]
struct TaskRow {
    id: RecordId,
    number: i64,
    title: String,
    lead_unit: Option<RecordId>,
}

#[derive(Debug, SurrealValue)]
struct EntryRow {
    n: i64,
    kind: String,
    text: String,
    files: Vec<FileRow>,
    by: String,
    at: DateTime<Utc>,
}

impl EntryRow {
    fn into_domain(self) -> Result<Entry, AppError> {
        Ok(Entry {
            n: u32::try_from(self.n).map_err(|_| corrupt("finding_entry.n", self.n))?,
            kind: EntryKind::parse(&self.kind)
                .ok_or_else(|| corrupt("finding_entry.kind", &self.kind))?,
            text: self.text,
            files: self
                .files
                .into_iter()
                .map(FileRow::into_domain)
                .collect::<Result<_, _>>()?,
            by: self.by,
            at: self.at,
        })
    }
}

fn unit_id(id: &RecordId) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt("unit.id", id))
}

fn plan_ref(plan: PlanRow) -> Result<PlanRef, AppError> {
    let plan = plan.into_domain()?;
    Ok(PlanRef {
        id: plan.id,
        year: plan.year,
        title: plan.title,
    })
}

/// Plan `plan`'s (`None`: the current plan's) 整改清单 as `user` may read it on `today`, with
/// what the office's form offers; `draft_from`: a task whose last failed acceptance drafts a
/// new item. One round trip (two with a draft).
pub async fn list(
    db: &Db,
    user: &crate::domain::CurrentUser,
    today: NaiveDate,
    plan: Option<&PlanId>,
    draft_from: Option<&TaskId>,
) -> Result<FindingList, AppError> {
    use crate::domain::policy::{Capability, authorize, unit_sight};
    let sight = unit_sight(user.role, user.unit.as_ref());
    let own = match &sight {
        UnitSight::Nothing => return Err(AppError::Forbidden),
        UnitSight::All => None,
        UnitSight::Own(unit) => Some(unit.clone()),
    };
    let may_manage = authorize(Some(user.role), Capability::ManageFindings).is_ok();
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             LET $p = $plan.id;
             SELECT {FIELDS} FROM finding
                 WHERE plan = $p AND ($unit = NONE OR unit = $unit) ORDER BY number;
             SELECT id, name FROM unit WHERE active = true ORDER BY name;
             SELECT id, number, title, lead_unit FROM task
                 WHERE plan = $p AND status != 'cancelled' ORDER BY number;",
            select = super::plans::board_plan_statement()
        ))
        .bind(("id", plan.map(|p| record("plan", p.as_str()))))
        .bind(("unit", own.as_ref().map(|u| record("unit", u.as_str()))))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let plan = plan_ref(plan.ok_or(AppError::NotFound(Entity::Plan))?)?;
    let rows: Vec<FindingRow> = response.take(3)?;
    let findings = rows
        .into_iter()
        .map(|r| r.into_domain(today))
        .collect::<Result<Vec<_>, _>>()?;
    let (units, tasks) = if may_manage {
        let units: Vec<UnitRow> = response.take(4)?;
        let tasks: Vec<TaskRow> = response.take(5)?;
        (
            units
                .into_iter()
                .map(|u| {
                    Ok(UnitChoice {
                        id: unit_id(&u.id)?,
                        name: u.name,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?,
            tasks
                .into_iter()
                .map(|t| {
                    Ok(TaskChoice {
                        id: TaskId::parse(&key_string(&t.id))
                            .ok_or_else(|| corrupt("task.id", &t.id))?,
                        number: u32::try_from(t.number)
                            .map_err(|_| corrupt("task.number", t.number))?,
                        title: t.title,
                        lead: t.lead_unit.as_ref().map(unit_id).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let draft = match (may_manage, draft_from) {
        (true, Some(task)) => draft(db, task, &plan.id).await?,
        _ => None,
    };
    Ok(FindingList {
        plan,
        today,
        findings,
        own_only: own.is_some(),
        may_manage,
        units,
        tasks,
        draft,
    })
}

#[derive(Debug, SurrealValue)]
struct DraftTaskRow {
    plan: RecordId,
    lead_unit: Option<RecordId>,
    owner_name: Option<String>,
}

/// A new item drafted from task `task`'s last failed acceptance (the criteria not met, their
/// notes, the 整改时限 it set); `None` if the task is not in `plan` or never failed one.
async fn draft(db: &Db, task: &TaskId, plan: &PlanId) -> Result<Option<FindingForm>, AppError> {
    let mut response = db
        .query(format!(
            "SELECT plan, lead_unit, owner.name AS owner_name FROM ONLY $task;
             SELECT {ROUND_FIELDS} FROM acceptance_round
                 WHERE task = $task AND passed = false ORDER BY round DESC LIMIT 1;"
        ))
        .bind(("task", record("task", task.as_str())))
        .await?;
    let row: Option<DraftTaskRow> = response.take(0)?;
    let rounds: Vec<RoundRow> = response.take(1)?;
    let (Some(row), Some(round)) = (row, rounds.into_iter().next()) else {
        return Ok(None);
    };
    if key_string(&row.plan) != plan.as_str() {
        return Ok(None);
    }
    let round = round.into_domain()?;
    let failed: Vec<String> = round
        .verdicts
        .iter()
        .filter(|(_, v)| !v.met)
        .map(|(text, v)| {
            if v.note.trim().is_empty() {
                text.clone()
            } else {
                format!("{text}({})", v.note.trim())
            }
        })
        .collect();
    Ok(Some(FindingForm {
        problem: acceptance_problem(&failed, ""),
        source: Source::Acceptance.code().to_owned(),
        unit: row.lead_unit.as_ref().map(key_string).unwrap_or_default(),
        person: row.owner_name.unwrap_or_default(),
        measures: String::new(),
        deadline: round
            .rectify_by
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        found_on: round.at.date_naive().format("%Y-%m-%d").to_string(),
        task: task.to_string(),
    }))
}

#[derive(Debug, SurrealValue)]
struct PlanRefRow {
    id: RecordId,
    year: i64,
    title: String,
}

/// Item `id` with its record, if `user` may read it.
pub async fn get(
    db: &Db,
    user: &crate::domain::CurrentUser,
    today: NaiveDate,
    id: &FindingId,
) -> Result<crate::domain::rectify::FindingView, AppError> {
    use crate::domain::policy::unit_sight;
    use crate::domain::rectify::{may_decide, may_report};
    let mut response = db
        .query(format!(
            "SELECT {FIELDS} FROM ONLY $id;
             SELECT id, year, title FROM ONLY (SELECT VALUE plan FROM ONLY $id);
             SELECT n, kind, text, files, by, at FROM finding_entry WHERE finding = $id ORDER BY n;"
        ))
        .bind(("id", record("finding", id.as_str())))
        .await?;
    let row: Option<FindingRow> = response.take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Finding))?;
    let plan: Option<PlanRefRow> = response.take(1)?;
    let plan = plan.ok_or_else(|| corrupt("finding.plan", id))?;
    let entries: Vec<EntryRow> = response.take(2)?;
    let plan = PlanRef {
        id: PlanId::parse(&key_string(&plan.id))
            .ok_or_else(|| corrupt("finding.plan", &plan.id))?,
        year: i32::try_from(plan.year).map_err(|_| corrupt("plan.year", plan.year))?,
        title: plan.title,
    };
    let finding = row.into_domain(today)?;
    match unit_sight(user.role, user.unit.as_ref()) {
        UnitSight::All => {}
        UnitSight::Own(unit) if unit == finding.unit => {}
        _ => return Err(AppError::Forbidden),
    }
    let actor = user.actor();
    let may_manage = crate::domain::policy::authorize(
        Some(user.role),
        crate::domain::policy::Capability::ManageFindings,
    )
    .is_ok();
    Ok(crate::domain::rectify::FindingView {
        plan,
        may_report: may_report(&actor, &finding.unit, finding.status).is_ok(),
        may_decide: may_manage && may_decide(finding.status).is_ok(),
        entries: entries
            .into_iter()
            .map(EntryRow::into_domain)
            .collect::<Result<_, _>>()?,
        finding,
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct NewFinding {
    plan: RecordId,
    problem: String,
    source: String,
    unit: RecordId,
    person: String,
    measures: String,
    deadline: NaiveDate,
    found_on: NaiveDate,
    task: Option<RecordId>,
    created_by: String,
    /// Its place among the items created together (the 序号 follows the list's last).
    offset: i64,
}

impl NewFinding {
    fn of(plan: &PlanId, input: &FindingInput, actor: &Actor, offset: usize) -> Self {
        Self {
            offset: i64::try_from(offset).unwrap_or(i64::MAX),
            plan: record("plan", plan.as_str()),
            problem: input.problem.clone(),
            source: input.source.code().to_owned(),
            unit: record("unit", input.unit.as_str()),
            person: input.person.clone(),
            measures: input.measures.clone(),
            deadline: input.deadline,
            found_on: input.found_on,
            task: input.task.as_ref().map(|t| record("task", t.as_str())),
            created_by: actor.name.clone(),
        }
    }
}

/// Creating items: the plan must be up, every unit active, every task of the plan.
const CREATE: &str = "
BEGIN TRANSACTION;
IF ((SELECT VALUE status FROM ONLY $plan) ?? 'draft') = 'draft' { THROW 'jiebang:not_found' };
IF array::len(SELECT id FROM unit WHERE id IN $units AND active = true) != array::len($units) {
    THROW 'jiebang:conflict'
};
LET $base = (SELECT VALUE number FROM finding WHERE plan = $plan ORDER BY number DESC LIMIT 1)[0] ?? 0;
FOR $c IN $items {
    LET $f = (CREATE ONLY finding CONTENT {
        plan: $c.plan, number: $base + $c.offset + 1, problem: $c.problem, source: $c.source,
        unit: $c.unit, person: $c.person, measures: $c.measures, deadline: $c.deadline,
        found_on: $c.found_on, task: $c.task, created_by: $c.created_by
    } RETURN id).id;
    CREATE audit_event CONTENT {
        actor: $actor, entity: $f, action: 'finding_created',
        summary: string::concat('列入整改清单:', $c.problem)
    };
};
RETURN $base;
COMMIT TRANSACTION;
";

/// Checks what items' ids name before writing: the plan (published; else not found), the
/// units (active), the tasks (of the plan). Returns each wrong one: the item's index and the
/// field.
pub async fn check_refs(
    db: &Db,
    plan: &PlanId,
    inputs: &[FindingInput],
) -> Result<Vec<(usize, &'static str)>, AppError> {
    let units: Vec<RecordId> = inputs
        .iter()
        .map(|i| record("unit", i.unit.as_str()))
        .collect();
    let tasks: Vec<RecordId> = inputs
        .iter()
        .filter_map(|i| i.task.as_ref().map(|t| record("task", t.as_str())))
        .collect();
    let mut response = db
        .query(
            "SELECT VALUE status FROM ONLY $plan;
             SELECT VALUE id FROM unit WHERE id IN $units AND active = true;
             SELECT VALUE id FROM task WHERE id IN $tasks AND plan = $plan;",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("units", units))
        .bind(("tasks", tasks))
        .await?;
    let status: Option<String> = response.take(0)?;
    if status.as_deref().is_none_or(|s| s == "draft") {
        return Err(AppError::NotFound(Entity::Plan));
    }
    let active: Vec<RecordId> = response.take(1)?;
    let of_plan: Vec<RecordId> = response.take(2)?;
    let active: std::collections::HashSet<String> = active.iter().map(key_string).collect();
    let of_plan: std::collections::HashSet<String> = of_plan.iter().map(key_string).collect();
    let mut wrong = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        if !active.contains(input.unit.as_str()) {
            wrong.push((i, "finding_unit"));
        }
        if input
            .task
            .as_ref()
            .is_some_and(|t| !of_plan.contains(t.as_str()))
        {
            wrong.push((i, "finding_task"));
        }
    }
    Ok(wrong)
}

/// Adds items to plan `plan`'s list, numbered after its last, each with its audit event, all
/// or none. Returns the first new 序号.
pub async fn create(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    inputs: &[FindingInput],
) -> Result<u32, AppError> {
    let items: Vec<NewFinding> = inputs
        .iter()
        .enumerate()
        .map(|(n, i)| NewFinding::of(plan, i, actor, n))
        .collect();
    let mut units: Vec<RecordId> = items.iter().map(|i| i.unit.clone()).collect();
    units.sort_by_key(key_string);
    units.dedup();
    let mut res = execute(|| {
        db.query(CREATE)
            .bind(("plan", record("plan", plan.as_str())))
            .bind(("units", units.clone()))
            .bind(("items", items.clone()))
            .bind(("actor", actor.name.clone()))
    })
    .await?;
    let base: Option<i64> = take_returned(&mut res)?;
    let base = base.ok_or(AppError::Internal)?;
    u32::try_from(base + 1).map_err(|_| corrupt("finding.number", base))
}

/// Checks and adds one item from the office's form; returns its id.
pub async fn create_one(
    db: &Db,
    actor: &Actor,
    today: NaiveDate,
    plan: &PlanId,
    form: &FindingForm,
) -> Result<FindingId, AppError> {
    let input = FindingInput::parse(form, today)?;
    let inputs = [input];
    if let Some((_, field)) = check_refs(db, plan, &inputs).await?.first() {
        return Err(AppError::field(field, Problem::NoSuchRecord));
    }
    let number = create(db, actor, plan, &inputs).await?;
    let id: Option<RecordId> = db
        .query("SELECT VALUE id FROM ONLY finding WHERE plan = $plan AND number = $n LIMIT 1")
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("n", i64::from(number)))
        .await?
        .take(0)?;
    let id = id.ok_or(AppError::Internal)?;
    FindingId::parse(&key_string(&id)).ok_or_else(|| corrupt("finding.id", &id))
}

#[derive(Debug, SurrealValue)]
struct StateRow {
    unit: RecordId,
    status: String,
    version: i64,
}

/// Where item `id` stands: its unit, status and version.
async fn state(db: &Db, id: &FindingId) -> Result<(UnitId, Status, u32), AppError> {
    let row: Option<StateRow> = db
        .query("SELECT unit, status, version FROM ONLY $id")
        .bind(("id", record("finding", id.as_str())))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::Finding))?;
    Ok((
        unit_id(&row.unit)?,
        Status::parse(&row.status).ok_or_else(|| corrupt("finding.status", &row.status))?,
        u32::try_from(row.version).map_err(|_| corrupt("finding.version", row.version))?,
    ))
}

#[derive(Debug, Clone, SurrealValue)]
struct Change {
    kind: String,
    text: String,
    files: Vec<FileRow>,
    status: String,
    returned: i64,
    closed_on: Option<NaiveDate>,
    action: String,
    summary: String,
}

const STEP: &str = "
BEGIN TRANSACTION;
LET $before = (SELECT * FROM ONLY $id);
IF $before.version != $version { THROW 'jiebang:conflict' };
LET $n = count(SELECT id FROM finding_entry WHERE finding = $id) + 1;
CREATE finding_entry CONTENT {
    finding: $id, n: $n, kind: $change.kind, text: $change.text, files: $change.files, by: $actor
};
UPDATE $id SET status = $change.status, returned += $change.returned,
    closed_on = $change.closed_on, version += 1;
LET $after = (SELECT * FROM ONLY $id);
CREATE audit_event CONTENT {
    actor: $actor, entity: $id, action: $change.action, summary: $change.summary,
    before: $before, after: $after
};
RETURN $after.version;
COMMIT TRANSACTION;
";

async fn step(
    db: &Db,
    actor: &Actor,
    id: &FindingId,
    version: u32,
    change: Change,
) -> Result<u32, AppError> {
    let mut res = execute(|| {
        db.query(STEP)
            .bind(("id", record("finding", id.as_str())))
            .bind(("version", i64::from(version)))
            .bind(("change", change.clone()))
            .bind(("actor", actor.name.clone()))
    })
    .await?;
    let v: Option<i64> = take_returned(&mut res)?;
    let v = v.ok_or(AppError::Internal)?;
    u32::try_from(v).map_err(|_| corrupt("finding.version", v))
}

/// The responsible unit's 整改进展 on item `id` (as of `version`), with its evidence files
/// already stored; asking for 销号 when `input.finished`. Returns the new status.
pub async fn report(
    db: &Db,
    actor: &Actor,
    id: &FindingId,
    version: u32,
    input: &ProgressInput,
    files: &[EvidenceFile],
) -> Result<Status, AppError> {
    let (unit, status, stored) = state(db, id).await?;
    crate::domain::rectify::may_report(actor, &unit, status)?;
    if stored != version {
        return Err(AppError::Conflict);
    }
    let next = after_report(status, input.finished);
    let (kind, action, word) = if input.finished {
        (EntryKind::Submit, "finding_submitted", "整改完成,申请销号:")
    } else {
        (EntryKind::Progress, "finding_progress", "报送整改进展:")
    };
    step(
        db,
        actor,
        id,
        version,
        Change {
            kind: kind.code().to_owned(),
            text: input.text.clone(),
            files: files.iter().map(FileRow::of).collect(),
            status: next.code().to_owned(),
            returned: 0,
            closed_on: None,
            action: action.to_owned(),
            summary: format!("{word}{}", input.text),
        },
    )
    .await?;
    Ok(next)
}

/// The office's 销号 or 退回重改 of item `id` (as of `version`) on `today`.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    today: NaiveDate,
    id: &FindingId,
    version: u32,
    decision: &Decision,
) -> Result<Status, AppError> {
    let (_, status, stored) = state(db, id).await?;
    crate::domain::rectify::may_decide(status)?;
    if stored != version {
        return Err(AppError::Conflict);
    }
    let next = after_decision(decision.verdict);
    let (kind, action, word, returned, closed_on) = match decision.verdict {
        Verdict::Close => (
            EntryKind::Close,
            "finding_closed",
            "整改销号",
            0,
            Some(today),
        ),
        Verdict::Return => (EntryKind::Return, "finding_returned", "退回重改", 1, None),
    };
    step(
        db,
        actor,
        id,
        version,
        Change {
            kind: kind.code().to_owned(),
            text: decision.note.clone(),
            files: Vec::new(),
            status: next.code().to_owned(),
            returned,
            closed_on,
            action: action.to_owned(),
            summary: if decision.note.is_empty() {
                word.to_owned()
            } else {
                format!("{word}:{}", decision.note)
            },
        },
    )
    .await?;
    Ok(next)
}

/// The `k`-th file of entry `n` of item `id`, if `reader` may read the item.
pub async fn entry_file(
    db: &Db,
    reader: &crate::domain::CurrentUser,
    id: &FindingId,
    n: u32,
    k: usize,
) -> Result<EvidenceFile, AppError> {
    use crate::domain::policy::unit_sight;
    #[derive(Debug, SurrealValue)]
    struct Row {
        unit: RecordId,
        files: Vec<FileRow>,
    }
    let row: Option<Row> = db
        .query(
            "SELECT finding.unit AS unit, files FROM ONLY finding_entry
                 WHERE finding = $id AND n = $n LIMIT 1",
        )
        .bind(("id", record("finding", id.as_str())))
        .bind(("n", i64::from(n)))
        .await?
        .take(0)?;
    let row = row.ok_or(AppError::NotFound(Entity::File))?;
    let unit = unit_id(&row.unit)?;
    match unit_sight(reader.role, reader.unit.as_ref()) {
        UnitSight::All => {}
        UnitSight::Own(own) if own == unit => {}
        _ => return Err(AppError::Forbidden),
    }
    row.files
        .into_iter()
        .nth(k)
        .ok_or(AppError::NotFound(Entity::File))?
        .into_domain()
}
