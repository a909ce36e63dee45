use super::not_found_page::NotFound;
use crate::api::get_task;
use crate::api::tasks::{ApproveReport, ChangeTaskStatus, ReturnReport, ReviewAcceptance};
use crate::domain::policy::{self, Capability};
use crate::domain::report::ReportStatus;
use crate::domain::{
    Actor, AdjustmentRecord, Entity, Milestone, PlanStatus, ProgressReport, TaskDetail, TaskId,
};
use crate::error::AppError;
use crate::ui::components::{
    ChangeTable, ClaimActions, ClaimContext, ClaimsSection, ErrorPanel, ExtensionActions,
    ExtensionSection, LightBadge, ProgressBar, StatusBadge, TaskActions,
};
use crate::ui::format::{date_zh, join_zh};
use crate::ui::refetch::{any_saved, saved};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/tasks/:id`: one task's goals, milestones, deadline, criteria and responsibility.
#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let change = ServerAction::<ChangeTaskStatus>::new();
    let review = ServerAction::<ReviewAcceptance>::new();
    // 提请验收 with 自查: its form sits among the task's moves.
    let submit = ServerAction::<crate::api::tasks::SubmitForAcceptance>::new();
    provide_context(submit);
    // The leader's 审定 of an acceptance the office passed.
    let sign_off = ServerAction::<crate::api::tasks::SignOffAcceptance>::new();
    provide_context(sign_off);
    let reviews = ReviewActions {
        approve: ServerAction::new(),
        send_back: ServerAction::new(),
    };
    let claims = ClaimActions::new();
    let extensions = ExtensionActions::new();
    let comment = ServerAction::<crate::api::comments::AddComment>::new();
    let supervision = crate::ui::components::SupervisionActions::provide();
    let filed = crate::ui::upload::ReportFiled::provide();
    // Refetch after every write, so the page shows what the server now holds.
    let written = [
        saved(change),
        saved(review),
        saved(submit),
        saved(sign_off),
        saved(reviews.approve),
        saved(reviews.send_back),
        saved(comment),
    ];
    // Live changes to this task (a colleague's report, a light, a decision) are applied at
    // once — unless the reader has typed into a form here since the page was fetched: then
    // the page offers the change instead of throwing the typing away.
    let live = crate::ui::live::use_live();
    let arrived = live.for_task(move || params.read().get("id").as_deref().and_then(TaskId::parse));
    let applied = RwSignal::new(0u64);
    let typing = RwSignal::new(false);
    Effect::new(move |_| {
        let n = arrived.get();
        if !typing.get_untracked() {
            applied.set(n);
        }
    });
    // Every write of one's own on this page; each rebuilds the forms, so nothing typed is left
    // to keep afterwards.
    let own_writes = move || {
        (
            any_saved(written),
            claims.version(),
            extensions.version(),
            filed.count.get(),
            supervision.version(),
        )
    };
    Effect::new(move |_| {
        own_writes();
        typing.set(false);
    });
    let held_back = Signal::derive(move || arrived.get() > applied.get());
    let apply = Callback::new(move |()| {
        typing.set(false);
        applied.set(arrived.get_untracked());
    });
    // While the page fetches again, its forms still carry the version they were rendered
    // with: they are disabled until the new one arrives, so nothing is sent against a
    // version the server already moved past.
    let (refreshing, set_refreshing) = signal(false);
    provide_context(crate::ui::components::SelfCheckOpen(RwSignal::new(false)));
    let task = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            (id, applied.get(), own_writes())
        },
        |(id, ..)| async move {
            // An address that cannot name a task is simply not found.
            match TaskId::parse(&id) {
                Some(id) => get_task(id).await,
                None => Err(AppError::NotFound(Entity::Task)),
            }
        },
    );
    view! {
        <crate::ui::live::HeldBack pending=held_back apply />
        <fieldset
            class="live-frame"
            disabled=move || refreshing.get()
            aria-busy=move || refreshing.get().to_string()
            on:input=move |_| typing.set(true)
        >
            <Transition
                fallback=|| view! { <p class="loading">"加载中…"</p> }
                set_pending=set_refreshing
            >
                {move || Suspend::new(async move {
                    match task.await {
                        Ok(task) => view! { <TaskDetailView task change review reviews claims extensions comment /> }.into_any(),
                        Err(AppError::NotFound(_)) => view! { <NotFound what="该任务" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </fieldset>
    }
}

#[component]
fn TaskDetailView(
    task: TaskDetail,
    change: ServerAction<ChangeTaskStatus>,
    review: ServerAction<ReviewAcceptance>,
    reviews: ReviewActions,
    claims: ClaimActions,
    extensions: ExtensionActions,
    comment: ServerAction<crate::api::comments::AddComment>,
) -> impl IntoView {
    let TaskDetail {
        plan,
        number,
        title,
        category,
        description,
        responsibility,
        deadline,
        milestones,
        criteria,
        status,
        percent,
        expected,
        light,
        reason: light_reason,
        as_of,
        key,
        focus,
        reports,
        adjustments,
        claims: claim_list,
        reader,
        lead_reports_direct,
        days_waiting,
        history,
        acceptance,
        extensions: extension_list,
        original_deadline,
        comments,
        awaiting_signoff,
        people,
        supervisions,
        id,
        version,
        ..
    } = task;
    // The office turns a failed acceptance into a 整改清单 item (drafted from the round).
    let finding_href = reader
        .as_ref()
        .is_some_and(|r| r.role == crate::domain::Role::Organizer)
        .then(|| {
            format!(
                "/rectify?plan={}&task={}#new",
                crate::ui::format::encode_query(plan.id.as_str()),
                crate::ui::format::encode_query(id.as_str())
            )
        });
    let milestone_list = milestones.clone();
    // Whoever may report on the task now may correct a report already 报送ed (with a new one).
    let may_correct = reader.as_ref().is_some_and(|r| {
        crate::domain::policy::check_plan_open(plan.status).is_ok()
            && crate::domain::policy::check_report(
                r,
                crate::domain::policy::TaskFacts {
                    status,
                    lead_unit: responsibility.lead_unit_id.as_ref(),
                },
            )
            .is_ok()
    });
    let extension_task = id.clone();
    let supervision_task = id.clone();
    let supervision_lead = responsibility.lead_unit_id.clone();
    let report_task = id.to_string();
    let comment_task = id.clone();
    let comment_lead = responsibility.lead_unit_id.clone();
    let extension_lead = responsibility.lead_unit_id.clone();
    let extension_plan_open = crate::domain::policy::check_plan_open(plan.status).is_ok();
    let criteria_list = criteria.clone();
    let extension_goals = crate::domain::GoalsForm::of(&milestones, &criteria);
    let edit_link = format!("/tasks/{id}/edit");
    let plan_open = plan.status != PlanStatus::Closed;
    let draft = plan.status == PlanStatus::Draft;
    let lead_unit_id = responsibility.lead_unit_id.clone();
    let claim_supervisor = responsibility.supervisor.clone();
    let claim_context = ClaimContext {
        task: id.clone(),
        status,
        lead_unit: lead_unit_id.clone(),
        window: plan.claim_window,
        today: as_of,
        plan_open: crate::domain::policy::check_plan_open(plan.status).is_ok(),
    };
    let co_units = if responsibility.co_units.is_empty() {
        "无".to_owned()
    } else {
        join_zh(&responsibility.co_units)
    };
    let pending = || "待定".to_owned();
    let post = if responsibility.post.is_empty() {
        pending()
    } else {
        responsibility.post
    };
    view! {
        <Title text=format!("{number}. {title}") />
        <nav class="breadcrumb" aria-label="位置">
            <a href="/">{plan.title.clone()}</a>
            <span aria-hidden="true">" › "</span>
            <span>{format!("第{number}项")}</span>
        </nav>
        <article class=format!("task-detail status-{}", status.code())>
            <header class="task-detail-head">
                <h1>
                    <span class="task-number">{number}</span>
                    <span class="task-title">{title}</span>
                </h1>
                <div class="task-badges">
                    <LightBadge light=light.filter(|_| !status.is_finished()) expected reason=light_reason />
                    <StatusBadge status />
                    {crate::domain::claim::claim_overdue(status, plan.claim_window, as_of)
                        .then(|| view! { <span class="overdue-badge">"揭榜超期"</span> })}
                    {days_waiting.map(|d| view! { <span class="waiting-badge">{crate::ui::messages::days_waiting(d)}</span> })}
                    {awaiting_signoff.then(|| view! { <span class="waiting-badge">"核验通过,待领导审定"</span> })}
                    {key.then(|| view! { <span class="key-badge">"重中之重"</span> })}
                    {focus.then(|| view! { <span class="focus-badge">"重点讨论"</span> })}
                </div>
                {plan_open.then(|| view! { <EditLink href=edit_link draft /> }.into_any())}
            </header>
            <dl class="detail-facts">
                <div>
                    <dt>"类别"</dt>
                    <dd>{category}</dd>
                </div>
                <div>
                    <dt>"牵头单位"</dt>
                    <dd>{responsibility.lead_unit.unwrap_or_else(|| "待揭榜".to_owned())}</dd>
                </div>
                <div>
                    <dt>"配合单位"</dt>
                    <dd>{co_units}</dd>
                </div>
                <div>
                    <dt>"责任人"</dt>
                    <dd>{responsibility.owner.unwrap_or_else(pending)}</dd>
                </div>
                <div>
                    <dt>"岗位"</dt>
                    <dd>{post}</dd>
                </div>
                <div>
                    <dt>"分管领导"</dt>
                    <dd>{responsibility.supervisor.unwrap_or_else(pending)}</dd>
                </div>
                <div>
                    <dt>"完成时限"</dt>
                    <dd>
                        <time datetime=deadline.to_string()>{date_zh(deadline)}</time>
                        {original_deadline.map(|d| view! {
                            <span class="original-deadline">{format!("(原定 {},已批准延期)", date_zh(d))}</span>
                        })}
                    </dd>
                </div>
                <div>
                    <dt>"完成进度"</dt>
                    <dd>
                        <ProgressBar percent />
                    </dd>
                </div>
                <div>
                    <dt>{format!("序时进度(截至{})", date_zh(as_of))}</dt>
                    <dd class="expected">{format!("{expected}%")}</dd>
                </div>
            </dl>
            {(!description.is_empty())
                .then(|| {
                    view! {
                        <section class="detail-section">
                            <h2>"任务内容"</h2>
                            <p>{description}</p>
                        </section>
                    }
                })}
            <section class="detail-section">
                <h2>"推进目标"</h2>
                <ol class="milestones">
                    {milestones
                        .into_iter()
                        .map(|m| {
                            let state = match m.done_on {
                                Some(d) => format!("{}完成", date_zh(d)),
                                None if m.due < as_of => "逾期未完成".to_owned(),
                                None => "未到期".to_owned(),
                            };
                            let done = m.done();
                            let late = m.done_on.is_none() && m.due < as_of;
                            view! {
                                <li class:done=done class:late=late>
                                    <time datetime=m.due.to_string()>{date_zh(m.due)}</time>
                                    <span class="milestone-title">{m.title}</span>
                                    {m.target.map(|t| view! {
                                        <span class="milestone-target">{format!("目标 {}%", t.value())}</span>
                                    })}
                                    <span class="milestone-state">{state}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <section class="detail-section">
                <h2>"验收标准"</h2>
                <ol class="criteria">
                    {criteria
                        .into_iter()
                        .map(|c| {
                            let verdict = match c.met {
                                Some(true) => "已达标",
                                Some(false) => "未达标",
                                None => "待核验",
                            };
                            view! {
                                <li>
                                    <span class="criterion-text">{c.text}</span>
                                    <span class="criterion-state">{verdict}</span>
                                    {(!c.self_check.is_empty())
                                        .then(|| view! { <span class="criterion-self-check">{format!("自查:{}", c.self_check)}</span> })}
                                    {(!c.note.is_empty())
                                        .then(|| view! { <span class="criterion-note">{c.note}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            {view! { <ClaimsSection context=claim_context actions=claims claims=claim_list reader=reader.clone() people supervisor=claim_supervisor /> }.into_any()}
            {view! {
            <TaskActions
                id
                version
                status
                lead_unit=lead_unit_id
                plan_status=plan.status
                percent=percent.value()
                milestones=milestone_list.clone()
                reports_direct=lead_reports_direct
                criteria=criteria_list
                co_units=responsibility.co_unit_ids.clone()
                awaiting_signoff
                change
                review
            />
            }.into_any()}
            {(!adjustments.is_empty()).then(|| view! {
                <section class="detail-section">
                    <h2>"调整记录"</h2>
                    <ol class="adjustments">
                        {adjustments.into_iter().map(|a| view! { <AdjustmentItem record=a /> }.into_any()).collect_view()}
                    </ol>
                </section>
            }.into_any())}
            <ReportsSection
                reports
                milestones=milestone_list
                reader=reader.clone()
                reviews
                may_correct=may_correct
                task=report_task
            />
            {view! {
                <ExtensionSection
                    task=extension_task
                    facts_status=status
                    lead_unit=extension_lead
                    deadline
                    goals=extension_goals
                    plan_open=extension_plan_open
                    requests=extension_list
                    reader=reader.clone()
                    actions=extensions
                />
            }.into_any()}
            {view! {
                <crate::ui::components::SupervisionSection
                    task=supervision_task
                    status
                    lead_unit=supervision_lead
                    supervisions
                    reader=reader.clone()
                    today=as_of
                />
            }.into_any()}
            <AcceptanceSection rounds=acceptance finding_href />
            {view! {
                <crate::ui::components::CommentsSection
                    task=comment_task
                    status
                    lead_unit=comment_lead
                    comments
                    reader=reader.clone()
                    action=comment
                />
            }.into_any()}
            <HistorySection history />
        </article>
    }
}

/// 验收记录: each acceptance round, latest first — verdict per criterion, and the 整改时限 of a
/// round sent back (退回整改).
#[component]
fn AcceptanceSection(
    rounds: Vec<crate::domain::acceptance::AcceptanceRound>,
    /// Where the office lists the latest failed round in the 整改清单 (`None`: not the office).
    finding_href: Option<String>,
) -> impl IntoView {
    // Only the latest round counts: an earlier failure was followed by another review.
    let latest_failed = rounds.first().is_some_and(|r| !r.passed);
    let to_findings = finding_href.filter(|_| latest_failed);
    (!rounds.is_empty()).then(|| {
        view! {
            <section class="detail-section" id="acceptance">
                <h2>"验收记录"</h2>
                <ol class="acceptance-rounds">
                    {rounds
                        .into_iter()
                        .map(|r| {
                            let outcome = if r.passed { "全部达标" } else { "退回整改" };
                            view! {
                                <li class:passed=r.passed class:returned=!r.passed>
                                    <header>
                                        <strong>{format!("第 {} 轮验收:{outcome}", r.round)}</strong>
                                        <span class="round-meta">
                                            {format!("{} · {}", r.reviewer, crate::ui::format::time_zh(r.at))}
                                        </span>
                                        {r.rectify_by.map(|d| view! {
                                            <span class="rectify-by">{format!("整改时限:{}", date_zh(d))}</span>
                                        })}
                                    </header>
                                    <ol class="round-verdicts">
                                        {r.verdicts
                                            .into_iter()
                                            .map(|(text, v)| view! {
                                                <li class:unmet=!v.met>
                                                    <span class="criterion-text">{text}</span>
                                                    <span class="criterion-state">{if v.met { "达标" } else { "未达标" }}</span>
                                                    {(!v.note.is_empty()).then(|| view! { <span class="criterion-note">{v.note.clone()}</span> })}
                                                </li>
                                            })
                                            .collect_view()}
                                    </ol>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {to_findings.map(|href| view! {
                    <p class="section-action">
                        <a class="button secondary to-findings" href=href>"列入整改清单"</a>
                        <span class="hint">"未达标的验收标准将作为整改问题,明确整改措施后由责任单位逐项整改、申请销号。"</span>
                    </p>
                })}
            </section>
        }
        .into_any()
    })
}

/// 办理记录: every recorded step on the task — who, when, what — newest first (留痕).
#[component]
fn HistorySection(history: Vec<crate::domain::AuditEvent>) -> impl IntoView {
    (!history.is_empty()).then(|| {
        view! {
            <section class="detail-section" id="history">
                <h2>"办理记录"</h2>
                <ol class="history">
                    {history
                        .into_iter()
                        .map(|e| view! {
                            <li>
                                <time datetime=e.at.to_rfc3339()>{crate::ui::format::time_zh(e.at)}</time>
                                <span class="history-actor">{e.actor}</span>
                                <span class="history-summary">{e.summary}</span>
                            </li>
                        })
                        .collect_view()}
                </ol>
            </section>
        }
        .into_any()
    })
}

/// 推进情况: the reports the reader may see, newest first.
#[component]
fn ReportsSection(
    reports: Vec<ProgressReport>,
    milestones: Vec<Milestone>,
    reader: Option<Actor>,
    reviews: ReviewActions,
    /// The reader may file a correction (更正) of a 报送ed report.
    may_correct: bool,
    task: String,
) -> impl IntoView {
    let list = if reports.is_empty() {
        view! { <p class="empty">"尚无进度报送。"</p> }.into_any()
    } else {
        let milestones = StoredValue::new(milestones);
        view! {
            <ol class="reports">
                {reports
                    .into_iter()
                    .map(|r| {
                        let correct = (may_correct && r.status == ReportStatus::Submitted)
                            .then(|| format!("/tasks/{task}?correct={}#report-form", r.id));
                        view! { <ReportItem report=r milestones reader=reader.clone() reviews correct /> }
                            .into_any()
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="detail-section" id="reports">
            <h2>"推进情况"</h2>
            <FiledNotice />
            <ReviewError reviews />
            {list}
        </section>
    }
}

/// The unit head's decisions on a liaison's draft report.
#[derive(Clone, Copy)]
struct ReviewActions {
    approve: ServerAction<ApproveReport>,
    send_back: ServerAction<ReturnReport>,
}

/// What became of the report just filed (the form's redirect says so in the address).
#[component]
fn FiledNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let filed = use_context::<crate::ui::upload::ReportFiled>();
    move || {
        let from_page = filed.and_then(|f| f.status.get());
        let from_form = || {
            query
                .read()
                .get("reported")
                .as_deref()
                .and_then(ReportStatus::parse)
        };
        let text = match from_page.or_else(from_form) {
            Some(ReportStatus::Draft) => "已提交,待单位负责人审核后报送。",
            Some(ReportStatus::Submitted) => "已报送。",
            _ => return None,
        };
        Some(view! { <p class="notice" role="status">{text}</p> })
    }
}

/// A refused 报送 / 退回 decision.
#[component]
fn ReviewError(reviews: ReviewActions) -> impl IntoView {
    move || {
        let error = reviews
            .approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reviews.send_back.value().get().and_then(Result::err))?;
        Some(view! { <p class="form-error" role="alert">{crate::ui::messages::error(&error)}</p> })
    }
}

/// One progress report, as the 台账 shows it: its standing (待审核 / 已退回 for the unit's
/// eyes), the milestones it reached, its files, and for the unit head the review of a draft.
#[component]
fn ReportItem(
    report: ProgressReport,
    milestones: StoredValue<Vec<Milestone>>,
    reader: Option<Actor>,
    reviews: ReviewActions,
    /// Where to file a correction of this report, if the reader may.
    correct: Option<String>,
) -> impl IntoView {
    let may_review = reader.as_ref().is_some_and(|r| {
        policy::check_review_report(r, report.status, report.unit.as_ref()).is_ok()
    });
    let standing = match report.status {
        ReportStatus::Draft => Some(("待审核", "report-draft")),
        ReportStatus::Returned => Some(("已退回", "report-returned")),
        ReportStatus::Submitted => None,
    };
    let reached: Vec<String> = milestones.with_value(|ms| {
        report
            .reached
            .iter()
            .filter_map(|r| {
                let m = ms.get(r.index as usize)?;
                Some(format!("{}({}达成)", m.title, date_zh(r.on)))
            })
            .collect()
    });
    let report_id = report.id.to_string();
    let files = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            view! {
                <li>
                    <a href=format!("/reports/{report_id}/files/{i}") target="_blank" rel="noopener">
                        {f.name.clone()}
                    </a>
                    <span class="file-size">{crate::ui::format::file_size(f.size)}</span>
                </li>
            }
        })
        .collect_view();
    let has_files = !report.files.is_empty();
    view! {
        <li class="report" class:report-pending=standing.is_some()>
            <header class="report-head">
                <time datetime=report.at.to_rfc3339()>{date_zh(report.day)}</time>
                <span class="report-author">{report.author}</span>
                {if report.part == crate::domain::report::ReportPart::Co {
                    view! {
                        <span class="report-co">
                            {format!("配合单位报送 · {}", report.unit_name.clone().unwrap_or_default())}
                        </span>
                    }
                        .into_any()
                } else {
                    view! { <span class="report-percent">{format!("完成进度 {}%", report.percent.value())}</span> }
                        .into_any()
                }}
                {report.corrects.map(|_| view! { <span class="report-correction">"更正报送"</span> })}
                {correct.map(|href| view! { <a class="report-correct" href=href>"更正"</a> })}
                {standing.map(|(label, class)| view! { <span class=format!("report-standing {class}")>{label}</span> })}
            </header>
            <dl class="report-body">
                <dt>"工作进展"</dt>
                <dd>{report.done}</dd>
                {(!report.problems.is_empty())
                    .then(|| view! {
                        <dt>"存在问题"</dt>
                        <dd>{report.problems.clone()}</dd>
                    })}
                {(!report.next_steps.is_empty())
                    .then(|| view! {
                        <dt>"下步打算"</dt>
                        <dd>{report.next_steps.clone()}</dd>
                    })}
                {(!reached.is_empty())
                    .then(|| view! {
                        <dt>"达成推进目标"</dt>
                        <dd>{join_zh(&reached)}</dd>
                    })}
                {(!report.evidence.is_empty())
                    .then(|| {
                        let names = report.evidence.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
                        view! {
                            <dt>"佐证材料"</dt>
                            <dd>{join_zh(&names)}</dd>
                        }
                    })}
                {has_files.then(|| view! {
                    <dt>"佐证文件"</dt>
                    <dd><ul class="files">{files}</ul></dd>
                })}
                {(report.status == ReportStatus::Returned).then(|| view! {
                    <dt>"退回意见"</dt>
                    <dd>{format!("{}:{}", report.reviewed_by.clone().unwrap_or_default(), report.review_note)}</dd>
                })}
            </dl>
            {may_review.then(|| {
                let id = report.id.to_string();
                let id2 = id.clone();
                view! {
                    <div class="report-review">
                        <ActionForm action=reviews.approve attr:class="inline-form">
                            <input type="hidden" name="report" value=id2 />
                            <button type="submit">"报送"</button>
                        </ActionForm>
                        <ActionForm action=reviews.send_back attr:class="inline-form return-form">
                            <input type="hidden" name="report" value=id />
                            <label>
                                "退回意见"
                                <input type="text" name="reason" required minlength="2" maxlength="300" />
                            </label>
                            <button type="submit" class="secondary">"退回修改"</button>
                        </ActionForm>
                    </div>
                }
            })}
        </li>
    }
}

/// 修改 (draft) / 调整 (published) for the office; nothing for anyone else.
#[component]
fn EditLink(href: String, draft: bool) -> impl IntoView {
    let session = use_session();
    move || {
        let user = session.user.get()?;
        policy::authorize(Some(user.role), Capability::ManagePlans).ok()?;
        Some(view! {
            <a class="button secondary edit-task" href=href.clone()>
                {if draft { "修改任务" } else { "调整任务" }}
            </a>
        })
    }
}

/// One 调整: when, by whom, why, and each changed goal before and after.
#[component]
fn AdjustmentItem(record: AdjustmentRecord) -> impl IntoView {
    let AdjustmentRecord {
        at,
        day,
        author,
        reason,
        change,
    } = record;
    view! {
        <li class="adjustment">
            <header class="report-head">
                <time datetime=at.to_rfc3339()>{date_zh(day)}</time>
                <span class="report-author">{author}</span>
            </header>
            <p class="adjustment-reason">{format!("调整理由:{reason}")}</p>
            <ChangeTable change />
        </li>
    }
    .into_any()
}
