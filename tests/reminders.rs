//! 提醒 with a pinned clock over the demo: two app instances sharing one database send each
//! reminder once; a run after a three-day outage sends what was missed, once; the lead unit
//! reads them in its inbox.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use jiebang::server::{calendar, db, reminders};
use surrealdb::types::SurrealValue;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).expect("date")
}

const AHEAD: [u32; 2] = [5, 1];

#[derive(Debug, SurrealValue)]
struct Counts {
    records: i64,
    events: i64,
}

/// Reminder records and reminder events, all, and the milestone reminders of demo task 1.
async fn counts(database: &db::Db) -> (Counts, Vec<String>) {
    let mut res = database
        .query(
            "RETURN {
                records: count(SELECT id FROM reminder),
                events: count(SELECT id FROM audit_event WHERE action = 'reminder'),
             };
             SELECT VALUE summary FROM audit_event
               WHERE action = 'reminder' AND entity = task:`dapeng-2022-01`
                 AND after.kind = 'milestone' ORDER BY summary;",
        )
        .await
        .expect("q");
    let all: Option<Counts> = res.take(0).expect("counts");
    let first: Vec<String> = res.take(1).expect("summaries");
    (all.expect("counts"), first)
}

/// Task 1's six pilot 小区 are due Saturday 8-20; 坝光新村 (节点2) and 海语山林 (节点4) are
/// done. Five working days before is Friday 8-12: 节点3, 5, 6 and 7 are announced.
fn announced(working_days: u32) -> Vec<String> {
    [3, 5, 6, 7]
        .iter()
        .map(|n| {
            format!("提醒:节点{n}(2022年8月20日)还有 {working_days} 个工作日到期,请按期完成并及时报送进展")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_send_each_reminder_once() {
    let database = common::database(true).await;
    let cal = calendar::current();
    let (a, b) = tokio::join!(
        reminders::run_once(&database, day(8, 12), &AHEAD, &cal),
        reminders::run_once(&database, day(8, 12), &AHEAD, &cal),
    );
    let (a, b) = (a.expect("instance A"), b.expect("instance B"));
    let (all, first) = counts(&database).await;
    assert!(a + b > 0, "something falls on 8-12");
    assert_eq!(
        a + b,
        usize::try_from(all.records).unwrap(),
        "each sent by one instance"
    );
    assert_eq!(all.events, all.records, "one inbox event per reminder");
    assert_eq!(first, announced(5));
    // The same day again: nothing new.
    let again = reminders::run_once(&database, day(8, 12), &AHEAD, &cal)
        .await
        .expect("again");
    assert_eq!(again, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_after_three_days_down_sends_the_missed_reminders_once() {
    let database = common::database(true).await;
    let cal = calendar::current();
    reminders::run_once(&database, day(8, 11), &AHEAD, &cal)
        .await
        .expect("8-11");
    assert!(
        counts(&database).await.1.is_empty(),
        "nothing for task 1 yet"
    );
    // Down on 8-12, 8-13 and 8-14; back on Monday 8-15: the reminders of 8-12 go out now.
    let sent = reminders::run_once(&database, day(8, 15), &AHEAD, &cal)
        .await
        .expect("8-15");
    assert!(sent >= 4);
    assert_eq!(counts(&database).await.1, announced(5));
    // A restart the same day sends nothing twice.
    assert_eq!(
        reminders::run_once(&database, day(8, 15), &AHEAD, &cal)
            .await
            .expect("restart"),
        0
    );
    // Thursday 8-18, one working day before: the second round.
    reminders::run_once(&database, day(8, 18), &AHEAD, &cal)
        .await
        .expect("8-18");
    let mut both = announced(1);
    both.extend(announced(5));
    both.sort();
    assert_eq!(counts(&database).await.1, both);
}

/// On 8-24 葵涌's task 12 has 节点2 (8-31) five working days ahead and its August report not
/// yet in (due 8-25): its head reads both in the inbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lead_unit_reads_its_reminders_in_the_inbox() {
    let head = common::signed_in("liuqiang").await;
    reminders::run_once(&head.db, day(8, 24), &AHEAD, &calendar::current())
        .await
        .expect("run");
    let (_, inbox) = head.call("get_inbox", &[]).await;
    assert!(
        inbox.contains("提醒:节点2(2022年8月31日)还有 5 个工作日到期"),
        "{inbox}"
    );
    assert!(
        inbox.contains("提醒:本月进度请于 2022年8月25日 前报送"),
        "{inbox}"
    );
    assert!(
        inbox.contains(r#""kind":"reminder","task":"dapeng-2022-12""#),
        "{inbox}"
    );
    // Another street reads its own reminders, none of 葵涌's.
    let nanao = common::beside(&head, "yangfan").await;
    let (_, inbox) = nanao.call("get_inbox", &[]).await;
    assert!(
        inbox.contains(r#""kind":"reminder","task":"dapeng-2022-23""#),
        "{inbox}"
    );
    assert!(
        !inbox.contains(r#""kind":"reminder","task":"dapeng-2022-12""#),
        "{inbox}"
    );
}

/// The demo's 7-29 meeting gave task 1's six pilot 小区 to three streets, due Saturday 8-20.
/// On Friday 8-12 (five working days ahead) each street is reminded of its own item, in its
/// own inbox; 葵涌, which answered first, is not. After the due date only the unanswered
/// ones are reminded again (逾期未反馈, Monday 8-22).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_are_reminded_of_their_unanswered_meeting_action_items() {
    let kuiyong = common::signed_in("liuqiang").await;
    let (_, list) = kuiyong.call("list_meetings", &[]).await;
    let list: serde_json::Value = serde_json::from_str(&list).expect("json");
    let meeting = list[0]["id"].as_str().expect("the demo meeting").to_owned();
    let (_, view) = kuiyong.call("get_meeting", &[("id", &meeting)]).await;
    let view: serde_json::Value = serde_json::from_str(&view).expect("json");
    let own = view["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["unit"] == "kysd")
        .expect("葵涌's item");
    let (status, body) = kuiyong
        .call(
            "answer_action_item",
            &[
                ("id", own["id"].as_str().expect("id")),
                ("feedback", "坝光新村已完成,金众云山栖8月中旬完成"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    reminders::run_once(&kuiyong.db, day(8, 12), &AHEAD, &calendar::current())
        .await
        .expect("8-12");
    let due = "提醒:会议交办事项办理时限(2022年8月20日)还有 5 个工作日到期,请按期办理并反馈";
    let nanao = common::beside(&kuiyong, "yangfan").await;
    let (_, inbox) = nanao.call("get_inbox", &[]).await;
    assert_eq!(
        common::count(&inbox, due),
        1,
        "南澳 is reminded once: {inbox}"
    );
    let (_, inbox) = kuiyong.call("get_inbox", &[]).await;
    assert!(!inbox.contains(due), "葵涌 answered already: {inbox}");
    let items: Vec<String> = kuiyong
        .db
        .query(
            "SELECT VALUE record::id(after.unit) FROM audit_event
               WHERE action = 'reminder' AND after.kind = 'action_due' ORDER BY after.unit",
        )
        .await
        .expect("q")
        .take(0)
        .expect("units");
    assert_eq!(items, vec!["dpsd", "nasd"], "the two unanswered items");

    reminders::run_once(&kuiyong.db, day(8, 22), &AHEAD, &calendar::current())
        .await
        .expect("8-22");
    let (_, inbox) = nanao.call("get_inbox", &[]).await;
    assert!(
        inbox.contains("逾期未反馈:会议交办事项应于 2022年8月20日 前办结"),
        "{inbox}"
    );
}

/// A 调度会 called for Friday 9-30: the lead units of its agenda tasks not reported on since it
/// was called are reminded five working days before (Friday 9-23) to report first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coming_meeting_reminds_units_to_report_first() {
    let office = common::signed_in("wangfang").await;
    let (status, body) =
        common::set_up_meeting(&office, "三季度专题调度会", "2022-09-30", "09:30").await;
    assert_eq!(status, 200, "{body}");
    reminders::run_once(&office.db, day(9, 22), &AHEAD, &calendar::current())
        .await
        .expect("9-22");
    let before: Option<i64> = office
        .db
        .query("RETURN count(SELECT id FROM audit_event WHERE after.kind = 'meeting_ahead')")
        .await
        .expect("q")
        .take(0)
        .expect("count");
    assert_eq!(before, Some(0), "six working days ahead: nothing yet");
    reminders::run_once(&office.db, day(9, 23), &AHEAD, &calendar::current())
        .await
        .expect("9-23");
    let head = common::beside(&office, "liuqiang").await;
    let (_, inbox) = head.call("get_inbox", &[]).await;
    assert!(
        inbox.contains("提醒:2022年9月30日召开专题调度会逐项研判(还有 5 个工作日)"),
        "{inbox}"
    );
    // Only tasks under way are asked: none that waits to be claimed or signed for.
    let asked: Vec<String> = office
        .db
        .query("SELECT VALUE entity.status FROM audit_event WHERE after.kind = 'meeting_ahead'")
        .await
        .expect("q")
        .take(0)
        .expect("statuses");
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|s| s == "in_progress" || s == "returned"),
        "{asked:?}"
    );
}
