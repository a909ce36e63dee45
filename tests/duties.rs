//! 责任清单 and 述责 through the real router: the demo's three-level list, a unit head's 述责 and
//! the office's 评议 that freezes it, new duties tied to tasks — every refusal a clear Chinese
//! error that changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};

async fn board(app: &TestApp) -> serde_json::Value {
    let (status, body) = app.call("get_duties", &[("plan", "dapeng-2022")]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

/// (level, number, task numbers) of each duty.
fn duties(board: &serde_json::Value) -> Vec<(String, u64, Vec<u64>)> {
    board["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .map(|d| {
            (
                d["level"].as_str().expect("level").to_owned(),
                d["number"].as_u64().expect("number"),
                d["tasks"]
                    .as_array()
                    .expect("tasks")
                    .iter()
                    .map(|t| t[1].as_u64().expect("n"))
                    .collect(),
            )
        })
        .collect()
}

fn statement_of<'a>(board: &'a serde_json::Value, unit: &str) -> &'a serde_json::Value {
    &board["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|l| l["unit"] == unit)
        .expect("line")["statement"]
}

async fn events(app: &TestApp) -> i64 {
    let n: Option<i64> = app
        .db
        .query("RETURN count(SELECT id FROM audit_event)")
        .await
        .expect("query")
        .take(0)
        .expect("n");
    n.expect("count")
}

#[tokio::test]
async fn the_demo_lists_duties_at_three_levels_and_one_statement() {
    let office = signed_in("wangfang").await;
    let b = board(&office).await;
    let s = |l: &str, n: u64, t: &[u64]| (l.to_owned(), n, t.to_vec());
    assert_eq!(
        duties(&b),
        vec![
            s("main", 1, &[1, 19]),
            s("main", 2, &[]),
            s("first", 1, &[1]),
            s("first", 2, &[12, 41]),
            s("member", 1, &[12]),
            s("member", 2, &[1]),
            s("member", 3, &[14, 20]),
        ]
    );
    // Every unit but the 组织人事局 itself states; only 葵涌 has so far.
    let lines = b["statements"].as_array().expect("lines");
    assert_eq!(lines.len(), 11);
    let filed: Vec<&str> = lines
        .iter()
        .filter(|l| !l["statement"].is_null())
        .map(|l| l["unit"].as_str().expect("unit"))
        .collect();
    assert_eq!(filed, ["kysd"]);
    assert!(statement_of(&b, "kysd")["rating"].is_null());
    let (status, html) = office.get("/duties").await;
    assert_eq!(status, 200);
    for words in [
        "党工委主体责任",
        "党组织书记第一责任人责任",
        "一岗双责",
        "“双报到”台账不够规范",
    ] {
        assert!(html.contains(words), "{words}");
    }
}

#[tokio::test]
async fn a_statement_is_filed_by_the_head_and_frozen_by_the_review() {
    let head = signed_in("liuqiang").await;
    let own = board(&head).await;
    assert_eq!(own["own_only"], true);
    assert_eq!(own["may_state"], "kysd");
    assert_eq!(own["statements"].as_array().expect("lines").len(), 1);

    let text =
        "上半年街道党工委书记带头研究部署重点任务,承担的5项任务均按月报送进展;“双报到”台账已补齐。";
    // Only the head: the liaison may not, and a stale version is a conflict.
    let liaison = beside(&head, "jianglin").await;
    let (status, body) = liaison
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "1"), ("text", text)],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(is_chinese(&message(&body)));
    let (status, _) = head
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "0"), ("text", text)],
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = head
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "1"), ("text", "太短")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(message(&body).contains("述责报告"), "{body}");
    let (status, body) = head
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "1"), ("text", text)],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "2"));

    // 南澳 files its first.
    let nasd = beside(&head, "yangfan").await;
    let (status, _) = nasd
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "0"), ("text", text)],
        )
        .await;
    assert_eq!(status, 200);

    // The office's 评议: below 好 needs why; then the statement is final.
    let office = beside(&head, "wangfang").await;
    let before = events(&office).await;
    let review = |rating: &'static str, note: &'static str, version: &'static str| {
        let office = &office;
        async move {
            office
                .call(
                    "review_statement",
                    &[
                        ("plan", "dapeng-2022"),
                        ("unit", "kysd"),
                        ("version", version),
                        ("rating", rating),
                        ("note", note),
                    ],
                )
                .await
        }
    };
    let (status, body) = review("average", "", "2").await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("评议意见"), "{body}");
    assert_eq!(
        events(&office).await,
        before,
        "a refused 评议 changes nothing"
    );
    let (status, body) = review("fair", "书记抓党建有力,台账规范性仍需加强", "2").await;
    assert_eq!(status, 200, "{body}");
    let b = board(&office).await;
    assert_eq!(statement_of(&b, "kysd")["rating"], "fair");
    assert_eq!(statement_of(&b, "kysd")["text"], text);
    let (status, _) = review("good", "", "3").await;
    assert_eq!(status, 409, "评议 once");
    let (status, body) = head
        .call(
            "file_statement",
            &[("plan", "dapeng-2022"), ("version", "3"), ("text", text)],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("已评议"), "{body}");
    assert!(board(&head).await["may_state"].is_null());
    // One event per accepted write: 2 statements filed before, 1 review now.
    assert_eq!(events(&office).await, before + 1);
}

#[tokio::test]
async fn the_office_adds_duties_tied_to_tasks() {
    let office = signed_in("wangfang").await;
    let add = |tasks: &'static str, unit: &'static str| {
        let office = &office;
        async move {
            office
                .call(
                    "add_duty",
                    &[
                        ("plan", "dapeng-2022"),
                        ("form[level]", "member"),
                        ("form[holder]", "街道党工委副书记"),
                        ("form[unit]", unit),
                        ("form[content]", "分管大鹏街道党建工作,督促红灯任务整改"),
                        ("form[tasks]", tasks),
                    ],
                )
                .await
        }
    };
    let before = events(&office).await;
    for (tasks, unit, field) in [
        ("1、99", "dpsd", "对应任务序号"),
        ("1", "nobody", "责任单位"),
    ] {
        let (status, body) = add(tasks, unit).await;
        assert_eq!(status, 422, "{body}");
        assert!(message(&body).contains(field), "{body}");
    }
    assert_eq!(events(&office).await, before);
    let (status, body) = add("3、1", "dpsd").await;
    assert_eq!(status, 200, "{body}");
    let b = board(&office).await;
    let added = duties(&b)
        .into_iter()
        .find(|(l, n, _)| l == "member" && *n == 4);
    assert_eq!(
        added,
        Some(("member".into(), 4, vec![1, 3])),
        "tasks in number order"
    );
    // A unit reads the list but does not keep it.
    let unit = beside(&office, "yangfan").await;
    let (status, _) = unit
        .call(
            "add_duty",
            &[("plan", "dapeng-2022"), ("form[level]", "main")],
        )
        .await;
    assert_eq!(status, 403);
}
