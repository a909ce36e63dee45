//! The root component, the router and the HTML shell.

use super::components::SiteHeader;
use super::pages::{
    AccountsPage, BoardPage, BulletinPage, CalendarPage, ChannelsPage, DisplaysPage, InboxPage,
    LoginPage, NotFoundPage, NoticePage, PlanPage, PlansPage, TaskEditPage, TaskPage, UnitsPage,
    WallPage, WorkPage,
};
use super::session::{provide_inbox, provide_session};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: header, routes and the 404 fallback.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|text: String| {
            if text.is_empty() { "揭榜 · 年度重点任务".to_owned() } else { format!("{text} · 揭榜") }
        } />
        <Router>
            <Layout />
        </Router>
    }
}

/// Everything inside the router. The session's actions are created here, under the router,
/// so a failed sign-in without JavaScript (reported in the URL) reaches the sign-in form.
#[component]
fn Layout() -> impl IntoView {
    provide_session();
    provide_inbox();
    super::live::provide_live();
    // Effects run only in the browser, so this flips once hydration has happened; end-to-end
    // tests wait for it before exercising client-side behaviour.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                <SiteHeader />
                <main class="page" id="main">
                    // Data pages render fully on the server (Async): readable without
                    // JavaScript, and a missing record can still answer with a real 404.
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=BoardPage ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id") view=TaskPage ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id/edit") view=TaskEditPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/units") view=UnitsPage ssr=SsrMode::Async />
                        <Route path=path!("/plans") view=PlansPage ssr=SsrMode::Async />
                        <Route path=path!("/plans/:id") view=PlanPage ssr=SsrMode::Async />
                        <Route path=path!("/work") view=WorkPage ssr=SsrMode::Async />
                        <Route path=path!("/inbox") view=InboxPage ssr=SsrMode::Async />
                        <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async />
                        <Route path=path!("/bulletin") view=BulletinPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/channels") view=ChannelsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/displays") view=DisplaysPage ssr=SsrMode::Async />
                        <Route path=path!("/wall/:token") view=WallPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/calendar") view=CalendarPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <footer class="site-footer">
                    <p>"揭榜 · 计划—督查—整改—提高"</p>
                </footer>
            </div>
    }
}
