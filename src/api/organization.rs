//! Units (单位) and people (人员).

use crate::domain::{Person, Unit, UnitId};
use crate::error::AppError;
use leptos::prelude::*;

/// Every unit and every person, as the forms that name them choose from: both at once.
pub async fn get_directory() -> Result<(Vec<Unit>, Vec<Person>), AppError> {
    futures::try_join!(list_units(), list_people(None))
}

/// Every unit.
#[server(prefix = "/api", endpoint = "list_units")]
pub async fn list_units() -> Result<Vec<Unit>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            db::units::list_units(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// Every person, or those of one unit.
#[server(prefix = "/api", endpoint = "list_people")]
pub async fn list_people(unit: Option<UnitId>) -> Result<Vec<Person>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            db::people::list_people(&*state()?.db.get().await?, unit.as_ref()).await
        }
        .await,
    )
}

/// Adds a unit (督办管理员 only). `kind` is a unit-kind code, `parent` a unit id or empty.
#[server(prefix = "/api", endpoint = "create_unit")]
pub async fn create_unit(
    name: String,
    kind: String,
    parent: Option<String>,
) -> Result<UnitId, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{UnitForm, UnitInput};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManageOrganization)?;
            let form = UnitForm {
                name,
                kind,
                parent: parent.unwrap_or_default(),
            };
            let input = UnitInput::parse(&form)?;
            db::units::create_unit(&*state()?.db.get().await?, &user.actor(), &input).await
        }
        .await,
    )
}

/// Adds a person to a unit (督办管理员 only).
#[server(prefix = "/api", endpoint = "create_person")]
pub async fn create_person(
    name: String,
    unit: String,
    post: String,
    phone: String,
    email: String,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{PersonForm, PersonInput};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManageOrganization)?;
            let form = PersonForm {
                name,
                unit,
                post,
                phone,
                email,
            };
            let input = PersonInput::parse(&form)?;
            let id = db::people::create_person(&*state()?.db.get().await?, &user.actor(), &input)
                .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Sets whether a unit's liaison reports go straight through (`on` present) or wait for the
/// head's review (absent), from the version the user saw. The unit's head or the office.
#[server(prefix = "/api", endpoint = "set_reports_direct")]
pub async fn set_reports_direct(
    unit: UnitId,
    version: u32,
    #[server(default)] on: Option<String>,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let on = on.is_some_and(|v| !v.is_empty() && v != "false");
            db::units::set_reports_direct(
                &*state()?.db.get().await?,
                &user.actor(),
                &unit,
                version,
                on,
            )
            .await
        }
        .await,
    )
}
