//! 季度报送: the quarter's pack, compiled from the board, the meetings, the supervision record,
//! the 整改清单 and the ranking. A report read a few times a quarter: several queries, each
//! reusing the page it summarises.

use super::supervision::{SUPERVISION_FIELDS, SupervisionRow};
use super::{Db, record};
use crate::domain::policy::{UnitSight, unit_sight};
use crate::domain::quarter::{QuarterPack, bounds, finding_tally, parse};
use crate::domain::views::Tally;
use crate::domain::{CurrentUser, Entity, PlanId, PlanRef};
use crate::error::AppError;
use chrono::NaiveDate;

/// Plan `plan`'s (`None`: the current plan's) pack for quarter `quarter` (`1`–`4`; empty: the
/// current one), compiled on `today`, for the office, leaders and observers.
pub async fn pack(
    db: &Db,
    user: &CurrentUser,
    today: NaiveDate,
    plan: Option<&PlanId>,
    quarter: &str,
) -> Result<QuarterPack, AppError> {
    if unit_sight(user.role, user.unit.as_ref()) != UnitSight::All {
        return Err(AppError::Forbidden);
    }
    let board = super::plans::board(db, plan, today)
        .await?
        .ok_or(AppError::NotFound(Entity::Plan))?;
    let year = board.plan.year;
    let q = parse(quarter, year, today).map_err(|p| AppError::field("quarter", p))?;
    let (from, to) = bounds(year, q).ok_or(AppError::Internal)?;
    let as_of = to.min(today).max(from);
    let id = board.plan.id.clone();
    let ranking =
        super::scores::ranking(db, user, today, Some(&id), &as_of.to_string(), "").await?;
    let meetings = super::meetings::list(db)
        .await?
        .into_iter()
        .filter(|m| m.plan == id && m.date >= from && m.date <= to)
        .rev()
        .collect();
    let rows: Vec<SupervisionRow> = db
        .query(format!(
            "SELECT {SUPERVISION_FIELDS} FROM supervision
                 WHERE task.plan = $plan AND issued_on >= $from AND issued_on <= $to ORDER BY at"
        ))
        .bind(("plan", record("plan", id.as_str())))
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .take(0)?;
    let supervisions = rows
        .into_iter()
        .map(SupervisionRow::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let list = super::findings::list(db, user, today, Some(&id), None).await?;
    let findings = finding_tally(&list.findings, from, to, as_of);
    let open_findings = list
        .findings
        .into_iter()
        .filter(|f| {
            // Found by the quarter's end, and found in it or still open at its start.
            f.found_on <= to && (f.found_on >= from || f.closed_on.is_none_or(|c| c >= from))
        })
        .collect();
    let mut totals = Tally::default();
    for task in &board.tasks {
        totals.add(task, board.as_of);
    }
    Ok(QuarterPack {
        plan: PlanRef {
            id,
            year,
            title: board.plan.title,
        },
        quarter: q,
        from,
        to,
        as_of,
        today,
        totals,
        tasks: board.tasks,
        meetings,
        supervisions,
        findings,
        open_findings,
        scores: ranking.scores,
    })
}
