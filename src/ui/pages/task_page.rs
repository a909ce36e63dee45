use super::not_found_page::NotFound;
use crate::api::get_task;
use crate::domain::TaskDetail;
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, ProgressBar, StatusBadge};
use crate::ui::format::{date_zh, join_zh};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/tasks/:id`: one task's goals, milestones, deadline, criteria and responsibility.
#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let task = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_task,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match task.await {
                    Ok(task) => view! { <TaskDetailView task /> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound what="该任务" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TaskDetailView(task: TaskDetail) -> impl IntoView {
    let TaskDetail {
        plan,
        number,
        title,
        category,
        description,
        lead_unit,
        co_units,
        deadline,
        milestones,
        criteria,
        status,
        percent,
        focus,
        ..
    } = task;
    let co_units = if co_units.is_empty() {
        "无".to_owned()
    } else {
        join_zh(&co_units)
    };
    view! {
        <Title text=format!("{number}. {title}") />
        <nav class="breadcrumb" aria-label="位置">
            <a href="/">{plan.title.clone()}</a>
            <span aria-hidden="true">" › "</span>
            <span>{format!("第{number}项")}</span>
        </nav>
        <article class=format!("task-detail status-{}", status.code())>
            <header class="task-detail-head">
                <h1>
                    <span class="task-number">{number}</span>
                    <span class="task-title">{title}</span>
                </h1>
                <div class="task-badges">
                    <StatusBadge status />
                    {focus.then(|| view! { <span class="focus-badge">"重点讨论"</span> })}
                </div>
            </header>
            <dl class="detail-facts">
                <div>
                    <dt>"类别"</dt>
                    <dd>{category}</dd>
                </div>
                <div>
                    <dt>"牵头单位"</dt>
                    <dd>{lead_unit.unwrap_or_else(|| "待认领".to_owned())}</dd>
                </div>
                <div>
                    <dt>"配合单位"</dt>
                    <dd>{co_units}</dd>
                </div>
                <div>
                    <dt>"完成时限"</dt>
                    <dd>
                        <time datetime=deadline.to_string()>{date_zh(deadline)}</time>
                    </dd>
                </div>
                <div>
                    <dt>"完成进度"</dt>
                    <dd>
                        <ProgressBar percent />
                    </dd>
                </div>
            </dl>
            {(!description.is_empty())
                .then(|| {
                    view! {
                        <section class="detail-section">
                            <h2>"任务内容"</h2>
                            <p>{description}</p>
                        </section>
                    }
                })}
            <section class="detail-section">
                <h2>"推进目标"</h2>
                <ol class="milestones">
                    {milestones
                        .into_iter()
                        .map(|m| {
                            view! {
                                <li class:done=m.done>
                                    <time datetime=m.due.to_string()>{date_zh(m.due)}</time>
                                    <span class="milestone-title">{m.title}</span>
                                    <span class="milestone-state">
                                        {if m.done { "已完成" } else { "未完成" }}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <section class="detail-section">
                <h2>"验收标准"</h2>
                <ol class="criteria">
                    {criteria.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ol>
            </section>
        </article>
    }
}
