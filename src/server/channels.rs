//! The outbox behind the 消息通道. Every notice the inbox would show a robot's group or a
//! person who chose e-mail becomes a `delivery` record, keyed by its event and destination, so
//! two instances (or a rescan) queue it once; a sender claims it with a lease, sends it, and
//! records the outcome — retried with back-off, robots held to their platform's per-minute
//! limit. Users' actions only write the audit trail: a slow or broken channel never holds them.

use super::db::channels::{RobotRow, SmtpRow, robots, smtp};
use super::db::notices::{EVENT_FIELDS, EventRow};
use super::db::{Db, corrupt, key_string, record};
use crate::domain::channel::{Audience, MAX_ATTEMPTS, ROBOT_PER_MINUTE, RobotKind, retry_after};
use crate::domain::notice::{ACTIONS, NoticeKind, Reader, notice_for};
use crate::domain::workflow::Role;
use crate::domain::{AccountId, PersonId, UnitId};
use crate::error::AppError;
use crate::ui::messages;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

/// Events are read once they are this old, so a transaction still committing with an earlier
/// time is not passed over; and each read looks this far back again (the delivery keys make
/// the second look harmless).
const SETTLE: Duration = Duration::seconds(2);
const OVERLAP: Duration = Duration::seconds(60);
/// Events read per run; the rest wait for the next run.
const BATCH: i64 = 500;
/// Messages sent per run.
const SEND_BATCH: i64 = 100;
/// How long a claimed message is another sender's to leave alone.
const LEASE: Duration = Duration::seconds(120);
/// One call to a platform or mail server, at most.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// A message as queued: the same words for every channel, formatted per platform when sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    /// Markdown lines (plain text reads well too: e-mail gets them as they are).
    pub body: String,
    pub link: Option<String>,
}

/// The words of a notice: what happened, the task, who did it and the trail's own account.
pub(crate) fn message_for(
    kind: NoticeKind,
    event: &EventRow,
    task_key: &str,
    origin: &str,
) -> Message {
    let number = event.number.unwrap_or_default();
    let task = event.title.clone().unwrap_or_default();
    let what = messages::notice_kind(kind);
    let title = format!("【{what}】任务{number} {task}");
    let mut body = format!("**{what}**\n\n任务{number}:{task}\n\n{}", event.actor);
    if !event.summary.is_empty() {
        body.push_str(&format!(":{}", event.summary));
    }
    Message {
        title,
        body,
        link: Some(format!("{}/tasks/{task_key}", origin.trim_end_matches('/'))),
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting and signing, per platform.

/// base64(HMAC-SHA256(key, message)).
fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        }
        // HMAC takes a key of any length: this cannot happen.
        Err(_) => String::new(),
    }
}

/// 钉钉 加签: base64(HMAC-SHA256(key = secret, message = "{ms}\n{secret}")), URL-encoded.
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    let signature = hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    );
    percent_encoding::utf8_percent_encode(&signature, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
}

/// 飞书 签名校验: base64(HMAC-SHA256(key = "{seconds}\n{secret}", message = empty)) — key and
/// message the other way round from 钉钉.
pub fn feishu_sign(timestamp_s: i64, secret: &str) -> String {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

/// Cuts `text` to at most `max` bytes on a character boundary.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn markdown(message: &Message) -> String {
    match &message.link {
        Some(link) => format!("{}\n\n[查看任务]({link})", message.body),
        None => message.body.clone(),
    }
}

