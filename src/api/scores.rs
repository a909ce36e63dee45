//! 量化考评: a plan's ranking as of a day, and its 考评细则.

use crate::domain::score::Ranking;
use crate::error::AppError;
use leptos::prelude::*;

/// Plan `plan`'s (`None`: the current plan's) ranking as of `as_of` (empty: today, or the plan year's last day once it is
/// over) among `group` (`all`, `sections`, `streets`). The office, leaders and observers see
/// every unit; a unit sees its own score and place.
#[server(prefix = "/api", endpoint = "get_ranking")]
pub async fn get_ranking(
    #[server(default)] plan: Option<crate::domain::PlanId>,
    #[server(default)] as_of: String,
    #[server(default)] group: String,
) -> Result<Ranking, AppError> {
    use crate::domain::policy::{Capability, ScoreSight, score_sight};
    use crate::domain::score::{Judged, RankGroup, parse_as_of, score_plan};
    use crate::domain::{Entity, PlanRef, Problem};
    use crate::server::{authz, db, respond, state};
    use chrono::NaiveDate;
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let sight = score_sight(user.role, user.unit.as_ref());
            if sight == ScoreSight::Nothing {
                return Err(AppError::Forbidden);
            }
            let group = if group.trim().is_empty() {
                RankGroup::All
            } else {
                RankGroup::parse(group.trim())
                    .ok_or_else(|| AppError::field("group", Problem::UnknownValue))?
            };
            let state = state()?;
            let facts = db::scores::facts(&*state.db.get().await?, plan.as_ref())
                .await?
                .ok_or(AppError::NotFound(Entity::Plan))?;
            let year = facts.plan.year;
            let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::Internal)?;
            let today = state.clock.today();
            let as_of = parse_as_of(&as_of, year, today.clamp(facts.plan.starts_on(), year_end))
                .map_err(|p| AppError::field("as_of", p))?;
            let mut scores = score_plan(
                &facts.tasks,
                &facts.units,
                &Judged::new(),
                &facts.rubric,
                facts.plan.report_day,
                as_of,
                group,
            );
            let own_only = match &sight {
                ScoreSight::Own(unit) => {
                    scores.retain(|s| s.unit.id == *unit);
                    true
                }
                _ => false,
            };
            Ok(Ranking {
                plan: PlanRef {
                    id: facts.plan.id.clone(),
                    year,
                    title: facts.plan.title.clone(),
                },
                as_of,
                group,
                rubric: facts.rubric,
                rubric_version: facts.rubric_version,
                report_day: facts.plan.report_day,
                scores,
                own_only,
            })
        }
        .await,
    )
}

/// Saves plan `plan`'s 考评细则 over `version` (0: never saved); answers the new version.
/// Weights of the four items must add up to 100.
#[server(prefix = "/api", endpoint = "save_rubric")]
#[allow(clippy::too_many_arguments)]
pub async fn save_rubric(
    plan: crate::domain::PlanId,
    version: u32,
    on_time: String,
    quality: String,
    reporting: String,
    innovation: String,
    late_share: String,
    red_grace_days: String,
    red_day: String,
    missed_report: String,
    returned: String,
    red_sheet: String,
    key_weight: String,
    co_share: String,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::score::{Rubric, RubricForm};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let rubric = Rubric::parse(&RubricForm {
                on_time,
                quality,
                reporting,
                innovation,
                late_share,
                red_grace_days,
                red_day,
                missed_report,
                returned,
                red_sheet,
                key_weight,
                co_share,
            })?;
            db::scores::save_rubric(
                &*state()?.db.get().await?,
                &office.actor(),
                &plan,
                version,
                &rubric,
            )
            .await
        }
        .await,
    )
}
