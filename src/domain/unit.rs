//! Organization units (单位/科室/街道党建办) and people.

use super::error::{Errors, FieldError, ParseError, Problem, for_serde};
use super::fields::text;
use super::ids::{PersonId, UnitId};
use serde::{Deserialize, Serialize};

/// What kind of unit this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
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

    /// The kind a unit's name suggests: a 街道 office, a 科 (section), or another unit. Used
    /// for units created from an imported list (their kind can be corrected on 单位与人员).
    pub fn guess(name: &str) -> Self {
        if name.contains("街道") {
            UnitKind::Street
        } else if name.ends_with('科') {
            UnitKind::Section
        } else {
            UnitKind::Other
        }
    }

    /// Parses a code name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl TryFrom<String> for UnitKind {
    type Error = ParseError;
    fn try_from(code: String) -> Result<Self, ParseError> {
        for_serde("kind", Self::parse(&code).ok_or(Problem::UnknownValue))
    }
}

/// Longest unit name, in characters.
pub const UNIT_NAME_MAX: u32 = 60;
/// Longest person name, in characters.
pub const PERSON_NAME_MAX: u32 = 30;

/// A unit name: 1–60 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitName(String);

impl UnitName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        text(raw, 1, UNIT_NAME_MAX).map(Self)
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
    /// Its liaison's progress reports go straight through, without the head's review.
    #[serde(default)]
    pub reports_direct: bool,
}

/// A person's name: 1–30 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        text(raw, 1, PERSON_NAME_MAX).map(Self)
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
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let phone = raw.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '));
        if allowed && (5..=20).contains(&digits) {
            Ok(Self(phone.to_owned()))
        } else {
            Err(Problem::BadFormat)
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
    pub fn parse(raw: &str) -> Result<Self, Problem> {
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
            Err(Problem::BadFormat)
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

/// A unit as a form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitForm {
    pub name: String,
    /// A [`UnitKind`] code.
    pub kind: String,
    /// Parent unit id, or empty.
    #[serde(default)]
    pub parent: String,
}

/// A unit, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInput {
    pub name: UnitName,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub active: bool,
}

impl UnitInput {
    /// Checks every field.
    pub fn parse(form: &UnitForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = errors.take(UnitName::parse(&form.name).map_err(|p| FieldError::new("name", p)));
        let kind = errors.take(
            UnitKind::parse(form.kind.trim())
                .ok_or_else(|| FieldError::new("kind", Problem::UnknownValue)),
        );
        let parent = errors
            .take(super::fields::optional_id(
                "parent",
                &form.parent,
                UnitId::parse,
            ))
            .flatten();
        errors.finish(|| {
            Some(Self {
                name: name?,
                kind: kind?,
                parent,
                active: true,
            })
        })
    }
}

/// A person as a form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub name: String,
    /// Unit id.
    pub unit: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// A person, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    pub name: PersonName,
    pub unit: UnitId,
    pub post: String,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
}

impl PersonInput {
    /// Checks every field; empty phone and e-mail are allowed.
    pub fn parse(form: &PersonForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let at = |f: &'static str| move |p: Problem| FieldError::new(f, p);
        let name = errors.take(PersonName::parse(&form.name).map_err(at("name")));
        let unit = errors.take(UnitId::parse(form.unit.trim()).ok_or_else(|| {
            let p = if form.unit.trim().is_empty() {
                Problem::Required
            } else {
                Problem::BadFormat
            };
            FieldError::new("unit", p)
        }));
        let post =
            errors.take(text(&form.post, 0, super::task::POST_MAX_CHARS).map_err(at("post")));
        let phone = match form.phone.trim() {
            "" => None,
            raw => errors.take(Phone::parse(raw).map_err(at("phone"))),
        };
        let email = match form.email.trim() {
            "" => None,
            raw => errors.take(Email::parse(raw).map_err(at("email"))),
        };
        errors.finish(|| {
            Some(Self {
                name: name?,
                unit: unit?,
                post: post?,
                phone,
                email,
            })
        })
    }
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
    fn person_form_reports_every_problem() {
        let form = PersonForm {
            name: "".into(),
            unit: "组织科".into(),
            post: "科长".into(),
            phone: "call me".into(),
            email: "not-an-email".into(),
        };
        assert_eq!(
            PersonInput::parse(&form),
            Err(vec![
                FieldError::new("name", Problem::Required),
                FieldError::new("unit", Problem::BadFormat),
                FieldError::new("phone", Problem::BadFormat),
                FieldError::new("email", Problem::BadFormat),
            ])
        );
        let ok = PersonForm {
            name: "张丽".into(),
            unit: "zzk".into(),
            ..Default::default()
        };
        assert!(PersonInput::parse(&ok).is_ok());
    }

    #[test]
    fn unit_form() {
        let bad = UnitForm {
            name: " ".into(),
            kind: "bureau".into(),
            parent: String::new(),
        };
        assert_eq!(
            UnitInput::parse(&bad),
            Err(vec![
                FieldError::new("name", Problem::Required),
                FieldError::new("kind", Problem::UnknownValue),
            ])
        );
    }

    #[test]
    fn emails() {
        assert!(Email::parse("xu@dapeng.gov.cn").is_ok());
        for bad in ["xu", "@x.cn", "xu@cn", "xu@@x.cn", "x u@x.cn", "xu@x..cn"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
