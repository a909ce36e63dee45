//! Accounts (系统管理员 only).
// One argument per field of the plain form, and the macro's generated function cannot carry an
// `allow` of its own.
#![allow(clippy::too_many_arguments)]

use crate::domain::{AccountId, AccountSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Every account (never with a password hash).
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManageAccounts)?;
            db::accounts::list_accounts(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// The account fields of a form, checked by the domain.
#[cfg(feature = "ssr")]
fn account_input(
    username: String,
    display_name: String,
    role: String,
    unit: Option<String>,
    person: Option<String>,
) -> Result<crate::domain::AccountInput, AppError> {
    let form = crate::domain::AccountForm {
        username,
        display_name,
        role,
        unit: unit.unwrap_or_default(),
        person: person.unwrap_or_default(),
    };
    Ok(crate::domain::AccountInput::parse(&form)?)
}

/// Creates an account. `role` is a role code, `unit` a unit id or empty; the domain checks
/// them with the rest of the form.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(
    username: String,
    display_name: String,
    role: String,
    unit: Option<String>,
    password: String,
    #[server(default)] person: Option<String>,
) -> Result<AccountId, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageAccounts)?;
            let input = account_input(username, display_name, role, unit, person)?;
            db::accounts::create_account(
                &*state()?.db.get().await?,
                &admin.actor(),
                &input,
                &password,
            )
            .await
        }
        .await,
    )
}

/// Changes an account's name, role, unit or active flag (disabling ends its sessions).
#[server(prefix = "/api", endpoint = "update_account")]
pub async fn update_account(
    id: AccountId,
    version: u32,
    username: String,
    display_name: String,
    role: String,
    unit: Option<String>,
    active: bool,
    #[server(default)] person: Option<String>,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageAccounts)?;
            let input = account_input(username, display_name, role, unit, person)?;
            db::accounts::update_account(
                &*state()?.db.get().await?,
                &admin.actor(),
                &admin.id,
                &id,
                version,
                &input,
                active,
            )
            .await
        }
        .await,
    )
}

/// Sets a new password for an account and ends its sessions.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(id: AccountId, password: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageAccounts)?;
            db::accounts::reset_password(&*state()?.db.get().await?, &admin.actor(), &id, &password)
                .await
        }
        .await,
    )
}
