use super::not_found_page::NotFound;
use crate::api::get_task;
use crate::api::tasks::{AddReport, ChangeTaskStatus};
use crate::domain::policy::{self, Capability};
use crate::domain::{
    AdjustmentRecord, Entity, Milestone, PlanStatus, ProgressReport, TaskDetail, TaskId,
};
use crate::error::AppError;
use crate::ui::components::{
    ClaimActions, ClaimContext, ClaimsSection, ErrorPanel, LightBadge, ProgressBar, StatusBadge,
    TaskActions,
};
use crate::ui::format::{date_zh, join_zh};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/tasks/:id`: one task's goals, milestones, deadline, criteria and responsibility.
#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let change = ServerAction::<ChangeTaskStatus>::new();
    let report = ServerAction::<AddReport>::new();
    let claims = ClaimActions::new();
    // Refetch after every action, so the page shows what the server now holds.
    let task = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            (
                id,
                change.version().get(),
                report.version().get(),
                claims.version(),
            )
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
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match task.await {
                    Ok(task) => view! { <TaskDetailView task change report claims /> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound what="该任务" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TaskDetailView(
    task: TaskDetail,
    change: ServerAction<ChangeTaskStatus>,
    report: ServerAction<AddReport>,
    claims: ClaimActions,
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
        as_of,
        key,
        focus,
        reports,
        adjustments,
        claims: claim_list,
        reader,
        id,
        version,
        ..
    } = task;
    let edit_link = format!("/tasks/{id}/edit");
    let plan_open = plan.status != PlanStatus::Closed;
    let draft = plan.status == PlanStatus::Draft;
    let lead_unit_id = responsibility.lead_unit_id.clone();
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
                    <LightBadge light expected />
                    <StatusBadge status />
                    {crate::domain::claim::claim_overdue(status, plan.claim_window, as_of)
                        .then(|| view! { <span class="overdue-badge">"揭榜超期"</span> })}
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
                                    {(!c.note.is_empty())
                                        .then(|| view! { <span class="criterion-note">{c.note}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <ClaimsSection context=claim_context actions=claims claims=claim_list reader />
            <TaskActions
                id
                version
                status
                lead_unit=lead_unit_id
                plan_status=plan.status
                percent=percent.value()
                change
                report
            />
            {(!adjustments.is_empty()).then(|| view! {
                <section class="detail-section">
                    <h2>"调整记录"</h2>
                    <ol class="adjustments">
                        {adjustments.into_iter().map(|a| view! { <AdjustmentItem record=a /> }.into_any()).collect_view()}
                    </ol>
                </section>
            }.into_any())}
            <section class="detail-section">
                <h2>"推进情况"</h2>
                {if reports.is_empty() {
                    view! { <p class="empty">"尚无进度报送。"</p> }.into_any()
                } else {
                    view! {
                        <ol class="reports">
                            {reports.into_iter().map(|r| view! { <ReportItem report=r /> }).collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>
        </article>
    }
}

/// One progress report, as the 台账 shows it.
#[component]
fn ReportItem(report: ProgressReport) -> impl IntoView {
    view! {
        <li class="report">
            <header class="report-head">
                <time datetime=report.at.to_rfc3339()>{date_zh(report.day)}</time>
                <span class="report-author">{report.author}</span>
                <span class="report-percent">{format!("完成进度 {}%", report.percent.value())}</span>
                {report.corrects.map(|_| view! { <span class="report-correction">"更正"</span> })}
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
                {(!report.evidence.is_empty())
                    .then(|| {
                        let names = report.evidence.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
                        view! {
                            <dt>"佐证材料"</dt>
                            <dd>{join_zh(&names)}</dd>
                        }
                    })}
            </dl>
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
    let milestone_lines = |list: Vec<Milestone>| {
        list.into_iter()
            .map(|m| {
                let target = m
                    .target
                    .map(|t| format!("(目标{}%)", t.value()))
                    .unwrap_or_default();
                view! { <li>{format!("{} {}{target}", date_zh(m.due), m.title)}</li> }
            })
            .collect_view()
            .into_any()
    };
    let text_lines = |list: Vec<String>| {
        list.into_iter()
            .map(|t| view! { <li>{t}</li> })
            .collect_view()
            .into_any()
    };
    view! {
        <li class="adjustment">
            <header class="report-head">
                <time datetime=at.to_rfc3339()>{date_zh(day)}</time>
                <span class="report-author">{author}</span>
            </header>
            <p class="adjustment-reason">{format!("调整理由:{reason}")}</p>
            <table class="before-after">
                <thead>
                    <tr>
                        <th scope="col">"项目"</th>
                        <th scope="col">"调整前"</th>
                        <th scope="col">"调整后"</th>
                    </tr>
                </thead>
                <tbody>
                    {change.deadline.map(|c| view! {
                        <tr>
                            <th scope="row">"完成时限"</th>
                            <td><del>{date_zh(c.before)}</del></td>
                            <td><ins>{date_zh(c.after)}</ins></td>
                        </tr>
                    }.into_any())}
                    {change.milestones.map(|c| view! {
                        <tr>
                            <th scope="row">"推进目标"</th>
                            <td><ol class="plain">{milestone_lines(c.before)}</ol></td>
                            <td><ol class="plain">{milestone_lines(c.after)}</ol></td>
                        </tr>
                    }.into_any())}
                    {change.criteria.map(|c| view! {
                        <tr>
                            <th scope="row">"验收标准"</th>
                            <td><ol class="plain">{text_lines(c.before)}</ol></td>
                            <td><ol class="plain">{text_lines(c.after)}</ol></td>
                        </tr>
                    }.into_any())}
                </tbody>
            </table>
        </li>
    }
    .into_any()
}
