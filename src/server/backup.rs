//! 备份与恢复: one zip archive holding the database as SurrealDB exports it (every definition
//! and record, read in one transaction), every evidence file a record names (checked against
//! its SHA-256 name on the way in and out), and a manifest with the record count of every
//! table. A restore goes into an empty database only (or one the caller asks to replace), and
//! is checked against the manifest before it is called done.

use super::db::Db;
use super::files::FileStore;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use surrealdb::types::SurrealValue;

/// The archive layout this build writes and reads.
pub const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "database.surql";
const FILES: &str = "files/";

/// What an archive holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The jiebang version that wrote it.
    pub app_version: String,
    pub created_at: DateTime<Utc>,
    /// Records per table.
    pub tables: BTreeMap<String, u64>,
    /// Evidence files: SHA-256 (hex) and size.
    pub files: Vec<(String, u64)>,
}

/// Where a backup or restore is: the caller shows it (a progress bar on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Exporting or importing the database.
    Database,
    /// `done` of `total` evidence files copied.
    Files { done: u64, total: u64 },
    /// Comparing the result with the manifest.
    Checking,
}

fn failed(what: &str, err: impl std::fmt::Display) -> String {
    format!("{what}:{err}")
}

/// Every table of the current database and its record count.
async fn table_counts(db: &Db) -> Result<BTreeMap<String, u64>, String> {
    let names: Vec<String> = db
        .query("RETURN object::keys((INFO FOR DB).tables)")
        .await
        .map_err(|e| failed("读取数据库结构失败", e))?
        .take(0)
        .map_err(|e| failed("读取数据库结构失败", e))?;
    let mut counts = BTreeMap::new();
    for name in names {
        let n: Option<i64> = db
            .query("RETURN count(SELECT VALUE id FROM type::table($t))")
            .bind(("t", name.clone()))
            .await
            .map_err(|e| failed("统计记录数失败", e))?
            .take(0)
            .map_err(|e| failed("统计记录数失败", e))?;
        counts.insert(name, u64::try_from(n.unwrap_or(0)).unwrap_or(0));
    }
    Ok(counts)
}

#[derive(Debug, SurrealValue)]
struct FileRef {
    sha256: String,
    size: i64,
}

/// Every evidence file the records name, each once, in name order.
async fn referenced_files(db: &Db) -> Result<Vec<(String, u64)>, String> {
    let mut response = db
        .query(
            "SELECT VALUE files FROM progress_report WHERE array::len(files) > 0;
             SELECT VALUE files FROM finding_entry WHERE array::len(files) > 0;",
        )
        .await
        .map_err(|e| failed("读取佐证材料清单失败", e))?;
    let mut all: BTreeMap<String, u64> = BTreeMap::new();
    for statement in 0..2 {
        let lists: Vec<Vec<FileRef>> = response
            .take(statement)
            .map_err(|e| failed("读取佐证材料清单失败", e))?;
        for f in lists.into_iter().flatten() {
            all.insert(f.sha256, u64::try_from(f.size).unwrap_or(0));
        }
    }
    Ok(all.into_iter().collect())
}

