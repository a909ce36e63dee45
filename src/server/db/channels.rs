//! 消息通道 settings: the robots, the mail server and each person's e-mail choice, and the
//! admin's overview with the delivery log. Secrets are read here and by the sender only; what
//! leaves for a browser is masked.

use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::channel::{
    Audience, ChannelsOverview, DeliveryStatus, DeliveryView, MailPreference, RobotInput,
    RobotKind, RobotView, SmtpInput, SmtpSecurity, SmtpView, masked,
};
use crate::domain::unit::Email;
use crate::domain::{AccountId, Actor, Entity};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use surrealdb::types::{RecordId, SurrealValue};

/// A robot as stored, secrets and all: for the sender only.
#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct RobotRow {
    pub id: RecordId,
    pub name: String,
    pub kind: String,
    pub audience: String,
    pub url: String,
    pub secret: Option<String>,
    pub enabled: bool,
    pub version: i64,
}

impl RobotRow {
    pub(crate) fn kind(&self) -> Result<RobotKind, AppError> {
        RobotKind::parse(&self.kind).ok_or_else(|| corrupt("robot.kind", &self.kind))
    }

    pub(crate) fn audience(&self) -> Result<Audience, AppError> {
        Audience::parse(&self.audience).ok_or_else(|| corrupt("robot.audience", &self.audience))
    }
}

/// The mail server as stored (password and all): for the sender only.
#[derive(Debug, Clone, SurrealValue)]
pub(crate) struct SmtpRow {
    pub host: String,
    pub port: i64,
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

impl SmtpRow {
    pub(crate) fn security(&self) -> Result<SmtpSecurity, AppError> {
        SmtpSecurity::parse(&self.security).ok_or_else(|| corrupt("smtp.security", &self.security))
    }
}

pub(crate) const ROBOT_FIELDS: &str = "id, name, kind, audience, url, secret, enabled, version";

/// Every robot, oldest first.
pub(crate) async fn robots(db: &Db) -> Result<Vec<RobotRow>, AppError> {
    Ok(db
        .query(format!(
            "SELECT {ROBOT_FIELDS} FROM robot ORDER BY created_at"
        ))
        .await?
        .take(0)?)
}

/// The mail server, if one is set up.
pub(crate) async fn smtp(db: &Db) -> Result<Option<SmtpRow>, AppError> {
    Ok(db
        .query("SELECT host, port, security, username, password, from FROM ONLY smtp_settings:main")
        .await?
        .take(0)?)
}

#[derive(Debug, Clone, Serialize, SurrealValue)]
struct NewRobot {
    name: String,
    kind: String,
    audience: String,
    url: String,
    secret: Option<String>,
}

/// Adds a robot (enabled), with an audit event that names it but not its address.
pub async fn create_robot(db: &Db, actor: &Actor, input: &RobotInput) -> Result<String, AppError> {
    let content = NewRobot {
        name: input.name.clone(),
        kind: input.kind.code().to_owned(),
        audience: input.audience.code(),
        url: input.url.as_str().to_owned(),
        secret: input.secret.clone(),
    };
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $robot = (CREATE ONLY robot CONTENT $content RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $robot, action: 'robot_created',
                 summary: string::concat('新增消息通道:', $content.name)
             };
             RETURN $robot;
             COMMIT TRANSACTION;",
        )
        .bind(("content", content.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    let id: Option<RecordId> = super::take_returned(&mut res)?;
    id.map(|id| key_string(&id)).ok_or(AppError::Internal)
}

/// Turns a robot on or off, at the version the admin saw.
pub async fn set_robot_enabled(
    db: &Db,
    actor: &Actor,
    id: &str,
    version: u32,
    enabled: bool,
) -> Result<u32, AppError> {
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT * FROM ONLY $robot);
             IF $before = NONE { THROW 'jiebang:not_found' };
             IF $before.version != $version { THROW 'jiebang:conflict' };
             UPDATE $robot SET enabled = $enabled, version += 1;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $robot, action: 'robot_switched',
                 summary: string::concat(IF $enabled { '启用' } ELSE { '停用' }, '消息通道:', $before.name)
             };
             RETURN $version + 1;
             COMMIT TRANSACTION;",
        )
        .bind(("robot", record("robot", id)))
        .bind(("version", i64::from(version)))
        .bind(("enabled", enabled))
        .bind(("actor", actor.name.clone()))
    })
    .await
    .map_err(|e| match e {
        AppError::NotFound(_) => AppError::NotFound(Entity::Page),
        other => other,
    })?;
    let version: Option<i64> = super::take_returned(&mut res)?;
    version
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(AppError::Internal)
}

/// Removes a robot; messages still waiting for it are given up (the log keeps them).
pub async fn delete_robot(db: &Db, actor: &Actor, id: &str) -> Result<(), AppError> {
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT * FROM ONLY $robot);
             IF $before = NONE { THROW 'jiebang:not_found' };
             UPDATE delivery SET status = 'failed', last_error = '通道已删除', next_at = NONE
               WHERE destination = $robot AND status = 'pending';
             DELETE $robot;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $robot, action: 'robot_deleted',
                 summary: string::concat('删除消息通道:', $before.name)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("robot", record("robot", id)))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}

