//! 工作台 and 站内消息: what waits for the signed-in person, and what happened that concerns
//! them.

use crate::domain::NoticeId;
use crate::domain::notice::Inbox;
use crate::domain::workbench::Workbench;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person's 工作台 over the current plan.
#[server(prefix = "/api", endpoint = "get_workbench")]
pub async fn get_workbench() -> Result<Workbench, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::workbench::workbench(
                &*state.db.get().await?,
                user.role,
                user.unit.as_ref().filter(|_| user.role.acts_for_unit()),
                state.clock.today(),
            )
            .await
        }
        .await,
    )
}

/// The signed-in person's inbox (站内消息), newest first, with the unread count.
#[server(prefix = "/api", endpoint = "get_inbox")]
pub async fn get_inbox() -> Result<Inbox, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            db::notices::inbox(&*state()?.db.get().await?, &user).await
        }
        .await,
    )
}

/// Opens a message: marks it read and goes to its task.
#[server(prefix = "/api", endpoint = "open_notice")]
pub async fn open_notice(id: NoticeId) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            let task = db::notices::mark_read(&*state()?.db.get().await?, &user.id, &id).await?;
            leptos_axum::redirect(&format!("/tasks/{task}"));
            Ok(())
        }
        .await,
    )
}

/// Marks every message so far read (全部标为已读).
#[server(prefix = "/api", endpoint = "mark_all_notices_read")]
pub async fn mark_all_notices_read() -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            db::notices::mark_all_read(&*state()?.db.get().await?, &user.id).await
        }
        .await,
    )
}

/// How many messages the signed-in person has not read (the header's badge).
#[server(prefix = "/api", endpoint = "count_unread")]
pub async fn count_unread() -> Result<usize, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            Ok(db::notices::inbox(&*state()?.db.get().await?, &user)
                .await?
                .unread)
        }
        .await,
    )
}
