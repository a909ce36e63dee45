//! 红黄绿灯: how a task stands against 序时进度 (the progress expected by today).
//!
//! Expected progress is interpolated over the task's schedule: the plan starts at 0%, each
//! milestone date before the deadline is an equal step, and the deadline is 100%. A task is
//! yellow when it lags that by more than a threshold or is due soon without being submitted,
//! and red when it lags far behind or is overdue. Everything takes `today` as an input.

use super::error::{Errors, FieldError, Problem};
use super::fields::whole_number;
use super::task::TaskStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The traffic light, ordered by severity (`Green < Yellow < Red`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// 绿灯: on track (or done).
    Green,
    /// 黄灯: behind or due soon.
    Yellow,
    /// 红灯: far behind or overdue.
    Red,
}

impl Light {
    /// Code name, used in CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

/// Thresholds of the light rule; a plan setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightSettings {
    /// Yellow when behind expected progress by more than this many points.
    pub yellow_behind: u8,
    /// Red when behind by this many points or more.
    pub red_behind: u8,
    /// Yellow when the deadline is this many days away or fewer and the task is not submitted.
    pub due_soon_days: u16,
}

impl Default for LightSettings {
    fn default() -> Self {
        Self {
            yellow_behind: 10,
            red_behind: 25,
            due_soon_days: 15,
        }
    }
}

impl LightSettings {
    /// Checks the thresholds make sense together.
    pub fn parse(
        yellow_behind: i64,
        red_behind: i64,
        due_soon_days: i64,
    ) -> Result<Self, FieldError> {
        let points = |field: &str, v: i64| {
            u8::try_from(v)
                .ok()
                .filter(|v| *v <= 100)
                .ok_or_else(|| FieldError::new(field, Problem::OutOfRange { min: 0, max: 100 }))
        };
        let yellow = points("yellow_behind", yellow_behind)?;
        let red = points("red_behind", red_behind)?;
        let soon = u16::try_from(due_soon_days)
            .ok()
            .filter(|v| *v <= 365)
            .ok_or_else(|| {
                FieldError::new("due_soon_days", Problem::OutOfRange { min: 0, max: 365 })
            })?;
        if yellow >= red {
            return Err(FieldError::new("red_behind", Problem::ThresholdOrder));
        }
        Ok(Self {
            yellow_behind: yellow,
            red_behind: red,
            due_soon_days: soon,
        })
    }

    /// Parses the three form fields, recording every problem in `errors`.
    pub fn parse_form(
        yellow_behind: &str,
        red_behind: &str,
        due_soon_days: &str,
        errors: &mut Errors,
    ) -> Option<Self> {
        let number = |field: &str, raw: &str, max: i64| {
            whole_number(raw, 0, max).map_err(|p| FieldError::new(field, p))
        };
        let y = errors.take(number("yellow_behind", yellow_behind, 100));
        let r = errors.take(number("red_behind", red_behind, 100));
        let d = errors.take(number("due_soon_days", due_soon_days, 365));
        errors
            .take(Self::parse(y?, r?, d?))
            .filter(|_| errors.is_empty())
    }
}

/// What the light rule needs to know about a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule<'a> {
    /// When work on the plan started (normally 1 January of the plan year).
    pub start: NaiveDate,
    /// Milestone due dates (any order).
    pub milestones: &'a [NaiveDate],
    /// 完成时限.
    pub deadline: NaiveDate,
}

/// 序时进度: the percent expected by `today`, 0–100.
pub fn expected_percent(schedule: &Schedule<'_>, today: NaiveDate) -> u8 {
    let Schedule {
        start,
        milestones,
        deadline,
    } = *schedule;
    if today >= deadline {
        return 100;
    }
    if today <= start || start >= deadline {
        return 0;
    }
    // Checkpoints strictly between start and deadline, then the deadline; the k-th of K
    // expects k/K of the work.
    let mut points: Vec<NaiveDate> = milestones
        .iter()
        .copied()
        .filter(|d| *d > start && *d < deadline)
        .collect();
    points.sort_unstable();
    points.dedup();
    points.push(deadline);
    let steps = points.len() as f64;
    let mut previous = (start, 0.0_f64);
    for (i, point) in points.iter().enumerate() {
        let target = (i + 1) as f64 / steps * 100.0;
        if today <= *point {
            let span = (*point - previous.0).num_days() as f64;
            let done = (today - previous.0).num_days() as f64;
            let value = previous.1 + (target - previous.1) * done / span;
            return value.floor().clamp(0.0, 100.0) as u8;
        }
        previous = (*point, target);
    }
    100
}

