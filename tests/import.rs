//! Importing a task list: the 台账 exported from the demo reads back as the same tasks; a file
//! with bad rows lists exactly those problems and writes nothing; GB18030 CSV; refusals.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use jiebang::AppError;
use jiebang::domain::import::{ImportIssue, ImportProblem};
use jiebang::domain::{Actor, PlanForm, PlanId, PlanInput, PlanStatus, Problem, Refusal, Role};
use jiebang::server::db::{self, ledger, plans, tasks};
use jiebang::server::{export, import};

fn organizer() -> Actor {
    Actor {
        name: "组织科 王芳".into(),
        role: Role::Organizer,
        unit: None,
    }
}

fn date(m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2022, m, d).expect("date")
}

/// A draft plan beside the demo's, with the demo's categories.
async fn draft(db: &db::Db, title: &str) -> PlanId {
    let demo = plans::get_plan(db, &PlanId::parse("dapeng-2022").expect("id"))
        .await
        .expect("get")
        .expect("demo plan");
    let form = PlanForm {
        year: "2022".into(),
        title: title.into(),
        issuer: "zzrsj".into(),
        categories: demo.categories.clone(),
        yellow_behind: "10".into(),
        red_behind: "25".into(),
        due_soon_days: "15".into(),
        ..Default::default()
    };
    let input = PlanInput::parse(&form).expect("plan");
    plans::create_plan(db, &organizer(), &input)
        .await
        .expect("draft")
}

/// A draft beside the demo's, and its first category.
async fn draft_with_category(db: &db::Db, title: &str) -> (PlanId, String) {
    let plan = draft(db, title).await;
    let category = plans::get_plan(db, &plan)
        .await
        .expect("get")
        .expect("plan")
        .categories[0]
        .clone();
    (plan, category)
}

async fn task_count(db: &db::Db, plan: &PlanId) -> usize {
    let ids: Vec<surrealdb::types::RecordId> = db
        .query("SELECT VALUE id FROM task WHERE plan = $plan")
        .bind((
            "plan",
            surrealdb::types::RecordId::new("plan", plan.as_str()),
        ))
        .await
        .expect("q")
        .take(0)
        .expect("ids");
    ids.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exported_ledger_imports_as_the_same_tasks() {
    let db = common::database(true).await;
    let original = ledger::board_ledger(&db, None, date(7, 29))
        .await
        .expect("ledger")
        .expect("plan");
    let file = export::ledger_xlsx(&original).expect("xlsx");
    let plan = draft(&db, "2022年度基层党建重点任务(导入)").await;
    let count = import::import_tasks(&db, &organizer(), &plan, 1, &file, false)
        .await
        .map(|i| i.tasks)
        .expect("a clean import");
    assert_eq!(count, 42);
    for row in &original.rows {
        let id = jiebang::domain::TaskId::parse(&format!("{plan}-{:02}", row.number)).expect("id");
        let t = tasks::detail(&db, &id, date(7, 29))
            .await
            .expect("detail")
            .expect("imported task");
        let n = row.number;
        assert_eq!(t.title, row.title, "task {n}");
        assert_eq!(t.category, row.category, "task {n}");
        assert_eq!(t.deadline, row.deadline, "task {n}");
        assert_eq!(t.milestones, row.milestones, "task {n}");
        let texts =
            |c: &[jiebang::domain::Criterion]| c.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&t.criteria), texts(&row.criteria), "task {n}");
        let r = &t.responsibility;
        let o = &row.responsibility;
        assert_eq!(
            (&r.lead_unit, &r.co_units, &r.owner, &r.post, &r.supervisor),
            (&o.lead_unit, &o.co_units, &o.owner, &o.post, &o.supervisor),
            "task {n}"
        );
        // An import starts the year: every task waits for 揭榜, at 0%.
        assert_eq!(t.status, jiebang::domain::TaskStatus::Open);
    }
    // Importing again replaces the draft's tasks instead of adding to them.
    import::import_tasks(&db, &organizer(), &plan, 2, &file, false)
        .await
        .map(|i| i.tasks)
        .expect("re-import");
    assert_eq!(task_count(&db, &plan).await, 42);
}

