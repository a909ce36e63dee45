//! The root component, the router and the HTML shell.

use super::components::SiteHeader;
use super::pages::{
    AccountsPage, AssessmentPage, BoardPage, BulletinPage, CalendarPage, ChannelsPage,
    DisplaysPage, DutiesPage, FindingPage, InboxPage, LoginPage, MeetingPage, MeetingsPage,
    MinutesPage, NotFoundPage, NoticePage, PlanPage, PlansPage, PointsPage, PresentPage,
    QuarterPage, RectifyPage, ScoresPage, TaskEditPage, TaskPage, UnitsPage, WallPage, WorkPage,
};
use super::session::{provide_inbox, provide_session};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

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
    let hydrated = RwSignal::new(false);
    provide_context(Hydrated(hydrated));
    view! {
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                <SiteHeader />
                <main class="page" id="main">
                    // Data pages render fully on the server (Async): readable without
                    // JavaScript, and a missing record can still answer with a real 404.
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view={Lazy::<BoardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id") view={Lazy::<TaskRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id/edit") view={Lazy::<TaskEditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/units") view={Lazy::<UnitsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/plans") view={Lazy::<PlansRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/plans/:id") view={Lazy::<PlanRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/work") view={Lazy::<WorkRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/notices/:id") view={Lazy::<NoticeRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/meetings") view={Lazy::<MeetingsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/meetings/:id") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/meetings/:id/minutes") view={Lazy::<MinutesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/meetings/:id/present") view={Lazy::<PresentRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/scores") view={Lazy::<ScoresRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/scores/points") view={Lazy::<PointsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/scores/tasks/:id") view={Lazy::<AssessmentRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/quarter") view={Lazy::<QuarterRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/duties") view={Lazy::<DutiesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/rectify") view={Lazy::<RectifyRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/rectify/:id") view={Lazy::<FindingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/bulletin") view={Lazy::<BulletinRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/accounts") view={Lazy::<AccountsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/channels") view={Lazy::<ChannelsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/displays") view={Lazy::<DisplaysRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/wall/:token") view={Lazy::<WallRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/calendar") view={Lazy::<CalendarRoute>::new()} ssr=SsrMode::Async />
                    </Routes>
                </main>
                <footer class="site-footer">
                    <p>"揭榜 · 计划—督查—整改—提高"</p>
                </footer>
            </div>
    }
}

/// Whether the page in view is hydrated: `data-hydrated` on the app's root, which end-to-end
/// tests wait for before exercising client-side behaviour.
#[derive(Clone, Copy)]
struct Hydrated(RwSignal<bool>);

/// Called by every page as it is built. Effects run only in the browser, after the page's
/// (lazily loaded) view has hydrated, so the flag flips once the whole page is live.
pub(crate) fn mark_hydrated() {
    if let Some(Hydrated(flag)) = use_context::<Hydrated>() {
        Effect::new(move |_| flag.set(true));
    }
}

/// Each page's code is its own piece of the wasm (`cargo leptos --split`): a first visit
/// downloads the shell and the page it opens, not the whole application; hydration waits for
/// the page's pieces. leptos names them in the HTML (preloads) only when the page's view was
/// reached before the head was written, so some pages fetch them during hydration instead.
/// Pages load their data themselves; the server-rendered HTML already carries it.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                mark_hydrated();
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    LoginRoute => LoginPage,
    BoardRoute => BoardPage,
    TaskRoute => TaskPage,
    TaskEditRoute => TaskEditPage,
    UnitsRoute => UnitsPage,
    PlansRoute => PlansPage,
    PlanRoute => PlanPage,
    WorkRoute => WorkPage,
    InboxRoute => InboxPage,
    NoticeRoute => NoticePage,
    BulletinRoute => BulletinPage,
    MeetingsRoute => MeetingsPage,
    MeetingRoute => MeetingPage,
    MinutesRoute => MinutesPage,
    PresentRoute => PresentPage,
    ScoresRoute => ScoresPage,
    AssessmentRoute => AssessmentPage,
    RectifyRoute => RectifyPage,
    DutiesRoute => DutiesPage,
    QuarterRoute => QuarterPage,
    PointsRoute => PointsPage,
    FindingRoute => FindingPage,
    AccountsRoute => AccountsPage,
    ChannelsRoute => ChannelsPage,
    DisplaysRoute => DisplaysPage,
    WallRoute => WallPage,
    CalendarRoute => CalendarPage,
}
