//! 督办 on the task page: every 催办 and 督办单 sent (colour, number, requirement, 反馈时限,
//! the unit's 反馈 or 逾期未反馈), the office's form to send one, and the unit's 反馈 form.
//! Plain forms: they work without JavaScript.

use super::{FieldErrors, FormError};
use crate::api::supervision::{AnswerSupervision, SuperviseTask};
use crate::domain::policy;
use crate::domain::supervision::{Supervision, SupervisionKind};
use crate::domain::{Actor, TaskId, TaskStatus, UnitId};
use crate::ui::format::{date_zh, time_zh};
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use chrono::NaiveDate;
use leptos::prelude::*;

/// The section's actions; the task page refetches the task after each.
#[derive(Clone, Copy)]
pub struct SupervisionActions {
    pub issue: ServerAction<SuperviseTask>,
    pub answer: ServerAction<AnswerSupervision>,
    written: [Memo<usize>; 2],
}

impl SupervisionActions {
    /// Creates the actions and provides them to the section.
    pub fn provide() -> Self {
        let (issue, answer) = (ServerAction::new(), ServerAction::new());
        let actions = Self {
            issue,
            answer,
            written: [saved(issue), saved(answer)],
        };
        provide_context(actions);
        actions
    }

    /// Moves on after every write that went through.
    pub fn version(&self) -> usize {
        any_saved(self.written)
    }
}

/// The section: shown when something was sent, or the reader may send.
#[component]
pub fn SupervisionSection(
    task: TaskId,
    status: TaskStatus,
    lead_unit: Option<UnitId>,
    supervisions: Vec<Supervision>,
    reader: Option<Actor>,
    today: NaiveDate,
) -> impl IntoView {
    let actions = use_context::<SupervisionActions>()?;
    let may_send = reader
        .as_ref()
        .is_some_and(|a| policy::check_supervise(a, status).is_ok());
    if supervisions.is_empty() && !may_send {
        return None;
    }
    let issue_error = Signal::derive(move || actions.issue.value().get().and_then(Result::err));
    let answer_error = Signal::derive(move || actions.answer.value().get().and_then(Result::err));
    // The mildest colour not yet sent is offered first: an unanswered notice escalates.
    let strongest = supervisions.iter().map(|s| s.kind).max();
    let suggested = strongest
        .and_then(SupervisionKind::escalated)
        .unwrap_or(SupervisionKind::Urge);
    let items = supervisions
        .into_iter()
        .map(|s| {
            let may_answer = lead_unit.as_ref().is_some_and(|unit| {
                reader.as_ref().is_some_and(|a| {
                    policy::check_answer_supervision(a, unit, s.feedback.is_some()).is_ok()
                })
            });
            view! { <SupervisionItem s may_answer today answer=actions.answer /> }
        })
        .collect_view();
    Some(
        view! {
            <section class="detail-section supervision" id="supervision" aria-label="督办">
                <h2>"督办"</h2>
                <FormError error=answer_error />
                <ol class="supervision-list">{items}</ol>
                {may_send.then(|| view! {
                    <details class="supervise-form-box" open=move || issue_error.get().is_some()>
                        <summary>"催办 / 发督办单"</summary>
                        <ActionForm action=actions.issue attr:class="request-form supervise-form">
                            <input type="hidden" name="id" value=task.to_string() />
                            <label>
                                "类型"
                                <select name="kind">
                                    {SupervisionKind::ALL
                                        .into_iter()
                                        .map(|k| view! {
                                            <option value=k.code() selected=k == suggested>{messages::supervision_kind(k)}</option>
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <p class="field-hint">"蓝色提醒(临近时限)、黄色督办(进度滞后)、红色通报(逾期未完成);督办单送承办单位负责人并抄送分管领导,事实由系统按当日进度生成。"</p>
                            <label>
                                "督办要求"
                                <textarea name="requirement" rows="3" required maxlength="1000" aria-describedby="supervise-requirement-error"></textarea>
                                <FieldErrors error=issue_error field="requirement" id="supervise-requirement-error" />
                            </label>
                            <label>
                                "反馈时限"
                                <input type="date" name="feedback_by" required aria-describedby="supervise-feedback-by-error" />
                                <FieldErrors error=issue_error field="feedback_by" id="supervise-feedback-by-error" />
                            </label>
                            <FormError error=issue_error />
                            <button type="submit">"发出"</button>
                        </ActionForm>
                    </details>
                })}
            </section>
        }
        .into_any(),
    )
}

/// One 催办 or 督办单: its colour and number, what it requires by when, and the 反馈.
#[component]
fn SupervisionItem(
    s: Supervision,
    may_answer: bool,
    today: NaiveDate,
    answer: ServerAction<AnswerSupervision>,
) -> impl IntoView {
    let answer_error = Signal::derive(move || answer.value().get().and_then(Result::err));
    let title = match s.number {
        Some(n) => format!(
            "{}(督办〔{}〕{n}号)",
            messages::supervision_kind(s.kind),
            s.year
        ),
        None => messages::supervision_kind(s.kind).to_owned(),
    };
    let state = if s.feedback.is_some() {
        "已反馈"
    } else if s.overdue(today) {
        "逾期未反馈"
    } else {
        "待反馈"
    };
    let state_class = if s.feedback.is_some() {
        "answered"
    } else if s.overdue(today) {
        "overdue"
    } else {
        "waiting"
    };
    let print = s.kind.is_notice().then(|| format!("/notices/{}", s.id));
    let id = s.id.to_string();
    let error_id = format!("feedback-{id}-error");
    view! {
        <li class=format!("supervision-item kind-{}", s.kind.code()) data-kind=s.kind.code()>
            <header class="request-head">
                <strong class="supervision-title">{title}</strong>
                <span class=format!("supervision-state state-{state_class}")>{state}</span>
                <span class="request-meta">{format!("{} · {} · 主送 {}", s.issued_by, date_zh(s.day), s.unit_name)}</span>
            </header>
            <p class="supervision-facts">{s.facts.clone()}</p>
            <p class="supervision-requirement">{format!("督办要求:{}(请于 {} 前反馈)", s.requirement, date_zh(s.feedback_by))}</p>
            {s.feedback.clone().map(|f| view! {
                <p class="supervision-feedback">
                    {format!("反馈:{f}({} {})", s.answered_by.clone().unwrap_or_default(), s.answered_at.map(time_zh).unwrap_or_default())}
                </p>
            })}
            {print.map(|href| view! { <a class="print-link" href=href>"查看督办单(可打印)"</a> })}
            {may_answer.then(|| view! {
                <ActionForm action=answer attr:class="request-form answer-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <label>
                        "反馈落实情况"
                        <textarea name="feedback" rows="2" required maxlength="1000" aria-describedby=error_id.clone()></textarea>
                        <FieldErrors error=answer_error field="feedback" id=error_id.clone() />
                    </label>
                    <button type="submit">"反馈"</button>
                </ActionForm>
            })}
        </li>
    }
    .into_any()
}
