//! Concurrency suite: many people write to the same task at the same moment. No write may
//! be lost silently: each is either accepted (and then shows, with its audit event, and the
//! task's version moved by exactly one) or refused as a conflict the person can retry.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, signed_in};
use jiebang::server::seed::DEMO_PASSWORD;
use std::sync::Arc;
use surrealdb::types::{RecordId, SurrealValue};
use tokio::sync::Barrier;

const TASK: &str = "dapeng-2022-12";

#[derive(Debug, serde::Deserialize, SurrealValue)]
struct TaskRow {
    version: i64,
    percent: i64,
    status: String,
}

async fn task_row(app: &TestApp, key: &str) -> TaskRow {
    let row: Option<TaskRow> = app
        .db
        .query("SELECT version, percent, status FROM ONLY $id")
        .bind(("id", RecordId::new("task", key)))
        .await
        .expect("query")
        .take(0)
        .expect("row");
    row.expect("task exists")
}

/// The audit events of a task with one of `actions`, oldest first: (action, summary).
async fn events(app: &TestApp, key: &str, actions: &[&str]) -> Vec<(String, String)> {
    app.db
        .query("SELECT VALUE [action, summary] FROM audit_event WHERE entity = $id AND action IN $actions ORDER BY at")
        .bind(("id", RecordId::new("task", key)))
        .bind((
            "actions",
            actions.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
        ))
        .await
        .expect("events")
        .take(0)
        .expect("rows")
}

