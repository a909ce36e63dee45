//! The 台账 as files an office keeps: an Excel workbook laid out for printing, and CSV.

use crate::domain::import::{EXAMPLE_MARK, template_headers};
use crate::domain::{Ledger, Light, PlanSummary, Unit};
use crate::error::AppError;
use crate::ui::ledger::{self, COLUMNS, EXPECTED_COLUMN, LIGHT_COLUMN, PERCENT_COLUMN};
use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

/// Column widths (in characters) for the 18 columns: long text wide, codes narrow.
const WIDTHS: [f64; 18] = [
    5.0, 10.0, 30.0, 14.0, 16.0, 8.0, 14.0, 8.0, 40.0, 14.0, 36.0, 8.0, 8.0, 8.0, 6.0, 36.0, 24.0,
    24.0,
];

/// The cell formats the office's workbooks share: a title, shaded headers, bordered wrapped
/// text, numbers and percentages, and the lights as coloured cells.
struct Formats {
    title: Format,
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
    red: Format,
    yellow: Format,
    green: Format,
}

impl Formats {
    fn new() -> Self {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        let light = |color: u32, font: u32| {
            border(Format::new())
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(color))
                .set_font_color(Color::RGB(font))
        };
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: border(Format::new())
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0x00F2_E6E6)),
            text: border(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            number: border(Format::new()).set_align(FormatAlign::Top),
            percent: border(Format::new())
                .set_num_format("0%")
                .set_align(FormatAlign::Top),
            red: light(0x00C6_2828, 0x00FF_FFFF),
            yellow: light(0x00F9_A825, 0x0000_0000),
            green: light(0x002E_7D32, 0x00FF_FFFF),
        }
    }
}

fn failed(err: XlsxError) -> AppError {
    tracing::error!(error = %err, "writing the 台账 workbook failed");
    AppError::Internal
}

/// A4 landscape with 第 N 页,共 M 页 in the footer: how every sheet an office prints is set up.
fn a4_landscape(sheet: &mut Worksheet) {
    sheet.set_landscape();
    // 9: A4.
    sheet.set_paper_size(9);
    sheet.set_footer("&C第 &P 页,共 &N 页");
}

/// The sheet's title, merged across its `columns` columns in row 0.
fn title_row(
    sheet: &mut Worksheet,
    text: &str,
    columns: usize,
    format: &Format,
) -> Result<(), AppError> {
    let last = u16::try_from(columns.saturating_sub(1)).unwrap_or(0);
    sheet
        .merge_range(0, 0, 0, last, text, format)
        .map_err(failed)?;
    sheet.set_row_height(0, 30).map_err(failed)?;
    Ok(())
}

/// The shaded header `row`: each column's name and width (in characters).
fn header_row(
    sheet: &mut Worksheet,
    row: u32,
    columns: &[(&str, f64)],
    format: &Format,
) -> Result<(), AppError> {
    for (c, (name, width)) in columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        sheet
            .write_string_with_format(row, c, *name, format)
            .map_err(failed)?;
        sheet.set_column_width(c, *width).map_err(failed)?;
    }
    Ok(())
}

