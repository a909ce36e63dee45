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
