//! Accounts and sign-in: the shapes that may reach the browser. Password hashes and session
//! tokens never appear here; they stay in `server::auth`.

use super::error::{Errors, FieldError, Problem};
use super::fields::{optional_id, text};
use super::ids::{AccountId, PersonId, UnitId};
use super::workflow::{Actor, Role};
use serde::{Deserialize, Serialize};

/// A sign-in name: 3–32 characters of lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Lower-cases, trims and checks.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let name = raw.trim().to_lowercase();
        let ok = (3..=32).contains(&name.len())
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            });
        if ok {
            Ok(Self(name))
        } else {
            Err(Problem::BadFormat)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password: 8–128 characters, not all the same kind (letters and digits at least).
pub fn check_new_password(password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    let problem = if chars < 8 {
        Some(Problem::TooShort { min: 8 })
    } else if chars > 128 {
        Some(Problem::TooLong { max: 128 })
    } else {
        let letters = password.chars().any(char::is_alphabetic);
        let digits = password.chars().any(|c| c.is_ascii_digit());
        (!(letters && digits)).then_some(Problem::WeakPassword)
    };
    problem.map_or(Ok(()), |p| Err(FieldError::new("password", p)))
}

/// Longest display name, in characters.
pub const DISPLAY_NAME_MAX: u32 = 30;

/// An account as the admin's form delivers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountForm {
    pub username: String,
    pub display_name: String,
    /// A [`Role`] code.
    pub role: String,
    /// Unit id, or empty.
    #[serde(default)]
    pub unit: String,
    /// The person (单位与人员) this account is, or empty: a leader's account linked to its
    /// person is told of the 督办单 on the tasks it is 分管领导 of.
    #[serde(default)]
    pub person: String,
}

/// An account's name, role and unit, checked: unit roles need a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInput {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<UnitId>,
    pub person: Option<PersonId>,
}

impl AccountInput {
    /// Checks every field and reports every problem.
    pub fn parse(form: &AccountForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let username = errors
            .take(Username::parse(&form.username).map_err(|p| FieldError::new("username", p)));
        let display_name = errors.take(
            text(&form.display_name, 1, DISPLAY_NAME_MAX)
                .map_err(|p| FieldError::new("display_name", p)),
        );
        let role = errors.take(
            Role::parse(form.role.trim())
                .ok_or_else(|| FieldError::new("role", Problem::UnknownValue)),
        );
        let unit = errors
            .take(optional_id("unit", &form.unit, UnitId::parse))
            .flatten();
        let person = errors
            .take(optional_id("person", &form.person, PersonId::parse))
            .flatten();
        if role.is_some_and(Role::acts_for_unit) && unit.is_none() && errors.is_empty() {
            errors.push(FieldError::new("unit", Problem::UnitRequired));
        }
        errors.finish(|| {
            Some(Self {
                username: username?,
                display_name: display_name?,
                role: role?,
                unit,
                person,
            })
        })
    }
}

/// The signed-in user, as pages and server functions see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The unit a unit head or liaison acts for.
    pub unit: Option<UnitId>,
    pub unit_name: Option<String>,
    /// The person this account is, if linked.
    #[serde(default)]
    pub person: Option<PersonId>,
}

impl CurrentUser {
    /// The actor this user is when changing things (recorded in the audit trail).
    pub fn actor(&self) -> Actor {
        let name = match &self.unit_name {
            Some(unit) => format!("{unit} {}", self.display_name),
            None => self.display_name.clone(),
        };
        Actor {
            name,
            role: self.role,
            unit: self.unit.clone(),
        }
    }
}

/// An account as the admin pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<UnitId>,
    pub unit_name: Option<String>,
    #[serde(default)]
    pub person: Option<PersonId>,
    pub active: bool,
    pub version: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" WangFang ").map(|u| u.as_str().to_owned()),
            Ok("wangfang".into())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("wang fang").is_err());
        assert!(Username::parse("王芳").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_new_password("jiebang2022").is_ok());
        let problem = |p: &str| check_new_password(p).map_err(|e| e.problem);
        assert_eq!(problem("short1"), Err(Problem::TooShort { min: 8 }));
        assert_eq!(problem("onlyletters"), Err(Problem::WeakPassword));
        assert_eq!(problem("1234567890"), Err(Problem::WeakPassword));
    }

    #[test]
    fn account_form() {
        let form = |role: &str, unit: &str| AccountForm {
            username: "liuqiang".into(),
            display_name: "刘强".into(),
            role: role.into(),
            unit: unit.into(),
            person: String::new(),
        };
        assert!(AccountInput::parse(&form("unit_head", "kysd")).is_ok());
        assert!(AccountInput::parse(&form("viewer", "")).is_ok());
        assert_eq!(
            AccountInput::parse(&form("liaison", "")),
            Err(vec![FieldError::new("unit", Problem::UnitRequired)])
        );
        assert_eq!(
            AccountInput::parse(&form("boss", "")),
            Err(vec![FieldError::new("role", Problem::UnknownValue)])
        );
    }

    #[test]
    fn serialized_users_carry_no_secrets() {
        let user = CurrentUser {
            id: AccountId::parse("a1").expect("id"),
            username: "wangfang".into(),
            display_name: "王芳".into(),
            role: Role::Organizer,
            unit: None,
            unit_name: None,
            person: None,
        };
        let json = serde_json::to_string(&user).expect("json");
        for secret in ["password", "hash", "token", "session", "argon"] {
            assert!(!json.to_lowercase().contains(secret), "{json}");
        }
        let summary = AccountSummary {
            id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            unit: None,
            unit_name: None,
            person: None,
            active: true,
            version: 1,
        };
        let json = serde_json::to_string(&summary).expect("json");
        for secret in ["password", "hash", "token", "session", "argon"] {
            assert!(!json.to_lowercase().contains(secret), "{json}");
        }
    }
}
