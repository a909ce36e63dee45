//! Disk full: the server's data directory on a small tmpfs that fills up. Writes are refused
//! with a clear message and change nothing, reads keep working, writing resumes once space
//! is freed, and after a kill -9 the store opens with every acknowledged write and none of
//! the refused ones. Mounting needs root: `scripts/proof.sh disk`.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::Http;
use common::process::Server;
use jiebang::server::seed::DEMO_PASSWORD;
use reqwest::multipart::{Form, Part};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, megabytes: u32) -> Self {
        std::fs::create_dir_all(at).expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(at)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "the disk suite mounts a tmpfs of its own: run it as root (scripts/proof.sh disk)"
        );
        Tmpfs(at.to_owned())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` until it refuses another byte; returns the filler.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0u8; 64 * 1024];
    loop {
        if file
            .write_all(&chunk)
            .and_then(|()| file.sync_all())
            .is_err()
        {
            break;
        }
    }
    // And the last few bytes.
    while file
        .write_all(&[0u8; 512])
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
    path
}

fn report(done: &str) -> [(&'static str, String); 5] {
    [
        ("id", "dapeng-2022-12".to_owned()),
        ("percent", "70".to_owned()),
        ("done", done.to_owned()),
        ("problems", String::new()),
        ("next_steps", String::new()),
    ]
}

async fn add_report(http: &Http, done: &str) -> (u16, String) {
    let form = report(done);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    http.call("add_report", &form).await
}

/// What was written while the disk was full (and refused).
const REFUSED: [&str; 3] = ["磁盘已满时的报送", "磁盘已满时的意见", "磁盘已满时的佐证"];

/// The refused writes a page shows (there should be none).
fn refused_shown(html: &str) -> Vec<&'static str> {
    REFUSED.into_iter().filter(|t| html.contains(t)).collect()
}

const FULL: &str = "服务器存储空间已满,本次内容未保存。请联系系统管理员清理空间后重试";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "mounts a tmpfs (root): scripts/proof.sh disk"]
async fn proof_disk_full() {
    let dir = tempfile::tempdir().expect("dir");
    let disk = dir.path().join("disk");
    let _mount = Tmpfs::mount(&disk, 96);
    let mut server = Server::new(dir.path());
    server.env = vec![
        (
            "JIEBANG_DB".into(),
            format!("surrealkv://{}", disk.join("db").display()),
        ),
        (
            "JIEBANG_FILES".into(),
            disk.join("files").display().to_string(),
        ),
        // The reserve: writes stop while less than 16 MB is free on the data disk.
        ("JIEBANG_MIN_FREE_MB".into(), "16".into()),
    ];
    server.start().await;
    let office = Http::new(server.base());
    let (status, body) = office.sign_in("wangfang", DEMO_PASSWORD).await;
    assert!(
        office.cookie.lock().unwrap().is_some(),
        "sign-in: {status} {body}"
    );
    let (status, body) = add_report(&office, "磁盘演练:空间充足时的报送").await;
    assert_eq!(status, 200, "{body}");

    // The disk fills up (another program's log, say).
    let filler = fill(&disk);
    let mut refused = 0;
    let (status, body) = add_report(&office, "磁盘演练:磁盘已满时的报送").await;
    assert_eq!(
        (status, common::message(&body).as_str()),
        (507, FULL),
        "{body}"
    );
    refused += 1;
    let (status, body) = office
        .call(
            "add_comment",
            &[
                ("id", "dapeng-2022-12"),
                ("kind", "comment"),
                ("body", "磁盘演练:磁盘已满时的意见"),
            ],
        )
        .await;
    assert_eq!(
        (status, common::message(&body).as_str()),
        (507, FULL),
        "{body}"
    );
    refused += 1;
    let upload = Form::new()
        .text("percent", "70")
        .text("done", "磁盘演练:磁盘已满时的佐证")
        .part("files", Part::bytes(PDF.to_vec()).file_name("佐证.pdf"));
    let answer = office
        .post_multipart("/tasks/dapeng-2022-12/reports", upload, true)
        .await;
    assert_eq!(
        (answer.status, common::message(&answer.body).as_str()),
        (507, FULL),
        "{}",
        answer.body
    );
    refused += 1;
    // Reads go on: the board, the task page (with the report written before), the 工作台.
    for path in ["/", "/tasks/dapeng-2022-12", "/work"] {
        let (status, html) = office.get(path).await;
        assert_eq!(status, 200, "{path} while the disk is full");
        if path.starts_with("/tasks") {
            assert!(html.contains("空间充足时的报送") && !html.contains("磁盘已满时"));
        }
    }
    // Someone frees space: writing resumes without a restart.
    std::fs::remove_file(&filler).expect("free space");
    let (status, body) = add_report(&office, "磁盘演练:清理空间后的报送").await;
    assert_eq!(status, 200, "after freeing space: {body}");
    let (_, html) = office.get("/tasks/dapeng-2022-12").await;
    let kept = refused_shown(&html);
    assert!(
        kept.is_empty(),
        "refused writes shown after space was freed: {kept:?}"
    );

    // A crash now, then a start on the same disk: everything acknowledged is there, nothing
    // refused is.
    server.kill();
    server.start().await;
    let office = Http::new(server.base());
    assert!(office.signs_in("wangfang", DEMO_PASSWORD).await);
    let (status, html) = office.get("/tasks/dapeng-2022-12").await;
    assert_eq!(status, 200);
    assert!(html.contains("空间充足时的报送") && html.contains("清理空间后的报送"));
    let kept = refused_shown(&html);
    assert!(
        kept.is_empty(),
        "refused writes kept after a restart: {kept:?}"
    );
    server.kill();
    println!(
        "PROOF disk: data directory on a 96 MB tmpfs filled up: {refused} writes refused with 507 {FULL}, reads answered, writing resumed after space was freed, store opened cleanly after kill -9 with 2 of 2 acknowledged writes and 0 of {refused} refused ones"
    );
}
