//! The domain vocabulary shared by server and browser: plain serde types and pure rules,
//! no database types. Database rows live in `server::db` and convert into these.

pub mod auth;
pub mod ids;
pub mod light;
pub mod plan;
pub mod report;
pub mod task;
pub mod unit;
pub mod workflow;

pub use auth::{AccountSummary, CurrentUser, Username};
pub use ids::{AccountId, PersonId, PlanId, ReportId, TaskId, UnitId};
pub use light::{Light, LightSettings, Schedule};
pub use plan::{Board, PlanStatus, PlanSummary};
pub use report::{AuditEvent, Evidence, NewReport, ProgressReport};
pub use task::{
    BoardTask, Criterion, Deadline, Milestone, Percent, Responsibility, TaskDetail, TaskStatus,
    TaskTitle,
};
pub use unit::{Person, Unit, UnitKind};
pub use workflow::{Actor, Role, Transition, TransitionError};
