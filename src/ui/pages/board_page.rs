use super::not_found_page::NotFound;
use crate::api::get_board;
use crate::api::plans::get_board_trend;
use crate::domain::views::{BoardFilter, BoardLayout, Tally, UnitSort, UnitStanding};
use crate::domain::{Board, BoardTask, Light, PlanId, PlanRef, TaskStatus};
use crate::ui::components::{
    AcceptanceTrend, CompletionByUnit, ErrorPanel, Kanban, LightsByCategory, ProgressTrend,
    TaskCard, Timeline,
};
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
    // The server sends the tasks in the filters' scope (a 10,000-task plan filtered to one
    // unit sends that unit's); the text narrows them here, as the user types.
    let scope = Memo::new(move |_| BoardFilter::from_params(|k| query.read().get(k)).scope());
    let live = crate::ui::live::use_live();
    // Fetched again on every live change: a colleague's report shows without reload.
    let board = Resource::new(
        move || (plan.get(), scope.get(), live.any()),
        |(plan, scope, _)| async move {
            match plan.as_deref().map(PlanId::parse) {
                None => get_board(None, scope).await,
                Some(Some(id)) => get_board(Some(id), scope).await,
                // An id that cannot be one is a plan that does not exist.
                Some(None) => Ok(None),
            }
        },
    );
    crate::ui::components::KanbanNote::provide();
    // The search box's text outlives a refetch of the board beneath it.
    let search = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    view! {
        <Title text="年度重点任务" />
        // A Transition: while a live change is fetched, the board stays as it was.
        <Transition fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(Some(board)) => view! { <BoardView board search /> }.into_any(),
                    // A chosen list that does not exist or is still a draft: a 404, as on
                    // the plan page.
                    Ok(None) if plan.get_untracked().is_some() => {
                        view! { <NotFound what="该任务清单" /> }.into_any()
                    }
                    Ok(None) => view! { <EmptyBoard /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
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

/// The board's address with `filter` (and the chosen plan), so links keep every filter.
fn filtered_href(plan: Option<&PlanId>, filter: &BoardFilter) -> String {
    let mut params: Vec<String> = plan
        .map(|p| format!("plan={}", encode_query(p.as_str())))
        .into_iter()
        .collect();
    params.extend(
        filter
            .params()
            .into_iter()
            .map(|(name, value)| format!("{name}={}", encode_query(&value))),
    );
    if params.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", params.join("&"))
    }
}

/// A layout as its tab names it.
fn layout_name(layout: BoardLayout) -> &'static str {
    match layout {
        BoardLayout::Cards => "卡片",
        BoardLayout::Table => "一览表",
        BoardLayout::Units => "按单位",
        BoardLayout::Timeline => "时间轴",
        BoardLayout::Charts => "图表",
        BoardLayout::Kanban => "看板",
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
fn BoardView(board: Board, search: RwSignal<String>) -> impl IntoView {
    let query = use_query_map();
    let category = Memo::new(move |_| query.read().get("category").filter(|c| !c.is_empty()));
    // Every filter but the text, which follows the search box as the user types.
    let filter = Memo::new(move |_| BoardFilter::from_params(|k| query.read().get(k)));
    let total = board.tally().total;
    let units = board.lead_units();
    let categories = board.category_counts();
    let status_counts = board.status_counts();
    let light_counts = board.light_counts();
    let tally = board.tally();
    let as_of = board.as_of;
    let year = board.plan.year;
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
        let filter = BoardFilter {
            query: search.get(),
            ..filter.get()
        };
        board.with_value(|b| {
            b.category_counts()
                .into_iter()
                .filter_map(|(c, _)| {
                    let tasks: Vec<BoardTask> = b
                        .tasks
                        .iter()
                        .filter(|t| t.category == c && filter.matches(t))
                        .cloned()
                        .collect();
                    (!tasks.is_empty()).then_some((c, tasks))
                })
                .collect::<Vec<_>>()
        })
    });
    let layout = move || filter.with(|f| f.layout);
    // The office makes the 大屏 links.
    let session = crate::ui::session::use_session();
    let displays_allowed = move || {
        session.user.with(|u| {
            u.as_ref().is_some_and(|u| {
                crate::domain::policy::authorize(
                    Some(u.role),
                    crate::domain::policy::Capability::ManagePlans,
                )
                .is_ok()
            })
        })
    };
    // The month-by-month trend, fetched only for the charts (and again on live changes).
    let live = crate::ui::live::use_live();
    let trend = Resource::new(
        move || (layout() == BoardLayout::Charts).then(|| live.any()),
        move |wanted| async move {
            match wanted {
                Some(_) => get_board_trend(chosen.get_value()).await,
                None => Ok(None),
            }
        },
    );
    // The trend counts the whole plan (the filters narrow the other charts).
    let board_total = board.with_value(|b| b.tally().counted());
    let table = move || layout() == BoardLayout::Table;
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
            <BoardSummary
                tally
                light_counts
                status_counts
                as_of
                link=move |f: BoardFilter| chosen.with_value(|p| filtered_href(p.as_ref(), &f))
            />
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
                <FilterFields units filter=filter.get_untracked() />
                <button type="submit">"查询"</button>
                {move || filter.with(BoardFilter::narrowed).then(|| view! {
                    <a class="clear-filters" href=chosen.with_value(|p| board_href(p.as_ref(), None))>"清除筛选"</a>
                })}
            </form>
            <nav class="board-export" aria-label="导出台账">
                {move || displays_allowed().then(|| view! {
                    <a class="button secondary" href="/admin/displays" title="会议室大屏的只读看板链接">"大屏"</a>
                })}
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
        <div class="board-bar">
        <nav class="view-tabs" aria-label="切换视图">
            {BoardLayout::ALL
                .into_iter()
                .map(|l| {
                    let href = move || {
                        let f = BoardFilter { layout: l, query: search.get(), ..filter.get() };
                        chosen.with_value(|p| filtered_href(p.as_ref(), &f))
                    };
                    let here = move || layout() == l;
                    view! {
                        <a href=href class="view-tab" class:active=here aria-current=move || here().then_some("page")>
                            {layout_name(l)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <p class="board-count" aria-live="polite">
            {move || format!("显示 {} / {} 项任务", shown(), total)}
        </p>
        </div>
        <div class="board-groups" class:as-table=table>
            {move || {
                let groups = groups.get();
                if layout() == BoardLayout::Units {
                    let f = BoardFilter { query: search.get(), ..filter.get() };
                    let mut lines = board.with_value(|b| b.by_unit(&f));
                    f.sort.sort(&mut lines, f.ascending);
                    return view! { <UnitTable lines filter=f plan=chosen.get_value() /> }.into_any();
                }
                if layout() == BoardLayout::Charts {
                    let f = BoardFilter { query: search.get(), ..filter.get() };
                    let (by_category, units, total) = board.with_value(|b| {
                        let shown: Vec<&BoardTask> = b.tasks.iter().filter(|t| f.matches(t)).collect();
                        let by_category: Vec<(String, Tally)> = b
                            .category_counts()
                            .into_iter()
                            .map(|(c, _)| {
                                let tally = Tally::of(shown.iter().copied().filter(|t| t.category == c), b.as_of);
                                (c, tally)
                            })
                            .filter(|(_, t)| t.total > 0)
                            .collect();
                        let total = shown.iter().filter(|t| t.status != TaskStatus::Cancelled).count();
                        (by_category, b.by_unit(&f), u32::try_from(total).unwrap_or(u32::MAX))
                    });
                    return view! {
                        <div class="charts">
                            <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
                                {move || Suspend::new(async move {
                                    match trend.await {
                                        Ok(Some(points)) => view! {
                                            <ProgressTrend trend=points.clone() />
                                            <AcceptanceTrend trend=points total=board_total />
                                        }.into_any(),
                                        Ok(None) => ().into_any(),
                                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                                    }
                                })}
                            </Suspense>
                            <LightsByCategory rows=by_category />
                            <CompletionByUnit lines=units />
                            <p class="chart-scope">{format!("图表按当前筛选统计:{total} 项任务(不含已撤项)。")}</p>
                        </div>
                    }
                    .into_any();
                }
                if layout() == BoardLayout::Kanban {
                    let mut tasks: Vec<BoardTask> = groups.into_iter().flat_map(|(_, t)| t).collect();
                    tasks.sort_by_key(|t| t.number);
                    let role = session.user.with_untracked(|u| u.as_ref().map(|u| u.role));
                    return view! { <Kanban tasks role /> }.into_any();
                }
                if layout() == BoardLayout::Timeline && !groups.is_empty() {
                    let mut tasks: Vec<BoardTask> = groups.into_iter().flat_map(|(_, t)| t).collect();
                    tasks.sort_by_key(|t| t.number);
                    return view! { <Timeline tasks year as_of /> }.into_any();
                }
                if table() && !groups.is_empty() {
                    // The 一览表 runs in 序号 order, as the list was posted.
                    let mut tasks: Vec<BoardTask> = groups.into_iter().flat_map(|(_, t)| t).collect();
                    tasks.sort_by_key(|t| t.number);
                    return view! { <OverviewTable tasks /> }.into_any();
                }
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

/// The filters beyond category and text, as fields of the board's GET form: they work without
/// JavaScript and end up in the address.
#[component]
fn FilterFields(units: Vec<String>, filter: BoardFilter) -> impl IntoView {
    let lights = [Light::Red, Light::Yellow, Light::Green];
    view! {
        <div class="board-filters">
        <label class="filter">
            "牵头单位"
            <select name="unit">
                <option value="">"全部"</option>
                {units
                    .into_iter()
                    .map(|u| {
                        let on = filter.unit.as_deref() == Some(u.as_str());
                        let value = u.clone();
                        view! { <option value=value selected=on>{u}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <label class="filter">
            "灯"
            <select name="light">
                <option value="">"全部"</option>
                {lights
                    .into_iter()
                    .map(|l| view! { <option value=l.code() selected=filter.light == Some(l)>{messages::light(l)}</option> })
                    .collect_view()}
            </select>
        </label>
        <label class="filter">
            "状态"
            <select name="status">
                <option value="">"全部"</option>
                {TaskStatus::ALL
                    .into_iter()
                    .map(|s| view! { <option value=s.code() selected=filter.status == Some(s)>{messages::task_status(s)}</option> })
                    .collect_view()}
            </select>
        </label>
        <label class="filter check">
            <input type="checkbox" name="key" value="1" checked=filter.key />
            "重中之重"
        </label>
        // The layout (and the unit view's order) stay as they are when the form filters.
        {filter
            .params()
            .into_iter()
            .filter(|(name, _)| matches!(*name, "view" | "sort" | "dir"))
            .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
            .collect_view()}
        </div>
    }
}

/// 一览表: one dense row per task — 序号, 任务, 牵头单位, 责任人, 节点, 时限, 进度 against
/// 序时进度, and the light with its reason — so a 调度会 sees all 40 on one screen.
#[component]
fn OverviewTable(tasks: Vec<BoardTask>) -> impl IntoView {
    use crate::ui::format::date_zh;
    let short = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        format!("{}-{}", d.month(), d.day())
    };
    view! {
        <table class="overview">
            <thead>
                <tr>
                    <th scope="col">"序号"</th>
                    <th scope="col">"任务"</th>
                    <th scope="col">"牵头单位"</th>
                    <th scope="col">"责任人"</th>
                    <th scope="col">"节点"</th>
                    <th scope="col">"时限"</th>
                    <th scope="col">"进度 / 序时"</th>
                    <th scope="col">"灯"</th>
                </tr>
            </thead>
            <tbody>
                {tasks
                    .into_iter()
                    .map(|t| {
                        let href = format!("/tasks/{}", t.id);
                        let nodes = if t.nodes.is_empty() {
                            "—".to_owned()
                        } else {
                            let next = t.next_due().map(|d| format!(" · 下一 {}", short(d))).unwrap_or_default();
                            format!("{}/{}{next}", t.nodes_reached(), t.nodes.len())
                        };
                        let light = match t.light {
                            Some(l) if matches!(t.status, TaskStatus::InProgress | TaskStatus::Returned) => {
                                let reason = t.reason.map(messages::light_reason).unwrap_or_default();
                                view! {
                                    <span class=format!("light-chip light-{}", l.code())>
                                        <span class="light-dot" aria-hidden="true"></span>
                                        {messages::light(l)}
                                    </span>
                                    <span class="overview-reason">{reason}</span>
                                }
                                    .into_any()
                            }
                            _ => view! { <span class="overview-status">{messages::task_status(t.status)}</span> }.into_any(),
                        };
                        let behind = i32::from(t.expected) - i32::from(t.percent.value());
                        view! {
                            <tr class:key-task=t.key>
                                <td class="num">{t.number}</td>
                                <th scope="row"><a href=href>{t.title}</a></th>
                                <td>{t.lead_unit.unwrap_or_else(|| "待揭榜".to_owned())}</td>
                                <td>{t.owner.unwrap_or_default()}</td>
                                <td class="nodes">{nodes}</td>
                                <td class="due">{date_zh(t.deadline)}</td>
                                <td class="progress" class:behind={behind > 0}>
                                    <span class="bar" aria-hidden="true">
                                        <span class="done" style=format!("width:{}%", t.percent.value())></span>
                                        <span class="expected" style=format!("left:{}%", t.expected)></span>
                                    </span>
                                    {format!("{}% / {}%", t.percent.value(), t.expected)}
                                </td>
                                <td class="light">{light}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The summary strip: the date, the lights, 逾期, and every status, each a link to the board
/// filtered to it.
#[component]
fn BoardSummary(
    tally: Tally,
    light_counts: Vec<(Light, usize)>,
    status_counts: Vec<(TaskStatus, usize)>,
    as_of: chrono::NaiveDate,
    link: impl Fn(BoardFilter) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <ul class="light-summary" aria-label="红黄绿灯统计">
            <li class="as-of">
                {format!("截至 {} · 按序时进度 · 共 {} 项", crate::ui::format::date_zh(as_of), tally.total)}
            </li>
            {light_counts
                .into_iter()
                .map(|(light, n)| {
                    let href = link(BoardFilter { light: Some(light), ..BoardFilter::default() });
                    view! {
                        <li>
                            <a class=format!("light-chip light-{}", light.code()) href=href>
                                <span class="light-dot" aria-hidden="true"></span>
                                {messages::light(light)}
                                <strong>{n}</strong>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
            <li class="overdue-chip" class:none={tally.overdue == 0} title="已过完成时限、尚未报请验收的任务">
                "逾期" <strong>{tally.overdue}</strong>
            </li>
        </ul>
        <ul class="status-summary" aria-label="任务状态统计">
            {status_counts
                .into_iter()
                .map(|(status, n)| {
                    let href = link(BoardFilter { status: Some(status), ..BoardFilter::default() });
                    view! {
                        <li>
                            <a class=format!("status-chip status-{}", status.code()) href=href>
                                <span class="status-dot" aria-hidden="true"></span>
                                {messages::task_status(status)}
                                <strong>{n}</strong>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// 按单位: one row per unit, the tasks it leads and those it co-operates on apart, with the
/// lights and 完成率 of what it leads; every heading re-sorts (a link, so without JavaScript too).
#[component]
fn UnitTable(lines: Vec<UnitStanding>, filter: BoardFilter, plan: Option<PlanId>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="empty">"没有符合条件的任务。"</p> }.into_any();
    }
    let (sort, ascending) = (filter.sort, filter.ascending);
    let link = |sort: UnitSort, ascending: bool| {
        let f = BoardFilter {
            sort,
            ascending,
            ..filter.clone()
        };
        filtered_href(plan.as_ref(), &f)
    };
    let head = |key: UnitSort, label: &'static str| {
        let on = sort == key;
        // The same heading again turns the order round; list order has no direction.
        let next = on && !ascending && key != UnitSort::List;
        let state = match (on, ascending) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) if key == UnitSort::List => "other",
            (true, false) => "descending",
        };
        view! {
            <th scope="col" aria-sort=state>
                <a href=link(key, next) class:active=on>
                    {label}
                    {on.then(|| if ascending { " ↑" } else if key == UnitSort::List { "" } else { " ↓" })}
                </a>
            </th>
        }
    };
    view! {
        <table class="by-unit">
            <thead>
                <tr>
                    {head(UnitSort::List, "单位")}
                    {head(UnitSort::Lead, "牵头")}
                    {head(UnitSort::Red, "红灯")}
                    {head(UnitSort::Yellow, "黄灯")}
                    <th scope="col">"绿灯"</th>
                    {head(UnitSort::Overdue, "逾期")}
                    <th scope="col">"待验收"</th>
                    {head(UnitSort::Completion, "完成率")}
                    {head(UnitSort::Progress, "平均进度")}
                    {head(UnitSort::Co, "配合")}
                    <th scope="col">"配合中红灯"</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|line| {
                        let lead = line.lead;
                        let href = filtered_href(
                            plan.as_ref(),
                            &BoardFilter {
                                unit: Some(line.unit.clone()),
                                layout: BoardLayout::Table,
                                ..BoardFilter::default()
                            },
                        );
                        let ratio = lead.completion();
                        let count = |n: u32, class: &'static str| {
                            view! { <td class=format!("n {class}") class:zero={n == 0}>{n}</td> }
                        };
                        view! {
                            <tr>
                                <th scope="row">
                                    {if lead.total > 0 {
                                        view! { <a href=href>{line.unit.clone()}</a> }.into_any()
                                    } else {
                                        view! { <span>{line.unit.clone()}</span> }.into_any()
                                    }}
                                </th>
                                {count(lead.counted(), "lead")}
                                {count(lead.red, "red")}
                                {count(lead.yellow, "yellow")}
                                {count(lead.green, "green")}
                                {count(lead.overdue, "overdue")}
                                {count(lead.submitted, "submitted")}
                                <td class="ratio">
                                    <span class="bar" aria-hidden="true">
                                        <span class="done" style=format!("width:{ratio}%")></span>
                                    </span>
                                    {format!("{ratio}%({}/{})", lead.accepted, lead.counted())}
                                </td>
                                <td class="n mean">{format!("{}%", lead.progress())}</td>
                                {count(line.co.counted(), "co")}
                                {count(line.co.red, "red")}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
