use crate::api::findings::{AddFinding, get_findings};
use crate::domain::rectify::{Filter, FindingForm, FindingList, Source, Status, tally};
use crate::domain::{PlanId, TaskId};
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{date_zh, encode_query};
use crate::ui::messages;
use crate::ui::refetch::saved;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/rectify`: the 整改清单 of the current plan (or `?plan=`) — counts on top, filters in the
/// address (`?status=`, `?source=`, `?unit=`), one row per item with its light, the 整改台账
/// as .xlsx; the office enters new items here (`?task=`: drafted from that task's failed
/// acceptance). A unit sees its own items. Plain forms and links: it works without
/// JavaScript.
#[component]
pub fn RectifyPage() -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<AddFinding>::new();
    let written = saved(add);
    let list = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("plan").filter(|p| !p.is_empty()),
                q.get("task").filter(|t| !t.is_empty()),
                written.get(),
            )
        },
        |(plan, task, _)| async move {
            let plan = crate::ui::format::plan_in_address(plan.as_deref())?;
            get_findings(plan, task.as_deref().and_then(TaskId::parse)).await
        },
    );
    view! {
        <Title text="整改清单" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! {
                        <h1>"整改清单"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(list) => {
                        let q = query.read_untracked();
                        let filter = Filter::parse(
                            &q.get("status").unwrap_or_default(),
                            &q.get("source").unwrap_or_default(),
                            &q.get("unit").unwrap_or_default(),
                        );
                        let editor = list.may_manage.then(|| view! {
                            <NewFinding list=list.clone() add />
                            <ImportFindings plan=list.plan.id.to_string() />
                        });
                        view! {
                            <FindingsView list=list.clone() filter />
                            {editor}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The list's address for `plan` with one filter (`key=value`; empty: none).
fn list_href(plan: &PlanId, key: &str, value: &str) -> String {
    let mut href = format!("/rectify?plan={}", encode_query(plan.as_str()));
    if !value.is_empty() {
        href.push_str(&format!("&{key}={}", encode_query(value)));
    }
    href
}

#[component]
fn FindingsView(list: FindingList, filter: Filter) -> impl IntoView {
    let t = tally(&list.findings, list.today);
    let plan = list.plan.id.clone();
    let chips = [
        ("", "", "全部", t.total, "all"),
        ("status", "rectifying", "整改中", t.in_hand, "in-hand"),
        ("status", "overdue", "已逾期", t.overdue, "overdue"),
        ("status", "submitted", "待销号", t.submitted, "submitted"),
        ("status", "closed", "已销号", t.closed, "closed"),
    ]
    .into_iter()
    .map(|(key, value, word, n, class)| {
        view! {
            <li>
                <a class=format!("tally-chip tally-{class}") href=list_href(&plan, key, value)>
                    {word}
                    <strong>{n}</strong>
                </a>
            </li>
        }
    })
    .collect_view();
    let lede = if list.own_only {
        "本页显示本单位负责整改的事项。请按整改措施抓好落实,在整改时限前报送整改进展和佐证材料,整改完成后申请销号。"
    } else {
        "督查检查、调度会议定、验收未通过、上级督导反馈和自查发现的问题,逐项明确责任单位、责任人、整改措施和整改时限,整改完成经组织人事局审核后销号。"
    };
    let shown: Vec<_> = list
        .findings
        .iter()
        .filter(|f| filter.keeps(f, list.today))
        .cloned()
        .collect();
    let export = format!("/export/findings?plan={}", encode_query(plan.as_str()));
    let today = list.today;
    let rows = shown
        .into_iter()
        .map(|f| {
            let overdue = f.overdue(today);
            let light = f.light.map(|l| {
                view! {
                    <span class=format!("light-badge light-{}", l.code())>
                        <span class="light-dot" aria-hidden="true"></span>
                        {messages::light(l)}
                    </span>
                }
            });
            let deadline = if overdue {
                format!("{}(逾期 {} 天)", date_zh(f.deadline), (today - f.deadline).num_days())
            } else {
                date_zh(f.deadline)
            };
            view! {
                <tr data-finding=f.number.to_string() class:overdue=overdue>
                    <td class="num">{f.number}</td>
                    <td class="light-cell">{light}</td>
                    <td class="problem">
                        <a href=format!("/rectify/{}", f.id)>{f.problem.clone()}</a>
                        {f.task.clone().map(|(_, n, title)| view! {
                            <span class="finding-task">{format!("关联任务 {n}. {title}")}</span>
                        })}
                    </td>
                    <td data-label="来源">{messages::finding_source(f.source)}</td>
                    <td data-label="责任单位">{f.unit_name.clone()}<br /><span class="muted">{f.person.clone()}</span></td>
                    <td class="date" data-label="整改时限">{deadline}</td>
                    <td data-label="状态">
                        <span class=format!("finding-status finding-{}", f.status.code())>
                            {messages::finding_status(f.status)}
                        </span>
                        {(f.returned > 0).then(|| view! {
                            <span class="muted">{format!(" · 退回 {} 次", f.returned)}</span>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = list.findings.iter().all(|f| !filter.keeps(f, today));
    view! {
        <h1>{format!("{} · 整改清单", list.plan.title)}</h1>
        <p class="lede">{lede}</p>
        <ul class="tally-summary" aria-label="整改事项统计">
            <li class="as-of">{format!("截至 {}", date_zh(today))}</li>
            {chips}
        </ul>
        <div class="board-tools">
            <FilterForm list=list.clone() filter />
            <a class="button secondary" href=export download>"导出整改台账(Excel)"</a>
        </div>
        {if empty {
            view! { <p class="empty">"没有符合条件的整改事项。"</p> }.into_any()
        } else {
            view! {
                <table class="ledger findings">
                    <thead>
                        <tr>
                            <th scope="col">"序号"</th>
                            <th scope="col">"灯"</th>
                            <th scope="col">"问题描述"</th>
                            <th scope="col">"来源"</th>
                            <th scope="col">"责任单位 / 责任人"</th>
                            <th scope="col">"整改时限"</th>
                            <th scope="col">"状态"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
                .into_any()
        }}
        <p class="hint">
            {format!(
                "灯:整改时限前 {} 天内尚未申请销号为黄灯,超过整改时限为红灯;已申请销号的事项等待审核,为绿灯。",
                crate::domain::rectify::DUE_SOON_DAYS
            )}
        </p>
    }
}

/// Filters as a GET form: status, source, unit (the office's view), in the address.
#[component]
fn FilterForm(list: FindingList, filter: Filter) -> impl IntoView {
    let units: Vec<(String, String)> = {
        let mut seen: Vec<(String, String)> = Vec::new();
        for f in &list.findings {
            if !seen.iter().any(|(id, _)| id == f.unit.as_str()) {
                seen.push((f.unit.to_string(), f.unit_name.clone()));
            }
        }
        seen.sort_by(|a, b| a.1.cmp(&b.1));
        seen
    };
    view! {
        <form class="board-search findings-filter" method="get" action="/rectify" role="search">
            <input type="hidden" name="plan" value=list.plan.id.to_string() />
            <label class="filter">
                "状态"
                <select name="status">
                    <option value="">"全部"</option>
                    {Status::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.code() selected=filter.status == Some(s)>{messages::finding_status(s)}</option> })
                        .collect_view()}
                    <option value="overdue" selected=filter.overdue>"已逾期"</option>
                </select>
            </label>
            <label class="filter">
                "来源"
                <select name="source">
                    <option value="">"全部"</option>
                    {Source::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.code() selected=filter.source == Some(s)>{messages::finding_source(s)}</option> })
                        .collect_view()}
                </select>
            </label>
            {(!list.own_only).then(|| view! {
                <label class="filter">
                    "责任单位"
                    <select name="unit">
                        <option value="">"全部"</option>
                        {units
                            .into_iter()
                            .map(|(id, name)| {
                                let on = filter.unit.as_ref().is_some_and(|u| u.as_str() == id);
                                view! { <option value=id selected=on>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            })}
            <button type="submit" class="secondary">"筛选"</button>
        </form>
    }
}

/// The office's form for a new item (opened and filled in when drafted from a failed
/// acceptance).
#[component]
fn NewFinding(list: FindingList, add: ServerAction<AddFinding>) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let drafted = list.draft.is_some();
    let d = list.draft.clone().unwrap_or_default();
    let FindingForm {
        problem,
        source,
        unit,
        person,
        deadline,
        found_on,
        task,
        ..
    } = d;
    let added = move || {
        add.value().get().and_then(Result::ok).map(|id| {
            view! {
                <p class="notice saved" role="status">
                    "已列入整改清单。" <a href=format!("/rectify/{id}")>"查看该事项"</a>
                </p>
            }
        })
    };
    view! {
        <section class="detail-section" id="new">
            <details open=drafted>
                <summary><h2>"新增整改事项"</h2></summary>
                {drafted.then(|| view! {
                    <p class="hint">"已根据该任务最近一次未通过的验收填好问题、责任单位和整改时限,请补充整改措施后提交。"</p>
                })}
                <ActionForm action=add attr:class="grid-form finding-form">
                    <input type="hidden" name="plan" value=list.plan.id.to_string() />
                    <label class="wide">
                        "问题描述"
                        <textarea name="form[problem]" rows="3" required maxlength=crate::domain::rectify::PROBLEM_MAX aria-describedby="nf-problem-error" prop:value=problem.clone()>{problem.clone()}</textarea>
                        <FieldErrors error field="finding_problem" id="nf-problem-error" />
                    </label>
                    <label>
                        "问题来源"
                        <select name="form[source]" required aria-describedby="nf-source-error">
                            {Source::ALL
                                .into_iter()
                                .map(|s| view! { <option value=s.code() selected=source == s.code()>{messages::finding_source(s)}</option> })
                                .collect_view()}
                        </select>
                        <FieldErrors error field="finding_source" id="nf-source-error" />
                    </label>
                    <label>
                        "关联任务(可不选)"
                        <select name="form[task]" aria-describedby="nf-task-error">
                            <option value="">"不关联任务"</option>
                            {list.tasks
                                .iter()
                                .map(|t| {
                                    let on = t.id.as_str() == task;
                                    view! { <option value=t.id.to_string() selected=on>{format!("{}. {}", t.number, t.title)}</option> }
                                })
                                .collect_view()}
                        </select>
                        <FieldErrors error field="finding_task" id="nf-task-error" />
                    </label>
                    <label>
                        "责任单位"
                        <select name="form[unit]" required aria-describedby="nf-unit-error">
                            <option value="">"请选择"</option>
                            {list.units
                                .iter()
                                .map(|u| view! { <option value=u.id.to_string() selected=u.id.as_str() == unit>{u.name.clone()}</option> })
                                .collect_view()}
                        </select>
                        <FieldErrors error field="finding_unit" id="nf-unit-error" />
                    </label>
                    <label>
                        "责任人"
                        <input name="form[person]" required maxlength="40" value=person aria-describedby="nf-person-error" />
                        <FieldErrors error field="finding_person" id="nf-person-error" />
                    </label>
                    <label class="wide">
                        "整改措施"
                        <textarea name="form[measures]" rows="3" required maxlength=crate::domain::rectify::MEASURES_MAX aria-describedby="nf-measures-error"></textarea>
                        <FieldErrors error field="measures" id="nf-measures-error" />
                    </label>
                    <label>
                        "发现日期"
                        <input type="date" name="form[found_on]" value=found_on aria-describedby="nf-found-error" />
                        <FieldErrors error field="found_on" id="nf-found-error" />
                    </label>
                    <label>
                        "整改时限"
                        <input type="date" name="form[deadline]" required value=deadline aria-describedby="nf-deadline-error" />
                        <FieldErrors error field="finding_deadline" id="nf-deadline-error" />
                    </label>
                    <FormError error />
                    <button type="submit">"列入整改清单"</button>
                </ActionForm>
                {added}
            </details>
        </section>
    }
}

/// The office imports a findings list kept in Excel/WPS (a plain multipart form): every row
/// or none; the problems, row by row, come back in the address.
#[component]
fn ImportFindings(plan: String) -> impl IntoView {
    let query = use_query_map();
    let error = Signal::derive(move || {
        query.read().get("import_error").map(|raw| {
            <crate::error::AppError as leptos::server_fn::error::FromServerFnError>::de(
                leptos::server_fn::Bytes::from(raw),
            )
        })
    });
    let imported = move || {
        query
            .read()
            .get("imported")
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| view! { <p class="notice saved" role="status">{format!("已导入 {n} 项整改事项。")}</p> })
    };
    let opened = query.read_untracked().get("import_error").is_some();
    let columns = crate::domain::rectify::template_headers().join("、");
    view! {
        <section class="detail-section" id="import">
            {imported}
            <details open=opened>
                <summary><h2>"从 Excel 导入整改清单"</h2></summary>
                <p class="hint">
                    {format!("第一行(或标题下一行)为表头,可含:{columns}。问题来源写“督查检查”“调度会议定”“验收未通过”“上级督导反馈”或“自查发现”;关联任务写任务序号;日期可写 2022-8-15、2022/8/15 或 2022年8月15日。有任何一处问题则整表不导入,并逐行列出。")}
                </p>
                <form method="post" action="/rectify/import" enctype="multipart/form-data" class="grid-form import-findings">
                    <input type="hidden" name="plan" value=plan />
                    <label class="wide">
                        "整改清单文件(.xlsx、.xls、.et 或 .csv)"
                        <input type="file" name="file" required accept=".xlsx,.xls,.et,.csv" aria-describedby="if-file-error" />
                        <FieldErrors error field="file" id="if-file-error" />
                    </label>
                    <FormError error />
                    <button type="submit">"导入"</button>
                </form>
            </details>
        </section>
    }
}
