use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any path no route matches, and for records that do not exist. Answers 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    crate::ui::app::mark_hydrated();
    view! { <NotFound what="页面" /> }
}

/// The body of a 404: what was not found and the way back. Rendered on the server, it makes
/// the answer a 404.
#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    answer_not_found();
    view! {
        <Title text="未找到" />
        <section class="not-found">
            <p class="not-found-code">"404"</p>
            <h1>{format!("{what}不存在")}</h1>
            <p>"您访问的内容不存在或已被删除,请检查链接是否正确。"</p>
            <a class="button" href="/">"返回任务清单"</a>
        </section>
    }
}

/// Makes the server's answer a 404 (rendered in the browser it does nothing): for pages that
/// word their own "not found".
pub fn answer_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}
