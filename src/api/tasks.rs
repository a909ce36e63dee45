//! Reading and changing tasks (重点任务).

use crate::domain::TaskDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// One task with its goals, milestones, deadline, criteria and responsibility.
#[server(prefix = "/api", endpoint = "get_task")]
pub async fn get_task(id: String) -> Result<TaskDetail, AppError> {
    use crate::domain::TaskId;
    use crate::server::{db, respond, state};
    respond(
        async {
            crate::server::authz::require(
                crate::server::authz::Action::Read,
                crate::server::authz::Scope::Any,
            )?;
            let id = TaskId::parse(&id).ok_or_else(|| AppError::NotFound("该任务".into()))?;
            let state = state()?;
            db::tasks::detail(&state.db, &id, state.clock.today())
                .await?
                .ok_or_else(|| AppError::NotFound("该任务".into()))
        }
        .await,
    )
}

/// Moves a task through its workflow (揭榜认领, 挂牌攻坚, 提请验收, 验收销号 …). The policy
/// decides whose unit may act; the workflow table decides which moves each role may make.
#[server(prefix = "/api", endpoint = "change_task_status")]
pub async fn change_task_status(id: String, version: u32, to: String) -> Result<u32, AppError> {
    use crate::domain::{TaskId, TaskStatus};
    use crate::server::authz::{Action, Scope, authorize, current_user};
    use crate::server::{db, respond, state};
    respond(
        async {
            let user = current_user().ok_or(AppError::Unauthorized)?;
            let id = TaskId::parse(&id).ok_or_else(|| AppError::NotFound("该任务".into()))?;
            let to =
                TaskStatus::parse(&to).ok_or_else(|| AppError::Invalid("目标状态无效".into()))?;
            let state = state()?;
            let lead = db::tasks::lead_unit(&state.db, &id).await?;
            authorize(
                Some(&user),
                Action::ChangeTaskStatus,
                Scope::Task {
                    lead_unit: lead.as_ref(),
                },
            )?;
            db::tasks::transition_task(&state.db, &user.actor(), &id, version, to).await
        }
        .await,
    )
}

/// Files a progress report (进度填报) for a task of the user's unit.
#[server(prefix = "/api", endpoint = "add_report")]
pub async fn add_report(
    id: String,
    percent: i64,
    done: String,
    problems: String,
    next_steps: String,
) -> Result<String, AppError> {
    use crate::domain::{NewReport, TaskId};
    use crate::server::authz::{Action, Scope, authorize, current_user};
    use crate::server::{db, respond, state};
    respond(
        async {
            let user = current_user().ok_or(AppError::Unauthorized)?;
            let id = TaskId::parse(&id).ok_or_else(|| AppError::NotFound("该任务".into()))?;
            let state = state()?;
            let lead = db::tasks::lead_unit(&state.db, &id).await?;
            authorize(
                Some(&user),
                Action::ReportProgress,
                Scope::Task {
                    lead_unit: lead.as_ref(),
                },
            )?;
            let report = NewReport::parse(percent, &done, &problems, &next_steps, vec![], None)
                .map_err(AppError::Invalid)?;
            let report_id = db::reports::add_report(&state.db, &user.actor(), &id, &report).await?;
            Ok(report_id.to_string())
        }
        .await,
    )
}
