//! Sending a multipart form (a report with evidence files) from the page, with upload progress.
//! The form works without this: it is a plain `multipart/form-data` form; in the browser the
//! page sends it itself, asks for JSON, shows progress and stays where it is.

use crate::domain::report::ReportStatus;
use crate::error::AppError;
use leptos::prelude::*;

/// A report just filed from this page: bumping `count` refetches the page's data; `status`
/// says what became of it (the plain form's redirect says so in the address instead).
#[derive(Clone, Copy)]
pub struct ReportFiled {
    pub count: RwSignal<u32>,
    pub status: RwSignal<Option<ReportStatus>>,
}

impl ReportFiled {
    /// Provides a fresh one to the page.
    pub fn provide() -> Self {
        let filed = Self {
            count: RwSignal::new(0),
            status: RwSignal::new(None),
        };
        provide_context(filed);
        filed
    }
}

/// What the server answered an upload: the new report's status, or the error.
pub fn outcome(status: u16, body: &str) -> Result<ReportStatus, AppError> {
    #[derive(serde::Deserialize)]
    struct Filed {
        status: String,
    }
    match status {
        0 => Err(AppError::Transport),
        200 => serde_json::from_str::<Filed>(body)
            .ok()
            .and_then(|f| ReportStatus::parse(&f.status))
            .ok_or(AppError::Transport),
        _ => Err(serde_json::from_str::<AppError>(body).unwrap_or(AppError::Transport)),
    }
}

/// Posts `form` to its `action` as `multipart/form-data`, asking for JSON; calls `progress`
/// with the percent uploaded and `done` with the status (0 when the network failed) and body.
#[cfg(feature = "hydrate")]
pub fn send_form(
    form: &web_sys::HtmlFormElement,
    progress: impl Fn(u8) + 'static,
    done: impl FnOnce(u16, String) + 'static,
) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let data = web_sys::FormData::new_with_form(form)?;
    let xhr = web_sys::XmlHttpRequest::new()?;
    xhr.open("POST", &form.action())?;
    xhr.set_request_header("Accept", "application/json")?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let share = (e.loaded() / e.total() * 100.0).clamp(0.0, 100.0);
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                progress(share as u8);
            }
        });
    xhr.upload()?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let request = xhr.clone();
    let mut done = Some(done);
    let on_end = Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.take() {
            let status = request.status().unwrap_or(0);
            let body = request.response_text().ok().flatten().unwrap_or_default();
            done(status, body);
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    // The request holds the handlers until it ends; two small closures per upload are left
    // to the page's lifetime rather than tracked.
    on_progress.forget();
    on_end.forget();
    xhr.send_with_opt_form_data(Some(&data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FieldError, Problem};

    #[test]
    fn answers_become_outcomes() {
        assert_eq!(
            outcome(200, r#"{"report":"r1","status":"draft"}"#),
            Ok(ReportStatus::Draft)
        );
        let refused = AppError::Invalid(vec![FieldError::new("done", Problem::Required)]);
        let mut body = serde_json::to_value(&refused).expect("json");
        body["message"] = "工作进展不能为空".into();
        assert_eq!(outcome(422, &body.to_string()), Err(refused));
        assert_eq!(outcome(0, ""), Err(AppError::Transport));
        assert_eq!(
            outcome(502, "<html>bad gateway</html>"),
            Err(AppError::Transport)
        );
    }
}
