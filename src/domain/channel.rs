//! 消息通道: where notices go besides the in-app inbox — a unit's (or the office's, or the
//! leaders') work-group robot on 企业微信, 钉钉 or 飞书, and a person's e-mail. Which events a
//! channel forwards is the inbox's own rule ([`super::notice::notice_for`]), read as the
//! channel's audience; how often a robot may be called and when a failed message is tried again
//! are decided here.

use super::error::{Errors, FieldError, Problem};
use super::fields::text;
use super::ids::UnitId;
use super::notice::{EventFacts, NoticeKind, Reader, notice_for};
use super::unit::Email;
use super::workflow::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A group robot's platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum RobotKind {
    /// 企业微信 group robot: the key in the URL is the secret; no signature.
    #[serde(rename = "wecom")]
    WeCom,
    /// 钉钉 custom robot: the URL is signed (HMAC-SHA256 of timestamp and secret).
    #[serde(rename = "dingtalk")]
    DingTalk,
    /// 飞书 custom bot: the body carries a signature (HMAC-SHA256 keyed by timestamp and secret).
    Feishu,
}

impl RobotKind {
    pub const ALL: [Self; 3] = [Self::WeCom, Self::DingTalk, Self::Feishu];

    pub fn code(self) -> &'static str {
        match self {
            Self::WeCom => "wecom",
            Self::DingTalk => "dingtalk",
            Self::Feishu => "feishu",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the platform signs with a secret (钉钉 加签, 飞书 签名校验).
    pub fn signs(self) -> bool {
        self != Self::WeCom
    }
}

impl TryFrom<String> for RobotKind {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code).ok_or_else(|| format!("unknown robot kind `{code}`"))
    }
}

/// Whose messages a robot's group gets: read as that audience's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "unit", rename_all = "snake_case")]
pub enum Audience {
    /// The organization office (督办管理员).
    Office,
    /// The leaders (批示, 审定, 督办单 抄送).
    Leaders,
    /// A unit's group: what its head and its liaison are told.
    Unit(UnitId),
}

impl Audience {
    /// The form's value: `office`, `leaders`, or `unit:<id>`.
    pub fn code(&self) -> String {
        match self {
            Self::Office => "office".into(),
            Self::Leaders => "leaders".into(),
            Self::Unit(u) => format!("unit:{u}"),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "office" => Some(Self::Office),
            "leaders" => Some(Self::Leaders),
            other => other
                .strip_prefix("unit:")
                .and_then(UnitId::parse)
                .map(Self::Unit),
        }
    }

    /// What `event` tells this audience, if anything. A group is nobody in particular, so its
    /// members' own doings are news to the group too.
    pub fn notice(&self, event: &EventFacts) -> Option<NoticeKind> {
        let reader = |role, unit| Reader {
            role,
            unit,
            name: "",
            person: None,
        };
        match self {
            Self::Office => notice_for(reader(Role::Organizer, None), event),
            // The leaders' group has every 分管领导 in it.
            Self::Leaders => notice_for(
                Reader {
                    person: event.supervisor.as_ref(),
                    ..reader(Role::Leader, None)
                },
                event,
            ),
            Self::Unit(u) => notice_for(reader(Role::UnitHead, Some(u)), event)
                .or_else(|| notice_for(reader(Role::Liaison, Some(u)), event)),
        }
    }
}

/// Longest robot name, in characters.
pub const NAME_MAX: u32 = 40;
/// Longest webhook address or secret.
pub const URL_MAX: u32 = 500;
pub const SECRET_MAX: u32 = 200;

/// A webhook address: `http(s)://host/…`, no spaces. Kept server-side; shown [`masked`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let url = raw.trim();
        if url.is_empty() {
            return Err(Problem::Required);
        }
        if url.chars().count() > URL_MAX as usize {
            return Err(Problem::TooLong { max: URL_MAX });
        }
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or(Problem::BadFormat)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let fine = !host.is_empty()
            && !url.contains(char::is_whitespace)
            && !host.contains('@')
            && url.chars().all(|c| !c.is_control());
        if fine {
            Ok(Self(url.to_owned()))
        } else {
            Err(Problem::BadFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WebhookUrl {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).map_err(|_| "invalid webhook url".to_owned())
    }
}

impl From<WebhookUrl> for String {
    fn from(url: WebhookUrl) -> Self {
        url.0
    }
}

