//! Server functions, one module per aggregate. Each is named verb_noun and returns
//! `Result<T, AppError>`; the bodies run only on the server and call into `crate::server`.

pub mod accounts;
pub mod auth;
pub mod calendar;
pub mod channels;
pub mod claims;
pub mod comments;
pub mod displays;
pub mod duties;
pub mod findings;
pub mod meetings;
pub mod organization;
pub mod plans;
pub mod requests;
pub mod scores;
pub mod supervision;
pub mod tasks;
pub mod work;

pub use auth::{get_current_user, sign_in, sign_out, sign_out_everywhere};
pub use plans::get_board;
pub use tasks::{add_report, change_task_status, get_task};
