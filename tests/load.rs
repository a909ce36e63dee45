//! Load suite: simulated people against the real server binary (a process of its own, on an
//! embedded SurrealKV store with the demo): 80 % reads (the board, task pages, 工作台), 15 %
//! progress reports, 5 % other writes (批示 and comments), each person pausing between
//! steps as people do. Every request must answer within its timeout; a write conflict must be
//! retried by the server or answered 409, never a stall. Reports p50/p99 per request type and
//! the server's memory before and after.
//!
//! The quick run is part of the normal test command; `scripts/proof.sh load` runs 200 people
//! for 5 minutes on the release server (`JIEBANG_LOAD_USERS`, `JIEBANG_LOAD_SECONDS`), and
//! `scripts/proof.sh soak` a lighter load for an hour.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::Http;
use common::process::Server;
use jiebang::server::seed::DEMO_PASSWORD;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// No request may take longer than this: a slower one counts as an error.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Who the simulated people are (sessions spread over the demo's accounts): the office reports
/// on any task under way, a unit head on its unit's tasks.
const PEOPLE: &[(&str, Option<&str>)] = &[
    ("wangfang", None),
    ("liuqiang", Some("葵涌街道党建办")),
    ("yangfan", Some("南澳街道党建办")),
    ("liming", Some("党员教育管理科")),
    ("linxh", None),
    ("guest", None),
];

#[derive(Default)]
struct Stats {
    /// Milliseconds per request type.
    latencies: BTreeMap<&'static str, Vec<f64>>,
    /// Answers other than 2xx by type and status (409 conflicts are counted here too).
    refused: BTreeMap<String, usize>,
    /// 5xx, timeouts, broken connections: the suite fails on any.
    errors: Vec<String>,
}

