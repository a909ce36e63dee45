//! 批示与意见 on the task page: leaders' 批示 with the lead unit's replies (落实情况) under each,
//! and remarks; the forms each reader may use. Plain forms: they work without JavaScript.

use super::{FieldErrors, FormError};
use crate::api::comments::AddComment;
use crate::domain::comment::{CommentKind, TaskComment};
use crate::domain::policy::{self, TaskFacts};
use crate::domain::{Actor, TaskId, TaskStatus, UnitId};
use crate::ui::format::time_zh;
use crate::ui::refetch::saved;
use leptos::prelude::*;

/// The section. Shown when there is an entry, or the reader may write one.
#[component]
pub fn CommentsSection(
    task: TaskId,
    status: TaskStatus,
    lead_unit: Option<UnitId>,
    comments: Vec<TaskComment>,
    reader: Option<Actor>,
    action: ServerAction<AddComment>,
) -> impl IntoView {
    let facts = TaskFacts {
        status,
        lead_unit: lead_unit.as_ref(),
    };
    let may = |kind, to_instruction| {
        reader
            .as_ref()
            .is_some_and(|a| policy::check_comment(a, kind, facts, to_instruction).is_ok())
    };
    let may_instruct = may(CommentKind::Instruction, false);
    let may_reply = may(CommentKind::Reply, true);
    let may_comment = may(CommentKind::Comment, false);
    if comments.is_empty() && !may_instruct && !may_comment {
        return None;
    }
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let (threads, remarks): (Vec<TaskComment>, Vec<TaskComment>) = comments
        .iter()
        .filter(|c| c.kind != CommentKind::Reply)
        .cloned()
        .partition(|c| c.kind == CommentKind::Instruction);
    let replies = StoredValue::new(
        comments
            .into_iter()
            .filter(|c| c.kind == CommentKind::Reply)
            .collect::<Vec<_>>(),
    );
    // The page re-renders into the same elements, which would keep the text just sent: empty
    // the fields after each successful write.
    let written = saved(action);
    let cleared = move || {
        written.get();
        String::new()
    };
    let task_id = task.to_string();
    let new_kind = if may_instruct {
        "instruction"
    } else {
        "comment"
    };
    Some(
        view! {
            <section class="detail-section comments" id="comments" aria-label="批示与意见">
                <h2>"批示与意见"</h2>
                <FormError error />
                <ol class="instructions">
                    {threads
                        .into_iter()
                        .map(|i| {
                            let id = i.id.clone();
                            let answers: Vec<TaskComment> = replies.with_value(|r| {
                                r.iter().filter(|c| c.reply_to.as_ref() == Some(&id)).cloned().collect()
                            });
                            let task_id = task_id.clone();
                            view! {
                                <li class="instruction">
                                    <Entry comment=i label="领导批示" />
                                    <ol class="replies">
                                        {answers.into_iter().map(|a| view! { <li><Entry comment=a label="落实情况" /></li> }).collect_view()}
                                    </ol>
                                    {may_reply.then(|| view! {
                                        <ActionForm action attr:class="reply-form">
                                            <input type="hidden" name="id" value=task_id />
                                            <input type="hidden" name="kind" value="reply" />
                                            <input type="hidden" name="reply_to" value=id.to_string() />
                                            <label>
                                                "回复落实情况"
                                                <textarea name="body" rows="2" required minlength="2" maxlength="1000" prop:value=cleared></textarea>
                                            </label>
                                            <button type="submit">"回复"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <ol class="remarks">
                    {remarks.into_iter().map(|c| view! { <li><Entry comment=c label="意见" /></li> }).collect_view()}
                </ol>
                {(may_instruct || may_comment).then(|| view! {
                    <ActionForm action attr:class="comment-form">
                        <input type="hidden" name="id" value=task.to_string() />
                        <input type="hidden" name="kind" value=new_kind />
                        <label>
                            {if may_instruct { "批示" } else { "发表意见" }}
                            <textarea
                                name="body"
                                rows="2"
                                required
                                minlength="2"
                                maxlength="1000"
                                aria-describedby="comment-body-error"
                                prop:value=cleared
                            ></textarea>
                            <FieldErrors error field="body" id="comment-body-error" />
                        </label>
                        <button type="submit">{if may_instruct { "作出批示" } else { "发表" }}</button>
                    </ActionForm>
                })}
            </section>
        }
        .into_any(),
    )
}

/// One entry: who, when, what.
#[component]
fn Entry(comment: TaskComment, label: &'static str) -> impl IntoView {
    let who = match &comment.unit_name {
        Some(unit) => format!("{unit} {}", comment.author),
        None => comment.author.clone(),
    };
    view! {
        <div class=format!("entry entry-{}", comment.kind.code())>
            <header>
                <span class="entry-label">{label}</span>
                <span class="entry-author">{who}</span>
                <time datetime=comment.at.to_rfc3339()>{time_zh(comment.at)}</time>
            </header>
            <p class="entry-body">{comment.body}</p>
        </div>
    }
}
