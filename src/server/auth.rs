//! Sign-in: password hashing (argon2id), sessions stored in SurrealDB, throttling, and the
//! account repository. Nothing here is ever sent to the browser except [`CurrentUser`].

use super::db::write::{
    AUDITED_CREATE, VERSIONED_UPDATE, create_audited_with, execute, update_versioned_with, version,
};
use super::db::{Db, key_string};
use crate::domain::auth::check_new_password;
use crate::domain::{AccountId, AccountSummary, Actor, CurrentUser, Role, UnitId, Username};
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use surrealdb::types::{RecordId, SurrealValue};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jiebang_session";

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long has expired.
    pub idle: Duration,
    /// No session lives longer than this, however active.
    pub absolute: Duration,
    /// Set the cookie's `Secure` flag (the app is served over https).
    pub secure_cookie: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(4),
            absolute: Duration::days(7),
            secure_cookie: false,
        }
    }
}

/// Failed sign-ins within [`THROTTLE_WINDOW_MINUTES`] after which an account is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins within the window after which an address is refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// The throttling window.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Whether `password` matches `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that answering takes as long
/// as for a real account and timing does not reveal which names exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-0").unwrap_or_default())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        AppError::Internal
    })?;
    Ok(hex::encode(bytes))
}

#[derive(Debug, SurrealValue)]
struct AccountRow {
    id: RecordId,
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    unit: Option<RecordId>,
    unit_name: Option<String>,
    active: bool,
    version: i64,
}

impl AccountRow {
    fn current_user(&self) -> Result<CurrentUser, AppError> {
        Ok(CurrentUser {
            id: AccountId::parse(&key_string(&self.id)).ok_or(AppError::Internal)?,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: Role::parse(&self.role).ok_or(AppError::Internal)?,
            unit: self
                .unit
                .as_ref()
                .and_then(|u| UnitId::parse(&key_string(u))),
            unit_name: self.unit_name.clone(),
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
            active: self.active,
            version: version(self.version)?,
        })
    }
}

const ACCOUNT_FIELDS: &str = "id, username, display_name, password_hash, role, unit, unit.name AS unit_name, active, version";

/// A new account as entered, validated.
#[derive(Debug, Clone)]
pub struct AccountInput {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<UnitId>,
}

impl AccountInput {
    /// Validates: unit roles need a unit; office roles have none.
    pub fn parse(
        username: &str,
        display_name: &str,
        role: Role,
        unit: Option<UnitId>,
    ) -> Result<Self, AppError> {
        let username = Username::parse(username).map_err(AppError::Invalid)?;
        let display_name =
            crate::domain::unit::short_text(display_name, "姓名", 30).map_err(AppError::Invalid)?;
        match (role, &unit) {
            (Role::UnitHead | Role::Liaison, None) => {
                Err(AppError::Invalid(format!("{}须指定所属单位", role.label())))
            }
            _ => Ok(Self {
                username,
                display_name,
                role,
                unit,
            }),
        }
    }
}

#[derive(Debug, SurrealValue)]
struct AccountContent {
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    unit: Option<RecordId>,
    active: bool,
    version: i64,
}

/// Creates an account with a password.
pub async fn create_account(
    db: &Db,
    actor: &Actor,
    input: &AccountInput,
    password: &str,
) -> Result<AccountId, AppError> {
    check_new_password(password).map_err(AppError::Invalid)?;
    let content = AccountContent {
        username: input.username.as_str().to_owned(),
        display_name: input.display_name.clone(),
        password_hash: hash_password(password)?,
        role: input.role.code().to_owned(),
        unit: input
            .unit
            .as_ref()
            .map(|u| RecordId::new("unit", u.as_str())),
        active: true,
        version: 1,
    };
    // The audit event records the account without its hash.
    let query = AUDITED_CREATE.replace(
        "after: $after",
        "after: $after.{username, display_name, role, unit, active}",
    );
    let summary = format!(
        "新建账号:{}({})",
        input.username.as_str(),
        input.role.label()
    );
    let key = create_audited_with(db, &query, "account", content, actor, summary).await?;
    AccountId::parse(&key).ok_or(AppError::Internal)
}

/// Every account, by user name.
pub async fn list_accounts(db: &Db) -> Result<Vec<AccountSummary>, AppError> {
    let rows: Vec<AccountRow> = db
        .query(format!(
            "SELECT {ACCOUNT_FIELDS} FROM account ORDER BY username"
        ))
        .await?
        .take(0)?;
    rows.iter().map(AccountRow::summary).collect()
}

