//! Bad input through the real router: each answer is a 4xx with a clear Chinese message, and
//! nothing changes.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{TestApp, is_chinese, message, signed_in};
use surrealdb::types::SurrealValue;

#[derive(Debug, PartialEq, SurrealValue)]
struct Snapshot {
    version: i64,
    percent: i64,
    status: String,
    events: i64,
    reports: i64,
}

/// Task 12 (葵涌, 推进中) and the history tables: what must not move.
async fn snapshot(app: &TestApp) -> Snapshot {
    let row: Option<Snapshot> = app
        .db
        .query(
            "RETURN {
                version: task:`dapeng-2022-12`.version,
                percent: task:`dapeng-2022-12`.percent,
                status: task:`dapeng-2022-12`.status,
                events: count(SELECT id FROM audit_event),
                reports: count(SELECT id FROM progress_report)
            }",
        )
        .await
        .expect("query")
        .take(0)
        .expect("row");
    row.expect("snapshot")
}

fn report(percent: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", "dapeng-2022-12".into()),
        ("percent", percent.into()),
        ("done", "完成红色文化阵地提升".into()),
        ("problems", String::new()),
        ("next_steps", String::new()),
    ]
}

async fn call(app: &TestApp, endpoint: &str, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, &form).await
}

/// (what, endpoint, form, status, words the message must contain)
type Case = (
    &'static str,
    &'static str,
    Vec<(&'static str, String)>,
    u16,
    &'static str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_get_clear_chinese_answers_and_change_nothing() {
    let liaison = signed_in("jianglin").await;
    let before = snapshot(&liaison).await;
    let v = before.version.to_string();
    let cases: Vec<Case> = vec![
        (
            "percent=abc",
            "add_report",
            report("abc"),
            422,
            "完成进度须为整数",
        ),
        (
            "percent=255",
            "add_report",
            report("255"),
            422,
            "完成进度须在 0 到 100 之间",
        ),
        (
            "percent=-1",
            "add_report",
            report("-1"),
            422,
            "完成进度须在 0 到 100 之间",
        ),
        (
            "empty 工作进展",
            "add_report",
            vec![
                ("id", "dapeng-2022-12".into()),
                ("percent", "50".into()),
                ("done", "  ".into()),
                ("problems", String::new()),
                ("next_steps", String::new()),
            ],
            422,
            "工作进展不能为空",
        ),
        (
            "unknown status",
            "change_task_status",
            vec![
                ("id", "dapeng-2022-12".into()),
                ("version", v.clone()),
                ("to", "done".into()),
            ],
            422,
            "目标状态不在可选范围内",
        ),
        (
            "unknown task",
            "change_task_status",
            vec![
                ("id", "no-such-task".into()),
                ("version", "1".into()),
                ("to", "submitted".into()),
            ],
            404,
            "未找到该任务",
        ),
        (
            "an id that cannot name a record",
            "add_report",
            vec![
                ("id", "task:1; DELETE task".into()),
                ("percent", "50".into()),
                ("done", "x".into()),
                ("problems", String::new()),
                ("next_steps", String::new()),
            ],
            422,
            "记录编号格式不正确",
        ),
        (
            "a version that is not a number",
            "change_task_status",
            vec![
                ("id", "dapeng-2022-12".into()),
                ("version", "abc".into()),
                ("to", "submitted".into()),
            ],
            422,
            "提交的数据格式不正确",
        ),
        (
            "a stale version",
            "change_task_status",
            vec![
                ("id", "dapeng-2022-12".into()),
                ("version", (before.version + 5).to_string()),
                ("to", "submitted".into()),
            ],
            409,
            "数据已被他人修改",
        ),
        (
            "a move the table does not have",
            "change_task_status",
            vec![
                ("id", "dapeng-2022-12".into()),
                ("version", v.clone()),
                ("to", "accepted".into()),
            ],
            409,
            "不能变为“已销号”",
        ),
    ];
    for (what, endpoint, form, status, words) in cases {
        let (got, body) = call(&liaison, endpoint, &form).await;
        let text = message(&body);
        assert_eq!(got, status, "{what}: {body}");
        assert!(text.contains(words), "{what}: {text}");
        assert!(is_chinese(&text), "{what}: not plain Chinese: {text}");
        assert_eq!(snapshot(&liaison).await, before, "{what} changed something");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_field_is_413_with_a_message() {
    let liaison = signed_in("jianglin").await;
    let before = snapshot(&liaison).await;
    let big = "x".repeat(11 * 1024 * 1024);
    let body = format!("id=dapeng-2022-12&percent=50&done={big}&problems=&next_steps=");
    let origin = liaison.base.clone();
    let (status, answer) = liaison
        .post_raw("add_report", body, &[("origin", origin.as_str())])
        .await;
    assert_eq!(status, 413, "{answer}");
    assert!(message(&answer).contains("提交的内容过大"), "{answer}");
    assert!(is_chinese(&message(&answer)));
    // Without a declared length (chunked), the limit holds too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..11).map(|_| Ok(vec![b'x'; 1024 * 1024])).collect();
    let stream = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    let (status, _) = liaison
        .post_raw("add_report", stream, &[("origin", origin.as_str())])
        .await;
    assert_eq!(status, 413);
    assert_eq!(snapshot(&liaison).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_without_origin_or_referer_is_refused() {
    let liaison = signed_in("jianglin").await;
    let before = snapshot(&liaison).await;
    let body = "id=dapeng-2022-12&percent=60&done=x&problems=&next_steps=";
    let (status, answer) = liaison.post_raw("add_report", body, &[]).await;
    assert_eq!(status, 403, "{answer}");
    assert!(message(&answer).contains("跨站请求被拒绝"), "{answer}");
    let (status, _) = liaison
        .post_raw("add_report", body, &[("origin", "http://evil.example")])
        .await;
    assert_eq!(status, 403);
    // A Referer from this site is enough.
    let referer = format!("{}/tasks/dapeng-2022-12", liaison.base);
    let (status, answer) = liaison
        .post_raw("add_report", body, &[("referer", referer.as_str())])
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(snapshot(&liaison).await.reports, before.reports + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_forms_name_the_field_and_the_record() {
    let admin = signed_in("admin").await;
    let cases: Vec<Case> = vec![
        (
            "an unknown account",
            "update_account",
            vec![
                ("id", "nobody".into()),
                ("version", "1".into()),
                ("username", "nobody".into()),
                ("display_name", "某人".into()),
                ("role", "viewer".into()),
                ("unit", String::new()),
                ("active", "true".into()),
            ],
            404,
            "未找到该账号",
        ),
        (
            "every problem of a new account at once",
            "create_account",
            vec![
                ("username", "王芳".into()),
                ("display_name", String::new()),
                ("role", "boss".into()),
                ("unit", String::new()),
                ("password", "short".into()),
            ],
            422,
            "用户名格式不正确;姓名不能为空;角色不在可选范围内",
        ),
        (
            "a weak password",
            "reset_password",
            vec![("id", "guest".into()), ("password", "onlyletters".into())],
            422,
            "密码须同时包含字母和数字",
        ),
        (
            "a taken user name",
            "create_account",
            vec![
                ("username", "wangfang".into()),
                ("display_name", "王芳".into()),
                ("role", "viewer".into()),
                ("unit", String::new()),
                ("password", "wangfang2023".into()),
            ],
            409,
            "用户名已被使用",
        ),
    ];
    for (what, endpoint, form, status, words) in cases {
        let (got, body) = call(&admin, endpoint, &form).await;
        let text = message(&body);
        assert_eq!(got, status, "{what}: {body}");
        assert!(text.contains(words), "{what}: {text}");
        assert!(is_chinese(&text), "{what}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archived_plans_tasks_neither_move_nor_take_reports() {
    let liaison = signed_in("jianglin").await;
    liaison
        .db
        .query("UPDATE plan:`dapeng-2022` SET status = 'closed'")
        .await
        .expect("archive")
        .check()
        .expect("ok");
    let before = snapshot(&liaison).await;
    let (status, body) = call(&liaison, "add_report", &report("60")).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("已归档"), "{body}");
    let form = vec![
        ("id", "dapeng-2022-12".to_owned()),
        ("version", before.version.to_string()),
        ("to", "submitted".to_owned()),
    ];
    let (status, body) = call(&liaison, "change_task_status", &form).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(snapshot(&liaison).await, before);
    // The task page offers nothing to do.
    let (_, html) = liaison.get("/tasks/dapeng-2022-12").await;
    assert!(!html.contains("class=\"task-actions\""));
}

/// Every text part of a zip file (xlsx, docx), joined.
fn zip_text(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("part");
        if part.name().is_ok_and(|n| n.ends_with(".xml")) {
            part.read_to_string(&mut text).expect("xml");
        }
    }
    text
}

/// Script and formulas typed into tasks, units and reports come out of every export as the
/// text they are: escaped in the XML of workbooks and documents, a formula's `=` defused in
/// CSV, never markup or a live formula.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_and_formulas_in_text_are_text_in_every_export() {
    const SCRIPT: &str = "<script>alert(1)</script>";
    const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"点此\")";
    let app = signed_in("wangfang").await;
    app.db
        .query(
            "UPDATE task:`dapeng-2022-12` SET title = $script;
             UPDATE unit:kysd SET name = $formula;",
        )
        .bind(("script", SCRIPT))
        .bind(("formula", FORMULA))
        .await
        .expect("write")
        .check()
        .expect("write");
    let (status, bytes) = app.download("/export/ledger").await;
    assert_eq!(status, 200);
    let xml = zip_text(&bytes);
    assert!(
        xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is in the 台账 as text"
    );
    assert!(!xml.contains(SCRIPT), "never as markup");
    assert!(!xml.contains("<f>"), "no cell is a formula");
    let (status, csv) = app.download("/export/ledger?format=csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(
        csv.contains(SCRIPT),
        "CSV is plain text: the title as typed"
    );
    assert!(
        csv.contains("\"'=HYPERLINK("),
        "a formula is defused: {csv}"
    );
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"));
    for path in [
        "/export/bulletin",
        "/export/ranking",
        "/export/findings",
        "/export/quarter",
    ] {
        let (status, bytes) = app.download(path).await;
        assert_eq!(status, 200, "{path}");
        let xml = zip_text(&bytes);
        assert!(!xml.contains(SCRIPT), "{path}: never as markup");
        assert!(!xml.contains("<f>"), "{path}: no cell is a formula");
    }
}
