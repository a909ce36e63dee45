//! 验收销号 criterion by criterion, through the real router: the office judges each 验收标准;
//! any not met sends the task back (退回整改) with a 整改时限; the unit reworks and resubmits;
//! all met closes it (已销号). Every round stays on record; every refusal changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};
use jiebang::AppError;
use jiebang::domain::{Actor, Refusal, Role, TaskId, TaskStatus, UnitId};
use jiebang::server::db::tasks;
use surrealdb::types::SurrealValue;

/// Task 16 (组织科's) waits for acceptance in the demo.
const TASK: &str = "dapeng-2022-16";

#[derive(Debug, PartialEq, SurrealValue)]
struct Standing {
    status: String,
    version: i64,
    rounds: i64,
    events: i64,
}

async fn standing(app: &TestApp) -> Standing {
    let row: Option<Standing> = app
        .db
        .query(
            "RETURN {
                status: task:`dapeng-2022-16`.status,
                version: task:`dapeng-2022-16`.version,
                rounds: count(SELECT id FROM acceptance_round WHERE task = task:`dapeng-2022-16`),
                events: count(SELECT id FROM audit_event),
            }",
        )
        .await
        .expect("q")
        .take(0)
        .expect("row");
    row.expect("standing")
}

/// A review form: `verdicts[i]`, `notes[i]`, and the 整改时限.
async fn review(app: &TestApp, verdicts: &[(&str, &str)], rectify_by: &str) -> (u16, String) {
    let version = standing(app).await.version.to_string();
    let mut form: Vec<(String, String)> = vec![
        ("id".into(), TASK.into()),
        ("version".into(), version),
        ("form[rectify_by]".into(), rectify_by.into()),
    ];
    for (i, (verdict, note)) in verdicts.iter().enumerate() {
        form.push((format!("form[verdicts][{i}]"), (*verdict).into()));
        form.push((format!("form[notes][{i}]"), (*note).into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("review_acceptance", &pairs).await
}

#[tokio::test]
async fn a_task_is_sent_back_reworked_and_accepted_criterion_by_criterion() {
    let office = signed_in("wangfang").await;
    let task = TaskId::parse(TASK).expect("id");
    let n = tasks::criteria_count(&office.db, &task)
        .await
        .expect("criteria");
    assert!(n >= 2, "task 16 has several criteria");
    let before = standing(&office).await;
    assert_eq!(before.status, "submitted");

    let all_met: Vec<(&str, &str)> = vec![("met", ""); n];
    let mut one_unmet = all_met.clone();
    one_unmet[1] = ("unmet", "缺少3个小区的会议记录");
    let mut unmet_silent = all_met.clone();
    unmet_silent[1] = ("unmet", " ");

    // Refusals: a criterion left unjudged, 未达标 without a comment, without a 整改时限, a past
    // 整改时限, a whole-task move that skips the criteria, other roles, a stale version.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "a criterion unjudged",
            all_met[..n - 1].to_vec(),
            "",
            422,
            "核验结论不能为空",
        ),
        (
            "未达标 without a comment",
            unmet_silent,
            "2022-08-31",
            422,
            "核验意见不能为空",
        ),
        (
            "no 整改时限",
            one_unmet.clone(),
            "",
            422,
            "整改时限不能为空",
        ),
        (
            "a 整改时限 already past",
            one_unmet.clone(),
            "2022-07-29",
            422,
            "整改时限须晚于今天",
        ),
    ];
    for (what, verdicts, rectify_by, status, text) in cases {
        let (got, body) = review(&office, &verdicts, rectify_by).await;
        assert_eq!(got, status, "{what}: {body}");
        let said = message(&body);
        assert!(said.contains(text) && is_chinese(&said), "{what}: {said}");
        assert_eq!(standing(&office).await, before, "{what} changed nothing");
    }
    let (status, body) = office
        .call(
            "change_task_status",
            &[
                ("id", TASK),
                ("version", &before.version.to_string()),
                ("to", "accepted"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("逐条核验"), "{body}");
    for who in ["liuqiang", "linxh", "guest"] {
        let other = beside(&office, who).await;
        let (status, body) = review(&other, &all_met, "").await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    let (status, body) = office
        .call(
            "review_acceptance",
            &[("id", TASK), ("version", "1"), ("form[verdicts][0]", "met")],
        )
        .await;
    assert!(status == 409 || status == 422, "stale: {status} {body}");
    assert_eq!(standing(&office).await, before);

    // Round 1: criterion 2 not met → 退回整改 with its 整改时限.
    let (status, body) = review(&office, &one_unmet, "2022-08-31").await;
    assert_eq!(status, 200, "{body}");
    let returned = standing(&office).await;
    assert_eq!((returned.status.as_str(), returned.rounds), ("returned", 1));
    let (_, page) = office.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("第 1 轮验收:退回整改"));
    assert!(page.contains("缺少3个小区的会议记录"));
    assert!(page.contains("整改时限:2022年8月31日"));

    // The unit reworks and submits again (组织科 has no demo account: through the repository).
    let head = Actor {
        name: "组织科负责人".into(),
        role: Role::UnitHead,
        unit: UnitId::parse("zzk"),
    };
    let v = tasks::state(&office.db, &task)
        .await
        .expect("state")
        .version;
    // Submitting goes with a 自查 of every criterion; a bare status move is refused.
    assert_eq!(
        tasks::transition_task(&office.db, &head, &task, v, TaskStatus::Submitted, None).await,
        Err(AppError::Refused(Refusal::SelfCheckRequired))
    );
    let n = tasks::criteria_count(&office.db, &task).await.expect("n");
    let checks = vec!["已按验收标准整改到位".to_owned(); n];
    jiebang::server::db::acceptance::submit_for_acceptance(&office.db, &head, &task, v, &checks)
        .await
        .expect("resubmit");

    // Round 2: all met → 已销号; both rounds stay on record.
    let (status, body) = review(&office, &all_met, "").await;
    assert_eq!(status, 200, "{body}");
    // Round 2: all met → still 待验收, waiting for the leader's 审定; no second review.
    let passed = standing(&office).await;
    assert_eq!((passed.status.as_str(), passed.rounds), ("submitted", 2));
    let (_, page) = office.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("第 2 轮验收:全部达标"));
    assert!(page.contains("第 1 轮验收:退回整改"));
    assert!(page.contains("核验通过,待领导审定"));
    assert!(!page.contains("id=\"acceptance-form\""), "no second review");
    let (status, body) = review(&office, &all_met, "").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(message(&body), "该任务验收核验已通过,正待分管领导审定");

    // 审定: only a leader; a return needs a reason; a stale version is a conflict.
    let v = passed.version.to_string();
    assert_eq!(sign(&office, v.clone(), "accept", "").await.0, 403);
    let head = beside(&office, "liuqiang").await;
    assert_eq!(sign(&head, v.clone(), "accept", "").await.0, 403);
    let leader = beside(&office, "linxh").await;
    let (status, body) = sign(&leader, v.clone(), "return", "").await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("理由"), "{body}");
    assert_eq!(
        sign(&leader, (passed.version + 1).to_string(), "accept", "")
            .await
            .0,
        409
    );
    assert_eq!(sign(&leader, v.clone(), "maybe", "").await.0, 422);
    assert_eq!(standing(&office).await, passed);
    let (_, page) = leader.get(&format!("/tasks/{TASK}")).await;
    assert!(
        page.contains("id=\"sign-off\""),
        "the leader is offered the 审定"
    );
    let (status, body) = sign(&leader, v, "accept", "").await;
    assert_eq!(status, 200, "{body}");
    let accepted = standing(&office).await;
    assert_eq!((accepted.status.as_str(), accepted.rounds), ("accepted", 2));
    let (_, page) = office.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("全部达标"), "the history says so");
    assert!(page.contains("审定销号"), "the history names the 审定");
    // Once decided, nothing waits for a 审定.
    let again = standing(&office).await.version.to_string();
    let (status, body) = sign(&leader, again, "accept", "").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(message(&body), "该任务没有待审定的验收");
    // A round is never rewritten.
    let rewrite = office
        .db
        .query("UPDATE acceptance_round SET passed = true")
        .await
        .and_then(|r| r.check());
    assert!(rewrite.is_err());
}

