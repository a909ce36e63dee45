//! 延期申请, 调整申请 and 撤项申请 on the task page: the requests with their 初审 and 审定,
//! the unit head's request forms, and the office's and the leader's decisions. Plain forms:
//! they work without JavaScript.

use super::{ChangeTable, FieldErrors, FormError, GoalRows};
use crate::api::requests::{
    ApproveRequest, RejectRequest, RequestAdjustment, RequestCancellation, RequestExtension,
};
use crate::domain::extension::{ExtensionRequest, RequestKind};
use crate::domain::policy::{self, TaskFacts};
use crate::domain::{Actor, GoalsForm, Role, TaskId};
use crate::error::AppError;
use crate::ui::format::{date_zh, time_zh};
use crate::ui::refetch::{any_saved, saved};
use chrono::NaiveDate;
use leptos::prelude::*;

/// The actions of the section; the task page refetches the task after each.
#[derive(Clone, Copy)]
pub struct ExtensionActions {
    pub request: ServerAction<RequestExtension>,
    pub cancel: ServerAction<RequestCancellation>,
    pub adjust: ServerAction<RequestAdjustment>,
    pub approve: ServerAction<ApproveRequest>,
    pub reject: ServerAction<RejectRequest>,
    written: [Memo<usize>; 5],
}

impl ExtensionActions {
    pub fn new() -> Self {
        let (request, cancel, adjust, approve, reject) = (
            ServerAction::new(),
            ServerAction::new(),
            ServerAction::new(),
            ServerAction::new(),
            ServerAction::new(),
        );
        Self {
            request,
            cancel,
            adjust,
            approve,
            reject,
            written: [
                saved(request),
                saved(cancel),
                saved(adjust),
                saved(approve),
                saved(reject),
            ],
        }
    }

    /// Moves on after every write that went through.
    pub fn version(&self) -> usize {
        any_saved(self.written)
    }

    fn error(&self) -> Option<AppError> {
        self.approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| self.reject.value().get().and_then(Result::err))
    }
}

impl Default for ExtensionActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The section: shown when there is a request, or the reader may file one.
#[component]
pub fn ExtensionSection(
    task: TaskId,
    facts_status: crate::domain::TaskStatus,
    lead_unit: Option<crate::domain::UnitId>,
    deadline: NaiveDate,
    /// The task's 推进目标 and 验收标准 as they stand: where a 调整申请 starts.
    goals: GoalsForm,
    plan_open: bool,
    requests: Vec<ExtensionRequest>,
    reader: Option<Actor>,
    actions: ExtensionActions,
) -> impl IntoView {
    let pending = requests.iter().any(|r| r.status.open());
    let facts = TaskFacts {
        status: facts_status,
        lead_unit: lead_unit.as_ref(),
    };
    let may_request = plan_open
        && reader
            .as_ref()
            .is_some_and(|a| policy::check_request_extension(a, facts, pending).is_ok());
    if requests.is_empty() && !may_request {
        return None;
    }
    let request_error = Signal::derive(move || actions.request.value().get().and_then(Result::err));
    let cancel_error = Signal::derive(move || actions.cancel.value().get().and_then(Result::err));
    let cancel_task = task.to_string();
    let adjust_task = task.to_string();
    let adjust_error = Signal::derive(move || actions.adjust.value().get().and_then(Result::err));
    // A failed 调整申请 reopens its form so the errors show beside the rows.
    let adjust_open = move || adjust_error.get().is_some();
    let decision_error = Signal::derive(move || actions.error());
    Some(
        view! {
            <section class="detail-section extensions" id="extensions" aria-label="延期、调整与撤项申请">
                <h2>"延期、调整与撤项申请"</h2>
                <FormError error=decision_error />
                <ol class="request-list">
                    {requests
                        .into_iter()
                        .map(|r| view! { <RequestItem request=r reader=reader.clone() actions plan_open /> })
                        .collect_view()}
                </ol>
                {may_request.then(|| view! {
                    <ActionForm action=actions.request attr:class="request-form">
                        <h3>"申请延期"</h3>
                        <input type="hidden" name="id" value=task.to_string() />
                        <p class="field-hint">{format!("现完成时限:{}。延期须经组织科初审、分管领导审定;考评仍以原定时限计。", date_zh(deadline))}</p>
                        <label>
                            "申请延至"
                            <input type="date" name="new_deadline" required aria-describedby="request-deadline-error" />
                            <FieldErrors error=request_error field="new_deadline" id="request-deadline-error" />
                        </label>
                        <label>
                            "延期理由"
                            <textarea name="reason" rows="2" required maxlength="300" aria-describedby="request-reason-error"></textarea>
                            <FieldErrors error=request_error field="reason" id="request-reason-error" />
                        </label>
                        <FormError error=request_error />
                        <button type="submit">"提交延期申请"</button>
                    </ActionForm>
                    <details class="adjust-request" open=adjust_open>
                        <summary>"申请调整推进目标、验收标准"</summary>
                        <ActionForm action=actions.adjust attr:class="request-form adjust-form">
                            <input type="hidden" name="id" value=adjust_task />
                            <p class="field-hint">"在现行内容上修改后提交;已达成的推进目标、已核验的验收标准保持不变。须经组织科初审、分管领导审定后生效。"</p>
                            <GoalRows
                                root="goals"
                                id_prefix="adjust"
                                milestones=goals.milestones
                                criteria=goals.criteria
                                error=adjust_error
                            />
                            <FieldErrors error=adjust_error field="goals" id="adjust-goals-error" />
                            <label>
                                "调整理由"
                                <textarea name="reason" rows="2" required maxlength="300" aria-describedby="adjust-reason-error"></textarea>
                                <FieldErrors error=adjust_error field="reason" id="adjust-reason-error" />
                            </label>
                            <FormError error=adjust_error />
                            <button type="submit">"提交调整申请"</button>
                        </ActionForm>
                    </details>
                    <details class="cancel-request">
                        <summary>"申请撤项"</summary>
                        <ActionForm action=actions.cancel attr:class="request-form cancel-form">
                            <input type="hidden" name="id" value=cancel_task />
                            <p class="field-hint">"任务因政策调整等原因不再实施的,可申请撤项;须经组织科初审、分管领导审定。"</p>
                            <label>
                                "撤项理由"
                                <textarea name="reason" rows="2" required maxlength="300" aria-describedby="cancel-reason-error"></textarea>
                                <FieldErrors error=cancel_error field="reason" id="cancel-reason-error" />
                            </label>
                            <FormError error=cancel_error />
                            <button type="submit" class="secondary">"提交撤项申请"</button>
                        </ActionForm>
                    </details>
                })}
            </section>
        }
        .into_any(),
    )
}

