use super::not_found_page::NotFound;
use crate::api::get_board;
use crate::domain::{Board, BoardTask, PlanId, PlanRef};
use crate::ui::components::{ErrorPanel, TaskCard};
use crate::ui::format::encode_query;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/`: the current plan (or the published plan `?plan=`) as a numbered grid, grouped by
/// category, filterable by category (`?category=`) and by text (`?q=`). The filters are plain
/// links and a GET form, so they work without JavaScript; once hydrated, typing filters as you
/// type.
#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let plan = Memo::new(move |_| query.read().get("plan").filter(|p| !p.is_empty()));
    let board = Resource::new(
        move || plan.get(),
        |plan| async move {
            match plan.as_deref().map(PlanId::parse) {
                None => get_board(None).await,
                Some(Some(id)) => get_board(Some(id)).await,
                // An id that cannot be one is a plan that does not exist.
                Some(None) => Ok(None),
            }
        },
    );
    view! {
        <Title text="年度重点任务" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(Some(board)) => view! { <BoardView board /> }.into_any(),
                    // A chosen list that does not exist or is still a draft: a 404, as on
                    // the plan page.
                    Ok(None) if plan.get_untracked().is_some() => {
                        view! { <NotFound what="该任务清单" /> }.into_any()
                    }
                    Ok(None) => view! { <EmptyBoard /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The board's own address with a category filter, keeping the chosen plan.
fn board_href(plan: Option<&PlanId>, category: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(p) = plan {
        params.push(format!("plan={}", encode_query(p.as_str())));
    }
    if let Some(c) = category {
        params.push(format!("category={}", encode_query(c)));
    }
    if params.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", params.join("&"))
    }
}

/// The 台账 download of what the board shows: the same plan and filters, as of the board's date.
fn export_href(plan: Option<&PlanId>, format: &str, category: Option<&str>, query: &str) -> String {
    let mut href = format!("/export/ledger?format={format}");
    if let Some(p) = plan {
        href.push_str(&format!("&plan={}", encode_query(p.as_str())));
    }
    if let Some(c) = category {
        href.push_str(&format!("&category={}", encode_query(c)));
    }
    if !query.trim().is_empty() {
        href.push_str(&format!("&q={}", encode_query(query.trim())));
    }
    href
}

/// What a new installation shows before any plan is published.
#[component]
fn EmptyBoard() -> impl IntoView {
    view! {
        <section class="empty-board">
            <h1>"尚无已发布的任务清单"</h1>
            <p>"组织部门发布年度重点任务清单后,任务将在这里按编号展示。"</p>
            <p>"试用演示数据:运行 " <code>"jiebang seed"</code> " 载入大鹏新区2022年度基层党建重点任务。"</p>
        </section>
    }
}

/// Links to the other published plans (往年清单), when there are any.
#[component]
fn PlanSwitch(plans: Vec<PlanRef>, current: PlanId) -> impl IntoView {
    (plans.len() > 1).then(|| {
        let newest = plans.first().map(|p| p.id.clone());
        view! {
            <nav class="plan-switch" aria-label="切换任务清单">
                <span>"清单:"</span>
                {plans
                    .into_iter()
                    .map(|p| {
                        let href = if Some(&p.id) == newest.as_ref() {
                            "/".to_owned()
                        } else {
                            board_href(Some(&p.id), None)
                        };
                        let here = p.id == current;
                        view! {
                            <a
                                href=href
                                class:active=here
                                aria-current=here.then_some("page")
                                title=p.title.clone()
                            >
                                {format!("{}年度", p.year)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    })
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    let query = use_query_map();
    let category = Memo::new(move |_| query.read().get("category").filter(|c| !c.is_empty()));
    let search = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    let total = board.tasks.len();
    let categories = board.category_counts();
    let status_counts = board.status_counts();
    let light_counts = board.light_counts();
    let as_of = board.as_of;
    let calendar_missing = board.calendar_missing;
    let plan = board.plan.clone();
    // Links name the plan only when the board is not the current one, so `/` stays `/`.
    let chosen = board
        .plans
        .first()
        .is_some_and(|current| current.id != plan.id)
        .then(|| plan.id.clone());
    let chosen = StoredValue::new(chosen);
    let plans = board.plans.clone();
    let board = StoredValue::new(board);

    // The visible groups: categories in plan order, each with its matching tasks.
    let groups = Memo::new(move |_| {
        let selected = category.get();
        let needle = search.get();
        board.with_value(|b| {
            b.category_counts()
                .into_iter()
                .filter(|(c, _)| selected.as_ref().is_none_or(|s| s == c))
                .filter_map(|(c, _)| {
                    let tasks: Vec<BoardTask> = b.filtered(Some(&c), &needle).cloned().collect();
                    (!tasks.is_empty()).then_some((c, tasks))
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = move || groups.with(|g| g.iter().map(|(_, t)| t.len()).sum::<usize>());

    view! {
        <header class="board-head">
            <h1>{plan.title.clone()}</h1>
            <p class="board-meta">
                {format!("{}年度 · {}发布 · ", plan.year, plan.issuer)}
                <span class="plan-status">{messages::plan_status(plan.status)}</span>
            </p>
            <PlanSwitch plans current=plan.id.clone() />
            {calendar_missing.then(|| view! {
                <p class="notice calendar-missing" role="note">
                    {format!("未配置{}年法定节假日安排:临期提醒暂按周一至周五计算工作日,请系统管理员导入当年放假调休安排。", plan.year)}
                </p>
            })}
            <ul class="light-summary" aria-label="红黄绿灯统计">
                <li class="as-of">
                    {format!("截至 {} · 按序时进度", crate::ui::format::date_zh(as_of))}
                </li>
                {light_counts
                    .into_iter()
                    .map(|(light, n)| {
                        view! {
                            <li class=format!("light-chip light-{}", light.code())>
                                <span class="light-dot" aria-hidden="true"></span>
                                {messages::light(light)}
                                <strong>{n}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ul class="status-summary" aria-label="任务状态统计">
                {status_counts
                    .into_iter()
                    .map(|(status, n)| {
                        view! {
                            <li class=format!("status-chip status-{}", status.code())>
                                <span class="status-dot" aria-hidden="true"></span>
                                {messages::task_status(status)}
                                <strong>{n}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </header>
        <div class="board-tools">
            <nav class="category-tabs" aria-label="按类别筛选">
                <a
                    href=chosen.with_value(|p| board_href(p.as_ref(), None))
                    class="category-tab"
                    class:active=move || category.get().is_none()
                    aria-current=move || category.get().is_none().then_some("page")
                >
                    "全部"
                    <span class="count">{total}</span>
                </a>
                {categories
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(c, n)| {
                        let href = chosen.with_value(|p| board_href(p.as_ref(), Some(&c)));
                        let active = {
                            let c = c.clone();
                            move || category.get().as_deref() == Some(c.as_str())
                        };
                        view! {
                            <a
                                href=href
                                class="category-tab"
                                class:active=active.clone()
                                aria-current=move || active().then_some("page")
                            >
                                {c}
                                <span class="count">{n}</span>
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <form class="board-search" method="get" action="/" role="search">
                <label for="board-q">"筛选"</label>
                <input
                    id="board-q"
                    type="search"
                    name="q"
                    placeholder="任务名称、单位、责任人或编号"
                    autocomplete="off"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
                {chosen
                    .get_value()
                    .map(|p| view! { <input type="hidden" name="plan" value=p.to_string() /> })}
                {move || {
                    category.get().map(|c| view! { <input type="hidden" name="category" value=c /> })
                }}
                <button type="submit">"查询"</button>
            </form>
            <nav class="board-export" aria-label="导出台账">
                <a
                    class="button secondary"
                    href=move || {
                        chosen
                            .with_value(|p| match p {
                                Some(p) => format!("/bulletin?plan={}", encode_query(p.as_str())),
                                None => "/bulletin".to_owned(),
                            })
                    }
                >
                    "督办通报"
                </a>
                <a
                    class="button secondary"
                    href=move || {
                        chosen
                            .with_value(|p| {
                                export_href(
                                    p.as_ref(),
                                    "xlsx",
                                    category.get().as_deref(),
                                    &search.get(),
                                )
                            })
                    }
                    download
                    rel="external"
                >
                    "导出台账(Excel)"
                </a>
                <a
                    class="button secondary"
                    href=move || {
                        chosen
                            .with_value(|p| {
                                export_href(
                                    p.as_ref(),
                                    "csv",
                                    category.get().as_deref(),
                                    &search.get(),
                                )
                            })
                    }
                    download
                    rel="external"
                >
                    "CSV"
                </a>
            </nav>
        </div>
        <p class="board-count" aria-live="polite">
            {move || format!("显示 {} / {} 项任务", shown(), total)}
        </p>
        <div class="board-groups">
            {move || {
                let groups = groups.get();
                if groups.is_empty() {
                    view! { <p class="empty">"没有符合条件的任务。"</p> }.into_any()
                } else {
                    groups
                        .into_iter()
                        .map(|(name, tasks)| {
                            view! {
                                <section class="category-group">
                                    <h2>
                                        {name} <span class="count">{tasks.len()}</span>
                                    </h2>
                                    <ol class="task-grid">
                                        {tasks
                                            .into_iter()
                                            .map(|task| view! { <TaskCard task /> })
                                            .collect_view()}
                                    </ol>
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </div>
    }
}
