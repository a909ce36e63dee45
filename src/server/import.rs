//! Reading an uploaded task list: Excel/WPS workbooks (.xlsx, .xls) with calamine, CSV in UTF-8
//! or GB18030 (WPS writes both). The cells go to `domain::import` as text, with the row numbers
//! the spreadsheet shows; date cells arrive as `YYYY-MM-DD`.

use super::db::{Db, people, plans, record, tasks, units, write};
use crate::api::plans::ImportAttempt;
use crate::domain::import::{Directory, ImportIssue, ImportProblem, parse_rows};
use crate::domain::policy::Capability;
use crate::domain::unit::UnitName;
use crate::domain::{Actor, Entity, PersonId, PlanId, PlanStatus, Refusal, UnitId, UnitKind};
use crate::error::AppError;
use crate::server::authz::require_actor;
use calamine::{Data, DataType, Reader, open_workbook_auto_from_rs};
use std::collections::HashMap;
use std::io::Cursor;
use surrealdb::types::{RecordId, SurrealValue};

/// A list as read: its rows as text, and how many merged areas had their value spread over
/// every cell they cover (the office is told, so a merged 类别 or 牵头单位 is no surprise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub rows: Vec<Vec<String>>,
    pub merged_areas: usize,
}

/// The first sheet of a workbook, or the rows of a CSV file, as text. A file that is neither
/// is one problem at row 1.
pub fn read_rows(bytes: &[u8]) -> Result<Sheet, ImportProblem> {
    let unreadable = || ImportProblem {
        row: 1,
        column: String::new(),
        issue: ImportIssue::Unreadable,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::NoHeader,
        });
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if zip {
        if !unpacks_within(bytes, MAX_UNPACKED_MB)? {
            return Err(ImportProblem {
                row: 1,
                column: String::new(),
                issue: ImportIssue::Oversized {
                    max_mb: MAX_UNPACKED_MB,
                },
            });
        }
        return read_xlsx(bytes).ok_or_else(unreadable)?;
    }
    if ole {
        let mut workbook =
            open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(unreadable)?
            .map_err(|_| unreadable())?;
        let merges = match &workbook {
            calamine::Sheets::Xls(xls) => xls.merge_cells_by_sheet_id(0).unwrap_or_default(),
            _ => Vec::new(),
        };
        // The range starts at its first used cell; pad so indexes are the sheet's own.
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = Vec::new();
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let at = (
                    top + u32::try_from(r).unwrap_or(u32::MAX),
                    left + u32::try_from(c).unwrap_or(u32::MAX),
                );
                put(&mut rows, at, cell_text(cell))?;
            }
        }
        let merged_areas = spread_merges(&mut rows, &merges)?;
        return Ok(Sheet { rows, merged_areas });
    }
    if bytes.contains(&0) {
        return Err(unreadable());
    }
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| unreadable())?;
        if rows.len() >= MAX_ROWS as usize {
            return Err(ImportProblem {
                row: MAX_ROWS + 1,
                column: String::new(),
                issue: ImportIssue::TooManyRows { max: MAX_ROWS },
            });
        }
        rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(Sheet {
        rows,
        merged_areas: 0,
    })
}

/// Most rows a list may have (a district's list is tens of tasks; 5,000 is accepted).
pub const MAX_ROWS: u32 = 10_000;
/// Columns read; cells further right are ignored (a list has about twenty).
pub const MAX_COLUMNS: u32 = 60;

/// Most megabytes an .xlsx may unpack to. A 5,000-task list is about 3 MB of XML; the reader
/// holds some parts (the shared strings) whole in memory, so a small file that inflates to
/// gigabytes must be stopped before it is read.
pub const MAX_UNPACKED_MB: u32 = 64;
/// Most parts a workbook may have (one with a sheet has about ten).
const MAX_PARTS: usize = 1_000;