/// The 台账 as an .xlsx workbook: a title row with the plan and the date, a frozen header,
/// wrapped text, percentages as numbers, the light as a coloured cell, A4 landscape with the
/// header repeated on every printed page.
pub fn ledger_xlsx(ledger: &Ledger) -> Result<Vec<u8>, AppError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("台账").map_err(failed)?;
    let Formats {
        title,
        header,
        text,
        percent,
        red,
        yellow,
        green,
        ..
    } = Formats::new();
    title_row(
        sheet,
        &ledger::title(&ledger.plan.title, ledger.as_of),
        COLUMNS.len(),
        &title,
    )?;
    let columns: Vec<(&str, f64)> = COLUMNS
        .iter()
        .zip(WIDTHS.iter().copied().chain(std::iter::repeat(12.0)))
        .map(|(name, width)| (*name, width))
        .collect();
    header_row(sheet, 1, &columns, &header)?;
    for (i, row) in ledger.rows.iter().enumerate() {
        let r = u32::try_from(i + 2).map_err(|_| AppError::Internal)?;
        for (c, cell) in ledger::cells(row).into_iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(0);
            match c {
                PERCENT_COLUMN => sheet.write_number_with_format(
                    r,
                    col,
                    f64::from(row.percent.value()) / 100.0,
                    &percent,
                ),
                EXPECTED_COLUMN => sheet.write_number_with_format(
                    r,
                    col,
                    f64::from(row.expected) / 100.0,
                    &percent,
                ),
                LIGHT_COLUMN => {
                    let format = match row.light {
                        Some(Light::Red) => &red,
                        Some(Light::Yellow) => &yellow,
                        Some(Light::Green) => &green,
                        None => &text,
                    };
                    sheet.write_string_with_format(r, col, cell, format)
                }
                _ => sheet.write_string_with_format(r, col, cell, &text),
            }
            .map_err(failed)?;
        }
    }
    sheet.set_freeze_panes(2, 3).map_err(failed)?;
    sheet.set_repeat_rows(1, 1).map_err(failed)?;
    a4_landscape(sheet);
    workbook.save_to_buffer().map_err(failed)
}

/// A cell that a spreadsheet would read as a formula (reports are typed by many people) gets a
/// leading apostrophe, so opening the CSV never runs anything.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The 台账 as CSV (UTF-8 with a byte-order mark, which Excel and WPS need to read it as UTF-8).
pub fn ledger_csv(ledger: &Ledger) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let write = |w: &mut csv::Writer<&mut Vec<u8>>, record: &[String]| {
            w.write_record(record).map_err(|e| {
                tracing::error!(error = %e, "writing the 台账 CSV failed");
                AppError::Internal
            })
        };
        let header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        write(&mut writer, &header)?;
        for row in &ledger.rows {
            let cells: Vec<String> = ledger::cells(row).iter().map(|c| defuse(c)).collect();
            write(&mut writer, &cells)?;
        }
        writer.flush().map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}

