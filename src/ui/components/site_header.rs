use leptos::prelude::*;

/// The bar at the top of every page.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark">"揭榜"</span>
                <span class="brand-text">"年度重点任务"</span>
            </a>
            <nav class="site-nav" aria-label="主导航">
                <a href="/">"任务清单"</a>
            </nav>
        </header>
    }
}