/// The request a robot gets: its address (signed for 钉钉) and body.
pub fn robot_request(
    kind: RobotKind,
    url: &str,
    secret: Option<&str>,
    message: &Message,
    now: DateTime<Utc>,
) -> (String, serde_json::Value) {
    let text = markdown(message);
    match kind {
        // 4096 bytes of markdown at most.
        RobotKind::WeCom => (
            url.to_owned(),
            serde_json::json!({
                "msgtype": "markdown",
                "markdown": { "content": cut(&format!("### {}\n{text}", message.title), 4096) }
            }),
        ),
        RobotKind::DingTalk => {
            let url = match secret {
                Some(secret) => {
                    let ms = now.timestamp_millis();
                    let sep = if url.contains('?') { '&' } else { '?' };
                    format!(
                        "{url}{sep}timestamp={ms}&sign={}",
                        dingtalk_sign(ms, secret)
                    )
                }
                None => url.to_owned(),
            };
            (
                url,
                serde_json::json!({
                    "msgtype": "markdown",
                    "markdown": { "title": message.title, "text": cut(&format!("### {}\n\n{text}", message.title), 5000) }
                }),
            )
        }
        RobotKind::Feishu => {
            let mut body = serde_json::json!({
                "msg_type": "interactive",
                "card": {
                    "header": { "title": { "tag": "plain_text", "content": message.title } },
                    "elements": [ { "tag": "markdown", "content": cut(&text, 20_000) } ]
                }
            });
            if let Some(secret) = secret {
                let seconds = now.timestamp();
                body["timestamp"] = serde_json::Value::String(seconds.to_string());
                body["sign"] = serde_json::Value::String(feishu_sign(seconds, secret));
            }
            (url.to_owned(), body)
        }
    }
}

fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

/// Sends to a robot. `Err` carries what the platform (or the network) said, for the log.
pub async fn send_robot(
    kind: RobotKind,
    url: &str,
    secret: Option<&str>,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let (url, body) = robot_request(kind, url, secret, message, now);
    let response = client()
        .post(&url)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("无法连接:{}", without_url(&e)))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("HTTP {}:{}", status.as_u16(), cut(&text, 200)));
    }
    // 企业微信 and 钉钉 answer errcode/errmsg, 飞书 code/msg (older bots StatusCode); 0 is ok.
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let code = ["errcode", "code", "StatusCode"]
        .iter()
        .find_map(|k| answer.get(*k).and_then(serde_json::Value::as_i64));
    match code {
        Some(0) => Ok(()),
        Some(code) => {
            let said = ["errmsg", "msg", "StatusMessage"]
                .iter()
                .find_map(|k| answer.get(*k).and_then(|v| v.as_str()))
                .unwrap_or_default();
            Err(format!("平台返回错误 {code}:{}", cut(said, 200)))
        }
        None => Err(format!("平台应答无法识别:{}", cut(&text, 200))),
    }
}

/// A request error without the address, which carries the robot's key.
fn without_url(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "超时"
    } else if err.is_connect() {
        "连接失败"
    } else {
        "请求失败"
    };
    let mut source = std::error::Error::source(err);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}({})", cut(&detail, 120))
    }
}

/// Sends an e-mail through the configured server.
pub(crate) async fn send_mail(server: &SmtpRow, to: &str, message: &Message) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    let security = server
        .security()
        .map_err(|_| "邮件服务器设置无效".to_owned())?;
    let port = u16::try_from(server.port).map_err(|_| "邮件服务器端口无效".to_owned())?;
    let builder = match security {
        crate::domain::channel::SmtpSecurity::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&server.host)
        }
        crate::domain::channel::SmtpSecurity::StartTls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&server.host)
        }
        crate::domain::channel::SmtpSecurity::None => Ok(
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host),
        ),
    }
    .map_err(|e| format!("邮件服务器设置无效:{e}"))?;
    let mut builder = builder.port(port).timeout(Some(TIMEOUT));
    if let (Some(user), Some(password)) = (&server.username, &server.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    let mut text = message.body.replace("**", "");
    if let Some(link) = &message.link {
        text.push_str(&format!("\n\n查看任务:{link}"));
    }
    text.push_str("\n\n—— 揭榜·年度重点任务管理(此邮件由系统发送,请勿直接回复)");
    // Base64: Chinese text arrives whole through any relay, 8BITMIME or not.
    let body = lettre::message::Body::new_with_encoding(
        text,
        lettre::message::header::ContentTransferEncoding::Base64,
    )
    .map_err(|_| "邮件无法生成".to_owned())?;
    let email = lettre::Message::builder()
        .from(
            format!("揭榜督办 <{}>", server.from)
                .parse()
                .map_err(|_| "发件地址无效".to_owned())?,
        )
        .to(to.parse().map_err(|_| "收件地址无效".to_owned())?)
        .subject(message.title.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("邮件无法生成:{e}"))?;
    builder
        .build()
        .send(email)
        .await
        .map(|_| ())
        .map_err(|e| format!("发送失败:{}", cut(&e.to_string(), 200)))
}

