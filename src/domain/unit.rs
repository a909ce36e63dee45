//! Organization units (单位/科室/街道党建办) and people.

use super::ids::{PersonId, UnitId};
use serde::{Deserialize, Serialize};

/// What kind of unit this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The organizing office (e.g. 新区组织人事局).
    Office,
    /// A business section of the office (科室).
    Section,
    /// A street office's party-building office (街道党建办).
    Street,
    /// Anything else (机关工委, 党群服务中心 …).
    Other,
}

impl UnitKind {
    /// Every kind.
    pub const ALL: [UnitKind; 4] = [
        UnitKind::Office,
        UnitKind::Section,
        UnitKind::Street,
        UnitKind::Other,
    ];

    /// Code name.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Office => "office",
            UnitKind::Section => "section",
            UnitKind::Street => "street",
            UnitKind::Other => "other",
        }
    }

    /// Parses a code name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The label users read.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Office => "机关",
            UnitKind::Section => "科室",
            UnitKind::Street => "街道党建办",
            UnitKind::Other => "其他单位",
        }
    }
}

/// Checks a short name: trimmed, 1 to `max` characters.
pub(crate) fn short_text(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(format!("{what}不能为空"));
    }
    if text.chars().count() > max {
        return Err(format!("{what}最多 {max} 个字"));
    }
    Ok(text.to_owned())
}

/// A unit name: 1–60 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitName(String);

impl UnitName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, String> {
        short_text(raw, "单位名称", 60).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub active: bool,
    pub version: u32,
}

/// A person's name: 1–30 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, String> {
        short_text(raw, "姓名", 30).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: digits with optional `+`, `-` and spaces; 5–20 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Checks the characters and the number of digits.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let phone = raw.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '));
        if allowed && (5..=20).contains(&digits) {
            Ok(Self(phone.to_owned()))
        } else {
            Err(format!("电话号码格式不正确:{phone}"))
        }
    }

    /// The number as entered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only (one `@`, a dot in the domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Checks the shape.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim();
        let ok = email.len() <= 120
            && !email.contains(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|p| !p.is_empty())
            });
        if ok {
            Ok(Self(email.to_owned()))
        } else {
            Err(format!("电子邮箱格式不正确:{email}"))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person (责任人, 联络员, 分管领导 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub unit: UnitId,
    pub unit_name: String,
    /// 岗位.
    pub post: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub version: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_kinds_round_trip() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.code()), Some(k));
        }
        assert_eq!(UnitKind::parse("bureau"), None);
    }

    #[test]
    fn names() {
        assert_eq!(
            UnitName::parse(" 组织科 ").map(|n| n.as_str().to_owned()),
            Ok("组织科".into())
        );
        assert!(UnitName::parse("  ").is_err());
        assert!(UnitName::parse(&"科".repeat(61)).is_err());
        assert!(PersonName::parse("张丽").is_ok());
        assert!(PersonName::parse("").is_err());
    }

    #[test]
    fn phones() {
        assert!(Phone::parse("0755-84333333").is_ok());
        assert!(Phone::parse("+86 138 0000 0000").is_ok());
        assert!(Phone::parse("1234").is_err());
        assert!(Phone::parse("call me").is_err());
    }

    #[test]
    fn emails() {
        assert!(Email::parse("xu@dapeng.gov.cn").is_ok());
        for bad in ["xu", "@x.cn", "xu@cn", "xu@@x.cn", "x u@x.cn", "xu@x..cn"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
