//! The axum router: Leptos pages and server functions, health check, static files, tracing.

use super::AppState;
use super::auth;
use super::authz::{SignedIn, check_endpoint};
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

/// The page routes, generated once per process. Generating them renders the app with resource
/// loading switched off process-wide (leptos_server's `SuppressResourceLoad`): a page another
/// thread renders at that moment waits forever for its data (leptos issue #4773). Once, before
/// anything is served, nothing can render meanwhile — also when tests start many routers in
/// one process.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as a router. Tests serve it on port 0; `main` on the configured port.
pub fn app(state: AppState) -> Router {
    let routes = page_routes();
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/events", get(super::live::events))
        .route("/export/ledger", get(download_ledger))
        .route("/export/bulletin", get(download_bulletin))
        .route("/export/ranking", get(download_ranking))
        .route("/export/findings", get(download_findings))
        .route("/export/quarter", get(download_quarter))
        .route("/admin/backup", get(download_backup))
        .route("/plans/{id}/template", get(download_template))
        .route("/export/meetings/{id}/minutes", get(download_minutes))
        .route(
            "/plans/{id}/import",
            axum::routing::post(upload_plan).layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT_BYTES)),
        )
        .route(
            "/tasks/{id}/reports",
            axum::routing::post(super::evidence::upload_report)
                .layer(axum::extract::DefaultBodyLimit::max(super::evidence::report_limit(&state))),
        )
        .route("/reports/{report}/files/{n}", get(super::evidence::download_evidence))
        .route(
            "/rectify/import",
            axum::routing::post(upload_findings).layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT_BYTES)),
        )
        .route(
            "/rectify/{id}/progress",
            axum::routing::post(super::evidence::upload_finding_progress)
                .layer(axum::extract::DefaultBodyLimit::max(super::evidence::report_limit(&state))),
        )
        .route(
            "/rectify/{id}/entries/{n}/files/{k}",
            get(super::evidence::download_finding_file),
        )
        // The wasm, JS and CSS as compressed ahead of time (`server::assets`).
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(
                std::path::Path::new(state.leptos_options.site_root.as_ref()).join("pkg"),
            )
            .precompressed_br()
            .precompressed_gzip(),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(axum::middleware::from_fn(cache_assets))
        // gzip or brotli as the browser accepts; event streams and small answers stay as
        // they are (the layer's default predicate). The files under /pkg/ come compressed
        // ahead of time (see `server::assets`), so this only meets pages and data: the
        // fastest level keeps it cheap per request.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        // Outermost first on the way in: refuse cross-site writes, resolve the session and check
        // the endpoint's capability, then refuse oversized bodies — so nothing is buffered for a
        // caller who may not make the call.
        .layer(axum::middleware::from_fn_with_state(state.clone(), keep_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), disk_reserve))
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

/// Files named by their content (`/pkg/jiebang.<hash>.wasm`) never change: a browser keeps
/// them for a year and asks again only when a new build links new names. Everything else
/// under `/pkg/` and the public files are checked with the server each time (cheap 304s).
async fn cache_assets(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if !response.status().is_success() {
        return response;
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    let value = if path.starts_with("/pkg/") && is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/") || name.contains('.') {
        "no-cache"
    } else {
        return response;
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static(value),
    );
    response
}

/// `jiebang.168GJ9UOxlvc_sOsBezglw.js`: a stem, cargo-leptos's content hash (URL-safe
/// base64, 22 characters), an extension.
fn is_hashed(name: &str) -> bool {
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(stem), Some(hash), Some(ext), None)
            if !stem.is_empty() && !ext.is_empty() && hash.len() >= 16
                && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    )
}

/// The largest request body accepted: forms and server-function arguments are small.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// The largest task-list upload accepted (an office's workbook with a few thousand rows).
pub const IMPORT_LIMIT_BYTES: usize = 10 * 1024 * 1024;

