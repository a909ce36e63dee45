use crate::domain::Light;
use crate::ui::messages;
use leptos::prelude::*;

/// 红黄绿灯 as a coloured dot with its name (never colour alone), and the expected progress
/// it was judged against.
#[component]
pub fn LightBadge(light: Option<Light>, expected: u8) -> impl IntoView {
    light.map(|light| {
        view! {
            <span
                class=format!("light-badge light-{}", light.code())
                title=format!("序时进度 {expected}%")
            >
                <span class="light-dot" aria-hidden="true"></span>
                {messages::light(light)}
            </span>
        }
    })
}
