//! 进度填报 with evidence files, through the real router: the liaison drafts, the head 报送s
//! or sends back; files are checked by content and size, and read only by who may read the
//! report. Every refusal is a clear Chinese error that changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Answer, TestApp, beside, is_chinese, message, serve_with, signed_in};
use jiebang::domain::evidence::FileLimits;
use jiebang::server::files::FileStore;
use reqwest::multipart::{Form, Part};
use surrealdb::types::SurrealValue;

/// 葵涌's task under way in the demo (葵涌: liuqiang head, jianglin liaison).
const TASK: &str = "dapeng-2022-12";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

fn report(done: &str) -> Form {
    Form::new()
        .text("percent", "70")
        .text("done", done.to_owned())
        .text("problems", "")
        .text("next_steps", "8月底前完成验收准备")
}

fn file(form: Form, name: &str, bytes: &[u8]) -> Form {
    form.part(
        "files",
        Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    )
}

#[derive(Debug, PartialEq, SurrealValue)]
struct Standing {
    percent: i64,
    version: i64,
    reports: i64,
    events: i64,
}

async fn standing(app: &TestApp) -> Standing {
    let row: Option<Standing> = app
        .db
        .query(
            "RETURN {
                percent: task:`dapeng-2022-12`.percent,
                version: task:`dapeng-2022-12`.version,
                reports: count(SELECT id FROM progress_report WHERE task = task:`dapeng-2022-12`),
                events: count(SELECT id FROM audit_event),
            }",
        )
        .await
        .expect("query")
        .take(0)
        .expect("row");
    row.expect("standing")
}

fn json(answer: &Answer) -> serde_json::Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("json: {}", answer.body))
}

#[tokio::test]
async fn a_liaison_drafts_with_a_file_the_head_reports_and_only_the_unit_sees_the_draft() {
    let liaison = signed_in("jianglin").await;
    let before = standing(&liaison).await;
    let form = file(report("红色文化阵地提升完成"), "现场照片.png", PNG);
    let form = file(form, "C:\\材料\\推进方案.pdf", PDF);
    let answer = liaison
        .post_multipart(&format!("/tasks/{TASK}/reports"), form, true)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = json(&answer);
    assert_eq!(answer["status"], "draft");
    let report = answer["report"].as_str().expect("id").to_owned();
    let drafted = standing(&liaison).await;
    assert_eq!(
        (
            drafted.percent,
            drafted.version,
            drafted.reports,
            drafted.events
        ),
        (
            before.percent,
            before.version,
            before.reports + 1,
            before.events + 1
        ),
        "a draft changes nothing on the task"
    );

    // The files: the unit reads them with their checked type and a safe name …
    let head = beside(&liaison, "liuqiang").await;
    let (status, headers, bytes) = head.fetch(&format!("/reports/{report}/files/1")).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PDF);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E6%8E%A8%E8%BF%9B%E6%96%B9%E6%A1%88%2Epdf"),
        "the name without its path: {disposition}"
    );
    let (status, headers, _) = head.fetch(&format!("/reports/{report}/files/0")).await;
    assert_eq!(
        (status, &headers["content-type"]),
        (200, &"image/png".parse().expect("h"))
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("a")
            .starts_with("inline;")
    );
    assert_eq!(
        head.fetch(&format!("/reports/{report}/files/2")).await.0,
        404
    );

    // … nobody outside the unit reads a draft, the office included.
    for outsider in ["yangfan", "wangfang", "guest"] {
        let other = beside(&liaison, outsider).await;
        let (status, _, bytes) = other.fetch(&format!("/reports/{report}/files/1")).await;
        assert_eq!(status, 403, "{outsider}");
        assert!(bytes.len() < 300, "no file content for {outsider}");
        let (_, page) = other.get(&format!("/tasks/{TASK}")).await;
        assert!(
            !page.contains("红色文化阵地提升完成"),
            "{outsider} sees no draft"
        );
    }
    let signed_out = common::serve_with(liaison.db.clone(), liaison.files.clone()).await;
    assert_eq!(
        signed_out
            .fetch(&format!("/reports/{report}/files/1"))
            .await
            .0,
        401
    );

    // The liaison cannot 报送 it; the head can, once; then it counts and everyone reads it.
    let (status, body) = liaison.call("approve_report", &[("report", &report)]).await;
    assert_eq!(status, 403, "{body}");
    assert!(message(&body).contains("单位负责人"), "{body}");
    let (status, body) = head.call("approve_report", &[("report", &report)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = head.call("approve_report", &[("report", &report)]).await;
    assert_eq!(status, 409, "{body}");
    let reported = standing(&liaison).await;
    assert_eq!(reported.percent, 70);
    assert_eq!(reported.version, before.version + 1);
    let office = beside(&liaison, "wangfang").await;
    let (status, _, bytes) = office.fetch(&format!("/reports/{report}/files/1")).await;
    assert_eq!((status, bytes.as_slice()), (200, PDF));
    let (_, page) = office.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("红色文化阵地提升完成"));
    assert!(page.contains("推进方案.pdf"));
}

