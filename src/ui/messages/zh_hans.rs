//! 简体中文: the words a cadre uses (see the glossary's last table).

use super::Catalogue;
use crate::domain::error::{FieldError, Problem, Refusal};
use crate::domain::import::{ImportIssue, ImportProblem};
use crate::domain::plan::PublishIssue;
use crate::domain::{Entity, Light, PlanStatus, Role, TaskStatus, Transition, UnitKind};
use crate::error::AppError;

pub(super) struct ZhHans;

impl Catalogue for ZhHans {
    fn on_time_basis(&self, basis: crate::domain::score::OnTime) -> String {
        use crate::domain::score::OnTime;
        match basis {
            OnTime::Finished {
                finished,
                accepted,
                deadline,
            } => format!(
                "{}提请验收、{}销号,在原定时限{}前完成",
                short_day(finished),
                short_day(accepted),
                short_day(deadline)
            ),
            OnTime::Late {
                finished,
                accepted,
                deadline,
            } => format!(
                "{}提请验收、{}销号,晚于原定时限{}",
                short_day(finished),
                short_day(accepted),
                short_day(deadline)
            ),
            OnTime::Overdue { deadline } => {
                format!("原定时限{}已过,尚未验收销号", short_day(deadline))
            }
            OnTime::NotDue { percent, expected } => {
                format!("未到期:进度 {percent}%,序时进度 {expected}%")
            }
        }
    }

    fn reporting_basis(&self, r: &crate::domain::score::Reporting) -> String {
        use chrono::Datelike;
        if r.due == 0 {
            return "尚无应报月份".to_owned();
        }
        let months = |days: &[chrono::NaiveDate]| {
            days.iter()
                .map(|d| format!("{}月", d.month()))
                .collect::<Vec<_>>()
                .join("、")
        };
        let mut text = format!("应报 {} 次,按时 {} 次", r.due, r.on_time);
        if !r.late.is_empty() {
            text.push_str(&format!(";迟报 {} 次({})", r.late.len(), months(&r.late)));
        }
        if !r.missed.is_empty() {
            text.push_str(&format!(
                ";未报 {} 次({})",
                r.missed.len(),
                months(&r.missed)
            ));
        }
        text
    }

    fn deduction(&self, d: &crate::domain::score::Deduction) -> String {
        use crate::domain::score::Deduction;
        let days = |days: &[chrono::NaiveDate]| {
            days.iter()
                .map(|d| short_day(*d))
                .collect::<Vec<_>>()
                .join("、")
        };
        match d {
            Deduction::RedDays {
                days,
                grace,
                points,
            } => format!("红灯 {days} 天(宽限 {grace} 天),扣 {points} 分"),
            Deduction::MissedReports { due, points } => {
                format!("逾期未报 {} 次,扣 {points} 分", due.len())
            }
            Deduction::Returned { on, points } => {
                format!("退回整改 {} 次({}),扣 {points} 分", on.len(), days(on))
            }
            Deduction::RedSheets { on, points } => {
                format!("红色督办单 {} 张({}),扣 {points} 分", on.len(), days(on))
            }
        }
    }

