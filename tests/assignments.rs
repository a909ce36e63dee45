//! 交办 → 签收 / 退回交办 through the real router: the office assigns a task to a unit with its
//! 定人定岗定责; it waits (待签收, with days counted) until the unit head 签收s it or sends it
//! back with a reason. Every refusal is a clear Chinese error that changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{TestApp, beside, is_chinese, message, signed_in};
use jiebang::domain::{Actor, PlanForm, PlanInput, PlanStatus, Role, TaskId};
use jiebang::server::db::plans;
use jiebang::server::import;
use surrealdb::types::SurrealValue;

/// A published 2023 list beside the demo's, with one task nobody holds (待揭榜).
async fn open_task(app: &TestApp) -> TaskId {
    let office = Actor {
        name: "组织科 王芳".into(),
        role: Role::Organizer,
        unit: None,
    };
    let form = PlanForm {
        claim_from: String::new(),
        claim_to: String::new(),
        report_day: String::new(),
        year: "2023".into(),
        title: "2023年度基层党建重点任务(交办)".into(),
        issuer: "zzrsj".into(),
        categories: vec!["组织建设".into()],
        yellow_behind: "10".into(),
        red_behind: "25".into(),
        due_soon_days: "15".into(),
    };
    let plan = plans::create_plan(&app.db, &office, &PlanInput::parse(&form).expect("plan"))
        .await
        .expect("draft");
    let csv =
        "序号,类别,任务,完成时限,验收标准\n1,组织建设,党群服务阵地提升,2023-12-31,阵地有台账\n";
    import::import_tasks(&app.db, &office, &plan, 1, csv.as_bytes(), false)
        .await
        .expect("import");
    plans::transition_plan(&app.db, &office, &plan, 2, PlanStatus::Published)
        .await
        .expect("publish");
    TaskId::parse(&format!("{plan}-01")).expect("task id")
}

#[derive(Debug, PartialEq, SurrealValue)]
struct Held {
    status: String,
    version: i64,
    lead_unit: Option<String>,
    owner: Option<String>,
    post: String,
    supervisor: Option<String>,
    waiting: bool,
    started: bool,
    events: i64,
}

async fn held(app: &TestApp, task: &TaskId) -> Held {
    let row: Option<Held> = app
        .db
        .query(
            "LET $t = type::record('task', $id);
             RETURN {
                status: $t.status, version: $t.version, lead_unit: $t.lead_unit.name,
                owner: $t.owner.name, post: $t.post, supervisor: $t.supervisor.name,
                waiting: $t.assigned_on != NONE,
                started: $t.started_on != NONE,
                events: count(SELECT id FROM audit_event WHERE entity = $t),
             };",
        )
        .bind(("id", task.to_string()))
        .await
        .expect("q")
        .take(1)
        .expect("row");
    row.expect("held")
}

async fn change(app: &TestApp, task: &TaskId, form: &[(&str, &str)]) -> (u16, String) {
    let version = held(app, task).await.version.to_string();
    let id = task.to_string();
    let mut all = vec![("id", id.as_str()), ("version", version.as_str())];
    all.extend_from_slice(form);
    app.call("change_task_status", &all).await
}

