//! One module per page.

mod accounts_page;
mod board_page;
mod bulletin_page;
mod calendar_page;
mod channels_page;
mod displays_page;
mod inbox_page;
mod login_page;
mod not_found_page;
mod notice_page;
mod plan_page;
mod plans_page;
mod task_edit_page;
mod task_page;
mod units_page;
mod wall_page;
mod work_page;

pub use accounts_page::AccountsPage;
pub use board_page::BoardPage;
pub use bulletin_page::BulletinPage;
pub use calendar_page::CalendarPage;
pub use channels_page::ChannelsPage;
pub use displays_page::DisplaysPage;
pub use inbox_page::InboxPage;
pub use login_page::LoginPage;
pub use not_found_page::NotFoundPage;
pub use notice_page::NoticePage;
pub use plan_page::PlanPage;
pub use plans_page::PlansPage;
pub use task_edit_page::TaskEditPage;
pub use task_page::TaskPage;
pub use units_page::UnitsPage;
pub use wall_page::WallPage;
pub use work_page::WorkPage;
