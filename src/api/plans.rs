//! Plans (年度重点任务清单): the board, the office's plans, drafts and their tasks.
// A server function's arguments are its form's fields, one by one.
#![allow(clippy::too_many_arguments)]

use crate::domain::Board;
use crate::error::AppError;
use leptos::prelude::*;

/// The board of a published plan with the tasks in `scope` (all when not narrowed) and the
/// whole plan counted; without `plan`, of the current plan (the newest published). `None`
/// when there is no such plan (none published yet, or a draft).
#[server(prefix = "/api", endpoint = "get_board")]
pub async fn get_board(
    plan: Option<crate::domain::PlanId>,
    #[server(default)] scope: crate::domain::BoardScope,
) -> Result<Option<Board>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            state
                .boards
                .board(
                    &*state.db.get().await?,
                    plan.as_ref(),
                    state.clock.today(),
                    &scope,
                )
                .await
        }
        .await,
    )
}

/// The board's plan month by month (reported percent against 序时进度, 销号 against the
/// deadlines), for its charts; `None` when there is no such plan.
#[server(prefix = "/api", endpoint = "get_board_trend")]
pub async fn get_board_trend(
    plan: Option<crate::domain::PlanId>,
) -> Result<Option<Vec<crate::domain::views::TrendPoint>>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            db::plans::trend(&*state.db.get().await?, plan.as_ref(), state.clock.today()).await
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
            db::plans::list_plans(&*state()?.db.get().await?).await
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
    #[server(default)] claim_from: String,
    #[server(default)] claim_to: String,
    #[server(default)] report_day: String,
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
                claim_from,
                report_day,
                claim_to,
            };
            let input = PlanInput::parse(&form)?;
            let id =
                db::plans::create_plan(&*state()?.db.get().await?, &user.actor(), &input).await?;
            // Created: on to the plan's page, where its tasks are added.
            leptos_axum::redirect(&format!("/plans/{id}"));
            Ok(id)
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
                &*state()?.db.get().await?,
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
            import::attempt(&*state()?.db.get().await?, id.as_str())
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
            db::ledger::plan_ledger(&*state.db.get().await?, &id, state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Plan))
        }
        .await,
    )
}

/// Adds a task to a plan, every field as the task form sends it (`form[title]`,
/// `form[milestones][0][due]` …).
#[server(prefix = "/api", endpoint = "add_task")]
pub async fn add_task(
    plan: crate::domain::PlanId,
    form: crate::domain::TaskForm,
) -> Result<crate::domain::TaskId, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            db::tasks::create_task(&*state()?.db.get().await?, &user.actor(), &plan, &form).await
        }
        .await,
    )
}

/// Edits a task from the version the user saw. Once its plan is published, a change of
/// 推进目标, 完成时限 or 验收标准 is an 调整 and needs `reason`.
#[server(prefix = "/api", endpoint = "edit_task")]
pub async fn edit_task(
    id: crate::domain::TaskId,
    version: u32,
    #[server(default)] reason: String,
    form: crate::domain::TaskForm,
    #[server(default)] meeting: Option<crate::domain::MeetingId>,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            let version = db::tasks::update_task(
                &*state()?.db.get().await?,
                &user.actor(),
                &id,
                version,
                &form,
                &reason,
            )
            .await?;
            // Saved: back to the task, where the change (and an 调整's record) shows — or to
            // the meeting that asked for it.
            match meeting {
                Some(m) => leptos_axum::redirect(&format!("/meetings/{m}?task={id}#record")),
                None => leptos_axum::redirect(&format!("/tasks/{id}")),
            }
            Ok(version)
        }
        .await,
    )
}

/// Deletes a task of a draft plan.
#[server(prefix = "/api", endpoint = "delete_task")]
pub async fn delete_task(id: crate::domain::TaskId, version: u32) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            db::tasks::delete_task(&*state()?.db.get().await?, &user.actor(), &id, version).await
        }
        .await,
    )
}

/// 重新编号: numbers a draft's tasks 1..N in their order; returns how many moved.
#[server(prefix = "/api", endpoint = "renumber_tasks")]
pub async fn renumber_tasks(id: crate::domain::PlanId, version: u32) -> Result<usize, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::ManagePlans)?;
            db::tasks::renumber_tasks(&*state()?.db.get().await?, &user.actor(), &id, version).await
        }
        .await,
    )
}

/// A task as its edit form starts out.
#[server(prefix = "/api", endpoint = "get_task_form")]
pub async fn get_task_form(
    id: crate::domain::TaskId,
) -> Result<crate::domain::TaskEditView, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManagePlans)?;
            db::tasks::edit_view(&*state()?.db.get().await?, &id)
                .await?
                .ok_or(AppError::NotFound(Entity::Task))
        }
        .await,
    )
}
