//! 站内消息: a person's inbox read from the audit trail, and what they have read.

use super::write::execute;
use super::{Db, corrupt, key_string, record};
use crate::domain::notice::{ACTIONS, EventFacts, Inbox, Notice, Reader, notice_for};
use crate::domain::{AccountId, CurrentUser, Entity, NoticeId, TaskId, UnitId};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// How many of the latest task events an inbox is read from, and how many messages it shows.
const CANDIDATES: usize = 400;
const SHOWN: usize = 100;

/// A task event with what [`notice_for`] needs; read with [`EVENT_FIELDS`].
#[derive(Debug, SurrealValue)]
pub(crate) struct EventRow {
    pub id: RecordId,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub summary: String,
    pub task: RecordId,
    pub number: Option<i64>,
    pub title: Option<String>,
    lead: Option<RecordId>,
    co: Option<Vec<RecordId>>,
    before_status: Option<String>,
    after_status: Option<String>,
    claim_unit: Option<RecordId>,
    part: Option<String>,
    supervisor: Option<RecordId>,
}

/// The projection of `audit_event` an [`EventRow`] is read from.
pub(crate) const EVENT_FIELDS: &str = "id, at, actor, action, summary, entity AS task, \
    entity.number AS number, entity.title AS title, entity.lead_unit AS lead, \
    entity.co_units AS co, before.status AS before_status, after.status AS after_status, \
    (after.unit ?? after.claim.unit) AS claim_unit, (after.part ?? after.kind) AS part, \
    entity.supervisor AS supervisor";

impl EventRow {
    /// The facts the notice rule reads.
    pub(crate) fn facts(&self) -> Result<EventFacts, AppError> {
        Ok(EventFacts {
            action: self.action.clone(),
            actor: self.actor.clone(),
            before_status: self.before_status.clone(),
            after_status: self.after_status.clone(),
            claim_unit: self.claim_unit.as_ref().map(unit_of).transpose()?,
            part: self.part.clone(),
            lead: self.lead.as_ref().map(unit_of).transpose()?,
            co: self
                .co
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(unit_of)
                .collect::<Result<_, _>>()?,
            supervisor: self
                .supervisor
                .as_ref()
                .map(|p| {
                    crate::domain::PersonId::parse(&key_string(p))
                        .ok_or_else(|| corrupt("task.supervisor", p))
                })
                .transpose()?,
        })
    }
}

/// The tasks an inbox reads events of: a unit's own (led, co-operated, claimed, or given a
/// 会议交办事项 on), everyone else's every task of a published plan. Then the latest events on
/// them, what was read, and the read-up-to mark.
///
/// Each part by an index: a 10,000-task plan is not scanned for one unit's tasks, and a unit's
/// events are read task by task forwards on (entity, at) and sorted here — SurrealDB 3.3 walks an
/// index backwards (`ORDER BY at DESC`) in time that grows with the whole store.
const INBOX: &str = "
LET $published = (SELECT VALUE id FROM plan WHERE status != 'draft');
LET $scope = IF $unit {
    array::union(
        (SELECT VALUE id FROM task WHERE plan IN $published AND lead_unit = $unit),
        (SELECT VALUE id FROM array::union(array::union(
            (SELECT VALUE id FROM task WHERE co_units CONTAINS $unit),
            (SELECT VALUE task FROM task_claim WHERE unit = $unit)),
            (SELECT VALUE task FROM action_item WHERE unit = $unit)) WHERE plan IN $published))
} ELSE {
    (SELECT VALUE id FROM task WHERE plan IN $published)
};
SELECT * FROM (IF $unit {
    array::flatten($scope.map(|$t| (SELECT {fields} FROM audit_event
        WHERE entity = $t AND action IN $actions AND actor != $me)))
} ELSE {
    (SELECT {fields} FROM audit_event WITH NOINDEX
        WHERE entity IN $scope AND action IN $actions AND actor != $me)
}) ORDER BY at DESC LIMIT $limit;
SELECT VALUE event FROM notice_read WHERE account = $account;
(SELECT VALUE read_until FROM ONLY type::record('inbox_mark', $key));
";

