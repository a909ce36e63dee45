//! 节假日安排 through the router: the admin installs 2027 (not shipped) line by line, it takes
//! effect at once and survives a restart (the next instance loads it); a bad form is refused
//! field by field in Chinese and changes nothing; only the admin may.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::{beside, message, signed_in};
use jiebang::server::calendar;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_installs_a_years_holidays_and_they_count_at_once() {
    let admin = signed_in("admin").await;
    let form = [
        ("year", "2027"),
        ("source", "国务院办公厅关于2027年部分节假日安排的通知"),
        (
            "holidays",
            "元旦 2027-01-01\n春节 2027-02-05 2027-02-13\n国庆节 2027-10-01 2027-10-07",
        ),
        ("workdays", "2027-02-14, 2027-02-20 2027-10-09"),
    ];
    // Refused first: a line that is no holiday, a date that does not exist, a weekday given
    // as 调休.
    let mut bad = form;
    bad[2].1 = "元旦 2027-01-01\n春节 二月五日";
    bad[3].1 = "2027-02-30";
    let (status, body) = admin.call("save_calendar", &bad).await;
    assert_eq!(status, 422, "{body}");
    let said = message(&body);
    assert!(
        said.contains("第 2 条放假安排") && said.contains("调休上班日"),
        "{said}"
    );
    let (_, listed) = admin.call("get_calendars", &[]).await;
    assert!(
        !listed.contains("\"year\":2027"),
        "nothing stored: {listed}"
    );

    let others = beside(&admin, "wangfang").await;
    let (status, _) = others.call("save_calendar", &form).await;
    assert_eq!(status, 403);

    let (status, body) = admin.call("save_calendar", &form).await;
    assert_eq!(status, 200, "{body}");
    let cal = calendar::current();
    assert!(cal.covers(2027));
    assert!(!cal.is_working_day(day(2027, 2, 8)), "春节 Monday");
    assert!(cal.is_working_day(day(2027, 2, 14)), "调休 Sunday");
    // 9-30 (Thursday) to 10-11: 10-8 (Friday) and the 调休 Saturday 10-9, then Monday.
    assert_eq!(
        cal.working_days_between(day(2027, 9, 30), day(2027, 10, 11)),
        3
    );

    let (status, listed) = admin.call("get_calendars", &[]).await;
    assert_eq!(status, 200);
    let entries: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let first = &entries[0];
    assert_eq!(first["year"]["year"], 2027);
    assert_eq!(first["updated_by"], "系统管理员");
    let (status, page) = admin.get("/admin/calendar").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("2027年") && page.contains("系统管理员 于"),
        "the page lists it"
    );

    // A fresh process (the calendar back to the shipped years) loads it from the database.
    calendar::install(Vec::new());
    assert!(!calendar::current().covers(2027));
    calendar::load(&admin.db).await.unwrap();
    assert!(calendar::current().covers(2027));
}