/// An error answered by the router itself (not by a server function): its status, and the
/// message in the user's words — as JSON for scripts and fetches, as text for a browser form.
pub fn error_response(err: &AppError, wants_html: bool) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if wants_html {
        let text = crate::ui::messages::error(err);
        return (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response();
    }
    let body = with_message(err).to_string();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The error's JSON with its message added, for clients that show it as it is.
fn with_message(err: &AppError) -> serde_json::Value {
    let mut json = serde_json::to_value(err).unwrap_or_default();
    if let Some(object) = json.as_object_mut() {
        object.insert("message".into(), crate::ui::messages::error(err).into());
    }
    json
}

fn wants_html(req: &Request<Body>) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html") && !a.contains("application/json"))
}

/// Server functions answer every error with 500, including errors raised before our code runs
/// (arguments that cannot be decoded). Give each error response the status its [`AppError`]
/// names, so clients and logs see 404/422/409 where they apply, and add the message.
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
    let Ok(err) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Ok(status) = StatusCode::from_u16(err.status()) {
        parts.status = status;
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(with_message(&err).to_string()))
}

/// Refuses a body over [`BODY_LIMIT_BYTES`] with 413 and a clear message, before anything
/// reads it (a server function would otherwise fail half-way with a transport error).
async fn limit_body(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let upload = upload_limit(&state, req.uri().path());
    let signed_in = req
        .extensions()
        .get::<SignedIn>()
        .is_some_and(|s| s.0.is_some());
    if upload.is_some() && !signed_in {
        return error_response(&AppError::Unauthorized, wants_html(&req));
    }
    let limit = upload.unwrap_or(BODY_LIMIT_BYTES);
    let too_large = AppError::TooLarge {
        limit_kib: u32::try_from(limit / 1024).unwrap_or(u32::MAX),
    };
    let html = wants_html(&req);
    // Read at most the limit (so a chunked body cannot exceed it either). An oversized body
    // is read on (and dropped) up to a cap before answering, so the client gets the 413
    // instead of a broken connection.
    let (parts, body) = req.into_parts();
    match read_limited(body, limit, BODY_DRAIN_CAP_BYTES).await {
        Some(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        None => error_response(&too_large, html),
    }
}

/// The body limit of an upload route (a task list, a report with evidence files); `None` for
/// every other path.
fn upload_limit(state: &AppState, path: &str) -> Option<usize> {
    if path.starts_with("/plans/") && path.ends_with("/import") {
        Some(IMPORT_LIMIT_BYTES)
    } else if path.starts_with("/tasks/") && path.ends_with("/reports") {
        Some(super::evidence::report_limit(state))
    } else {
        None
    }
}

/// How much of an oversized body is read and dropped before answering 413.
const BODY_DRAIN_CAP_BYTES: usize = 64 * 1024 * 1024;

/// The body if it is at most `limit` bytes; `None` if it is larger (then read on and dropped
/// up to `cap`) or broken.
async fn read_limited(mut body: Body, limit: usize, cap: usize) -> Option<axum::body::Bytes> {
    use http_body_util::BodyExt;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.ok()?;
        if let Some(data) = frame.data_ref() {
            seen += data.len();
            if seen <= limit {
                kept.extend_from_slice(data);
            } else if seen > cap {
                return None;
            }
        }
    }
    (seen <= limit).then(|| axum::body::Bytes::from(kept))
}

/// Resolves the session cookie into the signed-in user (a request extension that server
/// functions read through [`crate::server::authz::current_user`]), checks a server function's
/// capability before its arguments are read, and sends visitors without a session from any
/// page to the sign-in page.
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
        Some(token) => {
            // A session resolved moments ago, with nothing changed since, is still good.
            let generation = state.live.generation();
            let hash = auth::token_hash(&token);
            match state.pages.session(&hash, generation) {
                Some(user) => Some(user),
                None => {
                    let lookup = state.clone();
                    let resolved = state
                        .work
                        .run(async move {
                            let db = lookup.db.get().await?;
                            auth::resolve(&db, &lookup.sessions, &lookup.touches, &token).await
                        })
                        .await
                        .unwrap_or(Err(AppError::Internal));
                    match resolved {
                        Ok(user) => {
                            if let Some(user) = &user {
                                state.pages.keep_session(hash, generation, user.clone());
                            }
                            user
                        }
                        Err(err) => {
                            tracing::error!(error = ?err, "session lookup failed");
                            return error_response(&AppError::Unavailable, wants_html(&req));
                        }
                    }
                }
            }
        }
        None => None,
    };
    if path.starts_with("/api/")
        && let Err(err) = check_endpoint(path, user.as_ref())
    {
        return error_response(&err, false);
    }
    if user.is_none() && is_protected_page(&req) {
        let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
        let target = format!("/login?next={}", encode_component(path));
        return Redirect::to(&target).into_response();
    }
    req.extensions_mut().insert(SignedIn(user));
    next.run(req).await
}

