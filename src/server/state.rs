//! Shared server state, handed to axum handlers and (through context) to server functions.

use super::auth::{SessionPolicy, Touches};
use super::clock::Clock;
use super::db::Db;
use super::db::pool::DbPool;
use super::files::FileStore;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// Cheap to clone: the database sessions and the options are reference-counted inside (a
/// clone opens no database session).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database, one borrowed session per query (`state.db.get().await?`).
    pub db: DbPool,
    pub leptos_options: LeptosOptions,
    pub clock: Clock,
    pub sessions: SessionPolicy,
    /// Which sessions this process refreshed lately (see [`Touches`]).
    pub touches: Touches,
    /// Evidence files and their limits.
    pub files: FileStore,
    /// The address users reach the site at, for links in messages sent out
    /// (`JIEBANG_PUBLIC_URL`; by default the listening address).
    pub public_url: String,
    /// The live feed's fan-out to open pages.
    pub live: super::live::LiveHub,
    /// Pages and sessions kept until the next change (see `server::page_cache`).
    pub pages: super::page_cache::PageCache,
    /// Where requests that need the database run (see `server::work`).
    pub work: super::work::Workers,
    /// Writes wait for free disk space (see `server::disk`).
    pub disk: super::disk::DiskReserve,
    /// Boards' task rows kept between reads (see `db::plans::KeptBoards`).
    pub boards: std::sync::Arc<super::db::plans::KeptBoards>,
}

impl AppState {
    /// State over a database, with fresh per-process bookkeeping.
    pub fn new(
        db: Db,
        leptos_options: LeptosOptions,
        clock: Clock,
        sessions: SessionPolicy,
    ) -> Self {
        Self {
            db: DbPool::new(db, super::db::pool::default_size()),
            clock,
            sessions,
            touches: Touches::default(),
            files: FileStore::memory(Default::default()),
            public_url: format!("http://{}", leptos_options.site_addr),
            live: Default::default(),
            pages: Default::default(),
            work: Default::default(),
            disk: Default::default(),
            boards: Default::default(),
            leptos_options,
        }
    }

    /// The same state keeping evidence files in `files` (the default keeps them in memory,
    /// for tests).
    pub fn with_files(self, files: FileStore) -> Self {
        Self { files, ..self }
    }

    /// The same state refusing writes while `disk` is short of space.
    pub fn with_disk_reserve(self, disk: super::disk::DiskReserve) -> Self {
        Self { disk, ..self }
    }

    /// The same state running requests that need the database on `work`.
    pub fn with_workers(self, work: super::work::Workers) -> Self {
        Self { work, ..self }
    }

    /// The same state keeping no pages or sessions between requests (`JIEBANG_PAGE_CACHE=off`).
    pub fn without_page_cache(self) -> Self {
        Self {
            pages: super::page_cache::PageCache::new(false),
            ..self
        }
    }

    /// The same state linking messages to `url` (no trailing slash needed).
    pub fn with_public_url(self, url: &str) -> Self {
        Self {
            public_url: url.trim_end_matches('/').to_owned(),
            ..self
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
