//! 整改清单 through the real router: the demo list as each role sees it, an item drafted from
//! a failed acceptance, the unit's 整改进展 with evidence, 退回重改 and 销号 — every refusal a
//! clear Chinese error that changes nothing — and the 整改台账 that parses back as the page
//! shows it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{TestApp, beside, is_chinese, message, signed_in};
use reqwest::multipart::{Form, Part};
use surrealdb::types::SurrealValue;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).expect("json")
}

async fn findings(app: &TestApp, query: &[(&str, &str)]) -> serde_json::Value {
    let (status, body) = app.call("get_findings", query).await;
    assert_eq!(status, 200, "{body}");
    json(&body)
}

/// Number, light, status of each item, as the list gives them.
fn rows(list: &serde_json::Value) -> Vec<(u64, String, String)> {
    list["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["number"].as_u64().expect("number"),
                f["light"].as_str().unwrap_or("none").to_owned(),
                f["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect()
}

#[derive(Debug, PartialEq, SurrealValue)]
struct Standing {
    items: i64,
    entries: i64,
    events: i64,
}

async fn standing(app: &TestApp) -> Standing {
    let row: Option<Standing> = app
        .db
        .query(
            "RETURN {
                items: count(SELECT id FROM finding),
                entries: count(SELECT id FROM finding_entry),
                events: count(SELECT id FROM audit_event),
            }",
        )
        .await
        .expect("query")
        .take(0)
        .expect("row");
    row.expect("standing")
}

#[tokio::test]
async fn the_demo_list_as_each_role_sees_it() {
    let office = signed_in("wangfang").await;
    let list = findings(&office, &[("plan", "dapeng-2022")]).await;
    // On 2022-07-29: item 1 (葵涌, due 7-25) is overdue; item 2 (南澳, due 8-15) has 17 days
    // left; item 3 waits for 销号; item 4 was 销号ed on 7-5.
    assert_eq!(
        rows(&list),
        vec![
            (1, "red".into(), "rectifying".into()),
            (2, "green".into(), "rectifying".into()),
            (3, "green".into(), "submitted".into()),
            (4, "none".into(), "closed".into()),
        ]
    );
    assert_eq!(list["may_manage"], true);
    assert_eq!(list["own_only"], false);

    // A unit sees its own items only, and cannot open another unit's.
    let kysd = beside(&office, "liuqiang").await;
    let own = findings(&kysd, &[]).await;
    assert_eq!(rows(&own), vec![(1, "red".into(), "rectifying".into())]);
    assert_eq!(own["own_only"], true);
    assert_eq!(own["may_manage"], false);
    let (status, body) = kysd.call("get_finding", &[("id", "story-f2")]).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = kysd.call("get_finding", &[("id", "story-f1")]).await;
    assert_eq!(status, 200, "{body}");
    let item = json(&body);
    assert_eq!(item["may_report"], true);
    assert_eq!(item["may_decide"], false);
    assert_eq!(item["entries"].as_array().expect("entries").len(), 1);

    // Observers read everything; the system administrator reads no unit's record.
    let guest = beside(&office, "guest").await;
    assert_eq!(rows(&findings(&guest, &[]).await).len(), 4);
    let admin = beside(&office, "admin").await;
    let (status, _) = admin.call("get_findings", &[]).await;
    assert_eq!(status, 403);

    // The page and the 整改台账 say the same.
    let (status, html) = office.get("/rectify").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("整改清单") && html.contains("上级督导反馈"),
        "{html}"
    );
    assert!(html.contains("逾期 4 天"), "item 1 is 4 days past 7-25");
    let (status, bytes) = office.download("/export/findings?plan=dapeng-2022").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("整改台账").expect("sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .skip(2)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|d| d.date().to_string())
                        .unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(cells.len(), 4);
    let by_column = |col: usize| cells.iter().map(|r| r[col].clone()).collect::<Vec<_>>();
    assert_eq!(by_column(0), ["1", "2", "3", "4"]);
    assert_eq!(
        by_column(2),
        ["上级督导反馈", "督查检查", "调度会议定", "自查发现"]
    );
    assert_eq!(by_column(7)[0], "2022-07-25");
    assert_eq!(by_column(9), ["整改中", "整改中", "待销号", "已销号"]);
    assert_eq!(by_column(10), ["红灯", "绿灯", "绿灯", ""]);
    assert_eq!(by_column(12)[3], "2022-07-05");
    // The 工作台: the office sees the request for 销号 (item 3) before the overdue item 1; 葵涌
    // its own overdue item, with how late it is.
    let (_, work) = office.get("/work").await;
    let shelf = &work[work.find("shelf-findings").expect("findings shelf")..];
    let (three, one) = (
        shelf.find("/rectify/story-f3").expect("item 3"),
        shelf.find("/rectify/story-f1").expect("item 1"),
    );
    assert!(three < one, "requests for 销号 come first");
    assert!(
        !shelf.contains("/rectify/story-f2"),
        "item 2 waits on nobody at the office"
    );
    let (_, work) = kysd.get("/work").await;
    let shelf = &work[work.find("shelf-findings").expect("findings shelf")..];
    assert!(
        shelf.contains("/rectify/story-f1") && shelf.contains("已逾期 4 天"),
        "{shelf}"
    );
    assert!(!shelf.contains("/rectify/story-f2"));
    // A unit's workbook holds its own items only.
    let (_, bytes) = kysd.download("/export/findings").await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("整改台账").expect("sheet");
    assert_eq!(sheet.rows().skip(2).count(), 1);
}

#[tokio::test]
async fn a_failed_acceptance_is_rectified_with_evidence_and_closed() {
    let office = signed_in("wangfang").await;
    // Task 14's acceptance failed on 7-26 (指引 not issued), 整改时限 9-15: the draft says so.
    let list = findings(
        &office,
        &[("plan", "dapeng-2022"), ("task", "dapeng-2022-14")],
    )
    .await;
    let draft = &list["draft"];
    assert_eq!(draft["source"], "acceptance");
    assert_eq!(draft["unit"], "dyk");
    assert_eq!(draft["deadline"], "2022-09-15");
    assert_eq!(draft["found_on"], "2022-07-26");
    let problem = draft["problem"].as_str().expect("problem").to_owned();
    assert!(problem.contains("指引正式印发"), "{problem}");
    assert!(problem.contains("尚在征求意见"), "{problem}");

    let before = standing(&office).await;
    let form = |measures: &str, unit: &str| {
        vec![
            ("plan", "dapeng-2022".to_owned()),
            ("form[problem]", problem.clone()),
            ("form[source]", "acceptance".to_owned()),
            ("form[unit]", unit.to_owned()),
            ("form[person]", "李明".to_owned()),
            ("form[measures]", measures.to_owned()),
            ("form[deadline]", "2022-09-15".to_owned()),
            ("form[found_on]", "2022-07-26".to_owned()),
            ("form[task]", "dapeng-2022-14".to_owned()),
        ]
    };
    let call = |f: Vec<(&'static str, String)>| {
        let office = &office;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            office.call("add_finding", &pairs).await
        }
    };
    // Refused: no measures; a unit that does not exist.
    for (what, f, field_word) in [
        ("no measures", form("", "dyk"), "整改措施"),
        (
            "no such unit",
            form("8月底前正式印发指引", "nobody"),
            "责任单位",
        ),
    ] {
        let (status, body) = call(f).await;
        assert_eq!(status, 422, "{what}: {body}");
        let said = message(&body);
        assert!(
            said.contains(field_word) && is_chinese(&said),
            "{what}: {said}"
        );
        assert_eq!(standing(&office).await, before, "{what} changed nothing");
    }
    let (status, body) = call(form(
        "8月底前完成征求意见,9月10日前正式印发指引并报送文件",
        "dyk",
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).expect("id");
    let after = standing(&office).await;
    assert_eq!(after.items, before.items + 1);
    assert_eq!(after.events, before.events + 1, "one audit event");
    let (_, body) = office.call("get_finding", &[("id", &id)]).await;
    let item = json(&body);
    assert_eq!(item["finding"]["number"], 5, "numbered after the demo's 4");
    assert_eq!(item["finding"]["status"], "rectifying");

    // Only the responsible unit reports; 葵涌 may not.
    let progress = |text: &str, finished: bool, version: u32| {
        let form = Form::new()
            .text("version", version.to_string())
            .text("text", text.to_owned())
            .part(
                "files",
                Part::bytes(PNG.to_vec()).file_name("印发文件.png".to_owned()),
            );
        if finished {
            form.text("finished", "on")
        } else {
            form
        }
    };
    let path = format!("/rectify/{id}/progress");
    let kysd = beside(&office, "liuqiang").await;
    let answer = kysd
        .post_multipart(&path, progress("代为报送", false, 1), true)
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(is_chinese(&message(&answer.body)));

    // 李明 (党员教育管理科) reports it done with the issued document, from a plain form.
    let dyk = beside(&office, "liming").await;
    let before = standing(&office).await;
    let answer = dyk
        .post_multipart(&path, progress("指引已正式印发", true, 7), false)
        .await;
    assert_eq!(answer.status, 303);
    let location = answer.location.expect("location");
    assert!(location.contains("progress_error="), "{location}");
    assert_eq!(
        standing(&office).await,
        before,
        "a stale version changed nothing"
    );
    let answer = dyk
        .post_multipart(&path, progress("好", true, 1), true)
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        message(&answer.body).contains("整改进展"),
        "{}",
        answer.body
    );
    let answer = dyk
        .post_multipart(
            &path,
            progress("《流动党员管理指引》已于9月5日正式印发", true, 1),
            false,
        )
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/rectify/{id}?reported=submitted#record").as_str())
    );
    // Asked for 销号: no more reports until the office decides.
    let answer = dyk
        .post_multipart(&path, progress("补充材料", false, 2), true)
        .await;
    assert_eq!(answer.status, 409, "{}", answer.body);

    // The evidence: the unit and the office read it; another unit does not.
    let file = format!("/rectify/{id}/entries/1/files/0");
    let (status, headers, bytes) = dyk.fetch(&file).await;
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    assert_eq!(headers["content-type"], "image/png");
    let (status, _, _) = office.fetch(&file).await;
    assert_eq!(status, 200);
    let (status, _, _) = kysd.fetch(&file).await;
    assert_eq!(status, 403);

    // The office sends it back — with a reason — then the unit reworks, then 销号.
    let (status, body) = office
        .call(
            "decide_finding",
            &[("id", &id), ("version", "2"), ("verdict", "return")],
        )
        .await;
    assert_eq!(status, 422, "a return needs its reason: {body}");
    let (status, body) = office
        .call(
            "decide_finding",
            &[
                ("id", &id),
                ("version", "2"),
                ("verdict", "return"),
                ("note", "请补充印发文件的正式文号页"),
            ],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "\"returned\""));
    let answer = dyk
        .post_multipart(&path, progress("已补充文号页", true, 3), true)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let (status, body) = office
        .call(
            "decide_finding",
            &[("id", &id), ("version", "4"), ("verdict", "close")],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "\"closed\""));
    let (_, body) = dyk.call("get_finding", &[("id", &id)]).await;
    let item = json(&body);
    assert_eq!(item["finding"]["status"], "closed");
    assert_eq!(item["finding"]["returned"], 1);
    assert_eq!(item["finding"]["closed_on"], "2022-07-29");
    assert_eq!(item["may_report"], false);
    let kinds: Vec<&str> = item["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["submit", "return", "submit", "close"]);
    // Nothing more after 销号, and nothing reported was changed: 4 entries, 4 events.
    let answer = dyk
        .post_multipart(&path, progress("再次报送整改进展", false, 5), true)
        .await;
    assert_eq!(answer.status, 409, "{}", answer.body);
    assert!(message(&answer.body).contains("已销号"), "{}", answer.body);
    let end = standing(&office).await;
    assert_eq!(
        (end.entries, end.events),
        (before.entries + 4, before.events + 4)
    );
    let kept: Option<i64> = office
        .db
        .query("DELETE finding_entry; RETURN count(SELECT id FROM finding_entry)")
        .await
        .ok()
        .and_then(|mut r| r.take(1).ok())
        .flatten();
    assert_eq!(kept, Some(end.entries), "entries are append-only");
}

