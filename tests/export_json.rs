//! `jiebang export-json`: one plan as JSON for other tools, read back and compared with
//! counts taken straight from the store.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use jiebang::server::{Config, db};
use std::process::Command;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jiebang"))
        .args(args)
        .env(
            "JIEBANG_DB",
            format!("surrealkv://{}", dir.join("db").display()),
        )
        .env("JIEBANG_TODAY", "2022-07-29")
        .env("JIEBANG_LOG", "warn")
        .output()
        .expect("run jiebang")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plan_exports_whole_and_reads_back() {
    let dir = tempfile::tempdir().expect("dir");
    let seeded = run(dir.path(), &["seed"]);
    assert!(seeded.status.success(), "{seeded:?}");
    let file = dir.path().join("plan.json");
    let out = run(dir.path(), &["export-json", file.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("已导出"),
        "{out:?}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("file")).expect("valid JSON");

    // An unknown plan is refused in Chinese, with nothing written.
    let none = dir.path().join("none.json");
    let out = run(
        dir.path(),
        &[
            "export-json",
            "--plan",
            "no-such-plan",
            none.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success() && !none.exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有这份任务清单"));

    // Counted from the store itself.
    let store = db::connect(&Config {
        db_url: format!("surrealkv://{}", dir.path().join("db").display()),
        db_name: "main".into(),
        ..Config::for_tests()
    })
    .await
    .expect("open");
    let mut counts = store
        .query(
            "RETURN count(SELECT VALUE id FROM task WHERE plan = plan:⟨dapeng-2022⟩);
             RETURN count(SELECT VALUE id FROM progress_report
               WHERE task.plan = plan:⟨dapeng-2022⟩ AND status = 'submitted');
",
        )
        .await
        .expect("counts");
    let tasks: Option<i64> = counts.take(0).expect("tasks");
    let submitted: Option<i64> = counts.take(1).expect("reports");

    assert_eq!(json["format"], "jiebang.plan/1");
    assert_eq!(json["plan"]["id"], "dapeng-2022");
    assert_eq!(json["as_of"], "2022-07-29");
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len() as i64, tasks.unwrap());
    let reports = json["reports"].as_array().expect("reports");
    assert_eq!(reports.len() as i64, submitted.unwrap());
    assert!(reports.iter().all(|r| r["status"] == "submitted"));
    // Task 1 as the seed has it: 序号, lead unit, a light code, dated goals.
    let first = &rows[0];
    assert_eq!(first["number"], 1);
    assert!(
        first["title"].as_str().unwrap().contains("支部建在小区上"),
        "{first}"
    );
    assert!(
        first["milestones"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(first["responsibility"]["lead_unit"].is_string());
}
