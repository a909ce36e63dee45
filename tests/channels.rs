//! 消息通道 against receivers this test starts: an HTTP server standing in for 企业微信, 钉钉
//! and 飞书 (their signatures checked here with the documented algorithms, written out again),
//! and an SMTP sink. A 黄色督办单 on 葵涌's task 12 reaches 葵涌's group, the leaders' group and
//! 葵涌's head by e-mail, once each, however many times (or instances) the outbox runs; a
//! failing robot is tried again with back-off and logged; a robot never gets more than 20
//! messages a minute; the admin's test buttons report how it went.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use base64::Engine as _;
use chrono::{Duration, Utc};
use common::{TestApp, beside, message, signed_in};
use hmac::{Hmac, Mac};
use jiebang::server::channels::{enqueue, send_due};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use surrealdb::types::SurrealValue;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const TASK: &str = "dapeng-2022-12";
const ORIGIN: &str = "https://dc.example.gov.cn";

/// What the fake platform received: the request's path and query, and its body.
#[derive(Debug, Clone)]
struct Hit {
    uri: String,
    body: serde_json::Value,
}

#[derive(Clone, Default)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
    /// Answers to `/flaky` so far (the first two fail).
    flaky: Arc<Mutex<u32>>,
}

impl Receiver {
    fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.uri.starts_with(path))
            .cloned()
            .collect()
    }
}

async fn receive(
    State(r): State<Receiver>,
    uri: Uri,
    body: Bytes,
) -> (axum::http::StatusCode, String) {
    let path = uri.path().to_owned();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    r.hits.lock().unwrap().push(Hit {
        uri: uri.to_string(),
        body,
    });
    let ok = (
        axum::http::StatusCode::OK,
        r#"{"errcode":0,"errmsg":"ok"}"#.to_owned(),
    );
    match path.as_str() {
        "/feishu" => (
            axum::http::StatusCode::OK,
            r#"{"code":0,"msg":"success"}"#.into(),
        ),
        "/flaky" => {
            let mut n = r.flaky.lock().unwrap();
            *n += 1;
            if *n <= 2 {
                (axum::http::StatusCode::BAD_GATEWAY, "upstream down".into())
            } else {
                ok
            }
        }
        "/refusing" => (
            axum::http::StatusCode::OK,
            r#"{"errcode":310000,"errmsg":"sign not match"}"#.into(),
        ),
        _ => ok,
    }
}

/// Starts the fake platform; returns its base address.
async fn receiver() -> (String, Receiver) {
    let state = Receiver::default();
    let router = axum::Router::new()
        .fallback(receive)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// A minimal SMTP sink: accepts every message and keeps its DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let mails = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let kept = mails.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "DATA" => {
                            write.write_all(b"354 end with .\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            kept.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"502 unknown\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, mails)
}

/// The text of a mail the sink kept: headers as they are, the base64 body decoded.
fn mail_text(raw: &str) -> String {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let joined: String = body.lines().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(joined.trim())
        .map(|b| String::from_utf8(b).unwrap())
        .unwrap_or_else(|_| body.to_owned());
    format!("{head}\n\n{decoded}")
}

