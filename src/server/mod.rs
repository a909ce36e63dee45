//! Everything that only runs on the server: configuration, state, database, HTTP wiring.

pub mod assets;
pub mod auth;
pub mod authz;
pub mod backup;
pub mod calendar;
pub mod channels;
pub mod clock;
pub mod config;
pub mod db;
pub mod disk;
pub mod docx;
pub mod evidence;
pub mod export;
pub mod files;
pub mod http;
pub mod import;
pub mod lights;
pub mod live;
pub mod page_cache;
pub mod reminders;
pub mod seed;
pub mod state;
pub mod work;

pub use clock::Clock;
pub use config::Config;
pub use http::app;
pub use state::AppState;

use crate::error::AppError;

/// The application state of the current request, as provided to server functions by
/// `leptos_routes_with_context`.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// Passes a server function's result through. When it runs while a page is rendered, an
/// error sets the page's HTTP status, so a missing task is a real 404. (Calls to `/api/` get
/// their status from the error by the router's middleware; a plain form post must keep the
/// redirect back to its page, which carries the error in the URL.)
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let rendering_page = leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| !parts.uri.path().starts_with("/api/"));
    if let Err(err) = &result
        && rendering_page
        && let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(code) = axum::http::StatusCode::from_u16(err.status())
    {
        options.set_status(code);
    }
    result
}

/// Adds a `Set-Cookie` header to the response being built.
pub fn set_cookie(value: &str) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = axum::http::HeaderValue::from_str(value)
    {
        options.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// The session token of the current request, if it carries one.
pub fn session_token() -> Option<String> {
    leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(axum::http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(auth::token_from_cookie_header)
    })
}

/// The address the current request came from (for sign-in throttling).
pub fn client_address() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
