//! Reading a plan's task list as offices keep it (an Excel/WPS 台账 or its CSV): header names
//! find the columns, each row becomes a [`TaskForm`] checked by [`TaskInput::parse`], and every
//! problem is reported with its row and column before anything is written.

use super::error::{FieldError, Problem};
use super::fields::date_any;
use super::ids::{PersonId, UnitId};
use super::task::{MilestoneForm, TaskForm, TaskInput};
use serde::{Deserialize, Serialize};

/// The fields a column can fill, with the header names offices use for them.
const COLUMNS: &[(&str, &[&str])] = &[
    ("number", &["序号", "编号"]),
    ("category", &["类别", "分类", "任务类别"]),
    ("title", &["任务", "任务名称", "重点任务", "工作任务"]),
    ("description", &["任务内容", "主要内容", "具体内容"]),
    ("lead_unit", &["牵头单位", "责任单位"]),
    ("co_units", &["配合单位", "协办单位"]),
    ("owner", &["责任人"]),
    ("post", &["岗位"]),
    ("supervisor", &["分管领导"]),
    (
        "milestones",
        &["推进目标", "推进目标/节点", "节点目标", "时间节点"],
    ),
    ("deadline", &["完成时限", "完成时间"]),
    ("criteria", &["验收标准"]),
    ("key", &["重中之重"]),
];

/// What a 牵头单位 cell says when no unit leads the task yet (as the 台账 writes it).
const UNHELD: [&str; 3] = ["待揭榜", "待定", "无"];
/// The headers of the import template, in order (each field's first name).
pub fn template_headers() -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter_map(|(_, names)| names.first().copied())
        .collect()
}

/// A row whose 序号 says this marks the template's example; it is never imported.
pub const EXAMPLE_MARK: &str = "示例";

/// Most problems reported for one file.
pub const MAX_PROBLEMS: usize = 200;

/// The columns a list must have.
const REQUIRED: &[&str] = &["number", "category", "title", "deadline", "criteria"];

/// One problem of an imported list: where (row as the spreadsheet numbers it, 1-based; the
/// column's header) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    /// The header of the column, as the file has it (or as expected, for a missing column).
    pub column: String,
    pub issue: ImportIssue,
}

/// What is wrong at one place of an imported list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum ImportIssue {
    /// Not a workbook or CSV file this reader knows (or a damaged one).
    Unreadable,
    /// No header row (with at least 任务 and 完成时限) in the first rows.
    NoHeader,
    /// A required column is missing.
    MissingColumn,
    /// The sheet has a header but no task rows.
    NoTasks,
    /// More rows than a list may have.
    TooManyRows { max: u32 },
    /// A workbook that unpacks to more than a list could fill (a compressed "bomb").
    Oversized { max_mb: u32 },
    /// A unit name that no unit has.
    UnknownUnit { name: String },
    /// A person's name that nobody in the units has.
    UnknownPerson { name: String },
    /// A task number used by an earlier row.
    DuplicateNumber,
    /// A milestone line without a date at its start.
    MilestoneWithoutDate { line: String },
    /// A value the task's rules refuse.
    Field { problem: Problem },
}

/// Units and people by name, to resolve the names a list is written with.
pub trait Directory {
    fn unit(&self, name: &str) -> Option<UnitId>;
    fn person(&self, name: &str) -> Option<PersonId>;
}

