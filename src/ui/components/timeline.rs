//! 时间轴: every task's 推进目标 and 完成时限 on the months of the plan year, drawn as SVG on the
//! server (so it prints and works without JavaScript): today's line, overdue in red, and an
//! approved 延期 drawn from the first deadline to the new one.

use crate::domain::views::{BoardTask, year_fraction};
use crate::domain::{Light, TaskStatus};
use crate::ui::format::date_zh;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

const LABEL: f64 = 330.0;
const CHART: f64 = 960.0;
const ROW: f64 = 24.0;
const HEAD: f64 = 30.0;

fn x(date: NaiveDate, year: i32) -> f64 {
    LABEL + year_fraction(date, year) * CHART
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// A title shortened to what fits the label column.
fn short_title(title: &str) -> String {
    const MAX: usize = 19;
    if title.chars().count() > MAX {
        format!("{}…", title.chars().take(MAX - 1).collect::<String>())
    } else {
        title.to_owned()
    }
}

/// Rows per sheet: the timeline is drawn as a few SVGs of this many rows, each with its month
/// axis, so a printed page holds whole sheets (an SVG cannot break across pages; one tall
/// drawing left the first page blank and was cut through mid-row on the next).
const SHEET_ROWS: usize = 14;

#[component]
pub fn Timeline(tasks: Vec<BoardTask>, year: i32, as_of: NaiveDate) -> impl IntoView {
    let total = tasks.len();
    let sheets: Vec<(usize, Vec<BoardTask>)> = tasks
        .chunks(SHEET_ROWS)
        .enumerate()
        .map(|(i, rows)| (i * SHEET_ROWS, rows.to_vec()))
        .collect();
    view! {
        <div class="timeline-wrap">
            {sheets
                .into_iter()
                .map(|(first, rows)| view! { <TimelineSheet rows first total year as_of /> })
                .collect_view()}
            <p class="timeline-legend" aria-hidden="true">
                <span class="lg-bar"></span>"计划期(填充为完成进度)"
                <span class="lg-node reached"></span>"已完成节点"
                <span class="lg-node"></span>"未到期节点"
                <span class="lg-node late"></span>"逾期节点"
                <span class="lg-moved"></span>"延期:原时限 → 新时限"
                <span class="lg-today"></span>"今日"
            </p>
        </div>
    }
}

/// One sheet: the month axis, today's line and rows `first + 1 ..` of `total`.
#[component]
fn TimelineSheet(
    rows: Vec<BoardTask>,
    first: usize,
    total: usize,
    year: i32,
    as_of: NaiveDate,
) -> impl IntoView {
    let width = LABEL + CHART + 16.0;
    let height = HEAD + ROW * rows.len() as f64 + 8.0;
    let months = (1..=12u32).filter_map(move |m| NaiveDate::from_ymd_opt(year, m, 1));
    let today = (as_of.year() == year).then(|| x(as_of, year));
    let label = format!(
        "{year}年度任务时间轴,共{total}项中的第{}至{}项,截至{}",
        first + 1,
        first + rows.len(),
        date_zh(as_of)
    );
    view! {
        <svg
            class="timeline"
            viewBox=format!("0 0 {} {}", px(width), px(height))
            role="img"
            aria-label=label
        >
            <g class="tl-months">
                {months
                    .map(|m| {
                        let at = x(m, year);
                        view! {
                            <line x1=px(at) x2=px(at) y1="18" y2=px(height) class="tl-grid" />
                            <text x=px(at + 4.0) y="14" class="tl-month">{format!("{}月", m.month())}</text>
                        }
                    })
                    .collect_view()}
            </g>
            {rows
                .into_iter()
                .enumerate()
                .map(|(i, t)| view! { <TimelineRow task=t row=i stripe=(first + i).is_multiple_of(2) year as_of /> })
                .collect_view()}
            {today.map(|at| view! {
                <g class="tl-today">
                    <line x1=px(at) x2=px(at) y1="18" y2=px(height) />
                    <text x=px(at + 4.0) y="27">{format!("今日 {}月{}日", as_of.month(), as_of.day())}</text>
                </g>
            })}
        </svg>
    }
}

#[component]
fn TimelineRow(
    task: BoardTask,
    row: usize,
    stripe: bool,
    year: i32,
    as_of: NaiveDate,
) -> impl IntoView {
    let top = HEAD + ROW * row as f64;
    let mid = top + ROW / 2.0;
    let start = task
        .started_on
        .filter(|d| *d <= task.deadline)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(task.deadline));
    let (x0, x1) = (x(start, year), x(task.deadline, year));
    let late = task.overdue(as_of);
    let state = if late {
        "late"
    } else if task.status == TaskStatus::Accepted {
        "done"
    } else if task.status == TaskStatus::Cancelled {
        "cancelled"
    } else if task.under_way() && task.light == Some(Light::Red) {
        "red"
    } else {
        "open"
    };
    let fill = (x1 - x0) * f64::from(task.percent.value()) / 100.0;
    let href = format!("/tasks/{}", task.id);
    let headline = format!(
        "{}. {}(完成时限 {},进度 {}%)",
        task.number,
        task.title,
        date_zh(task.deadline),
        task.percent.value()
    );
    let moved = task
        .original_deadline
        .filter(|o| *o != task.deadline)
        .map(|original| {
            let from = x(original, year);
            let note = format!(
                "延期:原完成时限 {} → {}",
                date_zh(original),
                date_zh(task.deadline)
            );
            view! {
                <g class="tl-moved">
                    <title>{note}</title>
                    <line x1=px(from) x2=px(x1) y1=px(mid) y2=px(mid) />
                    <circle cx=px(from) cy=px(mid) r="4" />
                </g>
            }
        });
    view! {
        <g class=format!("tl-row tl-{state}")>
            {stripe.then(|| view! {
                <rect class="tl-stripe" x="0" y=px(top) width=px(LABEL + CHART + 16.0) height=px(ROW) />
            })}
            <a href=href.clone()>
                <title>{headline.clone()}</title>
                <text class="tl-label" x="6" y=px(mid + 4.5)>
                    <tspan class="tl-num">{format!("{:>2}", task.number)}</tspan>
                    {format!("  {}", short_title(&task.title))}
                </text>
            </a>
            <rect class="tl-bar" x=px(x0) y=px(mid - 4.0) width=px((x1 - x0).max(2.0)) height="8" rx="2">
                <title>{headline}</title>
            </rect>
            <rect class="tl-fill" x=px(x0) y=px(mid - 4.0) width=px(fill.max(0.0)) height="8" rx="2" />
            {moved}
            <line class="tl-deadline" x1=px(x1) x2=px(x1) y1=px(mid - 7.0) y2=px(mid + 7.0) />
            {task
                .nodes
                .iter()
                .enumerate()
                .map(|(n, node)| {
                    let at = x(node.due, year);
                    let class = if node.reached {
                        "tl-node reached"
                    } else if node.due < as_of {
                        "tl-node late"
                    } else {
                        "tl-node"
                    };
                    let state = if node.reached {
                        "已完成"
                    } else if node.due < as_of {
                        "逾期未完成"
                    } else {
                        "未到期"
                    };
                    let points = format!(
                        "{},{} {},{} {},{} {},{}",
                        px(at), px(mid - 6.0), px(at + 6.0), px(mid), px(at), px(mid + 6.0), px(at - 6.0), px(mid)
                    );
                    view! {
                        <polygon class=class points=points>
                            <title>{format!("节点{}:{} {}", n + 1, date_zh(node.due), state)}</title>
                        </polygon>
                    }
                })
                .collect_view()}
        </g>
    }
}
