//! The task life cycle: roles, named moves and the one table of allowed moves. Who may make
//! a move on which task is decided by [`super::policy`], which reads this table.

use super::error::{Errors, FieldError, ParseError, Problem, for_serde};
use super::fields::{Reason, optional_id, text};
use super::ids::{PersonId, UnitId};
use super::task::TaskStatus;
use serde::{Deserialize, Serialize};

/// Who is acting: checked against the rules and recorded in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Display name, as the audit trail records it.
    pub name: String,
    pub role: Role,
    /// The unit a unit head or liaison acts for.
    pub unit: Option<UnitId>,
}

impl Actor {
    /// The system itself (migrations, the demo loader, scheduled jobs).
    pub fn system() -> Self {
        Self {
            name: "系统".to_owned(),
            role: Role::Admin,
            unit: None,
        }
    }
}

/// What a person does in the system. Unit-scoped roles (unit head, liaison) act for their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Role {
    /// 组织人事局 staff: run the plan, confirm claims, accept tasks.
    Organizer,
    /// 分管领导: oversees, instructs (批示), approves extensions.
    Leader,
    /// 科室/街道负责人: claims tasks for the unit, fixes 定人定岗定责.
    UnitHead,
    /// 联络员: files progress reports for the unit.
    Liaison,
    /// Read-only.
    Viewer,
    /// Accounts and system settings.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Organizer,
        Role::Leader,
        Role::UnitHead,
        Role::Liaison,
        Role::Viewer,
        Role::Admin,
    ];

    /// Code name.
    pub fn code(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::Leader => "leader",
            Role::UnitHead => "unit_head",
            Role::Liaison => "liaison",
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    /// Parses a code name.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Unit heads and liaisons act for a unit and need one.
    pub fn acts_for_unit(self) -> bool {
        matches!(self, Role::UnitHead | Role::Liaison)
    }
}

impl TryFrom<String> for Role {
    type Error = ParseError;
    fn try_from(code: String) -> Result<Self, ParseError> {
        for_serde("role", Self::parse(&code).ok_or(Problem::UnknownValue))
    }
}

/// A named move in the task life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// 揭榜认领: a unit claims an open task.
    Claim,
    /// 撤回认领 / 不予挂牌: back to the list, with no unit.
    Release,
    /// 确认挂牌: the office confirms a claim; work starts.
    Confirm,
    /// 交办: the office assigns an open task directly to a named unit.
    Assign,
    /// 签收: the unit acknowledges an assigned task; work starts.
    Acknowledge,
    /// 退回交办 (the unit) / 撤回交办 (the office): an assigned task goes back up for 揭榜.
    Decline,
    /// 提请验收: the owner says the task is done.
    Submit,
    /// 验收销号: accepted and closed.
    Accept,
    /// 退回整改: acceptance refused.
    Return,
    /// 撤销销号: an accepted task turns out not to be done.
    Reopen,
    /// 撤项: withdrawn from the plan.
    Cancel,
}

impl Transition {
    /// Every named move.
    pub const ALL: [Transition; 11] = [
        Transition::Claim,
        Transition::Release,
        Transition::Confirm,
        Transition::Assign,
        Transition::Acknowledge,
        Transition::Decline,
        Transition::Submit,
        Transition::Accept,
        Transition::Return,
        Transition::Reopen,
        Transition::Cancel,
    ];

    /// Code name (audit trail, test ids).
    pub fn code(self) -> &'static str {
        match self {
            Transition::Claim => "claim",
            Transition::Release => "release",
            Transition::Confirm => "confirm",
            Transition::Assign => "assign",
            Transition::Acknowledge => "acknowledge",
            Transition::Decline => "decline",
            Transition::Submit => "submit",
            Transition::Accept => "accept",
            Transition::Return => "return",
            Transition::Reopen => "reopen",
            Transition::Cancel => "cancel",
        }
    }
}

