//! Accounts and their credentials. Password hashes live in `credential`, apart from the
//! account record, so neither a read of accounts nor an audit event about one can carry a hash.

use super::write::{Versioned, execute, missing, next_version, update_versioned, version};
use super::{Db, corrupt, key_string, record, take_returned};
use crate::domain::auth::check_new_password;
use crate::domain::policy::Capability;
use crate::domain::{
    AccountId, AccountInput, AccountSummary, Actor, CurrentUser, Entity, Problem, Refusal, Role,
};
use crate::error::AppError;
use crate::server::auth::hash_password;
use crate::server::authz::require_actor;
use crate::ui::messages;
use surrealdb::types::{RecordId, SurrealValue};

/// The projection accounts are read with.
pub(crate) const ACCOUNT_FIELDS: &str =
    "id, username, display_name, role, unit, unit.name AS unit_name, person, active, version";

#[derive(Debug, SurrealValue)]
pub(crate) struct AccountRow {
    id: RecordId,
    username: String,
    display_name: String,
    role: String,
    unit: Option<RecordId>,
    unit_name: Option<String>,
    person: Option<RecordId>,
    pub(crate) active: bool,
    version: i64,
}

impl AccountRow {
    pub(crate) fn current_user(&self) -> Result<CurrentUser, AppError> {
        Ok(CurrentUser {
            id: AccountId::parse(&key_string(&self.id))
                .ok_or_else(|| corrupt("account.id", &self.id))?,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: Role::parse(&self.role).ok_or_else(|| corrupt("account.role", &self.role))?,
            unit: self.unit.as_ref().map(super::units::unit_id).transpose()?,
            unit_name: self.unit_name.clone(),
            person: self
                .person
                .as_ref()
                .map(|p| {
                    crate::domain::PersonId::parse(&key_string(p))
                        .ok_or_else(|| corrupt("account.person", p))
                })
                .transpose()?,
        })
    }

    fn summary(&self) -> Result<AccountSummary, AppError> {
        let user = self.current_user()?;
        Ok(AccountSummary {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            unit: user.unit,
            unit_name: user.unit_name,
            person: user.person,
            active: self.active,
            version: version(self.version)?,
        })
    }
}

/// An account found by name for signing in, with its hash (which never leaves the server).
pub(crate) struct SignInAccount {
    pub(crate) user: CurrentUser,
    pub(crate) active: bool,
    pub(crate) password_hash: String,
}

