//! 红黄绿灯: how a task stands against 序时进度 (the progress expected by today), and why.
//!
//! Expected progress runs from the task's own start through its milestones' 节点目标值 to 100%
//! at the deadline. A task is red on objective facts (overdue, a milestone overdue and not
//! reached, far behind), yellow when behind or when a milestone or the deadline is due within
//! a number of working days, green otherwise. Everything takes `today` as an input.

use super::calendar::WorkCalendar;
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

    /// The light of a code (`red`, `yellow`, `green`).
    pub fn parse(code: &str) -> Option<Self> {
        [Light::Red, Light::Yellow, Light::Green]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

/// Thresholds of the light rule; a plan setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightSettings {
    /// Yellow when behind expected progress by more than this many points.
    pub yellow_behind: u8,
    /// Red when behind by this many points or more.
    pub red_behind: u8,
    /// Yellow when a milestone or the deadline is this many working days away or fewer.
    pub due_soon_days: u16,
}

impl Default for LightSettings {
    fn default() -> Self {
        Self {
            yellow_behind: 10,
            red_behind: 25,
            due_soon_days: 5,
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

/// One 推进目标 as the light rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub due: NaiveDate,
    /// 节点目标值: the percent expected by `due`, if the plan says.
    pub target: Option<u8>,
    pub reached: bool,
}

impl Checkpoint {
    /// A stored 推进目标 as the rule sees it.
    pub fn of(m: &super::task::Milestone) -> Self {
        Self {
            due: m.due,
            target: m.target.map(super::task::Percent::value),
            reached: m.done(),
        }
    }
}

/// What the light rule needs to know about a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule<'a> {
    /// When the task started: the day of 挂牌 or 签收 (else the plan's first day).
    pub start: NaiveDate,
    /// Its 推进目标 in the task's order (节点1, 节点2 …).
    pub milestones: &'a [Checkpoint],
    /// 完成时限 (after an approved 延期, the new one).
    pub deadline: NaiveDate,
}

/// 序时进度: the percent expected by `today`, 0–100. It runs from 0 at the start through each
/// milestone's 节点目标值 to 100 at the deadline, linearly in time between them (时间过半、
/// 任务过半); milestones without a target do not bend it.
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
    let mut anchors: Vec<(NaiveDate, f64)> = milestones
        .iter()
        .filter(|m| m.due > start && m.due < deadline)
        .filter_map(|m| m.target.map(|t| (m.due, f64::from(t.min(100)))))
        .collect();
    anchors.sort_by_key(|(d, _)| *d);
    anchors.push((deadline, 100.0));
    let mut previous = (start, 0.0_f64);
    for (date, target) in anchors {
        // Targets never take expected progress back down.
        let target = target.max(previous.1);
        if today <= date {
            let span = (date - previous.0).num_days() as f64;
            let done = (today - previous.0).num_days() as f64;
            let value = if span > 0.0 {
                previous.1 + (target - previous.1) * done / span
            } else {
                target
            };
            return value.floor().clamp(0.0, 100.0) as u8;
        }
        previous = (date, target);
    }
    100
}

/// Why a task has its light: the fact a 督查室 would name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LightReason {
    /// 绿: on track.
    OnTrack,
    /// 红: past its 完成时限 and not submitted.
    Overdue { deadline: NaiveDate },
    /// 红: 节点`number` was due on `due` and is not reached.
    MilestoneOverdue { number: u32, due: NaiveDate },
    /// 红: `behind` points behind 序时进度, at least the red threshold.
    FarBehind { behind: u8 },
    /// 黄: `behind` points behind 序时进度, more than the yellow threshold.
    Behind { behind: u8 },
    /// 黄: 节点`number` is due on `due`, `working_days` working days away.
    MilestoneDueSoon {
        number: u32,
        due: NaiveDate,
        working_days: u32,
    },
    /// 黄: the 完成时限 is `working_days` working days away.
    DeadlineDueSoon {
        deadline: NaiveDate,
        working_days: u32,
    },
}

impl LightReason {
    /// The light this reason gives.
    pub fn light(self) -> Light {
        match self {
            Self::OnTrack => Light::Green,
            Self::Overdue { .. } | Self::MilestoneOverdue { .. } | Self::FarBehind { .. } => {
                Light::Red
            }
            Self::Behind { .. } | Self::MilestoneDueSoon { .. } | Self::DeadlineDueSoon { .. } => {
                Light::Yellow
            }
        }
    }
}

/// Where a task stands against its schedule on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    /// 序时进度.
    pub expected: u8,
    /// `None` for tasks not held yet (待揭榜, 待挂牌, 待签收) and withdrawn ones; finished tasks
    /// (待验收, 已销号) are green with no reason (boards give them their own colour).
    pub light: Option<Light>,
    /// Why, for a task under way.
    pub reason: Option<LightReason>,
}

