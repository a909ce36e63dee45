//! 站内消息: the audit trail read as each person's inbox. Every change to a task is already
//! an audit event (留痕); which of them concern a reader — a claim decided for their unit, a
//! task 交办 to it, a report sent back, a request awaiting their 审定, a 批示 — is decided
//! here, so the inbox never holds anything the trail does not, and nothing is written twice.

use super::extension::RequestStatus;
use super::ids::{NoticeId, PersonId, TaskId, UnitId};
use super::task::TaskStatus;
use super::workflow::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened, as the reader is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Office: a unit claimed a task (揭榜认领).
    ClaimFiled,
    /// Office: a unit withdrew its claim.
    ClaimWithdrawn,
    /// Unit: its claim was confirmed (确认挂牌).
    ClaimConfirmed,
    /// Unit: its claim was declined (不予挂牌), with the reason.
    ClaimDeclined,
    /// Unit: a task was 交办 to it; it must 签收.
    Assigned,
    /// Office: the unit 签收ed.
    Signed,
    /// Office: the unit sent the assignment back (退回交办).
    AssignmentDeclined,
    /// Unit head: the liaison drafted a report to 报送.
    ReportDrafted,
    /// Liaison: the head 报送ed the report.
    ReportApproved,
    /// Liaison: the head sent the report back (退回修改).
    ReportReturned,
    /// Office: a unit reported progress.
    ReportFiled,
    /// Lead unit: a co-unit added its part (配合单位报送).
    CoReport,
    /// Office: a 延期申请 waits for 初审.
    ExtensionRequested,
    /// Leader: a 延期申请 waits for 审定.
    ExtensionToDecide,
    /// Unit: its request was approved.
    ExtensionApproved,
    /// Unit: its request was not approved.
    ExtensionRejected,
    /// Office: a task was submitted for acceptance (待验收).
    Submitted,
    /// Unit: the office's review found every criterion met; the leader's 审定 follows.
    AcceptancePassed,
    /// Leader: an acceptance the office passed waits for 审定.
    SignOffPending,
    /// Unit: the task passed acceptance (已销号).
    Accepted,
    /// Unit: the task was sent back at acceptance (退回整改).
    SentBack,
    /// Unit: a 销号 was revoked (撤销销号).
    Reopened,
    /// Unit: the task was withdrawn from the plan (撤项).
    Cancelled,
    /// Unit (lead and co-units) and office: a leader's 批示.
    Instruction,
    /// Leader and office: the unit's 落实情况 reply.
    Reply,
    /// Lead unit and office: a comment.
    Comment,
    /// Lead unit (and leaders, for a 督办单): the office 催办ed or sent a 督办单.
    Supervised,
    /// Office: the unit gave its 反馈 to a 催办 or 督办单.
    SupervisionAnswered,
    /// Lead unit: a reminder (a milestone or the deadline near, the monthly report due or
    /// missed).
    Reminder,
    /// Lead unit: the task turned red.
    TurnedRed,
}

/// Who reads: the role, the unit they act for, and the name the audit trail gives them (their
/// own doings are not news to them).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub role: Role,
    pub unit: Option<&'a UnitId>,
    pub name: &'a str,
    /// The person the reader's account is (a leader's: 抄送 the tasks they are 分管领导 of).
    pub person: Option<&'a PersonId>,
}

/// One audit event on a task, with what the rule needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub action: String,
    pub actor: String,
    /// The task's status before and after (status moves and acceptance), or a request's
    /// status after (extension decisions), as stored.
    pub before_status: Option<String>,
    pub after_status: Option<String>,
    /// The claiming unit (claim events), the unit a reminder is for when not the lead unit.
    pub claim_unit: Option<UnitId>,
    /// `co` when a report is a co-unit's part; a supervision's kind (`urge`, `yellow` …).
    pub part: Option<String>,
    /// The task's lead unit and co-units.
    pub lead: Option<UnitId>,
    pub co: Vec<UnitId>,
    /// The task's 分管领导, if fixed.
    pub supervisor: Option<PersonId>,
}

/// The actions whose events may concern somebody (the query's first filter).
pub const ACTIONS: [&str; 20] = [
    "claim",
    "withdrawn",
    "confirm",
    "declined",
    "transition",
    "acceptance",
    "signoff",
    "report",
    "report_draft",
    "report_approved",
    "report_returned",
    "extension_request",
    "extension_decision",
    "instruction",
    "reply",
    "comment",
    "supervise",
    "supervise_answered",
    "reminder",
    "light",
];