/// The account of a (normalised) user name and its hash, in one round trip.
pub(crate) async fn for_sign_in(
    db: &Db,
    username: &str,
) -> Result<Option<SignInAccount>, AppError> {
    let mut res = db
        .query(format!(
            "LET $a = (SELECT {ACCOUNT_FIELDS} FROM account WHERE username = $name LIMIT 1)[0];
             RETURN $a;
             SELECT VALUE password_hash FROM credential WHERE account = $a.id;"
        ))
        .bind(("name", username.to_owned()))
        .await?;
    let row: Option<AccountRow> = res.take(1)?;
    let hash: Vec<String> = res.take(2)?;
    match (row, hash.into_iter().next()) {
        (Some(row), Some(password_hash)) => Ok(Some(SignInAccount {
            user: row.current_user()?,
            active: row.active,
            password_hash,
        })),
        _ => Ok(None),
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct AccountContent {
    username: String,
    display_name: String,
    role: String,
    unit: Option<RecordId>,
    person: Option<RecordId>,
    active: bool,
    version: i64,
}

impl AccountContent {
    pub(crate) fn new(input: &AccountInput, active: bool, version: i64) -> Self {
        Self {
            username: input.username.as_str().to_owned(),
            display_name: input.display_name.clone(),
            role: input.role.code().to_owned(),
            unit: input.unit.as_ref().map(|u| record("unit", u.as_str())),
            person: input.person.as_ref().map(|p| record("person", p.as_str())),
            active,
            version,
        }
    }
}

/// The unit of a unit role, and the person an account is linked to, must exist.
async fn check_unit(db: &Db, input: &AccountInput) -> Result<(), AppError> {
    if let Some(unit) = &input.unit
        && super::units::get_unit(db, unit).await?.is_none()
    {
        return Err(AppError::field("unit", Problem::NoSuchRecord));
    }
    if let Some(person) = &input.person {
        let found: Option<RecordId> = db
            .query("SELECT VALUE id FROM ONLY $person")
            .bind(("person", record("person", person.as_str())))
            .await?
            .take(0)?;
        if found.is_none() {
            return Err(AppError::field("person", Problem::NoSuchRecord));
        }
    }
    Ok(())
}

/// Replaces an account's credential and ends its sessions.
const SET_CREDENTIAL: &str = "
BEGIN TRANSACTION;
IF !(SELECT id FROM ONLY $account) { THROW 'jiebang:not_found' };
UPSERT type::record('credential', record::id($account)) SET account = $account, password_hash = $hash;
DELETE session WHERE account = $account;
CREATE audit_event CONTENT { actor: $actor, entity: $account, action: 'set_password', summary: $summary };
COMMIT TRANSACTION;
";

/// An account, its credential and its audit event, in one transaction.
const CREATE_ACCOUNT: &str = "
BEGIN TRANSACTION;
LET $after = (CREATE ONLY account CONTENT $content RETURN AFTER);
CREATE type::record('credential', record::id($after.id)) SET account = $after.id, password_hash = $hash;
CREATE audit_event CONTENT {
    actor: $actor, entity: $after.id, action: 'create', summary: $summary, after: $after
};
RETURN $after.id;
COMMIT TRANSACTION;
";

/// Creates an account with a password.
pub async fn create_account(
    db: &Db,
    actor: &Actor,
    input: &AccountInput,
    password: &str,
) -> Result<AccountId, AppError> {
    require_actor(actor, Capability::ManageAccounts)?;
    check_new_password(password)?;
    check_unit(db, input).await?;
    let hash = hash_password(password)?;
    let content = AccountContent::new(input, true, 1);
    let summary = format!(
        "新建账号:{}({})",
        input.username.as_str(),
        messages::role(input.role)
    );
    let mut res = execute(|| {
        db.query(CREATE_ACCOUNT)
            .bind(("content", content.clone()))
            .bind(("hash", hash.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.clone()))
    })
    .await?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.and_then(|id| AccountId::parse(&key_string(&id)))
        .ok_or(AppError::Internal)
}

async fn set_credential(
    db: &Db,
    actor: &Actor,
    id: &AccountId,
    hash: String,
    summary: &str,
) -> Result<(), AppError> {
    execute(|| {
        db.query(SET_CREDENTIAL)
            .bind(("account", record("account", id.as_str())))
            .bind(("hash", hash.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.to_owned()))
    })
    .await
    .map_err(missing(Entity::Account))?;
    Ok(())
}

/// Every account, by user name (never with a password hash: they are not in this table).
pub async fn list_accounts(db: &Db) -> Result<Vec<AccountSummary>, AppError> {
    let rows: Vec<AccountRow> = db
        .query(format!(
            "SELECT {ACCOUNT_FIELDS} FROM account ORDER BY username"
        ))
        .await?
        .take(0)?;
    rows.iter().map(AccountRow::summary).collect()
}

/// Changes an account's name, role, unit and active flag. Disabling an account ends its
/// sessions at once; an administrator cannot disable their own account.
pub async fn update_account(
    db: &Db,
    actor: &Actor,
    actor_id: &AccountId,
    id: &AccountId,
    expected_version: u32,
    input: &AccountInput,
    active: bool,
) -> Result<u32, AppError> {
    require_actor(actor, Capability::ManageAccounts)?;
    if id == actor_id && !active {
        return Err(Refusal::DisableSelf.into());
    }
    check_unit(db, input).await?;
    let change = Versioned {
        id: record("account", id.as_str()),
        expected_version,
        content: AccountContent::new(input, active, next_version(expected_version)),
        action: "update",
        summary: format!("修改账号:{}", input.username.as_str()),
        also: None,
    };
    let new_version = update_versioned(db, actor, change).await?;
    // A disabled account's sessions are refused from now on (every request checks `active`);
    // deleting them just tidies up.
    if !active {
        crate::server::auth::sign_out_everywhere(db, id, &actor.name).await?;
    }
    Ok(new_version)
}

/// Sets a new password and ends every session of the account.
pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    id: &AccountId,
    password: &str,
) -> Result<(), AppError> {
    require_actor(actor, Capability::ManageAccounts)?;
    check_new_password(password)?;
    let hash = hash_password(password)?;
    set_credential(db, actor, id, hash, "重置密码").await
}