#[tokio::test]
async fn the_office_assigns_with_responsibility_the_unit_acknowledges() {
    let office = signed_in("wangfang").await;
    let task = open_task(&office).await;
    let before = held(&office, &task).await;
    assert_eq!(before.status, "open");
    // No holiday arrangement ships for 2023: the board says working days are Monday–Friday.
    let plan = task.to_string().trim_end_matches("-01").to_owned();
    let (_, page) = office.get(&format!("/?plan={plan}")).await;
    assert!(
        page.contains("未配置2023年法定节假日安排"),
        "the board warns"
    );

    // Refused 交办s change nothing: a 责任人 of another unit, a bad id, an unknown unit.
    for (form, field_text) in [
        (
            vec![
                ("to", "assigned"),
                ("unit", "kysd"),
                ("owner", "p-yangf"),
                ("post", ""),
            ],
            "责任人不存在",
        ),
        (
            vec![
                ("to", "assigned"),
                ("unit", "kysd"),
                ("owner", "坏 id"),
                ("post", ""),
            ],
            "责任人格式不正确",
        ),
        (
            vec![("to", "assigned"), ("unit", "no-such-unit"), ("post", "")],
            "不存在",
        ),
        (
            vec![
                ("to", "assigned"),
                ("unit", "kysd"),
                ("supervisor", "p-nobody"),
            ],
            "分管领导不存在",
        ),
    ] {
        let (status, body) = change(&office, &task, &form).await;
        assert_eq!(status, 422, "{body}");
        let said = message(&body);
        assert!(said.contains(field_text) && is_chinese(&said), "{said}");
        assert_eq!(held(&office, &task).await, before);
    }
    // A unit head may not 交办.
    let kuichong = beside(&office, "liuqiang").await;
    let (status, _) = change(&kuichong, &task, &[("to", "assigned"), ("unit", "kysd")]).await;
    assert_eq!(status, 403);
    assert_eq!(held(&office, &task).await, before);

    // 交办 with 定人定岗定责: 待签收 from today.
    let (status, body) = change(
        &office,
        &task,
        &[
            ("to", "assigned"),
            ("unit", "kysd"),
            ("owner", "p-liuq"),
            ("post", "党建办主任"),
            ("supervisor", "p-zhonglx"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let assigned = held(&office, &task).await;
    assert_eq!(
        assigned.supervisor.as_deref(),
        Some("钟立新"),
        "分管领导 fixed at 交办"
    );
    assert_eq!(
        (
            assigned.status.as_str(),
            assigned.lead_unit.as_deref(),
            assigned.owner.as_deref()
        ),
        ("assigned", Some("葵涌街道党建办"), Some("刘强"))
    );
    assert_eq!(assigned.post, "党建办主任");
    assert!(assigned.waiting && !assigned.started);
    let (_, page) = office.get(&format!("/tasks/{task}")).await;
    assert!(page.contains("待签收"), "the page says it waits");

    // Another street's head cannot 签收 it; a stale version is a conflict; 葵涌's head can.
    let nanao = beside(&office, "yangfan").await;
    let (status, _) = change(&nanao, &task, &[("to", "in_progress")]).await;
    assert_eq!(status, 403);
    let (status, body) = kuichong
        .call(
            "change_task_status",
            &[
                ("id", &task.to_string()),
                ("version", "1"),
                ("to", "in_progress"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(held(&office, &task).await, assigned);
    let (status, body) = change(&kuichong, &task, &[("to", "in_progress")]).await;
    assert_eq!(status, 200, "{body}");
    let started = held(&office, &task).await;
    assert_eq!(started.status, "in_progress");
    assert!(started.started, "签收 starts the work");
    assert_eq!(started.events, assigned.events + 1);
}

#[tokio::test]
async fn the_unit_sends_an_assignment_back_with_a_reason() {
    let office = signed_in("wangfang").await;
    let task = open_task(&office).await;
    let (status, body) = change(&office, &task, &[("to", "assigned"), ("unit", "nasd")]).await;
    assert_eq!(status, 200, "{body}");
    let nanao = beside(&office, "yangfan").await;
    let assigned = held(&office, &task).await;
    // Without a reason: refused, nothing changes.
    let (status, body) = change(&nanao, &task, &[("to", "open")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("理由不能为空"), "{body}");
    assert_eq!(held(&office, &task).await, assigned);
    // With one: back up for 揭榜, 定人定岗定责 cleared, the reason on the record.
    let (status, body) = change(
        &nanao,
        &task,
        &[("to", "open"), ("reason", "该项工作由区级统筹更合适")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let back = held(&office, &task).await;
    assert_eq!(
        (back.status.as_str(), back.lead_unit.as_deref()),
        ("open", None)
    );
    assert!(!back.waiting);
    let (_, page) = office.get(&format!("/tasks/{task}")).await;
    assert!(
        page.contains("该项工作由区级统筹更合适"),
        "the office reads why"
    );
}