/// Writes a backup of `db` and the evidence files in `files` to `out` (replaced only once the
/// archive is complete). The export is SurrealDB's own, taken in one read transaction while the
/// app keeps running; the files are content-addressed and never change, and a record is written
/// only after its files, so every file the export names is there.
pub async fn backup(
    db: &Db,
    files: &FileStore,
    out: &Path,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Manifest, String> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let export = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed("无法创建临时文件", e))?;
    progress(Step::Database);
    let tables = table_counts(db).await?;
    db.export(export.path())
        .await
        .map_err(|e| failed("导出数据库失败", e))?;
    let refs = referenced_files(db).await?;
    let manifest = Manifest {
        format: FORMAT,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: Utc::now(),
        tables,
        files: refs.clone(),
    };
    let partial =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| failed("无法创建临时文件", e))?;
    let mut zip = zip::ZipWriter::new(partial.reopen().map_err(|e| failed("无法写入备份", e))?);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let write = |e| failed("写入备份失败", e);
    zip.start_file(MANIFEST, deflated).map_err(write)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(|e| failed("写入备份失败", e))?)
        .map_err(|e| failed("写入备份失败", e))?;
    zip.start_file(DATABASE, deflated).map_err(write)?;
    let mut source =
        std::fs::File::open(export.path()).map_err(|e| failed("读取导出文件失败", e))?;
    std::io::copy(&mut source, &mut zip).map_err(|e| failed("写入备份失败", e))?;
    let total = refs.len() as u64;
    for (done, (sha, _)) in refs.iter().enumerate() {
        progress(Step::Files {
            done: done as u64,
            total,
        });
        let bytes = files
            .get(sha)
            .await
            .map_err(|_| format!("佐证材料 {sha} 缺失,备份中止"))?;
        if hex::encode(Sha256::digest(&bytes)) != *sha {
            return Err(format!("佐证材料 {sha} 内容与名称不符,备份中止"));
        }
        // Already compressed formats mostly (photos, PDF, Office files): stored as they are.
        zip.start_file(format!("{FILES}{sha}"), stored)
            .map_err(write)?;
        zip.write_all(&bytes)
            .map_err(|e| failed("写入备份失败", e))?;
    }
    progress(Step::Files { done: total, total });
    zip.finish().map_err(write)?;
    partial
        .persist(out)
        .map_err(|e| failed(&format!("无法写入 {}", out.display()), e.error))?;
    Ok(manifest)
}

/// Restores the archive at `archive` into `db` (empty, or emptied first when `replace`) and
/// its evidence files into `files`; checks every file against its name and every table's
/// record count against the manifest. `database` is the database's name (to empty it).
pub async fn restore(
    db: &Db,
    database: &str,
    files: &FileStore,
    archive: &Path,
    replace: bool,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Manifest, String> {
    let file = std::fs::File::open(archive)
        .map_err(|e| failed(&format!("无法打开备份文件 {}", archive.display()), e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| failed("不是有效的备份文件", e))?;
    let manifest: Manifest = {
        let mut entry = zip
            .by_name(MANIFEST)
            .map_err(|_| "不是有效的备份文件:缺少清单".to_owned())?;
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| failed("备份清单无法读取", e))?;
        serde_json::from_str(&text).map_err(|e| failed("备份清单无法读取", e))?
    };
    if manifest.format != FORMAT {
        return Err(format!(
            "备份文件格式为第 {} 版,本程序只能恢复第 {FORMAT} 版",
            manifest.format
        ));
    }
    let existing = table_counts(db).await?;
    if !existing.is_empty() {
        if !replace {
            return Err(
                "目标数据库不是空的,未做任何改动。请恢复到新的数据目录,或确认覆盖后加 --replace"
                    .to_owned(),
            );
        }
        let name = database.replace('`', "");
        db.query(format!(
            "REMOVE DATABASE IF EXISTS `{name}`; DEFINE DATABASE `{name}`;"
        ))
        .await
        .and_then(surrealdb::IndexedResults::check)
        .map_err(|e| failed("清空目标数据库失败", e))?;
        db.use_db(name)
            .await
            .map_err(|e| failed("切换数据库失败", e))?;
    }
    // Files first: a restored record always finds its files.
    let total = manifest.files.len() as u64;
    for (done, (sha, size)) in manifest.files.iter().enumerate() {
        progress(Step::Files {
            done: done as u64,
            total,
        });
        let mut entry = zip
            .by_name(&format!("{FILES}{sha}"))
            .map_err(|_| format!("备份中缺少佐证材料 {sha}"))?;
        let mut bytes = Vec::with_capacity(usize::try_from(*size).unwrap_or(0));
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| failed("读取佐证材料失败", e))?;
        let stored = files
            .put(bytes::Bytes::from(bytes))
            .await
            .map_err(|_| "保存佐证材料失败".to_owned())?;
        if stored != *sha {
            return Err(format!("佐证材料 {sha} 内容与名称不符,备份文件已损坏"));
        }
    }
    progress(Step::Files { done: total, total });
    progress(Step::Database);
    let export = tempfile::NamedTempFile::new().map_err(|e| failed("无法创建临时文件", e))?;
    {
        let mut entry = zip
            .by_name(DATABASE)
            .map_err(|_| "不是有效的备份文件:缺少数据库".to_owned())?;
        let mut out = export.reopen().map_err(|e| failed("无法创建临时文件", e))?;
        std::io::copy(&mut entry, &mut out).map_err(|e| failed("读取数据库备份失败", e))?;
    }
    db.import(export.path())
        .await
        .map_err(|e| failed("导入数据库失败", e))?;
    progress(Step::Checking);
    let restored = table_counts(db).await?;
    for (table, n) in &manifest.tables {
        let got = restored.get(table).copied().unwrap_or(0);
        if got != *n {
            return Err(format!(
                "恢复后表 {table} 有 {got} 条记录,备份时为 {n} 条,请检查备份文件"
            ));
        }
    }
    Ok(manifest)
}

