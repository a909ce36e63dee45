//! Shared server state, handed to axum handlers and (through context) to server functions.

use super::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// Cheap to clone: the database handle and the options are reference-counted inside.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