    fn rank_group(&self, group: crate::domain::score::RankGroup) -> &'static str {
        use crate::domain::score::RankGroup;
        match group {
            RankGroup::All => "全部单位",
            RankGroup::Sections => "机关科室",
            RankGroup::Streets => "街道",
        }
    }

    fn finding_source(&self, source: crate::domain::rectify::Source) -> &'static str {
        use crate::domain::rectify::Source;
        match source {
            Source::Inspection => "督查检查",
            Source::Meeting => "调度会议定",
            Source::Acceptance => "验收未通过",
            Source::Superior => "上级督导反馈",
            Source::SelfCheck => "自查发现",
        }
    }

    fn finding_status(&self, status: crate::domain::rectify::Status) -> &'static str {
        use crate::domain::rectify::Status;
        match status {
            Status::Rectifying => "整改中",
            Status::Submitted => "待销号",
            Status::Returned => "退回重改",
            Status::Closed => "已销号",
        }
    }

    fn duty_level(&self, level: crate::domain::duty::Level) -> &'static str {
        use crate::domain::duty::Level;
        match level {
            Level::Main => "党工委主体责任",
            Level::First => "党组织书记第一责任人责任",
            Level::Member => "班子成员“一岗双责”",
        }
    }

    fn rating(&self, rating: crate::domain::duty::Rating) -> &'static str {
        use crate::domain::duty::Rating;
        match rating {
            Rating::Good => "好",
            Rating::Fair => "较好",
            Rating::Average => "一般",
            Rating::Poor => "差",
        }
    }

    fn finding_entry(&self, kind: crate::domain::rectify::EntryKind) -> &'static str {
        use crate::domain::rectify::EntryKind;
        match kind {
            EntryKind::Progress => "报送整改进展",
            EntryKind::Submit => "整改完成,申请销号",
            EntryKind::Close => "审核销号",
            EntryKind::Return => "退回重改",
        }
    }

    fn task_status(&self, status: TaskStatus) -> &'static str {
        match status {
            TaskStatus::Open => "待揭榜",
            TaskStatus::Claimed => "待挂牌",
            TaskStatus::Assigned => "待签收",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Submitted => "待验收",
            TaskStatus::Accepted => "已销号",
            TaskStatus::Returned => "退回整改",
            TaskStatus::Cancelled => "已撤项",
        }
    }

    fn plan_status(&self, status: PlanStatus) -> &'static str {
        match status {
            PlanStatus::Draft => "草稿",
            PlanStatus::Published => "揭榜中",
            PlanStatus::Running => "推进中",
            PlanStatus::Closed => "已归档",
        }
    }

    fn transition(&self, transition: Transition, role: Role) -> &'static str {
        match transition {
            Transition::Claim => "揭榜认领",
            Transition::Release if role == Role::Organizer => "不予挂牌",
            Transition::Release => "撤回认领",
            Transition::Confirm => "确认挂牌",
            Transition::Assign => "交办",
            Transition::Acknowledge => "签收",
            Transition::Decline if role == Role::Organizer => "撤回交办",
            Transition::Decline => "退回交办",
            Transition::Submit => "提请验收",
            Transition::Accept => "验收销号",
            Transition::Return => "退回整改",
            Transition::Reopen => "撤销销号",
            Transition::Cancel => "撤项",
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Organizer => "督办管理员",
            Role::Leader => "分管领导",
            Role::UnitHead => "单位负责人",
            Role::Liaison => "联络员",
            Role::Viewer => "查阅人员",
            Role::Admin => "系统管理员",
        }
    }

    fn light(&self, light: Light) -> &'static str {
        match light {
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }

    fn reminder(&self, kind: crate::domain::reminder::ReminderKind) -> String {
        use crate::domain::reminder::ReminderKind as K;
        use crate::ui::format::date_zh;
        match kind {
            K::Milestone {
                number,
                due,
                working_days,
            } => format!(
                "提醒:节点{number}({}){},请按期完成并及时报送进展",
                date_zh(due),
                due_in(working_days)
            ),
            K::Deadline { due, working_days } => format!(
                "提醒:完成时限({}){},请按期完成并提请验收",
                date_zh(due),
                due_in(working_days)
            ),
            K::ReportDue { due } => format!("提醒:本月进度请于 {} 前报送", date_zh(due)),
            K::ReportOverdue { due } => {
                format!("逾期未报:本月进度应于 {} 前报送,请尽快报送", date_zh(due))
            }
            K::MeetingAhead { day, working_days } => format!(
                "提醒:{}召开专题调度会逐项研判(还有 {working_days} 个工作日),本任务尚未报送最新进展,请于会前报送",
                date_zh(day)
            ),
            K::ActionDue { due, working_days } => format!(
                "提醒:会议交办事项办理时限({}){},请按期办理并反馈",
                date_zh(due),
                due_in(working_days)
            ),
            K::ActionOverdue { due } => format!(
                "逾期未反馈:会议交办事项应于 {} 前办结,请尽快办理并反馈",
                date_zh(due)
            ),
        }
    }

    fn light_reason(&self, reason: crate::domain::LightReason) -> String {
        use crate::domain::LightReason as R;
        use chrono::Datelike;
        let day = |d: chrono::NaiveDate| format!("{}月{}日", d.month(), d.day());
        let left = due_in;
        match reason {
            R::OnTrack => "按序时推进".to_owned(),
            R::Overdue { deadline } => format!("已超过完成时限({})", day(deadline)),
            R::MilestoneOverdue { number, due } => format!("节点{number}({})逾期未完成", day(due)),
            R::FarBehind { behind } | R::Behind { behind } => {
                format!("落后序时进度 {behind} 个百分点")
            }
            R::MilestoneDueSoon {
                number,
                due,
                working_days,
            } => format!("节点{number}({}){}", day(due), left(working_days)),
            R::DeadlineDueSoon {
                deadline,
                working_days,
            } => format!("完成时限({}){}", day(deadline), left(working_days)),
        }
    }

    fn unit_kind(&self, kind: UnitKind) -> &'static str {
        match kind {
            UnitKind::Office => "机关",
            UnitKind::Section => "科室",
            UnitKind::Street => "街道党建办",
            UnitKind::Other => "其他单位",
        }
    }

    fn entity(&self, entity: Entity) -> &'static str {
        match entity {
            Entity::Plan => "该任务清单",
            Entity::Task => "该任务",
            Entity::Unit => "该单位",
            Entity::Person => "该人员",
            Entity::Account => "该账号",
            Entity::Report => "该进度报送",
            Entity::Page => "该页面",
            Entity::File => "该文件",
            Entity::Request => "该申请",
            Entity::Display => "该大屏链接",
            Entity::Meeting => "该调度会",
            Entity::Finding => "该整改事项",
        }
    }

    fn field(&self, field: &str) -> &'static str {
        match field {
            "number" => "序号",
            "title" => "任务名称",
            "category" => "类别",
            "description" => "任务内容",
            "deadline" => "完成时限",
            "milestones" => "推进目标",
            "criteria" => "验收标准",
            "goals" => "推进目标和验收标准",
            "lead_unit" => "牵头单位",
            "co_units" => "配合单位",
            "owner" => "责任人",
            "post" => "岗位",
            "supervisor" => "分管领导",
            "start" => "起始日期",
            "requirement" => "督办要求",
            "feedback_by" => "反馈时限",
            "feedback" => "反馈内容",
            "percent" => "完成进度",
            "done" => "工作进展",
            "problems" => "存在问题",
            "next_steps" => "下步打算",
            "evidence" | "files" => "佐证材料",
            "reached" => "已达成的推进目标",
            "part" => "报送类别",
            "verdicts" => "验收标准的核验结论",
            "notes" => "验收标准的核验意见",
            "checks" => "验收标准的自查情况",
            "rectify_by" => "整改时限",
            "new_deadline" => "申请延至",
            "body" => "内容",
            "note" => "意见",
            "reached_on" => "推进目标的达成日期",
            "corrects" => "所更正的报送",
            "year" => "年度",
            "issuer" => "发榜单位",
            "categories" => "任务类别",
            "yellow_behind" => "黄灯阈值",
            "red_behind" => "红灯阈值",
            "due_soon_days" => "临期提醒工作日数",
            "claim_from" => "揭榜开始日期",
            "report_day" => "每月报送日",
            "claim_to" => "揭榜截止日期",
            "reason" => "调整理由",
            "name" => "名称",
            "kind" => "单位类型",
            "parent" => "上级单位",
            "unit" => "所属单位",
            "phone" => "电话",
            "email" => "电子邮箱",
            "username" => "用户名",
            "display_name" => "姓名",
            "role" => "角色",
            "password" => "密码",
            "version" => "版本号",
            "to" | "status" => "目标状态",
            "id" => "记录编号",
            "as_of" => "截至日期",
            "format" => "文件格式",
            "person" => "对应人员",
            "source" => "依据",
            "holidays" => "放假安排",
            "workdays" => "调休上班日",
            "platform" => "平台",
            "audience" => "接收范围",
            "url" => "Webhook 网址",
            "secret" => "签名密钥",
            "host" => "邮件服务器地址",
            "port" => "端口",
            "security" => "加密方式",
            "from" => "发件地址",
            "address" => "收件地址",
            "value" => "",
            "label" => "放置地点",
            "cycle" => "轮播方式",
            "seconds" => "每屏停留秒数",
            "plan" => "任务清单",
            "meeting_title" => "会议名称",
            "meeting_date" => "会议日期",
            "meeting_time" => "开始时间",
            "meeting_place" => "会议地点",
            "meeting_host" => "主持人",
            "attendees" => "参会人员",
            "observers" => "列席人员",
            "agenda" => "会议议程",
            "verdict" => "研判结论",
            "requirements" => "会议要求",
            "meeting_deadline" => "会议明确的完成时限",
            "action_content" => "交办事项内容",
            "action_unit" => "责任单位",
            "action_due" => "办理时限",
            "feedback_text" => "办理情况",
            "overview" => "会议纪要正文",
            "on_time" => "按期完成分值",
            "quality" => "完成质量分值",
            "reporting" => "报送及时分值",
            "innovation" => "创新特色分值",
            "late_share" => "逾期完成得分比例",
            "red_grace_days" => "红灯宽限天数",
            "red_day" => "红灯每日扣分",
            "missed_report" => "逾期未报每次扣分",
            "returned" => "退回整改每次扣分",
            "red_sheet" => "红色督办单每张扣分",
            "key_weight" => "重中之重任务权重",
            "co_share" => "配合单位计分比例",
            "group" => "比较范围",
            "remarks" => "自评说明",
            "judged_quality" => "完成质量得分",
            "judged_innovation" => "创新特色得分",
            "finding_problem" => "问题描述",
            "finding_source" => "问题来源",
            "finding_unit" => "责任单位",
            "finding_person" => "责任人",
            "measures" => "整改措施",
            "finding_deadline" => "整改时限",
            "found_on" => "发现日期",
            "finding_task" => "关联任务",
            "progress_text" => "整改进展",
            "finding_note" => "审核意见",
            "finding_verdict" => "审核结论",
            "quarter" => "季度",
            "points_unit" => "加减分单位",
            "points_kind" => "加分或减分",
            "points_value" => "分值",
            "points_reason" => "加减分事由",
            "points_on" => "计分日期",
            "points_note" => "审批意见",
            "decision" => "审批结论",
            "duty_level" => "责任层级",
            "duty_holder" => "责任主体",
            "duty_unit" => "责任单位",
            "duty_content" => "责任内容",
            "duty_tasks" => "对应任务序号",
            "statement" => "述责报告",
            "rating" => "评议等次",
            "rating_note" => "评议意见",
            "correction" => "更正理由",
            _ => "提交的数据",
        }
    }

    fn field_error(&self, error: &FieldError) -> String {
        let name = self.field(&error.field);
        if error.field == "request" {
            return "提交的数据格式不正确,请刷新页面后重试".to_owned();
        }
        // A row of a list field: 第 2 条推进目标的日期…; a whole field: 完成时限…
        let (subject, date_of) = match error.index {
            Some(i) => (format!("第 {} 条{name}", i + 1), "的日期"),
            None => (name.to_owned(), ""),
        };
        match &error.problem {
            Problem::Required => format!("{subject}不能为空"),
            Problem::TooShort { min } => format!("{subject}至少 {min} 个字"),
            Problem::TooLong { max } => format!("{subject}最多 {max} 个字"),
            Problem::TooMany { max } => format!("{subject}最多 {max} 项"),
            Problem::NotANumber => format!("{subject}须为整数"),
            Problem::OutOfRange { min, max } => format!("{subject}须在 {min} 到 {max} 之间"),
            Problem::NotADate => format!("{subject}不是有效日期(格式如 2022-08-20)"),
            Problem::OutsideYear { year } => format!("{subject}{date_of}须在 {year} 年度内"),
            Problem::AfterDeadline => format!("{subject}{date_of}晚于完成时限"),
            Problem::OutOfOrder => format!("{subject}须按日期先后排列"),
            Problem::UnknownValue => format!("{subject}不在可选范围内"),
            Problem::BadFormat => format!("{subject}格式不正确"),
            Problem::Duplicate => format!("{subject}重复"),
            Problem::WeakPassword => format!("{subject}须同时包含字母和数字"),
            Problem::UnitRequired => format!("单位负责人和联络员须指定{subject}"),
            Problem::NoSuchRecord => format!("{subject}不存在"),
            Problem::ThresholdOrder => "黄灯阈值须小于红灯阈值".to_owned(),
            Problem::TargetBelowPrevious => format!("{subject}的节点目标值不能低于前一条"),
            Problem::BeforeStart => format!("{subject}不能早于开始日期"),
            Problem::BeforeMeeting => format!("{subject}不能早于会议日期"),
            Problem::BeforeGoals => format!("{subject}不能早于任务的推进目标日期"),
            Problem::BeforeFound => format!("{subject}不能早于发现问题的日期"),
            Problem::EmptyFile => format!("{subject}是空文件"),
            Problem::FileTooLarge { max_mb } => {
                format!("{subject}超过 {max_mb} MB,请压缩或拆分后再上传")
            }
            Problem::FilesTooLarge { max_mb } => {
                format!("一次报送的佐证材料合计不能超过 {max_mb} MB")
            }
            Problem::FileTypeNotAllowed => format!(
                "{subject}的类型不在允许范围内(可上传图片、PDF、Word/Excel/PowerPoint、WPS、OFD 文件)"
            ),
            Problem::FileTypeMismatch => format!("{subject}的内容与文件类型不符,请上传原始文件"),
            Problem::InFuture => format!("{subject}不能晚于今天"),
            Problem::NotInFuture => format!("{subject}须晚于今天"),
            Problem::NotLater => format!("{subject}须晚于现在的完成时限"),
            Problem::Unchanged => format!("{subject}与现行内容相同,没有需要调整的内容"),
            Problem::WeightsNotHundred { sum } => {
                format!("四项分值合计须为 100 分(现为 {sum} 分)")
            }
        }
    }

    fn import_problem(&self, problem: &ImportProblem) -> String {
        let at = if problem.column.is_empty() {
            format!("第 {} 行", problem.row)
        } else {
            format!("第 {} 行“{}”列", problem.row, problem.column)
        };
        let what = match &problem.issue {
            ImportIssue::Unreadable => {
                return "无法读取该文件:请上传 Excel(.xlsx、.xls)或 CSV 文件".to_owned();
            }
            ImportIssue::NoHeader => {
                return "文件前 5 行中没有表头(至少需要“任务”和“完成时限”两列)".to_owned();
            }
            ImportIssue::Oversized { max_mb } => {
                return format!(
                    "该工作簿解压后超过 {max_mb} MB,远大于任何任务清单,未导入:请另存为只含任务清单的文件"
                );
            }
            ImportIssue::MissingColumn => "缺少此列".to_owned(),
            ImportIssue::NoTasks => "表头下没有内容行".to_owned(),
            ImportIssue::TooManyRows { max } => {
                format!("表格超过 {max} 行,请只保留任务清单(可分表导入)")
            }
            ImportIssue::UnknownUnit { name } => format!("单位“{name}”不存在"),
            ImportIssue::UnknownPerson { name } => format!("人员“{name}”不存在或有重名"),
            ImportIssue::DuplicateNumber => "序号与前面的行重复".to_owned(),
            ImportIssue::MilestoneWithoutDate { line } => {
                format!("“{line}”开头没有日期(如 2022年8月20日 …)")
            }
            ImportIssue::Field { problem } => {
                // The column names the field; the problem is worded without a subject.
                let error = FieldError::new("value", problem.clone());
                return format!("{at}:{}", self.field_error(&error));
            }
        };
        format!("{at}:{what}")
    }

    fn refusal(&self, refusal: &Refusal) -> String {
        match refusal {
            Refusal::NoSuchMove { from, to } => format!(
                "任务当前为“{}”,不能变为“{}”",
                self.task_status(*from),
                self.task_status(*to)
            ),
            Refusal::RoleMayNotMove { role, transition } => format!(
                "{}无权执行“{}”",
                self.role(*role),
                self.transition(*transition, *role)
            ),
            Refusal::RoleMayNotReport { role } => format!("{}无权报送进度", self.role(*role)),
            Refusal::NotOwnUnit => "这项任务不由您的单位承担".to_owned(),
            Refusal::NoUnit => "您的账号未指定所属单位,请联系系统管理员".to_owned(),
            Refusal::AssigneeRequired => "交办须指定承办单位".to_owned(),
            Refusal::NotReportable { status } => format!(
                "任务当前为“{}”,只有推进中或退回整改的任务可以报送进度",
                self.task_status(*status)
            ),
            Refusal::BadCorrection => "更正只能针对本任务的报送".to_owned(),
            Refusal::PlanClosed => "任务清单已归档,不能再添加任务".to_owned(),
            Refusal::PlanNotOpen { status } => format!(
                "任务清单当前为“{}”,任务不能办理或报送",
                self.plan_status(*status)
            ),
            Refusal::PlanNotDraft => {
                "只有草稿状态的任务清单可以导入、删除任务或重新编号;已发榜的任务请逐项调整或撤项"
                    .to_owned()
            }
            Refusal::NoSuchPlanMove { from, to } => format!(
                "任务清单不能从“{}”变为“{}”",
                self.plan_status(*from),
                self.plan_status(*to)
            ),
            Refusal::NotPublishable { issues } => {
                let lines: Vec<String> = issues
                    .iter()
                    .map(|i| match i {
                        PublishIssue::NoTasks => "任务清单中还没有任务".to_owned(),
                        PublishIssue::NoCriteria { number } => {
                            format!("第 {number} 项任务没有验收标准")
                        }
                        PublishIssue::DeadlineOutsideYear { number } => {
                            format!("第 {number} 项任务的完成时限不在清单年度内")
                        }
                        PublishIssue::NumberMissing { number } => {
                            format!("任务序号缺少第 {number} 项(序号须从 1 起连续)")
                        }
                    })
                    .collect();
                format!("暂不能发榜:{}", lines.join(";"))
            }
            Refusal::NumberTaken => "本清单中已有相同序号的任务".to_owned(),
            Refusal::UnitNameTaken => "已有同名单位".to_owned(),
            Refusal::UsernameTaken => "用户名已被使用".to_owned(),
            Refusal::PlanTitleTaken => "该年度已有同名任务清单".to_owned(),
            Refusal::OwnParent => "单位不能以自身为上级".to_owned(),
            Refusal::DisableSelf => "不能停用自己的账号".to_owned(),
            Refusal::AppendOnly => "已报送的记录不能修改或删除,如需更正请另行报送".to_owned(),
            Refusal::NotEmpty => "数据库中已有任务清单,演示数据只能载入空数据库".to_owned(),
            Refusal::NotClaimable { status } => format!(
                "任务当前为“{}”,只有待揭榜、待挂牌的任务可以揭榜认领",
                self.task_status(*status)
            ),
            Refusal::OutsideClaimWindow { window } => format!(
                "不在揭榜时间内(揭榜时间 {} 至 {})",
                crate::ui::format::date_zh(window.from),
                crate::ui::format::date_zh(window.to)
            ),
            Refusal::AlreadyClaimed => "本单位已认领此任务,正待挂牌".to_owned(),
            Refusal::ClaimDecided => "该认领已撤回或已有挂牌决定".to_owned(),
            Refusal::RoleMayNotReview { role } => {
                format!("{}不能审核报送,须由单位负责人审核", self.role(*role))
            }
            Refusal::ReportDecided => "该报送已审核,不能重复操作".to_owned(),
            Refusal::ReviewByCriteria => "验收须逐条核验验收标准,请填写验收意见".to_owned(),
            Refusal::SelfCheckRequired => "提请验收须逐条填写验收标准的自查情况".to_owned(),
            Refusal::CoReportOnly => {
                "配合单位报送本单位承担的工作,完成进度和推进目标由牵头单位报送".to_owned()
            }
            Refusal::AwaitingSignOff => "该任务验收核验已通过,正待分管领导审定".to_owned(),
            Refusal::RoleMayNotSignOff { role } => {
                format!("{}不能审定验收销号,须由分管领导审定", self.role(*role))
            }
            Refusal::NotAwaitingSignOff => "该任务没有待审定的验收".to_owned(),
            Refusal::RequestPending => "该任务已有延期申请正在审批,请等待结果".to_owned(),
            Refusal::RequestDecided => "该申请已处理,不能重复操作".to_owned(),
            Refusal::RoleMayNotHandleRequest { role } => {
                format!(
                    "{}不能办理这一步:延期申请由单位负责人提出,组织科初审,分管领导审定",
                    self.role(*role)
                )
            }
            Refusal::RoleMayNotComment { role } => {
                format!(
                    "{}不能发表这类内容(批示由分管领导作出,落实情况由牵头单位回复)",
                    self.role(*role)
                )
            }
            Refusal::ReplyNeedsInstruction => "落实情况须回复本任务的一条领导批示".to_owned(),
            Refusal::RoleMayNotSupervise { role } => format!(
                "{}不能进行此项督办操作:催办和督办单由组织科发出,由承办单位反馈",
                self.role(*role)
            ),
            Refusal::NotSupervisable { status } => format!(
                "任务当前为“{}”,只有推进中或退回整改的任务可以催办、督办",
                self.task_status(*status)
            ),
            Refusal::SupervisionAnswered => "该督办已反馈,不能重复反馈".to_owned(),
            Refusal::MeetingNotOpen { status } => format!(
                "会议当前为“{}”,不能进行此项操作(研判和交办事项在会议进行中和纪要印发前记录)",
                super::meeting_status(*status)
            ),
            Refusal::NotOnAgenda => "该任务不在本次会议的议程中".to_owned(),
            Refusal::AlreadyOnAgenda => "该任务已在本次会议的议程中".to_owned(),
            Refusal::AgendaEmpty => "议程至少保留一项任务".to_owned(),
            Refusal::RoleMayNotAssess { role, step } => {
                use crate::domain::assessment::Step;
                let (what, who) = match step {
                    Step::SelfAssess => ("自评", "牵头单位负责人"),
                    Step::Review => ("考评点评", "组织人事局督办管理员"),
                    Step::Confirm => ("考核确认", "分管领导"),
                };
                format!("{}不能进行{what},须由{who}办理", self.role(*role))
            }
            Refusal::AssessmentConfirmed => {
                "该任务的考评得分已经分管领导确认,如需更正请由组织人事局说明理由后重新点评"
                    .to_owned()
            }
            Refusal::AssessmentNotReviewed => "组织人事局尚未点评打分,暂不能确认".to_owned(),
            Refusal::NotYourFinding => {
                "只有责任单位的负责人或联络员可以报送该事项的整改进展".to_owned()
            }
            Refusal::FindingClosed => "该整改事项已销号".to_owned(),
            Refusal::FindingAwaitingClose => "已申请销号,请等待组织人事局审核后再报送".to_owned(),
            Refusal::FindingNotSubmitted => "责任单位尚未申请销号,暂不能销号或退回".to_owned(),
            Refusal::RoleMayNotState { role } => {
                format!(
                    "{}不能提交述责报告,述责由单位主要负责人提交",
                    self.role(*role)
                )
            }
            Refusal::StatementReviewed => "组织人事局已评议该述责报告,不能再修改".to_owned(),
            Refusal::StatementMissing => "该单位尚未提交述责报告".to_owned(),
            Refusal::RoleMayNotApprovePoints { role } => {
                format!("{}不能审批加减分,加减分由分管领导审批", self.role(*role))
            }
            Refusal::PointsDecided => "该加减分事项已审批".to_owned(),
            Refusal::ActionClosed => "该交办事项已办结".to_owned(),
            Refusal::NotYourAction => "只有责任单位的负责人或联络员可以反馈该交办事项".to_owned(),
            Refusal::NotExtendable { status } => {
                format!("任务当前为“{}”,不能申请延期", self.task_status(*status))
            }
        }
    }

    fn error(&self, error: &AppError) -> String {
        match error {
            AppError::NotFound(entity) => format!("未找到{}", self.entity(*entity)),
            AppError::Invalid(errors) if errors.is_empty() => "输入有误".to_owned(),
            AppError::Invalid(errors) => errors
                .iter()
                .map(|e| self.field_error(e))
                .collect::<Vec<_>>()
                .join(";"),
            AppError::Refused(refusal) => self.refusal(refusal),
            AppError::Import(problems) => problems
                .iter()
                .map(|p| self.import_problem(p))
                .collect::<Vec<_>>()
                .join("\n"),
            AppError::Conflict => "数据已被他人修改,请刷新后重试".to_owned(),
            AppError::Forbidden => "无权执行此操作".to_owned(),
            AppError::Unauthorized => "请先登录".to_owned(),
            AppError::BadCredentials => "用户名或密码错误".to_owned(),
            AppError::TooManyAttempts => "登录失败次数过多,请 15 分钟后再试".to_owned(),
            AppError::TooLarge { limit_kib } if *limit_kib >= 1024 && limit_kib % 1024 == 0 => {
                format!("提交的内容过大(上限 {} MB),请删减后重试", limit_kib / 1024)
            }
            AppError::TooLarge { limit_kib } => {
                format!("提交的内容过大(上限 {limit_kib} KB),请删减后重试")
            }
            AppError::CrossSite => "跨站请求被拒绝:请从本系统的页面提交".to_owned(),
            AppError::Internal => "服务器内部错误,请稍后再试".to_owned(),
            AppError::Unavailable => "服务暂时不可用,请稍后再试".to_owned(),
            AppError::StorageFull => {
                "服务器存储空间已满,本次内容未保存。请联系系统管理员清理空间后重试".to_owned()
            }
            AppError::Transport => "网络请求失败,请检查网络后重试".to_owned(),
        }
    }
}

/// "还有 3 个工作日到期"; "即将到期" when no working day is left (due today, or a Sunday
/// milestone seen on a Friday).
/// 6月28日.
fn short_day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}月{}日", d.month(), d.day())
}

fn due_in(working_days: u32) -> String {
    if working_days == 0 {
        "即将到期".to_owned()
    } else {
        format!("还有 {working_days} 个工作日到期")
    }
}
