use crate::api::organization::get_directory;
use crate::api::tasks::{
    ChangeTaskStatus, ReviewAcceptance, SignOffAcceptance, SubmitForAcceptance,
};
use crate::domain::policy::{self, TaskFacts};
use crate::domain::{
    Criterion, Milestone, PlanStatus, Role, TaskId, TaskStatus, Transition, UnitId,
};
use crate::error::AppError;
use crate::ui::components::{FieldErrors, FormError};
use crate::ui::messages;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
    milestones: Vec<Milestone>,
    /// Whether the lead unit's liaison reports go straight through.
    reports_direct: bool,
    /// 验收标准, for the acceptance review.
    criteria: Vec<Criterion>,
    /// 配合单位, who may add their part (配合单位报送).
    co_units: Vec<UnitId>,
    /// The office's review passed; the leader's 审定 is awaited.
    awaiting_signoff: bool,
    change: ServerAction<ChangeTaskStatus>,
    review: ServerAction<ReviewAcceptance>,
) -> impl IntoView {
    let session = use_session();
    let change_error = move || change.value().get().and_then(Result::err);
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
                    let mut moves = policy::moves(&actor, facts);
                    // 验收销号 / 退回整改 are decided criterion by criterion, in the review form.
                    // Passed, it waits for the leader's 审定, not another review.
                    let can_review = !awaiting_signoff
                        && moves
                            .iter()
                            .any(|m| matches!(m.transition, Transition::Accept | Transition::Return));
                    let can_sign_off = policy::check_sign_off(&actor, status, awaiting_signoff).is_ok();
                    moves.retain(|m| !matches!(m.transition, Transition::Accept | Transition::Return));
                    // 提请验收 comes with a 自查 of each criterion, in its own form.
                    let can_submit = moves.iter().any(|m| m.transition == Transition::Submit);
                    moves.retain(|m| m.transition != Transition::Submit);
                    let part = policy::report_part(&actor, facts, &co_units).ok();
                    let can_report = part.is_some();
                    let co = part == Some(crate::domain::report::ReportPart::Co);
                    if moves.is_empty() && !can_report && !can_review && !can_submit && !can_sign_off {
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
                            {can_sign_off
                                .then(|| view! { <SignOffForm id=id_str.clone() version /> }.into_any())}
                            {can_review
                                .then(|| view! {
                                    <AcceptanceForm id=id_str.clone() version criteria=criteria.clone() review />
                                }.into_any())}
                            {can_report
                                .then(|| {
                                    let draft = !co
                                        && policy::filed_report_status(&actor, reports_direct)
                                            == crate::domain::report::ReportStatus::Draft;
                                    view! {
                                        <ReportForm id=id_str.clone() percent milestones=milestones.clone() draft co />
                                    }
                                    .into_any()
                                })}
                            {can_submit
                                .then(|| view! {
                                    <SelfCheckForm id=id_str.clone() version criteria=criteria.clone() />
                                }.into_any())}
                        </section>
                    }
                    .into_any())
                }
            }}
        {move || {
            change_error()
                .map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })
        }}
    }
}

/// One move as a form with one button. 交办 also fixes 定人定岗定责 (the unit, its 责任人 and
/// 岗位); 退回交办 / 撤回交办 ask why.
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
    let reason = crate::domain::workflow::needs_reason(transition);
    view! {
        <ActionForm action=change attr:class=if assign || reason { "move-form" } else { "inline-form" }>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="to" value=to.code() />
            {assign.then(|| view! { <AssignFields /> })}
            {reason.then(|| view! {
                <label class="move-reason">
                    {if role == Role::UnitHead { "退回理由" } else { "撤回理由" }}
                    <input type="text" name="reason" required minlength="2" maxlength="300" />
                </label>
            })}
            <button type="submit" data-transition=to.code()>
                {messages::transition(transition, role)}
            </button>
        </ActionForm>
    }
    .into_any()
}

