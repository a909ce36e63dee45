//! 催办 and 三色督办单: sent by the office, answered by the unit, printed as a notice.

use crate::domain::supervision::{NoticeSheet, SupervisionKind};
use crate::domain::{SupervisionId, TaskId};
use crate::error::AppError;
use leptos::prelude::*;

/// Sends a 催办 (`kind=urge`) or a 督办单 (`blue`, `yellow`, `red`) on a task under way, with
/// what the unit must do and the date of its 反馈.
#[server(prefix = "/api", endpoint = "supervise_task")]
pub async fn supervise_task(
    id: TaskId,
    kind: SupervisionKind,
    requirement: String,
    feedback_by: String,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::supervision::SupervisionInput;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let state = state()?;
            let today = state.clock.today();
            let input = SupervisionInput::parse(kind, &requirement, &feedback_by, today)?;
            let id =
                db::supervision::issue(&*state.db.get().await?, &user.actor(), &id, &input, today)
                    .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// The unit's 反馈 to a 催办 or 督办单 sent to it.
#[server(prefix = "/api", endpoint = "answer_supervision")]
pub async fn answer_supervision(id: SupervisionId, feedback: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            db::supervision::answer(&*state()?.db.get().await?, &user.actor(), &id, &feedback).await
        }
        .await,
    )
}

/// A 督办单 as printed.
#[server(prefix = "/api", endpoint = "get_notice_sheet")]
pub async fn get_notice_sheet(id: SupervisionId) -> Result<NoticeSheet, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            db::supervision::sheet(&*state.db.get().await?, &id, state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Page))
        }
        .await,
    )
}

/// The 督办通报 of a plan (`None`: the current one), as of today.
#[server(prefix = "/api", endpoint = "get_bulletin")]
pub async fn get_bulletin(
    plan: Option<crate::domain::PlanId>,
) -> Result<crate::domain::bulletin::Bulletin, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            db::supervision::bulletin(&*state.db.get().await?, plan.as_ref(), state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Plan))
        }
        .await,
    )
}
