//! 责任清单 and 述责: a plan's duties at three levels, each unit's 述责 and the office's 评议.

use crate::domain::PlanId;
use crate::domain::duty::DutyBoard;
use crate::error::AppError;
use leptos::prelude::*;

/// Plan `plan`'s (`None`: the current plan's) 责任清单 with the 述责 the reader may see.
#[server(prefix = "/api", endpoint = "get_duties")]
pub async fn get_duties(#[server(default)] plan: Option<PlanId>) -> Result<DutyBoard, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            db::duties::board(&*state()?.db.get().await?, &user, plan.as_ref()).await
        }
        .await,
    )
}

/// The office adds a duty to plan `plan`'s 责任清单.
#[server(prefix = "/api", endpoint = "add_duty")]
pub async fn add_duty(plan: PlanId, form: crate::domain::duty::DutyForm) -> Result<(), AppError> {
    use crate::domain::duty::DutyInput;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManageFindings)?;
            let input = DutyInput::parse(&form)?;
            db::duties::add(&*state()?.db.get().await?, &office.actor(), &plan, &input).await
        }
        .await,
    )
}

/// A unit's head files (or, until the 评议, rewrites) the unit's 述责 for plan `plan`, over
/// `version` (0: none yet); answers the new version.
#[server(prefix = "/api", endpoint = "file_statement")]
pub async fn file_statement(plan: PlanId, version: u32, text: String) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            let text = crate::domain::duty::statement(&text)?;
            db::duties::state(
                &*state()?.db.get().await?,
                &user.actor(),
                &plan,
                version,
                &text,
            )
            .await
        }
        .await,
    )
}

/// The office's 评议 (好 / 较好 / 一般 / 差, with why below 好) of unit `unit`'s 述责.
#[server(prefix = "/api", endpoint = "review_statement")]
pub async fn review_statement(
    plan: PlanId,
    unit: crate::domain::UnitId,
    version: u32,
    rating: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManageFindings)?;
            let (rating, note) = crate::domain::duty::review(&rating, &note)?;
            db::duties::review(
                &*state()?.db.get().await?,
                &office.actor(),
                &plan,
                &unit,
                version,
                (rating, &note),
            )
            .await
        }
        .await,
    )
}
