//! 积分 through the real router: the office proposes, a leader approves or declines once, and an
//! approved entry moves the unit's total in the ranking from its day on — the 积分台账's running
//! balance and the ranking agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};

async fn total(app: &TestApp, unit: &str, as_of: &str) -> (i64, i64) {
    let (status, body) = app
        .call("get_ranking", &[("plan", "dapeng-2022"), ("as_of", as_of)])
        .await;
    assert_eq!(status, 200, "{body}");
    let ranking: serde_json::Value = serde_json::from_str(&body).expect("json");
    let s = ranking["scores"]
        .as_array()
        .expect("scores")
        .iter()
        .find(|s| s["unit"]["id"] == unit)
        .expect("unit")
        .clone();
    (
        s["total"].as_i64().expect("total"),
        s["adjustment"].as_i64().expect("adjustment"),
    )
}

async fn ledger(app: &TestApp) -> serde_json::Value {
    let (status, body) = app.call("get_points", &[("plan", "dapeng-2022")]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

#[tokio::test]
async fn an_approved_award_counts_from_its_day_and_a_decision_is_final() {
    let office = signed_in("wangfang").await;
    // The demo: 大鹏's +1.00 of 7-20 approved; 南澳's −0.50 of 7-27 waiting.
    let l = ledger(&office).await;
    let balances: Vec<(String, i64)> = l["balances"]
        .as_array()
        .expect("balances")
        .iter()
        .map(|b| {
            (
                b["unit"].as_str().expect("unit").to_owned(),
                b["total"].as_i64().expect("total"),
            )
        })
        .collect();
    assert_eq!(balances, [("dpsd".to_owned(), 100)]);
    let (with, adjustment) = total(&office, "dpsd", "2022-07-29").await;
    assert_eq!(adjustment, 100);
    let (before_day, none) = total(&office, "dpsd", "2022-07-19").await;
    assert_eq!(none, 0, "not before its day");
    assert!(with != before_day || with > 0);
    let (nasd_before, nasd_adj) = total(&office, "nasd", "2022-07-29").await;
    assert_eq!(nasd_adj, 0, "a proposed entry does not count");

    // The office may not decide; the leader approves 南澳's deduction once.
    let pending = l["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["status"] == "proposed")
        .expect("pending")
        .clone();
    let key = pending["key"].as_str().expect("key").to_owned();
    let (status, body) = office
        .call(
            "decide_points",
            &[("entry", &key), ("version", "1"), ("decision", "approve")],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(is_chinese(&message(&body)));
    let leader = beside(&office, "linxh").await;
    let (status, body) = leader
        .call(
            "decide_points",
            &[("entry", &key), ("version", "1"), ("decision", "maybe")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = leader
        .call(
            "decide_points",
            &[
                ("entry", &key),
                ("version", "1"),
                ("decision", "approve"),
                ("note", "同意"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (nasd_after, adj) = total(&office, "nasd", "2022-07-29").await;
    assert_eq!(adj, -50);
    assert_eq!(nasd_after, nasd_before - 50);
    let (status, _) = leader
        .call(
            "decide_points",
            &[("entry", &key), ("version", "2"), ("decision", "decline")],
        )
        .await;
    assert_eq!(status, 409, "decided once");
    let _ = office
        .db
        .query("UPDATE point_entry SET status = 'declined' WHERE status = 'approved'")
        .await;
    let statuses: Vec<String> = office
        .db
        .query("SELECT VALUE status FROM point_entry ORDER BY proposed_at")
        .await
        .expect("query")
        .take(0)
        .expect("statuses");
    assert_eq!(
        statuses,
        ["approved", "approved"],
        "a decided entry cannot be changed in the store either"
    );
}

#[tokio::test]
async fn a_proposal_is_checked_and_units_see_their_own() {
    let office = signed_in("wangfang").await;
    let propose = |points: &'static str, on: &'static str| {
        let office = &office;
        async move {
            office
                .call(
                    "propose_points",
                    &[
                        ("plan", "dapeng-2022"),
                        ("form[unit]", "kysd"),
                        ("form[kind]", "award"),
                        ("form[points]", points),
                        ("form[reason]", "“红色驿站”经验在全市交流"),
                        ("form[on]", on),
                    ],
                )
                .await
        }
    };
    for (points, on, word) in [
        ("12", "2022-07-20", "分值"),
        ("1", "2022-08-20", "计分日期"),
    ] {
        let (status, body) = propose(points, on).await;
        assert_eq!(status, 422, "{body}");
        assert!(message(&body).contains(word), "{body}");
    }
    assert_eq!(
        ledger(&office).await["entries"]
            .as_array()
            .expect("e")
            .len(),
        2
    );
    let (status, body) = propose("1.5", "2022-07-28").await;
    assert_eq!(status, 200, "{body}");
    let l = ledger(&office).await;
    assert_eq!(l["entries"].as_array().expect("e").len(), 3);
    assert_eq!(l["entries"][0]["points"], 150, "newest first");

    // A unit reads only its own entries, and proposes nothing.
    let unit = beside(&office, "liuqiang").await;
    let own = ledger(&unit).await;
    let units: Vec<&str> = own["entries"]
        .as_array()
        .expect("e")
        .iter()
        .map(|e| e["unit"].as_str().expect("unit"))
        .collect();
    assert_eq!(units, ["kysd"]);
    assert_eq!(own["may_propose"], false);
    let (status, _) = unit
        .call(
            "propose_points",
            &[("plan", "dapeng-2022"), ("form[unit]", "kysd")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, html) = office.get("/scores/points").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("积分台账") && html.contains("“党建+民宿”联盟做法"),
        "{html}"
    );
}
