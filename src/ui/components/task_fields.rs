use super::FieldErrors;
use crate::domain::{MilestoneForm, Person, TaskForm, Unit};
use crate::error::AppError;
use leptos::prelude::*;

/// What the task form offers to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskChoices {
    pub categories: Vec<String>,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
}

/// Blank rows offered after the filled ones, so a page without JavaScript can add some.
const BLANK_ROWS: usize = 2;

/// Every field of a task, named `form[…]` as the task server functions take it. `locked`: a
/// published task keeps its number and lead unit (shown, and sent unchanged). Milestone and
/// criterion rows are added and removed in place once the page is hydrated.
#[component]
pub fn TaskFields(
    initial: TaskForm,
    choices: TaskChoices,
    locked: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let TaskChoices {
        categories,
        units,
        people,
    } = choices;
    let units: Vec<Unit> = units.into_iter().filter(|u| u.active).collect();
    let unit_name = |id: &str| {
        units
            .iter()
            .find(|u| u.id.as_str() == id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "(待揭榜)".to_owned())
    };
    let lead_text = unit_name(&initial.lead_unit);
    let TaskForm {
        number,
        title,
        category,
        description,
        deadline,
        milestones,
        criteria,
        lead_unit,
        co_units,
        owner,
        post,
        supervisor,
        key,
        focus,
    } = initial;
    let category_options = categories
        .into_iter()
        .map(|c| {
            let selected = c == category;
            let value = c.clone();
            view! { <option value=value selected=selected>{c}</option> }
        })
        .collect_view();
    let lead_field = if locked {
        view! {
            <span class="locked-value">{lead_text}</span>
            <input type="hidden" name="form[lead_unit]" value=lead_unit />
        }
        .into_any()
    } else {
        let options = units
            .iter()
            .map(|u| {
                let selected = u.id.as_str() == lead_unit;
                view! { <option value=u.id.to_string() selected=selected>{u.name.clone()}</option> }
            })
            .collect_view();
        view! {
            <select name="form[lead_unit]" aria-describedby="task-lead_unit-error">
                <option value="">"(待揭榜)"</option>
                {options}
            </select>
        }
        .into_any()
    };
    let number_field = if locked {
        view! {
            <span class="locked-value">{number.clone()}</span>
            <input type="hidden" name="form[number]" value=number />
        }
        .into_any()
    } else {
        view! {
            <input
                name="form[number]"
                value=number
                inputmode="numeric"
                required
                aria-describedby="task-number-error"
            />
        }
        .into_any()
    };
    let co_unit_boxes = units
        .iter()
        .map(|u| {
            let checked = co_units.iter().any(|c| c == u.id.as_str());
            view! {
                <label class="check">
                    <input type="checkbox" name="form[co_units][]" value=u.id.to_string() checked=checked />
                    {u.name.clone()}
                </label>
            }
        })
        .collect_view();
    let person_select = move |name: &'static str, selected: String, described: &'static str| {
        let groups = units
            .iter()
            .filter_map(|u| {
                let members: Vec<&Person> = people.iter().filter(|p| p.unit == u.id).collect();
                (!members.is_empty()).then(|| {
                    let options = members
                        .into_iter()
                        .map(|p| {
                            let label = if p.post.is_empty() {
                                p.name.clone()
                            } else {
                                format!("{}({})", p.name, p.post)
                            };
                            view! {
                                <option value=p.id.to_string() selected=p.id.as_str() == selected>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view();
                    view! { <optgroup label=u.name.clone()>{options}</optgroup> }
                })
            })
            .collect_view();
        view! {
            <select name=name aria-describedby=described>
                <option value="">"(未指定)"</option>
                {groups}
            </select>
        }
    };
    let owner_select = person_select("form[owner]", owner, "task-owner-error");
    let supervisor_select = person_select("form[supervisor]", supervisor, "task-supervisor-error");

    view! {
        <label>
            "序号"
            {number_field}
            <FieldErrors error field="number" id="task-number-error" />
        </label>
        <label class="span-2">
            "任务名称"
            <input name="form[title]" value=title required aria-describedby="task-title-error" />
            <FieldErrors error field="title" id="task-title-error" />
        </label>
        <label>
            "类别"
            <select name="form[category]" aria-describedby="task-category-error">
                {category_options}
            </select>
            <FieldErrors error field="category" id="task-category-error" />
        </label>
        <label>
            {if locked { "牵头单位" } else { "牵头单位(空为待揭榜)" }}
            {lead_field}
            <FieldErrors error field="lead_unit" id="task-lead_unit-error" />
        </label>
        <label>
            "责任人"
            {owner_select}
            <FieldErrors error field="owner" id="task-owner-error" />
        </label>
        <label>
            "岗位"
            <input name="form[post]" value=post aria-describedby="task-post-error" />
            <FieldErrors error field="post" id="task-post-error" />
        </label>
        <label>
            "分管领导"
            {supervisor_select}
            <FieldErrors error field="supervisor" id="task-supervisor-error" />
        </label>
        <label>
            "完成时限"
            <input
                type="date"
                name="form[deadline]"
                value=deadline
                required
                aria-describedby="task-deadline-error"
            />
            <FieldErrors error field="deadline" id="task-deadline-error" />
        </label>
        <label class="check key-flag">
            <input type="checkbox" name="form[key]" value="true" checked=key />
            "重中之重"
        </label>
        <input type="hidden" name="form[focus]" value=focus.to_string() />
        <fieldset class="wide checks">
            <legend>"配合单位"</legend>
            {co_unit_boxes}
            <FieldErrors error field="co_units" id="task-co_units-error" />
        </fieldset>
        <label class="wide">
            "任务内容"
            <textarea name="form[description]" rows="2" aria-describedby="task-description-error">
                {description}
            </textarea>
            <FieldErrors error field="description" id="task-description-error" />
        </label>
        <GoalRows root="form" id_prefix="task" milestones criteria error />
    }
}

/// 推进目标 and 验收标准 rows, named `{root}[milestones][k][…]` and `{root}[criteria][k]`:
/// the task form's, and a 调整申请's. Rows are added and removed in place once the page is
/// hydrated; without JavaScript, blank rows are offered and a row is emptied to remove it.
#[component]
pub fn GoalRows(
    root: &'static str,
    id_prefix: &'static str,
    milestones: Vec<MilestoneForm>,
    criteria: Vec<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    // Rows carry a stable key: it names their inputs (`form[milestones][7][due]`), and the
    // server orders the rows by it, so removing one never renumbers the others.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let milestone_rows: Vec<(usize, MilestoneForm)> = milestones
        .into_iter()
        .chain(std::iter::repeat_with(MilestoneForm::default).take(BLANK_ROWS))
        .enumerate()
        .collect();
    let next_milestone = StoredValue::new(milestone_rows.len());
    let milestone_rows = RwSignal::new(milestone_rows);
    let criterion_rows: Vec<(usize, String)> = criteria
        .into_iter()
        .chain(std::iter::repeat_with(String::new).take(BLANK_ROWS))
        .enumerate()
        .collect();
    let next_criterion = StoredValue::new(criterion_rows.len());
    let criterion_rows = RwSignal::new(criterion_rows);

    view! {
        <fieldset class="wide item-rows" aria-describedby=format!("{id_prefix}-milestones-error")>
            <legend>"推进目标(节点日期、目标,节点目标值可空)"</legend>
            <For
                each=move || milestone_rows.get()
                key=|(k, _)| *k
                children=move |(k, m)| {
                    view! {
                        <div class="item-row milestone-row">
                            <input
                                type="date"
                                name=format!("{root}[milestones][{k}][due]")
                                value=m.due
                                aria-label="节点日期"
                            />
                            <input
                                name=format!("{root}[milestones][{k}][title]")
                                value=m.title
                                aria-label="节点目标"
                                placeholder="节点目标,如 6个试点小区完成组建"
                            />
                            <input
                                class="target"
                                name=format!("{root}[milestones][{k}][target]")
                                value=m.target
                                inputmode="numeric"
                                aria-label="节点目标值(%)"
                                placeholder="目标%"
                            />
                            <input
                                type="hidden"
                                name=format!("{root}[milestones][{k}][done_on]")
                                value=m.done_on
                            />
                            <RemoveRow
                                hydrated
                                remove=move || milestone_rows.update(|rows| rows.retain(|(x, _)| *x != k))
                            />
                        </div>
                    }
                }
            />
            <AddRow
                hydrated
                label="+ 添加推进目标"
                add=move || {
                    let k = next_milestone.get_value();
                    next_milestone.set_value(k + 1);
                    milestone_rows.update(|rows| rows.push((k, MilestoneForm::default())));
                }
            />
            <FieldErrors error field="milestones" id=format!("{id_prefix}-milestones-error") />
        </fieldset>
        <fieldset class="wide item-rows" aria-describedby=format!("{id_prefix}-criteria-error")>
            <legend>"验收标准(逐条填写)"</legend>
            <For
                each=move || criterion_rows.get()
                key=|(k, _)| *k
                children=move |(k, text)| {
                    view! {
                        <div class="item-row criterion-row">
                            <input
                                name=format!("{root}[criteria][{k}]")
                                value=text
                                aria-label="验收标准"
                                placeholder="一条可核验的标准,如 物业小区党组织覆盖率100%"
                            />
                            <RemoveRow
                                hydrated
                                remove=move || criterion_rows.update(|rows| rows.retain(|(x, _)| *x != k))
                            />
                        </div>
                    }
                }
            />
            <AddRow
                hydrated
                label="+ 添加验收标准"
                add=move || {
                    let k = next_criterion.get_value();
                    next_criterion.set_value(k + 1);
                    criterion_rows.update(|rows| rows.push((k, String::new())));
                }
            />
            <FieldErrors error field="criteria" id=format!("{id_prefix}-criteria-error") />
        </fieldset>
    }
}

/// 删除 for one row; only once hydrated (without JavaScript a row is emptied instead).
#[component]
fn RemoveRow(
    hydrated: RwSignal<bool>,
    remove: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        hydrated.get().then(|| {
            view! {
                <button type="button" class="link-button remove-row" on:click=move |_| remove()>
                    "删除"
                </button>
            }
        })
    }
}

/// 添加 a row; only once hydrated (without JavaScript the blank rows are there already).
#[component]
fn AddRow(
    hydrated: RwSignal<bool>,
    label: &'static str,
    add: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        hydrated.get().then(|| {
            view! {
                <button type="button" class="secondary add-row" on:click=move |_| add()>
                    {label}
                </button>
            }
        })
    }
}
