//! Test harness: the real router over an in-memory SurrealDB, served on 127.0.0.1:0.
#![allow(dead_code)]
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod process;

use jiebang::server::files::FileStore;
use jiebang::server::{AppState, Clock, Config, app, db, seed};
use leptos::config::LeptosOptions;

/// A running app and the database behind it; its HTTP side is [`Http`].
pub struct TestApp {
    pub http: Http,
    pub db: db::Db,
    /// Where this instance keeps evidence files (in memory).
    pub files: FileStore,
}

impl std::ops::Deref for TestApp {
    type Target = Http;
    fn deref(&self) -> &Http {
        &self.http
    }
}

/// A browser-like client of one app address: keeps its session cookie, speaks to pages,
/// server functions and the upload routes. Also used for servers in processes of their own.
pub struct Http {
    pub base: String,
    pub client: reqwest::Client,
    /// The session cookie (`name=value`) after [`Http::sign_in`].
    pub cookie: std::sync::Mutex<Option<String>>,
}

impl Http {
    /// A client of the app at `base` (`http://host:port`), not signed in. Redirects are
    /// answers to look at, not to follow.
    pub fn new(base: String) -> Self {
        Http {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookie: std::sync::Mutex::new(None),
        }
    }
}

/// A fresh migrated `mem://` database, optionally with the demo plan.
pub async fn database(with_demo: bool) -> db::Db {
    // Server logs (database errors among them) show up in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        // JIEBANG_TEST_LOG overrides, e.g. "warn,jiebang=debug,tower_http=debug".
        .with_env_filter(
            std::env::var("JIEBANG_TEST_LOG").unwrap_or_else(|_| "warn,jiebang=debug".to_owned()),
        )
        .try_init();
    let db = db::connect(&Config::for_tests())
        .await
        .expect("connect mem://");
    db::migrations::migrate(&db).await.expect("migrate");
    if with_demo {
        seed::load_demo(&db).await.expect("seed demo");
    }
    db
}

/// Serves the app on an ephemeral port.
pub async fn spawn(with_demo: bool) -> TestApp {
    serve(database(with_demo).await).await
}

/// Serves the demo app and signs in as `username` (demo password).
pub async fn signed_in(username: &str) -> TestApp {
    let app = spawn(true).await;
    let (status, body) = app.sign_in(username, seed::DEMO_PASSWORD).await;
    assert!(
        app.cookie.lock().expect("lock").is_some(),
        "sign-in as {username}: {status} {body}"
    );
    app
}

/// Serves another app instance over an existing database (with its own file store).
pub async fn serve(db: db::Db) -> TestApp {
    serve_with(db, FileStore::memory(Default::default())).await
}

/// Another instance over this one's database and files, signed in as `username`: a second
/// person using the same system.
pub async fn beside(app: &TestApp, username: &str) -> TestApp {
    let other = serve_with(app.db.clone(), app.files.clone()).await;
    let (status, body) = other.sign_in(username, seed::DEMO_PASSWORD).await;
    assert!(
        other.cookie.lock().expect("lock").is_some(),
        "sign-in as {username}: {status} {body}"
    );
    other
}

/// The state of an app instance over a database, on the demo's meeting day.
pub fn state(db: db::Db, files: FileStore) -> AppState {
    let leptos_options = LeptosOptions::builder().output_name("jiebang").build();
    // The seed's meeting day, so lights are deterministic.
    let clock = Clock::Fixed(chrono::NaiveDate::from_ymd_opt(2022, 7, 29).expect("date"));
    // Requests that need the database run on workers of their own, as in `serve`.
    let workers = jiebang::server::work::Workers::start(2).expect("workers");
    AppState::new(db, leptos_options, clock, Default::default())
        .with_files(files)
        .with_workers(workers)
}

/// Serves an app instance over a database, keeping evidence files in `files`.
pub async fn serve_with(db: db::Db, files: FileStore) -> TestApp {
    let state = state(db.clone(), files.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    // Each instance follows the database's audit trail, as `serve` does.
    jiebang::server::live::spawn(&state);
    tokio::spawn(async move {
        let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, service).await.expect("serve");
    });
    TestApp {
        http: Http::new(format!("http://{addr}")),
        db,
        files,
    }
}

