//! The real server binary in a process of its own, on an embedded SurrealKV store in a
//! directory of the test's: started (with the demo on first start), killed, started again.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary, started and killed as a real process.
pub struct Server {
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
    starts: usize,
    /// Extra environment for the server (e.g. `JIEBANG_PAGE_CACHE`).
    pub env: Vec<(String, String)>,
}

impl Server {
    pub fn new(dir: &Path) -> Self {
        // A free port, kept for every restart so the clients' address stays valid.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        Server {
            dir: dir.to_owned(),
            port,
            child: None,
            starts: 0,
            env: Vec::new(),
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn db_url(&self) -> String {
        format!("surrealkv://{}", self.dir.join("db").display())
    }

    pub fn files(&self) -> PathBuf {
        self.dir.join("files")
    }

    /// Starts the server (loading the demo into an empty store) and waits until it answers.
    pub async fn start(&mut self) {
        self.starts += 1;
        let log = std::fs::File::create(self.dir.join(format!("server-{}.log", self.starts)))
            .expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_jiebang"))
            .args(["serve", "--demo"])
            .env("JIEBANG_DB", self.db_url())
            .env("JIEBANG_FILES", self.files())
            .env("JIEBANG_ADDR", format!("127.0.0.1:{}", self.port))
            .env("JIEBANG_TODAY", "2022-07-29")
            .env("JIEBANG_SITE_ROOT", self.dir.join("site"))
            .env("JIEBANG_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start jiebang");
        self.child = Some(child);
        let health = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ok = health
                .get(format!("{}/healthz", self.base()))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "the server exited ({status}) on start {}: see {}",
                    self.starts,
                    self.dir.display()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not answer within 2 minutes of start {}",
                self.starts
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown code runs, whatever was in flight is cut off.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill -9");
            child.wait().expect("reap");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Server {
    /// The server's resident memory (VmRSS) in KiB, while it runs.
    pub fn rss_kib(&self) -> Option<u64> {
        let pid = self.child.as_ref()?.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}