#[tokio::test]
async fn a_findings_list_is_imported_whole_or_not_at_all() {
    let office = signed_in("wangfang").await;
    let upload = |csv: String| {
        Form::new().text("plan", "dapeng-2022").part(
            "file",
            Part::bytes(format!("\u{feff}{csv}").into_bytes()).file_name("督查反馈问题.csv"),
        )
    };
    let header = "序号,问题描述,问题来源,责任单位,责任人,整改措施,整改时限,发现日期,关联任务序号";
    let good = "1,小区党支部公示栏未更新,区委第二督查组检查,南澳街道党建办,杨帆,8月20日前更新公示栏并拍照报送,2022/8/20,2022/7/20,1";
    let bad = "2,党员活动室长期关闭,上级督导反馈,不存在的单位,唐欣,恢复开放并公示开放时间,2022/9/30,2022/7/21,";
    let before = standing(&office).await;

    let answer = office
        .post_multipart(
            "/rectify/import",
            upload(format!("{header}\n{good}\n{bad}\n")),
            false,
        )
        .await;
    assert_eq!(answer.status, 303);
    let location = answer.location.expect("location");
    assert!(location.contains("import_error="), "{location}");
    assert_eq!(
        standing(&office).await,
        before,
        "a list with a bad row adds nothing"
    );
    let (_, html) = office.get(&location).await;
    assert!(
        html.contains("第 3 行") && html.contains("不存在的单位"),
        "the problem is shown with its row: {html}"
    );

    let fixed = bad.replace("不存在的单位", "南澳街道党建办");
    let answer = office
        .post_multipart(
            "/rectify/import",
            upload(format!("{header}\n{good}\n{fixed}\n")),
            false,
        )
        .await;
    let location = answer.location.expect("location");
    assert!(location.ends_with("&imported=2"), "{location}");
    let after = standing(&office).await;
    assert_eq!(
        (after.items, after.events),
        (before.items + 2, before.events + 2)
    );
    let list = findings(&office, &[("plan", "dapeng-2022")]).await;
    let imported: Vec<(u64, String, String)> = list["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["number"].as_u64() > Some(4))
        .map(|f| {
            (
                f["number"].as_u64().expect("n"),
                f["source"].as_str().expect("source").to_owned(),
                f["unit"].as_str().expect("unit").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        imported,
        vec![
            (5, "inspection".into(), "nasd".into()),
            (6, "superior".into(), "nasd".into())
        ]
    );
    assert_eq!(list["findings"][4]["task"][1], 1, "row 1 names task 1");

    // Only the office imports.
    let unit = beside(&office, "yangfan").await;
    let answer = unit
        .post_multipart(
            "/rectify/import",
            upload(format!("{header}\n{good}\n")),
            false,
        )
        .await;
    assert_eq!(answer.status, 403);
    assert_eq!(standing(&office).await, after);
}
