use super::{LightBadge, ProgressBar, StatusBadge};
use crate::domain::BoardTask;
use crate::ui::format::date_zh;
use leptos::prelude::*;

/// One task on the board grid.
#[component]
pub fn TaskCard(task: BoardTask) -> impl IntoView {
    let href = format!("/tasks/{}", task.id);
    let lead = task.lead_unit.unwrap_or_else(|| "待揭榜".to_owned());
    // Finished tasks (待验收, 已销号) wear their own colour, not a light.
    let finished = task.status.is_finished();
    let light = task.light.filter(|_| !finished);
    let light_class = if finished {
        "finished"
    } else {
        light.map_or("none", |l| l.code())
    };
    view! {
        <li
            class=format!("task-card status-{} light-{light_class}", task.status.code())
            data-number=task.number
            data-light=light_class
        >
            <a class="task-link" href=href>
                <span class="task-number" aria-label=format!("第{}项", task.number)>
                    {task.number}
                </span>
                <span class="task-title">{task.title}</span>
            </a>
            <dl class="task-facts">
                <div>
                    <dt>"牵头单位"</dt>
                    <dd class="task-lead">{lead}</dd>
                </div>
                {task
                    .owner
                    .map(|owner| {
                        view! {
                            <div>
                                <dt>"责任人"</dt>
                                <dd>{owner}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"完成时限"</dt>
                    <dd>
                        <time datetime=task.deadline.to_string()>{date_zh(task.deadline)}</time>
                    </dd>
                </div>
            </dl>
            <div class="task-foot">
                <LightBadge light expected=task.expected reason=task.reason />
                <StatusBadge status=task.status />
                {task.claim_overdue.then(|| view! { <span class="overdue-badge">"揭榜超期"</span> })}
                {task.days_waiting.map(|d| view! { <span class="waiting-badge">{crate::ui::messages::days_waiting(d)}</span> })}
                {task.awaiting_signoff.then(|| view! { <span class="waiting-badge">"待审定"</span> })}
                {task.key.then(|| view! { <span class="key-badge">"重中之重"</span> })}
                {task.focus.then(|| view! { <span class="focus-badge">"重点讨论"</span> })}
                <ProgressBar percent=task.percent />
            </div>
        </li>
    }
}
