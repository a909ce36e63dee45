use crate::api::supervision::get_notice_sheet;
use crate::domain::supervision::NoticeSheet;
use crate::domain::{Entity, SupervisionId};
use crate::error::AppError;
use crate::ui::components::ErrorPanel;
use crate::ui::format::date_zh;
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/notices/:id`: a 督办单 as the office files and sends it — an A4 sheet in 发文 style:
/// the colour band, the issuer, the number, 主送 and 抄送, the facts, the requirement and the
/// date of the 反馈, and the 反馈 once given. Prints on one page.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let sheet = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| async move {
            match SupervisionId::parse(&id) {
                Some(id) => get_notice_sheet(id).await,
                None => Err(AppError::NotFound(Entity::Page)),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <Sheet sheet /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(sheet: NoticeSheet) -> impl IntoView {
    let NoticeSheet {
        notice,
        task_number,
        task_title,
        deadline,
        issuer,
        supervisor,
        as_of,
    } = sheet;
    let kind = messages::supervision_kind(notice.kind);
    let number = notice
        .number
        .map(|n| format!("督办〔{}〕{n}号", notice.year))
        .unwrap_or_default();
    let state = if notice.feedback.is_some() {
        "已反馈"
    } else if notice.overdue(as_of) {
        "逾期未反馈"
    } else {
        "待反馈"
    };
    let back = format!("/tasks/{}", notice.task);
    view! {
        <Title text=format!("{kind} {number}") />
        <nav class="sheet-tools no-print" aria-label="督办单操作">
            <a href=back>"返回任务"</a>
            <button type="button" class="secondary" onclick="window.print()">"打印"</button>
            <span class="sheet-state">{state}</span>
        </nav>
        <article class=format!("notice-sheet kind-{}", notice.kind.code())>
            <div class="sheet-band" aria-hidden="true"></div>
            <header class="sheet-head">
                <p class="sheet-issuer">{issuer.clone()}</p>
                <h1 class="sheet-title">{kind}</h1>
                <p class="sheet-number">{number}</p>
            </header>
            <dl class="sheet-fields">
                <div>
                    <dt>"主送"</dt>
                    <dd>{notice.unit_name.clone()}</dd>
                </div>
                <div>
                    <dt>"抄送"</dt>
                    <dd>{supervisor.map(|s| format!("{s}(分管领导)")).unwrap_or_else(|| "分管领导".to_owned())}</dd>
                </div>
                <div class="wide">
                    <dt>"督办事项"</dt>
                    <dd>{format!("第{task_number}项 {task_title}(完成时限 {})", date_zh(deadline))}</dd>
                </div>
                <div class="wide">
                    <dt>"情况"</dt>
                    <dd>{notice.facts.clone()}</dd>
                </div>
                <div class="wide">
                    <dt>"督办要求"</dt>
                    <dd>{notice.requirement.clone()}</dd>
                </div>
                <div class="wide">
                    <dt>"反馈时限"</dt>
                    <dd>{format!("请于 {} 前书面反馈落实情况", date_zh(notice.feedback_by))}</dd>
                </div>
            </dl>
            <footer class="sheet-sign">
                <p>{issuer}</p>
                <p>{date_zh(notice.day)}</p>
            </footer>
            {notice.feedback.clone().map(|f| view! {
                <section class="sheet-feedback">
                    <h2>"反馈情况"</h2>
                    <p>{f}</p>
                    <p class="sheet-feedback-by">
                        {format!("{} · {}", notice.answered_by.clone().unwrap_or_default(), notice.answered_at.map(crate::ui::format::time_zh).unwrap_or_default())}
                    </p>
                </section>
            })}
        </article>
    }
}
