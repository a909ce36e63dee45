//! The domain model in SurrealDB: create/read/update per aggregate, optimistic concurrency,
//! the audit trail in the same transaction, append-only reports, and lights on the demo plan.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use jiebang::AppError;
use jiebang::domain::report::ReportStatus;
use jiebang::domain::unit::UnitName;
use jiebang::domain::{
    Actor, ClaimForm, ClaimInput, Evidence, FieldError, Light, MilestoneForm, NewReport,
    PersonForm, PersonInput, PlanForm, PlanInput, PlanStatus, Problem, Refusal, ReportForm, Role,
    TaskForm, TaskId, TaskStatus, Transition, UnitId, UnitInput, UnitKind,
};
use jiebang::server::db::{self, audit, claims, people, plans, reports, tasks, units};
use surrealdb::types::SurrealValue;

fn organizer() -> Actor {
    Actor {
        name: "组织科 王芳".into(),
        role: Role::Organizer,
        unit: None,
    }
}

fn unit_actor(role: Role, unit: &str) -> Actor {
    Actor {
        name: format!("{unit} 用户"),
        role,
        unit: UnitId::parse(unit),
    }
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).expect("date")
}

#[derive(Debug, SurrealValue)]
struct Count {
    count: i64,
}

async fn count(db: &db::Db, what: &str) -> i64 {
    let rows: Vec<Count> = db
        .query(format!("SELECT count() FROM {what} GROUP ALL"))
        .await
        .expect("count")
        .take(0)
        .expect("rows");
    rows.first().map_or(0, |c| c.count)
}

fn unit_input(name: &str, parent: Option<&UnitId>) -> UnitInput {
    UnitInput {
        name: UnitName::parse(name).expect("name"),
        kind: UnitKind::Section,
        parent: parent.cloned(),
        active: true,
    }
}

#[tokio::test]
async fn units_and_people_create_read_update_with_versions_and_audit() {
    let db = common::database(false).await;
    let actor = organizer();
    let office = units::create_unit(&db, &actor, &unit_input("新区组织人事局", None))
        .await
        .expect("create");
    let section = units::create_unit(&db, &actor, &unit_input("组织科", Some(&office)))
        .await
        .expect("create");
    let listed = units::list_units(&db).await.expect("list");
    assert_eq!(listed.len(), 2);
    let s = units::get_unit(&db, &section)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (s.name.as_str(), s.parent.as_ref(), s.version),
        ("组织科", Some(&office), 1)
    );

    // Same name twice is refused by the unique index, with a clear message.
    let dup = units::create_unit(&db, &actor, &unit_input("组织科", None)).await;
    assert_eq!(dup, Err(AppError::Refused(Refusal::UnitNameTaken)));

    let v2 = units::update_unit(
        &db,
        &actor,
        &section,
        1,
        &unit_input("基层组织建设科", Some(&office)),
    )
    .await
    .expect("update");
    assert_eq!(v2, 2);
    // A stale version is refused and changes nothing.
    let stale = units::update_unit(&db, &actor, &section, 1, &unit_input("别的名字", None)).await;
    assert_eq!(stale, Err(AppError::Conflict));
    let s = units::get_unit(&db, &section)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((s.name.as_str(), s.version), ("基层组织建设科", 2));
    // A unit cannot be its own parent; a missing parent is refused.
    assert_eq!(
        units::update_unit(&db, &actor, &section, 2, &unit_input("x科", Some(&section))).await,
        Err(AppError::Refused(Refusal::OwnParent))
    );
    let ghost = UnitId::parse("ghost").expect("id");
    assert_eq!(
        units::create_unit(&db, &actor, &unit_input("y科", Some(&ghost))).await,
        Err(AppError::field("parent", Problem::NoSuchRecord))
    );

    let events = audit::events_for(&db, "unit", section.as_str())
        .await
        .expect("audit");
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["create", "update"]
    );
    assert!(events.iter().all(|e| e.actor == actor.name));

    // People.
    let input = PersonInput::parse(&person_form(
        "张丽",
        &section,
        "组织员",
        "0755-8433 3333",
        "zhang@dapeng.gov.cn",
    ))
    .expect("valid person");
    let person = people::create_person(&db, &actor, &input)
        .await
        .expect("create person");
    let people = people::list_people(&db, Some(&section))
        .await
        .expect("list");
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].unit_name, "基层组织建设科");
    let edited =
        PersonInput::parse(&person_form("张丽", &section, "组织科副科长", "", "")).expect("valid");
    assert_eq!(
        people::update_person(&db, &actor, &person, 1, &edited).await,
        Ok(2)
    );
    assert_eq!(
        people::update_person(&db, &actor, &person, 1, &edited).await,
        Err(AppError::Conflict)
    );
    let people = people::list_people(&db, None).await.expect("list");
    assert_eq!(
        (people[0].post.as_str(), people[0].phone.as_ref()),
        ("组织科副科长", None)
    );
    assert_eq!(
        audit::events_for(&db, "person", person.as_str())
            .await
            .expect("audit")
            .len(),
        2
    );

    // Invalid input: refused by the domain, and by the database when bypassing it.
    assert_eq!(
        PersonInput::parse(&person_form("张丽", &section, "", "", "not-an-email")),
        Err(vec![FieldError::new("email", Problem::BadFormat)])
    );
    assert!(PersonInput::parse(&person_form("", &section, "", "", "")).is_err());
    // A viewer cannot add people.
    let viewer = Actor {
        name: "访客".into(),
        role: Role::Viewer,
        unit: None,
    };
    assert_eq!(
        people::create_person(&db, &viewer, &input).await,
        Err(AppError::Forbidden)
    );
    let raw = db
        .query("CREATE person SET name = '李', unit = $unit, email = 'not-an-email'")
        .bind((
            "unit",
            surrealdb::types::RecordId::new("unit", section.as_str()),
        ))
        .await
        .and_then(|r| r.check());
    assert!(raw.is_err(), "database refuses a bad e-mail");
    assert_eq!(count(&db, "person").await, 1);
}

