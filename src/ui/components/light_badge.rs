use crate::domain::{Light, LightReason};
use crate::ui::messages;
use leptos::prelude::*;

/// 红黄绿灯 as a coloured dot with its name (never colour alone), the expected progress it
/// was judged against, and why (节点2(8月20日)逾期未完成) beside a red or yellow light.
#[component]
pub fn LightBadge(
    light: Option<Light>,
    expected: u8,
    #[prop(default = None)] reason: Option<LightReason>,
) -> impl IntoView {
    light.map(|light| {
        let why = reason.map(messages::light_reason);
        let title = match &why {
            Some(why) => format!("序时进度 {expected}% · {why}"),
            None => format!("序时进度 {expected}%"),
        };
        let shown = why.filter(|_| light != Light::Green);
        view! {
            <span class=format!("light-badge light-{}", light.code()) title=title>
                <span class="light-dot" aria-hidden="true"></span>
                {messages::light(light)}
            </span>
            {shown.map(|why| view! { <span class=format!("light-reason light-reason-{}", light.code())>{why}</span> })}
        }
    })
}
