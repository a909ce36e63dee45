//! 批示 and 落实情况 through the real router: the leader instructs on 葵涌's task, 葵涌 replies,
//! others comment; who may write what is the policy's, and nothing written is ever changed.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};
use surrealdb::types::SurrealValue;

const TASK: &str = "dapeng-2022-12";

#[derive(Debug, PartialEq, SurrealValue)]
struct Counts {
    comments: i64,
    events: i64,
}

async fn counts(app: &TestApp) -> Counts {
    let row: Option<Counts> = app
        .db
        .query(
            "RETURN {
                comments: count(SELECT id FROM task_comment),
                events: count(SELECT id FROM audit_event),
            }",
        )
        .await
        .expect("q")
        .take(0)
        .expect("row");
    row.expect("counts")
}

#[tokio::test]
async fn a_leader_instructs_the_lead_unit_replies_others_comment() {
    let leader = signed_in("linxh").await;
    let before = counts(&leader).await;
    let instruct = [
        ("id", TASK),
        ("kind", "instruction"),
        ("body", "请加快红色文化阵地建设,9月底前见成效"),
    ];

    // Only leaders write 批示; a viewer writes nothing; an empty text is refused.
    for who in ["wangfang", "liuqiang"] {
        let other = beside(&leader, who).await;
        let (status, body) = other.call("add_comment", &instruct).await;
        assert_eq!(status, 403, "{who}: {body}");
        assert!(is_chinese(&message(&body)), "{body}");
    }
    let guest = beside(&leader, "guest").await;
    let (status, _) = guest
        .call(
            "add_comment",
            &[("id", TASK), ("kind", "comment"), ("body", "看过")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = leader
        .call(
            "add_comment",
            &[("id", TASK), ("kind", "instruction"), ("body", " ")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("内容不能为空"), "{body}");
    assert_eq!(counts(&leader).await, before, "refusals write nothing");

    let (status, body) = leader.call("add_comment", &instruct).await;
    assert_eq!(status, 200, "{body}");
    let instruction: String = serde_json::from_str(&body).expect("id");

    // 葵涌 (the lead unit) replies to it; 南澳 may not; a reply needs a 批示 to answer.
    let reply = [
        ("id", TASK),
        ("kind", "reply"),
        ("body", "已制定阵地提升方案,9月20日前完成布展"),
        ("reply_to", instruction.as_str()),
    ];
    let nanao = beside(&leader, "yangfan").await;
    let (status, _) = nanao.call("add_comment", &reply).await;
    assert_eq!(status, 403);
    let liaison = beside(&leader, "jianglin").await;
    let (status, body) = liaison
        .call(
            "add_comment",
            &[("id", TASK), ("kind", "reply"), ("body", "没有批示的回复")],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = liaison.call("add_comment", &reply).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = nanao
        .call(
            "add_comment",
            &[
                ("id", TASK),
                ("kind", "comment"),
                ("body", "南澳可提供布展经验"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = counts(&leader).await;
    assert_eq!(after.comments, before.comments + 3);
    assert_eq!(after.events, before.events + 3);

    // The page threads them; the history names them; nothing can be rewritten.
    let (_, page) = liaison.get(&format!("/tasks/{TASK}")).await;
    for text in [
        "领导批示",
        "请加快红色文化阵地建设",
        "落实情况",
        "9月20日前完成布展",
        "南澳可提供布展经验",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let rewrite = leader
        .db
        .query("UPDATE task_comment SET body = '改写'")
        .await
        .and_then(|r| r.check());
    assert!(rewrite.is_err());
}
