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
            let id = TaskId::parse(&id).ok_or_else(|| AppError::NotFound("该任务".into()))?;
            let state = state()?;
            db::tasks::detail(&state.db, &id, state.clock.today())
                .await?
                .ok_or_else(|| AppError::NotFound("该任务".into()))
        }
        .await,
    )
}