/// Whether every part of the zip file `bytes` unpacks to at most `max_mb` megabytes in all,
/// counted by inflating (a part's declared size may lie), stopping as soon as it is over.
/// `Err` when it is no zip file at all.
fn unpacks_within(bytes: &[u8], max_mb: u32) -> Result<bool, ImportProblem> {
    use std::io::Read as _;
    let unreadable = || ImportProblem {
        row: 1,
        column: String::new(),
        issue: ImportIssue::Unreadable,
    };
    let limit = u64::from(max_mb) * 1024 * 1024;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_PARTS {
        return Ok(false);
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|_| unreadable())?;
        if total.saturating_add(part.size()) > limit {
            return Ok(false);
        }
        let left = limit - total;
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        total += read;
        if total > limit {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Puts a cell's text at its place in the sheet, growing the grid only as far as cells with
/// text reach, so a stray cell far out costs nothing. A cell below [`MAX_ROWS`] refuses the
/// file.
fn put(
    rows: &mut Vec<Vec<String>>,
    (row, col): (u32, u32),
    text: String,
) -> Result<(), ImportProblem> {
    if text.is_empty() || col >= MAX_COLUMNS {
        return Ok(());
    }
    if row >= MAX_ROWS {
        return Err(ImportProblem {
            row: row.saturating_add(1),
            column: String::new(),
            issue: ImportIssue::TooManyRows { max: MAX_ROWS },
        });
    }
    let (r, c) = (row as usize, col as usize);
    if rows.len() <= r {
        rows.resize_with(r + 1, Vec::new);
    }
    let cells = &mut rows[r];
    if cells.len() <= c {
        cells.resize(c + 1, String::new());
    }
    cells[c] = text;
    Ok(())
}

/// The first sheet of an .xlsx workbook, cell by cell (never as one dense grid: a crafted
/// file may name a cell at XFD1048576). Formulas give the values Excel/WPS last computed.
/// `None` when the file is not a workbook.
fn read_xlsx(bytes: &[u8]) -> Option<Result<Sheet, ImportProblem>> {
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).ok()?;
    let name = book.sheet_names().first()?.clone();
    let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    {
        let mut cells = book.worksheet_cells_reader(&name).ok()?;
        loop {
            match cells.next_cell() {
                Ok(Some(cell)) => {
                    let text = cell_text(&Data::from(cell.get_value().clone()));
                    if let Err(problem) = put(&mut rows, cell.get_position(), text) {
                        return Some(Err(problem));
                    }
                }
                Ok(None) => break,
                Err(_) => return None,
            }
        }
    }
    Some(spread_merges(&mut rows, &merges).map(|merged_areas| Sheet { rows, merged_areas }))
}

/// A merged area's value fills every cell of it, as the sheet shows it (offices merge 类别
/// and 牵头单位 down the rows they cover). Returns how many areas had a value to spread.
fn spread_merges(
    rows: &mut Vec<Vec<String>>,
    merges: &[calamine::Dimensions],
) -> Result<usize, ImportProblem> {
    let mut spread = 0;
    for m in merges {
        let value = rows
            .get(m.start.0 as usize)
            .and_then(|r| r.get(m.start.1 as usize))
            .cloned()
            .unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        spread += 1;
        let last_row = m.end.0.min(MAX_ROWS - 1);
        let last_col = m.end.1.min(MAX_COLUMNS - 1);
        for row in m.start.0..=last_row {
            for col in m.start.1..=last_col {
                put(rows, (row, col), value.clone())?;
            }
        }
    }
    Ok(spread)
}

/// UTF-8 (with or without a byte-order mark) when it is valid UTF-8, else GB18030.
fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// A cell as text: whole numbers without `.0`, dates as `YYYY-MM-DD`, errors empty.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(_) | Data::DateTimeIso(_) => {
            cell.as_date().map(|d| d.to_string()).unwrap_or_default()
        }
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Units and people by name, read once per import.
struct Names {
    units: HashMap<String, UnitId>,
    /// Only names that one person has: a name two people share cannot be resolved.
    people: HashMap<String, Option<PersonId>>,
}

impl Directory for Names {
    fn unit(&self, name: &str) -> Option<UnitId> {
        self.units.get(name).cloned()
    }
    fn person(&self, name: &str) -> Option<PersonId> {
        self.people.get(name).cloned().flatten()
    }
}

async fn names(db: &Db) -> Result<Names, AppError> {
    let units = units::list_units(db)
        .await?
        .into_iter()
        .map(|u| (u.name, u.id))
        .collect();
    let mut people: HashMap<String, Option<PersonId>> = HashMap::new();
    for p in people::list_people(db, None).await? {
        people
            .entry(p.name)
            .and_modify(|id| *id = None)
            .or_insert(Some(p.id));
    }
    Ok(Names { units, people })
}

/// Replaces a draft plan's tasks, in one transaction, if the plan is still at the version
/// the import was checked against.
const REPLACE_TASKS: &str = "
BEGIN TRANSACTION;
LET $p = (SELECT id, version FROM ONLY $plan);
IF !$p { THROW 'jiebang:not_found' };
IF $p.version != $version { THROW 'jiebang:conflict' };
DELETE task WHERE plan = $plan;
FOR $u IN $units {
    CREATE $u.id CONTENT { name: $u.name, kind: $u.kind, active: true, version: 1 };
    CREATE audit_event CONTENT {
        actor: $actor, entity: $u.id, action: 'create', summary: string::concat('导入时新建单位:', $u.name)
    };
};
-- One CREATE per task: INSERT of a bound array grows faster than linearly with its length
-- (measured: 5,000 rows took 20 s in release), a loop of CREATEs stays linear.
FOR $t IN $tasks { CREATE $t.id CONTENT $t };
UPDATE $plan SET version += 1;
CREATE audit_event CONTENT { actor: $actor, entity: $plan, action: 'import', summary: $summary };
COMMIT TRANSACTION;
";

