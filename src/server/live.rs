//! The live feed: one `LIVE SELECT` on the audit trail per process, fanned out to every open
//! page over server-sent events. Every write is committed together with its audit event, so
//! the trail is the one place that sees every change; live notifications arrive only after
//! commit.
//!
//! The SurrealDB client does not restore live queries after a reconnect (the stream ends with
//! an error), so the feed subscribes again with back-off and tells every page to `resync`:
//! changes in the gap are not replayed. A page that falls behind the channel gets a `resync`
//! too. A second task notices the date change at midnight (Asia/Shanghai), when lights move
//! without any write.

use super::clock::Clock;
use super::db::{Db, key_string};
use super::state::AppState;
use crate::domain::live::{Change, LiveMessage};
use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use surrealdb::types::{Action, RecordId, SurrealValue};
use tokio::sync::broadcast;

/// How many messages a slow page may fall behind before it is told to resync.
const BACKLOG: usize = 256;

/// The process's fan-out of live messages. Cheap to clone.
#[derive(Clone, Debug)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveMessage>,
    seq: Arc<AtomicU64>,
    /// Moves on with every change this process learns of (see [`LiveHub::generation`]).
    generation: Arc<AtomicU64>,
    /// Set when the server stops: open streams end, so a graceful shutdown does not wait for
    /// pages that would stay open for days.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
            seq: Arc::default(),
            generation: Arc::default(),
            closing: tokio::sync::watch::channel(false).0,
        }
    }
}

impl LiveHub {
    /// Sends `change` to every open page (none listening is fine).
    pub fn publish(&self, change: Change) {
        self.changed();
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        // An error only means nobody listens right now.
        let _ = self.sender.send(LiveMessage { seq, change });
    }

    /// How many changes this process has learnt of: through the feed (any instance's audited
    /// writes, a re-subscription, the new day) and from its own write requests. Whatever was
    /// read under an older number may be out of date (see `server::page_cache`).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Counts a change before the feed brings it: this process just answered a write, and the
    /// writer's next read must see it.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Ends every open stream (the server is stopping). Browsers reconnect to whatever
    /// answers next.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// A new listener, for one page's event stream.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveMessage> {
        self.sender.subscribe()
    }

    /// The next message for a stream numbered `seq` when the listener fell behind.
    pub fn resync(&self) -> LiveMessage {
        LiveMessage {
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            change: Change::Resync,
        }
    }
}

#[derive(Debug, SurrealValue)]
struct AuditRow {
    entity: RecordId,
}

/// Starts the feed from the audit trail and the midnight watch (once per process, beside the
/// server).
pub fn spawn(state: &AppState) {
    tokio::spawn(follow(state.db.dedicated(), state.live.clone()));
    tokio::spawn(watch_the_date(state.clock, state.live.clone()));
}

