//! 揭榜认领 → 确认挂牌 / 不予挂牌: two units claim the same task, one withdraws and claims
//! again, the office confirms one and declines the other with a reason the claimant reads.
//! Every refusal is a clear error that changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use jiebang::AppError;
use jiebang::domain::claim::ClaimStatus;
use jiebang::domain::{
    Actor, ClaimForm, ClaimInput, PlanForm, PlanInput, PlanStatus, Problem, Reason, Refusal, Role,
    TaskId, TaskStatus, Transition, UnitId,
};
use jiebang::server::db::{self, claims, plans, tasks};
use jiebang::server::import;
use surrealdb::types::SurrealValue;

#[derive(Debug, SurrealValue)]
struct Count {
    count: i64,
}

fn actor(name: &str, role: Role, unit: Option<&str>) -> Actor {
    Actor {
        name: name.into(),
        role,
        unit: unit.and_then(UnitId::parse),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 1, 15).expect("date")
}

fn claim(pledge: &str, owner: &str) -> ClaimInput {
    ClaimInput::parse(&ClaimForm {
        pledge: pledge.into(),
        owner: owner.into(),
        post: "党建办主任".into(),
        co_units: Vec::new(),
    })
    .expect("a valid claim")
}

/// A published 2023 list beside the demo's, with one task nobody holds (待揭榜).
async fn open_task(db: &db::Db, office: &Actor) -> TaskId {
    open_task_with_window(db, office, "", "").await
}

async fn open_task_with_window(db: &db::Db, office: &Actor, from: &str, to: &str) -> TaskId {
    let form = PlanForm {
        claim_from: from.into(),
        claim_to: to.into(),
        report_day: String::new(),
        year: "2023".into(),
        title: "2023年度基层党建重点任务(揭榜)".into(),
        issuer: "zzrsj".into(),
        categories: vec!["组织建设".into()],
        yellow_behind: "10".into(),
        red_behind: "25".into(),
        due_soon_days: "15".into(),
    };
    let plan = plans::create_plan(db, office, &PlanInput::parse(&form).expect("plan"))
        .await
        .expect("draft");
    let csv =
        "序号,类别,任务,完成时限,验收标准\n1,组织建设,红色物业试点,2023-12-31,试点小区有台账\n";
    import::import_tasks(db, office, &plan, 1, csv.as_bytes(), false)
        .await
        .expect("import");
    plans::transition_plan(db, office, &plan, 2, PlanStatus::Published)
        .await
        .expect("publish");
    TaskId::parse(&format!("{plan}-01")).expect("task id")
}