/// A unit the file names that does not exist yet, created with the import.
#[derive(Debug, Clone, SurrealValue)]
struct NewUnit {
    id: RecordId,
    name: String,
    kind: String,
}

/// A fresh unit key (`u` and 16 hex digits).
fn new_unit_key() -> Result<String, AppError> {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).map_err(|_| AppError::Internal)?;
    Ok(bytes.iter().fold("u".to_owned(), |mut key, b| {
        key.push_str(&format!("{b:02x}"));
        key
    }))
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub tasks: usize,
    /// Units the file named that were created with it.
    pub new_units: Vec<String>,
    /// Merged areas whose value was read into every cell they cover.
    pub merged_areas: usize,
}

#[derive(Debug, SurrealValue)]
struct NamedRow {
    id: RecordId,
    name: String,
}

#[derive(Debug, SurrealValue)]
struct NumberedRow {
    id: RecordId,
    number: i64,
}

/// Imports a findings list (整改清单, e.g. a 督查 team's or the higher level's feedback kept in
/// Excel/WPS) into plan `plan`'s list: every problem of the file at once and nothing written,
/// or every row added after the list's last item. Returns how many were added.
pub async fn import_findings(
    db: &Db,
    actor: &Actor,
    today: chrono::NaiveDate,
    plan: &PlanId,
    bytes: &[u8],
) -> Result<usize, AppError> {
    let sheet = read_rows(bytes).map_err(|p| AppError::Import(vec![p]))?;
    let mut response = db
        .query(
            "SELECT id, name FROM unit WHERE active = true;
             SELECT id, number FROM task WHERE plan = $plan AND status != 'cancelled';",
        )
        .bind(("plan", record("plan", plan.as_str())))
        .await?;
    let units: Vec<NamedRow> = response.take(0)?;
    let tasks: Vec<NumberedRow> = response.take(1)?;
    let unit_of = |name: &str| {
        units
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| UnitId::parse(&super::db::key_string(&u.id)))
    };
    let task_of = |n: u32| {
        tasks
            .iter()
            .find(|t| t.number == i64::from(n))
            .and_then(|t| crate::domain::TaskId::parse(&super::db::key_string(&t.id)))
    };
    let inputs = crate::domain::rectify::parse_rows(&sheet.rows, today, &unit_of, &task_of)
        .map_err(AppError::Import)?;
    if let Some((_, field)) = super::db::findings::check_refs(db, plan, &inputs)
        .await?
        .first()
    {
        // A unit deactivated or a task moved since the names were read: try again.
        tracing::warn!(field, "findings import raced a change");
        return Err(AppError::Conflict);
    }
    super::db::findings::create(db, actor, plan, &inputs).await?;
    Ok(inputs.len())
}

