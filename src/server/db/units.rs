//! Organization units: create, list, update (with version check and audit).

use super::write::{Versioned, create_audited, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record};
use crate::domain::policy::Capability;
use crate::domain::{Actor, Problem, Refusal, Unit, UnitId, UnitInput, UnitKind};
use crate::error::AppError;
use crate::server::authz::require_actor;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
    kind: String,
    parent: Option<RecordId>,
    active: bool,
    version: i64,
    reports_direct: Option<bool>,
}

impl UnitRow {
    fn into_domain(self) -> Result<Unit, AppError> {
        Ok(Unit {
            id: unit_id(&self.id)?,
            kind: UnitKind::parse(&self.kind).ok_or_else(|| corrupt("unit.kind", &self.kind))?,
            name: self.name,
            parent: self.parent.as_ref().map(unit_id).transpose()?,
            active: self.active,
            version: version(self.version)?,
            reports_direct: self.reports_direct.unwrap_or(false),
        })
    }
}

pub(crate) fn unit_id(id: &RecordId) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt("unit.id", id))
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct UnitContent {
    name: String,
    kind: String,
    parent: Option<RecordId>,
    active: bool,
    version: i64,
}

/// A unit's stored content.
pub(crate) fn unit_content(input: &UnitInput, version: i64) -> UnitContent {
    UnitContent {
        name: input.name.as_str().to_owned(),
        kind: input.kind.code().to_owned(),
        parent: input.parent.as_ref().map(|p| record("unit", p.as_str())),
        active: input.active,
        version,
    }
}

const UNIT_FIELDS: &str = "id, name, kind, parent, active, version, reports_direct";

/// All units, parents before children (by name within a level is left to the caller).
pub async fn list_units(db: &Db) -> Result<Vec<Unit>, AppError> {
    let rows: Vec<UnitRow> = db
        .query(format!("SELECT {UNIT_FIELDS} FROM unit ORDER BY name"))
        .await?
        .take(0)?;
    rows.into_iter().map(UnitRow::into_domain).collect()
}

/// One unit.
pub async fn get_unit(db: &Db, id: &UnitId) -> Result<Option<Unit>, AppError> {
    let row: Option<UnitRow> = db
        .query(format!("SELECT {UNIT_FIELDS} FROM ONLY $id"))
        .bind(("id", record("unit", id.as_str())))
        .await?
        .take(0)?;
    row.map(UnitRow::into_domain).transpose()
}

/// Creates a unit.
pub async fn create_unit(db: &Db, actor: &Actor, input: &UnitInput) -> Result<UnitId, AppError> {
    require_actor(actor, Capability::ManageOrganization)?;
    check_parent(db, input.parent.as_ref()).await?;
    let key = create_audited(
        db,
        "unit",
        unit_content(input, 1),
        actor,
        format!("新建单位:{}", input.name.as_str()),
    )
    .await?;
    UnitId::parse(&key).ok_or(AppError::Internal)
}

/// Updates a unit if nobody changed it since `version`; returns the new version.
pub async fn update_unit(
    db: &Db,
    actor: &Actor,
    id: &UnitId,
    expected_version: u32,
    input: &UnitInput,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManageOrganization)?;
    if input.parent.as_ref() == Some(id) {
        return Err(Refusal::OwnParent.into());
    }
    check_parent(db, input.parent.as_ref()).await?;
    update_versioned(
        db,
        actor,
        Versioned {
            id: record("unit", id.as_str()),
            expected_version,
            content: unit_content(input, next_version(expected_version)),
            action: "update",
            summary: format!("修改单位:{}", input.name.as_str()),
            also: None,
        },
    )
    .await
}

async fn check_parent(db: &Db, parent: Option<&UnitId>) -> Result<(), AppError> {
    match parent {
        Some(p) if get_unit(db, p).await?.is_none() => {
            Err(AppError::field("parent", Problem::NoSuchRecord))
        }
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct ReportsDirectEdit {
    reports_direct: bool,
    version: i64,
}

/// Whether a unit's liaison reports go straight through (报送 without the head's review), set by
/// the unit's head or the office, from the version they saw.
pub async fn set_reports_direct(
    db: &Db,
    actor: &Actor,
    unit: &UnitId,
    expected_version: u32,
    on: bool,
) -> Result<u32, AppError> {
    crate::domain::policy::check_unit_settings(actor, unit)?;
    let summary = if on {
        "设置:联络员填报直接报送"
    } else {
        "设置:联络员填报须经单位负责人审核后报送"
    };
    super::write::update_versioned(
        db,
        actor,
        super::write::Versioned {
            id: record("unit", unit.as_str()),
            expected_version,
            content: ReportsDirectEdit {
                reports_direct: on,
                version: super::write::next_version(expected_version),
            },
            action: "update",
            summary: summary.to_owned(),
            also: None,
        },
    )
    .await
}
