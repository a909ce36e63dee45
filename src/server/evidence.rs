//! Progress reports with evidence files over plain HTTP: a browser form posts
//! `multipart/form-data` (it works without JavaScript; ActionForm cannot send files), and
//! files are downloaded by people who may read the report.

use super::AppState;
use super::authz::SignedIn;
use super::http::error_response;
use crate::domain::evidence::{AcceptedFile, check_file, check_total};
use crate::domain::policy::Capability;
use crate::domain::report::EvidenceFile;
use crate::domain::{Entity, FieldError, NewReport, Problem, ReportForm, ReportId, TaskId};
use crate::error::AppError;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;

/// Room for a report's text fields on top of its files.
pub const FORM_OVERHEAD_BYTES: u64 = 1024 * 1024;

/// The largest report upload accepted: the files' limit and the text.
pub fn report_limit(state: &AppState) -> usize {
    usize::try_from(state.files.limits.report_max + FORM_OVERHEAD_BYTES).unwrap_or(usize::MAX)
}

/// Whether the client wants JSON back (the page's script) rather than a page (a plain form).
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// An uploaded file as it came.
struct Upload {
    name: String,
    bytes: Bytes,
}

/// The form as posted.
#[derive(Default)]
struct Posted {
    form: ReportForm,
    reached: Vec<u32>,
    reached_on: Vec<(u32, String)>,
    files: Vec<Upload>,
}

/// A multipart form's text fields in order, and its `files`.
async fn read_parts(
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<Upload>), AppError> {
    let bad = || AppError::field("request", Problem::BadFormat);
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| bad())?;
            // A file input left empty still sends a part, with no name and no content.
            if !(file_name.is_empty() && bytes.is_empty()) {
                files.push(Upload {
                    name: file_name,
                    bytes,
                });
            }
            continue;
        }
        fields.push((name, field.text().await.map_err(|_| bad())?));
    }
    Ok((fields, files))
}

async fn read_form(multipart: Multipart) -> Result<Posted, AppError> {
    let bad = || AppError::field("request", Problem::BadFormat);
    let (fields, files) = read_parts(multipart).await?;
    let mut posted = Posted {
        files,
        ..Posted::default()
    };
    for (name, value) in fields {
        let f = &mut posted.form;
        match name.as_str() {
            "percent" => f.percent = value,
            "done" => f.done = value,
            "problems" => f.problems = value,
            "next_steps" => f.next_steps = value,
            "corrects" => f.corrects = value,
            "part" => f.part = value,
            "reached" => posted
                .reached
                .push(value.trim().parse().map_err(|_| bad())?),
            other => {
                if let Some(i) = other.strip_prefix("reached_on_") {
                    posted
                        .reached_on
                        .push((i.parse().map_err(|_| bad())?, value));
                }
            }
        }
    }
    // A ticked milestone takes its date field; an unticked one's date is ignored.
    posted.form.reached = posted
        .reached
        .iter()
        .map(|&i| {
            let date = posted
                .reached_on
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            (i, date)
        })
        .collect();
    Ok(posted)
}

/// Checked files, each with its content.
type Accepted<'a> = Vec<(AcceptedFile, &'a Bytes)>;

