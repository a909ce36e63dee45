//! Configuration from the environment (see the table in README.md).

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
        Ok(Self {
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
        assert!(config(&[("JIEBANG_DB", "rocksdb://x")]).is_err());
        assert!(config(&[("JIEBANG_DB", "data/jiebang.db")]).is_err());
        assert!(config(&[("JIEBANG_DB_USER", "root")]).is_err());
        assert!(config(&[("JIEBANG_TODAY", "29/07/2022")]).is_err());
        assert_eq!(
            config(&[("JIEBANG_TODAY", "2022-07-29")])
                .expect("valid")
                .today,
            chrono::NaiveDate::from_ymd_opt(2022, 7, 29)
        );
    }
}