/// Serves a signed-in reader's page as it was rendered, while nothing has changed since (see
/// `server::page_cache`); after a write request, counts the change before answering, so the
/// writer's next page shows it.
async fn keep_pages(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    use super::page_cache::{Lookup, keepable, writes};
    // Site files need no database: served here. Everything else that is not a kept page
    // runs on the workers (`server::work`).
    if req.uri().path().starts_with("/pkg/") {
        return next.run(req).await;
    }
    if writes(&req) {
        let response = state.work.respond(next.run(req)).await;
        state.live.changed();
        return response;
    }
    let account = req
        .extensions()
        .get::<SignedIn>()
        .and_then(|s| s.0.as_ref())
        .map(|user| user.id.as_str().to_owned());
    let Some(account) = account.filter(|_| keepable(&req)) else {
        return state.work.respond(next.run(req)).await;
    };
    let lookup = Lookup::new(&req, &account, state.clock.today(), state.live.generation());
    if let Some(kept) = lookup.hit(&state.pages) {
        return kept;
    }
    let _turn = lookup.turn(&state.pages).await;
    if let Some(kept) = lookup.hit(&state.pages) {
        return kept;
    }
    let response = state.work.respond(next.run(req)).await;
    lookup.keep(&state.pages, response).await
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
            // A 大屏 display link is its own key (checked by the page's server function).
            || path.starts_with("/wall/")
            || path == "/healthz"
            || path.starts_with("/api/")
            || path.starts_with("/pkg/"))
}

/// Percent-encodes a path for a query parameter (keeping `/` readable).
fn encode_component(raw: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(raw, KEEP).to_string()
}

/// Refuses a write while the disk is below its reserve (see `server::disk`), before anything
/// is read or stored.
async fn disk_reserve(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    if super::disk::is_write(req.method(), req.uri().path())
        && let Err(err) = state.disk.check()
    {
        return error_response(&err, wants_html(&req));
    }
    next.run(req).await
}

/// CSRF defence on top of `SameSite` cookies: a state-changing request must come from this
/// site. Browsers send `Origin` on every cross-origin request and on same-origin POSTs, and
/// `Referer` otherwise; a change that carries neither, or names another host, is refused.
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
    let same =
        matches!((source, host), (Some(source), Some(host)) if authority(source) == Some(host));
    if same {
        next.run(req).await
    } else {
        tracing::warn!(origin = ?source, host = ?host, "cross-site write refused");
        error_response(&AppError::CrossSite, wants_html(&req))
    }
}

/// What a 台账 download asks for: the format, the date it stands at, and the board's filters.
/// The door of a file route: the signed-in user's role against `capability`, refused as a
/// server function would be (401 without a session, 403 for a role that may not).
pub(crate) fn gate(
    user: Option<axum::Extension<SignedIn>>,
    capability: crate::domain::policy::Capability,
) -> Result<(), AppError> {
    use crate::domain::policy::{self, Denied};
    let role = user.and_then(|u| u.0.0.as_ref().map(|u| u.role));
    policy::authorize(role, capability).map_err(|denied| match denied {
        Denied::NotSignedIn => AppError::Unauthorized,
        Denied::Forbidden => AppError::Forbidden,
    })
}

