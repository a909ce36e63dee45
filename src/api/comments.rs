//! 批示, 落实情况 and comments under a task.

use crate::domain::TaskId;
use crate::error::AppError;
use leptos::prelude::*;

/// Writes under a task: a leader's 批示 (`kind=instruction`), the lead unit's reply to one
/// (`reply`, naming it in `reply_to`), or a comment (`comment`).
#[server(prefix = "/api", endpoint = "add_comment")]
pub async fn add_comment(
    id: TaskId,
    kind: crate::domain::comment::CommentKind,
    body: String,
    #[server(default)] reply_to: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::{CommentId, FieldError, Problem};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Discuss)?;
            let body = crate::domain::comment::body(&body)?;
            let reply_to = match reply_to.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(raw) => Some(CommentId::parse(raw).ok_or_else(|| {
                    AppError::from(FieldError::new("reply_to", Problem::BadFormat))
                })?),
            };
            let state = state()?;
            let id = db::comments::add_comment(
                &*state.db.get().await?,
                &user.actor(),
                &id,
                kind,
                &body,
                reply_to.as_ref(),
            )
            .await?;
            Ok(id.to_string())
        }
        .await,
    )
}
