//! 催办 and 三色督办单 through the real router, on the demo as of 2022-07-29: the office presses
//! 葵涌's lagging task 12; the notice is numbered in its year, reaches the unit (and, a notice,
//! the leaders), is answered once, and prints. Every refusal is a clear Chinese error that
//! changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};
use surrealdb::types::SurrealValue;

/// 葵涌's task under way, 黄灯 on 7-29.
const TASK: &str = "dapeng-2022-12";

#[derive(Debug, SurrealValue)]
struct Sent {
    notices: i64,
    events: i64,
}

async fn sent(app: &TestApp) -> (i64, i64) {
    let row: Option<Sent> = app
        .db
        .query(
            "RETURN {
                notices: count(SELECT id FROM supervision),
                events: count(SELECT id FROM audit_event
                    WHERE action IN ['supervise', 'supervise_answered']),
            }",
        )
        .await
        .expect("q")
        .take(0)
        .expect("row");
    let row = row.expect("counts");
    (row.notices, row.events)
}

async fn supervise(app: &TestApp, kind: &str, requirement: &str, by: &str) -> (u16, String) {
    app.call(
        "supervise_task",
        &[
            ("id", TASK),
            ("kind", kind),
            ("requirement", requirement),
            ("feedback_by", by),
        ],
    )
    .await
}

