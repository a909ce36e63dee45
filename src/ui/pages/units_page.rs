use crate::api::organization::{CreatePerson, CreateUnit, SetReportsDirect, get_directory};
use crate::domain::{Person, Role, Unit, UnitKind};
use crate::ui::components::ErrorPanel;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/units`: the unit tree with each unit's people and posts. 组织人事局 staff may add units
/// and people here.
#[component]
pub fn UnitsPage() -> impl IntoView {
    let add_unit = ServerAction::<CreateUnit>::new();
    let add_person = ServerAction::<CreatePerson>::new();
    let set_direct = ServerAction::<SetReportsDirect>::new();
    provide_context(set_direct);
    let written = [saved(add_unit), saved(add_person), saved(set_direct)];
    let data = Resource::new(move || any_saved(written), |_| get_directory());
    let session = use_session();
    let error = move || {
        add_unit
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| add_person.value().get().and_then(|r| r.err()))
            .or_else(|| set_direct.value().get().and_then(|r| r.err()))
            .map(|e| e.to_string())
    };
    view! {
        <Title text="单位与人员" />
        <h1>"单位与人员"</h1>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let organizer = session.user.with(|u| u.as_ref().is_some_and(|u| u.role == Role::Organizer));
                match data.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok((units, people)) => {
                        let roots: Vec<Unit> = units.iter().filter(|u| u.parent.is_none()).cloned().collect();
                        let all = StoredValue::new((units.clone(), people));
                        view! {
                            <ul class="unit-tree">
                                {roots.into_iter().map(|u| view! { <UnitNode unit=u all /> }).collect_view()}
                            </ul>
                            {organizer.then(|| view! { <OrganizerForms units add_unit add_person /> })}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn UnitNode(unit: Unit, all: StoredValue<(Vec<Unit>, Vec<Person>)>) -> impl IntoView {
    let (children, members): (Vec<Unit>, Vec<Person>) = all.with_value(|(units, people)| {
        (
            units
                .iter()
                .filter(|u| u.parent.as_ref() == Some(&unit.id))
                .cloned()
                .collect(),
            people
                .iter()
                .filter(|p| p.unit == unit.id)
                .cloned()
                .collect(),
        )
    });
    // The unit's head (or the office) decides whether its liaison's reports need the head's review.
    let session = use_session();
    let set_direct = use_context::<ServerAction<SetReportsDirect>>();
    let may_set = session.user.with_untracked(|u| {
        u.as_ref().is_some_and(|u| {
            crate::domain::policy::check_unit_settings(&u.actor(), &unit.id).is_ok()
        })
    });
    let own = session
        .user
        .with_untracked(|u| u.as_ref().and_then(|u| u.unit.as_ref()) == Some(&unit.id));
    let setting = set_direct.filter(|_| may_set).map(|action| {
        let state = if unit.reports_direct {
            "联络员填报直接报送"
        } else {
            "联络员填报经负责人审核后报送"
        };
        view! {
            // Folded for the office (one per unit); open for the unit's own head.
            <details class="unit-setting" open=own>
                <summary>{format!("填报设置:{state}")}</summary>
                <ActionForm action attr:class="unit-setting-form">
                    <input type="hidden" name="unit" value=unit.id.to_string() />
                    <input type="hidden" name="version" value=unit.version />
                    <label class="check">
                        <input type="checkbox" name="on" value="true" checked=unit.reports_direct />
                        "联络员填报直接报送(无需单位负责人审核)"
                    </label>
                    <button type="submit" class="secondary">"保存"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <li class="unit-node">
            <h2 class="unit-name">
                {unit.name.clone()} <span class="unit-kind">{messages::unit_kind(unit.kind)}</span>
            </h2>
            {setting}
            {(!members.is_empty())
                .then(|| {
                    view! {
                        <ul class="unit-members">
                            {members
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <li>
                                            <span class="person-name">{p.name}</span>
                                            <span class="person-post">{p.post}</span>
                                            {p.phone.map(|t| view! { <span class="person-phone">{t}</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!children.is_empty())
                .then(|| {
                    view! {
                        <ul class="unit-tree">
                            {children.into_iter().map(|u| view! { <UnitNode unit=u all /> }.into_any()).collect_view()}
                        </ul>
                    }
                })}
        </li>
    }
}

#[component]
fn OrganizerForms(
    units: Vec<Unit>,
    add_unit: ServerAction<CreateUnit>,
    add_person: ServerAction<CreatePerson>,
) -> impl IntoView {
    let units = StoredValue::new(units);
    let options = move |with_none: bool| {
        let mut v: Vec<AnyView> = Vec::new();
        if with_none {
            v.push(view! { <option value="">"(无)"</option> }.into_any());
        }
        units.with_value(|units| {
            v.extend(units.iter().map(|u| {
                view! { <option value=u.id.to_string()>{u.name.clone()}</option> }.into_any()
            }));
        });
        v
    };
    view! {
        <section class="detail-section">
            <h2>"新增单位"</h2>
            <ActionForm action=add_unit attr:class="grid-form">
                <label>"名称" <input name="name" required /></label>
                <label>
                    "类型"
                    <select name="kind">
                        {UnitKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{messages::unit_kind(k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>"上级单位" <select name="parent">{options(true)}</select></label>
                <button type="submit">"新增"</button>
            </ActionForm>
            <h2>"新增人员"</h2>
            <ActionForm action=add_person attr:class="grid-form">
                <label>"姓名" <input name="name" required /></label>
                <label>"所属单位" <select name="unit">{options(false)}</select></label>
                <label>"岗位" <input name="post" /></label>
                <label>"电话" <input name="phone" /></label>
                <label>"电子邮箱" <input name="email" type="email" /></label>
                <button type="submit">"新增"</button>
            </ActionForm>
        </section>
    }
}
