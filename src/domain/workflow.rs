//! Who may move a task from one status to another: the one table of allowed moves.

use super::ids::UnitId;
use super::task::TaskStatus;
use serde::{Deserialize, Serialize};
use std::fmt;

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
#[serde(rename_all = "snake_case")]
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

    /// The label users read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Organizer => "组织人事局",
            Role::Leader => "分管领导",
            Role::UnitHead => "单位负责人",
            Role::Liaison => "联络员",
            Role::Viewer => "只读用户",
            Role::Admin => "系统管理员",
        }
    }
}

/// A named move in the task life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// 揭榜认领: a unit claims an open task.
    Claim,
    /// 撤回认领 / 不予挂牌: back to the list.
    Release,
    /// 挂牌攻坚: the office confirms a claim; work starts.
    Confirm,
    /// 交办: the office assigns an open task directly.
    Assign,
    /// 提请验收: the owner says the task is done.
    Submit,
    /// 验收销号: accepted and closed.
    Accept,
    /// 退回整改: acceptance refused.
    Return,
    /// 重新打开: an accepted task turns out not to be done.
    Reopen,
    /// 撤销: withdrawn from the plan.
    Cancel,
}

impl Transition {
    /// The label users read.
    pub fn label(self) -> &'static str {
        match self {
            Transition::Claim => "揭榜认领",
            Transition::Release => "撤回认领",
            Transition::Confirm => "挂牌攻坚",
            Transition::Assign => "交办",
            Transition::Submit => "提请验收",
            Transition::Accept => "验收销号",
            Transition::Return => "退回整改",
            Transition::Reopen => "重新打开",
            Transition::Cancel => "撤销任务",
        }
    }
}

use Role::{Liaison, Organizer, UnitHead};
use TaskStatus::{Accepted, Cancelled, Claimed, InProgress, Open, Returned, Submitted};

/// The allowed moves: (from, to, transition, roles that may make it).
pub const TRANSITIONS: &[(TaskStatus, TaskStatus, Transition, &[Role])] = &[
    (Open, Claimed, Transition::Claim, &[UnitHead]),
    (Claimed, Open, Transition::Release, &[UnitHead, Organizer]),
    (Claimed, InProgress, Transition::Confirm, &[Organizer]),
    (Open, InProgress, Transition::Assign, &[Organizer]),
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
    (InProgress, Cancelled, Transition::Cancel, &[Organizer]),
    (Submitted, Cancelled, Transition::Cancel, &[Organizer]),
    (Returned, Cancelled, Transition::Cancel, &[Organizer]),
];

/// Why a move was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransitionError {
    /// No such move exists from this status.
    NotAllowed { from: TaskStatus, to: TaskStatus },
    /// The move exists, but this role may not make it.
    Forbidden { role: Role, transition: Transition },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::NotAllowed { from, to } => {
                write!(f, "任务不能从“{}”变为“{}”", from.label(), to.label())
            }
            TransitionError::Forbidden { role, transition } => {
                write!(f, "{}无权执行“{}”", role.label(), transition.label())
            }
        }
    }
}

/// Checks a move; returns which transition it is.
pub fn check_transition(
    from: TaskStatus,
    to: TaskStatus,
    role: Role,
) -> Result<Transition, TransitionError> {
    let (_, _, transition, roles) = TRANSITIONS
        .iter()
        .find(|(f, t, _, _)| *f == from && *t == to)
        .ok_or(TransitionError::NotAllowed { from, to })?;
    if roles.contains(&role) {
        Ok(*transition)
    } else {
        Err(TransitionError::Forbidden {
            role,
            transition: *transition,
        })
    }
}

/// The moves a role may make from a status, for offering buttons.
pub fn available_transitions(from: TaskStatus, role: Role) -> Vec<(Transition, TaskStatus)> {
    TRANSITIONS
        .iter()
        .filter(|(f, _, _, roles)| *f == from && roles.contains(&role))
        .map(|(_, to, transition, _)| (*transition, *to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (from, to, role) triple: allowed exactly when the table lists it.
    #[test]
    fn every_transition_allowed_or_refused_per_table() {
        let mut allowed = 0;
        for from in TaskStatus::ALL {
            for to in TaskStatus::ALL {
                for role in Role::ALL {
                    let listed = TRANSITIONS
                        .iter()
                        .find(|(f, t, _, _)| *f == from && *t == to);
                    let result = check_transition(from, to, role);
                    match listed {
                        None => assert_eq!(
                            result,
                            Err(TransitionError::NotAllowed { from, to }),
                            "{from:?}->{to:?} must not exist"
                        ),
                        Some((_, _, tr, roles)) if roles.contains(&role) => {
                            assert_eq!(result, Ok(*tr));
                            allowed += 1;
                        }
                        Some((_, _, tr, _)) => assert_eq!(
                            result,
                            Err(TransitionError::Forbidden {
                                role,
                                transition: *tr
                            })
                        ),
                    }
                }
            }
        }
        let expected: usize = TRANSITIONS.iter().map(|(_, _, _, r)| r.len()).sum();
        assert_eq!(allowed, expected);
    }

    #[test]
    fn the_main_path_claim_confirm_submit_accept() {
        assert_eq!(
            check_transition(Open, Claimed, UnitHead),
            Ok(Transition::Claim)
        );
        assert_eq!(
            check_transition(Claimed, InProgress, Organizer),
            Ok(Transition::Confirm)
        );
        assert_eq!(
            check_transition(InProgress, Submitted, Liaison),
            Ok(Transition::Submit)
        );
        assert_eq!(
            check_transition(Submitted, Accepted, Organizer),
            Ok(Transition::Accept)
        );
    }

    #[test]
    fn refusals() {
        // A unit cannot accept its own task, confirm its own claim or skip acceptance.
        assert!(matches!(
            check_transition(Submitted, Accepted, UnitHead),
            Err(TransitionError::Forbidden { .. })
        ));
        assert!(matches!(
            check_transition(Claimed, InProgress, UnitHead),
            Err(TransitionError::Forbidden { .. })
        ));
        assert!(matches!(
            check_transition(InProgress, Accepted, Organizer),
            Err(TransitionError::NotAllowed { .. })
        ));
        // Terminal states stay terminal, except reopening an accepted task.
        for to in TaskStatus::ALL {
            assert!(check_transition(Cancelled, to, Organizer).is_err());
        }
        // Viewers, leaders and admins move nothing.
        for (from, to, _, _) in TRANSITIONS {
            for role in [Role::Viewer, Role::Leader, Role::Admin] {
                assert!(check_transition(*from, *to, role).is_err());
            }
        }
    }

    #[test]
    fn available_moves_for_buttons() {
        assert_eq!(
            available_transitions(Submitted, Organizer),
            vec![
                (Transition::Accept, Accepted),
                (Transition::Return, Returned),
                (Transition::Cancel, Cancelled)
            ]
        );
        assert_eq!(available_transitions(Open, Liaison), vec![]);
        assert_eq!(
            available_transitions(Open, UnitHead),
            vec![(Transition::Claim, Claimed)]
        );
    }

    #[test]
    fn messages_are_chinese() {
        let e = check_transition(InProgress, Accepted, Organizer).expect_err("refused");
        assert_eq!(e.to_string(), "任务不能从“推进中”变为“已销号”");
        let e = check_transition(Submitted, Accepted, Liaison).expect_err("refused");
        assert_eq!(e.to_string(), "联络员无权执行“验收销号”");
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
    }
}