async fn sign(app: &TestApp, version: String, decision: &str, reason: &str) -> (u16, String) {
    app.call(
        "sign_off_acceptance",
        &[
            ("id", TASK),
            ("version", &version),
            ("decision", decision),
            ("reason", reason),
        ],
    )
    .await
}

/// 提请验收 through the router: the 自查 of every criterion is required (each problem named, and
/// nothing changes); a bare status move is refused; another unit, a viewer and a stale version
/// are refused; then the task is 待验收 and the office's review form shows the 自查.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_for_acceptance_takes_a_self_check_of_every_criterion() {
    const KY: &str = "dapeng-2022-12";
    let head = signed_in("liuqiang").await;
    let state = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            tasks::state(&db, &TaskId::parse(KY).expect("id"))
                .await
                .expect("state")
        }
    };
    let before = state(&head).await;
    let v = before.version.to_string();
    let n = tasks::criteria_count(&head.db, &TaskId::parse(KY).expect("id"))
        .await
        .expect("n");
    assert!(n >= 2, "task 12 has several criteria");

    // The bare move (an old form, a hand-made POST) is refused with the reason.
    let (status, body) = head
        .call(
            "change_task_status",
            &[("id", KY), ("version", &v), ("to", "submitted")],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(message(&body), "提请验收须逐条填写验收标准的自查情况");

    // A missing and a too-short 自查: both named, nothing changed.
    let (status, body) = head
        .call(
            "submit_for_acceptance",
            &[("id", KY), ("version", &v), ("form[checks][0]", "好")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let text = message(&body);
    assert!(text.contains("自查情况"), "{text}");
    assert!(is_chinese(&text));
    assert_eq!(state(&head).await.version, before.version);

    let full: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("form[checks][{i}]"),
                format!("第{}条已按标准完成", i + 1),
            )
        })
        .collect();
    fn form<'a>(version: &'a str, full: &'a [(String, String)]) -> Vec<(&'a str, &'a str)> {
        let mut f: Vec<(&str, &str)> = vec![("id", KY), ("version", version)];
        f.extend(full.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        f
    }
    // Another street's head and a viewer may not; a stale version is a conflict.
    let nanao = beside(&head, "yangfan").await;
    assert_eq!(
        nanao
            .call("submit_for_acceptance", &form(&v, &full))
            .await
            .0,
        403
    );
    let guest = beside(&head, "guest").await;
    assert_eq!(
        guest
            .call("submit_for_acceptance", &form(&v, &full))
            .await
            .0,
        403
    );
    let stale = (before.version + 3).to_string();
    assert_eq!(
        head.call("submit_for_acceptance", &form(&stale, &full))
            .await
            .0,
        409
    );
    assert_eq!(state(&head).await.version, before.version);

    let (status, body) = head.call("submit_for_acceptance", &form(&v, &full)).await;
    assert_eq!(status, 200, "{body}");
    let after = state(&head).await;
    assert_eq!(after.status, TaskStatus::Submitted);
    assert_eq!(after.version, before.version + 1);
    let office = beside(&head, "wangfang").await;
    let (_, page) = office.get(&format!("/tasks/{KY}")).await;
    assert!(
        page.contains("自查:第1条已按标准完成"),
        "the review shows the 自查"
    );
    assert!(page.contains("id=\"acceptance-form\""));
    assert!(
        page.contains("(自查 "),
        "the history says a 自查 came with it"
    );
}
