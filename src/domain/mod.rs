//! The domain vocabulary shared by server and browser: plain serde types, no database types.
//!
//! Database rows live in `server::db` and convert into these.

pub mod ids;
pub mod plan;
pub mod task;

pub use ids::{PlanId, TaskId, UnitId};
pub use plan::{Board, PlanStatus, PlanSummary};
pub use task::{BoardTask, Milestone, Percent, TaskDetail, TaskStatus, TaskTitle};
