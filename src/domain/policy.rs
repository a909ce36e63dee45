//! The one policy: may this actor do this, on this task, now? The server's endpoint gate, the
//! write paths and the UI's buttons all ask here; nothing else decides.

use super::error::Refusal;
use super::ids::UnitId;
use super::plan::PlanStatus;
use super::task::TaskStatus;
use super::workflow::{self, Actor, Role, Transition};
use serde::{Deserialize, Serialize};

/// What a server function needs the caller to be allowed, before it looks at any record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// Sign in, or ask who is signed in: the only things allowed without a session.
    Public,
    /// Sign out, see oneself.
    UseSession,
    /// Read plans, boards, tasks, reports, units and people.
    Read,
    /// Manage units and people.
    ManageOrganization,
    /// Write plans and their tasks (发榜).
    ManagePlans,
    /// Manage accounts.
    ManageAccounts,
    /// Act on tasks: move them, report progress (which task and move is checked per task).
    WorkOnTasks,
}

/// Why the gate refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No session.
    NotSignedIn,
    /// Signed in, but the role may not.
    Forbidden,
}

/// The gate: may someone with `role` (`None`: not signed in) use `capability`?
pub fn authorize(role: Option<Role>, capability: Capability) -> Result<(), Denied> {
    if capability == Capability::Public {
        return Ok(());
    }
    let role = role.ok_or(Denied::NotSignedIn)?;
    let allowed = match capability {
        Capability::Public | Capability::UseSession | Capability::Read => true,
        Capability::ManageOrganization | Capability::ManagePlans => role == Role::Organizer,
        Capability::ManageAccounts => role == Role::Admin,
        Capability::WorkOnTasks => {
            matches!(role, Role::Organizer | Role::UnitHead | Role::Liaison)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// What the policy needs to know about a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskFacts<'a> {
    pub status: TaskStatus,
    /// 牵头单位; `None` while nobody holds the task.
    pub lead_unit: Option<&'a UnitId>,
}

/// What happens to the lead unit when a move is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadChange {
    Keep,
    /// 揭榜认领 (the claiming unit) and 交办 (the named unit).
    Set(UnitId),
    /// 撤回认领 / 不予挂牌: the task goes back up for 揭榜 with nobody holding it.
    Clear,
}

/// An allowed move and its effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub transition: Transition,
    pub to: TaskStatus,
    pub lead: LeadChange,
}

/// Unit roles act only for their own unit.
fn own_unit<'a>(actor: &'a Actor, task: &TaskFacts<'_>) -> Result<Option<&'a UnitId>, Refusal> {
    if !actor.role.acts_for_unit() {
        return Ok(None);
    }
    let unit = actor.unit.as_ref().ok_or(Refusal::NoUnit)?;
    if task.lead_unit.is_some_and(|lead| lead != unit) {
        return Err(Refusal::NotOwnUnit);
    }
    Ok(Some(unit))
}

/// May `actor` move `task` to `to`? `assignee` is the unit named for 交办.
pub fn check_move(
    actor: &Actor,
    task: TaskFacts<'_>,
    to: TaskStatus,
    assignee: Option<&UnitId>,
) -> Result<Move, Refusal> {
    let from = task.status;
    let (transition, roles) = workflow::find(from, to).ok_or(Refusal::NoSuchMove { from, to })?;
    if !roles.contains(&actor.role) {
        return Err(Refusal::RoleMayNotMove {
            role: actor.role,
            transition,
        });
    }
    let unit = own_unit(actor, &task)?;
    // Unit roles act on tasks their unit holds; only 揭榜认领 is open to a task nobody holds.
    if unit.is_some() && task.lead_unit.is_none() && transition != Transition::Claim {
        return Err(Refusal::NotOwnUnit);
    }
    let lead = match transition {
        Transition::Claim => LeadChange::Set(unit.cloned().ok_or(Refusal::NoUnit)?),
        Transition::Release | Transition::Decline => LeadChange::Clear,
        Transition::Assign => LeadChange::Set(assignee.cloned().ok_or(Refusal::AssigneeRequired)?),
        _ => LeadChange::Keep,
    };
    Ok(Move {
        transition,
        to,
        lead,
    })
}

