//! 揭榜认领 on the task page: the claims side by side, the unit head's claim form and 撤回认领,
//! the office's 确认挂牌 and 不予挂牌. Plain forms: they work without JavaScript.

use super::{FieldErrors, FormError};
use crate::api::claims::{ClaimTask, ConfirmClaim, DeclineClaim, WithdrawClaim};
use crate::api::organization::list_people;
use crate::domain::claim::ClaimStatus;
use crate::domain::policy::{self, TaskFacts};
use crate::domain::{Actor, Claim, ClaimWindow, Person, Role, TaskId, TaskStatus, UnitId};
use crate::ui::format::date_zh;
use crate::ui::refetch::{any_saved, saved};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;

/// The actions of the claims section; the task page refetches the task after each.
#[derive(Clone, Copy)]
pub struct ClaimActions {
    pub claim: ServerAction<ClaimTask>,
    pub withdraw: ServerAction<WithdrawClaim>,
    pub confirm: ServerAction<ConfirmClaim>,
    pub decline: ServerAction<DeclineClaim>,
    written: [Memo<usize>; 4],
}

impl ClaimActions {
    pub fn new() -> Self {
        let (claim, withdraw, confirm, decline) = (
            ServerAction::new(),
            ServerAction::new(),
            ServerAction::new(),
            ServerAction::new(),
        );
        Self {
            claim,
            withdraw,
            confirm,
            decline,
            written: [
                saved(claim),
                saved(withdraw),
                saved(confirm),
                saved(decline),
            ],
        }
    }

    /// Moves on after every write that went through.
    pub fn version(&self) -> usize {
        any_saved(self.written)
    }
}

impl Default for ClaimActions {
    fn default() -> Self {
        Self::new()
    }
}

/// What the section needs to know of the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimContext {
    pub task: TaskId,
    pub status: TaskStatus,
    pub lead_unit: Option<UnitId>,
    pub window: Option<ClaimWindow>,
    pub today: NaiveDate,
    pub plan_open: bool,
}

/// The section: shown while a task can be claimed, and whenever it has claims. It renders from
/// the task page's own data (no resource of its own: one more resource under the page's
/// Suspense made concurrent renders of the page hang now and then).
#[component]
pub fn ClaimsSection(
    context: ClaimContext,
    actions: ClaimActions,
    claims: Vec<Claim>,
    /// Who reads the page; `None` hides every form.
    reader: Option<Actor>,
    /// Whom the office may name 分管领导 at 挂牌.
    people: Vec<Person>,
    /// The task's 分管领导 as it stands.
    supervisor: Option<String>,
) -> impl IntoView {
    let ctx = context;
    let listing = Listing { people, supervisor };
    let pending: Vec<UnitId> = claims
        .iter()
        .filter(|c| c.status == ClaimStatus::Pending)
        .map(|c| c.unit.clone())
        .collect();
    let facts = TaskFacts {
        status: ctx.status,
        lead_unit: ctx.lead_unit.as_ref(),
    };
    let may_claim = ctx.plan_open
        && reader.as_ref().is_some_and(|a| {
            policy::check_claim(a, facts, ctx.window, ctx.today, &pending).is_ok()
        });
    let office = reader.as_ref().is_some_and(|a| a.role == Role::Organizer)
        && ctx.plan_open
        && ctx.status == TaskStatus::Claimed;
    let own_unit = reader
        .as_ref()
        .filter(|a| a.role == Role::UnitHead && ctx.plan_open)
        .and_then(|a| a.unit.clone());
    let open = matches!(ctx.status, TaskStatus::Open | TaskStatus::Claimed);
    if claims.is_empty() && !may_claim && !open {
        return None;
    }
    let others = pending.len().saturating_sub(1);
    let claim_unit = own_unit.clone().filter(|_| may_claim);
    Some(view! {
        <section class="detail-section claims" aria-label="揭榜认领">
            <h2>"揭榜认领"</h2>
            {claims.is_empty().then(|| view! { <p class="empty">"尚无单位认领。"</p> })}
            <ol class="claim-list">
                {claims
                    .into_iter()
                    .map(|claim| {
                        let mine = own_unit.as_ref() == Some(&claim.unit);
                        view! { <ClaimItem claim office mine others actions listing=listing.clone() /> }
                    })
                    .collect_view()}
            </ol>
            {claim_unit
                .map(|unit| view! { <ClaimForm task=ctx.task.clone() unit action=actions.claim /> })}
        </section>
    }
        // Erased: the task page's view type is deep enough already (wasm recursion limit).
        .into_any())
}