async fn count(db: &db::Db, table: &str) -> i64 {
    let rows: Vec<Count> = db
        .query(format!("SELECT count() FROM {table} GROUP ALL"))
        .await
        .expect("q")
        .take(0)
        .expect("rows");
    rows.first().map_or(0, |c| c.count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_units_claim_one_is_confirmed_the_other_declined_with_a_reason() {
    let db = common::database(true).await;
    let office = actor("组织科 王芳", Role::Organizer, None);
    let kysd = actor("葵涌 刘强", Role::UnitHead, Some("kysd"));
    let nasd = actor("南澳 杨帆", Role::UnitHead, Some("nasd"));
    let task = open_task(&db, &office).await;
    assert_eq!(
        tasks::state(&db, &task).await.expect("s").status,
        TaskStatus::Open
    );

    // 竞榜: both streets claim it; the task waits for 挂牌.
    let k = claims::file_claim(
        &db,
        &kysd,
        &task,
        &claim("三个月内完成试点", "p-liuq"),
        today(),
    )
    .await
    .expect("葵涌 claims");
    let n = claims::file_claim(&db, &nasd, &task, &claim("依托南澳社区先行", ""), today())
        .await
        .expect("南澳 claims");
    let state = tasks::state(&db, &task).await.expect("s");
    assert_eq!((state.status, state.lead_unit), (TaskStatus::Claimed, None));

    // Refusals change nothing.
    let (claims_before, events_before) = (
        count(&db, "task_claim").await,
        count(&db, "audit_event").await,
    );
    let refused = [
        (
            claims::file_claim(&db, &kysd, &task, &claim("再认领一次", ""), today()).await,
            AppError::Refused(Refusal::AlreadyClaimed),
        ),
        (
            claims::file_claim(
                &db,
                &actor("葵涌 蒋琳", Role::Liaison, Some("kysd")),
                &task,
                &claim("联络员认领", ""),
                today(),
            )
            .await,
            AppError::Refused(Refusal::RoleMayNotMove {
                role: Role::Liaison,
                transition: Transition::Claim,
            }),
        ),
        (
            // The proposed 责任人 must be a person of the claiming unit (杨帆 is 南澳's).
            claims::file_claim(
                &db,
                &actor("大鹏 张慧", Role::UnitHead, Some("dpsd")),
                &task,
                &claim("大鹏认领", "p-yangf"),
                today(),
            )
            .await,
            AppError::field("owner", Problem::NoSuchRecord),
        ),
    ];
    for (got, want) in refused {
        assert_eq!(got.map(|_| ()), Err(want));
    }
    assert!(
        ClaimInput::parse(&ClaimForm::default()).is_err(),
        "a pledge is required"
    );
    // Another unit's claim is not theirs to withdraw; the office does not confirm its own way
    // around the rules either.
    assert_eq!(
        claims::withdraw_claim(&db, &kysd, &n).await,
        Err(AppError::Refused(Refusal::NotOwnUnit))
    );
    assert!(matches!(
        claims::confirm_claim(&db, &kysd, &k, None, today()).await,
        Err(AppError::Refused(Refusal::RoleMayNotMove { .. }))
    ));
    // Confirming one of two waiting claims needs the reason the other unit will read.
    assert_eq!(
        claims::confirm_claim(&db, &office, &k, None, today()).await,
        Err(AppError::field("reason", Problem::Required))
    );
    assert_eq!(count(&db, "task_claim").await, claims_before);
    assert_eq!(count(&db, "audit_event").await, events_before);

    // 南澳 withdraws, and claims again.
    claims::withdraw_claim(&db, &nasd, &n)
        .await
        .expect("withdraw");
    let n2 = claims::file_claim(&db, &nasd, &task, &claim("重新认领", ""), today())
        .await
        .expect("claims again");

    // The office confirms 葵涌; 南澳's waiting claim is declined with the reason.
    let reason = Reason::parse("葵涌街道试点基础更好").expect("reason");
    claims::confirm_claim(&db, &office, &k, Some(&reason), today())
        .await
        .expect("confirm");
    let state = tasks::state(&db, &task).await.expect("s");
    assert_eq!(state.status, TaskStatus::InProgress);
    assert_eq!(state.lead_unit, UnitId::parse("kysd"));
    let detail = tasks::detail(&db, &task, today())
        .await
        .expect("d")
        .expect("task");
    assert_eq!(detail.responsibility.owner.as_deref(), Some("刘强"));
    assert_eq!(detail.responsibility.post, "党建办主任");

    // What each side reads: 南澳 sees only its own claims, the declined one with the reason.
    let seen_by_nasd = claims::claims_for_task(&db, &nasd, &task)
        .await
        .expect("list");
    let statuses: Vec<(ClaimStatus, &str)> = seen_by_nasd
        .iter()
        .map(|c| (c.status, c.reason.as_str()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (ClaimStatus::Withdrawn, ""),
            (ClaimStatus::Declined, "葵涌街道试点基础更好")
        ]
    );
    assert_eq!(seen_by_nasd[1].id, n2);
    let seen_by_office = claims::claims_for_task(&db, &office, &task)
        .await
        .expect("list");
    assert_eq!(seen_by_office.len(), 3);
    assert_eq!(seen_by_office[0].status, ClaimStatus::Confirmed);
    // Decided claims stay decided.
    assert_eq!(
        claims::decline_claim(&db, &office, &n2, &reason).await,
        Err(AppError::Refused(Refusal::ClaimDecided))
    );
    // Each step is in the task's audit trail.
    let actions: Vec<String> = jiebang::server::db::audit::events_for(&db, "task", task.as_str())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a != "create" && a != "import")
        .collect();
    for step in ["claim", "withdrawn", "confirm"] {
        assert!(actions.iter().any(|a| a == step), "{step} in {actions:?}");
    }
}

/// Declining the only waiting claim puts the task back up for 揭榜.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_the_last_claim_reopens_the_task() {
    let db = common::database(true).await;
    let office = actor("组织科 王芳", Role::Organizer, None);
    let kysd = actor("葵涌 刘强", Role::UnitHead, Some("kysd"));
    let task = open_task(&db, &office).await;
    let k = claims::file_claim(&db, &kysd, &task, &claim("愿意承担", ""), today())
        .await
        .expect("claim");
    let reason = Reason::parse("由组织科直接交办").expect("r");
    claims::decline_claim(&db, &kysd, &k, &reason)
        .await
        .expect_err("a unit does not decide");
    claims::decline_claim(&db, &office, &k, &reason)
        .await
        .expect("decline");
    assert_eq!(
        tasks::state(&db, &task).await.expect("s").status,
        TaskStatus::Open
    );
    let seen = claims::claims_for_task(&db, &kysd, &task).await.expect("l");
    assert_eq!(seen[0].status, ClaimStatus::Declined);
    assert_eq!(seen[0].reason, "由组织科直接交办");
}

