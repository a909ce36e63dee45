//! One module per page.

mod board_page;
mod login_page;
mod not_found_page;
mod task_page;

pub use board_page::BoardPage;
pub use login_page::LoginPage;
pub use not_found_page::NotFoundPage;
pub use task_page::TaskPage;