/// Imports a task list into a draft plan: every problem of the file is reported at once
/// ([`AppError::Import`]) and nothing is written; a clean file replaces the draft's tasks,
/// numbered as in the file. With `create_units`, unit names the file uses that no unit has are
/// created in the same transaction (their kind guessed from the name) instead of being problems.
pub async fn import_tasks(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    expected_version: u32,
    file: &[u8],
    create_units: bool,
) -> Result<Imported, AppError> {
    require_actor(actor, Capability::ManagePlans)?;
    let summary = plans::get_plan(db, plan)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))?;
    if summary.status != PlanStatus::Draft {
        return Err(Refusal::PlanNotDraft.into());
    }
    if summary.version != expected_version {
        return Err(AppError::Conflict);
    }
    // Reading a workbook is CPU work: off the async workers.
    let bytes = file.to_vec();
    let sheet = tokio::task::spawn_blocking(move || read_rows(&bytes))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|p| AppError::Import(vec![p]))?;
    let mut directory = names(db).await?;
    let mut new_units: Vec<NewUnit> = Vec::new();
    let inputs = match parse_rows(&sheet.rows, summary.year, &summary.categories, &directory) {
        Ok(inputs) => inputs,
        Err(problems) if create_units => {
            let unknown: std::collections::BTreeSet<String> = problems
                .iter()
                .filter_map(|p| match &p.issue {
                    ImportIssue::UnknownUnit { name } if UnitName::parse(name).is_ok() => {
                        Some(name.clone())
                    }
                    _ => None,
                })
                .collect();
            if unknown.is_empty() {
                return Err(AppError::Import(problems));
            }
            for name in unknown {
                let key = new_unit_key()?;
                let id = UnitId::parse(&key).ok_or(AppError::Internal)?;
                directory.units.insert(name.clone(), id);
                new_units.push(NewUnit {
                    id: record("unit", &key),
                    kind: UnitKind::guess(&name).code().to_owned(),
                    name,
                });
            }
            parse_rows(&sheet.rows, summary.year, &summary.categories, &directory)
                .map_err(AppError::Import)?
        }
        Err(problems) => return Err(AppError::Import(problems)),
    };
    let open = crate::domain::Percent::parse(0).map_err(|_| AppError::Internal)?;
    let tasks: Vec<tasks::KeyedTask> = inputs
        .iter()
        .map(|input| tasks::KeyedTask::new(plan, input, crate::domain::TaskStatus::Open, open))
        .collect();
    let count = tasks.len();
    let summary = if new_units.is_empty() {
        format!("导入任务清单:{count} 项任务")
    } else {
        format!(
            "导入任务清单:{count} 项任务,新建单位 {} 个",
            new_units.len()
        )
    };
    write::execute(|| {
        db.query(REPLACE_TASKS)
            .bind(("plan", record("plan", plan.as_str())))
            .bind(("version", i64::from(expected_version)))
            .bind(("tasks", tasks.clone()))
            .bind(("units", new_units.clone()))
            .bind(("actor", actor.name.clone()))
            .bind(("summary", summary.clone()))
    })
    .await
    .map_err(write::missing(Entity::Plan))?;
    Ok(Imported {
        tasks: count,
        new_units: new_units.into_iter().map(|u| u.name).collect(),
        merged_areas: sheet.merged_areas,
    })
}

#[derive(Debug, SurrealValue)]
struct AttemptRow {
    plan: RecordId,
    file_name: String,
    error_json: String,
}

/// Keeps a failed import; returns its key.
pub async fn record_failure(
    db: &Db,
    actor: &Actor,
    plan: &PlanId,
    file_name: &str,
    error: &AppError,
) -> Result<String, AppError> {
    let error_json = serde_json::to_string(error).map_err(|_| AppError::Internal)?;
    let name: String = file_name.chars().take(200).collect();
    let id: Option<RecordId> = db
        .query("CREATE ONLY import_attempt SET plan = $plan, actor = $actor, file_name = $name, error_json = $error RETURN VALUE id")
        .bind(("plan", record("plan", plan.as_str())))
        .bind(("actor", actor.name.clone()))
        .bind(("name", name))
        .bind(("error", error_json))
        .await?
        .take(0)?;
    id.map(|id| super::db::key_string(&id))
        .ok_or(AppError::Internal)
}

/// A kept failed import.
pub async fn attempt(db: &Db, key: &str) -> Result<Option<ImportAttempt>, AppError> {
    let row: Option<AttemptRow> = db
        .query("SELECT plan, file_name, error_json FROM ONLY $id")
        .bind(("id", record("import_attempt", key)))
        .await?
        .take(0)?;
    row.map(|r| {
        Ok(ImportAttempt {
            plan: PlanId::parse(&super::db::key_string(&r.plan))
                .ok_or_else(|| super::db::corrupt("import_attempt.plan", &r.plan))?,
            file_name: r.file_name,
            error: serde_json::from_str(&r.error_json)
                .map_err(|_| super::db::corrupt("import_attempt.error_json", &r.error_json))?,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_and_gb18030() {
        let text = "序号,任务\n1,支部建在小区上\n";
        let utf8 = read_rows(text.as_bytes()).expect("utf-8");
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let gb = read_rows(&gbk).expect("gb18030");
        assert_eq!(utf8, gb);
        assert_eq!(utf8.rows[1][1], "支部建在小区上");
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(read_rows(&bom).expect("bom"), utf8);
        assert_eq!(utf8.merged_areas, 0);
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(
            read_rows(b"\x89PNG\r\n\x1a\n\0\0").map_err(|p| p.issue),
            Err(ImportIssue::Unreadable)
        );
        assert_eq!(
            read_rows(b"PK\x03\x04broken").map_err(|p| p.issue),
            Err(ImportIssue::Unreadable)
        );
        assert_eq!(
            read_rows(b"  \n").map_err(|p| p.issue),
            Err(ImportIssue::NoHeader)
        );
    }
}
