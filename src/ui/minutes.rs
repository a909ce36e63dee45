//! 会议纪要 and 交办单 as an office files them, composed once from what the meeting saw and
//! recorded; the page, the printout and the Word file all render this one text.

use super::format::date_zh;
use super::messages;
use crate::domain::meeting::{AgendaRow, MeetingView, Verdict, by_verdict};
use std::collections::HashMap;

/// One part of the minutes: a heading (一、…) and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The minutes: heading, the meeting's particulars, and the parts in filing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    /// 会议纪要
    pub title: String,
    /// 〔2022〕第1期, once published.
    pub number: Option<String>,
    /// The meeting's name, as the subtitle.
    pub subject: String,
    /// 时间, 地点, 主持, 参会, 列席.
    pub facts: Vec<(&'static str, String)>,
    pub sections: Vec<Section>,
}

/// One unit's 交办单: its items, in agenda order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub unit: String,
    pub lines: Vec<String>,
}

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn ordinal(i: usize) -> &'static str {
    ORDINALS.get(i).copied().unwrap_or("十")
}

/// 第N项 as the minutes refer to a task: number and title.
fn task_label(row: &AgendaRow) -> String {
    format!("第{}项 {}", row.task.number, row.task.title)
}

/// What the meeting saw of one task, in a sentence: lead unit, progress against 序时进度, light.
fn standing(row: &AgendaRow) -> String {
    let t = &row.task;
    let lead = t
        .responsibility
        .lead_unit
        .clone()
        .unwrap_or_else(|| "牵头单位待定".to_owned());
    let light = t
        .light
        .map(|l| format!(",{}", messages::light(l)))
        .unwrap_or_default();
    format!(
        "{lead}牵头,完成{}%,序时进度{}%{light}",
        t.percent.value(),
        t.expected
    )
}

/// The decisions about one task: 会议要求 and a fixed 完成时限.
fn decisions(row: &AgendaRow) -> String {
    let Some(record) = &row.record else {
        return String::new();
    };
    let mut text = String::new();
    if !record.requirements.is_empty() {
        text.push_str(&format!("会议要求:{}", record.requirements));
        if !text.ends_with(['。', '!', ';']) {
            text.push('。');
        }
    }
    if let Some(d) = record.deadline {
        text.push_str(&format!("完成时限明确为{}。", date_zh(d)));
    }
    text
}

/// The opening paragraph, drafted from the record (the office may replace it).
pub fn default_overview(view: &MeetingView) -> String {
    let s = &view.meeting.summary;
    let counts: Vec<String> = Verdict::ALL
        .into_iter()
        .filter_map(|v| {
            let n = view
                .rows
                .iter()
                .filter(|r| r.record.as_ref().and_then(|x| x.verdict) == Some(v))
                .count();
            (n > 0).then(|| format!("{}{n}项", messages::verdict(v)))
        })
        .collect();
    let focus = view.rows.iter().filter(|r| r.focus).count();
    let mut text = format!(
        "{}{},{}主持召开{},对《{}》所列{}项任务逐一分析研判",
        date_zh(s.date),
        s.time.format("%H:%M"),
        s.host,
        s.title,
        s.plan_title,
        view.rows.len()
    );
    if !counts.is_empty() {
        text.push_str(&format!(",其中{}", counts.join("、")));
    }
    if focus > 0 {
        text.push_str(&format!(",并对{focus}个项目进行了重点研究"));
    }
    text.push_str(",进一步明确了推进目标、完成时限和验收标准。现将会议议定事项纪要如下。");
    text
}

