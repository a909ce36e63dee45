//! The board's charts, drawn as SVG on the server (no script, no CDN; they print): the plan's
//! progress against 序时进度 month by month, lights by category, completion by unit, and 销号
//! against the deadlines.

use crate::domain::views::{Tally, TrendPoint, UnitStanding};
use crate::ui::format::date_zh;
use chrono::Datelike;
use leptos::prelude::*;

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The plot area of a line chart: 12 months across, `top` at the upper edge.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    max: f64,
}

impl Frame {
    const LINE: Frame = Frame {
        left: 44.0,
        right: 580.0,
        top: 16.0,
        bottom: 230.0,
        max: 100.0,
    };

    /// x of a day in the year: months are equal steps (what a reader counts on the axis).
    fn x(&self, day: chrono::NaiveDate) -> f64 {
        let days_in_month = chrono::NaiveDate::from_ymd_opt(
            if day.month() == 12 {
                day.year() + 1
            } else {
                day.year()
            },
            if day.month() == 12 {
                1
            } else {
                day.month() + 1
            },
            1,
        )
        .and_then(|next| next.pred_opt())
        .map_or(30.0, |last| f64::from(last.day()));
        let months = f64::from(day.month0()) + f64::from(day.day()) / days_in_month;
        self.left + months / 12.0 * (self.right - self.left)
    }

    fn y(&self, value: f64) -> f64 {
        self.bottom - value / self.max * (self.bottom - self.top)
    }

    fn axes(&self, ticks: &[f64], suffix: &'static str) -> impl IntoView + use<> {
        let (left, right, bottom) = (self.left, self.right, self.bottom);
        let lines = ticks
            .iter()
            .map(|t| {
                let y = self.y(*t);
                view! {
                    <line class="ch-grid" x1=px(left) x2=px(right) y1=px(y) y2=px(y) />
                    <text class="ch-tick" x=px(left - 6.0) y=px(y + 4.0) text-anchor="end">{format!("{t}{suffix}")}</text>
                }
            })
            .collect_view();
        let months = (0..12)
            .map(|m| {
                let x = left + (f64::from(m) + 0.5) / 12.0 * (right - left);
                view! { <text class="ch-tick" x=px(x) y=px(bottom + 16.0) text-anchor="middle">{format!("{}月", m + 1)}</text> }
            })
            .collect_view();
        view! {
            {lines}
            <line class="ch-axis" x1=px(left) x2=px(right) y1=px(bottom) y2=px(bottom) />
            {months}
        }
    }