fn hmac_base64(key: &[u8], msg: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(msg);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A query parameter of a request's URI, percent-decoded.
fn param(uri: &str, name: &str) -> String {
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let raw = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in {uri}"));
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

async fn add_robot(admin: &TestApp, fields: &[(&str, &str)]) -> String {
    let (status, body) = admin.call("create_robot", fields).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The outbox's two steps, as the scheduler runs them.
async fn run(app: &TestApp, now: chrono::DateTime<Utc>) -> jiebang::server::channels::Sending {
    enqueue(&app.db, now, ORIGIN).await.expect("enqueue");
    send_due(&app.db, now).await.expect("send")
}

async fn yellow_notice(office: &TestApp) -> String {
    let (status, body) = office
        .call(
            "supervise_task",
            &[
                ("id", TASK),
                ("kind", "yellow"),
                ("requirement", "请于8月5日前报送整改措施"),
                ("feedback_by", "2022-08-05"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[derive(Debug, SurrealValue)]
struct Row {
    to: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
}

async fn deliveries(app: &TestApp) -> Vec<Row> {
    app.db
        .query("SELECT to, status, attempts, last_error FROM delivery ORDER BY to")
        .await
        .unwrap()
        .take(0)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_and_mail_get_each_notice_once_signed_as_their_platform_says() {
    let (base, platform) = receiver().await;
    let (smtp_port, mails) = smtp_sink().await;
    let admin = signed_in("admin").await;
    // Refusals first: each names its field in Chinese and stores nothing.
    let (status, body) = admin
        .call(
            "create_robot",
            &[
                ("name", "葵涌街道工作群"),
                ("platform", "dingtalk"),
                ("audience", "unit:kysd"),
                ("url", "oapi.dingtalk.com/robot/send"),
                ("secret", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let said = message(&body);
    assert!(said.contains("网址") && said.contains("签名密钥"), "{said}");
    let head = beside(&admin, "liuqiang").await;
    let (status, _) = head
        .call(
            "create_robot",
            &[
                ("name", "x"),
                ("platform", "wecom"),
                ("audience", "office"),
                ("url", "https://a.cn/x"),
            ],
        )
        .await;
    assert_eq!(status, 403, "only the admin sets up channels");

    add_robot(
        &admin,
        &[
            ("name", "葵涌街道工作群"),
            ("platform", "wecom"),
            ("audience", "unit:kysd"),
            (
                "url",
                &format!("{base}/wecom?key=693a91f6-0000-4bc4-97a0-0ec2sifa5aaa"),
            ),
        ],
    )
    .await;
    add_robot(
        &admin,
        &[
            ("name", "组织科工作群"),
            ("platform", "dingtalk"),
            ("audience", "office"),
            ("url", &format!("{base}/dingtalk?access_token=t0k3n")),
            ("secret", "SECd1ngta1k"),
        ],
    )
    .await;
    add_robot(
        &admin,
        &[
            ("name", "区领导群"),
            ("platform", "feishu"),
            ("audience", "leaders"),
            ("url", &format!("{base}/feishu")),
            ("secret", "fe1shu-secret"),
        ],
    )
    .await;
    let smtp_port = smtp_port.to_string();
    let (status, body) = admin
        .call(
            "save_smtp",
            &[
                ("host", "127.0.0.1"),
                ("port", &smtp_port),
                ("security", "none"),
                ("from", "notice@dapeng.gov.cn"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // 葵涌's head chooses e-mail; a choice without an address is refused.
    let (status, body) = head
        .call("set_mail_preference", &[("email", ""), ("enabled", "on")])
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = head
        .call(
            "set_mail_preference",
            &[("email", "liuqiang@kysd.gov.cn"), ("enabled", "on")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The addresses and secrets never come back whole.
    let (status, overview) = admin.call("get_channels", &[]).await;
    assert_eq!(status, 200, "{overview}");
    for secret in ["693a91f6-0000", "t0k3n", "SECd1ngta1k", "fe1shu-secret"] {
        assert!(!overview.contains(secret), "{secret} leaked: {overview}");
    }
    assert!(overview.contains("…5aaa"), "{overview}");

    // The outbox starts reading from here, then the office sends a 黄色督办单 and the unit
    // answers it.
    let now = || Utc::now() + Duration::seconds(5);
    run(&admin, now()).await;
    let office = beside(&admin, "wangfang").await;
    let notice = yellow_notice(&office).await;
    let (status, body) = head
        .call(
            "answer_supervision",
            &[("id", &notice), ("feedback", "已制定整改措施,8月4日前报送")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Two instances run the outbox at once, then again: each message goes once.
    let at = now();
    let (a, b) = tokio::join!(run(&admin, at), run(&office, at));
    assert_eq!(a.sent + b.sent, 4, "{a:?} {b:?}");
    let again = run(&admin, now()).await;
    assert_eq!(again.sent, 0);

    // 企业微信: 葵涌's group hears of the 督办单 (not of its own answer), in markdown, with a
    // link back to the task.
    let wecom = platform.hits("/wecom");
    assert_eq!(wecom.len(), 1, "{wecom:?}");
    assert_eq!(wecom[0].body["msgtype"], "markdown");
    let content = wecom[0].body["markdown"]["content"].as_str().unwrap();
    assert!(
        content.contains("任务12") && content.contains("黄色督办单"),
        "{content}"
    );
    assert!(
        content.contains(&format!("{ORIGIN}/tasks/{TASK}")),
        "{content}"
    );

    // 钉钉: the office's group hears of the answer; the URL is signed:
    // sign = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))).
    let ding = platform.hits("/dingtalk");
    assert_eq!(ding.len(), 1, "{ding:?}");
    let timestamp = param(&ding[0].uri, "timestamp");
    assert_eq!(param(&ding[0].uri, "access_token"), "t0k3n");
    let expected = hmac_base64(
        b"SECd1ngta1k",
        format!("{timestamp}\nSECd1ngta1k").as_bytes(),
    );
    assert_eq!(param(&ding[0].uri, "sign"), expected);
    let ms: i64 = timestamp.parse().unwrap();
    assert!(
        (Utc::now().timestamp_millis() - ms).abs() < 3_600_000,
        "within the hour"
    );
    assert_eq!(ding[0].body["msgtype"], "markdown");
    assert!(
        ding[0].body["markdown"]["text"]
            .as_str()
            .unwrap()
            .contains("反馈"),
        "{:?}",
        ding[0].body
    );

    // 飞书: the leaders' group gets the 督办单 (抄送); the body is signed:
    // sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")).
    let feishu = platform.hits("/feishu");
    assert_eq!(feishu.len(), 1, "{feishu:?}");
    let body = &feishu[0].body;
    let seconds = body["timestamp"].as_str().unwrap();
    assert_eq!(
        body["sign"].as_str().unwrap(),
        hmac_base64(format!("{seconds}\nfe1shu-secret").as_bytes(), b"")
    );
    assert_eq!(body["msg_type"], "interactive");
    assert!(
        body["card"]["elements"][0]["content"]
            .as_str()
            .unwrap()
            .contains("任务12")
    );

    // E-mail: 葵涌's head, about the 督办单; not about his own answer.
    let kept = mails.lock().unwrap().clone();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let mail = mail_text(&kept[0]);
    assert!(mail.contains("To: liuqiang@kysd.gov.cn"), "{mail}");
    assert!(
        mail.contains("任务12") && mail.contains(&format!("{ORIGIN}/tasks/{TASK}")),
        "{mail}"
    );

    // The log shows all four as sent, once.
    let log = deliveries(&admin).await;
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(
        log.iter().all(|d| d.status == "sent" && d.attempts == 1),
        "{log:?}"
    );

    // The admin's buttons: a test message to a robot, and a test e-mail.
    let robots: serde_json::Value = serde_json::from_str(&overview).unwrap();
    let wecom_id = robots["robots"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = admin.call("test_robot", &[("id", &wecom_id)]).await;
    assert_eq!(status, 200, "{body}");
    let outcome: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(outcome["error"], serde_json::Value::Null, "{body}");
    assert_eq!(platform.hits("/wecom").len(), 2);
    let (status, body) = admin
        .call("test_mail", &[("address", "admin@dapeng.gov.cn")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(mails.lock().unwrap().len(), 2);
    assert!(mail_text(&mails.lock().unwrap()[1]).contains("测试消息"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_robot_is_tried_again_later_and_a_refusing_one_says_why() {
    let (base, platform) = receiver().await;
    let admin = signed_in("admin").await;
    add_robot(
        &admin,
        &[
            ("name", "葵涌街道工作群"),
            ("platform", "wecom"),
            ("audience", "unit:kysd"),
            ("url", &format!("{base}/flaky?key=k")),
        ],
    )
    .await;
    let refusing = add_robot(
        &admin,
        &[
            ("name", "领导群(密钥已过期)"),
            ("platform", "dingtalk"),
            ("audience", "leaders"),
            ("url", &format!("{base}/refusing?access_token=t")),
            ("secret", "SECold"),
        ],
    )
    .await;
    let start = Utc::now() + Duration::seconds(5);
    run(&admin, start).await;
    let office = beside(&admin, "wangfang").await;
    // The office's action is not held up by a failing channel: it is done before any sending.
    yellow_notice(&office).await;

    let t0 = Utc::now() + Duration::seconds(5);
    let first = run(&admin, t0).await;
    assert_eq!(first.sent, 0);
    let log = deliveries(&admin).await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log.iter().all(|d| d.status == "pending" && d.attempts == 1),
        "{log:?}"
    );
    let flaky = log.iter().find(|d| d.to == "葵涌街道工作群").unwrap();
    assert!(
        flaky.last_error.as_deref().unwrap().contains("HTTP 502"),
        "{flaky:?}"
    );
    let refused = log.iter().find(|d| d.to != "葵涌街道工作群").unwrap();
    assert!(
        refused.last_error.as_deref().unwrap().contains("310000"),
        "the platform's own words: {refused:?}"
    );
    // Not again before its time (30 s)…
    assert_eq!(run(&admin, t0 + Duration::seconds(10)).await.sent, 0);
    assert_eq!(platform.hits("/flaky").len(), 1);
    // …then a second failure, and a success after the next wait (2 min).
    assert_eq!(run(&admin, t0 + Duration::seconds(31)).await.sent, 0);
    assert_eq!(run(&admin, t0 + Duration::seconds(31 + 121)).await.sent, 1);
    let flaky = deliveries(&admin)
        .await
        .into_iter()
        .find(|d| d.to == "葵涌街道工作群")
        .unwrap();
    assert_eq!((flaky.status.as_str(), flaky.attempts), ("sent", 3));

    // The refusing robot is given up after six tries, each after a longer wait.
    let mut at = t0 + Duration::seconds(31 + 121);
    for _ in 0..6 {
        at += Duration::hours(3);
        run(&admin, at).await;
    }
    let refused = deliveries(&admin)
        .await
        .into_iter()
        .find(|d| d.to != "葵涌街道工作群")
        .unwrap();
    assert_eq!((refused.status.as_str(), refused.attempts), ("failed", 6));
    assert_eq!(platform.hits("/refusing").len(), 6);

    // The admin's test button says why, in the platform's words; the log has it too.
    let (status, body) = admin.call("test_robot", &[("id", &refusing)]).await;
    assert_eq!(status, 200, "{body}");
    let outcome: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        outcome["error"]
            .as_str()
            .unwrap()
            .contains("sign not match"),
        "{body}"
    );
    let (_, overview) = admin.call("get_channels", &[]).await;
    assert!(overview.contains("sign not match"), "{overview}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_robot_gets_at_most_twenty_messages_a_minute() {
    let (base, platform) = receiver().await;
    let admin = signed_in("admin").await;
    let robot = add_robot(
        &admin,
        &[
            ("name", "组织科工作群"),
            ("platform", "wecom"),
            ("audience", "office"),
            ("url", &format!("{base}/busy?key=k")),
        ],
    )
    .await;
    // Twenty-five messages waiting at once (as after a busy morning).
    let now = Utc::now();
    for n in 0..25 {
        admin
            .db
            .query(
                "CREATE type::record('delivery', $key) CONTENT {
                    destination: type::record('robot', $robot), to: '组织科工作群', channel: 'wecom',
                    title: $title, body: '内容', status: 'pending', attempts: 0, next_at: $now
                }",
            )
            .bind(("key", format!("m{n:02}")))
            .bind(("robot", robot.clone()))
            .bind(("title", format!("消息{n}")))
            .bind(("now", now))
            .await
            .unwrap()
            .check()
            .unwrap();
    }
    let first = send_due(&admin.db, now).await.unwrap();
    assert_eq!((first.sent, first.held), (20, 5));
    assert_eq!(platform.hits("/busy").len(), 20);
    // Thirty seconds on: still the same minute.
    let mid = send_due(&admin.db, now + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(mid.sent, 0);
    // A minute on, the rest go.
    let later = send_due(&admin.db, now + Duration::seconds(61))
        .await
        .unwrap();
    assert_eq!(later.sent, 5);
    assert_eq!(platform.hits("/busy").len(), 25);
}