/// The light of a task on `today` and why. Red on objective facts — past the deadline, a
/// milestone overdue and not reached, or far behind 序时进度; yellow when behind, or when a
/// milestone or the deadline is due within the plan's number of working days; green otherwise.
pub fn assess(
    status: TaskStatus,
    percent: u8,
    schedule: &Schedule<'_>,
    today: NaiveDate,
    settings: &LightSettings,
    calendar: &WorkCalendar,
) -> Assessment {
    let expected = expected_percent(schedule, today);
    let lit = |reason: Option<LightReason>| Assessment {
        expected,
        light: reason.map(LightReason::light),
        reason,
    };
    match status {
        // Withdrawn, or not held by anyone yet: those show their waiting state, not a light —
        // nobody can be behind on a task not yet theirs.
        TaskStatus::Cancelled | TaskStatus::Open | TaskStatus::Claimed | TaskStatus::Assigned => {
            return lit(None);
        }
        // Done, or waiting for acceptance: nothing for the owner to catch up on.
        TaskStatus::Accepted | TaskStatus::Submitted => {
            return Assessment {
                expected,
                light: Some(Light::Green),
                reason: None,
            };
        }
        TaskStatus::InProgress | TaskStatus::Returned => {}
    }
    lit(Some(reason(
        percent, schedule, expected, today, settings, calendar,
    )))
}

