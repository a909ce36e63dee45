//! An 调整 before and after, row by changed goal: the task's 调整记录 and a 调整申请 show it
//! alike.

use crate::domain::{Adjustment, Milestone};
use crate::ui::format::date_zh;
use leptos::prelude::*;

#[component]
pub fn ChangeTable(change: Adjustment) -> impl IntoView {
    let milestone_lines = |list: Vec<Milestone>| {
        list.into_iter()
            .map(|m| {
                let target = m
                    .target
                    .map(|t| format!("(目标{}%)", t.value()))
                    .unwrap_or_default();
                view! { <li>{format!("{} {}{target}", date_zh(m.due), m.title)}</li> }
            })
            .collect_view()
            .into_any()
    };
    let text_lines = |list: Vec<String>| {
        list.into_iter()
            .map(|t| view! { <li>{t}</li> })
            .collect_view()
            .into_any()
    };
    view! {
        <table class="before-after">
            <thead>
                <tr>
                    <th scope="col">"项目"</th>
                    <th scope="col">"调整前"</th>
                    <th scope="col">"调整后"</th>
                </tr>
            </thead>
            <tbody>
                {change.deadline.map(|c| view! {
                    <tr>
                        <th scope="row">"完成时限"</th>
                        <td><del>{date_zh(c.before)}</del></td>
                        <td><ins>{date_zh(c.after)}</ins></td>
                    </tr>
                }.into_any())}
                {change.milestones.map(|c| view! {
                    <tr>
                        <th scope="row">"推进目标"</th>
                        <td><ol class="plain">{milestone_lines(c.before)}</ol></td>
                        <td><ol class="plain">{milestone_lines(c.after)}</ol></td>
                    </tr>
                }.into_any())}
                {change.criteria.map(|c| view! {
                    <tr>
                        <th scope="row">"验收标准"</th>
                        <td><ol class="plain">{text_lines(c.before)}</ol></td>
                        <td><ol class="plain">{text_lines(c.after)}</ol></td>
                    </tr>
                }.into_any())}
            </tbody>
        </table>
    }
}
