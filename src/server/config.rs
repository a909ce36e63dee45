//! Configuration from the environment (see the table in README.md).

use crate::domain::evidence::FileLimits;
use std::net::SocketAddr;

/// Settings the server reads at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Address to listen on (`JIEBANG_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Database endpoint (`JIEBANG_DB`): `surrealkv://PATH`, `mem://` or `ws://HOST:PORT`.
    pub db_url: String,
    /// Root credentials for a `ws://` server (`JIEBANG_DB_USER` / `JIEBANG_DB_PASS`).
    pub db_credentials: Option<(String, String)>,
    /// SurrealDB namespace and database (`JIEBANG_DB_NS`, `JIEBANG_DB_NAME`).
    pub db_namespace: String,
    pub db_name: String,
    /// Where the built site (wasm, js, css, public files) is served from (`JIEBANG_SITE_ROOT`).
    pub site_root: String,
    /// A pinned "today" (`JIEBANG_TODAY`, `YYYY-MM-DD`); the calendar when unset.
    pub today: Option<chrono::NaiveDate>,
    /// Mark the session cookie `Secure` (`JIEBANG_SECURE_COOKIES=1` when served over https).
    pub secure_cookies: bool,
    /// Where evidence files are kept (`JIEBANG_FILES`): a directory, or `memory`. Default: the
    /// `files` directory beside an embedded database, memory for `mem://`, `./data/files`
    /// otherwise.
    pub files: FilesAt,
    /// Upload limits (`JIEBANG_FILE_MAX_MB`, default 20; `JIEBANG_REPORT_FILES_MAX_MB`, 50).
    pub file_limits: FileLimits,
    /// Working days ahead of a milestone or deadline that reminders go out
    /// (`JIEBANG_REMIND_AHEAD`, default `5,1`).
    pub remind_ahead: Vec<u32>,
    /// How often the reminder scheduler runs (`JIEBANG_REMIND_EVERY`, seconds, default 600).
    pub remind_every: std::time::Duration,
    /// The address users reach the site at, for links in robot messages and e-mail
    /// (`JIEBANG_PUBLIC_URL`, e.g. `https://dc.example.gov.cn`; default `http://` + the
    /// listening address).
    pub public_url: Option<String>,
    /// Keep rendered pages and resolved sessions until the next change (`JIEBANG_PAGE_CACHE`,
    /// `on` by default; `off` renders every request, e.g. to measure that).
    pub page_cache: bool,
    /// Writes are refused while the disk holding the database or the evidence files has less
    /// free space than this (`JIEBANG_MIN_FREE_MB`, default 256).
    pub min_free_mb: u64,
    /// A daily backup into this directory (`JIEBANG_BACKUP_DIR`; unset: none), keeping the
    /// newest `JIEBANG_BACKUP_KEEP` (default 7).
    pub backups: Option<BackupPlan>,
}

impl Config {
    /// The directories whose disks hold what writes add: the embedded database's and the
    /// evidence files' (none for `mem://`, or for a database server over `ws://`).
    pub fn data_dirs(&self) -> Vec<std::path::PathBuf> {
        let mut dirs = Vec::new();
        if let Some(path) = self.db_url.strip_prefix("surrealkv://") {
            dirs.push(std::path::PathBuf::from(path));
        }
        if let FilesAt::Directory(dir) = &self.files {
            dirs.push(dir.clone());
        }
        dirs
    }
}

/// Where daily backups go and how many are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupPlan {
    pub dir: std::path::PathBuf,
    pub keep: usize,
}

/// Where evidence files are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesAt {
    Memory,
    Directory(std::path::PathBuf),
}

/// The default embedded store, relative to the working directory.
pub const DEFAULT_DB: &str = "surrealkv://./data/jiebang.db";