#[derive(Debug, SurrealValue)]
struct AccountEdit {
    display_name: String,
    role: String,
    unit: Option<RecordId>,
    active: bool,
    version: i64,
}

/// Changes an account's name, role, unit and active flag. Disabling an account ends its
/// sessions at once.
pub async fn update_account(
    db: &Db,
    actor: &Actor,
    id: &AccountId,
    expected_version: u32,
    input: &AccountInput,
    active: bool,
) -> Result<u32, AppError> {
    let edit = AccountEdit {
        display_name: input.display_name.clone(),
        role: input.role.code().to_owned(),
        unit: input
            .unit
            .as_ref()
            .map(|u| RecordId::new("unit", u.as_str())),
        active,
        version: i64::from(expected_version) + 1,
    };
    let record = RecordId::new("account", id.as_str());
    let mut query = VERSIONED_UPDATE
        .replace("before: $before, after: $after", "before: $before.{display_name, role, unit, active}, after: $after.{display_name, role, unit, active}");
    if !active {
        query = query.replace(
            "RETURN $after.version;",
            "DELETE session WHERE account = $id;\nRETURN $after.version;",
        );
    }
    let summary = format!("修改账号:{}", input.username.as_str());
    update_versioned_with(
        db,
        &query,
        record,
        expected_version,
        edit,
        actor,
        "update",
        summary,
    )
    .await
}

/// Sets a new password and ends every session of the account.
pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    id: &AccountId,
    password: &str,
) -> Result<(), AppError> {
    check_new_password(password).map_err(AppError::Invalid)?;
    let hash = hash_password(password)?;
    execute(
        db.query(
            "BEGIN TRANSACTION;
             LET $a = (SELECT id, username FROM ONLY $id);
             IF !$a { THROW 'jiebang:not_found' };
             UPDATE $id SET password_hash = $hash, version += 1;
             DELETE session WHERE account = $id;
             CREATE audit_event CONTENT { actor: $actor, entity: $id, action: 'reset_password', summary: '重置密码' };
             COMMIT TRANSACTION;",
        )
        .bind(("id", RecordId::new("account", id.as_str())))
        .bind(("hash", hash))
        .bind(("actor", actor.name.clone())),
    )
    .await?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct CountRow {
    count: i64,
}

async fn recent_failures(db: &Db, key: &str, now: DateTime<Utc>) -> Result<i64, AppError> {
    let rows: Vec<CountRow> = db
        .query("SELECT count() FROM login_failure WHERE key = $key AND at > $since GROUP ALL")
        .bind(("key", key.to_owned()))
        .bind(("since", now - Duration::minutes(THROTTLE_WINDOW_MINUTES)))
        .await?
        .take(0)?;
    Ok(rows.first().map_or(0, |r| r.count))
}

/// Checks a user name and password; on success opens a session and returns the user and the
/// token for the cookie. Unknown names, wrong passwords and disabled accounts get the same
/// answer; too many recent failures for the name or the address are refused before checking.
pub async fn sign_in(
    db: &Db,
    policy: &SessionPolicy,
    username: &str,
    password: &str,
    address: &str,
) -> Result<(CurrentUser, String), AppError> {
    let now = Utc::now();
    let name = username.trim().to_lowercase();
    let account_key = format!("account:{name}");
    let address_key = format!("address:{address}");
    if recent_failures(db, &account_key, now).await? >= MAX_FAILURES_PER_ACCOUNT
        || recent_failures(db, &address_key, now).await? >= MAX_FAILURES_PER_ADDRESS
    {
        tracing::warn!(username = %name, address, "sign-in throttled");
        return Err(AppError::TooManyAttempts);
    }
    let row: Option<AccountRow> = db
        .query(format!(
            "SELECT {ACCOUNT_FIELDS} FROM account WHERE username = $name LIMIT 1"
        ))
        .bind(("name", name.clone()))
        .await?
        .take::<Vec<AccountRow>>(0)?
        .into_iter()
        .next();
    let hash = row
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |r| r.password_hash.clone());
    let password = password.to_owned();
    // argon2 is CPU-bound on purpose; keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    let Some(account) = row.filter(|r| matches && r.active) else {
        // Record the failure; failures older than the window no longer count, so drop them.
        db.query(
            "CREATE login_failure SET key = $a; CREATE login_failure SET key = $b;
             DELETE login_failure WHERE at < $since;",
        )
        .bind(("a", account_key))
        .bind(("b", address_key))
        .bind(("since", now - Duration::minutes(THROTTLE_WINDOW_MINUTES)))
        .await?
        .check()?;
        tracing::info!(username = %name, address, "sign-in refused");
        return Err(AppError::BadCredentials);
    };
    let user = account.current_user()?;
    let token = new_token()?;
    db.query(
        "CREATE session SET account = $account, token_hash = $hash, expires_at = $expires;
         DELETE login_failure WHERE key = $key;
         DELETE session WHERE expires_at < time::now();",
    )
    .bind(("account", account.id.clone()))
    .bind(("hash", token_hash(&token)))
    .bind(("expires", now + policy.absolute))
    .bind(("key", account_key))
    .await?
    .check()?;
    tracing::info!(username = %user.username, "signed in");
    Ok((user, token))
}

