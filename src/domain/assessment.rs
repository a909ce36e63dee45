//! 自评 → 点评 → 考核: how a task's judged items (完成质量, 创新特色) are given. The lead unit's
//! head self-assesses with remarks (and may propose scores), the office reviews and proposes the
//! scores with a note, the leader confirms them; confirmed scores are frozen and count in the
//! ranking. A correction after confirmation is a new review with a reason, which the leader
//! confirms again; every step stays in the task's history.

use super::error::{Errors, FieldError, Problem, Refusal};
use super::ids::{TaskId, UnitId};
use super::score::{JudgedScores, Points, Rubric};
use super::workflow::{Actor, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest 自评 remarks, in characters.
pub const REMARKS_MAX: u32 = 1000;
/// Longest 点评 note, in characters.
pub const NOTE_MAX: u32 = 500;

/// Where a task's assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Nothing given yet.
    Open,
    /// The unit has self-assessed (自评).
    SelfAssessed,
    /// The office has proposed scores (点评), awaiting the leader.
    Reviewed,
    /// The leader confirmed the scores (考核): frozen.
    Confirmed,
}

/// The step a role takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    SelfAssess,
    Review,
    Confirm,
}

/// A task's assessment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Assessment {
    pub remarks: String,
    pub self_quality: Option<Points>,
    pub self_innovation: Option<Points>,
    pub self_by: Option<String>,
    pub self_at: Option<DateTime<Utc>>,
    pub quality: Option<Points>,
    pub innovation: Option<Points>,
    pub note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// 0: nothing recorded yet.
    pub version: u32,
}

impl Assessment {
    pub fn stage(&self) -> Stage {
        if self.confirmed_at.is_some() {
            Stage::Confirmed
        } else if self.reviewed_at.is_some() {
            Stage::Reviewed
        } else if self.self_at.is_some() {
            Stage::SelfAssessed
        } else {
            Stage::Open
        }
    }

    /// The scores that count in the ranking: the confirmed ones.
    pub fn judged(&self) -> Option<JudgedScores> {
        (self.stage() == Stage::Confirmed).then_some(JudgedScores {
            quality: self.quality,
            innovation: self.innovation,
        })
    }
}

/// The 自评 form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessForm {
    pub remarks: String,
    pub quality: String,
    pub innovation: String,
}

/// A checked 自评: remarks, and the scores the unit proposes (optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessment {
    pub remarks: String,
    pub quality: Option<Points>,
    pub innovation: Option<Points>,
}

fn optional_points(raw: &str, max: u8) -> Result<Option<Points>, Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Points::parse(raw, i64::from(max)).map(Some)
}

impl SelfAssessment {
    /// Remarks of 10–1000 characters; proposed scores within the rubric's marks.
    pub fn parse(form: &SelfAssessForm, rubric: &Rubric) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let remarks = errors.take(
            super::fields::text(&form.remarks, 10, REMARKS_MAX)
                .map_err(|p| FieldError::new("remarks", p)),
        );
        let quality = errors.take(
            optional_points(&form.quality, rubric.quality)
                .map_err(|p| FieldError::new("judged_quality", p)),
        );
        let innovation = errors.take(
            optional_points(&form.innovation, rubric.innovation)
                .map_err(|p| FieldError::new("judged_innovation", p)),
        );
        errors.finish(|| {
            Some(Self {
                remarks: remarks?,
                quality: quality?,
                innovation: innovation?,
            })
        })
    }
}

/// The 点评 form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    pub quality: String,
    pub innovation: String,
    pub note: String,
    /// 更正理由, when the scores were confirmed already.
    pub correction: String,
}

/// A checked 点评.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    pub quality: Points,
    pub innovation: Points,
    pub note: String,
    /// Why confirmed scores are corrected.
    pub reason: Option<String>,
}

impl ReviewInput {
    /// Both scores within the rubric's marks, a note (2–500 characters), and a reason when
    /// the scores being replaced were confirmed.
    pub fn parse(
        form: &ReviewForm,
        rubric: &Rubric,
        stage: Stage,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let quality = errors.take(
            Points::parse(&form.quality, i64::from(rubric.quality))
                .map_err(|p| FieldError::new("judged_quality", p)),
        );
        let innovation = errors.take(
            Points::parse(&form.innovation, i64::from(rubric.innovation))
                .map_err(|p| FieldError::new("judged_innovation", p)),
        );
        let note = errors.take(
            super::fields::text(&form.note, 2, NOTE_MAX).map_err(|p| FieldError::new("note", p)),
        );
        let reason = if stage == Stage::Confirmed {
            errors
                .take(
                    super::fields::text(&form.correction, 2, 300)
                        .map_err(|p| FieldError::new("correction", p)),
                )
                .map(Some)
        } else {
            Some(None)
        };
        errors.finish(|| {
            Some(Self {
                quality: quality?,
                innovation: innovation?,
                note: note?,
                reason: reason?,
            })
        })
    }
}

