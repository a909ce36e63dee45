//! The disk reserve: writes are refused while the file system holding the database or the
//! evidence files has less free space than the reserve (`JIEBANG_MIN_FREE_MB`).
//!
//! Why at the door and not on the storage engine's error: when the engine runs out of space
//! in the middle of a commit, the commit is reported failed but may already be in its log, and
//! come back after a restart (seen by the disk-full proof suite). Refusing before the engine
//! is asked keeps "not saved" true.

use crate::error::AppError;
use std::path::{Path, PathBuf};

/// The directories whose file systems must keep the reserve, and the reserve in bytes.
#[derive(Debug, Clone, Default)]
pub struct DiskReserve {
    dirs: Vec<PathBuf>,
    min_free: u64,
}

impl DiskReserve {
    /// A reserve of `min_free_mb` MiB on the file systems of `dirs` (which need not exist
    /// yet: the nearest existing parent is measured).
    pub fn new(dirs: Vec<PathBuf>, min_free_mb: u64) -> Self {
        Self {
            dirs,
            min_free: min_free_mb.saturating_mul(1024 * 1024),
        }
    }

    /// Refuses with [`AppError::StorageFull`] when any of the file systems is below the
    /// reserve. A file system that cannot be measured does not stop writes (the engine's own
    /// error still applies).
    pub fn check(&self) -> Result<(), AppError> {
        for dir in &self.dirs {
            if let Some(free) = available(dir)
                && free < self.min_free
            {
                tracing::error!(
                    dir = %dir.display(),
                    free_mb = free / (1024 * 1024),
                    reserve_mb = self.min_free / (1024 * 1024),
                    "disk below its reserve: writes refused until space is freed"
                );
                return Err(AppError::StorageFull);
            }
        }
        Ok(())
    }
}

/// Bytes available to this process on the file system holding `dir` (or its nearest
/// existing parent).
fn available(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|p| p.exists())?;
    let stat = rustix::fs::statvfs(existing).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// Whether a request changes something (and so must pass the reserve). Reading server
/// functions are named `get_`, `list_` or `count_`; signing out only deletes.
pub fn is_write(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let Some(function) = path.strip_prefix("/api/") else {
        return true;
    };
    !(function.starts_with("get_")
        || function.starts_with("list_")
        || function.starts_with("count_")
        || function.starts_with("sign_out"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;

    #[test]
    fn reads_and_sign_outs_pass_writes_are_checked() {
        assert!(!is_write(&Method::GET, "/tasks/x"));
        assert!(!is_write(&Method::POST, "/api/get_board"));
        assert!(!is_write(&Method::POST, "/api/list_units"));
        assert!(!is_write(&Method::POST, "/api/count_unread"));
        assert!(!is_write(&Method::POST, "/api/sign_out_everywhere"));
        assert!(is_write(&Method::POST, "/api/add_report"));
        assert!(is_write(&Method::POST, "/api/sign_in"));
        assert!(is_write(&Method::POST, "/tasks/x/reports"));
    }

    #[test]
    fn a_reserve_larger_than_any_disk_refuses_and_none_passes() {
        let here = std::env::temp_dir();
        assert_eq!(
            DiskReserve::new(vec![here.clone()], u64::MAX / (2 * 1024 * 1024)).check(),
            Err(AppError::StorageFull)
        );
        assert_eq!(
            DiskReserve::new(vec![here.join("not/yet")], 0).check(),
            Ok(())
        );
        assert_eq!(DiskReserve::default().check(), Ok(()));
    }
}