#[derive(Debug, SurrealValue)]
struct SessionRow {
    id: RecordId,
    last_seen: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The user a session token belongs to, if the session is alive and the account active.
/// Refreshes the session's idle clock (at most once a minute, to spare writes).
/// One round trip for the session and its account.
pub async fn resolve(
    db: &Db,
    policy: &SessionPolicy,
    token: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let now = Utc::now();
    let mut res = db
        .query(format!(
            "LET $s = (SELECT id, last_seen, expires_at, account FROM session WHERE token_hash = $hash LIMIT 1)[0];
             RETURN $s;
             SELECT {ACCOUNT_FIELDS} FROM account WHERE id = $s.account;"
        ))
        .bind(("hash", token_hash(token)))
        .await?;
    let session: Option<SessionRow> = res.take(1)?;
    let account: Option<AccountRow> = res.take::<Vec<AccountRow>>(2)?.into_iter().next();
    let (Some(session), Some(account)) = (session, account) else {
        return Ok(None);
    };
    let expired = now >= session.expires_at || now - session.last_seen >= policy.idle;
    if expired || !account.active {
        db.query("DELETE $id")
            .bind(("id", session.id))
            .await?
            .check()?;
        return Ok(None);
    }
    if now - session.last_seen >= Duration::minutes(1) {
        db.query("UPDATE $id SET last_seen = time::now()")
            .bind(("id", session.id))
            .await?
            .check()?;
    }
    account.current_user().map(Some)
}

/// Ends one session.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), AppError> {
    db.query("DELETE session WHERE token_hash = $hash")
        .bind(("hash", token_hash(token)))
        .await?
        .check()?;
    Ok(())
}

/// Ends every session of an account ("sign out everywhere").
pub async fn sign_out_everywhere(db: &Db, account: &AccountId) -> Result<(), AppError> {
    db.query("DELETE session WHERE account = $account")
        .bind(("account", RecordId::new("account", account.as_str())))
        .await?
        .check()?;
    Ok(())
}

/// The `Set-Cookie` value that stores a session token.
pub fn session_cookie(token: &str, policy: &SessionPolicy) -> String {
    let mut cookie = cookie::Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(
            policy.absolute.num_seconds(),
        ))
        .secure(policy.secure_cookie)
        .build();
    cookie.set_secure(policy.secure_cookie);
    cookie.to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(policy: &SessionPolicy) -> String {
    cookie::Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(policy.secure_cookie)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<String> {
    cookie::Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("jiebang2022").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "jiebang2022"));
        assert!(!verify_password(&hash, "jiebang2023"));
        assert!(!verify_password("not a hash", "jiebang2022"));
        assert_ne!(hash, hash_password("jiebang2022").expect("hash"), "salted");
    }

    #[test]
    fn cookies() {
        let policy = SessionPolicy::default();
        let set = session_cookie("abc", &policy);
        assert!(set.contains("jiebang_session=abc"));
        assert!(set.contains("HttpOnly"));
        assert!(set.contains("SameSite=Lax"));
        assert!(!set.contains("Secure"));
        let secure = session_cookie(
            "abc",
            &SessionPolicy {
                secure_cookie: true,
                ..policy
            },
        );
        assert!(secure.contains("Secure"));
        assert!(clear_session_cookie(&policy).contains("Max-Age=0"));
        assert_eq!(
            token_from_cookie_header("a=1; jiebang_session=xyz; b=2"),
            Some("xyz".into())
        );
        assert_eq!(token_from_cookie_header("a=1"), None);
        assert_eq!(token_from_cookie_header("jiebang_session="), None);
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