/// A secret as an admin may see it again: scheme and host, then only the last four characters
/// (`https://oapi.dingtalk.com/…a1b2`). Keys and tokens never reach a browser whole.
pub fn masked(secret: &str) -> String {
    let tail: String = {
        let chars: Vec<char> = secret.chars().collect();
        let keep = if chars.len() >= 12 { 4 } else { 0 };
        chars[chars.len() - keep..].iter().collect()
    };
    let head = secret
        .strip_prefix("https://")
        .map(|r| ("https://", r))
        .or_else(|| secret.strip_prefix("http://").map(|r| ("http://", r)))
        .map(|(scheme, rest)| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}{host}")
        })
        .unwrap_or_default();
    format!("{head}…{tail}")
}

/// A robot as the admin's form sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotForm {
    pub name: String,
    pub kind: String,
    pub audience: String,
    pub url: String,
    #[serde(default)]
    pub secret: String,
}

/// A robot, checked. The secret is required where the platform signs: an admin who set 加签
/// on the robot must give it, and one who did not should (it is what proves the message ours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotInput {
    pub name: String,
    pub kind: RobotKind,
    pub audience: Audience,
    pub url: WebhookUrl,
    pub secret: Option<String>,
}

impl RobotInput {
    pub fn parse(form: &RobotForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name =
            errors.take(text(&form.name, 1, NAME_MAX).map_err(|p| FieldError::new("name", p)));
        let kind = errors.take(
            RobotKind::parse(form.kind.trim())
                .ok_or_else(|| FieldError::new("platform", Problem::UnknownValue)),
        );
        let audience = errors.take(
            Audience::parse(&form.audience)
                .ok_or_else(|| FieldError::new("audience", Problem::UnknownValue)),
        );
        let url = errors.take(WebhookUrl::parse(&form.url).map_err(|p| FieldError::new("url", p)));
        let secret = form.secret.trim();
        let secret = match kind {
            Some(k) if k.signs() => errors
                .take(text(secret, 1, SECRET_MAX).map_err(|p| FieldError::new("secret", p)))
                .map(Some),
            _ if secret.is_empty() => Some(None),
            // 企业微信 signs nothing: a secret given for it is a mistake worth saying.
            _ => {
                errors.push(FieldError::new("secret", Problem::UnknownValue));
                None
            }
        };
        errors.finish(|| {
            Some(Self {
                name: name?,
                kind: kind?,
                audience: audience?,
                url: url?,
                secret: secret?,
            })
        })
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum SmtpSecurity {
    /// Implicit TLS (port 465).
    Tls,
    /// STARTTLS, required (port 587).
    #[serde(rename = "starttls")]
    StartTls,
    /// Plain text: only for a relay on the same host or network.
    None,
}

impl SmtpSecurity {
    pub const ALL: [Self; 3] = [Self::Tls, Self::StartTls, Self::None];

    pub fn code(self) -> &'static str {
        match self {
            Self::Tls => "tls",
            Self::StartTls => "starttls",
            Self::None => "none",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl TryFrom<String> for SmtpSecurity {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code).ok_or_else(|| format!("unknown smtp security `{code}`"))
    }
}

/// The mail server as the admin's form sent it. An empty password keeps the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpForm {
    pub host: String,
    pub port: String,
    pub security: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    pub from: String,
}

/// The mail server, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpInput {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// `None`: keep the stored password.
    pub password: Option<String>,
    pub from: Email,
}

impl SmtpInput {
    pub fn parse(form: &SmtpForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let host = errors.take(
            text(&form.host, 1, 253)
                .and_then(|h| {
                    let fine = h
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
                    if fine { Ok(h) } else { Err(Problem::BadFormat) }
                })
                .map_err(|p| FieldError::new("host", p)),
        );
        let port = errors.take(
            super::fields::whole_number(&form.port, 1, 65535)
                .and_then(|p| u16::try_from(p).map_err(|_| Problem::NotANumber))
                .map_err(|p| FieldError::new("port", p)),
        );
        let security = errors.take(
            SmtpSecurity::parse(form.security.trim())
                .ok_or_else(|| FieldError::new("security", Problem::UnknownValue)),
        );
        let username = match form.username.trim() {
            "" => Some(None),
            _ => errors
                .take(text(&form.username, 1, 120).map_err(|p| FieldError::new("username", p)))
                .map(Some),
        };
        let password = match form.password.as_str() {
            "" => Some(None),
            p if p.chars().count() > SECRET_MAX as usize => {
                errors.push(FieldError::new(
                    "password",
                    Problem::TooLong { max: SECRET_MAX },
                ));
                None
            }
            p => Some(Some(p.to_owned())),
        };
        let from = errors.take(Email::parse(&form.from).map_err(|p| FieldError::new("from", p)));
        errors.finish(|| {
            Some(Self {
                host: host?,
                port: port?,
                security: security?,
                username: username?,
                password: password?,
                from: from?,
            })
        })
    }
}

