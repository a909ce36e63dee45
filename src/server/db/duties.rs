//! 责任清单 and 述责: a plan's duties by level, each unit's statement (one per plan and unit,
//! rewritten by its head until the office's 评议, which freezes it), each write with its audit
//! event.

use super::plans::PlanRow;
use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::duty::{
    Duty, DutyBoard, DutyInput, Level, Rating, Statement, StatementLine, may_review, may_state,
};
use crate::domain::policy::{Capability, UnitSight, authorize, unit_sight};
use crate::domain::{Actor, CurrentUser, Entity, PlanId, PlanRef, Problem, TaskId, UnitId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct DutyRow {
    number: i64,
    level: String,
    holder: String,
    unit: Option<RecordId>,
    unit_name: Option<String>,
    content: String,
    tasks: Vec<DutyTaskRow>,
}

#[derive(Debug, SurrealValue)]
struct DutyTaskRow {
    id: RecordId,
    number: i64,
    title: String,
}

#[derive(Debug, SurrealValue)]
struct StatementRow {
    unit: RecordId,
    text: String,
    by: String,
    at: DateTime<Utc>,
    rating: Option<String>,
    note: String,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    version: i64,
}

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
}

fn unit_id(id: &RecordId) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt("unit.id", id))
}

impl StatementRow {
    fn into_domain(self, unit_name: String) -> Result<Statement, AppError> {
        Ok(Statement {
            unit: unit_id(&self.unit)?,
            unit_name,
            text: self.text,
            by: self.by,
            at: self.at,
            rating: self
                .rating
                .map(|r| Rating::parse(&r).ok_or_else(|| corrupt("statement.rating", &r)))
                .transpose()?,
            note: self.note,
            reviewed_by: self.reviewed_by,
            reviewed_at: self.reviewed_at,
            version: u32::try_from(self.version)
                .map_err(|_| corrupt("statement.version", self.version))?,
        })
    }
}

