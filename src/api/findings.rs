//! 整改清单: a plan's findings, one item with its record, and the office's entries and
//! decisions. (The unit's 整改进展 carries files: it is a plain multipart form, see
//! `server::evidence`.)

use crate::domain::FindingId;
use crate::domain::rectify::{FindingList, FindingView};
use crate::error::AppError;
use leptos::prelude::*;

/// Plan `plan`'s (`None`: the current plan's) 整改清单 as the reader may see it: the office,
/// leaders and observers every item, a unit its own. `task`: a task whose last failed
/// acceptance drafts the office's new item.
#[server(prefix = "/api", endpoint = "get_findings")]
pub async fn get_findings(
    #[server(default)] plan: Option<crate::domain::PlanId>,
    #[server(default)] task: Option<crate::domain::TaskId>,
) -> Result<FindingList, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::findings::list(
                &*state.db.get().await?,
                &user,
                state.clock.today(),
                plan.as_ref(),
                task.as_ref(),
            )
            .await
        }
        .await,
    )
}

/// Item `id` with its record and what the reader may do on it.
#[server(prefix = "/api", endpoint = "get_finding")]
pub async fn get_finding(id: FindingId) -> Result<FindingView, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::findings::get(&*state.db.get().await?, &user, state.clock.today(), &id).await
        }
        .await,
    )
}

/// The office enters a finding in plan `plan`'s list; answers its id.
#[server(prefix = "/api", endpoint = "add_finding")]
pub async fn add_finding(
    plan: crate::domain::PlanId,
    form: crate::domain::rectify::FindingForm,
) -> Result<FindingId, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManageFindings)?;
            let state = state()?;
            db::findings::create_one(
                &*state.db.get().await?,
                &office.actor(),
                state.clock.today(),
                &plan,
                &form,
            )
            .await
        }
        .await,
    )
}

/// The office's answer to a unit's request for 销号 on item `id` (as of `version`):
/// `verdict` `close` (销号, note optional) or `return` (退回重改, with the reason).
#[server(prefix = "/api", endpoint = "decide_finding")]
pub async fn decide_finding(
    id: FindingId,
    version: u32,
    verdict: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::rectify::Decision;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManageFindings)?;
            let decision = Decision::parse(&verdict, &note)?;
            let state = state()?;
            let status = db::findings::decide(
                &*state.db.get().await?,
                &office.actor(),
                state.clock.today(),
                &id,
                version,
                &decision,
            )
            .await?;
            Ok(status.code().to_owned())
        }
        .await,
    )
}
