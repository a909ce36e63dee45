use crate::api::work::count_unread;
use crate::ui::session::{use_inbox, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The bar at the top of every page: brand, navigation, and who is signed in.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = use_session();
    let sign_out = session.sign_out;
    let sign_out_everywhere = session.sign_out_everywhere;
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark">"揭榜"</span>
                <span class="brand-text">"年度重点任务"</span>
            </a>
            {move || {
                    session.user.get().map(|user| {
                        let links = nav_links(user.role)
                            .iter()
                            .map(|(href, label)| view! { <a href=*href>{*label}</a> })
                            .collect_view();
                        view! {
                            <nav class="site-nav" aria-label="主导航">
                                {links}
                                <InboxLink />
                            </nav>
                            <div class="site-user">
                                <span class="user-name">
                                    {user.unit_name.clone().map(|u| format!("{u} · ")).unwrap_or_default()}
                                    {user.display_name.clone()}
                                </span>
                                <span class="user-role">{crate::ui::messages::role(user.role)}</span>
                                <ActionForm action=sign_out attr:class="inline-form">
                                    <button type="submit" class="link-button">"退出"</button>
                                </ActionForm>
                                <ActionForm action=sign_out_everywhere attr:class="inline-form">
                                    <button type="submit" class="link-button" title="结束此账号在所有设备上的登录">
                                        "全部退出"
                                    </button>
                                </ActionForm>
                            </div>
                        }
                    })
                }}
        </header>
    }
}

/// The main navigation of a role, in order (the inbox link follows it). One list rather than
/// a view per link: the header hydrates on every page, and a long tuple of optional links made
/// its hydration deep enough to exhaust the wasm stack.
fn nav_links(role: crate::domain::Role) -> &'static [(&'static str, &'static str)] {
    use crate::domain::Role;
    const WORK: (&str, &str) = ("/work", "工作台");
    const BOARD: (&str, &str) = ("/", "任务清单");
    const MEETINGS: (&str, &str) = ("/meetings", "调度会");
    const UNITS: (&str, &str) = ("/units", "单位与人员");
    match role {
        Role::Organizer => &[
            WORK,
            BOARD,
            ("/plans", "发榜管理"),
            MEETINGS,
            ("/duties", "责任"),
            ("/rectify", "整改"),
            ("/scores", "考评"),
            UNITS,
        ],
        Role::Admin => &[
            WORK,
            BOARD,
            MEETINGS,
            UNITS,
            ("/admin/accounts", "账号管理"),
            ("/admin/channels", "消息通道"),
            ("/admin/calendar", "节假日"),
        ],
        Role::Leader | Role::UnitHead | Role::Liaison | Role::Viewer => &[
            WORK,
            BOARD,
            MEETINGS,
            ("/duties", "责任"),
            ("/rectify", "整改"),
            ("/scores", "考评"),
            UNITS,
        ],
    }
}

/// 消息, with the number of unread messages; fetched again on every navigation and after the
/// inbox's own actions, so reading a message clears it.
#[component]
fn InboxLink() -> impl IntoView {
    let inbox = use_inbox();
    let location = use_location();
    let live = crate::ui::live::use_live();
    let unread = Resource::new(
        move || {
            (
                location.pathname.get(),
                live.any(),
                inbox.open.version().get(),
                inbox.mark_all.version().get(),
            )
        },
        // A failed count is not worth an error on every page: the inbox page says why.
        |_| async move { count_unread().await.unwrap_or(0) },
    );
    view! {
        <a href="/inbox" class="inbox-link">
            "消息"
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let n = unread.await;
                    (n > 0)
                        .then(|| {
                            view! {
                                <span class="unread-badge" aria-label=format!("{n} 条未读")>
                                    {if n > 99 { "99+".to_owned() } else { n.to_string() }}
                                </span>
                            }
                        })
                })}
            </Transition>
        </a>
    }
}
