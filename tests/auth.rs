//! Sign-in, sessions and permissions through the real router.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{TestApp, serve, signed_in, spawn};
use jiebang::server::authz::SERVER_FUNCTIONS;
use jiebang::server::page_cache::SESSION_TTL;
use jiebang::server::seed::DEMO_PASSWORD;
use surrealdb::types::SurrealValue;

#[derive(Debug, SurrealValue)]
struct Version {
    version: i64,
    percent: i64,
}

async fn task_state(app: &TestApp, key: &str) -> (i64, i64) {
    let row: Option<Version> = app
        .db
        .query("SELECT version, percent FROM ONLY $id")
        .bind(("id", surrealdb::types::RecordId::new("task", key)))
        .await
        .expect("query")
        .take(0)
        .expect("row");
    let row = row.expect("task exists");
    (row.version, row.percent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_has_a_policy_entry() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(!registered.is_empty());
    for path in &registered {
        assert!(
            SERVER_FUNCTIONS.iter().any(|(p, _)| p == path),
            "server function {path} has no entry in authz::SERVER_FUNCTIONS"
        );
    }
    for (path, _) in SERVER_FUNCTIONS {
        assert!(
            registered.iter().any(|p| p == path),
            "policy lists {path}, which does not exist"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_need_a_session() {
    let app = spawn(true).await;
    let (status, location) = app.get_location("/tasks/dapeng-2022-01").await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/login?next=/tasks/dapeng-2022-01")
    );
    let (status, body) = app.get("/login").await;
    assert_eq!(status, 200);
    assert!(body.contains("登录揭榜"));
    let (status, body) = app.call("get_board", &[]).await;
    assert_eq!(status, 401, "{body}");
    // Health checks and static files stay open.
    assert_eq!(app.get("/healthz").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_unknown_user_and_disabled_account_look_the_same() {
    let app = spawn(true).await;
    let (s1, b1) = app.sign_in("wangfang", "wrong-password1").await;
    let (s2, b2) = app.sign_in("nobody", "wrong-password1").await;
    app.db
        .query("UPDATE account SET active = false WHERE username = 'guest'")
        .await
        .expect("disable")
        .check()
        .expect("ok");
    let (s3, b3) = app.sign_in("guest", DEMO_PASSWORD).await;
    // A plain form post goes back to the form with the error (in the URL); no cookie is set.
    for (status, body) in [(s1, &b1), (s2, &b2), (s3, &b3)] {
        assert_eq!(status, 302, "{body}");
        assert!(body.contains("bad_credentials"), "{body}");
    }
    assert_eq!(b1, b2);
    assert_eq!(b2, b3);
    assert!(
        app.cookie.lock().expect("lock").is_none(),
        "no session cookie was set"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_per_account() {
    let app = spawn(true).await;
    for _ in 0..jiebang::server::auth::MAX_FAILURES_PER_ACCOUNT {
        let (_, body) = app.sign_in("liuqiang", "wrong-password1").await;
        assert!(body.contains("bad_credentials"), "{body}");
    }
    // Even the right password is refused now.
    let (_, body) = app.sign_in("liuqiang", DEMO_PASSWORD).await;
    assert!(body.contains("too_many_attempts"), "{body}");
    // Another account is not affected.
    assert!(app.signs_in("jianglin", DEMO_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_ends_the_session_and_sign_out_everywhere_ends_all() {
    let app = signed_in("wangfang").await;
    assert_eq!(app.get("/").await.0, 200);
    let old_cookie = app.cookie.lock().expect("lock").clone();
    let (status, _) = app.call("sign_out", &[]).await;
    assert!(status < 400, "sign out answered {status}");
    *app.cookie.lock().expect("lock") = old_cookie;
    assert_eq!(
        app.get_location("/").await.0,
        303,
        "the old cookie no longer works"
    );

    // Two sessions of one account; signing out everywhere from one ends both.
    let first = signed_in("wangfang").await;
    let second = serve(first.db.clone()).await;
    assert!(second.signs_in("wangfang", DEMO_PASSWORD).await);
    assert_eq!(second.get("/").await.0, 200);
    first.call("sign_out_everywhere", &[]).await;
    assert_eq!(first.get_location("/").await.0, 303);
    // Another instance trusts a session it resolved for at most a second.
    assert!(refused_within(&second, SESSION_TTL * 2).await);
}

/// Whether the app's cookie stops opening pages within `limit`.
async fn refused_within(app: &TestApp, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    loop {
        if app.get_location("/").await.0 == 303 {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_sessions_are_refused() {
    let app = signed_in("guest").await;
    assert_eq!(app.get("/").await.0, 200);
    app.db
        .query("UPDATE session SET last_seen = time::now() - 5h")
        .await
        .expect("age")
        .check()
        .expect("ok");
    // Aged behind the app's back: seen once the app asks the database again (within
    // SESSION_TTL; a session that ages in real time is checked the same way).
    assert!(refused_within(&app, SESSION_TTL * 2).await, "idle too long");

    let app = signed_in("guest").await;
    app.db
        .query("UPDATE session SET expires_at = time::now() - 1s")
        .await
        .expect("expire")
        .check()
        .expect("ok");
    assert!(
        refused_within(&app, SESSION_TTL * 2).await,
        "past the absolute limit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_works_on_a_second_instance_sharing_the_database() {
    let first = signed_in("linxh").await;
    let second = serve(first.db.clone()).await;
    *second.cookie.lock().expect("lock") = first.cookie.lock().expect("lock").clone();
    let (status, body) = second.get("/tasks/dapeng-2022-01").await;
    assert_eq!(status, 200);
    assert!(body.contains("林晓华"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unit_heads_act_only_on_their_own_units_tasks() {
    // 南澳's head calls the endpoints for a 葵涌 task (12: 土洋社区“红色村”) directly.
    let nanao = signed_in("yangfan").await;
    let before = task_state(&nanao, "dapeng-2022-12").await;
    let (status, _) = nanao
        .call(
            "change_task_status",
            &[
                ("id", "dapeng-2022-12"),
                ("version", &before.0.to_string()),
                ("to", "submitted"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = nanao
        .call(
            "add_report",
            &[
                ("id", "dapeng-2022-12"),
                ("percent", "90"),
                ("done", "x"),
                ("problems", ""),
                ("next_steps", ""),
            ],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        task_state(&nanao, "dapeng-2022-12").await,
        before,
        "nothing changed"
    );

    // 葵涌's liaison may report on it.
    let kuichong = signed_in("jianglin").await;
    let (status, body) = kuichong
        .call(
            "add_report",
            &[
                ("id", "dapeng-2022-12"),
                ("percent", "55"),
                ("done", "完成红色文化阵地提升"),
                ("problems", ""),
                ("next_steps", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // It waits for 葵涌's head (待审核), who 报送s it; then it counts.
    let draft: String = serde_json::from_str(&body).expect("report id");
    assert_ne!(task_state(&kuichong, "dapeng-2022-12").await.1, 55);
    let head = common::serve(kuichong.db.clone()).await;
    head.sign_in("liuqiang", jiebang::server::seed::DEMO_PASSWORD)
        .await;
    let (status, body) = head.call("approve_report", &[("report", &draft)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(task_state(&kuichong, "dapeng-2022-12").await.1, 55);

    // A viewer and a leader can read but not change.
    for user in ["guest", "linxh"] {
        let app = signed_in(user).await;
        let (status, _) = app
            .call(
                "change_task_status",
                &[
                    ("id", "dapeng-2022-16"),
                    ("version", "1"),
                    ("to", "accepted"),
                ],
            )
            .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(app.call("list_accounts", &[]).await.0, 403, "{user}");
    }
    // The organizer accepts the submitted task 16, criterion by criterion.
    let org = signed_in("wangfang").await;
    let n = jiebang::server::db::tasks::criteria_count(
        &org.db,
        &jiebang::domain::TaskId::parse("dapeng-2022-16").expect("id"),
    )
    .await
    .expect("criteria");
    let keys: Vec<String> = (0..n).map(|i| format!("form[verdicts][{i}]")).collect();
    let mut form = vec![("id", "dapeng-2022-16"), ("version", "1")];
    form.extend(keys.iter().map(|k| (k.as_str(), "met")));
    let (status, body) = org.call("review_acceptance", &form).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = signed_in("wangfang").await;
    let cookie = app.cookie.lock().expect("lock").clone().expect("cookie");
    let res = app
        .client
        .post(format!("{}/api/change_task_status", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "http://evil.example")
        .header("cookie", cookie)
        .body("id=dapeng-2022-16&version=1&to=accepted")
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(
        task_state(&app, "dapeng-2022-16").await.0,
        1,
        "nothing changed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_accounts_and_hashes_never_leave_the_server() {
    let admin = signed_in("admin").await;
    let (status, body) = admin.call("list_accounts", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("wangfang"));
    for secret in ["argon2", "password", "hash"] {
        assert!(!body.to_lowercase().contains(secret), "{body}");
    }
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
            "create_account",
            &[
                ("username", "noone"),
                ("display_name", "某"),
                ("role", "liaison"),
                ("unit", ""),
                ("password", "xujq2022ok"),
            ],
        )
        .await;
    assert_eq!(status, 422, "a liaison needs a unit: {body}");
    let newcomer = serve(admin.db.clone()).await;
    assert!(newcomer.signs_in("xujq", "xujq2022ok").await);
    let (_, me) = newcomer.call("get_current_user", &[]).await;
    assert!(
        me.contains("徐建泉") && !me.to_lowercase().contains("hash"),
        "{me}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_per_address() {
    let app = spawn(true).await;
    // Many names, one address: the address is refused after the limit, whatever the name.
    for i in 0..jiebang::server::auth::MAX_FAILURES_PER_ADDRESS {
        let (_, body) = app.sign_in(&format!("nobody{i}"), "wrong-password1").await;
        assert!(body.contains("bad_credentials"), "{body}");
    }
    let (_, body) = app.sign_in("guest", DEMO_PASSWORD).await;
    assert!(body.contains("too_many_attempts"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_admin_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = format!("surrealkv://{}", dir.path().join("db").display());
    let run = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jiebang"))
            .args(["create-admin", "root-admin", "--name", "管理员"])
            .env("JIEBANG_DB", &db_url)
            .env("JIEBANG_ADMIN_PASSWORD", password)
            .env("JIEBANG_LOG", "error")
            .output()
            .expect("run jiebang")
    };
    let weak = run("short");
    assert!(!weak.status.success(), "a weak password is refused");
    let ok = run("root2022admin");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = run("root2022admin");
    assert!(!again.status.success(), "the name is taken");
    assert!(String::from_utf8_lossy(&again.stderr).contains("用户名已被使用"));
}