/// Sets up (or changes) the mail server. An empty password keeps the stored one.
pub async fn save_smtp(db: &Db, actor: &Actor, input: &SmtpInput) -> Result<(), AppError> {
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT * FROM ONLY smtp_settings:main);
             UPSERT smtp_settings:main CONTENT {
                 host: $host, port: $port, security: $security, username: $username,
                 password: $password ?? $before.password, from: $from
             };
             CREATE audit_event CONTENT {
                 actor: $actor, entity: smtp_settings:main, action: 'smtp_saved',
                 summary: string::concat('设置邮件服务器:', $host, ':', <string>$port)
             };
             COMMIT TRANSACTION;",
        )
        .bind(("host", input.host.clone()))
        .bind(("port", i64::from(input.port)))
        .bind(("security", input.security.code().to_owned()))
        .bind(("username", input.username.clone()))
        .bind(("password", input.password.clone()))
        .bind(("from", input.from.as_str().to_owned()))
        .bind(("actor", actor.name.clone()))
    })
    .await?;
    Ok(())
}

/// A person's own e-mail choice.
pub async fn mail_preference(db: &Db, account: &AccountId) -> Result<MailPreference, AppError> {
    #[derive(Debug, SurrealValue)]
    struct Row {
        email: Option<String>,
        enabled: bool,
    }
    let mut res = db
        .query(
            "SELECT email, enabled FROM mail_preference WHERE account = $account LIMIT 1;
             RETURN record::exists(smtp_settings:main);",
        )
        .bind(("account", record("account", account.as_str())))
        .await?;
    let row: Option<Row> = res.take(0)?;
    let server_ready: Option<bool> = res.take(1)?;
    Ok(MailPreference {
        email: row.as_ref().and_then(|r| r.email.clone()),
        enabled: row.is_some_and(|r| r.enabled),
        server_ready: server_ready.unwrap_or(false),
    })
}

/// Sets a person's e-mail choice: their address, and whether notices go there too.
pub async fn set_mail_preference(
    db: &Db,
    account: &AccountId,
    email: Option<&Email>,
    enabled: bool,
) -> Result<(), AppError> {
    execute(|| {
        db.query(
            "UPSERT type::record('mail_preference', $key) CONTENT {
                 account: $account, email: $email, enabled: $enabled
             };",
        )
        .bind(("key", account.as_str().to_owned()))
        .bind(("account", record("account", account.as_str())))
        .bind(("email", email.map(|e| e.as_str().to_owned())))
        .bind(("enabled", enabled))
    })
    .await?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct DeliveryRow {
    to: String,
    channel: String,
    title: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    next_at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
struct RecipientRow {
    display_name: Option<String>,
    unit_name: Option<String>,
    email: String,
}

#[derive(Debug, SurrealValue)]
struct UnitName {
    id: RecordId,
    name: String,
}

/// How many lines of the delivery log the admin's page shows.
const LOG_SHOWN: i64 = 100;

/// The admin's page: every robot (masked), the mail server, who chose e-mail, and the latest
/// deliveries. One round trip.
pub async fn overview(db: &Db) -> Result<ChannelsOverview, AppError> {
    let mut res = db
        .query(format!(
            "SELECT {ROBOT_FIELDS} FROM robot ORDER BY created_at;
             SELECT host, port, security, username, password, from FROM ONLY smtp_settings:main;
             SELECT account.display_name AS display_name, account.unit.name AS unit_name, email
               FROM mail_preference WHERE enabled = true AND email != NONE;
             SELECT to, channel, title, status, attempts, last_error, created_at, sent_at, next_at
               FROM delivery ORDER BY created_at DESC LIMIT $shown;
             SELECT id, name FROM unit;"
        ))
        .bind(("shown", LOG_SHOWN))
        .await?;
    let robots: Vec<RobotRow> = res.take(0)?;
    let smtp: Option<SmtpRow> = res.take(1)?;
    let recipients: Vec<RecipientRow> = res.take(2)?;
    let deliveries: Vec<DeliveryRow> = res.take(3)?;
    let units: Vec<UnitName> = res.take(4)?;
    let unit_name = |id: &crate::domain::UnitId| {
        units
            .iter()
            .find(|u| key_string(&u.id) == id.as_str())
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let robots = robots
        .into_iter()
        .map(|r| {
            let audience = r.audience()?;
            Ok(RobotView {
                id: key_string(&r.id),
                name: r.name.clone(),
                kind: r.kind()?,
                audience_name: match &audience {
                    Audience::Unit(u) => unit_name(u),
                    Audience::Office | Audience::Leaders => String::new(),
                },
                audience,
                url_masked: masked(&r.url),
                has_secret: r.secret.is_some(),
                enabled: r.enabled,
                version: u32::try_from(r.version)
                    .map_err(|_| corrupt("robot.version", r.version))?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let smtp = smtp
        .map(|s| {
            Ok::<_, AppError>(SmtpView {
                security: s.security()?,
                port: u16::try_from(s.port).map_err(|_| corrupt("smtp.port", s.port))?,
                host: s.host,
                username: s.username,
                has_password: s.password.is_some(),
                from: s.from,
            })
        })
        .transpose()?;
    let mail_recipients = recipients
        .into_iter()
        .map(|r| {
            let name = match r.unit_name {
                Some(unit) => format!("{unit} {}", r.display_name.unwrap_or_default()),
                None => r.display_name.unwrap_or_default(),
            };
            (name, r.email)
        })
        .collect();
    let deliveries = deliveries
        .into_iter()
        .map(|d| {
            Ok(DeliveryView {
                destination: d.to,
                status: DeliveryStatus::parse(&d.status)
                    .ok_or_else(|| corrupt("delivery.status", &d.status))?,
                channel: d.channel,
                title: d.title,
                attempts: u32::try_from(d.attempts).unwrap_or_default(),
                last_error: d.last_error,
                created_at: d.created_at,
                sent_at: d.sent_at,
                next_at: d.next_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ChannelsOverview {
        robots,
        smtp,
        mail_recipients,
        deliveries,
    })
}
