//! The one policy: may this actor do this, on this task, now? The server's endpoint gate, the
//! write paths and the UI's buttons all ask here; nothing else decides.

use super::claim::ClaimStatus;
use super::comment::CommentKind;
use super::error::Refusal;
use super::extension::RequestStatus;
use super::ids::UnitId;
use super::plan::{ClaimWindow, PlanStatus};
use super::report::ReportStatus;
use super::task::TaskStatus;
use super::workflow::{self, Actor, Role, Transition};
use chrono::NaiveDate;
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
    /// Set up the system: the 消息通道 (robots, the mail server, the delivery log) and the
    /// working-day calendar.
    ManageSystem,
    /// Act on tasks: move them, report progress (which task and move is checked per task).
    WorkOnTasks,
    /// Decide on requests about tasks (延期申请: the office's 初审, the leader's 审定).
    DecideRequests,
    /// Write under a task: 批示, replies, comments (which kind by whom is checked per task).
    Discuss,
    /// Keep the 整改清单: enter and import findings, 销号 or send back their rectification.
    ManageFindings,
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
        Capability::ManageOrganization | Capability::ManagePlans | Capability::ManageFindings => {
            role == Role::Organizer
        }
        Capability::ManageAccounts | Capability::ManageSystem => role == Role::Admin,
        Capability::WorkOnTasks => {
            matches!(role, Role::Organizer | Role::UnitHead | Role::Liaison)
        }
        Capability::DecideRequests => matches!(role, Role::Organizer | Role::Leader),
        Capability::Discuss => matches!(
            role,
            Role::Organizer | Role::Leader | Role::UnitHead | Role::Liaison
        ),
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
    // Unit roles act on tasks their unit holds (揭榜认领 of an unheld task is a claim).
    if unit.is_some() && task.lead_unit.is_none() {
        return Err(Refusal::NotOwnUnit);
    }
    let lead = match transition {
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

/// May `actor` claim `task` for their unit (揭榜认领)? A task nobody holds, 待揭榜 or already
/// claimed by others (竞榜), within the plan's 揭榜 window if it has one; one waiting claim per
/// unit. `pending` are the units whose claims wait. Returns the claiming unit.
pub fn check_claim<'a>(
    actor: &'a Actor,
    task: TaskFacts<'_>,
    window: Option<ClaimWindow>,
    today: NaiveDate,
    pending: &[UnitId],
) -> Result<&'a UnitId, Refusal> {
    if actor.role != Role::UnitHead {
        return Err(Refusal::RoleMayNotMove {
            role: actor.role,
            transition: Transition::Claim,
        });
    }
    let unit = actor.unit.as_ref().ok_or(Refusal::NoUnit)?;
    if task.lead_unit.is_some() || !matches!(task.status, TaskStatus::Open | TaskStatus::Claimed) {
        return Err(Refusal::NotClaimable {
            status: task.status,
        });
    }
    if let Some(w) = window
        && (today < w.from || today > w.to)
    {
        return Err(Refusal::OutsideClaimWindow { window: w });
    }
    if pending.contains(unit) {
        return Err(Refusal::AlreadyClaimed);
    }
    Ok(unit)
}

/// May `actor` withdraw (撤回认领) a claim of `claim_unit`? Only its unit's head, only while
/// the office has not decided.
pub fn check_withdraw(
    actor: &Actor,
    claim_unit: &UnitId,
    status: ClaimStatus,
) -> Result<(), Refusal> {
    if actor.role != Role::UnitHead {
        return Err(Refusal::RoleMayNotMove {
            role: actor.role,
            transition: Transition::Release,
        });
    }
    if actor.unit.as_ref() != Some(claim_unit) {
        return Err(Refusal::NotOwnUnit);
    }
    if status != ClaimStatus::Pending {
        return Err(Refusal::ClaimDecided);
    }
    Ok(())
}

