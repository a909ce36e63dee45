use crate::api::calendar::{SaveCalendar, get_calendars};
use crate::domain::calendar::{CalendarEntry, CalendarForm};
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{date_zh, time_zh};
use crate::ui::refetch::saved;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/calendar` (系统管理员): the 节假日安排 lights and reminders count working days with —
/// each year's holidays and 调休 workdays, shipped with the app or installed here when the State
/// Council announces a year. `?year=2026` opens that year in the form. Plain forms.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let save = ServerAction::<SaveCalendar>::new();
    let written = saved(save);
    let years = Resource::new(move || written.get(), |_| get_calendars());
    let query = use_query_map();
    view! {
        <Title text="节假日安排" />
        <h1>"节假日安排"</h1>
        <p class="lede">
            "亮灯的“临期”和到期提醒按工作日计算:法定节假日不计,调休上班的周末计入。每年国务院办公厅公布次年安排后,在此录入;未录入的年度按周一至周五计算,任务清单上会有提示。"
        </p>
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match years.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok(entries) => {
                        let asked = query.read().get("year").and_then(|y| y.parse::<i32>().ok());
                        let editing = asked
                            .and_then(|y| entries.iter().find(|e| e.year.year == y))
                            .map(|e| CalendarForm::of(&e.year))
                            .unwrap_or_else(|| CalendarForm {
                                year: entries
                                    .first()
                                    .map(|e| (e.year.year + 1).to_string())
                                    .unwrap_or_default(),
                                ..CalendarForm::default()
                            });
                        view! {
                            <YearForm form=editing save />
                            {entries.into_iter().map(|entry| view! { <YearCard entry /> }).collect_view()}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn YearForm(form: CalendarForm, save: ServerAction<SaveCalendar>) -> impl IntoView {
    let (holidays, workdays) = (form.holidays.clone(), form.workdays.clone());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let done = move || {
        save.value()
            .get()
            .and_then(Result::ok)
            .map(|y| view! { <p class="form-notice" role="status">{format!("{y}年节假日安排已保存,即时生效。")}</p> })
    };
    view! {
        <section class="detail-section">
            <h2>"录入或修改一个年度"</h2>
            {done}
            <ActionForm action=save attr:class="grid-form calendar-form">
                <label>
                    "年度"
                    <input name="year" value=form.year inputmode="numeric" required aria-describedby="cal-year-error" />
                    <FieldErrors error field="year" id="cal-year-error" />
                </label>
                <label class="wide">
                    "依据(通知名称)"
                    <input name="source" value=form.source placeholder="国务院办公厅关于2027年部分节假日安排的通知" aria-describedby="cal-source-error" />
                    <FieldErrors error field="source" id="cal-source-error" />
                </label>
                <label class="wide">
                    "放假安排(每行一个:节日 开始日期 结束日期;单日只写一个日期)"
                    // The text for the server's page, the property for a form rebuilt in place.
                    <textarea name="holidays" rows="8" required placeholder="元旦 2027-01-01\n春节 2027-02-05 2027-02-13" aria-describedby="cal-holidays-error" prop:value=holidays>{form.holidays}</textarea>
                    <FieldErrors error field="holidays" id="cal-holidays-error" />
                </label>
                <label class="wide">
                    "调休上班日(周末上班的日期,以空格或逗号分隔)"
                    <textarea name="workdays" rows="2" placeholder="2027-02-14 2027-02-20" aria-describedby="cal-workdays-error" prop:value=workdays>{form.workdays}</textarea>
                    <FieldErrors error field="workdays" id="cal-workdays-error" />
                </label>
                <FormError error />
                <button type="submit">"保存"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn YearCard(entry: CalendarEntry) -> impl IntoView {
    let CalendarEntry {
        year,
        updated_by,
        updated_at,
    } = entry;
    let origin = match (updated_by, updated_at) {
        (Some(by), Some(at)) => format!("{by} 于 {} 录入", time_zh(at)),
        _ => "随系统提供".to_owned(),
    };
    let days: i64 = year
        .holidays
        .iter()
        .map(|h| (h.to - h.from).num_days() + 1)
        .sum();
    let edit = format!("/admin/calendar?year={}", year.year);
    let short = |d: chrono::NaiveDate| format!("{}月{}日", d.month(), d.day());
    view! {
        <section class="detail-section calendar-year" data-year=year.year>
            <h2>{format!("{}年", year.year)}</h2>
            <p class="hint">
                {format!("{} · {origin} · 放假共{days}天,调休上班{}天 · ", if year.source.is_empty() { "未注明依据" } else { &year.source }, year.workdays.len())}
                <a href=edit>"修改"</a>
            </p>
            <table class="ledger holidays">
                <thead>
                    <tr>
                        <th scope="col">"节日"</th>
                        <th scope="col">"放假"</th>
                        <th scope="col">"天数"</th>
                    </tr>
                </thead>
                <tbody>
                    {year
                        .holidays
                        .iter()
                        .map(|h| {
                            let span = if h.from == h.to {
                                date_zh(h.from)
                            } else {
                                format!("{} 至 {}", date_zh(h.from), short(h.to))
                            };
                            view! {
                                <tr>
                                    <th scope="row">{h.name.clone()}</th>
                                    <td data-label="放假">{span}</td>
                                    <td data-label="天数">{(h.to - h.from).num_days() + 1}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="calendar-workdays">
                "调休上班:"
                {if year.workdays.is_empty() {
                    "无".to_owned()
                } else {
                    year.workdays.iter().map(|d| short(*d)).collect::<Vec<_>>().join("、")
                }}
            </p>
        </section>
    }
}
