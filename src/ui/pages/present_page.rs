use crate::api::meetings::{PresentMeetingTask, get_meeting};
use crate::domain::meeting::{ActionItem, AgendaRow, Instruction, MeetingStatus, MeetingView};
use crate::domain::policy::Capability;
use crate::domain::{Entity, MeetingId};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, LightBadge, StatusBadge};
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// `/meetings/:id/present?at=N`: 主持模式 — one agenda task per screen in large type for the
/// projector: who holds it, its light and progress against 序时进度, its goals, the latest
/// report and what the meeting decided. Links step through the agenda without JavaScript;
/// with it, ←/→ step, a number and Enter jump, G opens the overview, and a clock times the
/// task and the meeting. While the meeting is held, the host's screen tells the server which
/// task it shows; `?follow` (the note-taker's laptop, a second screen) turns with it.
#[component]
pub fn PresentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let live = crate::ui::live::use_live();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .as_deref()
            .and_then(MeetingId::parse)
    });
    // Fetched again when the meeting changes: a follower turns, a record made on another
    // laptop shows on the projector.
    let changes = live.for_meeting(move || id.get());
    let data = Resource::new(
        move || (id.get(), changes.get()),
        |(id, _)| async move { get_meeting(id.ok_or(AppError::NotFound(Entity::Meeting))?).await },
    );
    // 1-based position on the agenda, kept in the address so a screen can be bookmarked.
    let at = Memo::new(move |_| {
        query
            .read()
            .get("at")
            .and_then(|a| a.parse::<usize>().ok())
            .unwrap_or(1)
    });
    let grid = Memo::new(move |_| query.read().get("grid").is_some());
    let follow = Memo::new(move |_| query.read().get("follow").is_some());
    // The clocks outlive a fetch of the meeting; the task clock starts again with each task.
    let shown = RwSignal::new(0_usize);
    let clocks = clocks(shown);
    // The last position this screen told the server (it outlives a fetch of the meeting).
    let told = StoredValue::new(None::<usize>);
    view! {
        <Transition fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Presenter view at grid follow shown clocks told /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Presenter(
    view: MeetingView,
    at: Memo<usize>,
    grid: Memo<bool>,
    follow: Memo<bool>,
    shown: RwSignal<usize>,
    clocks: (RwSignal<u64>, RwSignal<u64>),
    told: StoredValue<Option<usize>>,
) -> impl IntoView {
    let total = view.rows.len().max(1);
    let id = view.meeting.summary.id.clone();
    let base = format!("/meetings/{id}/present");
    let title = view.meeting.summary.title.clone();
    let back = format!("/meetings/{id}");
    let under_way = view.meeting.summary.status == MeetingStatus::InProgress;
    // Where the host is (followers show it; before the host turns to a task, the address).
    let hosting = view.meeting.presenting.as_ref().and_then(|t| {
        view.rows
            .iter()
            .position(|r| &r.task.id == t)
            .map(|i| i + 1)
    });
    let view = StoredValue::new(view);
    let position = Memo::new(move |_| {
        follow
            .get()
            .then_some(hosting)
            .flatten()
            .unwrap_or_else(|| at.get())
            .clamp(1, total)
    });
    Effect::new(move |_| {
        let p = position.get();
        if shown.get_untracked() != p {
            shown.set(p);
        }
    });
    let session = crate::ui::session::use_session();
    let hosts = move || !follow.get() && under_way && session.can(Capability::ManagePlans);
    tell_followers(id.clone(), view, position, (hosting, told), hosts);
    let href = {
        let base = base.clone();
        move |n: usize| format!("{base}?at={}", n.clamp(1, total))
    };
    keyboard(base.clone(), total, position);
    let (task_secs, meeting_secs) = clocks;
    let href_prev = href.clone();
    let href_next = href.clone();
    let href_grid = href.clone();
    let href_leave = href.clone();
    let follow_href = format!("{base}?follow");
    let record_href = {
        let back = back.clone();
        move || {
            let n = position.get();
            view.with_value(|v| {
                v.rows
                    .get(n - 1)
                    .map(|r| format!("{back}?task={}#record", r.task.id))
            })
        }
    };
    let office = move || session.can(Capability::ManagePlans);
    view! {
        <Title text=format!("主持模式 · {title}") />
        <div class="presenter" data-position=move || position.get() class:following=move || follow.get()>
            <header class="presenter-head">
                <a class="presenter-back" href=back.clone()>"退出主持模式"</a>
                <span class="presenter-title">{title.clone()}</span>
                {move || if follow.get() {
                    view! {
                        <span class="follow-tag" role="status">
                            {if under_way { "跟随主持中" } else { "会议未在进行" }}
                        </span>
                        <a class="presenter-back" href=href_leave(position.get())>"自行翻阅"</a>
                        {(office() && under_way).then(|| record_href().map(|h| view! {
                            <a class="presenter-back" href=h>"记录本项"</a>
                        }))}
                    }
                    .into_any()
                } else if under_way {
                    view! { <a class="presenter-back" href=follow_href.clone()>"跟随主持"</a> }.into_any()
                } else {
                    ().into_any()
                }}
                <span class="presenter-progress" aria-live="polite">
                    {move || format!("第 {} / {} 项", position.get(), total)}
                </span>
                <span class="presenter-clock" title="本项用时 / 会议用时">
                    {move || format!("{} · 共 {}", clock(task_secs.get()), clock(meeting_secs.get()))}
                </span>
            </header>
            <div
                class="presenter-bar"
                role="progressbar"
                aria-label="议程进度"
                aria-valuemin="1"
                aria-valuemax=total
                aria-valuenow=move || position.get()
            >
                <span style=move || format!("width:{}%", position.get() * 100 / total)></span>
            </div>
            {move || {
                let n = position.get();
                view.with_value(|v| {
                    v.rows.get(n - 1).map(|row| {
                        let actions: Vec<ActionItem> =
                            v.actions_on(&row.task.id).into_iter().cloned().collect();
                        let instructions: Vec<Instruction> =
                            v.instructions_shown(&row.task.id).into_iter().cloned().collect();
                        (row.clone(), actions, instructions)
                    })
                })
                .map(|(row, actions, instructions)| view! { <Slide row actions instructions /> })
            }}
            <nav class="presenter-nav" aria-label="翻页">
                <a class="button secondary" href=move || href_prev(position.get().saturating_sub(1)) aria-keyshortcuts="ArrowLeft">"← 上一项"</a>
                <a class="button secondary" href=move || format!("{}&grid", href_grid(position.get()))>"总览"</a>
                <a class="button" href=move || href_next(position.get() + 1) aria-keyshortcuts="ArrowRight">"下一项 →"</a>
                <span class="hint">"键盘:← → 翻页,输入序号后回车跳转,G 总览"</span>
            </nav>
            {move || grid.get().then(|| {
                let href = href.clone();
                view! {
                    <nav class="presenter-grid" aria-label="议程总览">
                        {view.with_value(|v| {
                            v.rows
                                .iter()
                                .enumerate()
                                .map(|(i, r)| {
                                    let light = r.task.light.map(|l| l.code()).unwrap_or("none");
                                    view! {
                                        <a
                                            href=href(i + 1)
                                            class=format!("grid-cell light-{light}")
                                            class:focus-cell=r.focus
                                            class:judged=r.record.as_ref().is_some_and(|x| x.verdict.is_some())
                                            aria-current=move || (position.get() == i + 1).then_some("true")
                                        >
                                            <span class="grid-number">{r.task.number}</span>
                                            <span class="grid-title">{r.task.title.clone()}</span>
                                        </a>
                                    }
                                })
                                .collect_view()
                        })}
                    </nav>
                }
            })}
        </div>
    }
}

/// One task as the projector shows it.
#[component]
fn Slide(
    row: AgendaRow,
    actions: Vec<ActionItem>,
    instructions: Vec<Instruction>,
) -> impl IntoView {
    let t = row.task;
    let r = &t.responsibility;
    let holders = format!(
        "牵头单位:{}  责任人:{}{}  分管领导:{}",
        r.lead_unit.clone().unwrap_or_else(|| "待定".into()),
        r.owner.clone().unwrap_or_else(|| "待定".into()),
        if r.post.is_empty() {
            String::new()
        } else {
            format!("({})", r.post)
        },
        r.supervisor.clone().unwrap_or_else(|| "待定".into()),
    );
    let co = (!r.co_units.is_empty()).then(|| format!("配合单位:{}", r.co_units.join("、")));
    view! {
        <article class="slide" aria-labelledby="slide-title">
            <h1 id="slide-title">
                <span class="slide-number">{t.number}</span>
                {t.title.clone()}
                {row.focus.then(|| view! { <span class="focus-tag">"重点研究"</span> })}
            </h1>
            <p class="slide-holders">{holders}</p>
            {co.map(|c| view! { <p class="slide-holders">{c}</p> })}
            <div class="slide-state">
                <StatusBadge status=t.status />
                <LightBadge light=t.light expected=t.expected />
                <span class="slide-percent">{format!("{}%", t.percent.value())}</span>
                <span class="slide-expected">{format!("序时进度 {}%", t.expected)}</span>
                <span class="slide-deadline">{format!("完成时限 {}", date_zh(t.deadline))}</span>
            </div>
            <div class="slide-columns">
                <section>
                    <h2>"推进目标"</h2>
                    <ol>
                        {t.milestones
                            .iter()
                            .map(|m| view! {
                                <li class:done=m.done_on.is_some()>
                                    {format!("{} {}", date_zh(m.due), m.title)}
                                    {m.done_on.map(|_| " ✓")}
                                </li>
                            })
                            .collect_view()}
                    </ol>
                    <h2>"验收标准"</h2>
                    <ol>{t.criteria.iter().map(|c| view! { <li>{c.text.clone()}</li> }).collect_view()}</ol>
                </section>
                <section>
                    <h2>"最新进展"</h2>
                    {match t.latest.clone() {
                        Some(l) => view! {
                            <p>{l.done}</p>
                            {(!l.problems.is_empty()).then(|| view! { <p class="slide-problems">{format!("存在问题:{}", l.problems)}</p> })}
                            {(!l.next_steps.is_empty()).then(|| view! { <p>{format!("下步打算:{}", l.next_steps)}</p> })}
                        }
                        .into_any(),
                        None => view! { <p class="hint">"尚无报送"</p> }.into_any(),
                    }}
                    {(!instructions.is_empty()).then(|| view! {
                        <h2>"领导批示"</h2>
                        <ul class="slide-list">
                            {instructions.into_iter().map(|i| view! {
                                <li>
                                    {format!("{}:{}", i.author, i.body)}
                                    {(!i.answered).then(|| view! { <span class="hint">" (待落实)"</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(!actions.is_empty()).then(|| view! {
                        <h2>"交办事项"</h2>
                        <ul class="slide-list">
                            {actions.into_iter().map(|a| view! {
                                <li>
                                    {format!("{}({} · {}前)", a.content, a.unit_name, date_zh(a.due))}
                                    <span class=format!("action-status action-{}", a.status.code())>
                                        {messages::action_status(a.status)}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    {row.record.map(|rec| view! {
                        <h2>"会议研判"</h2>
                        {rec.verdict.map(|v| view! { <p><span class=format!("verdict verdict-{}", v.code())>{messages::verdict(v)}</span></p> })}
                        {(!rec.requirements.is_empty()).then(|| view! { <p>{format!("会议要求:{}", rec.requirements)}</p> })}
                        {rec.deadline.map(|d| view! { <p class="slide-problems">{format!("完成时限调整为{}", date_zh(d))}</p> })}
                    })}
                </section>
            </div>
        </article>
    }
}

/// ←/→ step, digits then Enter jump to that agenda number, G toggles the overview (browser
/// only; typing in a field is left alone).
fn keyboard(base: String, total: usize, position: Memo<usize>) {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::JsCast;
        let navigate = use_navigate();
        let typed = Rc::new(RefCell::new(String::new()));
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let in_field = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let go = |n: usize| format!("{base}?at={}", n.clamp(1, total));
            let now = position.get_untracked();
            let target = match ev.key().as_str() {
                "ArrowRight" | "PageDown" | " " => Some(go(now + 1)),
                "ArrowLeft" | "PageUp" => Some(go(now.saturating_sub(1))),
                "Home" => Some(go(1)),
                "End" => Some(go(total)),
                "g" | "G" => Some(format!("{}&grid", go(now))),
                "Enter" => {
                    let n = typed.borrow_mut().drain(..).collect::<String>();
                    n.parse::<usize>().ok().map(go)
                }
                key if key.len() == 1 && key.chars().all(|c| c.is_ascii_digit()) => {
                    typed.borrow_mut().push_str(key);
                    None
                }
                _ => None,
            };
            if let Some(path) = target {
                ev.prevent_default();
                navigate(&path, Default::default());
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (base, total, position, use_navigate);
    }
}

/// Seconds spent on the current task and in the meeting (since the page opened), ticking in
/// the browser; the task clock starts again when `shown` moves.
fn clocks(shown: RwSignal<usize>) -> (RwSignal<u64>, RwSignal<u64>) {
    let task = RwSignal::new(0_u64);
    let meeting = RwSignal::new(0_u64);
    Effect::new(move |_| {
        shown.track();
        task.set(0);
    });
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                task.update(|s| *s += 1);
                meeting.update(|s| *s += 1);
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    (task, meeting)
}

/// The host's screen tells the server which task it shows once it has stayed there a moment
/// (stepping quickly through ten tasks sends one), so that followers turn with it. Only its own
/// moves: a screen fetched again because another host's screen moved (two laptops signed in as
/// the office) does not answer back, or the two would tell each other for ever.
fn tell_followers(
    meeting: MeetingId,
    view: StoredValue<MeetingView>,
    position: Memo<usize>,
    (hosting, told): (Option<usize>, StoredValue<Option<usize>>),
    hosts: impl Fn() -> bool + Send + Sync + 'static,
) {
    let action = ServerAction::<PresentMeetingTask>::new();
    Effect::new(move |_| {
        let n = position.get();
        if !hosts() || hosting == Some(n) || told.get_value() == Some(n) {
            return;
        }
        let Some(task) = view.with_value(|v| v.rows.get(n - 1).map(|r| r.task.id.clone())) else {
            return;
        };
        let meeting = meeting.clone();
        set_timeout(
            move || {
                // Gone (the meeting was fetched again) or moved on: the newer screen tells.
                if position.try_get_untracked() == Some(n) {
                    told.set_value(Some(n));
                    action.dispatch(PresentMeetingTask { meeting, task });
                }
            },
            std::time::Duration::from_millis(250),
        );
    });
}

fn clock(seconds: u64) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}