/// `n` more sessions of `user` on the same instance, each its own browser.
async fn sessions(app: &TestApp, user: &str, n: usize) -> Vec<Arc<common::Http>> {
    let mut all = Vec::with_capacity(n);
    for _ in 0..n {
        let http = common::Http::new(app.base.clone());
        assert!(
            http.signs_in(user, DEMO_PASSWORD).await,
            "sign-in as {user}"
        );
        all.push(Arc::new(http));
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_people_report_on_one_task_at_once_and_none_is_lost() {
    let app = signed_in("liuqiang").await;
    let before = task_row(&app, TASK).await;
    let reports_before = events(&app, TASK, &["report"]).await.len();
    let people = sessions(&app, "liuqiang", 50).await;
    let start = Arc::new(Barrier::new(people.len()));
    let mut writers = Vec::new();
    for (i, http) in people.into_iter().enumerate() {
        let start = start.clone();
        writers.push(tokio::spawn(async move {
            let percent = (40 + i).to_string();
            let done = format!("第{i}次同时报送");
            let form = [
                ("id", TASK),
                ("percent", percent.as_str()),
                ("done", done.as_str()),
                ("problems", ""),
                ("next_steps", ""),
            ];
            start.wait().await;
            // A refused write is a conflict the person sends again, as the page offers.
            let mut conflicts = 0;
            loop {
                let (status, body) = http.call("add_report", &form).await;
                match status {
                    200 => return (i, conflicts),
                    409 => {
                        assert_eq!(common::message(&body), "数据已被他人修改,请刷新后重试");
                        conflicts += 1;
                        assert!(conflicts < 50, "report {i} never got through");
                    }
                    other => panic!("report {i}: {other} {body}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for w in writers {
        conflicts += w.await.expect("writer").1;
    }
    let after = task_row(&app, TASK).await;
    let reports = events(&app, TASK, &["report"]).await;
    // Every report landed once, each moved the version by exactly one (so none was written
    // over a version another had already moved), and the task shows the last one's percent.
    assert_eq!(reports.len() - reports_before, 50);
    assert_eq!(
        after.version,
        before.version + 50,
        "{conflicts} conflicts retried"
    );
    let last: Option<String> = app
        .db
        .query(
            "SELECT VALUE percent FROM progress_report WHERE task = $id ORDER BY at DESC LIMIT 1",
        )
        .bind(("id", RecordId::new("task", TASK)))
        .await
        .expect("last")
        .take::<Vec<i64>>(0)
        .expect("rows")
        .first()
        .map(ToString::to_string);
    assert_eq!(last, Some(after.percent.to_string()));
    println!(
        "PROOF concurrency: 50 sessions reported on one task at once: 50 accepted, {conflicts} conflicts answered 409 and sent again, version +50, audit events +50, silent lost updates 0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_is_won_once_and_the_others_hear_of_the_conflict() {
    // Fifty offices' screens show the same version of a task; all press 撤项 (cancel) at once.
    let app = signed_in("wangfang").await;
    let before = task_row(&app, TASK).await;
    let people = sessions(&app, "wangfang", 50).await;
    let start = Arc::new(Barrier::new(people.len()));
    let version = before.version.to_string();
    let mut moves = Vec::new();
    for http in people {
        let (start, version) = (start.clone(), version.clone());
        moves.push(tokio::spawn(async move {
            start.wait().await;
            http.call(
                "change_task_status",
                &[("id", TASK), ("version", &version), ("to", "cancelled")],
            )
            .await
        }));
    }
    let mut answers = Vec::new();
    for m in moves {
        answers.push(m.await.expect("move"));
    }
    let won = answers.iter().filter(|(s, _)| *s == 200).count();
    let conflicts = answers
        .iter()
        .filter(|(s, b)| *s == 409 && common::message(b) == "数据已被他人修改,请刷新后重试")
        .count();
    assert_eq!((won, conflicts), (1, 49), "{answers:?}");
    let after = task_row(&app, TASK).await;
    assert_eq!(
        (after.status.as_str(), after.version),
        ("cancelled", before.version + 1)
    );
    assert_eq!(events(&app, TASK, &["transition"]).await.len(), 1);
    println!(
        "PROOF concurrency: 50 status moves from one version: 1 accepted, 49 answered 409 数据已被他人修改, version +1, audit events +1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_organizers_deciding_one_claim_at_once_one_wins() {
    // 葵涌's claim on task 41 (待挂牌): one organizer confirms it while another declines it,
    // both from the same screen; then both try again with the other choice.
    let first = signed_in("wangfang").await;
    let second = common::beside(&first, "wangfang").await;
    let before = task_row(&first, "dapeng-2022-41").await;
    let start = Arc::new(Barrier::new(2));
    let confirm = {
        let (start, http) = (start.clone(), first.http.base.clone());
        let cookie = first.cookie.lock().unwrap().clone();
        tokio::spawn(async move {
            let http = common::Http::new(http);
            *http.cookie.lock().unwrap() = cookie;
            start.wait().await;
            http.call(
                "confirm_claim",
                &[
                    ("claim", "story-41-kysd"),
                    ("reason", ""),
                    ("supervisor", ""),
                    ("start", ""),
                ],
            )
            .await
        })
    };
    let decline = {
        let (start, http) = (start.clone(), second.http.base.clone());
        let cookie = second.cookie.lock().unwrap().clone();
        tokio::spawn(async move {
            let http = common::Http::new(http);
            *http.cookie.lock().unwrap() = cookie;
            start.wait().await;
            http.call(
                "decline_claim",
                &[("claim", "story-41-kysd"), ("reason", "已另行安排牵头单位")],
            )
            .await
        })
    };
    let answers = [
        confirm.await.expect("confirm"),
        decline.await.expect("decline"),
    ];
    let won: Vec<usize> = (0..2).filter(|&i| answers[i].0 == 200).collect();
    assert_eq!(won.len(), 1, "exactly one decision: {answers:?}");
    let lost = &answers[1 - won[0]];
    assert_eq!(lost.0, 409, "{lost:?}");
    assert!(common::is_chinese(&common::message(&lost.1)), "{lost:?}");
    // The claim was decided once, with one event, and the task moved once.
    let decisions = events(&first, "dapeng-2022-41", &["confirm", "declined"]).await;
    assert_eq!(decisions.len(), 1, "{decisions:?}");
    let after = task_row(&first, "dapeng-2022-41").await;
    let expected = if won[0] == 0 { "in_progress" } else { "open" };
    assert_eq!(after.status, expected);
    assert!(after.version > before.version);
    println!(
        "PROOF concurrency: two organizers decided one claim at once: 1 decision, 1 answered 409"
    );
}
