//! 大屏 display links through the real router: the office makes one, a screen opens the board
//! with it and without a sign-in (page, data and live feed), revoking it closes all three, and
//! bad input changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{beside, count, serve, signed_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_display_link_opens_the_board_without_sign_in_until_revoked() {
    let office = signed_in("wangfang").await;
    let (status, body) = office
        .call(
            "create_display",
            &[
                ("label", "三楼第一会议室"),
                ("cycle", "category"),
                ("seconds", "20"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let path: String = serde_json::from_str(&body).expect("a path");
    let token = path
        .strip_prefix("/wall/")
        .expect("/wall/<token>")
        .to_owned();
    assert!(token.len() >= 32, "a long random token");

    // A screen: no cookie at all.
    let screen = serve(office.db.clone()).await;
    let (status, html) = screen.get(&path).await;
    assert_eq!(status, 200, "no sign-in prompt");
    assert!(html.contains("三楼第一会议室"));
    assert!(html.contains("大鹏新区2022年度基层党建重点任务"));
    // The first screen is the plan's first category, 政治建设, with its tasks.
    assert!(html.contains("class=\"wall-screen\""));
    assert!(html.contains("政治建设"));
    assert!(count(&html, "class=\"wall-row ") >= 3);
    // Without JavaScript it turns by reloading onto the next screen.
    assert!(html.contains(&format!("url=/wall/{token}?page=1")));
    let (status, body) = screen.call("get_wall", &[("token", &token)]).await;
    assert_eq!(status, 200, "{body}");
    let events = screen
        .client
        .get(format!("{}/events?display={token}", screen.base))
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), 200);
    drop(events);

    // The office's list shows it, with who made it; the token itself is never shown again.
    let (_, list) = office.call("get_displays", &[]).await;
    assert!(list.contains("三楼第一会议室") && list.contains("王芳"));
    assert!(!list.contains(&token));
    let links: serde_json::Value = serde_json::from_str(&list).expect("json");
    let id = links[0]["id"].as_str().expect("id").to_owned();

    // A unit head may not revoke it; the office may.
    let head = beside(&office, "liuqiang").await;
    let (status, _) = head.call("revoke_display", &[("id", &id)]).await;
    assert_eq!(status, 403);
    let (status, body) = office.call("revoke_display", &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, html) = screen.get(&path).await;
    assert_eq!(status, 404);
    assert!(html.contains("该大屏链接已收回或不存在"));
    assert!(!html.contains("wall-row"));
    let (status, body) = screen.call("get_wall", &[("token", &token)]).await;
    assert_eq!(status, 404, "{body}");
    let events = screen
        .client
        .get(format!("{}/events?display={token}", screen.base))
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), 401);
    // A made-up token opens nothing either.
    let (status, _) = screen.get("/wall/0123456789abcdef0123456789abcdef").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_display_input_is_refused_in_chinese_and_changes_nothing() {
    let office = signed_in("wangfang").await;
    let (status, body) = office
        .call(
            "create_display",
            &[("label", "  "), ("cycle", "weekly"), ("seconds", "2")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    for field in ["\"label\"", "\"cycle\"", "\"seconds\""] {
        assert!(body.contains(field), "{field} in {body}");
    }
    assert!(
        body.contains("不能为空") || body.contains("放置地点"),
        "{body}"
    );
    let (status, body) = office
        .call(
            "create_display",
            &[
                ("label", "会议室"),
                ("plan", "no-such-plan"),
                ("cycle", "unit"),
                ("seconds", "30"),
            ],
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (_, list) = office.call("get_displays", &[]).await;
    assert_eq!(list, "[]");
}
