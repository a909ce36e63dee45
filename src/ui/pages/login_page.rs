use crate::api::auth::SignIn;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: the sign-in form. Works without JavaScript (a plain POST that redirects).
#[component]
pub fn LoginPage() -> impl IntoView {
    // Created under <Routes>, so a failed sign-in without JavaScript (the error comes back in
    // the URL) shows on the form.
    let action = ServerAction::<SignIn>::new();
    let session = use_session();
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            session.user.set(Some(user));
        }
    });
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <Title text="登录" />
        <section class="login">
            <h1>"登录揭榜"</h1>
            <p class="login-lede">"年度重点任务:揭榜认领、进度填报、调度督办、验收销号。"</p>
            <ActionForm action attr:class="login-form">
                <input type="hidden" name="next" value=next />
                <label>
                    "用户名"
                    <input type="text" name="username" autocomplete="username" required />
                </label>
                <label>
                    "密码"
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <button type="submit" disabled=move || action.pending().get()>"登录"</button>
            </ActionForm>
        </section>
    }
}
