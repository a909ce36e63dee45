use crate::api::organization::list_units;
use crate::api::tasks::{AddReport, ChangeTaskStatus};
use crate::domain::policy::{self, TaskFacts};
use crate::domain::{PlanStatus, Role, TaskId, TaskStatus, Transition, UnitId};
use crate::error::AppError;
use crate::ui::components::{FieldErrors, FormError};
use crate::ui::messages;
use crate::ui::session::use_session;
use leptos::prelude::*;

/// The moves and the report form the signed-in user may use on a task: exactly what
/// `domain::policy` allows (the server asks it again on every action).
#[component]
pub fn TaskActions(
    id: TaskId,
    version: u32,
    status: TaskStatus,
    lead_unit: Option<UnitId>,
    plan_status: PlanStatus,
    percent: u8,
    change: ServerAction<ChangeTaskStatus>,
    report: ServerAction<AddReport>,
) -> impl IntoView {
    let session = use_session();
    let change_error = move || change.value().get().and_then(Result::err);
    let report_error = Signal::derive(move || report.value().get().and_then(Result::err));
    view! {
        {move || {
                let id = id.clone();
                let lead_unit = lead_unit.clone();
                {
                    let user = session.user.get()?;
                    policy::check_plan_open(plan_status).ok()?;
                    let actor = user.actor();
                    let facts = TaskFacts {
                        status,
                        lead_unit: lead_unit.as_ref(),
                    };
                    let moves = policy::moves(&actor, facts);
                    let can_report = policy::check_report(&actor, facts).is_ok();
                    if moves.is_empty() && !can_report {
                        return None;
                    }
                    let role = actor.role;
                    let id_str = id.to_string();
                    Some(view! {
                        <section class="task-actions" aria-label="办理">
                            <h2>"办理"</h2>
                            <div class="action-buttons">
                                {moves
                                    .into_iter()
                                    .map(|m| {
                                        view! {
                                            <MoveForm
                                                id=id_str.clone()
                                                version
                                                transition=m.transition
                                                to=m.to
                                                role
                                                change
                                            />
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            {can_report
                                .then(|| view! { <ReportForm id=id_str.clone() percent report error=report_error /> })}
                        </section>
                    })
                }
            }}
        {move || {
            change_error()
                .map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })
        }}
    }
}

/// One move as a form with one button; 交办 also asks which unit takes the task.
#[component]
fn MoveForm(
    id: String,
    version: u32,
    transition: Transition,
    to: TaskStatus,
    role: Role,
    change: ServerAction<ChangeTaskStatus>,
) -> impl IntoView {
    let assign = transition == Transition::Assign;
    view! {
        <ActionForm action=change attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="to" value=to.code() />
            {assign.then(|| view! { <AssigneeSelect /> })}
            <button type="submit" data-transition=to.code()>
                {messages::transition(transition, role)}
            </button>
        </ActionForm>
    }
}

/// The units a task can be assigned to (交办), loaded when the form is shown.
#[component]
fn AssigneeSelect() -> impl IntoView {
    let units = Resource::new(|| (), |()| list_units());
    view! {
        <label class="assignee">
            "承办单位"
            <select name="unit" required>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        units
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|u| u.active)
                            .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> })
                            .collect_view()
                    })}
                </Suspense>
            </select>
        </label>
    }
}

/// 进度报送: 完成进度, 工作进展, 存在问题, 下步打算 — each with its own error under it.
#[component]
fn ReportForm(
    id: String,
    percent: u8,
    report: ServerAction<AddReport>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = move |name: &'static str| {
        move || (!messages::errors_for(error.get().as_ref(), name).is_empty()).then_some("true")
    };
    view! {
        <ActionForm action=report attr:class="report-form">
            <h3>"进度报送"</h3>
            <input type="hidden" name="id" value=id />
            <label>
                "完成进度(%)"
                <input
                    type="number"
                    name="percent"
                    min="0"
                    max="100"
                    value=percent
                    required
                    aria-invalid=invalid("percent")
                    aria-describedby="report-percent-error"
                />
                <FieldErrors error field="percent" id="report-percent-error" />
            </label>
            <label>
                "工作进展"
                <textarea
                    name="done"
                    rows="3"
                    required
                    aria-invalid=invalid("done")
                    aria-describedby="report-done-error"
                ></textarea>
                <FieldErrors error field="done" id="report-done-error" />
            </label>
            <label>
                "存在问题"
                <textarea name="problems" rows="2" aria-describedby="report-problems-error"></textarea>
                <FieldErrors error field="problems" id="report-problems-error" />
            </label>
            <label>
                "下步打算"
                <textarea name="next_steps" rows="2" aria-describedby="report-next_steps-error"></textarea>
                <FieldErrors error field="next_steps" id="report-next_steps-error" />
            </label>
            <FormError error />
            <button type="submit">"报送"</button>
        </ActionForm>
    }
}
