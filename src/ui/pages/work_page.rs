use crate::api::work::get_workbench;
use crate::domain::workbench::{Shelf, WorkItem, WorkNote, Workbench};
use crate::domain::{
    ClaimStatus, PlanId,
    extension::{RequestKind, RequestStatus},
    report::ReportStatus,
};
use crate::ui::components::{ErrorPanel, LightBadge, StatusBadge};
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/work`: 我的工作台 — what waits for the signed-in person, shelf by shelf, by role.
#[component]
pub fn WorkPage() -> impl IntoView {
    let live = crate::ui::live::use_live();
    // Fetched again on every live change: a new claim or report shows without reload.
    let bench = Resource::new(move || live.any(), |_| get_workbench());
    let findings = Resource::new(
        move || live.any(),
        |_| crate::api::findings::get_findings(None, None),
    );
    view! {
        <Title text="我的工作台" />
        <Transition fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let items = findings.await.ok();
                match bench.await {
                    Ok(bench) => {
                        let role = bench.role;
                        let rectify = items.map(|list| {
                            let waiting = crate::domain::rectify::waiting_on(role, &list.findings, list.today);
                            let shown = !matches!(role, crate::domain::Role::Leader | crate::domain::Role::Viewer | crate::domain::Role::Admin);
                            shown.then(|| view! { <FindingsShelf items=waiting today=list.today office=role == crate::domain::Role::Organizer /> })
                        });
                        view! {
                            <WorkbenchView bench />
                            {rectify}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WorkbenchView(bench: Workbench) -> impl IntoView {
    let waiting = bench.waiting();
    let subtitle = match bench.plans.as_slice() {
        [] => "尚无已发布的任务清单".to_owned(),
        [plan] => format!("{} · 截至{}", plan.title, date_zh(bench.as_of)),
        plans => format!("{} 份任务清单 · 截至{}", plans.len(), date_zh(bench.as_of)),
    };
    // With several plans running, each item says which one it is on.
    let labels: Vec<(PlanId, String)> = if bench.plans.len() > 1 {
        bench
            .plans
            .iter()
            .map(|p| (p.id.clone(), format!("{}年", p.year)))
            .collect()
    } else {
        Vec::new()
    };
    let labels = StoredValue::new(labels);
    let role = messages::role(bench.role);
    let summary: Vec<(Shelf, usize)> = bench
        .shelves
        .iter()
        .filter(|(s, _)| s.asks_action())
        .map(|(s, items)| (*s, items.len()))
        .collect();
    let empty_role = bench.shelves.is_empty();
    view! {
        <header class="page-head">
            <h1>"我的工作台"</h1>
            <p class="page-sub">{role}" · "{subtitle}</p>
        </header>
        {if empty_role {
            view! {
                <p class="empty-note">
                    "当前角色没有待办事项。可在"<a href="/">"任务清单"</a>"查看全部任务进展。"
                </p>
            }
                .into_any()
        } else {
            view! {
                <p class="work-summary" data-waiting=waiting>
                    {if waiting == 0 {
                        "暂无待办事项".to_owned()
                    } else {
                        format!("共 {waiting} 项待办")
                    }}
                </p>
                <ul class="work-counts" aria-label="待办概览">
                    {summary
                        .into_iter()
                        .map(|(shelf, n)| {
                            let (title, _) = messages::shelf(shelf);
                            let class = if n > 0 { "work-count has-items" } else { "work-count" };
                            view! {
                                <li class=class>
                                    <a href=format!("#shelf-{}", shelf_code(shelf))>
                                        <span class="count">{n}</span>
                                        <span class="label">{title}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {bench
                    .shelves
                    .into_iter()
                    .map(|(shelf, items)| view! { <ShelfView shelf items labels /> })
                    .collect_view()}
            }
                .into_any()
        }}
    }
}

/// The code a shelf is named by in the page (anchors, tests).
fn shelf_code(shelf: Shelf) -> String {
    serde_json::to_value(shelf)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[component]
fn ShelfView(
    shelf: Shelf,
    items: Vec<WorkItem>,
    labels: StoredValue<Vec<(PlanId, String)>>,
) -> impl IntoView {
    let (title, empty) = messages::shelf(shelf);
    let code = shelf_code(shelf);
    let count = items.len();
    view! {
        <section class="shelf" id=format!("shelf-{code}") data-shelf=code>
            <h2>
                {title}
                <span class="shelf-count">{count}</span>
            </h2>
            {if items.is_empty() {
                view! { <p class="shelf-empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="work-list">
                        {items
                            .into_iter()
                            .map(|item| {
                                let plan = labels
                                    .with_value(|l| {
                                        l.iter().find(|(id, _)| *id == item.plan).map(|(_, y)| y.clone())
                                    });
                                view! { <WorkRow item plan /> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn WorkRow(
    item: WorkItem,
    /// The plan's label when several plans run.
    plan: Option<String>,
) -> impl IntoView {
    let task = item.task;
    // A meeting's 交办事项 opens where it was decided (the task's record at the meeting).
    let href = match &item.note {
        WorkNote::Action { meeting, .. } => format!("/meetings/{meeting}?task={}#record", task.id),
        _ => format!("/tasks/{}", task.id),
    };
    let lead = task
        .lead_unit
        .clone()
        .unwrap_or_else(|| "待揭榜".to_owned());
    let light = task.light.filter(|_| !task.status.is_finished());
    let (note, tone) = note_text(&item.note);
    view! {
        <li class="work-item" data-number=task.number>
            <a class="work-task" href=href>
                {plan.map(|p| view! { <span class="work-plan">{p}</span> })}
                <span class="task-number">{task.number}</span>
                <span class="task-title">{task.title}</span>
            </a>
            <span class="work-lead">{lead}</span>
            <span class="work-state">
                <StatusBadge status=task.status />
                <LightBadge light expected=task.expected />
                {task.days_waiting.map(|d| view! { <span class="waiting-badge">{messages::days_waiting(d)}</span> })}
                {task.awaiting_signoff.then(|| view! { <span class="waiting-badge">"待审定"</span> })}
                {task.claim_overdue.then(|| view! { <span class="overdue-badge">"揭榜超期"</span> })}
                <span class="work-percent">{format!("{}%", task.percent.value())}</span>
            </span>
            {note.map(|n| view! { <p class=format!("work-note {tone}")>{n}</p> })}
        </li>
    }
}

/// What the item's note says, and its tone (a class: `overdue`, `declined`, `plain`).
fn note_text(note: &WorkNote) -> (Option<String>, &'static str) {
    match note {
        WorkNote::Task => (None, "plain"),
        WorkNote::ReportDue { due, overdue } => {
            if *overdue {
                (
                    Some(format!("逾期未报(本月应于{}前报送)", date_zh(*due))),
                    "overdue",
                )
            } else {
                (
                    Some(format!("本月进度请于{}前报送", date_zh(*due))),
                    "plain",
                )
            }
        }
        WorkNote::Report {
            author,
            status,
            note,
            on,
        } => match status {
            ReportStatus::Draft => (
                Some(format!("{author} 于{}起草,待审核报送", date_zh(*on))),
                "plain",
            ),
            ReportStatus::Returned => {
                (Some(format!("{}退回修改:{note}", date_zh(*on))), "declined")
            }
            ReportStatus::Submitted => (None, "plain"),
        },
        WorkNote::Claim {
            unit,
            status,
            reason,
            on,
        } => {
            let word = messages::claim_status(*status);
            match status {
                ClaimStatus::Declined => (
                    Some(format!("{unit} · {word}({}):{reason}", date_zh(*on))),
                    "declined",
                ),
                _ => (Some(format!("{unit} · {word} · {}", date_zh(*on))), "plain"),
            }
        }
        WorkNote::Request {
            unit,
            kind,
            status,
            new_deadline,
            note,
            on,
        } => {
            let word = messages::request_status(*status);
            let asked = match kind {
                RequestKind::Extension => format!("申请延期至{}", date_zh(*new_deadline)),
                RequestKind::Cancel => "申请撤项".to_owned(),
                RequestKind::Adjust => "申请调整推进目标、验收标准".to_owned(),
            };
            let mut text = format!("{unit} {asked} · {word} · {}", date_zh(*on));
            if !note.is_empty() {
                text.push_str(&format!(" · 意见:{note}"));
            }
            let tone = if *status == RequestStatus::Rejected {
                "declined"
            } else {
                "plain"
            };
            (Some(text), tone)
        }
        WorkNote::Reply { author, body, on } => {
            (Some(format!("{author}({}):{body}", date_zh(*on))), "plain")
        }
        WorkNote::MeetingAhead {
            meeting_title,
            day,
            focus,
            reported,
            since_called,
            ..
        } => {
            let what = if *focus {
                "重点研究"
            } else {
                "逐项研判"
            };
            let head = format!("{}「{meeting_title}」将{what}本任务", date_zh(*day));
            match (reported, since_called) {
                (Some(on), true) => (
                    Some(format!("{head} · 已于{}报送最新进展", date_zh(*on))),
                    "plain",
                ),
                (Some(on), false) => (
                    Some(format!(
                        "{head} · 最近一次报送为{},请于会前报送最新进展",
                        date_zh(*on)
                    )),
                    "due",
                ),
                (None, _) => (Some(format!("{head} · 尚无报送,请于会前报送进展")), "due"),
            }
        }
        WorkNote::Action {
            meeting_title,
            content,
            due,
            status,
            overdue,
            ..
        } => {
            let word = messages::action_status(*status);
            let text = format!(
                "{meeting_title}交办:{content}({}前 · {word})",
                date_zh(*due)
            );
            if *overdue {
                (Some(format!("{text} · 已逾期")), "overdue")
            } else {
                (Some(text), "plain")
            }
        }
    }
}

/// 整改事项: the 整改清单 items waiting on this person (see `rectify::waiting_on`).
#[component]
fn FindingsShelf(
    items: Vec<crate::domain::rectify::Finding>,
    today: chrono::NaiveDate,
    office: bool,
) -> impl IntoView {
    use crate::domain::rectify::Status;
    let count = items.len();
    let (title, empty) = if office {
        ("整改待销号与逾期", "没有待审核销号或逾期的整改事项")
    } else {
        ("整改事项", "没有需要整改的事项")
    };
    let rows = items
        .into_iter()
        .map(|f| {
            let due = if f.status == Status::Submitted {
                ("已申请销号,待审核".to_owned(), "plain")
            } else if f.overdue(today) {
                (
                    format!("整改时限 {},已逾期 {} 天", date_zh(f.deadline), (today - f.deadline).num_days()),
                    "overdue",
                )
            } else {
                (
                    format!("整改时限 {},还有 {} 天", date_zh(f.deadline), (f.deadline - today).num_days()),
                    "plain",
                )
            };
            view! {
                <li class="work-item" data-finding=f.number>
                    <a class="work-task" href=format!("/rectify/{}", f.id)>
                        <span class="task-number">{format!("整改{}", f.number)}</span>
                        <span class="task-title">{f.problem.clone()}</span>
                    </a>
                    <span class="work-lead">{f.unit_name.clone()}</span>
                    <span class="work-state">
                        <span class=format!("finding-status finding-{}", f.status.code())>{messages::finding_status(f.status)}</span>
                        {f.light.map(|l| view! {
                            <span class=format!("light-badge light-{}", l.code())>
                                <span class="light-dot" aria-hidden="true"></span>
                                {messages::light(l)}
                            </span>
                        })}
                    </span>
                    <p class=format!("work-note {}", due.1)>{due.0}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="shelf" id="shelf-findings" data-shelf="findings">
            <h2>
                {title}
                <span class="shelf-count">{count}</span>
            </h2>
            {if count == 0 {
                view! { <p class="shelf-empty">{empty}</p> }.into_any()
            } else {
                view! { <ul class="work-list">{rows}</ul> }.into_any()
            }}
        </section>
    }
}