/// May `actor` take `step` on a task led by `lead` whose assessment is at `stage`? The lead
/// unit's head self-assesses until the scores are confirmed; the office reviews (and corrects
/// confirmed scores, with a reason); the leader confirms what the office reviewed.
pub fn check_step(actor: &Actor, step: Step, lead: &UnitId, stage: Stage) -> Result<(), Refusal> {
    let role_ok = match step {
        Step::SelfAssess => actor.role == Role::UnitHead,
        Step::Review => actor.role == Role::Organizer,
        Step::Confirm => actor.role == Role::Leader,
    };
    if !role_ok {
        return Err(Refusal::RoleMayNotAssess {
            role: actor.role,
            step,
        });
    }
    match step {
        Step::SelfAssess if actor.unit.as_ref() != Some(lead) => Err(Refusal::NotOwnUnit),
        Step::SelfAssess if stage == Stage::Confirmed => Err(Refusal::AssessmentConfirmed),
        Step::Confirm if stage != Stage::Reviewed => Err(Refusal::AssessmentNotReviewed),
        _ => Ok(()),
    }
}

/// The steps `actor` may take now.
pub fn steps(actor: &Actor, lead: &UnitId, stage: Stage) -> Vec<Step> {
    [Step::SelfAssess, Step::Review, Step::Confirm]
        .into_iter()
        .filter(|s| check_step(actor, *s, lead, stage).is_ok())
        .collect()
}

/// One task's assessment page: the task, its automatic items as of the year's end, and the
/// record, with what the reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    pub task: TaskId,
    pub number: u32,
    pub title: String,
    pub plan: super::views::PlanRef,
    pub lead_unit: String,
    pub rubric: Rubric,
    /// The task's line for its lead unit in the ranking (automatic items and deductions).
    pub line: Option<super::score::TaskLine>,
    pub assessment: Assessment,
    pub steps: Vec<Step>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            name: "某人".to_owned(),
            role,
            unit: unit.and_then(UnitId::parse),
        }
    }

    #[test]
    fn each_role_takes_its_own_step_in_order() {
        let lead = UnitId::parse("kysd").expect("unit");
        let head = actor(Role::UnitHead, Some("kysd"));
        let other = actor(Role::UnitHead, Some("nasd"));
        let office = actor(Role::Organizer, Some("zzk"));
        let leader = actor(Role::Leader, None);
        assert_eq!(steps(&head, &lead, Stage::Open), vec![Step::SelfAssess]);
        assert_eq!(steps(&head, &lead, Stage::Confirmed), vec![]);
        assert_eq!(
            check_step(&other, Step::SelfAssess, &lead, Stage::Open),
            Err(Refusal::NotOwnUnit)
        );
        assert_eq!(steps(&office, &lead, Stage::Open), vec![Step::Review]);
        assert_eq!(
            steps(&office, &lead, Stage::Confirmed),
            vec![Step::Review],
            "a correction"
        );
        assert_eq!(steps(&leader, &lead, Stage::SelfAssessed), vec![]);
        assert_eq!(
            check_step(&leader, Step::Confirm, &lead, Stage::SelfAssessed),
            Err(Refusal::AssessmentNotReviewed)
        );
        assert_eq!(steps(&leader, &lead, Stage::Reviewed), vec![Step::Confirm]);
        assert_eq!(
            check_step(&head, Step::Review, &lead, Stage::Open),
            Err(Refusal::RoleMayNotAssess {
                role: Role::UnitHead,
                step: Step::Review
            })
        );
        let liaison = actor(Role::Liaison, Some("kysd"));
        assert!(steps(&liaison, &lead, Stage::Open).is_empty());
    }

    #[test]
    fn scores_are_held_to_the_rubrics_marks_and_a_correction_needs_a_reason() {
        let rubric = Rubric::default();
        let form = ReviewForm {
            quality: "41".into(),
            innovation: "8.5".into(),
            note: "好".into(),
            correction: String::new(),
        };
        let errors = ReviewInput::parse(&form, &rubric, Stage::Confirmed).expect_err("refused");
        let fields: Vec<(&str, &Problem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("judged_quality", &Problem::OutOfRange { min: 0, max: 40 }),
                ("note", &Problem::TooShort { min: 2 }),
                ("correction", &Problem::Required),
            ]
        );
        let good = ReviewForm {
            quality: "36".into(),
            note: "按期高质量完成".into(),
            ..form
        };
        let input = ReviewInput::parse(&good, &rubric, Stage::SelfAssessed).expect("ok");
        assert_eq!(
            (input.quality, input.innovation),
            (Points(3600), Points(850))
        );
        assert_eq!(input.reason, None);

        let own = SelfAssessForm {
            remarks: "短".into(),
            quality: String::new(),
            innovation: "11".into(),
        };
        let errors = SelfAssessment::parse(&own, &rubric).expect_err("refused");
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn only_confirmed_scores_count() {
        let mut a = Assessment {
            quality: Some(Points(3000)),
            innovation: Some(Points(500)),
            reviewed_at: Some(Utc::now()),
            ..Assessment::default()
        };
        assert_eq!(a.stage(), Stage::Reviewed);
        assert_eq!(a.judged(), None);
        a.confirmed_at = Some(Utc::now());
        assert_eq!(
            a.judged(),
            Some(JudgedScores {
                quality: Some(Points(3000)),
                innovation: Some(Points(500))
            })
        );
    }
}
