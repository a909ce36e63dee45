//! Shared server state, handed to axum handlers and (through context) to server functions.

use super::auth::SessionPolicy;
use super::db::Db;
use axum::extract::FromRef;
use chrono::{FixedOffset, NaiveDate, Offset, Utc};
use leptos::config::LeptosOptions;

/// Cheap to clone: the database handle and the options are reference-counted inside.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub clock: Clock,
    pub sessions: SessionPolicy,
}

/// Where "today" comes from: the calendar in China Standard Time, or a pinned date (the demo
/// runs as of the 2022-07-29 专题调度会; tests pin dates to stay deterministic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(NaiveDate),
}

impl Clock {
    /// Today's date.
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::Fixed(date) => date,
            Clock::System => {
                let china = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix());
                Utc::now().with_timezone(&china).date_naive()
            }
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