/// What the office fixes at 挂牌 beyond the claim: 分管领导 and the start day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listing {
    people: Vec<Person>,
    supervisor: Option<String>,
}

/// 分管领导 (empty keeps the task's) and 起始日期 (empty: the day of 挂牌; lights count from it).
#[component]
fn ListingFields(listing: Listing) -> impl IntoView {
    let keep = listing
        .supervisor
        .map(|s| format!("沿用:{s}"))
        .unwrap_or_else(|| "(未指定)".to_owned());
    view! {
        <label>
            "分管领导"
            <select name="supervisor" aria-describedby="confirm-supervisor-error">
                <option value="">{keep}</option>
                {listing
                    .people
                    .into_iter()
                    .map(|p| view! { <option value=p.id.to_string()>{format!("{} · {} {}", p.name, p.unit_name, p.post)}</option> })
                    .collect_view()}
            </select>
        </label>
        <label>
            "起始日期(空为挂牌当日)"
            <input type="date" name="start" aria-describedby="confirm-start-error" />
        </label>
    }
}

/// The calendar day of `at` in China Standard Time (UTC+8, no daylight saving).
fn china_day(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::hours(8)).date_naive()
}

/// One claim: who, what they pledge, where it stands; with the buttons the reader may use.
#[component]
fn ClaimItem(
    claim: Claim,
    /// The reader is the office and the task waits for 挂牌.
    office: bool,
    /// The claim is the reader's unit's, and the reader is its head.
    mine: bool,
    /// Waiting claims besides this one (declined when this one is confirmed).
    others: usize,
    actions: ClaimActions,
    listing: Listing,
) -> impl IntoView {
    let pending = claim.status == ClaimStatus::Pending;
    let id = claim.id.to_string();
    let withdraw_id = id.clone();
    let status = crate::ui::messages::claim_status(claim.status);
    let owner = match (&claim.owner, claim.post.is_empty()) {
        (Some(o), false) => format!("{o}({})", claim.post),
        (Some(o), true) => o.clone(),
        (None, false) => format!("待定({})", claim.post),
        (None, true) => "待定".to_owned(),
    };
    let confirm_error = Signal::derive(move || actions.confirm.value().get().and_then(Result::err));
    let decline_error = Signal::derive(move || actions.decline.value().get().and_then(Result::err));
    let withdraw_error =
        Signal::derive(move || actions.withdraw.value().get().and_then(Result::err));
    view! {
        <li class=format!("claim claim-{}", claim.status.code()) data-unit=claim.unit.to_string()>
            <header>
                <strong class="claim-unit">{claim.unit_name.clone()}</strong>
                <span class="claim-status">{status}</span>
            </header>
            <p class="claim-pledge">{claim.pledge.clone()}</p>
            {(!claim.co_units.is_empty())
                .then(|| view! { <p class="claim-partners">{format!("联合揭榜单位:{}", crate::ui::format::join_zh(&claim.co_units))}</p> })}
            <p class="claim-meta">
                {format!("拟定责任人:{owner} · {} {} 认领", claim.by, date_zh(china_day(claim.at)))}
            </p>
            {(claim.status == ClaimStatus::Declined)
                .then(|| view! { <p class="claim-reason">{format!("不予挂牌理由:{}", claim.reason)}</p> })}
            {(office && pending)
                .then(|| {
                    let decline_id = id.clone();
                    view! {
                        <div class="claim-decide">
                            <ActionForm action=actions.confirm attr:class="inline-form">
                                <input type="hidden" name="claim" value=id.clone() />
                                {if others > 0 {
                                    view! {
                                        <label>
                                            "其他认领不予挂牌的理由"
                                            <input name="reason" required minlength="2" maxlength="300" />
                                        </label>
                                    }
                                        .into_any()
                                } else {
                                    view! { <input type="hidden" name="reason" value="" /> }.into_any()
                                }}
                                <ListingFields listing=listing.clone() />
                                <button type="submit">"确认挂牌"</button>
                            </ActionForm>
                            <ActionForm action=actions.decline attr:class="inline-form">
                                <input type="hidden" name="claim" value=decline_id />
                                <label>
                                    "不予挂牌理由"
                                    <input name="reason" required minlength="2" maxlength="300" />
                                </label>
                                <button type="submit" class="secondary">"不予挂牌"</button>
                            </ActionForm>
                            <FormError error=confirm_error />
                            <FieldErrors error=confirm_error field="reason" id="confirm-reason-error" />
                            <FieldErrors error=confirm_error field="supervisor" id="confirm-supervisor-error" />
                            <FieldErrors error=confirm_error field="start" id="confirm-start-error" />
                            <FormError error=decline_error />
                            <FieldErrors error=decline_error field="reason" id="decline-reason-error" />
                        </div>
                    }
                })}
            {(mine && pending)
                .then(|| {
                    view! {
                        <ActionForm action=actions.withdraw attr:class="inline-form">
                            <input type="hidden" name="claim" value=withdraw_id.clone() />
                            <button type="submit" class="secondary">"撤回认领"</button>
                        </ActionForm>
                        <FormError error=withdraw_error />
                    }
                })}
        </li>
    }
}

