use crate::api::meetings::{CreateMeeting, list_meetings};
use crate::api::plans::list_plans;
use crate::domain::PlanStatus;
use crate::domain::meeting::{ATTENDEES_MAX, HOST_MAX, MeetingSummary, PLACE_MAX, TITLE_MAX};
use crate::domain::policy::Capability;
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::date_zh;
use crate::ui::messages;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/meetings`: the 专题调度会 — every meeting, the latest first; the office sets up a new
/// one (its agenda: the plan's tasks in number order, 重点讨论 tasks flagged).
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let session = use_session();
    let office = move || session.can(Capability::ManagePlans);
    let create = ServerAction::<CreateMeeting>::new();
    let data = Resource::new(office, |office| async move {
        let meetings = list_meetings().await?;
        // Only the office sets meetings up, and only it may list the plans (drafts too).
        let plans = if office {
            list_plans()
                .await?
                .into_iter()
                .filter(|p| p.status != PlanStatus::Draft)
                .collect()
        } else {
            Vec::new()
        };
        Ok::<_, AppError>((meetings, plans))
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="专题调度会" />
        <h1>"专题调度会"</h1>
        <p class="lede">
            "逐一分析研判每项重点任务:会前各单位更新进度,会上逐项研判、明确推进目标、完成时限和验收标准,记录会议要求和交办事项,会后印发会议纪要。"
        </p>
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((meetings, plans)) => view! {
                        <MeetingTable meetings />
                        {(!plans.is_empty()).then(|| view! {
                            <h2>"筹备新的调度会"</h2>
                            <ActionForm action=create attr:class="grid-form meeting-form">
                                <label>
                                    "任务清单"
                                    <select name="plan" required>
                                        {plans
                                            .iter()
                                            .map(|p| view! { <option value=p.id.to_string()>{p.title.clone()}</option> })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label>
                                    "会议名称"
                                    <input name="title" required maxlength=TITLE_MAX value="基层党建重点任务专题调度会" aria-describedby="meeting-title-error" />
                                    <FieldErrors error field="meeting_title" id="meeting-title-error" />
                                </label>
                                <label>
                                    "会议日期"
                                    <input name="date" type="date" required aria-describedby="meeting-date-error" />
                                    <FieldErrors error field="meeting_date" id="meeting-date-error" />
                                </label>
                                <label>
                                    "开始时间"
                                    <input name="time" type="time" required value="09:30" aria-describedby="meeting-time-error" />
                                    <FieldErrors error field="meeting_time" id="meeting-time-error" />
                                </label>
                                <label>
                                    "会议地点"
                                    <input name="place" required maxlength=PLACE_MAX placeholder="如:区委组织部三楼会议室" aria-describedby="meeting-place-error" />
                                    <FieldErrors error field="meeting_place" id="meeting-place-error" />
                                </label>
                                <label>
                                    "主持人"
                                    <input name="host" required maxlength=HOST_MAX aria-describedby="meeting-host-error" />
                                    <FieldErrors error field="meeting_host" id="meeting-host-error" />
                                </label>
                                <label class="wide">
                                    "参会人员"
                                    <textarea name="attendees" rows="2" maxlength=ATTENDEES_MAX placeholder="如:组织科、各街道党建办负责同志" aria-describedby="meeting-attendees-error"></textarea>
                                    <FieldErrors error field="attendees" id="meeting-attendees-error" />
                                </label>
                                <label class="wide">
                                    "列席人员"
                                    <textarea name="observers" rows="2" maxlength=ATTENDEES_MAX aria-describedby="meeting-observers-error"></textarea>
                                    <FieldErrors error field="observers" id="meeting-observers-error" />
                                </label>
                                <FormError error />
                                <div class="form-actions">
                                    <button type="submit">"筹备会议"</button>
                                </div>
                            </ActionForm>
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeetingTable(meetings: Vec<MeetingSummary>) -> impl IntoView {
    if meetings.is_empty() {
        return view! { <p class="empty">"还没有专题调度会。"</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="ledger meetings">
                <thead>
                    <tr>
                        <th scope="col">"时间"</th>
                        <th scope="col">"会议"</th>
                        <th scope="col">"地点"</th>
                        <th scope="col">"主持"</th>
                        <th scope="col">"研判进度"</th>
                        <th scope="col">"状态"</th>
                    </tr>
                </thead>
                <tbody>
                    {meetings
                        .into_iter()
                        .map(|m| view! {
                            <tr>
                                <td data-label="时间">{format!("{} {}", date_zh(m.date), m.time.format("%H:%M"))}</td>
                                <th scope="row">
                                    <a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a>
                                    <span class="hint">{m.plan_title.clone()}</span>
                                </th>
                                <td data-label="地点">{m.place.clone()}</td>
                                <td data-label="主持">{m.host.clone()}</td>
                                <td data-label="研判进度">{format!("{} / {} 项", m.judged, m.tasks)}</td>
                                <td data-label="状态">
                                    <span class=format!("meeting-status meeting-{}", m.status.code())>
                                        {messages::meeting_status(m.status)}
                                    </span>
                                </td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
