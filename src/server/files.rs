//! Where evidence files live: behind `object_store` (a directory under the data dir by default,
//! memory in tests), content-addressed by SHA-256, so the same file uploaded twice is stored
//! once and a stored file can never be changed under its name.

use crate::domain::evidence::FileLimits;
use crate::error::AppError;
use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The file store and its upload limits. Cheap to clone.
#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    pub limits: FileLimits,
}

impl FileStore {
    /// Files kept in memory (tests, `mem://` demos).
    pub fn memory(limits: FileLimits) -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
            limits,
        }
    }

    /// Files kept in a local directory (created if missing).
    pub fn local(dir: &std::path::Path, limits: FileLimits) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("无法创建文件目录 {}:{e}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("无法使用文件目录 {}:{e}", dir.display()))?;
        Ok(Self {
            store: Arc::new(store),
            limits,
        })
    }

    /// Stores `bytes` (if not stored already) and returns their SHA-256, hex.
    pub async fn put(&self, bytes: Bytes) -> Result<String, AppError> {
        let sha = hex::encode(Sha256::digest(&bytes));
        let options = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match self
            .store
            .put_opts(&location(&sha), PutPayload::from(bytes), options)
            .await
        {
            // The same content is already there under the same name.
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(sha),
            Err(err) => {
                tracing::error!(error = %err, "storing an evidence file failed");
                if crate::error::is_storage_full(&format!("{err:?}")) {
                    Err(AppError::StorageFull)
                } else {
                    Err(AppError::Internal)
                }
            }
        }
    }

    /// The content stored under `sha256`.
    pub async fn get(&self, sha256: &str) -> Result<Bytes, AppError> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound(crate::domain::Entity::File));
        }
        let got = self.store.get(&location(sha256)).await;
        match got {
            Ok(result) => result.bytes().await.map_err(|err| {
                tracing::error!(error = %err, "reading an evidence file failed");
                AppError::Internal
            }),
            Err(object_store::Error::NotFound { .. }) => {
                tracing::error!(sha256, "an evidence file named by a report is missing");
                Err(AppError::NotFound(crate::domain::Entity::File))
            }
            Err(err) => {
                tracing::error!(error = %err, "reading an evidence file failed");
                Err(AppError::Internal)
            }
        }
    }
}

/// `evidence/ab/abcdef…`: two levels keep directories small.
fn location(sha256: &str) -> Path {
    Path::from(format!("evidence/{}/{sha256}", &sha256[..2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_same_content_is_stored_once_under_its_hash() {
        let store = FileStore::memory(FileLimits::default());
        let a = store
            .put(Bytes::from_static(b"%PDF-1.4 x"))
            .await
            .expect("put");
        let b = store
            .put(Bytes::from_static(b"%PDF-1.4 x"))
            .await
            .expect("put again");
        assert_eq!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(
            store.get(&a).await.expect("get"),
            Bytes::from_static(b"%PDF-1.4 x")
        );
        assert!(store.get("../../etc/passwd").await.is_err());
        assert!(store.get(&"0".repeat(64)).await.is_err());
    }

    #[tokio::test]
    async fn a_local_directory_keeps_files() {
        let dir = std::env::temp_dir().join(format!("jiebang-files-{}", std::process::id()));
        let store = FileStore::local(&dir, FileLimits::default()).expect("store");
        let sha = store.put(Bytes::from_static(b"GIF89a")).await.expect("put");
        let again = FileStore::local(&dir, FileLimits::default()).expect("reopen");
        assert_eq!(
            again.get(&sha).await.expect("get"),
            Bytes::from_static(b"GIF89a")
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
