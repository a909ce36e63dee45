use crate::api::scores::{ConfirmAssessment, ReviewAssessment, SelfAssess, get_assessment};
use crate::domain::TaskId;
use crate::domain::assessment::{Assessment, AssessmentView, NOTE_MAX, REMARKS_MAX, Stage, Step};
use crate::domain::score::Points;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{encode_query, time_zh};
use crate::ui::messages;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/scores/tasks/:id`: one task's 自评 → 点评 → 考核 — its automatic items with why, what the
/// unit said, the office's proposed scores and the leader's confirmation, each with who and
/// when; the form for the reader's own step. Plain forms: it works without JavaScript.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let params = use_params_map();
    let self_assess = ServerAction::<SelfAssess>::new();
    let review = ServerAction::<ReviewAssessment>::new();
    let confirm = ServerAction::<ConfirmAssessment>::new();
    let view_data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                self_assess.version().get(),
                review.version().get(),
                confirm.version().get(),
            )
        },
        |(id, ..)| async move {
            match TaskId::parse(&id) {
                Some(task) => get_assessment(task).await,
                None => Err(crate::error::AppError::NotFound(
                    crate::domain::Entity::Task,
                )),
            }
        },
    );
    view! {
        <Title text="考评打分" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(error) => view! {
                        <h1>"考评打分"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(v) => view! { <AssessmentView v self_assess review confirm /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn points(p: Option<Points>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p} 分"))
}

fn stage_word(stage: Stage) -> &'static str {
    match stage {
        Stage::Open => "待自评",
        Stage::SelfAssessed => "已自评,待点评",
        Stage::Reviewed => "已点评,待考核确认",
        Stage::Confirmed => "已确认",
    }
}

#[component]
fn AssessmentView(
    v: AssessmentView,
    self_assess: ServerAction<SelfAssess>,
    review: ServerAction<ReviewAssessment>,
    confirm: ServerAction<ConfirmAssessment>,
) -> impl IntoView {
    let a = v.assessment.clone();
    let stage = a.stage();
    let back = format!("/scores?plan={}", encode_query(v.plan.id.as_str()));
    let automatic = v.line.clone().map(|line| {
        let deductions: Vec<String> = line.deductions.iter().map(messages::deduction).collect();
        view! {
            <dl class="facts">
                <dt>{format!("按期完成({} 分)", v.rubric.on_time)}</dt>
                <dd>{format!("{} 分 · {}", line.on_time, messages::on_time_basis(line.on_time_basis))}</dd>
                <dt>{format!("报送及时({} 分)", v.rubric.reporting)}</dt>
                <dd>{format!("{} 分 · {}", line.reporting, messages::reporting_basis(&line.reporting_basis))}</dd>
                <dt>"扣分"</dt>
                <dd>{if deductions.is_empty() { "无".to_owned() } else { deductions.join(";") }}</dd>
            </dl>
        }
    });
    let steps = v.steps.clone();
    let may = move |s: Step| steps.contains(&s);
    view! {
        <p class="breadcrumb">
            <a href=back>{format!("{} · 量化考评", v.plan.title)}</a>
        </p>
        <h1>{format!("{}. {}", v.number, v.title)}</h1>
        <p class="lede">
            {format!("牵头单位:{} · 考评进度:{}", v.lead_unit, stage_word(stage))}
        </p>
        <ol class="assessment-steps" aria-label="考评流程">
            <li class:done=stage != Stage::Open>"单位自评"</li>
            <li class:done=matches!(stage, Stage::Reviewed | Stage::Confirmed)>"组织人事局点评"</li>
            <li class:done=stage == Stage::Confirmed>"分管领导考核确认"</li>
        </ol>
        <section class="detail-section">
            <h2>"自动计分(截至今日或年度末)"</h2>
            {match automatic {
                Some(view) => view.into_any(),
                None => view! { <p class="hint">"该任务尚未挂牌或签收,不计分。"</p> }.into_any(),
            }}
        </section>
        <Record a=a.clone() rubric_quality=v.rubric.quality rubric_innovation=v.rubric.innovation />
        {may(Step::SelfAssess).then(|| view! { <SelfForm v=v.clone() action=self_assess /> })}
        {may(Step::Review).then(|| view! { <ReviewForm v=v.clone() action=review /> })}
        {may(Step::Confirm).then(|| view! { <ConfirmForm v=v.clone() action=confirm /> })}
    }
}

/// What each step recorded, with who and when.
#[component]
fn Record(a: Assessment, rubric_quality: u8, rubric_innovation: u8) -> impl IntoView {
    let when = |by: &Option<String>, at: Option<chrono::DateTime<chrono::Utc>>| match (by, at) {
        (Some(by), Some(at)) => format!("{by} · {}", time_zh(at)),
        _ => String::new(),
    };
    view! {
        <section class="detail-section assessment-record">
            <h2>"自评 · 点评 · 考核"</h2>
            <dl class="facts">
                <dt>"单位自评"</dt>
                <dd class="self-record">
                    {if a.self_at.is_some() {
                        format!(
                            "{}(建议:完成质量 {}、创新特色 {})— {}",
                            a.remarks,
                            points(a.self_quality),
                            points(a.self_innovation),
                            when(&a.self_by, a.self_at)
                        )
                    } else {
                        "尚未自评".to_owned()
                    }}
                </dd>
                <dt>{format!("完成质量({rubric_quality} 分)· 创新特色({rubric_innovation} 分)")}</dt>
                <dd class="review-record">
                    {if a.reviewed_at.is_some() {
                        format!(
                            "{} · {} — {}。{}",
                            points(a.quality),
                            points(a.innovation),
                            when(&a.reviewed_by, a.reviewed_at),
                            a.note
                        )
                    } else {
                        "尚未点评".to_owned()
                    }}
                </dd>
                <dt>"考核确认"</dt>
                <dd class="confirm-record">
                    {if a.confirmed_at.is_some() {
                        format!("已确认,得分冻结 — {}", when(&a.confirmed_by, a.confirmed_at))
                    } else {
                        "尚未确认".to_owned()
                    }}
                </dd>
            </dl>
        </section>
    }
}

#[component]
fn SelfForm(v: AssessmentView, action: ServerAction<SelfAssess>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let a = v.assessment;
    let value = |p: Option<Points>| p.map(|p| p.to_string()).unwrap_or_default();
    view! {
        <section class="detail-section">
            <h2>"单位自评"</h2>
            <ActionForm action attr:class="grid-form assessment-form self-form">
                <input type="hidden" name="task" value=v.task.to_string() />
                <input type="hidden" name="version" value=a.version.to_string() />
                <label class="wide">
                    "自评说明(完成情况、成效、特色亮点,可引用已报送的佐证材料)"
                    <textarea name="remarks" rows="5" required maxlength=REMARKS_MAX aria-describedby="as-remarks-error" prop:value=a.remarks.clone()>{a.remarks.clone()}</textarea>
                    <FieldErrors error field="remarks" id="as-remarks-error" />
                </label>
                <label>
                    {format!("建议完成质量得分(满分 {})", v.rubric.quality)}
                    <input name="quality" inputmode="decimal" value=value(a.self_quality) aria-describedby="as-quality-error" />
                    <FieldErrors error field="judged_quality" id="as-quality-error" />
                </label>
                <label>
                    {format!("建议创新特色得分(满分 {})", v.rubric.innovation)}
                    <input name="innovation" inputmode="decimal" value=value(a.self_innovation) aria-describedby="as-innovation-error" />
                    <FieldErrors error field="judged_innovation" id="as-innovation-error" />
                </label>
                <FormError error />
                <button type="submit">"提交自评"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReviewForm(v: AssessmentView, action: ServerAction<ReviewAssessment>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let a = v.assessment;
    let correcting = a.stage() == Stage::Confirmed;
    let value = |p: Option<Points>, fallback: Option<Points>| {
        p.or(fallback).map(|p| p.to_string()).unwrap_or_default()
    };
    view! {
        <section class="detail-section">
            <h2>{if correcting { "更正考评得分" } else { "点评打分" }}</h2>
            <ActionForm action attr:class="grid-form assessment-form review-form">
                <input type="hidden" name="task" value=v.task.to_string() />
                <input type="hidden" name="version" value=a.version.to_string() />
                <label>
                    {format!("完成质量得分(满分 {})", v.rubric.quality)}
                    <input name="quality" inputmode="decimal" required value=value(a.quality, a.self_quality) aria-describedby="rv-quality-error" />
                    <FieldErrors error field="judged_quality" id="rv-quality-error" />
                </label>
                <label>
                    {format!("创新特色得分(满分 {})", v.rubric.innovation)}
                    <input name="innovation" inputmode="decimal" required value=value(a.innovation, a.self_innovation) aria-describedby="rv-innovation-error" />
                    <FieldErrors error field="judged_innovation" id="rv-innovation-error" />
                </label>
                <label class="wide">
                    "点评意见"
                    <textarea name="note" rows="3" required maxlength=NOTE_MAX aria-describedby="rv-note-error" prop:value=a.note.clone()>{a.note.clone()}</textarea>
                    <FieldErrors error field="note" id="rv-note-error" />
                </label>
                {correcting.then(|| view! {
                    <label class="wide">
                        "更正理由(已确认的得分更正后须分管领导重新确认)"
                        <input name="correction" required aria-describedby="rv-correction-error" />
                        <FieldErrors error field="correction" id="rv-correction-error" />
                    </label>
                })}
                <FormError error />
                <button type="submit">{if correcting { "更正得分" } else { "提交点评" }}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ConfirmForm(v: AssessmentView, action: ServerAction<ConfirmAssessment>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="detail-section">
            <h2>"考核确认"</h2>
            <p class="hint">"确认后得分冻结,计入量化考评排名;如需更正,由组织人事局说明理由后重新点评。"</p>
            <ActionForm action attr:class="inline-form confirm-form">
                <input type="hidden" name="task" value=v.task.to_string() />
                <input type="hidden" name="version" value=v.assessment.version.to_string() />
                <FormError error />
                <button type="submit">"确认得分"</button>
            </ActionForm>
        </section>
    }
}
