//! Crash suite: the real server binary on an embedded SurrealKV store is killed with SIGKILL
//! at random moments while several people write (reports, reports with evidence files, 批示
//! and comments, 揭榜认领 and 撤回认领); after each kill it is started again on the same data
//! directory. At the end every write the server acknowledged must be there, whole, with its
//! audit event, and nothing may be half-written (a record without its event, an event without
//! its record, a report without its file).
//!
//! The quick run (a few kills) is part of the normal test command; the long run (1,000
//! acknowledged writes, at least 10 kills, the release server) is `scripts/proof.sh crash`.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::Http;
use common::process::Server;
use jiebang::server::files::FileStore;
use jiebang::server::{Config, db, seed};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use surrealdb::types::SurrealValue;
use tokio::sync::Mutex;

/// Marks every text this suite writes, so its records are told from the demo's.
const MARK: &str = "崩溃演练";

/// A write the server answered 200 to, with what identifies it afterwards.
#[derive(Debug, Clone)]
enum Ack {
    Report {
        id: String,
        text: String,
    },
    Upload {
        id: String,
        text: String,
        sha256: String,
    },
    Comment {
        id: String,
        text: String,
    },
    Claim {
        id: String,
    },
    Withdraw {
        id: String,
    },
}

#[derive(Default)]
struct Tally {
    acks: Vec<Ack>,
    /// Writes the server refused with a reason (4xx), e.g. a task not under way.
    refused: usize,
    /// Writes cut off by a kill (sent, no answer): neither acknowledged nor refused.
    unanswered: usize,
    /// Connections refused while the server was down (nothing sent).
    down: usize,
    /// 5xx answers: the suite fails on any.
    server_errors: Vec<String>,
}

enum Outcome {
    Ok(String),
    Refused,
    Unanswered,
}

struct Run {
    tally: Mutex<Tally>,
    acked: AtomicUsize,
    done: AtomicBool,
}

impl Run {
    async fn record(
        &self,
        what: &str,
        answer: Result<reqwest::Response, reqwest::Error>,
    ) -> Outcome {
        let res = match answer {
            Ok(res) => res,
            Err(e) if e.is_connect() => {
                self.tally.lock().await.down += 1;
                // The server is being restarted: wait for it as a person would.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Outcome::Unanswered;
            }
            Err(_) => {
                self.tally.lock().await.unanswered += 1;
                return Outcome::Unanswered;
            }
        };
        let status = res.status().as_u16();
        let Ok(body) = res.text().await else {
            self.tally.lock().await.unanswered += 1;
            return Outcome::Unanswered;
        };
        match status {
            200 => Outcome::Ok(body),
            500.. => {
                self.tally
                    .lock()
                    .await
                    .server_errors
                    .push(format!("{what}: {status} {body}"));
                Outcome::Refused
            }
            _ => {
                self.tally.lock().await.refused += 1;
                Outcome::Refused
            }
        }
    }

    async fn ack(&self, ack: Ack) {
        self.tally.lock().await.acks.push(ack);
        self.acked.fetch_add(1, Ordering::SeqCst);
    }
}

/// What one person keeps writing.
#[derive(Clone, Copy, Debug)]
enum Writer {
    /// The office's progress reports on any task under way.
    Report,
    /// The office's reports with a PDF each (a different file every time).
    Upload,
    /// A leader's 批示.
    Instruction,
    /// A unit's comments.
    Comment,
    /// A unit claiming task 41 (open for 揭榜) and withdrawing the claim.
    Claim,
}

async fn sign_in(base: &str, user: &str) -> Http {
    let http = Http::new(base.to_owned());
    let (status, body) = http.sign_in(user, seed::DEMO_PASSWORD).await;
    assert!(
        http.cookie.lock().unwrap().is_some(),
        "sign-in as {user}: {status} {body}"
    );
    http
}

