//! The board and task pages, served by the real router over `mem://`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{card_link, count, encode, signed_in, spawn, task_links};
use jiebang::server::seed::{DEMO_TOML, SeedFile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_renders_all_demo_tasks_on_the_server() {
    let app = signed_in("guest").await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"zh-CN\""), "Chinese document");
    assert!(html.contains("大鹏新区2022年度基层党建重点任务"));
    // The 40 of January and the two added in July.
    assert_eq!(count(&html, "class=\"task-card "), 42, "one card per task");
    let seed = SeedFile::parse(DEMO_TOML).expect("seed");
    for task in &seed.tasks {
        assert!(
            html.contains(&task.title),
            "task {} missing: {}",
            task.number,
            task.title
        );
        assert!(html.contains(&format!("data-number=\"{}\"", task.number)));
    }
    assert_eq!(task_links(&html).len(), 42);
    // Lead department, deadline and status colour are on each card.
    assert!(html.contains("两新组织党建工作科"));
    assert!(html.contains("2022年12月31日"));
    assert!(html.contains("task-card status-in_progress"));
    assert!(html.contains("task-card status-accepted"));
    // Grouped by category, in the plan's order.
    let red = html.find("<h2>红色教育").expect("红色教育 group");
    let gov = html.find("<h2>基层治理").expect("基层治理 group");
    assert!(red < gov);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_filters_by_category_and_text_without_javascript() {
    let app = signed_in("guest").await;
    let (status, html) = app.get(&format!("/?category={}", encode("红色教育"))).await;
    assert_eq!(status, 200);
    let expected = SeedFile::parse(DEMO_TOML)
        .expect("seed")
        .tasks
        .iter()
        .filter(|t| t.category == "红色教育")
        .count();
    assert_eq!(count(&html, "class=\"task-card "), expected);
    assert!(html.contains("<span class=\"task-title\">土洋社区“红色村”试点建设</span>"));
    // (The page also carries all tasks as hydration data, so look at rendered titles only.)
    assert!(!html.contains("<span class=\"task-title\">两新党组织引领非公企业纾困解难</span>"));

    let (_, html) = app.get(&format!("/?q={}", encode("小区"))).await;
    assert!(html.contains("支部建在小区上"));
    assert_eq!(count(&html, "class=\"task-card "), 1);

    let (_, html) = app.get(&format!("/?q={}", encode("没有这个任务"))).await;
    assert!(html.contains("没有符合条件的任务"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_page_shows_goals_milestones_deadline_and_criteria() {
    let app = signed_in("guest").await;
    let (_, board) = app.get("/").await;
    let first = card_link(&board, 1).expect("link of task 1");
    let (status, html) = app.get(&format!("/tasks/{first}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("推进“支部建在小区上”提升居民小区治理水平"));
    assert!(html.contains("推进目标"));
    assert!(html.contains("2022年8月20日"));
    assert!(html.contains("6个试点小区"));
    assert!(html.contains("实现新区物业小区党的组织和工作全覆盖"));
    assert!(html.contains("验收标准"));
    assert!(html.contains("新区物业小区党的组织和工作覆盖率达到100%"));
    assert!(html.contains("组织科"), "lead unit");
    assert!(html.contains("葵涌街道党建办、大鹏街道党建办"), "co-units");
    assert!(html.contains("重点讨论"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_pages_and_tasks_answer_404() {
    let app = signed_in("guest").await;
    let (status, html) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"));
    let (status, html) = app.get("/tasks/doesnotexist").await;
    assert_eq!(status, 404);
    assert!(html.contains("该任务不存在"));
    let (status, _) = app.get(&format!("/tasks/{}", encode("bad id;"))).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_database_shows_an_empty_board_not_an_error() {
    let app = spawn(false).await;
    let admin = jiebang::domain::AccountInput::parse(&jiebang::domain::AccountForm {
        username: "admin".into(),
        display_name: "管理员".into(),
        role: "admin".into(),
        unit: String::new(),
        person: String::new(),
    })
    .expect("input");
    jiebang::server::db::accounts::create_account(
        &app.db,
        &jiebang::domain::Actor::system(),
        &admin,
        "admin2022x",
    )
    .await
    .expect("admin");
    assert!(app.signs_in("admin", "admin2022x").await);
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("尚无已发布的任务清单"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_json_and_errors_with_status_codes() {
    let app = signed_in("guest").await;
    let (status, body) = app.call("get_board", &[]).await;
    assert_eq!(status, 200);
    let board: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(board["tasks"].as_array().map(Vec::len), Some(42));

    let (status, body) = app.call("get_task", &[("id", "doesnotexist")]).await;
    assert_eq!(status, 404);
    let err: serde_json::Value = serde_json::from_str(&body).expect("json error");
    assert_eq!(err["kind"], "not_found");

    let (status, body) = app.call("get_task", &[]).await;
    assert_eq!(
        status, 422,
        "missing argument is the caller's error: {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_the_database() {
    let app = spawn(false).await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"status":"ok","database":"ok"}"#);
}

/// The board's filters in the address, without JavaScript: 牵头单位 from the seed file, the light
/// and status against the board's own data, combined, and the 一览表 in 序号 order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_filters_by_unit_light_and_status_and_shows_the_overview_table() {
    let app = signed_in("guest").await;
    let seed = SeedFile::parse(DEMO_TOML).expect("seed");
    let zzk: Vec<u32> = seed
        .tasks
        .iter()
        .filter(|t| t.lead.as_deref() == Some("zzk"))
        .map(|t| t.number)
        .collect();
    assert!(zzk.len() > 3);
    let (status, html) = app.get(&format!("/?unit={}", encode("组织科"))).await;
    assert_eq!(status, 200);
    assert_eq!(
        count(&html, "class=\"task-card "),
        zzk.len(),
        "组织科 leads these"
    );

    let (_, board) = app.call("get_board", &[]).await;
    let board: serde_json::Value = serde_json::from_str(&board).expect("board");
    let numbers = |keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<u64> {
        board["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .filter(|t| keep(t))
            .map(|t| t["number"].as_u64().expect("number"))
            .collect()
    };
    let rows = |html: &str| -> Vec<u64> {
        let body = html
            .split("<table class=\"overview\">")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .expect("the 一览表");
        body.split("<td class=\"num\">")
            .skip(1)
            .map(|r| r.split('<').next().expect("n").parse().expect("number"))
            .collect()
    };
    let red = numbers(&|t| t["light"] == "red");
    let (_, html) = app.get("/?view=table&light=red").await;
    let mut shown = rows(&html);
    assert_eq!(shown, red, "every red task, in 序号 order");
    assert!(shown.windows(2).all(|w| w[0] < w[1]));

    let zzk_red = numbers(&|t| t["lead_unit"] == "组织科" && t["light"] == "red");
    let (_, html) = app
        .get(&format!("/?view=table&light=red&unit={}", encode("组织科")))
        .await;
    shown = rows(&html);
    assert_eq!(shown, zzk_red);
    assert!(!zzk_red.is_empty() && zzk_red.len() < red.len());

    let waiting = numbers(&|t| t["status"] == "assigned");
    let (_, html) = app.get("/?view=table&status=assigned").await;
    assert_eq!(rows(&html), waiting);
    assert_eq!(waiting.len(), 1, "one task 待签收 on 7-29");

    // All 42 in the table, each with its 节点 and 进度 against 序时进度.
    let (_, html) = app.get("/?view=table").await;
    assert_eq!(rows(&html).len(), 42);
    assert!(
        html.contains("3/8 · 下一 8-20"),
        "task 1: 3 of 8 milestones, the next 8-20"
    );
    // A value that names nothing filters nothing.
    let (_, html) = app.get("/?view=table&light=purple").await;
    assert_eq!(rows(&html).len(), 42);
}

/// The text of every cell of each body row of the table with class `class`, tags and
/// hydration markers stripped.
fn table_rows(html: &str, class: &str) -> Vec<Vec<String>> {
    let table = html
        .split(&format!("<table class=\"{class}\">"))
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the table");
    let body = table.split("<tbody>").nth(1).expect("tbody");
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter(|cell| cell.starts_with('d') || cell.starts_with("h "))
                .map(|cell| {
                    let mut text = String::new();
                    // The cell starts inside its opening tag.
                    let mut inside = true;
                    for c in cell.chars() {
                        match c {
                            '<' => inside = true,
                            '>' => inside = false,
                            _ if !inside => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_owned()
                })
                .collect()
        })
        .collect()
}

/// 按单位: each unit's lead and co-operating tasks as the seed assigns them, the summary's
/// 逾期 as of 7-29, and the order by 配合 when asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_by_unit_counts_lead_and_co_tasks_and_sorts() {
    let app = signed_in("guest").await;
    let seed = SeedFile::parse(DEMO_TOML).expect("seed");
    let counted = |t: &&jiebang::server::seed::SeedTask| t.status != "cancelled";
    let expect: Vec<(String, usize, usize)> = seed
        .units
        .iter()
        .map(|u| {
            let lead = seed
                .tasks
                .iter()
                .filter(counted)
                .filter(|t| t.lead.as_deref() == Some(u.key.as_str()))
                .count();
            let co = seed
                .tasks
                .iter()
                .filter(counted)
                .filter(|t| t.co.contains(&u.key))
                .count();
            (u.name.clone(), lead, co)
        })
        .filter(|(_, lead, co)| lead + co > 0)
        .collect();
    assert!(
        expect.iter().any(|(_, _, co)| *co > 0),
        "the seed has co-units"
    );

    let (status, html) = app.get("/?view=units").await;
    assert_eq!(status, 200);
    let rows = table_rows(&html, "by-unit");
    assert_eq!(rows.len(), expect.len(), "one row per unit with tasks");
    for (name, lead, co) in &expect {
        let row = rows
            .iter()
            .find(|r| r[0] == *name)
            .unwrap_or_else(|| panic!("{name} has a row"));
        // 单位, 牵头, 红, 黄, 绿, 逾期, 待验收, 完成率, 平均进度, 配合, 配合中红灯
        assert_eq!(row[1], lead.to_string(), "{name} leads");
        assert_eq!(row[9], co.to_string(), "{name} helps");
    }

    // Sorted by 配合, most first; the same heading again turns it round.
    let (_, html) = app.get("/?view=units&sort=co").await;
    let cos: Vec<usize> = table_rows(&html, "by-unit")
        .iter()
        .map(|r| r[9].parse().expect("number"))
        .collect();
    assert!(cos.windows(2).all(|w| w[0] >= w[1]), "{cos:?}");
    assert!(
        html.contains("view=units&amp;sort=co&amp;dir=asc")
            || html.contains("view=units&sort=co&dir=asc")
    );
    let (_, html) = app.get("/?view=units&sort=co&dir=asc").await;
    let cos: Vec<usize> = table_rows(&html, "by-unit")
        .iter()
        .map(|r| r[9].parse().expect("number"))
        .collect();
    assert!(cos.windows(2).all(|w| w[0] <= w[1]), "{cos:?}");

    // 逾期 on 7-29: past the deadline and not handed in, from the seed.
    let as_of = chrono::NaiveDate::from_ymd_opt(2022, 7, 29).unwrap();
    let late = seed
        .tasks
        .iter()
        .filter(|t| {
            t.deadline < as_of
                && !["submitted", "accepted", "cancelled"].contains(&t.status.as_str())
        })
        .count();
    let (_, html) = app.get("/").await;
    let chip = html
        .split("class=\"overdue-chip")
        .nth(1)
        .expect("the 逾期 chip");
    let shown: usize = chip
        .split("<strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert_eq!(shown, late);
}

/// 看板, 时间轴 and 图表 render on the server: every task in its status column, every task on
/// the timeline with today's line, the four charts with the trend up to the board's date.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kanban_timeline_and_charts_render_every_task_on_the_server() {
    let app = signed_in("guest").await;
    let (_, board) = app.call("get_board", &[]).await;
    let board: serde_json::Value = serde_json::from_str(&board).expect("board");
    let tasks = board["tasks"].as_array().expect("tasks");

    let (status, html) = app.get("/?view=kanban").await;
    assert_eq!(status, 200);
    assert_eq!(
        count(&html, "class=\"kanban-col "),
        8,
        "one column per status"
    );
    assert_eq!(count(&html, "<li data-number="), 42, "one card per task");
    for task in tasks {
        let status = task["status"].as_str().expect("status");
        let number = task["number"].as_u64().expect("number");
        let column = html
            .split(&format!("data-status=\"{status}\""))
            .nth(1)
            .and_then(|c| c.split("</section>").next())
            .expect("the task's column");
        assert!(
            column.contains(&format!("data-number=\"{number}\"")),
            "task {number} under {status}"
        );
    }
    // Read-only without JavaScript: nothing to drag, no 移至 lists, links to each task.
    assert!(!html.contains("draggable=\"true\""));
    assert!(!html.contains("kanban-move"));

    let (status, html) = app.get("/?view=timeline").await;
    assert_eq!(status, 200);
    // Drawn as sheets of 14 rows (whole sheets print on a page), each with its month axis.
    assert_eq!(count(&html, "class=\"timeline\""), 3);
    assert_eq!(count(&html, "class=\"tl-row "), 42);
    assert_eq!(count(&html, "今日 7月29日"), 3);
    assert_eq!(count(&html, "class=\"tl-month\""), 36);

    let (status, html) = app.get("/?view=charts").await;
    assert_eq!(status, 200);
    for caption in [
        "总体进度与序时进度",
        "销号进度与计划",
        "各类别红黄绿灯",
        "各单位牵头任务平均进度",
    ] {
        assert!(html.contains(caption), "{caption}");
    }
    let (status, trend) = app.call("get_board_trend", &[]).await;
    assert_eq!(status, 200);
    let trend: serde_json::Value = serde_json::from_str(&trend).expect("trend");
    let points = trend.as_array().expect("points");
    assert_eq!(points.len(), 7, "six month ends and 7-29");
    assert_eq!(points[6]["day"], "2022-07-29");
    let accepted = tasks.iter().filter(|t| t["status"] == "accepted").count() as u64;
    assert_eq!(points[6]["accepted"].as_u64(), Some(accepted));
    // The mean reported percent rises (reports only add), and is shown.
    assert!(
        points
            .windows(2)
            .all(|w| w[0]["actual"].as_u64() <= w[1]["actual"].as_u64())
    );
    assert!(html.contains(&format!("平均进度 {}%", points[6]["actual"])));
}

/// The board kept between reads (`KeptBoards`) shows exactly what a fresh read shows after
/// every kind of write that reaches a board: a task's own row, a new task, a unit or a person
/// renamed (names are not in the task rows), the plan's settings, another plan published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_board_matches_a_fresh_read_after_every_kind_of_write() {
    use jiebang::server::db::plans;
    let db = common::database(true).await;
    // Reads look no further back than the last one, so what each read costs shows.
    let kept = plans::KeptBoards::with_margin(std::time::Duration::ZERO);
    let today = chrono::NaiveDate::from_ymd_opt(2022, 7, 29).unwrap();
    let all = jiebang::domain::BoardScope::default();
    let same = |step: &'static str| {
        let (db, kept, all) = (db.clone(), &kept, &all);
        async move {
            let fresh = plans::board(&db, None, today).await.expect("fresh");
            let from_kept = kept.board(&db, None, today, all).await.expect("kept");
            assert_eq!(from_kept, fresh, "after {step}");
            // Narrowed to one unit (task 12's, by its name now: one write renames it): only
            // its tasks, the whole plan still counted.
            let fresh = fresh.expect("a plan");
            let unit = fresh
                .tasks
                .iter()
                .find(|t| t.number == 12)
                .and_then(|t| t.lead_unit.clone());
            assert!(unit.as_deref().is_some_and(|u| u.starts_with("葵涌街道")));
            let scope = jiebang::domain::BoardScope {
                unit: unit.clone(),
                ..Default::default()
            };
            let kysd = kept
                .board(&db, None, today, &scope)
                .await
                .expect("kept")
                .expect("a plan");
            let mine: Vec<_> = fresh
                .tasks
                .iter()
                .filter(|t| t.lead_unit == unit)
                .cloned()
                .collect();
            assert_eq!(kysd.tasks, mine, "one unit's tasks after {step}");
            assert_eq!(kysd.whole, fresh.whole, "the whole plan after {step}");
            fresh
        }
    };
    let first = same("the first read").await;
    assert_eq!(first.tasks.len(), 42);
    assert_eq!(kept.rows_read(), 42, "read whole once");
    let writes = [
        (
            "a report's percent",
            "UPDATE task:⟨dapeng-2022-12⟩ SET percent = 77, version += 1",
            1,
        ),
        (
            "a status move",
            "UPDATE task:⟨dapeng-2022-09⟩ SET status = 'submitted', version += 1",
            1,
        ),
        (
            "a unit renamed",
            "UPDATE unit:kysd SET name = '葵涌街道党工委党建办'",
            0,
        ),
        (
            "a person renamed",
            "UPDATE person SET name = '刘强(改)' WHERE name = '刘强'",
            0,
        ),
        (
            "a task added to the published plan",
            "CREATE task:⟨dapeng-2022-43⟩ CONTENT { plan: plan:⟨dapeng-2022⟩, number: 43, title: '新增任务', category: '组织建设', lead_unit: unit:kysd, deadline: d'2022-12-31', criteria: [{ text: '有台账' }], status: 'in_progress', percent: 0, version: 1 }",
            1,
        ),
        (
            "the plan's light settings",
            "UPDATE plan:⟨dapeng-2022⟩ SET light.yellow_behind = 5, version += 1",
            43,
        ),
        (
            "two tasks in one transaction",
            "BEGIN TRANSACTION; UPDATE task:⟨dapeng-2022-01⟩ SET percent = 100, version += 1; UPDATE task:⟨dapeng-2022-02⟩ SET title = '改名的任务', version += 1; COMMIT TRANSACTION;",
            2,
        ),
    ];
    for (step, sql, rows) in writes {
        let before = kept.rows_read();
        db.query(sql).await.expect(step).check().expect(step);
        same(step).await;
        assert_eq!(kept.rows_read() - before, rows, "rows read after {step}");
    }
    let board = same("all of them").await;
    assert_eq!(board.tasks.len(), 43);
    let twelve = board.tasks.iter().find(|t| t.number == 12).unwrap();
    assert_eq!(twelve.percent.value(), 77);
    assert!(
        board
            .tasks
            .iter()
            .any(|t| t.lead_unit.as_deref() == Some("葵涌街道党工委党建办"))
    );
    // Asking again without any write gives the same board, and reads no row.
    let before = kept.rows_read();
    assert_eq!(same("no write").await, board);
    assert_eq!(kept.rows_read(), before);
    // The next day the lights and 序时进度 are those of that day, from the same kept rows.
    let next_day = today.succ_opt().unwrap();
    let fresh = plans::board(&db, None, next_day).await.expect("fresh");
    let from_kept = kept.board(&db, None, next_day, &all).await.expect("kept");
    assert_eq!(from_kept, fresh, "the next day");
    assert_eq!(kept.rows_read(), before);
}
