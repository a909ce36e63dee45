//! The axum router: Leptos pages and server functions, health check, static files, tracing.

use super::AppState;
use super::db;
use crate::error::AppError;
use crate::ui::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
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
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(
            // One span per request; the status and latency are logged when it ends.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
        .with_state(state)
}

/// Server functions answer every error with 500, including errors raised before our code runs
/// (arguments that cannot be decoded). Give each error response the status its [`AppError`]
/// names, so clients and logs see 404/422/409 where they apply.
async fn server_fn_error_status(response: Response) -> Response {
    const LIMIT: usize = 64 * 1024;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /healthz`: 200 with `{"status":"ok","database":"ok"}` when the database answers,
/// 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let ok = db::ping(&state.db).await;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = if ok {
        r#"{"status":"ok","database":"ok"}"#
    } else {
        r#"{"status":"degraded","database":"unreachable"}"#
    };
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
}