/// May `actor` confirm (确认挂牌) or decline (不予挂牌) a claim? The office, while the claim
/// waits and the task is 待挂牌.
pub fn check_decide(actor: &Actor, status: ClaimStatus, task: TaskStatus) -> Result<(), Refusal> {
    if actor.role != Role::Organizer {
        return Err(Refusal::RoleMayNotMove {
            role: actor.role,
            transition: Transition::Confirm,
        });
    }
    if status != ClaimStatus::Pending {
        return Err(Refusal::ClaimDecided);
    }
    if task != TaskStatus::Claimed {
        return Err(Refusal::NoSuchMove {
            from: task,
            to: TaskStatus::InProgress,
        });
    }
    Ok(())
}

/// Which part `actor` may report on `task` (whose co-units are `co_units`): the lead unit's
/// report ([`check_report`]), or — for a head or liaison of a co-unit, while the task takes
/// reports — the co-unit's part (配合单位报送). Otherwise why not, as for the lead's report.
pub fn report_part(
    actor: &Actor,
    task: TaskFacts<'_>,
    co_units: &[UnitId],
) -> Result<crate::domain::report::ReportPart, Refusal> {
    use crate::domain::report::ReportPart;
    let lead = check_report(actor, task);
    if lead.is_ok() {
        return Ok(ReportPart::Lead);
    }
    let co = actor.role.acts_for_unit()
        && actor.unit.as_ref().is_some_and(|u| co_units.contains(u))
        && task.status.accepts_reports();
    if co {
        Ok(ReportPart::Co)
    } else {
        lead.map(|()| ReportPart::Lead)
    }
}

