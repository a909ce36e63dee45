//! The 台账 as text: its columns and each task's cells, worded as the office files it. The
//! server's Excel and CSV writers lay these out; the words live here with the rest of the UI's.

use crate::domain::{LedgerRow, TaskStatus};
use crate::ui::format::{date_zh, join_zh};
use crate::ui::messages;

/// The columns of the 台账, in order.
pub const COLUMNS: [&str; 18] = [
    "序号",
    "类别",
    "任务",
    "牵头单位",
    "配合单位",
    "责任人",
    "岗位",
    "分管领导",
    "推进目标",
    "完成时限",
    "验收标准",
    "状态",
    "完成进度",
    "序时进度",
    "灯",
    "最新进展",
    "存在问题",
    "下步打算",
];

/// Index of the 完成进度 column (a number in the workbook).
pub const PERCENT_COLUMN: usize = 12;
/// Index of the 序时进度 column (a number in the workbook).
pub const EXPECTED_COLUMN: usize = 13;
/// Index of the 灯 column (coloured in the workbook).
pub const LIGHT_COLUMN: usize = 14;

/// A task's cells, one per column. Lists (推进目标, 验收标准) are one item per line.
pub fn cells(row: &LedgerRow) -> [String; 18] {
    let r = &row.responsibility;
    let milestones = row
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let target = m
                .target
                .map(|t| format!("(目标{}%)", t.value()))
                .unwrap_or_default();
            let state = match m.done_on {
                Some(d) => format!("({}完成)", date_zh(d)),
                None => String::new(),
            };
            format!("{}. {} {}{target}{state}", i + 1, date_zh(m.due), m.title)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let criteria = row
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}. {}", i + 1, c.text))
        .collect::<Vec<_>>()
        .join("\n");
    let status = messages::task_status(row.status);
    let light = match (row.light, row.status) {
        (Some(light), _) => messages::light(light),
        (None, TaskStatus::Cancelled) => "—",
        (None, _) => "",
    };
    let latest = row.latest.as_ref();
    [
        row.number.to_string(),
        row.category.clone(),
        row.title.clone(),
        r.lead_unit
            .clone()
            .unwrap_or_else(|| messages::task_status(TaskStatus::Open).to_owned()),
        join_zh(&r.co_units),
        r.owner.clone().unwrap_or_default(),
        r.post.clone(),
        r.supervisor.clone().unwrap_or_default(),
        milestones,
        date_zh(row.deadline),
        criteria,
        status.to_owned(),
        format!("{}%", row.percent.value()),
        format!("{}%", row.expected),
        light.to_owned(),
        latest.map(|l| l.done.clone()).unwrap_or_default(),
        latest.map(|l| l.problems.clone()).unwrap_or_default(),
        latest.map(|l| l.next_steps.clone()).unwrap_or_default(),
    ]
}

/// The 台账's title: the plan's name and the date it stands at.
pub fn title(plan_title: &str, as_of: chrono::NaiveDate) -> String {
    format!("{plan_title}推进情况台账(截至{})", date_zh(as_of))
}

/// The file name of a download (without extension).
pub fn file_stem(plan_title: &str, as_of: chrono::NaiveDate) -> String {
    format!("{plan_title}台账_{}", as_of.format("%Y%m%d"))
}
