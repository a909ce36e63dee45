//! The message catalogue: every word the UI shows for a code — statuses, roles, moves,
//! lights and every error. The domain and the server speak in codes; only this module words
//! them. One implementation per language of [`Catalogue`]; zh-Hans is the one shipped.

mod zh_hans;

use crate::domain::error::{FieldError, Refusal};
use crate::domain::{Entity, Light, PlanStatus, Role, TaskStatus, Transition, UnitKind};
use crate::error::AppError;

/// The words of one language.
pub trait Catalogue: Sync {
    fn task_status(&self, status: TaskStatus) -> &'static str;
    fn plan_status(&self, status: PlanStatus) -> &'static str;
    /// A move as the button names it; some moves read differently for the office
    /// (不予挂牌) than for the unit (撤回认领).
    fn transition(&self, transition: Transition, role: Role) -> &'static str;
    fn role(&self, role: Role) -> &'static str;
    fn light(&self, light: Light) -> &'static str;
    /// Why a task has its light: 节点2(8月20日)逾期未完成.
    fn light_reason(&self, reason: crate::domain::LightReason) -> String;
    /// What a reminder says: 提醒:节点3(2022年8月20日)还有 5 个工作日到期….
    fn reminder(&self, kind: crate::domain::reminder::ReminderKind) -> String;
    fn unit_kind(&self, kind: UnitKind) -> &'static str;
    fn entity(&self, entity: Entity) -> &'static str;
    /// A form field's name (`title` → 任务名称).
    fn field(&self, field: &str) -> &'static str;
    fn field_error(&self, error: &FieldError) -> String;
    fn refusal(&self, refusal: &Refusal) -> String;
    /// One problem of an imported list, with its row and column.
    fn import_problem(&self, problem: &crate::domain::import::ImportProblem) -> String;
    fn error(&self, error: &AppError) -> String;
    /// Why a task has its 按期完成 points: 6月28日提请验收、7月8日销号,在原定时限6月30日前.
    fn on_time_basis(&self, basis: crate::domain::score::OnTime) -> String;
    /// How the lead unit reported: 应报 6 次,按时 4 次;迟报 1 次(2月);未报 1 次(3月).
    fn reporting_basis(&self, reporting: &crate::domain::score::Reporting) -> String;
    /// One deduction with the facts behind it.
    fn deduction(&self, deduction: &crate::domain::score::Deduction) -> String;
    fn rank_group(&self, group: crate::domain::score::RankGroup) -> &'static str;
    /// Where a 整改清单 item came from: 督查检查, 验收未通过 ….
    fn finding_source(&self, source: crate::domain::rectify::Source) -> &'static str;
    fn finding_status(&self, status: crate::domain::rectify::Status) -> &'static str;
    /// What an entry of an item's record is: 整改进展, 申请销号, 销号, 退回重改.
    fn finding_entry(&self, kind: crate::domain::rectify::EntryKind) -> &'static str;
    /// 党工委主体责任, 党组织书记第一责任人责任, 班子成员一岗双责.
    fn duty_level(&self, level: crate::domain::duty::Level) -> &'static str;
    /// 好, 较好, 一般, 差.
    fn rating(&self, rating: crate::domain::duty::Rating) -> &'static str;
}

/// The catalogue in use. (Per-user language selection comes with the languages issue.)
pub fn current() -> &'static dyn Catalogue {
    &zh_hans::ZhHans
}

/// A task status as users read it.
pub fn task_status(status: TaskStatus) -> &'static str {
    current().task_status(status)
}

/// A plan status as users read it.
pub fn plan_status(status: PlanStatus) -> &'static str {
    current().plan_status(status)
}

/// A move as its button reads for `role`.
pub fn transition(transition: Transition, role: Role) -> &'static str {
    current().transition(transition, role)
}

/// Why a task has its 按期完成 points.
pub fn on_time_basis(basis: crate::domain::score::OnTime) -> String {
    current().on_time_basis(basis)
}

/// How the lead unit reported month by month.
pub fn reporting_basis(reporting: &crate::domain::score::Reporting) -> String {
    current().reporting_basis(reporting)
}

/// One deduction with the facts behind it.
pub fn deduction(deduction: &crate::domain::score::Deduction) -> String {
    current().deduction(deduction)
}

/// 全部单位, 机关科室, 街道.
pub fn rank_group(group: crate::domain::score::RankGroup) -> &'static str {
    current().rank_group(group)
}

/// 督查检查, 调度会议定, 验收未通过, 上级督导反馈, 自查发现.
pub fn finding_source(source: crate::domain::rectify::Source) -> &'static str {
    current().finding_source(source)
}

