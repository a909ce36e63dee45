//! The stored light of every task: the scheduler's sweep keeps each task's light and reason;
//! a change of light is an event in the task's history, and turning red reaches the lead unit.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use jiebang::server::lights;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).expect("date")
}

async fn light_events(app: &common::TestApp, task: &str) -> Vec<String> {
    app.db
        .query("SELECT VALUE summary FROM audit_event WHERE action = 'light' AND entity = type::record('task', $t) ORDER BY at")
        .bind(("t", task.to_owned()))
        .await
        .expect("q")
        .take(0)
        .expect("summaries")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_light_is_an_event_with_its_reason() {
    let head = common::signed_in("liuqiang").await;
    // The first sweep stores every task's light without telling anyone.
    let stored = lights::sweep(&head.db, day(7, 29)).await.expect("7-29");
    assert_eq!(stored, 42, "every task of the running plan");
    assert!(light_events(&head, "dapeng-2022-01").await.is_empty());
    assert_eq!(lights::sweep(&head.db, day(7, 29)).await.expect("again"), 0);

    // 8-21: task 1's pilot 小区 were due the day before and four are not done (节点3 the first):
    // yellow (behind) turns red.
    lights::sweep(&head.db, day(8, 21)).await.expect("8-21");
    assert_eq!(
        light_events(&head, "dapeng-2022-01").await,
        vec!["亮灯变化:黄灯 → 红灯(节点3(8月20日)逾期未完成)".to_owned()]
    );

    // 9-1: 葵涌's task 12 missed 节点2 (8-31): its head reads that it turned red.
    lights::sweep(&head.db, day(9, 1)).await.expect("9-1");
    assert_eq!(
        light_events(&head, "dapeng-2022-12")
            .await
            .last()
            .map(String::as_str),
        Some("亮灯变化:黄灯 → 红灯(节点2(8月31日)逾期未完成)")
    );
    let (_, inbox) = head.call("get_inbox", &[]).await;
    assert!(
        inbox.contains(r#""kind":"turned_red","task":"dapeng-2022-12""#),
        "{inbox}"
    );
    // The task's history shows it too.
    let (_, page) = head.get("/tasks/dapeng-2022-12").await;
    assert!(page.contains("节点2(8月31日)逾期未完成"));
}
