//! Reading and changing tasks (重点任务).
// A server function takes one argument per field of its plain form (forms work without
// JavaScript), and the macro's generated function cannot carry an `allow` of its own.
#![allow(clippy::too_many_arguments)]

use crate::domain::{ReportId, TaskDetail, TaskId, TaskStatus, UnitId};
use crate::error::AppError;
use leptos::prelude::*;

/// One task with its goals, milestones, deadline, criteria and responsibility.
#[server(prefix = "/api", endpoint = "get_task")]
pub async fn get_task(id: TaskId) -> Result<TaskDetail, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            let mut detail = db::tasks::detail(&*state.db.get().await?, &id, state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Task))?;
            // With the task, so the page renders its claims from the one resource it has.
            let reader = user.actor();
            // Drafts and sent-back reports stay within their unit.
            detail.reports.retain(|r| {
                crate::domain::policy::may_read_report(&reader, r.status, r.unit.as_ref())
            });
            let lead = detail.responsibility.lead_unit_id.clone();
            detail.history.retain(|e| {
                crate::domain::policy::may_read_event(&reader, &e.action, lead.as_ref())
            });
            detail.claims =
                db::claims::claims_for_task(&*state.db.get().await?, &reader, &id).await?;
            if reader.role == crate::domain::Role::Organizer && detail.status == TaskStatus::Claimed
            {
                detail.people = db::people::list_people(&*state.db.get().await?, None).await?;
            }
            detail.reader = Some(reader);
            Ok(detail)
        }
        .await,
    )
}

/// Moves a task through its workflow (交办, 签收, 退回交办, 提请验收, 验收销号 …) from the version
/// the user saw. `unit` names the unit a task is assigned to (交办), with its 责任人 (`owner`),
/// 岗位 (`post`) and 分管领导 (`supervisor`); 退回交办 / 撤回交办 need a `reason`. The policy decides.
#[server(prefix = "/api", endpoint = "change_task_status")]
pub async fn change_task_status(
    id: TaskId,
    version: u32,
    to: TaskStatus,
    unit: Option<UnitId>,
    #[server(default)] owner: Option<String>,
    #[server(default)] post: Option<String>,
    #[server(default)] supervisor: Option<String>,
    #[server(default)] reason: Option<String>,
) -> Result<u32, AppError> {
    use crate::domain::MoveDetails;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let details = MoveDetails::parse(
                owner.as_deref().unwrap_or_default(),
                post.as_deref().unwrap_or_default(),
                supervisor.as_deref().unwrap_or_default(),
                reason.as_deref().unwrap_or_default(),
            )?;
            let state = state()?;
            db::tasks::transition_task_with(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                version,
                to,
                unit.as_ref(),
                &details,
                state.clock.today(),
            )
            .await
        }
        .await,
    )
}

/// Files a progress report (进度报送) for a task of the user's unit, without files (the task
/// page's form posts to `/tasks/{id}/reports`, which takes evidence files too). The form's
/// text is parsed by the domain, so every field's problem comes back at once. A liaison's
/// report waits for the unit head. Answers the new report's id.
#[server(prefix = "/api", endpoint = "add_report")]
pub async fn add_report(
    id: TaskId,
    percent: String,
    done: String,
    problems: String,
    next_steps: String,
    /// `co` for a co-unit's part (配合单位报送).
    #[server(default)]
    part: String,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{NewReport, ReportForm};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let form = ReportForm {
                percent,
                done,
                problems,
                next_steps,
                part,
                ..Default::default()
            };
            let state = state()?;
            let report = NewReport::parse(&form, state.clock.today())?;
            let (report_id, _) =
                db::reports::add_report(&*state.db.get().await?, &user.actor(), &id, &report, &[])
                    .await?;
            Ok(report_id.to_string())
        }
        .await,
    )
}

/// 报送: the unit head sends a liaison's draft on; from now it counts.
#[server(prefix = "/api", endpoint = "approve_report")]
pub async fn approve_report(report: ReportId) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            db::reports::review_report(&*state.db.get().await?, &user.actor(), &report, None)
                .await?;
            Ok(())
        }
        .await,
    )
}

/// 退回修改: the unit head sends a liaison's draft back with a reason.
#[server(prefix = "/api", endpoint = "return_report")]
pub async fn return_report(report: ReportId, reason: String) -> Result<(), AppError> {
    use crate::domain::Reason;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let reason = Reason::parse(&reason)?;
            let state = state()?;
            db::reports::review_report(
                &*state.db.get().await?,
                &user.actor(),
                &report,
                Some(&reason),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// 提请验收 with the unit's 自查 of each 验收标准, from the version it saw.
#[server(prefix = "/api", endpoint = "submit_for_acceptance")]
pub async fn submit_for_acceptance(
    id: TaskId,
    version: u32,
    form: crate::domain::acceptance::SelfCheckForm,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let criteria = db::tasks::criteria_count(&*state.db.get().await?, &id).await?;
            let checks = crate::domain::acceptance::self_checks(&form, criteria)?;
            db::acceptance::submit_for_acceptance(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                version,
                &checks,
            )
            .await
        }
        .await,
    )
}

/// 审定: the leader 销号s an acceptance the office passed (`decision=accept`), or sends the
/// task back (`decision=return`, with the reason).
#[server(prefix = "/api", endpoint = "sign_off_acceptance")]
pub async fn sign_off_acceptance(
    id: TaskId,
    version: u32,
    decision: String,
    #[server(default)] reason: String,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{FieldError, Problem, Reason};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::DecideRequests)?;
            let returned = match decision.as_str() {
                "accept" => None,
                "return" => Some(Reason::parse(&reason)?),
                _ => return Err(FieldError::new("decision", Problem::UnknownValue).into()),
            };
            let state = state()?;
            db::acceptance::sign_off(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                version,
                returned.as_ref(),
            )
            .await
        }
        .await,
    )
}

/// 验收: the office's verdict on each 验收标准 of a task submitted for acceptance, from the
/// version it reviewed. All met: 验收销号; any not met: 退回整改 with the 整改时限.
#[server(prefix = "/api", endpoint = "review_acceptance")]
pub async fn review_acceptance(
    id: TaskId,
    version: u32,
    form: crate::domain::acceptance::ReviewForm,
) -> Result<u32, AppError> {
    use crate::domain::acceptance::Review;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let criteria = db::tasks::criteria_count(&*state.db.get().await?, &id).await?;
            let review = Review::parse(&form, criteria, state.clock.today())?;
            db::acceptance::review_acceptance(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                version,
                &review,
            )
            .await
        }
        .await,
    )
}
