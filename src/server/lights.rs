//! The stored light of every task, with its reason: kept by the scheduler's sweep, so history,
//! notices and reports can say when and why a task turned red. A change of light is an audit
//! event on the task (the lead unit's inbox tells it when the task turns red); the first light a
//! task gets is stored without one. Kept in `task_light`, apart from the task itself, so the
//! sweep never touches a task's version or races a user's edit of it.

use super::db::plans::{BOARD_TASK_FIELDS, BoardTaskRow, PLAN_FIELDS, PlanRow};
use super::db::{Db, corrupt, key_string, record};
use crate::domain::{Light, LightReason, PlanSummary};
use crate::error::AppError;
use crate::ui::messages;
use chrono::NaiveDate;
// `Value` is used by the code `#[surreal(flatten)]` generates.
use surrealdb::types::{RecordId, SurrealValue, Value};

#[derive(Debug, SurrealValue)]
struct SweepRow {
    #[surreal(flatten)]
    board: BoardTaskRow,
    plan: RecordId,
}

#[derive(Debug, SurrealValue)]
struct StoredLight {
    task: RecordId,
    light: Option<String>,
    reason: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct LightChange {
    light: Option<String>,
    reason: Option<String>,
    event: bool,
    summary: String,
}

const STORE: &str = "
BEGIN TRANSACTION;
UPSERT type::record('task_light', $key) SET task = $task, light = $change.light,
    reason = $change.reason, since = time::now();
IF $change.event {
    CREATE audit_event CONTENT {
        actor: '系统', entity: $task, action: 'light', summary: $change.summary,
        after: { kind: $change.light ?? 'none', reason: $change.reason }
    };
};
COMMIT TRANSACTION;
";

/// What changed, in the words of the task's history: 亮灯变化:黄灯 → 红灯(节点3(8月20日)逾期未完成).
fn summary(before: Option<Light>, after: Option<Light>, reason: Option<LightReason>) -> String {
    let word = |l: Option<Light>| l.map_or("无灯", messages::light);
    let mut text = format!("亮灯变化:{} → {}", word(before), word(after));
    if let Some(reason) = reason {
        text.push_str(&format!("({})", messages::light_reason(reason)));
    }
    text
}

/// Assesses every task of the running plans on `today` and stores each light that changed.
/// Returns how many changed.
pub async fn sweep(db: &Db, today: NaiveDate) -> Result<usize, AppError> {
    let mut response = db
        .query(format!(
            "LET $plans = (SELECT {PLAN_FIELDS} FROM plan WHERE status IN ['published', 'running']);
             RETURN $plans;
             SELECT {BOARD_TASK_FIELDS}, plan FROM task WHERE plan IN $plans.id;
             SELECT task, light, reason FROM task_light;"
        ))
        .await?;
    let plans: Vec<PlanRow> = response.take(1)?;
    let plans: Vec<PlanSummary> = plans
        .into_iter()
        .map(PlanRow::into_domain)
        .collect::<Result<_, _>>()?;
    let rows: Vec<SweepRow> = response.take(2)?;
    let stored: Vec<StoredLight> = response.take(3)?;
    let stored: std::collections::HashMap<String, (Option<String>, Option<String>)> = stored
        .into_iter()
        .map(|s| (key_string(&s.task), (s.light, s.reason)))
        .collect();
    let mut changed = 0;
    for row in rows {
        let key = key_string(&row.plan);
        let plan = plans
            .iter()
            .find(|p| p.id.as_str() == key)
            .ok_or_else(|| corrupt("task.plan", &row.plan))?;
        let task_id = row.board.id.clone();
        let task = row.board.into_domain(plan, today)?;
        let now = (
            task.light.map(|l| l.code().to_owned()),
            task.reason
                .map(|r| serde_json::to_string(&r).map_err(|_| AppError::Internal))
                .transpose()?,
        );
        let task_key = key_string(&task_id);
        let before = stored.get(&task_key);
        if before == Some(&now) {
            continue;
        }
        let before_light = before.and_then(|(l, _)| l.as_deref()).and_then(|code| {
            [Light::Green, Light::Yellow, Light::Red]
                .into_iter()
                .find(|l| l.code() == code)
        });
        // The first light stored is no change; nor is a new reason for the same light.
        let event = before.is_some() && before_light != task.light;
        let change = LightChange {
            light: now.0,
            reason: now.1,
            event,
            summary: summary(before_light, task.light, task.reason),
        };
        crate::server::db::write::execute(|| {
            db.query(STORE)
                .bind(("key", task_key.clone()))
                .bind(("task", record("task", &task_key)))
                .bind(("change", change.clone()))
        })
        .await?;
        changed += 1;
    }
    Ok(changed)
}
