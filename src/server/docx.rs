//! 会议纪要 and 交办单 as a Word file (.docx) the office can edit and file: A4, 公文-like
//! type (小标宋 title, 黑体 headings, 仿宋 body at 三号, first lines indented two characters).
//! The text is the one the page shows (`ui::minutes`).

use crate::error::AppError;
use crate::ui::minutes::{Minutes, Order};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType,
};

/// Half-points: 二号 22 pt, 三号 16 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
/// Two characters of 三号 type, in twentieths of a point.
const FIRST_LINE: i32 = 640;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// A paragraph of 三号 type, first line indented two characters, 28 pt apart.
fn indented(text: &str, font: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, font, BODY_SIZE))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().line(560))
}

fn body(text: &str) -> Paragraph {
    indented(text, "仿宋_GB2312")
}

fn heading(text: &str) -> Paragraph {
    indented(text, "黑体")
}

fn centered(text: &str, font: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, font, size))
        .align(AlignmentType::Center)
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// The minutes, then each unit's 交办单 on a page of its own.
pub fn minutes_docx(minutes: &Minutes, orders: &[Order]) -> Result<Vec<u8>, AppError> {
    // A4 with the margins of the 公文 standard (37 mm top, 28 mm left, in twips).
    let mut doc = Docx::new().page_size(11906, 16838).page_margin(
        PageMargin::new()
            .top(2098)
            .bottom(1984)
            .left(1587)
            .right(1474),
    );
    doc = doc.add_paragraph(centered(&minutes.title, "方正小标宋简体", TITLE_SIZE));
    if let Some(number) = &minutes.number {
        doc = doc.add_paragraph(centered(number, "仿宋_GB2312", BODY_SIZE));
    }
    doc = doc.add_paragraph(centered(&minutes.subject, "楷体_GB2312", BODY_SIZE));
    for (label, text) in &minutes.facts {
        doc = doc.add_paragraph(body(&format!("{label}:{text}")));
    }
    for section in &minutes.sections {
        doc = doc.add_paragraph(heading(&section.heading));
        for p in &section.paragraphs {
            doc = doc.add_paragraph(body(p));
        }
    }
    for order in orders {
        doc = doc
            .add_paragraph(page_break())
            .add_paragraph(centered("交办单", "方正小标宋简体", TITLE_SIZE))
            .add_paragraph(centered(&minutes.subject, "楷体_GB2312", BODY_SIZE))
            .add_paragraph(body(&format!("{}:", order.unit)));
        for (i, line) in order.lines.iter().enumerate() {
            doc = doc.add_paragraph(body(&format!("{}. {line}", i + 1)));
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| {
        tracing::error!(error = %e, "minutes could not be written as .docx");
        AppError::Internal
    })?;
    Ok(out.into_inner())
}
