//! 大屏 display links (the office's) and the screen they open (anyone holding a live link).

use crate::domain::display::{DisplayLink, Wall};
use crate::error::AppError;
use leptos::prelude::*;

/// Every display link, newest first.
#[server(prefix = "/api", endpoint = "get_displays")]
pub async fn get_displays() -> Result<Vec<DisplayLink>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManagePlans)?;
            db::displays::list(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// Makes a display link; answers its address (`/wall/<token>`), shown this once.
#[server(prefix = "/api", endpoint = "create_display")]
pub async fn create_display(
    label: String,
    #[server(default)] plan: String,
    cycle: String,
    seconds: String,
) -> Result<String, AppError> {
    use crate::domain::display::{DisplayForm, DisplayInput};
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let input = DisplayInput::parse(&DisplayForm {
                label,
                plan,
                cycle,
                seconds,
            })?;
            let token =
                db::displays::create(&*state()?.db.get().await?, &office.actor(), &input).await?;
            // Back to the list, which shows the new link this once (a form sent without
            // JavaScript gets the answer no other way).
            leptos_axum::redirect(&format!("/admin/displays?made={token}"));
            Ok(format!("/wall/{token}"))
        }
        .await,
    )
}

/// Revokes a display link.
#[server(prefix = "/api", endpoint = "revoke_display")]
pub async fn revoke_display(id: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::displays::revoke(&*state()?.db.get().await?, &office.actor(), &id).await
        }
        .await,
    )
}

/// The screen a live display link opens (no sign-in: the link is the key); a revoked or
/// unknown link is not found.
#[server(prefix = "/api", endpoint = "get_wall")]
pub async fn get_wall(token: String) -> Result<Wall, AppError> {
    use crate::domain::Entity;
    use crate::server::{db, respond, state};
    respond(
        async {
            let state = state()?;
            db::displays::wall(&*state.db.get().await?, token.trim(), state.clock.today())
                .await?
                .ok_or(AppError::NotFound(Entity::Display))
        }
        .await,
    )
}