/// Follows the audit trail for as long as the process runs, subscribing again after any
/// interruption (with back-off up to half a minute).
async fn follow(db: Db, hub: LiveHub) {
    let mut interrupted = false;
    let mut pause = Duration::from_millis(500);
    loop {
        match subscribe(&db).await {
            Ok(mut stream) => {
                if interrupted {
                    tracing::info!("live feed subscribed again");
                    hub.publish(Change::Resync);
                }
                pause = Duration::from_millis(500);
                while let Some(item) = stream.next().await {
                    match item {
                        Ok(note) if note.action == Action::Create => {
                            let entity = &note.data.entity;
                            hub.publish(Change::of_entity(
                                entity.table.as_str(),
                                &key_string(entity),
                            ));
                        }
                        Ok(_) => {}
                        Err(err) => {
                            tracing::warn!(error = %err, "live feed interrupted");
                            break;
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "live feed cannot subscribe"),
        }
        interrupted = true;
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

async fn subscribe(
    db: &Db,
) -> Result<surrealdb::method::QueryStream<surrealdb::Notification<AuditRow>>, surrealdb::Error> {
    db.query("LIVE SELECT entity FROM audit_event")
        .await?
        .stream::<surrealdb::Notification<AuditRow>>(0)
}

/// Tells every page when the date changes: lights and 序时进度 are computed for today.
async fn watch_the_date(clock: Clock, hub: LiveHub) {
    let mut today = clock.today();
    let mut tick = tokio::time::interval(Duration::from_secs(20));
    loop {
        tick.tick().await;
        let now = clock.today();
        if now != today {
            today = now;
            hub.publish(Change::Day);
        }
    }
}

/// How often an open stream checks that its session still stands (signed out everywhere,
/// expired or disabled accounts lose their stream within this time) and keeps proxies from
/// closing it for silence.
const RECHECK: Duration = Duration::from_secs(30);

#[derive(Debug, Default, serde::Deserialize)]
pub struct EventsQuery {
    /// A 大屏 display link's token, for a screen without a session.
    display: Option<String>,
}

/// What keeps a stream open: a session, or a display link.
enum Key {
    Session(String),
    Display(String),
}

/// `GET /events`: the live feed for a signed-in reader (or a screen holding a live display
/// link, `?display=`), as server-sent events named `change` carrying a [`LiveMessage`]. The
/// browser's `EventSource` reconnects by itself after the stream drops; without a session or
/// link the answer is 401 and it stops trying.
pub async fn events(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: Option<axum::Extension<super::authz::SignedIn>>,
    axum::extract::Query(query): axum::extract::Query<EventsQuery>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let session = headers
        .get(axum::http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(super::auth::token_from_cookie_header);
    let display = query.display.filter(|d| !d.is_empty());
    let key = match (
        super::http::gate(user, crate::domain::policy::Capability::Read),
        session,
        display,
    ) {
        (Ok(()), Some(session), _) => Key::Session(session),
        (_, _, Some(display)) => {
            match async { super::db::displays::check(&*state.db.get().await?, &display).await }
                .await
            {
                Ok(true) => Key::Display(display),
                Ok(false) => {
                    return super::http::error_response(
                        &crate::error::AppError::Unauthorized,
                        false,
                    );
                }
                Err(err) => return super::http::error_response(&err, false),
            }
        }
        (Err(err), ..) => return super::http::error_response(&err, false),
        (Ok(()), None, None) => {
            return super::http::error_response(&crate::error::AppError::Unauthorized, false);
        }
    };
    let listener = Listener {
        receiver: state.live.subscribe(),
        closing: state.live.closing.subscribe(),
        recheck: tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK),
        state,
        key,
    };
    let stream = futures::stream::unfold(listener, |mut listener| async move {
        let message = listener.next().await?;
        let event = Event::default()
            .event("change")
            .json_data(&message)
            .unwrap_or_else(|_| Event::default().event("change").data("{}"));
        Some((Ok::<_, std::convert::Infallible>(event), listener))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// One open page's side of the feed.
struct Listener {
    receiver: broadcast::Receiver<LiveMessage>,
    closing: tokio::sync::watch::Receiver<bool>,
    recheck: tokio::time::Interval,
    state: AppState,
    key: Key,
}

impl Listener {
    /// The next message for the page; `None` ends the stream (session gone, or shutting down).
    async fn next(&mut self) -> Option<LiveMessage> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            tokio::select! {
                _ = self.closing.changed() => return None,
                received = self.receiver.recv() => {
                    return match received {
                        // An account changed (disabled, 全部退出, new password): this reader's
                        // session may have ended with it — check before telling them anything.
                        Ok(message) if message.change.is_accounts() => {
                            if self.still_standing().await {
                                Some(message)
                            } else {
                                None
                            }
                        }
                        Ok(message) => Some(message),
                        Err(broadcast::error::RecvError::Lagged(_)) => Some(self.state.live.resync()),
                        Err(broadcast::error::RecvError::Closed) => None,
                    };
                }
                _ = self.recheck.tick() => {
                    if !self.still_standing().await {
                        return None;
                    }
                }
            }
        }
    }

    /// Whether the session (or display link) behind the stream is still valid. A database
    /// that is briefly away keeps the stream: it is checked again later.
    async fn still_standing(&self) -> bool {
        let state = &self.state;
        let standing = async {
            let db = state.db.get().await?;
            match &self.key {
                Key::Session(token) => {
                    super::auth::resolve(&db, &state.sessions, &state.touches, token)
                        .await
                        .map(|user| user.is_some())
                }
                Key::Display(token) => super::db::displays::check(&db, token).await,
            }
        }
        .await;
        match standing {
            Ok(standing) => standing,
            Err(err) => {
                tracing::warn!(error = ?err, "live stream could not check its session");
                true
            }
        }
    }
}