/// The import template of a plan: the header row, one example row (marked 示例, never
/// imported), drop-down lists of the plan's categories and of the units, and a sheet of notes.
pub fn import_template(plan: &PlanSummary, units: &[Unit]) -> Result<Vec<u8>, AppError> {
    let headers = template_headers();
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0x00F2_E6E6));
    let example = Format::new()
        .set_font_color(Color::RGB(0x0080_8080))
        .set_text_wrap();
    let year = plan.year;
    let sample = |h: &str| -> String {
        match h {
            "序号" => EXAMPLE_MARK.to_owned(),
            "类别" => plan.categories.first().cloned().unwrap_or_default(),
            "任务" => "推进“支部建在小区上”".to_owned(),
            "任务内容" => "在物业小区成立党支部,建立三方联动机制".to_owned(),
            "牵头单位" => units.first().map(|u| u.name.clone()).unwrap_or_default(),
            "推进目标" => {
                format!("{year}年8月20日 6个试点小区\n{year}年12月31日 物业小区全覆盖")
            }
            "完成时限" => format!("{year}年12月31日"),
            "验收标准" => "物业小区党组织覆盖率100%\n有会议记录和台账".to_owned(),
            "重中之重" => "否".to_owned(),
            _ => String::new(),
        }
    };
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("任务清单").map_err(failed)?;
        for (c, h) in headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(0);
            sheet
                .write_string_with_format(0, col, *h, &header)
                .map_err(failed)?;
            sheet
                .write_string_with_format(1, col, sample(h), &example)
                .map_err(failed)?;
            let width = match *h {
                "任务" | "任务内容" | "推进目标" | "验收标准" => 36.0,
                "牵头单位" | "配合单位" => 18.0,
                _ => 10.0,
            };
            sheet.set_column_width(col, width).map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        let col_of = |name: &str| {
            headers
                .iter()
                .position(|h| *h == name)
                .and_then(|i| u16::try_from(i).ok())
        };
        let lists = [
            ("类别", "A", plan.categories.len()),
            ("牵头单位", "B", units.len()),
        ];
        for (name, letter, count) in lists {
            if let (Some(col), true) = (col_of(name), count > 0) {
                let list = DataValidation::new().allow_list_formula(Formula::new(format!(
                    "=选项!${letter}$1:${letter}${count}"
                )));
                sheet
                    .add_data_validation(1, col, 5000, col, &list)
                    .map_err(failed)?;
            }
        }
        if let Some(col) = col_of("重中之重") {
            let yes_no = DataValidation::new()
                .allow_list_strings(&["是", "否"])
                .map_err(failed)?;
            sheet
                .add_data_validation(1, col, 5000, col, &yes_no)
                .map_err(failed)?;
        }
    }
    {
        let notes = workbook.add_worksheet();
        notes.set_name("填写说明").map_err(failed)?;
        notes.set_column_width(0, 100).map_err(failed)?;
        let lines = [
            format!("{}:导入说明", plan.title),
            "1. 在“任务清单”表第 2 行起每行填写一项任务;标“示例”的行不会导入,可删除。".to_owned(),
            "2. 必填列:序号(从 1 起连续)、类别、任务、完成时限、验收标准。".to_owned(),
            "3. 类别、牵头单位请从下拉列表中选择;配合单位可填多个,用“、”分隔。".to_owned(),
            "4. 推进目标、验收标准在单元格内每行一条(Alt+Enter 换行);推进目标以日期开头,如“2022年8月20日 6个试点小区”。".to_owned(),
            "5. 日期可写作 2022-08-20、2022/8/20 或 2022年8月20日,也可使用 Excel 日期格式。".to_owned(),
            "6. 责任人、分管领导填写姓名,须已在“单位与人员”中登记。".to_owned(),
            "7. 导入时会一次列出全部问题(行号、列名);改正后重新导入,草稿中的任务将整体替换。".to_owned(),
        ];
        for (i, line) in lines.iter().enumerate() {
            let row = u32::try_from(i).unwrap_or(0);
            notes.write_string(row, 0, line.as_str()).map_err(failed)?;
        }
    }
    {
        let options = workbook.add_worksheet();
        options.set_name("选项").map_err(failed)?;
        for (i, c) in plan.categories.iter().enumerate() {
            options
                .write_string(u32::try_from(i).unwrap_or(0), 0, c.as_str())
                .map_err(failed)?;
        }
        for (i, u) in units.iter().enumerate() {
            options
                .write_string(u32::try_from(i).unwrap_or(0), 1, u.name.as_str())
                .map_err(failed)?;
        }
        options.set_hidden(true);
    }
    workbook.save_to_buffer().map_err(failed)
}

