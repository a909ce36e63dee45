use crate::api::tasks::{AddReport, ChangeTaskStatus};
use crate::domain::workflow::available_transitions;
use crate::domain::{Role, TaskId, TaskStatus, UnitId};
use crate::ui::session::use_session;
use leptos::prelude::*;

/// The moves and the report form the signed-in user may use on a task. The server checks
/// every one again; this only spares users buttons that would be refused.
#[component]
pub fn TaskActions(
    id: TaskId,
    version: u32,
    status: TaskStatus,
    lead_unit: Option<UnitId>,
    percent: u8,
    change: ServerAction<ChangeTaskStatus>,
    report: ServerAction<AddReport>,
) -> impl IntoView {
    let session = use_session();
    let error = move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| report.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                let id = id.clone();
                let lead_unit = lead_unit.clone();
                Suspend::new(async move {
                    let user = session.user.await.ok().flatten()?;
                    let own = match user.role {
                        Role::Organizer => true,
                        Role::UnitHead | Role::Liaison => {
                            lead_unit.is_none() || lead_unit == user.unit
                        }
                        _ => false,
                    };
                    if !own {
                        return None;
                    }
                    let moves = available_transitions(status, user.role);
                    let can_report = status.accepts_reports();
                    if moves.is_empty() && !can_report {
                        return None;
                    }
                    let id_str = id.to_string();
                    Some(view! {
                        <section class="task-actions" aria-label="办理">
                            <h2>"办理"</h2>
                            <div class="action-buttons">
                                {moves
                                    .into_iter()
                                    .map(|(transition, to)| {
                                        let id_str = id_str.clone();
                                        view! {
                                            <ActionForm action=change attr:class="inline-form">
                                                <input type="hidden" name="id" value=id_str />
                                                <input type="hidden" name="version" value=version />
                                                <input type="hidden" name="to" value=to.code() />
                                                <button type="submit" data-transition=to.code()>
                                                    {transition.label()}
                                                </button>
                                            </ActionForm>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            {can_report
                                .then(|| {
                                    view! {
                                        <ActionForm action=report attr:class="report-form">
                                            <h3>"进度填报"</h3>
                                            <input type="hidden" name="id" value=id_str.clone() />
                                            <label>
                                                "完成进度(%)"
                                                <input type="number" name="percent" min="0" max="100" value=percent required />
                                            </label>
                                            <label>
                                                "已完成工作"
                                                <textarea name="done" rows="3" required></textarea>
                                            </label>
                                            <label>
                                                "存在问题"
                                                <textarea name="problems" rows="2"></textarea>
                                            </label>
                                            <label>
                                                "下步计划"
                                                <textarea name="next_steps" rows="2"></textarea>
                                            </label>
                                            <button type="submit">"提交填报"</button>
                                        </ActionForm>
                                    }
                                })}
                        </section>
                    })
                })
            }}
        </Transition>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
    }
}
