use crate::api::organization::list_units;
use crate::api::plans::{CreatePlan, PublishPlan, get_import_attempt, list_plans};
use crate::domain::ids::ImportAttemptId;
use crate::domain::{LightSettings, PlanStatus, PlanSummary, Unit};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/plans` (督办管理员): the year's 任务清单 — create a draft, import its tasks from the office's
/// Excel/WPS 台账 or CSV, and 发榜. Plain forms, so it all works without JavaScript.
#[component]
pub fn PlansPage() -> impl IntoView {
    let create = ServerAction::<CreatePlan>::new();
    let publish = ServerAction::<PublishPlan>::new();
    let written = [saved(create), saved(publish)];
    let data = Resource::new(
        move || any_saved(written),
        |_| async { Ok::<_, AppError>((list_plans().await?, list_units().await?)) },
    );
    let query = use_query_map();
    let imported = move || query.read().get("imported");
    let attempt = Resource::new(
        move || query.read().get("attempt"),
        |id| async move {
            match id.as_deref().and_then(ImportAttemptId::parse) {
                Some(id) => get_import_attempt(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // The create form shows its own errors under its fields.
    let error = move || publish.value().get().and_then(Result::err);
    view! {
        <Title text="发榜管理" />
        <h1>"发榜管理"</h1>
        {move || {
            imported()
                .map(|n| {
                    let units = query
                        .read()
                        .get("new_units")
                        .filter(|u| u != "0")
                        .map(|u| format!("新建单位 {u} 个(可在单位与人员中核对类型)。"))
                        .unwrap_or_default();
                    let merged = query
                        .read()
                        .get("merged")
                        .filter(|m| m != "0")
                        .map(|m| format!("表中 {m} 处合并单元格已按所覆盖的每一行取同一值。"))
                        .unwrap_or_default();
                    view! {
                        <p class="form-notice" role="status">
                            {format!("已导入 {n} 项任务。{units}{merged}请核对后发榜。")}
                        </p>
                    }
                })
        }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                attempt.await.ok().flatten().map(|a| view! { <ImportProblems attempt=a /> })
            })}
        </Suspense>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok((plans, units)) => {
                        view! {
                            <PlanTable plans publish />
                            <CreatePlanForm units create />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Every problem of a failed import, one per line, as the office fixes its file.
#[component]
fn ImportProblems(attempt: crate::api::plans::ImportAttempt) -> impl IntoView {
    let text = messages::error(&attempt.error);
    let mut unknown: Vec<String> = match &attempt.error {
        AppError::Import(problems) => problems
            .iter()
            .filter_map(|p| match &p.issue {
                crate::domain::import::ImportIssue::UnknownUnit { name } => Some(name.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    unknown.sort();
    unknown.dedup();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let count = lines.len();
    view! {
        <section class="error-panel import-problems" role="alert">
            <h2>{format!("文件“{}”未导入:{count} 处问题,均未写入", attempt.file_name)}</h2>
            <ol>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            <p>"请在文件中逐条改正后重新导入。"</p>
            {(!unknown.is_empty()).then(|| view! {
                <p class="hint">
                    {format!(
                        "表中有 {} 个单位尚未建立({})。如确为新单位,勾选“一并建立表中新出现的单位”后重新导入,这些单位将与任务一同建立。",
                        unknown.len(),
                        unknown.join("、"),
                    )}
                </p>
            })}
        </section>
    }
}

#[component]
fn PlanTable(plans: Vec<PlanSummary>, publish: ServerAction<PublishPlan>) -> impl IntoView {
    if plans.is_empty() {
        return view! { <p class="empty">"尚无任务清单。先在下方新建一份草稿,再导入任务。"</p> }
            .into_any();
    }
    view! {
        <table class="ledger plans">
            <thead>
                <tr>
                    <th scope="col">"年度"</th>
                    <th scope="col">"任务清单"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">"办理"</th>
                </tr>
            </thead>
            <tbody>
                {plans
                    .into_iter()
                    .map(|p| {
                        let draft = p.status == PlanStatus::Draft;
                        let id = p.id.to_string();
                        let row_id = id.clone();
                        view! {
                            <tr data-plan=row_id>
                                <td>{p.year}</td>
                                <th scope="row">
                                    <a href=format!("/plans/{}", p.id)>{p.title.clone()}</a>
                                </th>
                                <td>{messages::plan_status(p.status)}</td>
                                <td class="plan-actions">
                                    {if draft {
                                        view! { <DraftActions id version=p.version publish /> }.into_any()
                                    } else {
                                        view! { <a href=format!("/?plan={id}")>"查看看板"</a> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
        .into_any()
}

/// A draft's 导入 (a plain multipart form: the route answers with a redirect back here) and 发榜.
#[component]
fn DraftActions(id: String, version: u32, publish: ServerAction<PublishPlan>) -> impl IntoView {
    view! {
        <form
            class="import-form"
            method="post"
            enctype="multipart/form-data"
            action=format!("/plans/{}/import", id)
        >
            <input type="hidden" name="version" value=version />
            <label>
                "任务清单文件"
                <input type="file" name="file" accept=".xlsx,.xls,.csv" required />
            </label>
            <label class="check">
                <input type="checkbox" name="create_units" value="true" />
                "一并建立表中新出现的单位"
            </label>
            <button type="submit" class="secondary">"导入"</button>
        </form>
        <a href=format!("/plans/{id}/template") download rel="external">"下载导入模板"</a>
        <ActionForm action=publish attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <button type="submit">"发榜"</button>
        </ActionForm>
    }
}

#[component]
fn CreatePlanForm(units: Vec<Unit>, create: ServerAction<CreatePlan>) -> impl IntoView {
    let defaults = LightSettings::default();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <section class="detail-section">
            <h2>"新建任务清单(草稿)"</h2>
            <ActionForm action=create attr:class="grid-form">
                <label>
                    "年度"
                    <input name="year" inputmode="numeric" required aria-describedby="plan-year-error" />
                    <FieldErrors error field="year" id="plan-year-error" />
                </label>
                <label>
                    "清单名称"
                    <input name="title" required aria-describedby="plan-title-error" />
                    <FieldErrors error field="title" id="plan-title-error" />
                </label>
                <label>
                    "发榜单位"
                    <select name="issuer" aria-describedby="plan-issuer-error">
                        {units
                            .into_iter()
                            .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> })
                            .collect_view()}
                    </select>
                    <FieldErrors error field="issuer" id="plan-issuer-error" />
                </label>
                <label>
                    "任务类别(每行一个,按顺序)"
                    <textarea name="categories" rows="4" required aria-describedby="plan-categories-error"></textarea>
                    <FieldErrors error field="categories" id="plan-categories-error" />
                </label>
                <label>
                    "黄灯阈值(落后序时进度百分点)"
                    <input name="yellow_behind" value=defaults.yellow_behind inputmode="numeric" aria-describedby="plan-yellow-error" />
                    <FieldErrors error field="yellow_behind" id="plan-yellow-error" />
                </label>
                <label>
                    "红灯阈值(落后序时进度百分点)"
                    <input name="red_behind" value=defaults.red_behind inputmode="numeric" aria-describedby="plan-red-error" />
                    <FieldErrors error field="red_behind" id="plan-red-error" />
                </label>
                <label>
                    "临期提醒(提前工作日数)"
                    <input name="due_soon_days" value=defaults.due_soon_days inputmode="numeric" aria-describedby="plan-due-error" />
                    <FieldErrors error field="due_soon_days" id="plan-due-error" />
                </label>
                <label>
                    "每月报送日(1–28,各单位每月此日前报送进度)"
                    <input name="report_day" value="25" inputmode="numeric" aria-describedby="plan-report-day-error" />
                    <FieldErrors error field="report_day" id="plan-report-day-error" />
                </label>
                <label>
                    "揭榜开始日期(可空)"
                    <input type="date" name="claim_from" aria-describedby="plan-claim-from-error" />
                    <FieldErrors error field="claim_from" id="plan-claim-from-error" />
                </label>
                <label>
                    "揭榜截止日期(可空)"
                    <input type="date" name="claim_to" aria-describedby="plan-claim-to-error" />
                    <FieldErrors error field="claim_to" id="plan-claim-to-error" />
                </label>
                <FormError error />
                <button type="submit">"新建草稿"</button>
            </ActionForm>
            <p class="hint">
                "任务清单可用 Excel/WPS 表格导入:第一行(或标题行下一行)为表头,至少包含 序号、类别、任务、完成时限、验收标准;"
                "推进目标、验收标准每行一条,推进目标以日期开头(如 2022年8月20日 6个试点小区)。从看板导出的台账可直接作为样例。"
            </p>
        </section>
    }
}