// ---------------------------------------------------------------------------------------------
// Queueing.

#[derive(Debug, SurrealValue)]
struct Recipient {
    account: RecordId,
    email: String,
    display_name: String,
    role: String,
    unit: Option<RecordId>,
    unit_name: Option<String>,
    person: Option<RecordId>,
}

#[derive(Debug, Clone, Serialize, SurrealValue)]
struct NewDelivery {
    id: RecordId,
    destination: RecordId,
    to: String,
    channel: String,
    event: Option<RecordId>,
    task: Option<RecordId>,
    title: String,
    body: String,
    link: Option<String>,
    status: String,
    attempts: i64,
    next_at: DateTime<Utc>,
}

/// Where a notice may go, with whose inbox it reads as.
enum Destination {
    Robot(RobotRow, RobotKind, Audience),
    Mail {
        account: RecordId,
        email: String,
        role: Role,
        unit: Option<UnitId>,
        name: String,
        person: Option<PersonId>,
    },
}

impl Destination {
    fn notice(&self, event: &crate::domain::notice::EventFacts) -> Option<NoticeKind> {
        match self {
            Self::Robot(_, _, audience) => audience.notice(event),
            Self::Mail {
                role,
                unit,
                name,
                person,
                ..
            } => notice_for(
                Reader {
                    role: *role,
                    unit: unit.as_ref(),
                    name,
                    person: person.as_ref(),
                },
                event,
            ),
        }
    }

    fn record(&self) -> RecordId {
        match self {
            Self::Robot(r, ..) => r.id.clone(),
            Self::Mail { account, .. } => account.clone(),
        }
    }
}

async fn destinations(db: &Db) -> Result<Vec<Destination>, AppError> {
    let mut all = Vec::new();
    for robot in robots(db).await? {
        if robot.enabled {
            let (kind, audience) = (robot.kind()?, robot.audience()?);
            all.push(Destination::Robot(robot, kind, audience));
        }
    }
    if smtp(db).await?.is_some() {
        let people: Vec<Recipient> = db
            .query(
                "SELECT account, email, account.display_name AS display_name,
                        account.role AS role, account.unit AS unit,
                        account.unit.name AS unit_name, account.person AS person
                   FROM mail_preference
                  WHERE enabled = true AND email != NONE AND account.active = true",
            )
            .await?
            .take(0)?;
        for p in people {
            let role = Role::parse(&p.role).ok_or_else(|| corrupt("account.role", &p.role))?;
            let unit = p
                .unit
                .as_ref()
                .map(|u| UnitId::parse(&key_string(u)).ok_or_else(|| corrupt("account.unit", u)))
                .transpose()?;
            let name = match &p.unit_name {
                Some(unit) => format!("{unit} {}", p.display_name),
                None => p.display_name.clone(),
            };
            let person = p
                .person
                .as_ref()
                .map(|x| {
                    PersonId::parse(&key_string(x)).ok_or_else(|| corrupt("account.person", x))
                })
                .transpose()?;
            all.push(Destination::Mail {
                account: p.account,
                email: p.email,
                role,
                unit,
                name,
                person,
            });
        }
    }
    Ok(all)
}

