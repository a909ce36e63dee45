use crate::api::meetings::{PublishMinutes, SaveMinutes, get_meeting};
use crate::domain::meeting::{MeetingStatus, OVERVIEW_MAX};
use crate::domain::policy::Capability;
use crate::domain::{Entity, MeetingId};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::messages;
use crate::ui::minutes::{compose, default_overview, orders};
use crate::ui::refetch::{any_saved, saved};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/meetings/:id/minutes`: the 会议纪要 and each unit's 交办单, laid out as filed (A4 when
/// printed) and downloadable as Word. After the meeting the office edits the opening text and
/// 印发s them; published minutes no longer change.
#[component]
pub fn MinutesPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let office = move || session.can(Capability::ManagePlans);
    let save = ServerAction::<SaveMinutes>::new();
    let publish = ServerAction::<PublishMinutes>::new();
    let written = [saved(save), saved(publish)];
    let data = Resource::new(
        move || (params.read().get("id"), any_saved(written)),
        |(id, _)| async move {
            let id = id
                .as_deref()
                .and_then(MeetingId::parse)
                .ok_or(AppError::NotFound(Entity::Meeting))?;
            get_meeting(id).await
        },
    );
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let publish_error = move || publish.value().get().and_then(Result::err);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let m = &view.meeting;
                        let s = &m.summary;
                        let minutes = compose(&view, &m.overview, m.number);
                        let orders = orders(&view);
                        let editable = office() && s.status == MeetingStatus::Held;
                        let draft = if m.overview.is_empty() { default_overview(&view) } else { m.overview.clone() };
                        let (id, version) = (s.id.to_string(), s.version);
                        let id2 = id.clone();
                        view! {
                            <Title text=format!("{}会议纪要", s.title) />
                            <nav class="minutes-bar" aria-label="会议纪要">
                                <a href=format!("/meetings/{}", s.id)>"返回会议"</a>
                                <a class="button secondary" href=format!("/export/meetings/{}/minutes", s.id) download>"下载 Word 版"</a>
                                <span class=format!("meeting-status meeting-{}", s.status.code())>{messages::meeting_status(s.status)}</span>
                            </nav>
                            {(s.status == MeetingStatus::Planned || s.status == MeetingStatus::InProgress).then(|| view! {
                                <p class="hint">"会议结束后生成正式纪要;以下为根据当前记录生成的草稿。"</p>
                            })}
                            {editable.then(move || view! {
                                <section class="minutes-edit" aria-labelledby="minutes-edit-title">
                                    <h2 id="minutes-edit-title">"修改纪要正文"</h2>
                                    <ActionForm action=save attr:class="record-form">
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="version" value=version />
                                        <label>
                                            "会议基本情况(可修改;每段一行)"
                                            <textarea name="overview" rows="5" maxlength=OVERVIEW_MAX aria-describedby="overview-error">{draft}</textarea>
                                            <FieldErrors error=save_error field="overview" id="overview-error" />
                                        </label>
                                        <FormError error=save_error />
                                        <div class="form-actions"><button type="submit" class="secondary">"保存纪要"</button></div>
                                    </ActionForm>
                                    <ActionForm action=publish attr:class="row-form">
                                        <input type="hidden" name="id" value=id2 />
                                        <input type="hidden" name="version" value=version />
                                        <button type="submit">"印发纪要"</button>
                                        <span class="hint">"印发后纪要编号确定,内容不再修改。"</span>
                                    </ActionForm>
                                </section>
                            })}
                            {move || publish_error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
                            <article class="minutes">
                                <h1 class="minutes-title">{minutes.title.clone()}</h1>
                                {minutes.number.clone().map(|n| view! { <p class="minutes-number">{n}</p> })}
                                <p class="minutes-subject">{minutes.subject.clone()}</p>
                                <hr class="minutes-rule" />
                                <dl class="minutes-facts">
                                    {minutes
                                        .facts
                                        .iter()
                                        .map(|(label, text)| view! { <div><dt>{*label}":"</dt><dd>{text.clone()}</dd></div> })
                                        .collect_view()}
                                </dl>
                                {minutes
                                    .sections
                                    .iter()
                                    .map(|section| view! {
                                        <section>
                                            <h2>{section.heading.clone()}</h2>
                                            {section.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                                        </section>
                                    })
                                    .collect_view()}
                            </article>
                            {orders
                                .into_iter()
                                .map(|o| view! {
                                    <article class="minutes order">
                                        <h1 class="minutes-title">"交办单"</h1>
                                        <p class="minutes-subject">{minutes.subject.clone()}</p>
                                        <hr class="minutes-rule" />
                                        <p class="order-unit">{format!("{}:", o.unit)}</p>
                                        {o.lines.iter().enumerate().map(|(i, l)| view! { <p>{format!("{}. {l}", i + 1)}</p> }).collect_view()}
                                    </article>
                                })
                                .collect_view()}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