/// A `plan=` parameter: absent or empty for the current plan; an id that cannot be one is a
/// plan that does not exist.
fn plan_param(raw: Option<&str>) -> Result<Option<crate::domain::PlanId>, AppError> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(raw) => crate::domain::PlanId::parse(raw)
            .map(Some)
            .ok_or(AppError::NotFound(crate::domain::Entity::Plan)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct QuarterQuery {
    plan: Option<String>,
    #[serde(default)]
    q: String,
}

/// `GET /export/quarter?plan=ID&q=1..4`: the 季度报送 (.xlsx), for the office, leaders and
/// observers.
async fn download_quarter(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    query: Result<axum::extract::Query<QuarterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::domain::Problem;
    use crate::domain::policy::Capability;
    let reader = user.as_ref().and_then(|u| u.0.0.clone());
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Some(reader) = reader else {
        return error_response(&AppError::Unauthorized, false);
    };
    let Ok(axum::extract::Query(query)) = query else {
        return error_response(&AppError::field("request", Problem::BadFormat), false);
    };
    let result = async {
        let plan = plan_param(query.plan.as_deref())?;
        let db = state.db.get().await?;
        let pack =
            db::quarter::pack(&db, &reader, state.clock.today(), plan.as_ref(), &query.q).await?;
        let bytes = super::export::quarter_xlsx(&pack)?;
        Ok::<_, AppError>((pack, bytes))
    }
    .await;
    match result {
        Ok((pack, bytes)) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!(
                "{}-{}年第{}季度报送",
                pack.plan.title, pack.plan.year, pack.quarter
            ),
            "xlsx",
        ),
        Err(err) => error_response(&err, false),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct FindingsQuery {
    plan: Option<String>,
}

/// `GET /export/findings?plan=ID`: the 整改台账 (.xlsx) of a plan (default: the current one),
/// as the reader may see it (a unit: its own items).
async fn download_findings(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    query: Result<axum::extract::Query<FindingsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::domain::Problem;
    use crate::domain::policy::Capability;
    let reader = user.as_ref().and_then(|u| u.0.0.clone());
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Some(reader) = reader else {
        return error_response(&AppError::Unauthorized, false);
    };
    let Ok(axum::extract::Query(query)) = query else {
        return error_response(&AppError::field("request", Problem::BadFormat), false);
    };
    let result = async {
        let plan = plan_param(query.plan.as_deref())?;
        let db = state.db.get().await?;
        let list =
            db::findings::list(&db, &reader, state.clock.today(), plan.as_ref(), None).await?;
        let bytes = super::export::findings_xlsx(&list)?;
        Ok::<_, AppError>((list, bytes))
    }
    .await;
    match result {
        Ok((list, bytes)) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{}-整改台账-{}", list.plan.title, list.today),
            "xlsx",
        ),
        Err(err) => error_response(&err, false),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct LedgerQuery {
    plan: Option<String>,
    format: Option<String>,
    as_of: Option<String>,
    category: Option<String>,
    q: Option<String>,
}

/// `GET /export/ledger?plan=…&format=xlsx|csv&as_of=YYYY-MM-DD&category=…&q=…`: the 台账 of the
/// board's plan (a published plan; without `plan`, the current one) as a file, with the board's
/// filters applied.
async fn download_ledger(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    query: Result<axum::extract::Query<LedgerQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, Problem, TaskFilter};
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Ok(axum::extract::Query(query)) = query else {
        return error_response(&AppError::field("request", Problem::BadFormat), false);
    };
    let as_of = match query
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => state.clock.today(),
        Some(raw) => match crate::domain::fields::date(raw) {
            Ok(date) => date,
            Err(problem) => return error_response(&AppError::field("as_of", problem), false),
        },
    };
    let csv = match query.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => false,
        "csv" => true,
        _ => return error_response(&AppError::field("format", Problem::UnknownValue), false),
    };
    let plan = match plan_param(query.plan.as_deref()) {
        Ok(plan) => plan,
        Err(err) => return error_response(&err, false),
    };
    let ledger = match state.db.get().await {
        Ok(db) => db::ledger::board_ledger(&db, plan.as_ref(), as_of).await,
        Err(err) => Err(err),
    };
    let mut ledger = match ledger {
        Ok(Some(ledger)) => ledger,
        Ok(None) => return error_response(&AppError::NotFound(Entity::Plan), false),
        Err(err) => return error_response(&err, false),
    };
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    ledger.retain(&TaskFilter::new(
        category,
        query.q.as_deref().unwrap_or_default(),
    ));
    let (bytes, content_type, extension) = if csv {
        (
            super::export::ledger_csv(&ledger),
            "text/csv; charset=utf-8",
            "csv",
        )
    } else {
        (
            super::export::ledger_xlsx(&ledger),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(err) => return error_response(&err, false),
    };
    let stem = crate::ui::ledger::file_stem(&ledger.plan.title, ledger.as_of);
    attachment(bytes, content_type, &stem, extension)
}

#[derive(Debug, serde::Deserialize)]
struct BulletinQuery {
    plan: Option<String>,
}

/// `GET /export/bulletin?plan=ID`: the 督办通报 as of today, as an .xlsx workbook.
async fn download_bulletin(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    query: Result<axum::extract::Query<BulletinQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, Problem};
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Ok(axum::extract::Query(query)) = query else {
        return error_response(&AppError::field("request", Problem::BadFormat), false);
    };
    let plan = match plan_param(query.plan.as_deref()) {
        Ok(plan) => plan,
        Err(err) => return error_response(&err, false),
    };
    let bulletin = match state.db.get().await {
        Ok(db) => db::supervision::bulletin(&db, plan.as_ref(), state.clock.today()).await,
        Err(err) => Err(err),
    };
    let bulletin = match bulletin {
        Ok(Some(b)) => b,
        Ok(None) => return error_response(&AppError::NotFound(Entity::Plan), false),
        Err(err) => return error_response(&err, false),
    };
    match super::export::bulletin_xlsx(&bulletin) {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &crate::ui::bulletin::file_stem(&bulletin),
            "xlsx",
        ),
        Err(err) => error_response(&err, false),
    }
}

