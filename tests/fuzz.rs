//! Hostile input, generated: every server function called by every role (and nobody) with
//! forms built from the functions' own field names and from values chosen to hurt (script
//! payloads, path traversal, query syntax, huge and negative numbers, impossible dates, control
//! characters, broken encodings, arbitrary text). Whatever comes: no 5xx, no hang, a refusal
//! says why in Chinese, and a refused call changes nothing.
//!
//! The normal test command runs a few hundred cases; `scripts/proof.sh fuzz` runs 10,000
//! (`JIEBANG_FUZZ_CASES`).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Http, TestApp};
use jiebang::server::authz::SERVER_FUNCTIONS;
use jiebang::server::seed::DEMO_PASSWORD;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::time::Duration;

/// Every argument name the server functions take (read off `src/api`), and the nested names
/// of the task form and of list arguments.
const FIELDS: &[&str] = &[
    "active",
    "address",
    "as_of",
    "attendees",
    "audience",
    "body",
    "categories",
    "claim",
    "claim_from",
    "claim_to",
    "co_units",
    "content",
    "correction",
    "cycle",
    "date",
    "deadline",
    "decision",
    "display_name",
    "done",
    "due",
    "due_soon_days",
    "edit",
    "email",
    "enabled",
    "entry",
    "feedback",
    "feedback_by",
    "from",
    "goals",
    "group",
    "holidays",
    "host",
    "id",
    "innovation",
    "issuer",
    "kind",
    "label",
    "meeting",
    "name",
    "new_deadline",
    "next",
    "next_steps",
    "note",
    "observers",
    "on",
    "overview",
    "owner",
    "parent",
    "part",
    "password",
    "percent",
    "person",
    "phone",
    "place",
    "plan",
    "platform",
    "pledge",
    "port",
    "post",
    "problems",
    "quality",
    "quarter",
    "rating",
    "reason",
    "red_behind",
    "remarks",
    "reply_to",
    "report",
    "report_day",
    "request",
    "requirement",
    "requirements",
    "role",
    "seconds",
    "secret",
    "security",
    "source",
    "start",
    "supervisor",
    "task",
    "text",
    "time",
    "title",
    "to",
    "token",
    "unit",
    "url",
    "username",
    "verdict",
    "version",
    "workdays",
    "year",
    "yellow_behind",
    "form[number]",
    "form[title]",
    "form[category]",
    "form[description]",
    "form[deadline]",
    "form[milestones][0][due]",
    "form[milestones][0][title]",
    "form[milestones][0][target]",
    "form[criteria][0]",
    "form[lead_unit]",
    "form[co_units][0]",
    "form[owner]",
    "form[post]",
    "form[supervisor]",
    "co_units[0]",
    "categories[0]",
];

/// Values that mean something here (ids of the demo, codes, dates) and values meant to hurt.
const VALUES: &[&str] = &[
    "dapeng-2022-12",
    "dapeng-2022-41",
    "dapeng-2022-1",
    "dapeng-2022",
    "story-41-kysd",
    "story-f1",
    "kysd",
    "nasd",
    "zzk",
    "p-liuq",
    "p-lin",
    "1",
    "0",
    "-1",
    "2",
    "4294967296",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2022-07-29",
    "2022-12-31",
    "2022-02-30",
    "1900-01-01",
    "9999-12-31",
    "",
    " ",
    "in_progress",
    "cancelled",
    "accepted",
    "instruction",
    "comment",
    "reply",
    "red",
    "on",
    "true",
    "null",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "⟩; DELETE task; --",
    "' OR 1=1 --",
    "$plan",
    "task:⟨dapeng-2022-12⟩",
    "=HYPERLINK(\"http://x\")",
    "\u{0}",
    "\u{202e}gpj.exe",
    "𠮷野家🚩",
];

#[derive(Debug, Clone)]
enum Body {
    /// A form, as a browser or the page's script sends it.
    Form(Vec<(String, String)>),
    /// Bytes that are not a form at all.
    Raw(Vec<u8>),
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(VALUES).prop_map(str::to_owned),
        2 => ".{0,40}",
        1 => (1usize..6000).prop_map(|n| "长".repeat(n)),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FIELDS).prop_map(str::to_owned),
        1 => "[a-z_\\[\\]0-9]{1,20}",
    ]
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        9 => proptest::collection::vec((field(), value()), 0..12).prop_map(Body::Form),
        1 => proptest::collection::vec(any::<u8>(), 0..200).prop_map(Body::Raw),
    ]
}

/// Who calls: a demo account (or nobody).
const CALLERS: &[&str] = &[
    "", "admin", "wangfang", "linxh", "liuqiang", "jianglin", "yangfan", "liming", "guest",
];

