use crate::api::scores::{SaveRubric, get_ranking};
use crate::domain::policy::Capability;
use crate::domain::score::{
    Part, Points, RankGroup, Ranking, Rubric, RubricForm, TaskLine, UnitScore,
};
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{date_zh, encode_query};
use crate::ui::messages;
use crate::ui::refetch::saved;
use crate::ui::scores::{judged, part, place};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/scores`: 量化考评 — the units of the current plan (or `?plan=`) ranked as of a day
/// (`?as_of=`, default today or the year's end) among all units, the 机关科室 or the 街道
/// (`?group=`), each with its breakdown per item and per task and the facts behind every
/// point; the 考评细则 below, which the office edits. A GET form and plain links: it works
/// without JavaScript and prints as the 述职评议 pack's ranking.
#[component]
pub fn ScoresPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let save = ServerAction::<SaveRubric>::new();
    let written = saved(save);
    let ranking = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("plan").filter(|p| !p.is_empty()),
                q.get("as_of").unwrap_or_default(),
                q.get("group").unwrap_or_default(),
                written.get(),
            )
        },
        |(plan, as_of, group, _)| async move {
            let plan = crate::ui::format::plan_in_address(plan.as_deref())?;
            get_ranking(plan, as_of, group).await
        },
    );
    let office = move || session.can(Capability::ManagePlans);
    view! {
        <Title text="量化考评" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match ranking.await {
                    Err(error) => view! {
                        <h1>"量化考评"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(ranking) => {
                        let editor = office().then(|| view! { <RubricEditor ranking=ranking.clone() save /> });
                        view! {
                            <RankingView ranking=ranking.clone() />
                            <RubricCard rubric=ranking.rubric report_day=ranking.report_day />
                            {editor}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The page's address for `ranking`'s plan with `group` (keeping its day).
fn scores_href(ranking: &Ranking, group: RankGroup) -> String {
    format!(
        "/scores?plan={}&as_of={}&group={}",
        encode_query(ranking.plan.id.as_str()),
        ranking.as_of,
        group.code()
    )
}

#[component]
fn RankingView(ranking: Ranking) -> impl IntoView {
    let r = ranking.rubric;
    let groups = RankGroup::ALL
        .into_iter()
        .map(|g| {
            let current = g == ranking.group;
            view! {
                <a href=scores_href(&ranking, g) class="category-tab" class:active=current aria-current=current.then_some("page")>
                    {messages::rank_group(g)}
                </a>
            }
        })
        .collect_view();
    let as_of = ranking.as_of.to_string();
    let (first, last) = crate::domain::task::plan_year_bounds(ranking.plan.year);
    let note = if ranking.own_only {
        "本页只显示本单位的得分和名次;全体排名由组织人事局通报。"
    } else {
        "名次按总分排列,总分相同的并列;得分为所牵头任务(重中之重任务权重更高)和所配合任务(按配合单位计分比例)的加权平均,扣分已计入各任务得分。"
    };
    let unjudged = ranking
        .scores
        .iter()
        .any(|s| s.quality.is_none() || s.innovation.is_none());
    view! {
        <h1>{format!("{} · 量化考评", ranking.plan.title)}</h1>
        <p class="lede">
            {format!(
                "截至{},{}。按期完成以原定完成时限为准(经批准延期的任务,仍按原时限评价);报送及时按每月{}日报送日统计。",
                date_zh(ranking.as_of),
                messages::rank_group(ranking.group),
                ranking.report_day
            )}
        </p>
        <form method="get" action="/scores" class="filter-bar scores-filter">
            <input type="hidden" name="plan" value=ranking.plan.id.to_string() />
            <input type="hidden" name="group" value=ranking.group.code() />
            <label>
                "截至日期"
                <input type="date" name="as_of" value=as_of min=first.to_string() max=last.to_string() />
            </label>
            <button type="submit">"重新计算"</button>
            <a
                class="button secondary"
                href=format!(
                    "/export/ranking?plan={}&as_of={}&group={}",
                    encode_query(ranking.plan.id.as_str()),
                    ranking.as_of,
                    ranking.group.code()
                )
                download
            >
                "导出 Excel"
            </a>
            {(!ranking.own_only).then(|| view! {
                <a class="button secondary" href=format!("/quarter?plan={}", encode_query(ranking.plan.id.as_str()))>
                    "季度报送"
                </a>
            })}
            <a class="button secondary" href=format!("/scores/points?plan={}", encode_query(ranking.plan.id.as_str()))>
                "积分台账"
            </a>
            <nav class="category-tabs" aria-label="比较范围">{groups}</nav>
        </form>
        <nav class="period-links" aria-label="考评时段">
            "按时段:"
            {crate::domain::score::quarter_ends(ranking.plan.year)
                .into_iter()
                .zip(["一季度末", "二季度末", "三季度末", "年度末"])
                .map(|(day, label)| {
                    let current = day == ranking.as_of;
                    let href = format!(
                        "/scores?plan={}&as_of={day}&group={}",
                        encode_query(ranking.plan.id.as_str()),
                        ranking.group.code()
                    );
                    view! {
                        <a href=href class:active=current aria-current=current.then_some("page")>{label}</a>
                    }
                })
                .collect_view()}
        </nav>
        <p class="hint">{note}</p>
        {unjudged.then(|| view! {
            <p class="hint">
                {format!(
                    "完成质量({} 分)和创新特色({} 分)由考评打分,尚未评定的显示“待评”,总分暂不含这两项。",
                    r.quality, r.innovation
                )}
            </p>
        })}
        {if ranking.scores.is_empty() {
            view! { <p class="empty">"该范围内还没有承担任务的单位。"</p> }.into_any()
        } else {
            view! { <RankingTable ranking=ranking.clone() /> }.into_any()
        }}
        {ranking
            .scores
            .into_iter()
            .map(|score| view! { <UnitBreakdown score rubric=r /> })
            .collect_view()}
    }
}

#[component]
fn RankingTable(ranking: Ranking) -> impl IntoView {
    let r = ranking.rubric;
    view! {
        <table class="ledger ranking">
            <caption class="visually-hidden">"单位排名"</caption>
            <thead>
                <tr>
                    <th scope="col">"名次"</th>
                    <th scope="col">"单位"</th>
                    <th scope="col">"牵头 / 配合"</th>
                    <th scope="col">{format!("按期完成({})", r.on_time)}</th>
                    <th scope="col">{format!("报送及时({})", r.reporting)}</th>
                    <th scope="col">{format!("完成质量({})", r.quality)}</th>
                    <th scope="col">{format!("创新特色({})", r.innovation)}</th>
                    <th scope="col">"扣分"</th>
                    <th scope="col">"积分加减"</th>
                    <th scope="col">"总分"</th>
                </tr>
            </thead>
            <tbody>
                {ranking
                    .scores
                    .iter()
                    .map(|s| {
                        let place = place(s);
                        view! {
                            <tr data-unit=s.unit.id.to_string()>
                                <td data-label="名次" class="rank">{place}</td>
                                <th scope="row">
                                    <a href=format!("#unit-{}", s.unit.id)>{s.unit.name.clone()}</a>
                                    <span class="unit-kind">{messages::unit_kind(s.unit.kind)}</span>
                                </th>
                                <td data-label="牵头 / 配合">{format!("{} / {}", s.lead_tasks(), s.co_tasks())}</td>
                                <td data-label="按期完成" class="num">{s.on_time.to_string()}</td>
                                <td data-label="报送及时" class="num">{s.reporting.to_string()}</td>
                                <td data-label="完成质量" class="num">{judged(s.quality)}</td>
                                <td data-label="创新特色" class="num">{judged(s.innovation)}</td>
                                <td data-label="扣分" class="num">
                                    {if s.deductions == Points::ZERO { "—".to_owned() } else { format!("−{}", s.deductions) }}
                                </td>
                                <td data-label="积分加减" class="num adjustment">
                                    {match s.adjustment.0 {
                                        0 => "—".to_owned(),
                                        n if n > 0 => format!("+{}", s.adjustment),
                                        _ => s.adjustment.to_string(),
                                    }}
                                </td>
                                <td data-label="总分" class="num total">{s.total.to_string()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// One unit's score task by task, with why each item has its points.
#[component]
fn UnitBreakdown(score: UnitScore, rubric: Rubric) -> impl IntoView {
    let heading = format!(
        "第{}名 · {} · {} 分",
        score.rank, score.unit.name, score.total
    );
    view! {
        <section class="detail-section unit-score" id=format!("unit-{}", score.unit.id)>
            <h2>{heading}</h2>
            <p class="hint">
                {format!(
                    "牵头 {} 项、配合 {} 项。各项为加权平均:按期完成 {},报送及时 {},完成质量 {},创新特色 {},扣分 {}。",
                    score.lead_tasks(),
                    score.co_tasks(),
                    score.on_time,
                    score.reporting,
                    judged(score.quality),
                    judged(score.innovation),
                    score.deductions
                )}
            </p>
            <table class="ledger score-lines">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"任务"</th>
                        <th scope="col">"承担 · 权重"</th>
                        <th scope="col">{format!("按期完成({})", rubric.on_time)}</th>
                        <th scope="col">{format!("报送及时({})", rubric.reporting)}</th>
                        <th scope="col">"质量 / 创新"</th>
                        <th scope="col">"扣分"</th>
                        <th scope="col">"得分"</th>
                    </tr>
                </thead>
                <tbody>
                    {score.lines.into_iter().map(|line| view! { <LineRow line /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn LineRow(line: TaskLine) -> impl IntoView {
    let part = part(line.part);
    let deductions = if line.deductions.is_empty() {
        view! { <span>"—"</span> }.into_any()
    } else {
        view! {
            <ul class="plain">
                {line
                    .deductions
                    .iter()
                    .map(|d| view! { <li>{messages::deduction(d)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let reporting = match line.part {
        Part::Lead => messages::reporting_basis(&line.reporting_basis),
        Part::Co => format!(
            "牵头单位{}",
            messages::reporting_basis(&line.reporting_basis)
        ),
    };
    view! {
        <tr data-task=line.task.to_string()>
            <td data-label="序号">{line.number}</td>
            <th scope="row"><a href=format!("/tasks/{}", line.task)>{line.title}</a></th>
            <td data-label="承担 · 权重">{format!("{part} · {}%", line.weight)}</td>
            <td data-label="按期完成">
                <span class="num">{line.on_time.to_string()}</span>
                <span class="hint basis">{messages::on_time_basis(line.on_time_basis)}</span>
            </td>
            <td data-label="报送及时">
                <span class="num">{line.reporting.to_string()}</span>
                <span class="hint basis">{reporting}</span>
            </td>
            <td data-label="质量 / 创新">
                {format!("{} / {}", judged(line.quality), judged(line.innovation))}
                {(line.part == Part::Lead).then(|| view! {
                    <a class="basis" href=format!("/scores/tasks/{}", line.task)>"自评 · 点评 · 考核"</a>
                })}
            </td>
            <td data-label="扣分">{deductions}</td>
            <td data-label="得分" class="num total">{line.score.to_string()}</td>
        </tr>
    }
}

/// The 考评细则 in force, as a cadre reads it.
#[component]
fn RubricCard(rubric: Rubric, report_day: u8) -> impl IntoView {
    let r = rubric;
    view! {
        <section class="detail-section rubric">
            <h2>"考评细则"</h2>
            <ul class="plain">
                <li>{format!("按期完成 {} 分:在原定完成时限前提请验收并销号的得满分,逾期完成的得 {}%,逾期未完成的不得分;未到期的按进度与序时进度之比折算。", r.on_time, r.late_share)}</li>
                <li>{format!("报送及时 {} 分:按每月{report_day}日前报送进度的月份占应报月份的比例计分。", r.reporting)}</li>
                <li>{format!("完成质量 {} 分、创新特色 {} 分:由考评打分。", r.quality, r.innovation)}</li>
                <li>{format!("扣分:红灯超过 {} 天的,每天扣 {} 分;逾期未报每次扣 {} 分;退回整改每次扣 {} 分;红色督办单每张扣 {} 分。", r.red_grace_days, r.red_day, r.missed_report, r.returned, r.red_sheet)}</li>
                <li>{format!("权重:重中之重任务按 {}% 计;配合单位按任务得分的 {}% 权重计入。尚未挂牌或签收的任务不计分。", r.key_weight, r.co_share)}</li>
            </ul>
        </section>
    }
}

/// The office's form for the 考评细则 (a plain form; the ranking above is computed again once it
/// is saved).
#[component]
fn RubricEditor(ranking: Ranking, save: ServerAction<SaveRubric>) -> impl IntoView {
    let form = RubricForm::of(&ranking.rubric);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let done = move || {
        save.value()
            .get()
            .and_then(Result::ok)
            .map(|_| view! { <p class="form-notice" role="status">"考评细则已保存,排名已按新细则重新计算。"</p> })
    };
    let field = move |name: &'static str,
                      label: &'static str,
                      value: String,
                      hint: &'static str| {
        let id = format!("rubric-{name}-error");
        view! {
            <label>
                {label}
                <input name=format!("form[{name}]") value=value inputmode="decimal" required aria-describedby=id.clone() />
                <span class="hint">{hint}</span>
                <FieldErrors error field=name id=id />
            </label>
        }
    };
    view! {
        <section class="detail-section rubric-editor">
            <h2>"修改考评细则"</h2>
            {done}
            <ActionForm action=save attr:class="grid-form rubric-form">
                <input type="hidden" name="plan" value=ranking.plan.id.to_string() />
                <input type="hidden" name="version" value=ranking.rubric_version.to_string() />
                {field("on_time", "按期完成(分)", form.on_time, "四项合计 100 分")}
                {field("quality", "完成质量(分)", form.quality, "")}
                {field("reporting", "报送及时(分)", form.reporting, "")}
                {field("innovation", "创新特色(分)", form.innovation, "")}
                {field("late_share", "逾期完成得分比例(%)", form.late_share, "")}
                {field("red_grace_days", "红灯宽限天数", form.red_grace_days, "")}
                {field("red_day", "红灯每日扣分", form.red_day, "可含两位小数")}
                {field("missed_report", "逾期未报每次扣分", form.missed_report, "")}
                {field("returned", "退回整改每次扣分", form.returned, "")}
                {field("red_sheet", "红色督办单每张扣分", form.red_sheet, "")}
                {field("key_weight", "重中之重任务权重(%)", form.key_weight, "100–300")}
                {field("co_share", "配合单位计分比例(%)", form.co_share, "")}
                <FormError error />
                <button type="submit">"保存考评细则"</button>
            </ActionForm>
        </section>
    }
}
