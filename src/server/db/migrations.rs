//! Versioned schema migrations, applied in order at start-up and recorded in `migration`,
//! so a restart (or a second instance) re-applies nothing.

use super::Db;
use surrealdb::types::SurrealValue;

/// One schema step. Versions are applied in ascending order, each in its own transaction.
#[derive(Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Append only: never edit one that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation: units, plans, tasks",
        sql: include_str!("migrations/0001_foundation.surql"),
    },
    Migration {
        version: 2,
        name: "people, responsibility, light settings, progress reports, audit trail",
        sql: include_str!("migrations/0002_people_reports_audit.surql"),
    },
    Migration {
        version: 3,
        name: "accounts, sessions, sign-in throttling",
        sql: include_str!("migrations/0003_accounts_sessions.surql"),
    },
    Migration {
        version: 4,
        name: "credentials apart from accounts, clean-up indexes",
        sql: include_str!("migrations/0004_credentials_cleanup.surql"),
    },
    Migration {
        version: 5,
        name: "failed plan imports",
        sql: include_str!("migrations/0005_import_attempts.surql"),
    },
    Migration {
        version: 6,
        name: "plan editor: milestone targets, 揭榜 window, 待签收, adjustments, import units",
        sql: include_str!("migrations/0006_plan_editor.surql"),
    },
    Migration {
        version: 7,
        name: "claims: 竞榜, 确认挂牌, 不予挂牌, 撤回认领",
        sql: include_str!("migrations/0007_claims.surql"),
    },
    Migration {
        version: 8,
        name: "reports: 联络员起草 → 负责人报送, evidence files, milestones reached",
        sql: include_str!("migrations/0008_report_review_files.surql"),
    },
    Migration {
        version: 9,
        name: "交办 → 签收: the day a task was assigned",
        sql: include_str!("migrations/0009_assignment.surql"),
    },
    Migration {
        version: 10,
        name: "验收销号 criterion by criterion: acceptance rounds",
        sql: include_str!("migrations/0010_acceptance_rounds.surql"),
    },
    Migration {
        version: 11,
        name: "延期申请: 初审 and 审定; the original deadline kept",
        sql: include_str!("migrations/0011_extension_requests.surql"),
    },
    Migration {
        version: 12,
        name: "批示, 落实情况 and comments under tasks",
        sql: include_str!("migrations/0012_task_comments.surql"),
    },
    Migration {
        version: 13,
        name: "站内消息: what each account has read",
        sql: include_str!("migrations/0013_inbox.surql"),
    },
    Migration {
        version: 14,
        name: "自查 per criterion at 提请验收",
        sql: include_str!("migrations/0014_self_check.surql"),
    },
    Migration {
        version: 15,
        name: "审定 by the leader before 已销号",
        sql: include_str!("migrations/0015_signoff.surql"),
    },
    Migration {
        version: 16,
        name: "联合揭榜: co-units named in a claim",
        sql: include_str!("migrations/0016_joint_claims.surql"),
    },
    Migration {
        version: 17,
        name: "配合单位报送",
        sql: include_str!("migrations/0017_co_reports.surql"),
    },
    Migration {
        version: 18,
        name: "撤项申请 through 初审 and 审定",
        sql: include_str!("migrations/0018_cancel_requests.surql"),
    },
    Migration {
        version: 19,
        name: "调整申请 through 初审 and 审定",
        sql: include_str!("migrations/0019_adjust_requests.surql"),
    },
    Migration {
        version: 20,
        name: "报送周期 per plan",
        sql: include_str!("migrations/0020_report_day.surql"),
    },
    Migration {
        version: 21,
        name: "催办 and 三色督办单",
        sql: include_str!("migrations/0021_supervision.surql"),
    },
    Migration {
        version: 22,
        name: "提醒, each claimed once by its key",
        sql: include_str!("migrations/0022_reminders.surql"),
    },
    Migration {
        version: 23,
        name: "the stored light of every task",
        sql: include_str!("migrations/0023_task_lights.surql"),
    },
    Migration {
        version: 24,
        name: "channels: robots, mail, the delivery outbox",
        sql: include_str!("migrations/0024_channels.surql"),
    },
    Migration {
        version: 25,
        name: "an account's person",
        sql: include_str!("migrations/0025_account_person.surql"),
    },
    Migration {
        version: 26,
        name: "working-day calendars installed by an administrator",
        sql: include_str!("migrations/0026_work_calendar.surql"),
    },
    Migration {
        version: 27,
        name: "大屏 display links",
        sql: include_str!("migrations/0027_display_links.surql"),
    },
    Migration {
        version: 28,
        name: "专题调度会: meetings, their records and 交办事项",
        sql: include_str!("migrations/0028_meetings.surql"),
    },
    Migration {
        version: 29,
        name: "主持模式: the task on the host's screen",
        sql: include_str!("migrations/0029_meeting_presenting.surql"),
    },
    Migration {
        version: 30,
        name: "量化考评: a plan's 考评细则",
        sql: include_str!("migrations/0030_rubrics.surql"),
    },
    Migration {
        version: 31,
        name: "自评 → 点评 → 考核: the judged items of a task's score",
        sql: include_str!("migrations/0031_assessments.surql"),
    },
    Migration {
        version: 32,
        name: "整改清单: findings and their append-only record",
        sql: include_str!("migrations/0032_findings.surql"),
    },
    Migration {
        version: 33,
        name: "责任清单 at three levels; 述责 and its 评议",
        sql: include_str!("migrations/0033_duties.surql"),
    },
    Migration {
        version: 34,
        name: "积分: awards and deductions approved by a leader",
        sql: include_str!("migrations/0034_points.surql"),
    },
    Migration {
        version: 35,
        name: "task numbers up to 99,999",
        sql: include_str!("migrations/0035_wide_task_numbers.surql"),
    },
    Migration {
        version: 36,
        name: "a task's last write stamped by the database, for kept boards",
        sql: include_str!("migrations/0036_task_changed_at.surql"),
    },
];

const BOOKKEEPING: &str = "
DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;
DEFINE INDEX IF NOT EXISTS migration_version ON migration FIELDS version UNIQUE;
";

#[derive(Debug, SurrealValue)]
struct Applied {
    version: i64,
}

async fn applied_versions(db: &Db) -> surrealdb::Result<Vec<i64>> {
    let rows: Vec<Applied> = db
        .query("SELECT version FROM migration ORDER BY version")
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}

/// Applies what is missing; returns the versions applied by this call.
pub async fn migrate(db: &Db) -> surrealdb::Result<Vec<i64>> {
    db.query(BOOKKEEPING).await?.check()?;
    let done = applied_versions(db).await?;
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        let sql = format!(
            "BEGIN TRANSACTION;\n{}\nCREATE migration SET version = $version, name = $name, applied_at = time::now();\nCOMMIT TRANSACTION;",
            m.sql
        );
        let result = db
            .query(sql)
            .bind(("version", m.version))
            .bind(("name", m.name))
            .await
            .and_then(|r| r.check());
        match result {
            Ok(_) => {
                tracing::info!(version = m.version, name = m.name, "migration applied");
                applied.push(m.version);
            }
            // Another instance may have applied it between our read and our write: the unique
            // index on `version` rolled our transaction back. That is success, not failure.
            Err(err) if applied_versions(db).await?.contains(&m.version) => {
                tracing::info!(version = m.version, error = %err, "migration applied concurrently");
            }
            Err(err) => return Err(err),
        }
    }
    Ok(applied)
}
