//! The server side of authorization: which capability each server function needs, checked at
//! the door by the router for every `/api/` call (before its arguments are even read), and the
//! request's signed-in user. The rules themselves are `domain::policy`'s.

use crate::domain::policy::{self, Capability, Denied};
use crate::domain::{Actor, CurrentUser};
use crate::error::AppError;

/// Every server function's endpoint and the capability it needs. The router refuses an
/// `/api/` path that is not listed here, and a test checks that every registered server
/// function is, so none can be added without a policy.
pub const SERVER_FUNCTIONS: &[(&str, Capability)] = &[
    ("/api/sign_in", Capability::Public),
    ("/api/get_current_user", Capability::Public),
    ("/api/sign_out", Capability::UseSession),
    ("/api/sign_out_everywhere", Capability::UseSession),
    ("/api/get_board", Capability::Read),
    ("/api/get_board_trend", Capability::Read),
    ("/api/get_ranking", Capability::Read),
    ("/api/save_rubric", Capability::ManagePlans),
    ("/api/get_assessment", Capability::Read),
    // Which step by whom is checked per task (自评 by the lead unit's head, 点评 by the
    // office, 考核 by a leader).
    ("/api/self_assess", Capability::Read),
    ("/api/review_assessment", Capability::Read),
    ("/api/confirm_assessment", Capability::Read),
    // Which items a unit sees is checked by the function (its own only).
    ("/api/get_findings", Capability::Read),
    ("/api/get_finding", Capability::Read),
    ("/api/add_finding", Capability::ManageFindings),
    ("/api/decide_finding", Capability::ManageFindings),
    // Units see no other unit's figures: checked by the function (office, leaders, observers).
    ("/api/get_quarter_pack", Capability::Read),
    ("/api/get_points", Capability::Read),
    ("/api/propose_points", Capability::ManageFindings),
    // The office and leaders pass the door; only a leader decides (checked by the function).
    ("/api/decide_points", Capability::DecideRequests),
    ("/api/get_duties", Capability::Read),
    ("/api/add_duty", Capability::ManageFindings),
    // Only the unit's head files its 述责: checked by the function.
    ("/api/file_statement", Capability::WorkOnTasks),
    ("/api/review_statement", Capability::ManageFindings),
    ("/api/get_displays", Capability::ManagePlans),
    ("/api/create_display", Capability::ManagePlans),
    ("/api/revoke_display", Capability::ManagePlans),
    // The display link is the key: checked by the function itself.
    ("/api/get_wall", Capability::Public),
    ("/api/list_meetings", Capability::Read),
    ("/api/get_meeting", Capability::Read),
    ("/api/create_meeting", Capability::ManagePlans),
    ("/api/advance_meeting", Capability::ManagePlans),
    ("/api/present_meeting_task", Capability::ManagePlans),
    ("/api/edit_agenda", Capability::ManagePlans),
    ("/api/record_meeting_task", Capability::ManagePlans),
    ("/api/add_action_item", Capability::ManagePlans),
    ("/api/answer_action_item", Capability::WorkOnTasks),
    ("/api/close_action_item", Capability::ManagePlans),
    ("/api/save_minutes", Capability::ManagePlans),
    ("/api/publish_minutes", Capability::ManagePlans),
    ("/api/list_plans", Capability::ManagePlans),
    ("/api/create_plan", Capability::ManagePlans),
    ("/api/publish_plan", Capability::ManagePlans),
    ("/api/get_import_attempt", Capability::ManagePlans),
    ("/api/get_plan_ledger", Capability::ManagePlans),
    ("/api/add_task", Capability::ManagePlans),
    ("/api/edit_task", Capability::ManagePlans),
    ("/api/delete_task", Capability::ManagePlans),
    ("/api/renumber_tasks", Capability::ManagePlans),
    ("/api/get_task_form", Capability::ManagePlans),
    ("/api/get_task", Capability::Read),
    ("/api/list_units", Capability::Read),
    ("/api/list_people", Capability::Read),
    ("/api/create_unit", Capability::ManageOrganization),
    ("/api/create_person", Capability::ManageOrganization),
    ("/api/list_accounts", Capability::ManageAccounts),
    ("/api/create_account", Capability::ManageAccounts),
    ("/api/update_account", Capability::ManageAccounts),
    ("/api/reset_password", Capability::ManageAccounts),
    ("/api/change_task_status", Capability::WorkOnTasks),
    ("/api/add_report", Capability::WorkOnTasks),
    ("/api/approve_report", Capability::WorkOnTasks),
    ("/api/review_acceptance", Capability::WorkOnTasks),
    ("/api/submit_for_acceptance", Capability::WorkOnTasks),
    ("/api/sign_off_acceptance", Capability::DecideRequests),
    ("/api/return_report", Capability::WorkOnTasks),
    ("/api/get_task_claims", Capability::Read),
    ("/api/claim_task", Capability::WorkOnTasks),
    ("/api/withdraw_claim", Capability::WorkOnTasks),
    ("/api/confirm_claim", Capability::WorkOnTasks),
    ("/api/decline_claim", Capability::WorkOnTasks),
    ("/api/request_extension", Capability::WorkOnTasks),
    ("/api/request_cancellation", Capability::WorkOnTasks),
    ("/api/request_adjustment", Capability::WorkOnTasks),
    ("/api/approve_request", Capability::DecideRequests),
    ("/api/reject_request", Capability::DecideRequests),
    ("/api/add_comment", Capability::Discuss),
    ("/api/supervise_task", Capability::WorkOnTasks),
    ("/api/answer_supervision", Capability::WorkOnTasks),
    ("/api/get_notice_sheet", Capability::Read),
    ("/api/get_bulletin", Capability::Read),
    ("/api/set_reports_direct", Capability::WorkOnTasks),
    ("/api/get_workbench", Capability::Read),
    ("/api/get_inbox", Capability::UseSession),
    ("/api/count_unread", Capability::UseSession),
    ("/api/open_notice", Capability::UseSession),
    ("/api/mark_all_notices_read", Capability::UseSession),
    ("/api/get_channels", Capability::ManageSystem),
    ("/api/get_calendars", Capability::ManageSystem),
    ("/api/save_calendar", Capability::ManageSystem),
    ("/api/create_robot", Capability::ManageSystem),
    ("/api/switch_robot", Capability::ManageSystem),
    ("/api/delete_robot", Capability::ManageSystem),
    ("/api/test_robot", Capability::ManageSystem),
    ("/api/save_smtp", Capability::ManageSystem),
    ("/api/test_mail", Capability::ManageSystem),
    ("/api/get_mail_preference", Capability::UseSession),
    ("/api/set_mail_preference", Capability::UseSession),
];

