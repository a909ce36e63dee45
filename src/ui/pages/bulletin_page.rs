use crate::api::supervision::get_bulletin;
use crate::domain::PlanId;
use crate::domain::bulletin::{Bulletin, Flagged};
use crate::domain::views::Tally;
use crate::ui::bulletin::{issue_line, pressed_line, title};
use crate::ui::components::ErrorPanel;
use crate::ui::format::{date_zh, encode_query};
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/bulletin?plan=ID`: the 督办通报 — the month's issue of the plan's state for the office to
/// print and circulate: 一、总体情况, 二、各单位情况, 三、红灯任务, 四、黄灯任务 with each
/// task's reason and every 催办 and 督办单 behind it. A4, and as a workbook.
#[component]
pub fn BulletinPage() -> impl IntoView {
    let query = use_query_map();
    let bulletin = Resource::new(
        move || query.read().get("plan"),
        |plan| async move { get_bulletin(plan.as_deref().and_then(PlanId::parse)).await },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match bulletin.await {
                    Ok(b) => view! { <Document b /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Document(b: Bulletin) -> impl IntoView {
    let t = b.totals;
    let download = format!("/export/bulletin?plan={}", encode_query(b.plan.id.as_str()));
    let board = format!("/?plan={}", encode_query(b.plan.id.as_str()));
    let pressed: Vec<String> = b
        .pressed_this_month
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{}{n}件", messages::supervision_kind(*k)))
        .collect();
    let pressed = if pressed.is_empty() {
        "本月未发出催办和督办单".to_owned()
    } else {
        format!("本月发出{}", pressed.join("、"))
    };
    let unanswered = if b.unanswered > 0 {
        format!(",截至目前逾期未反馈{}件", b.unanswered)
    } else {
        ",均已按期反馈或尚在反馈期内".to_owned()
    };
    let summary = format!(
        "截至{},清单共{}项任务:已销号{}项,待验收{}项,推进中{}项(绿灯{}项、黄灯{}项、红灯{}项),尚未启动{}项{}。完成率{}%。{pressed}{unanswered}。",
        date_zh(b.as_of),
        t.total,
        t.accepted,
        t.submitted,
        t.green + t.yellow + t.red,
        t.green,
        t.yellow,
        t.red,
        t.waiting,
        if t.cancelled > 0 {
            format!(",撤项{}项", t.cancelled)
        } else {
            String::new()
        },
        t.completion(),
    );
    let as_of = b.as_of;
    view! {
        <Title text=title(&b) />
        <nav class="sheet-tools no-print" aria-label="督办通报操作">
            <a href=board>"返回任务清单"</a>
            <a href=download>"导出 Excel"</a>
            <button type="button" class="secondary" onclick="window.print()">"打印"</button>
        </nav>
        <article class="bulletin-sheet">
            <header class="sheet-head">
                <p class="sheet-issuer">{b.plan.issuer.clone()}</p>
                <h1 class="sheet-title">"督办通报"</h1>
                <p class="sheet-number">{issue_line(&b)}</p>
            </header>
            <p class="bulletin-subject">{title(&b)}</p>
            <h2>"一、总体情况"</h2>
            <p class="bulletin-summary">{summary}</p>
            <h2>"二、各单位情况"</h2>
            <table class="bulletin-table units">
                <thead>
                    <tr>
                        <th scope="col">"牵头单位"</th>
                        <th scope="col">"任务"</th>
                        <th scope="col">"绿灯"</th>
                        <th scope="col">"黄灯"</th>
                        <th scope="col">"红灯"</th>
                        <th scope="col">"待验收"</th>
                        <th scope="col">"已销号"</th>
                        <th scope="col">"未启动"</th>
                        <th scope="col">"完成率"</th>
                    </tr>
                </thead>
                <tbody>
                    {b.units
                        .iter()
                        .map(|u| view! {
                            <UnitRow
                                name=u.unit.clone().unwrap_or_else(|| "(待揭榜)".to_owned())
                                t=u.tally
                            />
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <UnitRow name="合计".to_owned() t />
                </tfoot>
            </table>
            <h2>{format!("三、红灯任务({}项)", b.red.len())}</h2>
            <FlaggedList tasks=b.red.clone() as_of light="red" />
            <h2>{format!("四、黄灯任务({}项)", b.yellow.len())}</h2>
            <FlaggedList tasks=b.yellow.clone() as_of light="yellow" />
            <p class="bulletin-ask">
                "请各牵头单位对照通报,对红灯任务逐项分析原因、明确整改措施和完成时限,对黄灯任务加快推进,并在系统中及时报送进展。"
            </p>
            <footer class="sheet-sign">
                <p>{b.plan.issuer.clone()}</p>
                <p>{date_zh(b.as_of)}</p>
            </footer>
        </article>
    }
}

#[component]
fn UnitRow(name: String, t: Tally) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>{t.total}</td>
            <td>{t.green}</td>
            <td class:count-yellow={t.yellow > 0}>{t.yellow}</td>
            <td class:count-red={t.red > 0}>{t.red}</td>
            <td>{t.submitted}</td>
            <td>{t.accepted}</td>
            <td>{t.waiting}</td>
            <td>{format!("{}%", t.completion())}</td>
        </tr>
    }
}

#[component]
fn FlaggedList(
    tasks: Vec<Flagged>,
    as_of: chrono::NaiveDate,
    light: &'static str,
) -> impl IntoView {
    if tasks.is_empty() {
        return view! { <p class="bulletin-none">"无。"</p> }.into_any();
    }
    view! {
        <ol class=format!("bulletin-tasks light-{light}")>
            {tasks
                .into_iter()
                .map(|f| {
                    let t = f.task;
                    let href = format!("/tasks/{}", t.id);
                    let who = match (&t.lead_unit, &t.owner) {
                        (Some(u), Some(o)) => format!("{u} · {o}"),
                        (Some(u), None) => u.clone(),
                        _ => String::new(),
                    };
                    let reason = t.reason.map(messages::light_reason).unwrap_or_default();
                    view! {
                        <li>
                            <p class="bulletin-task">
                                <a href=href>{format!("第{}项 {}", t.number, t.title)}</a>
                                <span class="bulletin-who">{who}</span>
                            </p>
                            <p class="bulletin-facts">
                                {format!(
                                    "完成进度 {}%,序时进度 {}%,完成时限 {}。",
                                    t.percent.value(),
                                    t.expected,
                                    date_zh(t.deadline)
                                )}
                                {(!reason.is_empty()).then(|| view! { <strong>{format!("亮灯原因:{reason}。")}</strong> })}
                            </p>
                            {if f.pressed.is_empty() {
                                view! { <p class="bulletin-pressed none">"尚未催办。"</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="bulletin-pressed">
                                        {f.pressed.iter().map(|s| view! { <li>{pressed_line(s, as_of)}</li> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
