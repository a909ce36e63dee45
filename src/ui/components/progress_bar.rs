use crate::domain::Percent;
use leptos::prelude::*;

/// A completion bar with its number, readable by screen readers and on paper.
#[component]
pub fn ProgressBar(percent: Percent) -> impl IntoView {
    let value = percent.value();
    view! {
        <span class="progress">
            <span
                class="progress-track"
                role="progressbar"
                aria-label="完成进度"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=value
            >
                <span class="progress-fill" style=format!("width:{value}%")></span>
            </span>
            <span class="progress-text">{value}"%"</span>
        </span>
    }
}
