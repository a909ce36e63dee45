//! 量化考评: a plan's ranking as of a day, and its 考评细则.

use crate::domain::assessment::AssessmentView;
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

/// Plan `plan`'s (`None`: the current plan's) 季度报送 for quarter `quarter` (`1`–`4`; empty: the
/// current one): for the office, leaders and observers.
#[server(prefix = "/api", endpoint = "get_quarter_pack")]
pub async fn get_quarter_pack(
    #[server(default)] plan: Option<crate::domain::PlanId>,
    #[server(default)] quarter: String,
) -> Result<crate::domain::quarter::QuarterPack, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::quarter::pack(
                &*state.db.get().await?,
                &user,
                state.clock.today(),
                plan.as_ref(),
                &quarter,
            )
            .await
        }
        .await,
    )
}

/// Plan `plan`'s (`None`: the current plan's) 积分台账: the proposed, approved and declined
/// awards and deductions, with every unit's running balance (a unit: its own).
#[server(prefix = "/api", endpoint = "get_points")]
pub async fn get_points(
    #[server(default)] plan: Option<crate::domain::PlanId>,
) -> Result<crate::domain::points::Ledger, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            db::points::ledger(
                &*state.db.get().await?,
                &user,
                state.clock.today(),
                plan.as_ref(),
            )
            .await
        }
        .await,
    )
}

/// The office proposes a 加分 or 减分 for a unit, with its reason and day.
#[server(prefix = "/api", endpoint = "propose_points")]
pub async fn propose_points(
    plan: crate::domain::PlanId,
    form: crate::domain::points::EntryForm,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManageFindings)?;
            let state = state()?;
            db::points::propose(
                &*state.db.get().await?,
                &office.actor(),
                state.clock.today(),
                &plan,
                &form,
            )
            .await
        }
        .await,
    )
}

/// A leader approves (`decision=approve`) or declines (`decline`) a proposed entry.
#[server(prefix = "/api", endpoint = "decide_points")]
pub async fn decide_points(
    entry: String,
    version: u32,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::domain::Problem;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let leader = authz::require(Capability::DecideRequests)?;
            let approve = match decision.trim() {
                "approve" => true,
                "decline" => false,
                _ => return Err(AppError::field("decision", Problem::UnknownValue)),
            };
            db::points::decide(
                &*state()?.db.get().await?,
                &leader.actor(),
                &entry,
                version,
                approve,
                &note,
            )
            .await
        }
        .await,
    )
}

/// Saves plan `plan`'s 考评细则 over `version` (0: never saved); answers the new version.
/// Weights of the four items must add up to 100.
#[server(prefix = "/api", endpoint = "save_rubric")]
pub async fn save_rubric(
    plan: crate::domain::PlanId,
    version: u32,
    form: crate::domain::score::RubricForm,
) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::score::Rubric;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let office = authz::require(Capability::ManagePlans)?;
            let rubric = Rubric::parse(&form)?;
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

/// Task `task`'s 自评 → 点评 → 考核, with its automatic items and what the reader may do. The
/// office, leaders and observers read any task's; a unit the tasks it leads.
#[server(prefix = "/api", endpoint = "get_assessment")]
pub async fn get_assessment(task: crate::domain::TaskId) -> Result<AssessmentView, AppError> {
    use crate::domain::assessment::steps;
    use crate::domain::policy::{Capability, UnitSight, unit_sight};
    use crate::domain::score::Part;
    use crate::domain::{Entity, PlanRef};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let state = state()?;
            let conn = state.db.get().await?;
            let (subject, assessment) = db::assessments::get(&conn, &task)
                .await?
                .ok_or(AppError::NotFound(Entity::Task))?;
            let Some((lead, lead_name)) = subject.lead.clone() else {
                return Err(AppError::NotFound(Entity::Task));
            };
            match unit_sight(user.role, user.unit.as_ref()) {
                UnitSight::All => {}
                UnitSight::Own(unit) if unit == lead => {}
                _ => return Err(AppError::Forbidden),
            }
            let ranking = db::scores::ranking(
                &conn,
                &user,
                state.clock.today(),
                Some(&subject.plan),
                "",
                "",
            )
            .await?;
            let line = ranking
                .scores
                .iter()
                .flat_map(|s| &s.lines)
                .find(|l| l.task == task && l.part == Part::Lead)
                .cloned();
            let actor = user.actor();
            Ok(AssessmentView {
                steps: steps(&actor, &lead, assessment.stage()),
                task,
                number: subject.number,
                title: subject.title,
                plan: PlanRef {
                    id: ranking.plan.id.clone(),
                    year: ranking.plan.year,
                    title: ranking.plan.title.clone(),
                },
                lead_unit: lead_name,
                rubric: ranking.rubric,
                line,
                assessment,
            })
        }
        .await,
    )
}