/// Messages one robot may be sent per minute: the platforms' own limit (20 for each of
/// 企业微信, 钉钉 and 飞书 custom robots; 飞书 allows more per second but the same order per
/// minute).
pub const ROBOT_PER_MINUTE: usize = 20;

/// Tries of one message before it is given up (失败).
pub const MAX_ATTEMPTS: u32 = 6;

/// How long to wait before the next try, after `attempts` failed tries; `None`: give up.
/// 30 s, 2 min, 10 min, 30 min, 2 h — a platform's hiccup passes, a wrong key is not hammered.
pub fn retry_after(attempts: u32) -> Option<chrono::Duration> {
    let seconds = match attempts {
        0 => 0,
        1 => 30,
        2 => 120,
        3 => 600,
        4 => 1800,
        5 => 7200,
        _ => return None,
    };
    Some(chrono::Duration::seconds(seconds))
}

/// A message's state in the delivery log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum DeliveryStatus {
    /// Waiting for its turn (first try, or a retry after a failure).
    Pending,
    Sent,
    /// Given up after [`MAX_ATTEMPTS`] tries, or refused for good.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Sent, Self::Failed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl TryFrom<String> for DeliveryStatus {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code).ok_or_else(|| format!("unknown delivery status `{code}`"))
    }
}

/// A robot as the admin's page shows it: the address masked, the secret only as "set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotView {
    pub id: String,
    pub name: String,
    pub kind: RobotKind,
    pub audience: Audience,
    pub audience_name: String,
    pub url_masked: String,
    pub has_secret: bool,
    pub enabled: bool,
    pub version: u32,
}

/// The mail server as the admin's page shows it (the password only as "set").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpView {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub has_password: bool,
    pub from: String,
}

/// One line of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// The robot's name, or the recipient's address.
    pub destination: String,
    /// `wecom`, `dingtalk`, `feishu` or `email`.
    pub channel: String,
    pub title: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub next_at: Option<DateTime<Utc>>,
}

/// A person's own choice: notices to their e-mail too, or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPreference {
    pub email: Option<String>,
    pub enabled: bool,
    /// Whether the admin has set up a mail server (without one nothing is sent).
    pub server_ready: bool,
}

