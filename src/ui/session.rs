//! The signed-in user as a context every page can read, and the actions that change it.

use crate::api::auth::{SignOut, SignOutEverywhere};
use crate::api::get_current_user;
use crate::domain::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The current user and the sign-out actions. The user is refetched whenever a sign-out
/// completes or [`Session::refresh`] is bumped (by the sign-in page after a client-side
/// sign-in), so the header and the task actions follow.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub refresh: RwSignal<u32>,
    pub sign_out: ServerAction<SignOut>,
    pub sign_out_everywhere: ServerAction<SignOutEverywhere>,
}

/// Provides [`Session`] to the app (called once, in the root component).
pub fn provide_session() {
    let refresh = RwSignal::new(0);
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_everywhere = ServerAction::<SignOutEverywhere>::new();
    let user = Resource::new(
        move || {
            (
                refresh.get(),
                sign_out.version().get(),
                sign_out_everywhere.version().get(),
            )
        },
        |_| get_current_user(),
    );
    provide_context(Session {
        user,
        refresh,
        sign_out,
        sign_out_everywhere,
    });
}

/// The session context. Provided by the root component; a component rendered outside it
/// gets a fresh one.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| {
        provide_session();
        expect_context::<Session>()
    })
}
