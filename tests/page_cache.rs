//! Kept pages through the real router: a page is served again while nothing changed, and
//! never once something did — a write of the reader's own, a write through another instance,
//! the end of the session — nor to another reader.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{TestApp, beside, signed_in};
use std::time::Duration;

/// GETs `path` as a browser would; whether it came from the cache, and the body.
async fn page(app: &TestApp, path: &str) -> (u16, bool, String) {
    let (status, headers, body) = app.fetch(path).await;
    let kept = headers.get("x-page-cache").is_some_and(|v| v == "hit");
    (status, kept, String::from_utf8(body).expect("utf-8"))
}

/// The leader's 批示 on task `id`, through the server function.
async fn instruct(leader: &TestApp, id: &str, text: &str) {
    let (status, body) = leader
        .call(
            "add_comment",
            &[("id", id), ("kind", "instruction"), ("body", text)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_is_kept_until_the_reader_writes() {
    let leader = signed_in("linxh").await;
    let task = "/tasks/dapeng-2022-05";
    let (status, kept, first) = page(&leader, task).await;
    assert_eq!(status, 200);
    assert!(!kept, "the first reading is rendered");
    let (_, kept, again) = page(&leader, task).await;
    assert!(kept, "nothing changed: the same page again");
    assert_eq!(again, first);

    let instruction = "请8月15日前完成试点小区党支部组建并报送台账";
    instruct(&leader, "dapeng-2022-05", instruction).await;
    // At once, before any live message could be waited for: the writer reads their write.
    let (status, kept, after) = page(&leader, task).await;
    assert_eq!(status, 200);
    assert!(!kept, "a write makes the kept page stale");
    assert!(after.contains(instruction), "the new 批示 shows");
    assert!(!first.contains(instruction));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_another_instance_reaches_a_kept_page() {
    let reader = signed_in("guest").await;
    let leader = beside(&reader, "linxh").await;
    let task = "/tasks/dapeng-2022-07";
    let _ = page(&reader, task).await;
    let (_, kept, _) = page(&reader, task).await;
    assert!(kept);

    let instruction = "请结合“两新”组织实际细化纾困措施";
    instruct(&leader, "dapeng-2022-07", instruction).await;
    // The other instance learns of it through the live feed.
    let started = std::time::Instant::now();
    loop {
        let (_, _, body) = page(&reader, task).await;
        if body.contains(instruction) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the other instance's page still lacks the write after 2 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reader_gets_their_own_page_and_a_closed_session_none() {
    let leader = signed_in("linxh").await;
    // The guest, on the leader's instance.
    let other = TestApp {
        http: common::Http::new(leader.base.clone()),
        db: leader.db.clone(),
        files: leader.files.clone(),
    };
    assert!(
        other
            .signs_in("guest", jiebang::server::seed::DEMO_PASSWORD)
            .await
    );

    let (_, _, mine) = page(&leader, "/").await;
    let (_, kept, mine_again) = page(&leader, "/").await;
    assert!(kept);
    assert_eq!(mine, mine_again);
    let (status, kept, theirs) = page(&other, "/").await;
    assert_eq!(status, 200);
    assert!(!kept, "another reader's page is rendered for them");
    assert!(mine.contains("林晓华") && !theirs.contains("林晓华"));

    // Signed out: the old cookie opens nothing, kept or not.
    let cookie = leader.cookie.lock().unwrap().clone();
    let (status, body) = leader.call("sign_out", &[]).await;
    assert!(status < 400, "{status} {body}");
    *leader.cookie.lock().unwrap() = cookie;
    let (status, location) = leader.get_location("/").await;
    assert!((300..400).contains(&status), "{status}");
    assert!(location.unwrap_or_default().starts_with("/login"));
}