    fn path(&self, points: &[(chrono::NaiveDate, f64)]) -> String {
        points
            .iter()
            .map(|(d, v)| format!("{},{}", px(self.x(*d)), px(self.y(*v))))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// 总体进度: the mean reported percent against the mean 序时进度, month by month.
#[component]
pub fn ProgressTrend(trend: Vec<TrendPoint>) -> impl IntoView {
    let frame = Frame::LINE;
    let actual: Vec<_> = trend.iter().map(|p| (p.day, f64::from(p.actual))).collect();
    let expected: Vec<_> = trend
        .iter()
        .map(|p| (p.day, f64::from(p.expected)))
        .collect();
    let last = trend.last().copied();
    let summary = last.map_or_else(String::new, |p| {
        format!(
            "截至{}:平均进度 {}%,序时进度 {}%",
            date_zh(p.day),
            p.actual,
            p.expected
        )
    });
    view! {
        <figure class="chart">
            <figcaption>"总体进度与序时进度"</figcaption>
            <svg viewBox="0 0 600 252" role="img" aria-label=summary.clone()>
                {frame.axes(&[0.0, 25.0, 50.0, 75.0, 100.0], "%")}
                <polyline class="ch-expected" points=frame.path(&expected) />
                <polyline class="ch-actual" points=frame.path(&actual) />
                {actual
                    .iter()
                    .map(|(d, v)| view! { <circle class="ch-dot" cx=px(frame.x(*d)) cy=px(frame.y(*v)) r="3" /> })
                    .collect_view()}
            </svg>
            <p class="chart-note">
                <span class="key actual"></span>"平均进度 "
                <span class="key expected"></span>"序时进度 · "
                {summary}
            </p>
        </figure>
    }
}

/// 销号进度: tasks signed off against tasks whose (first) deadline had come.
#[component]
pub fn AcceptanceTrend(trend: Vec<TrendPoint>, total: u32) -> impl IntoView {
    let top = f64::from(total.max(1));
    let frame = Frame {
        max: top,
        ..Frame::LINE
    };
    let step = (top / 4.0).ceil().max(1.0);
    let ticks: Vec<f64> = (0..=4)
        .map(|i| f64::from(i) * step)
        .filter(|t| *t <= top)
        .collect();
    let accepted: Vec<_> = trend
        .iter()
        .map(|p| (p.day, f64::from(p.accepted)))
        .collect();
    let due: Vec<_> = trend.iter().map(|p| (p.day, f64::from(p.due))).collect();
    let summary = trend.last().map_or_else(String::new, |p| {
        format!(
            "截至{}:已销号 {} 项,按计划应完成 {} 项,共 {} 项",
            date_zh(p.day),
            p.accepted,
            p.due,
            total
        )
    });
    view! {
        <figure class="chart">
            <figcaption>"销号进度与计划"</figcaption>
            <svg viewBox="0 0 600 252" role="img" aria-label=summary.clone()>
                {frame.axes(&ticks, "")}
                <polyline class="ch-plan" points=frame.path(&due) />
                <polyline class="ch-accepted" points=frame.path(&accepted) />
                {accepted
                    .iter()
                    .map(|(d, v)| view! { <circle class="ch-dot accepted" cx=px(frame.x(*d)) cy=px(frame.y(*v)) r="3" /> })
                    .collect_view()}
            </svg>
            <p class="chart-note">
                <span class="key accepted"></span>"已销号 "
                <span class="key plan"></span>"到期应完成(按原定时限) · "
                {summary}
            </p>
        </figure>
    }
}

/// 各类别红黄绿灯: one stacked bar per category.
#[component]
pub fn LightsByCategory(rows: Vec<(String, Tally)>) -> impl IntoView {
    let most = rows.iter().map(|(_, t)| t.total).max().unwrap_or(1).max(1);
    let (left, right, row) = (96.0, 560.0, 28.0);
    let height = 12.0 + row * rows.len() as f64;
    let scale = move |n: u32| f64::from(n) / f64::from(most) * (right - left);
    view! {
        <figure class="chart">
            <figcaption>"各类别红黄绿灯"</figcaption>
            <svg viewBox=format!("0 0 600 {}", px(height)) role="img" aria-label="各类别任务的红黄绿灯分布">
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, t))| {
                        let y = 8.0 + row * i as f64;
                        let parts = [
                            ("red", "红灯", t.red),
                            ("yellow", "黄灯", t.yellow),
                            ("green", "绿灯", t.green),
                            ("finished", "待验收/已销号", t.submitted + t.accepted),
                            ("waiting", "未开始", t.waiting),
                        ];
                        let mut x = left;
                        let segments = parts
                            .into_iter()
                            .filter(|(_, _, n)| *n > 0)
                            .map(|(class, label, n)| {
                                let w = scale(n);
                                let at = x;
                                x += w;
                                view! {
                                    <rect class=format!("ch-seg {class}") x=px(at) y=px(y) width=px(w) height="18">
                                        <title>{format!("{name}:{label} {n} 项")}</title>
                                    </rect>
                                    {(w >= 16.0).then(|| view! {
                                        <text class="ch-seg-n" x=px(at + w / 2.0) y=px(y + 13.0) text-anchor="middle">{n}</text>
                                    })}
                                }
                            })
                            .collect_view();
                        view! {
                            <text class="ch-label" x=px(left - 8.0) y=px(y + 13.0) text-anchor="end">{name.clone()}</text>
                            {segments}
                            <text class="ch-tick" x=px(x + 6.0) y=px(y + 13.0)>{t.total}</text>
                        }
                    })
                    .collect_view()}
            </svg>
            <p class="chart-note">
                <span class="key red"></span>"红灯 " <span class="key yellow"></span>"黄灯 "
                <span class="key green"></span>"绿灯 " <span class="key finished"></span>"待验收/已销号 "
                <span class="key waiting"></span>"未开始"
            </p>
        </figure>
    }
}

/// 各单位完成情况: the mean progress of each unit's lead tasks, most advanced first, with the
/// 销号 count beside it.
#[component]
pub fn CompletionByUnit(mut lines: Vec<UnitStanding>) -> impl IntoView {
    lines.retain(|l| l.lead.counted() > 0);
    lines.sort_by_key(|l| std::cmp::Reverse(l.lead.progress()));
    let (left, right, row) = (150.0, 470.0, 24.0);
    let height = 10.0 + row * lines.len() as f64;
    view! {
        <figure class="chart">
            <figcaption>"各单位牵头任务平均进度"</figcaption>
            <svg viewBox=format!("0 0 600 {}", px(height)) role="img" aria-label="各单位牵头任务的平均进度与销号数">
                {lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let y = 6.0 + row * i as f64;
                        let progress = l.lead.progress();
                        let w = f64::from(progress) / 100.0 * (right - left);
                        let note = format!("{progress}% · 销号 {}/{}", l.lead.accepted, l.lead.counted());
                        view! {
                            <text class="ch-label" x=px(left - 8.0) y=px(y + 12.0) text-anchor="end">{l.unit.clone()}</text>
                            <rect class="ch-track" x=px(left) y=px(y + 2.0) width=px(right - left) height="13" />
                            <rect class="ch-unit" x=px(left) y=px(y + 2.0) width=px(w) height="13">
                                <title>{format!("{}:{}", l.unit, note)}</title>
                            </rect>
                            <text class="ch-tick" x=px(right + 6.0) y=px(y + 12.0)>{note}</text>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}
