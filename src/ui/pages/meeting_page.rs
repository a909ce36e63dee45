use crate::api::meetings::{
    AddActionItem, AdvanceMeeting, AnswerActionItem, CloseActionItem, EditAgenda,
    RecordMeetingTask, get_meeting,
};
use crate::api::organization::list_units;
use crate::domain::meeting::{
    ACTION_MAX, ActionItem, ActionStatus, AgendaChoice, AgendaEdit, AgendaRow, FEEDBACK_MAX,
    MeetingStatus, MeetingView, REQUIREMENTS_MAX, Verdict,
};
use crate::domain::policy::Capability;
use crate::domain::{MeetingId, Role, TaskId, Unit, UnitId};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError, LightBadge, StatusBadge};
use crate::ui::format::{date_zh, time_zh};
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The writes of the meeting page, shared by its parts.
#[derive(Clone, Copy)]
struct Actions {
    advance: ServerAction<AdvanceMeeting>,
    record: ServerAction<RecordMeetingTask>,
    add: ServerAction<AddActionItem>,
    answer: ServerAction<AnswerActionItem>,
    close: ServerAction<CloseActionItem>,
    arrange: ServerAction<EditAgenda>,
}

/// `/meetings/:id`: one 专题调度会 — its particulars, the agenda with each task as the
/// meeting saw it (frozen when it started) and what it decided; `?task=…` opens one task's
/// record (研判, 会议要求, 交办事项).
#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let session = use_session();
    let office = move || session.can(Capability::ManagePlans);
    let actions = Actions {
        advance: ServerAction::new(),
        record: ServerAction::new(),
        add: ServerAction::new(),
        answer: ServerAction::new(),
        close: ServerAction::new(),
        arrange: ServerAction::new(),
    };
    let written = [
        saved(actions.advance),
        saved(actions.record),
        saved(actions.add),
        saved(actions.answer),
        saved(actions.close),
        saved(actions.arrange),
    ];
    // The unit whose 交办事项 this person answers (unit heads and liaisons).
    let unit = move || {
        session
            .user
            .get()
            .filter(|u| matches!(u.role, Role::UnitHead | Role::Liaison))
            .and_then(|u| u.unit)
    };
    let data = Resource::new(
        move || (params.read().get("id"), office(), any_saved(written)),
        |(id, office, _)| async move {
            let id = id
                .as_deref()
                .and_then(MeetingId::parse)
                .ok_or(AppError::NotFound(crate::domain::Entity::Meeting))?;
            let view = get_meeting(id).await?;
            // The 交办 form names a unit: only the office writes it.
            let units = if office {
                list_units().await?
            } else {
                Vec::new()
            };
            Ok::<_, AppError>((view, units))
        },
    );
    let selected = move || query.read().get("task").and_then(|t| TaskId::parse(&t));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((view, units)) => {
                        let office = office();
                        let unit = unit();
                        let chosen = selected()
                            .and_then(|t| view.rows.iter().position(|r| r.task.id == t));
                        view! { <Meeting view units office unit chosen actions /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Meeting(
    view: MeetingView,
    units: Vec<Unit>,
    office: bool,
    unit: Option<UnitId>,
    chosen: Option<usize>,
    actions: Actions,
) -> impl IntoView {
    let m = &view.meeting;
    let s = &m.summary;
    let path = format!("/meetings/{}", s.id);
    let status = s.status;
    let advance_error = move || actions.advance.value().get().and_then(Result::err);
    let next = status.next().filter(|n| *n != MeetingStatus::Published);
    let (meeting_id, meeting_version) = (s.id.to_string(), s.version);
    let row = chosen.and_then(|i| view.rows.get(i).cloned());
    let task_actions: Vec<ActionItem> = row
        .as_ref()
        .map(|r| {
            view.actions
                .iter()
                .filter(|a| a.task == r.task.id)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let titles: std::collections::HashMap<TaskId, (u32, String)> = view
        .rows
        .iter()
        .map(|r| (r.task.id.clone(), (r.task.number, r.task.title.clone())))
        .collect();
    view! {
        <Title text=s.title.clone() />
        <div class="meeting-head">
            <h1>{s.title.clone()}</h1>
            <span class=format!("meeting-status meeting-{}", status.code())>
                {messages::meeting_status(status)}
            </span>
        </div>
        <dl class="meeting-facts">
            <div><dt>"时间"</dt><dd>{format!("{} {}", date_zh(s.date), s.time.format("%H:%M"))}</dd></div>
            <div><dt>"地点"</dt><dd>{s.place.clone()}</dd></div>
            <div><dt>"主持"</dt><dd>{s.host.clone()}</dd></div>
            <div><dt>"任务清单"</dt><dd>{s.plan_title.clone()}</dd></div>
            {(!m.attendees.is_empty()).then(|| view! { <div class="wide"><dt>"参会"</dt><dd>{m.attendees.clone()}</dd></div> })}
            {(!m.observers.is_empty()).then(|| view! { <div class="wide"><dt>"列席"</dt><dd>{m.observers.clone()}</dd></div> })}
            <div><dt>"研判进度"</dt><dd>{format!("已研判 {} 项 / 共 {} 项", s.judged, s.tasks)}</dd></div>
        </dl>
        {m.started_at.map(|at| view! {
            <p class="hint">
                {format!("会议开始于 {},以下为当时各项任务的状态(此后的变化不影响本次会议的记录)。", time_zh(at))}
            </p>
        })}
        {(office && next.is_some()).then(move || {
            let to = next.map(MeetingStatus::code).unwrap_or_default();
            view! {
                <ActionForm action=actions.advance attr:class="row-form meeting-advance">
                    <input type="hidden" name="id" value=meeting_id />
                    <input type="hidden" name="version" value=meeting_version />
                    <input type="hidden" name="to" value=to />
                    <button type="submit">
                        {match status {
                            MeetingStatus::Planned => "开始会议",
                            _ => "结束会议",
                        }}
                    </button>
                    {(status == MeetingStatus::Planned).then(|| view! {
                        <span class="hint">"开始后将冻结各项任务当时的进度、灯色、推进目标和验收标准,作为会议纪要的依据。"</span>
                    })}
                </ActionForm>
            }
        })}
        <p class="meeting-links">
            <a class="button" href=format!("{path}/present")>"主持模式"</a>
            {(status == MeetingStatus::InProgress).then(|| view! {
                <a class="button secondary" href=format!("{path}/present?follow")>"跟随主持"</a>
            })}
            <a href=format!("{path}/minutes")>
                {if status == MeetingStatus::Published { "会议纪要(已印发)" } else { "会议纪要" }}
            </a>
        </p>
        {move || advance_error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
        {row.map(|row| view! {
            <TaskRecordPanel
                row
                meeting=s.id.clone()
                day=s.date
                status
                office
                units=units.clone()
                items=task_actions.clone()
                back=path.clone()
                actions
            />
        })}
        <h2>"会议议程"</h2>
        {(office && status == MeetingStatus::Planned).then(|| view! {
            <p class="hint">"会议开始前可调整议程:调整顺序、设定重点研究、移出或加入任务。"</p>
        })}
        <AgendaTable
            rows=view.rows.clone()
            path=path.clone()
            chosen
            arrange=(office && status == MeetingStatus::Planned)
                .then(|| (actions.arrange, s.id.clone(), s.version, view.off_agenda.clone()))
        />
        <section class="meeting-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">"交办事项"</h2>
            <ActionTable items=view.actions.clone() titles=titles.clone() office unit=unit.clone() actions />
        </section>
        {view.previous.clone().filter(|p| !p.actions.is_empty()).map(|p| view! {
            <section class="previous-actions" aria-labelledby="previous-title">
                <h2 id="previous-title">"上次会议交办事项落实情况"</h2>
                <p class="hint">
                    <a href=format!("/meetings/{}", p.summary.id)>{p.summary.title.clone()}</a>
                    {format!("({}) · 共 {} 项,已办结 {} 项", date_zh(p.summary.date), p.actions.len(),
                        p.actions.iter().filter(|a| a.status == ActionStatus::Closed).count())}
                </p>
                <ActionTable items=p.actions titles office unit actions />
            </section>
        })}
    }
}

#[component]
fn AgendaTable(
    rows: Vec<AgendaRow>,
    path: String,
    chosen: Option<usize>,
    /// Before the meeting, for the office: the agenda's editor, the meeting and its version,
    /// and the plan's tasks not on it.
    arrange: Option<(ServerAction<EditAgenda>, MeetingId, u32, Vec<AgendaChoice>)>,
) -> impl IntoView {
    let editing = arrange.clone();
    let error = Signal::derive(move || {
        editing
            .as_ref()
            .and_then(|(action, ..)| action.value().get().and_then(Result::err))
    });
    let arrange = StoredValue::new(arrange);
    let arranging = arrange.with_value(Option::is_some);
    view! {
        <FormError error />
        <div class="table-scroll">
            <table class="ledger agenda">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"任务"</th>
                        <th scope="col">"牵头单位 · 责任人"</th>
                        <th scope="col">"进度 / 序时"</th>
                        <th scope="col">"灯"</th>
                        <th scope="col">"研判"</th>
                        <th scope="col">"会议要求"</th>
                        {arranging.then(|| view! { <th scope="col">"调整议程"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let t = &r.task;
                            let href = format!("{path}?task={}#record", t.id);
                            let lead = [t.responsibility.lead_unit.clone(), t.responsibility.owner.clone()]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(" · ");
                            view! {
                                <tr class:current=chosen == Some(i) class:focus-row=r.focus>
                                    <td class="num" data-label="序号">{t.number}</td>
                                    <th scope="row">
                                        <a href=href>{t.title.clone()}</a>
                                        {r.focus.then(|| view! { <span class="focus-tag">"重点研究"</span> })}
                                    </th>
                                    <td data-label="牵头单位">{if lead.is_empty() { "—".to_owned() } else { lead }}</td>
                                    <td class="num" data-label="进度 / 序时">{format!("{}% / {}%", t.percent.value(), t.expected)}</td>
                                    <td class="light-cell" data-label="灯">
                                        <LightBadge light=t.light expected=t.expected />
                                    </td>
                                    <td data-label="研判">
                                        {r.record
                                            .as_ref()
                                            .and_then(|rec| rec.verdict)
                                            .map(|v| view! { <span class=format!("verdict verdict-{}", v.code())>{messages::verdict(v)}</span> }.into_any())
                                            .unwrap_or_else(|| view! { <span class="hint">"未研判"</span> }.into_any())}
                                    </td>
                                    <td class="requirements" data-label="会议要求">
                                        {r.record.as_ref().map(|rec| rec.requirements.clone()).unwrap_or_default()}
                                        {r.record.as_ref().and_then(|rec| rec.deadline).map(|d| view! {
                                            <span class="fixed-deadline">{format!("完成时限调整为{}", date_zh(d))}</span>
                                        })}
                                    </td>
                                    {arrange.with_value(|a| a.clone()).map(|(action, meeting, version, _)| {
                                        let focus = r.focus;
                                        let (key, number) = (t.id.to_string(), t.number);
                                        view! {
                                            <td data-label="调整议程">
                                                <ActionForm action attr:class="row-form agenda-edit">
                                                    <input type="hidden" name="id" value=meeting.to_string() />
                                                    <input type="hidden" name="version" value=version />
                                                    <input type="hidden" name="task" value=key />
                                                    <label>
                                                        <span class="visually-hidden">{format!("第{number}项的调整")}</span>
                                                        <select name="edit">
                                                            {AgendaEdit::ON_AGENDA
                                                                .into_iter()
                                                                .filter(|e| match e {
                                                                    AgendaEdit::Focus => !focus,
                                                                    AgendaEdit::Unfocus => focus,
                                                                    _ => true,
                                                                })
                                                                .map(|e| view! { <option value=e.code()>{messages::agenda_edit(e)}</option> })
                                                                .collect_view()}
                                                        </select>
                                                    </label>
                                                    <button type="submit" class="secondary">"调整"</button>
                                                </ActionForm>
                                            </td>
                                        }
                                    })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {arrange.with_value(|a| a.clone()).filter(|(.., off)| !off.is_empty()).map(|(action, meeting, version, off)| view! {
            <ActionForm action attr:class="row-form agenda-add">
                <input type="hidden" name="id" value=meeting.to_string() />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="edit" value=AgendaEdit::Add.code() />
                <label>
                    "加入议程"
                    <select name="task">
                        {off.into_iter().map(|c| view! {
                            <option value=c.id.to_string()>{format!("{}. {}", c.number, c.title)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="secondary">"加入"</button>
            </ActionForm>
        })}
    }
}

/// One task as the meeting takes it up: what it saw, and (for the office, while records are
/// taken) the 研判 form and the 交办 form.
#[component]
fn TaskRecordPanel(
    row: AgendaRow,
    meeting: MeetingId,
    day: chrono::NaiveDate,
    status: MeetingStatus,
    office: bool,
    units: Vec<Unit>,
    items: Vec<ActionItem>,
    back: String,
    actions: Actions,
) -> impl IntoView {
    let t = row.task.clone();
    let writable = office && status.records_editable();
    let record_error = Signal::derive(move || actions.record.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || actions.add.value().get().and_then(Result::err));
    let verdict = row.record.as_ref().and_then(|r| r.verdict);
    let fixed = row
        .record
        .as_ref()
        .and_then(|r| r.deadline)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let requirements = row
        .record
        .as_ref()
        .map(|r| r.requirements.clone())
        .unwrap_or_default();
    let r = &t.responsibility;
    let lead_id = r.lead_unit_id.clone();
    // The task's own editor, as an 调整 whose reason names this meeting.
    let adjust_href = format!("/tasks/{}/edit?meeting={meeting}", t.id);
    let (meeting, task) = (meeting.to_string(), t.id.to_string());
    let (meeting2, task2) = (meeting.clone(), task.clone());
    view! {
        <section class="meeting-record" id="record" aria-labelledby="record-title">
            <header class="meeting-record-head">
                <h2 id="record-title">
                    {format!("第 {} 项 · {}", t.number, t.title)}
                    {row.focus.then(|| view! { <span class="focus-tag">"重点研究"</span> })}
                </h2>
                <a class="button secondary" href=back>"收起"</a>
            </header>
            <div class="record-facts">
                <p>
                    <StatusBadge status=t.status />
                    " "
                    <LightBadge light=t.light expected=t.expected />
                    {format!(" 完成 {}%,序时进度 {}%", t.percent.value(), t.expected)}
                    {(!row.frozen).then(|| view! { <span class="hint">" (会议尚未开始,显示当前状态)"</span> })}
                </p>
                <p>
                    {format!(
                        "牵头单位:{} 责任人:{}{} 分管领导:{}",
                        r.lead_unit.clone().unwrap_or_else(|| "待定".into()),
                        r.owner.clone().unwrap_or_else(|| "待定".into()),
                        if r.post.is_empty() { String::new() } else { format!("({})", r.post) },
                        r.supervisor.clone().unwrap_or_else(|| "待定".into()),
                    )}
                </p>
                <p>{format!("完成时限:{}", date_zh(t.deadline))}</p>
                <h3>"推进目标"</h3>
                <ol class="record-goals">
                    {t.milestones
                        .iter()
                        .map(|ms| view! {
                            <li>
                                {format!("{} 前:{}", date_zh(ms.due), ms.title)}
                                {ms.done_on.map(|d| view! { <span class="done">{format!(" ✓ {} 达成", date_zh(d))}</span> })}
                            </li>
                        })
                        .collect_view()}
                </ol>
                <h3>"验收标准"</h3>
                <ol class="record-goals">
                    {t.criteria.iter().map(|c| view! { <li>{c.text.clone()}</li> }).collect_view()}
                </ol>
                <p class="record-links">
                    {writable.then(|| view! {
                        <a class="button secondary" href=adjust_href.clone()>"按会议要求调整推进目标、验收标准"</a>
                    })}
                    <a href=format!("/tasks/{}", t.id)>"任务详情、批示与意见"</a>
                </p>
                <h3>"最新进展"</h3>
                {match t.latest.clone() {
                    Some(l) => view! {
                        <dl class="record-latest">
                            <dt>"工作进展"</dt><dd>{l.done}</dd>
                            {(!l.problems.is_empty()).then(|| view! { <dt>"存在问题"</dt><dd>{l.problems.clone()}</dd> })}
                            {(!l.next_steps.is_empty()).then(|| view! { <dt>"下步打算"</dt><dd>{l.next_steps.clone()}</dd> })}
                        </dl>
                    }
                    .into_any(),
                    None => view! { <p class="hint">"尚无报送。"</p> }.into_any(),
                }}
            </div>
            {writable.then(move || view! {
                <ActionForm action=actions.record attr:class="record-form">
                    <input type="hidden" name="meeting" value=meeting />
                    <input type="hidden" name="task" value=task />
                    <fieldset class="verdicts">
                        <legend>"研判结论"</legend>
                        {Verdict::ALL
                            .into_iter()
                            .map(|v| view! {
                                <label class="choice">
                                    <input type="radio" name="verdict" value=v.code() checked=verdict == Some(v) />
                                    {messages::verdict(v)}
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    <FieldErrors error=record_error field="verdict" id="verdict-error" />
                    <label>
                        "会议要求"
                        <textarea name="requirements" rows="3" maxlength=REQUIREMENTS_MAX aria-describedby="requirements-error" placeholder="会议明确的推进目标、完成时限、验收标准和具体要求">
                            {requirements.clone()}
                        </textarea>
                        <FieldErrors error=record_error field="requirements" id="requirements-error" />
                    </label>
                    <label class="deadline-field">
                        "调整完成时限(会议明确时填写,将同步到任务并记入任务历史)"
                        <input name="deadline" type="date" min=day.to_string() value=fixed aria-describedby="meeting-deadline-error" />
                        <FieldErrors error=record_error field="meeting_deadline" id="meeting-deadline-error" />
                    </label>
                    <FormError error=record_error />
                    <div class="form-actions"><button type="submit">"保存研判"</button></div>
                </ActionForm>
            })}
            {(!writable).then(|| row.record.clone().map(|rec| view! {
                <p class="record-readonly">
                    {rec.verdict.map(|v| format!("研判:{}。", messages::verdict(v))).unwrap_or_default()}
                    {(!rec.requirements.is_empty()).then(|| format!("会议要求:{}", rec.requirements))}
                    {rec.deadline.map(|d| format!("会议明确完成时限为{}。", date_zh(d)))}
                </p>
            }))}
            <h3>"交办事项"</h3>
            {if items.is_empty() {
                view! { <p class="hint">"本项暂无交办事项。"</p> }.into_any()
            } else {
                view! {
                    <ul class="action-items">
                        {items
                            .iter()
                            .map(|a| view! {
                                <li>
                                    {format!("{}(责任单位:{},{} 前完成)", a.content, a.unit_name, date_zh(a.due))}
                                    <span class="hint">{format!(" {}", messages::action_status(a.status))}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {writable.then(move || view! {
                <ActionForm action=actions.add attr:class="grid-form action-form">
                    <input type="hidden" name="meeting" value=meeting2 />
                    <input type="hidden" name="task" value=task2 />
                    <label class="wide">
                        "交办事项"
                        <textarea name="content" rows="2" required maxlength=ACTION_MAX aria-describedby="action-content-error"></textarea>
                        <FieldErrors error=add_error field="action_content" id="action-content-error" />
                    </label>
                    <label>
                        "责任单位"
                        <select name="unit" required aria-describedby="action-unit-error">
                            {units
                                .iter()
                                .filter(|u| u.active)
                                .map(|u| view! {
                                    <option value=u.id.to_string() selected=lead_id.as_ref() == Some(&u.id)>
                                        {u.name.clone()}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                        <FieldErrors error=add_error field="action_unit" id="action-unit-error" />
                    </label>
                    <label>
                        "办理时限"
                        <input name="due" type="date" required min=day.to_string() aria-describedby="action-due-error" />
                        <FieldErrors error=add_error field="action_due" id="action-due-error" />
                    </label>
                    <FormError error=add_error />
                    <div class="form-actions"><button type="submit">"添加交办事项"</button></div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ActionTable(
    items: Vec<ActionItem>,
    titles: std::collections::HashMap<TaskId, (u32, String)>,
    office: bool,
    unit: Option<UnitId>,
    actions: Actions,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"暂无交办事项。"</p> }.into_any();
    }
    let answer_error = Signal::derive(move || actions.answer.value().get().and_then(Result::err));
    let close_error = move || actions.close.value().get().and_then(Result::err);
    view! {
        {move || close_error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
        <FormError error=answer_error />
        <div class="table-scroll">
            <table class="ledger action-table">
                <thead>
                    <tr>
                        <th scope="col">"任务"</th>
                        <th scope="col">"交办事项"</th>
                        <th scope="col">"责任单位"</th>
                        <th scope="col">"办理时限"</th>
                        <th scope="col">"办理情况"</th>
                        <th scope="col">"状态"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|a| {
                            let task = titles
                                .get(&a.task)
                                .map(|(n, title)| format!("{n}. {title}"))
                                .unwrap_or_default();
                            let open = a.status != ActionStatus::Closed;
                            let mine = open && unit.as_ref() == Some(&a.unit);
                            let closable = open && office;
                            let (id, id2) = (a.id.to_string(), a.id.to_string());
                            view! {
                                <tr>
                                    <td data-label="任务">{task}</td>
                                    <th scope="row">{a.content.clone()}</th>
                                    <td data-label="责任单位">{a.unit_name.clone()}</td>
                                    <td data-label="办理时限">{date_zh(a.due)}</td>
                                    <td data-label="办理情况">
                                        {(!a.feedback.is_empty()).then(|| view! {
                                            <p class="feedback">
                                                {a.feedback.clone()}
                                                <span class="hint">{a.answered_by.clone().map(|b| format!(" ({b})")).unwrap_or_default()}</span>
                                            </p>
                                        })}
                                        {mine.then(|| view! {
                                            <ActionForm action=actions.answer attr:class="answer-form">
                                                <input type="hidden" name="id" value=id />
                                                <label>
                                                    <span class="visually-hidden">"办理情况"</span>
                                                    <textarea name="feedback" rows="2" required maxlength=FEEDBACK_MAX placeholder="填写办理情况">{a.feedback.clone()}</textarea>
                                                </label>
                                                <button type="submit" class="secondary">"反馈"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                    <td data-label="状态">
                                        {messages::action_status(a.status)}
                                        {closable.then(|| view! {
                                            <ActionForm action=actions.close attr:class="row-form">
                                                <input type="hidden" name="id" value=id2 />
                                                <button type="submit" class="secondary">"办结"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
