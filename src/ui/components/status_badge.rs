use crate::domain::TaskStatus;
use crate::ui::messages;
use leptos::prelude::*;

/// A task status as a coloured label (the colour also comes with the text, never alone).
#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    view! { <span class=format!("status-badge status-{}", status.code())>{messages::task_status(status)}</span> }
}