/// 整改中, 待销号, 退回重改, 已销号.
pub fn finding_status(status: crate::domain::rectify::Status) -> &'static str {
    current().finding_status(status)
}

/// 整改进展, 申请销号, 销号, 退回重改.
pub fn finding_entry(kind: crate::domain::rectify::EntryKind) -> &'static str {
    current().finding_entry(kind)
}

/// A level of the 责任清单.
pub fn duty_level(level: crate::domain::duty::Level) -> &'static str {
    current().duty_level(level)
}

/// A 述责 评议 等次.
pub fn rating(rating: crate::domain::duty::Rating) -> &'static str {
    current().rating(rating)
}

/// A role as users read it.
pub fn role(role: Role) -> &'static str {
    current().role(role)
}

/// A light as users read it.
pub fn light(light: Light) -> &'static str {
    current().light(light)
}

/// What a reminder says, as the unit's inbox shows it.
pub fn reminder(kind: crate::domain::reminder::ReminderKind) -> String {
    current().reminder(kind)
}

/// Why a task has its light, as users read it.
pub fn light_reason(reason: crate::domain::LightReason) -> String {
    current().light_reason(reason)
}

/// 催办, 蓝色督办单 …, as users read it.
pub fn supervision_kind(kind: crate::domain::supervision::SupervisionKind) -> &'static str {
    use crate::domain::supervision::SupervisionKind as K;
    match kind {
        K::Urge => "催办",
        K::Blue => "蓝色督办单",
        K::Yellow => "黄色督办单",
        K::Red => "红色督办单",
    }
}

/// 企业微信, 钉钉, 飞书.
pub fn robot_kind(kind: crate::domain::channel::RobotKind) -> &'static str {
    use crate::domain::channel::RobotKind as K;
    match kind {
        K::WeCom => "企业微信",
        K::DingTalk => "钉钉",
        K::Feishu => "飞书",
    }
}

/// A channel code of the delivery log (`wecom` … `email`).
pub fn channel_code(code: &str) -> &'static str {
    match crate::domain::channel::RobotKind::parse(code) {
        Some(kind) => robot_kind(kind),
        None if code == "email" => "电子邮件",
        None => "其他",
    }
}

/// Whose messages a robot gets; `unit_name` for a unit's group.
pub fn audience(audience: &crate::domain::channel::Audience, unit_name: &str) -> String {
    use crate::domain::channel::Audience as A;
    match audience {
        A::Office => "督办管理员(发榜方)".to_owned(),
        A::Leaders => "领导(批示、审定、督办单抄送)".to_owned(),
        A::Unit(_) => format!("{unit_name}(负责人、联络员)"),
    }
}

/// How the mail server connection is secured.
pub fn smtp_security(security: crate::domain::channel::SmtpSecurity) -> &'static str {
    use crate::domain::channel::SmtpSecurity as S;
    match security {
        S::Tls => "SSL/TLS(通常为 465 端口)",
        S::StartTls => "STARTTLS(通常为 587 端口)",
        S::None => "不加密(仅限内网中继)",
    }
}

/// A message's state in the delivery log.
pub fn delivery_status(status: crate::domain::channel::DeliveryStatus) -> &'static str {
    use crate::domain::channel::DeliveryStatus as D;
    match status {
        D::Pending => "待发送",
        D::Sent => "已发送",
        D::Failed => "发送失败",
    }
}

/// A unit kind as users read it.
pub fn unit_kind(kind: UnitKind) -> &'static str {
    current().unit_kind(kind)
}

/// An error as users read it.
pub fn error(error: &AppError) -> String {
    current().error(error)
}

/// One field's problem as users read it.
pub fn field_error(error: &FieldError) -> String {
    current().field_error(error)
}

/// One problem of an imported list: 第 N 行“列”列:…
pub fn import_problem(problem: &crate::domain::import::ImportProblem) -> String {
    current().import_problem(problem)
}

/// The problems of one form field, worded; empty when it has none.
pub fn errors_for(error: Option<&AppError>, field: &str) -> Vec<String> {
    error
        .map(AppError::field_errors)
        .unwrap_or_default()
        .iter()
        .filter(|e| e.field == field)
        .map(field_error)
        .collect()
}

/// 待签收 with how long: `待签收 3 天`, or `今日交办,待签收`.
pub fn days_waiting(days: i64) -> String {
    if days == 0 {
        "今日交办,待签收".to_owned()
    } else {
        format!("待签收 {days} 天")
    }
}