/// 自评: the lead unit's head describes how the task was done and may propose scores.
#[server(prefix = "/api", endpoint = "self_assess")]
pub async fn self_assess(
    task: crate::domain::TaskId,
    version: u32,
    remarks: String,
    #[server(default)] quality: String,
    #[server(default)] innovation: String,
) -> Result<u32, AppError> {
    use crate::domain::assessment::{SelfAssessForm, SelfAssessment};
    use crate::server::db::assessments::StepInput;
    step(task, version, move |rubric, _| {
        SelfAssessment::parse(
            &SelfAssessForm {
                remarks,
                quality,
                innovation,
            },
            rubric,
        )
        .map(StepInput::SelfAssess)
        .map_err(AppError::from)
    })
    .await
}

/// 点评: the office proposes the judged scores with a note (a correction of confirmed scores
/// names its reason).
#[server(prefix = "/api", endpoint = "review_assessment")]
pub async fn review_assessment(
    task: crate::domain::TaskId,
    version: u32,
    quality: String,
    innovation: String,
    note: String,
    #[server(default)] correction: String,
) -> Result<u32, AppError> {
    use crate::domain::assessment::{ReviewForm, ReviewInput};
    use crate::server::db::assessments::StepInput;
    step(task, version, move |rubric, stage| {
        ReviewInput::parse(
            &ReviewForm {
                quality,
                innovation,
                note,
                correction,
            },
            rubric,
            stage,
        )
        .map(StepInput::Review)
        .map_err(AppError::from)
    })
    .await
}

/// 考核: the leader confirms the scores the office reviewed; they are frozen.
#[server(prefix = "/api", endpoint = "confirm_assessment")]
pub async fn confirm_assessment(
    task: crate::domain::TaskId,
    version: u32,
) -> Result<u32, AppError> {
    use crate::server::db::assessments::StepInput;
    step(task, version, |_, _| Ok(StepInput::Confirm)).await
}

/// A step of the assessment: its input checked against the plan's rubric and the stage as
/// stored, then written (the policy is checked in the write, on the stored stage).
#[cfg(feature = "ssr")]
async fn step(
    task: crate::domain::TaskId,
    version: u32,
    input: impl FnOnce(
        &crate::domain::score::Rubric,
        crate::domain::assessment::Stage,
    ) -> Result<crate::server::db::assessments::StepInput, AppError>,
) -> Result<u32, AppError> {
    use crate::domain::Entity;
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::Read)?;
            let conn = state()?.db.get().await?;
            let (subject, stored) = db::assessments::get(&conn, &task)
                .await?
                .ok_or(AppError::NotFound(Entity::Task))?;
            let rubric = db::scores::rubric(&conn, &subject.plan).await?;
            let input = input(&rubric, stored.stage())?;
            let version = db::assessments::take_step(
                &conn,
                &user.actor(),
                &task,
                (&subject, &stored),
                version,
                input,
            )
            .await?;
            leptos_axum::redirect(&format!("/scores/tasks/{task}"));
            Ok(version)
        }
        .await,
    )
}
