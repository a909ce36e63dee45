//! Pages and sessions kept between requests, so a board that forty people have open (and a
//! meeting-room screen that reloads it) is rendered once per change, not once per request.
//!
//! Everything cached is keyed on the live feed's *generation* (see [`LiveHub::generation`]):
//! it moves on with every audited write of any instance (through the feed), with every write
//! request this instance answers (before the answer leaves, so whoever wrote reads their own
//! write), with a re-subscription of the feed and at midnight. An entry made under an older
//! generation is never served again, so a page rendered while a write was committing cannot
//! outlive it. Entries also expire on their own (pages after a minute, sessions after
//! [`SESSION_TTL`]) as a bound on anything the feed cannot see: a session ended through
//! another instance, or one that ran out of time.
//!
//! A page is kept per account (the header names the reader; what a page offers depends on
//! the reader's role and unit), per address and per accepted encoding, and only when it is a
//! plain `200` HTML answer that sets no cookie.
//!
//! [`LiveHub::generation`]: super::live::LiveHub::generation

use crate::domain::CurrentUser;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use chrono::NaiveDate;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// How long a resolved session is trusted without asking the database again. A session ended
/// on this instance ends at once (that write moves the generation); one ended through another
/// instance, or one that just expired, at the latest after this. Even so, a reader's session
/// costs one lookup a second instead of one per request.
pub const SESSION_TTL: Duration = Duration::from_secs(1);

/// How long a page may be served without any change being seen (a bound, not the rule).
const PAGE_TTL: Duration = Duration::from_secs(60);

/// Memory for kept pages (their compressed bytes); the least used go first beyond it.
const PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// A page larger than this is not kept.
const PAGE_MAX: usize = 4 * 1024 * 1024;

/// How long a reader waits for another request's rendering of the same page before rendering
/// it alone (a bound, should that rendering hang).
const RENDER_WAIT: Duration = Duration::from_secs(5);

/// The header on an answer served from the cache.
pub const KEPT_HEADER: &str = "x-page-cache";

/// Which rendering of which page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    generation: u64,
    today: NaiveDate,
    account: String,
    /// Path and query.
    address: String,
    /// What the browser accepts: the answer's encoding and whether it is a page follow from it.
    accept: Option<HeaderValue>,
    accept_encoding: Option<HeaderValue>,
}

/// An answer as it was sent.
#[derive(Debug)]
struct KeptPage {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Debug, Clone)]
struct KeptSession {
    generation: u64,
    user: CurrentUser,
}

/// The process's kept pages and sessions. Cheap to clone.
#[derive(Clone, Debug)]
pub struct PageCache {
    pages: Option<Cache<PageKey, Arc<KeptPage>>>,
    sessions: Option<Cache<String, KeptSession>>,
    /// One lock per page being rendered: when a kept page runs out or a change makes every
    /// page new, the readers asking at that moment wait for one rendering instead of each
    /// rendering it (64 renderings at once held the board's p99 at 0.5–1.5 s).
    renders: Option<Cache<PageKey, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(true)
    }
}

impl PageCache {
    /// Caches that keep things, or (`enabled == false`, `JIEBANG_PAGE_CACHE=off`) that keep
    /// nothing: every request is rendered and every session looked up.
    pub fn new(enabled: bool) -> Self {
        if !enabled {
            return Self {
                pages: None,
                sessions: None,
                renders: None,
            };
        }
        let pages = Cache::builder()
            .max_capacity(PAGE_BYTES)
            .weigher(|_key: &PageKey, page: &Arc<KeptPage>| {
                u32::try_from(page.body.len()).unwrap_or(u32::MAX)
            })
            .time_to_live(PAGE_TTL)
            .build();
        let sessions = Cache::builder()
            .max_capacity(100_000)
            .time_to_live(SESSION_TTL)
            .build();
        let renders = Cache::builder()
            .max_capacity(10_000)
            .time_to_idle(RENDER_WAIT * 2)
            .build();
        Self {
            pages: Some(pages),
            sessions: Some(sessions),
            renders: Some(renders),
        }
    }

    /// The user of session `token_hash`, if it was resolved under `generation` lately.
    pub fn session(&self, token_hash: &str, generation: u64) -> Option<CurrentUser> {
        let kept = self.sessions.as_ref()?.get(token_hash)?;
        (kept.generation == generation).then_some(kept.user)
    }

    /// Remembers that session `token_hash` belonged to `user` under `generation`.
    pub fn keep_session(&self, token_hash: String, generation: u64, user: CurrentUser) {
        if let Some(sessions) = &self.sessions {
            sessions.insert(token_hash, KeptSession { generation, user });
        }
    }
}