/// May `actor` give the 审定 of a task's acceptance (销号, or send it back)? A leader, when the
/// office's review found every criterion met (`awaiting`) and the task is still 待验收.
pub fn check_sign_off(actor: &Actor, status: TaskStatus, awaiting: bool) -> Result<(), Refusal> {
    if actor.role != Role::Leader {
        return Err(Refusal::RoleMayNotSignOff { role: actor.role });
    }
    if status != TaskStatus::Submitted || !awaiting {
        return Err(Refusal::NotAwaitingSignOff);
    }
    Ok(())
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

/// The status a report gets when `actor` files it: a liaison's waits for the unit head unless
/// the unit lets its liaison's reports go straight through (`direct`).
pub fn filed_report_status(actor: &Actor, direct: bool) -> ReportStatus {
    if actor.role == Role::Liaison && !direct {
        ReportStatus::Draft
    } else {
        ReportStatus::Submitted
    }
}

/// May `actor` 报送 or send back a report of `unit` standing at `status`? Only the head of the
/// unit, and only while it waits.
pub fn check_review_report(
    actor: &Actor,
    status: ReportStatus,
    unit: Option<&UnitId>,
) -> Result<(), Refusal> {
    if actor.role != Role::UnitHead {
        return Err(Refusal::RoleMayNotReview { role: actor.role });
    }
    if unit.is_none() || actor.unit.as_ref() != unit {
        return Err(Refusal::NotOwnUnit);
    }
    if status != ReportStatus::Draft {
        return Err(Refusal::ReportDecided);
    }
    Ok(())
}

/// May `reader` see a report (and its files)? A 报送ed report is part of the record everyone
/// reads; a draft or a sent-back report only within its unit.
pub fn may_read_report(reader: &Actor, status: ReportStatus, unit: Option<&UnitId>) -> bool {
    status == ReportStatus::Submitted
        || (reader.role.acts_for_unit() && unit.is_some() && reader.unit.as_ref() == unit)
}

/// May `reader` see an event of a task's record (`action` as recorded)? A draft report's
/// filing and its sending back stay within the lead unit, as the drafts do.
pub fn may_read_event(reader: &Actor, action: &str, lead_unit: Option<&UnitId>) -> bool {
    !matches!(action, "report_draft" | "report_returned")
        || (reader.role.acts_for_unit() && lead_unit.is_some() && reader.unit.as_ref() == lead_unit)
}

/// May `actor` ask for a later deadline (延期申请) on `task`, which has a request waiting
/// (`pending`) or not? The lead unit's head, while the task is under way.
pub fn check_request_extension(
    actor: &Actor,
    task: TaskFacts<'_>,
    pending: bool,
) -> Result<(), Refusal> {
    if actor.role != Role::UnitHead {
        return Err(Refusal::RoleMayNotHandleRequest { role: actor.role });
    }
    let unit = actor.unit.as_ref().ok_or(Refusal::NoUnit)?;
    if task.lead_unit != Some(unit) {
        return Err(Refusal::NotOwnUnit);
    }
    if !matches!(task.status, TaskStatus::InProgress | TaskStatus::Returned) {
        return Err(Refusal::NotExtendable {
            status: task.status,
        });
    }
    if pending {
        return Err(Refusal::RequestPending);
    }
    Ok(())
}

/// May `actor` take the next step on a request standing at `status`? The office reviews first
/// (初审), the leader decides (审定).
pub fn check_handle_request(actor: &Actor, status: RequestStatus) -> Result<(), Refusal> {
    let role = match status {
        RequestStatus::PendingReview => Role::Organizer,
        RequestStatus::PendingDecision => Role::Leader,
        RequestStatus::Approved | RequestStatus::Rejected => {
            return Err(Refusal::RequestDecided);
        }
    };
    if actor.role == role {
        Ok(())
    } else {
        Err(Refusal::RoleMayNotHandleRequest { role: actor.role })
    }
}

/// May `actor` write an entry of `kind` under `task`? 批示 are the leaders'; a reply (落实情况)
/// is the lead unit's, to a 批示 (`to_instruction`); comments are the office's, the leaders'
/// and the units'.
pub fn check_comment(
    actor: &Actor,
    kind: CommentKind,
    task: TaskFacts<'_>,
    to_instruction: bool,
) -> Result<(), Refusal> {
    let allowed = match kind {
        CommentKind::Instruction => actor.role == Role::Leader,
        CommentKind::Reply => actor.role.acts_for_unit(),
        CommentKind::Comment => !matches!(actor.role, Role::Viewer | Role::Admin),
    };
    if !allowed {
        return Err(Refusal::RoleMayNotComment { role: actor.role });
    }
    if kind == CommentKind::Reply {
        own_unit(actor, &task)?;
        if task.lead_unit.is_none() {
            return Err(Refusal::NotOwnUnit);
        }
        if !to_instruction {
            return Err(Refusal::ReplyNeedsInstruction);
        }
    }
    Ok(())
}

/// May `actor` 催办 or issue a 督办单 on a task in `status`? The office, while the task is
/// under way.
pub fn check_supervise(actor: &Actor, status: TaskStatus) -> Result<(), Refusal> {
    if actor.role != Role::Organizer {
        return Err(Refusal::RoleMayNotSupervise { role: actor.role });
    }
    if !super::supervision::may_be_supervised(status) {
        return Err(Refusal::NotSupervisable { status });
    }
    Ok(())
}

/// May `actor` give the 反馈 to a 催办 or 督办单 of `task` (already answered or not)? The head
/// or liaison of the unit it was sent to, once.
pub fn check_answer_supervision(
    actor: &Actor,
    unit: &UnitId,
    answered: bool,
) -> Result<(), Refusal> {
    if !actor.role.acts_for_unit() {
        return Err(Refusal::RoleMayNotSupervise { role: actor.role });
    }
    if actor.unit.as_ref() != Some(unit) {
        return Err(Refusal::NotOwnUnit);
    }
    if answered {
        return Err(Refusal::SupervisionAnswered);
    }
    Ok(())
}

/// May `actor` change `unit`'s own settings (whether its liaison's reports need the head's
/// review)? Its head, or the office.
pub fn check_unit_settings(actor: &Actor, unit: &UnitId) -> Result<(), Refusal> {
    match actor.role {
        Role::Organizer => Ok(()),
        Role::UnitHead if actor.unit.as_ref() == Some(unit) => Ok(()),
        Role::UnitHead => Err(Refusal::NotOwnUnit),
        role => Err(Refusal::RoleMayNotReview { role }),
    }
}

/// How much of the unit-by-unit records (量化考评, 整改清单) a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitSight {
    /// Every unit (the office, leaders, read-only observers).
    All,
    /// Its own unit's records only (a unit head or liaison).
    Own(UnitId),
    /// Nothing (system administrators, a unit account without a unit).
    Nothing,
}

