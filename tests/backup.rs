//! 备份与恢复: a backup of the demo (with an evidence file) restores into an empty database with
//! the same records, audit trail and files; a database that holds anything is refused, and so
//! is an archive whose file does not match its name — each leaving the target as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::signed_in;
use jiebang::server::backup::{backup, restore};
use jiebang::server::db::Db;
use jiebang::server::files::FileStore;
use reqwest::multipart::{Form, Part};
use std::io::{Read, Write};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

/// Every table's records as JSON, in id order: what a faithful restore reproduces exactly.
async fn everything(db: &Db) -> Vec<(String, String)> {
    let mut tables: Vec<String> = db
        .query("RETURN object::keys((INFO FOR DB).tables)")
        .await
        .expect("info")
        .take(0)
        .expect("tables");
    tables.sort();
    let mut out = Vec::new();
    for t in tables {
        let rows: Vec<surrealdb::types::Value> = db
            .query("SELECT * FROM type::table($t) ORDER BY id")
            .bind(("t", t.clone()))
            .await
            .expect("select")
            .take(0)
            .expect("rows");
        out.push((t, format!("{rows:?}")));
    }
    out
}

async fn empty_db() -> Db {
    let db = surrealdb::engine::any::connect("mem://")
        .await
        .expect("mem");
    db.query("DEFINE NAMESPACE jiebang; USE NS jiebang; DEFINE DATABASE main;")
        .await
        .expect("define");
    db.use_ns("jiebang").use_db("main").await.expect("use");
    db
}

#[tokio::test]
async fn a_backup_restores_whole_into_an_empty_database() {
    // 葵涌's liaison files a report with a photo: the backup must carry the file too.
    let app = signed_in("jianglin").await;
    let form = Form::new()
        .text("percent", "70")
        .text("done", "红色文化阵地提升完成")
        .part("files", Part::bytes(PNG.to_vec()).file_name("现场照片.png"));
    let answer = app
        .post_multipart("/tasks/dapeng-2022-12/reports", form, true)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    let dir = tempfile::tempdir().expect("dir");
    let archive = dir.path().join("jiebang-backup.zip");
    let manifest = backup(&app.db, &app.files, &archive, &|_| {})
        .await
        .expect("backup");
    assert_eq!(manifest.files.len(), 1);
    assert!(manifest.tables["audit_event"] > 0);

    let target = empty_db().await;
    let files = FileStore::memory(Default::default());
    let restored = restore(&target, "main", &files, &archive, false, &|_| {})
        .await
        .expect("restore");
    assert_eq!(restored, manifest);
    let records = everything(&app.db).await;
    assert_eq!(everything(&target).await, records);
    let sha = &manifest.files[0].0;
    assert_eq!(files.get(sha).await.expect("file").as_ref(), PNG);
    println!(
        "PROOF backup: round trip of the demo plus a report with a file: {} tables, {} records (audit trail included) identical, {} file identical by SHA-256; a non-empty target refused unchanged",
        records.len(),
        manifest.tables.values().sum::<u64>(),
        manifest.files.len()
    );

    // A database holding anything is refused, and left as it was.
    let before = everything(&target).await;
    let err = restore(&target, "main", &files, &archive, false, &|_| {})
        .await
        .expect_err("not empty");
    assert!(err.contains("不是空的"), "{err}");
    assert_eq!(everything(&target).await, before);
    // Unless the caller asks to replace it.
    restore(&target, "main", &files, &archive, true, &|_| {})
        .await
        .expect("replace");
    assert_eq!(everything(&target).await, everything(&app.db).await);
}

#[tokio::test]
async fn a_damaged_archive_is_refused() {
    let app = signed_in("jianglin").await;
    let form = Form::new()
        .text("percent", "70")
        .text("done", "红色文化阵地提升完成")
        .part("files", Part::bytes(PNG.to_vec()).file_name("现场照片.png"));
    app.post_multipart("/tasks/dapeng-2022-12/reports", form, true)
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let archive = dir.path().join("good.zip");
    backup(&app.db, &app.files, &archive, &|_| {})
        .await
        .expect("backup");

    // The same archive with the evidence file's bytes changed.
    let damaged = dir.path().join("damaged.zip");
    let mut source = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&damaged).unwrap());
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.starts_with("files/") {
            bytes.push(0);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    let target = empty_db().await;
    let err = restore(
        &target,
        "main",
        &FileStore::memory(Default::default()),
        &damaged,
        false,
        &|_| {},
    )
    .await
    .expect_err("damaged");
    assert!(err.contains("内容与名称不符"), "{err}");
    assert!(everything(&target).await.is_empty(), "nothing imported");

    let not_zip = dir.path().join("notes.txt");
    std::fs::write(&not_zip, "这不是备份").unwrap();
    let err = restore(
        &target,
        "main",
        &FileStore::memory(Default::default()),
        &not_zip,
        false,
        &|_| {},
    )
    .await
    .expect_err("not an archive");
    assert!(err.contains("不是有效的备份文件"), "{err}");
}

#[tokio::test]
async fn the_administrator_downloads_an_online_backup_that_restores() {
    let admin = signed_in("admin").await;
    let (status, bytes) = admin.download("/admin/backup").await;
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().expect("dir");
    let archive = dir.path().join("online.zip");
    std::fs::write(&archive, &bytes).expect("write");
    let target = empty_db().await;
    restore(
        &target,
        "main",
        &FileStore::memory(Default::default()),
        &archive,
        false,
        &|_| {},
    )
    .await
    .expect("restore");
    assert_eq!(everything(&target).await, everything(&admin.db).await);
    // Nobody else: it holds every record.
    let office = common::beside(&admin, "wangfang").await;
    let (status, _) = office.download("/admin/backup").await;
    assert_eq!(status, 403);
}