/// A list's rows, checked: every task in file order, or every problem.
pub fn parse_rows(
    rows: &[Vec<String>],
    plan_year: i32,
    categories: &[String],
    directory: &dyn Directory,
) -> Result<Vec<TaskInput>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let Some((header_at, columns)) = find_header(rows) else {
        return Err(vec![ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::NoHeader,
        }]);
    };
    for field in REQUIRED {
        if !columns.iter().any(|(f, _, _)| f == field) {
            problems.push(ImportProblem {
                row: row_number(header_at),
                column: header_name(field).to_owned(),
                issue: ImportIssue::MissingColumn,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let column_of = |field: &str| columns.iter().find(|(f, _, _)| *f == field);
    let mut tasks = Vec::new();
    let mut numbers: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number_cell = column_of("number").and_then(|(_, index, _)| row.get(*index));
        if number_cell.is_some_and(|n| n.trim() == EXAMPLE_MARK) {
            continue;
        }
        let at = row_number(i);
        let cell = |field: &str| {
            column_of(field)
                .and_then(|(_, index, _)| row.get(*index))
                .map(|c| c.trim().to_owned())
                .unwrap_or_default()
        };
        let header = |field: &str| {
            column_of(field).map_or_else(|| header_name(field).to_owned(), |(_, _, h)| h.clone())
        };
        let mut problem = |field: &str, issue: ImportIssue| {
            problems.push(ImportProblem {
                row: at,
                column: header(field),
                issue,
            });
        };
        let mut unit = |field: &str, name: &str| -> String {
            if name.is_empty() {
                return String::new();
            }
            match directory.unit(name) {
                Some(id) => id.to_string(),
                None => {
                    problem(
                        field,
                        ImportIssue::UnknownUnit {
                            name: name.to_owned(),
                        },
                    );
                    String::new()
                }
            }
        };
        // The 台账 writes 待揭榜 where nobody leads yet; read back, that is no lead unit.
        let lead = cell("lead_unit");
        let lead_unit = if UNHELD.contains(&lead.as_str()) {
            String::new()
        } else {
            unit("lead_unit", &lead)
        };
        let co_units: Vec<String> = split_names(&cell("co_units"))
            .into_iter()
            .map(|n| unit("co_units", &n))
            .collect();
        let mut person = |field: &str| -> String {
            let name = cell(field);
            if name.is_empty() {
                return String::new();
            }
            match directory.person(&name) {
                Some(id) => id.to_string(),
                None => {
                    problems.push(ImportProblem {
                        row: at,
                        column: header(field),
                        issue: ImportIssue::UnknownPerson { name },
                    });
                    String::new()
                }
            }
        };
        let owner = person("owner");
        let supervisor = person("supervisor");
        let mut milestones = Vec::new();
        for line in lines(&cell("milestones")) {
            match milestone(&line) {
                Some(m) => milestones.push(m),
                None => problems.push(ImportProblem {
                    row: at,
                    column: header("milestones"),
                    issue: ImportIssue::MilestoneWithoutDate { line },
                }),
            }
        }
        let deadline_raw = cell("deadline");
        let deadline = date_any(&deadline_raw).map_or(deadline_raw, |d| d.to_string());
        let number = cell("number");
        // Compared as numbers: "1" and "01" are the same task.
        let key = number
            .parse::<u64>()
            .map_or_else(|_| number.clone(), |n| n.to_string());
        if !number.is_empty() && !numbers.insert(key) {
            problems.push(ImportProblem {
                row: at,
                column: header("number"),
                issue: ImportIssue::DuplicateNumber,
            });
        }
        let form = TaskForm {
            number,
            title: cell("title"),
            category: cell("category"),
            description: cell("description"),
            deadline,
            milestones,
            criteria: lines(&cell("criteria")),
            lead_unit,
            co_units,
            owner,
            post: cell("post"),
            supervisor,
            key: matches!(cell("key").as_str(), "是" | "√" | "✓" | "Y" | "y" | "1"),
            focus: false,
        };
        match TaskInput::parse(&form, plan_year, categories, true) {
            Ok(input) => tasks.push(input),
            Err(errors) => {
                for FieldError { field, problem, .. } in errors {
                    problems.push(ImportProblem {
                        row: at,
                        column: header(&field),
                        issue: ImportIssue::Field { problem },
                    });
                }
            }
        }
    }
    if tasks.is_empty() && problems.is_empty() {
        problems.push(ImportProblem {
            row: row_number(header_at + 1),
            column: String::new(),
            issue: ImportIssue::NoTasks,
        });
    }
    if problems.is_empty() {
        Ok(tasks)
    } else {
        // A file that is wrong everywhere is wrong in the same way: the first problems say how.
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

/// The spreadsheet's row number (1-based) of a 0-based index.
pub(crate) fn row_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The first header name a field is known by.
fn header_name(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, names)| names.first().copied())
        .unwrap_or("")
}

/// A found column: the field it fills, its index, and its header as the file writes it.
pub(crate) type Column = (&'static str, usize, String);

/// The header row (one of the first five, so a title row above it is fine) and, per field, its
/// column index and header text.
fn find_header(rows: &[Vec<String>]) -> Option<(usize, Vec<Column>)> {
    find_header_in(rows, COLUMNS, &["title", "deadline"])
}

/// The header row of a list whose fields are named by `table` (field, the header names offices
/// use for it): the first of the first five rows that has every field of `marks`.
pub(crate) fn find_header_in(
    rows: &[Vec<String>],
    table: &[(&'static str, &[&str])],
    marks: &[&str],
) -> Option<(usize, Vec<Column>)> {
    rows.iter().enumerate().take(5).find_map(|(i, row)| {
        let columns: Vec<Column> = row
            .iter()
            .enumerate()
            .filter_map(|(c, text)| {
                let text = text.trim();
                table
                    .iter()
                    .find(|(_, names)| names.contains(&text))
                    .map(|(field, _)| (*field, c, text.to_owned()))
            })
            .collect();
        let has = |f: &str| columns.iter().any(|(field, _, _)| *field == f);
        marks.iter().all(|m| has(m)).then_some((i, columns))
    })
}

/// Lines of a cell, numbering (1. / 1、 / (1) / ①) and blanks removed.
fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(strip_numbering)
        .filter(|l| !l.is_empty())
        .collect()
}

fn strip_numbering(line: &str) -> String {
    let line = line.trim();
    let circled = line.trim_start_matches(|c: char| ('①'..='⑳').contains(&c));
    let rest = if circled.len() != line.len() {
        circled
    } else if let Some(inner) = line.strip_prefix('(').or_else(|| line.strip_prefix('(')) {
        let digits = inner.trim_start_matches(|c: char| c.is_ascii_digit());
        digits
            .strip_prefix(')')
            .or_else(|| digits.strip_prefix(')'))
            .filter(|_| digits.len() != inner.len())
            .unwrap_or(line)
    } else {
        let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
        if digits.len() != line.len() {
            digits
                .strip_prefix('.')
                .or_else(|| digits.strip_prefix('、'))
                .or_else(|| digits.strip_prefix('.'))
                .unwrap_or(line)
        } else {
            line
        }
    };
    rest.trim().to_owned()
}

/// Names in one cell, separated by 、 , ; or new lines.
fn split_names(cell: &str) -> Vec<String> {
    cell.split(['、', ',', ',', ';', ';', '\n'])
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// 推进目标 written one per line (as in a spreadsheet cell or the task form): the rows, or the
/// 0-based indexes of the lines that do not start with a date.
pub fn milestone_lines(text: &str) -> Result<Vec<MilestoneForm>, Vec<usize>> {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in lines(text).iter().enumerate() {
        match milestone(line) {
            Some(m) => rows.push(m),
            None => bad.push(i),
        }
    }
    if bad.is_empty() { Ok(rows) } else { Err(bad) }
}

/// Lines of a text field, numbering and blanks removed (验收标准 one per line).
pub fn item_lines(text: &str) -> Vec<String> {
    lines(text)
}

/// `2022年8月20日 6个试点小区(2022年8月15日完成)` → a milestone row; `None` without a date.
fn milestone(line: &str) -> Option<MilestoneForm> {
    let (date_part, title) = line.split_once(char::is_whitespace)?;
    let due = date_any(date_part).ok()?;
    let mut title = title.trim().to_owned();
    let mut done_on = String::new();
    let mut target = String::new();
    // Up to two notes in brackets at the end, either order: (2022年8月15日完成), (目标60%).
    for _ in 0..2 {
        let Some((inner, start)) = trailing_note(&title) else {
            break;
        };
        if let Some(done) = inner.strip_suffix("完成").and_then(|d| date_any(d).ok()) {
            done_on = done.to_string();
        } else if let Some(percent) = target_note(inner) {
            target = percent;
        } else {
            break;
        }
        title = title[..start].trim().to_owned();
    }
    Some(MilestoneForm {
        title,
        due: due.to_string(),
        done_on,
        target,
    })
}

/// The text inside a bracketed note that ends `title`, and where the note starts.
fn trailing_note(title: &str) -> Option<(&str, usize)> {
    [('(', ')'), ('(', ')')]
        .into_iter()
        .find_map(|(open, close)| {
            let body = title.strip_suffix(close)?;
            let start = body.rfind(open)?;
            Some((&body[start + open.len_utf8()..], start))
        })
}

/// `目标60%`, `目标值60%`, `60%` → `60` (the domain checks the range).
fn target_note(inner: &str) -> Option<String> {
    let n = inner
        .trim()
        .trim_start_matches("节点目标值")
        .trim_start_matches("目标值")
        .trim_start_matches("目标")
        .trim()
        .strip_suffix(['%', '%'])?
        .trim();
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Names(HashMap<&'static str, &'static str>);

    impl Directory for Names {
        fn unit(&self, name: &str) -> Option<UnitId> {
            self.0.get(name).and_then(|k| UnitId::parse(k))
        }
        fn person(&self, name: &str) -> Option<PersonId> {
            self.0.get(name).and_then(|k| PersonId::parse(k))
        }
    }

    fn names() -> Names {
        Names(HashMap::from([
            ("葵涌街道党建办", "kysd"),
            ("南澳街道党建办", "nasd"),
            ("刘强", "p-liuq"),
        ]))
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn sheet(body: &[&[&str]]) -> Vec<Vec<String>> {
        let mut rows = vec![
            row(&["某某台账(截至2022年7月29日)"]),
            row(&[
                "序号",
                "类别",
                "任务",
                "牵头单位",
                "配合单位",
                "责任人",
                "推进目标",
                "完成时限",
                "验收标准",
                "状态",
            ]),
        ];
        rows.extend(body.iter().map(|r| row(r)));
        rows
    }

    fn cats() -> Vec<String> {
        vec!["基层治理".into()]
    }

    #[test]
    fn a_ledger_row_reads_back() {
        let rows = sheet(&[&[
            "1",
            "基层治理",
            "支部建在小区上",
            "葵涌街道党建办",
            "南澳街道党建办",
            "刘强",
            "1. 2022年8月20日 6个试点小区(目标60%)(2022年8月15日完成)\n2. 2022/12/31 物业小区全覆盖(说明)",
            "2022年12月31日",
            "1. 覆盖率100%\n2. 有台账",
            "推进中",
        ]]);
        let tasks = parse_rows(&rows, 2022, &cats(), &names()).expect("clean");
        assert_eq!(
            tasks[0].milestones[0]
                .target
                .map(crate::domain::Percent::value),
            Some(60)
        );
        // A note in brackets that is neither stays part of the title.
        assert_eq!(tasks[0].milestones[1].title, "物业小区全覆盖(说明)");
        assert_eq!(tasks[0].milestones[1].target, None);
        let t = &tasks[0];
        assert_eq!(t.number, 1);
        assert_eq!(t.lead_unit, UnitId::parse("kysd"));
        assert_eq!(t.co_units, vec![UnitId::parse("nasd").expect("id")]);
        assert_eq!(t.owner, PersonId::parse("p-liuq"));
        assert_eq!(t.milestones.len(), 2);
        assert_eq!(t.milestones[0].title, "6个试点小区");
        assert_eq!(
            t.milestones[0].done_on.map(|d| d.to_string()),
            Some("2022-08-15".into())
        );
        assert_eq!(
            t.criteria
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            vec!["覆盖率100%", "有台账"]
        );
    }

    #[test]
    fn every_problem_with_row_and_column() {
        let rows = sheet(&[
            &[
                "1",
                "基层治理",
                "任务一",
                "不存在的单位",
                "",
                "",
                "",
                "2022-12-31",
                "有台账",
                "",
            ],
            &[
                "1",
                "其他",
                "任务二",
                "",
                "",
                "张三",
                "8月底 摸底",
                "2023-06-30",
                "",
                "",
            ],
            &["", "", "", "", "", "", "", "", "", ""],
        ]);
        let problems = parse_rows(&rows, 2022, &cats(), &names()).expect_err("problems");
        let got: Vec<(u32, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "牵头单位"),
                (4, "责任人"),
                (4, "推进目标"),
                (4, "序号"),
                (4, "类别"),
                (4, "完成时限"),
                (4, "验收标准"),
            ],
            "{problems:?}"
        );
        assert_eq!(
            problems[0].issue,
            ImportIssue::UnknownUnit {
                name: "不存在的单位".into()
            }
        );
        assert_eq!(problems[3].issue, ImportIssue::DuplicateNumber);
    }

    #[test]
    fn sheets_without_header_columns_or_tasks() {
        let none = parse_rows(&[row(&["a", "b"])], 2022, &cats(), &names()).expect_err("no header");
        assert_eq!(none[0].issue, ImportIssue::NoHeader);
        let missing = vec![row(&["任务", "完成时限"])];
        let problems = parse_rows(&missing, 2022, &cats(), &names()).expect_err("missing");
        assert_eq!(
            problems
                .iter()
                .map(|p| p.column.as_str())
                .collect::<Vec<_>>(),
            vec!["序号", "类别", "验收标准"]
        );
        let empty = sheet(&[]);
        assert_eq!(
            parse_rows(&empty, 2022, &cats(), &names()).expect_err("empty")[0].issue,
            ImportIssue::NoTasks
        );
    }

    #[test]
    fn the_templates_example_row_is_skipped() {
        let mut rows = sheet(&[&["示例", "基层治理", "x", "", "", "", "", "", "", ""]]);
        rows.push(row(&[
            "1",
            "基层治理",
            "任务一",
            "",
            "",
            "",
            "",
            "2022-12-31",
            "有台账",
            "",
        ]));
        let tasks = parse_rows(&rows, 2022, &cats(), &names()).expect("clean");
        assert_eq!(tasks.len(), 1);
        assert!(template_headers().contains(&"验收标准"));
    }

    #[test]
    fn numbering_is_stripped() {
        for (raw, clean) in [
            ("1. 甲", "甲"),
            ("2、乙", "乙"),
            ("(3)丙", "丙"),
            ("①丁", "丁"),
            ("2022年 x", "2022年 x"),
        ] {
            assert_eq!(strip_numbering(raw), clean);
        }
    }
}