/// The 揭榜 window bounds claims; a task still 待揭榜 after it closes is flagged 揭榜超期 on the
/// board, and not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_window_claims_are_refused_and_unclaimed_tasks_are_flagged() {
    let db = common::database(true).await;
    let office = actor("组织科 王芳", Role::Organizer, None);
    let kysd = actor("葵涌 刘强", Role::UnitHead, Some("kysd"));
    let task = open_task_with_window(&db, &office, "2023-01-01", "2023-01-10").await;
    let plan = plans::get_plan(
        &db,
        &jiebang::domain::PlanId::parse(task.as_str().trim_end_matches("-01")).expect("plan"),
    )
    .await
    .expect("get")
    .expect("plan");
    let window = plan.claim_window.expect("a window");
    let late = chrono::NaiveDate::from_ymd_opt(2023, 1, 11).expect("d");
    assert_eq!(
        claims::file_claim(&db, &kysd, &task, &claim("晚了一天", ""), late).await,
        Err(AppError::Refused(Refusal::OutsideClaimWindow { window }))
    );
    let flagged = |day| {
        let db = db.clone();
        let plan = plan.id.clone();
        async move {
            plans::board(&db, Some(&plan), day)
                .await
                .expect("board")
                .expect("published")
                .tasks[0]
                .claim_overdue
        }
    };
    assert!(!flagged(chrono::NaiveDate::from_ymd_opt(2023, 1, 10).expect("d")).await);
    assert!(flagged(late).await);
    // Claimed within the window, it is no longer flagged: it waits for 挂牌.
    claims::file_claim(
        &db,
        &kysd,
        &task,
        &claim("按时认领", ""),
        chrono::NaiveDate::from_ymd_opt(2023, 1, 5).expect("d"),
    )
    .await
    .expect("claim");
    assert!(!flagged(late).await);
}

/// A task's 分管领导, start day and status.
#[derive(Debug, surrealdb::types::SurrealValue)]
struct Listed {
    supervisor: Option<String>,
    started: Option<String>,
    status: String,
}