/// Plan `plan`'s (`None`: the current plan's) 责任清单 and 述责 as `user` may read them: every
/// duty; every unit's 述责 for the office, leaders and observers, a unit its own. One round trip.
pub async fn board(
    db: &Db,
    user: &CurrentUser,
    plan: Option<&PlanId>,
) -> Result<DutyBoard, AppError> {
    let sight = unit_sight(user.role, user.unit.as_ref());
    let own = match &sight {
        UnitSight::Nothing => return Err(AppError::Forbidden),
        UnitSight::All => None,
        UnitSight::Own(unit) => Some(unit.clone()),
    };
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             LET $p = $plan.id;
             SELECT number, level, holder, unit, unit.name AS unit_name, content,
                 (SELECT id, number, title FROM $parent.tasks ORDER BY number) AS tasks
                 FROM duty WHERE plan = $p ORDER BY level, number;
             SELECT id, name FROM unit
                 WHERE active = true AND kind != 'office' AND ($unit = NONE OR id = $unit)
                 ORDER BY kind, name;
             SELECT unit, text, by, at, rating, note, reviewed_by, reviewed_at, version
                 FROM statement WHERE plan = $p AND ($unit = NONE OR unit = $unit);",
            select = super::plans::board_plan_statement()
        ))
        .bind(("id", plan.map(|p| record("plan", p.as_str()))))
        .bind(("unit", own.as_ref().map(|u| record("unit", u.as_str()))))
        .await?;
    let plan: Option<PlanRow> = response.take(1)?;
    let plan = plan
        .ok_or(AppError::NotFound(Entity::Plan))?
        .into_domain()?;
    let duties: Vec<DutyRow> = response.take(3)?;
    let units: Vec<UnitRow> = response.take(4)?;
    let statements: Vec<StatementRow> = response.take(5)?;
    let mut duties = duties
        .into_iter()
        .map(|d| {
            Ok(Duty {
                number: u32::try_from(d.number).map_err(|_| corrupt("duty.number", d.number))?,
                level: Level::parse(&d.level).ok_or_else(|| corrupt("duty.level", &d.level))?,
                holder: d.holder,
                unit: match (d.unit, d.unit_name) {
                    (Some(id), Some(name)) => Some((unit_id(&id)?, name)),
                    _ => None,
                },
                content: d.content,
                tasks: d
                    .tasks
                    .into_iter()
                    .map(|t| {
                        Ok((
                            TaskId::parse(&key_string(&t.id))
                                .ok_or_else(|| corrupt("duty.tasks", &t.id))?,
                            u32::try_from(t.number)
                                .map_err(|_| corrupt("task.number", t.number))?,
                            t.title,
                        ))
                    })
                    .collect::<Result<_, AppError>>()?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    duties.sort_by_key(|d| (d.level, d.number));
    let mut by_unit: std::collections::HashMap<String, StatementRow> = statements
        .into_iter()
        .map(|s| (key_string(&s.unit), s))
        .collect();
    let mut lines = Vec::with_capacity(units.len());
    let mut choices = Vec::with_capacity(units.len());
    for u in units {
        let id = unit_id(&u.id)?;
        let statement = by_unit
            .remove(id.as_str())
            .map(|s| s.into_domain(u.name.clone()))
            .transpose()?;
        choices.push((id.clone(), u.name.clone()));
        lines.push(StatementLine {
            unit: id,
            unit_name: u.name,
            statement,
        });
    }
    let actor = user.actor();
    let may_state = actor
        .unit
        .clone()
        .filter(|unit| {
            let filed = lines
                .iter()
                .find(|l| l.unit == *unit)
                .and_then(|l| l.statement.as_ref());
            may_state(&actor, unit, filed).is_ok()
        })
        .filter(|unit| lines.iter().any(|l| l.unit == *unit));
    Ok(DutyBoard {
        plan: PlanRef {
            id: plan.id,
            year: plan.year,
            title: plan.title,
        },
        duties,
        statements: lines,
        own_only: own.is_some(),
        may_manage: authorize(Some(user.role), Capability::ManageFindings).is_ok(),
        may_state,
        units: choices,
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct NewDuty {
    plan: RecordId,
    level: String,
    holder: String,
    unit: Option<RecordId>,
    content: String,
    numbers: Vec<i64>,
    created_by: String,
}

/// Adds a duty to plan `plan`'s 责任清单 at its level's end; the task numbers must name tasks
/// of the plan, the unit an active unit.
pub async fn add(db: &Db, actor: &Actor, plan: &PlanId, input: &DutyInput) -> Result<(), AppError> {
    let content = NewDuty {
        plan: record("plan", plan.as_str()),
        level: input.level.code().to_owned(),
        holder: input.holder.clone(),
        unit: input.unit.as_ref().map(|u| record("unit", u.as_str())),
        content: input.content.clone(),
        numbers: input.tasks.iter().map(|n| i64::from(*n)).collect(),
        created_by: actor.name.clone(),
    };
    let mut check = db
        .query(
            "SELECT VALUE status FROM ONLY $plan;
             SELECT VALUE number FROM task WHERE plan = $plan AND number IN $numbers;
             IF $unit { (SELECT VALUE active FROM ONLY $unit) ?? false } ELSE { true };",
        )
        .bind(("plan", content.plan.clone()))
        .bind(("numbers", content.numbers.clone()))
        .bind(("unit", content.unit.clone()))
        .await?;
    let status: Option<String> = check.take(0)?;
    if status.as_deref().is_none_or(|s| s == "draft") {
        return Err(AppError::NotFound(Entity::Plan));
    }
    let found: Vec<i64> = check.take(1)?;
    if found.len() != content.numbers.len() {
        return Err(AppError::field("duty_tasks", Problem::NoSuchRecord));
    }
    let unit_ok: Option<bool> = check.take(2)?;
    if unit_ok != Some(true) {
        return Err(AppError::field("duty_unit", Problem::NoSuchRecord));
    }
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $n = ((SELECT VALUE number FROM duty WHERE plan = $c.plan AND level = $c.level
                 ORDER BY number DESC LIMIT 1)[0] ?? 0) + 1;
             LET $d = (CREATE ONLY duty CONTENT {
                 plan: $c.plan, level: $c.level, number: $n, holder: $c.holder, unit: $c.unit,
                 content: $c.content, created_by: $c.created_by,
                 tasks: (SELECT VALUE id FROM task WHERE plan = $c.plan AND number IN $c.numbers)
             } RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $c.created_by, entity: $d, action: 'duty_added',
                 summary: string::concat('列入责任清单:', $c.holder, ' ', $c.content)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("c", content.clone()))
    })
    .await?;
    Ok(())
}

async fn filed(db: &Db, plan: &PlanId, unit: &UnitId) -> Result<Option<Statement>, AppError> {
    let row: Option<StatementRow> = db
        .query(
            "SELECT unit, text, by, at, rating, note, reviewed_by, reviewed_at, version
                 FROM ONLY statement WHERE plan = $plan AND unit = $unit LIMIT 1",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("unit", record("unit", unit.as_str())))
        .await?
        .take(0)?;
    row.map(|r| r.into_domain(String::new())).transpose()
}

fn statement_id(plan: &PlanId, unit: &UnitId) -> RecordId {
    record("statement", &format!("{plan}-{unit}"))
}

/// The head files (or rewrites) the unit's 述责 for plan `plan`, over `version` (0: none yet).
pub async fn state(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    version: u32,
    text: &str,
) -> Result<u32, AppError> {
    let unit = actor.unit.clone().ok_or(crate::domain::Refusal::NoUnit)?;
    let stored = filed(db, plan, &unit).await?;
    may_state(actor, &unit, stored.as_ref())?;
    if stored.as_ref().map_or(0, |s| s.version) != version {
        return Err(AppError::Conflict);
    }
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF ((SELECT VALUE status FROM ONLY $plan) ?? 'draft') = 'draft' { THROW 'jiebang:not_found' };
             LET $before = (SELECT * FROM ONLY $id);
             IF ($before.version ?? 0) != $version OR $before.rating != NONE { THROW 'jiebang:conflict' };
             UPSERT $id MERGE {
                 plan: $plan, unit: $unit, text: $text, by: $actor, at: time::now(),
                 version: $version + 1
             };
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $id, action: 'statement_filed',
                 summary: '提交述责报告', before: $before, after: (SELECT * FROM ONLY $id)
             };
             RETURN $version + 1;
             COMMIT TRANSACTION;",
        )
        .bind(("id", statement_id(plan, &unit)))
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("unit", record("unit", unit.as_str())))
        .bind(("version", i64::from(version)))
        .bind(("text", text.to_owned()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    let v: Option<i64> = super::take_returned(&mut res)?;
    let v = v.ok_or(AppError::Internal)?;
    u32::try_from(v).map_err(|_| corrupt("statement.version", v))
}

/// The office's 评议 of unit `unit`'s 述责 (as of `version`): final once given.
pub async fn review(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    unit: &UnitId,
    version: u32,
    (rating, note): (Rating, &str),
) -> Result<(), AppError> {
    let stored = filed(db, plan, unit).await?;
    may_review(stored.as_ref())?;
    if stored.as_ref().map_or(0, |s| s.version) != version {
        return Err(AppError::Conflict);
    }
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT * FROM ONLY $id);
             IF $before.version != $version OR $before.rating != NONE { THROW 'jiebang:conflict' };
             UPDATE $id SET rating = $rating, note = $note, reviewed_by = $actor,
                 reviewed_at = time::now(), version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $id, action: 'statement_reviewed',
                 summary: string::concat('述责评议:', $word), before: $before,
                 after: (SELECT * FROM ONLY $id)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("id", statement_id(plan, unit)))
        .bind(("version", i64::from(version)))
        .bind(("rating", rating.code()))
        .bind(("word", crate::ui::messages::rating(rating)))
        .bind(("note", note.to_owned()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}
