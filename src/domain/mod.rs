//! The domain vocabulary shared by server and browser: plain serde types and pure rules,
//! no database types and no wording. Database rows live in `server::db` and convert into
//! these; the UI's catalogue words the codes.
//!
//! Imports flow one way: `error` ← `fields` ← `ids`, `task` ← `light`, `plan`, `report`,
//! `unit`, `workflow` ← `auth`, `policy` ← `views` (the page-shaped read models).

pub mod acceptance;
pub mod assessment;
pub mod auth;
pub mod bulletin;
pub mod calendar;
pub mod channel;
pub mod claim;
pub mod comment;
pub mod display;
pub mod duty;
pub mod error;
pub mod evidence;
pub mod extension;
pub mod fields;
pub mod ids;
pub mod import;
pub mod light;
pub mod live;
pub mod meeting;
pub mod notice;
pub mod plan;
pub mod points;
pub mod policy;
pub mod quarter;
pub mod rectify;
pub mod reminder;
pub mod report;
pub mod score;
pub mod supervision;
pub mod task;
pub mod unit;
pub mod views;
pub mod workbench;
pub mod workflow;

pub use auth::{AccountForm, AccountInput, AccountSummary, CurrentUser, Username};
pub use claim::{Claim, ClaimForm, ClaimInput, ClaimStatus};
pub use error::{Entity, FieldError, Problem, Refusal};
pub use fields::Reason;
pub use ids::{
    AccountId, ActionItemId, ClaimId, CommentId, FindingId, MeetingId, NoticeId, PersonId, PlanId,
    ReportId, RequestId, SupervisionId, TaskId, UnitId,
};
pub use light::{Assessment, Checkpoint, Light, LightReason, LightSettings, Schedule};
pub use plan::{ClaimWindow, PlanForm, PlanInput, PlanStatus, PlanSummary};
pub use report::{AuditEvent, Evidence, NewReport, ProgressReport, ReportForm};
pub use task::{
    Adjustment, AdjustmentRecord, Criterion, Deadline, GoalsForm, GoalsInput, Milestone,
    MilestoneForm, Percent, Responsibility, TaskForm, TaskInput, TaskStatus, TaskTitle, carry_over,
};
pub use unit::{Person, PersonForm, PersonInput, Unit, UnitForm, UnitInput, UnitKind};
pub use views::{
    Board, BoardScope, BoardTask, BoardWhole, LatestReport, Ledger, LedgerRow, PlanRef, TaskDetail,
    TaskEditView, TaskFilter,
};
pub use workflow::{Actor, MoveDetails, Role, Transition};
