//! Reading plans (年度重点任务清单).

use crate::domain::Board;
use crate::error::AppError;
use leptos::prelude::*;

/// The board of the current plan: the newest plan that has been published, with all its tasks;
/// `None` when no plan has been published yet.
#[server(prefix = "/api", endpoint = "get_board")]
pub async fn get_board() -> Result<Option<Board>, AppError> {
    use crate::server::{db, respond, state};
    respond(
        async {
            crate::server::authz::require(
                crate::server::authz::Action::Read,
                crate::server::authz::Scope::Any,
            )?;
            let state = state()?;
            db::plans::current_board(&state.db, state.clock.today()).await
        }
        .await,
    )
}