/// The endpoints under test: all but signing in and out (which change who is calling).
fn endpoints() -> Vec<&'static str> {
    SERVER_FUNCTIONS
        .iter()
        .map(|(path, _)| *path)
        .filter(|p| !p.starts_with("/api/sign_"))
        .collect()
}

/// Counts that any accepted write moves: the audit trail, the records people write, and the
/// tasks' versions.
async fn snapshot(app: &TestApp) -> BTreeMap<String, i64> {
    let tables = [
        "audit_event",
        "task",
        "plan",
        "unit",
        "person",
        "account",
        "progress_report",
        "task_comment",
        "task_claim",
        "finding",
        "duty",
        "point_entry",
        "meeting",
        "robot",
    ];
    let mut sql = String::new();
    for t in tables {
        sql.push_str(&format!("RETURN count(SELECT VALUE id FROM {t});"));
    }
    sql.push_str("RETURN math::sum(SELECT VALUE version FROM task);");
    let mut response = app.db.query(sql).await.expect("snapshot");
    let mut counts = BTreeMap::new();
    for (i, t) in tables.iter().chain(["task versions"].iter()).enumerate() {
        let n: Option<i64> = response.take(i).expect("count");
        counts.insert((*t).to_owned(), n.unwrap_or(0));
    }
    counts
}

fn encode(form: &[(String, String)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", common::encode(k), common::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Runs `cases` generated calls against one app; returns (calls, answers by status).
fn fuzz(cases: u32) -> BTreeMap<u16, usize> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (app, callers) = rt.block_on(async {
        let app = common::spawn(true).await;
        let mut callers = Vec::new();
        for user in CALLERS {
            let http = Http::new(app.base.clone());
            if !user.is_empty() {
                assert!(http.signs_in(user, DEMO_PASSWORD).await, "{user}");
            }
            callers.push(http);
        }
        (app, callers)
    });
    let endpoints = endpoints();
    let statuses = std::sync::Mutex::new(BTreeMap::<u16, usize>::new());
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let strategy = (
        proptest::sample::select(endpoints),
        0..CALLERS.len(),
        body(),
    );
    let outcome = runner.run(&strategy, |(endpoint, caller, body)| {
        rt.block_on(async {
            let http = &callers[caller];
            let before = snapshot(&app).await;
            let (content, bytes) = match &body {
                Body::Form(form) => (
                    "application/x-www-form-urlencoded",
                    encode(form).into_bytes(),
                ),
                Body::Raw(bytes) => ("application/x-www-form-urlencoded", bytes.clone()),
            };
            let cookie = http.cookie.lock().unwrap().clone().unwrap_or_default();
            let res = http
                .client
                .post(format!("{}{endpoint}", http.base))
                .header("origin", &http.base)
                .header("content-type", content)
                .header("accept", "application/json")
                .header("cookie", cookie)
                .timeout(Duration::from_secs(30))
                .body(bytes)
                .send()
                .await
                .map_err(|e| {
                    TestCaseError::fail(format!(
                        "{endpoint} as {}: no answer: {e:?}",
                        CALLERS[caller]
                    ))
                })?;
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            *statuses.lock().unwrap().entry(status).or_default() += 1;
            let who = if CALLERS[caller].is_empty() {
                "nobody"
            } else {
                CALLERS[caller]
            };
            prop_assert!(
                status < 500,
                "{endpoint} as {who} with {body:?}: {status} {text}"
            );
            if !(200..300).contains(&status) {
                let message = common::message(&text);
                prop_assert!(
                    common::is_chinese(&message),
                    "{endpoint} as {who} with {body:?}: {status} without a Chinese reason: {text}"
                );
                prop_assert_eq!(
                    snapshot(&app).await,
                    before,
                    "{} as {} refused ({}) but something changed: {:?}",
                    endpoint,
                    who,
                    status,
                    body
                );
            }
            Ok(())
        })
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    statuses.into_inner().unwrap()
}

fn report(name: &str, cases: u32, statuses: &BTreeMap<u16, usize>) {
    let by: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
    println!(
        "{name}: {cases} generated calls over {} server functions × {} callers; answers {}; 5xx 0, refusals that changed something 0",
        endpoints().len(),
        CALLERS.len(),
        by.join(" ")
    );
}

#[test]
fn generated_calls_never_fail_the_server_and_refusals_change_nothing() {
    let cases = 300;
    let statuses = fuzz(cases);
    report("fuzz (quick)", cases, &statuses);
}

/// The long run of `scripts/proof.sh fuzz`.
#[test]
#[ignore = "long: scripts/proof.sh fuzz"]
fn proof_fuzz() {
    let cases = std::env::var("JIEBANG_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let statuses = fuzz(cases);
    report("PROOF fuzz", cases, &statuses);
}