/// The moves `actor` may make on `task`, in table order: the buttons a page offers. 交办 is
/// offered when allowed for some unit (the form asks which).
pub fn moves(actor: &Actor, task: TaskFacts<'_>) -> Vec<Move> {
    let any_unit = UnitId::parse("any");
    TaskStatus::ALL
        .into_iter()
        .filter_map(|to| check_move(actor, task, to, any_unit.as_ref()).ok())
        .collect()
}

/// Tasks move and take reports only while their plan is up (揭榜中, 推进中): not in a draft
/// nobody has seen, nor in an archived year.
pub fn check_plan_open(plan: PlanStatus) -> Result<(), Refusal> {
    if matches!(plan, PlanStatus::Published | PlanStatus::Running) {
        Ok(())
    } else {
        Err(Refusal::PlanNotOpen { status: plan })
    }
}

/// May `actor` file a progress report on `task`?
pub fn check_report(actor: &Actor, task: TaskFacts<'_>) -> Result<(), Refusal> {
    if !matches!(actor.role, Role::Organizer | Role::UnitHead | Role::Liaison) {
        return Err(Refusal::RoleMayNotReport { role: actor.role });
    }
    if own_unit(actor, &task)?.is_some() && task.lead_unit.is_none() {
        return Err(Refusal::NotOwnUnit);
    }
    if !task.status.accepts_reports() {
        return Err(Refusal::NotReportable {
            status: task.status,
        });
    }
    Ok(())
}