/// [`INBOX`] with the event projection in place, composed once.
static INBOX_QUERY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| INBOX.replace("{fields}", EVENT_FIELDS));

fn unit_of(id: &RecordId) -> Result<UnitId, AppError> {
    UnitId::parse(&key_string(id)).ok_or_else(|| corrupt("unit id", id))
}

/// `user`'s inbox: the latest messages that concern them, newest first, and the unread count.
pub async fn inbox(db: &Db, user: &CurrentUser) -> Result<Inbox, AppError> {
    let actor = user.actor();
    let mut response = db
        .query(INBOX_QUERY.as_str())
        // The office's staff belong to a unit too, but read about every task.
        .bind((
            "unit",
            actor
                .unit
                .as_ref()
                .filter(|_| actor.role.acts_for_unit())
                .map(|u| record("unit", u.as_str())),
        ))
        .bind(("actions", ACTIONS.to_vec()))
        .bind(("me", actor.name.clone()))
        .bind(("limit", CANDIDATES as i64))
        .bind(("account", record("account", user.id.as_str())))
        .bind(("key", user.id.as_str().to_owned()))
        .await?;
    let rows: Vec<EventRow> = response.take(2)?;
    let read: Vec<RecordId> = response.take(3)?;
    let read_until: Option<DateTime<Utc>> = response.take(4)?;
    let reader = Reader {
        role: actor.role,
        unit: actor.unit.as_ref(),
        name: &actor.name,
        person: user.person.as_ref(),
    };
    let mut inbox = Inbox::default();
    for row in rows {
        let facts = row.facts()?;
        let Some(kind) = notice_for(reader, &facts) else {
            continue;
        };
        let read = read_until.is_some_and(|mark| row.at <= mark) || read.contains(&row.id);
        if !read {
            inbox.unread += 1;
        }
        if inbox.notices.len() < SHOWN {
            inbox.notices.push(Notice {
                id: NoticeId::parse(&key_string(&row.id))
                    .ok_or_else(|| corrupt("audit_event.id", &row.id))?,
                kind,
                task: TaskId::parse(&key_string(&row.task))
                    .ok_or_else(|| corrupt("audit_event.entity", &row.task))?,
                number: row
                    .number
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or_default(),
                title: row.title.unwrap_or_default(),
                actor: row.actor,
                summary: row.summary,
                at: row.at,
                read,
            });
        }
    }
    Ok(inbox)
}

/// Marks one message read for `account`; returns the task it is about. Marking twice is
/// marking once.
pub async fn mark_read(
    db: &Db,
    account: &AccountId,
    notice: &NoticeId,
) -> Result<TaskId, AppError> {
    let event = record("audit_event", notice.as_str());
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $e = (SELECT id, entity FROM ONLY $event);
             IF !$e OR record::tb($e.entity) != 'task' { THROW 'jiebang:not_found' };
             UPSERT type::record('notice_read', [$key, record::id($event)])
                 SET account = $account, event = $event, at = time::now();
             RETURN $e.entity;
             COMMIT TRANSACTION;",
        )
        .bind(("event", event.clone()))
        .bind(("account", record("account", account.as_str())))
        .bind(("key", account.as_str().to_owned()))
    })
    .await
    .map_err(super::write::missing(Entity::Page))?;
    let task: Option<RecordId> = super::take_returned(&mut res)?;
    let task = task.ok_or(AppError::NotFound(Entity::Page))?;
    TaskId::parse(&key_string(&task)).ok_or_else(|| corrupt("audit_event.entity", &task))
}

/// Marks everything up to now read for `account` (全部标为已读).
pub async fn mark_all_read(db: &Db, account: &AccountId) -> Result<(), AppError> {
    execute(|| {
        db.query(
            "UPSERT type::record('inbox_mark', $key)
                 SET account = $account, read_until = time::now();",
        )
        .bind(("account", record("account", account.as_str())))
        .bind(("key", account.as_str().to_owned()))
    })
    .await?;
    Ok(())
}
