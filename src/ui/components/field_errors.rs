use crate::error::AppError;
use crate::ui::messages;
use leptos::prelude::*;

/// The problems of one form field, worded, under the field (`id` is what the input's
/// `aria-describedby` names); nothing when the field has none.
#[component]
pub fn FieldErrors(
    error: Signal<Option<AppError>>,
    field: &'static str,
    #[prop(into)] id: String,
) -> impl IntoView {
    move || {
        let errors = messages::errors_for(error.get().as_ref(), field);
        let id = id.clone();
        (!errors.is_empty())
            .then(move || view! { <span class="field-error" id=id>{errors.join(";")}</span> })
    }
}

/// An action's error that belongs to no single field (a conflict, a refused move …).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field_errors().is_empty())
            .map(|e| {
                view! { <p class="form-error" role="alert">{messages::error(&e)}</p> }
            })
    }
}