/// The 督办通报 as a workbook: 总体情况 (the counts, and unit by unit) and 红黄灯任务 (every red
/// and yellow task with its reason and what was done to press it), A4 landscape.
pub fn bulletin_xlsx(b: &crate::domain::bulletin::Bulletin) -> Result<Vec<u8>, AppError> {
    use crate::ui::bulletin::{issue_line, pressed_line, title};
    let mut workbook = Workbook::new();
    let Formats {
        title: heading,
        header,
        text,
        number,
        percent,
        red,
        yellow,
        ..
    } = Formats::new();

    // 总体情况: the counts, then one line per lead unit.
    let sheet = workbook.add_worksheet();
    sheet.set_name("总体情况").map_err(failed)?;
    let columns = [
        "牵头单位",
        "任务数",
        "绿灯",
        "黄灯",
        "红灯",
        "待验收",
        "已销号",
        "未启动",
        "撤项",
        "完成率",
    ];
    title_row(sheet, &title(b), columns.len(), &heading)?;
    let last = u16::try_from(columns.len() - 1).unwrap_or(0);
    sheet
        .merge_range(
            1,
            0,
            1,
            last,
            &issue_line(b),
            &Format::new().set_align(FormatAlign::Center),
        )
        .map_err(failed)?;
    let columns: Vec<(&str, f64)> = columns
        .iter()
        .enumerate()
        .map(|(c, name)| (*name, if c == 0 { 26.0 } else { 9.0 }))
        .collect();
    header_row(sheet, 2, &columns, &header)?;
    let lines = b
        .units
        .iter()
        .map(|u| {
            (
                u.unit
                    .clone()
                    .unwrap_or_else(|| "(待揭榜,未定牵头单位)".to_owned()),
                u.tally,
            )
        })
        .chain(std::iter::once(("合计".to_owned(), b.totals)));
    for (i, (unit, t)) in lines.enumerate() {
        let r = u32::try_from(i + 3).map_err(|_| AppError::Internal)?;
        sheet
            .write_string_with_format(r, 0, &unit, &text)
            .map_err(failed)?;
        let counts = [
            t.total,
            t.green,
            t.yellow,
            t.red,
            t.submitted,
            t.accepted,
            t.waiting,
            t.cancelled,
        ];
        for (c, n) in counts.into_iter().enumerate() {
            let c = u16::try_from(c + 1).unwrap_or(0);
            sheet
                .write_number_with_format(r, c, f64::from(n), &number)
                .map_err(failed)?;
        }
        sheet
            .write_number_with_format(r, last, f64::from(t.completion()) / 100.0, &percent)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(3, 1).map_err(failed)?;
    a4_landscape(sheet);

    // 红黄灯任务: each with its reason and the 催办 and 督办单 behind it.
    let sheet = workbook.add_worksheet();
    sheet.set_name("红黄灯任务").map_err(failed)?;
    let columns = [
        ("序号", 6.0),
        ("任务", 30.0),
        ("牵头单位", 16.0),
        ("责任人", 10.0),
        ("完成进度", 9.0),
        ("序时进度", 9.0),
        ("灯", 6.0),
        ("原因", 30.0),
        ("完成时限", 14.0),
        ("催办、督办情况", 60.0),
    ];
    header_row(sheet, 0, &columns, &header)?;
    let flagged = b
        .red
        .iter()
        .map(|f| (f, &red, "红"))
        .chain(b.yellow.iter().map(|f| (f, &yellow, "黄")));
    for (i, (f, format, word)) in flagged.enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| AppError::Internal)?;
        let t = &f.task;
        let history = if f.pressed.is_empty() {
            "尚未催办".to_owned()
        } else {
            f.pressed
                .iter()
                .map(|s| pressed_line(s, b.as_of))
                .collect::<Vec<_>>()
                .join("\n")
        };
        sheet
            .write_number_with_format(r, 0, f64::from(t.number), &number)
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 1, defuse(&t.title), &text)
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 2, defuse(t.lead_unit.as_deref().unwrap_or("")), &text)
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 3, defuse(t.owner.as_deref().unwrap_or("")), &text)
            .map_err(failed)?;
        sheet
            .write_number_with_format(r, 4, f64::from(t.percent.value()) / 100.0, &percent)
            .map_err(failed)?;
        sheet
            .write_number_with_format(r, 5, f64::from(t.expected) / 100.0, &percent)
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 6, word, format)
            .map_err(failed)?;
        sheet
            .write_string_with_format(
                r,
                7,
                t.reason
                    .map(crate::ui::messages::light_reason)
                    .unwrap_or_default(),
                &text,
            )
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 8, crate::ui::format::date_zh(t.deadline), &text)
            .map_err(failed)?;
        sheet
            .write_string_with_format(r, 9, defuse(&history), &text)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(1, 2).map_err(failed)?;
    sheet.set_repeat_rows(0, 0).map_err(failed)?;
    a4_landscape(sheet);
    workbook.save_to_buffer().map_err(failed)
}

