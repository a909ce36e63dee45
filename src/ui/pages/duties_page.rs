use crate::api::duties::{AddDuty, FileStatement, ReviewStatement, get_duties};
use crate::domain::PlanId;
use crate::domain::duty::{
    CONTENT_MAX, Duty, DutyBoard, Level, Rating, STATEMENT_MAX, StatementLine,
};
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::time_zh;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/duties`: 责任清单 — the plan's duties at three levels (主体责任, 第一责任人责任, 一岗双责),
/// each with the tasks that carry it out — and 述责: each unit's report on its duties with the
/// office's 评议. The office adds duties and 评议s; a unit's head files the unit's 述责. Plain
/// forms: it works without JavaScript.
#[component]
pub fn DutiesPage() -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<AddDuty>::new();
    let file = ServerAction::<FileStatement>::new();
    let review = ServerAction::<ReviewStatement>::new();
    let (added, filed, reviewed) = (saved(add), saved(file), saved(review));
    let board = Resource::new(
        move || {
            (
                query.read().get("plan").filter(|p| !p.is_empty()),
                any_saved([added, filed, reviewed]),
            )
        },
        |(plan, _)| async move {
            get_duties(crate::ui::format::plan_in_address(plan.as_deref())?).await
        },
    );
    view! {
        <Title text="责任清单" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(error) => view! {
                        <h1>"责任清单"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(board) => view! { <DutiesView board add file review /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DutiesView(
    board: DutyBoard,
    add: ServerAction<AddDuty>,
    file: ServerAction<FileStatement>,
    review: ServerAction<ReviewStatement>,
) -> impl IntoView {
    let levels = Level::ALL
        .into_iter()
        .map(|level| {
            let duties: Vec<Duty> = board.duties.iter().filter(|d| d.level == level).cloned().collect();
            view! {
                <section class="detail-section duty-level" id=format!("level-{}", level.code())>
                    <h2>{messages::duty_level(level)}</h2>
                    {if duties.is_empty() {
                        view! { <p class="empty">"尚未列入责任事项。"</p> }.into_any()
                    } else {
                        view! {
                            <ol class="duty-list">
                                {duties.into_iter().map(|d| view! { <DutyItem d /> }).collect_view()}
                            </ol>
                        }
                            .into_any()
                    }}
                </section>
            }
        })
        .collect_view();
    let plan = board.plan.id.clone();
    let office = board.may_manage;
    let own_line = board
        .may_state
        .as_ref()
        .and_then(|u| board.statements.iter().find(|l| l.unit == *u).cloned());
    let lines = board
        .statements
        .iter()
        .cloned()
        .map(|line| view! { <StatementRow line office plan=plan.clone() review /> })
        .collect_view();
    view! {
        <h1>{format!("{} · 责任清单", board.plan.title)}</h1>
        <p class="lede">
            "定责—述责—督责:党工委主体责任、党组织书记第一责任人责任、班子成员“一岗双责”逐级明确,每项责任落到具体任务;各单位主要负责人对照清单述责,组织人事局评议,发现的问题列入"
            <a href="/rectify">"整改清单"</a>
            ",评议结果作为"<a href="/scores">"量化考评"</a>"的参考。"
        </p>
        {levels}
        {office.then(|| view! { <NewDuty board=board.clone() add /> })}
        <section class="detail-section" id="statements">
            <h2>"述责"</h2>
            {own_line.map(|line| view! { <StatementForm line plan=board.plan.id.clone() file /> })}
            <table class="ledger statements">
                <thead>
                    <tr>
                        <th scope="col">"单位"</th>
                        <th scope="col">"述责报告"</th>
                        <th scope="col">"评议"</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
        </section>
    }
}

#[component]
fn DutyItem(d: Duty) -> impl IntoView {
    let tasks = d
        .tasks
        .iter()
        .map(|(id, n, title)| view! { <li><a href=format!("/tasks/{id}")>{format!("{n}. {title}")}</a></li> })
        .collect_view();
    let has_tasks = !d.tasks.is_empty();
    view! {
        <li class="duty" data-level=d.level.code()>
            <p class="duty-holder">
                <strong>{d.holder.clone()}</strong>
                {d.unit.clone().map(|(_, name)| view! { <span class="muted">{format!("({name})")}</span> })}
            </p>
            <p class="duty-content">{d.content.clone()}</p>
            {has_tasks.then(|| view! {
                <ul class="duty-tasks" aria-label="对应任务">{tasks}</ul>
            })}
        </li>
    }
}

#[component]
fn StatementRow(
    line: StatementLine,
    office: bool,
    plan: PlanId,
    review: ServerAction<ReviewStatement>,
) -> impl IntoView {
    let error = Signal::derive(move || review.value().get().and_then(Result::err));
    let unit = line.unit.to_string();
    let (text, verdict, form) = match line.statement {
        None => (
            view! { <span class="muted">"未提交"</span> }.into_any(),
            view! { <span class="muted">"—"</span> }.into_any(),
            None,
        ),
        Some(s) => {
            let form = (office && s.rating.is_none()).then(|| {
                let note_id = format!("rv-{unit}-note-error");
                view! {
                    <ActionForm action=review attr:class="inline-form review-statement">
                        <input type="hidden" name="plan" value=plan.to_string() />
                        <input type="hidden" name="unit" value=unit.clone() />
                        <input type="hidden" name="version" value=s.version.to_string() />
                        <label>
                            "评议等次"
                            <select name="rating">
                                {Rating::ALL
                                    .into_iter()
                                    .map(|r| view! { <option value=r.code()>{messages::rating(r)}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            "评议意见(等次低于“好”时必填)"
                            <input name="note" maxlength="500" aria-describedby=note_id.clone() />
                            <FieldErrors error field="rating_note" id=note_id />
                        </label>
                        <FormError error />
                        <button type="submit">"提交评议"</button>
                    </ActionForm>
                }
            });
            let verdict = match s.rating {
                Some(r) => view! {
                    <span class=format!("rating rating-{}", r.code())>{messages::rating(r)}</span>
                    {(!s.note.is_empty()).then(|| view! { <span class="rating-note">{s.note.clone()}</span> })}
                    <span class="muted">
                        {format!(" {} {}", s.reviewed_by.clone().unwrap_or_default(), s.reviewed_at.map(time_zh).unwrap_or_default())}
                    </span>
                }
                    .into_any(),
                None => view! { <span class="muted">"待评议"</span> }.into_any(),
            };
            (
                view! {
                    <details class="statement-text">
                        <summary>{format!("{} · {}", s.by, time_zh(s.at))}</summary>
                        <p>{s.text.clone()}</p>
                    </details>
                }
                .into_any(),
                verdict,
                form,
            )
        }
    };
    view! {
        <tr data-unit=line.unit.to_string()>
            <td>{line.unit_name.clone()}</td>
            <td>{text}</td>
            <td>{verdict}{form}</td>
        </tr>
    }
}

/// The unit head's 述责 form (rewritable until the office's 评议).
#[component]
fn StatementForm(
    line: StatementLine,
    plan: PlanId,
    file: ServerAction<FileStatement>,
) -> impl IntoView {
    let error = Signal::derive(move || file.value().get().and_then(Result::err));
    let (version, text) = line
        .statement
        .as_ref()
        .map_or((0, String::new()), |s| (s.version, s.text.clone()));
    view! {
        <ActionForm action=file attr:class="grid-form statement-form">
            <input type="hidden" name="plan" value=plan.to_string() />
            <input type="hidden" name="version" value=version.to_string() />
            <label class="wide">
                {format!("{}述责报告(履行党建责任情况、存在问题、下步措施;评议前可修改)", line.unit_name)}
                <textarea name="text" rows="6" required maxlength=STATEMENT_MAX aria-describedby="st-text-error" prop:value=text.clone()>{text.clone()}</textarea>
                <FieldErrors error field="statement" id="st-text-error" />
            </label>
            <FormError error />
            <button type="submit">{if version == 0 { "提交述责" } else { "修改述责" }}</button>
        </ActionForm>
    }
}

/// The office's form for a new duty.
#[component]
fn NewDuty(board: DutyBoard, add: ServerAction<AddDuty>) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <section class="detail-section" id="new-duty">
            <details>
                <summary><h2>"新增责任事项"</h2></summary>
                <ActionForm action=add attr:class="grid-form duty-form">
                    <input type="hidden" name="plan" value=board.plan.id.to_string() />
                    <label>
                        "责任层级"
                        <select name="form[level]">
                            {Level::ALL
                                .into_iter()
                                .map(|l| view! { <option value=l.code()>{messages::duty_level(l)}</option> })
                                .collect_view()}
                        </select>
                        <FieldErrors error field="duty_level" id="nd-level-error" />
                    </label>
                    <label>
                        "责任主体"
                        <input name="form[holder]" required maxlength="40" placeholder="如:各街道党工委书记" aria-describedby="nd-holder-error" />
                        <FieldErrors error field="duty_holder" id="nd-holder-error" />
                    </label>
                    <label>
                        "具体单位(可不选)"
                        <select name="form[unit]" aria-describedby="nd-unit-error">
                            <option value="">"不指定"</option>
                            {board.units
                                .iter()
                                .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
                                .collect_view()}
                        </select>
                        <FieldErrors error field="duty_unit" id="nd-unit-error" />
                    </label>
                    <label>
                        "对应任务序号(如 1、5、12)"
                        <input name="form[tasks]" aria-describedby="nd-tasks-error" />
                        <FieldErrors error field="duty_tasks" id="nd-tasks-error" />
                    </label>
                    <label class="wide">
                        "责任内容"
                        <textarea name="form[content]" rows="3" required maxlength=CONTENT_MAX aria-describedby="nd-content-error"></textarea>
                        <FieldErrors error field="duty_content" id="nd-content-error" />
                    </label>
                    <FormError error />
                    <button type="submit">"列入责任清单"</button>
                </ActionForm>
            </details>
        </section>
    }
}