/// One request: dates, reason, where it stands, and the next step's forms for whoever takes it.
#[component]
fn RequestItem(
    request: ExtensionRequest,
    reader: Option<Actor>,
    actions: ExtensionActions,
    plan_open: bool,
) -> impl IntoView {
    let status = crate::ui::messages::request_status(request.status);
    let may_handle = plan_open
        && reader
            .as_ref()
            .is_some_and(|a| policy::check_handle_request(a, request.status).is_ok());
    let (agree, disagree) = match (reader.as_ref().map(|a| a.role), request.kind) {
        (Some(Role::Leader), RequestKind::Extension) => ("批准延期", "不予批准"),
        (Some(Role::Leader), RequestKind::Cancel) => ("批准撤项", "不予批准"),
        (Some(Role::Leader), RequestKind::Adjust) => ("批准调整", "不予批准"),
        _ => ("初审通过", "初审不同意"),
    };
    let asked = match request.kind {
        RequestKind::Extension => format!(
            "延期:{} → {}",
            date_zh(request.old_deadline),
            date_zh(request.new_deadline)
        ),
        RequestKind::Cancel => "撤项".to_owned(),
        RequestKind::Adjust => "调整推进目标、验收标准".to_owned(),
    };
    let change = request.change.clone();
    let id = request.id.to_string();
    view! {
        <li class=format!("request request-{}", request.status.code())>
            <header class="request-head">
                <strong>{asked}</strong>
                <span class="request-status">{status}</span>
                <span class="request-meta">
                    {format!("{} · {} · 申请时完成 {}%", request.by, time_zh(request.at), request.percent)}
                </span>
            </header>
            <p class="request-reason">{format!("理由:{}", request.reason)}</p>
            {change.map(|change| view! { <ChangeTable change /> })}
            {request.reviewed_by.clone().map(|by| view! {
                <p class="request-step">
                    {format!("初审:{by}{}", if request.review_note.is_empty() { String::new() } else { format!(",{}", request.review_note) })}
                </p>
            })}
            {request.decided_by.clone().map(|by| view! {
                <p class="request-step">
                    {format!("审定:{by}{}", if request.decision_note.is_empty() { String::new() } else { format!(",{}", request.decision_note) })}
                </p>
            })}
            {may_handle.then(|| {
                let id2 = id.clone();
                view! {
                    <div class="request-decide">
                        <ActionForm action=actions.approve attr:class="inline-form">
                            <input type="hidden" name="request" value=id2 />
                            <input type="hidden" name="note" value="" />
                            <button type="submit">{agree}</button>
                        </ActionForm>
                        <ActionForm action=actions.reject attr:class="inline-form return-form">
                            <input type="hidden" name="request" value=id />
                            <label>
                                "不同意的理由"
                                <input type="text" name="note" required minlength="2" maxlength="300" />
                            </label>
                            <button type="submit" class="secondary">{disagree}</button>
                        </ActionForm>
                    </div>
                }
            })}
        </li>
    }
    .into_any()
}
