//! 积分 entries: proposed by the office, approved or declined once by a leader, each step with
//! its audit event.

use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::points::{Entry, EntryInput, Kind, Ledger, Status, balances, may_decide};
use crate::domain::policy::{Capability, UnitSight, authorize, unit_sight};
use crate::domain::score::Points;
use crate::domain::{Actor, CurrentUser, Entity, PlanId, PlanRef, Problem, UnitId};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

const FIELDS: &str = "id, unit, unit.name AS unit_name, kind, points, reason, on, proposed_by, \
     status, decided_by, decided_at, note, version";

#[derive(Debug, SurrealValue)]
struct EntryRow {
    id: RecordId,
    unit: RecordId,
    unit_name: Option<String>,
    kind: String,
    points: i64,
    reason: String,
    on: NaiveDate,
    proposed_by: String,
    status: String,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    note: String,
    version: i64,
}

impl EntryRow {
    fn into_domain(self) -> Result<Entry, AppError> {
        Ok(Entry {
            key: key_string(&self.id),
            unit: UnitId::parse(&key_string(&self.unit))
                .ok_or_else(|| corrupt("point_entry.unit", &self.unit))?,
            unit_name: self.unit_name.unwrap_or_default(),
            kind: Kind::parse(&self.kind).ok_or_else(|| corrupt("point_entry.kind", &self.kind))?,
            points: Points(self.points),
            reason: self.reason,
            on: self.on,
            proposed_by: self.proposed_by,
            status: Status::parse(&self.status)
                .ok_or_else(|| corrupt("point_entry.status", &self.status))?,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            note: self.note,
            version: u32::try_from(self.version)
                .map_err(|_| corrupt("point_entry.version", self.version))?,
        })
    }
}

/// Plan `plan`'s approved entries (they count in the ranking).
pub async fn approved(db: &Db, plan: &PlanId) -> Result<Vec<Entry>, AppError> {
    let rows: Vec<EntryRow> = db
        .query(format!(
            "SELECT {FIELDS} FROM point_entry WHERE plan = $plan AND status = 'approved'"
        ))
        .bind(("plan", record("plan", plan.as_str())))
        .await?
        .take(0)?;
    rows.into_iter().map(EntryRow::into_domain).collect()
}

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
}

