use crate::api::scores::get_quarter_pack;
use crate::domain::quarter::QuarterPack;
use crate::domain::task::TaskStatus;
use crate::ui::components::ErrorPanel;
use crate::ui::format::{date_zh, encode_query};
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

/// `/quarter`: 季度报送 — the quarter's pack (`?q=1..4`, default the current quarter; `?plan=`):
/// overall figures, every task's progress and light, the 调度会 held, the 催办 and 督办单
/// issued, how 整改 stands and the 量化考评 so far; printable as it is (A4) and as .xlsx. For the
/// office, leaders and observers.
#[component]
pub fn QuarterPage() -> impl IntoView {
    let query = use_query_map();
    let pack = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("plan").filter(|p| !p.is_empty()),
                q.get("q").unwrap_or_default(),
            )
        },
        |(plan, q)| async move {
            let plan = crate::ui::format::plan_in_address(plan.as_deref())?;
            get_quarter_pack(plan, q).await
        },
    );
    view! {
        <Title text="季度报送" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match pack.await {
                    Err(error) => view! {
                        <h1>"季度报送"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(pack) => view! { <PackView pack /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PackView(pack: QuarterPack) -> impl IntoView {
    let plan = encode_query(pack.plan.id.as_str());
    let links = (1..=4u8)
        .map(|q| {
            let current = q == pack.quarter;
            view! {
                <a
                    href=format!("/quarter?plan={plan}&q={q}")
                    class="category-tab"
                    class:active=current
                    aria-current=current.then_some("page")
                >
                    {format!("第{}季度", QUARTERS[usize::from(q - 1)])}
                </a>
            }
        })
        .collect_view();
    let t = pack.totals;
    let under_way = t.green + t.yellow + t.red;
    let mean = if t.total > t.cancelled {
        t.percent_total / (t.total - t.cancelled)
    } else {
        0
    };
    let progress_note = if pack.today > pack.to {
        format!(
            "任务进展和灯为生成之日({})的情况;督办、调度会、整改按本季度统计,考评截至季度末。",
            date_zh(pack.today)
        )
    } else {
        format!("截至{}。", date_zh(pack.as_of))
    };
    let tasks = pack
        .tasks
        .iter()
        .filter(|task| task.status != TaskStatus::Cancelled)
        .map(|task| {
            let light = task
                .light
                .filter(|_| matches!(task.status, TaskStatus::InProgress | TaskStatus::Returned));
            view! {
                <tr>
                    <td class="num">{task.number}</td>
                    <td>{task.title.clone()}</td>
                    <td>{task.lead_unit.clone().unwrap_or_else(|| "待揭榜".to_owned())}</td>
                    <td class="num">{format!("{}%", task.percent.value())}</td>
                    <td>{light.map(|l| view! {
                        <span class=format!("light-badge light-{}", l.code())>
                            <span class="light-dot" aria-hidden="true"></span>
                            {messages::light(l)}
                        </span>
                    })}</td>
                    <td>{messages::task_status(task.status)}</td>
                </tr>
            }
        })
        .collect_view();
    let meetings = pack
        .meetings
        .iter()
        .map(|m| view! {
            <li>
                <a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a>
                {format!(" · {} · {} · 研判 {}/{} 项", date_zh(m.date), messages::meeting_status(m.status), m.judged, m.tasks)}
            </li>
        })
        .collect_view();
    let no_meetings = pack.meetings.is_empty();
    let pressed = pack
        .supervisions
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td class="date">{date_zh(s.day)}</td>
                    <td>{messages::supervision_kind(s.kind)}</td>
                    <td>{s.unit_name.clone()}</td>
                    <td>{s.facts.clone()}</td>
                    <td>{if s.feedback.is_some() { "已反馈" } else { "未反馈" }}</td>
                </tr>
            }
        })
        .collect_view();
    let no_pressed = pack.supervisions.is_empty();
    let f = pack.findings;
    let findings = pack
        .open_findings
        .iter()
        .map(|item| {
            view! {
                <tr>
                    <td class="num">{item.number}</td>
                    <td><a href=format!("/rectify/{}", item.id)>{item.problem.clone()}</a></td>
                    <td>{item.unit_name.clone()}</td>
                    <td class="date">{date_zh(item.deadline)}</td>
                    <td>{messages::finding_status(item.status)}</td>
                </tr>
            }
        })
        .collect_view();
    let scores = pack
        .scores
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{crate::ui::scores::place(s)}</td>
                    <td>{s.unit.name.clone()}</td>
                    <td class="num">{s.total.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let quarter = QUARTERS[usize::from(pack.quarter - 1)];
    view! {
        <h1>{format!("{} · {}年第{}季度报送", pack.plan.title, pack.plan.year, quarter)}</h1>
        <p class="lede">
            {format!("报告期:{} 至 {}。{progress_note}", date_zh(pack.from), date_zh(pack.to))}
        </p>
        <nav class="category-tabs period-links no-print" aria-label="选择季度">{links}</nav>
        <p class="no-print">
            <a class="button secondary" href=format!("/export/quarter?plan={plan}&q={}", pack.quarter) download>
                "导出季度报送(Excel)"
            </a>
            <span class="hint">" 本页可直接打印(A4)。"</span>
        </p>
        <section class="detail-section quarter-section" id="overview">
            <h2>"一、总体情况"</h2>
            <p class="quarter-overview">
                {format!(
                    "共 {} 项任务:推进中 {} 项(绿灯 {}、黄灯 {}、红灯 {}),待验收 {} 项,已销号 {} 项,尚未承接 {} 项,撤项 {} 项;逾期 {} 项;平均进度 {}%。",
                    t.total, under_way, t.green, t.yellow, t.red, t.submitted, t.accepted, t.waiting, t.cancelled, t.overdue, mean
                )}
            </p>
        </section>
        <section class="detail-section quarter-section" id="tasks">
            <h2>"二、任务进展"</h2>
            <table class="ledger quarter-tasks">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"任务"</th>
                        <th scope="col">"牵头单位"</th>
                        <th scope="col">"进度"</th>
                        <th scope="col">"灯"</th>
                        <th scope="col">"状态"</th>
                    </tr>
                </thead>
                <tbody>{tasks}</tbody>
            </table>
        </section>
        <section class="detail-section quarter-section" id="meetings">
            <h2>"三、专题调度会"</h2>
            {if no_meetings {
                view! { <p class="empty">"本季度未召开专题调度会。"</p> }.into_any()
            } else {
                view! { <ul class="quarter-meetings">{meetings}</ul> }.into_any()
            }}
        </section>
        <section class="detail-section quarter-section" id="supervision">
            <h2>{format!("四、催办督办(本季度 {} 次)", pack.supervisions.len())}</h2>
            {if no_pressed {
                view! { <p class="empty">"本季度未催办、未发督办单。"</p> }.into_any()
            } else {
                view! {
                    <table class="ledger quarter-pressed">
                        <thead>
                            <tr>
                                <th scope="col">"日期"</th>
                                <th scope="col">"方式"</th>
                                <th scope="col">"主送单位"</th>
                                <th scope="col">"督办事项"</th>
                                <th scope="col">"反馈"</th>
                            </tr>
                        </thead>
                        <tbody>{pressed}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section class="detail-section quarter-section" id="findings">
            <h2>"五、问题整改"</h2>
            <p class="quarter-findings">
                {format!(
                    "本季度新发现问题 {} 个,整改销号 {} 个;目前整改中 {} 个、待销号 {} 个,其中逾期 {} 个。",
                    f.found, f.closed, f.in_hand, f.submitted, f.overdue
                )}
            </p>
            <table class="ledger quarter-open-findings">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"问题"</th>
                        <th scope="col">"责任单位"</th>
                        <th scope="col">"整改时限"</th>
                        <th scope="col">"状态"</th>
                    </tr>
                </thead>
                <tbody>{findings}</tbody>
            </table>
        </section>
        <section class="detail-section quarter-section" id="scores">
            <h2>{format!("六、量化考评(截至{})", date_zh(pack.as_of))}</h2>
            <table class="ledger quarter-scores">
                <thead>
                    <tr>
                        <th scope="col">"名次"</th>
                        <th scope="col">"单位"</th>
                        <th scope="col">"得分"</th>
                    </tr>
                </thead>
                <tbody>{scores}</tbody>
            </table>
            <p class="hint">
                <a href=format!("/scores?plan={plan}&as_of={}", pack.as_of)>"查看各单位得分明细"</a>
            </p>
        </section>
    }
}