/// The capability an endpoint needs; `None` for paths that are not server functions.
pub fn capability_of(path: &str) -> Option<Capability> {
    SERVER_FUNCTIONS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, c)| *c)
}

fn denied(d: Denied) -> AppError {
    match d {
        Denied::NotSignedIn => AppError::Unauthorized,
        Denied::Forbidden => AppError::Forbidden,
    }
}

/// The door check for a server function call: 404 for unknown endpoints, then the policy.
pub fn check_endpoint(path: &str, user: Option<&CurrentUser>) -> Result<(), AppError> {
    let capability = capability_of(path).ok_or(AppError::NotFound(crate::domain::Entity::Page))?;
    policy::authorize(user.map(|u| u.role), capability).map_err(denied)
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

/// The current request's user, if the policy lets them use `capability`. (The router already
/// checked this at the door; asking again keeps a server function safe wherever it is called.)
pub fn require(capability: Capability) -> Result<CurrentUser, AppError> {
    let user = current_user();
    policy::authorize(user.as_ref().map(|u| u.role), capability).map_err(denied)?;
    user.ok_or(AppError::Unauthorized)
}

/// The same check for an actor of a repository call (the seed, the CLI, tests).
pub fn require_actor(actor: &Actor, capability: Capability) -> Result<(), AppError> {
    policy::authorize(Some(actor.role), capability).map_err(denied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_listed_once() {
        let mut paths: Vec<&str> = SERVER_FUNCTIONS.iter().map(|(p, _)| *p).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len());
    }

    #[test]
    fn unknown_endpoints_are_not_found() {
        assert_eq!(
            check_endpoint("/api/drop_everything", None),
            Err(AppError::NotFound(crate::domain::Entity::Page))
        );
        assert_eq!(check_endpoint("/api/sign_in", None), Ok(()));
        assert_eq!(
            check_endpoint("/api/get_board", None),
            Err(AppError::Unauthorized)
        );
    }
}