/// The admin's page: robots, the mail server, who receives e-mail, the latest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelsOverview {
    pub robots: Vec<RobotView>,
    pub smtp: Option<SmtpView>,
    /// Accounts that chose e-mail: (name as the trail gives it, address).
    pub mail_recipients: Vec<(String, String)>,
    pub deliveries: Vec<DeliveryView>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn form(kind: &str, url: &str, secret: &str) -> RobotForm {
        RobotForm {
            name: "葵涌街道工作群".into(),
            kind: kind.into(),
            audience: "unit:ky".into(),
            url: url.into(),
            secret: secret.into(),
        }
    }

    #[test]
    fn a_robot_is_checked_field_by_field() {
        let ok = RobotInput::parse(&form(
            "dingtalk",
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "SEC123",
        ))
        .unwrap();
        assert_eq!(ok.kind, RobotKind::DingTalk);
        assert_eq!(ok.audience, Audience::Unit(UnitId::parse("ky").unwrap()));
        assert_eq!(ok.secret.as_deref(), Some("SEC123"));

        let fields = |f: RobotForm| -> Vec<(String, Problem)> {
            RobotInput::parse(&f)
                .unwrap_err()
                .into_iter()
                .map(|e| (e.field, e.problem))
                .collect()
        };
        // 钉钉 and 飞书 sign: the secret is required.
        assert_eq!(
            fields(form(
                "feishu",
                "https://open.feishu.cn/open-apis/bot/v2/hook/x",
                " "
            )),
            vec![("secret".into(), Problem::Required)]
        );
        // 企业微信 does not: a secret there is a mistake.
        assert_eq!(
            fields(form(
                "wecom",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                "s"
            )),
            vec![("secret".into(), Problem::UnknownValue)]
        );
        assert_eq!(
            fields(form("wecom", "ftp://example.com/x", "")),
            vec![("url".into(), Problem::BadFormat)]
        );
        assert_eq!(
            fields(form("wecom", "https://a b.com/x", "")),
            vec![("url".into(), Problem::BadFormat)]
        );
        assert_eq!(
            fields(form("wecom", "https://user@evil.example/x", "")),
            vec![("url".into(), Problem::BadFormat)]
        );
        assert_eq!(
            fields(RobotForm {
                name: String::new(),
                kind: "slack".into(),
                audience: "everyone".into(),
                url: String::new(),
                secret: String::new(),
            }),
            vec![
                ("name".into(), Problem::Required),
                ("platform".into(), Problem::UnknownValue),
                ("audience".into(), Problem::UnknownValue),
                ("url".into(), Problem::Required),
            ]
        );
    }

    /// What the admin's page receives reads back as it was sent (codes are the forms' values).
    #[test]
    fn codes_round_trip_through_json() {
        for kind in RobotKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
            assert_eq!(serde_json::from_str::<RobotKind>(&json).unwrap(), kind);
        }
        for s in SmtpSecurity::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.code()));
            assert_eq!(serde_json::from_str::<SmtpSecurity>(&json).unwrap(), s);
        }
        for s in DeliveryStatus::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<DeliveryStatus>(&json).unwrap(), s);
        }
        for a in [
            Audience::Office,
            Audience::Leaders,
            Audience::Unit(UnitId::parse("kysd").unwrap()),
        ] {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Audience>(&json).unwrap(), a);
        }
    }

    #[test]
    fn secrets_are_shown_masked() {
        assert_eq!(
            masked(
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
            ),
            "https://qyapi.weixin.qq.com…5aaa"
        );
        // Short secrets show nothing of themselves.
        assert_eq!(masked("SECabc"), "…");
        assert_eq!(masked("SEC0123456789abcdef"), "…cdef");
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let waits: Vec<i64> = (1..MAX_ATTEMPTS)
            .map(|n| retry_after(n).unwrap().num_seconds())
            .collect();
        assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
    }

    #[test]
    fn a_unit_group_hears_what_its_head_or_liaison_would() {
        let unit = UnitId::parse("ky").unwrap();
        let event = |action: &str, part: Option<&str>| EventFacts {
            action: action.into(),
            actor: "组织科 王芳".into(),
            before_status: None,
            after_status: None,
            claim_unit: None,
            part: part.map(str::to_owned),
            lead: Some(unit.clone()),
            co: vec![],
            supervisor: Some(crate::domain::PersonId::parse("p-lin").unwrap()),
        };
        let group = Audience::Unit(unit.clone());
        assert_eq!(
            group.notice(&event("supervise", Some("yellow"))),
            Some(NoticeKind::Supervised)
        );
        assert_eq!(
            group.notice(&event("reminder", None)),
            Some(NoticeKind::Reminder)
        );
        // Another unit's group hears nothing of it.
        let other = Audience::Unit(UnitId::parse("na").unwrap());
        assert_eq!(other.notice(&event("supervise", Some("yellow"))), None);
        // Leaders get the 督办单 (抄送), not the 催办.
        assert_eq!(
            Audience::Leaders.notice(&event("supervise", Some("red"))),
            Some(NoticeKind::Supervised)
        );
        assert_eq!(
            Audience::Leaders.notice(&event("supervise", Some("urge"))),
            None
        );
        assert_eq!(
            Audience::Office.notice(&event("supervise_answered", None)),
            Some(NoticeKind::SupervisionAnswered)
        );
    }

    #[test]
    fn the_mail_server_form_is_checked() {
        let ok = SmtpInput::parse(&SmtpForm {
            host: "smtp.example.gov.cn".into(),
            port: "465".into(),
            security: "tls".into(),
            username: "notice".into(),
            password: String::new(),
            from: "notice@example.gov.cn".into(),
        })
        .unwrap();
        assert_eq!(ok.port, 465);
        assert_eq!(ok.password, None);
        let err = SmtpInput::parse(&SmtpForm {
            host: "smtp example".into(),
            port: "70000".into(),
            security: "ssl".into(),
            username: String::new(),
            password: String::new(),
            from: "notice".into(),
        })
        .unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["host", "port", "security", "from"]);
    }
}
