//! The user interface: the app shell and router, pages, and shared components.

pub mod app;
pub mod bulletin;
pub mod components;
pub mod format;
pub mod ledger;
pub mod live;
pub mod messages;
pub mod minutes;
pub mod pages;
pub mod refetch;
pub mod scores;
pub mod session;
pub mod upload;

pub use app::{App, shell};
