//! Live updates in the browser: one `EventSource` on `/events` per tab (through leptos-use,
//! which reconnects after the server restarts), and counters pages key their data on. A page
//! fetches again when a change concerns it; a page with something typed into it offers the
//! change instead ([`HeldBack`]).

use crate::domain::live::LiveMessage;
use crate::domain::{MeetingId, TaskId};
use leptos::prelude::*;

/// The live feed as pages see it.
#[derive(Clone, Copy)]
pub struct Live {
    /// The latest message (a reconnection counts as a `resync`).
    last: RwSignal<Option<LiveMessage>>,
    /// How many messages arrived.
    count: RwSignal<u64>,
}

impl Live {
    /// Moves on with every change (tracked): boards, the 工作台 and the inbox key on it.
    pub fn any(self) -> u64 {
        self.count.get()
    }

    /// Counts the changes that concern task `id` (its own, its plan's, and interruptions).
    pub fn for_task(self, id: impl Fn() -> Option<TaskId> + Send + Sync + 'static) -> Memo<u64> {
        self.counting(move |m| id().is_some_and(|id| m.change.touches_task(&id)))
    }

    /// Counts the changes that concern meeting `id` (its records, the task on the host's
    /// screen, and interruptions).
    pub fn for_meeting(
        self,
        id: impl Fn() -> Option<MeetingId> + Send + Sync + 'static,
    ) -> Memo<u64> {
        self.counting(move |m| id().is_some_and(|id| m.change.touches_meeting(&id)))
    }

    /// A counter that moves on with every message `touches` accepts (both tracked).
    fn counting(self, touches: impl Fn(&LiveMessage) -> bool + Send + Sync + 'static) -> Memo<u64> {
        let last = self.last;
        Memo::new(move |before: Option<&u64>| {
            let before = before.copied().unwrap_or(0);
            before + u64::from(last.with(|m| m.as_ref().is_some_and(&touches)))
        })
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn receive(self, message: LiveMessage) {
        self.last.set(Some(message));
        self.count.update(|n| *n += 1);
    }
}

/// Provides the feed to every page (and, in the browser, opens it).
pub fn provide_live() -> Live {
    let live = Live {
        last: RwSignal::new(None),
        count: RwSignal::new(0),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    listen(live);
    live
}

/// The feed of the page's layout (a feed that never moves outside it, e.g. in tests).
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or(Live {
        last: RwSignal::new(None),
        count: RwSignal::new(0),
    })
}

#[cfg(feature = "hydrate")]
fn listen(live: Live) {
    use codee::string::JsonSerdeCodec;
    use leptos_use::core::ConnectionReadyState;
    use leptos_use::{
        ReconnectLimit, UseEventSourceOptions, UseEventSourceReturn, use_event_source_with_options,
    };
    // Signed in: the reader's feed; on a 大屏, the display link's; otherwise none (an empty
    // address closes the source).
    let session = crate::ui::session::use_session();
    let location = leptos_router::hooks::use_location();
    let url = Signal::derive(move || {
        let path = location.pathname.get();
        match path.strip_prefix("/wall/") {
            Some(token) => format!("/events?display={}", crate::ui::format::encode_query(token)),
            None if session.user.with(Option::is_some) => "/events".to_owned(),
            None => String::new(),
        }
    });
    let UseEventSourceReturn {
        message,
        ready_state,
        ..
    } = use_event_source_with_options::<LiveMessage, JsonSerdeCodec>(
        url,
        UseEventSourceOptions::default()
            .named_events(["change".to_owned()])
            // Keep trying while the tab is open: a server restart must not end live updates.
            .reconnect_limit(ReconnectLimit::Infinite)
            .reconnect_interval(2000),
    );
    Effect::new(move |_| {
        if let Some(m) = message.get() {
            live.receive(m.data);
        }
    });
    // Opened again after an interruption: what changed meanwhile was never sent. (The first
    // opening needs nothing: the page was just fetched.)
    let opened_before = StoredValue::new(false);
    Effect::new(move |was_open: Option<bool>| {
        let open = ready_state.get() == ConnectionReadyState::Open;
        if open && was_open != Some(true) {
            if opened_before.get_value() {
                live.receive(LiveMessage {
                    seq: 0,
                    change: crate::domain::live::Change::Resync,
                });
            }
            opened_before.set_value(true);
        }
        open
    });
}

/// A bar offering the changes a page held back while its reader was typing into it.
#[component]
pub fn HeldBack(pending: Signal<bool>, apply: Callback<()>) -> impl IntoView {
    view! {
        <Show when=move || pending.get()>
            <div class="live-pending" role="status">
                "此任务有新的动态。"
                <button type="button" class="link-button" on:click=move |_| apply.run(())>
                    "刷新查看"
                </button>
                <span class="hint">"(刷新后未提交的填写内容将清空)"</span>
            </div>
        </Show>
    }
}
