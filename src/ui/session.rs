//! The signed-in user as a context every page can read.

use crate::api::get_current_user;
use crate::domain::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The current user, loaded once per page load.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// Provides [`Session`] to the app.
pub fn provide_session() {
    provide_context(Session(Resource::new(|| (), |()| get_current_user())));
}

/// The session context (provided by [`provide_session`] in the root component).
pub fn use_session() -> Session {
    use_context::<Session>()
        .unwrap_or_else(|| Session(Resource::new(|| (), |()| get_current_user())))
}