struct Figures {
    users: usize,
    pause_ms: (u64, u64),
    seconds: u64,
    requests: usize,
    errors: usize,
    rss_before_kib: u64,
    rss_after_kib: u64,
    lines: Vec<String>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Sends `req` (which carries the person's session cookie), timing it and counting the outcome.
async fn send(stats: &Mutex<Stats>, kind: &'static str, req: reqwest::RequestBuilder) {
    let started = Instant::now();
    let answer = req.timeout(TIMEOUT).send().await;
    let result = match answer {
        Ok(res) => {
            let status = res.status().as_u16();
            match res.bytes().await {
                Ok(_) => Ok(status),
                Err(e) => Err(format!("{kind}: body: {e}")),
            }
        }
        Err(e) => Err(format!("{kind}: {e:?}")),
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut stats = stats.lock().await;
    stats.latencies.entry(kind).or_default().push(ms);
    match result {
        Ok(200..=399) => {}
        Ok(status @ 500..) => stats.errors.push(format!("{kind}: {status}")),
        Ok(status) => *stats.refused.entry(format!("{kind} {status}")).or_default() += 1,
        Err(e) => stats.errors.push(e),
    }
}

#[allow(clippy::too_many_arguments)]
async fn person(
    http: Http,
    role: &'static str,
    reports_on: Vec<String>,
    all_tasks: Arc<Vec<String>>,
    stats: Arc<Mutex<Stats>>,
    until: Instant,
    seed: u64,
    pause_ms: (u64, u64),
) {
    let mut rng = StdRng::seed_from_u64(seed);
    // A leader writes 批示; a visitor only reads.
    let (comment_kind, read_only) = match role {
        "linxh" => ("instruction", false),
        "guest" => ("comment", true),
        _ => ("comment", false),
    };
    let page = |path: String| {
        http.with_cookie(
            http.client
                .get(format!("{}{path}", http.base))
                .header("accept", "text/html"),
        )
    };
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let roll = rng.random_range(0..100);
        let task = &all_tasks[rng.random_range(0..all_tasks.len())];
        if roll < 80 {
            let (kind, path) = match roll % 4 {
                0 | 1 => ("GET board", "/".to_owned()),
                2 => ("GET task page", format!("/tasks/{task}")),
                _ => ("GET 工作台", "/work".to_owned()),
            };
            send(&stats, kind, page(path)).await;
        } else if read_only {
            send(&stats, "GET board", page("/".to_owned())).await;
        } else if roll < 95 && !reports_on.is_empty() {
            let on = &reports_on[rng.random_range(0..reports_on.len())];
            let percent = rng.random_range(30..90).to_string();
            let done = format!("负载演练第{n}次报送");
            let form = [
                ("id", on.as_str()),
                ("percent", percent.as_str()),
                ("done", done.as_str()),
                ("problems", ""),
                ("next_steps", ""),
            ];
            send(&stats, "POST report", http.api("add_report", &form)).await;
        } else {
            let body = format!("负载演练意见{n}");
            let form = [
                ("id", task.as_str()),
                ("kind", comment_kind),
                ("body", body.as_str()),
            ];
            send(&stats, "POST comment", http.api("add_comment", &form)).await;
        }
        let pause = rng.random_range(pause_ms.0..=pause_ms.1);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}

/// `users` people for `seconds`, each pausing `pause_ms` between steps.
async fn load_run(users: usize, seconds: u64, pause_ms: (u64, u64), seed: u64) -> Figures {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = Server::new(dir.path());
    server.start().await;
    let base = server.base();
    // The tasks under way and their lead units, as the board has them.
    let office = Http::new(base.clone());
    assert!(office.signs_in("wangfang", DEMO_PASSWORD).await);
    let (status, body) = office.call("get_board", &[]).await;
    assert_eq!(status, 200, "{body}");
    let board: serde_json::Value = serde_json::from_str(&body).expect("board");
    let tasks = board["tasks"].as_array().expect("tasks");
    let all_tasks: Arc<Vec<String>> = Arc::new(
        tasks
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect(),
    );
    let under_way = |unit: Option<&str>| -> Vec<String> {
        tasks
            .iter()
            .filter(|t| t["status"] == "in_progress")
            .filter(|t| unit.is_none_or(|u| t["lead_unit"] == u))
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let stats = Arc::new(Mutex::new(Stats::default()));
    // Warm up (first renders, caches), then measure memory before the run.
    for path in ["/", "/work", "/tasks/dapeng-2022-12"] {
        office.get(path).await;
    }
    let rss_before_kib = server.rss_kib().unwrap_or(0);
    let mut people = Vec::new();
    let mut sessions = Vec::new();
    for i in 0..users {
        let (user, unit) = PEOPLE[i % PEOPLE.len()];
        let http = Http::new(base.clone());
        assert!(http.signs_in(user, DEMO_PASSWORD).await, "{user}");
        let reports_on = match (user, unit) {
            ("wangfang", _) => under_way(None),
            (_, Some(unit)) => under_way(Some(unit)),
            _ => Vec::new(),
        };
        sessions.push((http, user, reports_on));
    }
    let until = Instant::now() + Duration::from_secs(seconds);
    for (i, (http, user, reports_on)) in sessions.into_iter().enumerate() {
        people.push(tokio::spawn(person(
            http,
            user,
            reports_on,
            all_tasks.clone(),
            stats.clone(),
            until,
            seed.wrapping_add(i as u64),
            pause_ms,
        )));
    }
    for p in people {
        p.await.expect("person");
    }
    let rss_after_kib = server.rss_kib().unwrap_or(0);
    server.kill();
    let stats = std::mem::take(&mut *stats.lock().await);
    let mut lines = Vec::new();
    let mut requests = 0;
    for (kind, mut ms) in stats.latencies {
        ms.sort_by(f64::total_cmp);
        requests += ms.len();
        lines.push(format!(
            "  {kind}: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            ms.len(),
            percentile(&ms, 50.0),
            percentile(&ms, 99.0),
            ms.last().copied().unwrap_or(0.0)
        ));
    }
    for (what, n) in &stats.refused {
        lines.push(format!("  refused with a reason: {what} ×{n}"));
    }
    for e in stats.errors.iter().take(20) {
        lines.push(format!("  ERROR {e}"));
    }
    Figures {
        users,
        pause_ms,
        seconds,
        requests,
        errors: stats.errors.len(),
        rss_before_kib,
        rss_after_kib,
        lines,
    }
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name}: {} people for {} s (pausing {}–{} ms), {} requests ({:.0}/s), errors {}; server RSS {} MB before, {} MB after",
        f.users,
        f.seconds,
        f.pause_ms.0,
        f.pause_ms.1,
        f.requests,
        f.requests as f64 / f.seconds as f64,
        f.errors,
        f.rss_before_kib / 1024,
        f.rss_after_kib / 1024
    );
    for line in &f.lines {
        println!("{line}");
    }
}

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_people_for_five_seconds_get_every_answer_in_time() {
    let figures = load_run(20, 5, (50, 300), 7).await;
    print("load (quick)", &figures);
    assert!(figures.requests > 100, "the people did work");
    assert_eq!(figures.errors, 0);
}

/// `scripts/proof.sh load`: 200 people for 5 minutes, pausing 2–8 s between steps (someone
/// reading a page before the next click); `JIEBANG_LOAD_PAUSE_MS=500-1500` presses harder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: scripts/proof.sh load"]
async fn proof_load() {
    let users = number("JIEBANG_LOAD_USERS", 200) as usize;
    let seconds = number("JIEBANG_LOAD_SECONDS", 300);
    let pause = std::env::var("JIEBANG_LOAD_PAUSE_MS")
        .ok()
        .and_then(|v| {
            let (a, b) = v.split_once('-')?;
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        })
        .unwrap_or((2000, 8000));
    let figures = load_run(users, seconds, pause, 29).await;
    print("PROOF load", &figures);
    assert_eq!(figures.errors, 0);
}

/// `scripts/proof.sh soak`: 20 people pausing 1–3 s, for an hour (`JIEBANG_SOAK_SECONDS`), a
/// lighter load than the 5-minute one; memory after it
/// must stay within 50 MB of memory after a short warm-up run of the same load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: scripts/proof.sh soak"]
async fn proof_soak() {
    let seconds = number("JIEBANG_SOAK_SECONDS", 3600);
    let figures = load_run(20, seconds, (1_000, 3_000), 31).await;
    print("PROOF soak", &figures);
    assert_eq!(figures.errors, 0);
    assert!(
        figures.rss_after_kib < figures.rss_before_kib + 50 * 1024,
        "memory grew from {} to {} MB",
        figures.rss_before_kib / 1024,
        figures.rss_after_kib / 1024
    );
}
