//! 大屏 display links: made and revoked by the office, each opening one read-only board.

use super::write::execute;
use super::{Db, key_string, record, take_returned};
use crate::domain::display::{DisplayInput, DisplayLink, Wall, WallCycle};
use crate::domain::{Actor, Entity};
use crate::error::AppError;
use crate::server::auth::{new_token, token_hash};
use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct NewLink {
    label: String,
    token_hash: String,
    plan: Option<RecordId>,
    cycle: String,
    seconds: i64,
    created_by: String,
}

/// Makes a link; returns its token (to be shown once: only its hash is kept).
pub async fn create(db: &Db, actor: &Actor, input: &DisplayInput) -> Result<String, AppError> {
    let token = new_token()?;
    let content = NewLink {
        label: input.label.clone(),
        token_hash: token_hash(&token),
        plan: input.plan.as_ref().map(|p| record("plan", p.as_str())),
        cycle: input.cycle.code().to_owned(),
        seconds: input.seconds.into(),
        created_by: actor.name.clone(),
    };
    let mut res = execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             IF $content.plan != NONE AND (SELECT VALUE status FROM ONLY $content.plan) IN [NONE, 'draft'] {
                 THROW 'jiebang:not_found'
             };
             LET $link = (CREATE ONLY display_link CONTENT $content RETURN id).id;
             CREATE audit_event CONTENT {
                 actor: $actor, entity: $link, action: 'display_created',
                 summary: string::concat('新建大屏链接:', $content.label)
             };
             RETURN $link;
             COMMIT TRANSACTION;",
        )
        .bind(("content", content.clone()))
        .bind(("actor", actor.name.clone()))
    })
    .await
    .map_err(|e| match e {
        AppError::NotFound(_) => AppError::NotFound(Entity::Plan),
        other => other,
    })?;
    let id: Option<RecordId> = take_returned(&mut res)?;
    id.ok_or(AppError::Internal)?;
    Ok(token)
}

#[derive(Debug, SurrealValue)]
struct LinkRow {
    id: RecordId,
    label: String,
    plan: Option<String>,
    cycle: String,
    seconds: i64,
    created_by: String,
    created_at: DateTime<Utc>,
    last_used: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Every link, newest first, revoked ones too (the record of who could see the board).
pub async fn list(db: &Db) -> Result<Vec<DisplayLink>, AppError> {
    let rows: Vec<LinkRow> = db
        .query(
            "SELECT id, label, plan.title AS plan, cycle, seconds, created_by, created_at,
                    last_used, revoked_at
               FROM display_link ORDER BY created_at DESC",
        )
        .await?
        .take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| DisplayLink {
            id: key_string(&r.id),
            label: r.label,
            plan: r.plan,
            cycle: WallCycle::parse(&r.cycle).unwrap_or_default(),
            seconds: u32::try_from(r.seconds).unwrap_or(crate::domain::display::SECONDS_MIN),
            created_by: r.created_by,
            created_at: r.created_at,
            last_used: r.last_used,
            revoked_at: r.revoked_at,
        })
        .collect())
}

/// Revokes a link: screens showing it stop at their next check (within half a minute).
pub async fn revoke(db: &Db, actor: &Actor, id: &str) -> Result<(), AppError> {
    execute(|| {
        db.query(
            "BEGIN TRANSACTION;
             LET $before = (SELECT label, revoked_at FROM ONLY $link);
             IF $before = NONE { THROW 'jiebang:not_found' };
             IF $before.revoked_at = NONE {
                 UPDATE $link SET revoked_at = time::now();
                 CREATE audit_event CONTENT {
                     actor: $actor, entity: $link, action: 'display_revoked',
                     summary: string::concat('收回大屏链接:', $before.label)
                 };
             };
             COMMIT TRANSACTION;",
        )
        .bind(("link", record("display_link", id)))
        .bind(("actor", actor.name.clone()))
    })
    .await
    .map_err(|e| match e {
        AppError::NotFound(_) => AppError::NotFound(Entity::Display),
        other => other,
    })?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct ValidRow {
    label: String,
    plan: Option<RecordId>,
    cycle: String,
    seconds: i64,
}

/// Whether `token` opens a screen now (a live link); `None` for unknown or revoked tokens.
pub async fn check(db: &Db, token: &str) -> Result<bool, AppError> {
    Ok(valid(db, token).await?.is_some())
}

async fn valid(db: &Db, token: &str) -> Result<Option<ValidRow>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let row: Option<ValidRow> = db
        .query(
            "SELECT label, plan, cycle, seconds FROM display_link
              WHERE token_hash = $hash AND revoked_at = NONE LIMIT 1",
        )
        .bind(("hash", token_hash(token)))
        .await?
        .take(0)?;
    Ok(row)
}

/// The screen a live link opens, as of `today`; `None` for unknown or revoked tokens (or a
/// plan no longer published).
pub async fn wall(db: &Db, token: &str, today: NaiveDate) -> Result<Option<Wall>, AppError> {
    let Some(link) = valid(db, token).await? else {
        return Ok(None);
    };
    let plan = link
        .plan
        .as_ref()
        .and_then(|p| crate::domain::PlanId::parse(&key_string(p)));
    let Some(board) = super::plans::board(db, plan.as_ref(), today).await? else {
        return Ok(None);
    };
    // When a screen last showed it: the office sees which links are still in use. Not worth
    // failing the screen over.
    if let Err(err) = db
        .query("UPDATE display_link SET last_used = time::now() WHERE token_hash = $hash AND (last_used = NONE OR last_used < time::now() - 5m)")
        .bind(("hash", token_hash(token)))
        .await
    {
        tracing::warn!(error = %err, "could not note the display link's use");
    }
    Ok(Some(Wall {
        label: link.label,
        cycle: WallCycle::parse(&link.cycle).unwrap_or_default(),
        seconds: u32::try_from(link.seconds).unwrap_or(crate::domain::display::SECONDS_MIN),
        board,
    }))
}