/// Checks a form's text (`parsed`) and every file; all problems at once. Gives back the
/// checked text and files, each with its content.
fn check<'a, T>(
    state: &AppState,
    parsed: Result<T, Vec<FieldError>>,
    files: &'a [Upload],
) -> Result<(T, Accepted<'a>), AppError> {
    let limits = state.files.limits;
    let mut errors: Vec<FieldError> = Vec::new();
    let parsed = parsed.map_err(|e| errors.extend(e)).ok();
    let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    if let Err(p) = check_total(total, files.len(), limits) {
        errors.push(FieldError::new("files", p));
    }
    let mut accepted = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let sniffed = infer::get(&file.bytes).map(|t| t.mime_type());
        match check_file(&file.name, file.bytes.len() as u64, sniffed, limits) {
            Ok(ok) => accepted.push((ok, &file.bytes)),
            Err(p) => errors.push(FieldError::at("files", i, p)),
        }
    }
    match parsed {
        Some(parsed) if errors.is_empty() => Ok((parsed, accepted)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Stores checked files (before the record that names them: a record that is written always
/// finds its files; a refused one may leave a stored file nothing names, which is harmless).
async fn store(state: &AppState, accepted: Accepted<'_>) -> Result<Vec<EvidenceFile>, AppError> {
    let mut files = Vec::with_capacity(accepted.len());
    for (file, bytes) in accepted {
        let sha256 = state.files.put(bytes.clone()).await?;
        files.push(EvidenceFile {
            name: file.name,
            content_type: file.content_type,
            size: bytes.len() as u64,
            sha256,
        });
    }
    Ok(files)
}

/// Where a plain form goes back to after a refused post: `page` with the error in the
/// address under `key`, at `anchor`.
fn back_with_error(page: &str, key: &str, anchor: &str, err: &AppError) -> Response {
    let encoded = serde_json::to_string(err).unwrap_or_default();
    Redirect::to(&format!(
        "{page}?{key}={}#{anchor}",
        percent_encoding::utf8_percent_encode(&encoded, percent_encoding::NON_ALPHANUMERIC)
    ))
    .into_response()
}

/// `POST /tasks/{id}/reports` (multipart: `percent`, `done`, `problems`, `next_steps`,
/// `corrects`, `reached` (milestone positions) with `reached_on_{i}`, and `files`): files a
/// progress report with evidence. A browser form gets 303 back to the task page (with the
/// error in the URL when refused); a script asking for JSON gets the report or the error.
pub async fn upload_report(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let json = wants_json(&headers);
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, !json);
    };
    let actor = user.actor();
    if let Err(err) = super::authz::require_actor(&actor, Capability::WorkOnTasks) {
        return error_response(&err, !json);
    }
    let Some(task) = TaskId::parse(&id) else {
        return error_response(&AppError::NotFound(Entity::Task), !json);
    };
    let result = async {
        let multipart = multipart.map_err(|_| AppError::field("request", Problem::BadFormat))?;
        let posted = read_form(multipart).await?;
        let parsed = NewReport::parse(&posted.form, state.clock.today());
        let (report, accepted) = check(&state, parsed, &posted.files)?;
        let files = store(&state, accepted).await?;
        super::db::reports::add_report(&*state.db.get().await?, &actor, &task, &report, &files)
            .await
    }
    .await;
    match (result, json) {
        (Ok((report, status)), true) => axum::Json(serde_json::json!({
            "report": report.to_string(),
            "status": status.code(),
        }))
        .into_response(),
        (Ok((_, status)), false) => {
            Redirect::to(&format!("/tasks/{task}?reported={}#reports", status.code()))
                .into_response()
        }
        (Err(err), true) => error_response(&err, false),
        (Err(err), false) => back_with_error(
            &format!("/tasks/{task}"),
            "report_error",
            "report-form",
            &err,
        ),
    }
}

/// `POST /rectify/{id}/progress` (multipart: `version`, `text`, `finished`, `files`): the
/// responsible unit's 整改进展 on a 整改清单 item, with evidence, asking for 销号 when
/// `finished` is ticked. A browser form gets 303 back to the item (the error in the address
/// when refused); a script asking for JSON gets the new status or the error.
pub async fn upload_finding_progress(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    use crate::domain::FindingId;
    use crate::domain::rectify::{ProgressForm, ProgressInput};
    let json = wants_json(&headers);
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, !json);
    };
    let actor = user.actor();
    if let Err(err) = super::authz::require_actor(&actor, Capability::WorkOnTasks) {
        return error_response(&err, !json);
    }
    let Some(id) = FindingId::parse(&id) else {
        return error_response(&AppError::NotFound(Entity::Finding), !json);
    };
    let result = async {
        let multipart = multipart.map_err(|_| AppError::field("request", Problem::BadFormat))?;
        let (fields, uploads) = read_parts(multipart).await?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let version: u32 = field("version")
            .trim()
            .parse()
            .map_err(|_| AppError::field("version", Problem::BadFormat))?;
        let parsed = ProgressInput::parse(&ProgressForm {
            text: field("text"),
            finished: field("finished"),
        });
        let (input, accepted) = check(&state, parsed, &uploads)?;
        let files = store(&state, accepted).await?;
        super::db::findings::report(
            &*state.db.get().await?,
            &actor,
            &id,
            version,
            &input,
            &files,
        )
        .await
    }
    .await;
    match (result, json) {
        (Ok(status), true) => {
            axum::Json(serde_json::json!({ "status": status.code() })).into_response()
        }
        (Ok(status), false) => {
            Redirect::to(&format!("/rectify/{id}?reported={}#record", status.code()))
                .into_response()
        }
        (Err(err), true) => error_response(&err, false),
        (Err(err), false) => back_with_error(
            &format!("/rectify/{id}"),
            "progress_error",
            "progress-form",
            &err,
        ),
    }
}