/// What `event` tells `reader`, if it concerns them.
pub fn notice_for(reader: Reader<'_>, event: &EventFacts) -> Option<NoticeKind> {
    if event.actor == reader.name {
        return None;
    }
    let office = reader.role == Role::Organizer;
    let leader = reader.role == Role::Leader;
    let in_unit =
        |u: Option<&UnitId>| reader.role.acts_for_unit() && u.is_some() && u == reader.unit;
    let lead = in_unit(event.lead.as_ref());
    let co =
        reader.role.acts_for_unit() && reader.unit.is_some_and(|u| event.co.iter().any(|c| c == u));
    let task_status = |s: &Option<String>| s.as_deref().and_then(TaskStatus::parse);
    let (before, after) = (
        task_status(&event.before_status),
        task_status(&event.after_status),
    );
    let kind = match event.action.as_str() {
        "claim" if office => NoticeKind::ClaimFiled,
        "withdrawn" if office => NoticeKind::ClaimWithdrawn,
        "confirm" if in_unit(event.claim_unit.as_ref()) => NoticeKind::ClaimConfirmed,
        "declined" if in_unit(event.claim_unit.as_ref()) => NoticeKind::ClaimDeclined,
        "transition" => match (before, after) {
            (_, Some(TaskStatus::Assigned)) if lead => NoticeKind::Assigned,
            (Some(TaskStatus::Assigned), Some(TaskStatus::InProgress)) if office => {
                NoticeKind::Signed
            }
            (Some(TaskStatus::Assigned), Some(TaskStatus::Open)) if office => {
                NoticeKind::AssignmentDeclined
            }
            (_, Some(TaskStatus::Submitted)) if office => NoticeKind::Submitted,
            (_, Some(TaskStatus::Cancelled)) if lead || co => NoticeKind::Cancelled,
            (Some(TaskStatus::Accepted), _) if lead => NoticeKind::Reopened,
            _ => return None,
        },
        "acceptance" => match after? {
            TaskStatus::Submitted if leader => NoticeKind::SignOffPending,
            TaskStatus::Submitted if lead => NoticeKind::AcceptancePassed,
            TaskStatus::Returned if lead => NoticeKind::SentBack,
            _ => return None,
        },
        "signoff" => match after? {
            TaskStatus::Accepted if lead || office => NoticeKind::Accepted,
            TaskStatus::Returned if lead || office => NoticeKind::SentBack,
            _ => return None,
        },
        "report" if lead && event.part.as_deref() == Some("co") => NoticeKind::CoReport,
        "report" | "report_approved" if office => NoticeKind::ReportFiled,
        "report_draft" if lead && reader.role == Role::UnitHead => NoticeKind::ReportDrafted,
        "report_approved" if lead && reader.role == Role::Liaison => NoticeKind::ReportApproved,
        "report_returned" if lead && reader.role == Role::Liaison => NoticeKind::ReportReturned,
        "extension_request" if office => NoticeKind::ExtensionRequested,
        "extension_decision" => {
            match event
                .after_status
                .as_deref()
                .and_then(RequestStatus::parse)?
            {
                RequestStatus::PendingDecision if leader => NoticeKind::ExtensionToDecide,
                RequestStatus::Approved if lead || office => NoticeKind::ExtensionApproved,
                RequestStatus::Rejected if lead => NoticeKind::ExtensionRejected,
                _ => return None,
            }
        }
        "instruction" if lead || co || office => NoticeKind::Instruction,
        "reply" if leader || office => NoticeKind::Reply,
        "comment" if lead || office => NoticeKind::Comment,
        "supervise" if lead => NoticeKind::Supervised,
        // A 督办单 is copied to the task's 分管领导 (抄送): the leader whose account is that
        // person, or every leader while the task has none. A 催办 stays between office and unit.
        "supervise"
            if leader
                && event.part.as_deref() != Some("urge")
                && (event.supervisor.is_none() || event.supervisor.as_ref() == reader.person) =>
        {
            NoticeKind::Supervised
        }
        "supervise_answered" if office => NoticeKind::SupervisionAnswered,
        // A task's reminders go to its lead unit; a 交办事项's to the unit it names.
        "reminder" if event.claim_unit.is_none() && lead => NoticeKind::Reminder,
        "reminder" if in_unit(event.claim_unit.as_ref()) => NoticeKind::Reminder,
        "light" if lead && event.part.as_deref() == Some("red") => NoticeKind::TurnedRed,
        _ => return None,
    };
    Some(kind)
}