async fn call(
    http: &Http,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> Result<reqwest::Response, reqwest::Error> {
    http.api(endpoint, fields)
        .timeout(Duration::from_secs(30))
        .send()
        .await
}

fn task(n: u32) -> String {
    format!("dapeng-2022-{n}")
}

async fn write(run: Arc<Run>, http: Http, writer: Writer, client: usize, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pending_claim: Option<String> = None;
    let mut n = 0usize;
    while !run.done.load(Ordering::SeqCst) {
        n += 1;
        let text = format!("{MARK}{client}-{n}");
        let on = task(rng.random_range(1..=40));
        match writer {
            Writer::Report => {
                let answer = call(
                    &http,
                    "add_report",
                    &[
                        ("id", &on),
                        ("percent", "60"),
                        ("done", &text),
                        ("problems", ""),
                        ("next_steps", ""),
                    ],
                )
                .await;
                if let Outcome::Ok(body) = run.record("add_report", answer).await {
                    let id: String = serde_json::from_str(&body).expect("report id");
                    run.ack(Ack::Report { id, text }).await;
                }
            }
            Writer::Upload => {
                let pdf = format!(
                    "%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
                );
                let sha256 = hex::encode(Sha256::digest(pdf.as_bytes()));
                let part = reqwest::multipart::Part::bytes(pdf.into_bytes()).file_name("佐证.pdf");
                let multipart = reqwest::multipart::Form::new()
                    .text("percent", "60")
                    .text("done", text.clone())
                    .text("problems", "")
                    .text("next_steps", "")
                    .part("files", part);
                let answer = http
                    .with_cookie(
                        http.client
                            .post(format!("{}/tasks/{on}/reports", http.base)),
                    )
                    .header("origin", &http.base)
                    .header("accept", "application/json")
                    .timeout(Duration::from_secs(30))
                    .multipart(multipart)
                    .send()
                    .await;
                if let Outcome::Ok(body) = run.record("upload", answer).await {
                    let answer: serde_json::Value = serde_json::from_str(&body).expect("json");
                    let id = answer["report"].as_str().expect("report id").to_owned();
                    run.ack(Ack::Upload { id, text, sha256 }).await;
                }
            }
            Writer::Instruction | Writer::Comment => {
                let kind = if matches!(writer, Writer::Instruction) {
                    "instruction"
                } else {
                    "comment"
                };
                let answer = call(
                    &http,
                    "add_comment",
                    &[("id", &on), ("kind", kind), ("body", &text)],
                )
                .await;
                if let Outcome::Ok(body) = run.record("add_comment", answer).await {
                    let id: String = serde_json::from_str(&body).expect("comment id");
                    run.ack(Ack::Comment { id, text }).await;
                }
            }
            Writer::Claim => match pending_claim.take() {
                None => {
                    let answer = call(
                        &http,
                        "claim_task",
                        &[
                            ("id", &task(41)),
                            ("pledge", &text),
                            ("owner", "p-lim"),
                            ("post", "党员教育管理科科长"),
                        ],
                    )
                    .await;
                    if let Outcome::Ok(body) = run.record("claim_task", answer).await {
                        let id: String = serde_json::from_str(&body).expect("claim id");
                        pending_claim = Some(id.clone());
                        run.ack(Ack::Claim { id }).await;
                    }
                }
                Some(id) => {
                    let answer = call(&http, "withdraw_claim", &[("claim", &id)]).await;
                    match run.record("withdraw_claim", answer).await {
                        Outcome::Ok(_) => run.ack(Ack::Withdraw { id }).await,
                        // Cut off: it may or may not have been withdrawn. Ask again; a
                        // second withdrawal of a withdrawn claim is refused, which tells.
                        Outcome::Unanswered => pending_claim = Some(id),
                        Outcome::Refused => {}
                    }
                }
            },
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..20))).await;
    }
}

/// What the run produced, for the summary line.
struct Figures {
    acknowledged: usize,
    /// The acknowledged writes by kind.
    kinds: String,
    kills: usize,
    refused: usize,
    unanswered: usize,
    lost: usize,
    half_written: usize,
    seconds: f64,
}

/// A finished run: the killed server's data directory and what it acknowledged.
struct Finished {
    figures: Figures,
    server: Server,
    /// The store as opened after the last kill (one handle per directory and process).
    store: db::Db,
    acks: Vec<Ack>,
    _dir: tempfile::TempDir,
}

/// Runs the suite: `writes` acknowledged writes at least, `kills` kills at least.
async fn crash_run(writes: usize, kills: usize, seed: u64) -> Finished {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::new(dir.path());
    server.start().await;
    let base = server.base();
    let writers = [
        ("wangfang", Writer::Report),
        ("wangfang", Writer::Upload),
        ("linxh", Writer::Instruction),
        ("liuqiang", Writer::Comment),
        ("yangfan", Writer::Comment),
        ("liming", Writer::Claim),
    ];
    let run = Arc::new(Run {
        tally: Mutex::new(Tally::default()),
        acked: AtomicUsize::new(0),
        done: AtomicBool::new(false),
    });
    let mut tasks = Vec::new();
    for (client, (user, writer)) in writers.into_iter().enumerate() {
        let http = sign_in(&base, user).await;
        tasks.push(tokio::spawn(write(
            run.clone(),
            http,
            writer,
            client,
            seed.wrapping_add(client as u64),
        )));
    }
    // Kill at random moments, spread so the writes straddle every kill.
    let mut rng = StdRng::seed_from_u64(seed);
    let mut killed = 0;
    let every = writes / kills.max(1);
    while killed < kills || run.acked.load(Ordering::SeqCst) < writes {
        let target = (killed + 1) * every;
        // Wait until a random share of the next batch is written, then a random delay.
        let at = target.saturating_sub(rng.random_range(0..every.max(1)));
        let waited = Instant::now();
        while run.acked.load(Ordering::SeqCst) < at && waited.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..150))).await;
        if killed >= kills {
            continue;
        }
        server.kill();
        killed += 1;
        server.start().await;
    }
    run.done.store(true, Ordering::SeqCst);
    for task in tasks {
        task.await.expect("writer");
    }
    // The last kill: the store is checked as a crash leaves it.
    server.kill();
    let tally = std::mem::take(&mut *run.tally.lock().await);
    assert!(
        tally.server_errors.is_empty(),
        "5xx answers: {:?}",
        tally.server_errors
    );
    let store = open(&server).await;
    let (lost, half_written) = check_store(&store, &server, &tally.acks).await;
    Finished {
        figures: Figures {
            acknowledged: tally.acks.len(),
            kinds: kinds(&tally.acks),
            kills: killed,
            refused: tally.refused,
            unanswered: tally.unanswered,
            lost,
            half_written,
            seconds: started.elapsed().as_secs_f64(),
        },
        server,
        store,
        acks: tally.acks,
        _dir: dir,
    }
}

