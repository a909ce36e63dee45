//! What the live feed tells open pages: something changed, so they fetch it again. The
//! message names what changed, never what it now says: each page reads that through its own
//! server function, under its own reader's rights.

use super::ids::{MeetingId, TaskId};
use serde::{Deserialize, Serialize};

/// One message of the live feed (`/events`), sent as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMessage {
    /// Numbers the process's messages, so two changes of the same task read as two.
    pub seq: u64,
    pub change: Change,
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A task: a report, a status move, a claim, a comment, its goals…
    Task { id: TaskId },
    /// A 专题调度会: a record, a 交办事项, the task on the host's screen…
    Meeting { id: MeetingId },
    /// Something else with an audit trail: a plan, a unit, a person, an account.
    Record { table: String },
    /// The feed was interrupted (the database connection was re-established): anything may
    /// have changed meanwhile.
    Resync,
    /// A new day began: lights and 序时进度 moved without any write.
    Day,
}

impl Change {
    /// Whether a page showing task `id` should fetch it again. Plans matter too: their light
    /// settings and status shape every task's page.
    pub fn touches_task(&self, id: &TaskId) -> bool {
        match self {
            Change::Task { id: changed } => changed == id,
            Change::Record { table } => table == "plan",
            Change::Meeting { .. } => false,
            Change::Resync | Change::Day => true,
        }
    }

    /// Whether accounts changed (one disabled, signed out everywhere, given a new password):
    /// open streams check that their session still stands.
    pub fn is_accounts(&self) -> bool {
        matches!(self, Change::Record { table } if table == "account")
    }

    /// Whether a screen following meeting `id` should fetch it again.
    pub fn touches_meeting(&self, id: &MeetingId) -> bool {
        match self {
            Change::Meeting { id: changed } => changed == id,
            Change::Task { .. } | Change::Record { .. } => false,
            Change::Resync | Change::Day => true,
        }
    }

    /// The change an audit event on `table:key` stands for.
    pub fn of_entity(table: &str, key: &str) -> Self {
        match (table, TaskId::parse(key), MeetingId::parse(key)) {
            ("task", Some(id), _) => Change::Task { id },
            ("meeting", _, Some(id)) => Change::Meeting { id },
            _ => Change::Record {
                table: table.to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_changes_make_open_streams_check_their_sessions() {
        assert!(Change::of_entity("account", "guest").is_accounts());
        assert!(!Change::of_entity("unit", "kysd").is_accounts());
        assert!(!Change::of_entity("task", "dapeng-2022-1").is_accounts());
        assert!(!Change::Resync.is_accounts());
    }

    #[test]
    fn a_task_page_follows_its_task_plans_and_interruptions_only() {
        let own = TaskId::parse("dapeng-2022-1").expect("id");
        let other = TaskId::parse("dapeng-2022-2").expect("id");
        assert!(Change::of_entity("task", own.as_str()).touches_task(&own));
        assert!(!Change::of_entity("task", other.as_str()).touches_task(&own));
        assert!(Change::of_entity("plan", "dapeng-2022").touches_task(&own));
        assert!(!Change::of_entity("unit", "zzk").touches_task(&own));
        assert!(Change::Resync.touches_task(&own));
        assert!(Change::Day.touches_task(&own));
    }

    #[test]
    fn a_follower_follows_its_own_meeting() {
        let own = MeetingId::parse("m1").expect("id");
        assert!(Change::of_entity("meeting", "m1").touches_meeting(&own));
        assert!(!Change::of_entity("meeting", "m2").touches_meeting(&own));
        assert!(!Change::of_entity("task", "dapeng-2022-1").touches_meeting(&own));
        assert!(Change::Resync.touches_meeting(&own));
        let task = TaskId::parse("dapeng-2022-1").expect("id");
        assert!(!Change::of_entity("meeting", "m1").touches_task(&task));
    }

    #[test]
    fn messages_read_back_from_their_json() {
        let message = LiveMessage {
            seq: 7,
            change: Change::of_entity("task", "dapeng-2022-12"),
        };
        let json = serde_json::to_string(&message).expect("json");
        assert_eq!(
            json,
            r#"{"seq":7,"change":{"kind":"task","id":"dapeng-2022-12"}}"#
        );
        assert_eq!(
            serde_json::from_str::<LiveMessage>(&json).expect("back"),
            message
        );
    }
}