/// Reads the audit trail past the cursor and queues a message for every destination each
/// event concerns. Returns how many were newly queued.
pub async fn enqueue(db: &Db, now: DateTime<Utc>, origin: &str) -> Result<usize, AppError> {
    let until = now - SETTLE;
    let cursor: Option<DateTime<Utc>> = db
        .query("(SELECT VALUE at FROM ONLY delivery_cursor:main)")
        .await?
        .take(0)?;
    let destinations = destinations(db).await?;
    // Nothing to send to (or the first run): start from here, not from the year's history.
    let Some(cursor) = cursor.filter(|_| !destinations.is_empty()) else {
        super::db::write::execute(|| {
            db.query("UPSERT delivery_cursor:main SET at = $at WHERE at = NONE OR at < $at")
                .bind(("at", until))
        })
        .await?;
        return Ok(0);
    };
    let events: Vec<EventRow> = db
        .query(format!(
            "SELECT {EVENT_FIELDS} FROM audit_event
              WHERE at > $since AND at <= $until AND action IN $actions
                AND record::tb(entity) = 'task'
              ORDER BY at LIMIT $batch"
        ))
        .bind(("since", cursor - OVERLAP))
        .bind(("until", until))
        .bind(("actions", ACTIONS.to_vec()))
        .bind(("batch", BATCH))
        .await?
        .take(0)?;
    let read_to = if events.len() as i64 == BATCH {
        events.last().map_or(until, |e| e.at)
    } else {
        until
    };
    let mut queued = Vec::new();
    for event in &events {
        let facts = event.facts()?;
        let task_key = key_string(&event.task);
        for destination in &destinations {
            let Some(kind) = destination.notice(&facts) else {
                continue;
            };
            let message = message_for(kind, event, &task_key, origin);
            let (to, channel) = match destination {
                Destination::Robot(r, k, _) => (r.name.clone(), k.code()),
                Destination::Mail { email, .. } => (email.clone(), "email"),
            };
            let dest = destination.record();
            let key = format!(
                "{}-{}-{}",
                key_string(&event.id),
                dest.table,
                key_string(&dest)
            );
            queued.push(NewDelivery {
                id: record("delivery", &key),
                destination: dest,
                to,
                channel: channel.to_owned(),
                event: Some(event.id.clone()),
                task: Some(event.task.clone()),
                title: message.title,
                body: message.body,
                link: message.link,
                status: "pending".into(),
                attempts: 0,
                next_at: now,
            });
        }
    }
    let mut fresh = 0;
    if !queued.is_empty() {
        // IGNORE: what another instance (or the overlap) queued already stays as it is.
        // Retried when it loses a commit race to another instance queueing the same rows.
        let created: Vec<RecordId> = super::db::write::execute(|| {
            db.query("INSERT IGNORE INTO delivery $rows RETURN VALUE id")
                .bind(("rows", queued.clone()))
        })
        .await?
        .take(0)?;
        fresh = created.len();
    }
    super::db::write::execute(|| {
        db.query("UPSERT delivery_cursor:main SET at = $at WHERE at = NONE OR at < $at")
            .bind(("at", read_to))
    })
    .await?;
    Ok(fresh)
}

// ---------------------------------------------------------------------------------------------
// Sending.

#[derive(Debug, Clone, SurrealValue)]
struct Due {
    id: RecordId,
    destination: RecordId,
    channel: String,
    to: String,
    title: String,
    body: String,
    link: Option<String>,
    attempts: i64,
}

#[derive(Debug, SurrealValue)]
struct Sent {
    destination: RecordId,
    sent_at: DateTime<Utc>,
}

/// What one sending run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sending {
    pub sent: usize,
    pub failed: usize,
    /// Held back by a robot's per-minute limit.
    pub held: usize,
}