/// The minutes of a meeting; `overview` is the office's opening text (empty: the drafted one),
/// `number` the filing number once published.
pub fn compose(view: &MeetingView, overview: &str, number: Option<u32>) -> Minutes {
    let s = &view.meeting.summary;
    let mut facts = vec![
        (
            "时间",
            format!("{} {}", date_zh(s.date), s.time.format("%H:%M")),
        ),
        ("地点", s.place.clone()),
        ("主持", s.host.clone()),
    ];
    if !view.meeting.attendees.is_empty() {
        facts.push(("参会", view.meeting.attendees.clone()));
    }
    if !view.meeting.observers.is_empty() {
        facts.push(("列席", view.meeting.observers.clone()));
    }
    let overview = match overview.trim() {
        "" => vec![default_overview(view)],
        text => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let mut sections = vec![Section {
        heading: "会议基本情况".to_owned(),
        paragraphs: overview,
    }];

    // 逐项研判: the tasks grouped by verdict, in agenda order.
    let rows: HashMap<_, _> = view.rows.iter().map(|r| (r.task.id.clone(), r)).collect();
    let verdict_of = |task: &crate::domain::TaskId| {
        rows.get(task)
            .and_then(|r| r.record.as_ref())
            .and_then(|r| r.verdict)
    };
    let mut judged = Vec::new();
    for (i, (verdict, items)) in by_verdict(&view.meeting.agenda, verdict_of)
        .into_iter()
        .enumerate()
    {
        let name = verdict.map_or("未作研判", messages::verdict);
        judged.push(format!("({}){name}的任务({}项)", ordinal(i), items.len()));
        for item in items {
            if let Some(row) = rows.get(&item.task) {
                judged.push(format!(
                    "{}。{}。{}",
                    task_label(row),
                    standing(row),
                    decisions(row)
                ));
            }
        }
    }
    sections.push(Section {
        heading: "逐项研判情况".to_owned(),
        paragraphs: judged,
    });

    // 重点研究: each in full — what the meeting saw, what it decided, what it assigned.
    let focus: Vec<&AgendaRow> = view.rows.iter().filter(|r| r.focus).collect();
    if !focus.is_empty() {
        let mut paragraphs = Vec::new();
        for (i, row) in focus.into_iter().enumerate() {
            paragraphs.push(format!("({}){}", ordinal(i), row.task.title));
            paragraphs.push(format!("推进情况:{}。", standing(row)));
            if let Some(latest) = &row.task.latest {
                if !latest.done.is_empty() {
                    paragraphs.push(format!("工作进展:{}", latest.done));
                }
                if !latest.problems.is_empty() {
                    paragraphs.push(format!("存在问题:{}", latest.problems));
                }
            }
            let decided = decisions(row);
            if !decided.is_empty() {
                paragraphs.push(decided);
            }
            for a in view.actions.iter().filter(|a| a.task == row.task.id) {
                paragraphs.push(format!(
                    "交办:{}(责任单位:{},{}前完成)。",
                    a.content,
                    a.unit_name,
                    date_zh(a.due)
                ));
            }
        }
        sections.push(Section {
            heading: "重点研究事项".to_owned(),
            paragraphs,
        });
    }

    // 领导批示 given during the meeting, in the order given.
    let instructions: Vec<String> = view
        .instructions_at_meeting()
        .filter_map(|i| {
            rows.get(&i.task)
                .map(|r| format!("{}:{}批示:{}", task_label(r), i.author, i.body))
        })
        .collect();
    if !instructions.is_empty() {
        sections.push(Section {
            heading: "领导批示".to_owned(),
            paragraphs: instructions,
        });
    }

    // 议定事项: every 交办事项, numbered.
    let agreed: Vec<String> = if view.actions.is_empty() {
        vec!["本次会议未形成交办事项。".to_owned()]
    } else {
        view.actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let task = rows
                    .get(&a.task)
                    .map(|r| format!("({})", task_label(r)))
                    .unwrap_or_default();
                format!(
                    "{}. {}{task}。责任单位:{};完成时限:{}。",
                    i + 1,
                    a.content,
                    a.unit_name,
                    date_zh(a.due)
                )
            })
            .collect()
    };
    sections.push(Section {
        heading: "议定事项".to_owned(),
        paragraphs: agreed,
    });
    for (i, section) in sections.iter_mut().enumerate() {
        section.heading = format!("{}、{}", ordinal(i), section.heading);
    }
    Minutes {
        title: "会议纪要".to_owned(),
        number: number.map(|n| {
            use chrono::Datelike;
            format!("〔{}〕第{n}期", s.date.year())
        }),
        subject: s.title.clone(),
        facts,
        sections,
    }
}

/// The 交办单 of each unit with items from the meeting, units in the order they first appear.
pub fn orders(view: &MeetingView) -> Vec<Order> {
    let mut orders: Vec<Order> = Vec::new();
    let numbers: HashMap<_, _> = view
        .rows
        .iter()
        .map(|r| (r.task.id.clone(), task_label(r)))
        .collect();
    for a in &view.actions {
        let line = format!(
            "{}({}):{},请于{}前完成并反馈办理情况。",
            numbers.get(&a.task).cloned().unwrap_or_default(),
            messages::action_status(a.status),
            a.content,
            date_zh(a.due)
        );
        match orders.iter_mut().find(|o| o.unit == a.unit_name) {
            Some(order) => order.lines.push(line),
            None => orders.push(Order {
                unit: a.unit_name.clone(),
                lines: vec![line],
            }),
        }
    }
    orders
}
