//! When a page fetches its data again after a write.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Counts the writes of `action` that went through. Pages key their data on this, not on the
/// action's version: a refused write changed nothing, and fetching again would rebuild the
/// forms below and throw away what the user had typed next to the error.
pub fn saved<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        let version = action.version().get();
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            version
        } else {
            before.copied().unwrap_or(0)
        }
    })
}

/// The sum of several [`saved`] counts: moves on after a write through any of them.
pub fn any_saved<const N: usize>(counts: [Memo<usize>; N]) -> usize {
    counts.iter().map(|c| c.get()).sum()
}