/// Sends what is due at `now`: each message claimed by a lease first, robots kept within
/// [`ROBOT_PER_MINUTE`], failures retried later or given up after [`MAX_ATTEMPTS`].
pub async fn send_due(db: &Db, now: DateTime<Utc>) -> Result<Sending, AppError> {
    let mut res = db
        .query(
            "SELECT id, destination, channel, to, title, body, link, attempts FROM delivery
              WHERE status = 'pending' AND next_at <= $now
                AND (lease_until = NONE OR lease_until < $now)
              ORDER BY next_at LIMIT $batch;
             SELECT destination, sent_at FROM delivery WHERE sent_at > $minute;",
        )
        .bind(("now", now))
        .bind(("minute", now - Duration::minutes(1)))
        .bind(("batch", SEND_BATCH))
        .await?;
    let due: Vec<Due> = res.take(0)?;
    let recent: Vec<Sent> = res.take(1)?;
    if due.is_empty() {
        return Ok(Sending::default());
    }
    // Keyed by the record's `table:key` (RecordId itself makes a poor map key).
    let name = |id: &RecordId| format!("{}:{}", id.table.as_str(), key_string(id));
    let mut sent_lately: HashMap<String, Vec<DateTime<Utc>>> = HashMap::new();
    for s in recent {
        sent_lately
            .entry(name(&s.destination))
            .or_default()
            .push(s.sent_at);
    }
    let robots: HashMap<String, RobotRow> = robots(db)
        .await?
        .into_iter()
        .map(|r| (name(&r.id), r))
        .collect();
    let server = smtp(db).await?;
    let mut outcome = Sending::default();
    for d in due {
        let is_robot = d.destination.table.as_str() == "robot";
        if is_robot {
            let times = sent_lately.entry(name(&d.destination)).or_default();
            if times.len() >= ROBOT_PER_MINUTE {
                // Its turn comes when the oldest of the last minute's messages falls out.
                let free_at = times.iter().min().copied().unwrap_or(now) + Duration::minutes(1);
                db.query("UPDATE $id SET next_at = $at")
                    .bind(("id", d.id.clone()))
                    .bind(("at", free_at))
                    .await?
                    .check()?;
                outcome.held += 1;
                continue;
            }
        }
        if !claim(db, &d.id, now).await? {
            continue;
        }
        let message = Message {
            title: d.title.clone(),
            body: d.body.clone(),
            link: d.link.clone(),
        };
        let result = if is_robot {
            match robots.get(&name(&d.destination)) {
                Some(r) if r.enabled => {
                    send_robot(r.kind()?, &r.url, r.secret.as_deref(), &message, now).await
                }
                _ => Err("通道已停用或已删除".to_owned()),
            }
        } else {
            match &server {
                Some(server) => send_mail(server, &d.to, &message).await,
                None => Err("未设置邮件服务器".to_owned()),
            }
        };
        let attempts = d.attempts + 1;
        match result {
            Ok(()) => {
                record_outcome(db, &d.id, "sent", attempts, None, None, Some(now)).await?;
                sent_lately
                    .entry(name(&d.destination))
                    .or_default()
                    .push(now);
                outcome.sent += 1;
            }
            Err(error) => {
                let retry = u32::try_from(attempts)
                    .ok()
                    .filter(|a| *a < MAX_ATTEMPTS)
                    .and_then(retry_after);
                let (status, next) = match retry {
                    Some(wait) => ("pending", Some(now + wait)),
                    None => ("failed", None),
                };
                tracing::warn!(delivery = %key_string(&d.id), attempts, %error, "a message was not delivered");
                record_outcome(db, &d.id, status, attempts, Some(error), next, None).await?;
                if status == "failed" {
                    outcome.failed += 1;
                }
            }
        }
    }
    Ok(outcome)
}

