//! 专题调度会: set up by the office, run task by task, read by everyone signed in.

// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

use crate::domain::meeting::{MeetingStatus, MeetingSummary, MeetingView};
use crate::domain::{ActionItemId, MeetingId, PlanId, TaskId};
use crate::error::AppError;
use leptos::prelude::*;

/// Every meeting, the latest first.
#[server(prefix = "/api", endpoint = "list_meetings")]
pub async fn list_meetings() -> Result<Vec<MeetingSummary>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            db::meetings::list(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// One meeting: particulars, agenda with each task as the meeting saw it, records, 交办事项.
#[server(prefix = "/api", endpoint = "get_meeting")]
pub async fn get_meeting(id: MeetingId) -> Result<MeetingView, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::Read)?;
            let state = state()?;
            db::meetings::view(&*state.db.get().await?, &id, state.clock.today()).await
        }
        .await,
    )
}

/// Sets up a meeting on a posted plan; its agenda is the plan's tasks in number order.
/// Answers the new meeting's id (and sends a form post to its page).
#[server(prefix = "/api", endpoint = "create_meeting")]
pub async fn create_meeting(
    plan: PlanId,
    title: String,
    date: String,
    time: String,
    place: String,
    host: String,
    #[server(default)] attendees: String,
    #[server(default)] observers: String,
) -> Result<MeetingId, AppError> {
    use crate::domain::meeting::{MeetingForm, MeetingInput};
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let input = MeetingInput::parse(&MeetingForm {
                title,
                date,
                time,
                place,
                host,
                attendees,
                observers,
            })?;
            let id =
                db::meetings::create(&*state()?.db.get().await?, &office.actor(), &plan, &input)
                    .await?;
            leptos_axum::redirect(&format!("/meetings/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Starts a meeting (freezing each agenda task as it stands) or ends it.
#[server(prefix = "/api", endpoint = "advance_meeting")]
pub async fn advance_meeting(
    id: MeetingId,
    version: u32,
    to: MeetingStatus,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let state = state()?;
            db::meetings::advance(
                &*state.db.get().await?,
                &office.actor(),
                &id,
                version,
                to,
                state.clock.today(),
            )
            .await
        }
        .await,
    )
}

/// Arranges the agenda before the meeting: moves a task, flags it 重点研究 or not, takes it
/// off, or puts another task of the plan on (`version`: the one the office saw).
#[server(prefix = "/api", endpoint = "edit_agenda")]
pub async fn edit_agenda(
    id: MeetingId,
    version: u32,
    task: TaskId,
    edit: crate::domain::meeting::AgendaEdit,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::meetings::edit_agenda(
                &*state()?.db.get().await?,
                &office.actor(),
                &id,
                version,
                &task,
                edit,
            )
            .await
        }
        .await,
    )
}

/// 主持模式: the host's screen now shows agenda task `task`; every screen following the
/// meeting turns to it.
#[server(prefix = "/api", endpoint = "present_meeting_task")]
pub async fn present_meeting_task(meeting: MeetingId, task: TaskId) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::meetings::present(&*state()?.db.get().await?, &office.actor(), &meeting, &task)
                .await
        }
        .await,
    )
}

/// Records the meeting's 研判 (verdict) and 会议要求 about one agenda task, and a 完成时限 it
/// fixes (applied to the task).
#[server(prefix = "/api", endpoint = "record_meeting_task")]
pub async fn record_meeting_task(
    meeting: MeetingId,
    task: TaskId,
    #[server(default)] verdict: String,
    #[server(default)] requirements: String,
    #[server(default)] deadline: String,
) -> Result<(), AppError> {
    use crate::domain::meeting::RecordForm;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let form = RecordForm {
                verdict,
                requirements,
                deadline,
            };
            db::meetings::record_task(
                &*state()?.db.get().await?,
                &office.actor(),
                &meeting,
                &task,
                &form,
            )
            .await
        }
        .await,
    )
}

/// Adds a 交办事项 to one agenda task: what, which unit, by when.
#[server(prefix = "/api", endpoint = "add_action_item")]
pub async fn add_action_item(
    meeting: MeetingId,
    task: TaskId,
    content: String,
    unit: String,
    due: String,
) -> Result<String, AppError> {
    use crate::domain::meeting::ActionItemForm;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let id = db::meetings::add_action(
                &*state()?.db.get().await?,
                &office.actor(),
                &meeting,
                &task,
                &ActionItemForm { content, unit, due },
            )
            .await?;
            Ok(id.to_string())
        }
        .await,
    )
}

/// The responsible unit's 反馈 on a 交办事项: what it did.
#[server(prefix = "/api", endpoint = "answer_action_item")]
pub async fn answer_action_item(id: ActionItemId, feedback: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::WorkOnTasks)?;
            db::meetings::answer_action(&*state()?.db.get().await?, &user.actor(), &id, &feedback)
                .await
        }
        .await,
    )
}

/// The office closes (办结) a 交办事项.
#[server(prefix = "/api", endpoint = "close_action_item")]
pub async fn close_action_item(id: ActionItemId) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::meetings::close_action(&*state()?.db.get().await?, &office.actor(), &id).await
        }
        .await,
    )
}

/// Saves the office's opening text of the minutes (after the meeting, until published).
#[server(prefix = "/api", endpoint = "save_minutes")]
pub async fn save_minutes(
    id: MeetingId,
    version: u32,
    #[server(default)] overview: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::meetings::save_minutes(
                &*state()?.db.get().await?,
                &office.actor(),
                &id,
                version,
                &overview,
            )
            .await
        }
        .await,
    )
}

/// 印发: publishes the minutes (they no longer change); answers their filing number.
#[server(prefix = "/api", endpoint = "publish_minutes")]
pub async fn publish_minutes(id: MeetingId, version: u32) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            db::meetings::publish_minutes(&*state()?.db.get().await?, &office.actor(), &id, version)
                .await
        }
        .await,
    )
}
