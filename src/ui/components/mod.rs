//! Components shared by several pages.

mod change_table;
mod charts;
mod claims;
mod comments;
mod error_panel;
mod extensions;
mod field_errors;
mod kanban;
mod light_badge;
mod progress_bar;
mod site_header;
mod status_badge;
mod supervision;
mod task_actions;
mod task_card;
mod task_fields;
mod timeline;

pub use change_table::ChangeTable;
pub use charts::{AcceptanceTrend, CompletionByUnit, LightsByCategory, ProgressTrend};
pub use claims::{ClaimActions, ClaimContext, ClaimsSection};
pub use comments::CommentsSection;
pub use error_panel::ErrorPanel;
pub use extensions::{ExtensionActions, ExtensionSection};
pub use field_errors::{FieldErrors, FormError};
pub use kanban::{Kanban, KanbanNote};
pub use light_badge::LightBadge;
pub use progress_bar::ProgressBar;
pub use site_header::SiteHeader;
pub use status_badge::StatusBadge;
pub use supervision::{SupervisionActions, SupervisionSection};
pub use task_actions::{SelfCheckOpen, TaskActions};
pub use task_card::TaskCard;
pub use task_fields::{GoalRows, TaskChoices, TaskFields};
pub use timeline::Timeline;
