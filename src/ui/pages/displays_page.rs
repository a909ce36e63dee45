use crate::api::displays::{CreateDisplay, RevokeDisplay, get_displays};
use crate::api::plans::list_plans;
use crate::domain::PlanStatus;
use crate::domain::display::{DisplayLink, SECONDS_MAX, SECONDS_MIN, WallCycle};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::time_zh;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// How a screen turns, as the office reads it.
pub fn cycle_name(cycle: WallCycle) -> &'static str {
    match cycle {
        WallCycle::Category => "按类别轮播",
        WallCycle::Unit => "按牵头单位轮播",
    }
}

/// `/admin/displays` (组织部门): 大屏链接 — read-only boards for meeting-room screens, opened
/// without a sign-in. A new link is shown once (only its fingerprint is kept); a link can be
/// revoked at any time, and a screen showing it stops within half a minute.
#[component]
pub fn DisplaysPage() -> impl IntoView {
    let create = ServerAction::<CreateDisplay>::new();
    let revoke = ServerAction::<RevokeDisplay>::new();
    let written = [saved(create), saved(revoke)];
    let data = Resource::new(
        move || any_saved(written),
        |_| async { Ok::<_, AppError>((get_displays().await?, list_plans().await?)) },
    );
    let query = use_query_map();
    // The new link: from the answer (with JavaScript) or the address the server sent the
    // browser to (without).
    let made = Memo::new(move |_| {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.read().get("made").map(|t| format!("/wall/{t}")))
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let revoke_error = move || revoke.value().get().and_then(Result::err);
    view! {
        <Title text="大屏链接" />
        <h1>"大屏链接"</h1>
        <p class="lede">
            "为会议室大屏生成只读的进度看板链接:在大屏的浏览器中打开即可,无需登录,按类别或牵头单位自动轮播,有人报送进度时实时更新。链接只在生成时显示一次;不再使用时请收回。"
        </p>
        {move || made.get().map(|path| view! {
            <div class="made-link" role="status">
                <strong>"已生成大屏链接(仅显示这一次,请复制保存):"</strong>
                <a href=path.clone() target="_blank" rel="noopener"><code>{path.clone()}</code></a>
                <span class="hint">"在大屏浏览器中打开此地址(前面加上本系统的网址),按 F11 全屏。"</span>
            </div>
        })}
        {move || revoke_error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((links, plans)) => {
                        let plans: Vec<(String, String)> = plans
                            .into_iter()
                            .filter(|p| p.status != PlanStatus::Draft)
                            .map(|p| (p.id.to_string(), p.title))
                            .collect();
                        view! {
                            <LinkTable links revoke />
                            <h2>"生成新链接"</h2>
                            <ActionForm action=create attr:class="grid-form">
                                <label>
                                    "放置地点"
                                    <input name="label" required maxlength="40" placeholder="如:三楼第一会议室" aria-describedby="display-label-error" />
                                    <FieldErrors error field="label" id="display-label-error" />
                                </label>
                                <label>
                                    "任务清单"
                                    <select name="plan" aria-describedby="display-plan-error">
                                        <option value="">"当前清单(随新清单发布自动切换)"</option>
                                        {plans
                                            .into_iter()
                                            .map(|(id, title)| view! { <option value=id>{title}</option> })
                                            .collect_view()}
                                    </select>
                                    <FieldErrors error field="plan" id="display-plan-error" />
                                </label>
                                <label>
                                    "轮播方式"
                                    <select name="cycle" aria-describedby="display-cycle-error">
                                        {WallCycle::ALL
                                            .into_iter()
                                            .map(|c| view! { <option value=c.code()>{cycle_name(c)}</option> })
                                            .collect_view()}
                                    </select>
                                    <FieldErrors error field="cycle" id="display-cycle-error" />
                                </label>
                                <label>
                                    "每屏停留(秒)"
                                    <input name="seconds" type="number" value="20" min=SECONDS_MIN max=SECONDS_MAX required aria-describedby="display-seconds-error" />
                                    <FieldErrors error field="seconds" id="display-seconds-error" />
                                </label>
                                <FormError error />
                                <div class="form-actions">
                                    <button type="submit">"生成链接"</button>
                                </div>
                            </ActionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LinkTable(links: Vec<DisplayLink>, revoke: ServerAction<RevokeDisplay>) -> impl IntoView {
    if links.is_empty() {
        return view! { <p class="empty">"还没有大屏链接。"</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="ledger displays">
                <thead>
                    <tr>
                        <th scope="col">"放置地点"</th>
                        <th scope="col">"任务清单"</th>
                        <th scope="col">"轮播"</th>
                        <th scope="col">"生成"</th>
                        <th scope="col">"最近使用"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col"><span class="visually-hidden">"操作"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {links
                        .into_iter()
                        .map(|l| {
                            let live = l.revoked_at.is_none();
                            let id = l.id.clone();
                            view! {
                                <tr class:inactive=!live>
                                    <th scope="row">{l.label.clone()}</th>
                                    <td>{l.plan.clone().unwrap_or_else(|| "当前清单".to_owned())}</td>
                                    <td>{format!("{},每屏 {} 秒", cycle_name(l.cycle), l.seconds)}</td>
                                    <td>{format!("{} · {}", l.created_by, time_zh(l.created_at))}</td>
                                    <td>{l.last_used.map(time_zh).unwrap_or_else(|| "尚未使用".to_owned())}</td>
                                    <td>
                                        {match l.revoked_at {
                                            None => "使用中".to_owned(),
                                            Some(at) => format!("已收回({})", time_zh(at)),
                                        }}
                                    </td>
                                    <td>
                                        {live.then(|| view! {
                                            <ActionForm action=revoke attr:class="row-form">
                                                <input type="hidden" name="id" value=id />
                                                <button type="submit" class="secondary">"收回"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