/// Who reads unit-by-unit records: units are compared by the office and leaders; a unit sees
/// how it stands itself (its score and place, its own 整改 items), not its neighbours'.
pub fn unit_sight(role: Role, unit: Option<&UnitId>) -> UnitSight {
    match (role, unit) {
        (Role::Organizer | Role::Leader | Role::Viewer, _) => UnitSight::All,
        (Role::UnitHead | Role::Liaison, Some(unit)) => UnitSight::Own(unit.clone()),
        _ => UnitSight::Nothing,
    }
}

/// Whether a refusal is about who is asking (403) rather than the state of the record.
pub fn is_denial(refusal: &Refusal) -> bool {
    matches!(
        refusal,
        Refusal::RoleMayNotMove { .. }
            | Refusal::RoleMayNotAssess { .. }
            | Refusal::RoleMayNotReport { .. }
            | Refusal::RoleMayNotReview { .. }
            | Refusal::RoleMayNotSignOff { .. }
            | Refusal::RoleMayNotHandleRequest { .. }
            | Refusal::RoleMayNotComment { .. }
            | Refusal::RoleMayNotSupervise { .. }
            | Refusal::NotOwnUnit
            | Refusal::NoUnit
            | Refusal::NotYourAction
            | Refusal::NotYourFinding
            | Refusal::RoleMayNotState { .. }
            | Refusal::RoleMayNotApprovePoints { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    #[test]
    fn leaders_instruct_the_lead_unit_replies_others_comment() {
        let kysd = UnitId::parse("kysd");
        let facts = TaskFacts {
            status: InProgress,
            lead_unit: kysd.as_ref(),
        };
        let leader = actor(Role::Leader, None);
        let head = actor(Role::UnitHead, Some("kysd"));
        let liaison = actor(Role::Liaison, Some("kysd"));
        let other = actor(Role::UnitHead, Some("nasd"));
        let office = actor(Role::Organizer, None);
        let viewer = actor(Role::Viewer, None);
        use CommentKind::*;
        assert_eq!(check_comment(&leader, Instruction, facts, false), Ok(()));
        assert_eq!(
            check_comment(&office, Instruction, facts, false),
            Err(Refusal::RoleMayNotComment {
                role: Role::Organizer
            })
        );
        assert_eq!(check_comment(&head, Reply, facts, true), Ok(()));
        assert_eq!(check_comment(&liaison, Reply, facts, true), Ok(()));
        assert_eq!(
            check_comment(&head, Reply, facts, false),
            Err(Refusal::ReplyNeedsInstruction)
        );
        assert_eq!(
            check_comment(&other, Reply, facts, true),
            Err(Refusal::NotOwnUnit)
        );
        for who in [&leader, &head, &other, &office] {
            assert_eq!(check_comment(who, Comment, facts, false), Ok(()));
        }
        assert_eq!(
            check_comment(&viewer, Comment, facts, false),
            Err(Refusal::RoleMayNotComment { role: Role::Viewer })
        );
    }

    #[test]
    fn an_extension_goes_from_the_unit_head_to_the_office_to_the_leader() {
        let kysd = UnitId::parse("kysd");
        let head = actor(Role::UnitHead, Some("kysd"));
        let facts = |status| TaskFacts {
            status,
            lead_unit: kysd.as_ref(),
        };
        assert_eq!(
            check_request_extension(&head, facts(InProgress), false),
            Ok(())
        );
        assert_eq!(
            check_request_extension(&head, facts(Returned), false),
            Ok(())
        );
        assert_eq!(
            check_request_extension(&head, facts(InProgress), true),
            Err(Refusal::RequestPending)
        );
        assert_eq!(
            check_request_extension(&head, facts(Accepted), false),
            Err(Refusal::NotExtendable { status: Accepted })
        );
        assert_eq!(
            check_request_extension(
                &actor(Role::UnitHead, Some("nasd")),
                facts(InProgress),
                false
            ),
            Err(Refusal::NotOwnUnit)
        );
        assert_eq!(
            check_request_extension(
                &actor(Role::Liaison, Some("kysd")),
                facts(InProgress),
                false
            ),
            Err(Refusal::RoleMayNotHandleRequest {
                role: Role::Liaison
            })
        );
        let office = actor(Role::Organizer, None);
        let leader = actor(Role::Leader, None);
        assert_eq!(
            check_handle_request(&office, RequestStatus::PendingReview),
            Ok(())
        );
        assert_eq!(
            check_handle_request(&leader, RequestStatus::PendingDecision),
            Ok(())
        );
        assert_eq!(
            check_handle_request(&leader, RequestStatus::PendingReview),
            Err(Refusal::RoleMayNotHandleRequest { role: Role::Leader })
        );
        assert_eq!(
            check_handle_request(&office, RequestStatus::PendingDecision),
            Err(Refusal::RoleMayNotHandleRequest {
                role: Role::Organizer
            })
        );
        assert_eq!(
            check_handle_request(&leader, RequestStatus::Approved),
            Err(Refusal::RequestDecided)
        );
    }

    #[test]
    fn drafts_stay_in_the_unit_until_the_head_reports_them() {
        let kysd = UnitId::parse("kysd");
        let liaison = actor(Role::Liaison, Some("kysd"));
        let head = actor(Role::UnitHead, Some("kysd"));
        let other_head = actor(Role::UnitHead, Some("nasd"));
        let office = actor(Role::Organizer, None);
        assert_eq!(filed_report_status(&liaison, false), ReportStatus::Draft);
        assert_eq!(filed_report_status(&liaison, true), ReportStatus::Submitted);
        assert_eq!(filed_report_status(&head, false), ReportStatus::Submitted);
        let unit = kysd.as_ref();
        assert_eq!(
            check_review_report(&head, ReportStatus::Draft, unit),
            Ok(())
        );
        assert_eq!(
            check_review_report(&liaison, ReportStatus::Draft, unit),
            Err(Refusal::RoleMayNotReview {
                role: Role::Liaison
            })
        );
        assert_eq!(
            check_review_report(&other_head, ReportStatus::Draft, unit),
            Err(Refusal::NotOwnUnit)
        );
        assert_eq!(
            check_review_report(&head, ReportStatus::Submitted, unit),
            Err(Refusal::ReportDecided)
        );
        for status in [ReportStatus::Draft, ReportStatus::Returned] {
            assert!(may_read_report(&liaison, status, unit));
            assert!(may_read_report(&head, status, unit));
            assert!(!may_read_report(&other_head, status, unit));
            assert!(!may_read_report(&office, status, unit));
        }
        assert!(may_read_report(&other_head, ReportStatus::Submitted, unit));
        let k = UnitId::parse("kysd").expect("id");
        assert_eq!(check_unit_settings(&head, &k), Ok(()));
        assert_eq!(check_unit_settings(&office, &k), Ok(()));
        assert_eq!(
            check_unit_settings(&other_head, &k),
            Err(Refusal::NotOwnUnit)
        );
        assert_eq!(
            check_unit_settings(&liaison, &k),
            Err(Refusal::RoleMayNotReview {
                role: Role::Liaison
            })
        );
        assert!(may_read_report(&office, ReportStatus::Submitted, None));
        for action in ["report_draft", "report_returned"] {
            assert!(may_read_event(&liaison, action, unit));
            assert!(!may_read_event(&other_head, action, unit));
            assert!(!may_read_event(&office, action, unit));
        }
        assert!(may_read_event(&office, "report", unit));
        assert!(may_read_event(&other_head, "transition", unit));
    }

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            name: "t".into(),
            role,
            unit: unit.and_then(UnitId::parse),
        }
    }

    #[test]
    fn only_a_leader_gives_the_sign_off_and_only_when_one_waits() {
        let leader = actor(Role::Leader, None);
        assert_eq!(check_sign_off(&leader, TaskStatus::Submitted, true), Ok(()));
        assert_eq!(
            check_sign_off(&leader, TaskStatus::Submitted, false),
            Err(Refusal::NotAwaitingSignOff)
        );
        assert_eq!(
            check_sign_off(&leader, TaskStatus::Accepted, true),
            Err(Refusal::NotAwaitingSignOff)
        );
        for role in [
            Role::Organizer,
            Role::UnitHead,
            Role::Liaison,
            Role::Viewer,
            Role::Admin,
        ] {
            assert_eq!(
                check_sign_off(&actor(role, Some("kysd")), TaskStatus::Submitted, true),
                Err(Refusal::RoleMayNotSignOff { role })
            );
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
        let table: [(Capability, [bool; 6]); 10] = [
            (Public, [true, true, true, true, true, true]),
            (UseSession, [true, true, true, true, true, true]),
            (Read, [true, true, true, true, true, true]),
            (
                ManageOrganization,
                [true, false, false, false, false, false],
            ),
            (ManagePlans, [true, false, false, false, false, false]),
            (ManageAccounts, [false, false, false, false, false, true]),
            (ManageSystem, [false, false, false, false, false, true]),
            (WorkOnTasks, [true, false, true, true, false, false]),
            (DecideRequests, [true, true, false, false, false, false]),
            (Discuss, [true, true, true, true, false, false]),
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
    fn claims_go_to_unit_heads_once_each_within_the_window() {
        let head = actor(Role::UnitHead, Some("kysd"));
        let today = NaiveDate::from_ymd_opt(2022, 1, 15).expect("d");
        assert_eq!(
            check_claim(&head, facts(Open, None), None, today, &[]),
            Ok(&kysd())
        );
        // 竞榜: another unit's waiting claim does not stop this one; its own does.
        let nasd = UnitId::parse("nasd").expect("id");
        assert!(
            check_claim(
                &head,
                facts(Claimed, None),
                None,
                today,
                std::slice::from_ref(&nasd)
            )
            .is_ok()
        );
        assert_eq!(
            check_claim(&head, facts(Claimed, None), None, today, &[kysd()]),
            Err(Refusal::AlreadyClaimed)
        );
        let k = kysd();
        assert_eq!(
            check_claim(&head, facts(InProgress, Some(&k)), None, today, &[]),
            Err(Refusal::NotClaimable { status: InProgress })
        );
        let window = ClaimWindow {
            from: NaiveDate::from_ymd_opt(2022, 1, 1).expect("d"),
            to: NaiveDate::from_ymd_opt(2022, 1, 10).expect("d"),
        };
        assert_eq!(
            check_claim(&head, facts(Open, None), Some(window), today, &[]),
            Err(Refusal::OutsideClaimWindow { window })
        );
        let liaison = actor(Role::Liaison, Some("kysd"));
        assert!(matches!(
            check_claim(&liaison, facts(Open, None), None, today, &[]),
            Err(Refusal::RoleMayNotMove { .. })
        ));
        // Withdrawing: only the claiming unit's head, only while it waits.
        assert_eq!(check_withdraw(&head, &k, ClaimStatus::Pending), Ok(()));
        assert_eq!(
            check_withdraw(&head, &nasd, ClaimStatus::Pending),
            Err(Refusal::NotOwnUnit)
        );
        assert_eq!(
            check_withdraw(&head, &k, ClaimStatus::Declined),
            Err(Refusal::ClaimDecided)
        );
        // Deciding: the office, on a waiting claim of a 待挂牌 task.
        let org = actor(Role::Organizer, None);
        assert_eq!(check_decide(&org, ClaimStatus::Pending, Claimed), Ok(()));
        assert_eq!(
            check_decide(&org, ClaimStatus::Confirmed, Claimed),
            Err(Refusal::ClaimDecided)
        );
        assert!(check_decide(&head, ClaimStatus::Pending, Claimed).is_err());
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
            check_move(&unitless, facts(Assigned, Some(&k)), InProgress, None),
            Err(Refusal::NoUnit)
        );
        // A unit role cannot act on a task nobody holds (claiming one is a claim).
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
            // 揭榜认领, 撤回认领, 确认挂牌 and 不予挂牌 are made on claims, not as moves.
            (Role::UnitHead, Open, &[]),
            (Role::UnitHead, Claimed, &[]),
            (Role::UnitHead, Assigned, &[Decline, Acknowledge]),
            (Role::Liaison, Assigned, &[]),
            (Role::Organizer, Assigned, &[Decline, Cancel]),
            (Role::UnitHead, InProgress, &[Submit]),
            (Role::UnitHead, Returned, &[Submit]),
            (Role::Liaison, Open, &[]),
            (Role::Liaison, InProgress, &[Submit]),
            (Role::Organizer, Open, &[Assign, Cancel]),
            (Role::Organizer, Claimed, &[Cancel]),
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
                            None => prop_assert!(false, "a unit role moved a task nobody holds"),
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