async fn answer(app: &TestApp, id: &str, feedback: &str) -> (u16, String) {
    app.call("answer_supervision", &[("id", id), ("feedback", feedback)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yellow_notice_is_sent_numbered_answered_once_and_printed() {
    let office = signed_in("wangfang").await;
    let before = sent(&office).await;
    // Refusals: nothing required, a 反馈时限 today; the unit itself; a task not under way.
    let (status, body) = supervise(&office, "yellow", " ", "2022-07-29").await;
    assert_eq!(status, 422, "{body}");
    let said = message(&body);
    assert!(
        said.contains("督办要求不能为空") && said.contains("反馈时限须晚于今天"),
        "{said}"
    );
    let head = beside(&office, "liuqiang").await;
    let (status, body) = supervise(&head, "yellow", "请报送整改措施", "2022-08-05").await;
    assert_eq!(status, 403, "{body}");
    assert!(is_chinese(&message(&body)));
    let (status, body) = office
        .call(
            "supervise_task",
            &[
                ("id", "dapeng-2022-41"),
                ("kind", "urge"),
                ("requirement", "请尽快完成挂牌"),
                ("feedback_by", "2022-08-05"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        message(&body).contains("只有推进中或退回整改的任务"),
        "{body}"
    );
    assert_eq!(sent(&office).await, before, "nothing sent");

    // A 催办 has no number; notices count up in the year.
    let (status, body) = supervise(&office, "urge", "请于周五前更新进度", "2022-08-01").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = supervise(
        &office,
        "yellow",
        "进度落后序时,请于8月5日前报送整改措施",
        "2022-08-05",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let yellow = body.trim_matches('"').to_owned();
    assert_eq!(sent(&office).await, (before.0 + 2, before.1 + 2));

    // The unit reads it in its inbox. It is copied to the task's 分管领导 (钟立新, 葵涌's, who
    // has no account here), not to 林晓华: see a_notice_is_copied_to_the_supervising_leader_only.
    let (_, inbox) = head.call("get_inbox", &[]).await;
    assert!(inbox.contains("黄色督办单:进度落后序时"), "{inbox}");
    let leader = beside(&office, "linxh").await;
    let (_, inbox) = leader.call("get_inbox", &[]).await;
    assert!(!inbox.contains("黄色督办单"), "{inbox}");
    assert!(!inbox.contains("请于周五前更新进度"), "{inbox}");

    // The printed notice: number, addressee, facts of the day.
    let (status, html) = head.get(&format!("/notices/{yellow}")).await;
    assert_eq!(status, 200);
    for text in [
        "黄色督办单",
        "督办〔2022〕1号",
        "葵涌街道党建办",
        "截至2022年7月29日",
        "请于 2022年8月5日 前书面反馈落实情况",
    ] {
        assert!(html.contains(text), "{text}");
    }

    // 反馈: not by another street, not empty; once by 葵涌; not twice.
    let nanao = beside(&office, "yangfan").await;
    let (status, _) = answer(&nanao, &yellow, "已落实").await;
    assert_eq!(status, 403);
    let (status, body) = answer(&head, &yellow, "").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = answer(&head, &yellow, "已制定整改措施,8月15日前完成阵地提升").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = answer(&head, &yellow, "再次反馈").await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("已反馈"), "{body}");
    let (_, inbox) = office.call("get_inbox", &[]).await;
    assert!(
        inbox.contains("\"kind\":\"supervision_answered\""),
        "{inbox}"
    );
    let (_, page) = office.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("已制定整改措施,8月15日前完成阵地提升"));
    assert!(page.contains("已反馈"));
}

/// Notices sent at the same moment each get their own number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_sent_at_once_get_distinct_numbers() {
    let office = std::sync::Arc::new(signed_in("wangfang").await);
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..6 {
        let office = office.clone();
        sends.spawn(async move {
            let requirement = format!("第{i}次督办:请报送整改措施");
            supervise(&office, "blue", &requirement, "2022-08-10").await
        });
    }
    while let Some(done) = sends.join_next().await {
        let (status, body) = done.expect("send");
        assert_eq!(status, 200, "{body}");
    }
    let numbers: Vec<i64> = office
        .db
        .query("SELECT VALUE number FROM supervision ORDER BY number")
        .await
        .expect("q")
        .take(0)
        .expect("numbers");
    assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6]);
}

/// A 督办单 left unanswered past its 反馈时限 escalates to the next colour once, however many
/// instances look; an answered one does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_notice_escalates_once() {
    let office = signed_in("wangfang").await;
    let (status, body) = supervise(&office, "yellow", "请报送整改措施", "2022-08-05").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = office
        .call(
            "supervise_task",
            &[
                ("id", "dapeng-2022-09"),
                ("kind", "blue"),
                ("requirement", "节点临近,请按期完成"),
                ("feedback_by", "2022-08-05"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let answered = body.trim_matches('"').to_owned();
    let head = beside(&office, "liming").await;
    let (status, _) = answer(&head, &answered, "已按期推进").await;
    assert_eq!(status, 200);

    let day = chrono::NaiveDate::from_ymd_opt(2022, 8, 8).expect("date");
    let cal = jiebang::server::calendar::current();
    let (a, b) = tokio::join!(
        jiebang::server::db::supervision::escalate_overdue(&office.db, day, &cal),
        jiebang::server::db::supervision::escalate_overdue(&office.db, day, &cal),
    );
    assert_eq!(
        a.expect("a") + b.expect("b"),
        1,
        "one escalation, by one instance"
    );
    let red: Vec<String> = office
        .db
        .query("SELECT VALUE requirement FROM supervision WHERE kind = 'red'")
        .await
        .expect("q")
        .take(0)
        .expect("red");
    assert_eq!(red.len(), 1);
    assert!(
        red[0].starts_with("黄色督办单(督办〔2022〕1号)逾期未反馈,升级督办"),
        "{}",
        red[0]
    );
    // Later runs leave it at that.
    let later = day + chrono::Duration::days(3);
    assert_eq!(
        jiebang::server::db::supervision::escalate_overdue(&office.db, later, &cal)
            .await
            .expect("later"),
        0
    );
    // 葵涌 reads the red notice in its inbox.
    let kuiyong = beside(&office, "liuqiang").await;
    let (_, inbox) = kuiyong.call("get_inbox", &[]).await;
    assert!(
        inbox.contains("红色督办单:黄色督办单(督办〔2022〕1号)逾期未反馈"),
        "{inbox}"
    );
}

/// The 督办通报 of the demo on 7-29, after a 黄色督办单 on task 12: its counts agree with the
/// board's lights, every red task names its reason, task 12 lists the notice with its state,
/// and the workbook carries the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_bulletin_counts_the_lights_and_lists_what_pressed_each_task() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let office = signed_in("wangfang").await;
    let (status, body) =
        supervise(&office, "yellow", "请于8月5日前报送整改措施", "2022-08-05").await;
    assert_eq!(status, 200, "{body}");

    // The board's own account of the lights, tasks under way only.
    let (status, board) = office.call("get_board", &[]).await;
    assert_eq!(status, 200);
    let board: serde_json::Value = serde_json::from_str(&board).unwrap();
    let under_way = |light: &str| {
        board["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                ["in_progress", "returned"].contains(&t["status"].as_str().unwrap())
                    && t["light"] == light
            })
            .count()
    };
    let (red, yellow) = (under_way("red"), under_way("yellow"));
    assert!(red > 0 && yellow > 0);

    let (status, page) = office.get("/bulletin").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("督办通报") && page.contains("2022年第7期(截至2022年7月29日)"));
    assert!(
        page.contains(&format!("三、红灯任务({red}项)")),
        "{red} red"
    );
    assert!(
        page.contains(&format!("四、黄灯任务({yellow}项)")),
        "{yellow} yellow"
    );
    assert!(page.contains("本月发出黄色督办单1件"));
    assert!(
        page.contains("2022年7月29日 黄色督办单(督办〔2022〕1号):请于8月5日前报送整改措施【待反馈,2022年8月5日前】"),
        "task 12's notice with its state"
    );
    // Every red task says why.
    let red_part = page
        .split("三、红灯任务")
        .nth(1)
        .and_then(|p| p.split("四、黄灯任务").next())
        .unwrap();
    assert_eq!(
        common::count(red_part, "亮灯原因:"),
        red,
        "a reason for each red task"
    );

    let (status, bytes) = office.download("/export/bulletin").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["总体情况", "红黄灯任务"]);
    let overall = book.worksheet_range("总体情况").unwrap();
    let total_row = overall
        .rows()
        .find(|r| r.first() == Some(&Data::String("合计".into())))
        .expect("合计");
    let number = |c: &Data| match c {
        Data::Float(f) => *f as usize,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        number(&total_row[1]),
        board["tasks"].as_array().unwrap().len()
    );
    assert_eq!(
        (number(&total_row[3]), number(&total_row[4])),
        (yellow, red)
    );
    let flagged = book.worksheet_range("红黄灯任务").unwrap();
    assert_eq!(flagged.rows().count(), 1 + red + yellow);
    let twelve = flagged
        .rows()
        .find(|r| r.first() == Some(&Data::Float(12.0)))
        .expect("task 12");
    assert_eq!(twelve[6], Data::String("黄".into()));
    assert!(
        twelve[9].to_string().contains("督办〔2022〕1号"),
        "{:?}",
        twelve[9]
    );

    // Not without signing in.
    let anonymous = common::serve(office.db.clone()).await;
    let (status, _) = anonymous.download("/export/bulletin").await;
    assert_eq!(status, 401);
}

