//! Sessions: random tokens in an `HttpOnly` cookie, only their SHA-256 stored, in SurrealDB,
//! so they survive restarts and work across app instances.

use crate::domain::{AccountId, CurrentUser};
use crate::error::AppError;
use crate::server::db::{Db, accounts};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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
    /// How stale the stored idle clock may get before a request refreshes it.
    pub touch_every: Duration,
    /// Set the cookie's `Secure` flag (the app is served over https).
    pub secure_cookie: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(4),
            absolute: Duration::days(7),
            touch_every: Duration::minutes(1),
            secure_cookie: false,
        }
    }
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        AppError::Internal
    })?;
    Ok(hex::encode(bytes))
}

/// Which sessions this process has refreshed lately. Many requests of one browser arrive at
/// once; only the first after the interval refreshes the stored idle clock, the others do not
/// even try.
#[derive(Debug, Clone, Default)]
pub struct Touches(Arc<Mutex<HashMap<String, DateTime<Utc>>>>);

impl Touches {
    /// Whether the caller should refresh `session` now (and is then the only one to).
    fn claim(&self, session: &str, now: DateTime<Utc>, every: Duration) -> bool {
        let Ok(mut map) = self.0.lock() else {
            return false;
        };
        if map.get(session).is_some_and(|at| now - *at < every) {
            return false;
        }
        // Forget old entries now and then, so the map stays the size of the active sessions.
        if map.len() > 10_000 {
            map.retain(|_, at| now - *at < every);
        }
        map.insert(session.to_owned(), now);
        true
    }
}

/// Opens a session for an account; returns the token for the cookie.
pub async fn open(
    db: &Db,
    policy: &SessionPolicy,
    account: &AccountId,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token()?;
    db.query("CREATE session SET account = $account, token_hash = $hash, expires_at = $expires")
        .bind(("account", RecordId::new("account", account.as_str())))
        .bind(("hash", token_hash(&token)))
        .bind(("expires", now + policy.absolute))
        .await?
        .check()?;
    Ok(token)
}

#[derive(Debug, SurrealValue)]
struct SessionRow {
    id: RecordId,
    last_seen: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The user a session token belongs to, if the session is alive and the account active.
/// One round trip for the session and its account. Refreshing the idle clock is best-effort
/// and happens in the background: it never fails or slows the request.
pub async fn resolve(
    db: &Db,
    policy: &SessionPolicy,
    touches: &Touches,
    token: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let now = Utc::now();
    let mut res = db
        .query(format!(
            "LET $s = (SELECT id, last_seen, expires_at, account FROM session WHERE token_hash = $hash LIMIT 1)[0];
             RETURN $s;
             SELECT {} FROM account WHERE id = $s.account;",
            accounts::ACCOUNT_FIELDS
        ))
        .bind(("hash", token_hash(token)))
        .await?;
    let session: Option<SessionRow> = res.take(1)?;
    let account: Option<accounts::AccountRow> =
        res.take::<Vec<accounts::AccountRow>>(2)?.into_iter().next();
    let (Some(session), Some(account)) = (session, account) else {
        return Ok(None);
    };
    let expired = now >= session.expires_at || now - session.last_seen >= policy.idle;
    if expired || !account.active {
        in_background(db, "DELETE $id", session.id, now);
        return Ok(None);
    }
    let key = crate::server::db::key_string(&session.id);
    if now - session.last_seen >= policy.touch_every && touches.claim(&key, now, policy.touch_every)
    {
        // Conditional, so instances racing on the same session write at most once.
        in_background(
            db,
            "UPDATE $id SET last_seen = time::now() WHERE last_seen < $since",
            session.id,
            now - policy.touch_every,
        );
    }
    account.current_user().map(Some)
}

/// Runs a best-effort write on a session without holding up the request; a failure (a
/// conflict with another instance doing the same) is only logged.
fn in_background(db: &Db, sql: &'static str, id: RecordId, since: DateTime<Utc>) {
    let db = db.clone();
    tokio::spawn(async move {
        let result = db
            .query(sql)
            .bind(("id", id))
            .bind(("since", since))
            .await
            .and_then(|r| r.check());
        if let Err(err) = result {
            tracing::debug!(error = %err, "session housekeeping skipped");
        }
    });
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
pub async fn sign_out_everywhere(
    db: &Db,
    account: &AccountId,
    actor: &str,
) -> Result<(), AppError> {
    // The event tells every instance's open live streams to check their sessions now.
    db.query(
        "BEGIN TRANSACTION;
         DELETE session WHERE account = $account;
         CREATE audit_event CONTENT {
             actor: $actor, entity: $account, action: 'sign_out_everywhere', summary: '全部退出'
         };
         COMMIT TRANSACTION;",
    )
    .bind(("account", RecordId::new("account", account.as_str())))
    .bind(("actor", actor.to_owned()))
    .await?
    .check()?;
    Ok(())
}

/// Drops sessions past their absolute expiry (periodic clean-up; uses the `expires_at` index).
pub async fn prune(db: &Db) -> Result<(), AppError> {
    db.query("DELETE session WHERE expires_at < time::now()")
        .await?
        .check()?;
    Ok(())
}

/// The `Set-Cookie` value that stores a session token.
pub fn session_cookie(token: &str, policy: &SessionPolicy) -> String {
    cookie::Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(
            policy.absolute.num_seconds(),
        ))
        .secure(policy.secure_cookie)
        .build()
        .to_string()
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

    #[test]
    fn one_touch_per_interval() {
        let touches = Touches::default();
        let now = Utc::now();
        let every = Duration::minutes(1);
        assert!(touches.claim("s1", now, every));
        assert!(!touches.claim("s1", now + Duration::seconds(30), every));
        assert!(touches.claim("s2", now, every));
        assert!(touches.claim("s1", now + Duration::seconds(61), every));
    }
}
