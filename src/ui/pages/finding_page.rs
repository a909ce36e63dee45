use crate::api::findings::{DecideFinding, get_finding};
use crate::domain::FindingId;
use crate::domain::rectify::{Entry, FindingView, NOTE_MAX, Status};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{date_zh, encode_query, file_size, time_zh};
use crate::ui::messages;
use crate::ui::refetch::saved;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/rectify/:id`: one 整改清单 item — the problem, who answers for it, the measures and the
/// 整改时限 — with its whole record (整改进展 with evidence, 申请销号, 销号 / 退回重改, each with
/// who and when), the unit's progress form (multipart, with files) and the office's decision.
/// Plain forms: it works without JavaScript.
#[component]
pub fn FindingPage() -> impl IntoView {
    let params = use_params_map();
    let decide = ServerAction::<DecideFinding>::new();
    let decided = saved(decide);
    let item = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), decided.get()),
        |(id, _)| async move {
            match FindingId::parse(&id) {
                Some(id) => get_finding(id).await,
                None => Err(AppError::NotFound(crate::domain::Entity::Finding)),
            }
        },
    );
    view! {
        <Title text="整改事项" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match item.await {
                    Err(error) => view! {
                        <h1>"整改事项"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(v) => view! { <FindingDetail v decide /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FindingDetail(v: FindingView, decide: ServerAction<DecideFinding>) -> impl IntoView {
    let query = use_query_map();
    let f = v.finding.clone();
    let today_overdue = match f.light {
        Some(crate::domain::Light::Red) => " · 已超过整改时限",
        _ => "",
    };
    let back = format!("/rectify?plan={}", encode_query(v.plan.id.as_str()));
    let reported = query
        .read_untracked()
        .get("reported")
        .and_then(|s| Status::parse(&s));
    let light = f.light.map(|l| {
        view! {
            <span class=format!("light-badge light-{}", l.code())>
                <span class="light-dot" aria-hidden="true"></span>
                {messages::light(l)}
            </span>
        }
    });
    let task = f.task.clone().map(|(id, n, title)| {
        view! { <a href=format!("/tasks/{id}")>{format!("{n}. {title}")}</a> }.into_any()
    });
    let id = f.id.to_string();
    let entries = v
        .entries
        .iter()
        .map(|e| view! { <EntryItem entry=e.clone() finding=id.clone() /> })
        .collect_view();
    let no_entries = v.entries.is_empty();
    view! {
        <p class="breadcrumb">
            <a href=back>{format!("{} · 整改清单", v.plan.title)}</a>
        </p>
        <h1>{format!("整改事项 {}", f.number)}</h1>
        <p class="lede">
            <span class=format!("finding-status finding-{}", f.status.code())>{messages::finding_status(f.status)}</span>
            " " {light}
            {format!(
                " · {} · 整改时限 {}{today_overdue}",
                messages::finding_source(f.source),
                date_zh(f.deadline)
            )}
        </p>
        {reported.map(|s| view! {
            <p class="notice saved" role="status">
                {match s {
                    Status::Submitted => "整改完成情况已报送,等待组织人事局审核销号。",
                    _ => "整改进展已报送。",
                }}
            </p>
        })}
        <section class="detail-section">
            <h2>"问题与整改要求"</h2>
            <dl class="facts finding-facts">
                <dt>"问题描述"</dt>
                <dd class="finding-problem">{f.problem.clone()}</dd>
                <dt>"问题来源"</dt>
                <dd>{messages::finding_source(f.source)}</dd>
                <dt>"责任单位"</dt>
                <dd>{f.unit_name.clone()}</dd>
                <dt>"责任人"</dt>
                <dd>{f.person.clone()}</dd>
                <dt>"整改措施"</dt>
                <dd class="finding-measures">{f.measures.clone()}</dd>
                <dt>"发现日期"</dt>
                <dd>{date_zh(f.found_on)}</dd>
                <dt>"整改时限"</dt>
                <dd>{date_zh(f.deadline)}</dd>
                {task.map(|t| view! { <dt>"关联任务"</dt><dd>{t}</dd> })}
                {(f.returned > 0).then(|| view! { <dt>"退回重改"</dt><dd>{format!("{} 次", f.returned)}</dd> })}
                {f.closed_on.map(|d| view! { <dt>"销号日期"</dt><dd>{date_zh(d)}</dd> })}
            </dl>
        </section>
        <section class="detail-section" id="record">
            <h2>"整改记录"</h2>
            {if no_entries {
                view! { <p class="empty">"责任单位尚未报送整改进展。"</p> }.into_any()
            } else {
                view! { <ol class="finding-record">{entries}</ol> }.into_any()
            }}
        </section>
        {v.may_report.then(|| view! { <ProgressForm id=f.id.to_string() version=f.version returned=f.status == Status::Returned /> })}
        {v.may_decide.then(|| view! { <DecideForm id=f.id.to_string() version=f.version decide /> })}
    }
}

#[component]
fn EntryItem(entry: Entry, finding: String) -> impl IntoView {
    let files = entry
        .files
        .iter()
        .enumerate()
        .map(|(k, file)| {
            view! {
                <li>
                    <a href=format!("/rectify/{finding}/entries/{}/files/{k}", entry.n) target="_blank" rel="noopener">
                        {file.name.clone()}
                    </a>
                    <span class="file-size">{file_size(file.size)}</span>
                </li>
            }
        })
        .collect_view();
    let has_files = !entry.files.is_empty();
    view! {
        <li class=format!("finding-entry entry-{}", entry.kind.code())>
            <header class="report-head">
                <strong class="entry-kind">{messages::finding_entry(entry.kind)}</strong>
                <span class="report-author">{entry.by.clone()}</span>
                <time datetime=entry.at.to_rfc3339()>{time_zh(entry.at)}</time>
            </header>
            {(!entry.text.is_empty()).then(|| view! { <p class="entry-text">{entry.text.clone()}</p> })}
            {has_files.then(|| view! {
                <ul class="evidence-files" aria-label="佐证材料">{files}</ul>
            })}
        </li>
    }
}

/// The unit's 整改进展 as a plain multipart form to `/rectify/{id}/progress` (it carries
/// evidence files); a refused post comes back with its error in the address.
#[component]
fn ProgressForm(id: String, version: u32, returned: bool) -> impl IntoView {
    let query = use_query_map();
    let error = Signal::derive(move || {
        query.read().get("progress_error").map(|raw| {
            <AppError as leptos::server_fn::error::FromServerFnError>::de(
                leptos::server_fn::Bytes::from(raw),
            )
        })
    });
    let accept = crate::domain::evidence::accepted_extensions()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",");
    let limits = crate::domain::evidence::FileLimits::default();
    view! {
        <section class="detail-section">
            <h2>{if returned { "重新整改并报送" } else { "报送整改进展" }}</h2>
            <form
                method="post"
                action=format!("/rectify/{id}/progress")
                enctype="multipart/form-data"
                class="report-form progress-form"
                id="progress-form"
            >
                <input type="hidden" name="version" value=version.to_string() />
                <label>
                    "整改进展(采取了哪些措施、取得什么成效)"
                    <textarea name="text" rows="4" required maxlength=NOTE_MAX aria-describedby="fp-text-error"></textarea>
                    <FieldErrors error field="progress_text" id="fp-text-error" />
                </label>
                <label>
                    "佐证材料"
                    <input type="file" name="files" multiple accept=accept aria-describedby="fp-files-hint fp-files-error" />
                    <span class="field-hint" id="fp-files-hint">
                        {format!(
                            "照片、PDF、Word/Excel、WPS 或 OFD 文件;每个不超过 {} MB,合计不超过 {} MB",
                            crate::domain::evidence::FileLimits::megabytes(limits.file_max),
                            crate::domain::evidence::FileLimits::megabytes(limits.report_max),
                        )}
                    </span>
                    <FieldErrors error field="files" id="fp-files-error" />
                </label>
                <label class="check">
                    <input type="checkbox" name="finished" value="on" />
                    "整改已完成,申请销号"
                </label>
                <FormError error />
                <button type="submit">"报送"</button>
            </form>
        </section>
    }
}

/// The office's 销号 or 退回重改 of a request for 销号.
#[component]
fn DecideForm(id: String, version: u32, decide: ServerAction<DecideFinding>) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    view! {
        <section class="detail-section">
            <h2>"审核销号"</h2>
            <p class="hint">"对照整改措施和佐证材料审核:整改到位的予以销号;未整改到位的退回重改,并写明理由。"</p>
            <ActionForm action=decide attr:class="grid-form decide-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version.to_string() />
                <fieldset class="wide verdict-choice">
                    <legend>"审核结论"</legend>
                    <label class="check">
                        <input type="radio" name="verdict" value="close" checked />
                        "整改到位,同意销号"
                    </label>
                    <label class="check">
                        <input type="radio" name="verdict" value="return" />
                        "未整改到位,退回重改"
                    </label>
                </fieldset>
                <label class="wide">
                    "审核意见(退回时必填)"
                    <textarea name="note" rows="3" maxlength=NOTE_MAX aria-describedby="fd-note-error"></textarea>
                    <FieldErrors error field="finding_note" id="fd-note-error" />
                </label>
                <FormError error />
                <button type="submit">"提交审核"</button>
            </ActionForm>
        </section>
    }
}
