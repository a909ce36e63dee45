//! The access walk over everything that is not a server function (those are walked in
//! policy.rs and fuzz.rs): every page, export, file download and the live stream, for every
//! role and for nobody, on a unit's own records and on another unit's. The expected answers
//! are written out by hand from the product's rules, not computed from the policy; where a
//! page answers 200 to someone who may see only part of it, the part they may not see must
//! not be in it.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Http, TestApp};
use jiebang::server::seed::DEMO_PASSWORD;
use reqwest::multipart::{Form, Part};
use std::time::Duration;

/// Callers, in the order of the expectation strings below.
const CALLERS: [&str; 8] = [
    "",         // nobody
    "admin",    // 系统管理员
    "wangfang", // 组织科 (organizer)
    "linxh",    // 分管领导 (leader)
    "liuqiang", // 葵涌 head
    "jianglin", // 葵涌 liaison
    "yangfan",  // 南澳 head
    "guest",    // 访客 (viewer)
];

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// How a GET was answered: allowed (`o`), sent to sign in (`l`), refused (`x`: 403 or a page
/// saying so), or not found (`n`).
fn outcome(status: u16, location: Option<&str>, body: &str) -> char {
    match status {
        200 | 206 if body.contains("data-page=\"forbidden\"") => 'x',
        200 | 206 => 'o',
        301..=308 if location.is_some_and(|l| l.starts_with("/login")) => 'l',
        401 => 'l',
        403 => 'x',
        404 => 'n',
        other => panic!("unexpected {other} ({location:?}): {body:.200}"),
    }
}

async fn get(http: &Http, path: &str) -> (u16, Option<String>, String) {
    let mut req = http
        .client
        .get(format!("{}{path}", http.base))
        .header("accept", "text/html")
        .timeout(Duration::from_secs(30));
    if let Some(cookie) = http.cookie.lock().unwrap().clone() {
        req = req.header("cookie", cookie);
    }
    let res = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_stream = res.headers().get("content-type").is_some_and(|v| {
        v.to_str()
            .unwrap_or_default()
            .starts_with("text/event-stream")
    });
    // The live stream never ends: its answer is its status.
    let body = if is_stream {
        String::new()
    } else {
        String::from_utf8_lossy(&res.bytes().await.expect("body")).into_owned()
    };
    (status, location, body)
}

async fn callers(app: &TestApp) -> Vec<Http> {
    let mut all = Vec::new();
    for user in CALLERS {
        let http = Http::new(app.base.clone());
        if !user.is_empty() {
            assert!(http.signs_in(user, DEMO_PASSWORD).await, "{user}");
        }
        all.push(http);
    }
    all
}

