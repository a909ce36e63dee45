//! Accounts and sign-in: the shapes that may reach the browser. Password hashes and session
//! tokens never appear here; they stay in `server::auth`.

use super::ids::{AccountId, UnitId};
use super::workflow::{Actor, Role};
use serde::{Deserialize, Serialize};

/// A sign-in name: 3–32 characters of lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Lower-cases, trims and checks.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim().to_lowercase();
        let ok = (3..=32).contains(&name.len())
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            });
        if ok {
            Ok(Self(name))
        } else {
            Err("用户名须为 3–32 位小写字母、数字或 . _ -".to_owned())
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password: 8–128 characters, not all the same kind (letters and digits at least).
pub fn check_new_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if !(8..=128).contains(&chars) {
        return Err("密码须为 8–128 个字符".to_owned());
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err("密码须同时包含字母和数字".to_owned());
    }
    Ok(())
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
        assert!(check_new_password("short1").is_err());
        assert!(check_new_password("onlyletters").is_err());
        assert!(check_new_password("1234567890").is_err());
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
            active: true,
            version: 1,
        };
        let json = serde_json::to_string(&summary).expect("json");
        for secret in ["password", "hash", "token", "session", "argon"] {
            assert!(!json.to_lowercase().contains(secret), "{json}");
        }
    }
}
