use crate::api::accounts::{CreateAccount, ResetPassword, UpdateAccount, list_accounts};
use crate::api::organization::{list_people, list_units};
use crate::domain::{AccountSummary, Person, Role, Unit};
use crate::ui::components::ErrorPanel;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/accounts` (系统管理员): create accounts, assign roles and units, disable, reset
/// passwords. Everything is a plain form, so it works without JavaScript too.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let update = ServerAction::<UpdateAccount>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let written = [saved(create), saved(update), saved(reset)];
    let data = Resource::new(
        move || any_saved(written),
        |_| async {
            let (accounts, units, people) =
                futures::try_join!(list_accounts(), list_units(), list_people(None))?;
            Ok::<_, crate::AppError>((accounts, units, people))
        },
    );
    let error = move || {
        [
            create.value().get().and_then(|r| r.err()),
            update.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| e.to_string())
    };
    view! {
        <Title text="账号管理" />
        <h1>"账号管理"</h1>
        <p class="hint backup-link">
            <a class="button secondary" href="/admin/backup" download>"下载数据备份"</a>
            " 全部数据和佐证材料打包为一个文件(含账号口令摘要,请妥善保管),可用 jiebang restore 恢复。"
        </p>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok((accounts, units, people)) => {
                        let units = StoredValue::new(units);
                        let people = StoredValue::new(people);
                        view! {
                            <table class="ledger accounts">
                                <thead>
                                    <tr>
                                        <th scope="col">"用户名"</th>
                                        <th scope="col">"姓名 · 角色 · 单位"</th>
                                        <th scope="col">"状态"</th>
                                        <th scope="col">"重置密码"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {accounts
                                        .into_iter()
                                        .map(|a| view! { <AccountRow account=a units people update reset /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <section class="detail-section">
                                <h2>"新建账号"</h2>
                                <ActionForm action=create attr:class="grid-form">
                                    <label>"用户名" <input name="username" required autocomplete="off" /></label>
                                    <label>"姓名" <input name="display_name" required /></label>
                                    <RoleSelect selected=Role::Viewer />
                                    <UnitSelect units selected=None />
                                    <PersonSelect people selected=None />
                                    <label>"初始密码" <input type="password" name="password" required autocomplete="new-password" /></label>
                                    <button type="submit">"创建"</button>
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountRow(
    account: AccountSummary,
    units: StoredValue<Vec<Unit>>,
    people: StoredValue<Vec<Person>>,
    update: ServerAction<UpdateAccount>,
    reset: ServerAction<ResetPassword>,
) -> impl IntoView {
    let AccountSummary {
        id,
        username,
        display_name,
        role,
        unit,
        person,
        active,
        version,
        ..
    } = account;
    let person = person.map(|p| p.to_string());
    let id = id.to_string();
    let unit = unit.map(|u| u.to_string());
    // Each form owns its copies (form children are closures).
    let (edit_id, toggle_id, reset_id) = (id.clone(), id.clone(), id);
    let (edit_user, toggle_user, row_user) = (username.clone(), username.clone(), username.clone());
    let (edit_name, toggle_name) = (display_name.clone(), display_name);
    let (edit_unit, toggle_unit) = (unit.clone(), unit.unwrap_or_default());
    let toggle_person = person.clone().unwrap_or_default();
    view! {
        <tr class:inactive=!active data-username=row_user>
            <th scope="row">{username}</th>
            <td>
                <ActionForm action=update attr:class="row-form">
                    <input type="hidden" name="id" value=edit_id />
                    <input type="hidden" name="version" value=version />
                    <input type="hidden" name="username" value=edit_user />
                    <input type="hidden" name="active" value=active.to_string() />
                    <input name="display_name" value=edit_name aria-label="姓名" required />
                    <RoleSelect selected=role />
                    <UnitSelect units selected=edit_unit.clone() />
                    <PersonSelect people selected=person.clone() />
                    <button type="submit">"保存"</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=update attr:class="row-form">
                    <input type="hidden" name="id" value=toggle_id />
                    <input type="hidden" name="version" value=version />
                    <input type="hidden" name="username" value=toggle_user />
                    <input type="hidden" name="display_name" value=toggle_name />
                    <input type="hidden" name="role" value=role.code() />
                    <input type="hidden" name="unit" value=toggle_unit />
                    <input type="hidden" name="person" value=toggle_person />
                    <input type="hidden" name="active" value=(!active).to_string() />
                    <span class="account-state">{if active { "启用" } else { "已停用" }}</span>
                    <button type="submit" class="secondary">{if active { "停用" } else { "启用" }}</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=reset attr:class="row-form">
                    <input type="hidden" name="id" value=reset_id />
                    <input type="password" name="password" aria-label="新密码" autocomplete="new-password" required />
                    <button type="submit" class="secondary">"重置"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn RoleSelect(selected: Role) -> impl IntoView {
    view! {
        <label>
            "角色"
            <select name="role">
                {Role::ALL
                    .into_iter()
                    .map(|r| view! { <option value=r.code() selected=r == selected>{messages::role(r)}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn UnitSelect(units: StoredValue<Vec<Unit>>, selected: Option<String>) -> impl IntoView {
    view! {
        <label>
            "所属单位"
            <select name="unit">
                <option value="" selected=selected.is_none()>"(无)"</option>
                {units
                    .get_value()
                    .into_iter()
                    .map(|u| {
                        let id = u.id.to_string();
                        let is = selected.as_deref() == Some(id.as_str());
                        view! { <option value=id selected=is>{u.name}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// 对应人员: which person (of 单位与人员) the account is; a leader's link decides which
/// 督办单 are copied to them (the tasks they are 分管领导 of).
#[component]
fn PersonSelect(people: StoredValue<Vec<Person>>, selected: Option<String>) -> impl IntoView {
    view! {
        <label>
            "对应人员"
            <select name="person">
                <option value="" selected=selected.is_none()>"(未关联)"</option>
                {people
                    .get_value()
                    .into_iter()
                    .map(|p| {
                        let id = p.id.to_string();
                        let is = selected.as_deref() == Some(id.as_str());
                        view! { <option value=id selected=is>{format!("{} · {} {}", p.unit_name, p.name, p.post)}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
