//! Requests that need the database run on a runtime of their own.
//!
//! Pages served from `server::page_cache` take a fraction of a millisecond, and at a few
//! dozen connections they keep the serving runtime's run queue full. The embedded database
//! executes each query inside the caller's task and yields to the scheduler as it goes
//! (`consume_budget` in its loops, its locks and channels); each yield waits behind the whole
//! queue, so a request that needs the database took seconds while cached pages flew (measured:
//! `/healthz` 3–5 s beside `wrk -c64`). Here such requests are handed to a second runtime whose
//! queue holds only database work; the operating system shares the cores between the two.

use axum::response::{IntoResponse, Response};
use std::future::Future;
use tracing::Instrument;

/// Where database work runs: a runtime of its own (the server), or inline (tests, tools).
#[derive(Clone, Debug, Default)]
pub struct Workers {
    handle: Option<tokio::runtime::Handle>,
}

impl Workers {
    /// Starts a runtime with `threads` workers for the rest of the process. It is never
    /// dropped: a runtime may not be dropped inside async code, and it ends with the process.
    pub fn start(threads: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("jiebang-work")
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        std::mem::forget(runtime);
        Ok(Self {
            handle: Some(handle),
        })
    }

    /// Runs `work` on the workers and waits for it. Dropping the wait (the client went away)
    /// drops the work too, as it would have been without the hand-over.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let work = work.instrument(tracing::Span::current());
        match &self.handle {
            None => Ok(work.await),
            Some(handle) => AbortOnDrop(handle.spawn(work)).wait().await,
        }
    }

    /// [`Workers::run`] for a response; work that panicked answers 500.
    pub async fn respond(&self, work: impl Future<Output = Response> + Send + 'static) -> Response {
        match self.run(work).await {
            Ok(response) => response,
            Err(err) => {
                tracing::error!(error = %err, "a request's work failed");
                axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<T> {
    async fn wait(mut self) -> Result<T, tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_runs_on_the_workers_and_a_dropped_wait_stops_it() {
        let workers = Workers::start(1).expect("runtime");
        let name = workers
            .run(async { std::thread::current().name().map(str::to_owned) })
            .await
            .expect("ran");
        assert_eq!(name.as_deref(), Some("jiebang-work"));
        // Inline without a runtime of its own.
        let inline = Workers::default()
            .run(async { std::thread::current().name().map(str::to_owned) })
            .await
            .expect("ran");
        assert_ne!(inline.as_deref(), Some("jiebang-work"));
        // A wait given up aborts the work.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let wait = workers.run(async move {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            drop(tx);
        });
        drop(tokio::time::timeout(std::time::Duration::from_millis(50), wait).await);
        // Aborted: the sender is dropped at once, not after 30 s.
        let gone = tokio::time::timeout(std::time::Duration::from_secs(2), rx).await;
        assert!(matches!(gone, Ok(Err(_))), "the work was stopped");
        // A panic is a 500, not a crash.
        let response = workers.respond(async { panic!("boom") }).await;
        assert_eq!(response.status(), 500);
    }
}