/// Whether a refusal is about who is asking (403) rather than the state of the record.
pub fn is_denial(refusal: &Refusal) -> bool {
    matches!(
        refusal,
        Refusal::RoleMayNotMove { .. }
            | Refusal::RoleMayNotReport { .. }
            | Refusal::NotOwnUnit
            | Refusal::NoUnit
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            name: "t".into(),
            role,
            unit: unit.and_then(UnitId::parse),
        }
    }

    fn kysd() -> UnitId {
        UnitId::parse("kysd").expect("id")
    }

    fn facts(status: TaskStatus, lead: Option<&UnitId>) -> TaskFacts<'_> {
        TaskFacts {
            status,
            lead_unit: lead,
        }
    }

    /// The gate, as a table written out by hand (not computed from `authorize`).
    #[test]
    fn gate_table() {
        use Capability::*;
        // Rows: capability; columns: Organizer, Leader, UnitHead, Liaison, Viewer, Admin.
        let table: [(Capability, [bool; 6]); 7] = [
            (Public, [true, true, true, true, true, true]),
            (UseSession, [true, true, true, true, true, true]),
            (Read, [true, true, true, true, true, true]),
            (
                ManageOrganization,
                [true, false, false, false, false, false],
            ),
            (ManagePlans, [true, false, false, false, false, false]),
            (ManageAccounts, [false, false, false, false, false, true]),
            (WorkOnTasks, [true, false, true, true, false, false]),
        ];
        for (cap, row) in table {
            for (role, allowed) in Role::ALL.into_iter().zip(row) {
                let expected = if allowed {
                    Ok(())
                } else {
                    Err(Denied::Forbidden)
                };
                assert_eq!(authorize(Some(role), cap), expected, "{cap:?} {role:?}");
            }
            let anonymous = if cap == Public {
                Ok(())
            } else {
                Err(Denied::NotSignedIn)
            };
            assert_eq!(authorize(None, cap), anonymous, "{cap:?} anonymous");
        }
    }

    #[test]
    fn claim_sets_the_lead_and_release_clears_it() {
        let head = actor(Role::UnitHead, Some("kysd"));
        let m = check_move(&head, facts(Open, None), Claimed, None).expect("claim");
        assert_eq!(m.transition, Transition::Claim);
        assert_eq!(m.lead, LeadChange::Set(kysd()));
        let k = kysd();
        let m = check_move(&head, facts(Claimed, Some(&k)), Open, None).expect("release");
        assert_eq!(m.lead, LeadChange::Clear);
        // Another unit's claim is not theirs to withdraw.
        let other = actor(Role::UnitHead, Some("nasd"));
        assert_eq!(
            check_move(&other, facts(Claimed, Some(&k)), Open, None),
            Err(Refusal::NotOwnUnit)
        );
    }

    #[test]
    fn assign_names_a_unit() {
        let org = actor(Role::Organizer, None);
        assert_eq!(
            check_move(&org, facts(Open, None), Assigned, None),
            Err(Refusal::AssigneeRequired)
        );
        let k = kysd();
        let m = check_move(&org, facts(Open, None), Assigned, Some(&k)).expect("assign");
        assert_eq!(m.lead, LeadChange::Set(kysd()));
    }

    #[test]
    fn the_assigned_unit_signs_for_its_task_or_sends_it_back() {
        let k = kysd();
        let head = actor(Role::UnitHead, Some("kysd"));
        let m = check_move(&head, facts(Assigned, Some(&k)), InProgress, None).expect("签收");
        assert_eq!(
            (m.transition, m.lead),
            (Transition::Acknowledge, LeadChange::Keep)
        );
        let m = check_move(&head, facts(Assigned, Some(&k)), Open, None).expect("退回");
        assert_eq!(
            (m.transition, m.lead),
            (Transition::Decline, LeadChange::Clear)
        );
        let other = actor(Role::UnitHead, Some("nasd"));
        assert_eq!(
            check_move(&other, facts(Assigned, Some(&k)), InProgress, None),
            Err(Refusal::NotOwnUnit)
        );
        let liaison = actor(Role::Liaison, Some("kysd"));
        assert_eq!(
            check_move(&liaison, facts(Assigned, Some(&k)), InProgress, None),
            Err(Refusal::RoleMayNotMove {
                role: Role::Liaison,
                transition: Transition::Acknowledge
            })
        );
    }

    #[test]
    fn refusals_in_order_of_importance() {
        let k = kysd();
        let org = actor(Role::Organizer, None);
        assert_eq!(
            check_move(&org, facts(InProgress, Some(&k)), Accepted, None),
            Err(Refusal::NoSuchMove {
                from: InProgress,
                to: Accepted
            })
        );
        let liaison = actor(Role::Liaison, Some("kysd"));
        assert_eq!(
            check_move(&liaison, facts(Submitted, Some(&k)), Accepted, None),
            Err(Refusal::RoleMayNotMove {
                role: Role::Liaison,
                transition: Transition::Accept
            })
        );
        let unitless = actor(Role::UnitHead, None);
        assert_eq!(
            check_move(&unitless, facts(Open, None), Claimed, None),
            Err(Refusal::NoUnit)
        );
        // A unit role cannot act on a task nobody holds, except to claim it.
        assert_eq!(
            check_move(&liaison, facts(InProgress, None), Submitted, None),
            Err(Refusal::NotOwnUnit)
        );
    }

    #[test]
    fn only_plans_that_are_up_take_moves_and_reports() {
        assert!(check_plan_open(PlanStatus::Published).is_ok());
        assert!(check_plan_open(PlanStatus::Running).is_ok());
        for status in [PlanStatus::Draft, PlanStatus::Closed] {
            assert_eq!(
                check_plan_open(status),
                Err(Refusal::PlanNotOpen { status })
            );
        }
    }

    #[test]
    fn reports() {
        let k = kysd();
        let liaison = actor(Role::Liaison, Some("kysd"));
        assert_eq!(check_report(&liaison, facts(InProgress, Some(&k))), Ok(()));
        assert_eq!(check_report(&liaison, facts(Returned, Some(&k))), Ok(()));
        assert_eq!(
            check_report(&liaison, facts(Claimed, Some(&k))),
            Err(Refusal::NotReportable { status: Claimed })
        );
        let other = actor(Role::Liaison, Some("nasd"));
        assert_eq!(
            check_report(&other, facts(InProgress, Some(&k))),
            Err(Refusal::NotOwnUnit)
        );
        let viewer = actor(Role::Viewer, None);
        assert_eq!(
            check_report(&viewer, facts(InProgress, Some(&k))),
            Err(Refusal::RoleMayNotReport { role: Role::Viewer })
        );
        let org = actor(Role::Organizer, None);
        assert_eq!(check_report(&org, facts(InProgress, Some(&k))), Ok(()));
    }

    /// The buttons per role and status, written out by hand for an own-unit task (a claimed or
    /// later task held by 葵涌; an open task held by nobody).
    #[test]
    fn moves_per_role_and_status() {
        use Transition::*;
        let k = kysd();
        let expected: [(Role, TaskStatus, &[Transition]); 15] = [
            (Role::UnitHead, Open, &[Claim]),
            (Role::UnitHead, Claimed, &[Release]),
            (Role::UnitHead, Assigned, &[Decline, Acknowledge]),
            (Role::Liaison, Assigned, &[]),
            (Role::Organizer, Assigned, &[Decline, Cancel]),
            (Role::UnitHead, InProgress, &[Submit]),
            (Role::UnitHead, Returned, &[Submit]),
            (Role::Liaison, Open, &[]),
            (Role::Liaison, InProgress, &[Submit]),
            (Role::Organizer, Open, &[Assign, Cancel]),
            (Role::Organizer, Claimed, &[Release, Confirm, Cancel]),
            (Role::Organizer, Submitted, &[Accept, Return, Cancel]),
            (Role::Organizer, Accepted, &[Reopen]),
            (Role::Organizer, Cancelled, &[]),
            (Role::Leader, InProgress, &[]),
        ];
        for (role, status, transitions) in expected {
            let who = actor(role, role.acts_for_unit().then_some("kysd"));
            let lead = (status != Open).then_some(&k);
            let got: Vec<Transition> = moves(&who, facts(status, lead))
                .into_iter()
                .map(|m| m.transition)
                .collect();
            assert_eq!(got, transitions, "{role:?} {status:?}");
        }
        // Another unit's task offers a unit role nothing.
        let other = actor(Role::UnitHead, Some("nasd"));
        assert!(moves(&other, facts(InProgress, Some(&k))).is_empty());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn role() -> impl Strategy<Value = Role> {
            proptest::sample::select(Role::ALL.to_vec())
        }

        fn status() -> impl Strategy<Value = TaskStatus> {
            proptest::sample::select(TaskStatus::ALL.to_vec())
        }

        fn unit() -> impl Strategy<Value = Option<UnitId>> {
            proptest::option::of(proptest::sample::select(vec!["kysd", "nasd", "zzk"]))
                .prop_map(|u| u.and_then(UnitId::parse))
        }

        proptest! {
            /// Whatever the actor and task, an allowed move is a row of the table that lists
            /// the actor's role, and a unit role only ever moves a task its unit holds (or
            /// claims one nobody holds, for itself).
            #[test]
            fn allowed_moves_respect_table_and_units(
                role in role(),
                own in unit(),
                from in status(),
                to in status(),
                lead in unit(),
                assignee in unit(),
            ) {
                let who = Actor { name: "t".into(), role, unit: own.clone() };
                let facts = TaskFacts { status: from, lead_unit: lead.as_ref() };
                if let Ok(m) = check_move(&who, facts, to, assignee.as_ref()) {
                    let (transition, roles) = workflow::find(from, to).expect("a table row");
                    prop_assert_eq!(m.transition, transition);
                    prop_assert!(roles.contains(&role));
                    if role.acts_for_unit() {
                        let own = own.expect("a unit role acting has a unit");
                        match &lead {
                            Some(lead) => prop_assert_eq!(lead, &own),
                            None => {
                                prop_assert_eq!(m.transition, Transition::Claim);
                                prop_assert_eq!(&m.lead, &LeadChange::Set(own));
                            }
                        }
                    }
                    if m.transition == Transition::Assign {
                        prop_assert_eq!(&m.lead, &LeadChange::Set(assignee.expect("named")));
                    }
                }
            }

            /// The buttons are exactly the moves `check_move` allows.
            #[test]
            fn moves_are_what_check_move_allows(
                role in role(),
                own in unit(),
                from in status(),
                lead in unit(),
            ) {
                let who = Actor { name: "t".into(), role, unit: own };
                let facts = TaskFacts { status: from, lead_unit: lead.as_ref() };
                let offered: Vec<TaskStatus> = moves(&who, facts).into_iter().map(|m| m.to).collect();
                let any = UnitId::parse("any");
                let allowed: Vec<TaskStatus> = TaskStatus::ALL
                    .into_iter()
                    .filter(|to| check_move(&who, facts, *to, any.as_ref()).is_ok())
                    .collect();
                prop_assert_eq!(offered, allowed);
            }

            /// Only tasks under way take reports, and a unit role only on its own unit's.
            #[test]
            fn reports_need_a_task_under_way_of_ones_own(
                role in role(),
                own in unit(),
                from in status(),
                lead in unit(),
            ) {
                let who = Actor { name: "t".into(), role, unit: own.clone() };
                let facts = TaskFacts { status: from, lead_unit: lead.as_ref() };
                if check_report(&who, facts).is_ok() {
                    prop_assert!(from.accepts_reports());
                    prop_assert!(!matches!(role, Role::Leader | Role::Viewer | Role::Admin));
                    if role.acts_for_unit() {
                        prop_assert!(own.is_some() && lead == own);
                    }
                }
            }
        }
    }
}