fn person_form(name: &str, unit: &UnitId, post: &str, phone: &str, email: &str) -> PersonForm {
    PersonForm {
        name: name.into(),
        unit: unit.to_string(),
        post: post.into(),
        phone: phone.into(),
        email: email.into(),
    }
}

fn task_fields(number: i64, criteria: &[&str]) -> TaskForm {
    TaskForm {
        number: number.to_string(),
        title: format!("第{number}项测试任务"),
        category: "组织建设".into(),
        description: "说明".into(),
        deadline: date(12, 31).to_string(),
        milestones: vec![
            MilestoneForm {
                title: "摸底".into(),
                due: date(5, 31).to_string(),
                done_on: date(5, 20).to_string(),
                target: String::new(),
            },
            MilestoneForm {
                title: "试点".into(),
                due: date(8, 20).to_string(),
                done_on: String::new(),
                target: String::new(),
            },
        ],
        criteria: criteria.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

fn plan_form(year: &str, title: &str, issuer: &UnitId, categories: &[&str]) -> PlanForm {
    PlanForm {
        year: year.into(),
        title: title.into(),
        issuer: issuer.to_string(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        yellow_behind: "10".into(),
        red_behind: "25".into(),
        due_soon_days: "15".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn plans_and_tasks_lifecycle_with_rules() {
    let db = common::database(false).await;
    let org = organizer();
    let office = units::create_unit(&db, &org, &unit_input("组织人事局", None))
        .await
        .expect("unit");
    let kuichong = units::create_unit(&db, &org, &unit_input("葵涌街道党建办", None))
        .await
        .expect("unit");
    let nanao = units::create_unit(&db, &org, &unit_input("南澳街道党建办", None))
        .await
        .expect("unit");

    let input = PlanInput::parse(&plan_form(
        "2022",
        "2022年度重点任务",
        &office,
        &["组织建设", " 基层治理 ", "组织建设"],
    ))
    .expect("valid plan");
    assert_eq!(input.categories, vec!["组织建设", "基层治理"]);
    let plan = plans::create_plan(&db, &org, &input).await.expect("plan");
    let p = plans::get_plan(&db, &plan)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((p.status, p.version), (PlanStatus::Draft, 1));

    // Only organizers create plans; bad plans are refused.
    let head = unit_actor(Role::UnitHead, kuichong.as_str());
    assert_eq!(
        plans::create_plan(&db, &head, &input).await,
        Err(AppError::Forbidden)
    );
    assert!(PlanInput::parse(&plan_form("1999", "x年度", &office, &["a"])).is_err());
    assert!(PlanInput::parse(&plan_form("2022", "年度", &office, &[])).is_err());

    // A draft takes a task without criteria, but cannot be published with it.
    let t1 = tasks::create_task(&db, &org, &plan, &task_fields(1, &[]))
        .await
        .expect("task");
    // Every task write moves the plan's version on, so a publish decided on an older list
    // of tasks is a conflict.
    assert_eq!(
        plans::transition_plan(&db, &org, &plan, 1, PlanStatus::Published).await,
        Err(AppError::Conflict)
    );
    let publish = plans::transition_plan(&db, &org, &plan, 2, PlanStatus::Published).await;
    assert_eq!(
        publish,
        Err(AppError::Refused(Refusal::NotPublishable {
            issues: vec![jiebang::domain::plan::PublishIssue::NoCriteria { number: 1 }]
        }))
    );
    // Same number twice is refused.
    let dup = tasks::create_task(&db, &org, &plan, &task_fields(1, &["x"])).await;
    assert_eq!(dup, Err(AppError::Refused(Refusal::NumberTaken)));
    // Validation: category, milestone after deadline, deadline outside the year.
    let mut bad = task_fields(2, &["x"]);
    bad.category = "不存在".into();
    assert_eq!(
        tasks::create_task(&db, &org, &plan, &bad).await,
        Err(AppError::field("category", Problem::UnknownValue))
    );
    let mut bad = task_fields(2, &["x"]);
    bad.deadline = date(6, 30).to_string();
    assert_eq!(
        tasks::create_task(&db, &org, &plan, &bad).await,
        Err(AppError::Invalid(vec![FieldError::at(
            "milestones",
            1,
            Problem::AfterDeadline
        )]))
    );
    let mut bad = task_fields(2, &["x"]);
    bad.deadline = "2024-01-01".into();
    assert_eq!(
        tasks::create_task(&db, &org, &plan, &bad).await,
        Err(AppError::field(
            "deadline",
            Problem::OutsideYear { year: 2022 }
        ))
    );

    // Edit: add criteria; a stale edit is refused and changes nothing.
    let v = tasks::update_task(
        &db,
        &org,
        &t1,
        1,
        &task_fields(1, &["覆盖率100%", "有台账"]),
        "",
    )
    .await
    .expect("edit");
    assert_eq!(v, 2);
    let stale = tasks::update_task(&db, &org, &t1, 1, &task_fields(1, &["被覆盖"]), "").await;
    assert_eq!(stale, Err(AppError::Conflict));
    let detail = tasks::detail(&db, &t1, date(7, 29))
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(detail.criteria.len(), 2);
    assert_eq!(detail.version, 2);
    assert_eq!(detail.milestones[0].done_on, Some(date(5, 20)));

    // Now it publishes; the plan version moved on (created, edited, published).
    assert_eq!(
        plans::transition_plan(&db, &org, &plan, 3, PlanStatus::Published).await,
        Ok(4)
    );
    assert_eq!(
        plans::transition_plan(&db, &org, &plan, 4, PlanStatus::Draft).await,
        Err(AppError::Refused(Refusal::NoSuchPlanMove {
            from: PlanStatus::Published,
            to: PlanStatus::Draft
        }))
    );

    // 揭榜认领 is a claim (several units may claim one task), not a bare move.
    assert_eq!(
        tasks::transition_task(&db, &head, &t1, 2, TaskStatus::Claimed, None).await,
        Err(AppError::Refused(Refusal::NoSuchMove {
            from: TaskStatus::Open,
            to: TaskStatus::Claimed
        }))
    );
    let pledge = |text: &str| {
        ClaimInput::parse(&ClaimForm {
            pledge: text.into(),
            ..Default::default()
        })
        .expect("claim")
    };
    let k = claims::file_claim(&db, &head, &t1, &pledge("葵涌认领"), date(7, 29))
        .await
        .expect("claim");
    let d = tasks::detail(&db, &t1, date(7, 29))
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(
        (d.status, d.responsibility.lead_unit.as_deref()),
        (TaskStatus::Claimed, None)
    );
    // 南澳 cannot withdraw 葵涌's claim; a liaison cannot confirm; skipping steps is refused.
    let nanao_head = unit_actor(Role::UnitHead, nanao.as_str());
    assert_eq!(
        claims::withdraw_claim(&db, &nanao_head, &k).await,
        Err(AppError::Refused(Refusal::NotOwnUnit))
    );
    let liaison = unit_actor(Role::Liaison, kuichong.as_str());
    assert_eq!(
        claims::confirm_claim(&db, &liaison, &k, None, date(7, 29)).await,
        Err(AppError::Refused(Refusal::RoleMayNotMove {
            role: Role::Liaison,
            transition: Transition::Confirm
        }))
    );
    let v = tasks::state(&db, &t1).await.expect("state").version;
    assert_eq!(
        tasks::transition_task(&db, &org, &t1, v, TaskStatus::Accepted, None).await,
        Err(AppError::Refused(Refusal::NoSuchMove {
            from: TaskStatus::Claimed,
            to: TaskStatus::Accepted
        }))
    );
    assert_eq!(
        tasks::transition_task(&db, &org, &t1, v - 1, TaskStatus::Cancelled, None).await,
        Err(AppError::Conflict)
    );

    // 撤回认领: nobody's claim waits any more, so the task is 待揭榜 again; 南澳 claims it.
    claims::withdraw_claim(&db, &head, &k)
        .await
        .expect("withdraw");
    let d = tasks::detail(&db, &t1, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(
        (d.status, d.responsibility.lead_unit_id),
        (TaskStatus::Open, None)
    );
    let n = claims::file_claim(&db, &nanao_head, &t1, &pledge("南澳认领"), date(7, 29))
        .await
        .expect("南澳 claims the released task");
    // 葵涌 cannot act on it.
    assert_eq!(
        claims::withdraw_claim(&db, &head, &n).await,
        Err(AppError::Refused(Refusal::NotOwnUnit))
    );
    // 确认挂牌: 南澳 now holds it.
    claims::confirm_claim(&db, &org, &n, None, date(7, 29))
        .await
        .expect("confirm");
    let d = tasks::detail(&db, &t1, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(
        (d.status, d.responsibility.lead_unit.as_deref()),
        (TaskStatus::InProgress, Some("南澳街道党建办"))
    );

    let actions: Vec<String> = audit::events_for(&db, "task", t1.as_str())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        vec!["create", "update", "claim", "withdrawn", "claim", "confirm"]
    );

    // 交办 names the unit it assigns to, which then holds the task, signs for it (签收) and
    // may act on it.
    let t2 = tasks::create_task(&db, &org, &plan, &task_fields(2, &["x"]))
        .await
        .expect("task 2");
    assert_eq!(
        tasks::transition_task(&db, &org, &t2, 1, TaskStatus::Assigned, None).await,
        Err(AppError::Refused(Refusal::AssigneeRequired))
    );
    let ghost = UnitId::parse("ghost").expect("id");
    assert_eq!(
        tasks::transition_task(&db, &org, &t2, 1, TaskStatus::Assigned, Some(&ghost)).await,
        Err(AppError::field("unit", Problem::NoSuchRecord))
    );
    let v = tasks::transition_task(&db, &org, &t2, 1, TaskStatus::Assigned, Some(&kuichong))
        .await
        .expect("assign");
    let d = tasks::detail(&db, &t2, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(
        (d.status, d.responsibility.lead_unit_id.as_ref()),
        (TaskStatus::Assigned, Some(&kuichong))
    );
    assert_eq!(
        tasks::transition_task(&db, &liaison, &t2, v, TaskStatus::Submitted, None).await,
        Err(AppError::Refused(Refusal::NoSuchMove {
            from: TaskStatus::Assigned,
            to: TaskStatus::Submitted
        }))
    );
    let v = tasks::transition_task(&db, &head, &t2, v, TaskStatus::InProgress, None)
        .await
        .expect("葵涌 signs for the assigned task");
    let n = tasks::criteria_count(&db, &t2).await.expect("n");
    jiebang::server::db::acceptance::submit_for_acceptance(
        &db,
        &liaison,
        &t2,
        v,
        &vec!["已完成".to_owned(); n],
    )
    .await
    .expect("葵涌's liaison submits the assigned task");

    // Added to the published plan with a lead unit, a task waits for that unit's 签收.
    let mut t3 = task_fields(3, &["x"]);
    t3.lead_unit = nanao.to_string();
    let t3 = tasks::create_task(&db, &org, &plan, &t3)
        .await
        .expect("task 3");
    let d = tasks::detail(&db, &t3, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(d.status, TaskStatus::Assigned);
}

#[tokio::test]
async fn reports_are_append_only_and_move_the_percent() {
    let db = common::database(true).await;
    let task = TaskId::parse("dapeng-2022-01").expect("id");
    let before = tasks::detail(&db, &task, date(7, 29))
        .await
        .expect("detail")
        .expect("exists");
    assert!(!before.reports.is_empty(), "the demo has report history");
    let reports_before = before.reports.len();

    let liaison = unit_actor(Role::Liaison, "zzk");
    let head = unit_actor(Role::UnitHead, "zzk");
    let open = before
        .milestones
        .iter()
        .position(|m| m.done_on.is_none())
        .expect("an open milestone") as u32;
    let report = NewReport::parse(
        &ReportForm {
            percent: "60".into(),
            done: "坝光新村等4个试点小区三方联动机制已运转".into(),
            problems: "璞岸花园小区业委会尚未成立".into(),
            next_steps: "8月20日前完成其余试点".into(),
            evidence: vec![Evidence {
                name: "试点小区会议纪要".into(),
                location: "台账/2022-08".into(),
            }],
            corrects: String::new(),
            reached: vec![(open, "2022-07-20".into())],
            part: String::new(),
        },
        date(7, 29),
    )
    .expect("valid report");
    // The liaison's report waits for the head: it changes nothing on the task yet.
    let (id, status) = reports::add_report(&db, &liaison, &task, &report, &[])
        .await
        .expect("report");
    assert_eq!(status, ReportStatus::Draft);
    let drafted = tasks::detail(&db, &task, date(7, 29))
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(drafted.percent, before.percent);
    assert_eq!(drafted.version, before.version);
    // Only the head of the unit 报送s it; then it counts, milestone and all.
    assert_eq!(
        reports::review_report(&db, &liaison, &id, None).await,
        Err(AppError::Refused(Refusal::RoleMayNotReview {
            role: Role::Liaison
        }))
    );
    assert_eq!(
        reports::review_report(&db, &unit_actor(Role::UnitHead, "lxk"), &id, None).await,
        Err(AppError::Refused(Refusal::NotOwnUnit))
    );
    assert_eq!(
        reports::review_report(&db, &head, &id, None).await,
        Ok(ReportStatus::Submitted)
    );
    assert_eq!(
        reports::review_report(&db, &head, &id, None).await,
        Err(AppError::Refused(Refusal::ReportDecided))
    );
    let after = tasks::detail(&db, &task, date(7, 29))
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(after.percent.value(), 60);
    assert_eq!(after.milestones[open as usize].done_on, Some(date(7, 20)));
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.reports.len(), reports_before + 1);
    assert_eq!(after.reports[0].id, id, "newest first");

    // A correction is a new report naming the old one.
    let correction = NewReport::parse(
        &ReportForm {
            percent: "55".into(),
            done: "更正:3个试点小区机制运转".into(),
            corrects: id.to_string(),
            ..Default::default()
        },
        date(7, 29),
    )
    .expect("valid");
    reports::add_report(&db, &head, &task, &correction, &[])
        .await
        .expect("correction");
    let list = reports::list_reports(&db, &task).await.expect("list");
    assert_eq!(list[0].corrects.as_ref(), Some(&id));
    assert_eq!(
        tasks::detail(&db, &task, date(7, 29))
            .await
            .expect("d")
            .expect("e")
            .percent
            .value(),
        55
    );
    // ... but only of a report of the same task.
    let other = TaskId::parse("dapeng-2022-02").expect("id");
    let lxk = unit_actor(Role::Liaison, "lxk");
    let wrong = NewReport::parse(
        &ReportForm {
            percent: "50".into(),
            done: "x".into(),
            corrects: id.to_string(),
            ..Default::default()
        },
        date(7, 29),
    )
    .expect("valid");
    assert_eq!(
        reports::add_report(&db, &lxk, &other, &wrong, &[])
            .await
            .map(|r| r.0),
        Err(AppError::Refused(Refusal::BadCorrection))
    );

    // Another unit cannot report on this task; a viewer cannot report at all.
    assert_eq!(
        reports::add_report(&db, &lxk, &task, &report, &[])
            .await
            .map(|r| r.0),
        Err(AppError::Refused(Refusal::NotOwnUnit))
    );
    let viewer = Actor {
        name: "访客".into(),
        role: Role::Viewer,
        unit: None,
    };
    assert_eq!(
        reports::add_report(&db, &viewer, &task, &report, &[])
            .await
            .map(|r| r.0),
        Err(AppError::Refused(Refusal::RoleMayNotReport {
            role: Role::Viewer
        }))
    );
    // Only tasks under way take reports: a task claimed but not yet started takes none. (Every
    // demo task is under way on 7-29, so task 6 is set back to 已认领 for this.)
    let claimed = TaskId::parse("dapeng-2022-06").expect("id");
    db.query("UPDATE task:`dapeng-2022-06` SET status = 'claimed'")
        .await
        .and_then(|r| r.check())
        .expect("set up a claimed task");
    let djxc = unit_actor(Role::Liaison, "djxc");
    assert_eq!(
        reports::add_report(&db, &djxc, &claimed, &report, &[])
            .await
            .map(|r| r.0),
        Err(AppError::Refused(Refusal::NotReportable {
            status: TaskStatus::Claimed
        }))
    );

    // Nothing reported is ever changed: raw UPDATE and DELETE are refused by the database.
    let update = db
        .query("UPDATE progress_report SET percent = 99 WHERE task = task:`dapeng-2022-01`")
        .await
        .and_then(|r| r.check());
    assert!(update.is_err());
    // Not even a decided report's status.
    let reopen = db
        .query("UPDATE progress_report SET status = 'draft' WHERE task = task:`dapeng-2022-01`")
        .await
        .and_then(|r| r.check());
    assert!(reopen.is_err());
    let delete = db
        .query("DELETE progress_report")
        .await
        .and_then(|r| r.check());
    assert!(delete.is_err());
    let audit_delete = db.query("DELETE audit_event").await.and_then(|r| r.check());
    assert!(audit_delete.is_err());
    assert_eq!(
        reports::list_reports(&db, &task).await.expect("list").len(),
        reports_before + 2
    );
    let events = audit::events_for(&db, "task", task.as_str())
        .await
        .expect("audit");
    assert_eq!(
        events.iter().filter(|e| e.action == "report_draft").count(),
        1
    );
    assert_eq!(events.iter().filter(|e| e.action == "report").count(), 1);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "report_approved")
            .count(),
        1
    );
}

#[tokio::test]
async fn audit_events_roll_back_with_a_failed_transaction() {
    let db = common::database(true).await;
    let events_before = count(&db, "audit_event").await;
    // A write whose second statement violates the schema: nothing of it stays.
    let result = db
        .query(
            "BEGIN TRANSACTION;
             CREATE audit_event CONTENT { actor: 't', entity: task:`dapeng-2022-01`, action: 'update', summary: 's' };
             UPDATE task:`dapeng-2022-01` SET percent = 150;
             COMMIT TRANSACTION;",
        )
        .await
        .and_then(|r| r.check());
    assert!(result.is_err());
    assert_eq!(count(&db, "audit_event").await, events_before);
    // A refused repository update leaves no event either.
    let org = organizer();
    let plan = jiebang::domain::PlanId::parse("dapeng-2022").expect("id");
    let stale = plans::transition_plan(&db, &org, &plan, 99, PlanStatus::Closed).await;
    assert_eq!(stale, Err(AppError::Conflict));
    assert_eq!(count(&db, "audit_event").await, events_before);
}

#[tokio::test]
async fn demo_board_on_meeting_day_shows_red_yellow_and_green() {
    let db = common::database(true).await;
    let board = plans::board(&db, None, date(7, 29))
        .await
        .expect("board")
        .expect("plan");
    assert_eq!(board.tasks.len(), 42);
    assert!(!board.calendar_missing, "2022's holidays ship with the app");
    let counts = board.light_counts();
    for light in [Light::Red, Light::Yellow, Light::Green] {
        let n = counts
            .iter()
            .find(|(l, _)| *l == light)
            .map_or(0, |(_, n)| *n);
        assert!(n >= 3, "{light:?}: {n} tasks; counts {counts:?}");
    }
    let first = &board.tasks[0];
    assert_eq!(first.owner.as_deref(), Some("王芳"));
    // Its 节点目标值: 20% by 5-31, 50% by 8-20 (the six pilots), 90% by 11-30, 100% by the
    // deadline; 7-29 is 59 of the 81 days from 5-31 to 8-20: 20 + 30 × 59 / 81 = 41.9.
    assert_eq!(first.expected, 41, "序时进度 of 支部建在小区上 on 7-29");
    // At 30% it is 11 points behind: yellow, and that is why.
    assert_eq!(first.light, Some(Light::Yellow));
    assert_eq!(
        first.reason,
        Some(jiebang::domain::LightReason::Behind { behind: 11 })
    );
    // Every task under way names why it has its light.
    for t in &board.tasks {
        let under_way = matches!(t.status, TaskStatus::InProgress | TaskStatus::Returned);
        assert_eq!(t.reason.is_some(), under_way, "task {}", t.number);
        if let Some(reason) = t.reason {
            assert_eq!(Some(reason.light()), t.light, "task {}", t.number);
        }
    }
    // A year later everything held and not done is overdue; the tasks nobody holds yet
    // (待挂牌, 待签收) show their waiting state instead of a light.
    let late = plans::board(&db, None, NaiveDate::from_ymd_opt(2023, 6, 1).expect("d"))
        .await
        .expect("board")
        .expect("plan");
    for t in &late.tasks {
        let expected = match t.status {
            TaskStatus::Accepted | TaskStatus::Submitted => Some(Light::Green),
            TaskStatus::Open
            | TaskStatus::Claimed
            | TaskStatus::Assigned
            | TaskStatus::Cancelled => None,
            TaskStatus::InProgress | TaskStatus::Returned => Some(Light::Red),
        };
        assert_eq!(t.light, expected, "task {}", t.number);
    }
    assert_eq!(late.tasks.iter().filter(|t| t.light.is_none()).count(), 2);
}

/// 调整: a published task's goals change only with a reason, and the task's history keeps
/// each change before and after; its number and holder stay; what acceptance recorded stays.
#[tokio::test]
async fn adjusting_a_published_task_keeps_before_and_after() {
    let db = common::database(true).await;
    let org = organizer();
    let id = TaskId::parse("dapeng-2022-01").expect("id");
    let view = tasks::edit_view(&db, &id)
        .await
        .expect("read")
        .expect("task 1");
    let before = tasks::detail(&db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    let mut form = view.form.clone();
    form.deadline = "2022-12-20".into();
    if let Some(last) = form.milestones.last_mut() {
        last.due = "2022-12-20".into();
    }
    form.criteria.push("每个小区党支部有活动阵地".into());
    // Trying to move the number and the holder through the form changes neither.
    form.number = "39".into();
    form.lead_unit = "dqzx".into();

    // No reason: refused, nothing changes.
    assert_eq!(
        tasks::update_task(&db, &org, &id, view.version, &form, " ").await,
        Err(AppError::field("reason", Problem::Required))
    );
    let unchanged = tasks::detail(&db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(unchanged.deadline, before.deadline);
    assert!(unchanged.adjustments.is_empty());

    let v = tasks::update_task(
        &db,
        &org,
        &id,
        view.version,
        &form,
        "专题调度会研究,提前完成",
    )
    .await
    .expect("adjusted");
    assert_eq!(v, view.version + 1);
    let after = tasks::detail(&db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(after.deadline, date(12, 20));
    assert_eq!(after.number, 1);
    assert_eq!(
        after.responsibility.lead_unit_id,
        before.responsibility.lead_unit_id
    );
    assert_eq!(after.criteria.len(), before.criteria.len() + 1);
    // A milestone reached before the change is still reached.
    let reached = |d: &jiebang::domain::TaskDetail| {
        d.milestones.iter().filter(|m| m.done_on.is_some()).count()
    };
    assert_eq!(reached(&after), reached(&before));
    assert_eq!(after.adjustments.len(), 1);
    let record = &after.adjustments[0];
    assert_eq!(record.reason, "专题调度会研究,提前完成");
    assert_eq!(record.author, org.name);
    let deadline = record.change.deadline.as_ref().expect("deadline changed");
    assert_eq!(
        (deadline.before, deadline.after),
        (before.deadline, date(12, 20))
    );
    let criteria = record.change.criteria.as_ref().expect("criteria changed");
    assert_eq!(criteria.before.len() + 1, criteria.after.len());
    assert!(record.change.milestones.is_some());

    // An edit that leaves the goals alone needs no reason and adds no record.
    let mut form = tasks::edit_view(&db, &id)
        .await
        .expect("r")
        .expect("t")
        .form;
    form.post = "组织委员".into();
    tasks::update_task(&db, &org, &id, v, &form, "")
        .await
        .expect("plain edit");
    let again = tasks::detail(&db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("e");
    assert_eq!(again.adjustments.len(), 1);
    assert_eq!(again.responsibility.post, "组织委员");

    // The record cannot be altered afterwards.
    let tamper = db
        .query("UPDATE task_adjustment SET reason = '改过的理由'")
        .await
        .and_then(|r| r.check());
    assert!(tamper.is_err(), "adjustment records are append-only");

    // Deleting and renumbering belong to drafts.
    assert_eq!(
        tasks::delete_task(&db, &org, &id, v + 1).await,
        Err(AppError::Refused(Refusal::PlanNotDraft))
    );
}

/// A draft's list is edited freely: tasks deleted, numbers closed up, references checked.
#[tokio::test]
async fn a_draft_list_is_edited_deleted_and_renumbered() {
    let db = common::database(true).await;
    let org = organizer();
    let mut form = plan_form(
        "2023",
        "2023年度重点任务(草稿)",
        &UnitId::parse("zzrsj").expect("id"),
        &["组织建设"],
    );
    form.claim_from = "2023-01-05".into();
    form.claim_to = "2023-01-20".into();
    let plan = plans::create_plan(&db, &org, &PlanInput::parse(&form).expect("plan"))
        .await
        .expect("draft");
    let p = plans::get_plan(&db, &plan).await.expect("g").expect("p");
    assert_eq!(
        p.claim_window
            .map(|w| (w.from.to_string(), w.to.to_string())),
        Some(("2023-01-05".into(), "2023-01-20".into()))
    );
    let task = |n: i64| {
        let mut t = task_fields(n, &["有台账"]);
        t.deadline = "2023-12-31".into();
        t.milestones.clear();
        t
    };
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            tasks::create_task(&db, &org, &plan, &task(n))
                .await
                .expect("task"),
        );
    }
    // Units and people that do not exist are named, field by field.
    let mut ghost = task(4);
    ghost.lead_unit = "no-such-unit".into();
    ghost.co_units = vec!["kysd".into(), "nowhere".into()];
    ghost.owner = "nobody".into();
    assert_eq!(
        tasks::create_task(&db, &org, &plan, &ghost).await,
        Err(AppError::Invalid(vec![
            FieldError::new("lead_unit", Problem::NoSuchRecord),
            FieldError::at("co_units", 1, Problem::NoSuchRecord),
            FieldError::new("owner", Problem::NoSuchRecord),
        ]))
    );
    // Task 2 goes; a stale delete is a conflict and changes nothing.
    assert_eq!(
        tasks::delete_task(&db, &org, &ids[1], 9).await,
        Err(AppError::Conflict)
    );
    tasks::delete_task(&db, &org, &ids[1], 1)
        .await
        .expect("delete");
    assert_eq!(
        tasks::delete_task(&db, &org, &ids[1], 1).await,
        Err(AppError::NotFound(jiebang::domain::Entity::Task))
    );
    // The gap stops 发榜 until the list is renumbered.
    let p = plans::get_plan(&db, &plan).await.expect("g").expect("p");
    assert!(matches!(
        plans::transition_plan(&db, &org, &plan, p.version, PlanStatus::Published).await,
        Err(AppError::Refused(Refusal::NotPublishable { .. }))
    ));
    assert_eq!(
        tasks::renumber_tasks(&db, &org, &plan, p.version).await,
        Ok(1)
    );
    let numbers: Vec<u32> = jiebang::server::db::ledger::plan_ledger(&db, &plan, date(7, 29))
        .await
        .expect("ledger")
        .expect("plan")
        .rows
        .iter()
        .map(|r| r.number)
        .collect();
    assert_eq!(numbers, vec![1, 2]);
    let head = unit_actor(Role::UnitHead, "kysd");
    assert_eq!(
        tasks::renumber_tasks(&db, &head, &plan, p.version + 1).await,
        Err(AppError::Forbidden)
    );
}