/// Takes the message for this sender; `false` when another has it.
async fn claim(db: &Db, id: &RecordId, now: DateTime<Utc>) -> Result<bool, AppError> {
    let result = db
        .query(
            "UPDATE $id SET lease_until = $lease
              WHERE status = 'pending' AND (lease_until = NONE OR lease_until < $now)
              RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .bind(("lease", now + LEASE))
        .bind(("now", now))
        .await
        .and_then(surrealdb::IndexedResults::check);
    match result {
        Ok(mut res) => {
            let taken: Vec<RecordId> = res.take(0)?;
            Ok(!taken.is_empty())
        }
        // Two senders at once: the loser's transaction conflicts, and it leaves the message.
        Err(err) if super::db::write::classify(&err) == Some(AppError::Conflict) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

async fn record_outcome(
    db: &Db,
    id: &RecordId,
    status: &str,
    attempts: i64,
    error: Option<String>,
    next_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    db.query(
        "UPDATE $id SET status = $status, attempts = $attempts, last_error = $error,
                next_at = $next, sent_at = $sent, lease_until = NONE",
    )
    .bind(("id", id.clone()))
    .bind(("status", status.to_owned()))
    .bind(("attempts", attempts))
    .bind(("error", error))
    .bind(("next", next_at))
    .bind(("sent", sent_at))
    .await?
    .check()?;
    Ok(())
}

/// A test message, sent at once and logged: what the admin's button does.
pub async fn send_test(
    db: &Db,
    destination: TestTo,
    now: DateTime<Utc>,
    origin: &str,
) -> Result<(String, Result<(), String>), AppError> {
    let message = Message {
        title: "【测试消息】揭榜·年度重点任务管理".into(),
        body: format!(
            "**测试消息**\n\n这是一条测试消息,收到即表示通道设置正确。\n\n发送时间:{}",
            crate::ui::format::time_zh(now)
        ),
        link: Some(format!("{}/work", origin.trim_end_matches('/'))),
    };
    let (dest, to, channel, result) = match destination {
        TestTo::Robot(id) => {
            let robot = robots(db)
                .await?
                .into_iter()
                .find(|r| key_string(&r.id) == id)
                .ok_or(AppError::NotFound(crate::domain::Entity::Page))?;
            let kind = robot.kind()?;
            let result = send_robot(kind, &robot.url, robot.secret.as_deref(), &message, now).await;
            (robot.id.clone(), robot.name.clone(), kind.code(), result)
        }
        TestTo::Mail { account, email } => {
            let result = match smtp(db).await? {
                Some(server) => send_mail(&server, &email, &message).await,
                None => Err("未设置邮件服务器".to_owned()),
            };
            (record("account", account.as_str()), email, "email", result)
        }
    };
    let shown_to = to.clone();
    let row = NewDelivery {
        id: record(
            "delivery",
            &format!("test-{}", &super::auth::session::new_token()?[..16]),
        ),
        destination: dest,
        to,
        channel: channel.to_owned(),
        event: None,
        task: None,
        title: message.title,
        body: message.body,
        link: message.link,
        status: if result.is_ok() { "sent" } else { "failed" }.into(),
        attempts: 1,
        next_at: now,
    };
    db.query("CREATE delivery CONTENT $row; UPDATE $row.id SET sent_at = $sent, last_error = $error, next_at = NONE;")
        .bind(("row", row))
        .bind(("sent", result.is_ok().then_some(now)))
        .bind(("error", result.clone().err()))
        .await?
        .check()?;
    Ok((shown_to, result))
}

/// Where a test message goes.
pub enum TestTo {
    Robot(String),
    Mail { account: AccountId, email: String },
}

/// Queues and sends for the life of the process, every `every`.
pub fn spawn(state: super::AppState, every: std::time::Duration) {
    // One session of its own: the runs follow one another.
    let db = state.db.dedicated();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Utc::now();
            if let Err(err) = enqueue(&db, now, &state.public_url).await {
                tracing::warn!(error = ?err, "queueing messages failed; next run retries");
            }
            match send_due(&db, now).await {
                Ok(s) if s == Sending::default() => {}
                Ok(s) => tracing::info!(
                    sent = s.sent,
                    failed = s.failed,
                    held = s.held,
                    "messages sent"
                ),
                Err(err) => {
                    tracing::warn!(error = ?err, "sending messages failed; next run retries")
                }
            }
        }
    });
}