/// The light of a task on `today`; `None` for cancelled tasks, which have no light.
pub fn light(
    status: TaskStatus,
    percent: u8,
    schedule: &Schedule<'_>,
    today: NaiveDate,
    settings: &LightSettings,
) -> Option<Light> {
    match status {
        // Withdrawn, or not held by anyone yet (待揭榜, 待挂牌, 待签收): those show their
        // waiting state, not a light — nobody can be behind on a task not yet theirs.
        TaskStatus::Cancelled | TaskStatus::Open | TaskStatus::Claimed | TaskStatus::Assigned => {
            return None;
        }
        // Done, or waiting for acceptance: nothing for the owner to catch up on.
        TaskStatus::Accepted | TaskStatus::Submitted => return Some(Light::Green),
        _ => {}
    }
    if today > schedule.deadline {
        return Some(Light::Red);
    }
    let behind = i16::from(expected_percent(schedule, today)) - i16::from(percent);
    if behind >= i16::from(settings.red_behind) {
        return Some(Light::Red);
    }
    let days_left = (schedule.deadline - today).num_days();
    if behind > i16::from(settings.yellow_behind) || days_left <= i64::from(settings.due_soon_days)
    {
        return Some(Light::Yellow);
    }
    Some(Light::Green)
}

/// 序时进度 and the light of a task on `today`, as the board and the task page show them.
pub fn assess(
    status: TaskStatus,
    percent: u8,
    schedule: &Schedule<'_>,
    today: NaiveDate,
    settings: &LightSettings,
) -> (u8, Option<Light>) {
    (
        expected_percent(schedule, today),
        light(status, percent, schedule, today, settings),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    fn schedule(milestones: &[NaiveDate]) -> Schedule<'_> {
        Schedule {
            start: d(1, 1),
            milestones,
            deadline: d(12, 31),
        }
    }

    #[test]
    fn expected_percent_without_milestones_is_linear() {
        let s = schedule(&[]);
        assert_eq!(expected_percent(&s, d(1, 1)), 0);
        assert_eq!(
            expected_percent(&s, NaiveDate::from_ymd_opt(2021, 6, 1).expect("d")),
            0
        );
        assert_eq!(expected_percent(&s, d(7, 2)), 50); // day 182 of 364
        assert_eq!(expected_percent(&s, d(12, 31)), 100);
        assert_eq!(
            expected_percent(&s, NaiveDate::from_ymd_opt(2023, 3, 1).expect("d")),
            100
        );
    }

    #[test]
    fn milestones_are_equal_steps() {
        // The seed's 支部建在小区上: 5-31, 8-20, deadline 12-31 → 33%, 66%, 100%.
        let ms = [d(5, 31), d(8, 20), d(12, 31)];
        let s = schedule(&ms);
        assert_eq!(expected_percent(&s, d(5, 31)), 33);
        assert_eq!(expected_percent(&s, d(8, 20)), 66);
        // 7-29 is 59 of the 81 days from 5-31 to 8-20: 33.3 + 33.3 × 59/81 = 57.6.
        assert_eq!(expected_percent(&s, d(7, 29)), 57);
        // Milestones out of order or outside the schedule do not matter.
        let shuffled = [
            d(12, 31),
            d(8, 20),
            d(5, 31),
            d(8, 20),
            NaiveDate::from_ymd_opt(2021, 1, 1).expect("d"),
        ];
        assert_eq!(expected_percent(&schedule(&shuffled), d(7, 29)), 57);
    }

    #[test]
    fn degenerate_schedule() {
        let s = Schedule {
            start: d(6, 1),
            milestones: &[],
            deadline: d(6, 1),
        };
        assert_eq!(expected_percent(&s, d(5, 1)), 0);
        assert_eq!(expected_percent(&s, d(6, 1)), 100);
    }

    const S: LightSettings = LightSettings {
        yellow_behind: 10,
        red_behind: 25,
        due_soon_days: 15,
    };

    #[test]
    fn light_boundaries_on_lag() {
        let s = schedule(&[]);
        let today = d(7, 2); // expected 50
        let at = |p| light(TaskStatus::InProgress, p, &s, today, &S);
        assert_eq!(at(50), Some(Light::Green));
        assert_eq!(
            at(40),
            Some(Light::Green),
            "behind by exactly the yellow threshold"
        );
        assert_eq!(at(39), Some(Light::Yellow), "behind by more than it");
        assert_eq!(at(26), Some(Light::Yellow), "behind by 24");
        assert_eq!(
            at(25),
            Some(Light::Red),
            "behind by exactly the red threshold"
        );
        assert_eq!(at(100), Some(Light::Green));
    }

    #[test]
    fn light_boundaries_on_deadline() {
        let s = schedule(&[]);
        let at = |today| light(TaskStatus::InProgress, 100, &s, today, &S);
        assert_eq!(at(d(12, 15)), Some(Light::Green), "16 days left");
        assert_eq!(at(d(12, 16)), Some(Light::Yellow), "15 days left: due soon");
        assert_eq!(at(d(12, 31)), Some(Light::Yellow), "due today");
        assert_eq!(
            at(NaiveDate::from_ymd_opt(2023, 1, 1).expect("d")),
            Some(Light::Red),
            "overdue"
        );
    }

    #[test]
    fn status_decides_first() {
        let s = schedule(&[]);
        let late = NaiveDate::from_ymd_opt(2023, 2, 1).expect("d");
        assert_eq!(light(TaskStatus::Cancelled, 0, &s, late, &S), None);
        assert_eq!(
            light(TaskStatus::Accepted, 100, &s, late, &S),
            Some(Light::Green)
        );
        assert_eq!(
            light(TaskStatus::Submitted, 90, &s, late, &S),
            Some(Light::Green)
        );
        assert_eq!(
            light(TaskStatus::Returned, 90, &s, late, &S),
            Some(Light::Red)
        );
        // Not held by anyone yet: a waiting state, not a light, however late.
        for waiting in [TaskStatus::Open, TaskStatus::Claimed, TaskStatus::Assigned] {
            assert_eq!(light(waiting, 0, &s, d(1, 2), &S), None);
            assert_eq!(light(waiting, 0, &s, late, &S), None);
        }
    }

    #[test]
    fn settings_validate() {
        assert_eq!(
            LightSettings::parse(10, 25, 15),
            Ok(LightSettings::default())
        );
        assert!(LightSettings::parse(30, 25, 15).is_err());
        assert!(LightSettings::parse(10, 101, 15).is_err());
        assert!(LightSettings::parse(-1, 25, 15).is_err());
        assert!(LightSettings::parse(10, 25, 400).is_err());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn date() -> impl Strategy<Value = NaiveDate> {
            (0i64..800).prop_map(|n| {
                NaiveDate::from_ymd_opt(2022, 1, 1).expect("d") + chrono::Duration::days(n - 100)
            })
        }

        fn status() -> impl Strategy<Value = TaskStatus> {
            proptest::sample::select(TaskStatus::ALL.to_vec())
        }

        fn settings() -> impl Strategy<Value = LightSettings> {
            (0u8..60, 1u8..=40, 0u16..60).prop_map(|(y, extra, s)| LightSettings {
                yellow_behind: y,
                red_behind: y.saturating_add(extra).min(100),
                due_soon_days: s,
            })
        }

        proptest! {
            /// More progress never makes the light worse.
            #[test]
            fn more_progress_never_worse(
                status in status(),
                p1 in 0u8..=100,
                p2 in 0u8..=100,
                start in date(),
                span in 0i64..500,
                milestones in proptest::collection::vec(date(), 0..5),
                today in date(),
                settings in settings(),
            ) {
                let (low, high) = (p1.min(p2), p1.max(p2));
                let s = Schedule { start, milestones: &milestones, deadline: start + chrono::Duration::days(span) };
                let worse = light(status, low, &s, today, &settings);
                let better = light(status, high, &s, today, &settings);
                prop_assert!(better <= worse, "{better:?} at {high}% is worse than {worse:?} at {low}%");
            }

            /// Expected progress never goes down as time passes, and stays within 0–100.
            #[test]
            fn expected_is_monotone_in_time(
                start in date(),
                span in 0i64..500,
                milestones in proptest::collection::vec(date(), 0..5),
                t1 in date(),
                t2 in date(),
            ) {
                let s = Schedule { start, milestones: &milestones, deadline: start + chrono::Duration::days(span) };
                let (early, late) = (t1.min(t2), t1.max(t2));
                prop_assert!(expected_percent(&s, early) <= expected_percent(&s, late));
                prop_assert!(expected_percent(&s, late) <= 100);
            }
        }
    }
}
