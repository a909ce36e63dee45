//! 延期申请, 调整申请 and 撤项申请: asked by the unit head, 初审 by the office, 审定 by the
//! leader.

use crate::domain::{RequestId, TaskId};
use crate::error::AppError;
use leptos::prelude::*;

/// Asks for a later 完成时限 for a task of the user's unit, with the reason.
#[server(prefix = "/api", endpoint = "request_extension")]
pub async fn request_extension(
    id: TaskId,
    new_deadline: String,
    reason: String,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let id = db::requests::request_extension(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                &new_deadline,
                &reason,
            )
            .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Asks for a task of the user's unit to be withdrawn from the plan (撤项), with the reason.
#[server(prefix = "/api", endpoint = "request_cancellation")]
pub async fn request_cancellation(id: TaskId, reason: String) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let id = db::requests::request_cancellation(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                &reason,
            )
            .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Asks for changed 推进目标 / 验收标准 for a task of the user's unit: the goals as they should
/// stand (rows named as in the task form: `goals[milestones][0][due]`, `goals[criteria][0]`),
/// and why.
#[server(prefix = "/api", endpoint = "request_adjustment")]
pub async fn request_adjustment(
    id: TaskId,
    reason: String,
    #[server(default)] goals: crate::domain::GoalsForm,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let id = db::requests::request_adjustment(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                &goals,
                &reason,
            )
            .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// Agrees with a request at the user's step: the office's 初审 passes it to the leader, the
/// leader's 审定 approves it (the deadline moves; the original stays on record).
#[server(prefix = "/api", endpoint = "approve_request")]
pub async fn approve_request(
    request: RequestId,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    handle(request, true, note).await
}

/// Turns a request down at the user's step, with the reason the unit reads.
#[server(prefix = "/api", endpoint = "reject_request")]
pub async fn reject_request(request: RequestId, note: String) -> Result<(), AppError> {
    handle(request, false, note).await
}

#[cfg(feature = "ssr")]
async fn handle(request: RequestId, approve: bool, note: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::DecideRequests)?;
            let state = state()?;
            db::requests::handle_request(
                &*state.db.get().await?,
                &user.actor(),
                &request,
                approve,
                &note,
            )
            .await?;
            Ok(())
        }
        .await,
    )
}
