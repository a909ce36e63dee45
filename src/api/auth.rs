//! Signing in and out.

use crate::domain::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// Signs in and sets the session cookie; then goes to `next` (a path on this site) or `/`.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::{auth, respond, state};
    respond(
        async {
            let state = state()?;
            let address = crate::server::client_address();
            let (user, token) = auth::sign_in(
                &*state.db.get().await?,
                &state.sessions,
                &username,
                &password,
                &address,
            )
            .await?;
            crate::server::set_cookie(&auth::session_cookie(&token, &state.sessions));
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(user)
        }
        .await,
    )
}

/// A redirect target from the sign-in form: only paths on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        // A path on this site, in printable ASCII (browsers drop tabs and newlines, which would
        // turn `/\t/evil` into `//evil`; a non-ASCII header value cannot be sent at all).
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Ends this session and goes to the sign-in page.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{auth, authz, respond, state};
    respond(
        async {
            authz::require(Capability::UseSession)?;
            let state = state()?;
            if let Some(token) = crate::server::session_token() {
                auth::sign_out(&*state.db.get().await?, &token).await?;
            }
            crate::server::set_cookie(&auth::clear_session_cookie(&state.sessions));
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// Ends every session of the signed-in account, on every device.
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{auth, authz, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            let state = state()?;
            auth::sign_out_everywhere(&*state.db.get().await?, &user.id, &user.actor().name)
                .await?;
            crate::server::set_cookie(&auth::clear_session_cookie(&state.sessions));
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// Who is signed in, if anyone.
#[server(prefix = "/api", endpoint = "get_current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::server::authz::current_user())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/tasks/x?y=1")), "/tasks/x?y=1");
        assert_eq!(safe_next(None), "/");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\\evil",
            "/\t/evil.example",
            "/任务",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
    }
}
