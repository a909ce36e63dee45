//! jiebang (揭榜): an organization's yearly key tasks — post, claim, report, review, accept.
//!
//! The crate compiles twice: with `ssr` into the axum server (which owns the database) and with
//! `hydrate` into the wasm bundle that makes the server-rendered pages interactive. Everything
//! that touches SurrealDB, the file system or the network lives behind the one `ssr` gate below.

// Leptos views are nested types; the 大屏 and 看板 pages nest deeper than the default allows
// when the wasm build computes their layouts.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

pub use error::AppError;

/// Entry point of the wasm bundle: hydrates the server-rendered page, once the page's own
/// piece of the split wasm has arrived (see `ui::app`'s lazy routes).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(ui::App);
}
