//! One module per page.

mod board_page;
mod not_found_page;
mod task_page;

pub use board_page::BoardPage;
pub use not_found_page::NotFoundPage;
pub use task_page::TaskPage;
