//! Server functions, one module per aggregate. Each is named verb_noun and returns
//! `Result<T, AppError>`; the bodies run only on the server and call into `crate::server`.

pub mod plans;
pub mod tasks;

pub use plans::get_board;
pub use tasks::get_task;
