//! People (责任人, 联络员, 分管领导): create, list, update (with version check and audit).

use super::units::{get_unit, unit_id};
use super::write::{Versioned, create_audited, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record};
use crate::domain::policy::Capability;
use crate::domain::{Actor, Person, PersonId, PersonInput, Problem, UnitId};
use crate::error::AppError;
use crate::server::authz::require_actor;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, SurrealValue)]
struct PersonRow {
    id: RecordId,
    name: String,
    unit: RecordId,
    unit_name: Option<String>,
    post: String,
    phone: Option<String>,
    email: Option<String>,
    version: i64,
}

impl PersonRow {
    fn into_domain(self) -> Result<Person, AppError> {
        Ok(Person {
            id: PersonId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("person.id", &self.id))?,
            name: self.name,
            unit: unit_id(&self.unit)?,
            unit_name: self.unit_name.unwrap_or_default(),
            post: self.post,
            phone: self.phone,
            email: self.email,
            version: version(self.version)?,
        })
    }
}

/// A person's stored content.
pub(crate) fn person_content(input: &PersonInput, version: i64) -> PersonContent {
    PersonContent {
        name: input.name.as_str().to_owned(),
        unit: record("unit", input.unit.as_str()),
        post: input.post.clone(),
        phone: input.phone.as_ref().map(|p| p.as_str().to_owned()),
        email: input.email.as_ref().map(|e| e.as_str().to_owned()),
        version,
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct PersonContent {
    name: String,
    unit: RecordId,
    post: String,
    phone: Option<String>,
    email: Option<String>,
    version: i64,
}

const PERSON_FIELDS: &str = "id, name, unit, unit.name AS unit_name, post, phone, email, version";

/// People, optionally of one unit, by name.
pub async fn list_people(db: &Db, unit: Option<&UnitId>) -> Result<Vec<Person>, AppError> {
    let rows: Vec<PersonRow> = match unit {
        Some(u) => db
            .query(format!(
                "SELECT {PERSON_FIELDS} FROM person WHERE unit = $unit ORDER BY name"
            ))
            .bind(("unit", record("unit", u.as_str())))
            .await?
            .take(0)?,
        None => db
            .query(format!("SELECT {PERSON_FIELDS} FROM person ORDER BY name"))
            .await?
            .take(0)?,
    };
    rows.into_iter().map(PersonRow::into_domain).collect()
}

/// Creates a person.
pub async fn create_person(
    db: &Db,
    actor: &Actor,
    input: &PersonInput,
) -> Result<PersonId, AppError> {
    require_actor(actor, Capability::ManageOrganization)?;
    check_unit(db, input).await?;
    let key = create_audited(
        db,
        "person",
        person_content(input, 1),
        actor,
        format!("新建人员:{}", input.name.as_str()),
    )
    .await?;
    PersonId::parse(&key).ok_or(AppError::Internal)
}

/// Updates a person if nobody changed them since `version`; returns the new version.
pub async fn update_person(
    db: &Db,
    actor: &Actor,
    id: &PersonId,
    expected_version: u32,
    input: &PersonInput,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManageOrganization)?;
    check_unit(db, input).await?;
    update_versioned(
        db,
        actor,
        Versioned {
            id: record("person", id.as_str()),
            expected_version,
            content: person_content(input, next_version(expected_version)),
            action: "update",
            summary: format!("修改人员:{}", input.name.as_str()),
            also: None,
        },
    )
    .await
}

async fn check_unit(db: &Db, input: &PersonInput) -> Result<(), AppError> {
    if get_unit(db, &input.unit).await?.is_none() {
        return Err(AppError::field("unit", Problem::NoSuchRecord));
    }
    Ok(())
}

/// Checks that `owner` (a 责任人 named on a claim or a 交办) is a person of `unit`; the field
/// `owner` is refused as unknown otherwise.
/// The person's record if there is such a person; otherwise a `NoSuchRecord` error on `field`.
pub(crate) async fn existing(
    db: &Db,
    person: &PersonId,
    field: &str,
) -> Result<RecordId, AppError> {
    let person = record("person", person.as_str());
    let found: Option<RecordId> = db
        .query("SELECT VALUE id FROM ONLY $person")
        .bind(("person", person.clone()))
        .await?
        .take(0)?;
    found.ok_or_else(|| AppError::field(field, Problem::NoSuchRecord))
}

pub(crate) async fn check_member(
    db: &Db,
    owner: &PersonId,
    unit: &UnitId,
) -> Result<RecordId, AppError> {
    let owner = record("person", owner.as_str());
    let of: Option<RecordId> = db
        .query("SELECT VALUE unit FROM ONLY $owner")
        .bind(("owner", owner.clone()))
        .await?
        .take(0)?;
    if of != Some(record("unit", unit.as_str())) {
        return Err(AppError::field("owner", Problem::NoSuchRecord));
    }
    Ok(owner)
}
