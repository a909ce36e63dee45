//! Migrations, seeding and schema enforcement against real SurrealDB engines.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use jiebang::AppError;
use jiebang::server::{Config, db, seed};
use surrealdb::types::SurrealValue;

#[derive(Debug, SurrealValue)]
struct Count {
    count: i64,
}

async fn count(db: &db::Db, table: &str) -> i64 {
    let rows: Vec<Count> = db
        .query(format!("SELECT count() FROM {table} GROUP ALL"))
        .await
        .expect("count query")
        .take(0)
        .expect("count rows");
    rows.first().map_or(0, |c| c.count)
}

#[tokio::test]
async fn migrations_apply_once() {
    let db = common::database(false).await;
    let again = db::migrations::migrate(&db).await.expect("second migrate");
    assert!(again.is_empty(), "nothing re-applied: {again:?}");
    assert_eq!(
        count(&db, "migration").await,
        db::migrations::MIGRATIONS.len() as i64
    );
}

#[tokio::test]
async fn restart_on_surrealkv_keeps_data_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = Config {
        db_url: format!("surrealkv://{}", dir.path().join("jiebang.db").display()),
        ..Config::for_tests()
    };
    {
        let db = db::connect(&config).await.expect("first start");
        assert_eq!(
            db::migrations::migrate(&db).await.expect("migrate").len(),
            db::migrations::MIGRATIONS.len()
        );
        let report = seed::load_demo(&db).await.expect("seed");
        assert_eq!(report.tasks, 42);
    }
    // Let the engine's background shutdown release the store before reopening it.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let db = db::connect(&config).await.expect("second start");
    assert!(
        db::migrations::migrate(&db)
            .await
            .expect("migrate")
            .is_empty()
    );
    assert!(!seed::is_empty(&db).await.expect("is_empty"));
    assert_eq!(count(&db, "task").await, 42);
    assert_eq!(
        count(&db, "migration").await,
        db::migrations::MIGRATIONS.len() as i64
    );
}

#[tokio::test]
async fn seeding_twice_is_refused_and_changes_nothing() {
    let db = common::database(true).await;
    let err = seed::load_demo(&db).await.expect_err("second seed refused");
    assert_eq!(
        err,
        AppError::Refused(jiebang::domain::Refusal::NotEmpty),
        "{err:?}"
    );
    assert_eq!(count(&db, "task").await, 42);
    assert_eq!(count(&db, "plan").await, 1);
    assert_eq!(count(&db, "unit").await, 12);
}

#[tokio::test]
async fn the_database_refuses_what_the_domain_refuses() {
    let db = common::database(true).await;
    let bad = [
        (
            "percent over 100",
            "UPDATE task SET percent = 150 WHERE number = 1",
        ),
        (
            "unknown status",
            "UPDATE task SET status = 'done' WHERE number = 1",
        ),
        (
            "one-character title",
            "UPDATE task SET title = '建' WHERE number = 1",
        ),
        (
            "duplicate number",
            "UPDATE task SET number = 2 WHERE number = 1",
        ),
        (
            "unknown field",
            "UPDATE task SET colour = 'red' WHERE number = 1",
        ),
    ];
    for (what, sql) in bad {
        let result = db.query(sql).await.and_then(|r| r.check());
        assert!(result.is_err(), "{what} must be refused");
    }
    let rows: Vec<Count> = db
        .query("SELECT count() FROM task WHERE number = 1 AND percent = 30 AND status = 'in_progress' GROUP ALL")
        .await
        .expect("query")
        .take(0)
        .expect("rows");
    assert_eq!(rows.first().map(|c| c.count), Some(1), "task 1 unchanged");
}

#[tokio::test]
async fn credentials_move_out_of_existing_accounts() {
    // A database as the last release left it: migrations 1–3, an account with its hash inline.
    let db = db::connect(&Config::for_tests()).await.expect("connect");
    for m in db::migrations::MIGRATIONS.iter().filter(|m| m.version <= 3) {
        db.query(m.sql)
            .await
            .expect("old schema")
            .check()
            .expect("old schema applies");
    }
    db.query(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;
         CREATE migration SET version = 1, name = 'a', applied_at = time::now();
         CREATE migration SET version = 2, name = 'b', applied_at = time::now();
         CREATE migration SET version = 3, name = 'c', applied_at = time::now();",
    )
    .await
    .expect("bookkeeping")
    .check()
    .expect("ok");
    let hash = jiebang::server::auth::hash_password("legacy2022pw").expect("hash");
    db.query("CREATE account:legacy SET username = 'legacy', display_name = '旧账号', password_hash = $hash, role = 'viewer'")
        .bind(("hash", hash))
        .await
        .expect("account")
        .check()
        .expect("ok");
    // And a report filed before reports had a status or files (a unit and a plan to hold it).
    db.query(
        "CREATE unit:u SET name = '旧单位', kind = 'section';
         CREATE plan:p SET year = 2022, title = '旧清单', issuer = unit:u, status = 'published', categories = ['组织建设'];
         CREATE task:t SET plan = plan:p, number = 1, title = '旧任务', category = '组织建设',
             deadline = d'2022-12-31', criteria = [{ text: '有台账' }], status = 'in_progress';
         CREATE progress_report:r SET task = task:t, author = '旧联络员', percent = 40, done = '旧报送';",
    )
    .await
    .expect("old report")
    .check()
    .expect("ok");
    let applied = db::migrations::migrate(&db).await.expect("migrate");
    assert_eq!(applied, (4..=36).collect::<Vec<_>>());
    let old = db::reports::list_reports(&db, &jiebang::domain::TaskId::parse("t").expect("id"))
        .await
        .expect("old reports read");
    assert_eq!(old.len(), 1);
    assert_eq!(
        old[0].status,
        jiebang::domain::report::ReportStatus::Submitted
    );
    assert!(old[0].files.is_empty());
    let accounts: Vec<surrealdb::types::Value> = db
        .query("SELECT * FROM account")
        .await
        .expect("q")
        .take(0)
        .expect("rows");
    assert!(
        !format!("{accounts:?}").contains("$argon2"),
        "no hash left on the account"
    );
    // The old password still signs in.
    let app = common::serve(db.clone()).await;
    assert!(app.signs_in("legacy", "legacy2022pw").await);
}
