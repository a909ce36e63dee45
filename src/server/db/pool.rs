//! Database sessions lent out one query at a time.
//!
//! In SurrealDB 3 every `Surreal` clone opens a session of its own, registered on creation
//! and torn down on drop, and a request cloned the state (and so the handle) several times:
//! under load that bookkeeping showed at the top of the profile. So a fixed set of sessions
//! is opened once, at start, and each query borrows one; the set also bounds how many
//! queries one instance puts on the database at once (the rest wait their turn, briefly).

use super::Db;
use crate::error::AppError;
use deadpool::Runtime;
use deadpool::unmanaged::{Object, Pool, PoolConfig, PoolError};
use std::sync::Arc;
use std::time::Duration;

/// How long a query waits for a free session before the user is told the database is busy.
const WAIT: Duration = Duration::from_secs(10);

/// Sessions per process: enough for every core to have queries in flight on an embedded
/// store, and for a remote server's round trips to overlap.
pub fn default_size() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from) * 8
}

/// A fixed set of database sessions; cloning shares them (no new session).
#[derive(Clone)]
pub struct DbPool {
    sessions: Pool<Db>,
    /// The handle the sessions were opened from, for long-running tasks' own sessions.
    origin: Arc<Db>,
}

impl std::fmt::Debug for DbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.sessions.status();
        f.debug_struct("DbPool")
            .field("sessions", &status.max_size)
            .field("free", &status.available)
            .finish()
    }
}

impl DbPool {
    /// Opens `size` sessions (at least one) of `db`'s connection, namespace and database.
    pub fn new(db: Db, size: usize) -> Self {
        let size = size.max(1);
        let sessions = Pool::from_config(&PoolConfig {
            max_size: size,
            timeout: Some(WAIT),
            runtime: Some(Runtime::Tokio1),
        });
        for _ in 0..size {
            // Cannot fail: the pool was made for exactly `size` objects.
            let _ = sessions.try_add(db.clone());
        }
        Self {
            sessions,
            origin: Arc::new(db),
        }
    }

    /// A session for one query (or one transaction's statements), returned when dropped.
    /// Borrow it for a single call (`f(&*state.db.get().await?)`), never across another
    /// borrow, so a full pool only ever means waiting.
    pub async fn get(&self) -> Result<Object<Db>, AppError> {
        self.sessions.get().await.map_err(|err| {
            match err {
                PoolError::Timeout => {
                    tracing::warn!("no database session free for {WAIT:?}")
                }
                other => tracing::error!(error = ?other, "database sessions unavailable"),
            }
            AppError::Unavailable
        })
    }

    /// A session of its own, for a task that runs for the life of the process (the live
    /// feed, the schedulers): opened once, so its cost does not matter.
    pub fn dedicated(&self) -> Db {
        Db::clone(&self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool(size: usize) -> DbPool {
        let db = surrealdb::engine::any::connect("mem://")
            .await
            .expect("connect");
        db.use_ns("t").use_db("t").await.expect("use");
        DbPool::new(db, size)
    }

    /// Queries running together each get their own answers (and `LET` parameters), also
    /// when there are many more of them than sessions.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_queries_keep_their_parameters_apart() {
        let pool = pool(4).await;
        let runs = (0..200_i64).map(|n| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut res = pool
                    .get()
                    .await
                    .expect("session")
                    .query(
                        "LET $mine = $n;
                         LET $pad = (SELECT * FROM array::range(0, 50));
                         RETURN $mine;",
                    )
                    .bind(("n", n))
                    .await
                    .expect("query");
                let got: Option<i64> = res.take(2).expect("take");
                (n, got)
            })
        });
        for run in futures::future::join_all(runs).await {
            let (n, got) = run.expect("task");
            assert_eq!(got, Some(n));
        }
    }

    /// When every session is out, a query waits for one; the pool holds its size.
    #[tokio::test]
    async fn a_full_pool_makes_queries_wait_not_fail() {
        let pool = pool(1).await;
        let first = pool.get().await.expect("first");
        let waiting = tokio::spawn({
            let pool = pool.clone();
            async move { pool.get().await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        drop(first);
        assert!(waiting.await.expect("task").is_ok());
        assert_eq!(pool.sessions.status().max_size, 1);
    }
}