/// The 量化考评 ranking as an .xlsx workbook for the 述职评议 pack: 排名 (one row per unit, the
/// items as numbers with two decimals) and 明细 (one row per task line, with why each item has
/// its points). A4 landscape, headers repeated on every printed page.
pub fn ranking_xlsx(r: &crate::domain::score::Ranking) -> Result<Vec<u8>, AppError> {
    use crate::domain::score::{Deduction, Points};
    use crate::ui::messages;
    let mut workbook = Workbook::new();
    let Formats {
        title: heading,
        header,
        text,
        number,
        ..
    } = Formats::new();
    let points = number.clone().set_num_format("0.00");
    let value = |p: Points| p.0 as f64 / 100.0;
    let title = format!(
        "{} 量化考评排名(截至{},{})",
        r.plan.title,
        crate::ui::format::date_zh(r.as_of),
        messages::rank_group(r.group)
    );
    let rubric = r.rubric;

    let sheet = workbook.add_worksheet();
    sheet.set_name("排名").map_err(failed)?;
    let names = [
        "名次".to_owned(),
        "单位".to_owned(),
        "类别".to_owned(),
        "牵头任务".to_owned(),
        "配合任务".to_owned(),
        format!("按期完成({})", rubric.on_time),
        format!("报送及时({})", rubric.reporting),
        format!("完成质量({})", rubric.quality),
        format!("创新特色({})", rubric.innovation),
        "扣分".to_owned(),
        "积分加减".to_owned(),
        "总分".to_owned(),
    ];
    let columns: Vec<(&str, f64)> = names
        .iter()
        .enumerate()
        .map(|(c, n)| (n.as_str(), if c == 1 { 22.0 } else { 11.0 }))
        .collect();
    title_row(sheet, &title, columns.len(), &heading)?;
    header_row(sheet, 1, &columns, &header)?;
    for (i, s) in r.scores.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|_| AppError::Internal)?;
        let place = crate::ui::scores::place(s);
        sheet
            .write_string_with_format(row, 0, &place, &text)
            .map_err(failed)?;
        sheet
            .write_string_with_format(row, 1, &s.unit.name, &text)
            .map_err(failed)?;
        sheet
            .write_string_with_format(row, 2, messages::unit_kind(s.unit.kind), &text)
            .map_err(failed)?;
        sheet
            .write_number_with_format(row, 3, s.lead_tasks() as f64, &number)
            .map_err(failed)?;
        sheet
            .write_number_with_format(row, 4, s.co_tasks() as f64, &number)
            .map_err(failed)?;
        let items = [Some(s.on_time), Some(s.reporting), s.quality, s.innovation];
        for (k, item) in items.into_iter().enumerate() {
            let col = u16::try_from(5 + k).unwrap_or(0);
            match item {
                Some(p) => sheet.write_number_with_format(row, col, value(p), &points),
                None => {
                    sheet.write_string_with_format(row, col, crate::ui::scores::NOT_JUDGED, &text)
                }
            }
            .map_err(failed)?;
        }
        sheet
            .write_number_with_format(row, 9, value(s.deductions), &points)
            .map_err(failed)?;
        sheet
            .write_number_with_format(row, 10, value(s.adjustment), &points)
            .map_err(failed)?;
        sheet
            .write_number_with_format(row, 11, value(s.total), &points)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(2, 2).map_err(failed)?;
    sheet.set_repeat_rows(1, 1).map_err(failed)?;
    a4_landscape(sheet);

    let sheet = workbook.add_worksheet();
    sheet.set_name("明细").map_err(failed)?;
    let columns = [
        ("单位", 18.0),
        ("序号", 6.0),
        ("任务", 32.0),
        ("承担", 6.0),
        ("权重(%)", 8.0),
        ("按期完成", 9.0),
        ("按期完成依据", 30.0),
        ("报送及时", 9.0),
        ("报送及时依据", 30.0),
        ("完成质量", 9.0),
        ("创新特色", 9.0),
        ("扣分", 8.0),
        ("扣分依据", 30.0),
        ("得分", 8.0),
    ];
    title_row(sheet, &format!("{title} · 明细"), columns.len(), &heading)?;
    header_row(sheet, 1, &columns, &header)?;
    let mut row = 2_u32;
    for s in &r.scores {
        for line in &s.lines {
            let off: Points = line.deductions.iter().map(Deduction::points).sum();
            let why: Vec<String> = line.deductions.iter().map(messages::deduction).collect();
            let part = crate::ui::scores::part(line.part);
            sheet
                .write_string_with_format(row, 0, &s.unit.name, &text)
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 1, f64::from(line.number), &number)
                .map_err(failed)?;
            sheet
                .write_string_with_format(row, 2, defuse(&line.title), &text)
                .map_err(failed)?;
            sheet
                .write_string_with_format(row, 3, part, &text)
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 4, f64::from(line.weight), &number)
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 5, value(line.on_time), &points)
                .map_err(failed)?;
            sheet
                .write_string_with_format(
                    row,
                    6,
                    messages::on_time_basis(line.on_time_basis),
                    &text,
                )
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 7, value(line.reporting), &points)
                .map_err(failed)?;
            sheet
                .write_string_with_format(
                    row,
                    8,
                    messages::reporting_basis(&line.reporting_basis),
                    &text,
                )
                .map_err(failed)?;
            for (col, item) in [(9, line.quality), (10, line.innovation)] {
                match item {
                    Some(p) => sheet.write_number_with_format(row, col, value(p), &points),
                    None => sheet.write_string_with_format(
                        row,
                        col,
                        crate::ui::scores::NOT_JUDGED,
                        &text,
                    ),
                }
                .map_err(failed)?;
            }
            sheet
                .write_number_with_format(row, 11, value(off), &points)
                .map_err(failed)?;
            sheet
                .write_string_with_format(row, 12, why.join(";"), &text)
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 13, value(line.score), &points)
                .map_err(failed)?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(2, 3).map_err(failed)?;
    sheet.set_repeat_rows(1, 1).map_err(failed)?;
    a4_landscape(sheet);
    workbook.save_to_buffer().map_err(failed)
}

