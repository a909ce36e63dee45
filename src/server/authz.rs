//! Authorization: the one place that says who may do what. Every server function asks
//! [`authorize`] before acting; hiding buttons in the UI is only a courtesy on top.

use crate::domain::{CurrentUser, Role, UnitId};
use crate::error::AppError;

/// Everything a server function can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Sign in, or ask who is signed in: the only things allowed without a session.
    Public,
    /// Sign out, see oneself.
    UseSession,
    /// Read plans, boards, tasks, reports, units and people.
    Read,
    /// Manage units and people (组织人事局).
    ManageOrganization,
    /// Manage accounts (系统管理员).
    ManageAccounts,
    /// Move a task through its workflow (the domain decides which moves per role).
    ChangeTaskStatus,
    /// File a progress report.
    ReportProgress,
}

/// What an action is applied to, where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Nothing unit-specific.
    Any,
    /// A task: its lead unit (`None` while unclaimed).
    Task { lead_unit: Option<&'a UnitId> },
}

/// Every server function's endpoint and the action it performs. A test checks that every
/// registered server function is listed here, so none can be added without a policy.
pub const SERVER_FUNCTIONS: &[(&str, Action)] = &[
    ("/api/sign_in", Action::Public),
    ("/api/sign_out", Action::UseSession),
    ("/api/sign_out_everywhere", Action::UseSession),
    ("/api/get_current_user", Action::Public),
    ("/api/get_board", Action::Read),
    ("/api/get_task", Action::Read),
    ("/api/list_units", Action::Read),
    ("/api/list_people", Action::Read),
    ("/api/create_unit", Action::ManageOrganization),
    ("/api/create_person", Action::ManageOrganization),
    ("/api/list_accounts", Action::ManageAccounts),
    ("/api/create_account", Action::ManageAccounts),
    ("/api/update_account", Action::ManageAccounts),
    ("/api/reset_password", Action::ManageAccounts),
    ("/api/change_task_status", Action::ChangeTaskStatus),
    ("/api/add_report", Action::ReportProgress),
];

/// May `user` do `action` on `scope`? `Unauthorized` without a session, `Forbidden` otherwise.
pub fn authorize(
    user: Option<&CurrentUser>,
    action: Action,
    scope: Scope<'_>,
) -> Result<(), AppError> {
    if action == Action::Public {
        return Ok(());
    }
    let user = user.ok_or(AppError::Unauthorized)?;
    let own_unit = |lead: Option<&UnitId>| match lead {
        // An unclaimed task may be claimed by any unit.
        None => true,
        Some(lead) => user.unit.as_ref() == Some(lead),
    };
    let allowed = match action {
        Action::Public | Action::UseSession | Action::Read => true,
        Action::ManageOrganization => user.role == Role::Organizer,
        Action::ManageAccounts => user.role == Role::Admin,
        Action::ChangeTaskStatus | Action::ReportProgress => match (user.role, scope) {
            (Role::Organizer, _) => true,
            (Role::UnitHead | Role::Liaison, Scope::Task { lead_unit }) => own_unit(lead_unit),
            _ => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user of the current request, if any (put there by the session middleware).
pub fn current_user() -> Option<CurrentUser> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedIn>().cloned())
        .and_then(|s| s.0)
}

/// Request extension holding the session's user.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Option<CurrentUser>);

/// Authorizes the current request's user and returns them.
pub fn require(action: Action, scope: Scope<'_>) -> Result<CurrentUser, AppError> {
    let user = current_user();
    authorize(user.as_ref(), action, scope)?;
    user.ok_or(AppError::Unauthorized)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountId;

    fn user(role: Role, unit: Option<&str>) -> CurrentUser {
        CurrentUser {
            id: AccountId::parse("a").expect("id"),
            username: "u".into(),
            display_name: "u".into(),
            role,
            unit: unit.and_then(UnitId::parse),
            unit_name: None,
        }
    }

    /// The authorization matrix: every server function × every role (plus no session, and a
    /// foreign unit for unit-scoped actions), against the expected answer.
    #[test]
    fn matrix() {
        let kuichong = UnitId::parse("kysd").expect("id");
        let nanao = UnitId::parse("nasd").expect("id");
        for (endpoint, action) in SERVER_FUNCTIONS {
            // Not signed in: only sign-in is allowed.
            let anonymous = authorize(None, *action, Scope::Any);
            if *action == Action::Public {
                assert_eq!(anonymous, Ok(()), "{endpoint}");
            } else {
                assert_eq!(anonymous, Err(AppError::Unauthorized), "{endpoint}");
            }
            for role in Role::ALL {
                let own = user(role, Some("kysd"));
                let own_task = Scope::Task {
                    lead_unit: Some(&kuichong),
                };
                let foreign_task = Scope::Task {
                    lead_unit: Some(&nanao),
                };
                let open_task = Scope::Task { lead_unit: None };
                let expected_own = match action {
                    Action::Public | Action::UseSession | Action::Read => true,
                    Action::ManageOrganization => role == Role::Organizer,
                    Action::ManageAccounts => role == Role::Admin,
                    Action::ChangeTaskStatus | Action::ReportProgress => {
                        matches!(role, Role::Organizer | Role::UnitHead | Role::Liaison)
                    }
                };
                let expected_foreign = match action {
                    Action::ChangeTaskStatus | Action::ReportProgress => role == Role::Organizer,
                    _ => expected_own,
                };
                let answer = |allowed: bool| {
                    if allowed {
                        Ok(())
                    } else {
                        Err(AppError::Forbidden)
                    }
                };
                assert_eq!(
                    authorize(Some(&own), *action, own_task),
                    answer(expected_own),
                    "{endpoint} {role:?} own unit"
                );
                assert_eq!(
                    authorize(Some(&own), *action, foreign_task),
                    answer(expected_foreign),
                    "{endpoint} {role:?} foreign unit"
                );
                assert_eq!(
                    authorize(Some(&own), *action, open_task),
                    answer(expected_own),
                    "{endpoint} {role:?} open task"
                );
            }
        }
    }

    #[test]
    fn endpoints_are_listed_once() {
        let mut paths: Vec<&str> = SERVER_FUNCTIONS.iter().map(|(p, _)| *p).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len());
    }
}