fn kinds(acks: &[Ack]) -> String {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for ack in acks {
        let kind = match ack {
            Ack::Report { .. } => "reports",
            Ack::Upload { .. } => "reports with a file",
            Ack::Comment { .. } => "批示/comments",
            Ack::Claim { .. } => "claims",
            Ack::Withdraw { .. } => "withdrawals",
        };
        *by.entry(kind).or_default() += 1;
    }
    by.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Opens the store the way a restart does (one handle per process: keep it).
async fn open(server: &Server) -> db::Db {
    let config = Config {
        db_url: server.db_url(),
        db_name: "main".into(),
        ..Config::for_tests()
    };
    db::connect(&config)
        .await
        .expect("the store opens after a kill")
}

#[derive(Debug, serde::Deserialize, SurrealValue)]
struct Row {
    id: String,
    text: String,
    shas: Vec<String>,
}

#[derive(Debug, serde::Deserialize, SurrealValue)]
struct ClaimRow {
    id: String,
    status: String,
}

/// Compares the store with what was acknowledged. Returns (acknowledged writes missing,
/// records not whole); each problem is printed.
async fn check_store(store: &db::Db, server: &Server, acks: &[Ack]) -> (usize, usize) {
    let reports: Vec<Row> = store
        .query(
            "SELECT record::id(id) AS id, done AS text, files.*.sha256 AS shas FROM progress_report
             WHERE string::starts_with(done, $mark)",
        )
        .bind(("mark", MARK))
        .await
        .expect("reports")
        .take(0)
        .expect("rows");
    let comments: Vec<Row> = store
        .query(
            "SELECT record::id(id) AS id, body AS text, [] AS shas FROM task_comment
             WHERE string::starts_with(body, $mark)",
        )
        .bind(("mark", MARK))
        .await
        .expect("comments")
        .take(0)
        .expect("rows");
    let claims: Vec<ClaimRow> = store
        .query(
            "SELECT record::id(id) AS id, status FROM task_claim WHERE string::starts_with(pledge, $mark)",
        )
        .bind(("mark", MARK))
        .await
        .expect("claims")
        .take(0)
        .expect("rows");
    // Audit events by the record they are about (report, comment, claim), per action.
    let events: Vec<(String, String)> = store
        .query(
            "SELECT VALUE [action, <string> record::id(after.id ?? after.claim)] FROM audit_event
             WHERE action IN ['report', 'report_draft', 'comment', 'instruction', 'claim', 'withdrawn']
               AND (after.id ?? after.claim) != NONE",
        )
        .await
        .expect("events")
        .take(0)
        .expect("rows");
    let mut events_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (action, id) in events {
        events_of.entry(id).or_default().push(action);
    }
    let files = FileStore::local(&server.files(), Default::default()).expect("file store");

    let mut lost = 0;
    let mut broken = 0;
    let report_at: BTreeMap<&str, &Row> = reports.iter().map(|r| (r.id.as_str(), r)).collect();
    let comment_at: BTreeMap<&str, &Row> = comments.iter().map(|r| (r.id.as_str(), r)).collect();
    let claim_at: BTreeMap<&str, &ClaimRow> = claims.iter().map(|c| (c.id.as_str(), c)).collect();
    for ack in acks {
        let missing = match ack {
            Ack::Report { id, text } => report_at.get(id.as_str()).is_none_or(|r| &r.text != text),
            Ack::Upload { id, text, sha256 } => report_at
                .get(id.as_str())
                .is_none_or(|r| &r.text != text || r.shas != [sha256.clone()]),
            Ack::Comment { id, text } => {
                comment_at.get(id.as_str()).is_none_or(|r| &r.text != text)
            }
            Ack::Claim { id } => !claim_at.contains_key(id.as_str()),
            Ack::Withdraw { id } => claim_at
                .get(id.as_str())
                .is_none_or(|c| c.status != "withdrawn"),
        };
        if missing {
            eprintln!("LOST: acknowledged {ack:?} is not in the store as written");
            lost += 1;
        }
    }
    // Whole or absent: each record with exactly its one event; each event with its record.
    let count = |id: &str, actions: &[&str]| {
        events_of.get(id).map_or(0, |a| {
            a.iter().filter(|x| actions.contains(&x.as_str())).count()
        })
    };
    for r in &reports {
        if count(&r.id, &["report", "report_draft"]) != 1 {
            eprintln!(
                "HALF: report {} has {} events",
                r.id,
                count(&r.id, &["report", "report_draft"])
            );
            broken += 1;
        }
        for sha in &r.shas {
            let whole = files
                .get(sha)
                .await
                .is_ok_and(|bytes| hex::encode(Sha256::digest(&bytes)) == *sha);
            if !whole {
                eprintln!(
                    "HALF: report {} names file {sha}, which is missing or damaged",
                    r.id
                );
                broken += 1;
            }
        }
    }
    for c in &comments {
        if count(&c.id, &["comment", "instruction"]) != 1 {
            eprintln!(
                "HALF: comment {} has {} events",
                c.id,
                count(&c.id, &["comment", "instruction"])
            );
            broken += 1;
        }
    }
    for c in &claims {
        let withdrawals = count(&c.id, &["withdrawn"]);
        let expected = usize::from(c.status == "withdrawn");
        if count(&c.id, &["claim"]) != 1 || withdrawals != expected {
            eprintln!(
                "HALF: claim {} ({}) has {withdrawals} withdraw events",
                c.id, c.status
            );
            broken += 1;
        }
    }
    // Events about records that are not there (any record, the demo's too).
    let all: Vec<String> = store
        .query(
            "array::concat(
                (SELECT VALUE <string> record::id(id) FROM progress_report),
                (SELECT VALUE <string> record::id(id) FROM task_comment),
                (SELECT VALUE <string> record::id(id) FROM task_claim)
            )",
        )
        .await
        .expect("ids")
        .take(0)
        .expect("rows");
    let all: BTreeSet<String> = all.into_iter().collect();
    for (id, actions) in &events_of {
        if !all.contains(id) {
            eprintln!("HALF: events {actions:?} about {id}, which is not in the store");
            broken += 1;
        }
    }
    (lost, broken)
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name}: {} acknowledged writes ({}), {} kills (kill -9), {} refused with a reason, {} cut off unanswered; lost {}, half-written {} ({:.0} s)",
        f.acknowledged,
        f.kinds,
        f.kills,
        f.refused,
        f.unanswered,
        f.lost,
        f.half_written,
        f.seconds
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let seed = 20220729;
    let run = crash_run(150, 3, seed).await;
    let figures = &run.figures;
    print("crash (quick)", figures);
    assert!(figures.acknowledged >= 150 && figures.kills >= 3);
    assert_eq!((figures.lost, figures.half_written), (0, 0), "seed {seed}");

    // The check itself finds what it is there to find: an acknowledged write that is not
    // there, and a record written without its audit event.
    let store = &run.store;
    let mut acks = run.acks.clone();
    acks.push(Ack::Report {
        id: "never-written".into(),
        text: format!("{MARK}x"),
    });
    store
        .query(
            "CREATE progress_report CONTENT { task: task:⟨dapeng-2022-1⟩, author: '测试', percent: 1, done: $done }",
        )
        .bind(("done", format!("{MARK}-orphan")))
        .await
        .expect("orphan")
        .check()
        .expect("orphan written");
    assert_eq!(check_store(store, &run.server, &acks).await, (1, 1));
}

/// The long run of `scripts/proof.sh crash`: 1,000 acknowledged writes, at least 10 kills
/// (`JIEBANG_CRASH_WRITES`, `JIEBANG_CRASH_KILLS`, `JIEBANG_CRASH_SEED` to vary it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: scripts/proof.sh crash"]
async fn proof_crash() {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let seed = number("JIEBANG_CRASH_SEED", rand::rng().random());
    let writes = number("JIEBANG_CRASH_WRITES", 1000) as usize;
    let kills = number("JIEBANG_CRASH_KILLS", 12) as usize;
    let figures = crash_run(writes, kills, seed).await.figures;
    print(&format!("PROOF crash (seed {seed})"), &figures);
    assert!(figures.acknowledged >= writes && figures.kills >= kills);
    assert_eq!((figures.lost, figures.half_written), (0, 0), "seed {seed}");
}