impl Http {
    /// `req` with the session cookie, if signed in.
    pub fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.cookie.lock().expect("lock").clone() {
            Some(cookie) => req.header("cookie", cookie),
            None => req,
        }
    }

    /// GETs a page the way a browser does; returns status and body. A page that takes more
    /// than 60 s (a hang, not a slow machine) fails the test rather than hanging the suite.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let send = || {
            let req = self
                .client
                .get(format!("{}{path}", self.base))
                .header("accept", "text/html")
                .timeout(std::time::Duration::from_secs(60));
            self.with_cookie(req).send()
        };
        let mut res = send().await;
        // A pooled keep-alive connection the server closed just as it was reused: a browser
        // resends such a GET once, and so do we. A timeout is never retried.
        if matches!(&res, Err(e) if !e.is_timeout()) {
            res = send().await;
        }
        // Debug, not Display: it names the cause (timeout, reset, refused).
        let res = res.unwrap_or_else(|e| panic!("GET {path}: {e:?}"));
        let status = res.status().as_u16();
        let body = res.text().await;
        (
            status,
            body.unwrap_or_else(|e| panic!("GET {path} body: {e}")),
        )
    }

    /// GETs a page; returns status and the `Location` header.
    pub async fn get_location(&self, path: &str) -> (u16, Option<String>) {
        let req = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html");
        let res = self.with_cookie(req).send().await.expect("GET");
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (res.status().as_u16(), location)
    }

    /// Whether signing in succeeds (a session cookie comes back).
    pub async fn signs_in(&self, username: &str, password: &str) -> bool {
        self.sign_in(username, password).await;
        self.cookie.lock().expect("lock").is_some()
    }

    /// Signs in through the server function, as the sign-in form does, and keeps the cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> (u16, String) {
        *self.cookie.lock().expect("lock") = None;
        let body = format!(
            "username={}&password={}&next=%2F",
            encode(username),
            encode(password)
        );
        let res = self
            .client
            .post(format!("{}/api/sign_in", self.base))
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .body(body)
            .send()
            .await
            .expect("POST");
        let status = res.status().as_u16();
        if let Some(set) = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_owned();
            *self.cookie.lock().expect("lock") = Some(pair);
        }
        (status, res.text().await.expect("body"))
    }

    /// POSTs a form to a server function the way a browser's fetch does; returns status and body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self.api(endpoint, form).send().await.expect("POST");
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    /// The request [`Http::call`] sends, with the session cookie, for callers that must see a
    /// broken connection as an outcome rather than a failed test (the crash and load suites).
    pub fn api(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body);
        self.with_cookie(req)
    }
}

impl Http {
    /// POSTs a raw body to a server function with the session cookie and the given extra
    /// headers (no `Origin` unless given); returns status and body.
    pub async fn post_raw(
        &self,
        endpoint: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        let mut req = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.with_cookie(req).send().await.expect("POST");
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }
}

/// What a multipart POST answered: status, `Location`, body, and the headers.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Http {
    /// POSTs a multipart form to a path as a browser form does (`json`: as the page's script
    /// does, asking for JSON).
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
        json: bool,
    ) -> Answer {
        let accept = if json {
            "application/json"
        } else {
            "text/html,application/xhtml+xml"
        };
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("accept", accept)
            .multipart(form);
        let res = self.with_cookie(req).send().await.expect("POST");
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Answer {
            status,
            location,
            body: res.text().await.expect("body"),
        }
    }

    /// GETs a file with the session cookie; returns status, headers and bytes.
    pub async fn fetch(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let req = self.client.get(format!("{}{path}", self.base));
        let res = self.with_cookie(req).send().await.expect("GET");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        (status, headers, res.bytes().await.expect("body").to_vec())
    }
}

impl Http {
    /// GETs a file (no `Accept: text/html`) with the session cookie; returns status and bytes.
    pub async fn download(&self, path: &str) -> (u16, Vec<u8>) {
        let req = self.client.get(format!("{}{path}", self.base));
        let res = self.with_cookie(req).send().await.expect("GET");
        let status = res.status().as_u16();
        (status, res.bytes().await.expect("body").to_vec())
    }
}

/// The `message` of an error answer (the Chinese text a client shows).
pub fn message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// Whether a text is Chinese (has CJK characters) and carries no ASCII word of four or more
/// letters (library English such as "invalid digit").
pub fn is_chinese(text: &str) -> bool {
    let cjk = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    // Names of file formats and products are words a cadre uses too.
    const NAMES: &[&str] = &["Word", "Excel", "PowerPoint", "Office"];
    let english = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 4 && !NAMES.contains(&w));
    cjk && !english
}

/// Percent-encodes a query or form value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Counts non-overlapping occurrences.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The task ids linked from a page, in order.
pub fn task_links(html: &str) -> Vec<String> {
    html.split("href=\"/tasks/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// The task id the card with this number links to.
pub fn card_link(html: &str, number: u32) -> Option<String> {
    let card = html.find(&format!("data-number=\"{number}\""))?;
    task_links(&html[card..]).into_iter().next()
}

/// Sets up a 专题调度会 on the demo plan as `office` (新区组织人事局三楼会议室, host 林晓华);
/// answers the status and the body (the new meeting's id on success).
pub async fn set_up_meeting(
    office: &TestApp,
    title: &str,
    date: &str,
    time: &str,
) -> (u16, String) {
    office
        .call(
            "create_meeting",
            &[
                ("plan", "dapeng-2022"),
                ("title", title),
                ("date", date),
                ("time", time),
                ("place", "新区组织人事局三楼会议室"),
                ("host", "林晓华"),
                ("attendees", "组织科、各街道党建办负责同志"),
            ],
        )
        .await
}