use Role::{Liaison, Organizer, UnitHead};
use TaskStatus::{Accepted, Assigned, Cancelled, Claimed, InProgress, Open, Returned, Submitted};

/// The allowed moves: (from, to, transition, roles that may make it).
/// 揭榜认领 (→ 待挂牌), 撤回认领 / 不予挂牌 (→ 待揭榜 when no claim is left) and 确认挂牌
/// (→ 推进中) are decided on claims, several of which a task may have at once (竞榜): see
/// [`super::policy::check_claim`] and [`super::claim`], not this table.
pub const TRANSITIONS: &[(TaskStatus, TaskStatus, Transition, &[Role])] = &[
    (Open, Assigned, Transition::Assign, &[Organizer]),
    (Assigned, InProgress, Transition::Acknowledge, &[UnitHead]),
    (Assigned, Open, Transition::Decline, &[UnitHead, Organizer]),
    (
        InProgress,
        Submitted,
        Transition::Submit,
        &[UnitHead, Liaison],
    ),
    (
        Returned,
        Submitted,
        Transition::Submit,
        &[UnitHead, Liaison],
    ),
    (Submitted, Accepted, Transition::Accept, &[Organizer]),
    (Submitted, Returned, Transition::Return, &[Organizer]),
    (Accepted, InProgress, Transition::Reopen, &[Organizer]),
    (Open, Cancelled, Transition::Cancel, &[Organizer]),
    (Claimed, Cancelled, Transition::Cancel, &[Organizer]),
    (Assigned, Cancelled, Transition::Cancel, &[Organizer]),
    (InProgress, Cancelled, Transition::Cancel, &[Organizer]),
    (Submitted, Cancelled, Transition::Cancel, &[Organizer]),
    (Returned, Cancelled, Transition::Cancel, &[Organizer]),
];

/// What a move may carry beyond its target: 交办 names the 责任人, 岗位 and 分管领导
/// (定人定岗定责, with the unit); 退回交办 / 撤回交办 say why ([`needs_reason`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveDetails {
    pub owner: Option<PersonId>,
    pub post: String,
    /// `None` keeps the task's 分管领导.
    #[serde(default)]
    pub supervisor: Option<PersonId>,
    pub reason: Option<Reason>,
}

/// Longest 岗位, in characters.
pub const POST_MAX: u32 = 60;

impl MoveDetails {
    /// Checks what the form sent (each part may be empty). Every problem is reported.
    pub fn parse(
        owner: &str,
        post: &str,
        supervisor: &str,
        reason: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let owner = errors.take(optional_id("owner", owner, PersonId::parse));
        let post = errors.take(text(post, 0, POST_MAX).map_err(|p| FieldError::new("post", p)));
        let supervisor = errors.take(optional_id("supervisor", supervisor, PersonId::parse));
        let reason = match reason.trim() {
            "" => Some(None),
            raw => errors.take(Reason::parse(raw)).map(Some),
        };
        errors.finish(|| {
            Some(Self {
                owner: owner?,
                post: post?,
                supervisor: supervisor?,
                reason: reason?,
            })
        })
    }
}

/// Whether a move must say why: sending an assigned task back (退回交办) or taking it back
/// (撤回交办) leaves the other side a reason to read.
pub fn needs_reason(transition: Transition) -> bool {
    transition == Transition::Decline
}

/// How many days an assigned task has waited for its unit's 签收 (`None` unless it waits and
/// the day it was assigned is known).
pub fn days_waiting(
    status: TaskStatus,
    assigned_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Option<i64> {
    (status == TaskStatus::Assigned)
        .then_some(assigned_on?)
        .map(|on| (today - on).num_days().max(0))
}

/// The row of the table for a move from `from` to `to`, if such a move exists.
pub fn find(from: TaskStatus, to: TaskStatus) -> Option<(Transition, &'static [Role])> {
    TRANSITIONS
        .iter()
        .find(|(f, t, _, _)| *f == from && *t == to)
        .map(|(_, _, transition, roles)| (*transition, *roles))
}

/// What dropping a 看板 card from one status column onto another means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drop {
    /// A move the drop makes at once (the server still checks who may make it).
    Move(Transition),
    /// A move that needs its form on the task page: a pledge, a claim to confirm, a unit to
    /// assign, a reason, the 自查 or the criterion-by-criterion review — or, for 撤项, a second
    /// thought a drag does not give.
    NeedsForm(Transition),
    /// No move leads from the one status to the other.
    NoMove,
}