/// Plan `plan`'s (`None`: the current plan's) 积分台账 as `user` may read it: every unit's for
/// the office, leaders and observers, a unit its own. One round trip.
pub async fn ledger(
    db: &Db,
    user: &CurrentUser,
    today: NaiveDate,
    plan: Option<&PlanId>,
) -> Result<Ledger, AppError> {
    let own = match unit_sight(user.role, user.unit.as_ref()) {
        UnitSight::Nothing => return Err(AppError::Forbidden),
        UnitSight::All => None,
        UnitSight::Own(unit) => Some(unit),
    };
    let mut response = db
        .query(format!(
            "{select}
             RETURN $plan;
             LET $p = $plan.id;
             SELECT {FIELDS} FROM point_entry
                 WHERE plan = $p AND ($unit = NONE OR unit = $unit) ORDER BY on DESC, proposed_at DESC;
             SELECT id, name FROM unit WHERE active = true AND kind != 'office' ORDER BY kind, name;",
            select = super::plans::board_plan_statement()
        ))
        .bind(("id", plan.map(|p| record("plan", p.as_str()))))
        .bind(("unit", own.as_ref().map(|u| record("unit", u.as_str()))))
        .await?;
    let plan: Option<super::plans::PlanRow> = response.take(1)?;
    let plan = plan
        .ok_or(AppError::NotFound(Entity::Plan))?
        .into_domain()?;
    let rows: Vec<EntryRow> = response.take(3)?;
    let units: Vec<UnitRow> = response.take(4)?;
    let entries = rows
        .into_iter()
        .map(EntryRow::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let may_propose = authorize(Some(user.role), Capability::ManageFindings).is_ok();
    Ok(Ledger {
        plan: PlanRef {
            id: plan.id,
            year: plan.year,
            title: plan.title,
        },
        today,
        balances: balances(&entries),
        entries,
        may_propose,
        may_decide: user.role == crate::domain::Role::Leader,
        units: if may_propose {
            units
                .into_iter()
                .map(|u| {
                    Ok((
                        UnitId::parse(&key_string(&u.id))
                            .ok_or_else(|| corrupt("unit.id", &u.id))?,
                        u.name,
                    ))
                })
                .collect::<Result<_, AppError>>()?
        } else {
            Vec::new()
        },
    })
}

#[derive(Debug, Clone, SurrealValue)]
struct NewEntry {
    plan: RecordId,
    unit: RecordId,
    kind: String,
    points: i64,
    reason: String,
    on: NaiveDate,
    proposed_by: String,
}

/// The office proposes an entry for a unit of plan `plan` (published, its year's day).
pub async fn propose(
    db: &Db,
    actor: &Actor,
    today: NaiveDate,
    plan: &PlanId,
    form: &crate::domain::points::EntryForm,
) -> Result<(), AppError> {
    #[derive(Debug, SurrealValue)]
    struct PlanYear {
        year: i64,
        status: String,
    }
    let mut check = db
        .query(
            "SELECT year, status FROM ONLY $plan;
             RETURN (SELECT VALUE active FROM ONLY $unit) ?? false;",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .bind((
            "unit",
            record(
                "unit",
                UnitId::parse(form.unit.trim()).map_or("", |_| form.unit.trim()),
            ),
        ))
        .await?;
    let found: Option<PlanYear> = check.take(0)?;
    let found = found
        .filter(|p| p.status != "draft")
        .ok_or(AppError::NotFound(Entity::Plan))?;
    let year = i32::try_from(found.year).map_err(|_| corrupt("plan.year", found.year))?;
    let input = EntryInput::parse(form, year, today)?;
    let active: Option<bool> = check.take(1)?;
    if active != Some(true) {
        return Err(AppError::field("points_unit", Problem::NoSuchRecord));
    }
    let content = NewEntry {
        plan: record("plan", plan.as_str()),
        unit: record("unit", input.unit.as_str()),
        kind: input.kind.code().to_owned(),
        points: input.points.0,
        reason: input.reason.clone(),
        on: input.on,
        proposed_by: actor.name.clone(),
    };
    let word = match input.kind {
        Kind::Award => "加分",
        Kind::Deduction => "减分",
    };
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $e = (CREATE ONLY point_entry CONTENT $c RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $c.proposed_by, entity: $e, action: 'points_proposed',
                 summary: string::concat('提出', $word, ' ', $shown, ' 分:', $c.reason)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("c", content.clone()))
        .bind(("word", word))
        .bind(("shown", input.points.to_string()))
    })
    .await?;
    Ok(())
}

/// A leader approves (`approve`) or declines entry `key` (as of `version`), with a note.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    key: &str,
    version: u32,
    approve: bool,
    note: &str,
) -> Result<(), AppError> {
    let note =
        crate::domain::fields::text(note, 0, 200).map_err(|p| AppError::field("points_note", p))?;
    if crate::domain::ids::PointEntryId::parse(key).is_none() {
        return Err(AppError::NotFound(Entity::Page));
    }
    let id = record("point_entry", key);
    let row: Option<EntryRow> = db
        .query(format!("SELECT {FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?
        .take(0)?;
    let entry = row.ok_or(AppError::NotFound(Entity::Page))?.into_domain()?;
    may_decide(actor, entry.status)?;
    if entry.version != version {
        return Err(AppError::Conflict);
    }
    let status = if approve {
        Status::Approved
    } else {
        Status::Declined
    };
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT * FROM ONLY $id);
             IF $before.version != $version OR $before.status != 'proposed' { THROW 'jiebang:conflict' };
             UPDATE $id SET status = $status, decided_by = $actor, decided_at = time::now(),
                 note = $note, version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $id, action: 'points_decided',
                 summary: string::concat($word, ':', $before.reason), before: $before,
                 after: (SELECT * FROM ONLY $id)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.clone()))
        .bind(("version", i64::from(version)))
        .bind(("status", status.code()))
        .bind(("word", if approve { "批准加减分" } else { "不予批准加减分" }))
        .bind(("note", note.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}
