use super::not_found_page::NotFound;
use crate::api::meetings::get_meeting;
use crate::api::organization::get_directory;
use crate::api::plans::{EditTask, get_task_form};
use crate::domain::meeting::MeetingSummary;
use crate::domain::task::REASON_CHARS;
use crate::domain::{Entity, MeetingId, PlanStatus, TaskEditView, TaskId};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError, TaskChoices, TaskFields};
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/tasks/:id/edit` (督办管理员): every field of a task. Once the plan is published, a change
/// of 推进目标, 完成时限 or 验收标准 is an 调整 and asks for its reason. Opened from a 调度会
/// (`?meeting=`), the reason names the meeting and saving returns to it.
#[component]
pub fn TaskEditPage() -> impl IntoView {
    let params = use_params_map();
    let edit = ServerAction::<EditTask>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query
                    .read()
                    .get("meeting")
                    .and_then(|m| MeetingId::parse(&m)),
            )
        },
        |(id, meeting)| async move {
            let id = TaskId::parse(&id).ok_or(AppError::NotFound(Entity::Task))?;
            let (task, (units, people)) = futures::try_join!(get_task_form(id), get_directory())?;
            // The meeting only words the reason: one that cannot be read is left out.
            let meeting = match meeting {
                Some(m) => get_meeting(m).await.ok().map(|v| v.meeting.summary),
                None => None,
            };
            Ok::<_, AppError>((task, units, people, meeting))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((task, units, people, meeting)) => {
                        let choices = TaskChoices {
                            categories: task.plan.categories.clone(),
                            units,
                            people,
                        };
                        view! { <EditView task choices edit meeting /> }.into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound what="该任务" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditView(
    task: TaskEditView,
    choices: TaskChoices,
    edit: ServerAction<EditTask>,
    meeting: Option<MeetingSummary>,
) -> impl IntoView {
    let error = Signal::derive(move || edit.value().get().and_then(Result::err));
    let published = task.plan.status != PlanStatus::Draft;
    let heading = format!("{}. {}", task.form.number, task.form.title);
    let back = match &meeting {
        Some(m) => format!("/meetings/{}?task={}#record", m.id, task.id),
        None => format!("/tasks/{}", task.id),
    };
    let task_link = format!("/tasks/{}", task.id);
    let reason = meeting
        .as_ref()
        .map(|m| format!("经{}{}研究明确", date_zh(m.date), m.title))
        .unwrap_or_default();
    let plan_link = format!("/plans/{}", task.plan.id);
    view! {
        <Title text=format!("修改任务 · {heading}") />
        <nav class="breadcrumb" aria-label="位置">
            <a href="/plans">"发榜管理"</a>
            <span aria-hidden="true">" › "</span>
            <a href=plan_link>{task.plan.title.clone()}</a>
            <span aria-hidden="true">" › "</span>
            <a href=task_link>{heading.clone()}</a>
        </nav>
        <h1>{if published { "调整任务" } else { "修改任务" }}</h1>
        <p class="board-meta">
            {format!(
                "清单状态:{} · 任务状态:{}",
                messages::plan_status(task.plan.status),
                messages::task_status(task.status),
            )}
        </p>
        {published.then(|| view! {
            <p class="notice">
                "任务清单已发榜:序号和牵头单位不在此修改(经揭榜、交办确定)。修改推进目标、完成时限或验收标准须写明调整理由,调整前后内容记入任务的调整记录。"
            </p>
        })}
        <ActionForm action=edit attr:class="grid-form task-form">
            <input type="hidden" name="id" value=task.id.to_string() />
            <input type="hidden" name="version" value=task.version />
            {meeting.as_ref().map(|m| view! { <input type="hidden" name="meeting" value=m.id.to_string() /> })}
            <TaskFields initial=task.form choices locked=published error />
            {published.then(|| view! {
                <label class="wide">
                    {format!("调整理由(调整推进目标、完成时限或验收标准时必填,{}–{} 字)", REASON_CHARS.0, REASON_CHARS.1)}
                    <textarea name="reason" rows="2" aria-describedby="task-reason-error">{reason.clone()}</textarea>
                    <FieldErrors error field="reason" id="task-reason-error" />
                </label>
            })}
            <FormError error />
            <div class="form-buttons wide">
                <button type="submit">"保存"</button>
                <a href=back class="button secondary">"取消"</a>
            </div>
        </ActionForm>
    }
}