/// `GET /reports/{report}/files/{n}`: the report's `n`-th evidence file, to people who may
/// read the report (403 otherwise), with its checked type, never sniffed again by the browser,
/// and a safe `Content-Disposition` (images shown inline, everything else downloaded).
pub async fn download_evidence(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    Path((report, n)): Path<(String, String)>,
) -> Response {
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, true);
    };
    let actor = user.actor();
    if let Err(err) = super::authz::require_actor(&actor, Capability::Read) {
        return error_response(&err, true);
    }
    let (Some(report), Ok(n)) = (ReportId::parse(&report), n.parse::<usize>()) else {
        return error_response(&AppError::NotFound(Entity::File), true);
    };
    let result = async {
        let file =
            super::db::reports::report_file(&*state.db.get().await?, &actor, &report, n).await?;
        let bytes = state.files.get(&file.sha256).await?;
        Ok::<_, AppError>((file, bytes))
    }
    .await;
    file_response(result)
}

/// `GET /rectify/{id}/entries/{n}/files/{k}`: a 整改清单 item's evidence file, to people who
/// may read the item; served as [`download_evidence`] serves a report's.
pub async fn download_finding_file(
    State(state): State<AppState>,
    user: Option<axum::Extension<SignedIn>>,
    Path((id, n, k)): Path<(String, String, String)>,
) -> Response {
    let Some(user) = user.and_then(|u| u.0.0.clone()) else {
        return error_response(&AppError::Unauthorized, true);
    };
    let (Some(id), Ok(n), Ok(k)) = (
        crate::domain::FindingId::parse(&id),
        n.parse::<u32>(),
        k.parse::<usize>(),
    ) else {
        return error_response(&AppError::NotFound(Entity::File), true);
    };
    let result = async {
        let file =
            super::db::findings::entry_file(&*state.db.get().await?, &user, &id, n, k).await?;
        let bytes = state.files.get(&file.sha256).await?;
        Ok::<_, AppError>((file, bytes))
    }
    .await;
    file_response(result)
}

/// A stored evidence file as the browser gets it: its checked type, never sniffed again, and
/// a safe `Content-Disposition` (images shown inline, everything else downloaded).
fn file_response(result: Result<(EvidenceFile, Bytes), AppError>) -> Response {
    match result {
        Ok((file, bytes)) => {
            let inline = file.content_type.starts_with("image/");
            let extension = file
                .name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .filter(|e| e.bytes().all(|b| b.is_ascii_alphanumeric()))
                .unwrap_or_else(|| "bin".to_owned());
            let disposition = format!(
                "{}; filename=\"evidence.{extension}\"; filename*=UTF-8''{}",
                if inline { "inline" } else { "attachment" },
                percent_encoding::utf8_percent_encode(
                    &file.name,
                    percent_encoding::NON_ALPHANUMERIC
                )
            );
            (
                [
                    (header::CONTENT_TYPE, file.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                    (header::CACHE_CONTROL, "private, no-cache".to_owned()),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
                            .to_owned(),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(err) => error_response(&err, true),
    }
}
