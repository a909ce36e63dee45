//! 看板: the tasks in columns by status. Without JavaScript it is a read-only view with links.
//! With it, a card can be dragged onto another column — or moved with its 移至 list, from the
//! keyboard — and the drop means what the workflow says (`domain::workflow::drop_on`): a move
//! made at once (the server's policy still decides who may), a move that needs its form on the
//! task page, or none. A refused move snaps back with the reason.

use crate::api::change_task_status;
use crate::domain::workflow::{Drop, drop_on};
use crate::domain::{BoardTask, Role, TaskId, TaskStatus};
use crate::ui::messages;
use leptos::prelude::*;

/// The columns, in the order a task lives through them.
const COLUMNS: [TaskStatus; 8] = [
    TaskStatus::Open,
    TaskStatus::Claimed,
    TaskStatus::Assigned,
    TaskStatus::InProgress,
    TaskStatus::Returned,
    TaskStatus::Submitted,
    TaskStatus::Accepted,
    TaskStatus::Cancelled,
];

/// What the board says after a drop: the text, and where to go on when a form is needed.
#[derive(Clone)]
pub struct Note {
    text: String,
    ok: bool,
    link: Option<String>,
}

/// The 看板's last word, kept by the page: a move that went through brings a fresh board (the
/// live feed), and the message must outlive it.
#[derive(Clone, Copy)]
pub struct KanbanNote(RwSignal<Option<Note>>);

impl KanbanNote {
    /// Provides the note to the page's 看板 (called by the board page, outside its data).
    pub fn provide() {
        provide_context(KanbanNote(RwSignal::new(None)));
    }
}

#[component]
pub fn Kanban(tasks: Vec<BoardTask>, role: Option<Role>) -> impl IntoView {
    let role = role.unwrap_or(Role::Viewer);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // Cards moved here and not yet confirmed by a fresh board (the live feed brings it).
    let moved = RwSignal::new(Vec::<(TaskId, TaskStatus)>::new());
    let dragging = RwSignal::new(None::<BoardTask>);
    let note = use_context::<KanbanNote>().map_or_else(|| RwSignal::new(None::<Note>), |n| n.0);
    let tasks = StoredValue::new(tasks);
    let status_of = move |t: &BoardTask| {
        moved
            .with(|m| m.iter().find(|(id, _)| *id == t.id).map(|(_, s)| *s))
            .unwrap_or(t.status)
    };
    let place = move |task: BoardTask, to: TaskStatus| {
        let from = status_of(&task);
        if from == to {
            return;
        }
        let name = format!("{}. {}", task.number, task.title);
        match drop_on(from, to) {
            Drop::NoMove => note.set(Some(Note {
                text: format!(
                    "「{name}」不能从“{}”直接移至“{}”。",
                    messages::task_status(from),
                    messages::task_status(to)
                ),
                ok: false,
                link: None,
            })),
            Drop::NeedsForm(t) => note.set(Some(Note {
                text: format!(
                    "「{name}」的“{}”需在任务页填写后办理。",
                    messages::transition(t, role)
                ),
                ok: false,
                link: Some(format!("/tasks/{}", task.id)),
            })),
            Drop::Move(t) => {
                moved.update(|m| m.push((task.id.clone(), to)));
                let id = task.id.clone();
                leptos::task::spawn_local(async move {
                    let answer = change_task_status(
                        id.clone(),
                        task.version,
                        to,
                        None,
                        None,
                        None,
                        None,
                        None,
                    )
                    .await;
                    match answer {
                        Ok(_) => note.set(Some(Note {
                            text: format!("已{}:「{name}」。", messages::transition(t, role)),
                            ok: true,
                            link: None,
                        })),
                        Err(error) => {
                            moved.update(|m| m.retain(|(moved, _)| *moved != id));
                            note.set(Some(Note {
                                text: format!("「{name}」未能移动:{}", messages::error(&error)),
                                ok: false,
                                link: None,
                            }));
                        }
                    }
                });
            }
        }
    };
    view! {
        <div class="kanban-note" role="status" aria-live="polite">
            {move || note.get().map(|n| view! {
                <p class:ok=n.ok class:refused=!n.ok>
                    {n.text}
                    {n.link.map(|href| view! { " " <a href=href>"前往任务页"</a> })}
                </p>
            })}
        </div>
        <div class="kanban" class:live=move || hydrated.get()>
            {COLUMNS
                .into_iter()
                .map(|column| {
                    let cards = move || {
                        tasks.with_value(|ts| {
                            ts.iter().filter(|t| status_of(t) == column).cloned().collect::<Vec<_>>()
                        })
                    };
                    view! {
                        <section
                            class=format!("kanban-col status-{}", column.code())
                            data-status=column.code()
                            aria-label=messages::task_status(column)
                            on:dragover=move |ev| {
                                if dragging.with_untracked(Option::is_some) {
                                    ev.prevent_default();
                                }
                            }
                            on:drop=move |ev| {
                                ev.prevent_default();
                                if let Some(task) = dragging.get_untracked() {
                                    place(task, column);
                                }
                                dragging.set(None);
                            }
                        >
                            <h3>
                                <span class="status-dot" aria-hidden="true"></span>
                                {messages::task_status(column)}
                                <span class="count">{move || cards().len()}</span>
                            </h3>
                            <ol class="kanban-cards">
                                {move || {
                                    cards()
                                        .into_iter()
                                        .map(|task| view! { <KanbanCard task hydrated dragging place /> })
                                        .collect_view()
                                }}
                            </ol>
                        </section>
                    }
                    // Erased: eight columns of nested views are too deep a type otherwise.
                    .into_any()
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn KanbanCard(
    task: BoardTask,
    hydrated: RwSignal<bool>,
    dragging: RwSignal<Option<BoardTask>>,
    place: impl Fn(BoardTask, TaskStatus) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let light = task.light.filter(|_| task.under_way());
    let class = match light {
        Some(l) => format!("kanban-card light-{}", l.code()),
        None => "kanban-card".to_owned(),
    };
    let href = format!("/tasks/{}", task.id);
    let label = format!("移动任务{}", task.number);
    let dragged = task.clone();
    let chosen = task.clone();
    view! {
        <li
            class=class
            data-number=task.number
            draggable=move || if hydrated.get() { "true" } else { "false" }
            on:dragstart=move |_| dragging.set(Some(dragged.clone()))
            on:dragend=move |_| dragging.set(None)
        >
            <a href=href class="kanban-title">{format!("{}. {}", task.number, task.title)}</a>
            <span class="kanban-meta">
                {task.lead_unit.clone().unwrap_or_else(|| "待揭榜".to_owned())}
                {format!(" · {}%", task.percent.value())}
            </span>
            {light.map(|l| view! {
                <span class=format!("light-chip light-{}", l.code())>
                    <span class="light-dot" aria-hidden="true"></span>
                    {messages::light(l)}
                </span>
            })}
            <Show when=move || hydrated.get()>
                <select
                    class="kanban-move"
                    aria-label=label.clone()
                    on:change={
                        let chosen = chosen.clone();
                        move |ev| {
                            if let Some(to) = TaskStatus::parse(&event_target_value(&ev)) {
                                place(chosen.clone(), to);
                            }
                        }
                    }
                >
                    <option value="" selected>"移至…"</option>
                    {COLUMNS
                        .into_iter()
                        .map(|c| view! { <option value=c.code()>{messages::task_status(c)}</option> })
                        .collect_view()}
                </select>
            </Show>
        </li>
    }
}