/// The name of the daily backup of `day`.
pub fn daily_name(day: chrono::NaiveDate) -> String {
    format!("jiebang-{day}.zip")
}

/// The daily backups in `dir` to delete so that the newest `keep` remain (names sort by day).
pub fn to_prune(names: &[String], keep: usize) -> Vec<String> {
    let mut daily: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.strip_prefix("jiebang-")
                .and_then(|r| r.strip_suffix(".zip"))
                .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        })
        .collect();
    daily.sort();
    let excess = daily.len().saturating_sub(keep);
    daily.into_iter().take(excess).cloned().collect()
}

/// The hour (China time) from which a day's backup is taken: after the night's quiet start.
pub const DAILY_HOUR: u32 = 2;

/// Takes a backup into `plan.dir` once a day (from [`DAILY_HOUR`], China time) and keeps the
/// newest `plan.keep`. Checks every ten minutes; a day whose backup exists is skipped, so a
/// restart does not take a second one. (Several instances over one database each keep their
/// own directory; taking it once across instances comes with the scale-out work.)
pub fn spawn_daily(db: Db, files: FileStore, plan: super::config::BackupPlan) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
            if chrono::Timelike::hour(&now) < DAILY_HOUR {
                continue;
            }
            let out = plan.dir.join(daily_name(now.date_naive()));
            if out.exists() {
                continue;
            }
            if let Err(e) = std::fs::create_dir_all(&plan.dir) {
                tracing::error!(error = %e, dir = %plan.dir.display(), "backup directory unusable");
                continue;
            }
            match backup(&db, &files, &out, &|_| {}).await {
                Ok(m) => tracing::info!(
                    file = %out.display(),
                    records = m.tables.values().sum::<u64>(),
                    files = m.files.len(),
                    "daily backup written"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "daily backup failed");
                    continue;
                }
            }
            let names: Vec<String> = std::fs::read_dir(&plan.dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .filter_map(|e| e.file_name().into_string().ok())
                        .collect()
                })
                .unwrap_or_default();
            for old in to_prune(&names, plan.keep) {
                if let Err(e) = std::fs::remove_file(plan.dir.join(&old)) {
                    tracing::warn!(error = %e, file = %old, "an old backup could not be removed");
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_backups_are_kept() {
        let names: Vec<String> = [
            "jiebang-2022-07-03.zip",
            "jiebang-2022-07-01.zip",
            "notes.txt",
            "jiebang-2022-07-02.zip",
            "jiebang-latest.zip",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(to_prune(&names, 2), ["jiebang-2022-07-01.zip"]);
        assert!(to_prune(&names, 7).is_empty());
        assert_eq!(
            daily_name(chrono::NaiveDate::from_ymd_opt(2022, 7, 29).expect("day")),
            "jiebang-2022-07-29.zip"
        );
    }
}
