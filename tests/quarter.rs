//! 季度报送 through the real router: the demo's third quarter compiled from the records, the
//! second quarter's figures apart, the .xlsx that parses back with the page's numbers, and who
//! may read it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{TestApp, beside, signed_in};

async fn pack(app: &TestApp, quarter: &str) -> serde_json::Value {
    let (status, body) = app
        .call(
            "get_quarter_pack",
            &[("plan", "dapeng-2022"), ("quarter", quarter)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

async fn count(app: &TestApp, query: &str) -> u64 {
    let n: Option<i64> = app
        .db
        .query(format!("RETURN count({query})"))
        .await
        .expect("query")
        .take(0)
        .expect("n");
    u64::try_from(n.expect("count")).expect("count")
}

#[tokio::test]
async fn the_third_quarter_is_compiled_from_the_records() {
    let office = signed_in("wangfang").await;
    let q3 = pack(&office, "").await;
    assert_eq!(q3["quarter"], 3, "2022-07-29 is in the third quarter");
    assert_eq!(
        (q3["from"].as_str(), q3["to"].as_str()),
        (Some("2022-07-01"), Some("2022-09-30"))
    );
    assert_eq!(q3["as_of"], "2022-07-29");

    // Counted here straight from the tables.
    let tasks = count(
        &office,
        "SELECT id FROM task WHERE plan = plan:`dapeng-2022`",
    )
    .await;
    assert_eq!(q3["totals"]["total"].as_u64(), Some(tasks));
    assert_eq!(q3["tasks"].as_array().expect("tasks").len() as u64, tasks);
    let pressed = count(
        &office,
        "SELECT id FROM supervision WHERE issued_on >= d'2022-07-01' AND issued_on <= d'2022-09-30'",
    )
    .await;
    assert_eq!(
        q3["supervisions"].as_array().expect("pressed").len() as u64,
        pressed
    );
    let meetings: Vec<&str> = q3["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .map(|m| m["date"].as_str().expect("date"))
        .collect();
    assert_eq!(meetings, ["2022-07-29"], "the demo's 专题调度会");
    // The 整改清单 (items 1–4 of the demo): found 7-12 (2); 销号ed 7-5 (4); in hand 1 and 2;
    // 3 waits for 销号; 1 is past 7-25.
    assert_eq!(
        q3["findings"],
        serde_json::json!({ "found": 1, "closed": 1, "in_hand": 2, "submitted": 1, "overdue": 1 })
    );
    let scored = q3["scores"].as_array().expect("scores").len();
    assert!(scored > 0);

    // The second quarter: items 4 (5-10), 1 (6-20) and 3 (6-28) were found then, none closed
    // (4 was 销号ed on 7-5); no meeting was held.
    let q2 = pack(&office, "2").await;
    assert_eq!(q2["findings"]["found"], 3);
    assert_eq!(q2["findings"]["closed"], 0);
    assert_eq!(q2["meetings"].as_array().expect("meetings").len(), 0);
    assert_eq!(
        q2["as_of"], "2022-06-30",
        "the ranking as of the quarter's end"
    );

    // The workbook says what the page says.
    let (status, bytes) = office
        .download("/export/quarter?plan=dapeng-2022&q=3")
        .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    assert_eq!(
        book.sheet_names(),
        [
            "概况",
            "任务进展",
            "调度会",
            "催办督办",
            "问题整改",
            "量化考评"
        ]
    );
    let overview = book.worksheet_range("概况").expect("sheet");
    let figure = |name: &str| {
        overview
            .rows()
            .find(|r| r.first().is_some_and(|c| *c == name))
            .and_then(|r| match r.get(1) {
                Some(Data::Float(f)) => Some(*f),
                _ => None,
            })
    };
    assert_eq!(figure("任务总数"), Some(tasks as f64));
    assert_eq!(figure("本季度新发现问题"), Some(1.0));
    assert_eq!(figure("本季度整改销号"), Some(1.0));
    assert_eq!(figure("整改逾期"), Some(1.0));
    let progress = book.worksheet_range("任务进展").expect("sheet");
    let cancelled = count(
        &office,
        "SELECT id FROM task WHERE plan = plan:`dapeng-2022` AND status = 'cancelled'",
    )
    .await;
    assert_eq!(progress.rows().skip(2).count() as u64, tasks - cancelled);
    let scores = book.worksheet_range("量化考评").expect("sheet");
    assert_eq!(scores.rows().skip(2).count(), scored);

    let (status, html) = office.get("/quarter?q=3").await;
    assert_eq!(status, 200);
    assert!(html.contains("第三季度报送") && html.contains("五、问题整改"));
}

#[tokio::test]
async fn units_do_not_read_the_pack_and_a_bad_quarter_is_refused() {
    let office = signed_in("wangfang").await;
    let (status, body) = office
        .call(
            "get_quarter_pack",
            &[("plan", "dapeng-2022"), ("quarter", "5")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(common::message(&body).contains("季度"), "{body}");
    let unit = beside(&office, "liuqiang").await;
    let (status, _) = unit
        .call("get_quarter_pack", &[("plan", "dapeng-2022")])
        .await;
    assert_eq!(status, 403);
    let (status, _) = unit.download("/export/quarter?plan=dapeng-2022&q=3").await;
    assert_eq!(status, 403);
    let leader = beside(&office, "linxh").await;
    assert_eq!(pack(&leader, "3").await["quarter"], 3);
}
