use crate::error::AppError;
use leptos::prelude::*;

/// A failed load or action, explained in the user's words.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert">
            <h2>"出错了"</h2>
            <p>{error.to_string()}</p>
        </div>
    }
}
