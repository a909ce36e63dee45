use super::not_found_page::NotFound;
use crate::api::organization::list_units;
use crate::api::plans::{AddTask, get_plan_ledger};
use crate::domain::{Entity, Ledger, PlanId, PlanStatus, Unit};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/plans/:id` (督办管理员): one plan's tasks; a draft also takes new tasks here, written the
/// way the office's spreadsheet writes them.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddTask>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                add.version().get(),
            )
        },
        |(id, _)| async move {
            let id = PlanId::parse(&id).ok_or(AppError::NotFound(Entity::Plan))?;
            Ok::<_, AppError>((get_plan_ledger(id).await?, list_units().await?))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((ledger, units)) => view! { <PlanView ledger units add /> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound what="该任务清单" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanView(ledger: Ledger, units: Vec<Unit>, add: ServerAction<AddTask>) -> impl IntoView {
    let plan = ledger.plan;
    let draft = plan.status == PlanStatus::Draft;
    let count = ledger.rows.len();
    view! {
        <Title text=plan.title.clone() />
        <nav class="breadcrumb" aria-label="位置">
            <a href="/plans">"发榜管理"</a>
            <span aria-hidden="true">" › "</span>
            <span>{plan.title.clone()}</span>
        </nav>
        <h1>{plan.title.clone()}</h1>
        <p class="board-meta">
            {format!("{}年度 · {} · {count} 项任务", plan.year, messages::plan_status(plan.status))}
        </p>
        {if ledger.rows.is_empty() {
            view! { <p class="empty">"尚无任务。可在下方逐项添加,或在发榜管理中导入任务清单。"</p> }.into_any()
        } else {
            view! {
                <table class="ledger plan-tasks">
                    <thead>
                        <tr>
                            <th scope="col">"序号"</th>
                            <th scope="col">"类别"</th>
                            <th scope="col">"任务"</th>
                            <th scope="col">"牵头单位"</th>
                            <th scope="col">"推进目标"</th>
                            <th scope="col">"完成时限"</th>
                            <th scope="col">"验收标准"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ledger
                            .rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr data-number=r.number>
                                        <td data-label="序号">{r.number}</td>
                                        <td data-label="类别">{r.category}</td>
                                        <th scope="row">{r.title}</th>
                                        <td data-label="牵头单位">
                                            {r.responsibility.lead_unit.unwrap_or_else(|| "待揭榜".to_owned())}
                                        </td>
                                        <td data-label="推进目标">{format!("{} 条", r.milestones.len())}</td>
                                        <td data-label="完成时限">{date_zh(r.deadline)}</td>
                                        <td data-label="验收标准">{format!("{} 条", r.criteria.len())}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        {draft.then(|| view! { <AddTaskForm plan=plan.id.to_string() categories=plan.categories units next=count + 1 add /> })}
    }
}

/// 添加任务: every field of a task; each problem is shown under its field.
#[component]
fn AddTaskForm(
    plan: String,
    categories: Vec<String>,
    units: Vec<Unit>,
    next: usize,
    add: ServerAction<AddTask>,
) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <section class="detail-section">
            <h2>"添加任务"</h2>
            <ActionForm action=add attr:class="grid-form task-form">
                <input type="hidden" name="plan" value=plan />
                <label>
                    "序号"
                    <input name="number" value=next inputmode="numeric" required aria-describedby="task-number-error" />
                    <FieldErrors error field="number" id="task-number-error" />
                </label>
                <label>
                    "任务名称"
                    <input name="title" required aria-describedby="task-title-error" />
                    <FieldErrors error field="title" id="task-title-error" />
                </label>
                <label>
                    "类别"
                    <select name="category">
                        {categories
                            .into_iter()
                            .map(|c| {
                                let value = c.clone();
                                view! { <option value=value>{c}</option> }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrors error field="category" id="task-category-error" />
                </label>
                <label>
                    "牵头单位(空为待揭榜)"
                    <select name="lead_unit">
                        <option value="">"(待揭榜)"</option>
                        {units
                            .into_iter()
                            .filter(|u| u.active)
                            .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> })
                            .collect_view()}
                    </select>
                    <FieldErrors error field="lead_unit" id="task-lead_unit-error" />
                </label>
                <label>
                    "完成时限"
                    <input type="date" name="deadline" required aria-describedby="task-deadline-error" />
                    <FieldErrors error field="deadline" id="task-deadline-error" />
                </label>
                <label class="wide">
                    "任务内容"
                    <textarea name="description" rows="2"></textarea>
                    <FieldErrors error field="description" id="task-description-error" />
                </label>
                <label class="wide">
                    "推进目标(每行一条,以日期开头,如 2022年8月20日 6个试点小区)"
                    <textarea name="milestones" rows="3" aria-describedby="task-milestones-error"></textarea>
                    <FieldErrors error field="milestones" id="task-milestones-error" />
                </label>
                <label class="wide">
                    "验收标准(每行一条)"
                    <textarea name="criteria" rows="3" aria-describedby="task-criteria-error"></textarea>
                    <FieldErrors error field="criteria" id="task-criteria-error" />
                </label>
                <FormError error />
                <button type="submit">"添加任务"</button>
            </ActionForm>
        </section>
    }
}
