//! The live feed through the real router: `/events` streams a `change` for a write made
//! through another instance over the same database, and refuses readers without a session.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{beside, signed_in, spawn};
use futures::StreamExt;
use std::time::Duration;

/// The `data:` lines of the `change` events in an SSE text.
fn changes(text: &str) -> Vec<serde_json::Value> {
    text.split("\n\n")
        .filter(|block| block.lines().any(|l| l == "event: change"))
        .filter_map(|block| {
            block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .map(|d| serde_json::from_str(d).expect("json"))
        })
        .collect()
}

/// Reads the stream until `done` holds for the events so far, or `limit` passes.
async fn read_until(
    response: reqwest::Response,
    limit: Duration,
    done: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let seen = changes(&text);
        if done(&seen) {
            return seen;
        }
        match tokio::time::timeout_at(deadline, body.next()).await {
            Ok(Some(chunk)) => text.push_str(&String::from_utf8_lossy(&chunk.expect("chunk"))),
            Ok(None) | Err(_) => return seen,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_made_through_one_instance_reaches_a_reader_of_another_within_a_second() {
    let reader = signed_in("guest").await;
    let leader = beside(&reader, "linxh").await;
    let cookie = reader.cookie.lock().unwrap().clone().expect("cookie");
    let stream = reader
        .client
        .get(format!("{}/events", reader.base))
        .header("cookie", cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("events");
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream.headers()["content-type"],
        "text/event-stream",
        "server-sent events"
    );

    let task = "dapeng-2022-12";
    let (status, body) = leader
        .call(
            "add_comment",
            &[
                ("id", task),
                ("kind", "instruction"),
                ("body", "请于8月10日前报送推进情况"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let started = std::time::Instant::now();
    let seen = read_until(stream, Duration::from_secs(5), |seen| {
        seen.iter().any(|m| m["change"]["id"] == task)
    })
    .await;
    let message = seen
        .iter()
        .find(|m| m["change"]["id"] == task)
        .unwrap_or_else(|| panic!("no change for {task}: {seen:?}"));
    assert_eq!(message["change"]["kind"], "task");
    assert!(message["seq"].as_u64().unwrap() >= 1);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "within a second: {:?}",
        started.elapsed()
    );
    // Only what changed is named: no text of the comment travels on the feed.
    assert!(!serde_json::to_string(&seen).unwrap().contains("8月10日"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_needs_a_session() {
    let app = spawn(true).await;
    let res = app
        .client
        .get(format!("{}/events", app.base))
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), 401);
    let res = app
        .client
        .get(format!("{}/events", app.base))
        .header("cookie", "jiebang_session=forged")
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), 401);
}