/// 葵涌's files: a draft report of its liaison (seen inside 葵涌 only) and a 报送ed one of its
/// head (seen by everyone who reads the task), both on its task 12, and 整改进展 with a file
/// on its 整改清单 item. Returns the three download paths.
async fn kuichong_files(all: &[Http]) -> [String; 3] {
    let form = |done: &str| {
        Form::new()
            .text("percent", "70")
            .text("done", done.to_owned())
            .text("problems", "")
            .text("next_steps", "")
            .part("files", Part::bytes(PDF.to_vec()).file_name("佐证.pdf"))
    };
    let report = |answer: common::Answer| -> String {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let json: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
        json["report"].as_str().expect("id").to_owned()
    };
    let draft = report(
        all[5]
            .post_multipart("/tasks/dapeng-2022-12/reports", form("联络员草稿"), true)
            .await,
    );
    let sent = report(
        all[4]
            .post_multipart("/tasks/dapeng-2022-12/reports", form("主任报送"), true)
            .await,
    );
    let (status, html) = all[4].get("/rectify/story-f1").await;
    assert_eq!(status, 200);
    let version = html
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("version field")
        .to_owned();
    let progress = Form::new()
        .text("version", version)
        .text("text", "已补齐双报到台账")
        .part("files", Part::bytes(PDF.to_vec()).file_name("台账.pdf"));
    let answer = all[4]
        .post_multipart("/rectify/story-f1/progress", progress, true)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    [
        format!("/reports/{draft}/files/0"),
        format!("/reports/{sent}/files/0"),
        "/rectify/story-f1/entries/2/files/0".to_owned(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_export_download_and_stream_answers_each_role_as_the_rules_say() {
    let app = common::spawn(true).await;
    let all = callers(&app).await;
    let [draft_file, sent_file, finding_file] = kuichong_files(&all).await;
    // Expected per caller: nobody, admin, office, leader, 葵涌 head, 葵涌 liaison, 南澳 head,
    // viewer.
    // The rules: what every signed-in reader reads (the board, tasks, units, meetings, 督办通报,
    // 台账, a 报送ed report's files) the 系统管理员 reads too; the pages with a named set of
    // readers — 工作台, 考评, 积分, 责任清单, 整改清单 — are for the office, leaders, units
    // (their own part) and observers (访客, who read everything and change nothing), not for
    // the administrator. A unit sees no other unit's 考评 or 整改 items; 季度报送 is for the
    // office, leaders and observers; a draft stays inside its unit (the office included).
    let walk: Vec<(String, &str)> = vec![
        ("/".into(), "looooooo"),
        ("/tasks/dapeng-2022-12".into(), "looooooo"),
        ("/tasks/dapeng-2022-12/edit".into(), "lxoxxxxx"),
        ("/units".into(), "looooooo"),
        ("/plans".into(), "lxoxxxxx"),
        ("/plans/dapeng-2022".into(), "lxoxxxxx"),
        ("/work".into(), "lxoooooo"),
        ("/inbox".into(), "looooooo"),
        ("/meetings".into(), "looooooo"),
        ("/scores".into(), "lxoooooo"),
        ("/scores/points".into(), "lxoooooo"),
        // 葵涌's task: 南澳 may not see its 考评.
        ("/scores/tasks/dapeng-2022-12".into(), "lxooooxo"),
        ("/quarter".into(), "lxooxxxo"),
        ("/duties".into(), "lxoooooo"),
        ("/rectify".into(), "lxoooooo"),
        // 葵涌's 整改 item and its file: not 南澳's business.
        ("/rectify/story-f1".into(), "lxooooxo"),
        (finding_file, "lxooooxo"),
        ("/bulletin".into(), "looooooo"),
        ("/admin/accounts".into(), "loxxxxxx"),
        ("/admin/channels".into(), "loxxxxxx"),
        ("/admin/calendar".into(), "loxxxxxx"),
        ("/admin/displays".into(), "lxoxxxxx"),
        ("/admin/backup".into(), "loxxxxxx"),
        ("/export/ledger".into(), "looooooo"),
        ("/export/bulletin".into(), "looooooo"),
        ("/export/ranking".into(), "lxoooooo"),
        ("/export/findings".into(), "lxoooooo"),
        ("/export/quarter".into(), "lxooxxxo"),
        ("/plans/dapeng-2022/template".into(), "lxoxxxxx"),
        ("/events".into(), "looooooo"),
        (draft_file, "lxxxooxx"),
        (sent_file, "looooooo"),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in &walk {
        let mut got = String::new();
        for http in &all {
            let (status, location, body) = get(http, path).await;
            got.push(outcome(status, location.as_deref(), &body));
        }
        if got != *expected {
            wrong.push(format!("{path}: expected {expected}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    println!(
        "PROOF access: {} pages, exports, downloads and the live stream × {} callers (nobody, 6 roles, two units) as the rules say: leaks 0",
        walk.len(),
        CALLERS.len()
    );

    // Pages a unit may open show its own part only: 南澳 reads neither 葵涌's 整改 item nor
    // 大鹏's 积分 entry, nor 葵涌's draft on the task page.
    let nanao = &all[6];
    for (path, foreign) in [
        ("/rectify", "台账记录不全"),
        ("/scores/points", "组工信息"),
        ("/tasks/dapeng-2022-12", "联络员草稿"),
        ("/work", "台账记录不全"),
    ] {
        let (status, html) = nanao.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!html.contains(foreign), "{path} shows 南澳 {foreign}");
    }
    // …while 葵涌 finds its own there.
    let (_, html) = all[4].get("/rectify").await;
    assert!(html.contains("台账记录不全"));
    let (_, html) = all[5].get("/tasks/dapeng-2022-12").await;
    assert!(html.contains("联络员草稿"));
    let (_, html) = all[2].get("/scores/points").await;
    assert!(html.contains("组工信息"));
}

/// Opens the live stream with `http`'s cookie and returns a task that ends when the server
/// closes it (with how long after `since` it closed).
async fn open_stream(http: &Http) -> tokio::task::JoinHandle<()> {
    let cookie = http.cookie.lock().unwrap().clone().expect("signed in");
    let mut res = http
        .client
        .get(format!("{}/events", http.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status(), 200);
    tokio::spawn(async move { while let Ok(Some(_)) = res.chunk().await {} })
}

/// Every page and export of the walk, a file download and a server function, with a cookie
/// that no longer stands: each sends the caller to sign in.
async fn refused_everywhere(http: &Http, who: &str) {
    for path in [
        "/",
        "/tasks/dapeng-2022-12",
        "/work",
        "/inbox",
        "/rectify",
        "/scores",
        "/export/ledger",
        "/export/findings",
        "/events",
    ] {
        let (status, location, body) = get(http, path).await;
        assert_eq!(
            outcome(status, location.as_deref(), &body),
            'l',
            "{who}: {path} answered {status}"
        );
    }
    let (status, _) = http
        .call(
            "add_comment",
            &[
                ("id", "dapeng-2022-12"),
                ("kind", "comment"),
                ("body", "还在吗"),
            ],
        )
        .await;
    assert_eq!(status, 401, "{who}: a server function");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_elsewhere_is_refused_everywhere_and_its_open_stream_closes() {
    let app = common::spawn(true).await;
    // 葵涌's head on two devices; the phone's page is open (its live stream too).
    let phone = Http::new(app.base.clone());
    assert!(phone.signs_in("liuqiang", DEMO_PASSWORD).await);
    let desk = Http::new(app.base.clone());
    assert!(desk.signs_in("liuqiang", DEMO_PASSWORD).await);
    let stream = open_stream(&phone).await;
    // A moment on: the stream is open and stays so.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!stream.is_finished());
    // 全部退出 at the desk: the phone's stream is closed at once (not at its 30 s recheck).
    let (status, _) = desk.call("sign_out_everywhere", &[]).await;
    assert!(status < 400);
    tokio::time::timeout(Duration::from_secs(5), stream)
        .await
        .expect("the open stream closes within 5 s of 全部退出")
        .expect("reader");
    refused_everywhere(&phone, "after 全部退出").await;

    // The administrator disables the visitor's account while the visitor's page is open.
    let guest = Http::new(app.base.clone());
    assert!(guest.signs_in("guest", DEMO_PASSWORD).await);
    let stream = open_stream(&guest).await;
    let admin = Http::new(app.base.clone());
    assert!(admin.signs_in("admin", DEMO_PASSWORD).await);
    let version: Option<i64> = app
        .db
        .query("RETURN (SELECT VALUE version FROM ONLY account:guest)")
        .await
        .expect("version")
        .take(0)
        .expect("row");
    let version = version.expect("guest's account").to_string();
    let (status, body) = admin
        .call(
            "update_account",
            &[
                ("id", "guest"),
                ("version", &version),
                ("username", "guest"),
                ("display_name", "访客"),
                ("role", "viewer"),
                ("active", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    tokio::time::timeout(Duration::from_secs(5), stream)
        .await
        .expect("the open stream closes within 5 s of the account being disabled")
        .expect("reader");
    refused_everywhere(&guest, "disabled").await;
    println!(
        "PROOF access: after 全部退出 and after disabling an account, open live streams closed within 5 s; pages, exports, stream and server functions refuse the old cookie"
    );
}