/// The 整改台账 as an .xlsx workbook: every item of the list with its source, unit, measures,
/// dates, where it stands and its light, laid out like the 台账 for printing.
pub fn findings_xlsx(list: &crate::domain::rectify::FindingList) -> Result<Vec<u8>, AppError> {
    use crate::ui::format::date_zh;
    use crate::ui::messages;
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let date = f.number.clone().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    sheet.set_name("整改台账").map_err(failed)?;
    let columns = [
        ("序号", 5.0),
        ("问题描述", 36.0),
        ("问题来源", 12.0),
        ("责任单位", 16.0),
        ("责任人", 8.0),
        ("整改措施", 36.0),
        ("发现日期", 11.0),
        ("整改时限", 11.0),
        ("关联任务", 20.0),
        ("整改状态", 9.0),
        ("灯", 5.0),
        ("退回次数", 6.0),
        ("销号日期", 11.0),
    ];
    let title = format!("{} 整改台账(截至{})", list.plan.title, date_zh(list.today));
    title_row(sheet, &title, columns.len(), &f.title)?;
    header_row(sheet, 1, &columns, &f.header)?;
    let excel_date = |d: chrono::NaiveDate| {
        rust_xlsxwriter::ExcelDateTime::from_ymd(
            u16::try_from(chrono::Datelike::year(&d)).unwrap_or(1900),
            u8::try_from(chrono::Datelike::month(&d)).unwrap_or(1),
            u8::try_from(chrono::Datelike::day(&d)).unwrap_or(1),
        )
        .map_err(failed)
    };
    for (i, item) in list.findings.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|_| AppError::Internal)?;
        let task = item
            .task
            .as_ref()
            .map(|(_, n, title)| format!("{n}. {title}"))
            .unwrap_or_default();
        sheet
            .write_number_with_format(row, 0, f64::from(item.number), &f.number)
            .map_err(failed)?;
        let texts = [
            (1, item.problem.as_str()),
            (2, messages::finding_source(item.source)),
            (3, item.unit_name.as_str()),
            (4, item.person.as_str()),
            (5, item.measures.as_str()),
            (8, task.as_str()),
            (9, messages::finding_status(item.status)),
        ];
        for (col, value) in texts {
            sheet
                .write_string_with_format(row, col, value, &f.text)
                .map_err(failed)?;
        }
        sheet
            .write_datetime_with_format(row, 6, excel_date(item.found_on)?, &date)
            .map_err(failed)?;
        sheet
            .write_datetime_with_format(row, 7, excel_date(item.deadline)?, &date)
            .map_err(failed)?;
        match item.light {
            Some(light) => {
                let format = match light {
                    Light::Red => &f.red,
                    Light::Yellow => &f.yellow,
                    Light::Green => &f.green,
                };
                sheet.write_string_with_format(row, 10, messages::light(light), format)
            }
            None => sheet.write_string_with_format(row, 10, "", &f.text),
        }
        .map_err(failed)?;
        sheet
            .write_number_with_format(row, 11, f64::from(item.returned), &f.number)
            .map_err(failed)?;
        match item.closed_on {
            Some(d) => sheet.write_datetime_with_format(row, 12, excel_date(d)?, &date),
            None => sheet.write_string_with_format(row, 12, "", &f.text),
        }
        .map_err(failed)?;
    }
    sheet.set_freeze_panes(2, 2).map_err(failed)?;
    sheet.set_repeat_rows(1, 1).map_err(failed)?;
    a4_landscape(sheet);
    workbook.save_to_buffer().map_err(failed)
}

