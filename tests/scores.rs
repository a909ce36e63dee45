//! 量化考评 through the real router over `mem://`: the demo plan scored as of 2022-12-31 with
//! a fixed 考评细则, checked against a ranking recomputed here from the raw records — written
//! from the rubric's stated rules, not from the app's code.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{TestApp, beside, is_chinese, message, signed_in};
use serde_json::Value;
use std::collections::BTreeMap;
use surrealdb::types::{RecordId, RecordIdKey, SurrealValue};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).unwrap()
}

fn key(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

/// The calendar day in China (UTC+8).
fn china(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// `num / den` rounded half up.
fn round(num: i64, den: i64) -> i64 {
    (2 * num + den) / (2 * den)
}

/// The rubric the test scores with (deductions in hundredths).
const RUBRIC: &[(&str, &str)] = &[
    ("form[on_time]", "50"),
    ("form[quality]", "20"),
    ("form[reporting]", "20"),
    ("form[innovation]", "10"),
    ("form[late_share]", "60"),
    ("form[red_grace_days]", "5"),
    ("form[red_day]", "0.2"),
    ("form[missed_report]", "0.5"),
    ("form[returned]", "1.5"),
    ("form[red_sheet]", "3"),
    ("form[key_weight]", "200"),
    ("form[co_share]", "40"),
];

#[derive(Debug, SurrealValue)]
struct TaskRow {
    id: RecordId,
    status: String,
    lead_unit: Option<RecordId>,
    co_units: Vec<RecordId>,
    key: bool,
    deadline: NaiveDate,
    original_deadline: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
}

#[derive(Debug, SurrealValue)]
struct EventRow {
    entity: RecordId,
    at: DateTime<Utc>,
    action: String,
    before: Option<String>,
    after: Option<String>,
    kind: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct ReportRow {
    task: RecordId,
    at: DateTime<Utc>,
    percent: i64,
    status: String,
    part: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct SheetRow {
    task: RecordId,
    unit: RecordId,
    kind: String,
    issued_on: NaiveDate,
}

#[derive(Debug, SurrealValue)]
struct UnitRow {
    id: RecordId,
    name: String,
}

/// Facts the demo does not have (its record ends in July): task 5 red from 8-1 to 9-10 and
/// its lead unit sent a 红色督办单 on 8-15; task 16 sent back on 8-5, handed in again on 8-20
/// and 销号ed on 8-25.
async fn add_the_rest_of_the_year(app: &TestApp) {
    app.db
        .query(
            "LET $t5 = task:⟨dapeng-2022-05⟩;
             CREATE audit_event CONTENT { at: d'2022-08-01T00:10:00Z', actor: '系统', entity: $t5,
                 action: 'light', summary: '亮灯变化:绿灯 → 红灯', after: { kind: 'red' } };
             CREATE audit_event CONTENT { at: d'2022-09-10T00:10:00Z', actor: '系统', entity: $t5,
                 action: 'light', summary: '亮灯变化:红灯 → 绿灯', after: { kind: 'green' } };
             CREATE supervision CONTENT { task: $t5, unit: $t5.lead_unit, kind: 'red', year: 2022,
                 number: 1, issued_by: '组织科 王芳', issued_on: d'2022-08-15T00:00:00Z',
                 facts: '进度滞后', requirement: '限期整改', feedback_by: d'2022-08-25T00:00:00Z' };
             LET $t16 = task:⟨dapeng-2022-16⟩;
             CREATE audit_event CONTENT { at: d'2022-08-05T02:00:00Z', actor: '组织科 王芳', entity: $t16,
                 action: 'acceptance', summary: '退回整改', before: { status: 'submitted' }, after: { status: 'returned' } };
             CREATE audit_event CONTENT { at: d'2022-08-20T02:00:00Z', actor: '组织科 王芳', entity: $t16,
                 action: 'transition', summary: '提请验收', before: { status: 'returned' }, after: { status: 'submitted' } };
             CREATE audit_event CONTENT { at: d'2022-08-25T02:00:00Z', actor: '林晓华', entity: $t16,
                 action: 'signoff', summary: '审定销号', before: { status: 'submitted' }, after: { status: 'accepted' } };",
        )
        .await
        .expect("query")
        .check()
        .expect("facts added");
}

#[derive(Debug, SurrealValue)]
struct PointRow {
    unit: RecordId,
    kind: String,
    points: i64,
}

/// Each unit's total (hundredths) as of 12-31, worked out from the raw tables by the
/// rubric's rules.
async fn recompute(app: &TestApp) -> BTreeMap<String, (String, i64)> {
    let mut res = app
        .db
        .query(
            "SELECT id, status, lead_unit, co_units, key, deadline, original_deadline, started_on
                FROM task WHERE plan = plan:⟨dapeng-2022⟩;
             SELECT entity, at, action, before.status AS before, after.status AS after, after.kind AS kind
                FROM audit_event WHERE record::tb(entity) = 'task' ORDER BY at;
             SELECT task, at, percent, status, part FROM progress_report;
             SELECT task, unit, kind, issued_on FROM supervision;
             SELECT id, name FROM unit WHERE active = true;
             SELECT VALUE report_day FROM ONLY plan:⟨dapeng-2022⟩;
             SELECT unit, kind, points FROM point_entry
                WHERE plan = plan:⟨dapeng-2022⟩ AND status = 'approved' AND on <= d'2022-12-31';",
        )
        .await
        .expect("raw");
    let tasks: Vec<TaskRow> = res.take(0).unwrap();
    let events: Vec<EventRow> = res.take(1).unwrap();
    let reports: Vec<ReportRow> = res.take(2).unwrap();
    let sheets: Vec<SheetRow> = res.take(3).unwrap();
    let units: Vec<UnitRow> = res.take(4).unwrap();
    let report_day: Option<i64> = res.take(5).unwrap();
    let awarded: Vec<PointRow> = res.take(6).unwrap();
    let report_day = u32::try_from(report_day.unwrap_or(25)).unwrap();
    let as_of = day(12, 31);
    let (w_on, w_rep, late, grace, red_day, missed, returned, red_sheet, key_w, co) =
        (50, 20, 60, 5, 20, 50, 150, 300, 200, 40);

    let mut lines: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
    for t in &tasks {
        let (Some(lead_unit), false) = (&t.lead_unit, t.status == "cancelled") else {
            continue;
        };
        let id = key(&t.id);
        let mine = |e: &&EventRow| key(&e.entity) == id;
        let mut moves: Vec<(NaiveDate, String)> = Vec::new();
        let mut initial = t.status.clone();
        for e in events.iter().filter(mine) {
            if let (Some(b), Some(a)) = (&e.before, &e.after)
                && b != a
            {
                if moves.is_empty() {
                    initial = b.clone();
                }
                moves.push((china(e.at), a.clone()));
            }
        }
        let lead: Vec<&ReportRow> = reports
            .iter()
            .filter(|r| key(&r.task) == id && r.status == "submitted")
            .filter(|r| r.part.as_deref().unwrap_or("lead") == "lead")
            .collect();
        let lead_reports: Vec<NaiveDate> = lead.iter().map(|r| china(r.at)).collect();
        // The percent last reported (by 12-31).
        let percent = lead.iter().max_by_key(|r| r.at).map_or(0, |r| r.percent);
        if moves.is_empty() && (t.status == "submitted" || t.status == "accepted") {
            let last = lead_reports.iter().max().copied().unwrap();
            initial = "in_progress".into();
            moves.push((last, "submitted".into()));
            if t.status == "accepted" {
                moves.push((last, "accepted".into()));
            }
        }
        let status_on = |d: NaiveDate| {
            moves
                .iter()
                .rfind(|(m, _)| *m <= d)
                .map_or(initial.clone(), |(_, s)| s.clone())
        };
        let now = status_on(as_of);
        if ["open", "claimed", "assigned", "cancelled"].contains(&now.as_str()) {
            continue;
        }
        let deadline = t.original_deadline.unwrap_or(t.deadline);
        assert!(deadline <= as_of, "every demo deadline falls in 2022");
        let on_time = if now == "accepted" {
            let accepted = moves.iter().rev().find(|(_, s)| s == "accepted").unwrap().0;
            let finished = moves
                .iter()
                .rev()
                .find(|(d, s)| s == "submitted" && *d <= accepted)
                .unwrap()
                .0;
            if finished <= deadline {
                w_on * 100
            } else {
                round(w_on * 100 * late, 100)
            }
        } else if as_of > deadline {
            0
        } else {
            // Due on the day itself: 序时进度 is 100%, so the points follow the percent.
            round(w_on * 100 * percent, 100)
        };
        let start = t.started_on.unwrap_or(day(1, 1));
        let (mut due, mut on, mut missed_months) = (0, 0, 0);
        for m in 1..=12 {
            let due_day = day(m, report_day);
            if due_day <= start
                || !["in_progress", "returned"].contains(&status_on(due_day).as_str())
            {
                continue;
            }
            due += 1;
            let first = day(m, 1);
            let last = if m == 12 {
                day(12, 31)
            } else {
                day(m + 1, 1).pred_opt().unwrap()
            };
            if lead_reports.iter().any(|d| *d >= first && *d <= due_day) {
                on += 1;
            } else if !lead_reports.iter().any(|d| *d > due_day && *d <= last) {
                missed_months += 1;
            }
        }
        let reporting = if due == 0 {
            w_rep * 100
        } else {
            round(w_rep * 100 * on, due)
        };
        // Red days: from each turn to red until the next change (or through 12-31).
        let mut red = 0;
        let mut since: Option<NaiveDate> = None;
        for e in events.iter().filter(mine).filter(|e| e.action == "light") {
            let d = china(e.at);
            if let Some(s) = since.take() {
                red += (d - s).num_days();
            }
            if e.kind.as_deref() == Some("red") {
                since = Some(d);
            }
        }
        if let Some(s) = since {
            red += (as_of - s).num_days() + 1;
        }
        let mut prev = initial.clone();
        let mut returns = 0;
        for (_, s) in &moves {
            if prev == "submitted" && s == "returned" {
                returns += 1;
            }
            prev = s.clone();
        }
        let sheets_of = |unit: &RecordId| {
            sheets
                .iter()
                .filter(|s| key(&s.task) == id && s.unit == *unit && s.kind == "red")
                .count() as i64
        };
        let items = on_time + reporting;
        let lead_off = (red - grace).max(0) * red_day
            + missed_months * missed
            + returns * returned
            + sheets_of(lead_unit) * red_sheet;
        let weight = if t.key { key_w } else { 100 };

        lines
            .entry(key(lead_unit))
            .or_default()
            .push((weight, (items - lead_off).max(0)));
        for c in t.co_units.iter().filter(|c| *c != lead_unit) {
            lines
                .entry(key(c))
                .or_default()
                .push((weight * co / 100, (items - sheets_of(c) * red_sheet).max(0)));
        }
    }
    units
        .iter()
        .filter_map(|u| {
            let l = lines.get(&key(&u.id))?;
            let num: i64 = l.iter().map(|(w, s)| w * s).sum();
            let den: i64 = l.iter().map(|(w, _)| w).sum();
            // 积分 awards and deductions a leader approved, added to the mean.
            let adjusted: i64 = awarded
                .iter()
                .filter(|p| p.unit == u.id)
                .map(|p| {
                    if p.kind == "award" {
                        p.points
                    } else {
                        -p.points
                    }
                })
                .sum();
            Some((key(&u.id), (u.name.clone(), round(num, den) + adjusted)))
        })
        .collect()
}

async fn ranking(app: &TestApp, query: &[(&str, &str)]) -> (u16, Value) {
    let (status, body) = app.call("get_ranking", query).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_year_end_ranking_is_what_the_raw_record_gives() {
    let office = signed_in("wangfang").await;
    add_the_rest_of_the_year(&office).await;
    let mut form = vec![("plan", "dapeng-2022"), ("version", "0")];
    form.extend_from_slice(RUBRIC);
    let (status, body) = office.call("save_rubric", &form).await;
    assert_eq!((status, body.as_str()), (200, "1"));

    let expected = recompute(&office).await;
    assert!(
        expected.len() >= 10,
        "most units lead or co-operate: {expected:?}"
    );
    let query = [("plan", "dapeng-2022"), ("as_of", "2022-12-31")];
    let (status, got) = ranking(&office, &query).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["rubric"]["on_time"], 50);
    assert_eq!(got["rubric_version"], 1);
    let scores = got["scores"].as_array().unwrap();
    let totals: BTreeMap<String, (String, i64)> = scores
        .iter()
        .map(|s| {
            (
                s["unit"]["id"].as_str().unwrap().to_owned(),
                (
                    s["unit"]["name"].as_str().unwrap().to_owned(),
                    s["total"].as_i64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(totals, expected);
    // Ranked by total, equal totals sharing a place.
    let mut previous: Option<(i64, u64)> = None;
    for (i, s) in scores.iter().enumerate() {
        let (total, rank) = (s["total"].as_i64().unwrap(), s["rank"].as_u64().unwrap());
        match previous {
            Some((t, r)) if t == total => assert_eq!(rank, r),
            Some((t, _)) => {
                assert!(t > total);
                assert_eq!(rank, i as u64 + 1);
            }
            None => assert_eq!(rank, 1),
        }
        previous = Some((total, rank));
    }
    // The facts added show in the lines: task 16's 退回整改 and task 5's red days and sheet.
    let line = |task: &str| {
        scores
            .iter()
            .flat_map(|s| s["lines"].as_array().unwrap())
            .find(|l| l["task"] == task && l["part"] == "lead")
            .unwrap()
            .clone()
    };
    let t16 = line("dapeng-2022-16");
    assert_eq!(
        t16["on_time_basis"]["kind"], "late",
        "handed in 8-20, due 7-31"
    );
    assert_eq!(t16["on_time"], 3000, "60% of 50");
    let kinds: Vec<&str> = t16["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"returned"), "{t16}");
    let t5 = line("dapeng-2022-05");
    let t5d = t5["deductions"].as_array().unwrap();
    assert!(
        t5d.iter()
            .any(|d| d["kind"] == "red_days" && d["days"] == 40),
        "{t5}"
    );
    assert!(t5d.iter().any(|d| d["kind"] == "red_sheets"), "{t5}");
    let t19 = line("dapeng-2022-19");
    assert_eq!(
        t19["on_time_basis"]["kind"], "finished",
        "handed in 6-30, 销号 7-6"
    );

    // The page shows the same numbers, and the breakdown's words.
    let (status, html) = office
        .get("/scores?plan=dapeng-2022&as_of=2022-12-31")
        .await;
    assert_eq!(status, 200);
    let first = &scores[0];
    let total = first["total"].as_i64().unwrap();
    assert!(html.contains(&format!("{}.{:02}", total / 100, total % 100)));
    assert!(html.contains("6月30日提请验收、7月6日销号,在原定时限6月30日前完成"));
    assert!(html.contains("红灯 40 天(宽限 5 天),扣 7.00 分"));

    // The workbook for the 述职评议 pack parses back to the same numbers.
    let (status, bytes) = office
        .download("/export/ranking?plan=dapeng-2022&as_of=2022-12-31")
        .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("排名").expect("排名");
    let rows: Vec<(String, i64)> = sheet
        .rows()
        .skip(2)
        .map(|r| {
            let total = match &r[11] {
                Data::Float(f) => (f * 100.0).round() as i64,
                other => panic!("total {other:?}"),
            };
            (r[1].to_string(), total)
        })
        .collect();
    let shown: Vec<(String, i64)> = scores
        .iter()
        .map(|s| {
            (
                s["unit"]["name"].as_str().unwrap().to_owned(),
                s["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, shown);
    let lines: usize = scores
        .iter()
        .map(|s| s["lines"].as_array().unwrap().len())
        .sum();
    let detail = book.worksheet_range("明细").expect("明细");
    assert_eq!(detail.rows().skip(2).count(), lines);

    // Streets apart: only 街道 units, ranked among themselves from 1.
    let (_, streets) = ranking(
        &office,
        &[
            ("plan", "dapeng-2022"),
            ("as_of", "2022-12-31"),
            ("group", "streets"),
        ],
    )
    .await;
    let streets = streets["scores"].as_array().unwrap();
    assert!(!streets.is_empty());
    assert!(streets.iter().all(|s| s["unit"]["kind"] == "street"));
    assert_eq!(streets[0]["rank"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_sees_its_own_score_and_the_rubric_is_the_offices() {
    let office = signed_in("wangfang").await;
    let query = [("plan", "dapeng-2022"), ("as_of", "2022-12-31")];
    let (_, all) = ranking(&office, &query).await;
    let kysd = all["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"]["id"] == "kysd")
        .unwrap()
        .clone();
    assert_eq!(all["rubric_version"], 0, "the defaults until saved");

    let unit = beside(&office, "liuqiang").await;
    let (status, own) = ranking(&unit, &query).await;
    assert_eq!(status, 200);
    assert_eq!(own["own_only"], true);
    let scores = own["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 1, "葵涌 only");
    assert_eq!(scores[0]["total"], kysd["total"]);
    assert_eq!(scores[0]["rank"], kysd["rank"], "its place among all");
    let (status, html) = unit.get("/scores?plan=dapeng-2022&as_of=2022-12-31").await;
    assert_eq!(status, 200);
    assert!(html.contains("本页只显示本单位的得分和名次"));
    assert!(!html.contains("南澳街道 ·"), "no other unit's breakdown");
    let (status, bytes) = unit
        .download("/export/ranking?plan=dapeng-2022&as_of=2022-12-31")
        .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("排名").expect("排名");
    assert_eq!(sheet.rows().skip(2).count(), 1, "its own row only");
    let anonymous = common::serve(office.db.clone()).await;
    assert_eq!(anonymous.download("/export/ranking").await.0, 401);

    // The rubric is the office's; a unit is refused and nothing changes.
    let mut form = vec![("plan", "dapeng-2022"), ("version", "0")];
    form.extend_from_slice(RUBRIC);
    let (status, _) = unit.call("save_rubric", &form).await;
    assert_eq!(status, 403);
    // Weights that do not add up to 100, a bad deduction: every problem named, nothing saved.
    let mut bad: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| match *k {
            "form[quality]" => (*k, "30"),
            "form[red_day]" => (*k, "0.125"),
            _ => (*k, *v),
        })
        .collect();
    let (status, body) = office.call("save_rubric", &bad).await;
    assert_eq!(status, 422, "{body}");
    let text = message(&body);
    assert!(
        text.contains("四项分值合计须为 100 分(现为 110 分)"),
        "{text}"
    );
    assert!(text.contains("红灯每日扣分"), "{text}");
    assert!(is_chinese(&text));
    let (_, after) = ranking(&office, &query).await;
    assert_eq!(after["rubric_version"], 0);
    assert_eq!(after["scores"], all["scores"]);
    // A stale version is a conflict.
    bad.retain(|(k, _)| *k != "form[quality]" && *k != "form[red_day]");
    bad.extend([("form[quality]", "20"), ("form[red_day]", "0.2")]);
    assert_eq!(office.call("save_rubric", &bad).await.0, 200);
    assert_eq!(office.call("save_rubric", &bad).await.0, 409);
    // A day outside the plan year, an unknown group: refused in words.
    for (field, value) in [("as_of", "2021-06-30"), ("group", "everyone")] {
        let (status, body) = office
            .call("get_ranking", &[("plan", "dapeng-2022"), (field, value)])
            .await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(is_chinese(&message(&body)), "{body}");
    }
    // The administrator runs the system, not the assessment.
    let admin = beside(&office, "admin").await;
    assert_eq!(ranking(&admin, &query).await.0, 403);
}

async fn assessment(app: &TestApp, task: &str) -> Value {
    let (status, body) = app.call("get_assessment", &[("task", task)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn send(app: &TestApp, endpoint: &str, pairs: Vec<(&str, String)>) -> (u16, String) {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, &borrowed).await
}

fn version(v: &Value) -> String {
    v["assessment"]["version"].as_u64().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_assessed_reviewed_and_confirmed_scores_count_and_stay_frozen() {
    const TASK: &str = "dapeng-2022-12";
    let office = signed_in("wangfang").await;
    let head = beside(&office, "liuqiang").await;
    let leader = beside(&office, "linxh").await;
    let query = [("plan", "dapeng-2022"), ("as_of", "2022-12-31")];
    let kysd = |r: &Value| {
        r["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["unit"]["id"] == "kysd")
            .unwrap()
            .clone()
    };
    let before = kysd(&ranking(&office, &query).await.1);

    // 葵涌's head 自评s its task; another unit's head may not, nor may the office.
    let a = assessment(&head, TASK).await;
    assert_eq!(a["steps"], serde_json::json!(["self_assess"]));
    let remarks = "已在全街道推行“党建+网格”,完成全部社区网格党支部建设,经验被市里推广。";
    let form = |v: &str| {
        vec![
            ("task", TASK.to_owned()),
            ("version", v.to_owned()),
            ("remarks", remarks.to_owned()),
            ("quality", "38".to_owned()),
            ("innovation", "9".to_owned()),
        ]
    };
    let other = beside(&office, "yangfan").await;
    assert_eq!(send(&other, "self_assess", form("0")).await.0, 403);
    assert_eq!(send(&office, "self_assess", form("0")).await.0, 403);
    let (status, body) = send(&head, "self_assess", form("0")).await;
    assert_eq!((status, body.as_str()), (200, "1"));
    // A leader cannot confirm what the office has not reviewed.
    let (status, body) = send(
        &leader,
        "confirm_assessment",
        vec![("task", TASK.into()), ("version", "1".into())],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("尚未点评"), "{body}");

    // The office proposes the scores; above the marks is refused in words, nothing changes.
    let review = |q: &str, v: &str| {
        vec![
            ("task", TASK.to_owned()),
            ("version", v.to_owned()),
            ("quality", q.to_owned()),
            ("innovation", "8.5".to_owned()),
            ("note", "按期高质量完成,网格党建有特色。".to_owned()),
        ]
    };
    let (status, body) = send(&office, "review_assessment", review("45", "1")).await;
    assert_eq!(status, 422);
    assert!(
        message(&body).contains("完成质量得分须在 0 到 40 之间"),
        "{body}"
    );
    assert_eq!(version(&assessment(&office, TASK).await), "1");
    assert_eq!(
        send(&office, "review_assessment", review("36", "1"))
            .await
            .0,
        200
    );
    // Not counted until confirmed.
    let reviewed = kysd(&ranking(&office, &query).await.1);
    assert_eq!(reviewed["total"], before["total"]);
    assert_eq!(
        send(
            &leader,
            "confirm_assessment",
            vec![("task", TASK.into()), ("version", "2".into())]
        )
        .await
        .0,
        200
    );

    // Confirmed: the task's line carries 36 and 8.5, the unit's total rises by exactly the
    // weighted share of 44.5 points on that line.
    let after = ranking(&office, &query).await.1;
    let unit = kysd(&after);
    let lines = unit["lines"].as_array().unwrap();
    let line = lines
        .iter()
        .find(|l| l["task"] == TASK && l["part"] == "lead")
        .unwrap();
    assert_eq!(
        (line["quality"].clone(), line["innovation"].clone()),
        (serde_json::json!(3600), serde_json::json!(850))
    );
    let weights: i64 = lines.iter().map(|l| l["weight"].as_i64().unwrap()).sum();
    let weight = line["weight"].as_i64().unwrap();
    let num: i64 = lines
        .iter()
        .map(|l| l["weight"].as_i64().unwrap() * l["score"].as_i64().unwrap())
        .sum();
    assert_eq!(unit["total"].as_i64().unwrap(), round(num, weights));
    assert!(unit["total"].as_i64().unwrap() > before["total"].as_i64().unwrap());
    assert!(weight > 0);

    // Frozen: the unit can no longer 自评; a correction needs the office's reason and the
    // leader's confirmation again; the history keeps every step.
    let (status, body) = send(&head, "self_assess", form("3")).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("已经分管领导确认"), "{body}");
    let (status, body) = send(&office, "review_assessment", review("34", "3")).await;
    assert_eq!(status, 422, "no reason: {body}");
    assert!(message(&body).contains("更正理由不能为空"), "{body}");
    let mut corrected = review("34", "3");
    corrected.push(("correction", "经复核,网格覆盖率未达100%".to_owned()));
    assert_eq!(send(&office, "review_assessment", corrected).await.0, 200);
    let a = assessment(&leader, TASK).await;
    assert_eq!(a["steps"], serde_json::json!(["confirm"]));
    assert_eq!(
        a["assessment"]["self_quality"], 3800,
        "the unit's proposal kept"
    );
    assert_eq!(a["assessment"]["confirmed_at"], Value::Null);
    let restored = kysd(&ranking(&office, &query).await.1);
    assert_eq!(
        restored["total"], before["total"],
        "a correction counts once confirmed again"
    );
    let (_, task) = office.call("get_task", &[("id", TASK)]).await;
    for words in [
        "考评自评",
        "考评点评:完成质量 36.00 分",
        "考核确认",
        "更正考评得分",
        "经复核",
    ] {
        assert!(task.contains(words), "history has {words}");
    }
    // Another unit reads neither the assessment nor the page.
    assert_eq!(other.call("get_assessment", &[("task", TASK)]).await.0, 403);
}
