//! The axum router: Leptos pages and server functions, health check, static files, tracing.

use super::AppState;
use super::auth;
use super::authz::SignedIn;
use super::db;
use crate::error::AppError;
use crate::ui::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::Redirect;
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
        // Outermost first on the way in: refuse cross-site writes, then resolve the session.
        .layer(axum::middleware::from_fn_with_state(state.clone(), session))
        .layer(axum::middleware::from_fn(same_origin_writes))
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

/// Resolves the session cookie into the signed-in user (a request extension that server
/// functions read through [`crate::server::authz::current_user`]), and sends visitors without
/// a session from any page to the sign-in page.
async fn session(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    // Static assets (wasm, js, css, icons) and health checks need no session: skip the lookup.
    let path = req.uri().path();
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/pkg/") || path == "/healthz" || last_segment.contains('.') {
        return next.run(req).await;
    }
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::token_from_cookie_header);
    let user = match token {
        Some(token) => match auth::resolve(&state.db, &state.sessions, &token).await {
            Ok(user) => user,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        },
        None => None,
    };
    if user.is_none() && is_protected_page(&req) {
        let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
        let target = format!("/login?next={}", percent_encode(path));
        return Redirect::to(&target).into_response();
    }
    req.extensions_mut().insert(SignedIn(user));
    next.run(req).await
}

/// A page (not a server function, asset or health check) that needs a signed-in user.
fn is_protected_page(req: &Request<Body>) -> bool {
    let path = req.uri().path();
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    req.method() == Method::GET
        && wants_html
        && !(path == "/login"
            || path == "/healthz"
            || path.starts_with("/api/")
            || path.starts_with("/pkg/"))
}

/// Percent-encodes a path for a query parameter.
fn percent_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// CSRF defence on top of `SameSite` cookies: a state-changing request must come from this
/// site. Browsers send `Origin` on every cross-origin request and on same-origin POSTs; when it
/// names another host the request is refused. Requests without `Origin` fall back to `Referer`.
async fn same_origin_writes(req: Request<Body>, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let same = match (source, host) {
        (Some(source), Some(host)) => authority(source) == Some(host),
        // Not from a browser page (no Origin, no Referer): cookies are the only credential
        // and SameSite keeps them from cross-site requests.
        (None, _) => true,
        (Some(_), None) => false,
    };
    if same {
        next.run(req).await
    } else {
        tracing::warn!(origin = ?source, host = ?host, "cross-site write refused");
        (StatusCode::FORBIDDEN, "跨站请求被拒绝").into_response()
    }
}

/// `https://host:port/path` → `host:port`.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    rest.split(['/', '?', '#']).next()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_of_urls() {
        assert_eq!(authority("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(
            authority("https://jb.example/tasks/1?x=1"),
            Some("jb.example")
        );
        assert_eq!(authority("null"), None);
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            percent_encode("/tasks/a-1?q=小"),
            "/tasks/a-1%3Fq%3D%E5%B0%8F"
        );
    }
}