/// The 季度报送 as an .xlsx workbook: one sheet per part of the pack (概况, 任务进展, 调度会,
/// 催办督办, 问题整改, 量化考评), each titled and set up for A4.
pub fn quarter_xlsx(p: &crate::domain::quarter::QuarterPack) -> Result<Vec<u8>, AppError> {
    use crate::ui::format::date_zh;
    use crate::ui::messages;
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let quarter = ["一", "二", "三", "四"][usize::from(p.quarter.clamp(1, 4) - 1)];
    let title = format!("{} {}年第{}季度报送", p.plan.title, p.plan.year, quarter);
    // Each sheet: its name, title, columns, and rows of cells (text or number).
    enum Cell {
        Text(String),
        Number(f64),
    }
    let mut sheet = |name: &str, columns: &[(&str, f64)], rows: Vec<Vec<Cell>>| {
        let ws = workbook.add_worksheet();
        ws.set_name(name).map_err(failed)?;
        title_row(ws, &format!("{title} · {name}"), columns.len(), &f.title)?;
        header_row(ws, 1, columns, &f.header)?;
        for (r, cells) in rows.into_iter().enumerate() {
            let r = u32::try_from(r + 2).map_err(|_| AppError::Internal)?;
            for (c, cell) in cells.into_iter().enumerate() {
                let c = u16::try_from(c).map_err(|_| AppError::Internal)?;
                match cell {
                    Cell::Text(t) => ws.write_string_with_format(r, c, t, &f.text),
                    Cell::Number(n) => ws.write_number_with_format(r, c, n, &f.number),
                }
                .map_err(failed)?;
            }
        }
        ws.set_repeat_rows(1, 1).map_err(failed)?;
        a4_landscape(ws);
        Ok::<_, AppError>(())
    };
    let text = |s: &str| Cell::Text(s.to_owned());
    let t = p.totals;
    sheet(
        "概况",
        &[("项目", 24.0), ("数量", 10.0)],
        [
            (
                "报告期",
                None,
                format!("{} 至 {}", date_zh(p.from), date_zh(p.to)),
            ),
            ("任务总数", Some(t.total), String::new()),
            ("绿灯", Some(t.green), String::new()),
            ("黄灯", Some(t.yellow), String::new()),
            ("红灯", Some(t.red), String::new()),
            ("待验收", Some(t.submitted), String::new()),
            ("已销号", Some(t.accepted), String::new()),
            ("尚未承接", Some(t.waiting), String::new()),
            ("逾期", Some(t.overdue), String::new()),
            (
                "本季度调度会",
                Some(u32::try_from(p.meetings.len()).unwrap_or(u32::MAX)),
                String::new(),
            ),
            (
                "本季度催办督办",
                Some(u32::try_from(p.supervisions.len()).unwrap_or(u32::MAX)),
                String::new(),
            ),
            ("本季度新发现问题", Some(p.findings.found), String::new()),
            ("本季度整改销号", Some(p.findings.closed), String::new()),
            ("整改中", Some(p.findings.in_hand), String::new()),
            ("待销号", Some(p.findings.submitted), String::new()),
            ("整改逾期", Some(p.findings.overdue), String::new()),
        ]
        .into_iter()
        .map(|(name, n, words)| {
            vec![
                text(name),
                n.map_or_else(|| Cell::Text(words), |n| Cell::Number(f64::from(n))),
            ]
        })
        .collect(),
    )?;
    sheet(
        "任务进展",
        &[
            ("序号", 6.0),
            ("任务", 40.0),
            ("牵头单位", 18.0),
            ("进度(%)", 9.0),
            ("灯", 7.0),
            ("状态", 9.0),
        ],
        p.tasks
            .iter()
            .filter(|t| t.status != crate::domain::TaskStatus::Cancelled)
            .map(|t| {
                let under_way = matches!(
                    t.status,
                    crate::domain::TaskStatus::InProgress | crate::domain::TaskStatus::Returned
                );
                vec![
                    Cell::Number(f64::from(t.number)),
                    text(&t.title),
                    text(t.lead_unit.as_deref().unwrap_or("待揭榜")),
                    Cell::Number(f64::from(t.percent.value())),
                    text(t.light.filter(|_| under_way).map_or("", messages::light)),
                    text(messages::task_status(t.status)),
                ]
            })
            .collect(),
    )?;
    sheet(
        "调度会",
        &[
            ("日期", 14.0),
            ("会议", 36.0),
            ("状态", 10.0),
            ("议题", 8.0),
            ("已研判", 8.0),
        ],
        p.meetings
            .iter()
            .map(|m| {
                vec![
                    text(&date_zh(m.date)),
                    text(&m.title),
                    text(messages::meeting_status(m.status)),
                    Cell::Number(f64::from(m.tasks)),
                    Cell::Number(f64::from(m.judged)),
                ]
            })
            .collect(),
    )?;
    sheet(
        "催办督办",
        &[
            ("日期", 14.0),
            ("方式", 12.0),
            ("主送单位", 18.0),
            ("督办事项", 48.0),
            ("反馈", 8.0),
        ],
        p.supervisions
            .iter()
            .map(|s| {
                vec![
                    text(&date_zh(s.day)),
                    text(messages::supervision_kind(s.kind)),
                    text(&s.unit_name),
                    text(&s.facts),
                    text(if s.feedback.is_some() {
                        "已反馈"
                    } else {
                        "未反馈"
                    }),
                ]
            })
            .collect(),
    )?;
    sheet(
        "问题整改",
        &[
            ("序号", 6.0),
            ("问题", 44.0),
            ("来源", 12.0),
            ("责任单位", 18.0),
            ("整改时限", 14.0),
            ("状态", 9.0),
        ],
        p.open_findings
            .iter()
            .map(|item| {
                vec![
                    Cell::Number(f64::from(item.number)),
                    text(&item.problem),
                    text(messages::finding_source(item.source)),
                    text(&item.unit_name),
                    text(&date_zh(item.deadline)),
                    text(messages::finding_status(item.status)),
                ]
            })
            .collect(),
    )?;
    sheet(
        "量化考评",
        &[("名次", 10.0), ("单位", 22.0), ("得分", 10.0)],
        p.scores
            .iter()
            .map(|s| {
                #[allow(clippy::cast_precision_loss)]
                let total = s.total.0 as f64 / 100.0;
                vec![
                    text(&crate::ui::scores::place(s)),
                    text(&s.unit.name),
                    Cell::Number(total),
                ]
            })
            .collect(),
    )?;
    workbook.save_to_buffer().map_err(failed)
}

/// The format name and version of [`plan_json`]: other tools check it before reading.
pub const PLAN_JSON_FORMAT: &str = "jiebang.plan/1";

/// A plan for other tools (`jiebang export-json`): the plan, every task as the 台账 has it on
/// `ledger.as_of` (定人定岗定责, 推进目标, 验收标准, status, progress, light), and every 报送ed
/// report with its evidence files named by SHA-256. Dates are ISO 8601; codes are the
/// domain's (`in_progress`, `red` …), not display words.
pub fn plan_json(
    ledger: &Ledger,
    reports: &[crate::domain::ProgressReport],
    exported_at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, AppError> {
    #[derive(serde::Serialize)]
    struct PlanExport<'a> {
        format: &'static str,
        exported_at: chrono::DateTime<chrono::Utc>,
        #[serde(flatten)]
        ledger: &'a Ledger,
        reports: &'a [crate::domain::ProgressReport],
    }
    serde_json::to_vec_pretty(&PlanExport {
        format: PLAN_JSON_FORMAT,
        exported_at,
        ledger,
        reports,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "plan export failed");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("完成摸底"), "完成摸底");
    }
}
