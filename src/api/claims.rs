//! Claims (揭榜认领) and the office's decision on them (确认挂牌 / 不予挂牌).

use crate::domain::claim::TaskClaims;
use crate::domain::{ClaimId, TaskId};
use crate::error::AppError;
use leptos::prelude::*;

/// A task's claims, oldest first (a unit sees only its own unit's), and who is reading.
#[server(prefix = "/api", endpoint = "get_task_claims")]
pub async fn get_task_claims(id: TaskId) -> Result<TaskClaims, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let reader = user.actor();
            let claims =
                db::claims::claims_for_task(&*state()?.db.get().await?, &reader, &id).await?;
            Ok(TaskClaims { claims, reader })
        }
        .await,
    )
}

/// 揭榜认领: the unit head claims a task for the unit, with a pledge and a proposed 责任人 and
/// 岗位. Every field's problem comes back at once.
#[server(prefix = "/api", endpoint = "claim_task")]
pub async fn claim_task(
    id: TaskId,
    pledge: String,
    owner: String,
    post: String,
    /// 联合揭榜 partners (unit ids), if any.
    #[server(default)]
    co_units: Vec<String>,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{ClaimForm, ClaimInput};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let input = ClaimInput::parse(&ClaimForm {
                pledge,
                owner,
                post,
                co_units,
            })?;
            let state = state()?;
            let today = state.clock.today();
            let claim =
                db::claims::file_claim(&*state.db.get().await?, &user.actor(), &id, &input, today)
                    .await?;
            Ok(claim.to_string())
        }
        .await,
    )
}

/// 撤回认领: the unit takes its waiting claim back.
#[server(prefix = "/api", endpoint = "withdraw_claim")]
pub async fn withdraw_claim(claim: ClaimId) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            db::claims::withdraw_claim(&*state()?.db.get().await?, &user.actor(), &claim).await
        }
        .await,
    )
}

/// 确认挂牌: the office confirms a claim; the task's other waiting claims are declined with
/// `reason` (required when there are any).
#[server(prefix = "/api", endpoint = "confirm_claim")]
pub async fn confirm_claim(
    claim: ClaimId,
    reason: String,
    #[server(default)] supervisor: String,
    #[server(default)] start: String,
) -> Result<(), AppError> {
    use crate::domain::Reason;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let reason = match reason.trim() {
                "" => None,
                raw => Some(Reason::parse(raw)?),
            };
            let state = state()?;
            let today = state.clock.today();
            db::claims::confirm_claim_with(
                &*state.db.get().await?,
                &user.actor(),
                &claim,
                reason.as_ref(),
                today,
                (&supervisor, &start),
            )
            .await
        }
        .await,
    )
}

/// 不予挂牌: the office declines a claim, with a reason the claimant sees.
#[server(prefix = "/api", endpoint = "decline_claim")]
pub async fn decline_claim(claim: ClaimId, reason: String) -> Result<(), AppError> {
    use crate::domain::Reason;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let reason = Reason::parse(&reason)?;
            db::claims::decline_claim(&*state()?.db.get().await?, &user.actor(), &claim, &reason)
                .await
        }
        .await,
    )
}