/// A CSV as WPS saves it: GB18030, a title row, the office's own headers.
fn gb18030_csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(
        "大鹏新区2022年度重点任务\n序号,类别,任务,牵头单位,责任人,推进目标,完成时限,验收标准\n",
    );
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    encoding_rs::GB18030.encode(&text).0.into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_row_is_listed_and_nothing_is_written() {
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(CSV)").await;
    let good = |n: u32| {
        format!(
            "{n},组织建设,第{n}项任务,组织科,王芳,\"2022年6月30日 摸底\n2022/9/30 试点\",2022年12月31日,有台账"
        )
    };
    let mut rows: Vec<String> = (1..=10).map(good).collect();
    rows[2] = "3,组织建设,第3项任务,不存在科,王芳,,2022-12-31,有台账".into();
    rows[5] = "6,组织建设,第6项任务,组织科,王芳,9月底 试点,2022-12-31,有台账".into();
    rows[8] = "9,组织建设,第9项任务,组织科,王芳,,2022-12-31,".into();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let err = import::import_tasks(&db, &organizer(), &plan, 1, &gb18030_csv(&refs), false)
        .await
        .map(|i| i.tasks)
        .expect_err("three bad rows");
    let AppError::Import(problems) = &err else {
        panic!("{err:?}");
    };
    let places: Vec<(u32, &str)> = problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        places,
        vec![(5, "牵头单位"), (8, "推进目标"), (11, "验收标准")]
    );
    assert_eq!(
        problems[2].issue,
        ImportIssue::Field {
            problem: Problem::Required
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("第 5 行“牵头单位”列:单位“不存在科”不存在"),
        "{text}"
    );
    assert!(text.contains("第 11 行“验收标准”列:不能为空"), "{text}");
    assert_eq!(task_count(&db, &plan).await, 0, "nothing written");

    // Fixed, the same file imports.
    rows[2] = good(3);
    rows[5] = good(6);
    rows[8] = good(9);
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let count = import::import_tasks(&db, &organizer(), &plan, 1, &gb18030_csv(&refs), false)
        .await
        .map(|i| i.tasks)
        .expect("clean");
    assert_eq!(count, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_are_refused_where_they_do_not_belong() {
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(拒绝)").await;
    let file = gb18030_csv(&["1,组织建设,任务一,组织科,王芳,,2022-12-31,有台账"]);
    // Only the office imports.
    let head = Actor {
        name: "葵涌 刘强".into(),
        role: Role::UnitHead,
        unit: jiebang::domain::UnitId::parse("kysd"),
    };
    assert_eq!(
        import::import_tasks(&db, &head, &plan, 1, &file, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Forbidden)
    );
    // A stale version, a published plan, a file that is no list.
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 7, &file, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Conflict)
    );
    let demo = PlanId::parse("dapeng-2022").expect("id");
    assert_eq!(
        import::import_tasks(&db, &organizer(), &demo, 1, &file, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Refused(Refusal::PlanNotDraft))
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, png, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Import(vec![ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::Unreadable
        }]))
    );
    assert_eq!(task_count(&db, &plan).await, 0);
    let p = plans::get_plan(&db, &plan)
        .await
        .expect("get")
        .expect("plan");
    assert_eq!((p.status, p.version), (PlanStatus::Draft, 1));
}

