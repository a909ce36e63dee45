use super::not_found_page::NotFound;
use crate::api::organization::get_directory;
use crate::api::plans::{AddTask, DeleteTask, RenumberTasks, get_plan_ledger};
use crate::domain::{Entity, Ledger, Person, PlanId, PlanStatus, TaskForm, TaskStatus, Unit};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FormError, TaskChoices, TaskFields};
use crate::ui::format::date_zh;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/plans/:id` (督办管理员): one plan's tasks. A draft's tasks are added, edited, deleted
/// and renumbered here; a published plan's tasks are edited (调整, with a reason) from here.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let actions = PlanActions {
        add: ServerAction::<AddTask>::new(),
        delete: ServerAction::<DeleteTask>::new(),
        renumber: ServerAction::<RenumberTasks>::new(),
    };
    // Only a write that went through reloads the page: a refused one keeps the form as typed,
    // with its errors under the fields.
    let written = [
        saved(actions.add),
        saved(actions.delete),
        saved(actions.renumber),
    ];
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                any_saved(written),
            )
        },
        |(id, ..)| async move {
            let id = PlanId::parse(&id).ok_or(AppError::NotFound(Entity::Plan))?;
            let (ledger, (units, people)) =
                futures::try_join!(get_plan_ledger(id), get_directory())?;
            Ok::<_, AppError>((ledger, units, people))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((ledger, units, people)) => {
                        view! { <PlanView ledger units people actions /> }.into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound what="该任务清单" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The plan page's writes; each one's version keys the page's data.
#[derive(Clone, Copy)]
struct PlanActions {
    add: ServerAction<AddTask>,
    delete: ServerAction<DeleteTask>,
    renumber: ServerAction<RenumberTasks>,
}

#[component]
fn PlanView(
    ledger: Ledger,
    units: Vec<Unit>,
    people: Vec<Person>,
    actions: PlanActions,
) -> impl IntoView {
    let plan = ledger.plan;
    let draft = plan.status == PlanStatus::Draft;
    let count = ledger.rows.len();
    let gaps = ledger.rows.iter().zip(1_u32..).any(|(r, n)| r.number != n);
    let next = ledger.rows.last().map_or(1, |r| r.number + 1);
    let delete_error = Signal::derive(move || actions.delete.value().get().and_then(Result::err));
    let renumber_error =
        Signal::derive(move || actions.renumber.value().get().and_then(Result::err));
    let window = plan
        .claim_window
        .map(|w| format!(" · 揭榜时间 {} 至 {}", date_zh(w.from), date_zh(w.to)));
    let plan_id = plan.id.to_string();
    let renumber_id = plan_id.clone();
    let choices = TaskChoices {
        categories: plan.categories.clone(),
        units,
        people,
    };
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
            {window}
            {(!draft).then(|| view! { " · " <a href=format!("/?plan={}", plan.id)>"查看看板"</a> })}
        </p>
        {(draft && gaps).then(|| {
            view! {
                <ActionForm action=actions.renumber attr:class="row-form renumber-form">
                    <input type="hidden" name="id" value=renumber_id />
                    <input type="hidden" name="version" value=plan.version />
                    <span>"序号有空缺,发榜前须为 1 至 N 连续编号。"</span>
                    <button type="submit" class="secondary">"重新编号"</button>
                </ActionForm>
                <FormError error=renumber_error />
            }
        })}
        <FormError error=delete_error />
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
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ledger
                            .rows
                            .into_iter()
                            .map(|r| {
                                let edit = format!("/tasks/{}/edit", r.id);
                                let id = r.id.to_string();
                                let version = r.version;
                                let lead = r
                                    .responsibility
                                    .lead_unit
                                    .unwrap_or_else(|| messages::task_status(TaskStatus::Open).to_owned());
                                view! {
                                    <tr data-number=r.number>
                                        <td data-label="序号">{r.number}</td>
                                        <td data-label="类别">{r.category}</td>
                                        <th scope="row">
                                            {r.key.then(|| view! { <span class="key-mark">"重中之重"</span> })}
                                            {r.title}
                                        </th>
                                        <td data-label="牵头单位">{lead}</td>
                                        <td data-label="推进目标">{format!("{} 条", r.milestones.len())}</td>
                                        <td data-label="完成时限">{date_zh(r.deadline)}</td>
                                        <td data-label="验收标准">{format!("{} 条", r.criteria.len())}</td>
                                        <td data-label="操作" class="row-actions">
                                            <a href=edit>{if draft { "修改" } else { "调整" }}</a>
                                            {draft.then(|| view! {
                                                <ActionForm action=actions.delete attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id />
                                                    <input type="hidden" name="version" value=version />
                                                    <button type="submit" class="link-button danger">"删除"</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        {(plan.status != PlanStatus::Closed).then(|| {
            view! { <AddTaskForm plan=plan_id choices next add=actions.add /> }
        })}
    }
}

/// 添加任务: every field of a task; each problem is shown under its field.
#[component]
fn AddTaskForm(
    plan: String,
    choices: TaskChoices,
    next: u32,
    add: ServerAction<AddTask>,
) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    // After a task is added the form starts over for the next one.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if add.value().get().is_some_and(|r| r.is_ok())
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
    let initial = TaskForm {
        number: next.to_string(),
        ..Default::default()
    };
    view! {
        <section class="detail-section">
            <h2>"添加任务"</h2>
            <ActionForm action=add node_ref=form attr:class="grid-form task-form">
                <input type="hidden" name="plan" value=plan />
                <TaskFields initial choices locked=false error />
                <FormError error />
                <button type="submit">"添加任务"</button>
            </ActionForm>
        </section>
    }
}
