//! Everything that only runs on the server: configuration, state, database, HTTP wiring.

pub mod config;
pub mod db;
pub mod http;
pub mod seed;
pub mod state;

pub use config::Config;
pub use http::app;
pub use state::{AppState, Clock};

use crate::error::AppError;

/// The application state of the current request, as provided to server functions by
/// `leptos_routes_with_context`.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// Passes a server function's result through, setting the HTTP status of the response
/// (or of the page being rendered) from the error, so a missing task is a real 404.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(code) = axum::http::StatusCode::from_u16(err.status())
    {
        options.set_status(code);
    }
    result
}
