//! Units (单位) and people (人员).

use crate::domain::{Person, Unit};
use crate::error::AppError;
use leptos::prelude::*;

/// Every unit.
#[server(prefix = "/api", endpoint = "list_units")]
pub async fn list_units() -> Result<Vec<Unit>, AppError> {
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{db, respond, state};
    respond(
        async {
            require(Action::Read, Scope::Any)?;
            db::units::list_units(&state()?.db).await
        }
        .await,
    )
}

/// Every person, or those of one unit.
#[server(prefix = "/api", endpoint = "list_people")]
pub async fn list_people(unit: Option<String>) -> Result<Vec<Person>, AppError> {
    use crate::domain::UnitId;
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{db, respond, state};
    respond(
        async {
            require(Action::Read, Scope::Any)?;
            let unit = match unit.as_deref().filter(|u| !u.is_empty()) {
                Some(u) => {
                    Some(UnitId::parse(u).ok_or_else(|| AppError::NotFound("该单位".into()))?)
                }
                None => None,
            };
            db::people::list_people(&state()?.db, unit.as_ref()).await
        }
        .await,
    )
}

/// Adds a unit (组织人事局 only).
#[server(prefix = "/api", endpoint = "create_unit")]
pub async fn create_unit(
    name: String,
    kind: String,
    parent: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::unit::UnitName;
    use crate::domain::{UnitId, UnitKind};
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{db, respond, state};
    respond(
        async {
            let user = require(Action::ManageOrganization, Scope::Any)?;
            let input = db::units::UnitInput {
                name: UnitName::parse(&name).map_err(AppError::Invalid)?,
                kind: UnitKind::parse(&kind)
                    .ok_or_else(|| AppError::Invalid("单位类型无效".into()))?,
                parent: match parent.as_deref().filter(|p| !p.is_empty()) {
                    Some(p) => Some(
                        UnitId::parse(p)
                            .ok_or_else(|| AppError::Invalid("上级单位不存在".into()))?,
                    ),
                    None => None,
                },
                active: true,
            };
            let id = db::units::create_unit(&state()?.db, &user.actor(), &input).await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Adds a person to a unit (组织人事局 only).
#[server(prefix = "/api", endpoint = "create_person")]
pub async fn create_person(
    name: String,
    unit: String,
    post: String,
    phone: String,
    email: String,
) -> Result<String, AppError> {
    use crate::domain::UnitId;
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{db, respond, state};
    respond(
        async {
            let user = require(Action::ManageOrganization, Scope::Any)?;
            let unit =
                UnitId::parse(&unit).ok_or_else(|| AppError::Invalid("所属单位不存在".into()))?;
            let input = db::people::PersonInput::parse(&name, unit, &post, &phone, &email)?;
            let id = db::people::create_person(&state()?.db, &user.actor(), &input).await?;
            Ok(id.to_string())
        }
        .await,
    )
}