#[derive(Debug, serde::Deserialize)]
struct RankingQuery {
    plan: Option<String>,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    group: String,
}

/// `GET /export/ranking?plan=ID&as_of=YYYY-MM-DD&group=all|sections|streets`: the 量化考评
/// ranking as the reader may see it, as an .xlsx workbook.
async fn download_ranking(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    query: Result<axum::extract::Query<RankingQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::domain::Problem;
    use crate::domain::policy::Capability;
    let reader = user.as_ref().and_then(|u| u.0.0.clone());
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Some(reader) = reader else {
        return error_response(&AppError::Unauthorized, false);
    };
    let Ok(axum::extract::Query(query)) = query else {
        return error_response(&AppError::field("request", Problem::BadFormat), false);
    };
    let plan = match plan_param(query.plan.as_deref()) {
        Ok(plan) => plan,
        Err(err) => return error_response(&err, false),
    };
    let ranking = match state.db.get().await {
        Ok(db) => {
            db::scores::ranking(
                &db,
                &reader,
                state.clock.today(),
                plan.as_ref(),
                &query.as_of,
                &query.group,
            )
            .await
        }
        Err(err) => Err(err),
    };
    let ranking = match ranking {
        Ok(r) => r,
        Err(err) => return error_response(&err, false),
    };
    match super::export::ranking_xlsx(&ranking) {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{}-量化考评排名-{}", ranking.plan.title, ranking.as_of),
            "xlsx",
        ),
        Err(err) => error_response(&err, false),
    }
}

/// `GET /plans/{id}/template`: the import template of a plan, with its categories and the units
/// as drop-down lists.
async fn download_template(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, PlanId};
    if let Err(err) = gate(user, Capability::ManagePlans) {
        return error_response(&err, false);
    }
    let db = match state.db.get().await {
        Ok(db) => db,
        Err(err) => return error_response(&err, false),
    };
    let plan = match PlanId::parse(&id) {
        Some(id) => db::plans::get_plan(&db, &id).await,
        None => Ok(None),
    };
    let plan = match plan {
        Ok(Some(plan)) => plan,
        Ok(None) => return error_response(&AppError::NotFound(Entity::Plan), false),
        Err(err) => return error_response(&err, false),
    };
    let units = match db::units::list_units(&db).await {
        Ok(units) => units.into_iter().filter(|u| u.active).collect::<Vec<_>>(),
        Err(err) => return error_response(&err, false),
    };
    match super::export::import_template(&plan, &units) {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{}导入模板", plan.title),
            "xlsx",
        ),
        Err(err) => error_response(&err, false),
    }
}

