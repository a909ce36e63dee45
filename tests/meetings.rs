//! 专题调度会 through the real router: the office sets one up on the demo plan (agenda: every
//! task in number order, the two 重点研究 items flagged), starts it (each task frozen as it
//! stood), records 研判, 会议要求 and 交办事项, and ends it; units read it but write nothing;
//! every refusal is a Chinese message and changes nothing.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{TestApp, beside, count, is_chinese, message, set_up_meeting, signed_in};
use serde_json::Value;

const TASK_1: &str = "dapeng-2022-01";
const TASK_2: &str = "dapeng-2022-02";
const TASK_14: &str = "dapeng-2022-14";

async fn create(office: &TestApp) -> String {
    let (status, body) =
        set_up_meeting(office, "基层党建重点任务专题调度会", "2022-07-29", "09:30").await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("the new meeting's id")
}

/// Moves meeting `id` from `version` to stage `to`.
async fn advance(app: &TestApp, id: &str, version: &str, to: &str) -> (u16, String) {
    app.call(
        "advance_meeting",
        &[("id", id), ("version", version), ("to", to)],
    )
    .await
}

async fn meeting(app: &TestApp, id: &str) -> Value {
    let (status, body) = app.call("get_meeting", &[("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn row<'a>(view: &'a Value, task: &str) -> &'a Value {
    view["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["task"]["id"] == task)
        .expect("the task is on the agenda")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_takes_the_plans_tasks_one_by_one_and_keeps_what_it_saw() {
    let office = signed_in("wangfang").await;
    let id = create(&office).await;

    // The agenda: every task of the plan in number order (the demo has no cancelled task),
    // the two the seed's meeting studied in depth flagged 重点研究.
    let (_, board) = office.call("get_board", &[]).await;
    let board: Value = serde_json::from_str(&board).expect("board");
    let plan_tasks = board["tasks"].as_array().expect("tasks").len();
    let view = meeting(&office, &id).await;
    let rows = view["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), plan_tasks);
    let numbers: Vec<u64> = rows
        .iter()
        .map(|r| r["task"]["number"].as_u64().expect("n"))
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "number order");
    let focus: Vec<u64> = rows
        .iter()
        .filter(|r| r["focus"] == true)
        .map(|r| r["task"]["number"].as_u64().expect("n"))
        .collect();
    assert_eq!(focus, vec![1, 2]);
    assert_eq!(view["meeting"]["summary"]["status"], "planned");

    // Its page, without JavaScript: particulars, the agenda, both flags.
    let (status, html) = office.get(&format!("/meetings/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("新区组织人事局三楼会议室") && html.contains("筹备中"));
    assert_eq!(count(&html, "class=\"focus-tag\""), 2);
    assert!(html.contains("开始会议"));
    // The list of meetings names it for everyone signed in.
    let head = beside(&office, "liuqiang").await;
    let (status, list) = head.call("list_meetings", &[]).await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains("基层党建重点任务专题调度会"));

    // Nothing is recorded before the meeting starts.
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[("meeting", &id), ("task", TASK_1), ("verdict", "lagging")],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("筹备中"), "{body}");

    // Starting it freezes every task as it stands; a stale version is a conflict.
    let before = row(&view, TASK_1)["task"].clone();
    let (status, body) = advance(&office, &id, "7", "in_progress").await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = advance(&office, &id, "1", "in_progress").await;
    assert_eq!(status, 200, "{body}");
    office
        .db
        .query("UPDATE $t SET percent = 97")
        .bind(("t", surrealdb::types::RecordId::new("task", TASK_1)))
        .await
        .expect("change the task after the meeting began")
        .check()
        .expect("changed");
    let view = meeting(&office, &id).await;
    let seen = row(&view, TASK_1);
    assert_eq!(seen["frozen"], true);
    assert_eq!(
        seen["task"], before,
        "the meeting still sees the task as it stood"
    );
    assert_ne!(seen["task"]["percent"], 97);

    // 研判 and 会议要求 for task 1; a unit head may read but not write them.
    let requirements = "8月20日前完成6个试点小区党支部组建,年底前实现物业小区全覆盖";
    let record = [
        ("meeting", id.as_str()),
        ("task", TASK_1),
        ("verdict", "lagging"),
        ("requirements", requirements),
    ];
    let (status, _) = head.call("record_meeting_task", &record).await;
    assert_eq!(status, 403);
    let (status, body) = office.call("record_meeting_task", &record).await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    let rec = &row(&view, TASK_1)["record"];
    assert_eq!(rec["verdict"], "lagging");
    assert_eq!(rec["requirements"], requirements);
    assert_eq!(view["meeting"]["summary"]["judged"], 1);

    // Bad input: every problem named in Chinese, nothing changed.
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[
                ("meeting", &id),
                ("task", TASK_1),
                ("verdict", "great"),
                ("requirements", "改"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(is_chinese(&message(&body)) && message(&body).contains("研判结论"));
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[
                ("meeting", &id),
                ("task", "dapeng-2021-01"),
                ("verdict", "on_track"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("不在本次会议的议程"), "{body}");
    let view = meeting(&office, &id).await;
    assert_eq!(row(&view, TASK_1)["record"]["requirements"], requirements);

    // The meeting fixes a 完成时限: never before its goals (task 1 has one due 11-30) …
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[
                ("meeting", &id),
                ("task", TASK_1),
                ("deadline", "2022-11-15"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("推进目标"), "{body}");
    // … and when it moves one (task 14: 9-30 → 10-31), the task takes it at once, with an
    // entry in its history naming the meeting; the meeting keeps what it saw.
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[
                ("meeting", &id),
                ("task", TASK_14),
                ("verdict", "adjust"),
                ("deadline", "2022-10-31"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, task) = office.call("get_task", &[("id", TASK_14)]).await;
    let task: Value = serde_json::from_str(&task).expect("task");
    assert_eq!(task["deadline"], "2022-10-31");
    assert_eq!(task["original_deadline"], "2022-09-30");
    let entry = task["history"]
        .as_array()
        .expect("history")
        .iter()
        .find(|e| e["action"] == "meeting_deadline")
        .expect("the change is in the task's history");
    assert!(
        entry["summary"]
            .as_str()
            .expect("summary")
            .contains("基层党建重点任务专题调度会"),
        "{entry}"
    );
    let view = meeting(&office, &id).await;
    let seen = row(&view, TASK_14);
    assert_eq!(
        seen["task"]["deadline"], "2022-09-30",
        "the meeting saw the old one"
    );
    assert_eq!(seen["record"]["deadline"], "2022-10-31");

    // A 交办事项 on task 2 for 葵涌; none due before the meeting, none for a made-up unit.
    let action = |due: &'static str, unit: &'static str| {
        [
            ("meeting", id.clone()),
            ("task", TASK_2.to_owned()),
            (
                "content",
                "梳理辖区受困企业融资需求,落实“两稳一保”措施".to_owned(),
            ),
            ("unit", unit.to_owned()),
            ("due", due.to_owned()),
        ]
    };
    let call = |form: [(&'static str, String); 5]| {
        let office = &office;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            office.call("add_action_item", &form).await
        }
    };
    let (status, body) = call(action("2022-07-28", "kysd")).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("办理时限"), "{body}");
    let (status, body) = call(action("2022-08-20", "nobody")).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("责任单位"), "{body}");
    let (status, body) = call(action("2022-08-20", "kysd")).await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    let actions = view["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["task"], TASK_2);
    assert_eq!(actions[0]["unit_name"], "葵涌街道党建办");
    assert_eq!(actions[0]["status"], "open");
    let item = actions[0]["id"].as_str().expect("id").to_owned();

    // 葵涌 finds it on its 工作台 and answers it; another unit may not, nor may the office
    // answer for it; the office closes it, after which nobody answers it again.
    let (_, bench) = head.call("get_workbench", &[]).await;
    let bench: Value = serde_json::from_str(&bench).expect("workbench");
    let shelf = bench["shelves"]
        .as_array()
        .expect("shelves")
        .iter()
        .find(|s| s[0] == "meeting_actions")
        .expect("a 会议交办事项 shelf");
    // The demo's 7-29 meeting gave 葵涌 one item already; this meeting's is beside it.
    let items = shelf[1].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().any(|i| i["note"]["content"]
        == "梳理辖区受困企业融资需求,落实“两稳一保”措施"
        && i["note"]["meeting"] == id.as_str()));
    let nanao = beside(&office, "yangfan").await;
    let answer = [
        ("id", item.as_str()),
        ("feedback", "已梳理企业融资需求12项"),
    ];
    let (status, body) = nanao.call("answer_action_item", &answer).await;
    assert_eq!(status, 403, "{body}");
    assert!(message(&body).contains("责任单位"), "{body}");
    let (status, _) = office.call("answer_action_item", &answer).await;
    assert_eq!(status, 403);
    let (status, body) = head.call("answer_action_item", &answer).await;
    assert_eq!(status, 200, "{body}");
    let (_, bench) = office.call("get_workbench", &[]).await;
    assert!(
        bench.contains("\"actions_answered\"") && bench.contains("两稳一保"),
        "{bench}"
    );
    let (status, _) = head.call("close_action_item", &[("id", &item)]).await;
    assert_eq!(status, 403);
    let (status, body) = office.call("close_action_item", &[("id", &item)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = head.call("answer_action_item", &answer).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("已办结"), "{body}");
    let view = meeting(&office, &id).await;
    assert_eq!(view["actions"][0]["status"], "closed");
    assert_eq!(view["actions"][0]["feedback"], "已梳理企业融资需求12项");
    let (_, bench) = head.call("get_workbench", &[]).await;
    assert!(!bench.contains("两稳一保"), "closed items leave the 工作台");

    // The page shows what was decided, and the chosen task's record.
    let (_, html) = office.get(&format!("/meetings/{id}?task={TASK_1}")).await;
    assert!(html.contains(requirements));
    assert!(html.contains("进度滞后"));
    assert!(html.contains("保存研判"));
    let (_, html) = head.get(&format!("/meetings/{id}?task={TASK_2}")).await;
    assert!(html.contains("两稳一保"));
    assert!(!html.contains("保存研判"), "a unit sees no forms");

    // Ending it: records may still be completed for the minutes; it does not go back, and
    // publishing is the minutes' own step.
    let (status, body) = advance(&office, &id, "2", "held").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = advance(&office, &id, "3", "in_progress").await;
    assert_eq!(status, 409, "{body}");
    assert!(is_chinese(&message(&body)));
    let (status, body) = office
        .call(
            "record_meeting_task",
            &[
                ("meeting", &id),
                ("task", TASK_2),
                ("verdict", "difficulty"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    assert_eq!(view["meeting"]["summary"]["status"], "held");
    assert_eq!(view["meeting"]["summary"]["judged"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_following_the_meeting_show_the_task_the_host_shows() {
    let office = signed_in("wangfang").await;
    let id = create(&office).await;
    let present = |task: &'static str| {
        let id = id.clone();
        let office = &office;
        async move {
            office
                .call("present_meeting_task", &[("meeting", &id), ("task", task)])
                .await
        }
    };
    // Not before the meeting is held.
    let (status, body) = present(TASK_14).await;
    assert_eq!(status, 409, "{body}");
    assert!(message(&body).contains("筹备中"), "{body}");
    let (status, body) = advance(&office, &id, "1", "in_progress").await;
    assert_eq!(status, 200, "{body}");
    let version = meeting(&office, &id).await["meeting"]["summary"]["version"].clone();

    let (status, body) = present(TASK_14).await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    assert_eq!(view["meeting"]["presenting"], TASK_14);
    assert_eq!(
        view["meeting"]["summary"]["version"], version,
        "turning the screen changes nothing the meeting decided"
    );
    // A follower's page, rendered on the server: task 14 on the screen, whatever the address
    // says.
    let head = beside(&office, "liuqiang").await;
    let (status, html) = head
        .get(&format!("/meetings/{id}/present?follow&at=3"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("跟随主持中"), "the follower says so");
    assert!(html.contains("第 14 / "), "on task 14");
    // Only the office turns the screens, only to a task on the agenda.
    let (status, body) = head
        .call(
            "present_meeting_task",
            &[("meeting", &id), ("task", TASK_1)],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = present("dapeng-2021-01").await;
    assert!((400..500).contains(&status), "{status} {body}");
    assert!(message(&body).contains("不在本次会议的议程中"), "{body}");
    assert_eq!(
        meeting(&office, &id).await["meeting"]["presenting"],
        TASK_14
    );
    // Each turn is dated in the meeting's trail.
    let turns: Vec<String> = office
        .db
        .query("SELECT VALUE summary FROM audit_event WHERE entity = $m AND action = 'meeting_presented'")
        .bind(("m", surrealdb::types::RecordId::new("meeting", id.as_str())))
        .await
        .expect("query")
        .take(0)
        .expect("summaries");
    assert_eq!(turns, vec!["主持研判第 14 项".to_owned()]);
    // Once the meeting ends nothing is on the screen and nothing more is turned.
    let (status, body) = advance(&office, &id, &version.to_string(), "held").await;
    assert_eq!(status, 200, "{body}");
    assert!(meeting(&office, &id).await["meeting"]["presenting"].is_null());
    let (status, _) = present(TASK_1).await;
    assert_eq!(status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_needs_a_posted_plan_and_complete_particulars() {
    let office = signed_in("wangfang").await;
    let (status, body) = office
        .call(
            "create_meeting",
            &[
                ("plan", "dapeng-2022"),
                ("title", "会"),
                ("date", "2022-13-01"),
                ("time", "25:00"),
                ("place", ""),
                ("host", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let text = message(&body);
    for field in ["会议名称", "会议日期", "开始时间", "会议地点", "主持人"] {
        assert!(text.contains(field), "{field} named in {text}");
    }
    let (status, body) = office
        .call(
            "create_meeting",
            &[
                ("plan", "nope"),
                ("title", "调度会"),
                ("date", "2022-07-29"),
                ("time", "09:30"),
                ("place", "会议室"),
                ("host", "林晓华"),
            ],
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (_, list) = office.call("list_meetings", &[]).await;
    let list: Value = serde_json::from_str(&list).expect("json");
    assert_eq!(
        list.as_array().expect("list").len(),
        1,
        "only the demo's meeting: nothing was written"
    );
    let (status, _) = office.get("/meetings/nope").await;
    assert_eq!(status, 404);
}

/// Every piece of text in a Word file, paragraph by paragraph.
fn docx_text(bytes: &[u8]) -> Vec<String> {
    use docx_rs::{DocumentChild, ParagraphChild, RunChild};
    let doc = docx_rs::read_docx(bytes).expect("the file reads back as .docx");
    doc.document
        .children
        .iter()
        .filter_map(|child| match child {
            DocumentChild::Paragraph(p) => Some(
                p.children
                    .iter()
                    .filter_map(|c| match c {
                        ParagraphChild::Run(run) => Some(
                            run.children
                                .iter()
                                .filter_map(|r| match r {
                                    RunChild::Text(t) => Some(t.text.clone()),
                                    _ => None,
                                })
                                .collect::<String>(),
                        ),
                        _ => None,
                    })
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_minutes_list_what_was_decided_and_once_published_nothing_changes() {
    let office = signed_in("wangfang").await;
    let id = create(&office).await;
    let step = |version: &'static str, to: &'static str| {
        let (office, id) = (&office, id.clone());
        async move {
            let (status, body) = advance(office, &id, version, to).await;
            assert_eq!(status, 200, "{body}");
        }
    };
    step("1", "in_progress").await;
    let requirements = "8月20日前完成6个试点小区党支部组建,年底前实现物业小区全覆盖";
    for form in [
        vec![
            ("task", TASK_1),
            ("verdict", "lagging"),
            ("requirements", requirements),
        ],
        vec![
            ("task", TASK_14),
            ("verdict", "adjust"),
            ("deadline", "2022-10-31"),
        ],
    ] {
        let mut form = form;
        form.push(("meeting", &id));
        let (status, body) = office.call("record_meeting_task", &form).await;
        assert_eq!(status, 200, "{body}");
    }
    let content = "梳理辖区受困企业融资需求,落实“两稳一保”措施";
    let (status, body) = office
        .call(
            "add_action_item",
            &[
                ("meeting", &id),
                ("task", TASK_2),
                ("content", content),
                ("unit", "kysd"),
                ("due", "2022-08-20"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    step("2", "held").await;

    // The page: heading, the decisions grouped by verdict, the 议定事项 and 葵涌's 交办单.
    let (status, html) = office.get(&format!("/meetings/{id}/minutes")).await;
    assert_eq!(status, 200);
    for text in [
        "会议纪要",
        "新区组织人事局三楼会议室",
        "进度滞后的任务(1项)",
        requirements,
        "完成时限明确为2022年10月31日",
        "重点研究事项",
        "议定事项",
        content,
        "交办单",
        "葵涌街道党建办:",
        "印发纪要",
    ] {
        assert!(html.contains(text), "{text} on the minutes page");
    }

    // The office rewrites the opening; a stale version is a conflict.
    let opening = "7月29日上午,林晓华同志主持召开专题调度会,逐项研判重点任务。";
    let (status, _) = office
        .call(
            "save_minutes",
            &[("id", &id), ("version", "1"), ("overview", opening)],
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = office
        .call(
            "save_minutes",
            &[("id", &id), ("version", "3"), ("overview", opening)],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The Word file reads back with every agenda task and every decision.
    let (status, bytes) = office
        .download(&format!("/export/meetings/{id}/minutes"))
        .await;
    assert_eq!(status, 200);
    let text = docx_text(&bytes).join("\n");
    let view = meeting(&office, &id).await;
    for row in view["rows"].as_array().expect("rows") {
        let title = row["task"]["title"].as_str().expect("title");
        assert!(text.contains(title), "{title} in the .docx");
    }
    for decided in [
        opening,
        requirements,
        "2022年10月31日",
        content,
        "交办单",
        "葵涌街道党建办",
    ] {
        assert!(text.contains(decided), "{decided} in the .docx");
    }

    // 印发: numbered, and from then on nothing changes.
    let (status, body) = office
        .call("publish_minutes", &[("id", &id), ("version", "4")])
        .await;
    assert_eq!(status, 200, "{body}");
    // The demo's 7-29 minutes are the year's first.
    assert_eq!(body, "2");
    let (_, html) = office.get(&format!("/meetings/{id}/minutes")).await;
    assert!(html.contains("〔2022〕第2期") && !html.contains("印发纪要"));
    for (endpoint, form) in [
        (
            "save_minutes",
            vec![("id", id.as_str()), ("version", "5"), ("overview", "改")],
        ),
        (
            "publish_minutes",
            vec![("id", id.as_str()), ("version", "5")],
        ),
        (
            "record_meeting_task",
            vec![
                ("meeting", id.as_str()),
                ("task", TASK_1),
                ("verdict", "on_track"),
            ],
        ),
    ] {
        let (status, body) = office.call(endpoint, &form).await;
        assert_eq!(status, 409, "{endpoint}: {body}");
        assert!(message(&body).contains("纪要已印发"), "{body}");
    }
    let view = meeting(&office, &id).await;
    assert_eq!(row(&view, TASK_1)["record"]["verdict"], "lagging");
    // Anyone signed in may read the file; nobody else.
    let head = beside(&office, "liuqiang").await;
    let (status, _) = head
        .download(&format!("/export/meetings/{id}/minutes"))
        .await;
    assert_eq!(status, 200);
    let stranger = common::serve(office.db.clone()).await;
    let (status, _) = stranger
        .download(&format!("/export/meetings/{id}/minutes"))
        .await;
    assert_eq!(status, 401);
}

/// Seed 003: the demo opens with the 7-29 meeting held and its minutes published — every task
/// judged, the two projects studied in depth with the seed's requirements and their 交办事项.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_the_seed_meeting_with_its_minutes() {
    let leader = signed_in("linxh").await;
    let (_, list) = leader.call("list_meetings", &[]).await;
    let list: Value = serde_json::from_str(&list).expect("json");
    let demo = &list[0];
    assert_eq!(demo["date"], "2022-07-29");
    assert_eq!(demo["status"], "published");
    assert_eq!(demo["judged"], demo["tasks"], "every task judged");
    let id = demo["id"].as_str().expect("id");
    let (status, html) = leader.get(&format!("/meetings/{id}/minutes")).await;
    assert_eq!(status, 200);
    for text in [
        "〔2022〕第1期",
        "重点研究事项",
        "8月20日前完成6个试点小区",
        "全覆盖",
        "融资难",
        "两稳一保",
        "坝光新村、金众云山栖",
        "交办单",
        "两新组织党建工作科:",
    ] {
        assert!(html.contains(text), "{text} in the demo's minutes");
    }
    assert!(!html.contains("未作研判"));
}

/// The next meeting reads what became of the last one's 交办事项 (the demo's 7-29 meeting gave
/// four), shows them and the 批示 on the screen beside each task, and its minutes record the
/// 批示 given while it was held.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_meeting_follows_up_the_last_ones_items_and_records_the_leaders_instructions() {
    let office = signed_in("wangfang").await;
    let (status, body) = set_up_meeting(&office, "八月专题调度会", "2022-08-26", "14:30").await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).expect("id");
    let view = meeting(&office, &id).await;
    let previous = &view["previous"];
    assert_eq!(
        previous["summary"]["title"], "2022年基层党建重点任务专题调度会",
        "the demo's 7-29 meeting came before"
    );
    assert_eq!(previous["actions"].as_array().expect("items").len(), 4);
    let (_, html) = office.get(&format!("/meetings/{id}")).await;
    assert!(html.contains("上次会议交办事项落实情况"));
    assert!(html.contains("璞岸花园、枫浪山花园"), "南澳's item listed");
    // The demo meeting itself has none before it.
    let demo = previous["summary"]["id"].as_str().expect("id").to_owned();
    assert!(meeting(&office, &demo).await["previous"].is_null());

    let (status, body) = advance(&office, &id, "1", "in_progress").await;
    assert_eq!(status, 200, "{body}");
    // A leader's 批示 on task 1 during the meeting.
    let leader = beside(&office, "linxh").await;
    let instruction = "试点小区要形成可复制经验,9月底前在全区推广";
    let (status, body) = leader
        .call(
            "add_comment",
            &[
                ("id", TASK_1),
                ("kind", "instruction"),
                ("body", instruction),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    let given: Vec<&Value> = view["instructions"]
        .as_array()
        .expect("instructions")
        .iter()
        .filter(|i| i["body"] == instruction)
        .collect();
    assert_eq!(given.len(), 1);
    assert_eq!(given[0]["answered"], false);
    // The screen beside task 1: the 批示 and the last meeting's open items on it.
    let (_, slide) = office.get(&format!("/meetings/{id}/present?at=1")).await;
    assert!(slide.contains("领导批示") && slide.contains(instruction));
    assert!(
        slide.contains("坝光新村、金众云山栖"),
        "last meeting's item"
    );

    let version = view["meeting"]["summary"]["version"].to_string();
    let (status, body) = advance(&office, &id, &version, "held").await;
    assert_eq!(status, 200, "{body}");
    // A 批示 after the meeting ended is not the meeting's.
    let (status, _) = leader
        .call(
            "add_comment",
            &[
                ("id", TASK_2),
                ("kind", "instruction"),
                ("body", "会后批示不入纪要"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = office.get(&format!("/meetings/{id}/minutes")).await;
    // The rendered minutes (the page also carries its data for the browser).
    let start = page.find("<article class=\"minutes").expect("the minutes");
    let minutes = &page[start..start + page[start..].find("</article>").expect("end")];
    assert!(minutes.contains("领导批示"), "the minutes have the part");
    assert!(minutes.contains(&format!("林晓华批示:{instruction}")));
    assert!(!minutes.contains("会后批示不入纪要"));
}

/// Form fields in the bracket notation the server functions read (`form[criteria][0]=…`).
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((prefix.to_owned(), b.to_string())),
        Value::Number(n) => out.push((prefix.to_owned(), n.to_string())),
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, out);
            }
        }
        Value::Object(fields) => {
            for (k, v) in fields {
                flatten(&format!("{prefix}[{k}]"), v, out);
            }
        }
    }
}

/// The meeting makes a task's 验收标准 definite: its record opens the task's editor with a
/// reason that names the meeting, and the 调整 is kept with that reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn criteria_the_meeting_makes_definite_are_an_adjustment_that_names_it() {
    let office = signed_in("wangfang").await;
    let id = create(&office).await;
    let (status, body) = advance(&office, &id, "1", "in_progress").await;
    assert_eq!(status, 200, "{body}");
    let (_, panel) = office.get(&format!("/meetings/{id}?task={TASK_14}")).await;
    let editor = format!("/tasks/{TASK_14}/edit?meeting={id}");
    assert!(panel.contains(&editor), "the record links to the editor");
    let (status, page) = office.get(&editor).await;
    assert_eq!(status, 200);
    let reason = "经2022年7月29日基层党建重点任务专题调度会研究明确";
    assert!(page.contains(reason), "the reason names the meeting");
    assert!(page.contains(&format!("name=\"meeting\" value=\"{id}\"")));

    let (status, body) = office.call("get_task_form", &[("id", TASK_14)]).await;
    assert_eq!(status, 200, "{body}");
    let view: Value = serde_json::from_str(&body).expect("json");
    let mut form = view["form"].clone();
    let criterion = "覆盖全区流动党员,建立电子台账并每季度更新";
    form["criteria"]
        .as_array_mut()
        .expect("criteria")
        .push(Value::String(criterion.to_owned()));
    let mut fields = Vec::new();
    flatten("form", &form, &mut fields);
    let version = view["version"].to_string();
    let mut args: Vec<(&str, &str)> = vec![
        ("id", TASK_14),
        ("version", &version),
        ("reason", reason),
        ("meeting", &id),
    ];
    args.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (status, body) = office.call("edit_task", &args).await;
    assert_eq!(status, 200, "{body}");
    let adjustments: Vec<String> = office
        .db
        .query("SELECT VALUE reason FROM task_adjustment WHERE task = $t")
        .bind(("t", surrealdb::types::RecordId::new("task", TASK_14)))
        .await
        .expect("q")
        .take(0)
        .expect("reasons");
    assert_eq!(adjustments, vec![reason.to_owned()]);
    let (_, task) = office.call("get_task", &[("id", TASK_14)]).await;
    assert!(task.contains(criterion));
}

/// Before the meeting the office arranges its agenda: a task first, another flagged 重点研究,
/// one taken off and put back at the end; stale pages, units and a started meeting change
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_arranges_the_agenda_until_the_meeting_starts() {
    let office = signed_in("wangfang").await;
    let id = create(&office).await;
    let edit = |version: &'static str, task: &'static str, edit: &'static str| {
        let (office, id) = (&office, id.clone());
        async move {
            office
                .call(
                    "edit_agenda",
                    &[
                        ("id", &id),
                        ("version", version),
                        ("task", task),
                        ("edit", edit),
                    ],
                )
                .await
        }
    };
    let order = |view: &Value| -> Vec<String> {
        view["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                format!(
                    "{}{}",
                    r["task"]["number"],
                    if r["focus"] == true { "*" } else { "" }
                )
            })
            .collect()
    };
    let (status, body) = edit("1", TASK_14, "first").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = edit("2", TASK_14, "focus").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = edit("3", "dapeng-2022-03", "remove").await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    let now = order(&view);
    assert_eq!(&now[..4], ["14*", "1*", "2*", "4"]);
    assert!(!now.contains(&"3".to_owned()));
    let off: Vec<u64> = view["off_agenda"]
        .as_array()
        .expect("off")
        .iter()
        .map(|c| c["number"].as_u64().expect("n"))
        .collect();
    assert_eq!(off, vec![3]);
    let (_, html) = office.get(&format!("/meetings/{id}")).await;
    assert!(html.contains("调整议程") && html.contains("加入议程"));
    let (status, body) = edit("4", "dapeng-2022-03", "add").await;
    assert_eq!(status, 200, "{body}");
    let view = meeting(&office, &id).await;
    assert_eq!(order(&view).last().map(String::as_str), Some("3"));
    assert!(view["off_agenda"].as_array().expect("off").is_empty());

    // Refused, changing nothing: a stale version, a task twice, a unit, an unknown task.
    let (status, _) = edit("4", TASK_1, "down").await;
    assert_eq!(status, 409);
    let (status, body) = edit("5", TASK_1, "add").await;
    assert_eq!(status, 409);
    assert!(message(&body).contains("已在本次会议的议程中"), "{body}");
    let head = beside(&office, "liuqiang").await;
    let (status, _) = head
        .call(
            "edit_agenda",
            &[
                ("id", &id),
                ("version", "5"),
                ("task", TASK_1),
                ("edit", "remove"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = edit("5", "dapeng-2021-99", "add").await;
    assert_eq!(status, 404);
    assert_eq!(order(&meeting(&office, &id).await), order(&view));

    // Once the meeting starts the agenda stays as it was.
    let (status, body) = advance(&office, &id, "5", "in_progress").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = edit("6", TASK_1, "down").await;
    assert_eq!(status, 409);
    assert!(message(&body).contains("进行中"), "{body}");
    let (_, html) = office.get(&format!("/meetings/{id}")).await;
    assert!(!html.contains("加入议程"));
}