/// One message in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: NoticeId,
    pub kind: NoticeKind,
    pub task: TaskId,
    pub number: u32,
    pub title: String,
    pub actor: String,
    /// The audit trail's own account (e.g. the reason of a 不予挂牌).
    pub summary: String,
    pub at: DateTime<Utc>,
    pub read: bool,
}

/// A person's inbox: the latest messages, newest first, and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Inbox {
    pub notices: Vec<Notice>,
    pub unread: usize,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn unit(s: &str) -> UnitId {
        UnitId::parse(s).unwrap()
    }

    fn event(action: &str, before: Option<&str>, after: Option<&str>) -> EventFacts {
        EventFacts {
            action: action.into(),
            actor: "组织科 王芳".into(),
            before_status: before.map(str::to_owned),
            after_status: after.map(str::to_owned),
            claim_unit: None,
            part: None,
            lead: Some(unit("ky")),
            co: vec![unit("na")],
            supervisor: None,
        }
    }

    fn reader(role: Role, unit: Option<&UnitId>) -> Reader<'_> {
        Reader {
            role,
            unit,
            name: "某人",
            person: None,
        }
    }

    #[test]
    fn a_task_assigned_reaches_the_lead_unit_only() {
        let ky = unit("ky");
        let na = unit("na");
        let e = event("transition", Some("open"), Some("assigned"));
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &e),
            Some(NoticeKind::Assigned)
        );
        assert_eq!(
            notice_for(reader(Role::Liaison, Some(&ky)), &e),
            Some(NoticeKind::Assigned)
        );
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&na)), &e), None);
        assert_eq!(notice_for(reader(Role::Organizer, None), &e), None);
        assert_eq!(notice_for(reader(Role::Viewer, None), &e), None);
    }

    #[test]
    fn a_reminder_reaches_the_lead_unit_or_the_unit_it_names() {
        let (ky, na, dp) = (unit("ky"), unit("na"), unit("dp"));
        let task = event("reminder", None, None);
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &task),
            Some(NoticeKind::Reminder)
        );
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&na)), &task), None);
        // A 交办事项 given to 大鹏 on 葵涌's task: 大鹏 alone.
        let mut action = event("reminder", None, None);
        action.claim_unit = Some(dp.clone());
        assert_eq!(
            notice_for(reader(Role::Liaison, Some(&dp)), &action),
            Some(NoticeKind::Reminder)
        );
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&ky)), &action), None);
        assert_eq!(notice_for(reader(Role::Organizer, None), &action), None);
    }

    #[test]
    fn one_is_not_told_of_ones_own_doing() {
        let e = event("claim", None, None);
        let me = Reader {
            role: Role::Organizer,
            unit: None,
            name: "组织科 王芳",
            person: None,
        };
        assert_eq!(notice_for(me, &e), None);
        assert_eq!(
            notice_for(reader(Role::Organizer, None), &e),
            Some(NoticeKind::ClaimFiled)
        );
    }

    #[test]
    fn a_declined_claim_reaches_the_claimant_not_the_lead() {
        let ky = unit("ky");
        let na = unit("na");
        let mut e = event("declined", None, None);
        e.claim_unit = Some(na.clone());
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&na)), &e),
            Some(NoticeKind::ClaimDeclined)
        );
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&ky)), &e), None);
    }

    #[test]
    fn a_request_goes_office_then_leader_then_unit() {
        let ky = unit("ky");
        let filed = event("extension_request", None, None);
        assert_eq!(
            notice_for(reader(Role::Organizer, None), &filed),
            Some(NoticeKind::ExtensionRequested)
        );
        let reviewed = event("extension_decision", None, Some("pending_decision"));
        assert_eq!(
            notice_for(reader(Role::Leader, None), &reviewed),
            Some(NoticeKind::ExtensionToDecide)
        );
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &reviewed),
            None
        );
        let approved = event("extension_decision", None, Some("approved"));
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &approved),
            Some(NoticeKind::ExtensionApproved)
        );
        assert_eq!(notice_for(reader(Role::Leader, None), &approved), None);
    }

    #[test]
    fn reports_drafts_go_to_the_head_and_returns_to_the_liaison() {
        let ky = unit("ky");
        let draft = event("report_draft", None, None);
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &draft),
            Some(NoticeKind::ReportDrafted)
        );
        assert_eq!(notice_for(reader(Role::Organizer, None), &draft), None);
        let back = event("report_returned", None, None);
        assert_eq!(
            notice_for(reader(Role::Liaison, Some(&ky)), &back),
            Some(NoticeKind::ReportReturned)
        );
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&ky)), &back), None);
    }

    #[test]
    fn a_co_units_part_reaches_the_lead_unit_and_the_office() {
        let ky = unit("ky");
        let mut part = event("report", None, None);
        part.part = Some("co".into());
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &part),
            Some(NoticeKind::CoReport)
        );
        assert_eq!(
            notice_for(reader(Role::Organizer, None), &part),
            Some(NoticeKind::ReportFiled)
        );
        // The lead's own report is no news to the lead unit.
        let own = event("report", None, None);
        assert_eq!(notice_for(reader(Role::UnitHead, Some(&ky)), &own), None);
    }

    #[test]
    fn acceptance_results_and_instructions() {
        let ky = unit("ky");
        let na = unit("na");
        let sent_back = event("acceptance", Some("submitted"), Some("returned"));
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &sent_back),
            Some(NoticeKind::SentBack)
        );
        let passed = event("acceptance", Some("submitted"), Some("submitted"));
        assert_eq!(
            notice_for(reader(Role::Leader, None), &passed),
            Some(NoticeKind::SignOffPending)
        );
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&ky)), &passed),
            Some(NoticeKind::AcceptancePassed)
        );
        let accepted = event("signoff", Some("submitted"), Some("accepted"));
        assert_eq!(
            notice_for(reader(Role::Liaison, Some(&ky)), &accepted),
            Some(NoticeKind::Accepted)
        );
        assert_eq!(
            notice_for(reader(Role::Organizer, None), &accepted),
            Some(NoticeKind::Accepted)
        );
        let submitted = event("transition", Some("in_progress"), Some("submitted"));
        assert_eq!(
            notice_for(reader(Role::Organizer, None), &submitted),
            Some(NoticeKind::Submitted)
        );
        let instruction = event("instruction", None, None);
        assert_eq!(
            notice_for(reader(Role::UnitHead, Some(&na)), &instruction),
            Some(NoticeKind::Instruction)
        );
        assert_eq!(notice_for(reader(Role::Leader, None), &instruction), None);
        let reply = event("reply", None, None);
        assert_eq!(
            notice_for(reader(Role::Leader, None), &reply),
            Some(NoticeKind::Reply)
        );
    }

    /// A 督办单 is copied to the task's 分管领导 alone; while a task has none, to every leader.
    /// A 催办 reaches no leader.
    #[test]
    fn a_notice_is_copied_to_the_tasks_supervising_leader() {
        fn leader(person: Option<&PersonId>) -> Reader<'_> {
            Reader {
                role: Role::Leader,
                unit: None,
                name: "林晓华",
                person,
            }
        }
        let (lin, zhou) = (
            &PersonId::parse("p-lin").unwrap(),
            &PersonId::parse("p-zhou").unwrap(),
        );
        let mut yellow = event("supervise", None, None);
        yellow.part = Some("yellow".into());
        yellow.supervisor = Some(lin.clone());
        assert_eq!(
            notice_for(leader(Some(lin)), &yellow),
            Some(NoticeKind::Supervised)
        );
        assert_eq!(notice_for(leader(Some(zhou)), &yellow), None);
        assert_eq!(notice_for(leader(None), &yellow), None);
        yellow.supervisor = None;
        assert_eq!(
            notice_for(leader(Some(zhou)), &yellow),
            Some(NoticeKind::Supervised)
        );
        assert_eq!(
            notice_for(leader(None), &yellow),
            Some(NoticeKind::Supervised)
        );
        let mut urge = yellow.clone();
        urge.part = Some("urge".into());
        assert_eq!(notice_for(leader(Some(lin)), &urge), None);
    }
}