/// `GET /export/meetings/{id}/minutes`: the meeting's 会议纪要 and 交办单 as a Word file, the
/// same text the minutes page shows.
async fn download_minutes(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, MeetingId};
    if let Err(err) = gate(user, Capability::Read) {
        return error_response(&err, false);
    }
    let Some(id) = MeetingId::parse(&id) else {
        return error_response(&AppError::NotFound(Entity::Meeting), false);
    };
    let view = match state.db.get().await {
        Ok(db) => db::meetings::view(&db, &id, state.clock.today()).await,
        Err(err) => Err(err),
    };
    let view = match view {
        Ok(view) => view,
        Err(err) => return error_response(&err, false),
    };
    let minutes = crate::ui::minutes::compose(&view, &view.meeting.overview, view.meeting.number);
    let orders = crate::ui::minutes::orders(&view);
    match super::docx::minutes_docx(&minutes, &orders) {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &format!("{}会议纪要", view.meeting.summary.title),
            "docx",
        ),
        Err(err) => error_response(&err, false),
    }
}

/// A file download: its type and a name (RFC 6266: an ASCII fallback, and the real, Chinese,
/// one percent-encoded).
fn attachment(bytes: Vec<u8>, content_type: &str, stem: &str, extension: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"download.{extension}\"; filename*=UTF-8''{}.{extension}",
        percent_encoding::utf8_percent_encode(stem, percent_encoding::NON_ALPHANUMERIC)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /admin/backup`: an online backup (`jiebang restore` reads it) for the system
/// administrator — the embedded store is held by the running server, so this is how it is
/// backed up without stopping it. Written to a temporary file and streamed from there; it
/// holds every record (password hashes too), so it is never cached and each one is logged.
async fn download_backup(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
) -> Response {
    use crate::domain::policy::Capability;
    let who = user
        .as_ref()
        .and_then(|u| u.0.0.as_ref().map(|u| u.username.clone()));
    if let Err(err) = gate(user, Capability::ManageSystem) {
        return error_response(&err, true);
    }
    let result = async {
        let dir = tempfile::tempdir().map_err(|_| AppError::Internal)?;
        let path = dir.path().join("backup.zip");
        let db = state.db.get().await?;
        let manifest = super::backup::backup(&db, &state.files, &path, &|_| {})
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "online backup failed");
                AppError::Internal
            })?;
        // Open, then let the directory go: the open file stays readable until streamed.
        let file = tokio::fs::File::open(&path).await.map_err(|_| AppError::Internal)?;
        let size = file.metadata().await.map_err(|_| AppError::Internal)?.len();
        tracing::info!(by = ?who, records = manifest.tables.values().sum::<u64>(), files = manifest.files.len(), size, "online backup downloaded");
        Ok::<_, AppError>((file, size))
    }
    .await;
    match result {
        Ok((file, size)) => {
            let stem = format!(
                "jiebang-backup-{}",
                chrono::Utc::now()
                    .with_timezone(&chrono_tz::Asia::Shanghai)
                    .format("%Y-%m-%d-%H%M")
            );
            (
                [
                    (header::CONTENT_TYPE, "application/zip".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}.zip\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                    (header::CONTENT_LENGTH, size.to_string()),
                ],
                axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)),
            )
                .into_response()
        }
        Err(err) => error_response(&err, true),
    }
}

/// `POST /plans/{id}/import` (multipart: `version`, `file`): a browser form uploads a task
/// list into a draft plan. Answers 303 back to the plans page: with the number imported, or
/// with the kept failed attempt whose every problem the page lists.
async fn upload_plan(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, PlanId, Problem};
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, true);
    };
    let actor = user.actor();
    if let Err(err) = super::authz::require_actor(&actor, Capability::ManagePlans) {
        return error_response(&err, true);
    }
    let Some(plan) = PlanId::parse(&id) else {
        return error_response(&AppError::NotFound(Entity::Plan), true);
    };
    let Ok(mut multipart) = multipart else {
        return error_response(&AppError::field("file", Problem::Required), true);
    };
    let (mut version, mut file, mut file_name) = (None, None, String::new());
    let mut create_units = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("version") => {
                    version = field
                        .text()
                        .await
                        .ok()
                        .and_then(|v| v.trim().parse::<u32>().ok())
                }
                Some("create_units") => create_units = true,
                Some("file") => {
                    file_name = field.file_name().unwrap_or_default().to_owned();
                    file = field.bytes().await.ok();
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return error_response(&AppError::field("file", Problem::BadFormat), true),
        }
    }
    let (Some(version), Some(file)) = (version, file.filter(|f| !f.is_empty())) else {
        return error_response(&AppError::field("file", Problem::Required), true);
    };
    let db = match state.db.get().await {
        Ok(db) => db,
        Err(err) => return error_response(&err, true),
    };
    match super::import::import_tasks(&db, &actor, &plan, version, &file, create_units).await {
        Ok(done) => {
            let units = match done.new_units.len() {
                0 => String::new(),
                n => format!("&new_units={n}"),
            };
            let merged = match done.merged_areas {
                0 => String::new(),
                n => format!("&merged={n}"),
            };
            Redirect::to(&format!("/plans?imported={}{units}{merged}", done.tasks)).into_response()
        }
        Err(err) => {
            match super::import::record_failure(&db, &actor, &plan, &file_name, &err).await {
                Ok(key) => Redirect::to(&format!("/plans?attempt={key}")).into_response(),
                Err(err) => error_response(&err, true),
            }
        }
    }
}

/// `POST /rectify/import` (multipart: `plan`, `file`): the office imports a findings list
/// (Excel/WPS/CSV) into a plan's 整改清单 — all rows or none. A browser form gets 303 back to
/// the list: `?imported=N`, or the problems (the first ten) in the address.
async fn upload_findings(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use crate::domain::policy::Capability;
    use crate::domain::{Entity, PlanId, Problem};
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, true);
    };
    let actor = user.actor();
    if let Err(err) = super::authz::require_actor(&actor, Capability::ManageFindings) {
        return error_response(&err, true);
    }
    let Ok(mut multipart) = multipart else {
        return error_response(&AppError::field("file", Problem::Required), true);
    };
    let (mut plan, mut file) = (String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("plan") => plan = field.text().await.unwrap_or_default(),
                Some("file") => file = field.bytes().await.ok(),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return error_response(&AppError::field("file", Problem::BadFormat), true),
        }
    }
    let Some(plan) = PlanId::parse(plan.trim()) else {
        return error_response(&AppError::NotFound(Entity::Plan), true);
    };
    let back = format!(
        "/rectify?plan={}",
        crate::ui::format::encode_query(plan.as_str())
    );
    let result = async {
        let file = file
            .filter(|f| !f.is_empty())
            .ok_or_else(|| AppError::field("file", Problem::Required))?;
        let db = state.db.get().await?;
        super::import::import_findings(&db, &actor, state.clock.today(), &plan, &file).await
    }
    .await;
    match result {
        Ok(n) => Redirect::to(&format!("{back}&imported={n}")).into_response(),
        Err(err) => {
            let err = match err {
                AppError::Import(mut problems) => {
                    problems.truncate(10);
                    AppError::Import(problems)
                }
                other => other,
            };
            let encoded = serde_json::to_string(&err).unwrap_or_default();
            Redirect::to(&format!(
                "{back}&import_error={}#import",
                percent_encoding::utf8_percent_encode(&encoded, percent_encoding::NON_ALPHANUMERIC)
            ))
            .into_response()
        }
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
    let ok = match state.db.get().await {
        Ok(db) => db::ping(&db).await,
        Err(_) => false,
    };
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
    fn only_content_named_files_are_kept_for_a_year() {
        assert!(is_hashed("jiebang.168GJ9UOxlvc_sOsBezglw.js"));
        assert!(is_hashed("jiebang.PhCvxlgpksk6uXNgWcPctw.wasm"));
        assert!(!is_hashed("jiebang.js"));
        assert!(!is_hashed("jiebang_bg.wasm"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("jiebang.min.js"));
        assert!(!is_hashed("a.b.c.d"));
    }

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
            encode_component("/tasks/a-1?q=小"),
            "/tasks/a-1%3Fq%3D%E5%B0%8F"
        );
    }

    #[test]
    fn error_json_carries_the_message_and_still_decodes() {
        let err = AppError::Conflict;
        let json = with_message(&err);
        assert_eq!(json["message"], "数据已被他人修改,请刷新后重试");
        let back: AppError = serde_json::from_value(json).expect("decodes");
        assert_eq!(back, err);
    }
}
