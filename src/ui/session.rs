//! The signed-in user as a context every page can read, and the actions that change it.

use crate::api::auth::{SignOut, SignOutEverywhere};
use crate::domain::CurrentUser;
use leptos::prelude::*;
use leptos::server::SharedValue;

/// The current user and the sign-out actions.
///
/// The user is a plain signal, not a resource: the server knows it from the request (the
/// session middleware put it there) and hands it to the browser inside the page, so no
/// Suspense waits on it. Several Suspense/Transition boundaries awaiting one shared resource
/// made a server render stall now and then under load (leptos-rs/leptos#4851; the stalls seen
/// since came from route generation, leptos-rs/leptos#4773, see `server::http::page_routes`).
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<CurrentUser>>,
    pub sign_out: ServerAction<SignOut>,
    pub sign_out_everywhere: ServerAction<SignOutEverywhere>,
}

impl Session {
    /// Whether the signed-in user's role has `capability` (tracks the user signal): which
    /// forms a page offers. The server checks again on every write.
    pub fn can(self, capability: crate::domain::policy::Capability) -> bool {
        self.user
            .get()
            .is_some_and(|u| crate::domain::policy::authorize(Some(u.role), capability).is_ok())
    }
}

/// Provides [`Session`] to the app (called once, in the root component).
pub fn provide_session() {
    let initial = SharedValue::new(request_user).into_inner();
    let user = RwSignal::new(initial);
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_everywhere = ServerAction::<SignOutEverywhere>::new();
    // In the browser a successful sign-out ends the session here too (the server also
    // redirects to the sign-in page).
    Effect::new(move |_| {
        let out = matches!(sign_out.value().get(), Some(Ok(())))
            || matches!(sign_out_everywhere.value().get(), Some(Ok(())));
        if out {
            user.set(None);
        }
    });
    provide_context(Session {
        user,
        sign_out,
        sign_out_everywhere,
    });
}

/// The user of the request being rendered (on the server; in the browser the value comes
/// with the page, so this only runs for a client-side render outside hydration).
fn request_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        crate::server::authz::current_user()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The session context. Provided by the root component; a component rendered outside it
/// gets a fresh one.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| {
        provide_session();
        expect_context::<Session>()
    })
}

/// The inbox's actions, shared by the inbox page and the header's unread count (which is
/// fetched again whenever one of them ran).
#[derive(Clone, Copy)]
pub struct InboxActions {
    pub open: ServerAction<crate::api::work::OpenNotice>,
    pub mark_all: ServerAction<crate::api::work::MarkAllNoticesRead>,
}

/// Provides [`InboxActions`] (called once, in the root component).
pub fn provide_inbox() {
    provide_context(InboxActions {
        open: ServerAction::new(),
        mark_all: ServerAction::new(),
    });
}

/// The inbox actions; a component rendered outside the root gets fresh ones.
pub fn use_inbox() -> InboxActions {
    use_context::<InboxActions>().unwrap_or_else(|| {
        provide_inbox();
        expect_context::<InboxActions>()
    })
}
