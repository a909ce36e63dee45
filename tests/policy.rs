//! The policy, proven through the router: every endpoint is gated, the buttons a page offers
//! are the policy's moves, no audit event holds a password hash, and concurrent writes end in
//! one winner and clear conflicts — never a 500.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{TestApp, message, serve, signed_in, spawn};
use jiebang::domain::policy::{self, TaskFacts};
use jiebang::domain::{Actor, CurrentUser, TaskForm, TaskId, TaskStatus};
use jiebang::server::db::tasks;
use jiebang::server::seed::DEMO_PASSWORD;
use std::sync::Arc;
use surrealdb::types::SurrealValue;

/// Every server function, with a body that a permitted caller could send, and the status
/// expected without a session (0: any success) and as a viewer (`None`: not checked —
/// signing in and out is allowed).
/// Written out by hand, not computed from the policy.
const WALK: &[(&str, &str, u16, Option<u16>)] = &[
    ("sign_in", "username=guest&password=jiebang2022", 0, None),
    ("get_current_user", "", 200, Some(200)),
    ("sign_out", "", 401, None),
    ("sign_out_everywhere", "", 401, None),
    ("get_board", "", 401, Some(200)),
    ("get_board_trend", "", 401, Some(200)),
    // A viewer (an observer) sees the whole ranking; the rubric is the office's.
    ("get_ranking", "plan=dapeng-2022", 401, Some(200)),
    ("get_assessment", "task=dapeng-2022-19", 401, Some(200)),
    (
        "self_assess",
        "task=dapeng-2022-19&version=0&remarks=按期完成双报到工作,报到率100%",
        401,
        Some(403),
    ),
    (
        "review_assessment",
        "task=dapeng-2022-19&version=0&quality=35&innovation=8&note=完成较好",
        401,
        Some(403),
    ),
    (
        "confirm_assessment",
        "task=dapeng-2022-19&version=0",
        401,
        Some(403),
    ),
    (
        "save_rubric",
        "plan=dapeng-2022&version=0&form[on_time]=40&form[quality]=40&form[reporting]=10&form[innovation]=10&form[late_share]=50&form[red_grace_days]=10&form[red_day]=0.1&form[missed_report]=0.5&form[returned]=1&form[red_sheet]=2&form[key_weight]=150&form[co_share]=30",
        401,
        Some(403),
    ),
    // Observers read the whole 整改清单; the office keeps it.
    ("get_findings", "plan=dapeng-2022", 401, Some(200)),
    ("get_finding", "id=f-none", 401, Some(404)),
    (
        "add_finding",
        "plan=dapeng-2022&form[problem]=阵地建设不达标&form[source]=inspection&form[unit]=kysd&form[person]=刘强&form[measures]=限期完成改造&form[deadline]=2022-08-31&form[found_on]=",
        401,
        Some(403),
    ),
    (
        "decide_finding",
        "id=f-none&version=1&verdict=close",
        401,
        Some(403),
    ),
    ("get_duties", "plan=dapeng-2022", 401, Some(200)),
    ("get_points", "plan=dapeng-2022", 401, Some(200)),
    (
        "propose_points",
        "plan=dapeng-2022&form[unit]=dpsd&form[kind]=award&form[points]=1&form[reason]=经验被上级推广&form[on]=2022-07-20",
        401,
        Some(403),
    ),
    (
        "decide_points",
        "entry=none&version=1&decision=approve",
        401,
        Some(403),
    ),
    (
        "get_quarter_pack",
        "plan=dapeng-2022&quarter=3",
        401,
        Some(200),
    ),
    (
        "add_duty",
        "plan=dapeng-2022&form[level]=first&form[holder]=各单位党组织书记&form[content]=履行第一责任人职责&form[tasks]=1",
        401,
        Some(403),
    ),
    (
        "file_statement",
        "plan=dapeng-2022&version=0&text=全年认真履行党建工作第一责任人职责,按期完成各项任务。",
        401,
        Some(403),
    ),
    (
        "review_statement",
        "plan=dapeng-2022&unit=kysd&version=1&rating=good",
        401,
        Some(403),
    ),
    ("get_displays", "", 401, Some(403)),
    (
        "create_display",
        "label=会议室&cycle=category&seconds=20",
        401,
        Some(403),
    ),
    ("revoke_display", "id=x", 401, Some(403)),
    ("get_wall", "token=nope", 404, Some(404)),
    ("list_meetings", "", 401, Some(200)),
    ("get_meeting", "id=nope", 401, Some(404)),
    (
        "create_meeting",
        "plan=dapeng-2022&title=调度会&date=2022-07-29&time=09:30&place=会议室&host=林",
        401,
        Some(403),
    ),
    (
        "advance_meeting",
        "id=x&version=1&to=in_progress",
        401,
        Some(403),
    ),
    (
        "edit_agenda",
        "id=x&version=1&task=dapeng-2022-01&edit=up",
        401,
        Some(403),
    ),
    (
        "present_meeting_task",
        "meeting=x&task=dapeng-2022-01",
        401,
        Some(403),
    ),
    (
        "record_meeting_task",
        "meeting=x&task=dapeng-2022-01&verdict=on_track",
        401,
        Some(403),
    ),
    (
        "add_action_item",
        "meeting=x&task=dapeng-2022-01&content=交办&unit=zzk&due=2022-08-20",
        401,
        Some(403),
    ),
    ("answer_action_item", "id=x&feedback=已完成", 401, Some(403)),
    ("close_action_item", "id=x", 401, Some(403)),
    (
        "save_minutes",
        "id=x&version=1&overview=纪要",
        401,
        Some(403),
    ),
    ("publish_minutes", "id=x&version=1", 401, Some(403)),
    ("list_plans", "", 401, Some(403)),
    (
        "create_plan",
        "year=2023&title=2023年度任务&issuer=zzrsj&categories=组织建设&yellow_behind=10&red_behind=25&due_soon_days=15",
        401,
        Some(403),
    ),
    ("publish_plan", "id=dapeng-2022&version=1", 401, Some(403)),
    ("get_import_attempt", "id=x", 401, Some(403)),
    ("get_plan_ledger", "id=dapeng-2022", 401, Some(403)),
    (
        "add_task",
        "plan=dapeng-2022&form[number]=41&form[title]=新任务&form[category]=组织建设&form[deadline]=2022-12-31&form[criteria][0]=有台账",
        401,
        Some(403),
    ),
    (
        "edit_task",
        "id=dapeng-2022-01&version=1&reason=改&form[number]=1&form[title]=改名&form[category]=组织建设&form[deadline]=2022-12-31&form[criteria][0]=有台账",
        401,
        Some(403),
    ),
    ("delete_task", "id=dapeng-2022-01&version=1", 401, Some(403)),
    ("renumber_tasks", "id=dapeng-2022&version=1", 401, Some(403)),
    ("get_task_form", "id=dapeng-2022-01", 401, Some(403)),
    ("get_task", "id=dapeng-2022-01", 401, Some(200)),
    ("list_units", "", 401, Some(200)),
    ("list_people", "", 401, Some(200)),
    ("create_unit", "name=新科室&kind=section", 401, Some(403)),
    (
        "create_person",
        "name=张三&unit=zzk&post=&phone=&email=",
        401,
        Some(403),
    ),
    ("list_accounts", "", 401, Some(403)),
    (
        "create_account",
        "username=newbie&display_name=新人&role=viewer&password=newbie2022",
        401,
        Some(403),
    ),
    (
        "update_account",
        "id=guest&version=1&username=guest&display_name=访客&role=admin&active=true",
        401,
        Some(403),
    ),
    (
        "reset_password",
        "id=admin&password=taken2022over",
        401,
        Some(403),
    ),
    (
        "change_task_status",
        "id=dapeng-2022-16&version=1&to=accepted",
        401,
        Some(403),
    ),
    (
        "add_report",
        "id=dapeng-2022-01&percent=99&done=x&problems=&next_steps=",
        401,
        Some(403),
    ),
    ("approve_report", "report=x", 401, Some(403)),
    (
        "review_acceptance",
        "id=dapeng-2022-16&version=1&form[verdicts][0]=met",
        401,
        Some(403),
    ),
    (
        "return_report",
        "report=x&reason=请补充佐证",
        401,
        Some(403),
    ),
    ("get_task_claims", "id=dapeng-2022-01", 401, Some(200)),
    (
        "claim_task",
        "id=dapeng-2022-01&pledge=认领此任务&owner=&post=",
        401,
        Some(403),
    ),
    ("withdraw_claim", "claim=x", 401, Some(403)),
    ("confirm_claim", "claim=x&reason=", 401, Some(403)),
    ("decline_claim", "claim=x&reason=不予挂牌", 401, Some(403)),
    (
        "request_extension",
        "id=dapeng-2022-12&new_deadline=2022-12-30&reason=需顺延",
        401,
        Some(403),
    ),
    (
        "request_cancellation",
        "id=dapeng-2022-12&reason=任务已由上级统筹",
        401,
        Some(403),
    ),
    (
        "request_adjustment",
        "id=dapeng-2022-12&reason=按调度会要求细化&goals[criteria][0]=覆盖率100%25",
        401,
        Some(403),
    ),
    ("approve_request", "request=x&note=", 401, Some(403)),
    (
        "supervise_task",
        "id=dapeng-2022-12&kind=yellow&requirement=请报送整改措施&feedback_by=2022-08-05",
        401,
        Some(403),
    ),
    ("answer_supervision", "id=x&feedback=已落实", 401, Some(403)),
    ("get_notice_sheet", "id=x", 401, Some(404)),
    ("get_bulletin", "", 401, Some(200)),
    ("reject_request", "request=x&note=不同意", 401, Some(403)),
    (
        "set_reports_direct",
        "unit=kysd&version=1&on=true",
        401,
        Some(403),
    ),
    (
        "add_comment",
        "id=dapeng-2022-12&kind=comment&body=请加快进度",
        401,
        Some(403),
    ),
    (
        "submit_for_acceptance",
        "id=dapeng-2022-12&version=1&form[checks][0]=已完成",
        401,
        Some(403),
    ),
    (
        "sign_off_acceptance",
        "id=dapeng-2022-16&version=1&decision=accept",
        401,
        Some(403),
    ),
    // Everyone signed in has a 工作台 (a viewer's is empty) and an inbox.
    ("get_workbench", "", 401, Some(200)),
    ("get_inbox", "", 401, Some(200)),
    ("count_unread", "", 401, Some(200)),
    ("open_notice", "id=x", 401, Some(404)),
    ("mark_all_notices_read", "", 401, Some(200)),
    // The 消息通道 are the admin's; a person's own e-mail choice is everyone's.
    ("get_channels", "", 401, Some(403)),
    ("get_calendars", "", 401, Some(403)),
    (
        "save_calendar",
        "year=2027&holidays=元旦 2027-01-01",
        401,
        Some(403),
    ),
    (
        "create_robot",
        "name=群&platform=wecom&audience=office&url=https://qyapi.weixin.qq.com/x",
        401,
        Some(403),
    ),
    (
        "switch_robot",
        "id=x&version=1&enabled=false",
        401,
        Some(403),
    ),
    ("delete_robot", "id=x", 401, Some(403)),
    ("test_robot", "id=x", 401, Some(403)),
    (
        "save_smtp",
        "host=smtp.example.com&port=465&security=tls&from=a@example.com",
        401,
        Some(403),
    ),
    ("test_mail", "address=a@example.com", 401, Some(403)),
    ("get_mail_preference", "", 401, Some(200)),
    ("set_mail_preference", "email=", 401, Some(200)),
];