impl Config {
    /// Reads the environment, falling back to defaults for anything unset.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let get = |key: &str, default: &str| {
            lookup(key)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let addr_raw = get("JIEBANG_ADDR", "127.0.0.1:3000");
        let addr = addr_raw
            .parse()
            .map_err(|_| format!("JIEBANG_ADDR 不是有效的地址:端口 ({addr_raw})"))?;
        let db_url = get("JIEBANG_DB", DEFAULT_DB);
        let scheme = db_url.split("://").next().unwrap_or_default();
        if !matches!(scheme, "surrealkv" | "mem" | "ws" | "wss") || !db_url.contains("://") {
            return Err(format!(
                "JIEBANG_DB 须为 surrealkv://路径、mem:// 或 ws://主机:端口 (收到 {db_url})"
            ));
        }
        let db_credentials = match (lookup("JIEBANG_DB_USER"), lookup("JIEBANG_DB_PASS")) {
            (Some(user), Some(pass)) => Some((user, pass)),
            (None, None) => None,
            _ => return Err("JIEBANG_DB_USER 与 JIEBANG_DB_PASS 须同时设置".into()),
        };
        let today = match lookup("JIEBANG_TODAY").filter(|v| !v.trim().is_empty()) {
            Some(raw) => Some(
                chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
                    format!("JIEBANG_TODAY 须为 YYYY-MM-DD 格式的日期 (收到 {raw})")
                })?,
            ),
            None => None,
        };
        let secure_cookies = matches!(
            lookup("JIEBANG_SECURE_COOKIES").as_deref().map(str::trim),
            Some("1" | "true" | "yes")
        );
        let files = match lookup("JIEBANG_FILES").map(|v| v.trim().to_owned()) {
            Some(v) if v == "memory" => FilesAt::Memory,
            Some(v) if !v.is_empty() => FilesAt::Directory(v.into()),
            _ => match db_url.split_once("://") {
                Some(("mem", _)) => FilesAt::Memory,
                Some(("surrealkv", path)) => FilesAt::Directory(
                    std::path::Path::new(path)
                        .parent()
                        .map_or_else(|| "files".into(), |p| p.join("files")),
                ),
                _ => FilesAt::Directory("./data/files".into()),
            },
        };
        let megabytes = |key: &str, default: u64| -> Result<u64, String> {
            match lookup(key).filter(|v| !v.trim().is_empty()) {
                None => Ok(default * 1024 * 1024),
                Some(raw) => raw
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|mb| (1..=1024).contains(mb))
                    .map(|mb| mb * 1024 * 1024)
                    .ok_or_else(|| format!("{key} 须为 1 到 1024 之间的整数(MB)(收到 {raw})")),
            }
        };
        let file_limits = FileLimits {
            file_max: megabytes("JIEBANG_FILE_MAX_MB", 20)?,
            report_max: megabytes("JIEBANG_REPORT_FILES_MAX_MB", 50)?,
        };
        let remind_ahead = match lookup("JIEBANG_REMIND_AHEAD").filter(|v| !v.trim().is_empty()) {
            None => crate::domain::reminder::DEFAULT_AHEAD.to_vec(),
            Some(raw) => raw
                .split(',')
                .map(|n| n.trim().parse::<u32>().ok().filter(|n| *n <= 60))
                .collect::<Option<Vec<u32>>>()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    format!("JIEBANG_REMIND_AHEAD 须为逗号分隔的工作日数,如 5,1 (收到 {raw})")
                })?,
        };
        let remind_every = match lookup("JIEBANG_REMIND_EVERY").filter(|v| !v.trim().is_empty()) {
            None => std::time::Duration::from_secs(600),
            Some(raw) => raw
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| (10..=86_400).contains(s))
                .map(std::time::Duration::from_secs)
                .ok_or_else(|| {
                    format!("JIEBANG_REMIND_EVERY 须为 10 到 86400 之间的秒数 (收到 {raw})")
                })?,
        };
        let public_url = match lookup("JIEBANG_PUBLIC_URL").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(raw) => Some(
                crate::domain::channel::WebhookUrl::parse(&raw)
                    .map(|u| u.as_str().trim_end_matches('/').to_owned())
                    .map_err(|_| {
                        format!(
                            "JIEBANG_PUBLIC_URL 须为 http:// 或 https:// 开头的网址 (收到 {raw})"
                        )
                    })?,
            ),
        };
        let page_cache = match get("JIEBANG_PAGE_CACHE", "on").trim() {
            "on" => true,
            "off" => false,
            other => return Err(format!("JIEBANG_PAGE_CACHE 须为 on 或 off (收到 {other})")),
        };
        let backups = match lookup("JIEBANG_BACKUP_DIR").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(dir) => {
                let keep = match lookup("JIEBANG_BACKUP_KEEP").filter(|v| !v.trim().is_empty()) {
                    None => 7,
                    Some(raw) => raw
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=365).contains(n))
                        .ok_or_else(|| {
                            format!("JIEBANG_BACKUP_KEEP 须为 1 到 365 之间的整数 (收到 {raw})")
                        })?,
                };
                Some(BackupPlan {
                    dir: dir.trim().into(),
                    keep,
                })
            }
        };
        let min_free_mb = match lookup("JIEBANG_MIN_FREE_MB").filter(|v| !v.trim().is_empty()) {
            None => 256,
            Some(raw) => raw
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 1_048_576)
                .ok_or_else(|| {
                    format!("JIEBANG_MIN_FREE_MB 须为 0 到 1048576 之间的整数 (收到 {raw})")
                })?,
        };
        Ok(Self {
            min_free_mb,
            backups,
            page_cache,
            public_url,
            remind_ahead,
            remind_every,
            files,
            file_limits,
            secure_cookies,
            today,
            addr,
            db_url,
            db_credentials,
            db_namespace: get("JIEBANG_DB_NS", "jiebang"),
            db_name: get("JIEBANG_DB_NAME", "main"),
            site_root: get("JIEBANG_SITE_ROOT", "target/site"),
        })
    }

    /// A configuration for tests: in-memory database, port 0.
    pub fn for_tests() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db_url: "mem://".into(),
            db_credentials: None,
            db_namespace: "jiebang".into(),
            db_name: "test".into(),
            site_root: "target/site".into(),
            today: None,
            secure_cookies: false,
            files: FilesAt::Memory,
            file_limits: FileLimits::default(),
            remind_ahead: crate::domain::reminder::DEFAULT_AHEAD.to_vec(),
            remind_every: std::time::Duration::from_secs(600),
            public_url: None,
            page_cache: true,
            backups: None,
            min_free_mb: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.db_url, DEFAULT_DB);
        assert_eq!(c.db_credentials, None);
        assert_eq!(c.site_root, "target/site");
        assert_eq!(c.files, FilesAt::Directory("./data/files".into()));
        assert_eq!(c.file_limits, FileLimits::default());
        assert!(c.page_cache);
    }

    #[test]
    fn files_follow_the_database_unless_set() {
        let files = |pairs: &[(&str, &str)]| config(pairs).expect("valid").files;
        assert_eq!(files(&[("JIEBANG_DB", "mem://")]), FilesAt::Memory);
        assert_eq!(
            files(&[("JIEBANG_DB", "surrealkv:///srv/jb/db")]),
            FilesAt::Directory("/srv/jb/files".into())
        );
        assert_eq!(
            files(&[("JIEBANG_DB", "mem://"), ("JIEBANG_FILES", "/mnt/share")]),
            FilesAt::Directory("/mnt/share".into())
        );
        let limits = config(&[("JIEBANG_FILE_MAX_MB", "5")])
            .expect("valid")
            .file_limits;
        assert_eq!(limits.file_max, 5 * 1024 * 1024);
        assert!(config(&[("JIEBANG_FILE_MAX_MB", "0")]).is_err());
        assert!(config(&[("JIEBANG_REPORT_FILES_MAX_MB", "lots")]).is_err());
    }

    #[test]
    fn reads_values() {
        let c = config(&[
            ("JIEBANG_ADDR", "0.0.0.0:8080"),
            ("JIEBANG_DB", "ws://127.0.0.1:8000"),
            ("JIEBANG_DB_USER", "root"),
            ("JIEBANG_DB_PASS", "secret"),
        ])
        .expect("valid");
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.db_credentials, Some(("root".into(), "secret".into())));
    }

    #[test]
    fn refuses_bad_values() {
        assert!(config(&[("JIEBANG_ADDR", "nowhere")]).is_err());
        assert!(config(&[("JIEBANG_MIN_FREE_MB", "lots")]).is_err());
        assert_eq!(config(&[]).map(|c| c.min_free_mb), Ok(256));
        assert!(config(&[("JIEBANG_DB", "rocksdb://x")]).is_err());
        assert!(config(&[("JIEBANG_DB", "data/jiebang.db")]).is_err());
        assert!(config(&[("JIEBANG_DB_USER", "root")]).is_err());
        assert!(config(&[("JIEBANG_TODAY", "29/07/2022")]).is_err());
        assert!(config(&[("JIEBANG_PAGE_CACHE", "maybe")]).is_err());
        assert!(
            !config(&[("JIEBANG_PAGE_CACHE", "off")])
                .expect("valid")
                .page_cache
        );
        assert_eq!(
            config(&[("JIEBANG_TODAY", "2022-07-29")])
                .expect("valid")
                .today,
            chrono::NaiveDate::from_ymd_opt(2022, 7, 29)
        );
    }
}
