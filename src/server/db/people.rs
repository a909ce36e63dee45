//! People (责任人, 联络员, 分管领导): create, list, update (with version check and audit).

use super::units::{get_unit, unit_id};
use super::write::{create_audited, update_versioned, version};
use super::{Db, key_string};
use crate::domain::unit::{Email, PersonName, Phone, short_text};
use crate::domain::{Actor, Person, PersonId, UnitId};
use crate::error::AppError;
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
                .ok_or_else(|| super::plans::corrupt("person.id", &self.id))?,
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

/// A person as entered in a form, validated.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub name: PersonName,
    pub unit: UnitId,
    pub post: String,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
}

impl PersonInput {
    /// Validates raw form values.
    pub fn parse(
        name: &str,
        unit: UnitId,
        post: &str,
        phone: &str,
        email: &str,
    ) -> Result<Self, AppError> {
        let invalid = AppError::Invalid;
        let post = post.trim();
        Ok(Self {
            name: PersonName::parse(name).map_err(invalid)?,
            unit,
            post: if post.is_empty() {
                String::new()
            } else {
                short_text(post, "岗位", 60).map_err(invalid)?
            },
            phone: (!phone.trim().is_empty())
                .then(|| Phone::parse(phone))
                .transpose()
                .map_err(invalid)?,
            email: (!email.trim().is_empty())
                .then(|| Email::parse(email))
                .transpose()
                .map_err(invalid)?,
        })
    }

    fn content(&self, version: i64) -> PersonContent {
        PersonContent {
            name: self.name.as_str().to_owned(),
            unit: RecordId::new("unit", self.unit.as_str()),
            post: self.post.clone(),
            phone: self.phone.as_ref().map(|p| p.as_str().to_owned()),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()),
            version,
        }
    }
}

#[derive(Debug, SurrealValue)]
struct PersonContent {
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
            .bind(("unit", RecordId::new("unit", u.as_str())))
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
    if get_unit(db, &input.unit).await?.is_none() {
        return Err(AppError::Invalid("所属单位不存在".into()));
    }
    let key = create_audited(
        db,
        "person",
        input.content(1),
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
    if get_unit(db, &input.unit).await?.is_none() {
        return Err(AppError::Invalid("所属单位不存在".into()));
    }
    update_versioned(
        db,
        RecordId::new("person", id.as_str()),
        expected_version,
        input.content(i64::from(expected_version) + 1),
        actor,
        "update",
        format!("修改人员:{}", input.name.as_str()),
    )
    .await
}
