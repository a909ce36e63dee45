use crate::api::displays::get_wall;
use crate::domain::display::{Wall, WallPage as Screen};

use crate::error::AppError;
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/wall/:token`: 大屏 — the board for a meeting-room screen, opened by a display link (no
/// sign-in), in large type, one category (or lead unit) per screen. With JavaScript it turns
/// every few seconds and follows live changes; without, the page reloads itself onto the next
/// screen (`?page=`).
#[component]
pub fn WallPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let live = crate::ui::live::use_live();
    let wall = Resource::new(
        move || (token.get(), live.any()),
        |(token, _)| get_wall(token),
    );
    let start = query
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(0);
    let index = RwSignal::new(start);
    view! {
        <Title text="大屏" />
        <Transition fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match wall.await {
                    Ok(wall) => view! { <WallView wall index token=token.get_untracked() /> }.into_any(),
                    Err(AppError::NotFound(_)) => view! {
                        {super::not_found_page::answer_not_found()}
                        <section class="wall wall-gone">
                            <h1>"该大屏链接已收回或不存在"</h1>
                            <p>"请联系组织部门重新生成大屏链接。"</p>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <crate::ui::components::ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WallView(wall: Wall, index: RwSignal<usize>, token: String) -> impl IntoView {
    let screens = wall.pages();
    let count = screens.len().max(1);
    let seconds = wall.seconds;
    let board = &wall.board;
    let tally = board.tally();
    let as_of = board.as_of;
    let title = board.plan.title.clone();
    // With JavaScript: turn the screen every `seconds`. (Effects run only in the browser.)
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || index.update(|i| *i = (*i + 1) % count),
            std::time::Duration::from_secs(seconds.into()),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    // Without: the browser reloads onto the next screen (a refresh inside <noscript> is only
    // seen when scripts are off).
    let next = (index.get_untracked() + 1) % count;
    let refresh = format!(
        r#"<meta http-equiv="refresh" content="{seconds};url=/wall/{}?page={next}">"#,
        crate::ui::format::encode_query(&token)
    );
    let screens = StoredValue::new(screens);
    let current = move || screens.with_value(|s| s.get(index.get() % count).cloned());
    view! {
        <noscript inner_html=refresh></noscript>
        <section class="wall" aria-live="polite">
            <header class="wall-head">
                <div>
                    <h1>{title}</h1>
                    <p class="wall-meta">{format!("{} · 截至 {} · 按序时进度", wall.label, date_zh(as_of))}</p>
                </div>
                <ul class="wall-tally" aria-label="总体情况">
                    <li>"任务" <strong>{tally.total}</strong></li>
                    <li class="red">"红灯" <strong>{tally.red}</strong></li>
                    <li class="yellow">"黄灯" <strong>{tally.yellow}</strong></li>
                    <li class="green">"绿灯" <strong>{tally.green}</strong></li>
                    <li class="late">"逾期" <strong>{tally.overdue}</strong></li>
                    <li>"待验收" <strong>{tally.submitted}</strong></li>
                    <li>"已销号" <strong>{tally.accepted}</strong></li>
                </ul>
            </header>
            {move || current().map(|screen| view! { <WallScreen screen /> })}
            <nav class="wall-dots" aria-label="轮播">
                {move || {
                    let at = index.get() % count;
                    screens.with_value(|s| {
                        s.iter()
                            .enumerate()
                            .map(|(i, page)| {
                                view! {
                                    <button
                                        type="button"
                                        class="wall-dot"
                                        class:active=i == at
                                        aria-current=(i == at).then_some("true")
                                        on:click=move |_| index.set(i)
                                    >
                                        {page.title.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                    })
                }}
            </nav>
        </section>
    }
}

#[component]
fn WallScreen(screen: Screen) -> impl IntoView {
    let t = screen.tally;
    view! {
        <div class="wall-screen">
            <h2>
                {screen.title.clone()}
                <span class="wall-sub">
                    {format!("{} 项 · 红 {} · 黄 {} · 绿 {} · 已销号 {}", t.total, t.red, t.yellow, t.green, t.accepted)}
                </span>
            </h2>
            <ol class="wall-rows">
                {screen
                    .tasks
                    .into_iter()
                    .map(|task| {
                        let light = task.light.filter(|_| task.under_way());
                        let class = match light {
                            Some(l) => format!("wall-row light-{}", l.code()),
                            None => format!("wall-row status-{}", task.status.code()),
                        };
                        let state = match light {
                            Some(l) => view! {
                                <span class=format!("light-chip light-{}", l.code())>
                                    <span class="light-dot" aria-hidden="true"></span>
                                    {messages::light(l)}
                                </span>
                                <span class="wall-reason">{task.reason.map(messages::light_reason).unwrap_or_default()}</span>
                            }
                            .into_any(),
                            None => view! { <span class="wall-status">{messages::task_status(task.status)}</span> }.into_any(),
                        };
                        let behind = task.under_way() && task.percent.value() < task.expected;
                        view! {
                            <li class=class>
                                <span class="wall-num">{task.number}</span>
                                <span class="wall-title">
                                    {task.title.clone()}
                                    <small>{task.lead_unit.clone().unwrap_or_else(|| "待揭榜".to_owned())} {task.owner.clone().map(|o| format!(" · {o}")).unwrap_or_default()}</small>
                                </span>
                                <span class="wall-progress" class:behind=behind>
                                    <span class="bar" aria-hidden="true">
                                        <span class="done" style=format!("width:{}%", task.percent.value())></span>
                                        <span class="expected" style=format!("left:{}%", task.expected)></span>
                                    </span>
                                    {format!("{}% / 序时 {}%", task.percent.value(), task.expected)}
                                </span>
                                <span class="wall-state">{state}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}