fn reason(
    percent: u8,
    schedule: &Schedule<'_>,
    expected: u8,
    today: NaiveDate,
    settings: &LightSettings,
    calendar: &WorkCalendar,
) -> LightReason {
    if today > schedule.deadline {
        return LightReason::Overdue {
            deadline: schedule.deadline,
        };
    }
    let numbered = || {
        schedule
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| (u32::try_from(i + 1).unwrap_or(u32::MAX), m))
            .filter(|(_, m)| !m.reached)
    };
    if let Some((number, m)) = numbered()
        .filter(|(_, m)| m.due < today)
        .min_by_key(|(_, m)| m.due)
    {
        return LightReason::MilestoneOverdue { number, due: m.due };
    }
    let behind = expected.saturating_sub(percent);
    if behind >= settings.red_behind && behind > 0 {
        return LightReason::FarBehind { behind };
    }
    if behind > settings.yellow_behind {
        return LightReason::Behind { behind };
    }
    // Due within N working days: before the (N+1)-th working day from today (a deadline on a
    // Saturday after the N-th working day is still within N).
    let beyond = calendar.add_working_days(today, u32::from(settings.due_soon_days) + 1);
    let soon = |due: NaiveDate| due >= today && due < beyond;
    if let Some((number, m)) = numbered()
        .filter(|(_, m)| soon(m.due))
        .min_by_key(|(_, m)| m.due)
    {
        return LightReason::MilestoneDueSoon {
            number,
            due: m.due,
            working_days: calendar.working_days_between(today, m.due),
        };
    }
    if soon(schedule.deadline) {
        return LightReason::DeadlineDueSoon {
            deadline: schedule.deadline,
            working_days: calendar.working_days_between(today, schedule.deadline),
        };
    }
    LightReason::OnTrack
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).expect("date")
    }

    /// 2022's National Day week and its two 调休 weekend days (国办发明电〔2021〕11号).
    fn calendar() -> WorkCalendar {
        crate::domain::calendar::national_day_2022()
    }

    fn point(due: NaiveDate, target: Option<u8>, reached: bool) -> Checkpoint {
        Checkpoint {
            due,
            target,
            reached,
        }
    }

    fn schedule(milestones: &[Checkpoint]) -> Schedule<'_> {
        Schedule {
            start: d(1, 1),
            milestones,
            deadline: d(12, 31),
        }
    }

    const S: LightSettings = LightSettings {
        yellow_behind: 10,
        red_behind: 25,
        due_soon_days: 5,
    };

    fn at(percent: u8, s: &Schedule<'_>, today: NaiveDate) -> (Option<Light>, Option<LightReason>) {
        let a = assess(TaskStatus::InProgress, percent, s, today, &S, &calendar());
        (a.light, a.reason)
    }

    #[test]
    fn expected_percent_without_targets_is_linear_in_time() {
        let s = schedule(&[]);
        assert_eq!(expected_percent(&s, d(1, 1)), 0);
        assert_eq!(
            expected_percent(&s, NaiveDate::from_ymd_opt(2021, 6, 1).expect("d")),
            0
        );
        assert_eq!(expected_percent(&s, d(7, 2)), 50); // day 182 of 364: 时间过半,任务过半
        assert_eq!(expected_percent(&s, d(12, 31)), 100);
        // Milestones without a target do not bend it.
        let plain = [point(d(5, 31), None, false), point(d(8, 20), None, false)];
        assert_eq!(expected_percent(&schedule(&plain), d(7, 2)), 50);
    }

    #[test]
    fn targets_bend_expected_progress() {
        // 支部建在小区上: 30% by 5-31, 60% (6 pilot 小区) by 8-20, 100% by 12-31.
        let ms = [
            point(d(5, 31), Some(30), true),
            point(d(8, 20), Some(60), false),
        ];
        let s = schedule(&ms);
        assert_eq!(expected_percent(&s, d(5, 31)), 30);
        assert_eq!(expected_percent(&s, d(8, 20)), 60);
        // 7-29 is 59 of the 81 days from 5-31 to 8-20: 30 + 30 × 59/81 = 51.9.
        assert_eq!(expected_percent(&s, d(7, 29)), 51);
        // A task that started on 7-1 (挂牌 then) counts from there, not from 1 January.
        let late = Schedule {
            start: d(7, 1),
            milestones: &[],
            deadline: d(12, 31),
        };
        assert_eq!(expected_percent(&late, d(7, 1)), 0);
        assert_eq!(expected_percent(&late, d(7, 29)), 15); // 28 of 183 days
    }

    #[test]
    fn red_names_the_fact() {
        let ms = [point(d(5, 31), None, true), point(d(8, 20), None, false)];
        let s = schedule(&ms);
        assert_eq!(
            at(100, &s, d(8, 21)),
            (
                Some(Light::Red),
                Some(LightReason::MilestoneOverdue {
                    number: 2,
                    due: d(8, 20)
                })
            ),
            "节点2(8月20日)逾期未完成, whatever the percent"
        );
        assert_eq!(
            at(100, &s, NaiveDate::from_ymd_opt(2023, 1, 1).expect("d")).1,
            Some(LightReason::Overdue {
                deadline: d(12, 31)
            })
        );
        // Expected 50 on 7-2: 25 behind is red, 24 yellow, 10 green.
        let plain = schedule(&[]);
        assert_eq!(
            at(25, &plain, d(7, 2)),
            (
                Some(Light::Red),
                Some(LightReason::FarBehind { behind: 25 })
            )
        );
        assert_eq!(
            at(26, &plain, d(7, 2)),
            (
                Some(Light::Yellow),
                Some(LightReason::Behind { behind: 24 })
            )
        );
        assert_eq!(at(40, &plain, d(7, 2)).1, Some(LightReason::OnTrack));
        assert_eq!(
            at(39, &plain, d(7, 2)).1,
            Some(LightReason::Behind { behind: 11 })
        );
    }

    #[test]
    fn due_soon_counts_working_days_across_national_day() {
        // On Thursday 9-29 with 5 working days' notice: 9-30, 10-8, 10-9, 10-10, 10-11.
        let ms = [point(d(10, 11), None, false)];
        let s = schedule(&ms);
        assert_eq!(
            at(75, &s, d(9, 29)),
            (
                Some(Light::Yellow),
                Some(LightReason::MilestoneDueSoon {
                    number: 1,
                    due: d(10, 11),
                    working_days: 5
                })
            )
        );
        // Due on 10-12, six working days away: not yet.
        let later = [point(d(10, 12), None, false)];
        assert_eq!(
            at(75, &schedule(&later), d(9, 29)).1,
            Some(LightReason::OnTrack)
        );
        // A reached milestone is not due.
        let reached = [point(d(10, 11), None, true)];
        assert_eq!(
            at(75, &schedule(&reached), d(9, 29)).1,
            Some(LightReason::OnTrack)
        );
        // The deadline: 12-31 is a Saturday; from 12-23 the working days are 26..30.
        assert_eq!(
            at(100, &schedule(&[]), d(12, 23)).1,
            Some(LightReason::DeadlineDueSoon {
                deadline: d(12, 31),
                working_days: 5
            })
        );
        assert_eq!(
            at(100, &schedule(&[]), d(12, 22)).1,
            Some(LightReason::OnTrack)
        );
    }

    #[test]
    fn status_decides_first() {
        let s = schedule(&[]);
        let late = NaiveDate::from_ymd_opt(2023, 2, 1).expect("d");
        let cal = calendar();
        let light = |status, p| assess(status, p, &s, late, &S, &cal).light;
        assert_eq!(light(TaskStatus::Cancelled, 0), None);
        assert_eq!(light(TaskStatus::Accepted, 100), Some(Light::Green));
        assert_eq!(light(TaskStatus::Submitted, 90), Some(Light::Green));
        assert_eq!(light(TaskStatus::Returned, 90), Some(Light::Red));
        // Not held by anyone yet: a waiting state, not a light, however late.
        for waiting in [TaskStatus::Open, TaskStatus::Claimed, TaskStatus::Assigned] {
            assert_eq!(light(waiting, 0), None);
            assert_eq!(assess(waiting, 0, &s, late, &S, &cal).reason, None);
        }
    }

    #[test]
    fn settings_validate() {
        assert_eq!(
            LightSettings::parse(10, 25, 5),
            Ok(LightSettings::default())
        );
        assert!(LightSettings::parse(30, 25, 15).is_err());
        assert!(LightSettings::parse(10, 101, 15).is_err());
        assert!(LightSettings::parse(-1, 25, 15).is_err());
        assert!(LightSettings::parse(10, 25, 400).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn status() -> impl Strategy<Value = TaskStatus> {
            proptest::sample::select(TaskStatus::ALL.to_vec())
        }

        fn settings() -> impl Strategy<Value = LightSettings> {
            (0u8..60, 1u8..=40, 0u16..30).prop_map(|(y, extra, s)| LightSettings {
                yellow_behind: y,
                red_behind: y.saturating_add(extra).min(100),
                due_soon_days: s,
            })
        }

        /// A schedule in 2022 (so the National Day week is often in it): a start, a span, and
        /// milestones within it with non-decreasing targets, some reached.
        fn plan() -> impl Strategy<Value = (NaiveDate, i64, Vec<Checkpoint>)> {
            (0i64..300, 1i64..400).prop_flat_map(|(offset, span)| {
                let start = d(1, 1) + chrono::Duration::days(offset);
                proptest::collection::vec(
                    (0..span, proptest::option::of(0u8..=100), any::<bool>()),
                    0..5,
                )
                .prop_map(move |raw| {
                    let mut raw = raw;
                    raw.sort_by_key(|(at, _, _)| *at);
                    let mut floor = 0;
                    let points = raw
                        .into_iter()
                        .map(|(at, target, reached)| {
                            let target = target.map(|t| {
                                floor = floor.max(t);
                                floor
                            });
                            point(start + chrono::Duration::days(at), target, reached)
                        })
                        .collect();
                    (start, span, points)
                })
            })
        }

        fn day() -> impl Strategy<Value = NaiveDate> {
            (0i64..800).prop_map(|n| d(1, 1) + chrono::Duration::days(n - 100))
        }

        proptest! {
            /// More progress never makes the light worse.
            #[test]
            fn more_progress_never_worse(
                status in status(),
                p1 in 0u8..=100,
                p2 in 0u8..=100,
                (start, span, ms) in plan(),
                today in day(),
                settings in settings(),
            ) {
                let (low, high) = (p1.min(p2), p1.max(p2));
                let s = Schedule { start, milestones: &ms, deadline: start + chrono::Duration::days(span) };
                let cal = calendar();
                let worse = assess(status, low, &s, today, &settings, &cal).light;
                let better = assess(status, high, &s, today, &settings, &cal).light;
                prop_assert!(better <= worse, "{better:?} at {high}% is worse than {worse:?} at {low}%");
            }

            /// With the same progress, a later day never makes the light better.
            #[test]
            fn later_days_never_better(
                status in status(),
                percent in 0u8..=100,
                (start, span, ms) in plan(),
                t1 in day(),
                t2 in day(),
                settings in settings(),
            ) {
                let (early, late) = (t1.min(t2), t1.max(t2));
                let s = Schedule { start, milestones: &ms, deadline: start + chrono::Duration::days(span) };
                let cal = calendar();
                let before = assess(status, percent, &s, early, &settings, &cal).light;
                let after = assess(status, percent, &s, late, &settings, &cal).light;
                prop_assert!(after >= before, "{after:?} on {late} is better than {before:?} on {early}");
            }

            /// A later deadline (an approved 延期) never makes the light worse.
            #[test]
            fn a_later_deadline_never_worse(
                status in status(),
                percent in 0u8..=100,
                (start, span, ms) in plan(),
                more in 0i64..100,
                today in day(),
                settings in settings(),
            ) {
                let cal = calendar();
                let near = Schedule { start, milestones: &ms, deadline: start + chrono::Duration::days(span) };
                let far = Schedule { deadline: near.deadline + chrono::Duration::days(more), ..near.clone() };
                let a = assess(status, percent, &near, today, &settings, &cal).light;
                let b = assess(status, percent, &far, today, &settings, &cal).light;
                prop_assert!(b <= a, "{b:?} with the later deadline is worse than {a:?}");
            }

            /// Expected progress never goes down as time passes, and stays within 0–100.
            #[test]
            fn expected_is_monotone_in_time(
                (start, span, ms) in plan(),
                t1 in day(),
                t2 in day(),
            ) {
                let s = Schedule { start, milestones: &ms, deadline: start + chrono::Duration::days(span) };
                let (early, late) = (t1.min(t2), t1.max(t2));
                prop_assert!(expected_percent(&s, early) <= expected_percent(&s, late));
                prop_assert!(expected_percent(&s, late) <= 100);
            }
        }
    }
}
