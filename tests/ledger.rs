//! The 台账 download, read back with an Excel reader and compared with the board.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{TestApp, is_chinese, message, signed_in, spawn};
use jiebang::domain::Board;
use jiebang::ui::messages;
use std::io::Cursor;

async fn download(app: &TestApp, query: &str) -> (u16, Option<String>, Vec<u8>) {
    let mut req = app
        .client
        .get(format!("{}/export/ledger?{query}", app.base));
    if let Some(cookie) = app.cookie.lock().expect("lock").clone() {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.expect("GET");
    let status = res.status().as_u16();
    let disposition = res
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (
        status,
        disposition,
        res.bytes().await.expect("body").to_vec(),
    )
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other}"),
    }
}

fn percent(cell: &Data) -> u8 {
    match cell {
        Data::Float(f) => (f * 100.0).round() as u8,
        other => panic!("percent cell is {other:?}"),
    }
}

async fn board(app: &TestApp) -> Board {
    let (status, body) = app.call("get_board", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Option<Board>>(&body)
        .expect("board json")
        .expect("a plan")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbook_holds_what_the_board_shows() {
    let app = signed_in("linxh").await;
    let board = board(&app).await;
    let (status, disposition, bytes) = download(&app, "format=xlsx&as_of=2022-07-29").await;
    assert_eq!(status, 200);
    let disposition = disposition.expect("a download");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("20220729.xlsx"), "{disposition}");

    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    let sheet = workbook.worksheet_range("台账").expect("sheet 台账");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let title = text(&rows[0][0]);
    assert!(
        title.contains(&board.plan.title) && title.contains("截至2022年7月29日"),
        "{title}"
    );
    let header: Vec<String> = rows[1].iter().map(text).collect();
    assert_eq!(header[0], "序号");
    assert_eq!(header[2], "任务");
    assert_eq!(header[14], "灯");
    assert_eq!(header.len(), 18);
    let data = &rows[2..];
    assert_eq!(data.len(), 42, "one row per task");
    for (row, task) in data.iter().zip(&board.tasks) {
        let n = task.number;
        assert_eq!(text(&row[0]), n.to_string());
        assert_eq!(text(&row[1]), task.category, "task {n}");
        assert_eq!(text(&row[2]), task.title, "task {n}");
        assert_eq!(
            text(&row[3]),
            task.lead_unit.clone().unwrap_or_else(|| "待揭榜".into()),
            "task {n}"
        );
        assert_eq!(
            text(&row[5]),
            task.owner.clone().unwrap_or_default(),
            "task {n}"
        );
        assert_eq!(
            text(&row[11]),
            messages::task_status(task.status),
            "task {n}"
        );
        assert_eq!(percent(&row[12]), task.percent.value(), "task {n}");
        assert_eq!(percent(&row[13]), task.expected, "task {n}");
        let light = task.light.map(messages::light).unwrap_or_default();
        assert_eq!(text(&row[14]), light, "task {n}");
    }
    // Task 1's milestones and criteria are one per line; its latest report is quoted.
    let first = data[0];
    assert!(
        text(&first[8]).contains("2022年8月20日"),
        "{}",
        text(&first[8])
    );
    assert!(text(&first[8]).lines().count() >= 2);
    assert!(text(&first[10]).starts_with("1. "));
    assert!(!text(&first[15]).is_empty(), "latest 工作进展");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_and_csv_follow_the_board() {
    let app = signed_in("guest").await;
    let board = board(&app).await;
    let expected: Vec<u32> = board
        .filtered(Some("红色教育"), "")
        .map(|t| t.number)
        .collect();
    assert!(!expected.is_empty());
    let (status, _, bytes) = download(
        &app,
        "format=csv&category=%E7%BA%A2%E8%89%B2%E6%95%99%E8%82%B2",
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM for Excel and WPS"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(0), Some("序号"));
    let numbers: Vec<u32> = reader
        .records()
        .map(|r| r.expect("record")[0].parse().expect("number"))
        .collect();
    assert_eq!(numbers, expected);
    // A text query, as on the board.
    let (_, _, bytes) = download(&app, "format=csv&q=%E5%B0%8F%E5%8C%BA").await;
    let rows = csv::Reader::from_reader(&bytes[3..]).records().count();
    assert_eq!(rows, board.filtered(None, "小区").count());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_in_chinese() {
    let app = spawn(true).await;
    let (status, _, body) = download(&app, "format=xlsx").await;
    assert_eq!(status, 401);
    assert!(message(&String::from_utf8_lossy(&body)).contains("请先登录"));
    let app = signed_in("guest").await;
    for (query, words) in [
        ("as_of=7%2F29", "截至日期不是有效日期"),
        ("format=pdf", "文件格式不在可选范围内"),
    ] {
        let (status, _, body) = download(&app, query).await;
        let text = message(&String::from_utf8_lossy(&body));
        assert_eq!(status, 422, "{query}: {text}");
        assert!(text.contains(words) && is_chinese(&text), "{query}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_links_its_filters_to_the_download() {
    let app = signed_in("guest").await;
    let (_, html) = app
        .get("/?category=%E7%BA%A2%E8%89%B2%E6%95%99%E8%82%B2")
        .await;
    assert!(
        html.contains(
            "/export/ledger?format=xlsx&amp;category=%E7%BA%A2%E8%89%B2%E6%95%99%E8%82%B2"
        ) || html
            .contains("/export/ledger?format=xlsx&category=%E7%BA%A2%E8%89%B2%E6%95%99%E8%82%B2"),
        "the export link carries the category"
    );
}

/// A board for an earlier year's published list: `/?plan=`, `get_board(plan)` and the 台账 of
/// that plan; the current board stays the newest list, and a draft is not shown to anyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_published_plan_has_its_own_board_and_ledger() {
    use jiebang::domain::{Actor, PlanForm, PlanInput, PlanStatus, Role};
    use jiebang::server::{db::plans, import};
    let db = common::database(true).await;
    let office = Actor {
        name: "组织科 王芳".into(),
        role: Role::Organizer,
        unit: None,
    };
    let make = |title: &'static str| {
        let db = db.clone();
        let office = office.clone();
        async move {
            let form = PlanForm {
                year: "2021".into(),
                title: title.into(),
                issuer: "zzrsj".into(),
                categories: vec!["组织建设".into()],
                yellow_behind: "10".into(),
                red_behind: "25".into(),
                due_soon_days: "15".into(),
                ..Default::default()
            };
            let input = PlanInput::parse(&form).expect("plan");
            let plan = plans::create_plan(&db, &office, &input)
                .await
                .expect("draft");
            let csv =
                "序号,类别,任务,完成时限,验收标准\n1,组织建设,往年的唯一任务,2021-12-31,有台账\n";
            import::import_tasks(&db, &office, &plan, 1, csv.as_bytes(), false)
                .await
                .expect("import");
            plan
        }
    };
    let earlier = make("2021年度基层党建重点任务").await;
    plans::transition_plan(&db, &office, &earlier, 2, PlanStatus::Published)
        .await
        .expect("publish");
    let draft = make("2021年度草稿清单").await;
    let app = common::serve(db).await;
    app.sign_in("linxh", jiebang::server::seed::DEMO_PASSWORD)
        .await;

    // Without a plan: the newest published list, naming both published lists.
    let current = board(&app).await;
    assert_eq!(current.plan.year, 2022);
    assert_eq!(current.tasks.len(), 42);
    let years: Vec<i32> = current.plans.iter().map(|p| p.year).collect();
    assert_eq!(years, vec![2022, 2021]);

    let (status, body) = app.call("get_board", &[("plan", earlier.as_str())]).await;
    assert_eq!(status, 200, "{body}");
    let old: Board = serde_json::from_str::<Option<Board>>(&body)
        .expect("json")
        .expect("the 2021 plan");
    assert_eq!(old.plan.title, "2021年度基层党建重点任务");
    let titles: Vec<&str> = old.tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, vec!["往年的唯一任务"]);
    // A draft is nobody's board.
    let (status, body) = app.call("get_board", &[("plan", draft.as_str())]).await;
    assert_eq!((status, body.as_str()), (200, "null"));

    // The page, server-rendered, with its year switch and its own download link.
    let (status, html) = app.get(&format!("/?plan={earlier}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("往年的唯一任务"),
        "the 2021 task is on its board"
    );
    assert!(
        !html.contains("支部建在小区上"),
        "no 2022 task on the 2021 board"
    );
    assert!(html.contains(&format!("/export/ledger?format=xlsx&amp;plan={earlier}")));
    assert!(html.contains("2022年度") && html.contains("2021年度"));
    let (status, html) = app.get(&format!("/?plan={draft}")).await;
    assert_eq!(status, 404, "a draft is not a board");
    assert!(html.contains("该任务清单不存在") && !html.contains("往年的唯一任务"));

    // Its 台账: one task.
    let (status, _, bytes) = download(&app, &format!("format=xlsx&plan={earlier}")).await;
    assert_eq!(status, 200);
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let sheet = workbook.worksheet_range("台账").expect("sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 3, "title, header and one task");
    assert_eq!(text(&rows[2][2]), "往年的唯一任务");
    // A draft's or an unknown plan's 台账 is not there; a malformed id is not either.
    for plan in [draft.as_str(), "nosuchplan", "bad%20id"] {
        let (status, _, body) = download(&app, &format!("format=xlsx&plan={plan}")).await;
        assert_eq!(status, 404, "{plan}: {}", String::from_utf8_lossy(&body));
    }
}
