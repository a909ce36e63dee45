//! The board as the server renders it, through the real router (session check, page render,
//! database queries) on an in-memory database with the demo plan, as of its 7-29 meeting:
//! every request rendered (`rendered`, as right after a change) and served from the page cache
//! between changes (`kept`).
//! `cargo bench --features ssr --bench board`. The figures over HTTP, with many connections,
//! come from `scripts/bench.sh`.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, header};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use jiebang::server::clock::Clock;
use jiebang::server::config::Config;
use jiebang::server::{AppState, db, http::app, seed};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

struct Bench {
    router: axum::Router,
    cookie: String,
}

/// The app on the demo data, signed in as the leader; `kept`: with the page cache.
async fn setup(kept: bool) -> Bench {
    let database = db::connect(&Config::for_tests()).await.expect("mem://");
    db::migrations::migrate(&database).await.expect("migrate");
    seed::load_demo(&database).await.expect("demo");
    let options = LeptosOptions::builder().output_name("jiebang").build();
    let today = chrono::NaiveDate::from_ymd_opt(2022, 7, 29).expect("date");
    let state = AppState::new(database, options, Clock::Fixed(today), Default::default());
    let state = if kept {
        state
    } else {
        state.without_page_cache()
    };
    let router = app(state);
    let sign_in = Request::post("/api/sign_in")
        .header(header::HOST, "bench.local")
        .header(header::ORIGIN, "http://bench.local")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(format!(
            "username=linxh&password={}",
            seed::DEMO_PASSWORD
        )))
        .expect("request");
    let response = router.clone().oneshot(sign_in).await.expect("sign in");
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    Bench { router, cookie }
}

async fn get(bench: &Bench, path: &str) -> usize {
    let request = Request::get(path)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &bench.cookie)
        .body(Body::empty())
        .expect("request");
    let response = bench
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("response");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    body.len()
}

fn board(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // Every request rendered (as right after a change), then served between changes.
    for (group, kept) in [("rendered", false), ("kept", true)] {
        let bench = runtime.block_on(setup(kept));
        // What is measured is what a browser gets: all 42 cards.
        let size = runtime.block_on(get(&bench, "/"));
        assert!(size > 50_000, "the whole board ({size} bytes)");
        let mut group = c.benchmark_group(group);
        for (name, path) in [
            ("board", "/"),
            ("overview_table", "/?view=table"),
            ("by_unit", "/?view=units"),
            ("task", "/tasks/dapeng-2022-01"),
        ] {
            group.bench_function(name, |b| b.to_async(&runtime).iter(|| get(&bench, path)));
        }
        group.finish();
    }
}

criterion_group!(benches, board);
criterion_main!(benches);