/// The unit head's 揭榜 form: pledge, proposed 责任人 (of the unit) and 岗位.
#[component]
fn ClaimForm(task: TaskId, unit: UnitId, action: ServerAction<ClaimTask>) -> impl IntoView {
    let own = unit.clone();
    let people = Resource::new(move || unit.clone(), |unit| list_people(Some(unit)));
    let units = Resource::new(|| (), |()| crate::api::organization::list_units());
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="claim-form">
            <h3>"揭榜认领"</h3>
            <input type="hidden" name="id" value=task.to_string() />
            <label>
                "承诺与工作思路"
                <textarea name="pledge" rows="3" required aria-describedby="claim-pledge-error"></textarea>
                <FieldErrors error field="pledge" id="claim-pledge-error" />
            </label>
            <label>
                "拟定责任人"
                <select name="owner" aria-describedby="claim-owner-error">
                    <option value="">"待定"</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            people
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|p| view! { <option value=p.id.to_string()>{format!("{}({})", p.name, p.post)}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
                <FieldErrors error field="owner" id="claim-owner-error" />
            </label>
            <label>
                "岗位"
                <input name="post" maxlength="60" aria-describedby="claim-post-error" />
                <FieldErrors error field="post" id="claim-post-error" />
            </label>
            <fieldset class="claim-partners-field" aria-describedby="claim-co-units-error">
                <legend>"联合揭榜单位(可选,由本单位牵头)"</legend>
                <Suspense fallback=|| ()>
                    {move || {
                        let own = own.clone();
                        Suspend::new(async move {
                            units
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|u| u.active && u.id != own && u.kind != crate::domain::UnitKind::Office)
                                .enumerate()
                                .map(|(i, u)| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("co_units[{i}]") value=u.id.to_string() />
                                        {u.name}
                                    </label>
                                })
                                .collect_view()
                        })
                    }}
                </Suspense>
                <FieldErrors error field="co_units" id="claim-co-units-error" />
            </fieldset>
            <FormError error />
            <button type="submit">"揭榜认领"</button>
        </ActionForm>
    }
}
