//! 工作台 and 站内消息 through the real router: on the demo's 7-29 every kind of item is on
//! somebody's 工作台; a claim contest lands in the right inboxes; reading clears the count;
//! nobody is told of their own doings or of another unit's business.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, signed_in};
use jiebang::domain::ClaimStatus;
use jiebang::domain::claim::TaskClaims;
use jiebang::domain::notice::{Inbox, NoticeKind};
use jiebang::domain::workbench::{Shelf, WorkNote, Workbench};

async fn workbench(app: &TestApp) -> Workbench {
    let (status, body) = app.call("get_workbench", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("workbench json")
}

async fn inbox(app: &TestApp) -> Inbox {
    let (status, body) = app.call("get_inbox", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("inbox json")
}

fn numbers(bench: &Workbench, shelf: Shelf) -> Vec<u32> {
    bench.shelf(shelf).iter().map(|i| i.task.number).collect()
}

fn kinds(inbox: &Inbox) -> Vec<(NoticeKind, u32)> {
    inbox.notices.iter().map(|n| (n.kind, n.number)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_meeting_day_every_kind_of_item_waits_on_some_workbench() {
    let office = signed_in("wangfang").await;
    let bench = workbench(&office).await;
    // Task 41 was posted in July and claimed by 葵涌; 42 was 交办 to 南澳 on 7-28; 16 waits
    // for acceptance.
    assert_eq!(numbers(&bench, Shelf::ClaimsToDecide), vec![41]);
    assert_eq!(numbers(&bench, Shelf::AwaitingSign), vec![42]);
    assert_eq!(numbers(&bench, Shelf::AcceptanceToCheck), vec![16]);
    assert_eq!(
        bench.shelf(Shelf::AwaitingSign)[0].task.days_waiting,
        Some(1)
    );

    let nanao = beside(&office, "yangfan").await;
    let bench = workbench(&nanao).await;
    assert_eq!(numbers(&bench, Shelf::ToSign), vec![42]);
    assert_eq!(numbers(&bench, Shelf::Lead), vec![23, 38, 42]);

    let dyk = beside(&office, "liming").await;
    let bench = workbench(&dyk).await;
    assert_eq!(numbers(&bench, Shelf::Returned), vec![14]);

    let leader = beside(&office, "linxh").await;
    let bench = workbench(&leader).await;
    assert_eq!(numbers(&bench, Shelf::RequestsToDecide), vec![20]);
    match &bench.shelf(Shelf::RequestsToDecide)[0].note {
        WorkNote::Request { unit, .. } => assert_eq!(unit, "新区党群服务中心"),
        other => panic!("{other:?}"),
    }

    // The 批示 of 7-28 is unread for the streets that co-operate on task 1.
    let kuiyong = beside(&office, "liuqiang").await;
    let mail = inbox(&kuiyong).await;
    assert_eq!(kinds(&mail), vec![(NoticeKind::Instruction, 1)]);
    assert_eq!(mail.unread, 1);
    let bench = workbench(&kuiyong).await;
    assert_eq!(numbers(&bench, Shelf::MyClaims), vec![41]);
    assert_eq!(numbers(&bench, Shelf::Lead), vec![12]);
    // Task 12 reported on 7-25, so July's report is not owed.
    assert_eq!(numbers(&bench, Shelf::ReportDue), Vec::<u32>::new());
    assert!(numbers(&bench, Shelf::Co).contains(&1));

    // A viewer has no shelves and no messages.
    let guest = beside(&office, "guest").await;
    assert!(workbench(&guest).await.shelves.is_empty());
    assert_eq!(inbox(&guest).await, Inbox::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_contest_reaches_the_right_inboxes_and_reading_clears_them() {
    let office = signed_in("wangfang").await;
    let kuiyong = beside(&office, "liuqiang").await;
    let nanao = beside(&office, "yangfan").await;
    let office_before = inbox(&office).await;
    assert!(kinds(&office_before).contains(&(NoticeKind::ClaimFiled, 41)));
    assert!(kinds(&office_before).contains(&(NoticeKind::ExtensionRequested, 20)));

    // 南澳 claims task 41 too (竞榜).
    let (status, body) = nanao
        .call(
            "claim_task",
            &[
                ("id", "dapeng-2022-41"),
                ("pledge", "南澳街道依托墟镇老街建设红色驿站"),
                ("owner", ""),
                ("post", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let office_now = inbox(&office).await;
    assert_eq!(office_now.unread, office_before.unread + 1);
    assert_eq!(office_now.notices[0].kind, NoticeKind::ClaimFiled);
    // Not news to the one who did it.
    assert!(!kinds(&inbox(&nanao).await).contains(&(NoticeKind::ClaimFiled, 41)));

    // The office confirms 葵涌's claim; 南澳's is declined with the reason.
    let (_, body) = office
        .call("get_task_claims", &[("id", "dapeng-2022-41")])
        .await;
    let claims: TaskClaims = serde_json::from_str(&body).expect("claims");
    let kysd = claims
        .claims
        .iter()
        .find(|c| c.unit.as_str() == "kysd")
        .expect("葵涌's claim");
    let (status, body) = office
        .call(
            "confirm_claim",
            &[
                ("claim", kysd.id.as_str()),
                ("reason", "南澳已有墟镇示范带任务"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let ky_mail = inbox(&kuiyong).await;
    assert_eq!(
        kinds(&ky_mail)[..2],
        [
            (NoticeKind::ClaimConfirmed, 41),
            (NoticeKind::Instruction, 1)
        ]
    );
    assert_eq!(ky_mail.unread, 2);
    let na_mail = inbox(&nanao).await;
    assert_eq!(na_mail.notices[0].kind, NoticeKind::ClaimDeclined);
    assert!(
        na_mail.notices[0]
            .summary
            .contains("南澳已有墟镇示范带任务"),
        "{}",
        na_mail.notices[0].summary
    );
    // 南澳's 工作台 shows the declined claim and why.
    let bench = workbench(&nanao).await;
    match &bench.shelf(Shelf::MyClaims)[0].note {
        WorkNote::Claim { status, reason, .. } => {
            assert_eq!(*status, ClaimStatus::Declined);
            assert_eq!(reason, "南澳已有墟镇示范带任务");
        }
        other => panic!("{other:?}"),
    }
    // The office is not told of its own decision.
    assert!(!inbox(&office).await.notices.iter().any(|n| matches!(
        n.kind,
        NoticeKind::ClaimConfirmed | NoticeKind::ClaimDeclined
    )));

    // Opening a message marks it read (only for this reader) and names its task.
    let first = ky_mail.notices[0].id.to_string();
    let (status, body) = kuiyong.call("open_notice", &[("id", &first)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = kuiyong.call("count_unread", &[]).await;
    assert_eq!((status, body.as_str()), (200, "1"));
    let again = inbox(&kuiyong).await;
    assert!(again.notices[0].read);
    assert!(!again.notices[1].read);
    // Opening twice is opening once; another unit's reading changes nothing here.
    assert_eq!(kuiyong.call("open_notice", &[("id", &first)]).await.0, 200);
    assert_eq!(kuiyong.call("count_unread", &[]).await.1, "1");
    // 全部标为已读.
    assert_eq!(kuiyong.call("mark_all_notices_read", &[]).await.0, 200);
    assert_eq!(kuiyong.call("count_unread", &[]).await.1, "0");
    assert!(inbox(&kuiyong).await.notices.iter().all(|n| n.read));
    assert_eq!(inbox(&nanao).await.unread, na_mail.unread);

    // A message that is not one: 404, nothing marked.
    assert_eq!(
        kuiyong.call("open_notice", &[("id", "nosuch")]).await.0,
        404
    );
    assert_eq!(
        kuiyong.call("open_notice", &[("id", "a b")]).await.0,
        422,
        "an id that cannot name a record is refused before any query"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_reads_only_its_own_business() {
    let office = signed_in("wangfang").await;
    let liaison = beside(&office, "jianglin").await;
    let mail = inbox(&liaison).await;
    // 葵涌's liaison: the 批示 on task 1 (葵涌 co-operates), not 南澳's 交办, 党员教育管理科's
    // acceptance or the request awaiting the leader.
    assert_eq!(kinds(&mail), vec![(NoticeKind::Instruction, 1)]);
    let bench = workbench(&liaison).await;
    assert!(
        !bench
            .shelves
            .iter()
            .any(|(s, _)| *s == Shelf::DraftsToApprove)
    );
    assert_eq!(numbers(&bench, Shelf::ToSign), Vec::<u32>::new());
    // The leader is told of the request awaiting 审定 and (in July's record) of task 19's
    // acceptance awaiting its 审定 — of nothing a unit did alone.
    let leader = beside(&office, "linxh").await;
    assert_eq!(
        kinds(&inbox(&leader).await),
        vec![
            (NoticeKind::ExtensionToDecide, 20),
            (NoticeKind::SignOffPending, 19)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_render_on_the_server_with_the_unread_count() {
    let kuiyong = signed_in("liuqiang").await;
    let (status, html) = kuiyong.get("/work").await;
    assert_eq!(status, 200);
    assert!(html.contains("我的工作台"));
    assert!(html.contains("data-shelf=\"my_claims\""));
    assert!(html.contains("打造“红色驿站”党群服务微阵地"));
    assert!(
        html.contains("class=\"unread-badge\""),
        "the header counts unread"
    );
    let (status, html) = kuiyong.get("/inbox").await;
    assert_eq!(status, 200);
    assert!(html.contains("收到领导批示"));
    assert!(html.contains("1 条未读"));
    // Without a session both pages send to sign-in.
    let anonymous = common::spawn(true).await;
    assert_eq!(anonymous.get_location("/work").await.0, 303);
    assert_eq!(anonymous.get_location("/inbox").await.0, 303);
}

/// A 调度会 called for 8-5: 南澳 finds its own agenda tasks under 会前准备 with what it last
/// reported; the office and leaders the pre-read — the 重点研究 items and every task lit red or
/// yellow. Nothing of it counts as waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coming_meeting_is_prepared_on_the_workbench() {
    let office = signed_in("wangfang").await;
    let nanao = beside(&office, "yangfan").await;
    let waiting_before = workbench(&nanao).await.waiting();
    let (status, body) =
        common::set_up_meeting(&office, "八月专题调度会", "2022-08-05", "15:00").await;
    assert_eq!(status, 200, "{body}");

    let bench = workbench(&nanao).await;
    assert_eq!(numbers(&bench, Shelf::MeetingPrep), vec![23, 38, 42]);
    assert_eq!(bench.waiting(), waiting_before);
    match &bench.shelf(Shelf::MeetingPrep)[0].note {
        WorkNote::MeetingAhead {
            meeting_title,
            day,
            focus,
            ..
        } => {
            assert_eq!(meeting_title, "八月专题调度会");
            assert_eq!(day.to_string(), "2022-08-05");
            assert!(!focus);
        }
        other => panic!("{other:?}"),
    }
    let (_, html) = nanao.get("/work").await;
    assert!(html.contains("会前准备"), "the shelf is on the page");
    assert!(html.contains("2022年8月5日「八月专题调度会」将逐项研判本任务"));

    // The office's pre-read, against the board read on its own.
    let (_, board) = office.call("get_board", &[]).await;
    let board: serde_json::Value = serde_json::from_str(&board).expect("board");
    let mut expected: Vec<u32> = board["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| {
            let number = t["number"].as_u64().expect("number");
            let lagging = matches!(t["light"].as_str(), Some("red" | "yellow"))
                && !matches!(t["status"].as_str(), Some("accepted" | "cancelled"));
            number <= 2 || lagging
        })
        .map(|t| u32::try_from(t["number"].as_u64().expect("n")).expect("u32"))
        .collect();
    expected.sort_unstable();
    assert!(expected.len() > 2, "the demo has lagging tasks");
    for who in [&office, &beside(&office, "linxh").await] {
        let bench = workbench(who).await;
        let mut shown = numbers(&bench, Shelf::MeetingPrep);
        shown.sort_unstable();
        assert_eq!(shown, expected);
    }
}