#[tokio::test]
async fn the_head_sends_a_draft_back_with_a_reason_the_liaison_reads() {
    let liaison = signed_in("jianglin").await;
    let answer = liaison
        .post_multipart(&format!("/tasks/{TASK}/reports"), report("初稿"), true)
        .await;
    let report = json(&answer)["report"].as_str().expect("id").to_owned();
    let head = beside(&liaison, "liuqiang").await;
    let before = standing(&liaison).await;
    let (status, body) = head
        .call("return_report", &[("report", &report), ("reason", "")])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(is_chinese(&message(&body)), "{body}");
    assert_eq!(
        standing(&liaison).await,
        before,
        "a refused return changes nothing"
    );
    let (status, body) = head
        .call(
            "return_report",
            &[("report", &report), ("reason", "请补充现场照片")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = liaison.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("已退回"));
    assert!(page.contains("请补充现场照片"));
    // The history names each step, with who.
    assert!(page.contains("起草进度报送"));
    assert!(page.contains("退回修改"));
    let after = standing(&liaison).await;
    assert_eq!(
        (after.percent, after.version),
        (before.percent, before.version)
    );
    // A returned report cannot be 报送ed after all.
    let (status, _) = head.call("approve_report", &[("report", &report)]).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn bad_reports_and_bad_files_are_refused_in_chinese_and_change_nothing() {
    // Small limits, so oversized files stay small: 1 MB a file, 2 MB a report.
    let limits = FileLimits {
        file_max: 1024 * 1024,
        report_max: 2 * 1024 * 1024,
    };
    let db = common::database(true).await;
    let head = serve_with(db, FileStore::memory(limits)).await;
    head.sign_in("liuqiang", jiebang::server::seed::DEMO_PASSWORD)
        .await;
    let before = standing(&head).await;
    let path = format!("/tasks/{TASK}/reports");
    let big = |n: usize| {
        let mut bytes = PDF.to_vec();
        bytes.resize(n, b' ');
        bytes
    };
    let cases: Vec<(&str, Form, u16, &str)> = vec![
        (
            "a program renamed .pdf",
            file(
                report("x"),
                "总结.pdf",
                b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
            ),
            422,
            "内容与文件类型不符",
        ),
        (
            "a program as it is",
            file(
                report("x"),
                "setup.exe",
                b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
            ),
            422,
            "类型不在允许范围内",
        ),
        (
            "a file over the limit",
            file(report("x"), "大文件.pdf", &big(1024 * 1024 + 1)),
            422,
            "超过 1 MB",
        ),
        (
            "files over the report's limit",
            file(
                file(
                    file(report("x"), "a.pdf", &big(900_000)),
                    "b.pdf",
                    &big(900_000),
                ),
                "c.pdf",
                &big(900_000),
            ),
            422,
            "合计不能超过 2 MB",
        ),
        ("an empty 工作进展", report(""), 422, "工作进展不能为空"),
        (
            "a percent out of range",
            Form::new().text("percent", "120").text("done", "x"),
            422,
            "完成进度须在 0 到 100 之间",
        ),
        (
            "a milestone reached tomorrow",
            report("x")
                .text("reached", "1")
                .text("reached_on_1", "2022-07-30"),
            422,
            "不能晚于今天",
        ),
        (
            "a milestone that does not exist",
            report("x")
                .text("reached", "9")
                .text("reached_on_9", "2022-07-01"),
            422,
            "不存在",
        ),
    ];
    for (what, form, status, text) in cases {
        let answer = head.post_multipart(&path, form, true).await;
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        let said = message(&answer.body);
        assert!(said.contains(text), "{what}: {said}");
        assert!(is_chinese(&said), "{what}: {said}");
        assert_eq!(standing(&head).await, before, "{what} changed nothing");
    }
    // A body over the route's limit is refused before it is read.
    let answer = head
        .post_multipart(
            &path,
            file(report("x"), "巨大.pdf", &big(3 * 1024 * 1024 + 10)),
            true,
        )
        .await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(standing(&head).await, before);

    // Wrong unit, wrong role, wrong status, no session.
    for (who, task, status) in [
        ("yangfan", TASK, 403),
        ("guest", TASK, 403),
        ("linxh", TASK, 403),
    ] {
        let other = beside(&head, who).await;
        let answer = other
            .post_multipart(&format!("/tasks/{task}/reports"), report("x"), true)
            .await;
        assert_eq!(answer.status, status, "{who}: {}", answer.body);
        assert!(is_chinese(&message(&answer.body)), "{who}: {}", answer.body);
    }
    let nobody = common::serve(head.db.clone()).await;
    let answer = nobody.post_multipart(&path, report("x"), true).await;
    assert_eq!(answer.status, 401);
    let answer = head
        .post_multipart("/tasks/no-such-task/reports", report("x"), true)
        .await;
    assert_eq!(answer.status, 404);
    assert_eq!(standing(&head).await, before, "nothing changed at all");
}

#[tokio::test]
async fn a_browser_form_is_sent_back_to_the_task_page_with_the_outcome() {
    let head = signed_in("liuqiang").await;
    let path = format!("/tasks/{TASK}/reports");
    // Refused: back to the form, whose page words the error under the field.
    let answer = head.post_multipart(&path, report(""), false).await;
    assert_eq!(answer.status, 303);
    let location = answer.location.expect("location");
    assert!(
        location.starts_with(&format!("/tasks/{TASK}?report_error=")),
        "{location}"
    );
    let (status, page) = head.get(&location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("工作进展不能为空"),
        "the error shows on the page"
    );
    // Accepted: back to the reports, saying so; a head's report counts at once, with the
    // milestone it reached.
    let open: Option<i64> = head
        .db
        .query("RETURN array::find_index(task:`dapeng-2022-12`.milestones.*.done_on, NONE)")
        .await
        .expect("q")
        .take(0)
        .expect("index");
    let open = open.expect("an open milestone").to_string();
    let form = file(report("阵地提升完成并投入使用"), "验收照片.png", PNG)
        .text("reached", open.clone())
        .text(format!("reached_on_{open}"), "2022-07-28");
    let answer = head.post_multipart(&path, form, false).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.location.expect("location");
    assert_eq!(
        location,
        format!("/tasks/{TASK}?reported=submitted#reports")
    );
    let (_, page) = head.get(&location).await;
    assert!(page.contains("已报送。"));
    assert!(page.contains("阵地提升完成并投入使用"));
    assert!(page.contains("验收照片.png"));
    assert_eq!(standing(&head).await.percent, 70);
    let done: Option<String> = head
        .db
        .query(format!(
            "RETURN <string> task:`dapeng-2022-12`.milestones[{open}].done_on"
        ))
        .await
        .expect("q")
        .take(0)
        .expect("date");
    assert!(done.expect("reached").starts_with("2022-07-28"));
}

#[tokio::test]
async fn a_unit_may_let_its_liaison_report_straight_through() {
    let head = signed_in("liuqiang").await;
    // Only 葵涌's head (or the office) sets 葵涌's rule.
    for (who, status) in [("yangfan", 403), ("jianglin", 403), ("guest", 403)] {
        let other = beside(&head, who).await;
        let (got, body) = other
            .call(
                "set_reports_direct",
                &[("unit", "kysd"), ("version", "1"), ("on", "true")],
            )
            .await;
        assert_eq!(got, status, "{who}: {body}");
    }
    let (status, body) = head
        .call(
            "set_reports_direct",
            &[("unit", "kysd"), ("version", "1"), ("on", "true")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = head
        .call(
            "set_reports_direct",
            &[("unit", "kysd"), ("version", "1"), ("on", "true")],
        )
        .await;
    assert_eq!(status, 409, "a stale version: {body}");
    // Now the liaison's report counts at once.
    let liaison = beside(&head, "jianglin").await;
    let answer = liaison
        .post_multipart(
            &format!("/tasks/{TASK}/reports"),
            report("直接报送的进展"),
            true,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(json(&answer)["status"], "submitted");
    assert_eq!(standing(&head).await.percent, 70);
    let (_, page) = head.get("/units").await;
    assert!(
        page.contains("联络员填报直接报送"),
        "the head sees the setting"
    );
}

/// 配合单位报送: 葵涌 co-operates on task 1 (组织科 leads) and adds its part with a file; it is
/// on the record for everyone, named as 葵涌's part, and moves neither the task's percent nor
/// its milestones. The part cannot give a percent's milestones; a unit that is not a co-unit,
/// and the lead unit's own report posing as a part, are refused; nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_co_unit_adds_its_part_without_moving_the_task() {
    const T1: &str = "dapeng-2022-01";
    let head = signed_in("liuqiang").await;
    let state = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let row: Option<Standing> = db
                .query(
                    "RETURN {
                        percent: task:`dapeng-2022-01`.percent,
                        version: task:`dapeng-2022-01`.version,
                        reports: count(SELECT id FROM progress_report WHERE task = task:`dapeng-2022-01`),
                        events: count(SELECT id FROM audit_event),
                    }",
                )
                .await
                .expect("q")
                .take(0)
                .expect("row");
            row.expect("standing")
        }
    };
    let before = state(&head).await;
    let path = format!("/tasks/{T1}/reports");
    let part = |done: &str| {
        Form::new()
            .text("part", "co")
            .text("done", done.to_owned())
            .text("problems", "")
            .text("next_steps", "")
    };

    // 葵涌 may not file the task's own report (it does not lead it).
    let answer = head.post_multipart(&path, report("越位报送"), true).await;
    assert_eq!(answer.status, 409, "{}", answer.body);
    assert_eq!(
        message(&answer.body),
        "配合单位报送本单位承担的工作,完成进度和推进目标由牵头单位报送"
    );
    // A part that ticks a milestone is refused.
    let answer = head
        .post_multipart(&path, part("完成坝光新村试点").text("reached", "1"), true)
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    // 党员教育管理科 does not co-operate on task 1; the office reports the task itself.
    let dyk = beside(&head, "liming").await;
    assert_eq!(
        dyk.post_multipart(&path, part("配合"), true).await.status,
        403
    );
    let office = beside(&head, "wangfang").await;
    let answer = office.post_multipart(&path, part("配合"), true).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(state(&head).await, before, "nothing changed");

    let answer = head
        .post_multipart(
            &path,
            file(
                part("坝光新村、金众云山栖小区支部已成立"),
                "支部成立批复.pdf",
                PDF,
            ),
            true,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let after = state(&head).await;
    assert_eq!(
        (after.percent, after.version, after.reports),
        (before.percent, before.version, before.reports + 1),
        "a part moves neither percent nor version"
    );
    let (_, page) = office.get(&format!("/tasks/{T1}")).await;
    assert!(page.contains("配合单位报送 · 葵涌街道党建办"));
    assert!(page.contains("坝光新村、金众云山栖小区支部已成立"));
    assert!(page.contains("支部成立批复.pdf"));
    // The co-unit's page offers the part's form, without percent or milestones.
    let (_, page) = head.get(&format!("/tasks/{T1}")).await;
    assert!(page.contains("name=\"part\" value=\"co\""));
    assert!(!page.contains("name=\"percent\""));
}
