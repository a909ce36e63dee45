//! Sign-in: password hashing, sessions stored in SurrealDB, throttling. Nothing here is ever
//! sent to the browser except [`CurrentUser`]; accounts themselves live in `db::accounts`.

pub mod password;
pub mod session;
pub mod throttle;

pub use password::{hash_password, verify_password};
pub use session::{
    SESSION_COOKIE, SessionPolicy, Touches, clear_session_cookie, resolve, session_cookie,
    sign_out, sign_out_everywhere, token_from_cookie_header,
};
pub(crate) use session::{new_token, token_hash};
pub use throttle::{MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, THROTTLE_WINDOW_MINUTES};

use crate::domain::CurrentUser;
use crate::error::AppError;
use crate::server::db::{Db, accounts};
use chrono::Utc;

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
    let keys = throttle::Keys::new(&name, address);
    if throttle::refused(db, &keys, now).await? {
        tracing::warn!(username = %name, address, "sign-in throttled");
        return Err(AppError::TooManyAttempts);
    }
    let found = accounts::for_sign_in(db, &name).await?;
    let hash = found.as_ref().map(|f| f.password_hash.clone());
    let matches = password::verify_off_thread(hash, password).await;
    let Some(found) = found.filter(|f| matches && f.active) else {
        throttle::record_failure(db, &keys).await?;
        tracing::info!(username = %name, address, "sign-in refused");
        return Err(AppError::BadCredentials);
    };
    let token = session::open(db, policy, &found.user.id, now).await?;
    throttle::forget(db, &keys).await?;
    tracing::info!(username = %found.user.username, "signed in");
    Ok((found.user, token))
}

/// The periodic clean-up: expired sessions and sign-in failures older than the window. Runs
/// on a timer (see `main`), never on a user's request.
pub async fn prune(db: &Db) -> Result<(), AppError> {
    session::prune(db).await?;
    throttle::prune(db, Utc::now()).await
}
