//! Reading plans (年度重点任务清单).

use crate::domain::Board;
use crate::error::AppError;
use leptos::prelude::*;

/// The board of the current plan: the newest plan that has been published, with all its tasks;
/// `None` when no plan has been published yet.
#[server(prefix = "/api", endpoint = "get_board")]
pub async fn get_board() -> Result<Option<Board>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            db::plans::current_board(&state.db, state.clock.today()).await
        }
        .await,
    )
}

/// A failed task-list import: the file, and everything wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportAttempt {
    pub plan: crate::domain::PlanId,
    pub file_name: String,
    pub error: AppError,
}

/// Every plan, newest year first (the office's 任务清单 page).
#[server(prefix = "/api", endpoint = "list_plans")]
pub async fn list_plans() -> Result<Vec<crate::domain::PlanSummary>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManagePlans)?;
            db::plans::list_plans(&state()?.db).await
        }
        .await,
    )
}

/// Creates a plan as a draft (草稿). `categories`: one per line, in order.
#[server(prefix = "/api", endpoint = "create_plan")]
pub async fn create_plan(
    year: String,
    title: String,
    issuer: String,
    categories: String,
    yellow_behind: String,
    red_behind: String,
    due_soon_days: String,
) -> Result<crate::domain::PlanId, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{PlanForm, PlanInput};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            let form = PlanForm {
                year,
                title,
                issuer,
                categories: categories.lines().map(str::to_owned).collect(),
                yellow_behind,
                red_behind,
                due_soon_days,
            };
            let input = PlanInput::parse(&form)?;
            db::plans::create_plan(&state()?.db, &user.actor(), &input).await
        }
        .await,
    )
}

/// 发榜: a draft plan goes up; its tasks wait for 揭榜.
#[server(prefix = "/api", endpoint = "publish_plan")]
pub async fn publish_plan(id: crate::domain::PlanId, version: u32) -> Result<u32, AppError> {
    use crate::domain::PlanStatus;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            db::plans::transition_plan(
                &state()?.db,
                &user.actor(),
                &id,
                version,
                PlanStatus::Published,
            )
            .await
        }
        .await,
    )
}

/// A kept failed import, to list its problems.
#[server(prefix = "/api", endpoint = "get_import_attempt")]
pub async fn get_import_attempt(
    id: crate::domain::ids::ImportAttemptId,
) -> Result<ImportAttempt, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, import, respond, state};
    respond(
        async {
            authz::require(Capability::ManagePlans)?;
            import::attempt(&state()?.db, id.as_str())
                .await?
                .ok_or(AppError::NotFound(Entity::Page))
        }
        .await,
    )
}
