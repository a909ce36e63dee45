//! Accounts (系统管理员 only).

use crate::domain::AccountSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Every account (never with its password hash).
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{auth, respond, state};
    respond(
        async {
            require(Action::ManageAccounts, Scope::Any)?;
            auth::list_accounts(&state()?.db).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn parse_input(
    username: &str,
    display_name: &str,
    role: &str,
    unit: Option<&str>,
) -> Result<crate::server::auth::AccountInput, AppError> {
    use crate::domain::{Role, UnitId};
    let role = Role::parse(role).ok_or_else(|| AppError::Invalid("角色无效".into()))?;
    let unit = match unit.filter(|u| !u.is_empty()) {
        Some(u) => {
            Some(UnitId::parse(u).ok_or_else(|| AppError::Invalid("所属单位不存在".into()))?)
        }
        None => None,
    };
    crate::server::auth::AccountInput::parse(username, display_name, role, unit)
}

/// Creates an account.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(
    username: String,
    display_name: String,
    role: String,
    unit: Option<String>,
    password: String,
) -> Result<String, AppError> {
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{auth, respond, state};
    respond(
        async {
            let admin = require(Action::ManageAccounts, Scope::Any)?;
            let input = parse_input(&username, &display_name, &role, unit.as_deref())?;
            let id = auth::create_account(&state()?.db, &admin.actor(), &input, &password).await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Changes an account's name, role, unit or active flag (disabling ends its sessions).
#[server(prefix = "/api", endpoint = "update_account")]
pub async fn update_account(
    id: String,
    version: u32,
    username: String,
    display_name: String,
    role: String,
    unit: Option<String>,
    active: bool,
) -> Result<u32, AppError> {
    use crate::domain::AccountId;
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{auth, respond, state};
    respond(
        async {
            let admin = require(Action::ManageAccounts, Scope::Any)?;
            let id = AccountId::parse(&id).ok_or_else(|| AppError::NotFound("该账号".into()))?;
            if id == admin.id && !active {
                return Err(AppError::Invalid("不能停用自己的账号".into()));
            }
            let input = parse_input(&username, &display_name, &role, unit.as_deref())?;
            auth::update_account(&state()?.db, &admin.actor(), &id, version, &input, active).await
        }
        .await,
    )
}

/// Sets a new password for an account and ends its sessions.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(id: String, password: String) -> Result<(), AppError> {
    use crate::domain::AccountId;
    use crate::server::authz::{Action, Scope, require};
    use crate::server::{auth, respond, state};
    respond(
        async {
            let admin = require(Action::ManageAccounts, Scope::Any)?;
            let id = AccountId::parse(&id).ok_or_else(|| AppError::NotFound("该账号".into()))?;
            auth::reset_password(&state()?.db, &admin.actor(), &id, &password).await
        }
        .await,
    )
}
