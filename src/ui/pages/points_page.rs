use crate::api::scores::{DecidePoints, ProposePoints, get_points};
use crate::domain::points::{Entry, Kind, Ledger, Status};
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::{date_zh, encode_query, time_zh};
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/scores/points`: 积分台账 — every unit's approved awards and deductions with the running
/// balance, and the entries waiting for a leader. The office proposes (reason, day, points);
/// a leader approves or declines each once. Approved entries count in the ranking from their
/// day. Plain forms: it works without JavaScript.
#[component]
pub fn PointsPage() -> impl IntoView {
    let query = use_query_map();
    let propose = ServerAction::<ProposePoints>::new();
    let decide = ServerAction::<DecidePoints>::new();
    let (proposed, decided) = (saved(propose), saved(decide));
    let ledger = Resource::new(
        move || {
            (
                query.read().get("plan").filter(|p| !p.is_empty()),
                any_saved([proposed, decided]),
            )
        },
        |(plan, _)| async move {
            get_points(crate::ui::format::plan_in_address(plan.as_deref())?).await
        },
    );
    view! {
        <Title text="积分台账" />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match ledger.await {
                    Err(error) => view! {
                        <h1>"积分台账"</h1>
                        <ErrorPanel error />
                    }
                        .into_any(),
                    Ok(ledger) => view! { <LedgerView ledger propose decide /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn signed(e: &Entry) -> String {
    match e.kind {
        Kind::Award => format!("+{}", e.points),
        Kind::Deduction => format!("−{}", e.points),
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Proposed => "待审批",
        Status::Approved => "已批准",
        Status::Declined => "不予批准",
    }
}

#[component]
fn LedgerView(
    ledger: Ledger,
    propose: ServerAction<ProposePoints>,
    decide: ServerAction<DecidePoints>,
) -> impl IntoView {
    let plan = encode_query(ledger.plan.id.as_str());
    let balances = ledger
        .balances
        .iter()
        .map(|b| {
            let rows = b
                .entries
                .iter()
                .map(|(e, run)| {
                    view! {
                        <tr>
                            <td class="date">{date_zh(e.on)}</td>
                            <td>{e.reason.clone()}</td>
                            <td class="num">{signed(e)}</td>
                            <td class="num">{run.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="balance" data-unit=b.unit.to_string()>
                    <h3>{format!("{} · 合计 {}", b.unit_name, b.total)}</h3>
                    <table class="ledger balance-table">
                        <thead>
                            <tr>
                                <th scope="col">"日期"</th>
                                <th scope="col">"事由"</th>
                                <th scope="col">"加减分"</th>
                                <th scope="col">"累计"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    let no_balances = ledger.balances.is_empty();
    let may_decide = ledger.may_decide;
    let entries = ledger
        .entries
        .iter()
        .cloned()
        .map(|e| view! { <EntryRow e may_decide decide /> })
        .collect_view();
    let no_entries = ledger.entries.is_empty();
    view! {
        <p class="breadcrumb"><a href=format!("/scores?plan={plan}")>{format!("{} · 量化考评", ledger.plan.title)}</a></p>
        <h1>{format!("{} · 积分台账", ledger.plan.title)}</h1>
        <p class="lede">
            "考评细则自动计分之外的加分(如经验被上级推广、受到上级表彰)和减分(如被上级通报批评),由组织人事局提出、写明事由,经分管领导批准后,自计分日期起计入量化考评总分。"
        </p>
        <section class="detail-section" id="balances">
            <h2>"各单位积分"</h2>
            {if no_balances {
                view! { <p class="empty">"尚无已批准的加减分。"</p> }.into_any()
            } else {
                balances.into_any()
            }}
        </section>
        <section class="detail-section" id="entries">
            <h2>"加减分记录"</h2>
            {if no_entries {
                view! { <p class="empty">"尚无加减分记录。"</p> }.into_any()
            } else {
                view! {
                    <table class="ledger points-entries">
                        <thead>
                            <tr>
                                <th scope="col">"计分日期"</th>
                                <th scope="col">"单位"</th>
                                <th scope="col">"事由"</th>
                                <th scope="col">"加减分"</th>
                                <th scope="col">"提出"</th>
                                <th scope="col">"审批"</th>
                            </tr>
                        </thead>
                        <tbody>{entries}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        {ledger.may_propose.then(|| view! { <ProposeForm ledger=ledger.clone() propose /> })}
    }
}

#[component]
fn EntryRow(e: Entry, may_decide: bool, decide: ServerAction<DecidePoints>) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let key = e.key.clone();
    let decision = match (e.status, may_decide) {
        (Status::Proposed, true) => view! {
            <ActionForm action=decide attr:class="inline-form decide-points">
                <input type="hidden" name="entry" value=key />
                <input type="hidden" name="version" value=e.version.to_string() />
                <label class="check"><input type="radio" name="decision" value="approve" checked />"批准"</label>
                <label class="check"><input type="radio" name="decision" value="decline" />"不予批准"</label>
                <label>"意见" <input name="note" maxlength="200" /></label>
                <FormError error />
                <button type="submit">"提交审批"</button>
            </ActionForm>
        }
            .into_any(),
        _ => view! {
            <span class=format!("points-status points-{}", e.status.code())>{status_word(e.status)}</span>
            {e.decided_by.clone().map(|by| view! {
                <span class="muted">{format!(" {by} {}", e.decided_at.map(time_zh).unwrap_or_default())}</span>
            })}
            {(!e.note.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", e.note)}</span> })}
        }
            .into_any(),
    };
    view! {
        <tr data-entry=e.key.clone()>
            <td class="date">{date_zh(e.on)}</td>
            <td>{e.unit_name.clone()}</td>
            <td>{e.reason.clone()}</td>
            <td class="num">{signed(&e)}</td>
            <td>{e.proposed_by.clone()}</td>
            <td>{decision}</td>
        </tr>
    }
}

#[component]
fn ProposeForm(ledger: Ledger, propose: ServerAction<ProposePoints>) -> impl IntoView {
    let error = Signal::derive(move || propose.value().get().and_then(Result::err));
    view! {
        <section class="detail-section" id="propose">
            <h2>"提出加减分"</h2>
            <ActionForm action=propose attr:class="grid-form points-form">
                <input type="hidden" name="plan" value=ledger.plan.id.to_string() />
                <label>
                    "单位"
                    <select name="form[unit]" required aria-describedby="pp-unit-error">
                        <option value="">"请选择"</option>
                        {ledger.units
                            .iter()
                            .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
                            .collect_view()}
                    </select>
                    <FieldErrors error field="points_unit" id="pp-unit-error" />
                </label>
                <label>
                    "加分或减分"
                    <select name="form[kind]">
                        <option value="award">"加分"</option>
                        <option value="deduction">"减分"</option>
                    </select>
                </label>
                <label>
                    {format!("分值(0.01–{} 分)", crate::domain::points::ENTRY_MAX)}
                    <input name="form[points]" inputmode="decimal" required aria-describedby="pp-points-error" />
                    <FieldErrors error field="points_value" id="pp-points-error" />
                </label>
                <label>
                    "计分日期"
                    <input type="date" name="form[on]" required value=ledger.today.to_string() aria-describedby="pp-on-error" />
                    <FieldErrors error field="points_on" id="pp-on-error" />
                </label>
                <label class="wide">
                    "事由(如:“红色驿站”做法被市委组织部推广)"
                    <input name="form[reason]" required maxlength="200" aria-describedby="pp-reason-error" />
                    <FieldErrors error field="points_reason" id="pp-reason-error" />
                </label>
                <FormError error />
                <button type="submit">"提交领导审批"</button>
            </ActionForm>
        </section>
    }
}
