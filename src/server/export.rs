//! The 台账 as files an office keeps: an Excel workbook laid out for printing, and CSV.

use crate::domain::{Ledger, Light};
use crate::error::AppError;
use crate::ui::ledger::{self, COLUMNS, EXPECTED_COLUMN, LIGHT_COLUMN, PERCENT_COLUMN};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Column widths (in characters) for the 18 columns: long text wide, codes narrow.
const WIDTHS: [f64; 18] = [
    5.0, 10.0, 30.0, 14.0, 16.0, 8.0, 14.0, 8.0, 40.0, 14.0, 36.0, 8.0, 8.0, 8.0, 6.0, 36.0, 24.0,
    24.0,
];

fn failed(err: XlsxError) -> AppError {
    tracing::error!(error = %err, "writing the 台账 workbook failed");
    AppError::Internal
}

/// The 台账 as an .xlsx workbook: a title row with the plan and the date, a frozen header,
/// wrapped text, percentages as numbers, the light as a coloured cell, A4 landscape with the
/// header repeated on every printed page.
pub fn ledger_xlsx(ledger: &Ledger) -> Result<Vec<u8>, AppError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("台账").map_err(failed)?;
    let border = |f: Format| {
        f.set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
    };
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header = border(Format::new())
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0x00F2_E6E6));
    let text = border(Format::new())
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let percent = border(Format::new())
        .set_num_format("0%")
        .set_align(FormatAlign::Top);
    let light = |color: u32, font: u32| {
        border(Format::new())
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(color))
            .set_font_color(Color::RGB(font))
    };
    let (red, yellow, green) = (
        light(0x00C6_2828, 0x00FF_FFFF),
        light(0x00F9_A825, 0x0000_0000),
        light(0x002E_7D32, 0x00FF_FFFF),
    );
    let last_col = u16::try_from(COLUMNS.len() - 1).unwrap_or(0);
    sheet
        .merge_range(
            0,
            0,
            0,
            last_col,
            &ledger::title(&ledger.plan.title, ledger.as_of),
            &title,
        )
        .map_err(failed)?;
    sheet.set_row_height(0, 30).map_err(failed)?;
    for (col, name) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(0);
        sheet
            .write_string_with_format(1, col, *name, &header)
            .map_err(failed)?;
        sheet
            .set_column_width(col, WIDTHS.get(usize::from(col)).copied().unwrap_or(12.0))
            .map_err(failed)?;
    }
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
    sheet.set_landscape();
    // 9: A4.
    sheet.set_paper_size(9);
    sheet.set_footer("&C第 &P 页,共 &N 页");
    workbook.save_to_buffer().map_err(failed)
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
            write(&mut writer, &ledger::cells(row))?;
        }
        writer.flush().map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}
