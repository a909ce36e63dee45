//! 延期申请 through the real router: 葵涌's head asks for a later deadline; the office reviews
//! (初审) and the leader decides (审定); the deadline moves and the original stays on record.
//! Every refusal is a clear Chinese error that changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};
use surrealdb::types::SurrealValue;

/// 葵涌's task under way in the demo.
const TASK: &str = "dapeng-2022-12";

#[derive(Debug, PartialEq, SurrealValue)]
struct Standing {
    deadline: String,
    original: Option<String>,
    requests: i64,
    events: i64,
}

async fn standing(app: &TestApp) -> Standing {
    let row: Option<Standing> = app
        .db
        .query(
            "RETURN {
                deadline: <string> task:`dapeng-2022-12`.deadline,
                original: IF task:`dapeng-2022-12`.original_deadline {
                    <string> task:`dapeng-2022-12`.original_deadline
                } ELSE { NONE },
                requests: count(SELECT id FROM extension_request),
                events: count(SELECT id FROM audit_event),
            }",
        )
        .await
        .expect("q")
        .take(0)
        .expect("row");
    row.expect("standing")
}

#[tokio::test]
async fn an_extension_is_reviewed_then_approved_and_both_dates_stay() {
    let head = signed_in("liuqiang").await;
    let before = standing(&head).await;
    assert!(before.deadline.starts_with("2022-12-31"), "{before:?}");

    // Refusals: an earlier date, no reason, a date past the plan year's grace, other people.
    for (form, text) in [
        (
            vec![("new_deadline", "2022-11-30"), ("reason", "需顺延")],
            "须晚于现在的完成时限",
        ),
        (
            vec![("new_deadline", "2023-01-20"), ("reason", "")],
            "不能为空",
        ),
        (
            vec![("new_deadline", "2023-06-30"), ("reason", "需顺延")],
            "须在 2022 年度内",
        ),
    ] {
        let mut all = vec![("id", TASK)];
        all.extend(form);
        let (status, body) = head.call("request_extension", &all).await;
        assert_eq!(status, 422, "{body}");
        let said = message(&body);
        assert!(said.contains(text) && is_chinese(&said), "{said}");
        assert_eq!(standing(&head).await, before);
    }
    let ask = [
        ("id", TASK),
        ("new_deadline", "2023-01-20"),
        ("reason", "两个小区业委会换届,需顺延"),
    ];
    for who in ["jianglin", "yangfan", "wangfang", "guest"] {
        let other = beside(&head, who).await;
        let (status, body) = other.call("request_extension", &ask).await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    assert_eq!(standing(&head).await, before);

    // Filed: one at a time.
    let (status, body) = head.call("request_extension", &ask).await;
    assert_eq!(status, 200, "{body}");
    let request: String = serde_json::from_str(&body).expect("id");
    let (status, body) = head.call("request_extension", &ask).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("正在审批"), "{body}");

    // 初审 by the office (not the leader first), then 审定 by the leader (not the office).
    let office = beside(&head, "wangfang").await;
    let leader = beside(&head, "linxh").await;
    let (status, _) = leader
        .call("approve_request", &[("request", &request)])
        .await;
    assert_eq!(status, 403);
    let (status, body) = office
        .call("reject_request", &[("request", &request), ("note", "")])
        .await;
    assert_eq!(status, 422, "a refusal needs a reason: {body}");
    let (status, body) = office
        .call(
            "approve_request",
            &[("request", &request), ("note", "情况属实")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = office
        .call("approve_request", &[("request", &request)])
        .await;
    assert_eq!(status, 403, "the office does not decide");
    assert!(
        standing(&head).await.deadline.starts_with("2022-12-31"),
        "not yet"
    );
    let (status, body) = leader
        .call(
            "approve_request",
            &[("request", &request), ("note", "同意")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = standing(&head).await;
    assert!(after.deadline.starts_with("2023-01-20"), "{after:?}");
    assert!(
        after
            .original
            .as_deref()
            .unwrap_or_default()
            .starts_with("2022-12-31")
    );
    let (status, body) = leader
        .call("approve_request", &[("request", &request)])
        .await;
    assert_eq!(status, 409, "decided once: {body}");

    // The page shows both dates and the steps.
    let (_, page) = head.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("2023年1月20日"));
    assert!(page.contains("原定 2022年12月31日"));
    assert!(page.contains("已批准"));
    assert!(page.contains("初审:"));
}

#[tokio::test]
async fn a_rejected_request_leaves_the_deadline_and_says_why() {
    let head = signed_in("liuqiang").await;
    let ask = [
        ("id", TASK),
        ("new_deadline", "2023-01-10"),
        ("reason", "需顺延十天"),
    ];
    let (status, body) = head.call("request_extension", &ask).await;
    assert_eq!(status, 200, "{body}");
    let request: String = serde_json::from_str(&body).expect("id");
    let office = beside(&head, "wangfang").await;
    let (status, body) = office
        .call(
            "reject_request",
            &[("request", &request), ("note", "年底前可以完成,不宜延期")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = standing(&head).await;
    assert!(after.deadline.starts_with("2022-12-31"));
    assert_eq!(after.original, None);
    let (_, page) = head.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("未批准"));
    assert!(page.contains("年底前可以完成,不宜延期"));
    // A new request may follow.
    let (status, body) = head.call("request_extension", &ask).await;
    assert_eq!(status, 200, "{body}");
}

/// 撤项申请 through the same steps: 葵涌's head asks with a reason (none: refused); another
/// street, a liaison and a viewer may not; a second request while one waits is refused; the
/// office's 初审 and the leader's 审定 withdraw the task (已撤项), with both steps in its history
/// and the 工作台 showing what was asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_is_withdrawn_through_a_request_reviewed_and_decided() {
    let head = signed_in("liuqiang").await;
    let before = standing(&head).await;
    let (status, body) = head
        .call("request_cancellation", &[("id", TASK), ("reason", " ")])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(is_chinese(&message(&body)));
    for who in ["yangfan", "jianglin", "guest"] {
        let other = beside(&head, who).await;
        let (status, body) = other
            .call(
                "request_cancellation",
                &[("id", TASK), ("reason", "上级已统筹实施")],
            )
            .await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    assert_eq!(standing(&head).await, before, "nothing filed");

    let (status, body) = head
        .call(
            "request_cancellation",
            &[("id", TASK), ("reason", "该试点已由市级项目统一实施")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let request = body.trim_matches('"').to_owned();
    let (status, body) = head
        .call(
            "request_extension",
            &[
                ("id", TASK),
                ("new_deadline", "2022-12-30"),
                ("reason", "顺延"),
            ],
        )
        .await;
    assert_eq!(status, 409, "one request at a time: {body}");
    let (_, body) = head.call("get_workbench", &[]).await;
    assert!(body.contains("\"kind\":\"cancel\""), "{body}");

    let office = beside(&head, "wangfang").await;
    let (status, body) = office
        .call(
            "approve_request",
            &[("request", &request), ("note", "情况属实")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let leader = beside(&head, "linxh").await;
    let (status, body) = leader
        .call("approve_request", &[("request", &request), ("note", "")])
        .await;
    assert_eq!(status, 200, "{body}");
    let state = jiebang::server::db::tasks::state(
        &head.db,
        &jiebang::domain::TaskId::parse(TASK).expect("id"),
    )
    .await
    .expect("state");
    assert_eq!(state.status, jiebang::domain::TaskStatus::Cancelled);
    let after = standing(&head).await;
    assert_eq!(
        after.deadline, before.deadline,
        "the deadline stays as it was"
    );
    let (_, page) = head.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("申请撤项。理由:该试点已由市级项目统一实施"));
    assert!(page.contains("撤项申请初审:同意,报分管领导审定"));
    assert!(page.contains("撤项申请审定:批准撤项"));
    assert!(page.contains("已撤项"));
}

/// The form rows of a 调整申请 for task 12: its three milestones (the second moved to 9-30)
/// and its criteria, the second reworded and a third added — or whatever `criteria` says.
fn adjustment_form<'a>(second_due: &'a str, criteria: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut form = vec![
        ("id".to_owned(), TASK),
        ("reason".to_owned(), "按专题调度会要求细化节点和标准"),
        (
            "goals[milestones][0][title]".to_owned(),
            "制定“红色村”建设实施方案",
        ),
        ("goals[milestones][0][due]".to_owned(), "2022-03-31"),
        (
            "goals[milestones][1][title]".to_owned(),
            "完成红色文化阵地提升",
        ),
        ("goals[milestones][1][due]".to_owned(), second_due),
        (
            "goals[milestones][2][title]".to_owned(),
            "集体经济、治理、生态项目完成年度目标",
        ),
        ("goals[milestones][2][due]".to_owned(), "2022-12-31"),
    ];
    for (i, c) in criteria.iter().enumerate() {
        form.push((format!("goals[criteria][{i}]"), c));
    }
    form
}

#[derive(Debug, PartialEq, SurrealValue)]
struct Goals {
    dues: Vec<String>,
    reached: Vec<bool>,
    criteria: Vec<String>,
    adjustments: i64,
}

async fn goals(app: &TestApp) -> Goals {
    let row: Option<Goals> = app
        .db
        .query(
            "RETURN {
                dues: task:`dapeng-2022-12`.milestones.map(|$m| <string> $m.due),
                reached: task:`dapeng-2022-12`.milestones.map(|$m| $m.done_on != NONE),
                criteria: task:`dapeng-2022-12`.criteria.map(|$c| $c.text),
                adjustments: count(SELECT id FROM task_adjustment WHERE task = task:`dapeng-2022-12`),
            }",
        )
        .await
        .expect("q")
        .take(0)
        .expect("row");
    row.expect("goals")
}

async fn ask(app: &TestApp, form: &[(String, String)]) -> (u16, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("request_adjustment", &pairs).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_goals_are_asked_reviewed_decided_and_kept_in_the_history() {
    let head = signed_in("liuqiang").await;
    let before = standing(&head).await;
    let goals_before = goals(&head).await;
    assert_eq!(goals_before.reached, vec![true, false, false]);
    assert_eq!(goals_before.adjustments, 0);
    let as_sent = |form: &Vec<(String, &str)>| {
        form.iter()
            .map(|(k, v)| (k.clone(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    let same = [
        "组织、文化、集体经济、治理、生态5方面任务均有完成佐证",
        "通过市级“红色村”试点评估",
    ];
    let proposed = [
        "组织、文化、集体经济、治理、生态5方面任务均有完成佐证",
        "通过市级“红色村”试点评估验收",
        "形成可复制推广的经验做法",
    ];
    // Refusals, each a Chinese message beside its field: the goals as they stand, no criterion,
    // a milestone after the deadline, no reason; and other people.
    for (form, text) in [
        (adjustment_form("2022-08-31", &same), "没有需要调整的内容"),
        (adjustment_form("2022-09-30", &[]), "验收标准不能为空"),
        (adjustment_form("2023-01-31", &proposed), "晚于完成时限"),
    ] {
        let (status, body) = ask(&head, &as_sent(&form)).await;
        assert_eq!(status, 422, "{body}");
        assert!(message(&body).contains(text), "{text}: {body}");
    }
    let mut no_reason = as_sent(&adjustment_form("2022-09-30", &proposed));
    no_reason[1].1 = String::new();
    let (status, body) = ask(&head, &no_reason).await;
    assert_eq!(status, 422, "{body}");
    for who in ["yangfan", "jianglin", "wangfang", "guest"] {
        let other = beside(&head, who).await;
        let (status, body) = ask(&other, &as_sent(&adjustment_form("2022-09-30", &proposed))).await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    assert_eq!(standing(&head).await, before, "nothing filed");

    let (status, body) = ask(&head, &as_sent(&adjustment_form("2022-09-30", &proposed))).await;
    assert_eq!(status, 200, "{body}");
    let request = body.trim_matches('"').to_owned();
    assert_eq!(
        goals(&head).await,
        goals_before,
        "nothing applies before 审定"
    );
    let (_, page) = head.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("调整推进目标、验收标准"), "the request shows");
    assert!(
        page.contains("形成可复制推广的经验做法"),
        "with what it proposes"
    );

    let office = beside(&head, "wangfang").await;
    let (status, body) = office
        .call("approve_request", &[("request", &request), ("note", "")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(goals(&head).await, goals_before, "nor after 初审");
    let leader = beside(&head, "linxh").await;
    let (status, body) = leader
        .call(
            "approve_request",
            &[("request", &request), ("note", "同意")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let after = goals(&head).await;
    assert_eq!(
        after,
        Goals {
            dues: vec![
                "2022-03-31T00:00:00Z".to_owned(),
                "2022-09-30T00:00:00Z".to_owned(),
                "2022-12-31T00:00:00Z".to_owned(),
            ],
            // The milestone reached before stays reached.
            reached: vec![true, false, false],
            criteria: proposed.iter().map(|c| (*c).to_owned()).collect(),
            adjustments: 1,
        }
    );
    assert_eq!(
        standing(&head).await.deadline,
        before.deadline,
        "the deadline stays"
    );
    let (_, page) = head.get(&format!("/tasks/{TASK}")).await;
    assert!(page.contains("调整申请审定:批准调整"), "in the history");
    assert!(page.contains("调整记录"), "and in the 调整记录");
    assert!(page.contains("按专题调度会要求细化节点和标准"));
}