/// Uploads a file the way the plans page's form does; returns status and `Location`.
async fn upload(app: &common::TestApp, plan: &str, version: &str, file: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("version", version.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name("任务清单.csv"),
        );
    let mut req = app
        .client
        .post(format!("{}/plans/{plan}/import", app.base))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .multipart(form);
    if let Some(cookie) = app.cookie.lock().expect("lock").clone() {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.expect("POST");
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_creates_imports_and_publishes_through_the_pages() {
    let org = common::signed_in("wangfang").await;
    let (status, body) = org
        .call(
            "create_plan",
            &[
                ("year", "2023"),
                ("title", "2023年度基层党建重点任务"),
                ("issuer", "zzrsj"),
                ("categories", "组织建设\n基层治理"),
                ("yellow_behind", "10"),
                ("red_behind", "25"),
                ("due_soon_days", "15"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let plan: String = serde_json::from_str(&body).expect("plan id");
    let csv = |criteria: &str| {
        let text = format!(
            "序号,类别,任务,牵头单位,推进目标,完成时限,验收标准\n1,组织建设,支部建在小区上,组织科,\"2023年8月20日 6个试点小区\",2023-12-31,{criteria}\n2,基层治理,双报到,组织科,,2023/11/30,有台账\n"
        );
        encoding_rs::GB18030.encode(&text).0.into_owned()
    };
    // A file with a problem: 303 to the page, which lists it.
    let (status, location) = upload(&org, &plan, "1", csv("")).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/plans?attempt="), "{location}");
    let (status, html) = org.get(&location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("第 2 行“验收标准”列:不能为空"),
        "the page lists the problem"
    );
    // Fixed: imported and published; the board shows the new plan.
    let (status, location) = upload(&org, &plan, "1", csv("覆盖率100%")).await;
    assert_eq!((status, location.as_str()), (303, "/plans?imported=2"));
    let (status, html) = org.get("/plans?imported=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("已导入 2 项任务"));
    // A workbook with merged areas says so after the import.
    let (_, html) = org.get("/plans?imported=3&merged=2").await;
    assert!(html.contains("已导入 3 项任务。表中 2 处合并单元格已按所覆盖的每一行取同一值。"));
    let (status, body) = org
        .call("publish_plan", &[("id", &plan), ("version", "2")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = org.get("/").await;
    assert!(html.contains("2023年度基层党建重点任务") && html.contains("支部建在小区上"));

    // Others may not upload; a file over the limit is refused with 413.
    let guest = common::serve(org.db.clone()).await;
    assert!(
        guest
            .signs_in("guest", jiebang::server::seed::DEMO_PASSWORD)
            .await
    );
    assert_eq!(upload(&guest, &plan, "3", csv("x")).await.0, 403);
    let anonymous = common::serve(org.db.clone()).await;
    assert_eq!(upload(&anonymous, &plan, "3", csv("x")).await.0, 401);
    let big = vec![b'x'; 11 * 1024 * 1024];
    assert_eq!(upload(&org, &plan, "3", big).await.0, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_refuses_every_broken_case_at_once() {
    use jiebang::domain::plan::PublishIssue;
    use jiebang::domain::{MilestoneForm, TaskForm};
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(发榜检查)").await;
    let office = organizer();
    let publish =
        |version| plans::transition_plan(&db, &office, &plan, version, PlanStatus::Published);
    assert_eq!(
        publish(1).await,
        Err(AppError::Refused(Refusal::NotPublishable {
            issues: vec![PublishIssue::NoTasks]
        }))
    );
    let category = plans::get_plan(&db, &plan)
        .await
        .expect("get")
        .expect("plan")
        .categories[0]
        .clone();
    for (number, criteria) in [(1, vec![]), (3, vec!["有台账".to_owned()])] {
        let form = TaskForm {
            number: number.to_string(),
            title: format!("第{number}项任务"),
            category: category.clone(),
            deadline: "2022-12-31".into(),
            milestones: vec![MilestoneForm {
                title: "摸底".into(),
                due: "2022-06-30".into(),
                done_on: String::new(),
                target: String::new(),
            }],
            criteria,
            ..Default::default()
        };
        tasks::create_task(&db, &organizer(), &plan, &form)
            .await
            .expect("draft task");
    }
    // Each added task moved the plan's version on (1 → 3).
    assert_eq!(publish(1).await, Err(AppError::Conflict));
    assert_eq!(
        publish(3).await,
        Err(AppError::Refused(Refusal::NotPublishable {
            issues: vec![
                PublishIssue::NumberMissing { number: 2 },
                PublishIssue::NoCriteria { number: 1 },
            ]
        }))
    );
    // Moving the draft to another year puts every deadline outside it.
    let p = plans::get_plan(&db, &plan)
        .await
        .expect("get")
        .expect("plan");
    let form = PlanForm {
        year: "2024".into(),
        title: p.title.clone(),
        issuer: "zzrsj".into(),
        categories: p.categories.clone(),
        yellow_behind: "10".into(),
        red_behind: "25".into(),
        due_soon_days: "15".into(),
        ..Default::default()
    };
    let v = plans::update_plan(
        &db,
        &organizer(),
        &plan,
        3,
        &PlanInput::parse(&form).expect("plan"),
    )
    .await
    .expect("update");
    let err = publish(v).await.expect_err("refused");
    let AppError::Refused(Refusal::NotPublishable { issues }) = &err else {
        panic!("{err:?}");
    };
    assert!(issues.contains(&PublishIssue::DeadlineOutsideYear { number: 1 }));
    assert!(issues.contains(&PublishIssue::DeadlineOutsideYear { number: 3 }));
    assert!(err.to_string().starts_with("暂不能发榜:"), "{err}");
    assert_eq!(task_count(&db, &plan).await, 2, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_template_has_the_headers_lists_and_an_example_that_is_not_imported() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let org = common::signed_in("wangfang").await;
    let plan = draft(&org.db, "2022年度重点任务(模板)").await;
    let (status, bytes) = org.download(&format!("/plans/{plan}/template")).await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("xlsx");
    assert_eq!(book.sheet_names(), vec!["任务清单", "填写说明", "选项"]);
    let sheet = book.worksheet_range("任务清单").expect("sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let headers: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, jiebang::domain::import::template_headers());
    assert_eq!(rows[1][0].to_string(), "示例");
    let options = book.worksheet_range("选项").expect("options");
    assert!(options.rows().any(|r| {
        r.iter()
            .any(|c| *c == Data::String("葵涌街道党建办".into()))
    }));
    // Uploaded as it is, the template imports nothing: its only row is the example.
    assert_eq!(
        import::import_tasks(&org.db, &organizer(), &plan, 1, &bytes, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Import(vec![ImportProblem {
            row: 2,
            column: String::new(),
            issue: ImportIssue::NoTasks
        }]))
    );
    // Only the office may download it.
    let guest = common::serve(org.db.clone()).await;
    assert!(
        guest
            .signs_in("guest", jiebang::server::seed::DEMO_PASSWORD)
            .await
    );
    let (status, _) = guest.download(&format!("/plans/{plan}/template")).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_adds_tasks_to_a_draft_through_the_form() {
    let org = common::signed_in("wangfang").await;
    let (plan, category) = draft_with_category(&org.db, "2022年度重点任务(逐项添加)").await;
    // The fields as the task form names them; rows keep the keys the page gave them, gaps
    // and all (a removed row leaves one).
    let add = |rows: Vec<(&'static str, &'static str)>| {
        let plan = plan.to_string();
        let category = category.clone();
        let org = &org;
        async move {
            let mut fields: Vec<(&str, &str)> = vec![
                ("plan", &plan),
                ("form[title]", "推进“支部建在小区上”"),
                ("form[category]", &category),
                ("form[lead_unit]", "kysd"),
                ("form[co_units][]", "nasd"),
                ("form[owner]", "p-liuq"),
                ("form[post]", "葵涌街道党建办主任"),
                ("form[deadline]", "2022-12-31"),
                ("form[key]", "true"),
            ];
            fields.extend(rows);
            org.call("add_task", &fields).await
        }
    };
    let (status, body) = add(vec![
        ("form[number]", "1"),
        ("form[milestones][0][due]", "8月底"),
        ("form[milestones][0][title]", "摸底"),
        ("form[milestones][3][due]", "2022-12-31"),
        ("form[milestones][3][title]", "全覆盖"),
        ("form[milestones][3][target]", "120"),
    ])
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        common::message(&body),
        "第 1 条推进目标不是有效日期(格式如 2022-08-20);第 2 条推进目标须在 0 到 100 之间"
    );
    let (status, body) = add(vec![
        ("form[number]", "1"),
        ("form[milestones][5][due]", "2022-12-31"),
        ("form[milestones][5][title]", "全覆盖"),
        ("form[milestones][2][due]", "2022-08-20"),
        ("form[milestones][2][title]", "6个试点小区"),
        ("form[milestones][2][target]", "60"),
        ("form[criteria][0]", "覆盖率100%"),
        ("form[criteria][4]", ""),
    ])
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, html) = org.get(&format!("/plans/{plan}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("推进“支部建在小区上”") && html.contains("葵涌街道党建办"));
    let id = jiebang::domain::TaskId::parse(&serde_json::from_str::<String>(&body).expect("id"))
        .expect("id");
    let t = tasks::detail(&org.db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("task");
    assert_eq!(t.milestones.len(), 2);
    assert_eq!(t.milestones[0].due, date(8, 20));
    assert_eq!(t.milestones[0].target.map(|p| p.value()), Some(60));
    assert_eq!(t.criteria.len(), 1);
    assert_eq!(t.criteria[0].text, "覆盖率100%");
    assert_eq!(t.responsibility.co_units, vec!["南澳街道党建办".to_owned()]);
    assert_eq!(t.responsibility.owner.as_deref(), Some("刘强"));
    assert!(t.key);
    // The same number again is refused; the page of an unknown plan is a 404.
    let (status, body) = add(vec![("form[number]", "1"), ("form[criteria][0]", "有台账")]).await;
    assert_eq!(
        (status, common::message(&body).as_str()),
        (409, "本清单中已有相同序号的任务")
    );
    // The edit page shows the task's own values, and saving goes back to the task.
    let (status, html) = org.get(&format!("/tasks/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"6个试点小区\"") && html.contains("value=\"60\""));
    let (status, _) = org
        .call(
            "edit_task",
            &[
                ("id", id.as_str()),
                ("version", "1"),
                ("form[number]", "2"),
                ("form[title]", "推进“支部建在小区上”全覆盖"),
                ("form[category]", &category),
                ("form[deadline]", "2022-12-31"),
                ("form[criteria][0]", "覆盖率100%"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let t = tasks::detail(&org.db, &id, date(7, 29))
        .await
        .expect("d")
        .expect("task");
    assert_eq!((t.number, t.version), (2, 2));
    assert_eq!(t.title, "推进“支部建在小区上”全覆盖");
    assert_eq!(
        t.responsibility.lead_unit, None,
        "a draft's holder is the form's"
    );
    assert_eq!(org.get("/plans/no-such-plan").await.0, 404);
}

/// A workbook as offices make them: a title row, the header, 类别 merged down the rows of its
/// tasks, a completion date computed by a formula.
fn workbook(build: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    build(sheet);
    book.save_to_buffer().expect("xlsx")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_cells_fill_their_rows_and_formulas_give_their_values() {
    use rust_xlsxwriter::{Format, Formula};
    let db = common::database(true).await;
    let (plan, category) = draft_with_category(&db, "2022年度重点任务(合并单元格)").await;
    let bytes = workbook(|s| {
        s.merge_range(0, 0, 0, 4, "2022年度基层党建重点任务清单", &Format::new())
            .expect("title");
        for (c, h) in ["序号", "类别", "任务", "完成时限", "验收标准"]
            .iter()
            .enumerate()
        {
            s.write_string(1, c as u16, *h).expect("header");
        }
        s.merge_range(2, 1, 4, 1, &category, &Format::new())
            .expect("merge");
        for (i, r) in (2u32..=4).enumerate() {
            s.write_number(r, 0, (i + 1) as f64).expect("n");
            s.write_string(r, 2, format!("合并类别的第{}项任务", i + 1))
                .expect("t");
            s.write_string(r, 4, "有台账").expect("c");
        }
        s.write_string(2, 3, "2022-12-31").expect("d");
        s.write_string(3, 3, "2022/11/30").expect("d");
        // A formula with its cached value, as Excel or WPS saves it.
        s.write_formula(
            4,
            3,
            Formula::new("=\"2022-10-\"&\"31\"").set_result("2022-10-31"),
        )
        .expect("f");
    });
    // Two merged areas with a value (the title row and 类别): the office is told of them.
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, &bytes, false)
            .await
            .map(|i| (i.tasks, i.merged_areas)),
        Ok((3, 2))
    );
    let ledger = jiebang::server::db::ledger::plan_ledger(&db, &plan, date(7, 29))
        .await
        .expect("l")
        .expect("p");
    assert!(ledger.rows.iter().all(|r| r.category == category));
    assert_eq!(ledger.rows[2].deadline, date(10, 31));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cell_far_out_or_too_many_rows_is_refused_without_building_the_grid() {
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(稀疏)").await;
    // A cell at the last row and column of a sheet, a 16384 × 1048576 grid if read densely,
    // is beyond the columns read: only A1 is left, which is no header.
    let corner = workbook(|s| {
        s.write_string(0, 0, "序号").expect("a1");
        s.write_string(1_048_575, 16_383, "x").expect("far");
    });
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, &corner, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Import(vec![ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::NoHeader
        }]))
    );
    // A cell in the last row is more rows than a list may have.
    let far = workbook(|s| {
        s.write_string(0, 0, "序号").expect("a1");
        s.write_string(1_048_575, 0, "x").expect("far");
    });
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, &far, false)
            .await
            .map(|i| i.tasks),
        Err(AppError::Import(vec![ImportProblem {
            row: 1_048_576,
            column: String::new(),
            issue: ImportIssue::TooManyRows { max: 10_000 }
        }]))
    );
    // A stray cell far to the right is ignored; the list still reads.
    let wide = workbook(|s| {
        for (c, h) in ["序号", "类别", "任务", "完成时限", "验收标准"]
            .iter()
            .enumerate()
        {
            s.write_string(0, c as u16, *h).expect("header");
        }
        s.write_string(1, 16_383, "批注").expect("far right");
    });
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, &wide, false)
            .await
            .map(|i| i.tasks)
            .map_err(|e| match e {
                AppError::Import(p) => p.into_iter().map(|p| p.issue).collect::<Vec<_>>(),
                other => panic!("{other:?}"),
            }),
        Err(vec![ImportIssue::NoTasks])
    );
    assert_eq!(task_count(&db, &plan).await, 0, "nothing written");
}

/// A workbook with one more part that inflates to `mb` megabytes of zeros (a few hundred KB
/// packed): the "zip bomb" a hostile upload would be.
fn with_bomb(book: &[u8], mb: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        out.raw_copy_file(source.by_index_raw(i).expect("part"))
            .expect("copy");
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    out.start_file("xl/media/image1.bin", options)
        .expect("part");
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..mb {
        out.write_all(&zeros).expect("zeros");
    }
    out.finish().expect("zip").into_inner()
}

fn header_and_rows(rows: u32) -> Vec<u8> {
    workbook(|s| {
        for (c, h) in ["序号", "类别", "任务", "完成时限", "验收标准"]
            .iter()
            .enumerate()
        {
            s.write_string(0, c as u16, *h).expect("header");
        }
        for r in 1..=rows {
            s.write_number(r, 0, f64::from(r)).expect("n");
            s.write_string(r, 2, "任务").expect("t");
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_bomb_and_a_hundred_thousand_rows_are_refused_within_limits() {
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(超限)").await;
    let refusal = |bytes: Vec<u8>| {
        let db = db.clone();
        let plan = plan.clone();
        async move {
            match import::import_tasks(&db, &organizer(), &plan, 1, &bytes, false).await {
                Err(AppError::Import(problems)) => problems,
                other => panic!("refused: {:?}", other.map(|i| i.tasks)),
            }
        }
    };
    // 256 MB of zeros packed into a few hundred KB: refused before the workbook is read.
    let small = header_and_rows(3);
    let bomb = with_bomb(&small, 256);
    assert!(bomb.len() < 1024 * 1024, "packed: {} bytes", bomb.len());
    assert_eq!(
        refusal(bomb).await,
        vec![ImportProblem {
            row: 1,
            column: String::new(),
            issue: ImportIssue::Oversized {
                max_mb: import::MAX_UNPACKED_MB
            }
        }]
    );
    // The same workbook with a 20 MB part is within limits: it reads (and is checked as a list).
    let roomy = with_bomb(&small, 20);
    assert!(matches!(
        import::read_rows(&roomy),
        Ok(sheet) if sheet.rows.len() == 4
    ));
    // 100,000 rows: refused at the first row past the limit.
    let hundred_thousand = header_and_rows(100_000);
    assert_eq!(
        refusal(hundred_thousand).await,
        vec![ImportProblem {
            row: 10_001,
            column: String::new(),
            issue: ImportIssue::TooManyRows { max: 10_000 }
        }]
    );
    // The same as CSV.
    let mut csv = String::from("序号,类别,任务,完成时限,验收标准\n");
    for r in 1..=100_000 {
        csv.push_str(&format!("{r},,任务,,\n"));
    }
    assert_eq!(
        refusal(csv.into_bytes()).await,
        vec![ImportProblem {
            row: 10_001,
            column: String::new(),
            issue: ImportIssue::TooManyRows { max: 10_000 }
        }]
    );
    assert_eq!(task_count(&db, &plan).await, 0, "nothing written");
}

/// The issue's size case. Slow unoptimised (about a minute), so it runs in the release suite:
/// `cargo test --release --features ssr --test import -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "release suite: 5,000 rows take about a minute unoptimised"]
async fn a_list_of_five_thousand_rows_is_accepted() {
    let db = common::database(true).await;
    let (plan, category) = draft_with_category(&db, "2022年度重点任务(五千行)").await;
    let bytes = workbook(|s| {
        for (c, h) in ["序号", "类别", "任务", "完成时限", "验收标准", "推进目标"]
            .iter()
            .enumerate()
        {
            s.write_string(0, c as u16, *h).expect("header");
        }
        for n in 1..=5_000u32 {
            let r = n;
            s.write_number(r, 0, f64::from(n)).expect("n");
            s.write_string(r, 1, &category).expect("c");
            s.write_string(r, 2, format!("第{n}项任务")).expect("t");
            s.write_string(r, 3, "2022年12月31日").expect("d");
            s.write_string(r, 4, "1. 有台账\n2. 有总结").expect("k");
            s.write_string(r, 5, "2022/6/30 摸底(目标30%)\n2022/9/30 推开(目标70%)")
                .expect("m");
        }
    });
    let t = std::time::Instant::now();
    let rows = import::read_rows(&bytes).expect("rows").rows;
    eprintln!("read {} rows: {:?}", rows.len(), t.elapsed());
    let t = std::time::Instant::now();
    assert_eq!(
        import::import_tasks(&db, &organizer(), &plan, 1, &bytes, false)
            .await
            .map(|i| i.tasks),
        Ok(5_000)
    );
    eprintln!("checked and imported 5,000 tasks: {:?}", t.elapsed());
    assert_eq!(task_count(&db, &plan).await, 5_000);
}

/// Units a list names that do not exist yet are created with it when the office says so, in
/// the same transaction; other problems still stop the whole file, units and all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_units_are_created_with_the_list_when_asked() {
    let db = common::database(true).await;
    let plan = draft(&db, "2022年度重点任务(新单位)").await;
    let rows = |criteria: &str| {
        vec![
            "1,组织建设,第1项任务,王母街道党建办,,\"2022年6月30日 摸底\",2022-12-31,有台账"
                .to_owned(),
            format!("2,组织建设,第2项任务,组织科,宣传统战科,,2022-12-31,{criteria}"),
        ]
    };
    let file = |criteria: &str| {
        let text = format!(
            "序号,类别,任务,牵头单位,配合单位,推进目标,完成时限,验收标准\n{}\n",
            rows(criteria).join("\n")
        );
        text.into_bytes()
    };
    let unit_count = || async {
        jiebang::server::db::units::list_units(&db)
            .await
            .expect("units")
            .len()
    };
    let before = unit_count().await;
    // Asked, but another problem remains: nothing is written, no unit either.
    let err = import::import_tasks(&db, &organizer(), &plan, 1, &file(""), true)
        .await
        .expect_err("criteria missing");
    let AppError::Import(problems) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        problems.iter().map(|p| p.row).collect::<Vec<_>>(),
        vec![3],
        "only the real problem is left"
    );
    assert_eq!(unit_count().await, before);
    // Not asked: the unknown units are the problems.
    let err = import::import_tasks(&db, &organizer(), &plan, 1, &file("有台账"), false)
        .await
        .expect_err("unknown units");
    assert!(
        err.to_string().contains("单位“王母街道党建办”不存在"),
        "{err}"
    );
    // Asked, and otherwise clean: both units are made, with kinds their names suggest.
    let done = import::import_tasks(&db, &organizer(), &plan, 1, &file("有台账"), true)
        .await
        .expect("imported");
    assert_eq!(done.tasks, 2);
    assert_eq!(
        done.new_units,
        vec!["宣传统战科".to_owned(), "王母街道党建办".to_owned()]
    );
    let units = jiebang::server::db::units::list_units(&db)
        .await
        .expect("units");
    assert_eq!(units.len(), before + 2);
    let kind = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.kind);
    assert_eq!(
        kind("王母街道党建办"),
        Some(jiebang::domain::UnitKind::Street)
    );
    assert_eq!(kind("宣传统战科"), Some(jiebang::domain::UnitKind::Section));
    let ledger = ledger::plan_ledger(&db, &plan, date(7, 29))
        .await
        .expect("l")
        .expect("p");
    assert_eq!(
        ledger.rows[0].responsibility.lead_unit.as_deref(),
        Some("王母街道党建办")
    );
    assert_eq!(
        ledger.rows[1].responsibility.co_units,
        vec!["宣传统战科".to_owned()]
    );
}