/// Where a claim stands.
pub fn claim_status(status: crate::domain::ClaimStatus) -> &'static str {
    use crate::domain::ClaimStatus;
    match status {
        ClaimStatus::Pending => "待挂牌",
        ClaimStatus::Withdrawn => "已撤回",
        ClaimStatus::Confirmed => "已挂牌",
        ClaimStatus::Declined => "不予挂牌",
    }
}

/// Where a 专题调度会 stands.
pub fn meeting_status(status: crate::domain::meeting::MeetingStatus) -> &'static str {
    use crate::domain::meeting::MeetingStatus;
    match status {
        MeetingStatus::Planned => "筹备中",
        MeetingStatus::InProgress => "进行中",
        MeetingStatus::Held => "已召开",
        MeetingStatus::Published => "纪要已印发",
    }
}

/// The meeting's 研判 of a task, as the minutes group them.
pub fn verdict(verdict: crate::domain::meeting::Verdict) -> &'static str {
    use crate::domain::meeting::Verdict;
    match verdict {
        Verdict::OnTrack => "正常推进",
        Verdict::Lagging => "进度滞后",
        Verdict::Difficulty => "存在困难",
        Verdict::Adjust => "建议调整",
    }
}

/// Where a 交办事项 stands.
pub fn action_status(status: crate::domain::meeting::ActionStatus) -> &'static str {
    use crate::domain::meeting::ActionStatus;
    match status {
        ActionStatus::Open => "待办理",
        ActionStatus::Answered => "已反馈",
        ActionStatus::Closed => "已办结",
    }
}

/// A change of the agenda, as its menu and the meeting's trail name it.
pub fn agenda_edit(edit: crate::domain::meeting::AgendaEdit) -> &'static str {
    use crate::domain::meeting::AgendaEdit as E;
    match edit {
        E::Up => "上移",
        E::Down => "下移",
        E::First => "移到最前",
        E::Focus => "设为重点研究",
        E::Unfocus => "取消重点研究",
        E::Remove => "移出议程",
        E::Add => "加入议程",
    }
}

/// Where a 延期申请 stands.
pub fn request_status(status: crate::domain::extension::RequestStatus) -> &'static str {
    use crate::domain::extension::RequestStatus;
    match status {
        RequestStatus::PendingReview => "待初审",
        RequestStatus::PendingDecision => "待审定",
        RequestStatus::Approved => "已批准",
        RequestStatus::Rejected => "未批准",
    }
}

/// A 工作台 list's heading, and what it says when empty.
pub fn shelf(shelf: crate::domain::workbench::Shelf) -> (&'static str, &'static str) {
    use crate::domain::workbench::Shelf;
    match shelf {
        Shelf::ToSign => ("待签收", "没有待签收的交办任务"),
        Shelf::MeetingActions => ("会议交办事项", "没有未办结的会议交办事项"),
        Shelf::ActionsAnswered => ("交办事项待办结", "没有待办结的会议交办事项"),
        Shelf::MeetingPrep => ("会前准备", "近期没有待召开的专题调度会"),
        Shelf::DraftsToApprove => ("待审核报送", "联络员没有待审核的进度报告"),
        Shelf::ReportsReturned => ("被退回的进度报告", "没有被退回的进度报告"),
        Shelf::Returned => ("退回整改", "没有退回整改的任务"),
        Shelf::ReportDue => ("待填报", "本月进度均已报送"),
        Shelf::MyClaims => ("我单位的认领", "近期没有认领"),
        Shelf::MyRequests => ("我单位的申请", "近期没有延期或撤项申请"),
        Shelf::Lead => ("牵头任务", "本单位没有牵头任务"),
        Shelf::Co => ("配合任务", "本单位没有配合任务"),
        Shelf::ClaimsToDecide => ("待挂牌", "没有待决定的认领"),
        Shelf::RequestsToReview => ("待初审申请", "没有待初审的申请"),
        Shelf::AcceptanceToCheck => ("待验收", "没有待验收的任务"),
        Shelf::AwaitingSign => ("待签收", "交办任务均已签收"),
        Shelf::ClaimOverdue => ("揭榜超期", "没有揭榜超期的任务"),
        Shelf::SignOff => ("待审定销号", "没有待审定销号的任务"),
        Shelf::RequestsToDecide => ("待审定申请", "没有待审定的申请"),
        Shelf::Replies => ("批示落实情况", "近期没有落实情况回复"),
    }
}

