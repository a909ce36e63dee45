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
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::scores::ranking(
                &*state.db.get().await?,
                &user,
                state.clock.today(),
                plan.as_ref(),
                &as_of,
                &group,
            )
            .await
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