/// Whether a request is one whose answer may be kept: a signed-in reader's `GET` of a page
/// (not a server function, an event stream, a download or a file).
pub fn keepable(req: &Request<Body>) -> bool {
    let path = req.uri().path();
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    req.method() == Method::GET
        && !last_segment.contains('.')
        && ![
            "/api/",
            "/pkg/",
            "/events",
            "/export/",
            "/reports/",
            "/wall/",
            "/healthz",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        && !path.ends_with("/template")
}

/// Whether a request may change data: anything but a read. Server functions follow the
/// verb_noun naming, and only `get_…` and `list_…` merely read.
pub fn writes(req: &Request<Body>) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let path = req.uri().path();
    !(path.starts_with("/api/get_") || path.starts_with("/api/list_"))
}

/// A kept page, by everything it depends on.
pub struct Lookup {
    key: PageKey,
}

impl Lookup {
    /// The key of `req` for `account` as of `today`, under `generation`.
    pub fn new(req: &Request<Body>, account: &str, today: NaiveDate, generation: u64) -> Self {
        Self {
            key: PageKey {
                generation,
                today,
                account: account.to_owned(),
                address: req
                    .uri()
                    .path_and_query()
                    .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()),
                accept: req.headers().get(header::ACCEPT).cloned(),
                accept_encoding: req.headers().get(header::ACCEPT_ENCODING).cloned(),
            },
        }
    }

    /// The kept answer, if any.
    pub fn hit(&self, cache: &PageCache) -> Option<Response<Body>> {
        let page = cache.pages.as_ref()?.get(&self.key)?;
        let mut response = Response::new(Body::from(page.body.clone()));
        *response.headers_mut() = page.headers.clone();
        // Says where the answer came from (for operators and tests).
        response
            .headers_mut()
            .insert(KEPT_HEADER, HeaderValue::from_static("hit"));
        Some(response)
    }

    /// Waits for this page's turn to be rendered: the caller then looks again (another reader
    /// may just have rendered it) and renders it if not. The turn ends when the guard drops;
    /// `None` without a cache, or after [`RENDER_WAIT`].
    pub async fn turn(&self, cache: &PageCache) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let lock = cache
            .renders
            .as_ref()?
            .get_with(self.key.clone(), || Arc::new(tokio::sync::Mutex::new(())));
        tokio::time::timeout(RENDER_WAIT, lock.lock_owned())
            .await
            .ok()
    }

    /// Keeps `response` if it may be kept, and gives it back to be sent either way.
    pub async fn keep(self, cache: &PageCache, response: Response<Body>) -> Response<Body> {
        let Some(pages) = &cache.pages else {
            return response;
        };
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if response.status() != StatusCode::OK
            || !is_html
            || response.headers().contains_key(header::SET_COOKIE)
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        // A server-rendered page is complete before its first byte is sent, so reading it
        // whole here delays nothing.
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => body,
            Err(err) => {
                tracing::warn!(error = %err, "page body failed");
                return Response::from_parts(parts, Body::empty());
            }
        };
        if body.len() <= PAGE_MAX {
            pages.insert(
                self.key,
                Arc::new(KeptPage {
                    headers: parts.headers.clone(),
                    body: body.clone(),
                }),
            );
        }
        Response::from_parts(parts, Body::from(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str) -> Request<Body> {
        Request::get(uri).body(Body::empty()).expect("request")
    }

    fn post(uri: &str) -> Request<Body> {
        Request::post(uri).body(Body::empty()).expect("request")
    }

    #[test]
    fn only_pages_are_kept() {
        assert!(keepable(&get("/")));
        assert!(keepable(&get("/?view=table&light=red")));
        assert!(keepable(&get("/tasks/dapeng-2022-01")));
        assert!(keepable(&get("/work")));
        assert!(!keepable(&post("/")));
        assert!(!keepable(&get("/api/get_board")));
        assert!(!keepable(&get("/events")));
        assert!(!keepable(&get("/export/ledger?format=xlsx")));
        assert!(!keepable(&get("/reports/r1/files/0")));
        assert!(!keepable(&get("/plans/p/template")));
        assert!(!keepable(&get("/wall/abc")));
        assert!(!keepable(&get("/favicon.svg")));
        assert!(!keepable(&get("/pkg/jiebang.wasm")));
    }

    #[test]
    fn reads_do_not_count_as_writes() {
        assert!(!writes(&get("/")));
        assert!(!writes(&post("/api/get_board")));
        assert!(!writes(&post("/api/list_units")));
        assert!(writes(&post("/api/submit_report")));
        assert!(writes(&post("/api/sign_out")));
        assert!(writes(&post("/tasks/t/reports")));
        assert!(writes(&post("/plans/p/import")));
    }

    fn user(role: crate::domain::Role) -> CurrentUser {
        CurrentUser {
            id: crate::domain::AccountId::parse("linxh").expect("id"),
            username: "linxh".into(),
            display_name: "林晓华".into(),
            role,
            unit: None,
            unit_name: None,
            person: None,
        }
    }

    #[test]
    fn sessions_are_kept_per_generation() {
        let cache = PageCache::new(true);
        cache.keep_session("h".into(), 7, user(crate::domain::Role::Leader));
        assert_eq!(
            cache.session("h", 7).map(|u| u.role),
            Some(crate::domain::Role::Leader)
        );
        assert_eq!(cache.session("h", 8), None);
        assert_eq!(cache.session("other", 7), None);
        let off = PageCache::new(false);
        off.keep_session("h".into(), 7, user(crate::domain::Role::Leader));
        assert_eq!(off.session("h", 7), None);
    }

    fn html(body: &'static str) -> Response<Body> {
        let mut response = Response::new(Body::from(body));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        response
    }

    async fn text(response: Response<Body>) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn a_page_is_served_again_only_under_the_same_key() {
        let cache = PageCache::new(true);
        let day = NaiveDate::from_ymd_opt(2022, 7, 29).expect("date");
        let req = get("/?view=table");
        let sent = Lookup::new(&req, "linxh", day, 1)
            .keep(&cache, html("<p>board</p>"))
            .await;
        assert_eq!(text(sent).await, "<p>board</p>");
        let again = Lookup::new(&req, "linxh", day, 1)
            .hit(&cache)
            .expect("kept");
        assert_eq!(text(again).await, "<p>board</p>");
        // Another reader, a later generation, another day, another address: not served.
        assert!(Lookup::new(&req, "guest", day, 1).hit(&cache).is_none());
        assert!(Lookup::new(&req, "linxh", day, 2).hit(&cache).is_none());
        assert!(
            Lookup::new(&req, "linxh", day.succ_opt().expect("day"), 1)
                .hit(&cache)
                .is_none()
        );
        assert!(
            Lookup::new(&get("/?view=units"), "linxh", day, 1)
                .hit(&cache)
                .is_none()
        );
    }

    #[tokio::test]
    async fn errors_cookies_and_other_types_are_not_kept() {
        let cache = PageCache::new(true);
        let day = NaiveDate::from_ymd_opt(2022, 7, 29).expect("date");
        let req = get("/tasks/x");
        let mut missing = html("<p>没有</p>");
        *missing.status_mut() = StatusCode::NOT_FOUND;
        let _ = Lookup::new(&req, "a", day, 1).keep(&cache, missing).await;
        assert!(Lookup::new(&req, "a", day, 1).hit(&cache).is_none());
        let mut cookie = html("<p>x</p>");
        cookie
            .headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        let _ = Lookup::new(&req, "a", day, 1).keep(&cache, cookie).await;
        assert!(Lookup::new(&req, "a", day, 1).hit(&cache).is_none());
        let json = Response::new(Body::from("{}"));
        let _ = Lookup::new(&req, "a", day, 1).keep(&cache, json).await;
        assert!(Lookup::new(&req, "a", day, 1).hit(&cache).is_none());
    }

    /// Readers asking for the same page at the same moment: one renders, the others take its
    /// answer. (What the middleware in `server::http` does with `turn`.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_arriving_together_wait_for_one_rendering() {
        let cache = PageCache::new(true);
        let day = NaiveDate::from_ymd_opt(2022, 7, 29).expect("date");
        let renderings = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let readers: Vec<_> = (0..16)
            .map(|_| {
                let (cache, renderings) = (cache.clone(), renderings.clone());
                tokio::spawn(async move {
                    let lookup = Lookup::new(&get("/"), "linxh", day, 3);
                    if let Some(kept) = lookup.hit(&cache) {
                        return text(kept).await;
                    }
                    let _turn = lookup.turn(&cache).await;
                    if let Some(kept) = lookup.hit(&cache) {
                        return text(kept).await;
                    }
                    renderings.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    text(lookup.keep(&cache, html("<p>board</p>")).await).await
                })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.await.expect("reader"), "<p>board</p>");
        }
        assert_eq!(renderings.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Without a cache nobody waits.
        let off = PageCache::new(false);
        assert!(
            Lookup::new(&get("/"), "linxh", day, 3)
                .turn(&off)
                .await
                .is_none()
        );
    }
}
