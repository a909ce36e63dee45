use crate::api::channels::{SetMailPreference, get_mail_preference};
use crate::api::work::get_inbox;
use crate::domain::notice::{Inbox, Notice};
use crate::ui::components::{ErrorPanel, FieldErrors};
use crate::ui::format::time_zh;
use crate::ui::messages;
use crate::ui::refetch::saved;
use crate::ui::session::use_inbox;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/inbox`: 站内消息 — what happened that concerns the signed-in person, newest first.
/// Opening a message marks it read and goes to its task; everything can be marked read at
/// once. Plain forms, so it works without JavaScript.
#[component]
pub fn InboxPage() -> impl IntoView {
    let actions = use_inbox();
    let live = crate::ui::live::use_live();
    let inbox = Resource::new(
        move || {
            (
                live.any(),
                actions.open.version().get(),
                actions.mark_all.version().get(),
            )
        },
        |_| get_inbox(),
    );
    let error = move || {
        actions
            .open
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.mark_all.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    };
    view! {
        <Title text="站内消息" />
        <header class="page-head">
            <h1>"站内消息"</h1>
        </header>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <Transition fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(inbox) => view! { <InboxView inbox /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <MailChoice />
    }
}

/// The person's own choice: their notices to their e-mail too.
#[component]
fn MailChoice() -> impl IntoView {
    let set = ServerAction::<SetMailPreference>::new();
    let written = saved(set);
    let choice = Resource::new(move || written.get(), |_| get_mail_preference());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let done = move || set.value().get().is_some_and(|r| r.is_ok());
    view! {
        <section class="detail-section mail-choice">
            <h2>"邮件通知"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    choice
                        .await
                        .ok()
                        .map(|c| {
                            view! {
                                {(!c.server_ready).then(|| view! {
                                    <p class="hint">"系统管理员尚未设置邮件服务器;设置后即按您的选择发送。"</p>
                                })}
                                {move || done().then(|| view! { <p class="form-notice" role="status">"已保存。"</p> })}
                                <ActionForm action=set attr:class="row-form">
                                    <label>
                                        "电子邮箱"
                                        <input name="email" type="email" value=c.email.clone().unwrap_or_default() aria-describedby="mail-email-error" />
                                    </label>
                                    <label class="check">
                                        <input type="checkbox" name="enabled" checked=c.enabled />
                                        "与我有关的消息同时发送到此邮箱"
                                    </label>
                                    <button type="submit" class="secondary">"保存"</button>
                                    <FieldErrors error field="email" id="mail-email-error" />
                                </ActionForm>
                            }
                        })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InboxView(inbox: Inbox) -> impl IntoView {
    let actions = use_inbox();
    let unread = inbox.unread;
    view! {
        <div class="inbox-bar">
            <p class="inbox-count" data-unread=unread>
                {if unread == 0 { "没有未读消息".to_owned() } else { format!("{unread} 条未读") }}
            </p>
            {(unread > 0)
                .then(|| {
                    view! {
                        <ActionForm action=actions.mark_all attr:class="inline-form">
                            <button type="submit" class="secondary">"全部标为已读"</button>
                        </ActionForm>
                    }
                })}
        </div>
        {if inbox.notices.is_empty() {
            view! { <p class="empty-note">"暂无消息。与您有关的认领、交办、报送、申请、验收和批示会出现在这里。"</p> }
                .into_any()
        } else {
            view! {
                <ol class="notice-list">
                    {inbox.notices.into_iter().map(|notice| view! { <NoticeRow notice /> }).collect_view()}
                </ol>
            }
                .into_any()
        }}
    }
}

#[component]
fn NoticeRow(notice: Notice) -> impl IntoView {
    let actions = use_inbox();
    let state = if notice.read { "read" } else { "unread" };
    view! {
        <li class=format!("notice {state}") data-kind=format!("{:?}", notice.kind)>
            <ActionForm action=actions.open attr:class="notice-open">
                <input type="hidden" name="id" value=notice.id.to_string() />
                <button type="submit" class="notice-button">
                    <span class="notice-head">
                        {(!notice.read).then(|| view! { <span class="unread-dot" title="未读">"未读"</span> })}
                        <strong class="notice-kind">{messages::notice_kind(notice.kind)}</strong>
                        <span class="notice-task">{format!("第{}项 {}", notice.number, notice.title)}</span>
                    </span>
                    <span class="notice-summary">{notice.summary}</span>
                    <span class="notice-meta">
                        {notice.actor}" · "<time datetime=notice.at.to_rfc3339()>{time_zh(notice.at)}</time>
                    </span>
                </button>
            </ActionForm>
        </li>
    }
}