/// A 督办单 is copied (抄送) to the task's 分管领导 alone: the leader whose account is linked
/// to that person reads it; a leader linked to another person does not, nor one not linked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_is_copied_to_the_supervising_leader_only() {
    let office = signed_in("wangfang").await;
    // Task 12's 分管领导: 林晓华 (p-lin), whose account is linxh in the demo.
    office
        .db
        .query("UPDATE type::record('task', $task) SET supervisor = person:`p-lin`")
        .bind(("task", TASK))
        .await
        .unwrap()
        .check()
        .unwrap();
    let admin = beside(&office, "admin").await;
    for (username, person) in [("zhoujg", "p-zhou"), ("chenzy", "")] {
        let (status, body) = admin
            .call(
                "create_account",
                &[
                    ("username", username),
                    (
                        "display_name",
                        if person.is_empty() {
                            "陈志远"
                        } else {
                            "周建国"
                        },
                    ),
                    ("role", "leader"),
                    ("unit", ""),
                    ("password", "leader2022ok"),
                    ("person", person),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    // A link to nobody is refused.
    let (status, body) = admin
        .call(
            "create_account",
            &[
                ("username", "nobody"),
                ("display_name", "某人"),
                ("role", "leader"),
                ("password", "leader2022ok"),
                ("person", "p-nobody"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("对应人员"), "{body}");

    let (status, body) = supervise(&office, "yellow", "请报送整改措施", "2022-08-05").await;
    assert_eq!(status, 200, "{body}");
    let supervised = |inbox: &str| {
        let inbox: serde_json::Value = serde_json::from_str(inbox).unwrap();
        inbox["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "supervised" && n["task"] == TASK)
    };
    let lin = beside(&office, "linxh").await;
    assert!(
        supervised(&lin.call("get_inbox", &[]).await.1),
        "林晓华 is 分管领导"
    );
    for (username, why) in [
        ("zhoujg", "another leader's task"),
        ("chenzy", "not linked"),
    ] {
        let other = common::serve(office.db.clone()).await;
        assert!(other.signs_in(username, "leader2022ok").await);
        assert!(
            !supervised(&other.call("get_inbox", &[]).await.1),
            "{username}: {why}"
        );
    }
}