/// A message's headline.
pub fn notice_kind(kind: crate::domain::notice::NoticeKind) -> &'static str {
    use crate::domain::notice::NoticeKind as K;
    match kind {
        K::ClaimFiled => "新的揭榜认领",
        K::ClaimWithdrawn => "认领已撤回",
        K::ClaimConfirmed => "认领已确认挂牌",
        K::ClaimDeclined => "认领不予挂牌",
        K::Assigned => "交办任务待签收",
        K::Signed => "交办任务已签收",
        K::AssignmentDeclined => "交办任务被退回",
        K::ReportDrafted => "进度报告待审核",
        K::ReportApproved => "进度报告已报送",
        K::ReportReturned => "进度报告被退回",
        K::ReportFiled => "新的进度报送",
        K::CoReport => "配合单位报送",
        // Which request (延期 or 撤项) the message's own line says.
        K::ExtensionRequested => "申请待初审",
        K::ExtensionToDecide => "申请待审定",
        K::ExtensionApproved => "申请已批准",
        K::ExtensionRejected => "申请未批准",
        K::Submitted => "任务提交验收",
        K::AcceptancePassed => "验收核验通过,待领导审定",
        K::SignOffPending => "验收待审定销号",
        K::Accepted => "任务已验收销号",
        K::SentBack => "验收未通过,退回整改",
        K::Reopened => "已撤销销号",
        K::Cancelled => "任务已撤项",
        K::Instruction => "收到领导批示",
        K::Reply => "批示落实情况",
        K::Comment => "新的意见",
        K::Supervised => "收到督办",
        K::SupervisionAnswered => "督办已反馈",
        K::Reminder => "任务提醒",
        K::TurnedRed => "任务亮红灯",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::Problem;

    #[test]
    fn every_status_role_and_move_is_worded() {
        for s in TaskStatus::ALL {
            assert!(!task_status(s).is_empty());
        }
        for r in Role::ALL {
            assert!(!role(r).is_empty());
            for t in Transition::ALL {
                assert!(!transition(t, r).is_empty());
            }
        }
    }

    #[test]
    fn statuses_read_as_a_cadre_says_them() {
        assert_eq!(task_status(TaskStatus::Open), "待揭榜");
        assert_eq!(task_status(TaskStatus::Claimed), "待挂牌");
        assert_eq!(task_status(TaskStatus::Cancelled), "已撤项");
        assert_eq!(transition(Transition::Confirm, Role::Organizer), "确认挂牌");
        assert_eq!(transition(Transition::Release, Role::Organizer), "不予挂牌");
        assert_eq!(transition(Transition::Release, Role::UnitHead), "撤回认领");
        assert_eq!(transition(Transition::Reopen, Role::Organizer), "撤销销号");
        assert_eq!(plan_status(PlanStatus::Draft), "草稿");
    }

    #[test]
    fn field_errors_name_the_field_and_the_rule() {
        let cases = [
            (
                FieldError::new("percent", Problem::NotANumber),
                "完成进度须为整数",
            ),
            (
                FieldError::new("percent", Problem::OutOfRange { min: 0, max: 100 }),
                "完成进度须在 0 到 100 之间",
            ),
            (
                FieldError::new("title", Problem::TooLong { max: 100 }),
                "任务名称最多 100 个字",
            ),
            (
                FieldError::at("milestones", 1, Problem::AfterDeadline),
                "第 2 条推进目标的日期晚于完成时限",
            ),
            (
                FieldError::new("to", Problem::UnknownValue),
                "目标状态不在可选范围内",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(field_error(&error), text);
        }
    }

    #[test]
    fn errors_are_chinese_and_never_empty() {
        let all = [
            AppError::NotFound(Entity::Task),
            AppError::Invalid(vec![
                FieldError::new("percent", Problem::NotANumber),
                FieldError::new("done", Problem::Required),
            ]),
            AppError::Refused(Refusal::NotOwnUnit),
            AppError::Conflict,
            AppError::Forbidden,
            AppError::Unauthorized,
            AppError::BadCredentials,
            AppError::TooManyAttempts,
            AppError::TooLarge { limit_kib: 2048 },
            AppError::CrossSite,
            AppError::Internal,
            AppError::Unavailable,
            AppError::StorageFull,
            AppError::Transport,
        ];
        for e in all {
            let text = error(&e);
            assert!(
                text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{e:?}: {text}"
            );
        }
        assert_eq!(error(&AppError::NotFound(Entity::Task)), "未找到该任务");
        assert_eq!(
            error(&AppError::Invalid(vec![
                FieldError::new("percent", Problem::NotANumber),
                FieldError::new("done", Problem::Required),
            ])),
            "完成进度须为整数;工作进展不能为空"
        );
        assert_eq!(
            error(&AppError::TooLarge { limit_kib: 2048 }),
            "提交的内容过大(上限 2 MB),请删减后重试"
        );
    }
}
