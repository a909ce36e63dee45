//! Plans (年度重点任务清单): the board, the office's plans, drafts and their tasks.
// A server function's arguments are its form's fields, one by one.
#![allow(clippy::too_many_arguments)]

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

/// One plan with its tasks (drafts too), for the office's plan page.
#[server(prefix = "/api", endpoint = "get_plan_ledger")]
pub async fn get_plan_ledger(id: crate::domain::PlanId) -> Result<crate::domain::Ledger, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManagePlans)?;
            let state = state()?;
            db::ledger::plan_ledger(&state.db, &id, state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Plan))
        }
        .await,
    )
}

/// Adds a task to a plan. 推进目标 and 验收标准 are written one per line, a 推进目标 starting with
/// its date (`2022年8月20日 6个试点小区`), as in the office's spreadsheet.
#[server(prefix = "/api", endpoint = "add_task")]
pub async fn add_task(
    plan: crate::domain::PlanId,
    number: String,
    title: String,
    category: String,
    description: String,
    lead_unit: Option<String>,
    deadline: String,
    milestones: String,
    criteria: String,
) -> Result<crate::domain::TaskId, AppError> {
    use crate::domain::import::{item_lines, milestone_lines};
    use crate::domain::policy::Capability;
    use crate::domain::{FieldError, Problem, TaskForm};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            let milestones = milestone_lines(&milestones).map_err(|bad| {
                AppError::Invalid(
                    bad.into_iter()
                        .map(|i| FieldError::at("milestones", i, Problem::NotADate))
                        .collect(),
                )
            })?;
            let form = TaskForm {
                number,
                title,
                category,
                description,
                deadline,
                milestones,
                criteria: item_lines(&criteria),
                lead_unit: lead_unit.unwrap_or_default(),
                ..Default::default()
            };
            db::tasks::create_task(&state()?.db, &user.actor(), &plan, &form).await
        }
        .await,
    )
}