/// 交办's 定人定岗定责: the unit that takes the task, its 责任人 (a person of that unit; the
/// server checks), 岗位 and 分管领导. Units and people come in one request when the form is shown.
#[component]
fn AssignFields() -> impl IntoView {
    let directory = Resource::new(|| (), |()| get_directory());
    view! {
        <Suspense fallback=|| view! { <span class="loading">"加载单位…"</span> }>
            {move || Suspend::new(async move {
                let (units, people) = directory.await.unwrap_or_default();
                let people: Vec<(String, String)> = people
                    .iter()
                    .map(|p| (p.id.to_string(), format!("{} · {}", p.name, p.unit_name)))
                    .collect();
                let supervisors = people.clone();
                view! {
                    <label class="assignee">
                        "承办单位"
                        <select name="unit" required>
                            {units
                                .into_iter()
                                .filter(|u| u.active)
                                .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="assignee">
                        "责任人"
                        <select name="owner">
                            <option value="">"待承办单位确定"</option>
                            {people
                                .into_iter()
                                .map(|(id, label)| view! { <option value=id>{label}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="assignee">
                        "岗位"
                        <input type="text" name="post" maxlength="60" />
                    </label>
                    <label class="assignee">
                        "分管领导"
                        <select name="supervisor">
                            <option value="">"(沿用现有)"</option>
                            {supervisors
                                .into_iter()
                                .map(|(id, label)| view! { <option value=id>{label}</option> })
                                .collect_view()}
                        </select>
                    </label>
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// 验收: each 验收标准 judged 达标 or 未达标 with a comment; a 整改时限 when any is not met.
/// All met → 验收销号; otherwise → 退回整改.
#[component]
fn AcceptanceForm(
    id: String,
    version: u32,
    criteria: Vec<Criterion>,
    review: ServerAction<ReviewAcceptance>,
) -> impl IntoView {
    let error = Signal::derive(move || review.value().get().and_then(Result::err));
    view! {
        <ActionForm action=review attr:class="acceptance-form" attr:id="acceptance-form">
            <h3>"验收核验"</h3>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <ol class="acceptance-criteria">
                {criteria
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let verdict = format!("form[verdicts][{i}]");
                        let error_id = format!("acceptance-{i}-error");
                        view! {
                            <li>
                                <p class="criterion-text">{c.text}</p>
                                {(!c.self_check.is_empty()).then(|| view! {
                                    <p class="self-check">{format!("自查:{}", c.self_check)}</p>
                                })}
                                <div class="verdict" role="radiogroup" aria-label=format!("第 {} 条核验结论", i + 1)>
                                    <label class="check">
                                        <input type="radio" name=verdict.clone() value="met" required />
                                        "达标"
                                    </label>
                                    <label class="check">
                                        <input type="radio" name=verdict value="unmet" />
                                        "未达标"
                                    </label>
                                </div>
                                <label>
                                    "核验意见"
                                    <input
                                        type="text"
                                        name=format!("form[notes][{i}]")
                                        maxlength="300"
                                        aria-describedby=error_id.clone()
                                    />
                                </label>
                                <IndexedErrors error index=i id=error_id />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <label>
                "整改时限(有未达标项时填写)"
                <input type="date" name="form[rectify_by]" aria-describedby="acceptance-rectify-error" />
                <FieldErrors error field="rectify_by" id="acceptance-rectify-error" />
            </label>
            <FormError error />
            <button type="submit">"提交验收意见"</button>
        </ActionForm>
    }
    .into_any()
}

/// 审定: the leader 销号s the acceptance the office passed, or sends the task back with why.
#[component]
fn SignOffForm(id: String, version: u32) -> impl IntoView {
    let sign_off = expect_context::<ServerAction<SignOffAcceptance>>();
    let error = Signal::derive(move || sign_off.value().get().and_then(Result::err));
    let back_id = id.clone();
    view! {
        <div class="sign-off" id="sign-off">
            <h3>"审定销号"</h3>
            <p class="field-hint">"组织科已逐条核验,验收标准全部达标。请审定是否予以销号。"</p>
            <ActionForm action=sign_off attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="decision" value="accept" />
                <button type="submit" data-transition="accepted">"审定销号"</button>
            </ActionForm>
            <ActionForm action=sign_off attr:class="move-form">
                <input type="hidden" name="id" value=back_id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="decision" value="return" />
                <label class="move-reason">
                    "退回理由"
                    <input
                        type="text"
                        name="reason"
                        required
                        minlength="2"
                        maxlength="300"
                        aria-describedby="sign-off-reason-error"
                    />
                </label>
                <FieldErrors error field="reason" id="sign-off-reason-error" />
                <button type="submit" class="secondary" data-transition="returned">"退回整改"</button>
            </ActionForm>
            <FormError error />
        </div>
    }
    .into_any()
}

/// Whether the 提请验收 form is unfolded. Kept by the task page, above the part it fetches
/// again, so a refresh (the reader's own report landing, a colleague's change) does not fold
/// the form the reader just opened.
#[derive(Clone, Copy)]
pub struct SelfCheckOpen(pub RwSignal<bool>);

/// 提请验收: the unit says, per 验收标准, how it was met (自查); the office's review reads it.
#[component]
fn SelfCheckForm(id: String, version: u32, criteria: Vec<Criterion>) -> impl IntoView {
    let submit = expect_context::<ServerAction<SubmitForAcceptance>>();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let open = use_context::<SelfCheckOpen>().map_or_else(|| RwSignal::new(false), |o| o.0);
    view! {
        // Folded until wanted: most visits report progress; a failed submission opens it again.
        <details
            class="self-check"
            open=move || open.get() || error.get().is_some()
            on:toggle=move |ev| {
                open.set(event_target::<leptos::web_sys::HtmlDetailsElement>(&ev).open());
            }
        >
        <summary>"提请验收(逐条填写自查情况)"</summary>
        <ActionForm action=submit attr:class="self-check-form" attr:id="self-check-form">
            <p class="field-hint">"请逐条填写验收标准的自查情况,连同佐证材料一并提请验收。"</p>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <ol class="acceptance-criteria">
                {criteria
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let error_id = format!("self-check-{i}-error");
                        view! {
                            <li>
                                <p class="criterion-text">{c.text}</p>
                                <label>
                                    "自查情况"
                                    <textarea
                                        name=format!("form[checks][{i}]")
                                        rows="2"
                                        required
                                        minlength="2"
                                        maxlength="300"
                                        aria-describedby=error_id.clone()
                                    >
                                        {c.self_check}
                                    </textarea>
                                </label>
                                <IndexedErrors error index=i id=error_id fields=&["checks"] />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <FormError error />
            <button type="submit" data-transition="submitted">"提请验收"</button>
        </ActionForm>
        </details>
    }
    .into_any()
}

/// The problems of row `index` of the acceptance form (its verdict and its comment).
#[component]
fn IndexedErrors(
    error: Signal<Option<AppError>>,
    index: usize,
    id: String,
    /// The fields of the row.
    #[prop(default = &["verdicts", "notes"])]
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        let error = error.get()?;
        let texts: Vec<String> = error
            .field_errors()
            .iter()
            .filter(|e| e.index == u32::try_from(index).ok() && fields.contains(&e.field.as_str()))
            .map(messages::field_error)
            .collect();
        (!texts.is_empty())
            .then(|| view! { <span class="field-error" id=id.clone()>{texts.join(";")}</span> })
    }
}

/// 进度报送 as a plain multipart form to `/tasks/{id}/reports` (it carries evidence files,
/// which ActionForm cannot send; it works without JavaScript): 完成进度, 工作进展, 存在问题,
/// 下步打算, the milestones reached and the evidence files — each with its own error under it
/// (a refused report comes back with its error in the address).
#[component]
fn ReportForm(
    id: String,
    percent: u8,
    milestones: Vec<Milestone>,
    draft: bool,
    /// A co-unit's part (配合单位报送): what it did, without percent or milestones.
    #[prop(default = false)]
    co: bool,
) -> impl IntoView {
    let query = use_query_map();
    // An error the page's own upload got, else one the plain form's redirect carries.
    let sent_error = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || {
        sent_error.get().or_else(|| {
            query.read().get("report_error").map(|raw| {
                <AppError as leptos::server_fn::error::FromServerFnError>::de(
                    leptos::server_fn::Bytes::from(raw),
                )
            })
        })
    });
    let uploading = RwSignal::new(None::<u8>);
    // `?correct=<report>`: this report corrects that one (the link on each 报送ed report).
    let task_page = format!("/tasks/{id}#reports");
    let correcting = move || {
        query
            .read()
            .get("correct")
            .filter(|c| crate::domain::ReportId::parse(c).is_some())
            .map(|c| (c, task_page.clone()))
    };
    let filed = use_context::<crate::ui::upload::ReportFiled>();
    let correcting_now = Memo::new(move |_| query.read().get("correct").is_some());
    let navigate = leptos_router::hooks::use_navigate();
    let after_correction = format!("/tasks/{id}#reports");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(filed) = filed else { return };
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            ev.prevent_default();
            sent_error.set(None);
            uploading.set(Some(0));
            let sent = form.clone();
            let navigate = navigate.clone();
            let after_correction = after_correction.clone();
            let started = crate::ui::upload::send_form(
                &form,
                move |p| uploading.set(Some(p)),
                move |status, body| {
                    uploading.set(None);
                    match crate::ui::upload::outcome(status, &body) {
                        Ok(status) => {
                            sent.reset();
                            filed.status.set(Some(status));
                            filed.count.update(|n| *n += 1);
                            // A correction is filed once: the next report is an ordinary one.
                            if correcting_now.get_untracked() {
                                navigate(&after_correction, Default::default());
                            }
                        }
                        Err(err) => sent_error.set(Some(err)),
                    }
                },
            );
            if started.is_err() {
                // The page could not send it: let the browser post the form itself.
                uploading.set(None);
                let _ = form.submit();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, filed, correcting_now, &navigate, &after_correction);
    };
    let invalid = move |name: &'static str| {
        move || (!messages::errors_for(error.get().as_ref(), name).is_empty()).then_some("true")
    };
    let accept = crate::domain::evidence::accepted_extensions()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",");
    let limits = crate::domain::evidence::FileLimits::default();
    let open: Vec<(usize, Milestone)> = milestones
        .into_iter()
        .enumerate()
        .filter(|(_, m)| !m.done() && !co)
        .collect();
    view! {
        <form
            method="post"
            action=format!("/tasks/{id}/reports")
            enctype="multipart/form-data"
            class="report-form"
            id="report-form"
            on:submit=on_submit
        >
            <h3>{if co { "配合单位报送" } else { "进度报送" }}</h3>
            {if co {
                view! {
                    <input type="hidden" name="part" value="co" />
                    <p class="field-hint">
                        "报送本单位承担的配合工作;完成进度和推进目标由牵头单位报送。"
                    </p>
                }
                    .into_any()
            } else {
                view! {
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
                }
                    .into_any()
            }}
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
            {(!open.is_empty()).then(|| view! {
                <fieldset class="reached">
                    <legend>"本期达成的推进目标"</legend>
                    {open.into_iter().map(|(i, m)| view! {
                        <div class="reached-row">
                            <label class="check">
                                <input type="checkbox" name="reached" value=i.to_string() />
                                {format!("{} {}", crate::ui::format::date_zh(m.due), m.title)}
                            </label>
                            <label class="reached-on">
                                "达成日期"
                                <input type="date" name=format!("reached_on_{i}") />
                            </label>
                        </div>
                    }).collect_view()}
                    <FieldErrors error field="reached" id="report-reached-error" />
                    <FieldErrors error field="reached_on" id="report-reached-on-error" />
                </fieldset>
            }.into_any())}
            <label>
                "佐证材料"
                <input
                    type="file"
                    name="files"
                    multiple
                    accept=accept
                    aria-invalid=invalid("files")
                    aria-describedby="report-files-hint report-files-error"
                />
                <span class="field-hint" id="report-files-hint">
                    {format!(
                        "照片、PDF、Word/Excel/PowerPoint、WPS 或 OFD 文件;每个不超过 {} MB,合计不超过 {} MB",
                        crate::domain::evidence::FileLimits::megabytes(limits.file_max),
                        crate::domain::evidence::FileLimits::megabytes(limits.report_max),
                    )}
                </span>
                <FieldErrors error field="files" id="report-files-error" />
            </label>
            <FormError error />
            {move || uploading.get().map(|p| view! {
                <div class="upload-progress" role="status">
                    <progress max="100" value=p></progress>
                    <span>{format!("正在上传 {p}%")}</span>
                </div>
            })}
            {move || correcting().map(|(report, back)| view! {
                <input type="hidden" name="corrects" value=report />
                <p class="correction-note" role="note">
                    "本次为更正报送:原报送保留不变,新报送注明更正。"
                    <a href=back>"取消更正"</a>
                </p>
            })}
            <button type="submit" disabled=move || uploading.get().is_some()>
                {if draft { "提交负责人审核" } else { "报送" }}
            </button>
        </form>
    }
    .into_any()
}