#[derive(Debug, SurrealValue)]
struct Count {
    n: i64,
}

async fn audit_events(app: &TestApp) -> i64 {
    let row: Option<Count> = app
        .db
        .query("RETURN { n: count(SELECT id FROM audit_event) }")
        .await
        .expect("q")
        .take(0)
        .expect("row");
    row.expect("count").n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_is_gated() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    for path in &registered {
        assert!(
            WALK.iter().any(|(e, ..)| format!("/api/{e}") == *path),
            "{path} is missing from the walk"
        );
    }
    let anonymous = spawn(true).await;
    let viewer = signed_in("guest").await;
    let events = audit_events(&viewer).await;
    for (endpoint, body, without_session, as_viewer) in WALK {
        let origin = anonymous.base.clone();
        let (status, answer) = anonymous
            .post_raw(endpoint, body.to_string(), &[("origin", origin.as_str())])
            .await;
        if *without_session == 0 {
            assert!(
                status < 400,
                "{endpoint} without a session: {status} {answer}"
            );
        } else {
            assert_eq!(
                status, *without_session,
                "{endpoint} without a session: {answer}"
            );
        }
        if let Some(expected) = as_viewer {
            let origin = viewer.base.clone();
            let (status, answer) = viewer
                .post_raw(endpoint, body.to_string(), &[("origin", origin.as_str())])
                .await;
            assert_eq!(status, *expected, "{endpoint} as a viewer: {answer}");
            if *expected >= 400 {
                assert!(!message(&answer).is_empty(), "{endpoint}: {answer}");
            }
        }
    }
    assert_eq!(
        audit_events(&viewer).await,
        events,
        "a viewer changed something"
    );
    // An /api/ path that is no server function is not found, before any session check.
    let (status, _) = anonymous
        .post_raw("drop_tables", "", &[("origin", "x")])
        .await;
    assert_eq!(status, 403, "cross-site first");
    let origin = anonymous.base.clone();
    let (status, _) = anonymous
        .post_raw("drop_tables", "", &[("origin", origin.as_str())])
        .await;
    assert_eq!(status, 404);
}

