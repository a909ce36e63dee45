//! The axum router: Leptos pages and server functions, health check, static files, tracing.

use super::AppState;
use super::db;
use crate::ui::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

/// The whole application as a router. Tests serve it on port 0; `main` on the configured port.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(
            // One span per request; the status and latency are logged when it ends.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
        .with_state(state)
}

/// `GET /healthz`: 200 with `{"status":"ok","database":"ok"}` when the database answers,
/// 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let ok = db::ping(&state.db).await;
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = if ok {
        r#"{"status":"ok","database":"ok"}"#
    } else {
        r#"{"status":"degraded","database":"unreachable"}"#
    };
    (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body)
}