/// The meaning of a drop from `from` onto `to`.
pub fn drop_on(from: TaskStatus, to: TaskStatus) -> Drop {
    match find(from, to) {
        None => Drop::NoMove,
        Some((t @ (Transition::Acknowledge | Transition::Reopen), _)) => Drop::Move(t),
        Some((t, _)) => Drop::NeedsForm(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moves_without_a_form_are_made_by_a_drop() {
        use TaskStatus::*;
        assert_eq!(
            drop_on(Assigned, InProgress),
            Drop::Move(Transition::Acknowledge)
        );
        assert_eq!(
            drop_on(Accepted, InProgress),
            Drop::Move(Transition::Reopen)
        );
        assert_eq!(
            drop_on(InProgress, Submitted),
            Drop::NeedsForm(Transition::Submit)
        );
        assert_eq!(
            drop_on(Submitted, Accepted),
            Drop::NeedsForm(Transition::Accept)
        );
        assert_eq!(
            drop_on(InProgress, Cancelled),
            Drop::NeedsForm(Transition::Cancel)
        );
        assert_eq!(drop_on(InProgress, Accepted), Drop::NoMove);
        assert_eq!(drop_on(Open, Open), Drop::NoMove);
    }

    #[test]
    fn each_pair_of_statuses_has_at_most_one_move() {
        for (i, (f, t, _, _)) in TRANSITIONS.iter().enumerate() {
            assert!(
                TRANSITIONS[i + 1..]
                    .iter()
                    .all(|(f2, t2, _, _)| (f2, t2) != (f, t)),
                "{f:?} -> {t:?} listed twice"
            );
            assert_ne!(f, t);
        }
    }

    #[test]
    fn move_details_are_optional_but_checked() {
        assert_eq!(
            MoveDetails::parse("", "", "", ""),
            Ok(MoveDetails::default())
        );
        let d = MoveDetails::parse("p-liuq", " 组织委员 ", "p-lin", "人手不足,请改派").expect("ok");
        assert_eq!(d.post, "组织委员");
        assert_eq!(
            d.supervisor.map(|p| p.to_string()),
            Some("p-lin".to_owned())
        );
        assert_eq!(
            d.reason.as_ref().map(Reason::as_str),
            Some("人手不足,请改派")
        );
        assert_eq!(
            MoveDetails::parse("bad id!", &"岗".repeat(61), "也 不对", "短"),
            Err(vec![
                FieldError::new("owner", Problem::BadFormat),
                FieldError::new("post", Problem::TooLong { max: 60 }),
                FieldError::new("supervisor", Problem::BadFormat),
                FieldError::new("reason", Problem::TooShort { min: 2 }),
            ])
        );
        assert!(needs_reason(Transition::Decline));
        assert!(!needs_reason(Transition::Assign));
    }

    #[test]
    fn an_assigned_task_counts_its_days_waiting() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2022, 7, d).expect("date");
        assert_eq!(
            days_waiting(TaskStatus::Assigned, Some(day(28)), day(29)),
            Some(1)
        );
        assert_eq!(
            days_waiting(TaskStatus::Assigned, Some(day(29)), day(29)),
            Some(0)
        );
        assert_eq!(days_waiting(TaskStatus::Assigned, None, day(29)), None);
        assert_eq!(
            days_waiting(TaskStatus::InProgress, Some(day(1)), day(29)),
            None
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert!(serde_json::from_str::<Role>("\"boss\"").is_err());
    }
}