/// The `to` codes of the move buttons on a task page.
fn buttons(html: &str) -> Vec<String> {
    html.split("data-transition=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buttons_a_role_sees_are_the_policys_moves() {
    let first = spawn(true).await;
    // On 7-29 every demo task is under way or further; a few are set to the other statuses so
    // the walk meets every one of them.
    first
        .db
        .query(
            "UPDATE task:`dapeng-2022-06` SET status = 'claimed';
             UPDATE task:`dapeng-2022-33` SET status = 'open', lead_unit = NONE, owner = NONE;
             UPDATE task:`dapeng-2022-35` SET status = 'assigned';
             UPDATE task:`dapeng-2022-38` SET status = 'returned';
             UPDATE task:`dapeng-2022-20` SET status = 'cancelled';",
        )
        .await
        .and_then(|r| r.check())
        .expect("statuses set up");
    let ids: Vec<TaskId> = (1..=40)
        .map(|n| TaskId::parse(&format!("dapeng-2022-{n:02}")).expect("id"))
        .collect();
    let mut seen_statuses = std::collections::HashSet::new();
    for user in [
        "wangfang", "liuqiang", "jianglin", "yangfan", "linxh", "guest",
    ] {
        let app = serve(first.db.clone()).await;
        assert!(app.signs_in(user, DEMO_PASSWORD).await);
        let (_, me) = app.call("get_current_user", &[]).await;
        let me: CurrentUser = serde_json::from_str(&me).expect("user");
        let actor: Actor = me.actor();
        let app = Arc::new(app);
        let mut pages = tokio::task::JoinSet::new();
        for id in ids.clone() {
            let app = app.clone();
            pages.spawn(async move {
                let html = app.get(&format!("/tasks/{id}")).await.1;
                (id, html)
            });
        }
        while let Some(page) = pages.join_next().await {
            let (id, html) = page.expect("page");
            let state = tasks::state(&first.db, &id).await.expect("state");
            seen_statuses.insert(state.status);
            let facts = TaskFacts {
                status: state.status,
                lead_unit: state.lead_unit.as_ref(),
            };
            let moves = policy::moves(&actor, facts);
            // 验收销号 / 退回整改 come as the per-criterion review form, not as buttons.
            let reviews = moves
                .iter()
                .any(|m| matches!(m.to, TaskStatus::Accepted | TaskStatus::Returned));
            assert_eq!(
                html.contains("id=\"acceptance-form\""),
                reviews,
                "{user} on {id}: acceptance form"
            );
            let expected: Vec<String> = moves
                .into_iter()
                .filter(|m| !matches!(m.to, TaskStatus::Accepted | TaskStatus::Returned))
                .map(|m| m.to.code().to_owned())
                .collect();
            assert_eq!(
                buttons(&html),
                expected,
                "{user} on {id} ({:?})",
                state.status
            );
            // A co-unit's head or liaison gets the form of its part (配合单位报送).
            let co: Vec<surrealdb::types::RecordId> = first
                .db
                .query("SELECT VALUE co_units FROM ONLY $id")
                .bind(("id", surrealdb::types::RecordId::new("task", id.as_str())))
                .await
                .expect("q")
                .take(0)
                .expect("co_units");
            let co: Vec<jiebang::domain::UnitId> = co
                .iter()
                .filter_map(|u| match &u.key {
                    surrealdb::types::RecordIdKey::String(k) => jiebang::domain::UnitId::parse(k),
                    _ => None,
                })
                .collect();
            let part = policy::report_part(&actor, facts, &co).ok();
            assert_eq!(
                html.contains("class=\"report-form\""),
                part.is_some(),
                "{user} on {id}: report form"
            );
            assert_eq!(
                html.contains("name=\"part\" value=\"co\""),
                part == Some(jiebang::domain::report::ReportPart::Co),
                "{user} on {id}: the co-unit's part"
            );
        }
    }
    assert_eq!(
        seen_statuses.len(),
        8,
        "statuses covered: {seen_statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_audit_event_ever_holds_a_password_hash() {
    let admin = signed_in("admin").await;
    let (status, body) = admin
        .call(
            "create_account",
            &[
                ("username", "xujq"),
                ("display_name", "徐建泉"),
                ("role", "liaison"),
                ("unit", "zzk"),
                ("password", "xujq2022ok"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = admin
        .call(
            "update_account",
            &[
                ("id", "guest"),
                ("version", "1"),
                ("username", "guest"),
                ("display_name", "访客"),
                ("role", "viewer"),
                ("unit", ""),
                ("active", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = admin
        .call(
            "reset_password",
            &[("id", "liuqiang"), ("password", "liuqiang2023")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let events: Vec<surrealdb::types::Value> = admin
        .db
        .query("SELECT * FROM audit_event")
        .await
        .expect("q")
        .take(0)
        .expect("rows");
    assert!(events.len() > 3);
    let dump = format!("{events:?}");
    assert!(
        dump.contains("xujq") && dump.contains("重置密码"),
        "the events are there"
    );
    assert!(!dump.contains("$argon2"), "a hash reached the audit trail");
    let accounts: Vec<surrealdb::types::Value> = admin
        .db
        .query("SELECT * FROM account")
        .await
        .expect("q")
        .take(0)
        .expect("rows");
    assert!(!format!("{accounts:?}").contains("$argon2"));
    // The new password works, the old one does not.
    let other = serve(admin.db.clone()).await;
    assert!(other.signs_in("liuqiang", "liuqiang2023").await);
    assert!(!other.signs_in("guest", DEMO_PASSWORD).await, "disabled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_same_version_writes_one_winner_nineteen_conflicts() {
    let org = signed_in("wangfang").await;
    let organizer = Actor {
        name: "组织科 王芳".into(),
        role: jiebang::domain::Role::Organizer,
        unit: None,
    };
    let plan = jiebang::domain::PlanId::parse("dapeng-2022").expect("id");
    let org = Arc::new(org);
    for round in 0..20 {
        let form = TaskForm {
            number: (100 + round).to_string(),
            title: format!("并发测试任务{round}"),
            category: "组织建设".into(),
            deadline: "2022-12-31".into(),
            criteria: vec!["完成".into()],
            ..Default::default()
        };
        let id = tasks::create_task(&org.db, &organizer, &plan, &form)
            .await
            .expect("task");
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let org = org.clone();
            let id = id.to_string();
            calls.spawn(async move {
                org.call(
                    "change_task_status",
                    &[
                        ("id", &id),
                        ("version", "1"),
                        ("to", "assigned"),
                        ("unit", "kysd"),
                    ],
                )
                .await
            });
        }
        let mut statuses = Vec::new();
        while let Some(done) = calls.join_next().await {
            let (status, body) = done.expect("call");
            if status == 409 {
                assert!(message(&body).contains("数据已被他人修改"), "{body}");
            }
            statuses.push(status);
        }
        statuses.sort_unstable();
        let ok = statuses.iter().filter(|s| **s == 200).count();
        let conflicts = statuses.iter().filter(|s| **s == 409).count();
        assert_eq!((ok, conflicts), (1, 19), "round {round}: {statuses:?}");
        let state = tasks::state(&org.db, &id).await.expect("state");
        assert_eq!(state.version, 2, "exactly one write landed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_requests_of_one_session_across_the_refresh_never_fail() {
    let app = Arc::new(signed_in("liuqiang").await);
    for round in 0..5 {
        // Make the idle-clock refresh due, then hit it with one browser's worth of requests.
        app.db
            .query("UPDATE session SET last_seen = time::now() - 2m")
            .await
            .expect("age")
            .check()
            .expect("ok");
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..64 {
            let app = app.clone();
            calls.spawn(async move {
                if i % 2 == 0 {
                    app.call("get_board", &[]).await.0
                } else {
                    app.get("/tasks/dapeng-2022-12").await.0
                }
            });
        }
        let mut failures = Vec::new();
        while let Some(done) = calls.join_next().await {
            let status = done.expect("call");
            if status != 200 {
                failures.push(status);
            }
        }
        assert!(failures.is_empty(), "round {round}: {failures:?}");
        // The first round's refresh did happen (in the background); later rounds in the
        // same minute leave it alone by design.
        if round == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            #[derive(Debug, SurrealValue)]
            struct Fresh {
                fresh: bool,
            }
            let row: Option<Fresh> = app
                .db
                .query(
                    "RETURN { fresh: (SELECT VALUE last_seen FROM session)[0] > time::now() - 1m }",
                )
                .await
                .expect("q")
                .take(0)
                .expect("row");
            assert!(row.expect("row").fresh, "the idle clock was refreshed");
        }
    }
}

/// Many pages rendered at once all finish. (Pages once stalled now and then under load while
/// several Suspense boundaries awaited one shared resource, the signed-in user; it now comes
/// with the request instead.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_pages_rendered_sixty_four_at_a_time_all_finish() {
    let app = Arc::new(signed_in("wangfang").await);
    let paths = [
        "/tasks/dapeng-2022-12",
        "/",
        "/units",
        "/plans",
        "/tasks/dapeng-2022-03",
    ];
    let slots = Arc::new(tokio::sync::Semaphore::new(64));
    let mut pages = tokio::task::JoinSet::new();
    for i in 0..300 {
        let app = app.clone();
        let slot = slots.clone().acquire_owned().await.expect("slot");
        let path = paths[i % paths.len()];
        pages.spawn(async move {
            let began = std::time::Instant::now();
            let (status, body) = app.get(path).await;
            drop(slot);
            (path, status, body.contains("</html>"), began.elapsed())
        });
    }
    let mut slowest = std::time::Duration::ZERO;
    while let Some(done) = pages.join_next().await {
        let (path, status, whole, took) = done.expect("page");
        assert_eq!((status, whole), (200, true), "{path}");
        slowest = slowest.max(took);
    }
    eprintln!("slowest of 300 pages: {slowest:?}");
}