/// 联合揭榜 through the router: 葵涌 claims the demo's July task 41 with 南澳 and 大鹏 as
/// partners (the form's checkboxes leave gaps in the numbering); unknown or malformed partners
/// are refused and nothing is filed; confirmed, the partners are the task's co-units and see it
/// on their 工作台 as a 配合任务.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joint_claim_brings_its_partners_in_as_co_units() {
    let head = common::signed_in("liuqiang").await;
    let claim = |extra: &'static [(&'static str, &'static str)]| {
        let mut form = vec![
            ("id", "dapeng-2022-41"),
            ("pledge", "葵涌牵头,南澳、大鹏配合建设红色驿站"),
            ("owner", ""),
            ("post", ""),
        ];
        form.extend_from_slice(extra);
        form
    };
    // 葵涌's own claim of 7-22 (the demo's) is taken back first, to claim jointly instead.
    let (status, body) = head
        .call("withdraw_claim", &[("claim", "story-41-kysd")])
        .await;
    assert_eq!(status, 200, "{body}");
    let before = count(&head.db, "task_claim").await;
    let (status, body) = head
        .call("claim_task", &claim(&[("co_units[0]", "nosuchunit")]))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(common::message(&body).contains("配合单位"), "{body}");
    let (status, body) = head
        .call("claim_task", &claim(&[("co_units[0]", "a b")]))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(count(&head.db, "task_claim").await, before);

    let (status, body) = head
        .call(
            "claim_task",
            &claim(&[
                ("co_units[1]", "nasd"),
                ("co_units[3]", "dpsd"),
                ("co_units[4]", "kysd"),
            ]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let office = common::beside(&head, "wangfang").await;
    let (_, page) = office.get("/tasks/dapeng-2022-41").await;
    assert!(
        page.contains("联合揭榜单位:南澳街道党建办、大鹏街道党建办"),
        "the office sees the partners (the claimant itself is not its own partner)"
    );
    let (_, body) = office
        .call("get_task_claims", &[("id", "dapeng-2022-41")])
        .await;
    let claims: jiebang::domain::claim::TaskClaims = serde_json::from_str(&body).expect("claims");
    let ours = claims
        .claims
        .iter()
        .find(|c| c.unit.as_str() == "kysd" && c.co_units.len() == 2)
        .expect("the joint claim");
    // 挂牌 fixes the 分管领导 and the start day; a person who does not exist, or a start after
    // the deadline, is refused and changes nothing.
    let listed = |app: &common::TestApp| {
        let db = app.db.clone();
        async move {
            let row: Option<Listed> = db
                .query(
                    "SELECT supervisor.name AS supervisor, <string> started_on AS started, status
                       FROM ONLY task:`dapeng-2022-41`",
                )
                .await
                .expect("q")
                .take(0)
                .expect("row");
            let row = row.expect("task");
            (row.supervisor, row.started, row.status)
        }
    };
    let before = listed(&office).await;
    for (supervisor, start, text) in [
        ("p-nobody", "", "分管领导不存在"),
        ("p-zhonglx", "2023-03-01", "起始日期晚于完成时限"),
    ] {
        let (status, body) = office
            .call(
                "confirm_claim",
                &[
                    ("claim", ours.id.as_str()),
                    ("reason", ""),
                    ("supervisor", supervisor),
                    ("start", start),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(common::message(&body).contains(text), "{text}: {body}");
        assert_eq!(listed(&office).await, before);
    }
    let (status, body) = office
        .call(
            "confirm_claim",
            &[
                ("claim", ours.id.as_str()),
                ("reason", ""),
                ("supervisor", "p-zhonglx"),
                ("start", "2022-07-25"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (supervisor, started, status) = listed(&office).await;
    assert_eq!(supervisor.as_deref(), Some("钟立新"));
    assert!(started.is_some_and(|s| s.starts_with("2022-07-25")));
    assert_eq!(status, "in_progress");
    let (_, page) = office.get("/tasks/dapeng-2022-41").await;
    assert!(
        page.contains("南澳街道党建办、大鹏街道党建办"),
        "co-units on the task"
    );
    let nanao = common::beside(&head, "yangfan").await;
    let (_, body) = nanao.call("get_workbench", &[]).await;
    let bench: jiebang::domain::workbench::Workbench = serde_json::from_str(&body).expect("json");
    assert!(
        bench
            .shelf(jiebang::domain::workbench::Shelf::Co)
            .iter()
            .any(|i| i.task.number == 41)
    );
}
